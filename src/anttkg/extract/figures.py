"""Figures: reported quantities, a number followed by a counted noun from units.tsv
("148 mô hình", "560 nghìn gia đình", "98% khu dân cư" -> 98 "%", "28 tỉnh, thành phố"), or by any other
noun that is no date, time, duration or function word ("3 nhát", "188 đồ vật"), and sums in millions
written without their currency ("hỗ trợ 20 triệu." -> 20000000 đồng).

Years, dates, document and programme numbers, numbers in names ("Ban Chỉ đạo 389"), ordinals
("lần thứ 22") and house numbers are no figures; durations and ages have no unit in the lexicon on purpose.
The lower bound of a range takes the unit of the upper one ("370.000-375.000 người", "1-1,1 triệu lượt").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..lexicon import load_table, values
from ..models import Extraction, FigureMention, NumberMention
from .context import ArticleText
from .numbers import multiplier_of, phrase_pattern, score_before
from .spans import SpanIndex


@lru_cache(maxsize=1)
def _label_before() -> re.Pattern:
    """A label word right before a number ("số 12", "quận 7", "quốc lộ 1A"): no count."""
    words = [row["word"] for row in load_table("number_label_words")]
    return re.compile(r"(?<!\w)(?:" + phrase_pattern(words, space=" ") + r")\s*$", re.IGNORECASE)


# "3,5 triệu đồng/lượng", "280 km/h", "116 USD/ounce": a unit per another is a rate, read with both units
# ("đồng/lượng"); a measure or money per a number ("6 lít/100 km", "500.000 đồng/1 người") is left out, unlike
# "9 vụ/17 đối tượng".
_RATE_AFTER = re.compile(r"\s*/\s*[^\W\d_]")
_PER_NUMBER_AFTER = re.compile(r"\s*/\s*\d")
_PER_UNIT = re.compile(r"[ \t]*/[ \t]*([^\W\d_]\w*)(?![\w/])")
# Between the bounds of a range: "370.000-375.000", "từ 5 đến 7 nghìn", "400.000 đồng đến 500.000 đồng".
_RANGE_BETWEEN = re.compile(r"\s*(?:-|~|đến|tới)\s*", re.IGNORECASE)


_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")


class _Reading(NamedTuple):
    unit: str
    end: int  # end of the unit word (of the number for a percent)
    rate: bool  # the unit is per another ("đồng/m3")


@lru_cache(maxsize=1)
def _units() -> tuple[re.Pattern, dict[str, str], dict[str, str]]:
    """The unit words after a number, each written form's unit, and each unit's kind."""
    forms: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for row in load_table("units"):
        if row.get("kind") == "multiplier":
            continue
        kinds[row["unit"]] = row["kind"]
        for form in [row["unit"]] + values(row.get("variants")):
            forms.setdefault(form.casefold(), row["unit"])
    # A trie of the written forms (longest first, as an alternation sorted by length would try them).
    # No space is needed before a unit: the number reader lets only known units be glued on ("15km").
    words = phrase_pattern((f for f in forms if f != "%"), space=" ")
    pattern = re.compile(r"\s*(?P<u>" + words + r")(?!\w)", re.IGNORECASE)
    return pattern, forms, kinds


@lru_cache(maxsize=1)
def _cued_units() -> dict[str, re.Pattern]:
    """Units that count only right after one of their cue words (units.tsv 'after')."""
    return {row["unit"]: re.compile(r"(?<!\w)(?:" + phrase_pattern(values(row["after"]), ignore_case=True)
                                    + r")\s+$")
            for row in load_table("units") if row.get("kind") != "multiplier" and values(row.get("after"))}


@lru_cache(maxsize=1)
def _name_head_before() -> re.Pattern:
    """A capitalised head of a name written with a number, right before the number: "Ban Chỉ đạo 389"."""
    heads = {row["head"] for row in load_table("number_name_heads")}
    heads.update(row["head"] for row in load_table("org_heads") if row.get("numbered") == "yes" and row["rule"] == "named")
    for row in load_table("document_types"):
        heads.update([row["type"]] + values(row.get("variants")))
    return re.compile(r"(?<!\w)(?:" + phrase_pattern(heads) + r")\s+$")


@lru_cache(maxsize=1)
def _not_units() -> frozenset[str]:
    return frozenset(row["word"].casefold() for row in load_table("number_not_units"))


@lru_cache(maxsize=1)
def _compound_units() -> frozenset[tuple[str, str]]:
    """Two-syllable words (compounds.tsv), so that a counted noun of two syllables is read whole ("đồ vật")."""
    return frozenset(tuple(row["word"].split()) for row in load_table("compounds") if " " in row["word"])


# a lower-case word after a number, and the one after it
_NOUN_AFTER = re.compile(r"[ \t]+([^\W\d_A-ZĐ]+)(?:[ \t]+([^\W\d_A-ZĐ]+))?(?![\w/])")
# "20 triệu.", "370 triệu để ...": a sum of money written without its currency
_BARE_SUM_AFTER = re.compile(r"[ \t]*(?:[.,;:)!?]|$|[ \t]+(?:để|từ|cho|và|mỗi|tiền|trong|khi|nhưng|rồi))")


def _counted_noun(doc: ArticleText, number: NumberMention) -> _Reading | None:
    """"3 nhát", "188 đồ vật", "13 địa điểm": a number followed by a noun not in units.tsv counts that noun,
    unless the word tells a date, a time, a duration or an age, or is a function word (number_not_units.tsv)."""
    m = _NOUN_AFTER.match(doc.match, number.span.end)
    if m is None or m.group(1).casefold() in _not_units():
        return None
    first, second = m.group(1), m.group(2)
    if second and second.casefold() not in _not_units() and (first.casefold(), second.casefold()) in _compound_units():
        return _Reading(f"{first} {second}", m.end(2), False)
    return _Reading(first, m.end(1), False)


def _reading(doc: ArticleText, number: NumberMention) -> _Reading | None:
    """The unit a number is written with: its percent sign or the counted noun after it."""
    if number.text.rstrip().endswith("%"):
        return _Reading("%", number.span.end, False)
    pattern, forms, kinds = _units()
    unit = pattern.match(doc.match, number.span.end)
    if unit is None:
        if multiplier_of(number.text) >= 1_000_000 and _BARE_SUM_AFTER.match(doc.match, number.span.end):
            return _Reading("đồng", number.span.end, False)  # the sum's currency is the article's (đồng)
        return _counted_noun(doc, number)
    name = forms[unit.group("u").casefold()]
    if kinds[name] == "other":
        return None
    rate = _RATE_AFTER.match(doc.match, unit.end()) or (
        kinds[name] in ("measure", "money") and _PER_NUMBER_AFTER.match(doc.match, unit.end()))
    if rate and (per := _PER_UNIT.match(doc.match, unit.end())):
        # "5 triệu đồng/kg", "280 km/h": a price or a speed, reported with its unit per another
        return _Reading(f"{name}/{per.group(1)}", per.end(), False)
    return _Reading(name, unit.end(), bool(rate))


def _glued_dash(doc: ArticleText, number: NumberMention) -> bool:
    start = number.span.start
    return start >= 2 and doc.match[start - 1] == "-" and doc.match[start - 2].isdigit()


# Beyond 64-bit integers (9.2 * 10^18; the world's yearly GDP in đồng is about 2.5 * 10^18) a reading is a
# typo, and such xsd:integer values are not handled by every triple store (Oxigraph rejects them).
_IMPLAUSIBLE = 2 ** 63


def find_figures(doc: ArticleText, found: Extraction) -> list[FigureMention]:
    _, _, kinds = _units()
    cued = _cued_units()
    blocked = SpanIndex((m.span.start, m.span.end) for m in [*found.dates, *found.documents, *found.programs])
    named = SpanIndex((m.span.start, m.span.end) for m in found.organizations)
    numbers = sorted(found.numbers, key=lambda m: (m.span.start, m.span.end))
    readings = [_reading(doc, number) for number in numbers]

    def upper_bound(index: int, after: int) -> int | None:
        """The index of the number that closes a range opened by number INDEX (text up to AFTER)."""
        if index + 1 < len(numbers) and _RANGE_BETWEEN.fullmatch(doc.match, after, numbers[index + 1].span.start):
            low, high = numbers[index], numbers[index + 1]
            if (low.value <= high.value
                    and not score_before(ranges=True).search(doc.match, max(0, low.span.start - 20), low.span.start)
                    and not (_YEAR_LIKE.fullmatch(low.text) and _YEAR_LIKE.fullmatch(high.text))):
                return index + 1  # a range rises; "2-1" is a score or a list, "2017-2018" a period
        return None

    out: list[FigureMention] = []
    lower_bounds: set[int] = set()  # numbers that open a range with a figure
    for index, number in enumerate(numbers):
        start, end = number.span.start, number.span.end
        reading, value = readings[index], number.value
        upper = upper_bound(index, reading.end if reading and reading.unit != "%" else end)
        upper_reading = readings[upper] if upper is not None else None
        inherited = reading is None
        if inherited:
            # "370.000-375.000 người", "từ 5 đến 7 nghìn người": the lower bound takes the unit and the
            # multiplier of the upper one, unless that would make it the larger ("từ 500 đến 1 triệu": 500).
            if upper_reading is None or not value:
                continue  # (a range from 0, "tăng tốc từ 0-100 km", states no quantity)
            reading = upper_reading
            factor = multiplier_of(numbers[upper].text)
            if factor > 1 and multiplier_of(number.text) == 1 and value * factor <= numbers[upper].value:
                value = _scaled(value, factor)
        if reading.rate or (upper_reading is not None and upper_reading.rate):
            continue  # "đồng/lít", and both bounds of "400.000 đồng đến 500.000 đồng/m3"
        if blocked.overlaps(start, end):
            continue
        if inherited and blocked.overlaps(numbers[upper].span.start, numbers[upper].span.end):
            continue  # the upper bound is a date or a code
        unit_end = end if inherited else reading.end
        if reading.unit != "%" and named.covers(start, unit_end):
            continue  # "Ban Chỉ đạo 389 Quốc gia"; a name read up to a bare number is no name for its unit
        before = doc.match[max(0, start - 40):start]
        if _label_before().search(before[-12:]) or _name_head_before().search(before):
            continue
        if _glued_dash(doc, number) and index - 1 not in lower_bounds:
            continue  # "2-1", "7-5-2019": only the upper bound of a range found above is a figure
        if before.endswith("/") and not (out and out[-1].span.end == start - 1 and kinds.get(out[-1].unit) == "noun"
                                         and isinstance(out[-1].value, int)):
            continue  # "9 vụ/17 đối tượng" counts twice; "lít/100 km", "39,1 khách/1 lượt" are rates
        if reading.unit in cued and not cued[reading.unit].search(doc.match, max(0, start - 20), start):
            continue
        if abs(value) >= _IMPLAUSIBLE:
            continue  # "25.873.329.250 tỷ đồng": a sum already in đồng with a stray "tỷ"
        if upper is not None:
            lower_bounds.add(index)
        if unit_end == end:  # a percent, or a lower bound without its own unit
            out.append(FigureMention(value, reading.unit, number.text, number.span))
        else:
            out.append(FigureMention(value, reading.unit, doc.text[start:unit_end], doc.span(start, unit_end)))
    return out


def _scaled(value: int | float, factor: int) -> int | float:
    scaled = value * factor
    return int(scaled) if float(scaled).is_integer() else scaled
