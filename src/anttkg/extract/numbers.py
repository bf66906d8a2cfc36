"""Numbers as Vietnamese writes them: '.' groups thousands (5.813), ',' is the decimal mark (1,5),
a multiplier word may follow (560 nghìn, 2 tỷ), leading zeros are allowed (05 năm)."""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_table
from ..models import NumberMention
from .context import ArticleText


@lru_cache(maxsize=1)
def multipliers() -> dict[str, int]:
    """Multiplier words (nghìn, triệu, tỷ ...) from ontology/lexicon/units.tsv, kind 'multiplier'."""
    return {row["unit"].casefold(): int(row["factor"]) for row in load_table("units")
            if row.get("kind") == "multiplier"}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    words = sorted(multipliers(), key=len, reverse=True)
    return re.compile(
        r"(?<![\w.,/-])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?=\s*(?:"
        + "|".join(map(re.escape, words)) + r")\b))"
        r"(?![\w/]|[.,]\d)"
        r"(?:\s*(?P<mult>" + "|".join(map(re.escape, words)) + r")(?!\w))?"
        r"(?P<pct>\s*%)?", re.IGNORECASE)


def _plain_value(text: str) -> int | float | None:
    """Digits with '.' thousands groups and ',' decimals; a lone '.' before 1-2 digits is a decimal."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", text):
        whole, _, frac = text.replace(".", "").partition(",")
        return float(f"{whole}.{frac}") if frac else int(whole)
    if re.fullmatch(r"\d+\.\d{1,2}", text):  # "3.7 triệu": an English-style decimal before a multiplier
        return float(text)
    return None


def _tidy(value: float) -> int | float:
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


def parse_number(text: str) -> int | float | None:
    """The value of "5.813", "1,5 triệu", "560 nghìn", "98%", "05"; None when it is not a number."""
    found = _pattern().fullmatch(text.strip())
    if not found:
        return None
    value = _plain_value(found.group("num"))
    if value is None:
        return None
    if found.group("mult"):
        value = value * multipliers()[found.group("mult").casefold()]
    return _tidy(value)


def find_numbers(doc: ArticleText) -> list[NumberMention]:
    out = []
    for found in _pattern().finditer(doc.match):
        value = _plain_value(found.group("num"))
        if value is None:
            continue
        if found.group("mult"):
            value = value * multipliers()[found.group("mult").casefold()]
        end = found.end("mult") if found.group("mult") else found.end("num")
        if found.group("pct"):
            end = found.end("pct")
        out.append(NumberMention(_tidy(value), doc.text[found.start():end], doc.span(found.start(), end)))
    return out
