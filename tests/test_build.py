"""The streaming, incremental, parallel build, with a stand-in reader and pipeline (fast, deterministic)."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace

import pytest

from anttkg import build as build_module
from anttkg.build import BuildReport, body_hash, build
from anttkg.models import Article, IngestProblem
from anttkg.rdf import iri, literal, quad
from anttkg.store import GraphStore
from anttkg.vocab import ANTT, DCTERMS, ID, RDF_TYPE, SCHEMA


@dataclass(frozen=True)
class FakeResult:
    article_id: str
    graph_iri: str
    content_hash: str
    nquads: str
    counts: dict


def fake_process(article: Article) -> FakeResult:
    """A tiny graph: the article, one mention per capitalised word, and a shared node per such word."""
    if "EXPLODE" in article.text:
        raise RuntimeError("extractor bug")
    g = ID + "article/" + article.id
    graph = iri(g)
    lines = [quad(graph, iri(RDF_TYPE), iri(ANTT + "Article"), graph),
             quad(graph, iri(DCTERMS + "identifier"), literal(article.id), graph),
             quad(graph, iri(DCTERMS + "title"), literal(article.title, lang="vi"), graph)]
    words = [w for w in article.text.split() if w[:1].isupper()]
    for n, word in enumerate(words):
        person = iri(ID + "person/" + word.lower())
        mention = iri(f"{g}/mention/{n}")
        lines += [quad(mention, iri(ANTT + "refersTo"), person, graph),
                  quad(mention, iri(ANTT + "surfaceForm"), literal(word), graph),
                  quad(person, iri(RDF_TYPE), iri(ANTT + "Person"), graph),
                  quad(person, iri(SCHEMA + "name"), literal(word), graph)]
    return FakeResult(article.id, g, article.content_hash, "".join(reversed(lines)), {"people": len(words)})


def article(article_id: str, text: str, title: str | None = None, origin: str | None = None) -> Article:
    return Article(id=article_id, title=title or f"Tin {article_id}", text=text,
                   origin=origin or f"in.jsonl:{article_id}")


def reader_of(items):
    def read(paths):
        yield from items
    return read


def run(tmp_path, items, **kwargs) -> BuildReport:
    kwargs.setdefault("workers", 1)
    kwargs.setdefault("validate", False)
    return build([tmp_path], tmp_path / "store", reader=reader_of(items), processor=fake_process, **kwargs)


def store_quads(tmp_path) -> list[str]:
    with GraphStore(tmp_path / "store", read_only=True) as store:
        return sorted(line for _a, _g, nq in store.article_nquads() for line in nq.decode().splitlines())


ARTICLES = [
    article("a1", "Hôm nay Hùng và Lan dự hội nghị"),
    article("a2", "Đồng chí Hùng phát biểu tại Hà"),
    article("a3", "không có tên riêng nào"),
]


def test_build_loads_every_article_and_reports_counts(tmp_path):
    report = run(tmp_path, ARTICLES)
    assert (report.articles_read, report.built, report.unchanged) == (3, 3, 0)
    assert report.ok and report.exit_code == 0
    assert report.families == {"people": 6}  # Hôm Hùng Lan + Đồng Hùng Hà
    assert report.store_articles == 3
    with GraphStore(tmp_path / "store", read_only=True) as store:
        assert store.count_quads(include_ontology=False) == report.store_quads
        # "Hùng" is stated by two articles: one quad in each graph, one triple in the union.
        assert report.store_triples < report.store_quads
        assert store.entry("a2").origin == "in.jsonl:a2"


def test_report_json_goes_to_the_store_and_to_the_report_file(tmp_path):
    report = run(tmp_path, ARTICLES + [IngestProblem("bad.txt", "empty file")],
                 report_path=tmp_path / "report.json")
    stored = json.loads((tmp_path / "store" / "last-build.json").read_text())
    assert json.loads((tmp_path / "report.json").read_text()) == stored
    assert stored["skipped"] == [{"origin": "bad.txt", "reason": "empty file", "article_id": None}]
    assert stored["ok"] is False and report.exit_code == 1
    assert stored["built"] == 3


def test_rerun_skips_unchanged_and_replaces_changed_without_duplicates(tmp_path):
    run(tmp_path, ARTICLES)
    again = run(tmp_path, ARTICLES)
    assert (again.built, again.unchanged) == (0, 3)

    changed = [ARTICLES[0], replace(ARTICLES[1], text="Đồng chí Minh phát biểu"), ARTICLES[2]]
    third = run(tmp_path, changed)
    assert (third.built, third.unchanged) == (1, 2)
    after = store_quads(tmp_path)
    assert not any('"Hà"' in line and "/a2>" in line for line in after), "old facts of a2 were dropped"
    assert any('"Minh"' in line for line in after)

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    run(fresh, changed)
    assert after == store_quads(fresh)


def test_force_and_pipeline_change_rebuild_everything(tmp_path, monkeypatch):
    run(tmp_path, ARTICLES)
    assert run(tmp_path, ARTICLES, force=True).built == 3
    monkeypatch.setattr(build_module, "pipeline_fingerprint", lambda: "another-version")
    assert run(tmp_path, ARTICLES).built == 3
    assert run(tmp_path, ARTICLES).built == 0


def test_same_content_under_two_ids_is_a_duplicate(tmp_path):
    copy = article("copy-of-a1", ARTICLES[0].text, title=ARTICLES[0].title, origin="other.jsonl:7")
    report = run(tmp_path, ARTICLES + [copy])
    assert report.built == 3
    assert report.duplicates == [{"article_id": "copy-of-a1", "origin": "other.jsonl:7",
                                  "duplicate_of": "a1", "first_origin": "in.jsonl:a1"}]
    assert report.exit_code == 0
    # Across runs too: the copy read alone later is still recognised.
    later = run(tmp_path, [copy])
    assert later.duplicates[0]["duplicate_of"] == "a1" and later.built == 0
    with GraphStore(tmp_path / "store", read_only=True) as store:
        assert store.entry("copy-of-a1") is None


def test_same_id_twice_with_different_content_is_skipped_with_both_origins(tmp_path):
    clash = article("a1", "Nội dung khác hẳn", origin="second.txt")
    report = run(tmp_path, ARTICLES + [clash])
    assert report.built == 3 and report.exit_code == 1
    (skipped,) = report.skipped
    assert skipped["origin"] == "second.txt" and "in.jsonl:a1" in skipped["reason"]


def test_a_failing_article_is_reported_and_the_rest_built(tmp_path):
    report = run(tmp_path, ARTICLES + [article("boom", "EXPLODE now", origin="x.jsonl:9")])
    assert report.built == 3
    (skipped,) = report.skipped
    assert skipped["origin"] == "x.jsonl:9" and "extractor bug" in skipped["reason"]


def test_small_batches_and_worker_processes_give_the_same_store(tmp_path):
    many = [article(f"n{i:03d}", f"Bài số {i} nói về Hùng và Người{i % 7}") for i in range(60)]
    single = tmp_path / "single"
    single.mkdir()
    run(single, many, batch_size=7)
    parallel = tmp_path / "parallel"
    parallel.mkdir()
    report = run(parallel, many, workers=2, batch_size=16)
    assert report.built == 60
    assert store_quads(single) == store_quads(parallel)


def test_progress_reports_reads_and_completions(tmp_path):
    calls = []
    run(tmp_path, ARTICLES, progress=lambda read, done: calls.append((read, done)))
    assert calls[-1] == (3, 3)
    assert calls == sorted(calls)


def test_body_hash_ignores_id_but_not_text():
    a, b = ARTICLES[0], replace(ARTICLES[0], id="zz", origin="elsewhere")
    assert body_hash(a) == body_hash(b)
    assert body_hash(a) != body_hash(replace(a, text=a.text + "."))


def test_validation_violations_are_reported_with_their_origin(tmp_path):
    pytest.importorskip("anttkg.validate")
    report = run(tmp_path, ARTICLES[:1], validate=True)
    # The stand-in graph lacks what the shapes require of an article (content hash, language ...).
    assert report.violations and report.exit_code == 1
    assert {v["article_id"] for v in report.violations} == {"a1"}
    assert {v["origin"] for v in report.violations} == {"in.jsonl:a1"}


def _corpus_sample(shared_dir, tmp_path, n: int):
    import gzip

    sample = tmp_path / "sample.jsonl"
    with gzip.open(shared_dir / "corpus" / "baomoi.jsonl.gz", "rt", encoding="utf-8") as src, \
            open(sample, "w", encoding="utf-8") as out:
        for _, line in zip(range(n), src):
            out.write(line)
    return sample


@pytest.mark.slow
def test_sigkill_mid_build_then_rerun_equals_a_clean_build(shared_dir, tmp_path, monkeypatch):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    sample = _corpus_sample(shared_dir, tmp_path, 400)
    store = tmp_path / "killed"
    command = [sys.executable, "-m", "anttkg", "--store", str(store), "build", str(sample),
               "-j", "1", "--no-validate", "--batch-size", "20"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    rows = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"file:{store / 'manifest.sqlite'}?mode=ro", uri=True) as db:
                rows = db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            rows = 0
        if rows >= 40:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    rerun = build([sample], store, workers=1, validate=False)
    assert rerun.unchanged >= 40 and rerun.built > 0
    clean = build([sample], tmp_path / "clean", workers=1, validate=False)
    assert rerun.store_quads == clean.store_quads and rerun.store_articles == clean.store_articles
    from anttkg.export import export

    with GraphStore(store, read_only=True) as a, GraphStore(tmp_path / "clean", read_only=True) as b:
        export(a, "nquads", tmp_path / "a.nq")
        export(b, "nquads", tmp_path / "b.nq")
        assert a.count_quads(include_ontology=False) == b.count_quads(include_ontology=False)
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


def test_files_unchanged_since_a_clean_build_are_not_read_again(sample_dir, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(sample_dir, inputs)
    broken = inputs / "feed.jsonl"
    broken.write_text('{"id": "j1", "title": "Tin một", "text": "Nội dung một."}\n{not json\n', encoding="utf-8")
    store = tmp_path / "store"
    first = build([inputs], store, workers=1)
    files = len(list(sample_dir.glob("*.txt")))
    assert first.built == files + 1 and len(first.skipped) == 1
    again = build([inputs], store, workers=1)
    # The clean sample files are not read; the file with a broken line is read again and still reported.
    assert again.files_unchanged == files
    assert again.articles_read == 1 and again.unchanged == files + 1
    assert [s["origin"] for s in again.skipped] == [f"{broken}:2"]
    changed = sorted(inputs.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    third = build([inputs], store, workers=1)
    assert third.files_unchanged == files - 1 and third.built == 1
    forced = build([inputs], store, workers=1, force=True)
    assert forced.files_unchanged == 0 and forced.built == files + 1


def process_or_break(article: Article):
    """The real pipeline; an article whose text says HỎNG loses its content hash, which the shapes require."""
    from anttkg.pipeline import process_article

    result = process_article(article)
    if "HỎNG" not in article.text:
        return result
    lines = [line for line in result.nquads.splitlines(keepends=True) if "contentHash" not in line]
    return replace(result, nquads="".join(lines))


def run_real(tmp_path, items, **kwargs) -> BuildReport:
    kwargs.setdefault("workers", 1)
    return build([tmp_path], tmp_path / "store", reader=reader_of(items), processor=process_or_break, **kwargs)


def test_violations_are_remembered_until_fixed(tmp_path):
    pytest.importorskip("anttkg.shacl_sparql")
    good = article("v1", "Bộ Công an tổ chức hội nghị tại Hà Nội.")
    broken = article("v2", "Tin HỎNG về hội nghị.")
    first = run_real(tmp_path, [good, broken])
    assert first.exit_code == 1 and {v["article_id"] for v in first.violations} == {"v2"}
    again = run_real(tmp_path, [good, broken])
    assert again.unchanged == 2 and not again.violations
    assert again.exit_code == 1 and {v["article_id"] for v in again.remembered_violations} == {"v2"}
    assert {v["origin"] for v in again.remembered_violations} == {"in.jsonl:v2"}
    fixed = run_real(tmp_path, [good, replace(broken, text="Tin về hội nghị.")])
    assert fixed.built == 1 and not fixed.violations and not fixed.remembered_violations
    assert fixed.exit_code == 0


def test_articles_built_without_validation_are_validated_by_the_next_validating_build(tmp_path):
    pytest.importorskip("anttkg.shacl_sparql")
    items = [article("n1", "Bộ Công an tổ chức hội nghị."), article("n2", "Tin HỎNG về hội nghị.")]
    unchecked = run_real(tmp_path, items, validate=False)
    assert unchecked.validated is False and unchecked.unvalidated == 2 and unchecked.exit_code == 0
    report = json.loads((tmp_path / "store" / "last-build.json").read_text())
    assert report["validated"] is False
    checked = run_real(tmp_path, items)
    assert checked.unchanged == 2 and checked.built == 0
    assert checked.validated is True and checked.unvalidated == 0
    assert {v["article_id"] for v in checked.violations} == {"n2"} and checked.exit_code == 1
    later = run_real(tmp_path, items, validate=False)
    assert later.exit_code == 1 and {v["article_id"] for v in later.remembered_violations} == {"n2"}
    with GraphStore(tmp_path / "store", read_only=True) as store:
        assert store.unvalidated_count() == 0


def test_rebuilding_without_validation_forgets_the_old_results_and_marks_the_article(tmp_path):
    pytest.importorskip("anttkg.shacl_sparql")
    broken = article("r1", "Tin HỎNG về hội nghị.")
    assert run_real(tmp_path, [broken]).exit_code == 1
    rebuilt = run_real(tmp_path, [replace(broken, text="Tin HỎNG về hội nghị, bản mới.")], validate=False)
    assert rebuilt.built == 1 and not rebuilt.remembered_violations and rebuilt.unvalidated == 1
    assert rebuilt.validated is False


def test_an_article_turned_copy_is_removed_and_the_original_kept(tmp_path):
    first = [article("c1", "Hùng dự hội nghị"), article("c2", "Lan phát biểu tại Hà", title="Tin c2")]
    run(tmp_path, first)
    copy = replace(first[1], id="c1", origin="in.jsonl:c1")  # c1 now says what c2 says, and is read first
    again = run(tmp_path, [copy, first[1]])
    assert [(d["article_id"], d["duplicate_of"]) for d in again.duplicates] == [("c1", "c2")]
    with GraphStore(tmp_path / "store", read_only=True) as store:
        assert [e.article_id for e in store.entries()] == ["c2"]
