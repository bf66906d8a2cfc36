"""Real triple-store servers for the integration tests, on 127.0.0.1 only, free ports, own folders.

``start_oxigraph(folder)`` runs ``oxigraph serve`` (the PyPI package); ``start_virtuoso(folder)`` runs
Debian's ``virtuoso-t`` with a private virtuoso.ini written into ``folder``. Each returns a Server
(SPARQL endpoint, Graph Store endpoint, credentials) or raises ServerUnavailable with the reason
(binary not installed, did not come up); ``stop()`` ends the process it started, and only that one.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
READY_SECONDS = 60.0
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"  # a fresh private database always starts with dba/dba


class ServerUnavailable(RuntimeError):
    """The server cannot be run here; the message says why (tests skip with it)."""


@dataclass
class Server:
    name: str
    endpoint: str  # SPARQL 1.1 query URL
    graph_store: str  # Graph Store HTTP Protocol URL
    process: subprocess.Popen
    log: Path
    user: str | None = None
    password: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    sql_address: str | None = None  # host:port of Virtuoso's SQL server (isql), None for other stores

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def _wait_ready(process: subprocess.Popen, url: str, log: Path, name: str) -> None:
    """Poll a trivial query until it answers 200, the process dies, or READY_SECONDS pass."""
    query = urllib.parse.urlencode({"query": "ASK { }"}).encode("ascii")
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerUnavailable(f"{name} exited with code {process.returncode}: {_tail(log)}")
        try:
            request = urllib.request.Request(
                url, data=query, method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.3)
    process.terminate()
    raise ServerUnavailable(f"{name} did not answer at {url} within {READY_SECONDS:g} s: {_tail(log)}")


def _tail(log: Path, lines: int = 8) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("oxigraph")
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("oxigraph")


def start_oxigraph(folder: Path) -> Server:
    binary = oxigraph_binary()
    if binary is None:
        raise ServerUnavailable("the oxigraph server binary is not installed (pip install oxigraph)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "data"), "--bind", f"{LOOPBACK}:{port}"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://{LOOPBACK}:{port}"
    server = Server("oxigraph", f"{base}/query", f"{base}/store", process, log)
    try:
        _wait_ready(process, server.endpoint, log, "oxigraph")
    except BaseException:
        server.stop()
        raise
    return server


def virtuoso_binary() -> str | None:
    for candidate in ("virtuoso-t", "/usr/bin/virtuoso-t", "/usr/sbin/virtuoso-t"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _virtuoso_vsp_root() -> str:
    for candidate in ("/var/lib/virtuoso-opensource-7/vsp", "/usr/share/virtuoso-opensource-7/vsp"):
        if Path(candidate).is_dir():
            return candidate
    return "."


def virtuoso_ini(folder: Path, sql_port: int, http_port: int, dirs_allowed: tuple[Path, ...] = ()) -> str:
    """A private configuration: database files in ``folder``, both ports on loopback only, and result
    sets large enough that contract queries over a few thousand articles are never truncated.
    ``dirs_allowed``: folders the server may read files from (the bulk loader's ld_dir)."""
    allowed = ", ".join([".", *(str(Path(d).resolve()) for d in dirs_allowed)])
    return f"""[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {LOOPBACK}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
DirsAllowed = {allowed}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000

[HTTPServer]
ServerPort = {LOOPBACK}:{http_port}
ServerRoot = {_virtuoso_vsp_root()}
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 600
"""


def start_virtuoso(folder: Path, dirs_allowed: tuple[Path, ...] = ()) -> Server:
    binary = virtuoso_binary()
    if binary is None:
        raise ServerUnavailable(
            "virtuoso-t is not installed (Debian package virtuoso-opensource; scripts/install-servers.sh)")
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(folder, sql_port, http_port, dirs_allowed), encoding="utf-8")
    log = folder / "stdout.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://{LOOPBACK}:{http_port}"
    # The authenticated Graph Store endpoint takes digest auth; the anonymous one needs SPARQL_UPDATE
    # granted to the SPARQL user, which a test should not have to do through isql.
    server = Server("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", process, log,
                    user=VIRTUOSO_USER, password=VIRTUOSO_PASSWORD,
                    env={"ANTTKG_ENDPOINT_USER": VIRTUOSO_USER, "ANTTKG_ENDPOINT_PASSWORD": VIRTUOSO_PASSWORD},
                    sql_address=f"{LOOPBACK}:{sql_port}")
    try:
        _wait_ready(process, server.endpoint, log, "virtuoso")
    except BaseException:
        server.stop()
        raise
    return server


STARTERS = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}


# --- building the local store the tests load ------------------------------------------------------

def build_store(inputs: list[Path], store_dir: Path, *, workers: int = 2) -> Path:
    """Build an anttkg store from ``inputs`` (files or folders) with anttkg.build."""
    from anttkg.build import build

    build([str(p) for p in inputs], store_dir, workers=workers)
    return store_dir
