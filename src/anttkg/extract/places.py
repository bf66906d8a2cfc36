"""Places: provinces and cities of Viet Nam, regions, countries, and venues introduced by "tại".

Gazetteers: ontology/lexicon/provinces.tsv, place_cities.tsv, regions.tsv, countries.tsv, venue_heads.tsv. A place
name inside a person's name ("Nguyễn Hòa Bình") is not a place; a country inside a body's name ("MTTQ Việt Nam") is
not one either, but a province inside a local body's name ("Công an tỉnh Bắc Ninh") is. A district or city named like
its province ("huyện Điện Biên", "TP Sóc Trăng") is named with its administrative word, so it is another place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import Extraction, PlaceMention
from ..text import key
from .context import ArticleText
from .matching import (CAP_WORD, LOWER, UPPER, PhraseIndex, one_word, person_name_at, phrase_pattern, surnames,
                       vietnamese_syllable)
from .organizations import org_name_words
from .spans import SpanIndex

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
            others += [(alias, place) for alias in _written_forms(row)]
    lower = sorted((alias for alias, _ in others if not alias[0].isupper()), key=len, reverse=True)
    lower_re = re.compile(r"(?<![\w])(?:" + "|".join(phrase_pattern(a, fold_case=False) for a in lower)
                          + r")(?![\w])") if lower else None
    return PhraseIndex(provinces, fold_case=False), lower_re, PhraseIndex(others, fold_case=False)


@dataclass(frozen=True)
class _City(_Place):
    foreign: bool


@lru_cache(maxsize=None)
def _cities() -> PhraseIndex:
    """Cities and towns below the province (place_cities.tsv); payload: _City."""
    provinces = {row["name"] for row in load_table("provinces")}
    phrases = []
    for row in load_table("place_cities"):
        city = _City(row["name"], row["kind"], row.get("needs_prefix") == "yes", row["in"] not in provinces)
        phrases += [(alias, city) for alias in [row["name"], *values(row.get("aliases"))]]
    return PhraseIndex(phrases, fold_case=False)


def _longer_city_at(text: str, start: int, end: int) -> bool:
    """A listed city whose name starts with a province's: "Điện Biên Phủ" is not the province Điện Biên."""
    hit = _cities().match(text, start)
    return bool(hit) and hit[0] > end


# "Vũ Lợi/VOV-Tây Bắc": a byline's outlet code with its bureau, not a place.
_OUTLET_BEFORE = re.compile(r"/[ \t]*[A-ZĐ][A-ZĐ0-9.+]+[ \t]*[-–][ \t]*$")


def _after_outlet(text: str, start: int) -> bool:
    return bool(_OUTLET_BEFORE.search(text, max(0, start - 16), start))


def _written_forms(row: dict[str, str]) -> list[str]:
    """A region's or country's name and aliases; only the aliases when the bare name is an ordinary word ("Áo")."""
    return [*([] if row.get("needs_prefix") == "yes" else [row["name"]]), *values(row.get("aliases"))]


@lru_cache(maxsize=None)
def _province_admin() -> tuple[re.Pattern, re.Pattern]:
    """(regex of an administrative word right before a province or centrally-run city, "tỉnh Bắc Ninh", "TP.Hà Nội";
    regex of a province's word and ',' or '/' right before such a word: "các tỉnh, thành phố Hải Dương, Bình Dương"
    names provinces and centrally-run cities), from the words of place_admin.tsv marked before_province."""
    rows = sorted((row for row in load_table("place_admin") if row.get("before_province") == "yes"),
                  key=lambda row: len(row["word"]), reverse=True)
    words = "|".join(phrase_pattern(row["word"], fold_case=False)
                     + (r"[ \t]*\.?" if row.get("abbreviation") == "yes" else "") for row in rows)
    provinces = "|".join(phrase_pattern(row["word"], fold_case=False) for row in rows if row["kind"] == "province")
    return (re.compile(r"(?<![\w])(?P<word>" + words + r")[ \t]*$", re.IGNORECASE),
            re.compile(r"(?<![\w])(?:" + provinces + r")[ \t]*[,/][ \t]*$", re.IGNORECASE))


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


# Between two items of a list of places: "Cà Mau, Cao Bằng", "Hà Nam và Hòa Bình", "Hải Dương - Sơn La".
_LIST_SEPARATOR = re.compile(r"[ \t]*(?:[,;–-]|,?[ \t]+và)[ \t]+|[ \t]*[,;][ \t]*")


@lru_cache(maxsize=8)
def _province_mentions_cached(text: str) -> tuple[tuple[str, str, int, int], ...]:
    index = _gazetteer()[0]
    admin_before, province_or_city = _province_admin()
    found = []  # [name, kind, start, end, accepted]
    for start, end, place, written in index.finditer(text):
        admin = admin_before.search(text, max(0, start - 12), start)
        admin_kind = _admin_words()[0][_admin_key(admin.group("word"))].kind if admin else None
        if admin_kind not in (None, "province") and place.kind == "province" \
                and not province_or_city.search(text, max(0, admin.start() - 8), admin.start()):
            continue  # "TP Sóc Trăng": the province's capital city (see _subprovince_places)
        if _longer_city_at(text, start, end) or _after_outlet(text, start):
            continue
        if not admin and place.kind == "province" and _after_admin(text, start):
            continue  # "huyện Điện Biên", "thị xã Quảng Trị": a district or town (see _subprovince_places)
        has_prefix = bool(admin) or written.upper().startswith("TP") or "." in written
        if not admin and _inside_name(text, start, end):
            continue
        if not has_prefix and place.needs_prefix and _after_honorific(text, start):
            continue  # "ông Hòa Bình"
        accepted = has_prefix or not place.needs_prefix or _place_context(text, start, end)
        found.append([place.name, place.kind, admin.start() if admin else start, end, accepted])
    _accept_list_items(text, found)
    return tuple((name, kind, start, end) for name, kind, start, end, accepted in found if accepted)


# "từ Hòa Bình về Quảng Ninh", "trú Phù Cát, Bình Định", "huyện Thanh Miện (Hải Dương)": where a name that is
# also a person's stands as a place
_PLACE_BEFORE = re.compile(r"(?<!\w)(?:(?:từ|về|đến|tới|ở|tại|trú|ngụ|quê|thuộc|sang|qua)[ \t]+|"
                           r"(?:huyện|quận|thị xã|xã|phường|thị trấn|TP\.?|trú|ngụ|ở|tại|quê)[ \t]+(?:[" + UPPER + r"]"
                           r"[" + LOWER + r"]*[ \t]*){1,3}[,(][ \t]*)$")
_NAME_GOES_ON = re.compile(r"[ \t]+[" + UPPER + r"]")


def _place_context(text: str, start: int, end: int) -> bool:
    return bool(_PLACE_BEFORE.search(text, max(0, start - 40), start)) and not _NAME_GOES_ON.match(text, end)


def _accept_list_items(text: str, found: list[list]) -> None:
    """A name that is also a person's ("Hòa Bình") counts in a list of places: "Sơn La, Hòa Bình và Hà Nam".

    Acceptance spreads along the list from its unambiguous items, so a run of such names counts too: one pass
    carries it forwards, one backwards."""
    for i in range(1, len(found)):
        if not found[i][4] and found[i - 1][4] and _separates(text, found[i - 1][3], found[i][2]):
            found[i][4] = True
    for i in range(len(found) - 2, -1, -1):
        if not found[i][4] and found[i + 1][4] and _separates(text, found[i][3], found[i + 1][2]):
            found[i][4] = True


def _separates(text: str, end: int, start: int) -> bool:
    m = _LIST_SEPARATOR.match(text, end)
    return bool(m) and m.end() == start


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
    org_at: dict[int, tuple[int, int, str]] = {}
    for org in org_spans:
        org_at.setdefault(org[0], org)
    for m in _venue_start_re().finditer(text):
        start = m.start("venue")
        org = org_at.get(start)
        head = next((h for h in heads if text.startswith(h, start)), None)
        end = start + len(head) if head else start
        words = 0
        while head:
            w = _VENUE_WORD.match(text, end)
            if not w or not (w.group(1)[0].isupper() or (words and w.group(1) in org_name_words())):
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


@dataclass(frozen=True)
class _Admin:
    kind: str
    numbered: bool
    lower: bool  # written lower-case in running text
    not_after: re.Pattern | None
    full: str  # written out: "thành phố" for "TP"
    needs_country: bool  # "tỉnh Hua Phan, Lào": abroad, a foreign country must follow


@lru_cache(maxsize=None)
def _admin_words() -> tuple[dict[str, _Admin], re.Pattern, re.Pattern, re.Pattern]:
    """(admin word casefolded -> _Admin, regex of an admin word and the gap before its name, regex of a
    counting word right before an admin word, regex of an admin word right before a position)."""
    admins = {}
    for row in load_table("place_admin"):
        not_after = values(row.get("not_after"))
        admins[row["word"].casefold()] = _Admin(
            row["kind"], row.get("numbered") == "yes", row["word"][0].islower(),
            re.compile(r"(?<![\w])(?:" + "|".join(phrase_pattern(w, fold_case=False) for w in not_after)
                       + r")[ \t]+$", re.IGNORECASE) if not_after else None,
            row.get("full") or row["word"].lower(), row.get("needs_country") == "yes")
    words = sorted(admins, key=len, reverse=True)
    dotted = sorted((row["word"] for row in load_table("place_admin") if row.get("abbreviation") == "yes"),
                    key=len, reverse=True)
    admin_re = re.compile(r"(?<![\w.])(?:(?P<admin>" + "|".join(phrase_pattern(w, fold_case=False) for w in words)
                          + r")[ \t]+|(?P<dotted>" + "|".join(re.escape(w) for w in dotted)
                          + r")[ \t]*\.[ \t]*)(?=\w)", re.IGNORECASE)
    counts = sorted((row["word"] for row in load_table("place_counts")), key=len, reverse=True)
    count_re = re.compile(r"(?<![\w])(?:\d+|" + "|".join(phrase_pattern(w, fold_case=False) for w in counts)
                          + r")[ \t]+$", re.IGNORECASE)
    admin_before = re.compile(r"(?<![\w])(?P<word>" + "|".join(phrase_pattern(w, fold_case=False) for w in words)
                              + r")[ \t]*\.?[ \t]*$", re.IGNORECASE)
    return admins, admin_re, count_re, admin_before


# A word of a place's proper name: title case, with "Si-Ma-Cai", "Đắk R'Lấp" written forms.
_NAME_WORD = re.compile(r"[ \t]*([" + UPPER + r"][" + LOWER + r"]*(?:['’-][" + UPPER + r"]?[" + LOWER + r"]+)*)"
                        r"(?![\w'’]|-\w)")
_NUMBER_NAME = re.compile(r"(\d{1,2})(?![\w]|[.,]\d)")
_PHRASE_END = re.compile(r"[ \t]*(?:[,;.:!?…()\"“”'‘’\-–]|\n|$)|[ \t]+và(?!\w)")
_MAX_NAME_WORDS = 4


def _after_admin(text: str, start: int) -> bool:
    return _admin_before(text, start) is not None


def _admin_before(text: str, start: int) -> _Admin | None:
    m = _admin_words()[3].search(text, max(0, start - 12), start)
    return _admin_words()[0][_admin_key(m.group("word"))] if m else None


def _admin_key(written: str) -> str:
    """The key of _admin_words() for an administrative word as written: "Thành  phố", "TP." -> "thành phố", "tp"."""
    return re.sub(r"\s+", " ", written.rstrip(" \t.")).casefold()


def _admin_name_end(text: str, pos: int) -> int | None:
    """End of the proper name starting at pos (after an administrative word), or None.

    Stops before a province ("huyện Gia Lâm Hà Nội"), a person's full name, a lower-case word or a
    number; a single word must close its phrase ("TP Vinh, Nghệ An", not "thành phố Trung ương"); a longer
    capitalised run is a title-case heading, not a place."""

    end, words = pos, 0
    while True:
        m = _NAME_WORD.match(text, end)
        if not m or (words and m.start(1) == end):
            break
        if words > 1 and province_at(text, m.start(1)):
            break  # (after one word the province's name is part of the place's: "phường Hiệp Bình Phước")
        if m.group(1) in surnames() and person_name_at(text, m.start(1)):
            given = _NAME_WORD.match(text, m.end())
            if given and given.start(1) > m.end() and _NAME_WORD.match(text, given.end()) \
                    and not (given.group(1) in surnames() and person_name_at(text, given.start(1))):
                if not words:
                    return None  # "Chủ tịch UBND TP Nguyễn Văn An": a person, not a place
                break  # "xã Tân Phú Nguyễn Văn An": a person's full name follows
        end, words = m.end(), words + 1
        if words > _MAX_NAME_WORDS:
            return None
    if not words or words == 1 and not _PHRASE_END.match(text, end):
        return None
    return end


def _subprovince_places(doc: ArticleText, org_starts: frozenset[int]) -> list[PlaceMention]:
    """"huyện Hoài Đức", "xã Núi Tượng", "Quận 1", "TP Nha Trang"; after a count, a list: "bốn huyện A, B và C"."""
    admins, admin_re, count_re, _ = _admin_words()
    text = doc.match
    out = []
    for m in admin_re.finditer(text):
        written = m.group("admin") or m.group("dotted")
        admin = admins[_admin_key(written)]
        if admin.not_after and admin.not_after.search(text, max(0, m.start() - 20), m.start()):
            continue  # "Hợp tác xã Tân Phú"
        name_start = m.end()
        number = _NUMBER_NAME.match(text, name_start) if admin.numbered else None
        if not number and admin.lower and written[0].isupper() and not _sentence_start(text, m.start()) \
                and not _inside_name(text, m.start(), m.start()):
            continue  # capitalised mid-sentence outside a body's name: part of a title-case phrase ("Quận 1" is not)
        if number:
            name = written[0].upper() + re.sub(r"\s+", " ", written[1:]) + " " + number.group(1)
            out.append(PlaceMention(name, doc.text[m.start():number.end()], doc.span(m.start(), number.end()),
                                    admin.kind))
            continue
        province = province_at(text, name_start)
        if admin.needs_country:
            end = None if province else _admin_name_end(text, name_start)
            if end is not None and _foreign_country_after(text, end):
                out.append(_named(doc, m.start(), name_start, end, admin.kind))
            continue  # a province of Viet Nam is read by province_mentions
        end = _admin_name_end(text, name_start)
        if province and (end is None or end <= province[2]):  # ("huyện Điện Biên Đông" is another name)
            name, kind, end = province  # "TP.Hà Nội" (glued, so not found as a province)
            if kind == "province":  # "huyện Điện Biên", "TP Sóc Trăng": the district or city, not the province
                name, kind = f"{admin.full} {name}", admin.kind
            elif admin.kind != "city":
                continue  # "phố phường Hà Nội": the city, read by province_mentions
            out.append(PlaceMention(name, doc.text[m.start():end], doc.span(m.start(), end), kind))
            continue
        if end is None:
            continue
        if m.group("dotted") and text[name_start - 1] in " \t" and (
                " " not in text[name_start:end] or text[name_start:end].split()[0].casefold() in _pronouns()):
            continue  # "... của TP. Ông Hùng cho biết": the dot may end the sentence
        out.append(_named(doc, m.start(), name_start, end, admin.kind))
        if not count_re.search(text, max(0, m.start() - 10), m.start()):
            continue
        while True:  # "bốn huyện Đồng Văn, Mèo Vạc, Yên Minh và Quản Bạ"
            sep = _LIST_SEPARATOR.match(text, end)
            if not sep or sep.end() in org_starts or province_at(text, sep.end()) or admin_re.match(text, sep.end()):
                break  # the list ends at a body, a province or the next administrative word
            item_end = _admin_name_end(text, sep.end())
            if item_end is None:
                break
            out.append(_named(doc, sep.end(), sep.end(), item_end, admin.kind))
            end = item_end
    return out


# Between a place abroad and its country: "tỉnh Hua Phan, Lào", "tỉnh Bo Kẹo (Lào)", "tỉnh Aleppo của Syria".
_COUNTRY_LINK = re.compile(r"[ \t]*(?:[,(]|[-–]|(?:của|thuộc)(?!\w))[ \t]*")


def _foreign_country_after(text: str, end: int) -> bool:
    link = _COUNTRY_LINK.match(text, end)
    hit = _gazetteer()[2].match(text, link.end()) if link else None
    return bool(hit) and hit[1].kind == "country" and hit[1].name != "Việt Nam"


def _named(doc: ArticleText, start: int, name_start: int, end: int, kind: str) -> PlaceMention:
    return PlaceMention(doc.text[name_start:end], doc.text[start:end], doc.span(start, end), kind)


def find_places(doc: ArticleText, found: Extraction) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    for name, kind, start, end in province_mentions(doc):
        out.append(PlaceMention(name, doc.text[start:end], doc.span(start, end), kind))
    org_spans = [(o.span.start, o.span.end, o.name) for o in found.organizations]
    bodies = SpanIndex((s, e) for s, e, _ in org_spans)
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
        if _after_outlet(doc.match, start):
            continue
        if place.kind == "region" and _country_follows(doc.match, end, others):
            continue  # "miền Nam Philippines": the south of that country, not Viet Nam's
        if place.kind == "country":
            if bodies.covers(start, end):
                continue  # "MTTQ Việt Nam", "Hội Sinh viên Việt Nam"
            if _inside_name(doc.match, start, end) or _after_honorific(doc.match, start) \
                    or _after_rank(doc.match, start):
                continue
            if doc.match[start:end].casefold() in _pronouns() and _sentence_start(doc.match, start):
                continue  # "Anh ta khai nhận": a pronoun opening the sentence, not the country
            if " " not in place.name and _half_of_a_word(doc.match, end, doc.match[start:end]):
                continue  # "Giám định Pháp y", "Anh hùng": the country's syllable begins a word
        out.append(PlaceMention(place.name, doc.text[start:end], doc.span(start, end), place.kind))
    out.extend(_venues(doc, org_spans))
    cities = _city_mentions(doc, bodies)
    out.extend(cities)
    taken = SpanIndex([(p.span.start, p.span.end) for p in out if p.kind in ("province", "city")]
                      + [(p.span.start, p.span.end) for p in cities])
    for place in _subprovince_places(doc, frozenset(s for s, _, _ in org_spans)):
        if not taken.overlaps(place.span.start, place.span.end):  # "TP.Hà Nội", "TP Nha Trang"
            out.append(place)
    taken = SpanIndex([(p.span.start, p.span.end) for p in out] + [(s, e) for s, e, _ in org_spans])
    out.extend(p for p in _address_chain_places(doc) if not taken.overlaps(p.span.start, p.span.end))
    wider = SpanIndex((q.span.start, q.span.end) for q in out if q.kind in ("region", "country"))
    out = [p for p in out if p.kind not in ("province", "city")
           or not any(e - s > p.span.end - p.span.start for s, e in wider.overlapping(p.span.start, p.span.end))]
    # ("Bình Dương" inside "Thái Bình Dương")
    subprovince = SpanIndex((q.span.start, q.span.end) for q in out if q.kind in _SUBPROVINCE_KINDS)
    out = [p for p in out if p.kind not in ("country", "region") or not subprovince.covers(p.span.start, p.span.end)]
    out.sort(key=lambda p: (p.span.start, p.span.end))
    return [_with_admin_word(p) for p in _one_kind_per_name(_apart_from_provinces(out))]


# An address written without administrative words, ending in a province: "trú tại Lạng Giang, tỉnh Bắc Giang",
# "ở Phú Đô, Nam Từ Liêm, Hà Nội", "(P. Nại Hiên Đông, Q. Sơn Trà, Đà Nẵng)". Its items name places below the
# province: the last a district, those before it communes.
_ADDRESS_CUE = r"(?:(?<![\w])(?:trú|ngụ|ở|tại|quê|quán|sống)[ \t]+|\([ \t]*)"
_ADDRESS_ITEM = (r"(?:(?:P|Q|X|H|TX|TT)\.[ \t]*)?[" + UPPER + r"][" + LOWER + r"]+(?:[ \t]+[" + UPPER + r"]["
                 + LOWER + r"]*){0,3}")
_ADDRESS_CHAIN = re.compile(_ADDRESS_CUE + r"(?:(?:tại|ở)[ \t]+)?(?P<items>(?:" + _ADDRESS_ITEM + r"[ \t]*,[ \t]*){1,3})"
                            r"(?P<admin>(?:tỉnh|thành phố|TP\.?)[ \t]*)?(?=[" + UPPER + r"])")
_ADDRESS_ABBREVIATION = re.compile(r"(?:P|Q|X|H|TX|TT)\.[ \t]*")


def _address_chain_places(doc: ArticleText) -> list[PlaceMention]:
    text, out = doc.match, []
    for m in _ADDRESS_CHAIN.finditer(text):
        if province_at(text, m.end()) is None:  # a province or a centrally-run city ends the address
            continue
        items, pos = [], m.start("items")
        for written in m.group("items").split(","):
            lead = len(written) - len(written.lstrip())
            name = written.strip()
            start = pos + lead
            pos += len(written) + 1
            if not name:
                continue
            short = _ADDRESS_ABBREVIATION.match(name)
            bare = name[short.end():] if short else name
            words = bare.split()
            if not all(vietnamese_syllable(w.casefold()) for w in words) or bare.casefold() in _admin_words()[0] \
                    or province_at(bare, 0) or person_name_at(text, start + (short.end() if short else 0)) \
                    and len(words) >= 3:
                items = []
                break  # not an address: a person, a body or a province in the list
            begin = start + (short.end() if short else 0)
            items.append((bare, begin, begin + len(bare)))
        for n, (bare, begin, end) in enumerate(items):
            kind = "district" if n == len(items) - 1 else "commune"
            out.append(PlaceMention(bare, doc.text[begin:end], doc.span(begin, end), kind))
    return out


def _country_follows(text: str, end: int, others: PhraseIndex) -> bool:
    gap = _SPACES.match(text, end).end()
    if gap == end:
        return False
    hit = others.match(text, gap)
    return bool(hit and hit[1].kind == "country")


@lru_cache(maxsize=None)
def _person_named_cities() -> frozenset[str]:
    return frozenset(row["name"] for row in load_table("provinces")
                     if row["kind"] == "city" and row.get("needs_prefix") == "yes")


def canonical_place_name(name: str) -> str:
    """The name a place is known by in the graph, for a bare name read elsewhere (a body's area): "Hồ Chí
    Minh" -> "Thành phố Hồ Chí Minh"."""
    return f"Thành phố {name}" if name in _person_named_cities() else name


def _with_admin_word(place: PlaceMention) -> PlaceMention:
    """"Thành phố Hồ Chí Minh": a city whose bare name is a person's is named with its administrative word."""
    if place.kind == "city" and place.name in _person_named_cities():
        return PlaceMention(f"Thành phố {place.name}", place.text, place.span, place.kind)
    return place


def _city_mentions(doc: ArticleText, bodies: SpanIndex) -> list[PlaceMention]:
    """Listed cities and towns written bare: "bất động sản tại TP.HCM, Nha Trang", "Moskva, Liên Xô".

    A name that is also a person's ("Vinh") counts after an administrative word or inside a list of places."""
    text = doc.match
    provinces = province_mentions(doc)
    found = [[name, kind, start, end, True, None, None] for name, kind, start, end in provinces]
    written_provinces = SpanIndex((s, e) for s, e, _, _ in _gazetteer()[0].finditer(text))
    for start, end, city, _ in _cities().finditer(text):
        if any(e - s >= end - start for s, e in written_provinces.overlapping(start, end)) \
                or _after_outlet(text, start):
            continue  # "Huế" inside "Thừa Thiên Huế", "Vũng Tàu" inside "Bà Rịa - Vũng Tàu"
        admin = _admin_before(text, start)  # "quận Thủ Đức" (2017), "thị xã Sầm Sơn": the word tells the kind
        if _inside_name(text, start, end) or _after_honorific(text, start) or _after_rank(text, start) \
                or not admin and _street_before().search(text, max(0, start - 10), start):
            continue  # ("phố" ending "thành phố" is no street)
        if city.foreign and bodies.covers(start, end):
            continue  # "Đại học Tokyo": a body's name, like a country in one
        kind = admin.kind if admin and not admin.needs_country else city.kind
        found.append([city.name, kind, start, end, not city.needs_prefix or bool(admin), city, admin])
    found.sort(key=lambda item: item[2])
    _accept_list_items(text, found)
    written_kind = {item[0]: item[1] for item in found if item[6]}  # the bare name is the place the word named
    return [PlaceMention(name, doc.text[start:end], doc.span(start, end),
                         kind if admin else written_kind.get(name, kind))
            for name, kind, start, end, accepted, city, admin in found if accepted and city]


@lru_cache(maxsize=None)
def _street_before() -> re.Pattern:
    words = sorted((row["word"] for row in load_table("place_streets")), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(phrase_pattern(w, fold_case=False) for w in words)
                      + r")[ \t]+$", re.IGNORECASE)


def _apart_from_provinces(places: list[PlaceMention]) -> list[PlaceMention]:
    """A district or town written with its administrative word and named like a province of the same article
    ("thị xã U Dom Say", "tỉnh U Dom Say") is another place: it is named with its word."""
    provinces = {key(p.name) for p in places if p.kind == "province"}
    out = []
    for p in places:
        word = p.text[:len(p.text) - len(p.name)].rstrip(" \t.")
        if p.kind in _SUBPROVINCE_KINDS and key(p.name) in provinces and word and p.text.endswith(p.name):
            admin = _admin_words()[0].get(_admin_key(word))
            if admin:
                p = PlaceMention(f"{admin.full} {p.name}", p.text, p.span, p.kind)
        out.append(p)
    return out


_SUBPROVINCE_KINDS = ("district", "commune")
# Where one name is written as places of several kinds ("huyện Đồng Văn", "thị trấn Đồng Văn"), it is one place
# of the broadest kind: an article graph gives a place one placeKind.
_KIND_ORDER = ("country", "region", "province", "city", "district", "commune", "venue")


def _one_kind_per_name(places: list[PlaceMention]) -> list[PlaceMention]:
    best: dict[str, str] = {}
    for place in places:
        kind = best.get(key(place.name))
        if kind is None or _KIND_ORDER.index(place.kind) < _KIND_ORDER.index(kind):
            best[key(place.name)] = place.kind
    return [p if p.kind == best[key(p.name)] else PlaceMention(p.name, p.text, p.span, best[key(p.name)])
            for p in places]


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
            out += [(a, _Place(row["name"], kind, False)) for a in _written_forms(row) if not a[0].isupper()]
    return tuple(out)


def city_at(text: str, pos: int) -> int | None:
    """End of a city or town's name (place_cities.tsv) written at pos, or None."""
    hit = _cities().match(text, _SPACES.match(text, pos).end())
    return hit[0] if hit else None


def country_at(text: str, pos: int) -> int | None:
    """End of a country's name written at pos (leading spaces allowed), or None."""
    hit = _gazetteer()[2].match(text, _SPACES.match(text, pos).end())
    if hit is None or hit[1].kind != "country":
        return None
    return hit[0]


_CITY_WORD = re.compile(r"[ \t]*(?:thành phố|TP\.?)[ \t]+")


def foreign_city_at(text: str, pos: int) -> int | None:
    """End of a foreign city's name written at pos, bare or after "thành phố" ("London", "thành phố
    Manchester"), or None: what a city's office names ("Thị trưởng London", "Cảnh sát trưởng thành phố
    Manchester")."""
    start = _SPACES.match(text, pos).end()
    if (word := _CITY_WORD.match(text, pos)) is not None:
        start = word.end()
    hit = _cities().match(text, start)
    if hit is None or not hit[1].foreign or hit[1].needs_prefix:
        return None
    return hit[0]


_LOWER_WORD_BEFORE = re.compile(r"(?<![\w])[" + LOWER + r"]+[ \t]+$")


_LOWER_AFTER = re.compile(r"[ \t]+([^\W\d_A-ZĐ]+)")


def _half_of_a_word(text: str, end: int, syllable: str) -> bool:
    """Does a lower-case syllable after end make one word with this one ("Pháp y", "Anh hùng")?"""
    m = _LOWER_AFTER.match(text, end)
    return bool(m) and one_word(syllable, m.group(1))


def without_person_names(places: list[PlaceMention], people, text: str) -> list[PlaceMention]:
    """Countries that are people's names in this article: inside a person's mention ("Trần Lập Pháp"), or the
    given name of one of its people used alone ("..., Pháp nhận 47 triệu", "Phương Nga hầu tòa"). A country
    after a lower-case word ("tại Nga", "Tổng thống Pháp") stays a country."""
    spans = SpanIndex((p.span.start, p.span.end) for p in people)
    given = {p.name.split()[-1] for p in people if len(p.name.split()) >= 2 and not p.foreign}
    out = []
    for place in places:
        if place.kind == "country":
            start, end = place.span.start, place.span.end
            if spans.overlaps(start, end):
                continue
            if text[start:end] in given and not _LOWER_WORD_BEFORE.search(text, max(0, start - 20), start):
                continue
        out.append(place)
    return out
