"""GraphStore: replace-by-graph loading, manifest, ontology, queries, locking."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pyoxigraph as ox
import pytest

from anttkg.store import (ONTOLOGY_GRAPH, GraphStore, StoredArticle, StoreLocked, StoreMissing,
                          canonical_graphs, canonical_nquads)

G1 = "https://w3id.org/anttkg/id/article/x1"
G2 = "https://w3id.org/anttkg/id/article/x2"
PERSON = "https://w3id.org/anttkg/id/person/tran-van-b"
NAME = "https://schema.org/name"


def nq(*triples: tuple[str, str, str], graph: str) -> str:
    return "".join(f"<{s}> <{p}> {o} <{graph}> .\n" for s, p, o in triples)


def stored(article_id: str, graph: str, text: str, **kwargs) -> StoredArticle:
    return StoredArticle(article_id=article_id, graph_iri=graph, content_hash=kwargs.get("hash", "h"),
                         body_hash=kwargs.get("body", article_id), origin=f"{article_id}.txt",
                         nquads=canonical_nquads(text, graph), counts=kwargs.get("counts", {}))


def test_canonical_nquads_sorts_dedupes_and_normalises():
    text = nq((PERSON, NAME, '"Trần Văn B"'), (G1, NAME, '"Tin"@vi'), (PERSON, NAME, '"Trần Văn B"'),
              graph=G1)
    out = canonical_nquads(text, G1).decode()
    lines = out.splitlines()
    assert lines == sorted(set(lines)) and len(lines) == 2
    assert out.endswith("\n")
    assert canonical_nquads("", G1) == b""


@pytest.mark.parametrize("text", [
    nq((PERSON, NAME, '"x"'), graph=G2),               # a quad outside the article graph
    f'<{PERSON}> <{NAME}> "x" .\n',                     # a triple in the default graph
    f'<{PERSON}> <{NAME}> "unterminated <{G1}> .\n',    # not N-Quads at all
])
def test_canonical_nquads_rejects_what_would_break_replacement(text):
    with pytest.raises(ValueError):
        canonical_nquads(text, G1)


def test_canonical_graphs_gives_canonical_nquads_of_each_graph_and_a_store_of_them():
    one = canonical_nquads(nq((PERSON, NAME, '"Trần Văn B"'), (G1, NAME, '"Tin"@vi'), graph=G1), G1).decode()
    two = canonical_nquads(nq((PERSON, NAME, '"x"'), graph=G2), G2).decode()
    # canonical lines in any order, repeated, without the last newline: still the same graphs
    shuffled = "\n".join(reversed(one.splitlines())) + "\n" + one.splitlines()[0]
    found = canonical_graphs([(shuffled, G1), (two, G2), ("", "https://w3id.org/anttkg/id/article/x3")])
    assert found is not None
    assert found.nquads == [one.encode(), two.encode(), b""]
    assert len(found.dataset) == 3
    assert {g.value for g in found.dataset.named_graphs()} == {G1, G2}


@pytest.mark.parametrize("items", [
    [(nq((PERSON, NAME, '"x"'), graph=G1).replace("> <", ">  <", 1), G1)],  # parses, but is not canonical
    [(f'<{PERSON}> <{NAME}> <{G1}> .\n', G1)],                      # a default-graph triple ending in the IRI
    [(nq((PERSON, NAME, '"x"'), graph=G2), G1)],                     # a quad outside its article graph
    [(nq((PERSON, NAME, '"x"'), graph=G1), G1), (nq((PERSON, NAME, '"y"'), graph=G1), G1)],  # one graph twice
    [(f'<{PERSON}> <{NAME}> "unterminated <{G1}> .\n', G1)],        # not N-Quads
    [(b"<a> <b> <c> <g> .\n", G1)],                                 # not text
])
def test_canonical_graphs_leaves_anything_doubtful_to_canonical_nquads(items):
    assert canonical_graphs(items) is None


def test_load_replaces_an_article_graph_and_keeps_other_graphs(tmp_path):
    with GraphStore(tmp_path / "s") as store:
        store.load_articles([
            stored("x1", G1, nq((PERSON, NAME, '"Trần Văn B"'), (G1, NAME, '"old"'), graph=G1)),
            stored("x2", G2, nq((PERSON, NAME, '"Trần Văn B"'), graph=G2)),
        ])
        assert store.count_quads(include_ontology=False) == 3
        assert store.count_triples() == 2
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"new"'), graph=G1), hash="h2")])
        values = {sol["o"].value for sol in store.query(f"SELECT ?o WHERE {{ <{G1}> <{NAME}> ?o }}")}
        assert values == {"new"}
        assert store.count_quads(include_ontology=False) == 2
        assert store.entry("x1").content_hash == "h2"
        assert store.article_graph_nquads("x1") == canonical_nquads(nq((G1, NAME, '"new"'), graph=G1), G1)
        assert [a for a, _g, _n in store.article_nquads()] == ["x1", "x2"]


def test_remove_article_drops_graph_and_manifest_row(tmp_path):
    with GraphStore(tmp_path / "s") as store:
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"a"'), graph=G1))])
        assert store.remove_article("x1") is True
        assert store.remove_article("x1") is False
        assert store.entry("x1") is None
        assert store.count_quads(include_ontology=False) == 0


def test_data_without_a_manifest_row_is_replaced_not_duplicated(tmp_path):
    # What a build killed between loading data and committing the manifest leaves behind.
    with GraphStore(tmp_path / "s") as store:
        store.oxigraph.bulk_load(nq((G1, NAME, '"half-written"'), graph=G1).encode(), ox.RdfFormat.N_QUADS)
        assert store.entry("x1") is None
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"complete"'), graph=G1))])
        assert store.count_quads(include_ontology=False) == 1


def test_ontology_is_loaded_once_into_its_graph(tmp_path):
    ttl = tmp_path / "onto.ttl"
    ttl.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<urn:o> a owl:Ontology .\n")
    with GraphStore(tmp_path / "s") as store:
        assert store.ensure_ontology(ttl) is True
        assert store.ensure_ontology(ttl) is False
        assert store.oxigraph.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))
        ttl.write_text(ttl.read_text() + "<urn:o> <urn:p> 1 .\n")
        assert store.ensure_ontology(ttl) is True
        assert store.count_quads() == 2 and store.count_quads(include_ontology=False) == 0


def test_select_binds_substitutions_as_terms_and_sees_all_graphs(tmp_path):
    with GraphStore(tmp_path / "s") as store:
        store.load_articles([stored("x1", G1, nq((PERSON, NAME, '"B"'), graph=G1)),
                             stored("x2", G2, nq((G2, NAME, '"C"'), graph=G2))])
        columns, rows = store.select("SELECT ?s ?name WHERE { ?s schema:name ?name }",
                                     {"name": ox.Literal("C")})
        assert columns == ["s", "name"] and rows == [[G2, "C"]]


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreMissing, match="no anttkg store"):
        GraphStore(tmp_path / "nothing", read_only=True)
    assert not (tmp_path / "nothing").exists()


def test_a_second_writer_or_reader_is_refused_while_one_writes(tmp_path):
    with GraphStore(tmp_path / "s"):
        with pytest.raises(StoreLocked, match=rf"being built by another anttkg process \(pid {os.getpid()}\)"):
            GraphStore(tmp_path / "s")
        with pytest.raises(StoreLocked):
            GraphStore(tmp_path / "s", read_only=True)
    with GraphStore(tmp_path / "s"):  # released on close
        pass
    with GraphStore(tmp_path / "s", read_only=True), GraphStore(tmp_path / "s", read_only=True):
        pass  # readers share


def test_lock_held_by_another_process_names_its_pid_and_wait_blocks(tmp_path):
    path = tmp_path / "s"
    GraphStore(path).close()
    script = textwrap.dedent(f"""
        import sys, time
        from anttkg.store import GraphStore
        s = GraphStore({str(path)!r})
        print("locked", flush=True)
        time.sleep(float(sys.argv[1]))
        s.close()
    """)
    holder = subprocess.Popen([sys.executable, "-c", script, "1.5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLocked) as err:
            GraphStore(path)
        assert err.value.pid == holder.pid
        started = time.monotonic()
        with GraphStore(path, wait=True):
            assert time.monotonic() - started > 0.2
    finally:
        holder.kill()
        holder.wait()


def test_check_finds_every_disagreement_and_repair_makes_the_dataset_what_the_manifest_says(tmp_path):
    with GraphStore(tmp_path / "s") as store:
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"a"'), (G1, NAME, '"b"'), graph=G1)),
                             stored("x2", G2, nq((G2, NAME, '"c"'), graph=G2))])
        assert store.check().ok
        store.oxigraph.remove(ox.Quad(ox.NamedNode(G1), ox.NamedNode(NAME), ox.Literal("a"), ox.NamedNode(G1)))
        store.oxigraph.remove_graph(ox.NamedNode(G2))
        other = "https://w3id.org/anttkg/id/article/zz"
        store.oxigraph.add(ox.Quad(ox.NamedNode(other), ox.NamedNode(NAME), ox.Literal("z"), ox.NamedNode(other)))
        found = store.check()
        assert not found.ok
        assert (found.differing, found.missing, found.extra) == ([G1], [G2], [other])
        # Same quad count, other content: only the exact comparison sees it.
        store.oxigraph.add(ox.Quad(ox.NamedNode(G1), ox.NamedNode(NAME), ox.Literal("X"), ox.NamedNode(G1)))
        assert store.check(exact=False).differing == [] and store.check().differing == [G1]
        assert sorted(store.repair(full=True, exact=True)) == sorted([G1, G2, other])
        assert store.check().ok and store.count_quads(include_ontology=False) == 3


def test_a_write_interrupted_after_the_manifest_is_pending_and_repaired(tmp_path):
    with GraphStore(tmp_path / "s") as store:
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"old"'), graph=G1))])
        new = stored("x1", G1, nq((G1, NAME, '"new"'), graph=G1), hash="h2")
        store.drop_graphs([new])  # killed here: the manifest says "new", the dataset has nothing
        assert store.pending_graphs() == [G1]
    with GraphStore(tmp_path / "s", read_only=True) as store:
        found = store.check()
        assert found.pending == [G1] and found.missing == [G1] and store.entry("x1").content_hash == "h2"
    with GraphStore(tmp_path / "s") as store:
        assert store.repair() == [G1]
        assert store.check().ok
        assert store.select("SELECT ?n WHERE { ?s <https://schema.org/name> ?n }")[1] == [["new"]]


def test_a_store_made_before_the_journal_is_compared_in_full_once(tmp_path):
    import sqlite3

    with GraphStore(tmp_path / "s") as store:
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"a"'), graph=G1))])
        store.oxigraph.remove_graph(ox.NamedNode(G1))  # what an old build killed mid-load left
    with sqlite3.connect(tmp_path / "s" / "manifest.sqlite") as db:
        db.execute("DELETE FROM meta WHERE key = 'journal'")
    with GraphStore(tmp_path / "s") as store:
        assert store.repair() == [G1]
        assert store.check().ok and store.repair() == []


def test_removing_an_article_is_journalled(tmp_path):
    with GraphStore(tmp_path / "s") as store:
        store.load_articles([stored("x1", G1, nq((G1, NAME, '"a"'), graph=G1))])
        assert store.remove_article("x1")
        assert store.pending_graphs() == [] and store.check().ok
