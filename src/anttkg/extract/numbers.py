"""Numbers as Vietnamese writes them: '.' groups thousands (5.813), ',' is the decimal mark (1,5),
a multiplier word may follow (560 nghìn, 2 tỷ), leading zeros are allowed (05 năm), a unit of measure
or money may be glued on (232.606ha, 15km)."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Callable, Iterable

from ..lexicon import load_table, values
from ..models import NumberMention
from .context import ArticleText


@lru_cache(maxsize=1)
def multipliers() -> dict[str, int]:
    """Multiplier words (nghìn, triệu, tỷ ...) from ontology/lexicon/units.tsv, kind 'multiplier'."""
    return {row["unit"].casefold(): int(row["factor"]) for row in load_table("units")
            if row.get("kind") == "multiplier"}


@lru_cache(maxsize=1)
def glued_units() -> tuple[str, ...]:
    """Written forms of units of measure and money that may be glued to a number ("15km", "300m2"),
    as written in units.tsv (case matters: "5g" is five grams, "5G" a network)."""
    forms = {form for row in load_table("units") if row.get("kind") in ("measure", "money")
             for form in [row["unit"]] + values(row.get("variants")) if " " not in form}
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    words = sorted(multipliers(), key=len, reverse=True)
    alternation = "|".join(map(re.escape, words))
    glued = "|".join(map(re.escape, glued_units()))
    # The number starts with a bare \d so that the scan skips non-digits in C (a group or a repeat
    # first would make it try every position). Branches: grouped thousands, plain, '.' decimal.
    # Digit runs are bounded and possessive: a long run of digits followed by a letter would otherwise be
    # re-scanned from every position in it (quadratic); no real quantity has more than 25 digits.
    return re.compile(
        r"(?P<num>\d(?:(?P<grouped>\d{0,2}(?:\.\d{3})++(?:,\d{1,12}+)?)|(?P<plain>\d{0,24}+(?:,\d{1,12}+)?)"
        r"|\d{0,24}+\.\d{1,2}(?=\s*(?:" + alternation + r")\b)))"
        r"(?:(?![\w/]|[.,]\d)|(?=(?-i:" + glued + r")(?!\w)))"
        r"(?:\s*(?P<mult>" + alternation + r")(?!\w))?"
        r"(?P<pct>\s*%)?", re.IGNORECASE)


_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")
_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")


def _plain_value(text: str) -> Decimal | None:
    """Digits with '.' thousands groups and ',' decimals; a lone '.' before 1-2 digits is a decimal.
    Decimal, so "65536,1 triệu" is exactly 65536100000."""
    if _GROUPED.fullmatch(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL.fullmatch(text):  # "3.7 triệu": an English-style decimal before a multiplier
        return Decimal(text)
    return None


def _value(found: re.Match) -> int | float | None:
    """The value of a number match of _pattern(), multiplier applied."""
    num = found.group("num")
    if len(num) > 18 or "," in num or (found.group("plain") is None and found.group("grouped") is None):
        value: int | Decimal | None = _plain_value(num)  # decimals, and digit runs int() may refuse
        if value is None:
            return None
    else:  # the common case: digits with or without '.' thousands groups
        value = int(num.replace(".", "")) if found.group("grouped") is not None else int(num)
    if found.group("mult"):
        value = value * multipliers()[found.group("mult").casefold()]
    return value if isinstance(value, int) else _tidy(value)


def _tidy(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_number(text: str) -> int | float | None:
    """The value of "5.813", "1,5 triệu", "560 nghìn", "98%", "05"; None when it is not a number."""
    found = _pattern().fullmatch(text.strip())  # (whole text: the look-behind check is not needed)
    return _value(found) if found else None


@lru_cache(maxsize=2)
def score_before(ranges: bool = False) -> re.Pattern:
    """Words right before "2-1" that make it a score, a ratio or a minute (number_score_words.tsv), searched at
    the end of the text before the numbers; with RANGES, only the words that also rule out a range."""
    words = [row["word"] for row in load_table("number_score_words") if not ranges or row.get("not_range") == "yes"]
    return re.compile(r"(?<!\w)(?:" + phrase_pattern(words, ignore_case=True) + r")\s*$")


# "21, 218 tỷ", "34, 480 triệu": a decimal split by a stray space (news writes "10 nghìn, 200 nghìn" for a list of
# two amounts rather than "10, 200 nghìn"); a list of three or more ("5, 20, 125 triệu") is no decimal.
_SPLIT_DECIMAL_BEFORE = re.compile(r"(?<![\d.,])(?<!\d, )\d{1,2}, $")


def _after_separator(text: str, start: int) -> bool:
    """A number that follows '/' or '-' and still stands alone: "9 vụ/17 đối tượng" (a count after a
    lower-case word; "333/KH", "12/2017" stay codes and dates) and the upper bound of "370.000-375.000".
    Whether it is a figure is for the figure rules to judge."""
    before = text[start - 1]
    if before == "/":
        return start >= 2 and text[start - 2].islower()
    return before == "-" and start >= 2 and text[start - 2].isdigit()


def multiplier_of(text: str) -> int:
    """The factor of the multiplier word a number is written with ("1,1 triệu" -> 10**6), else 1."""
    found = _pattern().fullmatch(text.strip())
    return multipliers()[found.group("mult").casefold()] if found and found.group("mult") else 1


def find_numbers(doc: ArticleText) -> list[NumberMention]:
    out = []
    text = doc.match
    factors = multipliers()
    for found in _pattern().finditer(text):
        start = found.start()
        if start and (text[start - 1] in ".,/-" or text[start - 1].isalnum()) and not _after_separator(text, start):
            continue  # inside a code, a date or a longer number (checked here: a look-behind slows the scan)
        num, grouped, plain, mult, _ = found.groups()
        if mult and len(num) == 3 and _SPLIT_DECIMAL_BEFORE.search(text, max(0, start - 9), start):
            continue  # "21, 218 tỷ": a decimal split by a stray space, not 218 tỷ
        if len(num) <= 18 and "," not in num and (plain is not None or grouped is not None):
            value = int(num) if grouped is None else int(num.replace(".", ""))  # the common case, inline
            if mult:
                value *= factors[mult.casefold()]
        else:
            value = _value(found)
            if value is None:
                continue
        end = found.end()  # the end of the percent sign, else of the multiplier, else of the digits
        out.append(NumberMention(value, doc.text[start:end], doc.span(start, end)))
    return out


# Regex helpers for the word lists of the extraction rules (kept here beside the number reader).

def phrase_pattern(phrases, ignore_case: bool = False, space: str = r"\s+") -> str:
    """A regex alternation of phrases built as a trie, so a scan rejects most positions at the first
    character (a plain alternation is tried phrase by phrase, and re.IGNORECASE slows every step).
    Phrases are lower-cased; scan ``lowered(text)`` with it (a literal trie is several times faster
    than one with case classes), or pass ignore_case for [xX] classes. A space matches ``space`` (any
    run of whitespace unless told otherwise); longer phrases win."""
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
                head = space
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


# One scan for all phrase families. Each family (document types, programme cues, event triggers,
# award types) is a word pattern "(?<!\w)(?P<x>trie)(?!\w)". Scanning each over the whole text costs a
# pass per family, and the leading look-behind makes the regex engine try every position. Instead one
# pattern of all their phrases finds every place where any phrase may start; each family then tries
# only those places, which gives exactly the matches its own finditer would give.

_FAMILIES: dict[str, tuple[Callable[[], re.Pattern], Callable[[], Iterable[str]]]] = {}


def register_phrase_family(name: str, pattern: Callable[[], re.Pattern],
                           phrases: Callable[[], Iterable[str]]) -> None:
    """Declare a family: its word pattern and its (lower-case) phrases, both built lazily."""
    _FAMILIES[name] = (pattern, phrases)
    _phrase_starts.cache_clear()
    _heads.cache_clear()


@lru_cache(maxsize=4)
def _combined(names: tuple[str, ...]) -> re.Pattern:
    phrases: set[str] = set()
    for name in names:
        phrases.update(p.casefold() for p in _FAMILIES[name][1]())
    return re.compile("(?:" + phrase_pattern(phrases) + r")(?!\w)")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_NON_WORD_RUN = re.compile(r"\W+")


@lru_cache(maxsize=4)
def _phrase_starts(low: str, names: tuple[str, ...]) -> tuple[int, ...]:
    """Every offset of ``low`` after a non-word character (or at 0) where a phrase of some family
    matches, in order."""
    combined = _combined(names)
    starts: list[int] = []
    pos = 0
    while True:
        found = combined.search(low, pos)
        if found is None:
            break
        start, end = found.span()
        if start and _is_word(low[start - 1]):
            pos = start + 1
            continue
        starts.append(start)
        # A phrase of another family may begin inside this one, after a non-word character of it.
        for gap in _NON_WORD_RUN.finditer(low, start, end - 1):
            for inner in range(gap.start() + 1, gap.end() + 1):
                if combined.match(low, inner):
                    starts.append(inner)
        pos = end
    return tuple(starts)


@lru_cache(maxsize=16)
def _heads(name: str) -> frozenset[str]:
    """The first characters of family NAME's phrases."""
    return frozenset(p.casefold()[:1] for p in _FAMILIES[name][1]())


def phrase_matches(name: str, low: str) -> list[re.Match]:
    """The matches of family NAME's word pattern in ``low`` (a ``lowered`` text), as its finditer
    would give them, found from the shared scan."""
    pattern = _FAMILIES[name][0]()
    heads = _heads(name)
    out: list[re.Match] = []
    end = 0
    for start in _phrase_starts(low, tuple(sorted(_FAMILIES))):
        if start < end or low[start] not in heads:
            continue
        found = pattern.match(low, start)
        if found:
            out.append(found)
            end = found.end()
    return out
