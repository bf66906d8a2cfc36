"""The anttkg command line, end to end on the sample articles (CliRunner, real pipeline)."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from anttkg.cli import cli
from anttkg.rdf import iri, quad
from anttkg.vocab import ANTT, ID, RDF_TYPE


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def built(sample_dir, tmp_path_factory):
    """A store built once from data/ (the five sample articles)."""
    store = tmp_path_factory.mktemp("cli") / "store"
    result = invoke("--store", store, "build", sample_dir, "-j", "1")
    assert result.exit_code == 0, result.output
    return store


def test_build_reports_articles_and_writes_the_json_report(built, sample_dir):
    report = json.loads((built / "last-build.json").read_text())
    inputs = sorted(p.stem for p in sample_dir.glob("*.txt"))
    assert report["articles_read"] == len(inputs) == 5
    assert report["built"] + report["unchanged"] == 5 and report["ok"] is True
    assert report["validated"] is True
    assert report["store_articles"] == 5


def test_stats_in_json(built):
    result = invoke("--store", built, "stats", "--format", "json")
    assert result.exit_code == 0
    stats = {row["statistic"]: row["value"] for row in json.loads(result.stdout)}
    assert stats["articles"] == 5
    assert stats["instances: antt:Article"] == 5
    assert stats["quads in article graphs"] >= stats["triples"] > 0


def test_store_option_and_environment_variable_agree(built, tmp_path):
    by_option = invoke("--store", built, "stats", "-f", "csv").stdout
    by_env = invoke("stats", "-f", "csv", env={"ANTTKG_STORE": str(built)}).stdout
    assert by_option == by_env and "articles,5" in by_option
    # The option wins over the variable.
    assert invoke("--store", built, "stats", env={"ANTTKG_STORE": str(tmp_path / "no")}).exit_code == 0


def test_rebuild_skips_unchanged_and_replaces_changed_articles(sample_dir, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(sample_dir, inputs)
    store = tmp_path / "store"
    assert invoke("--store", store, "build", inputs, "-j", "1", "--no-validate").exit_code == 0
    again = invoke("--store", store, "build", inputs, "-j", "1", "--no-validate")
    assert "0 built, 5 unchanged" in again.stdout

    first = sorted(inputs.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nThượng tá Đỗ Minh Khang phát biểu.\n",
                     encoding="utf-8")
    third = invoke("--store", store, "build", inputs, "-j", "1", "--no-validate")
    assert "1 built, 4 unchanged" in third.stdout

    fresh = tmp_path / "fresh"
    assert invoke("--store", fresh, "build", inputs, "-j", "1", "--no-validate").exit_code == 0
    # Byte-identical N-Quads: updating in place gives the same graph as building from scratch.
    assert invoke("--store", store, "export", "-f", "nquads", "-o", tmp_path / "a.nq").exit_code == 0
    assert invoke("--store", fresh, "export", "-f", "nquads", "-o", tmp_path / "b.nq").exit_code == 0
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


def test_bad_input_is_reported_by_file_and_exit_code_1(sample_dir, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(sample_dir, inputs)
    (inputs / "empty.txt").write_text("")
    report_file = tmp_path / "r.json"
    result = invoke("--store", tmp_path / "s", "build", inputs, "-j", "1", "--no-validate",
                    "--report", report_file)
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr
    report = json.loads(report_file.read_text())
    assert report["built"] == 5 and [s["origin"].endswith("empty.txt") for s in report["skipped"]] == [True]


def test_missing_input_path_is_reported_with_exit_1(tmp_path):
    result = invoke("--store", tmp_path / "s", "build", tmp_path / "nope")
    assert result.exit_code == 1
    assert str(tmp_path / "nope") in result.stderr


def _broken_article(article):
    g = ID + "article/" + article.id
    from anttkg.pipeline import ArticleResult

    # An article node with none of what the shapes require of it.
    nquads = quad(iri(g), iri(RDF_TYPE), iri(ANTT + "Article"), iri(g))
    return ArticleResult(article.id, g, article.content_hash, nquads, {})


def test_shacl_violations_fail_build_and_validate(sample_dir, tmp_path, monkeypatch, built):
    pytest.importorskip("anttkg.validate")
    import anttkg.pipeline

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sorted(sample_dir.glob("*.txt"))[0], inputs)
    monkeypatch.setattr(anttkg.pipeline, "process_article", _broken_article)
    store = tmp_path / "s"
    result = invoke("--store", store, "build", inputs, "-j", "1")
    assert result.exit_code == 1 and "invalid" in result.stderr
    checked = invoke("--store", store, "validate", "-f", "json")
    assert checked.exit_code == 1
    rows = json.loads(checked.stdout)
    assert rows and {r["article"] for r in rows} == {sorted(sample_dir.glob("*.txt"))[0].stem}
    assert all(r["origin"] for r in rows)
    # Remembered: the next build reads nothing new and still fails, naming the article.
    again = invoke("--store", store, "build", inputs, "-j", "1")
    assert again.exit_code == 1 and "still invalid" in again.stderr and "remembered from earlier builds" in again.stdout
    # The reference engine finds the same violations.
    reference = invoke("--store", store, "validate", "--engine", "pyshacl", "-f", "json")
    assert reference.exit_code == 1
    assert {(r["focus"], r["path"]) for r in json.loads(reference.stdout)} == {(r["focus"], r["path"]) for r in rows}
    # The sample store conforms.
    assert invoke("--store", built, "validate").exit_code == 0
    assert invoke("--store", built, "validate", "--engine", "pyshacl").exit_code == 0


def test_queries_lists_the_canned_queries(built):
    result = invoke("queries", "-f", "json")
    assert result.exit_code == 0
    listed = {row["name"]: row for row in json.loads(result.stdout)}
    assert {"people", "organizations", "articles"} <= set(listed)
    assert all(row["description"] for row in listed.values())


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_output_formats_hold_the_same_rows(built, fmt):
    reference = list(csv.reader(io.StringIO(invoke("--store", built, "query", "articles", "-f", "csv").stdout)))
    header, rows = reference[0], reference[1:]
    assert "article" in header and len(rows) >= 5
    out = invoke("--store", built, "query", "articles", "--format", fmt)
    assert out.exit_code == 0
    text = out.stdout
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(text))) == reference
    elif fmt == "tsv":
        lines = text.splitlines()
        assert lines[0].split("\t") == header and len(lines) == len(rows) + 1
    elif fmt == "json":
        objects = json.loads(text)
        assert [[o[c] or "" for c in header] for o in objects] == rows
    else:
        lines = text.splitlines()
        assert lines[0].split() == header and set(lines[1]) <= {"-", " "}
        assert len(lines) == len(rows) + 2


def test_query_errors_are_clear(built, tmp_path):
    unknown = invoke("--store", built, "query", "no-such-query")
    assert unknown.exit_code == 1 and "no canned query named 'no-such-query'" in unknown.stderr
    assert "Traceback" not in unknown.output
    missing = invoke("--store", tmp_path / "absent", "query", "people")
    assert missing.exit_code == 1 and "no anttkg store" in missing.stderr
    bad = invoke("--store", built, "query", "people", "--param", "novalue")
    assert bad.exit_code == 2 and "KEY=VALUE" in bad.stderr
    assert invoke("--store", tmp_path / "absent", "stats").exit_code == 1


@pytest.mark.parametrize("fmt,ext,ox_format,rdflib_format,quads", [
    ("turtle", "ttl", ox.RdfFormat.TURTLE, "turtle", False),
    ("ntriples", "nt", ox.RdfFormat.N_TRIPLES, "nt", False),
    ("nquads", "nq", ox.RdfFormat.N_QUADS, "nquads", True),
    ("trig", "trig", ox.RdfFormat.TRIG, "trig", True),
    ("jsonld", "jsonld", ox.RdfFormat.JSON_LD, "json-ld", True),
])
def test_export_every_format_parses_back(built, tmp_path, fmt, ext, ox_format, rdflib_format, quads):
    stats = {row["statistic"]: row["value"]
             for row in json.loads(invoke("--store", built, "stats", "-f", "json").stdout)}
    expected = stats["quads in article graphs"] if quads else stats["triples"]
    out = tmp_path / f"g.{ext}"
    result = invoke("--store", built, "export", "--format", fmt, "-o", out)
    assert result.exit_code == 0 and "VoID" in result.stderr
    assert len(list(ox.parse(path=str(out), format=ox_format))) == expected
    dataset = rdflib.Dataset()
    dataset.parse(out, format=rdflib_format)
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == expected
    assert (tmp_path / f"g.{ext}.void.ttl").is_file()


def test_export_to_stdout_names_the_void_file(built):
    result = invoke("--store", built, "export", "-f", "ntriples")
    assert result.exit_code == 0
    assert len(list(ox.parse(result.stdout_bytes, ox.RdfFormat.N_TRIPLES))) > 0
    assert str(built / "export.void.ttl") in result.stderr


def test_a_store_locked_by_another_process_gives_a_clear_error(built, sample_dir):
    script = textwrap.dedent(f"""
        import time
        from anttkg.store import GraphStore
        s = GraphStore({str(built)!r})
        print("locked", flush=True)
        time.sleep(30)
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = invoke("--store", built, "build", sample_dir, "-j", "1")
        assert result.exit_code == 1
        assert f"is being built by another anttkg process (pid {holder.pid})" in result.stderr
        assert "Traceback" not in result.output
        reading = invoke("--store", built, "stats")
        assert reading.exit_code == 1 and f"pid {holder.pid}" in reading.stderr
    finally:
        holder.kill()
        holder.wait()
    assert invoke("--store", built, "stats").exit_code == 0


def test_check_verifies_the_store_against_its_manifest_and_repairs(built, tmp_path):
    store = tmp_path / "copy"
    shutil.copytree(built, store)
    ok = invoke("--store", store, "check")
    assert ok.exit_code == 0 and "agrees with its manifest" in ok.stderr
    graph = ID + "article/" + "000_ead0b89c278ea767"
    opened = ox.Store(str(store / "oxigraph"))
    opened.remove_graph(ox.NamedNode(graph))
    opened.flush()
    del opened
    broken = invoke("--store", store, "check", "-f", "csv")
    assert broken.exit_code == 1
    assert list(csv.reader(io.StringIO(broken.stdout)))[1:] == [["missing", graph]]
    repaired = invoke("--store", store, "check", "--repair")
    assert repaired.exit_code == 0 and "repaired 1 graphs" in repaired.stderr
    assert invoke("--store", tmp_path / "none", "check").exit_code == 1
    assert not (tmp_path / "none").exists()


def test_check_sees_a_lost_who_is_who_graph_and_repair_rewrites_it(built, tmp_path):
    store = tmp_path / "copy"
    shutil.copytree(built, store)
    opened = ox.Store(str(store / "oxigraph"))
    people = sorted(g.value for g in opened.named_graphs() if "/graph/people/" in g.value)
    assert people, "the identity pass writes one graph per name"
    opened.remove_graph(ox.NamedNode(people[0]))
    opened.flush()
    del opened
    lost = invoke("--store", store, "check")
    assert lost.exit_code == 1 and people[0] in lost.output
    assert invoke("--store", store, "check", "--repair").exit_code == 0
    assert invoke("--store", store, "check").exit_code == 0
