"""Exports parse back to what the store holds, N-Quads are byte-stable, VoID describes the export."""
from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
import rdflib

from anttkg.export import FORMATS, export, void_path_for
from anttkg.rdf import iri, literal, quad
from anttkg.store import GraphStore, StoredArticle, canonical_nquads
from anttkg.vocab import ANTT, DCTERMS, ID, RDF_TYPE, SCHEMA, XSD

PARSE = {  # format -> (pyoxigraph format, rdflib format)
    "turtle": (ox.RdfFormat.TURTLE, "turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "nquads": (ox.RdfFormat.N_QUADS, "nquads"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "jsonld": (ox.RdfFormat.JSON_LD, "json-ld"),
}


def article_graph(article_id: str, people: list[str]) -> StoredArticle:
    g = ID + "article/" + article_id
    G = iri(g)
    lines = [quad(G, iri(RDF_TYPE), iri(ANTT + "Article"), G),
             quad(G, iri(DCTERMS + "title"), literal(f'Tin "{article_id}"\nhai dòng', lang="vi"), G),
             quad(G, iri(DCTERMS + "issued"), literal("2022-08-08", XSD + "date"), G)]
    for n, name in enumerate(people):
        person = iri(ID + "person/" + name.lower().replace(" ", "-"))
        mention = iri(f"{g}/mention/{n}")
        lines += [quad(person, iri(RDF_TYPE), iri(ANTT + "Person"), G),
                  quad(person, iri(SCHEMA + "name"), literal(name), G),
                  quad(mention, iri(ANTT + "refersTo"), person, G),
                  quad(mention, iri(ANTT + "beginIndex"), literal(n * 10), G)]
    return StoredArticle(article_id, g, "hash-" + article_id, "body-" + article_id, article_id + ".txt",
                         canonical_nquads("".join(lines), g), {"people": len(people)})


ARTICLES = [article_graph("b1", ["Lê Văn A", "Phạm Thị C"]),
            article_graph("b2", ["Lê Văn A"]),
            article_graph("b3", [])]


@pytest.fixture()
def store(tmp_path):
    with GraphStore(tmp_path / "store") as s:
        s.ensure_ontology()
        s.add_inputs([str(tmp_path / "corpus.jsonl")])
        s.load_articles(ARTICLES)
        s.set_meta("last_build", "2024-05-06T07:08:09Z")
        yield s


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_parses_back_to_the_store_counts(store, tmp_path, fmt):
    out = tmp_path / f"export.{FORMATS[fmt][0]}"
    result = export(store, fmt, out)
    quads = store.count_quads(include_ontology=False)
    triples = store.count_triples()
    expected = quads if fmt in ("nquads", "trig", "jsonld") else triples
    assert quads > triples  # Lê Văn A is stated by two articles
    assert result.statements == expected

    ox_format, rdflib_format = PARSE[fmt]
    parsed = list(ox.parse(path=str(out), format=ox_format))
    assert len(set(parsed)) == len(parsed) == expected

    dataset = rdflib.Dataset()
    dataset.parse(out, format=rdflib_format)
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == expected
    if fmt in ("nquads", "trig", "jsonld"):
        graphs = {str(q.graph_name.value) for q in parsed}
        assert graphs == {a.graph_iri for a in ARTICLES}


def test_nquads_are_byte_identical_whatever_the_load_order(store, tmp_path):
    export(store, "nquads", tmp_path / "one.nq")
    with GraphStore(tmp_path / "other") as other:
        for art in reversed(ARTICLES):
            other.load_articles([art])
        export(other, "nquads", tmp_path / "two.nq")
    first = (tmp_path / "one.nq").read_bytes()
    assert first == (tmp_path / "two.nq").read_bytes()
    for graph_lines in first.split(b"\n\n"):
        assert graph_lines  # no empty chunks
    lines = first.decode().splitlines()
    by_graph: dict[str, list[str]] = {}
    for line in lines:
        by_graph.setdefault(line.rsplit(" ", 2)[-2], []).append(line)
    assert list(by_graph) == sorted(by_graph)
    assert all(group == sorted(group) for group in by_graph.values())


def test_turtle_uses_the_project_prefixes(store, tmp_path):
    export(store, "turtle", tmp_path / "out.ttl")
    text = (tmp_path / "out.ttl").read_text()
    assert "@prefix schema: <https://schema.org/> ." in text
    assert f"@base <{ID}> ." in text
    assert "a antt:Person" in text and "<person/" in text  # instance IRIs relative to the base
    assert "schema:name" in text


def test_jsonld_is_compacted_under_the_published_context(store, tmp_path):
    export(store, "jsonld", tmp_path / "out.jsonld")
    doc = json.loads((tmp_path / "out.jsonld").read_text())
    assert "@context" in doc and "@graph" in doc
    keys = {k for graph in doc["@graph"] for node in graph["@graph"] for k in node}
    assert "schema:name" in keys and SCHEMA + "name" not in keys


def test_void_description_beside_the_file(store, tmp_path):
    out = tmp_path / "data.nq"
    result = export(store, "nquads", out)
    assert result.void_path == void_path_for(out) == tmp_path / "data.nq.void.ttl"
    g = rdflib.Graph().parse(result.void_path, format="turtle")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    DCT = rdflib.Namespace("http://purl.org/dc/terms/")
    (ds,) = set(g.subjects(rdflib.RDF.type, VOID.Dataset))
    assert (ds, rdflib.RDF.type, DCAT.Dataset) in g
    assert int(g.value(ds, VOID.triples)) == store.count_quads(include_ontology=False)
    partitions = {str(g.value(p, VOID["class"])): int(g.value(p, VOID.entities))
                  for p in g.objects(ds, VOID.classPartition)}
    assert partitions[ANTT + "Person"] == 2 and partitions[ANTT + "Article"] == 3
    assert rdflib.URIRef(SCHEMA) in set(g.objects(ds, VOID.vocabulary))
    assert str(g.value(ds, DCT.created)).startswith("2024-05-06T07:08:09")
    assert g.value(ds, DCT.license) is not None
    assert any(str(s).endswith("corpus.jsonl") for s in g.objects(ds, DCT.source))
    dist = g.value(ds, DCAT.distribution)
    assert str(g.value(dist, DCAT.mediaType)) == "application/n-quads"
    assert int(g.value(dist, DCAT.byteSize)) == out.stat().st_size
    # Same store, same description: dcterms:created comes from the manifest, not the clock.
    first = result.void_path.read_text()
    export(store, "nquads", out)
    assert result.void_path.read_text() == first


def test_export_to_a_stream_puts_void_in_the_store(store):
    buffer = io.BytesIO()
    result = export(store, "ntriples", buffer)
    assert result.void_path == store.path / "export.void.ttl" and result.void_path.is_file()
    assert buffer.getvalue().count(b"\n") == store.count_triples()


def test_ontology_graph_only_on_request(store, tmp_path):
    if not store.ontology_nquads():
        pytest.skip("ontology/anttkg.ttl is not there yet")
    with_ontology = export(store, "nquads", tmp_path / "o.nq", include_ontology=True)
    assert with_ontology.statements == store.count_quads(include_ontology=True)


@pytest.mark.parametrize("shards", [1, 2, 3, 5])
def test_shards_concatenated_are_the_export(store, tmp_path, shards):
    from anttkg.export import export_shards, shard_paths

    export(store, "nquads", tmp_path / "whole.nq", include_ontology=True)
    result = export_shards(store, tmp_path / "graph.nq", shards, include_ontology=True)
    assert [p.name for p in result.paths] == [f"graph.{n:04d}.nq" for n in range(1, shards + 1)]
    assert list(result.paths) == shard_paths(tmp_path / "graph.nq", shards)
    assert all(p.is_file() for p in result.paths) and not list(tmp_path.glob("*.partial"))
    whole = (tmp_path / "whole.nq").read_bytes()
    assert b"".join(p.read_bytes() for p in result.paths) == whole
    assert result.statements == whole.count(b"\n") and result.graphs == len(ARTICLES) + 1
    sizes = [p.read_bytes().count(b"\n") for p in result.paths]
    if shards <= len(ARTICLES) + 1:  # each shard holds whole graphs; none is left empty while there are some
        assert all(sizes)
    for path in result.paths:  # no graph is split across two shards
        graphs = {q.graph_name.value for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}
        for other in result.paths:
            if other != path:
                assert not graphs & {q.graph_name.value for q in ox.parse(path=str(other),
                                                                          format=ox.RdfFormat.N_QUADS)}
    void = rdflib.Graph().parse(result.void_path, format="turtle")
    urls = {str(o) for o in void.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#downloadURL"))}
    assert urls == {p.resolve().as_uri() for p in result.paths}


def test_cli_export_shards(tmp_path, sample_store):
    from click.testing import CliRunner

    from anttkg.cli import cli

    runner = CliRunner()
    whole, parts = tmp_path / "whole.nq", tmp_path / "dump"
    assert runner.invoke(cli, ["--store", str(sample_store), "export", "-f", "nquads", "-o", str(whole)]).exit_code == 0
    result = runner.invoke(cli, ["--store", str(sample_store), "export", "-f", "nquads", "--shards", "4",
                                 "-o", str(parts)])
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("dump.*.nq"))
    assert [f.name for f in files] == ["dump.0001.nq", "dump.0002.nq", "dump.0003.nq", "dump.0004.nq"]
    assert b"".join(f.read_bytes() for f in files) == whole.read_bytes()
    refused = runner.invoke(cli, ["--store", str(sample_store), "export", "-f", "turtle", "--shards", "2",
                                  "-o", str(parts)])
    assert refused.exit_code == 2 and "--shards needs --format nquads" in refused.output
