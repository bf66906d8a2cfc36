"""Loading into real triple stores on 127.0.0.1: the Oxigraph server (PyPI) and Virtuoso (Debian).

Per server: the five sample articles (and a 2,000-article slice of the shared corpus) are built into
a local store and loaded; counts read back equal the local ones, loading again changes nothing, the
contract queries give the same rows locally and remotely, a server that answers 503 or
stalls mid-load is retried and then reported clearly, and a re-run completes the load.
Servers that cannot run here skip with the reason (scripts/install-servers.sh installs them).
"""
from __future__ import annotations

import gzip
import http.client
import shutil
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from anttkg import remote
from anttkg.load import LoadError, LoadVerificationError, load_to_endpoint
from anttkg.query import run_query
from anttkg.vocab import ID

import triplestore_servers as servers

# Starting the servers and loading take tens of seconds even for the five sample articles.
# Debian's Virtuoso 7.2 has aborted mid-load in this suite ("double free or corruption", once in many runs, not
# reproducible alone): a test that saw the server go away is run again on a restarted server.
pytestmark = [pytest.mark.server, pytest.mark.slow,
              pytest.mark.flaky(reruns=2, only_rerun=["Connection refused", "ConnectError"])]

CONTRACT_QUERIES = ("people", "organizations", "events", "documents", "programs", "awards", "places",
                    "articles", "figures")
CORPUS_SLICE = 2000
QUICK = remote.RetryPolicy(attempts=3, initial_delay=0.05, max_delay=0.2, total_seconds=20)


# --- fixtures -------------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=sorted(servers.STARTERS))
def server(request, tmp_path_factory):
    try:
        srv = servers.STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    except servers.ServerUnavailable as err:
        pytest.skip(f"{request.param} server unavailable: {err}")
    yield srv
    srv.stop()


@pytest.fixture
def target(server, monkeypatch, tmp_path_factory):
    """The server with its credentials in the environment and none of our graphs in it; a server that died
    (see pytestmark) is started again first."""
    if server.process.poll() is not None:
        restarted = servers.STARTERS[server.name](tmp_path_factory.mktemp(server.name))
        vars(server).update(vars(restarted))
    monkeypatch.delenv(remote.USER_ENV, raising=False)
    monkeypatch.delenv(remote.PASSWORD_ENV, raising=False)
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    clear_our_graphs(server)
    return server


@pytest.fixture(scope="module")
def seed_store(sample_dir, tmp_path_factory) -> Path:
    files = sorted(sample_dir.glob("*.txt"))
    assert files, "data/ holds the sample articles"
    return servers.build_store(files, tmp_path_factory.mktemp("seed") / "store")


@pytest.fixture(scope="module")
def corpus_store(shared_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    source = folder / "slice.jsonl"
    with gzip.open(shared_dir / "corpus" / "baomoi.jsonl.gz", "rt", encoding="utf-8") as lines, \
            open(source, "w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if number >= CORPUS_SLICE:
                break
            out.write(line)
    return servers.build_store([source], folder / "store")


# --- helpers --------------------------------------------------------------------------------------

def clear_our_graphs(server: servers.Server) -> None:
    """Drop every anttkg graph (never the store's own system graphs)."""
    result = remote.select(server.endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    client = remote.GraphStoreClient(server.graph_store)
    for (graph,) in result.rows:
        if graph and graph.startswith(ID):
            client.delete(graph)


def local_counts(store_path: Path) -> dict[str, int]:
    """Triples per named graph, read with pyoxigraph directly (independent of anttkg.load)."""
    store = ox.Store.read_only(str(store_path / "oxigraph"))
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {row["g"].value: int(row["n"].value) for row in store.query(query)}
    del store
    return counts


def remote_counts(server: servers.Server) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = remote.select(server.endpoint, query).rows
    return {g: int(n) for g, n in rows if g.startswith(ID)}


def rows_key(rows):
    """Rows as a sorted list: stores may order ties (and unbound values) differently."""
    return sorted(tuple("" if v is None else v for v in row) for row in rows)


def assert_same_query_results(store_path: Path, server: servers.Server) -> int:
    """Every contract query gives the same rows locally and remotely; returns the total row count."""
    total = 0
    for name in CONTRACT_QUERIES:
        local = run_query(name, store_path=store_path)
        far = run_query(name, endpoint=server.endpoint)
        assert far.columns == local.columns, name
        assert rows_key(far.rows) == rows_key(local.rows), f"query {name} differs on {server.name}"
        total += len(local.rows)
    return total


def load(server: servers.Server, store_path: Path, **options):
    return load_to_endpoint(store_path, server.endpoint, graph_store=server.graph_store, **options)


# --- a proxy that fails on purpose ----------------------------------------------------------------

class FaultyProxy:
    """Forwards to ``upstream`` (on 127.0.0.1); ``fault(n)`` decides for the n-th PUT (1-based):
    None to forward, an int status to answer with, or "stall" to hang past the client's timeout.
    With ``needs_auth`` only PUTs carrying credentials are counted (the unauthenticated first
    request of a Digest exchange is just forwarded for its challenge)."""

    def __init__(self, upstream: str, fault: Callable[[int], object], stall_seconds: float = 3.0,
                 needs_auth: bool = False):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.fault = fault
        self.stall_seconds = stall_seconds
        self.puts = 0
        self.faults = 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                decision = None
                if self.command == "PUT" and (not needs_auth or self.headers.get("Authorization")):
                    with proxy.lock:
                        proxy.puts += 1
                        decision = proxy.fault(proxy.puts)
                        if decision is not None:
                            proxy.faults += 1
                if decision == "stall":
                    time.sleep(proxy.stall_seconds)
                    return  # close without answering
                if isinstance(decision, int):
                    self.send_response(decision)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                connection = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port,
                                                        timeout=60)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "connection", "content-length")}
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                payload = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                connection.close()

            do_GET = do_PUT = do_POST = do_DELETE = _forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        port = self.httpd.server_address[1]
        self.url = urllib.parse.urlunsplit(
            ("http", f"127.0.0.1:{port}", self.upstream.path, self.upstream.query, ""))

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# --- tests: sample articles -----------------------------------------------------------------------

def test_seed_load_matches_local_counts_and_reloading_changes_nothing(target, seed_store):
    expected = local_counts(seed_store)
    assert len(expected) >= 5  # five articles (+ the ontology graph when the build loads it)
    seen: list[tuple[int, int]] = []
    result = load(target, seed_store, batch_size=2, progress=lambda done, total: seen.append((done, total)))
    assert result.graphs == len(expected)
    assert result.local_triples == result.remote_triples == sum(expected.values())
    assert remote_counts(target) == expected
    assert seen[0] == (0, len(expected)) and seen[-1] == (len(expected), len(expected))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    again = load(target, seed_store)
    assert again.skipped == len(expected) and again.uploaded == 0
    assert remote_counts(target) == expected

    forced = load(target, seed_store, resume=False)
    assert forced.uploaded == len(expected)
    assert remote_counts(target) == expected


def test_seed_contract_queries_agree_locally_and_remotely(target, seed_store):
    load(target, seed_store)
    assert assert_same_query_results(seed_store, target) > 0


def test_graph_content_round_trips(target, seed_store):
    """What a GET of each loaded graph returns is, triple for triple, what the local store holds."""
    load(target, seed_store)
    local = ox.Store.read_only(str(seed_store / "oxigraph"))
    client = remote.GraphStoreClient(target.graph_store)
    article_graphs = sorted(g.value for g in local.named_graphs() if "/article/" in g.value)
    assert article_graphs
    for graph in article_graphs:
        mine = {str(q.triple) for q in local.quads_for_pattern(None, None, None, ox.NamedNode(graph))}
        text = client.get(graph)
        assert text is not None, graph
        theirs = {str(t) for t in ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE)}
        assert theirs == mine, graph
    del local


def test_a_plain_pyoxigraph_folder_loads_too(target, tmp_path):
    """A store folder holding only ``oxigraph/`` (no manifest) is read graph by graph."""
    folder = tmp_path / "plain"
    (folder / "oxigraph").mkdir(parents=True)
    store = ox.Store(str(folder / "oxigraph"))
    graphs = [f"{ID}article/plain-{n}" for n in (1, 2)]
    for n, graph in enumerate(graphs, 1):
        name = ox.NamedNode(graph)
        store.add(ox.Quad(ox.NamedNode(f"{ID}person/p{n}"), ox.NamedNode("https://schema.org/name"),
                          ox.Literal(f"Nguyễn Văn {n}"), name))
        store.add(ox.Quad(ox.NamedNode(f"{ID}person/p{n}"), ox.NamedNode("https://schema.org/note"),
                          ox.Literal('dòng "một"\ndòng hai', language="vi"), name))
    store.flush()
    del store
    result = load(target, folder)
    assert result.graphs == 2 and result.local_triples == result.remote_triples == 4
    assert remote_counts(target) == dict.fromkeys(graphs, 2)


def test_a_damaged_remote_graph_is_noticed_and_repaired(target, seed_store):
    expected = local_counts(seed_store)
    load(target, seed_store)
    client = remote.GraphStoreClient(target.graph_store)
    article_graphs = sorted(g for g in expected if "/article/" in g)
    client.delete(article_graphs[0])
    client.put(article_graphs[1], f"<{ID}x> <{ID}y> \"stray\" .\n")
    repaired = load(target, seed_store)
    assert repaired.uploaded == 2 and repaired.skipped == len(expected) - 2
    assert remote_counts(target) == expected


def test_an_article_removed_locally_is_removed_remotely(target, seed_store, tmp_path):
    store_module = pytest.importorskip("anttkg.store")
    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    load(target, copy)
    with store_module.GraphStore(copy) as store:
        entry = next(iter(store.entries()))
        assert store.remove_article(entry.article_id)
    expected = local_counts(copy)
    assert entry.graph_iri not in expected
    result = load(target, copy)
    assert result.removed == 1 and result.uploaded == 0
    assert remote_counts(target) == expected


def test_a_failing_server_is_retried_and_the_load_still_completes(target, seed_store):
    expected = local_counts(seed_store)
    # PUTs 2 and 3 get a 503 (the second graph is retried twice), PUT 5 stalls past the timeout.
    proxy = FaultyProxy(target.graph_store, needs_auth=target.user is not None,
                        fault=lambda n: 503 if n in (2, 3) else ("stall" if n == 5 else None),
                        stall_seconds=2.0)
    try:
        result = load_to_endpoint(seed_store, target.endpoint, graph_store=proxy.url, workers=1,
                                  retry=QUICK, timeout=0.5)
    finally:
        proxy.close()
    assert proxy.faults == 3
    assert result.uploaded == len(expected)
    assert remote_counts(target) == expected


def test_a_server_that_keeps_failing_gives_a_clear_error_and_a_rerun_completes(target, seed_store):
    expected = local_counts(seed_store)
    proxy = FaultyProxy(target.graph_store, needs_auth=target.user is not None, fault=lambda n: 503 if n > 2 else None)
    try:
        with pytest.raises(LoadError) as caught:
            load_to_endpoint(seed_store, target.endpoint, graph_store=proxy.url, workers=1,
                             batch_size=1, retry=QUICK)
    finally:
        proxy.close()
    message = str(caught.value)
    assert "HTTP 503" in message and "run the load again" in message and proxy.url in message
    assert "2 of" in message  # the two graphs that arrived before the failures began
    assert target.password is None or target.password not in message.replace(proxy.url, "")
    partial = remote_counts(target)
    assert 0 < len(partial) < len(expected)

    resumed = load(target, seed_store)
    assert resumed.skipped == 2 and resumed.uploaded == len(expected) - 2
    assert remote_counts(target) == expected


def test_a_stalling_server_gives_a_clear_error(target, seed_store):
    proxy = FaultyProxy(target.graph_store, needs_auth=target.user is not None, fault=lambda n: "stall", stall_seconds=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(LoadError, match="no answer within 0.3 s"):
            load_to_endpoint(seed_store, target.endpoint, graph_store=proxy.url, workers=1,
                             retry=remote.RetryPolicy(attempts=2, initial_delay=0.05, total_seconds=5),
                             timeout=0.3)
    finally:
        proxy.close()
    assert time.monotonic() - started < 20


def test_a_count_mismatch_is_an_error(target, seed_store, monkeypatch):
    """A store that silently drops data must not pass: simulate one by answering PUTs with 204
    without storing anything."""
    proxy = FaultyProxy(target.graph_store, needs_auth=target.user is not None, fault=lambda n: 204)
    try:
        with pytest.raises(LoadVerificationError, match="graph\\(s\\) differ"):
            load_to_endpoint(seed_store, target.endpoint, graph_store=proxy.url, retry=QUICK)
    finally:
        proxy.close()


# --- tests: a slice of the real corpus ------------------------------------------------------------

def test_corpus_slice_loads_with_equal_counts_and_equal_query_results(target, corpus_store):
    expected = local_counts(corpus_store)
    assert len(expected) > CORPUS_SLICE // 2
    result = load(target, corpus_store)
    assert result.local_triples == result.remote_triples == sum(expected.values())
    assert remote_counts(target) == expected
    again = load(target, corpus_store)
    assert again.uploaded == 0
    assert remote_counts(target) == expected
    assert assert_same_query_results(corpus_store, target) > CORPUS_SLICE
