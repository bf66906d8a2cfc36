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
