"""Places: provinces and cities of Viet Nam, regions, countries, and venues introduced by "tại".

Gazetteers: ontology/lexicon/provinces.tsv, regions.tsv, countries.tsv, venue_heads.tsv. A place name inside a
person's name ("Nguyễn Hòa Bình") is not a place; a country inside a body's name ("MTTQ Việt Nam") is not one
either, but a province inside a local body's name ("Công an tỉnh Bắc Ninh") is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import Extraction, PlaceMention
from .context import ArticleText
from .organizations import CAP_WORD, LOWER, UPPER, PhraseIndex, _org_words, phrase_pattern

# Administrative words written before a province or city name.
_ADMIN = r"(?:[Tt]ỉnh|[Tt]hành\s+phố|TP\s*\.?|Tp\s*\.?)"


@dataclass(frozen=True)
class _Place:
    name: str
    kind: str
    needs_prefix: bool


@lru_cache(maxsize=None)
def _gazetteer() -> tuple[PhraseIndex, re.Pattern | None, PhraseIndex]:
    """(provinces index, lower-case-initial regions regex, regions and countries index); payload: _Place."""
    provinces = []
    for row in load_table("provinces"):
        place = _Place(row["name"], row["kind"], row.get("needs_prefix") == "yes")
        provinces += [(alias, place) for alias in [row["name"], *values(row.get("aliases"))]]
    others = []
    for table, kind in (("regions", "region"), ("countries", "country")):
        for row in load_table(table):
            place = _Place(row["name"], kind, False)
            others += [(alias, place) for alias in [row["name"], *values(row.get("aliases"))]]
    lower = sorted((alias for alias, _ in others if not alias[0].isupper()), key=len, reverse=True)
    lower_re = re.compile(r"(?<![\w])(?:" + "|".join(phrase_pattern(a, fold_case=False) for a in lower)
                          + r")(?![\w])") if lower else None
    return PhraseIndex(provinces, fold_case=False), lower_re, PhraseIndex(others, fold_case=False)


_ADMIN_BEFORE = re.compile(r"(?:(?<![\w])" + _ADMIN + r")[ \t]*$")


def _fold(text: str) -> str:
    return re.sub(r"[\s.\-–]+", " ", text).strip().casefold()


_PREV_WORD = re.compile(r"([^\W\d_]+)\s*$")
_NEXT_CAP = re.compile(r"\s([" + UPPER + r"][" + LOWER + r"]*)")


def _inside_name(text: str, start: int, end: int) -> bool:
    """A capitalised word right before or after: the match is part of a longer proper name."""
    before = _PREV_WORD.search(text, max(0, start - 20), start)
    if before and before.end(1) == start - 1 and before.group(1)[0].isupper() \
            and text[start - 1] == " " and not _sentence_start(text, before.start()):
        return True
    after = _NEXT_CAP.match(text, end)
    return bool(after)


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'(":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n-"


def province_mentions(doc: ArticleText) -> list[tuple[str, str, int, int]]:
    """Provinces and centrally-run cities as (name, kind, start, end), in text order."""
    return list(_province_mentions_cached(doc.match))


@lru_cache(maxsize=8)
def _province_mentions_cached(text: str) -> tuple[tuple[str, str, int, int], ...]:
    index = _gazetteer()[0]
    found = []
    for start, end, place, written in index.finditer(text):
        admin = _ADMIN_BEFORE.search(text, max(0, start - 12), start)
        has_prefix = bool(admin) or written.upper().startswith("TP") or "." in written
        if not has_prefix and place.needs_prefix:
            continue
        if not admin and _inside_name(text, start, end):
            continue
        found.append((place.name, place.kind, admin.start() if admin else start, end))
    return tuple(found)


def main_province(doc: ArticleText, kind: str | None = None) -> str | None:
    """The province (or city, with kind="city") the article is about, when one clearly stands out."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for name, place_kind, start, _ in province_mentions(doc):
        if kind and place_kind != kind:
            continue
        counts[name] = counts.get(name, 0) + 1
        first.setdefault(name, start)
    if not counts:
        return None
    ranked = sorted(counts, key=lambda n: (-counts[n], first[n]))
    if len(ranked) == 1 or counts[ranked[0]] > counts[ranked[1]]:
        return ranked[0]
    return None


_VENUE_TAIL = re.compile(r"(?:nhân dân|quốc gia|Quốc gia)$")
_VENUE_WORD = re.compile(r"\s+(" + CAP_WORD + r"|[" + LOWER + r"]+)")


def _venues(doc: ArticleText, org_spans: list[tuple[int, int, str]]) -> list[PlaceMention]:
    """"tại Học viện An ninh nhân dân": a known body's name when one starts there, else the capitalised run."""
    out = []
    text = doc.match
    if "tại" not in text and "Tại" not in text:
        return out
    heads = sorted((row["head"] for row in load_table("venue_heads")), key=len, reverse=True)
    for m in _venue_start_re().finditer(text):
        start = m.start("venue")
        org = next((o for o in org_spans if o[0] == start), None)
        head = next((h for h in heads if text.startswith(h, start)), None)
        end = start + len(head) if head else start
        words = 0
        while head:
            w = _VENUE_WORD.match(text, end)
            if not w or not (w.group(1)[0].isupper() or (words and w.group(1) in _org_words())):
                break
            end = w.end()
            words += 1
        while words and text[end - 1].islower() and not _VENUE_TAIL.search(text, start, end):
            end = text.rindex(" ", start, end)  # do not end on a lower-case word
            words -= 1
        if org and org[1] >= end:
            out.append(PlaceMention(org[2], doc.text[start:org[1]], doc.span(start, org[1]), "venue"))
        elif words:
            out.append(PlaceMention(doc.text[start:end], doc.text[start:end], doc.span(start, end), "venue"))
    return out


@lru_cache(maxsize=None)
def _venue_start_re() -> re.Pattern:
    heads = sorted((row["head"] for row in load_table("venue_heads")), key=len, reverse=True)
    return re.compile(r"(?<!\w)[Tt]ại\s+(?P<venue>" + "|".join(re.escape(h) for h in heads) + r")(?!\w)")


def find_places(doc: ArticleText, found: Extraction) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    for name, kind, start, end in province_mentions(doc):
        out.append(PlaceMention(name, doc.text[start:end], doc.span(start, end), kind))
    org_spans = [(o.span.start, o.span.end, o.name) for o in found.organizations]
    _, lower_re, others = _gazetteer()
    hits = [(start, end, place) for start, end, place, _ in others.finditer(doc.match)]
    if lower_re is not None:
        lookup = {_fold(a): p for a, p in _lower_aliases()}
        hits += [(m.start(), m.end(), lookup[_fold(m.group(0))]) for m in lower_re.finditer(doc.match)
                 if _fold(m.group(0)) in lookup]
    covered_until = -1
    for start, end, place in sorted(hits, key=lambda h: (h[0], -h[1])):
        if end <= covered_until:
            continue  # "Nam Bộ" inside "Tây Nam Bộ"
        covered_until = end
        if place.kind == "country":
            if any(s <= start and end <= e for s, e, _ in org_spans):
                continue  # "MTTQ Việt Nam", "Hội Sinh viên Việt Nam"
            if _inside_name(doc.match, start, end) or _after_honorific(doc.match, start) \
                    or _after_rank(doc.match, start):
                continue
            if doc.match[start:end].casefold() in _pronouns() and _sentence_start(doc.match, start):
                continue  # "Anh ta khai nhận": a pronoun opening the sentence, not the country
        out.append(PlaceMention(place.name, doc.text[start:end], doc.span(start, end), place.kind))
    out.extend(_venues(doc, org_spans))
    out.sort(key=lambda p: (p.span.start, p.span.end))
    return out


_HONORIFIC_BEFORE = re.compile(r"(?:^|\s)(?:ông|bà|anh|chị|em|cô|chú|bác|cháu|Ông|Bà|Anh|Chị)\s+$")


def _after_honorific(text: str, start: int) -> bool:
    return bool(_HONORIFIC_BEFORE.search(text, max(0, start - 6), start))


@lru_cache(maxsize=None)
def _pronouns() -> frozenset[str]:
    """Words that introduce or stand for a person (honorifics.tsv): "Anh" may be the country or "he"."""
    return frozenset(row["form"].casefold() for row in load_table("honorifics"))


@lru_cache(maxsize=None)
def _rank_before() -> re.Pattern:
    ranks = [form for row in load_table("ranks") for form in [row["rank"], *values(row.get("aliases"))]]
    return re.compile(r"(?<![\w])(?:" + "|".join(phrase_pattern(r, fold_case=False) for r in ranks)
                      + r")[ \t]+$", re.IGNORECASE)


def _after_rank(text: str, start: int) -> bool:
    """"thượng úy Đức": a given name after a rank, not the country."""
    return bool(_rank_before().search(text, max(0, start - 16), start))


_SPACES = re.compile(r"[ \t]*")


def province_first_words() -> frozenset[str]:
    """Casefolded first words of every province writing: a cheap test before province_at."""
    return _province_firsts()


@lru_cache(maxsize=None)
def _province_firsts() -> frozenset[str]:
    return frozenset(_gazetteer()[0].regexes)


def province_at(text: str, pos: int) -> tuple[str, str, int] | None:
    """(canonical name, kind, end) of a province or city written at pos (leading spaces allowed)."""
    hit = _gazetteer()[0].match(text, _SPACES.match(text, pos).end())
    if hit is None:
        return None
    end, place, _ = hit
    return place.name, place.kind, end


@lru_cache(maxsize=None)
def _lower_aliases() -> tuple[tuple[str, _Place], ...]:
    out = []
    for table, kind in (("regions", "region"), ("countries", "country")):
        for row in load_table(table):
            out += [(a, _Place(row["name"], kind, False)) for a in [row["name"], *values(row.get("aliases"))]
                    if not a[0].isupper()]
    return tuple(out)


def country_at(text: str, pos: int) -> int | None:
    """End of a country's name written at pos (leading spaces allowed), or None."""
    hit = _gazetteer()[2].match(text, _SPACES.match(text, pos).end())
    if hit is None or hit[1].kind != "country":
        return None
    return hit[0]
