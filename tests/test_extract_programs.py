"""Programmes, movements, projects: quoted, numbered, named, period forms; canonical names; generics."""
from __future__ import annotations

from anttkg.extract import dates, programs
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction, OrgMention
from anttkg.text import key


def run(body: str, orgs: tuple[str, ...] = ()) -> list:
    article = Article(id="p", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = dates.find_dates(doc)
    for name in orgs:
        at = doc.text.find(name)
        if at >= 0:
            found.organizations.append(OrgMention(name, name, doc.span(at, at + len(name))))
    return programs.find_programs(doc, found)


def names(found) -> set[str]:
    return {p.name for p in found}


def test_quoted_theme_after_movement_cue_with_launcher():
    found = run("Tỉnh đoàn phát động phong trào thi đua với chủ đề “Thanh niên ANTT xung kích vì cộng đồng” "
                "trong toàn tỉnh.", orgs=("Tỉnh đoàn",))
    assert len(found) == 1
    assert found[0].kind == "movement"
    assert found[0].name == "Thanh niên an ninh trật tự xung kích vì cộng đồng"
    assert found[0].launched_by == "Tỉnh đoàn"


def test_known_movement_spelled_three_ways_is_one_name():
    texts = ["Đẩy mạnh phong trào Toàn dân bảo vệ ANTQ ở cơ sở.",
             "Tuyên dương điển hình phong trào toàn dân BVANTQ năm nay.",
             "Xây dựng phong trào “Toàn dân bảo vệ an ninh Tổ quốc” vững mạnh."]
    got = {key(p.name) for text in texts for p in run(text)}
    assert got == {key("Toàn dân bảo vệ an ninh Tổ quốc")}


def test_numbered_programmes_keep_their_number_and_launcher():
    found = run("Sơ kết Chương trình phối hợp số 14 về công tác dân vận và Đề án 03 của Chính phủ về dữ liệu.",
                orgs=("Chính phủ",))
    got = {p.name: p for p in found}
    assert got["Chương trình phối hợp số 14"].kind == "program"
    assert got["Đề án 03"].kind == "project"
    assert got["Đề án 03"].launched_by == "Chính phủ"


def test_period_form_drops_the_period_and_keeps_years():
    found = run("Triển khai chương trình giảm thiểu tai nạn giao thông trên các tuyến quốc lộ giai đoạn 2021 - 2025 "
                "tại địa phương.")
    assert names(found) == {"Giảm thiểu tai nạn giao thông trên các tuyến quốc lộ"}
    assert (found[0].start_year, found[0].end_year) == (2021, 2025)


def test_quoted_title_starting_with_its_cue():
    found = run("Hội nghị tổng kết “Chương trình phối hợp bảo vệ an ninh tuyến biên giới (ANBG) vùng Tây Bắc”, "
                "giai đoạn 2017-2022.")
    assert names(found) == {"Chương trình phối hợp bảo vệ an ninh tuyến biên giới vùng Tây Bắc"}
    assert found[0].start_year == 2017


def test_generic_mentions_are_not_programmes():
    found = run("Triển khai chương trình công tác năm 2024, các phong trào thi đua yêu nước, "
                "Chương trình phối hợp giai đoạn 2019-2023 và chương trình phối hợp giữa hai ngành "
                "giai đoạn 2020-2025; xem chương trình 2 giờ.")
    assert found == []
