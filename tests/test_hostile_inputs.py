"""Hostile input through the command line: bad files, hostile strings, injection and path tricks.

Every case checks the message (which file, which line), the exit code, and that nothing good was lost:
the good articles read beside the bad input are queryable in the store, and every input ends up either
in the graph or in the machine-readable build report.

One build reads a folder holding every bad file beside good ones (module fixture ``hostile``); the cases
that need a store of their own build one.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from anttkg.cli import cli

GOOD_TEXT = ("Sáng 12/5/2021, Công an tỉnh Nam Định tổ chức hội nghị tổng kết phong trào toàn dân bảo vệ "
             "an ninh Tổ quốc. Đại tá Phạm Văn Minh, Phó Giám đốc Công an tỉnh chủ trì hội nghị.")

# Hostile strings: quotes, backslashes, angle brackets, newlines, control characters, a very long token,
# right-to-left marks and overrides, emoji, and lone surrogates written as JSON escapes.
HOSTILE_TITLE_JSON = (r'Tiêu đề \"trích\" \\ <b>&amp;</b> \u0007\u001b '
                      r'\u200f\u202eRTL\u202c 🚓 \ud800 lẻ \udfff } ; DROP ALL ; # >')
LONG_TOKEN = "A" * 20000


def txt(title: str, date: str, body: str, byline: str = "") -> str:
    return f"{title}\n\n{date}\n\n{body}\n\n{byline}\n"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as legacy Vietnamese software wrote it: base letter, then a combining tone mark."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (letter + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def jsonl(records: list) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def anttkg(store: Path, *args: str) -> Run:
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of its own: the CLI must answer with a message
    return Run(result.exit_code, result.stdout, result.stderr)


def rows(run: Run) -> list[dict[str, str]]:
    assert run.exit_code == 0, run.stderr
    return list(csv.DictReader(io.StringIO(run.stdout)))


def article_rows(store: Path) -> dict[str, dict[str, str]]:
    return {row["article"]: row for row in rows(anttkg(store, "query", "articles", "-f", "csv"))}


def build(store: Path, *paths: Path, extra: tuple[str, ...] = ()) -> tuple[Run, dict]:
    report_file = store.parent / f"{store.name}-report.json"
    run = anttkg(store, "build", "-j", "1", "--report", str(report_file), *extra, *map(str, paths))
    report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else {}
    return run, report


# ---------------------------------------------------------------------------------------------------------
# The shared hostile folder


@dataclass
class Hostile:
    folder: Path
    store: Path
    run: Run
    report: dict
    articles: dict[str, dict[str, str]]
    expected_ids: dict[str, str]  # file (or file:line) -> article id it must become

    def skipped(self, origin: str) -> dict:
        found = [item for item in self.report["skipped"] if item["origin"] == origin]
        assert found, f"{origin} not in the report: {[i['origin'] for i in self.report['skipped']]}"
        return found[0]

    def message_about(self, origin: str) -> str:
        lines = [line for line in self.run.stderr.splitlines() if origin + ":" in line or origin + " " in line]
        assert lines, f"no message names {origin}:\n{self.run.stderr}"
        return lines[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "input"
    folder.mkdir()
    expected: dict[str, str] = {}

    def put(name: str, data: str | bytes, article_id: str | None = None) -> Path:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        if article_id is not None:
            expected[str(path)] = article_id
        return path

    put("good-1.txt", txt("Công an Nam Định tổng kết phong trào", "12/05/2021", GOOD_TEXT, "Hồng Nhung"), "good-1")
    put("good-2.txt", txt("Tuổi trẻ Công an Hà Giang hiến máu", "26/03/2022",
                          "Sáng 26/3/2022, Đoàn Thanh niên Công an tỉnh Hà Giang tổ chức ngày hội hiến máu."),
        "good-2")
    put("empty.txt", b"")
    put("blank.txt", " \n\t\n \n")
    put("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    put("legacy-1258.txt", to_cp1258(txt("Công an xã Tân Lập ra mắt tổ tự quản", "01/02/2020",
                                         "Người dân tố giác tội phạm.")), "legacy-1258")
    put("utf16le.txt", b"\xff\xfe" + txt("Bài UTF-16 LE có dấu", "03/04/2020", "Nội dung.").encode("utf-16-le"),
        "utf16le")
    put("utf16be.txt", b"\xfe\xff" + txt("Bài UTF-16 BE có dấu", "03/04/2020", "Nội dung.").encode("utf-16-be"),
        "utf16be")
    put("utf8sig.txt", b"\xef\xbb\xbf" + txt("Bài UTF-8 có BOM", "03/04/2020", "Nội dung.").encode("utf-8"),
        "utf8sig")
    put("nfd.txt", unicodedata.normalize("NFD", txt("Uỷ ban nhân dân xã Hoà Bình", "05/06/2020", GOOD_TEXT)),
        "nfd")
    put("no-title.txt", "Công an huyện Mèo Vạc ra quân tuần tra biên giới. Hoạt động kéo dài một tuần.\n",
        "no-title")
    put("no-date.txt", "Tin không ghi ngày\n\nCông an phường tổ chức tuần tra ban đêm.\n", "no-date")
    put("scripts-only.html", "<html><head><style>" + "p{color:red}" * 2000 + "</style></head><body>"
        + "<script>document.write('<p>không phải bài</p>')</script>" * 500 + "</body></html>")
    put("scripts-and-text.html", "<html><head><script>var x = '</p><h1>giả</h1>';</script></head><body>"
        "<nav>Trang chủ</nav><h1>Bài HTML thật</h1><style>h1{}</style><p>Nội dung thật của bài.</p>"
        "<footer>Bản quyền</footer></body></html>", "scripts-and-text")
    put("broken.jsonl", jsonl([
        {"id": "broken-ok-1", "title": "Dòng tốt trước", "text": "Nội dung dòng một."},
        '{"id": "broken-bad", "title": "Dòng hỏng", "text": "thiếu ngoặc"',
        {"id": "broken-ok-3", "title": "Dòng tốt sau", "text": "Nội dung dòng ba."},
    ]))
    expected[f"{folder / 'broken.jsonl'}:1"] = "broken-ok-1"
    expected[f"{folder / 'broken.jsonl'}:3"] = "broken-ok-3"
    put("fields.jsonl", jsonl([
        {"id": 7001, "title": 2024, "text": "Tiêu đề là một con số.", "author": ["Nguyễn An", "Lê Bình"]},
        {"id": "fields-no-text", "title": "Không có nội dung"},
        {"id": "fields-dict-text", "title": "Nội dung sai kiểu", "text": {"p": 1}},
        {"title": "Không có mã", "text": "Bản ghi không có id."},
        ["không", "phải", "đối tượng"],
        "{" * 100000 + "}" * 100000,
    ]))
    expected[f"{folder / 'fields.jsonl'}:1"] = "7001"
    expected[f"{folder / 'fields.jsonl'}:4"] = "fields-4"
    records = [{"id": f"gz-{i}", "title": f"Bài nén số {i}", "text": f"Nội dung bài nén số {i}. " * 30}
               for i in range(40)]
    whole = gzip.compress(jsonl(records).encode("utf-8"))
    put("truncated.jsonl.gz", whole[: len(whole) // 2])
    put("not-gzip.jsonl.gz", jsonl([{"id": "x", "title": "x", "text": "x"}]))
    put("notes.pdf", b"%PDF-1.4 not an article")
    big_line = json.dumps({"id": "huge-record", "title": "Quá lớn", "text": "Câu văn rất dài. " * 3_200_000})
    put("huge.jsonl", big_line + "\n" + jsonl([{"id": "after-huge", "title": "Sau bản ghi lớn",
                                                  "text": "Bản ghi nhỏ sau bản ghi 50 MB."}]))
    expected[f"{folder / 'huge.jsonl'}:2"] = "after-huge"
    with (folder / "huge.txt").open("w", encoding="utf-8") as handle:
        handle.write("Tệp văn bản 50 MB\n")
        for _ in range(50):
            handle.write("Một dòng văn bản dài. " * 47_000 + "\n")
    put("hostile-strings.jsonl",
        '{"id": "hostile \\"id\\" <x> {y} \\\\ z", "title": "' + HOSTILE_TITLE_JSON + '", '
        '"text": "Dòng một \\"trích\\" \\\\ <script>alert(1)</script>\\nDòng hai\\r\\n\\u0000\\u0008 '
        + LONG_TOKEN + ' 🚔👮 \\u200f\\u202e cuối \\ud83d", '
        '"author": ["Tác \\"giả\\" <a> \\ud800"], "url": "https://example.org/a?b=\\"c\\"&d=<e>"}\n')
    expected[f"{folder / 'hostile-strings.jsonl'}:1"] = 'hostile "id" <x> {y} \\ z'
    put("same-a.txt", txt("Một bài đăng hai lần", "07/07/2021", GOOD_TEXT + " Bản sao."), "same-a")
    put("same-b.txt", txt("Một bài đăng hai lần", "07/07/2021", GOOD_TEXT + " Bản sao."))
    # Issue 14: random bytes, other encodings, tone marks that must stay, bodies wrapped in forms, title only.
    import random

    put("random-bytes.txt", random.Random(14).randbytes(4096))
    put("chinese-gbk.txt", ("公安部今天召开会议，部署打击犯罪工作。\n" * 20).encode("gbk"))
    put("french-latin1.txt", ("Le ministère de l'Intérieur a présenté un rapport détaillé.\n" * 5).encode("latin-1"))
    put("hoac.txt", txt("Xử lý hoặc khởi tố, trong ngoặc kép", "09/09/2021",
                        "Người vi phạm bị phạt tiền hoặc cảnh cáo. Đêm khuya, lực lượng tuần tra xoáy vào "
                        "điểm nóng; khoá học được tổ chức."), "hoac")
    put("form-body.html", "<html><head><title>Tin Công an</title></head><body><form id='form1' method='post'>"
        "<input type='hidden' name='__VIEWSTATE' value='abc'/><h1>Công an phường ra quân tuần tra</h1>"
        "<div class='noidung'><p>Sáng 3/3/2023, Công an phường Bến Nghé ra quân tuần tra bảo đảm an ninh "
        "trật tự trên địa bàn.</p><p>Lực lượng tuần tra gồm 40 cán bộ, chiến sĩ và dân quân tự vệ.</p></div>"
        "</form></body></html>", "form-body")
    put("title-only.html", "<html><head><title>Chỉ có tiêu đề</title></head><body><h1>Chỉ có tiêu đề</h1>"
        "</body></html>", "title-only")
    (folder / "loop").symlink_to(folder, target_is_directory=True)

    store = root / "store"
    run, report = build(store, folder)
    return Hostile(folder, store, run, report, article_rows(store), expected)


def test_build_exits_1_with_a_message_and_keeps_every_good_article(hostile):
    assert hostile.run.exit_code == 1, hostile.run.stderr
    assert "Traceback" not in hostile.run.stderr
    assert hostile.report["ok"] is False
    for path, article_id in hostile.expected_ids.items():
        assert article_id in hostile.articles, (path, article_id, sorted(hostile.articles))
    good = hostile.articles["good-1"]
    assert good["published"] == "2021-05-12" and good["author"] == "Hồng Nhung"


def test_every_input_is_in_the_graph_or_in_the_report(hostile):
    accounted = set(hostile.expected_ids)
    accounted |= {item["origin"] for item in hostile.report["skipped"]}
    accounted |= {item["origin"] for item in hostile.report["duplicates"]}
    for path in sorted(hostile.folder.iterdir()):
        assert any(origin == str(path) or origin.startswith(f"{path}:") for origin in accounted), path
    ids_in_report = {item.get("article_id") for item in hostile.report["skipped"] + hostile.report["duplicates"]}
    assert set(hostile.articles) | ids_in_report >= set(hostile.expected_ids.values())
    assert hostile.report["store_articles"] == len(hostile.articles)


@pytest.mark.parametrize("name, words", [
    ("empty.txt", "empty"),
    ("blank.txt", "empty"),
    ("binary.txt", "binary"),
    ("random-bytes.txt", "binary"),
    ("chinese-gbk.txt", "save it as UTF-8"),
    ("french-latin1.txt", "save it as UTF-8"),
    ("scripts-only.html", "no article text"),
    ("notes.pdf", "unsupported"),
    ("huge.txt", "too large"),
    ("not-gzip.jsonl.gz", "gzip"),
    ("loop", "link to a folder"),
])
def test_bad_file_is_reported_by_name(hostile, name, words):
    origin = str(hostile.folder / name)
    item = hostile.skipped(origin)
    assert words in item["reason"]
    message = hostile.message_about(origin)
    assert message.startswith("skipped ") and words in message


@pytest.mark.parametrize("name, line, words", [
    ("broken.jsonl", 2, "invalid JSON"),
    ("fields.jsonl", 2, "'text'"),
    ("fields.jsonl", 3, "must be a string"),
    ("fields.jsonl", 5, "JSON object"),
    ("fields.jsonl", 6, "JSON"),
    ("huge.jsonl", 1, "too large"),
])
def test_bad_line_is_reported_by_file_and_line(hostile, name, line, words):
    origin = f"{hostile.folder / name}:{line}"
    item = hostile.skipped(origin)
    assert words in item["reason"]
    assert words in hostile.message_about(origin)


def test_broken_json_line_names_the_json_error_and_neighbours_survive(hostile):
    item = hostile.skipped(f"{hostile.folder / 'broken.jsonl'}:2")
    assert "Expecting" in item["reason"]
    assert {"broken-ok-1", "broken-ok-3"} <= set(hostile.articles)


def test_truncated_gzip_keeps_what_was_read_and_names_the_line(hostile):
    gz = str(hostile.folder / "truncated.jsonl.gz")
    read = sorted((a for a in hostile.articles if a.startswith("gz-")), key=lambda a: int(a[3:]))
    assert read and read == [f"gz-{i}" for i in range(len(read))]
    (item,) = [i for i in hostile.report["skipped"] if i["origin"].startswith(gz + ":")]
    assert "truncated" in item["reason"] and f"after line {len(read)}" in item["reason"]
    assert hostile.message_about(item["origin"])


def test_encodings_and_normalisation(hostile):
    titles = {article_id: row["title"] for article_id, row in hostile.articles.items()}
    assert titles["legacy-1258"] == "Công an xã Tân Lập ra mắt tổ tự quản"
    assert titles["utf16le"] == "Bài UTF-16 LE có dấu"
    assert titles["utf16be"] == "Bài UTF-16 BE có dấu"
    assert titles["utf8sig"] == "Bài UTF-8 có BOM"
    assert titles["nfd"] == "Ủy ban nhân dân xã Hòa Bình"
    for title in titles.values():
        assert unicodedata.is_normalized("NFC", title)


def test_missing_title_date_and_wrong_types(hostile):
    assert hostile.articles["no-title"]["title"].startswith("Công an huyện Mèo Vạc ra quân tuần tra biên giới")
    assert hostile.articles["no-date"]["published"] == ""
    assert hostile.articles["7001"]["title"] == "2024"
    assert hostile.articles["7001"]["author"] == "Lê Bình; Nguyễn An"
    assert hostile.articles["scripts-and-text"]["title"] == "Bài HTML thật"


def test_same_article_under_two_names_is_built_once(hostile):
    present = {"same-a", "same-b"} & set(hostile.articles)
    assert present == {"same-a"}
    (dup,) = [d for d in hostile.report["duplicates"] if d["article_id"] == "same-b"]
    assert dup["duplicate_of"] == "same-a" and dup["origin"] == str(hostile.folder / "same-b.txt")
    assert hostile.message_about(str(hostile.folder / "same-b.txt")).startswith("duplicate ")


def test_hostile_strings_are_kept_clean_and_safe(hostile):
    row = hostile.articles['hostile "id" <x> {y} \\ z']
    title = row["title"]
    for kept in ('"trích"', "\\", "<b>&amp;</b>", "🚓", "\u200f", "} ; DROP ALL ; #"):
        assert kept in title
    assert "\ufffd" in title  # the lone surrogates
    assert not any(unicodedata.category(ch) == "Cc" for ch in title)
    assert row["author"].startswith('Tác "giả" <a>')
    assert row["url"] == 'https://example.org/a?b="c"&d=<e>' or row["url"].startswith("https://example.org/a?b=")


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_export_parses_back_with_rdflib_and_pyoxigraph(hostile, tmp_path, fmt):
    import pyoxigraph
    import rdflib

    out = tmp_path / f"export.{fmt}"
    run = anttkg(hostile.store, "export", "-f", fmt, "-o", str(out))
    assert run.exit_code == 0, run.stderr
    data = out.read_bytes()
    data.decode("utf-8")
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=fmt)
    oxi_format = pyoxigraph.RdfFormat.N_QUADS if fmt == "nquads" else pyoxigraph.RdfFormat.TRIG
    quads = list(pyoxigraph.parse(data, format=oxi_format))
    assert len(quads) == sum(len(graph) for graph in dataset.graphs())
    titles = {str(o) for _, p, o, _ in dataset.quads((None, rdflib.DCTERMS.title, None, None))}
    assert hostile.articles['hostile "id" <x> {y} \\ z']["title"] in titles
    long_literals = [q for q in quads if isinstance(q.object, pyoxigraph.Literal) and LONG_TOKEN in q.object.value]
    assert all(LONG_TOKEN in q.object.value for q in long_literals)


def test_store_validates_after_the_hostile_build(hostile):
    assert hostile.report["violations"] == []
    run = anttkg(hostile.store, "validate")
    assert run.exit_code == 0, run.stderr


# ---------------------------------------------------------------------------------------------------------
# Queries: injection and path tricks


def test_sparql_injection_in_a_param_does_not_change_the_query(hostile):
    benign = anttkg(hostile.store, "query", "person-profile", "-p", "name=Phạm Văn Minh", "-f", "csv")
    hostile_run = anttkg(hostile.store, "query", "person-profile", "-p", 'name=x" } ; DROP ALL ; #', "-f", "csv")
    assert hostile_run.exit_code == 0, hostile_run.stderr
    assert hostile_run.stdout.splitlines()[0] == benign.stdout.splitlines()[0]  # same columns
    assert rows(hostile_run) == []
    for value in ('Phạm Văn Minh" } UNION { ?s ?p ?o } #', "Phạm Văn Minh' } #", "Phạm Văn Minh\\"):
        assert rows(anttkg(hostile.store, "query", "person-profile", "-p", f"name={value}", "-f", "csv")) == []
    assert article_rows(hostile.store) == hostile.articles  # nothing was dropped


def test_control_characters_and_long_values_in_a_param_are_bound_as_data(hostile):
    header = anttkg(hostile.store, "query", "person-profile", "-p", "name=x", "-f", "csv").stdout.splitlines()[0]
    for value in ("a\nb } #", "a\x00b", "\u202e" + "B" * 50000):
        run = anttkg(hostile.store, "query", "person-profile", "-p", f"name={value}", "-f", "csv")
        assert run.exit_code in (0, 1) and "Traceback" not in run.stderr
        if run.exit_code == 0:
            assert run.stdout.splitlines()[0] == header and rows(run) == []
        else:
            assert "parameter" in run.stderr or "control" in run.stderr


@pytest.mark.parametrize("name", ["../queries/people", "../../etc/passwd", "people/../../secret",
                                  "..\\..\\secret", "/etc/passwd", "%2e%2e/secret"])
def test_query_name_cannot_reach_outside_the_queries_folder(hostile, tmp_path, name):
    secret = tmp_path / "secret"
    secret.write_text("SELECT ?leak WHERE { BIND('SECRET-CONTENT' AS ?leak) }", encoding="utf-8")
    run = anttkg(hostile.store, "query", name)
    assert run.exit_code == 1
    assert "SECRET-CONTENT" not in run.stdout + run.stderr and "root:" not in run.stdout
    assert "not a canned query name" in run.stderr or "no canned query" in run.stderr


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/sparql", "gopher://example.org/",
                                 "javascript:alert(1)", "example.org/sparql"])
def test_remote_urls_that_are_not_http_are_refused(hostile, url):
    for args in (("query", "people", "--endpoint", url), ("load", "--endpoint", url)):
        run = anttkg(hostile.store, *args)
        assert run.exit_code == 1, (args, run.stderr)
        assert "http" in run.stderr and "Traceback" not in run.stderr


# ---------------------------------------------------------------------------------------------------------
# Cases with a store of their own


def test_same_article_twice_across_two_builds_is_not_duplicated(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    body = txt("Bài đăng lại", "09/09/2021", GOOD_TEXT)
    (first / "ban-goc.txt").write_text(body, encoding="utf-8")
    (second / "ban-dang-lai.txt").write_text(body, encoding="utf-8")
    store = tmp_path / "store"
    run, _ = build(store, first)
    assert run.exit_code == 0, run.stderr
    run, report = build(store, second)
    assert run.exit_code == 0, run.stderr
    assert [d["duplicate_of"] for d in report["duplicates"]] == ["ban-goc"]
    assert set(article_rows(store)) == {"ban-goc"}


def test_missing_path_beside_good_input_is_reported_and_good_input_built(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(txt("Bài tốt", "01/01/2021", GOOD_TEXT), encoding="utf-8")
    missing = tmp_path / "khong-ton-tai.txt"
    store = tmp_path / "store"
    run, report = build(store, good, missing)
    assert run.exit_code == 1
    assert f"skipped {missing}" in run.stderr
    assert any(item["origin"] == str(missing) for item in report.get("skipped", []))
    assert set(article_rows(store)) == {"good"}


def test_words_keep_their_marks_and_wrapped_bodies_are_read(hostile):
    titles = {article_id: row["title"] for article_id, row in hostile.articles.items()}
    assert titles["hoac"] == "Xử lý hoặc khởi tố, trong ngoặc kép"
    from anttkg.store import GraphStore

    with GraphStore(hostile.store, read_only=True) as store:
        _cols, found = store.select(
            "SELECT ?text WHERE { GRAPH <https://w3id.org/anttkg/id/article/form-body> "
            "{ ?s a antt:Sentence ; rdf:value ?text } }")
    text = " ".join(row[0] for row in found)
    assert "Công an phường Bến Nghé ra quân tuần tra" in text and "40 cán bộ" in text
    assert "__VIEWSTATE" not in text and "abc" not in text.split()


def test_a_title_only_article_is_built_and_reported(hostile):
    assert "title-only" in hostile.articles
    (warning,) = [w for w in hostile.report["warnings"] if w["article_id"] == "title-only"]
    assert warning["origin"] == str(hostile.folder / "title-only.html") and "no body text" in warning["reason"]
    assert hostile.message_about(warning["origin"]).startswith("warning ")


def test_the_hostile_store_agrees_with_its_manifest(hostile):
    run = anttkg(hostile.store, "check")
    assert run.exit_code == 0, run.stdout + run.stderr


def test_a_violation_and_an_unvalidated_article_are_remembered(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(txt("Công an Nam Định tổng kết", "12/05/2021", GOOD_TEXT), encoding="utf-8")
    store = tmp_path / "store"
    run, report = build(store, folder, extra=("--no-validate",))
    assert run.exit_code == 0 and report["validated"] is False and report["unvalidated"] == 1
    run, report = build(store, folder)
    assert report["unchanged"] == 1 and report["validated"] is True and report["unvalidated"] == 0
    assert run.exit_code == 0
