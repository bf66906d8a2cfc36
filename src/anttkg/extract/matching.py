"""Shared matching tools of the extractors: Vietnamese letter classes, capitalised-word tokens, phrase patterns
that accept abbreviated forms, a phrase index keyed by first word, and the shape of Vietnamese syllables and
full names. No extraction rule lives here; every family reads its words through these."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..lexicon import load_table

# Vietnamese letters, for patterns that must tell capitalised words from others.
_VOWELS = "aăâeêioôơuưy"
_TONE_MARKS = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
LOWER = "a-zđ" + "".join(sorted({unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONE_MARKS}
                                - set("abcdefghijklmnopqrstuvwxyz")))
UPPER = "A-ZĐ" + "".join(sorted({unicodedata.normalize("NFC", v + t).upper() for v in _VOWELS
                                 for t in _TONE_MARKS} - set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))
CAP_WORD = r"[" + UPPER + r"][" + LOWER + UPPER + r"0-9]*"


def is_capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


@lru_cache(maxsize=None)
def _abbreviation_alternatives() -> list[tuple[list[str], list[str]]]:
    """(expansion words casefolded, abbreviations) from abbreviations.tsv, longest expansion first."""
    by_expansion: dict[tuple[str, ...], list[str]] = {}
    for row in load_table("abbreviations"):
        words = tuple(row["expansion"].casefold().split())
        by_expansion.setdefault(words, []).append(row["abbreviation"])
    return sorted(((list(k), v) for k, v in by_expansion.items()), key=lambda item: -len(item[0]))


_PHRASE_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")


def phrase_pattern(phrase: str, fold_case: bool = True) -> str:
    """Regex source matching a written phrase, its abbreviated forms ("Trung ương" | "T.Ư" | "TW") and
    free spacing around punctuation. fold_case=False keeps abbreviation expansion off (place names)."""
    tokens = _PHRASE_TOKEN.findall(phrase)
    folded = [t.casefold() for t in tokens]
    parts: list[tuple[str, bool]] = []  # (pattern, is_word)
    i = 0
    while i < len(tokens):
        hit = None
        if fold_case:
            for words, abbreviations in _abbreviation_alternatives():
                if len(words) > 1 and folded[i:i + len(words)] == words:
                    hit = (words, abbreviations)
                    break
        if hit:
            words, abbreviations = hit
            alternatives = [r"\s+".join(re.escape(t) for t in tokens[i:i + len(words)])]
            alternatives += [_abbreviation_pattern(a) for a in sorted(abbreviations, key=len, reverse=True)]
            parts.append(("(?:" + "|".join(alternatives) + ")", True))
            i += len(words)
            continue
        token = tokens[i]
        if token.isalnum() or token[0].isalnum():
            parts.append((re.escape(token), True))
        else:
            parts.append(("[-\u2013]" if token in "-\u2013" else re.escape(token), False))
        i += 1
    out = ""
    for n, (pattern, is_word) in enumerate(parts):
        if n:
            out += r"\s+" if is_word and parts[n - 1][1] else r"\s*"
        out += pattern
    return out


def _abbreviation_pattern(abbreviation: str) -> str:
    pattern = r"\s*\.\s*".join(re.escape(p) for p in abbreviation.split(".")).rstrip()
    # "TƯ" is Trung ương, "tư" of "tư vấn" is not: such abbreviations match only as written
    return f"(?-i:{pattern})" if abbreviation in _exact_case_abbreviations() else pattern


@lru_cache(maxsize=None)
def _exact_case_abbreviations() -> frozenset[str]:
    return frozenset(row["abbreviation"] for row in load_table("abbreviations") if row.get("exact_case") == "yes")


_CAPITAL_TOKEN = re.compile(r"(?<![\w.])[" + UPPER + r"][^\W_]*")


@lru_cache(maxsize=16)
def capital_tokens(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, casefolded first word) of every capitalised word: the only places a name can start."""
    return tuple((m.start(), m.group(0).casefold()) for m in _CAPITAL_TOKEN.finditer(text))


class PhraseIndex:
    """Many phrases matched only where a capitalised word starts, through a regex per first word.

    Scanning one huge alternation over the whole text is slow in Python; looking up the first word of each
    capitalised token and trying only the phrases that start with it is fast."""

    def __init__(self, phrases: list[tuple[str, object]], fold_case: bool = True):
        by_first: dict[str, list[tuple[str, int]]] = {}
        self.payloads = []
        for n, (phrase, payload) in enumerate(sorted(phrases, key=lambda item: -len(item[0]))):
            self.payloads.append(payload)
            for first in _first_words(phrase, fold_case):
                by_first.setdefault(first, []).append((phrase, n))
        self.regexes = {
            # the word boundary applies to every phrase: "Nam Phi" is not the start of "Nam Philippines"
            first: re.compile("(?:" + "|".join(f"(?P<g{n}>{phrase_pattern(p, fold_case)})" for p, n in items)
                              + r")(?![\w])", re.IGNORECASE if fold_case else 0)
            for first, items in by_first.items()}

    def match(self, text: str, pos: int, first: str | None = None):
        """(end, payload, written) of the longest listed phrase at pos, or None."""
        if first is None:
            m = re.compile(r"[^\W_]+").match(text, pos)
            if not m:
                return None
            first = m.group(0).casefold()
        regex = self.regexes.get(first)
        if regex is None:
            return None
        m = regex.match(text, pos)
        if not m:
            return None
        return m.end(), self.payloads[int(m.lastgroup[1:])], m.group(0)

    def finditer(self, text: str):
        """(start, end, payload, written) at every capitalised word where a phrase starts."""
        for pos, first in capital_tokens(text):
            if first in self.regexes:
                hit = self.match(text, pos, first)
                if hit:
                    yield pos, hit[0], hit[1], hit[2]


def _first_words(phrase: str, fold_case: bool) -> set[str]:
    tokens = [t.casefold() for t in _PHRASE_TOKEN.findall(phrase)]
    firsts = {tokens[0]} if tokens else set()
    if fold_case:
        for words, abbreviations in _abbreviation_alternatives():
            if len(words) > 1 and tokens[:len(words)] == words:
                firsts |= {re.match(r"[^\W_]+", a).group(0).casefold() for a in abbreviations}
    return firsts


VIETNAMESE_SYLLABLE = re.compile(r"[bcdđghklmnpqrstvx]*[" + "".join(sorted(set(
    LOWER) - set("a-zđ") | set("aeiouy"))) + r"]+[cghmnpt]*")


@lru_cache(maxsize=None)
def _compound_words() -> frozenset[tuple[str, str]]:
    return frozenset(tuple(row["word"].split()) for row in load_table("compounds") if " " in row["word"])


def one_word(first: str, second: str) -> bool:
    """Do two syllables make one two-syllable word ("đăng kiểm", "pháp y", "đồ vật")? compounds.tsv, counted in
    the corpus by scripts/build_compounds.py; case does not matter."""
    return (first.casefold(), second.casefold()) in _compound_words()


def vietnamese_syllable(word: str) -> bool:
    """A word spelt as one Vietnamese syllable (case-blind): "Xuân", "nguyễn"; not "Stock", "Interpol"."""
    return bool(VIETNAMESE_SYLLABLE.fullmatch(word.casefold()))


@lru_cache(maxsize=None)
def surnames() -> frozenset[str]:
    """Vietnamese family names (ontology/lexicon/surnames.tsv), as written."""
    return frozenset(row["surname"] for row in load_table("surnames"))


NAME_TOKEN = re.compile(r"[ \t]*([^\W_]+(?:(?:[.&]|-(?=[" + UPPER + r"]))[^\W_]+)*)")


def person_name_at(text: str, pos: int) -> bool:
    """A Vietnamese full name (surname + capitalised given names) starts at pos."""
    m = NAME_TOKEN.match(text, pos)
    if not m or m.group(1) not in surnames():
        return False
    n = NAME_TOKEN.match(text, m.end())
    return bool(n and n.group(1)[0].isupper() and n.group(1)[1:].islower())


_CAPITAL_RUN_WORD = re.compile(r" ?([" + UPPER + r"][" + LOWER + r"]*)(?![\w])")


def capital_run(text: str, pos: int, limit: int = 8) -> list[str]:
    """The capitalised words from pos on, one space apart ("Bạch Mai Đào Xuân Cơ")."""
    words, end = [], pos
    while len(words) < limit:
        m = _CAPITAL_RUN_WORD.match(text, end)
        if not m or (words and not m.group(0).startswith(" ")):
            break
        words.append(m.group(1))
        end = m.end()
    return words


def full_name_start(words: list[str], body_words: int = 0) -> int | None:
    """Where a Vietnamese full name ends a run of capitalised words that follows a body's head ("Bệnh viện
    Bạch Mai Đào Xuân Cơ" -> 2, "Huyện ủy Gia Lâm Lê Anh Quân" -> 2), or None when none can.

    body_words: capitalised words of the body already read before the run. A name is a surname and one to
    three more syllables; three syllables is the most common length, "Văn" or "Thị" second marks a surname
    before it, and a body's own name is rarely a single syllable."""
    best, best_score = None, 0
    for i, word in enumerate(words):
        length = len(words) - i
        if word not in surnames() or not 2 <= length <= 4:
            continue
        if not all(vietnamese_syllable(w) for w in words[i:]):
            continue
        score = {2: 1, 3: 3, 4: 2}[length]
        if length >= 3 and words[i + 1] in ("Văn", "Thị"):
            score += 2
        if body_words + i == 1:
            score -= 2
        if score > 0 and score >= best_score:
            best, best_score = i, score
    return best
