"""Dates: numeric and worded forms, validation, look-alikes, and year completion."""
from __future__ import annotations

import pytest

from anttkg.extract.context import ArticleText
from anttkg.extract.dates import complete, find_dates, parse_date, reference_year
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, DateValue


def make_doc(body: str, title: str = "Tin tức", sapo: str = "", published: str | None = None) -> ArticleText:
    article = Article(id="t", title=title, sapo=sapo, text=body, published=published)
    return ArticleText.of(article, split_sentences(article.full_text))


def values(body: str, **kw) -> list[DateValue]:
    return [m.value for m in find_dates(make_doc(body, **kw))]


@pytest.mark.parametrize("text, expected", [
    ("Sáng 15/09/2021, Công an tỉnh họp.", DateValue(2021, 9, 15)),
    ("Ngày 7-5-2019 đoàn công tác đến.", DateValue(2019, 5, 7)),
    ("Chiều 12-4, hội nghị khai mạc.", DateValue(None, 4, 12)),
    ("Tối 9/2, lực lượng ra quân.", DateValue(None, 2, 9)),
    ("Hôm qua (14/10) đoàn đã về.", DateValue(None, 10, 14)),
    ("Trưa ngày 5.6 tin báo đến.", DateValue(None, 6, 5)),
    ("Quyết định ký ngày 2 tháng 9 năm 2020 tại Hà Nội.", DateValue(2020, 9, 2)),
    ("Từ tháng 4/2017 đơn vị triển khai.", DateValue(2017, 4, None)),
    ("Trong năm 2021 có nhiều kết quả.", DateValue(2021, None, None)),
])
def test_date_forms(text, expected):
    assert expected in values(text)


@pytest.mark.parametrize("text", [
    "Giá vàng tăng 3.7 triệu đồng mỗi lượng.",
    "Đội bóng thắng với tỷ số 2-1 trên sân nhà.",
    "Đến nay 63/63 tỉnh, thành phố đã hoàn thành.",
    "Thực hiện Kế hoạch số 215/KH-UBND của tỉnh.",
    "Ngày 31/2, không có cuộc họp nào.",
    "Chiều 12/13 trời mưa.",
    "Kết quả 5/10 người đạt.",
])
def test_look_alikes_are_not_dates(text):
    assert not [v for v in values(text) if v.month]


def test_period_is_not_a_date_but_its_years_are_not_invented():
    found = values("Giai đoạn 2016-2020 đã kết thúc.")
    assert not [v for v in found if v.month]


def test_parse_date_validates():
    assert parse_date("29/2/2024") == DateValue(2024, 2, 29)
    assert parse_date("29/2/2023") is None
    assert parse_date("0/5") is None
    assert parse_date("ngày 1 tháng 13 năm 2020") is None
    assert parse_date("năm 2022") == DateValue(2022)


def test_reference_year_from_publication():
    doc = make_doc("Chiều 3/4, hội nghị diễn ra.", published="2021-04-05")
    dates = find_dates(doc)
    year = reference_year(doc, dates)
    assert year == 2021
    assert complete(dates[0].value, doc, year) == DateValue(2021, 4, 3)


def test_december_event_in_january_article_belongs_to_previous_year():
    doc = make_doc("Tối 29/12, đoàn đã đến.", published="2024-01-03")
    dates = find_dates(doc)
    assert complete(dates[0].value, doc, reference_year(doc, dates)) == DateValue(2023, 12, 29)


def test_reference_year_from_the_title_year():
    doc = make_doc("Sáng 14/5, Công an tỉnh tổ chức hội nghị.", title="Sơ kết công tác năm 2019")
    assert reference_year(doc, find_dates(doc)) == 2019


def test_reference_year_from_full_dates_when_partial_date_is_not_before_them():
    body = ("Thực hiện Kế hoạch ngày 2/3/2018 của Bộ. Chiều 10/5, Công an tỉnh tổ chức hội nghị. "
            "Văn bản ngày 20/4/2018 đã hướng dẫn.")
    doc = make_doc(body)
    assert reference_year(doc, find_dates(doc)) == 2018


def test_no_year_invented_when_text_is_ambiguous():
    body = "Chiều 10/1, tổng kết năm 2018 và triển khai năm 2019. Văn bản ngày 2/3/2018 và 4/5/2019."
    doc = make_doc(body, title="Tin hoạt động")
    year = reference_year(doc, find_dates(doc))
    assert year is None
    partial = [m.value for m in find_dates(doc) if m.value.year is None and m.value.month]
    assert complete(partial[0], doc, year) == DateValue(None, 1, 10)
    assert complete(partial[0], doc, year).iso() == "--01-10"


def test_partial_date_before_full_dates_gets_no_year_from_them():
    doc = make_doc("Sáng 3/2, đoàn làm việc. Văn bản ngày 20/4/2018 đã hướng dẫn.", title="Tin")
    assert reference_year(doc, find_dates(doc)) is None


@pytest.mark.parametrize("title, sapo", [
    ("Công bố quy hoạch vùng chè Suối Mây đến năm 2035", "Quy hoạch vùng chè định hướng đến năm 2035."),
    ("Triển khai đề án giai đoạn năm 2026", "Đề án có tầm nhìn đến năm 2040."),
    ("Tổng kết phong trào từ năm 2012", "Phong trào được duy trì từ năm 2012."),
])
def test_a_plan_horizon_or_period_bound_is_no_reference_year(title, sapo):
    doc = make_doc("Chiều 14/6, huyện Đông Khê tổ chức hội nghị.", title=title, sapo=sapo)
    year = reference_year(doc, find_dates(doc))
    assert year is None
    partial = [m.value for m in find_dates(doc) if m.value.year is None and m.value.month]
    assert complete(partial[0], doc, year).iso() == "--06-14"


def test_a_horizon_in_the_lead_leaves_the_year_to_the_full_dates():
    doc = make_doc("Sáng 9/6, tỉnh công bố quy hoạch, phê duyệt tại Quyết định ngày 12/3/2019.",
                   title="Quy hoạch khu du lịch hồ Mây đến năm 2035", sapo="Quy hoạch đến năm 2035 được công bố.")
    assert reference_year(doc, find_dates(doc)) == 2019


def test_a_lead_year_far_after_every_dated_event_is_no_reference_year():
    doc = make_doc("Chiều 9/6, huyện công bố quy hoạch theo Quyết định ngày 12/3/2019 và Kế hoạch ngày 2/1/2019.",
                   title="Quy hoạch vùng sâm năm 2035")
    assert reference_year(doc, find_dates(doc)) == 2019


def test_a_day_and_month_followed_by_the_year_word_is_a_full_date():
    assert DateValue(2019, 6, 8) in values("Sáng 8/6 năm 2019, Công an huyện ra quân.")
