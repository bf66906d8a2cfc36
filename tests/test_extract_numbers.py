"""Numbers as Vietnamese writes them, and figures (number + counted noun)."""
from __future__ import annotations

import pytest

from anttkg.extract.context import ArticleText
from anttkg.extract.dates import find_dates, reference_year
from anttkg.extract.numbers import find_numbers, parse_number
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article


@pytest.mark.parametrize("text, value", [
    ("7.402", 7402), ("1.250.000", 1250000), ("340 nghìn", 340000), ("2,5 triệu", 2500000),
    ("4 tỷ", 4000000000), ("87%", 87), ("07", 7), ("3.7 triệu", 3700000), ("12,5", 12.5),
    ("15 ngàn", 15000), ("1,2 tỉ", 1200000000),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "12/KH", "", "1.2.3"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_find_numbers_in_text_skips_codes_and_keeps_prefix_words_out():
    article = Article(id="n", title="Tin", text="Có hơn 45 nghìn người và gần 2.310 hộ; văn bản 88/KH-UBND.")
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = {m.text: m.value for m in find_numbers(doc)}
    assert found["45 nghìn"] == 45000
    assert found["2.310"] == 2310
    assert 88 not in found.values()


def numbers_in(body: str) -> dict:
    article = Article(id="n", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    return {m.text: m.value for m in find_numbers(doc)}


def test_glued_units_are_read_but_other_glued_letters_are_not():
    found = numbers_in("Rừng 1.250ha, đường 7km, hàng 40kg, nhà 85m2; mạng 4G, mã A12, xe 29C1.")
    assert found == {"1.250": 1250, "7": 7, "40": 40, "85": 85}


def test_a_number_after_a_word_and_slash_or_a_range_dash_stands_alone():
    found = numbers_in("Khởi tố 3 vụ/5 bị can; đón 1.200-1.500 người; Quyết định 45/QĐ-UBND, ngày 12/2020.")
    assert found["5"] == 5 and found["1.500"] == 1500
    assert 45 not in found.values() and 2020 not in found.values()


def test_a_three_digit_group_after_a_stray_comma_space_is_not_read_with_the_multiplier():
    found = numbers_in("Thiệt hại 12, 375 tỷ đồng; mệnh giá 100, 200 nghìn đồng.")
    assert found == {"12": 12, "100": 100, "200 nghìn": 200_000}


def test_a_list_of_three_sharing_one_multiplier_keeps_its_last_item():
    found = numbers_in("Giá niêm yết 41, 260 triệu đồng; mức hỗ trợ 5, 20, 125 triệu đồng.")
    assert found == {"41": 41, "5": 5, "20": 20, "125 triệu": 125_000_000}  # "41, 260 triệu" is 41,26 triệu
    assert numbers_in("Các năm 2015, 2016 thu 1, 250 kg.") == {"2015": 2015, "2016": 2016, "1": 1, "250": 250}
