"""Figures: reported quantities, a number followed by a counted noun from units.tsv
("148 mô hình", "560 nghìn gia đình", "98% khu dân cư" -> 98 "%", "28 tỉnh, thành phố").

Years, dates, document and programme numbers, ordinals ("lần thứ 22") and house numbers are no
figures; durations and ages have no unit in the lexicon on purpose.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import Extraction, FigureMention
from .context import ArticleText
from .numbers import phrase_pattern

_NOT_A_COUNT_BEFORE = re.compile(r"(?<!\w)(?:thứ|số|điều|khoản|khóa|khoá|lớp|phòng|tầng|quận|phường|"
                                 r"ngõ|ngách|hẻm|km|quốc lộ|tỉnh lộ|đường|mã|top|hạng|giải|kỳ|tập|chương)\s*$",
                                 re.IGNORECASE)


# "3,5 triệu đồng/lượng", "280 km/h", "116 USD/ounce": a unit per another is a rate, not a quantity.
_RATE_AFTER = re.compile(r"\s*/\s*[^\W\d_]")


@lru_cache(maxsize=1)
def _units() -> tuple[re.Pattern, dict[str, str]]:
    forms: dict[str, str] = {}
    for row in load_table("units"):
        if row.get("kind") == "multiplier":
            continue
        for form in [row["unit"]] + values(row.get("variants")):
            forms.setdefault(form.casefold(), row["unit"])
    # A trie of the written forms (longest first, as an alternation sorted by length would try them).
    words = phrase_pattern((f for f in forms if f != "%"), space=" ")
    pattern = re.compile(r"\s+(?P<u>" + words + r")(?!\w)", re.IGNORECASE)
    return pattern, forms


@lru_cache(maxsize=1)
def _cued_units() -> dict[str, re.Pattern]:
    """Units that count only right after one of their cue words (units.tsv 'after')."""
    return {row["unit"]: re.compile(r"(?<!\w)(?:" + phrase_pattern(values(row["after"]), ignore_case=True)
                                    + r")\s+$")
            for row in load_table("units") if row.get("kind") != "multiplier" and values(row.get("after"))}


def find_figures(doc: ArticleText, found: Extraction) -> list[FigureMention]:
    pattern, forms = _units()
    cued = _cued_units()
    blocked = [(m.span.start, m.span.end) for m in found.dates]
    blocked += [(m.span.start, m.span.end) for m in found.documents]
    blocked += [(m.span.start, m.span.end) for m in found.programs]
    out = []
    for number in found.numbers:
        start, end = number.span.start, number.span.end
        percent = number.text.rstrip().endswith("%")
        unit = None if percent else pattern.match(doc.match, end)
        if not percent and not unit:
            continue  # most numbers: no counted noun, so the other checks are not needed
        if any(s < end and start < e for s, e in blocked):
            continue
        if _NOT_A_COUNT_BEFORE.search(doc.match[max(0, start - 12):start]):
            continue
        if unit is None:
            out.append(FigureMention(number.value, "%", number.text, number.span))
            continue
        unit_name = forms[unit.group("u").casefold()]
        if _RATE_AFTER.match(doc.match, unit.end()):
            continue
        if unit_name in cued and not cued[unit_name].search(doc.match, max(0, start - 20), start):
            continue
        out.append(FigureMention(number.value, unit_name, doc.text[start:unit.end()], doc.span(start, unit.end())))
    return out
