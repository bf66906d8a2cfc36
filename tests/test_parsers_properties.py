"""Property tests of the date, number and document-number parsers."""
from __future__ import annotations

import re

from hypothesis import example, given, settings, strategies as st

from anttkg.extract.context import ArticleText
from anttkg.extract.dates import format_date, parse_date, valid
from anttkg.extract.documents import NUMBER, find_documents, type_codes
from anttkg.extract import awards, documents, events, programs  # noqa: F401 (registers the families)
from anttkg.extract.numbers import _FAMILIES, lowered, parse_number, phrase_matches
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, DateValue, Extraction

dates = st.builds(DateValue, st.one_of(st.none(), st.integers(1950, 2090)), st.integers(1, 12),
                  st.integers(1, 31)).filter(lambda d: valid(d.year, d.month, d.day))


@given(dates, st.sampled_from(["/", "-"]))
def test_formatted_date_parses_back(value, sep):
    assert parse_date(format_date(value, sep)) == value


@given(st.integers(1950, 2090), st.integers(1, 12))
def test_month_year_round_trip(year, month):
    assert parse_date(format_date(DateValue(year, month, None))) == DateValue(year, month, None)


@given(st.integers(0, 10**12))
def test_dot_grouped_integers_round_trip(n):
    assert parse_number(f"{n:,}".replace(",", ".")) == n


@given(st.integers(0, 999_999), st.sampled_from([("nghìn", 10**3), ("triệu", 10**6), ("tỷ", 10**9)]))
def test_multiplier_forms_round_trip(n, word_factor):
    word, factor = word_factor
    assert parse_number(f"{n} {word}") == n * factor


@given(st.integers(1, 99_999), st.integers(1, 9))
def test_decimal_comma_with_multiplier(whole, tenth):
    assert parse_number(f"{whole},{tenth} triệu") == whole * 1_000_000 + tenth * 100_000


codes = st.sampled_from(["KH", "QĐ", "NQ", "CT", "HD", "TB", "KL", "TT"])
issuers = st.sampled_from(["BCA", "UBND", "BCĐ", "CAT-PV01", "TTg", "BTC"])
types = st.sampled_from(["Kế hoạch", "Quyết định", "Nghị quyết", "Chỉ thị", "Hướng dẫn", "Thông báo"])


@given(types, st.integers(1, 9999), st.one_of(st.none(), st.integers(2000, 2030)), codes, issuers)
def test_document_numbers_keep_their_code(doc_type, number, year, code, issuer):
    written = f"{number}/{year}/{code}-{issuer}" if year else f"{number}/{code}-{issuer}"
    assert re.fullmatch(NUMBER, written)
    article = Article(id="x", title="Tin", text=f"Thực hiện {doc_type} số {written} của tỉnh.")
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = find_documents(doc, Extraction(article=article, sentences=doc.sentences))
    assert [d.number for d in found] == [written]
    assert code in type_codes(found[0].number)


def _scan_units() -> list[str]:
    """Every phrase of every family, their single words, and words glued to a letter, digit or '_'."""
    phrases = sorted({p for _, phrases in _FAMILIES.values() for p in phrases()})
    words = sorted({w for p in phrases for w in p.split()})
    return phrases + words + ["x" + words[0], "_" + words[-1], "9" + words[1], words[2] + "x"]


@settings(max_examples=300)
@example([("hội nghị", " "), ("quyết định", " ")])  # a document type starting inside an event trigger
@example([("xhội", " "), ("nghị quyết", " ")])  # a phrase glued to a word, then a real one
@given(st.lists(st.tuples(st.sampled_from(_scan_units()),
                          st.sampled_from([" ", " ", " ", "  ", ", ", "\n", "(", ""])), max_size=30))
def test_shared_phrase_scan_equals_each_family_scan(pieces):
    text = lowered("".join(word + sep for word, sep in pieces))
    for name, (pattern, _) in sorted(_FAMILIES.items()):
        expected = [(m.span(), m.group(0)) for m in pattern().finditer(text)]
        assert [(m.span(), m.group(0)) for m in phrase_matches(name, text)] == expected


def _figures(body: str) -> set:
    from anttkg.extract import dates as date_rules, figures, numbers
    article = Article(id="p", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = date_rules.find_dates(doc)
    found.numbers = numbers.find_numbers(doc)
    found.documents = find_documents(doc, found)
    return {(f.value, f.unit) for f in figures.find_figures(doc, found)}


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(1, 10**7), st.sampled_from(["km", "kg", "ha", "m2", "m3", "tấn", "USD"]))
def test_a_unit_glued_or_spaced_gives_the_same_figure(n, unit):
    assert _figures(f"Thu được {_dotted(n)}{unit} hàng.") == _figures(f"Thu được {_dotted(n)} {unit} hàng.")
    assert (n, unit) in _figures(f"Thu được {_dotted(n)}{unit} hàng.")


@given(st.integers(1, 10**6), st.integers(0, 10**6), st.sampled_from(["-", " - ", " đến "]))
def test_both_bounds_of_a_rising_range_are_figures(low, gap, between):
    high = low + gap
    got = _figures(f"Dự kiến có {_dotted(low)}{between}{_dotted(high)} người tham gia.")
    assert {(low, "người"), (high, "người")} <= got


@given(st.integers(1, 5000), st.integers(1, 5000))
def test_cases_and_suspects_both_count(cases, suspects):
    assert {(cases, "vụ"), (suspects, "đối tượng")} <= _figures(f"Đã khởi tố {cases} vụ/{suspects} đối tượng.")


@given(dates.filter(lambda d: d.year is not None), st.integers(1, 9999), codes, issuers)
def test_dates_and_document_numbers_give_no_figures(value, number, code, issuer):
    body = f"Ngày {format_date(value)}, theo văn bản {number}/{code}-{issuer}, 12 xã tham gia."
    assert _figures(body) == {(12, "xã")}


@given(st.sampled_from(["đến", "tới", "trước", "từ", "tầm nhìn đến", "giai đoạn", "định hướng đến"]),
       st.integers(1950, 2090), st.integers(1, 12), st.integers(1, 28))
def test_a_horizon_year_never_completes_a_year_less_date(cue, year, month, day):
    from anttkg.extract.dates import complete, find_dates, reference_year
    article = Article(id="h", title=f"Quy hoạch vùng cây ăn quả {cue} năm {year}", text=f"Chiều {day}/{month}, hội nghị họp.")
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = find_dates(doc)
    ref = reference_year(doc, found)
    assert ref is None
    assert [complete(d.value, doc, ref) for d in found if d.value.month] == [DateValue(None, month, day)]
