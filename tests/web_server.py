"""`anttkg serve` as the tests run it: the real CLI in a subprocess on 127.0.0.1, on a free port.

``start_web(store, *extra_args)`` waits until the server answers and returns a WebServer; ``stop()`` ends
that process only. Requests go through urllib (loopback only).
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LOOPBACK = "127.0.0.1"
READY_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class WebServer:
    base: str
    process: subprocess.Popen
    log: Path
    store: Path | None = None

    def url(self, path: str, **params) -> str:
        query = ("?" + urllib.parse.urlencode(params, doseq=True)) if params else ""
        return self.base + path + query

    def request(self, path: str, *, method: str = "GET", headers: dict[str, str] | None = None,
                data: bytes | None = None, params: dict | None = None, timeout: float = 60) -> Reply:
        request = urllib.request.Request(self.url(path, **(params or {})), data=data, method=method,
                                         headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, {k.lower(): v for k, v in err.headers.items()}, err.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # the tests look at redirects themselves
        return None


def start_web(store: Path, *extra: str, log_dir: Path) -> WebServer:
    port = free_port()
    log = log_dir / f"serve-{port}.log"
    handle = open(log, "wb")
    process = subprocess.Popen([sys.executable, "-m", "anttkg", "--store", str(store), "serve", "--host", LOOPBACK,
                                "--port", str(port), *extra], stdout=handle, stderr=subprocess.STDOUT)
    handle.close()
    server = WebServer(f"http://{LOOPBACK}:{port}", process, log, Path(store))
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"anttkg serve exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            if server.request("/", timeout=5).status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"anttkg serve did not answer within {READY_SECONDS:.0f} s: {log.read_text()[-2000:]}")
