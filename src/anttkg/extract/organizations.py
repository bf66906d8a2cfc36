"""Organisations: named bodies from the gazetteer, local bodies named after their area, and generic names.

Three sources of candidates, longest non-overlapping wins:
- ontology/lexicon/organizations.tsv: central bodies with aliases; abbreviations inside a name are matched
  through ontology/lexicon/abbreviations.tsv ("Ban Dân vận T.Ư" = "Ban Dân vận Trung ương").
- ontology/lexicon/local_bodies.tsv: "Công an tỉnh Bắc Ninh", "UBND TP Hà Nội", "Tỉnh ủy Bắc Ninh"; written
  without the place ("Công an tỉnh") they take the article's main province when one stands out.
- ontology/lexicon/org_heads.tsv: a head ("Cục", "Học viện") and the capitalised name that follows, which ends
  at punctuation, at a lower-case word not in org_words.tsv, at a person's name or at another body.
A body written right after another, inside brackets or after a comma, is its parent when it ranks higher
("Cục H59, Tổng cục Hậu cần - Kỹ thuật (Bộ Công an)").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import OrgMention
from ..text import key
from .context import ArticleText
from .matching import (CAP_WORD, LOWER, UPPER, VIETNAMESE_SYLLABLE, PhraseIndex, capital_run, capital_tokens,
                       full_name_start, is_capitalised, one_word, person_name_at, phrase_pattern, surnames)
from .spans import SpanIndex

@dataclass(frozen=True)
class _Body:
    name: str
    abbreviation: str | None
    kind: str | None
    parent: str | None
    level: int


@lru_cache(maxsize=None)
def _gazetteer() -> tuple[PhraseIndex, dict[str, _Body]]:
    """Index of every alias (payload: the body) and name key -> body."""
    bodies: dict[str, _Body] = {}
    aliases: list[tuple[str, _Body]] = []
    for row in load_table("organizations"):
        body = _Body(row["name"], row.get("abbreviation") or None, row.get("kind") or None,
                     row.get("parent") or None, int(row.get("level") or 3))
        bodies[key(body.name)] = body
        for alias in [body.name, *values(row.get("aliases"))] + ([body.abbreviation] if body.abbreviation else []):
            aliases.append((alias, body))
    return PhraseIndex(aliases), bodies


@lru_cache(maxsize=None)
def _written_forms() -> dict[str, frozenset[str]]:
    """Canonical name -> every form organizations.tsv lists for it, exactly as written."""
    out: dict[str, set[str]] = {}
    for row in load_table("organizations"):
        out.setdefault(row["name"], set()).update([row["name"], *values(row.get("aliases")), row.get("abbreviation") or ""])
    return {name: frozenset(forms - {""}) for name, forms in out.items()}


def _exact_forms(body: _Body) -> frozenset[str]:
    return _written_forms().get(body.name, frozenset())


def body_at(text: str, pos: int) -> tuple[int, str] | None:
    """(end, canonical name) of a gazetteer body written at pos in any case ("ban Tổ chức Trung ương")."""
    hit = _gazetteer()[0].match(text, pos)
    return (hit[0], hit[1].name) if hit else None


def known_body(name: str) -> _Body | None:
    """The gazetteer entry whose canonical name has this key, if any."""
    return _gazetteer()[1].get(key(name))


@dataclass(frozen=True)
class _LocalForm:
    head: str
    admin: str | None
    committee: bool
    kind: str
    level: int


_DISTRICT_ADMIN = r"(?:huyện|quận|thị\s+xã|thị\s+trấn|xã|phường)"
# "Q.Bình Thạnh", "P.5": the district and ward words abbreviated in a body's name ("Công an Q.Gò Vấp")
_ADMIN_WORDS = r"(?:tỉnh|thành\s+phố|TP(?:\s*\.)?|Tp(?:\s*\.)?|TX(?:\s*\.)?|Q\.|P\.|H\.|" + _DISTRICT_ADMIN + r")"


@lru_cache(maxsize=None)
def _local_bodies() -> tuple[PhraseIndex, dict[str, _LocalForm]]:
    forms: dict[str, _LocalForm] = {}
    for row in load_table("local_bodies"):
        forms[key(row["form"])] = _LocalForm(row["head"], row.get("admin") or None, row.get("committee") == "yes",
                                             row.get("kind") or "local", int(row.get("level") or 2))
    return PhraseIndex([(row["form"], key(row["form"])) for row in load_table("local_bodies")]), forms


@lru_cache(maxsize=None)
def _generic_heads() -> tuple[PhraseIndex, dict[str, dict[str, str]]]:
    # the first row of a key wins: "Công ty TNHH" and "Công ty trách nhiệm hữu hạn" share a key, and each
    # is written back as it was read (see _written_head)
    rows: dict[str, dict[str, str]] = {}
    for row in load_table("org_heads"):
        rows.setdefault(key(row["head"]), row)
    return PhraseIndex([(row["head"], key(row["head"])) for row in load_table("org_heads")]), rows


@lru_cache(maxsize=None)
def _canonical_heads() -> dict[str, str]:
    """Written head (case folded) -> how a canonical name writes it."""
    return {row["head"].casefold(): row.get("canonical") or row["head"] for row in load_table("org_heads")}


def _written_head(written: str, row: dict[str, str]) -> str:
    """A head keeps the legal form it was written with ("Công ty TNHH" / "Công ty trách nhiệm hữu hạn"): both
    are in use, and a reader compares what was written."""
    return _canonical_heads().get(re.sub(r"\s+", " ", written).casefold()) or row.get("canonical") or row["head"]


@lru_cache(maxsize=None)
def org_name_words() -> frozenset[str]:
    """Lower-case syllables that continue a name on their own."""
    return frozenset(w for w in _org_word_table()[0])


@lru_cache(maxsize=None)
def _org_word_table() -> tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str]]:
    """(single syllables, two-syllable words as pairs, syllables and two-syllable words that never continue a
    name)."""
    singles, pairs = set(), set()
    for row in load_table("org_words"):
        if "," in row["word"]:
            continue  # "phòng, chống": see _comma_pairs
        parts = row["word"].casefold().split()
        if len(parts) == 2:
            pairs.add((parts[0], parts[1]))
        elif parts:
            singles.add(parts[0])
    breaks = frozenset(row["word"].casefold() for row in load_table("org_breaks"))
    return frozenset(singles), frozenset(pairs), breaks


@lru_cache(maxsize=None)
def _comma_pairs() -> frozenset[tuple[str, str]]:
    """Two words of a name written with a comma between them ("Cục Cảnh sát phòng, chống ma túy")."""
    return frozenset(tuple(w.strip() for w in row["word"].casefold().split(",", 1))
                     for row in load_table("org_words") if "," in row["word"])


_COMMA_WORD = re.compile(r",[ \t]*([^\W\d_]+)")


_BRAND_KINDS = frozenset({"company", "bank", "press"})


def _foreign_name_at(text: str, pos: int) -> bool:
    """Two capitalised words at pos, neither spelt as a Vietnamese syllable ("Edson Fachin", "Joesley Batista")."""
    words = capital_run(text, pos, 3)
    return len(words) >= 2 and not any(VIETNAMESE_SYLLABLE.fullmatch(w.casefold()) for w in words[:2])


def _pair(previous: str, word: str) -> bool:
    """A listed two-syllable word ("Cảnh sát", "Giao thông"), its first syllable capitalised."""
    return (previous.casefold(), word.casefold()) in _org_word_table()[1]


def continues_name(previous: str, word: str, following: str | None) -> bool:
    """A lower-case syllable continues a body's name: part of a listed two-syllable word with a
    neighbour, or a listed name syllable that is not also a common verb or function word."""
    singles, pairs, breaks = _org_word_table()
    word = word.casefold()
    if following and f"{word} {following.casefold()}" in breaks:
        return False  # "... quốc gia cảnh báo": a two-syllable verb after the name, whose syllables are name words
    if (previous.casefold(), word) in pairs or (following and (word, following.casefold()) in pairs):
        return True
    return word in singles and word not in breaks




def dangling_syllable(previous: str, word: str, following: str) -> bool:
    """"Cục Hàng" + "không": a lone capitalised Vietnamese syllable whose word goes on in lower case.

    Names are built from words of one or two syllables; a capitalised syllable standing alone after a
    head or a lower-case word, and followed by a lower-case syllable that is not a verb or function word,
    is the first half of a two-syllable word the name runs on with."""
    if not word[:1].isupper() or (previous[:1].isupper() and previous not in ("", "-")):
        return False
    if not VIETNAMESE_SYLLABLE.fullmatch(word.casefold()) or len(word) < 2:
        return False
    singles, pairs, breaks = _org_word_table()
    following = following.casefold()
    return (word.casefold(), following) in pairs or following not in breaks


@lru_cache(maxsize=None)
def _not_bodies() -> frozenset[str]:
    return frozenset(key(row["name"]) for row in load_table("org_not_bodies"))


_WORD = re.compile(r"[ \t]*([^\W_]+(?:(?:[.&]|-(?=[" + UPPER + r"]))[^\W_]+)*)")
_CONNECTOR = re.compile(r"[ \t]*(và|&|-)(?=[ \t])")


@dataclass(frozen=True)
class _Span:
    """Start and end of a phrase found by a PhraseIndex, read like a regex match."""
    s: int
    e: int

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


@dataclass
class _Candidate:
    start: int
    end: int
    name: str
    abbreviation: str | None
    kind: str | None
    parent: str | None
    level: int
    place: str | None
    source: int  # 0 gazetteer, 1 local, 2 generic, 3 a bare unit code: lower wins a tie
    area: tuple[str | None, str | None] = (None, None)  # a local body's (administrative word, place kind)


def _place_end_in_name(text: str, pos: int) -> int | None:
    """End of a foreign country's or a listed city's name at pos inside a body's name, after which lower-case
    words do not go on ("Bộ Lao động Anh hoãn ...", "Trung tâm Văn hóa Huế đón ..."), unless its last syllable
    makes a word with the lower-case syllable after it ("Anh hùng")."""
    from .places import city_at, country_at

    end = country_at(text, pos)
    if end is not None and text[pos:end] == "Việt Nam":
        return None
    end = end if end is not None else city_at(text, pos)
    if end is None:
        return None
    after = _WORD.match(text, end)
    if after and after.group(1)[:1].islower() and one_word(text[pos:end].split()[-1], after.group(1)):
        return None
    return end


def _name_run(text: str, pos: int, stops: set[int], local: bool = False, lower_lead: bool = False,
              heads: frozenset[int] = frozenset(), same_heads: frozenset[int] = frozenset(),
              whole_head: bool = False, brand: bool = False) -> int:
    """End of a body's name that starts at pos (after its head); pos itself when there is none.

    local: a province name ends the name (it is the body's area, written with its administrative word);
    lower_lead: descriptive lower-case words may come before the capitalised name; heads: where other
    bodies' heads start ("X và Báo Y" is two bodies); whole_head: the head is a whole name, which a body right after
    it does not continue ("Cơ quan CSĐT" + "Công an huyện X": the agency of that police); brand: a company's or a
    bank's name, which may go on in foreign words ("Công ty CP Tập đoàn Vina Megastar")."""
    from .places import province_at, province_first_words

    province_firsts = province_first_words()
    end = pos
    words = capitals = 0
    previous = before_previous = ""
    place_end = -1  # where a province name inside the name ends: lower-case words do not follow it
    while words < 14:
        m = _WORD.match(text, end)
        if not m or (m.start(1) in stops and (words or whole_head)) or "\n" in text[end:m.start(1)]:
            break
        if words and m.group(1)[0].isdigit() and _unit_after().match(text, m.end(1)):
            break  # "Tổng công ty X 380 triệu đồng", "Bệnh viện Y cấp cứu 579 nạn nhân": a quantity follows
        if words and (m.start(1) in same_heads or _of_head_at(text, m.start(1))):
            break  # "Ban Thường trực Ban Chỉ đạo", "Ban Chấp hành Đảng bộ Bộ X": another body starts
        word = m.group(1)
        nxt = _WORD.match(text, m.end())
        following = nxt.group(1) if nxt and text[m.end():nxt.start(1)] == " " else None
        if is_capitalised(word):
            if (words or local) and _ADMIN_THEN_NAME.match(text, m.start(1)):
                break  # the body's area starts ("Sở Y tế TP Hà Nội", "Đoàn Luật sư TP Hà Nội")
            if capitals and not brand and _foreign_name_at(text, m.start(1)):
                break  # "Tòa án Tối cao Edson Fachin": a foreign person's name after a Vietnamese name
            if words and (capitals or not lower_lead):
                province = word.casefold() in province_firsts and province_at(text, m.start(1))
                if province:
                    if local:
                        break
                    place_end = province[2]
                elif (name_place_end := _place_end_in_name(text, m.start(1))) is not None:
                    place_end = name_place_end  # lower-case words do not follow a country or a city
                elif person_name_at(text, m.start(1)) and not (nxt and (nxt.start(1) in stops or nxt.start(1) in heads)) \
                        and full_name_start(capital_run(text, m.start(1)), capitals) == 0:
                    break  # a person's name, unless what follows is another body ("Sầm Sơn Bộ Xây dựng")
            capitals += 1
        elif words and m.start(1) >= place_end >= 0:
            break  # "Bệnh viện Đa khoa Sóc Trăng cấp cứu": the name ended with its place
        elif words and previous[:1].isupper() and previous[1:].islower() and one_word(previous, word) \
                and not (following and one_word(word, following)):
            pass  # "Cục Đăng kiểm", "Chi cục Hải quan": the capitalised syllable's word goes on in lower case
        elif words >= 2 and previous[:1].islower() and one_word(previous, word) \
                and not one_word(before_previous, previous) and not _pair(before_previous, previous) \
                and not (following and one_word(word, following)):
            pass  # "Cục Bản quyền tác giả": a name syllable that is half of a word with the next one
        elif words >= 2 and previous[:1].isupper() and before_previous[:1].isupper() \
                and not _pair(previous, word):
            break  # "Bệnh viện Thanh Nhàn cấp cứu": a proper name of two capitalised words ends the name
        elif words and continues_name(previous, word, following):
            pass
        elif lower_lead and not capitals and words < 6 and continues_name(previous or "", word, following):
            pass
        elif words and text[m.start(1) - 1] == " " and previous[:1].isupper() \
                and dangling_syllable(before_previous, previous, word):
            pass
        else:
            break
        end = m.end()
        words += 1
        before_previous, previous = previous, word
        comma = _COMMA_WORD.match(text, end)
        if comma and (word.casefold(), comma.group(1).casefold()) in _comma_pairs():
            end = comma.start(1) - 1 if text[comma.start(1) - 1] == " " else comma.start(1)
            continue
        connector = _CONNECTOR.match(text, end)
        if connector:
            nxt = _WORD.match(text, connector.end())
            after = nxt and _WORD.match(text, nxt.end())
            if nxt and nxt.start(1) not in stops and nxt.start(1) not in heads and (
                    is_capitalised(nxt.group(1)) or (continues_name(
                    "", nxt.group(1), after.group(1) if after else None)
                    and not (after and is_capitalised(after.group(1))))):  # "X và đội U19": another body
                end = connector.end()
                before_previous, previous = previous, ""
    if lower_lead and not capitals:
        return pos
    # a name does not end on a linking word or a comma
    while True:
        end = pos + len(text[pos:end].rstrip(" \t,"))
        tail = re.search(r"(\S*)[ \t]+(và|về|của|và|phòng|chống|-|&)$", text[pos:end])
        if not tail or tail.group(2) == "phòng" and one_word(tail.group(1), "phòng"):
            break  # "Bộ Tư lệnh Biên phòng" ends on a word; "phòng, chống" does not
        end = pos + tail.start(2) - len(text[pos:pos + tail.start(2)]) + len(text[pos:pos + tail.start(2)].rstrip())
    return end


@lru_cache(maxsize=None)
def _admin_after() -> re.Pattern:
    """An administrative word after a body's head ("Sở Y tế tỉnh ..."), but not the start of a body named
    after its area ("Tỉnh ủy", "Thành đoàn", "Huyện đội" in local_bodies.tsv)."""
    admin_first = re.compile(r"(?:" + _ADMIN_WORDS + r")$", re.IGNORECASE)
    seconds = sorted({form.split()[1] for form in (row["form"] for row in load_table("local_bodies"))
                      if len(form.split()) == 2 and admin_first.match(form.split()[0])})
    return re.compile(r"[ \t]+(?P<admin>" + _ADMIN_WORDS + r")(?:(?<=\.)|(?![\w]))"
                      r"(?![ \t]+(?:" + "|".join(map(re.escape, seconds)) + r")(?!\w))", re.IGNORECASE)
# "Trường THPT Thị xã Quảng Trị": an administrative word and a name end a body's own name
_ADMIN_THEN_NAME = re.compile(r"(?:[Tt]ỉnh|[Tt]hành[ \t]+phố|[Hh]uyện|[Qq]uận|[Tt]hị[ \t]+xã|[Tt]hị[ \t]+trấn|[Xx]ã|"
                              r"[Pp]hường|TP\.?|Tp\.?)[ \t]*[" + UPPER + r"]")


def _place_after(text: str, pos: int, doc_main: dict[str, str | None]) \
        -> tuple[int, str | None, str | None, str | None]:
    """After a local body's head: (end, admin word, canonical place, place kind). Place None when absent."""
    from .places import province_at

    m = _admin_after().match(text, pos)
    admin = None
    end = pos
    if m:
        admin = re.sub(r"\s+", " ", m.group("admin")).rstrip(".").strip()
        admin = admin.casefold()
        admin = {"tp": "thành phố", "tx": "thị xã", "q": "quận", "p": "phường", "h": "huyện"}.get(admin, admin)
        end = m.end()
    province = province_at(text, end)
    if province:
        name, kind, p_end = province
        if admin and (admin == "thành phố" or re.fullmatch(_DISTRICT_ADMIN, admin)) and kind == "province":
            return p_end, admin, name, "district"  # "TP Thanh Hóa": the provincial capital, not the province
        return p_end, ("tỉnh" if kind == "province" else "thành phố"), name, kind
    if admin and re.fullmatch(_DISTRICT_ADMIN, admin) or admin == "thành phố":
        run = _district_name(text, end)
        if run > end:
            return run, admin, text[end:run].strip(), "district"
    return end, admin, None, None


_ABBREVIATED_CITY = re.compile(r"[ \t]+(?:TPHCM|TP\.?HCM|Tp\.?HCM)(?!\w)")


def _abbreviated_city_at(text: str, pos: int) -> bool:
    """"Đoàn luật sư TPHCM": the city written as one abbreviation, without a separate administrative word."""
    return bool(_ABBREVIATED_CITY.match(text, pos))


_CASE_HEADLINE = re.compile(r"[ \t]*[:,]")
_LAW_CODE = re.compile(r"[ \t]+[Ll]uật(?!\w)")


def _place_name_at(text: str, pos: int) -> bool:
    from .places import city_at, province_at

    return province_at(text, pos) is not None or city_at(text, pos) is not None


def _sentence_opening(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4):pos].rstrip(" \t")
    return not before or before[-1] in ".!?:\n"


def _district_name(text: str, pos: int) -> int:
    end = pos
    for read in range(3):
        m = _WORD.match(text, end)
        if not m or not (is_capitalised(m.group(1))) or "\n" in text[end:m.start(1)]:
            break
        if m.group(1)[0].isdigit() and end > pos:
            break  # "Quận 1" is a name, "quận Bình Thạnh 100 triệu" is not
        if person_name_at(text, m.start(1)):  # "Từ" of "Nam Từ Liêm" is a surname too: need a full name
            nxt = _WORD.match(text, m.end())
            third = nxt and _WORD.match(text, nxt.end())
            if third and is_capitalised(third.group(1)) \
                    and full_name_start(capital_run(text, m.start(1)), read) == 0:
                break  # "huyện Nguyễn Văn A", "Huyện ủy Gia Lâm Lê Anh Quân": a person follows, not a place
        end = m.end()
    return end


@lru_cache(maxsize=None)
def _lower_local_forms() -> re.Pattern:
    """Local bodies written in lower case before an administrative word and a capitalised place ("công an
    huyện Quế Phong", "ủy ban nhân dân xã Y"): the area makes them as certain as the capitalised forms."""
    forms = sorted({row["form"].casefold() for row in load_table("local_bodies") if row["form"][1:].islower()
                    and " " in row["form"]}, key=lambda f: (-len(f), f))
    return re.compile(r"(?<![\w.])(?:" + "|".join(r"[ \t]+".join(map(re.escape, f.split())) for f in forms)
                      + r")(?=[ \t]+" + _ADMIN_WORDS + r"[ \t]+[" + UPPER + r"])")


def _lower_local_hits(text: str):
    from .places import province_at

    index, _ = _local_bodies()
    for m in _lower_local_forms().finditer(text):
        hit = index.match(text, m.start(), m.group(0).split()[0])
        if hit:
            yield m.start(), hit[0], hit[1], hit[2]
    for m in _LOWER_POLICE_OF_PROVINCE.finditer(text):
        # "giao cho công an Hà Tĩnh": the police of a province named bare, as papers write it
        if province_at(text, m.end("place")):
            hit = index.match(text, m.start(), "công")
            if hit:
                yield m.start(), hit[0], hit[1], hit[2]


_LOWER_POLICE_OF_PROVINCE = re.compile(r"(?<![\w.])công[ \t]+an[ \t]+(?P<place>)(?=[" + UPPER + r"])")


def _local_candidates(doc: ArticleText, main: dict[str, str | None]) -> list[_Candidate]:
    index, forms = _local_bodies()
    text = doc.match
    out = []
    waiting: list[tuple[int, int, int, _LocalForm]] = []  # bodies whose area is named after the next one
    for m_start, m_end, form_key, written in [*index.finditer(text), *_lower_local_hits(text)]:
        m = _Span(m_start, m_end)
        form = forms.get(form_key)
        if form is None:
            continue
        end, admin, place, place_kind = _place_after(text, m.end(), main)
        code = _UNIT_CODE.match(text, m.end())
        if place is None and code and _admin_after().match(text, code.end()):
            # "Tòa án nhân dân (TAND) tỉnh Vĩnh Long": the area after the body's short form
            end, admin, place, place_kind = _place_after(text, code.end(), main)
        if place is None and form.admin and re.fullmatch(_DISTRICT_ADMIN, form.admin):
            run = _district_name(text, m.end() + 1) if text[m.end():m.end() + 1] == " " else m.end()
            if run > m.end() + 1:  # "Huyện ủy Gò Dầu": the form carries its administrative word
                end, place, place_kind = run, text[m.end() + 1:run].strip(), "district"
        admin = form.admin or admin
        if form.admin and admin in ("tỉnh", "thành phố") and place_kind in ("province", "city"):
            pass
        elif form.admin in ("tỉnh", "thành phố") and place_kind == "district":
            place = None  # "Tỉnh ủy" never names a district
            end = m.end()
        if place is None:
            if _COUNT_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "phối hợp với 8 Công an tỉnh giáp ranh": a number of such bodies, none in particular
            if admin in ("tỉnh", "thành phố") and not _followed_by_name_word(text, end):
                place = main.get(admin)
                if place is None:
                    name = form.head if form.committee else f"{form.head} {admin}"
                    out.append(_Candidate(m.start(), end, name, None, form.kind, None, form.level, None, 1))
                    continue
                place_kind = "province" if admin == "tỉnh" else "city"
            else:
                shared = _SHARED_AREA.match(text, m.end())
                if shared:
                    waiting.append((m.start(), m.end(), shared.end(), form))
                continue
        out.append(_local_candidate(m.start(), end, form, admin, place, place_kind))
    # "Thành ủy - HĐND - UBND thành phố Hà Nội": bodies joined by a dash share the area named after the last
    by_start = {c.start: c for c in out}
    for start, end, next_start, form in reversed(waiting):
        following = by_start.get(next_start)
        if following is None or following.place is None:
            continue
        shared_admin, place_kind = following.area
        candidate = _local_candidate(start, end, form, form.admin or shared_admin, following.place, place_kind)
        out.append(candidate)
        by_start[start] = candidate
    return sorted(out, key=lambda c: c.start)


_CITY_WORD = re.compile(r"(?i)thành[ \t]+phố|(?<!\w)tp(?!\w)|(?<!\w)tp\.|CATP")


@lru_cache(maxsize=None)
def _central_cities() -> frozenset[str]:
    """The centrally-run cities (provinces.tsv kind city) whose bare name is no person's."""
    return frozenset(row["name"] for row in load_table("provinces") if row["kind"] == "city"
                     and row.get("needs_prefix") != "yes")  # "Hồ Chí Minh" alone is a person


_SHARED_AREA = re.compile(r"[ \t]*[-\u2013][ \t]*")
_COUNT_BEFORE = re.compile(r"(?<![\w/.,])\d+[ \t]+$")


def _local_candidate(start: int, end: int, form: _LocalForm, admin: str | None, place: str,
                     place_kind: str | None) -> _Candidate:
    if form.committee:
        # "Thành ủy TP.HCM": a city whose bare name is a person's keeps its administrative word, and so does a
        # numbered district ("Quận ủy Quận 2")
        if admin == "thành phố" and _needs_admin_word(place) or place.isdigit() and admin:
            name = f"{form.head} {admin[:1].upper()}{admin[1:]} {place}"
        else:
            name = f"{form.head} {place}"
    else:
        name = f"{form.head} {admin} {place}" if admin else f"{form.head} {place}"
    level = form.level + (1 if place_kind == "district" else 0)
    return _Candidate(start, end, name, None, form.kind, None, level, place, 1, (admin, place_kind))


def _needs_admin_word(place: str) -> bool:
    return place in _person_named_provinces()


@lru_cache(maxsize=None)
def _person_named_provinces() -> frozenset[str]:
    return frozenset(row["name"] for row in load_table("provinces") if row.get("needs_prefix") == "yes")


def _followed_by_name_word(text: str, pos: int) -> bool:
    """Something capitalised that is not a person's name continues right after (an unknown place)."""
    m = _WORD.match(text, pos)
    return bool(m and is_capitalised(m.group(1)) and text[pos:m.start(1)] == " "
                and not person_name_at(text, m.start(1)) and m.group(1) not in surnames())


@lru_cache(maxsize=None)
def _lower_heads() -> re.Pattern:
    """The first words of gazetteer names, in lower case at a word start ("bộ Y tế", "ban Tổ chức Trung ương")."""
    firsts = sorted({row["name"].split()[0].casefold() for row in load_table("organizations")
                     if row["name"].split()[0][1:].islower()}, key=lambda w: (-len(w), w))
    return re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, firsts)) + r")(?=[ \t]+[" + UPPER + r"])")


@lru_cache(maxsize=None)
def _lower_head_compounds() -> frozenset[str]:
    return frozenset(row["word"].casefold() for row in load_table("org_lower_head_compounds"))


def _half_of_a_word(text: str, pos: int) -> bool:
    """The lower-case head at pos makes one word with the word before it ("cán bộ", "hiện trường")."""
    before = _WORD_BEFORE.search(text, max(0, pos - 12), pos)
    return bool(before and before.group(1).casefold() in _lower_head_compounds())


def _lower_gazetteer_hits(text: str):
    """Gazetteer bodies whose head is written in lower case: the rest of the name must be capitalised as listed,
    so "toàn bộ Y tế" style accidents need the whole listed name to match."""
    index, _ = _gazetteer()
    for m in _lower_heads().finditer(text):
        if _half_of_a_word(text, m.start()):
            continue  # "cán bộ Công an", "đường bộ Công an"
        hit = index.match(text, m.start(), m.group(0))
        if hit and any(w[:1].isupper() for w in hit[2].split()[1:]):
            yield m.start(), hit[0], hit[1], hit[2]


def _gazetteer_candidates(doc: ArticleText) -> list[_Candidate]:
    index, _ = _gazetteer()
    out = []
    for start, end, body, written in [*index.finditer(doc.match), *_lower_gazetteer_hits(doc.match)]:
        m = _Span(start, end)
        if " " not in written and not written.isupper() and written not in _exact_forms(body):
            continue  # a one-word abbreviation or alias must be written as such ("Interpol", not "interpol")
        # the gazetteer's parent is not copied: a parent is recorded only where the text states it
        out.append(_Candidate(m.start(), m.end(), body.name, body.abbreviation, body.kind, None,
                              body.level, None, 0))
    return out


def _generic_candidates(doc: ArticleText, stops: set[int], main: dict[str, str | None]) -> list[_Candidate]:
    index, rows = _generic_heads()
    text = doc.match
    out = []
    hits = list(index.finditer(text))
    known = {start for start, _, _, _ in hits}
    for m in _LOWER_INSTITUTION.finditer(text):  # "đưa vào bệnh viện Thanh Nhàn", "công ty Hòa Phát"
        if m.start() in known or _half_of_a_word(text, m.start()):
            continue  # "hiện trường", "thị trường Mỹ"
        hit = index.match(text, m.start(), m.group(1).split()[0])
        if hit and not _country_only(text, hit[0]):
            hits.append((m.start(), hit[0], hit[1], hit[2]))
    for m in _LOWER_UNIT_AFTER_TITLE.finditer(text):  # "Trưởng phòng Cảnh sát hình sự Công an tỉnh X"
        head = "head" if m.group("head") else "head2"
        hit = index.match(text, m.start(head), m.group(head).casefold())
        if hit and m.start(head) not in known:
            hits.append((m.start(head), hit[0], hit[1], hit[2]))
    hits.sort()
    out.extend(_lower_units(doc, stops))
    heads = frozenset(start for start, _, _, _ in hits)
    starts_by_first_word: dict[str, set[int]] = {}
    for start, _, _, head_written in hits:
        starts_by_first_word.setdefault(head_written.split()[0].casefold(), set()).add(start)
    heads_by_first_word = {first: frozenset(starts) for first, starts in starts_by_first_word.items()}
    for m_start, m_end, head_key, written in hits:
        m = _Span(m_start, m_end)
        if m.start() in stops or _inside_proper_name(text, m.start()):
            continue
        row = rows.get(head_key)
        if row is None or row["rule"] != "named":
            continue
        local = row.get("local") == "yes"
        same = heads_by_first_word[text[m.start():m.end()].split()[0].casefold()]
        whole_head = row["kind"] == "police" and " " in row["head"]
        end = _name_run(text, m.end(), stops, local, row.get("lower_lead") == "yes", heads, same, whole_head,
                        brand=row["kind"] in _BRAND_KINDS)
        # a head of two words or more is a whole name before its area ("Đoàn Luật sư TP Hà Nội") or its body
        head_only = end == m.end() and local and " " in (row.get("canonical") or row["head"]) and bool(
            _admin_after().match(text, end) or whole_head and _AGENCY_GAP.match(text, end).end() in stops
            or _abbreviated_city_at(text, end))
        if end == m.end() and not head_only:
            continue
        if row.get("numbered") == "yes" and (number := _TEAM_NUMBER.match(text, end)):
            end = number.end()  # "Đội CSGT số 3", "Đội quản lý thị trường số 4"
        rest = doc.text[m.end():end].strip()
        if (number := _NUMBER_NAME.match(rest)) and number.end() < len(rest) and rest[number.end() + 1:][:1].islower():
            # "bệnh viện 198 cấp cứu": a body named by its number ends there
            end = _SPACE_RUN.match(text, m.end()).end() + number.end()
            rest = rest[:number.end()]
        if row["head"] == "Bộ" and _LAW_CODE.match(text, m.end()):
            continue  # "Bộ luật Hình sự", "Bộ Luật Tố tụng": a code of law, a document
        if _place_name_at(text, m.start()):
            continue  # "Hội An", "Hội An cổ kính": a city's name begins with the head
        if row["head"] == "Vụ" and _CASE_HEADLINE.match(text, end) and _sentence_opening(text, m.start()):
            continue  # "Vụ Hoa hậu Phương Nga: ...", "Vụ BS Lương, ...": a case the sentence is about
        if row.get("numbered") != "yes" and not re.search(r"[^\W\d_]", rest) and not head_only:
            continue  # "Bộ 3 ấn phẩm"
        if key(rest) in _single_word_heads():
            continue  # "Thanh tra Bộ": the ministry's inspectorate, named by the context only
        unnamed = key(doc.text[m.start():end]) in _not_bodies()  # "Bệnh viện Đa khoa": named only by an area
        if row.get("domain") == "yes":
            rest = _domains().get(key(rest), rest)
        name = f"{_written_head(text[m.start():m.end()], row)} {expand_abbreviations(rest)}"
        place = None
        p_end, admin, p_name, p_kind = _place_after(text, end, main)
        # "Bệnh viện Đa khoa Trung ương Thái Nguyên": a central body in a province is not the province's
        central = local and "Trung ương" in rest
        if p_name and admin and (local and not central or _admin_after().match(text, end)):
            place = p_name
            # "Phòng CSGT Hà Tĩnh": a police unit of an area is its police's ("... Công an tỉnh Hà Tĩnh")
            police = row["kind"] in _POLICE_UNIT_KINDS and _POLICE_DOMAIN.match(name, len(name.split(" ", 1)[0]))
            name = f"{name} Công an {admin} {p_name}" if police else f"{name} {admin} {p_name}"
            end = p_end
        elif central and p_name and p_kind in ("province", "city"):
            name, end = f"{name} {p_name}", p_end  # the province is where the central body is: part of its name
        elif local and not central and admin in ("tỉnh", "thành phố") and main.get(admin) \
                and not _followed_by_name_word(text, p_end):
            # "Ban Chỉ đạo 389 tỉnh": the body of the province the article is about, when one stands out
            place = main[admin]
            name = f"{name} {admin} {place}"
            end = p_end
        if unnamed and place is None:
            continue
        out.append(_Candidate(m.start(), end, _tidy(name), None, row["kind"], None, int(row["level"]), place, 2))
    return out


@lru_cache(maxsize=None)
def _coded_unit_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """A numbered local head in any case and a unit code: "phòng PA71", "đội PC02"."""
    rows = [row for row in load_table("org_heads")
            if row.get("local") == "yes" and row["kind"] in ("division", "team", "department")]
    canonical = {row["head"].casefold(): row.get("canonical") or row["head"] for row in rows}
    heads = "|".join(re.escape(h) for h in sorted(canonical, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?P<head>" + heads + r")[ \t]+(?P<code>[A-ZĐ]{2,3}[0-9]{1,3}[A-Z]?)(?![\w])",
                      re.IGNORECASE), canonical


# a police unit's code written alone ("phối hợp với PC47, PC54"): not in a document number, nor in brackets after
# the unit's name (that is its abbreviation)
_BARE_UNIT_CODE = re.compile(r"(?<![\w/(.-])(?:P[ACKVH]\d{2}[A-Z]?|PC\d{2}[A-Z]?)(?![\w/-])")


def _bare_unit_codes(doc: ArticleText, chosen: list[_Candidate]) -> list[_Candidate]:
    """Unit codes written alone, where no body (nor a short form the article defined) was read."""
    taken = SpanIndex((c.start, c.end) for c in chosen)
    added = [_Candidate(m.start(), m.end(), m.group(0), m.group(0), "division", None, 4, None, 3)
             for m in _BARE_UNIT_CODE.finditer(doc.match)
             if not taken.overlaps(m.start(), m.end()) and not _BUILDING_BEFORE.search(doc.match, 0, m.start())]
    return sorted(chosen + added, key=lambda c: c.start) if added else chosen


_BUILDING_BEFORE = re.compile(r"(?:trụ sở|Trụ sở)[ \t]+$")


def _coded_units(doc: ArticleText) -> list[_Candidate]:
    pattern, canonical = _coded_unit_pattern()
    rows = _generic_heads()[1]
    out = []
    for m in pattern.finditer(doc.match):
        code = m.group("code")
        if not code.isupper():
            continue  # IGNORECASE is for the head only
        head = canonical[m.group("head").casefold()]
        row = rows[key(head)]
        if m.group("head")[0].islower() and row["kind"] not in ("division", "team"):
            continue  # "phòng PA71" is written in lower case; "trụ sở PC01" is a building

        out.append(_Candidate(m.start(), m.end(), f"{head} {code}", code, row["kind"], None, int(row["level"]), None, 2))
    return out


@lru_cache(maxsize=None)
def _single_word_heads() -> frozenset[str]:
    heads = [row["head"] for row in load_table("org_heads")] + [row["form"] for row in load_table("local_bodies")]
    return frozenset(key(h) for h in heads if " " not in h)


@lru_cache(maxsize=None)
def _domains() -> dict[str, str]:
    """Written field of a ministry -> canonical field ("GD&ĐT" -> "Giáo dục và Đào tạo"), from the
    ministries of organizations.tsv: a provincial department (Sở) or district division (Phòng) is named
    after the same field."""
    out: dict[str, str] = {}
    for row in load_table("organizations"):
        if row.get("kind") != "ministry" or not row["name"].startswith("Bộ "):
            continue
        canonical = row["name"][3:]
        for form in [row["name"], *values(row.get("aliases")), row.get("abbreviation") or ""]:
            if form.startswith("Bộ "):
                out.setdefault(key(form[3:]), canonical)
    return out


@lru_cache(maxsize=None)
def _name_abbreviations() -> tuple[tuple[re.Pattern, str], ...]:
    """Upper-case abbreviations written inside a body's name ("Phòng CSGT"), with their expansions;
    "TP" is left to the place rules."""
    pairs = []
    for row in load_table("abbreviations"):
        abbreviation = row["abbreviation"]
        if abbreviation.rstrip(".").upper() == "TP" or not abbreviation[:1].isupper() \
                or row.get("in_names") == "keep":
            continue
        pairs.append((re.compile(r"(?<![\w.])" + re.escape(abbreviation) + r"(?![\w])"), row["expansion"]))
    pairs.sort(key=lambda item: -len(item[0].pattern))
    return tuple(pairs)


def expand_abbreviations(name: str) -> str:
    if not any(ch.isupper() for ch in name[1:]):
        return name
    for pattern, expansion in _name_abbreviations():
        if pattern.search(name):
            name = pattern.sub(expansion, name)
    return name


_WORD_BEFORE = re.compile(r"([^\W_]+)[ \t]$")


def _inside_proper_name(text: str, start: int) -> bool:
    """"Tây Ban Nha", "Đinh Bộ Lĩnh": a head word in the middle of a longer capitalised name."""
    before = _WORD_BEFORE.search(text, max(0, start - 12), start)
    if not before or not before.group(1)[0].isupper():
        return False
    if _title_before().search(text, max(0, start - 40), start):
        return False  # "Trưởng Ban Chỉ đạo 389": a title, then the body
    i = before.start() - 1
    while i >= 0 and text[i] in " \t\"'(":
        i -= 1
    return not (i < 0 or text[i] in ".!?:;\n")


@lru_cache(maxsize=None)
def _title_before() -> re.Pattern:
    """A title (titles.tsv) ending right before a position, or one whose last word is the body's head
    ("Trưởng Ban" + "Ban Chỉ đạo ..."), whose remaining words end there."""
    forms = set()
    for row in load_table("titles"):
        for form in [row["title"], *values(row.get("aliases"))]:
            forms.add(form)
            head = row.get("head")
            if head and form.endswith(" " + head):
                forms.add(form[:-len(head) - 1])
    alternatives = "|".join(phrase_pattern(f, fold_case=False) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + alternatives + r")[ \t]+$")


def _tidy(name: str) -> str:
    return re.sub(r"\s*[-\u2013]\s*", " - ", re.sub(r"\s+", " ", name)).strip()


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest first, then gazetteer before local before generic; no overlaps."""
    chosen: list[_Candidate] = []
    taken: list[tuple[int, int]] = []  # sorted, disjoint: the neighbours of an insertion point decide
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), c.source, c.start)):
        i = bisect.bisect_left(taken, (c.start, c.start))
        if (i < len(taken) and taken[i][0] < c.end) or (i > 0 and taken[i - 1][1] > c.start):
            continue
        chosen.append(c)
        taken.insert(i, (c.start, c.end))
    chosen.sort(key=lambda c: c.start)
    return chosen


@lru_cache(maxsize=None)
def _of_heads() -> re.Pattern:
    heads = sorted((row["head"] for row in load_table("org_heads") if row["rule"] == "of"), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?P<head>" + "|".join(phrase_pattern(h) for h in heads) + r")[ \t]+$")


@lru_cache(maxsize=None)
def _unit_after() -> re.Pattern:
    """A multiplier, counted noun or unit of units.tsv right after a number, or a percent sign."""
    forms = [form for row in load_table("units") if row["kind"] != "other"
             for form in [row["unit"], *values(row.get("variants"))]]
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?:[ \t]*%|[ \t]+(?:" + alternatives + r")(?![\w]))")


def _of_head_at(text: str, pos: int) -> bool:
    """A capitalised head of the "of" rule ("Đảng bộ", "Công đoàn") starts at pos."""
    return text[pos:pos + 1].isupper() and bool(_of_heads_at().match(text, pos))


@lru_cache(maxsize=None)
def _of_heads_at() -> re.Pattern:
    heads = sorted((row["head"] for row in load_table("org_heads") if row["rule"] == "of"), key=len, reverse=True)
    return re.compile(r"(?:" + "|".join(phrase_pattern(h, fold_case=False) for h in heads) + r")[ \t]+(?=\S)")


def _combine_of(doc: ArticleText, chosen: list[_Candidate]) -> list[_Candidate]:
    """"Đảng ủy" / "Đoàn Thanh niên" / "Công đoàn" + the body that follows = that body's own committee.

    Heads chain: "Ban Chấp hành" + "Đảng bộ" + "Bộ Xây dựng" is the executive committee of that ministry's
    Party organisation."""
    text = doc.match
    rows = _generic_heads()[1]
    out: list[_Candidate] = []
    for c in chosen:
        while True:
            m = _of_heads().search(text, max(0, c.start - 20), c.start)
            if not m or not m.group("head")[0].isupper():
                break
            if out and out[-1].end > m.start():
                if not (out[-1].start >= m.start() and out[-1].end <= c.start):
                    break
                out.pop()  # a body read from the head alone gives way to the head + body
            row = rows[key(m.group("head"))]
            head = re.sub(r"\s+", " ", doc.text[m.start():m.end()]).strip()
            head = next((r["head"] for r in load_table("org_heads") if key(r["head"]) == key(head)), head)
            name = f"{head} {c.name}"
            known = known_body(name)
            if known:
                c = _Candidate(m.start(), c.end, known.name, known.abbreviation, known.kind, c.name,
                               known.level, c.place, 0)
            else:
                c = _Candidate(m.start(), c.end, name, None, row["kind"], c.name, c.level + 1, c.place, 2)
        out.append(c)
    return out


# a unit's head in lower case inside a title ("Trưởng phòng Tham mưu", "Phó Trưởng phòng Cảnh sát môi trường"), or
# before a capitalised abbreviation of its field ("phòng CSGT công an huyện X", "đội CSHS")
_LOWER_UNIT_AFTER_TITLE = re.compile(r"(?<![\w])(?:(?:[Tt]rưởng|[Pp]hó)[ \t]+(?P<head>phòng|đội|ban|khoa)[ \t]+(?=[" + UPPER
                                     + r"])|(?P<head2>phòng|đội)[ \t]+(?=[" + UPPER + r"]{3,6}(?![\w])))")
# an institution's head in lower case before its capitalised name ("bệnh viện Thanh Nhàn", "công ty Minh Phát")
# "bệnh viện đa khoa huyện Thạch Thất", "bệnh viện 198": a hospital's kind and its number are part of its name
_LOWER_INSTITUTION = re.compile(r"(?<![\w])(bệnh viện[ \t]+đa[ \t]+khoa(?=[ \t]+(?:(?:huyện|tỉnh|khu[ \t]+vực)[ \t]+)?[" + UPPER
                                + r"])|bệnh viện(?=[ \t]+(?:[" + UPPER + r"]|\d{2,3}(?![\d.,])))|(?:công ty|tập đoàn|ngân hàng|"
                                r"trường|cơ quan(?=[ \t]+(?:CSĐT|ANĐT|Cảnh sát[ \t]+điều[ \t]+tra|An[ \t]+ninh[ \t]+điều[ \t]+tra)))"
                                r"(?=[ \t]+[" + UPPER + r"]))")


def _country_only(text: str, pos: int) -> bool:
    """"công ty Nhật Bản": a country right after a lower-case head is whose the company is, not its name."""
    from .places import country_at

    end = country_at(text, pos)
    return end is not None and not _NEXT_CAPITAL.match(text, end)


# "Trưởng phòng cảnh sát hình sự Công an tỉnh X": a unit written all in lower case inside a title, before its body
_LOWER_UNIT_NAME = re.compile(r"(?<![\w])(?:[Tt]rưởng|[Pp]hó)[ \t]+(?P<head>phòng|đội)[ \t]+(?=[" + LOWER + r"])")


def _lower_units(doc: ArticleText, stops: set[int]) -> list[_Candidate]:
    """Units named in lower case name words only ("phòng cảnh sát hình sự"), accepted when the body they
    belong to follows at once: their name is then as certain as a capitalised one."""
    text = doc.match
    rows = _generic_heads()[1]
    out = []
    for m in _LOWER_UNIT_NAME.finditer(text):
        end, words, previous = m.end(), [], ""
        while len(words) < 6:
            w = _WORD.match(text, end)
            if not w or not w.group(1)[:1].islower():
                break
            following = _WORD.match(text, w.end())
            if not continues_name(previous, w.group(1), following.group(1) if following else None):
                break
            words.append(w.group(1))
            previous, end = w.group(1), w.end()
        after = _SPACE_RUN.match(text, end).end()
        if len(words) < 2 or after not in stops:
            continue
        head = m.group("head").capitalize()
        row = rows[key(head)]
        name = f"{head} {words[0].capitalize()} {' '.join(words[1:])}"
        out.append(_Candidate(m.start("head"), end, name, None, row["kind"], None, int(row["level"]), None, 2))
    return out


_SPACE_RUN = re.compile(r"[ \t]*")
_AGENCY_GAP = re.compile(r"[ \t]*(?:[-–,][ \t]*)?")  # "Cơ quan CSĐT - Công an tỉnh X", "Cơ quan CSĐT, Công an huyện Y": the agency of that police
_NUMBER_NAME = re.compile(r"\d{1,4}(?![\w.,/])")
_TEAM_NUMBER = re.compile(r"[ \t]+số[ \t]+\d{1,3}(?![\w/])")
# units named after the body they belong to: "Phòng Cảnh sát giao thông Công an tỉnh Hà Tĩnh"
_UNIT_KINDS = frozenset({"division", "team", "police"})
_UNIT_GAP = re.compile(r" |, | [-–] |[ \t]*\([A-ZĐ0-9]{2,8}\),?[ \t]*")  # a space, or a comma before the higher body ("Đội CSGT số 3, Phòng CSGT ...")


def _units_of_bodies(doc: ArticleText, chosen: list[_Candidate]) -> None:
    """A unit written right before the local body it belongs to, with one space between, is named with it: the
    traffic police division of one province is not another's. The body keeps its own mention. A comma may stand
    between them ("Đội CSGT số 3, Phòng CSGT Công an TP Hà Nội"), not between two bodies of one level."""
    for a, b in reversed(list(zip(chosen, chosen[1:]))):  # "Đội X, Phòng Y Công an Z": the nearest first
        if not _UNIT_GAP.fullmatch(doc.match, a.end, b.start) or a.source != 2 or a.place is not None \
                or a.kind not in _UNIT_KINDS:
            continue
        if b.level >= a.level or not (b.place or a.kind == "police"):
            continue
        code = _UNIT_CODE.match(doc.match, a.end)
        if code and code.end() <= b.start and not a.abbreviation:
            a.abbreviation = code.group("code")  # "(PC04)" between the unit and its body is the unit's
        a.name, a.end, a.place, a.parent = f"{a.name} {b.name}", b.end, b.place, b.name


_PARENT_GAP = re.compile(r"[ \t]*(?:,|\(|-|\u2013|thuộc|trực thuộc|của)?[ \t]*$")


def _parents(doc: ArticleText, chosen: list[_Candidate]) -> None:
    """A higher-ranking body written right after another ("X (Y)", "X, Y", "X thuộc Y") is its parent."""
    text = doc.match
    for a, b in zip(chosen, chosen[1:]):
        gap = text[a.end:b.start]
        if len(gap) > 14 or not _PARENT_GAP.fullmatch(gap) or "\n" in gap:
            continue
        restated = gap.strip() == "(" and " " not in b_text(doc, b) and b_text(doc, b).isupper()
        siblings = a.source == b.source == 1 and a.place == b.place  # "Huyện ủy - HĐND - UBND huyện X"
        if b.level < a.level and b.name != a.name and not restated and not siblings:
            a.parent = b.name


def b_text(doc: ArticleText, c: _Candidate) -> str:
    return doc.text[c.start:c.end]


@lru_cache(maxsize=None)
def _foreign_country_after() -> tuple[re.Pattern, dict[str, str]]:
    """A foreign country (countries.tsv), optionally after a state form (state_forms.tsv), right after a name."""
    forms = sorted((row["form"] for row in load_table("state_forms")), key=len, reverse=True)
    countries = {}
    for row in load_table("countries"):
        if row["name"] != "Việt Nam":
            for alias in [row["name"], *values(row.get("aliases"))]:
                countries[alias] = row["name"]
    names = sorted(countries, key=len, reverse=True)
    pattern = re.compile(r"[ \t]+(?:(?:" + "|".join(phrase_pattern(f, fold_case=False) for f in forms)
                         + r")[ \t]+)?(?P<country>" + "|".join(phrase_pattern(n, fold_case=False) for n in names)
                         + r")(?![\w])")
    return pattern, countries


@lru_cache(maxsize=None)
def _state_institutions() -> tuple[re.Pattern, dict[str, str]]:
    """The institution nouns of foreign_state_bodies.tsv, either case of the first letter, before a word boundary."""
    rows = {row["form"].casefold(): row["canonical"] for row in load_table("foreign_state_bodies")}
    forms = sorted(rows, key=len, reverse=True)
    alternatives = [f"[{f[0].upper()}{f[0]}]" + r"[ \t]+".join(re.escape(w) for w in f[1:].split(" ")) for f in forms]
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.IGNORECASE), rows


def _state_institution_candidates(doc: ArticleText, chosen: list[_Candidate]) -> list[_Candidate]:
    """"Quân đội Philippines", "lực lượng cảnh sát Burundi": an institution of a state named by its country."""
    pattern, canonical = _state_institutions()
    country_after, countries = _foreign_country_after()
    taken = [(c.start, c.end) for c in chosen]
    out = []
    for m in pattern.finditer(doc.match):
        if any(s <= m.start() < e for s, e in taken):
            continue
        after = country_after.match(doc.match, m.end())
        if after is None:
            continue
        written = re.sub(r"\s+", " ", after.group("country"))
        country = countries.get(written, written)
        head = canonical[re.sub(r"\s+", " ", m.group(0)).casefold()]
        name = f"{head} {country}"
        out.append(_Candidate(m.start(), after.end(), name, None, "foreign", None, 1, None, 2))
        taken.append((m.start(), after.end()))
    return sorted(chosen + out, key=lambda c: c.start)


def _foreign_bodies(doc: ArticleText, chosen: list[_Candidate]) -> list[_Candidate]:
    """"Bộ Nội vụ Cộng hòa Slovakia" is Slovakia's ministry, not Viet Nam's "Bộ Nội vụ" of the gazetteer."""
    pattern, countries = _foreign_country_after()
    out: list[_Candidate] = []
    for c in chosen:
        if out and c.start < out[-1].end:
            continue  # inside a foreign body's name just extended over it
        # a body whose own name says Viet Nam ("Thông tấn xã Việt Nam") is not made foreign by what follows
        national = c.source == 0 and c.place is None and "Việt Nam" not in c.name
        m = pattern.match(doc.match, c.end) if national else None
        if m:
            country = countries[re.sub(r"\s+", " ", m.group("country"))] \
                if re.sub(r"\s+", " ", m.group("country")) in countries else m.group("country")
            kind = "foreign-ministry" if c.kind in ("ministry", "foreign-ministry") else "foreign"
            c = replace(c, end=m.end(), name=f"{c.name} {country}", abbreviation=None, kind=kind, parent=None,
                        level=1, source=2)
        out.append(c)
    return out


# "Phòng Cảnh sát hình sự (PC02)", "Cục An ninh mạng (A05)": a unit code in brackets right after the name
_UNIT_CODE = re.compile(r"[ \t]*\((?P<code>[A-ZĐ]{1,4}[0-9]{1,3}[A-Z]?|[A-ZĐ]{2,8})\)")


_AMP_CODE = re.compile(r"[ \t]*\((?P<code>[A-ZĐ]{1,4}&[A-ZĐ]{1,4})\)")  # "(TN&MT)", "(GD&ĐT)"


def _unit_codes(doc: ArticleText, chosen: list[_Candidate]) -> None:
    """A body's own short form written in brackets after its name becomes its abbreviation."""
    starts = {c.start for c in chosen}
    for c in chosen:
        m = _UNIT_CODE.match(doc.match, c.end) or _AMP_CODE.match(doc.match, c.end)
        if m and not c.abbreviation and m.start("code") not in starts:
            c.abbreviation = m.group("code")
        if m and c.place is None and _admin_after().match(doc.match, m.end()):
            # "Tòa án nhân dân (TAND) tỉnh Vĩnh Long": the body's area comes after its short form
            end, admin, place, _ = _place_after(doc.match, m.end(), {})
            if place and admin:
                c.name, c.end, c.place = f"{c.name} {admin} {place}", end, place


# "X (gọi tắt là Trung tâm)", "X (Trung tâm)", "X (PC47)": a short form the article defines for a body
_SHORT_FORM = re.compile(r"[ \t]*\((?:(?:gọi|viết)[ \t]+tắt[ \t]+là|sau[ \t]+đây[ \t]+gọi(?:[ \t]+tắt)?[ \t]+là)?"
                         r"[ \t]*(?P<short>[" + UPPER + r"][^()\n,;]{1,30}?)[ \t]*\)")


def _defined_short_forms(doc: ArticleText, chosen: list[_Candidate]) -> list[_Candidate]:
    """Later mentions of a short form defined in brackets are mentions of the body it stands for.

    A bracketed code ("PC47") stands for the body right before it; a bracketed head ("Trung tâm") for the
    nearest body before it whose name starts with that head."""
    text = doc.match
    starts = {c.start for c in chosen}
    forms: dict[str, tuple[int, _Candidate]] = {}
    for i, c in enumerate(chosen):
        m = _SHORT_FORM.match(text, c.end)
        if not m or m.start("short") in starts:
            continue
        short = re.sub(r"\s+", " ", m.group("short"))
        if _UNIT_CODE.fullmatch(text, c.end, m.end()):
            forms.setdefault(short, (m.end(), c))
            continue
        for j in range(i, -1, -1):
            previous = chosen[j]
            if c.end - previous.end > 200:
                break
            if previous.name.startswith(short + " "):
                forms.setdefault(short, (m.end(), previous))
                break
    if not forms:
        return chosen
    taken = sorted((c.start, c.end) for c in chosen)  # disjoint spans, so one neighbour check suffices
    added = []
    for short, (defined_at, body) in sorted(forms.items()):
        for m in re.compile(r"(?<![\w.])" + re.escape(short) + r"(?![\w])").finditer(text, defined_at):
            start, end = m.start(), m.end()
            i = bisect.bisect_left(taken, (start, start))
            overlaps = (i < len(taken) and taken[i][0] < end) or (i > 0 and taken[i - 1][1] > start)
            if overlaps or _NEXT_CAPITAL.match(text, end):
                continue  # inside another body, or the start of a longer name ("Trung tâm Y tế")
            added.append(replace(body, start=start, end=end, source=0))
            taken.insert(i, (start, end))
    return sorted(chosen + added, key=lambda c: c.start)


_NEXT_CAPITAL = re.compile(r"[ \t]+[" + UPPER + r"0-9]")


_POLICE_UNIT_KINDS = frozenset({"division", "team"})
_POLICE_DOMAIN = re.compile(r"[ \t]+(?:Cảnh sát|An ninh)(?![\w])")

# "Trưởng ban Tuyên giáo", "Phó phòng Cảnh sát hình sự": the body's head written in lower case after the title
_HEAD_AFTER_TITLE = re.compile(r"(?<![\w])(?:[Tt]rưởng|[Pp]hó(?:[ \t]+[Tt]rưởng)?)[ \t]+(ban|phòng|đội|khoa)(?=[ \t]+["
                               + UPPER + r"])")


# "Trưởng phòng cảnh sát điều tra tội phạm về ma túy, Công an tỉnh X": a police unit written all in lower case
_POLICE_UNIT_AFTER_TITLE = re.compile(r"(?<![\w])(?:[Tt]rưởng|[Pp]hó(?:[ \t]+[Tt]rưởng)?)[ \t]+(phòng|đội)[ \t]+"
                                      r"(cảnh sát|an ninh)(?=[ \t]+(?:điều tra|hình sự|giao thông|kinh tế|chính trị|"
                                      r"nội địa|môi trường|truy nã|quản lý|phòng|cơ động|đường thủy|mạng|xuất nhập)(?!\w))")


def _capitalised_heads(match: str) -> str:
    """The matching text with those heads capitalised, so that every rule reads them as a body's name (the
    same length: offsets stay valid)."""
    if _HEAD_AFTER_TITLE.search(match):
        match = _HEAD_AFTER_TITLE.sub(lambda m: m.group(0)[:m.start(1) - m.start()] + m.group(1).capitalize(), match)
    if _POLICE_UNIT_AFTER_TITLE.search(match):
        def capitalise(m: re.Match) -> str:
            out = list(m.group(0))
            for group in (1, 2):
                i = m.start(group) - m.start()
                out[i] = out[i].upper()
            return "".join(out)
        match = _POLICE_UNIT_AFTER_TITLE.sub(capitalise, match)
    return match


def find_organizations(doc: ArticleText) -> list[OrgMention]:
    from .places import canonical_place_name, main_province

    doc = replace(doc, match=_capitalised_heads(doc.match))
    main = {"tỉnh": main_province(doc, "province"), "thành phố": main_province(doc, "city")}
    gazetteer = _gazetteer_candidates(doc)
    local = _local_candidates(doc, main)
    stops = {c.start for c in gazetteer} | {c.start for c in local}
    generic = _generic_candidates(doc, stops, main) + _coded_units(doc)
    chosen = _state_institution_candidates(doc, _foreign_bodies(doc, _select(gazetteer + local + generic)))
    chosen = _defined_short_forms(doc, chosen)
    chosen = _bare_unit_codes(doc, chosen)
    chosen = _combine_of(doc, chosen)
    _units_of_bodies(doc, chosen)
    _parents(doc, chosen)
    _unit_codes(doc, chosen)
    out = []
    for c in chosen:
        written = doc.text[c.start:c.end]
        if c.place in _central_cities() and f"thành phố {c.place}" in c.name and not _CITY_WORD.search(written):
            # "Sở GD&ĐT Hà Nội" stays as written: the city's word is no part of the name (IRIs drop it anyway)
            c = replace(c, name=c.name.replace(f"thành phố {c.place}", c.place))
        out.append(OrgMention(name=c.name, text=doc.text[c.start:c.end], span=doc.span(c.start, c.end),
                              abbreviation=c.abbreviation, kind=c.kind, parent=c.parent,
                              # "Quận 1" names no place without its city
                              place=None if not c.place or c.place.isdigit() else canonical_place_name(c.place)))
    return out
