"""Vietnamese text normalisation shared by every stage.

Three forms of a text:
- ``normalize_text``: the stored form. NFC, one tone-placement convention (Ủy, hóa, khóa), no control
  characters. Ingest applies it, so every offset indexes the normalised text.
- ``match_form``: same length as its input, typographic quotes and dashes made ASCII, so rules can use
  simple patterns while offsets stay valid.
- ``key``: the identity form used to compare names and build IRIs: case folded, abbreviations expanded,
  punctuation dropped, tone marks compared per syllable whatever vowel they sit on.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook", "\u0323": "dot"}
_TONE_MARKS = "".join(_TONES)

# Old-style placement puts the tone on the second vowel of an open oa/oe/uy syllable (hoá, uỷ);
# the modern convention puts it on the first (hóa, ủy). 'qu' + y keeps the tone on y (quý).
# The pair must end the syllable: no letter and no further mark after the tone. In NFD a dot below comes
# before a breve or circumflex (ặ = a + dot + breve), so without the mark check 'hoặc' would become 'họăc'.
_OLD_STYLE_SIMPLE = re.compile(r"([oOuU])([aAeEyY])([" + _TONE_MARKS + r"])(?![^\W\d_]|[\u0300-\u036f])")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_QUOTES_DASHES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def _move_tone(match: re.Match) -> str:
    first, second, tone = match.group(1), match.group(2), match.group(3)
    if first in "uU" and second in "aAeE":
        return match.group(0)  # ua / ue: not an old/new style pair
    if first in "oO" and second in "yY":
        return match.group(0)
    return first + tone + second


def _modern_tones(text: str) -> str:
    """Move old-style tone marks (hoá, uỷ) onto the first vowel (hóa, ủy), in NFD text."""

    def fix(match: re.Match) -> str:
        start = match.start()
        # 'qu' + y / 'gi' + a: the first letter belongs to the consonant, the tone stays.
        if start > 0 and text[start - 1] in "qQ":
            return match.group(0)
        return _move_tone(match)

    return _OLD_STYLE_SIMPLE.sub(fix, text)




def _toned(bases: str) -> str:
    """The NFC letters that decompose to one of ``bases`` and a tone mark (á, ạ, ý, ...; not ặ, whose tone
    is followed by a breve): all lie below U+2000 (checked over the whole of Unicode)."""
    return "".join(sorted(ch for ch in map(chr, range(0xC0, 0x2000))
                          if len(d := unicodedata.normalize("NFD", ch)) == 2 and d[0] in bases and d[1] in _TONES))


# What _modern_tones can change, seen in NFC text: o before a toned a or e (hoá, xoè), u before a toned y (uỷ),
# not followed by a letter (every letter decomposes to a letter or a mark first, which _OLD_STYLE_SIMPLE
# refuses after the tone; only o and u themselves decompose to a plain o or u).
_MAYBE_OLD_STYLE = re.compile(rf"(?:[oO][{_toned('aAeE')}]|[uU][{_toned('yY')}])(?![^\W\d_])")


def normalize_text(text: str) -> str:
    """NFC with modern tone placement and without control characters (newlines and tabs kept).

    Lone surrogates (possible in JSON escapes) cannot be written as UTF-8 and become U+FFFD."""
    if not text:
        return ""
    text = _CONTROL.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    # Most text is NFC already with modern tones: then decomposing and composing again gives it back.
    if unicodedata.is_normalized("NFC", text) and not _MAYBE_OLD_STYLE.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    if any(ch in decomposed for ch in _TONE_MARKS):
        decomposed = _modern_tones(decomposed)
    return unicodedata.normalize("NFC", decomposed)


def match_form(text: str) -> str:
    """The text with typographic quotes, dashes and odd spaces made ASCII; same length."""
    return text.translate(_QUOTES_DASHES)


@lru_cache(maxsize=50_000)
def _syllable_key(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return base + tones


_ABBREVIATIONS: list[tuple[re.Pattern, str, bool]] | None = None
# One alternation of all the exact-case patterns and one of the others: most names hold no abbreviation,
# and one search tells so instead of one search per abbreviation.
_ANY_ABBREVIATION: dict[bool, re.Pattern] = {}
_PUNCTUATION = re.compile(r"[^\w\s]")


def _abbreviations() -> list[tuple[re.Pattern, str, bool]]:
    """(pattern, expansion, exact case) from ontology/lexicon/abbreviations.tsv, longest first."""
    global _ABBREVIATIONS
    if _ABBREVIATIONS is None:
        from .lexicon import load_table  # lexicon imports this module

        pairs = []
        for row in load_table("abbreviations"):
            abbr, expansion = row["abbreviation"], row["expansion"]
            exact = row.get("exact_case") == "yes"
            pattern = re.escape(abbr if exact else abbr.casefold()).replace(r"\.", r"\s*\.\s*")
            # '&' and '-' between the letters are written with or without spaces, as a comma, or left
            # out (GD&ĐT, GD - ĐT, GDĐT, VH, TT&DL), so the row's separator matches any of them.
            pattern = re.sub(r"\\?[&-]", lambda _m: r"\s*[&,-]?\s*", pattern)
            pairs.append((len(abbr), re.compile(r"(?<!\w)" + pattern + r"(?!\w)"), expansion.casefold(), exact))
        pairs.sort(key=lambda item: -item[0])
        for exact in (True, False):
            inner = [pattern.pattern[len(r"(?<!\w)"):-len(r"(?!\w)")] for _, pattern, _e, is_exact in pairs
                     if is_exact == exact]
            # the word boundaries outside the alternation: 13 times faster than one lookbehind per branch
            _ANY_ABBREVIATION[exact] = re.compile(r"(?<!\w)(?:" + "|".join(inner) + r")(?!\w)" if inner else "(?!)")
        _ABBREVIATIONS = [(pattern, expansion, exact) for _, pattern, expansion, exact in pairs]
    return _ABBREVIATIONS


@lru_cache(maxsize=200_000)
def key(text: str) -> str:
    """Identity form of a name: two writings of the same name give the same key."""
    text = normalize_text(match_form(text or ""))
    abbreviations = _abbreviations()
    if _ANY_ABBREVIATION[True].search(text):
        for pattern, expansion, exact in abbreviations:
            if exact and pattern.search(text):
                text = pattern.sub(expansion, text)
    text = text.casefold()
    if _ANY_ABBREVIATION[False].search(text):
        for pattern, expansion, exact in abbreviations:
            if not exact and pattern.search(text):
                text = pattern.sub(expansion, text)
    text = _PUNCTUATION.sub(" ", text)
    # "và" joins the fields of a body's name or not ("Giáo dục và Đào tạo", "Giáo dục - Đào tạo", GD&ĐT):
    # the key leaves it out.
    return " ".join(_syllable_key(s) for s in text.split() if s != "và")


def ascii_fold(text: str) -> str:
    """Vietnamese letters without diacritics (đ -> d), for readable IRI slugs."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_SLUG_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=100_000)
def slug(text: str, max_words: int = 10) -> str:
    """A readable, collision-safe IRI segment: ascii words plus a short hash of the key.

    The hash keeps names apart that differ only in diacritics (Hùng / Hưng)."""
    identity = key(text)
    words = _SLUG_WORD.findall(ascii_fold(identity).lower())[:max_words]
    digest = hashlib.sha1(identity.encode("utf-8")).hexdigest()[:8]
    return "-".join(words + [digest]) if words else digest


def collapse_spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
