"""Figures: reported quantities with a unit noun; not years, dates, codes or ordinals."""
from __future__ import annotations

from anttkg.extract.context import ArticleText
from anttkg.extract import dates, documents, figures, numbers, programs
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction


def run(body: str) -> list:
    article = Article(id="f", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = dates.find_dates(doc)
    found.reference_year = dates.reference_year(doc, found.dates)
    found.numbers = numbers.find_numbers(doc)
    found.documents = documents.find_documents(doc, found)
    found.programs = programs.find_programs(doc, found)
    return figures.find_figures(doc, found)


def test_counted_nouns_and_multipliers():
    got = {(f.value, f.unit) for f in run(
        "Toàn tỉnh có 236 mô hình tự quản, 1.045 tổ tự quản và gần 410 nghìn gia đình ký cam kết; "
        "tổ chức 57 buổi tuyên truyền tại 19 điểm cầu.")}
    assert {(236, "mô hình"), (1045, "tổ tự quản"), (410000, "gia đình"), (57, "buổi tuyên truyền"),
            (19, "điểm cầu")} <= got


def test_percent_and_combined_units():
    got = {(f.value, f.unit) for f in run("Có 91% khu dân cư đạt chuẩn; 42 tỉnh, thành phố tham gia.")}
    assert (91, "%") in got
    assert (42, "tỉnh, thành phố") in got


def test_years_dates_codes_and_ordinals_are_not_figures():
    got = {f.value for f in run(
        "Năm 2021, ngày 12/3/2021, Đại hội lần thứ 15 theo Kế hoạch số 77/KH-CAT, "
        "ông A 45 tuổi, sau 5 năm thực hiện.")}
    assert not got & {2021, 12, 15, 77, 45, 5}


def test_money_figure():
    got = {(f.value, f.unit) for f in run("Thu giữ tài sản trị giá 3,2 tỷ đồng.")}
    assert (3200000000, "đồng") in got


def test_rates_are_no_quantities():
    got = {(f.value, f.unit) for f in run(
        "Giá bán lẻ tăng 1.200 đồng/lít; xe chạy 90 km/h; công ty nộp 3 tỷ đồng tiền thuế và vận chuyển 12 tấn hàng.")}
    assert got == {(3_000_000_000, "đồng"), (12, "tấn")}


def test_an_anniversary_counts_its_years_but_a_duration_does_not():
    got = {(f.value, f.unit) for f in run(
        "Trường tổ chức Lễ kỷ niệm 45 năm thành lập; chào mừng 70 năm Ngày truyền thống lực lượng. "
        "Ông công tác 30 năm trong ngành, bị phạt 7 năm tù.")}
    assert got == {(45, "năm"), (70, "năm")}


def test_police_work_counts_of_people_goods_and_groups():
    got = {(f.value, f.unit) for f in run(
        "Lực lượng huy động 150 cảnh sát, triệt phá 4 đường dây, 9 ổ nhóm, thu 310 con dấu và 6 thùng pháo.")}
    assert got == {(150, "cảnh sát"), (4, "đường dây"), (9, "ổ nhóm"), (310, "con dấu"), (6, "thùng")}
