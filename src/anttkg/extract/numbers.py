"""Numbers as Vietnamese writes them: '.' groups thousands (5.813), ',' is the decimal mark (1,5),
a multiplier word may follow (560 nghìn, 2 tỷ), leading zeros are allowed (05 năm)."""
from __future__ import annotations

import re
from decimal import Decimal
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
        r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?=\s*(?:"
        + "|".join(map(re.escape, words)) + r")\b))"
        r"(?![\w/]|[.,]\d)"
        r"(?:\s*(?P<mult>" + "|".join(map(re.escape, words)) + r")(?!\w))?"
        r"(?P<pct>\s*%)?", re.IGNORECASE)


def _plain_value(text: str) -> Decimal | None:
    """Digits with '.' thousands groups and ',' decimals; a lone '.' before 1-2 digits is a decimal.
    Decimal, so "65536,1 triệu" is exactly 65536100000."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+\.\d{1,2}", text):  # "3.7 triệu": an English-style decimal before a multiplier
        return Decimal(text)
    return None


def _tidy(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_number(text: str) -> int | float | None:
    """The value of "5.813", "1,5 triệu", "560 nghìn", "98%", "05"; None when it is not a number."""
    found = _pattern().fullmatch(text.strip())  # (whole text: the look-behind check is not needed)
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
        if found.start() and (doc.match[found.start() - 1] in ".,/-" or doc.match[found.start() - 1].isalnum()):
            continue  # inside a code, a date or a longer number (checked here: a look-behind slows the scan)
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


# Regex helpers for the word lists of the extraction rules (kept here beside the number reader).

def phrase_pattern(phrases, ignore_case: bool = False) -> str:
    """A regex alternation of phrases built as a trie, so a scan rejects most positions at the first
    character (a plain alternation is tried phrase by phrase, and re.IGNORECASE slows every step).
    Phrases are lower-cased; scan ``lowered(text)`` with it (a literal trie is several times faster
    than one with case classes), or pass ignore_case for [xX] classes. A space matches any run of
    whitespace; longer phrases win."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in (phrase.casefold() if ignore_case else phrase):
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                head = r"\s+"
            elif ignore_case and ch.upper() != ch and len(ch.upper()) == 1:
                head = "[" + ch + ch.upper() + "]"
            else:
                head = re.escape(ch)
            branches.append(head + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            body = "(?:" + body + ")?"
        return body

    return build(trie)


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """Lower-case text of the same length, for phrase scans (a character whose lower case is longer
    stays as it is, so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
