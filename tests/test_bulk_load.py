"""Virtuoso's bulk loader (ld_dir / rdf_loader_run / checkpoint through Debian's isql-vt) against a real
Virtuoso on 127.0.0.1 whose DirsAllowed lists the test's folder: `anttkg load --bulk-isql` and the
documented manual steps over `anttkg export --shards` both give the local store's counts, graph by graph;
a second load replaces rather than duplicates and removes what the store no longer holds."""
from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from anttkg import remote
from anttkg.cli import cli
from anttkg.export import export_shards
from anttkg.load import LoadError, VirtuosoBulk, bulk_load_virtuoso, load_to_endpoint
from anttkg.query import run_query
from anttkg.store import GraphStore
from anttkg.vocab import ID

import triplestore_servers as servers

pytestmark = [pytest.mark.server, pytest.mark.slow]
CORPUS_SLICE = 1000


@pytest.fixture(scope="module")
def bulk_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bulk").resolve()


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, bulk_folder):
    if shutil.which("isql-vt") is None and shutil.which("isql") is None:
        pytest.skip("Virtuoso's isql-vt is not installed (scripts/install-servers.sh)")
    try:
        server = servers.start_virtuoso(tmp_path_factory.mktemp("virtuoso"), dirs_allowed=(bulk_folder,))
    except servers.ServerUnavailable as err:
        pytest.skip(f"virtuoso server unavailable: {err}")
    yield server
    server.stop()


@pytest.fixture
def target(virtuoso, monkeypatch):
    """The server with its credentials in the environment and none of our graphs in it."""
    for name, value in virtuoso.env.items():
        monkeypatch.setenv(name, value)
    client = remote.GraphStoreClient(virtuoso.graph_store)
    for (graph,) in remote.select(virtuoso.endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows:
        if graph and graph.startswith(ID):
            client.delete(graph)
    return virtuoso


@pytest.fixture
def seed_store(sample_dir, tmp_path) -> Path:
    return servers.build_store(sorted(sample_dir.glob("*.txt")), tmp_path / "store")


def local_counts(store_path: Path) -> dict[str, int]:
    """Triples per named graph, read with pyoxigraph directly (independent of anttkg.load)."""
    store = ox.Store.read_only(str(store_path / "oxigraph"))
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {row["g"].value: int(row["n"].value) for row in store.query(query)}
    del store
    return counts


def remote_counts(server) -> dict[str, int]:
    rows = remote.select(server.endpoint,
                         "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
    return {g: int(n) for g, n in rows if g.startswith(ID)}


def rows_key(rows):
    """Stores may order ties differently, and Virtuoso gives an empty GROUP_CONCAT where Oxigraph has none."""
    return sorted(tuple("" if v is None else v for v in row) for row in rows)


def bulk(server, folder: Path) -> VirtuosoBulk:
    return VirtuosoBulk(server.sql_address, folder, shards=3, loaders=2)


def test_bulk_load_gives_the_local_counts_and_rows(target, seed_store, bulk_folder):
    result = bulk_load_virtuoso(seed_store, target.endpoint, bulk(target, bulk_folder))
    expected = local_counts(seed_store)
    # five articles, the ontology, and who is who across them (one graph per name, docs/identity.md)
    assert sum(1 for g in expected if "/id/article/" in g) == 5 and ID + "graph/ontology" in expected
    assert result.graphs == len(expected)
    assert remote_counts(target) == expected
    assert result.local_triples == result.remote_triples == sum(expected.values())
    assert not list(bulk_folder.iterdir()), "the load's files and scripts are removed afterwards"
    for name in ("people", "organizations", "documents"):
        local = run_query(name, store_path=seed_store)
        far = run_query(name, endpoint=target.endpoint)
        assert rows_key(far.rows) == rows_key(local.rows), name

    # The Graph Store Protocol load shares the record: nothing needs sending again.
    again = load_to_endpoint(seed_store, target.endpoint, graph_store=target.graph_store)
    assert again.uploaded == 0 and again.skipped == len(expected)


def test_second_bulk_load_replaces_and_removes(target, seed_store, bulk_folder):
    bulk_load_virtuoso(seed_store, target.endpoint, bulk(target, bulk_folder))
    with GraphStore(seed_store) as store:
        gone = next(store.entries())
        store.remove_article(gone.article_id)
    result = bulk_load_virtuoso(seed_store, target.endpoint, bulk(target, bulk_folder))
    assert result.removed == 1
    counts = remote_counts(target)
    assert gone.graph_iri not in counts
    assert counts == local_counts(seed_store)  # replaced, not added to: every graph has its own count


def test_cli_bulk_load_and_a_wrong_password(target, seed_store, bulk_folder, monkeypatch):
    port = target.sql_address.rsplit(":", 1)[1]
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(seed_store), "load", "--endpoint", target.endpoint,
                                 "--bulk-isql", port, "--bulk-dir", str(bulk_folder)])
    assert result.exit_code == 0, result.output
    total = sum(local_counts(seed_store).values())
    assert f"{len(local_counts(seed_store))} graphs, {total} triples local, {total} triples remote" in result.output

    monkeypatch.setenv(remote.PASSWORD_ENV, "not-the-password")
    with pytest.raises(LoadError, match="isql") as failure:
        bulk_load_virtuoso(seed_store, target.endpoint, bulk(target, bulk_folder))
    assert "not-the-password" not in str(failure.value)
    monkeypatch.delenv(remote.USER_ENV)
    result = runner.invoke(cli, ["--store", str(seed_store), "load", "--endpoint", target.endpoint,
                                 "--bulk-isql", port, "--bulk-dir", str(bulk_folder)])
    assert result.exit_code == 1 and remote.USER_ENV in result.output


def test_documented_manual_bulk_load_of_export_shards(target, shared_dir, tmp_path, bulk_folder):
    """docs/triple-stores.md: `anttkg export --format nquads --shards N` into a DirsAllowed folder, then
    ld_dir, rdf_loader_run and checkpoint in isql-vt; on a slice of the shared corpus."""
    source = tmp_path / "slice.jsonl"
    with gzip.open(shared_dir / "corpus" / "baomoi.jsonl.gz", "rt", encoding="utf-8") as lines, \
            open(source, "w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if number >= CORPUS_SLICE:
                break
            out.write(line)
    store_path = servers.build_store([source], tmp_path / "store")
    folder = bulk_folder / "manual"
    folder.mkdir()
    with GraphStore(store_path, read_only=True) as store:
        shards = export_shards(store, folder / "anttkg.nq", 4, include_ontology=True)
    script = tmp_path / "load.sql"
    script.write_text(f"ld_dir('{folder}', 'anttkg.*.nq', '{ID}graph/default');\nrdf_loader_run();\n"
                      "checkpoint;\n", encoding="utf-8")
    isql = shutil.which("isql-vt") or shutil.which("isql")
    done = subprocess.run([isql, target.sql_address, servers.VIRTUOSO_USER, servers.VIRTUOSO_PASSWORD,
                           str(script)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "*** Error" not in done.stdout, done.stdout[-2000:]
    expected = local_counts(store_path)
    with GraphStore(store_path, read_only=True) as store:
        # the articles, the ontology, and the who-is-who graphs (graph/people/...)
        articles = sum(1 for g in expected if "/id/article/" in g)
        assert articles == store.article_count() and ID + "graph/ontology" in expected
    assert remote_counts(target) == expected
    assert sum(expected.values()) == shards.statements
    shutil.rmtree(folder)


def test_oxigraph_load_of_export_shards(sample_store, tmp_path):
    """docs/triple-stores.md: `oxigraph load --location DIR --file SHARDS...` (the PyPI server binary)."""
    binary = servers.oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    with GraphStore(sample_store, read_only=True) as store:
        shards = export_shards(store, tmp_path / "anttkg.nq", 3, include_ontology=True)
    location = tmp_path / "oxigraph"
    done = subprocess.run([binary, "load", "--location", str(location), "--file", *map(str, shards.paths)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = ox.Store.read_only(str(location))
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    counts = {row["g"].value: int(row["n"].value) for row in loaded.query(query)}
    del loaded
    assert counts == local_counts(sample_store)
