"""Curation: corrections in DIR/corrections.tsv, applied on build, query and export, visible in provenance."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from anttkg import curation
from anttkg.build import build
from anttkg.cli import cli
from anttkg.curation import CorrectionError, Correction, add_correction, list_corrections
from anttkg.query import run_query
from anttkg.store import GraphStore

from test_identity import ARTICLES, people_by_article, write_articles

ANTT = "https://w3id.org/anttkg/ontology#"
RANK = "https://w3id.org/anttkg/ontology#rank"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("curation")
    source = write_articles(folder / "all.jsonl", list(ARTICLES))
    build([source], folder / "store", workers=1)
    return folder


@pytest.fixture
def store(built, tmp_path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(built / "store", target)
    return target


def ask(store: Path, sparql: str) -> bool:
    with GraphStore(store, read_only=True) as st:
        return bool(st.query(sparql))


def test_merge_makes_one_person_and_says_by_which_entry(store):
    before = people_by_article(store)
    entry = add_correction(store, ("merge", before["t1"], before["t5"]))
    after = people_by_article(store)
    assert after["t5"] == after["t1"] == before["t1"]
    node = curation.correction_iri(entry)
    assert ask(store, f"ASK {{ GRAPH ?g {{ <{before['t1']}> antt:correctedBy <{node}> }} "
                      f"GRAPH ?c {{ <{node}> a antt:Correction ; antt:correctionAction \"merge\" }} }}")
    assert ask(store, f"ASK {{ GRAPH ?g {{ <{before['t5']}> <http://www.w3.org/2002/07/owl#sameAs> <{before['t1']}> }} }}")
    assert list_corrections(store) == [entry]


def test_split_takes_one_article_out_and_survives_a_forced_rebuild(store, built):
    before = people_by_article(store)
    add_correction(store, ("split", before["t2"], "t4"))
    after = people_by_article(store)
    assert after["t2"] == before["t2"] and after["t4"] not in (before["t2"], before["t4"])
    build([built / "all.jsonl"], store, workers=1, force=True)
    assert people_by_article(store) == after


def test_reject_removes_the_statement_from_queries_and_exports(store, tmp_path):
    people = people_by_article(store)
    rows = run_query("person-career", store_path=store, params={"person": people["t2"]}).rows
    rank = [row for row in rows if row[2] == "rank"]
    assert rank
    line = next(line for line in _export(store, tmp_path).splitlines() if RANK in line and "/t2/person/" in line)
    local, _predicate, rank_iri = (term.strip("<>") for term in line.split(" ")[:3])
    # on the article's own person: that article's reading only
    entry = add_correction(store, ("reject", local, "antt:rank", rank_iri))
    assert entry.args[1] == RANK
    rows = run_query("person-career", store_path=store, params={"person": people["t2"]}).rows
    assert {row[6] for row in rows if row[2] == "rank"} == {"t4"}
    exported = _export(store, tmp_path)
    assert not any(line.startswith(f"<{local}> <{RANK}>") for line in exported.splitlines())
    node = curation.correction_iri(entry)
    assert f"<{local}> <{ANTT}correctedBy> <{node}>" in exported
    # on the shared person: every article's
    add_correction(store, ("reject", people["t2"], RANK, rank_iri))
    rows = run_query("person-career", store_path=store, params={"person": people["t2"]}).rows
    assert not [row for row in rows if row[2] == "rank"] and rows


def _export(store: Path, tmp_path: Path) -> str:
    from anttkg.export import export

    with GraphStore(store, read_only=True) as st:
        export(st, "nquads", tmp_path / "out.nq")
    return (tmp_path / "out.nq").read_text(encoding="utf-8")


def test_label_renames_the_person(store):
    people = people_by_article(store)
    add_correction(store, ("label", people["t2"], "Nguyễn Anh Tuấn (Bắc Ninh)"))
    rows = run_query("person-career", store_path=store, params={"person": people["t2"]}).rows
    assert {row[1] for row in rows} == {"Nguyễn Anh Tuấn (Bắc Ninh)"}


def test_unknown_iri_or_article_is_a_clear_error(store):
    with pytest.raises(CorrectionError, match="no entity"):
        add_correction(store, ("label", "https://w3id.org/anttkg/id/person/nobody-00000000", "X"))
    people = people_by_article(store)
    with pytest.raises(CorrectionError, match="no article"):
        add_correction(store, ("split", people["t2"], "no-such-article"))
    with pytest.raises(CorrectionError, match="not mentioned"):
        add_correction(store, ("split", people["t2"], "t1"))
    with pytest.raises(CorrectionError, match="no article states"):
        add_correction(store, ("reject", people["t2"], "antt:rank", "https://w3id.org/anttkg/id/rank/none"))
    assert list_corrections(store) == []


def test_applied_split_and_reject_are_listed_as_applying(store, tmp_path):
    people = people_by_article(store)
    add_correction(store, ("split", people["t2"], "t4"))
    line = next(line for line in _export(store, tmp_path).splitlines() if RANK in line and "/t2/person/" in line)
    local, _predicate, rank_iri = (term.strip("<>") for term in line.split(" ")[:3])
    add_correction(store, ("reject", local, "antt:rank", rank_iri))
    statuses = curation.correction_statuses(store)
    assert [s.correction.action for s in statuses] == ["split", "reject"]
    assert all(s.applies for s in statuses)
    # recorded entries again: nothing new, no error although the rejected statement is gone
    add_correction(store, ("reject", local, "antt:rank", rank_iri))
    assert len(list_corrections(store)) == 2


def test_cli_curate_commands_and_exit_codes(store, tmp_path):
    runner = CliRunner()
    people = people_by_article(store)
    result = runner.invoke(cli, ["--store", str(store), "curate", "merge", people["t1"], people["t5"]])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--store", str(store), "curate", "split", people["t2"], "--article", "t4"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--store", str(store), "curate", "label", people["t2"], "Tuấn"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--store", str(store), "curate", "list", "--format", "tsv"])
    assert result.exit_code == 0 and [line.split("\t")[1] for line in result.output.splitlines()[1:]] == \
        ["merge", "split", "label"]
    bad = runner.invoke(cli, ["--store", str(store), "curate", "merge", people["t1"],
                              "https://w3id.org/anttkg/id/person/nobody-00000000"])
    assert bad.exit_code == 1 and "no entity" in bad.output
    bad = runner.invoke(cli, ["--store", str(store), "curate", "split", people["t1"], "--article", "nope"])
    assert bad.exit_code == 1 and "no article" in bad.output
    out = tmp_path / "corrections.tsv"
    assert runner.invoke(cli, ["--store", str(store), "curate", "export", str(out)]).exit_code == 0
    assert len([l for l in out.read_text().splitlines() if not l.startswith("#")]) == 3


def test_export_import_round_trip_into_a_fresh_store(store, built, tmp_path):
    people = people_by_article(store)
    add_correction(store, ("merge", people["t1"], people["t5"]))
    out = tmp_path / "team.tsv"
    assert curation.export_corrections(store, out) == 1
    fresh = tmp_path / "fresh"
    build([built / "all.jsonl"], fresh, workers=1)
    assert curation.import_corrections(fresh, out) == 1
    assert curation.import_corrections(fresh, out) == 0  # already there
    assert people_by_article(fresh) == people_by_article(store)


def test_a_hand_edited_file_is_applied_before_a_query(store):
    people = people_by_article(store)
    path = curation.corrections_path(store)
    path.write_text(f"merge\t{people['t2']}\t{people['t5']}\n", encoding="utf-8")
    assert curation.corrections_stale(store)
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(store), "query", "people", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout) if result.stdout.strip().startswith("[") else None
    assert not curation.corrections_stale(store)
    assert people_by_article(store)["t5"] == people["t2"]
    del rows


def test_the_file_format_is_the_shared_one(store):
    people = people_by_article(store)
    add_correction(store, ("label", people["t2"], "Tab\tand\\slash"))
    text = curation.corrections_path(store).read_text(encoding="utf-8")
    assert text.startswith("#")
    assert f"label\t{people['t2']}\tTab\\tand\\\\slash\n" in text
    assert list_corrections(store) == [Correction("label", (people["t2"], "Tab\tand\\slash"))]
