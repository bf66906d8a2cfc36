"""Push a local anttkg store to an external triple store.

One Graph Store Protocol PUT per named graph (every article graph, and the ontology graph): a PUT
replaces the graph, so loading twice never duplicates. Graphs go in batches; after each batch a
checkpoint line per uploaded graph is appended to ``STORE/loads/<endpoint key>.log``, so a re-run
after a failure skips what already arrived intact (same payload digest *and* the same triple count
read back from the remote) and sends the rest. Graphs this store loaded before but no longer holds
(removed articles) are deleted remotely. At the end the remote per-graph counts (SPARQL COUNT) are
summed and must equal the local count, or LoadVerificationError says which graphs differ.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import remote
from .rdf import iri as iri_term
from .vocab import ID

ONTOLOGY_GRAPH = ID + "graph/ontology"
CHECKPOINT_DIR = "loads"
_SHOWN_DIFFERENCES = 5


class LoadError(remote.RemoteError):
    """The load stopped before every graph arrived; running it again resumes."""


class LoadVerificationError(LoadError):
    """Everything was sent but the remote counts differ from the local ones."""


@dataclass(frozen=True)
class LoadResult:
    graphs: int  # named graphs in the local store (articles + ontology)
    local_triples: int  # triples in those graphs locally
    remote_triples: int  # triples in those graphs read back from the endpoint
    uploaded: int = 0  # graphs sent this run
    skipped: int = 0  # graphs already there intact from an earlier run
    removed: int = 0  # graphs deleted remotely because the local store no longer has them


@dataclass(frozen=True)
class LocalGraph:
    iri: str
    ntriples: bytes  # sorted, one triple per line, '\n' terminated
    triples: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.ntriples).hexdigest()


# --- reading the local store ----------------------------------------------------------------------

def _strip_graph(nquads: bytes, graph_iri: str) -> bytes:
    """N-Triples from canonical N-Quads of one graph (every line ends with `` <graph> .``)."""
    # Literals never hold a raw newline in N-Quads, so this suffix can only be the graph term.
    return nquads.replace(f" {iri_term(graph_iri)} .\n".encode("utf-8"), b" .\n")


def _from_lines(graph_iri: str, ntriples: bytes) -> LocalGraph:
    lines = sorted(set(line for line in ntriples.split(b"\n") if line.strip()))
    body = b"\n".join(lines) + b"\n" if lines else b""
    return LocalGraph(graph_iri, body, len(lines))


GraphSource = tuple[str, Callable[[], LocalGraph]]  # graph IRI, and how to read it when its turn comes


@contextmanager
def local_graph_sources(store_path: Path) -> Iterator[list[GraphSource]]:
    """Every named graph of the store at ``store_path``, sorted by IRI, each read only on demand
    (a large store is never held in memory whole). The store stays open (shared lock) meanwhile."""
    store_path = Path(store_path)
    try:
        from .store import GraphStore, is_store
    except ImportError:  # the store module is optional here: plain pyoxigraph folders load too
        GraphStore = None
    if GraphStore is not None and is_store(store_path):
        with GraphStore(store_path, read_only=True) as store:
            yield _graphstore_sources(store)
        return
    import pyoxigraph as ox

    data = store_path / "oxigraph"
    if not data.is_dir():
        raise LoadError(f"no anttkg store at {store_path} (expected {data}); build one first")
    oxigraph = ox.Store.read_only(str(data))
    yield _dump_sources(oxigraph, skip=set())


def _graphstore_sources(store) -> list[GraphSource]:
    """Articles from the manifest's N-Quads copies (the fast path), the ontology, and any other
    named graph of the dataset."""
    sources: list[GraphSource] = []
    for entry in store.entries():
        def read(article_id=entry.article_id, graph_iri=entry.graph_iri) -> LocalGraph:
            nquads = store.article_graph_nquads(article_id) or b""
            return _from_lines(graph_iri, _strip_graph(nquads, graph_iri))
        sources.append((entry.graph_iri, read))
    import pyoxigraph as ox

    covered = {iri for iri, _ in sources}
    if store.oxigraph.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH)):
        sources.append((ONTOLOGY_GRAPH, lambda: _from_lines(
            ONTOLOGY_GRAPH, _strip_graph(store.ontology_nquads(), ONTOLOGY_GRAPH))))
        covered.add(ONTOLOGY_GRAPH)
    sources.extend(_dump_sources(store.oxigraph, skip=covered))
    return sorted(sources, key=lambda source: source[0])


def _dump_sources(store, skip: set[str]) -> list[GraphSource]:
    import pyoxigraph as ox

    def read(name: str) -> LocalGraph:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        return _from_lines(name, data)

    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return [(name, lambda name=name: read(name)) for name in names if name not in skip]


# --- checkpoint -----------------------------------------------------------------------------------

def _checkpoint_path(store_path: Path, endpoint: str) -> Path:
    # Keyed by the SPARQL endpoint alone: it names the dataset; the Graph Store URL is only the way in.
    key = hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:16]
    return Path(store_path) / CHECKPOINT_DIR / f"{key}.log"


def _read_checkpoint(path: Path) -> dict[str, str]:
    """graph IRI -> digest of what was last PUT there (a later line wins; '-' marks a deletion)."""
    state: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                digest, _, graph = line.rstrip("\n").partition(" ")
                if graph and (len(digest) == 64 or digest == "-"):
                    state[graph] = digest
    except FileNotFoundError:
        pass
    except OSError:
        return {}
    return {graph: digest for graph, digest in state.items() if digest != "-"}


class _Checkpoint:
    """Append-only record of graphs that arrived; failures to write it only cost resumability."""

    def __init__(self, path: Path, header: dict[str, str]):
        self.path = path
        self.header = header
        self.enabled = True

    def append(self, entries: list[tuple[str, str]]) -> None:
        if not self.enabled or not entries:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists()
            with open(self.path, "a", encoding="utf-8") as handle:
                if new:
                    handle.write("# " + json.dumps(self.header, sort_keys=True) + "\n")
                handle.writelines(f"{digest} {graph}\n" for graph, digest in entries)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            self.enabled = False

    def compact(self, state: dict[str, str]) -> None:
        """Rewrite as one line per graph now loaded."""
        if not self.enabled:
            return
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write("# " + json.dumps(self.header, sort_keys=True) + "\n")
                handle.writelines(f"{state[g]} {g}\n" for g in sorted(state))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except OSError:
            self.enabled = False


# --- remote counts --------------------------------------------------------------------------------

_FEW_GRAPHS = 20  # up to this many graphs are counted with one VALUES query
_COUNT_PAGE = 10000  # Virtuoso's stock ResultSetMaxRows: larger pages would be cut silently


def remote_graph_counts(endpoint: str, graph_iris: list[str], *, timeout: float = 120.0,
                        retry: remote.RetryPolicy | None = None) -> dict[str, int]:
    """Triples per graph at ``endpoint`` for the given graphs (absent graphs count 0).

    Few graphs: one query over just those. Many: one grouped count over every graph of the store,
    read in pages; stores answer that from their graph index far faster than a long VALUES list.
    """
    counts = dict.fromkeys(graph_iris, 0)
    if not graph_iris:
        return counts
    if len(graph_iris) <= _FEW_GRAPHS:
        values = " ".join(iri_term(g) for g in graph_iris)
        query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                 "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        pages = [remote.select(endpoint, query, timeout=timeout, retry=retry).rows]
    else:
        pages = _all_graph_counts(endpoint, timeout, retry)
    for rows in pages:
        for graph, number in rows:
            if graph in counts and number is not None:
                counts[graph] = int(float(number))
    return counts


def _all_graph_counts(endpoint: str, timeout: float, retry: remote.RetryPolicy | None) -> Iterator[list]:
    offset = 0
    previous_first = None
    while True:
        query = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g "
                 f"LIMIT {_COUNT_PAGE} OFFSET {offset}")
        rows = remote.select(endpoint, query, timeout=timeout, retry=retry).rows
        if not rows or (rows[0][0] == previous_first):
            return  # done, or a store that ignores OFFSET: stop rather than loop
        yield rows
        if len(rows) < _COUNT_PAGE:
            return
        previous_first = rows[0][0]
        offset += len(rows)


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- the load -------------------------------------------------------------------------------------

def load_to_endpoint(store_path: Path, endpoint: str, *, graph_store: str | None = None,
                     batch_size: int = 200, progress: Callable[[int, int], None] | None = None,
                     resume: bool = True, workers: int = 4, timeout: float = 120.0,
                     retry: remote.RetryPolicy | None = None) -> LoadResult:
    """Load every named graph of the local store into ``endpoint`` / ``graph_store``.

    ``endpoint`` is the SPARQL query URL (for the count read back); ``graph_store`` the Graph Store
    Protocol URL (guessed for Oxigraph, Virtuoso, Fuseki and GraphDB when not given). ``resume``
    False sends every graph again. ``progress(done, total)`` is called after each batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    endpoint = remote.check_url(endpoint)
    graph_store = remote.check_url(graph_store) if graph_store else remote.guess_graph_store(endpoint)
    client = remote.GraphStoreClient(graph_store, timeout=timeout, retry=retry)

    with local_graph_sources(Path(store_path)) as sources:
        return _load(sources, endpoint, graph_store, client, Path(store_path), batch_size=batch_size,
                     progress=progress, resume=resume, workers=workers, timeout=timeout, retry=retry)


def _load(sources: list[GraphSource], endpoint: str, graph_store: str, client: remote.GraphStoreClient,
          store_path: Path, *, batch_size: int, progress, resume: bool, workers: int, timeout: float,
          retry: remote.RetryPolicy | None) -> LoadResult:
    total = len(sources)
    local_iris = [iri for iri, _ in sources]
    local_counts: dict[str, int] = {}
    digests: dict[str, str] = {}

    checkpoint = _Checkpoint(
        _checkpoint_path(store_path, remote.public_url(endpoint)),
        {"endpoint": remote.public_url(endpoint), "graph_store": remote.public_url(graph_store)})
    loaded = _read_checkpoint(checkpoint.path)

    removed = 0
    present = set(local_iris)
    gone = sorted(g for g in loaded if g not in present)
    for graph in gone:
        try:
            client.delete(graph)
        except remote.RemoteError as err:
            raise LoadError(f"removing graph {graph} (no longer in the local store): {err}") from None
        removed += 1
    if gone:
        checkpoint.append([(g, "-") for g in gone])
        for graph in gone:
            loaded.pop(graph, None)

    uploaded = skipped = done = 0
    before: dict[str, int] = {}
    if resume and any(iri in loaded for iri in local_iris):
        before = _counts_or_fail(endpoint, local_iris, timeout, retry, 0, total)
    if progress:
        progress(0, total)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for batch_sources in _batches(sources, batch_size):
            batch = [read() for _, read in batch_sources]
            for graph in batch:
                local_counts[graph.iri] = graph.triples
                digests[graph.iri] = graph.digest
            to_send = batch
            if before:
                # Sent before with this very content, and the remote count still agrees.
                to_send = [g for g in batch
                           if not (loaded.get(g.iri) == g.digest and before.get(g.iri) == g.triples)]
                skipped += len(batch) - len(to_send)
            sent: list[tuple[str, str]] = []
            failure: Exception | None = None
            stop = threading.Event()
            futures = [(g, pool.submit(_put_unless_stopped, client, g, stop)) for g in to_send]
            for graph, future in futures:
                try:
                    if future.result():
                        sent.append((graph.iri, graph.digest))
                except remote.RemoteError as err:
                    failure = failure or err
            checkpoint.append(sent)
            loaded.update(sent)
            uploaded += len(sent)
            if failure is not None:
                raise LoadError(
                    f"load into {remote.public_url(graph_store)} stopped: {failure} "
                    f"({done + len(batch) - (len(to_send) - len(sent))} of {total} graphs in place; "
                    "run the load again to resume)") from None
            done += len(batch)
            if progress:
                progress(done, total)

    local_triples = sum(local_counts.values())
    remote_counts = _counts_or_fail(endpoint, local_iris, timeout, retry, done, total)
    remote_triples = sum(remote_counts.values())
    differing = [iri for iri in local_iris if remote_counts.get(iri, 0) != local_counts[iri]]
    if differing or remote_triples != local_triples:
        shown = ", ".join(f"{iri} (local {local_counts[iri]}, remote {remote_counts.get(iri, 0)})"
                          for iri in differing[:_SHOWN_DIFFERENCES])
        more = f" and {len(differing) - _SHOWN_DIFFERENCES} more" if len(differing) > _SHOWN_DIFFERENCES else ""
        # Do not vouch for graphs that did not arrive intact: the next run sends them again.
        for iri in differing:
            loaded.pop(iri, None)
        checkpoint.compact(loaded)
        raise LoadVerificationError(
            f"{remote.public_url(endpoint)} holds {remote_triples} triples in the {total} loaded graphs, "
            f"the local store {local_triples}; {len(differing)} graph(s) differ: {shown}{more}")
    checkpoint.compact(digests)
    return LoadResult(graphs=total, local_triples=local_triples, remote_triples=remote_triples,
                      uploaded=uploaded, skipped=skipped, removed=removed)


def _put_unless_stopped(client: remote.GraphStoreClient, graph: LocalGraph, stop: threading.Event) -> bool:
    """PUT one graph; once any PUT of the batch has failed, the others are not attempted."""
    if stop.is_set():
        return False
    try:
        client.put(graph.iri, graph.ntriples)
    except BaseException:
        stop.set()
        raise
    return True


def _counts_or_fail(endpoint: str, graph_iris: list[str], timeout: float,
                    retry: remote.RetryPolicy | None, done: int, total: int) -> dict[str, int]:
    try:
        return remote_graph_counts(endpoint, graph_iris, timeout=timeout, retry=retry)
    except remote.RemoteError as err:
        raise LoadError(f"reading counts back from {remote.public_url(endpoint)} failed: {err} "
                        f"({done} of {total} graphs in place; run the load again to resume)") from None


# --- bulk loading into Virtuoso -------------------------------------------------------------------

ISQL_BINARIES = ("isql-vt", "isql")  # Debian names Virtuoso's isql isql-vt
_DELETE_BATCH = 500  # graph IRIs per DELETE statement


@dataclass(frozen=True)
class VirtuosoBulk:
    """How to reach Virtuoso's bulk loader: its SQL server (``host:port``, e.g. ``127.0.0.1:1111``) through
    isql, and a folder the server may read (listed in ``DirsAllowed`` of its virtuoso.ini) that this
    machine writes to at the same path (the server's own disk, or a mount shared with it)."""

    isql: str
    folder: Path
    shards: int = 4  # N-Quads files written for the loaders
    loaders: int = 2  # rdf_loader_run() sessions in parallel (Virtuoso's advice: up to cores / 2.5)
    isql_binary: str | None = None


def _isql_binary(configured: str | None) -> str:
    import shutil

    for name in ([configured] if configured else ISQL_BINARIES):
        found = shutil.which(name)
        if found:
            return found
    raise LoadError("Virtuoso's isql is not installed (Debian package virtuoso-opensource-7-bin: isql-vt); "
                    "bulk loading needs it")


def _sql_string(value: str) -> str:
    if "\\" in value or "\n" in value:
        raise LoadError(f"cannot pass {value!r} to Virtuoso SQL (backslash or line break)")
    return "'" + value.replace("'", "''") + "'"


class _Isql:
    """Runs SQL scripts through Virtuoso's isql. The password goes on isql's command line (isql takes it
    nowhere else); it never appears in a message."""

    def __init__(self, bulk: VirtuosoBulk, credentials: remote.Credentials):
        self.binary = _isql_binary(bulk.isql_binary)
        self.address, self.credentials = bulk.isql, credentials

    def _redact(self, text: str) -> str:
        return text.replace(self.credentials.password, "***") if self.credentials.password else text

    def start(self, script: Path):
        import subprocess

        return subprocess.Popen([self.binary, self.address, self.credentials.user, self.credentials.password,
                                 str(script)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")

    def finish(self, process, what: str) -> str:
        output, _ = process.communicate()
        output = self._redact(output)
        errors = [line for line in output.splitlines() if line.startswith("*** Error")]
        if process.returncode != 0 or errors:
            detail = errors[0] if errors else (output.strip().splitlines() or ["no output"])[-1]
            raise LoadError(f"Virtuoso isql at {self.address} failed ({what}): {detail}")
        return output

    def run(self, script: Path, what: str) -> str:
        return self.finish(self.start(script), what)


def _write_bulk_shards(sources: list[GraphSource], paths: list[Path]) -> tuple[dict[str, int], dict[str, str]]:
    """Every graph as N-Quads into ``paths`` (contiguous runs of about equal graph counts); returns the
    local triple count and digest per graph."""
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    per_shard = -(-len(sources) // len(paths)) if sources else 1
    for index, path in enumerate(paths):
        partial = path.with_name(path.name + ".partial")
        with open(partial, "wb") as out:
            for graph_iri, read in sources[index * per_shard:(index + 1) * per_shard]:
                graph = read()
                counts[graph.iri], digests[graph.iri] = graph.triples, graph.digest
                suffix = f" {iri_term(graph.iri)} .".encode("utf-8")
                out.writelines(line[:-2] + suffix + b"\n"  # "s p o ." -> "s p o <g> ."
                               for line in graph.ntriples.split(b"\n") if line)
        os.replace(partial, path)
    return counts, digests


def _delete_graphs_sql(graph_iris: list[str]) -> list[str]:
    statements = []
    for start in range(0, len(graph_iris), _DELETE_BATCH):
        batch = graph_iris[start:start + _DELETE_BATCH]
        ids = ", ".join(f"iri_to_id({_sql_string(g)}, 0)" for g in batch)
        statements.append(f"DELETE FROM DB.DBA.RDF_QUAD WHERE G IN ({ids});")
    return statements


def bulk_load_virtuoso(store_path: Path, endpoint: str, bulk: VirtuosoBulk, *,
                       progress: Callable[[int, int], None] | None = None, timeout: float = 120.0,
                       retry: remote.RetryPolicy | None = None) -> LoadResult:
    """Load every named graph of the local store into Virtuoso with its bulk loader.

    Writes the graphs as N-Quads files into ``bulk.folder``, then through isql: deletes the graphs being
    replaced (and those this store loaded before but no longer holds), ``ld_dir`` + ``rdf_loader_run``
    (``bulk.loaders`` in parallel), ``checkpoint``. Counts are read back over SPARQL at ``endpoint`` and
    must equal the local ones, as for the Graph Store Protocol load (whose record it shares, so either way
    of loading knows what the other loaded). Credentials: ANTTKG_ENDPOINT_USER / ANTTKG_ENDPOINT_PASSWORD."""
    if bulk.shards < 1 or bulk.loaders < 1:
        raise ValueError("shards and loaders must be at least 1")
    endpoint = remote.check_url(endpoint)
    credentials = remote.credentials_from_env()
    if credentials is None:
        raise LoadError(f"bulk loading through isql needs a Virtuoso user: set {remote.USER_ENV} and "
                        f"{remote.PASSWORD_ENV}")
    isql = _Isql(bulk, credentials)
    folder = Path(bulk.folder).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise LoadError(f"cannot create the bulk-load folder {folder}: {err.strerror}") from None
    store_path = Path(store_path)
    public = remote.public_url(endpoint)
    checkpoint = _Checkpoint(_checkpoint_path(store_path, public), {"endpoint": public, "bulk": "virtuoso"})
    key = checkpoint.path.stem
    mask = f"anttkg-{key}.*.nq"
    paths = [folder / f"anttkg-{key}.{n:04d}.nq" for n in range(1, bulk.shards + 1)]
    scripts: list[Path] = []

    def script(name: str, statements: list[str]) -> Path:
        path = folder / f"anttkg-{key}.{name}.sql"
        path.write_text("\n".join(statements) + "\n", encoding="utf-8")
        scripts.append(path)
        return path

    with local_graph_sources(store_path) as sources:
        total = len(sources)
        if progress:
            progress(0, total)
        try:
            local_counts, digests = _write_bulk_shards(sources, paths)
            loaded = _read_checkpoint(checkpoint.path)
            gone = sorted(g for g in loaded if g not in local_counts)
            folder_sql = _sql_string(str(folder))
            prepare = ["log_enable(3, 1);"]
            prepare += _delete_graphs_sql(sorted(local_counts) + gone)
            prepare += [f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {_sql_string(str(folder) + '/anttkg-' + key + '.%')};",
                        f"ld_dir({folder_sql}, {_sql_string(mask)}, {_sql_string(ID + 'graph/default')});"]
            isql.run(script("prepare", prepare), "deleting the old graphs and listing the files")
            loader = script("load", ["rdf_loader_run();"])
            running = [isql.start(loader) for _ in range(min(bulk.loaders, bulk.shards))]
            for process in running:
                isql.finish(process, "rdf_loader_run")
            like = _sql_string(str(folder) + "/anttkg-" + key + ".%")
            output = isql.run(script("finish", [
                "checkpoint;",
                f"SELECT 'anttkg-failed', ll_file, ll_error FROM DB.DBA.load_list WHERE ll_file LIKE {like} "
                "AND (ll_state <> 2 OR ll_error IS NOT NULL);"]), "checkpoint")
        finally:
            for path in paths + scripts:
                path.unlink(missing_ok=True)
        failed = [line.split(None, 1)[-1].strip() for line in output.splitlines()
                  if line.startswith("anttkg-failed")]
        if failed:
            raise LoadError(f"Virtuoso's bulk loader could not load {len(failed)} file(s): {failed[0]}")
        if gone:
            checkpoint.append([(g, "-") for g in gone])
        if progress:
            progress(total, total)
        local_iris = sorted(local_counts)
        remote_counts = _counts_or_fail(endpoint, local_iris, timeout, retry, total, total)
    local_triples = sum(local_counts.values())
    remote_triples = sum(remote_counts.get(g, 0) for g in local_iris)
    differing = [g for g in local_iris if remote_counts.get(g, 0) != local_counts[g]]
    if differing:
        shown = ", ".join(f"{g} (local {local_counts[g]}, remote {remote_counts.get(g, 0)})"
                          for g in differing[:_SHOWN_DIFFERENCES])
        checkpoint.compact({g: d for g, d in digests.items() if g not in set(differing)})
        raise LoadVerificationError(
            f"{public} holds {remote_triples} triples in the {total} bulk-loaded graphs, the local store "
            f"{local_triples}; {len(differing)} graph(s) differ: {shown}")
    checkpoint.compact(digests)
    return LoadResult(graphs=total, local_triples=local_triples, remote_triples=remote_triples,
                      uploaded=total, skipped=0, removed=len(gone))
