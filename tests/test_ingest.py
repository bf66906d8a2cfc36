"""The ingest stage: files and folders -> Article / IngestProblem, never an exception."""
from __future__ import annotations

import gzip
import json
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anttkg import ingest
from anttkg.ingest import SUPPORTED_SUFFIXES, parse_published, read_inputs, split_trailing_byline
from anttkg.models import Article, IngestProblem

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read_all(*paths) -> list[Article | IngestProblem]:
    return list(read_inputs(paths))


def articles(items) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def problems(items) -> list[IngestProblem]:
    return [item for item in items if isinstance(item, IngestProblem)]


def only_article(path) -> Article:
    items = read_all(path)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def only_problem(path) -> IngestProblem:
    items = read_all(path)
    assert len(items) == 1 and isinstance(items[0], IngestProblem), items
    return items[0]


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes as legacy Vietnamese software wrote them: a base letter, then a combining tone."""
    out = bytearray()
    tones = "\u0300\u0301\u0303\u0309\u0323"
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (letter + "".join(c for c in decomposed if c in tones)).encode("cp1258")
    return bytes(out)


def write_jsonl(path: Path, records, *, gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


# ---------------------------------------------------------------------------------------------- .txt layouts


def test_layout_with_date_and_view_counter():
    article = only_article(FIXTURES / "layout_date_views.txt")
    assert article.id == "layout_date_views"
    assert article.title == "Công an tỉnh Nam Định ra quân bảo đảm trật tự an toàn giao thông dịp cuối năm"
    assert article.published == "2021-12-12"
    assert article.authors == ("Hồng Nhung",)
    assert article.text.startswith("Sáng 12/12/2021, tại thành phố Nam Định")
    for chrome in ("Lượt xem", "Tìm kiếm", "Liên kết website", "Tin tức - Sự kiện", "Hồng Nhung"):
        assert chrome not in article.text
    assert article.origin.endswith("layout_date_views.txt")


def test_layout_with_date_marker_takes_lead_from_marker_line_and_title_from_first_sentence():
    article = only_article(FIXTURES / "layout_date_marker.txt")
    assert article.published == "2021-05"  # only month and year are given: no guessed day
    assert article.sapo.startswith("Thanh niên Công an quận Hoàn Kiếm ra quân")  # outlet tag "ANTĐ - " removed
    assert "date" not in article.sapo and "ANTĐ" not in article.sapo
    assert article.title == "Thanh niên Công an quận Hoàn Kiếm ra quân hỗ trợ người dân làm thủ tục cấp căn cước"
    assert article.text.startswith("Sáng 3/5")


def test_layout_with_kicker_weekday_date_and_separator():
    article = only_article(FIXTURES / "layout_kicker.txt")
    assert article.title.startswith("Khen thưởng 15 tập thể")
    assert "Cần Thơ:" not in article.title
    assert article.published == "2021-09-05"
    assert article.text.startswith("Ngày 04/9/2021")  # "(CAO) " tag and "|" line gone
    assert "Bình luận" not in article.text and "Lên đầu trang" not in article.text
    assert article.authors == ()


def test_layout_with_breadcrumbs_no_date_and_trailing_chrome():
    article = only_article(FIXTURES / "layout_breadcrumb.txt")
    assert article.title == "Hội nghị triển khai mô hình camera an ninh tại các xã biên giới"
    assert article.published is None
    assert article.authors == ("Lê Thị Hoa",)
    assert article.text.startswith("Ngày 14/10")
    for chrome in ("Chi tiết tin", "THỐNG KÊ", "Thông tin tuyên truyền", "Lượt xem"):
        assert chrome not in article.text
    # the repeated caption is kept once
    assert article.text.count("Các đại biểu dự hội nghị tại hội trường") == 1


def test_layout_with_two_authors_and_source_line():
    article = only_article(FIXTURES / "layout_source.txt")
    assert article.published == "2018-06-22"
    assert article.authors == ("Minh Châu", "Quốc Việt")
    assert article.source == "Báo Quảng Trị"
    assert "Nguồn" not in article.text and "Danh mục" not in article.text
    assert article.text.endswith("được tặng Giấy khen.")


def test_last_sentence_of_body_is_not_taken_for_a_byline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Tiêu đề bài viết\n\n01/02/2020\n\nCâu mở đầu của bài.\n\nCông an Nhân Dân Việt Nam\n",
                    encoding="utf-8")
    article = only_article(path)
    assert article.authors == ()
    assert article.text.endswith("Công an Nhân Dân Việt Nam")


@pytest.mark.parametrize("line, iso", [
    ("08/08/2022", "2022-08-08"),
    ("Thứ Sáu, 20/11/2020 18:40", "2020-11-20"),
    ("15/03/2019 09:10 Số lượt xem: 111", "2019-03-15"),
    ("Thứ hai, 06/01/2023 - 15:30 (GMT+7)", "2023-01-06"),
    ("Cập nhật: 10:30 ngày 6-1-2023", "2023-01-06"),
    ("Chủ nhật, 8.8.2021, 07h05", "2021-08-08"),
    ("2022-12-31", "2022-12-31"),
])
def test_date_line_forms(tmp_path, line, iso):
    path = tmp_path / "d.txt"
    path.write_text(f"Tiêu đề\n{line}\nNội dung bài viết.\n", encoding="utf-8")
    assert only_article(path).published == iso


def test_impossible_date_is_not_published(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("Tiêu đề\n31/02/2022\nNội dung bài viết.\n", encoding="utf-8")
    assert only_article(path).published is None


@pytest.mark.parametrize("value, iso", [
    ("2022-08-08T10:00:00+07:00", "2022-08-08"),
    ("2023-01", "2023-01"),
    ("08/08/2022", "2022-08-08"),
    ("ngày 5 tháng 7 năm 2021", "2021-07-05"),
    ("không rõ", None),
    ("2022-13-01", None),
    (1660000000, None),
    (None, None),
])
def test_parse_published(value, iso):
    assert parse_published(value) == iso


# ---------------------------------------------------------------------------------------------- bylines


@pytest.mark.parametrize("text, rest, authors", [
    ("Vụ việc đang được điều tra làm rõ. Kim Thanh (T/h)", "Vụ việc đang được điều tra làm rõ.", ("Kim Thanh",)),
    ("Hai bên ký kết hợp tác. Nguyễn Văn A - Trần B", "Hai bên ký kết hợp tác.", ("Nguyễn Văn A", "Trần B")),
    ("Trận đấu kết thúc. Q.H (Tổng hợp)", "Trận đấu kết thúc.", ("Q.H",)),
    ("Buổi lễ kết thúc./. Xuân Dần/VOV", "Buổi lễ kết thúc./.", ("Xuân Dần",)),
    ("Đã bắt giữ đối tượng./. Hà Lâm/VOV-Đông Bắc", "Đã bắt giữ đối tượng./.", ("Hà Lâm",)),  # an agency's desk
    ("Lễ hội kết thúc. Minh Tú/VOV- Trung tâm Tin", "Lễ hội kết thúc.", ("Minh Tú",)),
    ("Kết thúc. Bài và ảnh: HOÀNG HẢI", "Kết thúc.", ("Hoàng Hải",)),
    ("Ông nói: “Sẽ làm rõ”. Minh Khuê", "Ông nói: “Sẽ làm rõ”.", ("Minh Khuê",)),
    ("Đoàn đã làm việc với tỉnh. Tin, ảnh: Lê Hòa (TTXVN)", "Đoàn đã làm việc với tỉnh.", ("Lê Hòa",)),
    ("Hai bên ký biên bản. Hồng Điệp (TTXVN/Vietnam+)", "Hai bên ký biên bản.", ("Hồng Điệp",)),
    ("Hai đoàn đã hội đàm. Văn Khải", "Hai đoàn đã hội đàm.", ("Văn Khải",)),
    ("Hai đoàn đã hội đàm. Ngọc Diệp - PV (TTXVN)", "Hai đoàn đã hội đàm.", ("Ngọc Diệp",)),
    ("Đã khởi tố vụ án. Thanh Bình  Quốc Việt", "Đã khởi tố vụ án.", ("Thanh Bình", "Quốc Việt")),  # lines joined
    ("Đã khởi tố vụ án. Trần Thị Thanh Bình", "Đã khởi tố vụ án.", ("Trần Thị Thanh Bình",)),  # one gap: one name
])
def test_trailing_byline_is_split(text, rest, authors):
    assert split_trailing_byline(text) == (rest, authors)


@pytest.mark.parametrize("text", [
    "Hội nghị diễn ra tại TP. Hồ Chí Minh",            # abbreviation dot, then a place
    "Đoàn công tác đã đến Hà Nội. Việt Nam",           # a place name, not a writer
    "Kết quả được công bố. Theo VnExpress",             # a source attribution
    "Hiện trường vụ cháy. Ảnh: Thiên Sơn",             # a photo credit
    "Ông cho biết sẽ tiếp tục xem xét vụ việc",         # no sentence end before the last words
    "Đại tướng Tô Lâm phát biểu. Đại tướng Tô Lâm",     # a caption with lower-case words
    "Sự kiện kết thúc. TT",                            # a lone word without a credit note is unclear
    "Đoàn đã thăm khu công nghiệp. PV (TTXVN)",        # a generic role signs, not a writer
    "Đoàn đã thăm khu công nghiệp. Nhóm PV",
    "Đoàn đã thăm khu công nghiệp. CTV",
])
def test_unclear_tails_are_left_alone(text):
    assert split_trailing_byline(text) == (text, ())


# ---------------------------------------------------------------------------------------------- HTML


def test_html_visible_text_and_metadata():
    article = only_article(FIXTURES / "page.html")
    assert article.title == "Tuổi trẻ Công an tỉnh Hà Giang hiến máu tình nguyện"  # <h1> first
    assert article.published == "2022-03-26"
    assert article.authors == ("Vũ Thành Long",)
    assert article.url == "https://example.org/tin/hien-mau"
    assert article.text.splitlines()[0].startswith("Sáng 26/3")
    assert '"Giọt hồng"' in article.text  # entities decoded
    assert "Có 120 đoàn viên tham gia, thu về 110 đơn vị máu.\nChương trình" in article.text  # <br> -> line
    for hidden in ("secret", "KHÔNG HIỆN", "giả", "Trang chủ", "Đầu trang", "Ô tìm kiếm", "Tin liên quan",
                   "JSON-LD", "Bản quyền", "color"):
        assert hidden not in article.text, hidden


def test_html_title_falls_back_to_og_title_then_title_and_date_to_time(tmp_path):
    og = tmp_path / "og.html"
    og.write_text('<html><head><meta property="og:title" content="Tiêu đề og">'
                  "<title>Tiêu đề thẻ title</title></head><body><p>Thân bài.</p>"
                  '<time datetime="2020-05-04">4 tháng 5</time></body></html>', encoding="utf-8")
    article = only_article(og)
    assert article.title == "Tiêu đề og"
    assert article.published == "2020-05-04"
    plain = tmp_path / "plain.htm"
    plain.write_text("<html><head><title>Tiêu đề thẻ title</title></head><body><div>Thân bài.</div></body></html>",
                     encoding="utf-8")
    assert only_article(plain).title == "Tiêu đề thẻ title"


def test_html_made_of_scripts_and_styles_only_is_a_problem(tmp_path):
    path = tmp_path / "scripts.html"
    path.write_text("<html><head><style>" + "p{color:red}" * 500 + "</style></head><body>"
                    + "<script>var a = '<p>không phải bài</p>';</script>" * 200 + "</body></html>",
                    encoding="utf-8")
    problem = only_problem(path)
    assert "no article text" in problem.reason
    assert problem.origin == str(path)


def test_html_declared_legacy_charset(tmp_path):
    path = tmp_path / "legacy.html"
    body = "<html><head><meta charset='windows-1258'></head><body><h1>Công an xã</h1><p>Bảo vệ an ninh.</p></body></html>"
    path.write_bytes(to_cp1258(body))
    article = only_article(path)
    assert article.title == "Công an xã"
    assert article.text == "Bảo vệ an ninh."


# ---------------------------------------------------------------------------------------------- JSON


def test_jsonl_records_and_problems():
    items = read_all(FIXTURES / "records.jsonl")
    by_id = {a.id: a for a in articles(items)}
    assert list(by_id) == ["rec-1", "42", "records-3", "rec-6"]
    first = by_id["rec-1"]
    assert first.sapo.startswith("Công an huyện Bảo Lâm vừa triệt phá")
    assert first.authors == ("Trần Minh",) and first.text.endswith("điều tra làm rõ.")
    assert (first.url, first.published, first.source) == ("https://example.org/a/1", "2021-04-03", "Báo mẫu")
    assert by_id["42"].title == "2024" and by_id["42"].sapo == "Tin có tiêu đề là một con số."
    assert by_id["42"].authors == ("Nguyễn An", "Lê Bình")
    assert by_id["records-3"].authors == ("Phạm Cường", "Đỗ Dũng")
    assert by_id["rec-6"].title == "Bài không có tiêu đề"
    assert by_id["rec-6"].origin.endswith("records.jsonl:6")
    missing, broken = problems(items)
    assert missing.origin.endswith("records.jsonl:4") and "'text'" in missing.reason
    assert missing.article_id == "rec-4"
    assert broken.origin.endswith("records.jsonl:5") and "invalid JSON" in broken.reason
    assert "Expecting" in broken.reason  # the JSON error itself
    assert items.index(broken) < items.index(by_id["rec-6"])  # reading went on after the broken line


@pytest.mark.parametrize("text_value, expected", [(["Đoạn một.", "Đoạn hai."], "Đoạn một.\nĐoạn hai."),
                                                  (12345, "12345")])
def test_jsonl_text_of_other_types(tmp_path, text_value, expected):
    path = write_jsonl(tmp_path / "t.jsonl", [{"id": "x", "title": "T", "text": text_value}])
    assert only_article(path).text == expected


@pytest.mark.parametrize("record, words", [
    ({"id": "x", "title": "T", "text": {"a": 1}}, "must be a string"),
    ({"id": "x", "title": "T", "text": None}, "'text'"),
    ([1, 2], "expected a JSON object"),
    ({"id": "x", "title": "", "text": "   "}, "no article text"),
])
def test_jsonl_wrong_records_are_problems(tmp_path, record, words):
    path = write_jsonl(tmp_path / "t.jsonl", [record])
    problem = only_problem(path)
    assert words in problem.reason
    assert problem.origin == f"{path}:1"


def test_a_headline_without_body_is_still_an_article(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [{"id": "x", "title": "Bộ Công an khen thưởng 20 tập thể", "text": " "}])
    article = only_article(path)
    assert article.title == "Bộ Công an khen thưởng 20 tập thể" and article.text == ""


def test_json_single_object_and_list(tmp_path):
    single = tmp_path / "mot-bai.json"
    single.write_text(json.dumps({"title": "Một bài", "text": "Nội dung."}, ensure_ascii=False), encoding="utf-8")
    assert only_article(single).id == "mot-bai"
    many = tmp_path / "nhieu.json"
    many.write_text(json.dumps([{"id": "a", "title": "A", "text": "x."}, {"title": "B", "text": "y."}, "rác"]),
                    encoding="utf-8")
    items = read_all(many)
    assert [a.id for a in articles(items)] == ["a", "nhieu-2"]
    (problem,) = problems(items)
    assert problem.origin == f"{many}#3"
    broken = tmp_path / "hong.json"
    broken.write_text('{"id": "a",\n "text": }', encoding="utf-8")
    problem = only_problem(broken)
    assert problem.origin == f"{broken}:2" and "invalid JSON" in problem.reason


def test_jsonl_gz_and_truncated_gz(tmp_path):
    records = [{"id": f"r{i}", "title": f"Bài {i}", "text": f"Nội dung bài số {i}. " * 40} for i in range(300)]
    whole = write_jsonl(tmp_path / "whole.jsonl.gz", records, gz=True)
    assert [a.id for a in articles(read_all(whole))] == [f"r{i}" for i in range(300)]
    data = whole.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    items = read_all(cut)
    good = articles(items)
    assert 0 < len(good) < 300
    assert [a.id for a in good] == [f"r{i}" for i in range(len(good))]
    last = items[-1]
    assert isinstance(last, IngestProblem)
    assert str(cut) in last.origin and "truncated or corrupt gzip" in last.reason
    assert last.origin.startswith(f"{cut}:") and f"after line {len(good)}" in last.reason


def test_gz_that_is_not_gzip(tmp_path):
    path = tmp_path / "fake.jsonl.gz"
    path.write_text('{"id": 1, "title": "t", "text": "x"}\n', encoding="utf-8")
    problem = only_problem(path)
    assert "gzip" in problem.reason and problem.origin == str(path)


def test_oversized_jsonl_line_is_skipped_and_reading_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ARTICLE_BYTES", 4096)
    path = write_jsonl(tmp_path / "big.jsonl", [
        {"id": "a", "title": "A", "text": "x. " * 5000},
        {"id": "b", "title": "B", "text": "Bài ngắn."},
    ])
    items = read_all(path)
    assert isinstance(items[0], IngestProblem) and items[0].origin == f"{path}:1"
    assert "too large" in items[0].reason
    assert [a.id for a in articles(items)] == ["b"] and articles(items)[0].origin == f"{path}:2"


def test_oversized_text_file_is_a_problem_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ARTICLE_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_text("Tiêu đề\n" + "Câu văn dài. " * 500, encoding="utf-8")
    problem = only_problem(path)
    assert "too large" in problem.reason and problem.origin == str(path)


@pytest.mark.slow
def test_jsonl_gz_is_streamed_with_flat_memory(tmp_path):
    text = "Công an xã tuần tra bảo đảm an ninh trật tự trên địa bàn. " * 800  # ~48 KB a record
    path = tmp_path / "stream.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for i in range(600):  # ~30 MB of text
            handle.write(json.dumps({"id": i, "title": "t", "text": text}, ensure_ascii=False) + "\n")
    tracemalloc.start()
    count = sum(1 for item in read_inputs([path]) if isinstance(item, Article))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 600
    assert peak < 8 * 1024 * 1024


# ---------------------------------------------------------------------------------------------- bad bytes


def test_empty_and_blank_files(tmp_path):
    for name in ("empty.txt", "empty.html", "empty.jsonl", "empty.json"):
        (tmp_path / name).write_bytes(b"")
        assert "empty" in only_problem(tmp_path / name).reason
    (tmp_path / "blank.txt").write_text(" \n\n\t \n", encoding="utf-8")
    assert "empty" in only_problem(tmp_path / "blank.txt").reason
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    assert "no records" in only_problem(tmp_path / "blank.jsonl").reason


def test_binary_file_is_a_problem(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    problem = only_problem(path)
    assert "binary" in problem.reason and problem.origin == str(path)


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                           ("utf-8", b"\xef\xbb\xbf")])
def test_byte_order_marks(tmp_path, encoding, bom):
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + "Tiêu đề có dấu\n01/01/2021\nNội dung tiếng Việt.\n".encode(encoding))
    article = only_article(path)
    assert article.title == "Tiêu đề có dấu" and article.published == "2021-01-01"
    assert "\ufeff" not in article.title


def test_utf16_jsonl(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes(b"\xff\xfe" + '{"id": "w", "title": "Tiêu đề", "text": "Nội dung."}\n'.encode("utf-16-le"))
    assert only_article(path).title == "Tiêu đề"


def test_windows_1258_text(tmp_path):
    path = tmp_path / "legacy.txt"
    # cp1258 writes Vietnamese with combining tone marks; ingest must give NFC text
    path.write_bytes(to_cp1258("Công an tỉnh Bắc Ninh\n02/03/2019\nNgười dân tố giác tội phạm.\n"))
    assert b"\xcc" in path.read_bytes() or b"\xd2" in path.read_bytes()  # combining tone bytes were written
    article = only_article(path)
    assert article.title == "Công an tỉnh Bắc Ninh"
    assert article.text == unicodedata.normalize("NFC", "Người dân tố giác tội phạm.")
    assert unicodedata.is_normalized("NFC", article.text)


def test_nfd_old_tones_and_control_characters_are_normalised(tmp_path):
    path = tmp_path / "nfd.txt"
    text = unicodedata.normalize("NFD", "Uỷ ban nhân dân xã hoá\n01/01/2020\nNội\x07 dung\x00 bài.\u200b\n")
    path.write_text(text, encoding="utf-8")
    article = only_article(path)
    assert article.title == "Ủy ban nhân dân xã hóa"
    assert article.text == "Nội dung bài."


def test_undecodable_text_is_a_problem(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xff\xfe\x00\xd8" + b"abc")  # UTF-16 BOM then a lone surrogate
    problem = only_problem(path)
    assert "utf-16" in problem.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]))
def test_arbitrary_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in read_inputs([path]):
        assert isinstance(item, (Article, IngestProblem))
        if isinstance(item, IngestProblem):
            assert str(path) in item.origin and item.reason and "\n" not in item.reason


# ---------------------------------------------------------------------------------------------- paths


def test_folder_is_read_recursively_in_sorted_order_and_skips_are_reported(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for rel in ("b/z.txt", "a/y.txt", "a/sub/x.TXT", "c.txt", ".git/ignored.txt"):
        (tmp_path / rel).write_text(f"Tiêu đề {rel}\nNội dung.\n", encoding="utf-8")
    (tmp_path / "a" / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = read_all(tmp_path)
    assert [a.id for a in articles(items)] == ["x", "y", "z", "c"]
    (skipped,) = problems(items)
    assert skipped.origin == str(tmp_path / "a" / "notes.pdf")
    assert "skipped" in skipped.reason and ".pdf" in skipped.reason
    assert read_all(tmp_path) == items  # deterministic


def test_links_to_folders_are_not_followed_inside_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text("Tiêu đề\nNội dung.\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    items = read_all(tmp_path)
    assert [a.id for a in articles(items)] == ["a"]
    (problem,) = problems(items)
    assert problem.origin == str(tmp_path / "loop") and "link to a folder" in problem.reason


def test_missing_path_unsupported_file_and_empty_folder(tmp_path):
    missing = tmp_path / "khong-co.txt"
    assert only_problem(missing) == IngestProblem(str(missing), "no such file or folder")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    assert "unsupported" in only_problem(pdf).reason
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no supported files" in only_problem(empty).reason


def test_same_id_twice_is_yielded_twice_for_the_build_to_judge(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    for folder in ("one", "two"):
        (tmp_path / folder / "same.txt").write_text("Tiêu đề\nNội dung.\n", encoding="utf-8")
    items = read_all(tmp_path)
    assert [(a.id, a.origin) for a in items] == [("same", str(tmp_path / "one" / "same.txt")),
                                                ("same", str(tmp_path / "two" / "same.txt"))]


def test_supported_suffixes():
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".html", ".htm", ".json", ".jsonl", ".jsonl.gz"}


def test_read_inputs_is_lazy(tmp_path):
    good = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "A", "text": "x."}])
    iterator = read_inputs([good, tmp_path / "later-missing"])
    assert next(iterator).id == "a"  # the first file is read before the second path is looked at


# ---------------------------------------------------------------------------------------------- seeds


def test_seed_articles_match_gold_metadata(shared_dir):
    gold = json.loads((shared_dir / "eval" / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
    items = read_all(shared_dir / "seeds")
    assert not problems(items)
    by_id = {a.id: a for a in articles(items)}
    assert set(by_id) == set(gold)
    for article_id, expected in gold.items():
        article = by_id[article_id]
        assert article.published == expected.get("published"), article_id
        assert list(article.authors) == expected.get("authors", []), article_id
        assert article.title and len(article.title) <= 300, article_id
        for chrome in ("Tìm kiếm", "Lên đầu trang", "Bình luận", "Lượt xem", "Liên kết website", "Nguồn:"):
            assert chrome not in article.full_text, (article_id, chrome)
        assert " date " not in article.full_text


def test_seed_titles(shared_dir):
    by_id = {a.id: a for a in articles(read_all(shared_dir / "seeds"))}
    titles = {article_id: article.title for article_id, article in by_id.items()}
    assert titles["000_ead0b89c278ea767"].startswith("Tuổi trẻ Công an nhân dân xung kích")
    assert titles["002_1f473c490a77fa94"].startswith("Biểu dương 197 tập thể")  # kicker "Bộ Công an:" dropped
    assert titles["003_9e525a15b9b8ba69"].startswith("Tổng kết công tác tổ chức Ngày hội")
    assert titles["004_04839f540b1cc560"].startswith("Sơ kết các Chương trình phối hợp")
    # no title line: the lead's first sentence, without the outlet tag
    assert titles["001_03a2e63fc07df6f7"].startswith("Triển khai chương trình công tác năm 2023")
    assert by_id["004_04839f540b1cc560"].source == "MTTQ"


@pytest.mark.slow
def test_corpus_sample_reads_without_problems(shared_dir):
    """The first records of the real corpus: every record becomes an article with its own id."""
    import itertools

    corpus = shared_dir / "corpus" / "baomoi.jsonl.gz"
    items = list(itertools.islice(read_inputs([corpus]), 2000))
    assert len(articles(items)) >= 1990
    assert all(a.source == "baomoi.com" and a.title and (a.text or a.sapo) for a in articles(items))
    assert all(a.origin.startswith(f"{corpus}:") for a in items)


def test_lone_surrogates_from_json_escapes_become_replacement_characters(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "s\\ud800", "title": "A\\udc00B", "text": "x \\ud83d\\ude00 y \\ud83d", '
                    '"author": ["Nguy\\u1ec5n \\udfff"]}\n', encoding="utf-8")
    article = only_article(path)
    for value in (article.id, article.title, article.text, *article.authors):
        value.encode("utf-8")  # would raise on a lone surrogate
    assert article.title == "A\ufffdB"
    assert "\U0001F600" in article.text and article.text.endswith("\ufffd")


@pytest.mark.parametrize("text,authors", [
    ("Vụ việc đang được điều tra. H.M", ("H.M",)),
    ("Đối tượng đã bị tạm giữ. Theo An Nhiên/Dân trí", ("An Nhiên",)),
    ("Đối tượng đã bị tạm giữ. Theo VnExpress", ()),
    ("Sự việc xảy ra ở TP.HCM", ()),
    ("Tòa đã đình chỉ công tác ông Tâm. Thành Chung -Lê Thúy Hằng  (TTXVN)", ("Thành Chung", "Lê Thúy Hằng")),
    ("Hai bên nhất trí tăng cường hợp tác. Phong Vân -", ("Phong Vân",)),
    ("Vụ kiện đã kết thúc. NHƯ TÂM (VnExpress)", ("Như Tâm",)),
    ("Ông chỉ đạo xử lý triệt để. Tin- ảnh: Trường Hoàng", ("Trường Hoàng",)),
])
def test_trailing_bylines_with_initials_or_a_writer_of_another_outlet(text, authors):
    from anttkg.ingest import split_trailing_byline
    assert split_trailing_byline(text)[1] == authors
