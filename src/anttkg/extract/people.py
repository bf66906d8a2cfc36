"""People: names introduced by a rank, a title or an honorific, with the positions written around them.

Lexicons: ranks.tsv, titles.tsv, honorifics.tsv, surnames.tsv (ontology/lexicon). The shapes read:
- before the name: [đồng chí] [rank] [title [organisation]]... NAME ("Bộ trưởng Bộ Công an Tô Lâm");
- after the name: NAME, title organisation, title organisation; (also after " - " or inside brackets);
- lists: "có các đồng chí: A, title; B, title" (each ';' may start the next person);
- later mentions by title, rank or given name only ("Thứ trưởng Tô Lâm", "Đại tá Hiệu", "đồng chí Thứ
  trưởng") take the full name of the earlier mention in the same article.
A name inside a body's or a place's name is not a person, and neither is a photo credit or a source line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import Extraction, OrgMention, PersonMention, PlaceMention, Position
from ..text import key
from .context import ArticleText
from .matching import LOWER, UPPER, PhraseIndex, capital_tokens, vietnamese_syllable
from .organizations import continues_name


@dataclass(frozen=True)
class _Title:
    title: str
    head: str | None
    organization: str | None
    base: str | None
    implied_head: str | None = None  # "Bộ" of "Bộ trưởng Quốc phòng": the head a short body name leaves out
    needs_body: bool = False  # a job ("giảng viên"): a position only with the body it is held in
    context_body: tuple[str, ...] = ()  # bodies the title may belong to, read from the article ("Đại biểu")
    own_office: bool = False  # the title names its office itself ("chủ tọa phiên tòa")


@lru_cache(maxsize=None)
def _ranks() -> PhraseIndex:
    """Payload: the canonical rank."""
    return PhraseIndex([(form, row["rank"]) for row in load_table("ranks")
                        for form in [row["rank"], *values(row.get("aliases"))]])


@lru_cache(maxsize=None)
def _titles() -> tuple[PhraseIndex, dict[str, _Title]]:
    """Payload: the _Title; and written-form key -> _Title for shortened titles."""
    by_key, forms = {}, []
    for row in load_table("titles"):
        entry = _Title(row["title"], row.get("head") or None, row.get("organization") or None,
                       row.get("base") or None, row.get("implied_head") or None, row.get("needs_body") == "yes",
                       tuple(values(row.get("context_body"))), row.get("own_office") == "yes")
        for form in [row["title"], *values(row.get("aliases"))]:
            by_key[key(form)] = entry
            forms.append((form, entry))
    return PhraseIndex(forms), by_key


@lru_cache(maxsize=None)
def _area_bodies() -> dict[tuple[str, str], str]:
    """(canonical title, administrative word) -> the body pattern of title_area_bodies.tsv."""
    return {(title, admin): row["body"] for row in load_table("title_area_bodies")
            for title in values(row["title"]) for admin in values(row["admin"])}


_ADMIN_WORD = re.compile(r"(thành phố|thị trấn|thị xã|tỉnh|huyện|quận|xã|phường)[ \t]+(?=\S)", re.IGNORECASE)


@lru_cache(maxsize=None)
def _honorifics() -> tuple[re.Pattern, dict[str, str]]:
    rows = load_table("honorifics")
    strength = {row["form"].casefold(): row["strength"] for row in rows}

    def alternation(forms: list[str]) -> str:
        # only the first letter's case varies ("Ông" / "ông"); a case-blind regex would be slower, and so
        # would one flat alternation: the forms are grouped by their first letter
        by_letter: dict[str, list[str]] = {}
        for f in sorted(set(forms), key=len, reverse=True):
            by_letter.setdefault(f[0].lower(), []).append(re.escape(f[1:]))
        return "|".join(f"[{letter.upper()}{letter}](?:" + "|".join(rests) + ")"
                        for letter, rests in sorted(by_letter.items())) or r"(?!x)x"

    # only an abbreviation takes a dot ("TS. Lê A"); after a word the dot ends the sentence ("của các
    # đồng chí. Mong các đồng chí ...")
    abbreviations = [row["form"] for row in rows if _abbreviation(row["form"])]
    words = [row["form"] for row in rows if not _abbreviation(row["form"])]
    return re.compile(r"(?<![\w])(?:(?:" + alternation(abbreviations) + r")(?:\.(?=[ \t]))?|(?:"
                      + alternation(words) + r"))(?!\w)"), strength


def _abbreviation(form: str) -> bool:
    """"TS", "ThS", "PGS.TS", "Đ/c": capitals after the first letter, or a slash."""
    last = form.split()[-1]
    return "/" in last or any(c.isupper() for c in last[1:])


@lru_cache(maxsize=None)
def _list_cues() -> frozenset[str]:
    """Honorifics that open a list of names ("các đồng chí: A, B và C", "gồm: A, B")."""
    return frozenset(row["form"].casefold() for row in load_table("honorifics") if row.get("list"))


@lru_cache(maxsize=None)
def _lower_ranks() -> re.Pattern:
    """Ranks written in lower case, which newspapers often do ("thượng úy Nguyễn Văn A")."""
    forms = sorted({f.casefold() for row in load_table("ranks") for f in [row["rank"], *values(row.get("aliases"))]},
                   key=len, reverse=True)
    by_letter: dict[str, list[str]] = {}
    for f in forms:
        by_letter.setdefault(f[0], []).append(re.escape(f[1:]))
    alternatives = [letter + "(?:" + "|".join(rests) + ")" for letter, rests in sorted(by_letter.items())]
    # no look-behind: a pattern opening with plain letters is scanned faster; the caller checks the word start
    return re.compile(r"(?:" + "|".join(alternatives) + r")(?=[ \t]+[" + UPPER + r"])")


@lru_cache(maxsize=None)
def _folded_surnames() -> frozenset[str]:
    return frozenset(s.casefold() for s in _surnames())


@lru_cache(maxsize=None)
def _surnames() -> frozenset[str]:
    return frozenset(row["surname"] for row in load_table("surnames"))


@lru_cache(maxsize=None)
def _cues(kind: str) -> str:
    """Regex source of the person_cues.tsv phrases of one kind, longest first; the first letter in either case."""
    forms = sorted({row["cue"] for row in load_table("person_cues") if row["kind"] == kind}, key=lambda f: (-len(f), f))
    return "|".join(f"[{f[0].upper()}{f[0].lower()}]" + r"[ \t]+".join(re.escape(w) for w in f[1:].split(" "))
                    for f in forms) or r"(?!x)x"


@lru_cache(maxsize=None)
def _words(kind: str) -> str:
    """Regex source of the person_words.tsv words of one kind, exactly as written, longest first."""
    forms = sorted({row["word"] for row in load_table("person_words") if row["kind"] == kind},
                   key=lambda f: (-len(f), f))
    return "|".join(re.escape(f) for f in forms) or r"(?!x)x"


@lru_cache(maxsize=None)
def _not_name_words() -> frozenset[str]:
    """Capitalised words of bodies and places, never part of a foreign person's name."""
    return frozenset(row["word"] for row in load_table("person_words") if row["kind"] == "not_name")


@lru_cache(maxsize=None)
def _after_name() -> re.Pattern:
    """The comma, bracket, dash or "kiêm" after a name, and a word before a position ("A, nguyên Bộ trưởng")."""
    return re.compile(r"[ \t]*(?:(?:,|\(|-(?=[ \t]|[" + UPPER + r"])|:)[ \t]*(?:kiêm[ \t]+)?|kiêm[ \t]+)"
                      r"(?:(?:" + _words("after_name") + r")[ \t]+)?")


@lru_cache(maxsize=None)
def _possessive() -> re.Pattern:
    return re.compile(r"(?:" + _words("possessive") + r")[ \t]+$")


@lru_cache(maxsize=None)
def _unknown_body() -> re.Pattern:
    """An unknown (or misspelt) abbreviated body between a title and a name: "Phó Chủ tịch UNND tỉnh Lê Văn A"."""
    return re.compile(r"[ \t]+[" + UPPER + r"]{2,6}(?:[ \t]+(?:" + _words("admin_level") + r"))?(?=[ \t]+[" + UPPER
                      + r"])")


@lru_cache(maxsize=None)
def _name_blockers() -> re.Pattern:
    """A word right before a name that makes it a thing's name ("đường Lê Lợi", "tư tưởng Hồ Chí Minh")."""
    words = sorted({row["word"] for row in load_table("name_blockers")}, key=lambda w: (-len(w), w))
    return re.compile(r"(?<!\w)(?:" + "|".join(r"[ \t]+".join(map(re.escape, w.split())) for w in words)
                      + r")[ \t]*$", re.IGNORECASE)


@lru_cache(maxsize=None)
def _credit() -> re.Pattern:
    """Group 1: the credited name, which runs to the name read unless a rank, title or honorific ends it."""
    return re.compile(r"(?:" + _words("credit") + r")[ \t]*:([^\n:]{0,40})$")


@lru_cache(maxsize=None)
def _credit_words() -> re.Pattern:
    return re.compile(r"(?:" + _words("credit") + r")[ \t]*:")


@lru_cache(maxsize=None)
def _former() -> re.Pattern:
    return re.compile(r"(?:" + _words("former") + r")[ \t]+$")


@lru_cache(maxsize=None)
def _cue_words(kind: str) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + _cues(kind) + r")(?!\w)")


@lru_cache(maxsize=None)
def _role_verb() -> re.Pattern:
    """"X là Giám đốc", "X hiện là ...", "X giữ chức Chủ tịch": a position after a verb."""
    return re.compile(r"[ \t]+(?:(?:" + _cues("role_now") + r")[ \t]+)?(?:" + _cues("role_verb") + r")[ \t]+")


@lru_cache(maxsize=None)
def _job_before() -> re.Pattern:
    """A job written right before a name ("luật sư", "LS", "bác sĩ"): the titles that need a body, and the
    honorifics that abbreviate them."""
    forms = {form for row in load_table("titles") if row.get("needs_body") == "yes"
             for form in [row["title"], *values(row.get("aliases"))]}
    forms |= {"LS"}
    alternatives = sorted(forms, key=lambda f: (-len(f), f))
    return re.compile(r"(?<!\w)(" + "|".join(f"[{f[0].upper()}{f[0].lower()}]" + re.escape(f[1:]) for f in alternatives)
                      + r")[ \t]+(?:là[ \t]+)?$")


@lru_cache(maxsize=None)
def _lower_title_words() -> re.Pattern:
    """The first words of titles, in lower case inside a sentence ("theo người phát ngôn Bộ X", "giám đốc Sở Y")."""
    firsts = sorted({form.split()[0].casefold() for row in load_table("titles")
                     for form in [row["title"], *values(row.get("aliases"))]}, key=lambda w: (-len(w), w))
    return re.compile(r"(?<=[ \t(\"“])(?:" + "|".join(re.escape(w) for w in firsts) + r")(?=[ \t])")


@lru_cache(maxsize=None)
def _speech_after() -> re.Pattern:
    """"Pierre Nkurikiye ngày 10/7 cho biết", "Angela Merkel đã lên án": a verb of saying after a name."""
    return re.compile(r"(?:[ \t]*,)?(?:[ \t]+(?:" + _cues("speech_aux") + r"|ngày[ \t]+\d{1,2}(?:[/.-]\d{1,2})*))*"
                      r"[ \t]+(?:" + _cues("speech") + r")(?!\w)")


@lru_cache(maxsize=None)
def _term_before() -> re.Pattern:
    """"nhiệm kỳ 2020-2025": a term word right before a year range."""
    return re.compile(r"(?<!\w)(?:" + _cues("term") + r")[ \t]+(?:năm[ \t]+)?$")


@lru_cache(maxsize=None)
def _and_next() -> re.Pattern:
    """Group 1 ends where "và" starts, after a caption's "(trái)", "(thứ hai từ phải sang)"."""
    return re.compile(r"(?:[ \t]*\([^()\n]{0,20}?(?:" + _cues("caption_side") + r")[^()\n]{0,10}\))?([ \t]*)và[ \t]")


# a capitalised word of a name: "Sang-gyun", "K'rông" and "H’Quỳnh" (Ê Đê names), "V.Putin" (an initial glued on),
# "DiCaprio", "McDonald" (a foreign surname's prefix)
_NAME_WORD = re.compile(r"[ \t]*((?:[" + UPPER + r"]\.)?(?:(?:Mc|Mac|Di|De|Le|La|Du)[A-Z][a-z]+|[" + UPPER + r"][" + LOWER + r"]*)(?:['’][" + UPPER + LOWER + r"]["
                        + LOWER + r"]*)?(?:-[" + UPPER + LOWER + r"][" + LOWER + r"]*)*)(?![\w'’])")
_SPACE = re.compile(r"[ \t]*")
_NOT_GIVEN_NAMES = frozenset({"Có", "Là", "Và", "Cho", "Đã", "Sẽ", "Bị", "Khi", "Thì", "Của", "Với", "Tại", "Trong",
                              "Cũng", "Đang", "Nói", "Nêu", "Cụ",  # "Cụ thể, ..." glued to a caption's name
                              # a sentence's first word glued to a heading's name ("... Bình Trước đó, ...")
                              "Trước", "Sau", "Các", "Những", "Theo", "Ngoài", "Nhưng", "Tuy", "Để", "Nếu"})
_INITIAL_AND_NAME = re.compile(r"[" + UPPER + r"]\.[" + UPPER + r"][a-z]{2,}")
_OPEN_BRACKET = re.compile(r"[ \t]*\(")
_OF_BODY = re.compile(r"[ \t]+của[ \t]+")
_DASH_BODY = re.compile(r"[ \t]*[-–][ \t]*")
_BRACKETED_TITLE = re.compile(r"[ \t]*\([ \t]*")
_BARE_MINISTRY = re.compile(r"[ \t]+Bộ(?=[ \t]*[,.;:)]|[ \t]+[" + LOWER + r"])")
# a sitting of an assembly, where a bare "đại biểu" is one of its deputies
_SESSION_WORDS = re.compile(r"(?<!\w)(?:kỳ họp|phiên họp|phiên thảo luận|thảo luận (?:tại )?hội trường|chất vấn|"
                            r"tiếp xúc cử tri)(?!\w)", re.IGNORECASE)
_CLOSE_BRACKET = re.compile(r"[ \t]*\)")
_PARENT_KINDS = frozenset({"police", "people-committee", "party", "ministry", "department"})
# "Trưởng phòng X - Đại tá A", "Chánh Văn phòng Y - ông B", "Hiệu trưởng Đại học Ajou, ông Kim Dong-yeon"
_DASH_THEN_PERSON = re.compile(r"[ \t]*(?:[-–][ \t]*(?:(?:ông|bà|Ông|Bà)[ \t]+)?|,[ \t]*(?:ông|bà)[ \t]+|[ \t]+là[ \t]+(?:ông|bà)[ \t]+)"
                               r"(?=[" + UPPER + r"])")
# the lower-case particles of foreign names ("Bashar al-Assad", "Ronald dela Rosa", "Lula da Silva")
_PARTICLE = re.compile(r"[ \t]+((?:al|el|ad|as|bin|ibn|da|de|dela|del|della|di|dos|du|van|von|der|den|la|le)"
                       r"(?:-[" + UPPER + r"][" + LOWER + r"]+)?)(?=[ \t]+[" + UPPER + r"]|(?<=[" + LOWER + r"])(?![\w-]))")
_ACTING = re.compile(r"Quyền[ \t]+(?=[" + UPPER + r"])")
_SERVING_AT = re.compile(r"[ \t]+tại[ \t]+")
# "(40 tuổi, ngụ quận 3, TP.HCM)", "(SN 1985, trú tại ...)": who the person is, before the positions; group
# "comma" is the comma before a title inside the bracket ("(31 tuổi, Giám đốc Công ty X)")
_PERSONAL_BRACKET = re.compile(r"[ \t]*\([ \t]*(?:\d{1,3}[ \t]*tuổi|[Ss][Nn][ \t]*\d{4}|sinh[ \t]+năm[ \t]+\d{4}|sinh[ \t]+\d{4})"
                               r"[ \t]*(?:\)|,[ \t]*(?:ngụ|trú|quê|thường trú|HKTT)[^()\n]{0,80}\)"
                               r"|(?P<comma>,)(?=[ \t]*[" + UPPER + r"]))")
# a birth date written between a name and its positions, up to the comma before them
_BIRTH_CLAUSE = re.compile(r"[ \t]*,[ \t]*sinh[ \t]+(?:ngày[ \t]+\d{1,2}[ \t]+tháng[ \t]+\d{1,2}[ \t]+năm[ \t]+\d{4}|"
                           r"ngày[ \t]+\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|năm[ \t]+\d{4}|\d{4})(?=[ \t]*,)")
_MIDDLE_NAMES = frozenset({"Văn", "Thị"})  # the middle names that mark a Vietnamese full name
_LIST_COLON = re.compile(r"[ \t]*(?::[ \t]*)?")
# group 1: a capitalised word alone inside a sentence, after a lower-case word or a comma ("anh Sinh cho biết")
_ALONE_WORD = re.compile(r"(?:(?<!\w)[" + LOWER + r"]+|,)[ \t]+([" + UPPER + r"][" + LOWER + r"]*(?:-[" + UPPER + LOWER
                         + r"][" + LOWER + r"]*)*)(?=[ \t]+[" + LOWER + r"]|[,.;:])")
# a year in the clause before "là" ("Năm 2010, X là", "Từ tháng 7/2015 đến tháng 4/2016", "năm 1997-2001"; a count such
# as "2000 người" is no year): day (a full date dates an event, at which the position is held), year, until (a range)
_CLAUSE_YEAR = re.compile(r"(?<![\w/.-])(?:(?P<nam>[Nn]ăm[ \t]+)|(?P<day>\d{1,2}[ \t]*[/.-][ \t]*)?(?P<month>\d{1,2}"
                          r"[ \t]*[/.-][ \t]*))?(?P<year>(?:19|20)\d{2})(?:[ \t]*[-–][ \t]*(?P<until>(?:19|20)\d{2}))?"
                          r"(?![\w/])")
_CLAUSE_WINDOW = 150  # characters before "là" searched for the clause's start and its time words
# between two titles before a name: "Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh X", "Chủ tịch HĐQT kiêm Tổng Giám đốc"
_TITLE_JOIN = re.compile(r"[ \t]*(?:,[ \t]*(?:kiêm[ \t]+)?|kiêm[ \t]+|[ \t]+)")
_CAPITAL_NEXT = re.compile(r"[ \t]*(?::[ \t]*)?[" + UPPER + r"]")
_AGE_HINT = re.compile(r"\d[ \t]*tuổi|S[Nn][ \t]*\d|sinh[ \t]+(?:năm[ \t]+)?\d")
# "(32 tuổi)", "(SN 1987)", "(Sn 1995)", "(sinh năm 1990)", "Lê A, (SN 1989)", "Lê A, sinh năm 1990", "Lê A, 32 tuổi"
_AGE_AFTER = re.compile(r"[ \t]*(?:,[ \t]*)?(?:\([ \t]*(?:S[Nn]|sinh năm|sinh)?[ \t]*\d{1,4}[ \t]*(?:tuổi|[,;)])"
                        r"|,[ \t]*(?:S[Nn]|sinh năm|sinh)[ \t]*\d{4}|[ \t]*,[ \t]*\d{1,3}[ \t]*tuổi)")
_NEXT_PERSON = re.compile(r"[ \t]*;[ \t]*(?:và[ \t]+)?")
# the rest of a list item up to its ';' ("Đại sứ Lào tại Việt Nam; B, ..."): a few words, no clause break
_REST_OF_ITEM = re.compile(r"(?:[ \t]+[^\s,;:.()]+){1,6}?(?=[ \t]*;)")
# "các đồng chí: A, B và C": the next name of a plain list
_NEXT_IN_LIST = re.compile(r"[ \t]*(?:,[ \t]*(?:và[ \t]+)?|và[ \t]+)")
# a name a few words after a sentence's start, with no comma between ("Đối tượng X", "Thượng tá X")
_NEAR_SENTENCE_START = re.compile(r"(?:^|[.!?\n])[^.!?\n,;:]{0,25}$")
# group 1: the dash after up to four words of a body not read as one
_UNREAD_BODY = re.compile(r"(?:[ \t]+[^\s,;:.()\-–]+){1,4}?([ \t]+-)[ \t]+")
_LOWER_NEXT = re.compile(r"[ \t]+([" + LOWER + r"]+)")
# before a bare name: a number after a lower-case word ("số 12 Lê Lợi": an address; group "word" is the word before
# the number, capitalised in "Quận 2 Nguyễn Hoài Nam")
_NUMBER_BEFORE = re.compile(r"(?:^|(?P<word>\S+)[ \t]+)\d[\w/.-]*[ \t]*,?[ \t]*$")
_NAME_DASH_BEFORE = re.compile(r"[" + LOWER + r"][ \t]*[-–][ \t]*$")  # "Trần Duy Hưng- Hoàng Minh Giám": a junction
# a capitalised word before a bare name inside a sentence: the name goes on a longer one ("Giải Trần Văn Ơn")
_CAPITAL_BEFORE = re.compile(r"[" + UPPER + r"][\w]*[ \t]+$")


@dataclass
class _Person:
    name: str
    start: int
    end: int
    rank: str | None = None
    positions: list[Position] = field(default_factory=list)
    foreign: bool = False
    partial: bool = False  # given name or title only: resolved against earlier full mentions


@dataclass(frozen=True)
class _NextItem:
    """Where the next person of a list starts ("A, title; B, title"), and the fewest words of its name."""
    pos: int
    listing: int
    shared: tuple[Position, ...] = ()


class _Reader:
    """Reads people from one article, using the organisations and places already found."""

    def __init__(self, doc: ArticleText, found: Extraction):
        self.doc = doc
        self.text = doc.match
        self.orgs_at: dict[int, OrgMention] = {o.span.start: o for o in found.organizations}
        self.places_at: dict[int, PlaceMention] = {p.span.start: p for p in found.places}
        self.context_titles: dict[int, tuple[str, ...]] = {}  # title start -> the bodies it may belong to
        self._session: bool | None = None
        self.blocked: list[tuple[int, int]] = sorted(
            [(o.span.start, o.span.end) for o in found.organizations]
            + [(p.span.start, p.span.end) for p in found.places])
        self.people: list[_Person] = []
        self.used_until = 0
        self.reference_year = found.reference_year
        self.authors = frozenset(key(a) for a in doc.article.authors)
        self.foreign_orgs = frozenset(o.name for o in found.organizations if o.kind and o.kind.startswith("foreign"))
        self._mask: bytearray | None = None
        self._alone_at: dict[str, list[int]] | None = None

    # --- pieces ---------------------------------------------------------------------------------------
    def rank_at(self, pos: int, any_case: bool = False) -> tuple[str, int] | None:
        if not (any_case or self.text[pos:pos + 1].isupper()):
            return None
        hit = _ranks().match(self.text, pos)
        return (hit[1], hit[0]) if hit else None

    def title_at(self, pos: int, any_case: bool = False) -> tuple[Position, int] | None:
        """A title and the body it names, at pos: [Quyền] title [body | short ministry | lower-case body]
        [country] ["tại" country] ("Quyền Cục trưởng Cục X", "Bộ trưởng Quốc phòng Thái Lan", "Bộ trưởng bộ Y
        tế", "Ngoại trưởng Mỹ", "Đại sứ Việt Nam tại Nhật Bản"). any_case: the title may be written in lower
        case (after a name: "Lê A, giám đốc Công ty X")."""
        if not (any_case or self.text[pos:pos + 1].isupper()):
            return None
        acting = _ACTING.match(self.text, pos)
        if acting:
            inner = self.title_at(acting.end())
            if inner is None:
                return None
            position, end = inner
            return Position(f"Quyền {position.title}", position.organization, self.doc.text[pos:end],
                            self.doc.span(pos, end)), end
        index, by_key = _titles()
        hit = index.match(self.text, pos)
        if hit is None:
            return None
        end, entry, _ = hit
        inside = self._org_inside(pos, end)
        title = entry.title
        if entry.organization:
            title, org = entry.base or entry.title, entry.organization
        elif entry.head and (lower := self._lower_body(m_end := end, entry.head)) is not None:
            title = entry.title[: -len(entry.head)].strip()
            org, end = lower
        elif inside is not None:
            # "Ủy viên BCH Trung ương Đảng", "Trưởng Ban Dân vận": the body's name begins inside the title
            shorter = by_key.get(key(self.text[pos:inside.span.start]))
            title = shorter.title if shorter else self.doc.text[pos:inside.span.start].strip()
            org, end = inside.name, inside.span.end
        else:
            title, org = entry.title, None
            gap = _SPACE.match(self.text, end)
            following = self.orgs_at.get(gap.end())
            of = _OF_BODY.match(self.text, end)
            if following is None and of and of.end() in self.orgs_at:
                following, gap = self.orgs_at[of.end()], of  # "điều dưỡng viên của Khoa Hồi sức tích cực"
            if following and (gap.end() - end <= 1 or gap is of):
                org, end = following.name, following.span.end
            elif self.text.startswith(" Đảng ủy", end) and not self.text[end + 8:end + 9].isalnum():
                org, end = "Đảng ủy", end + 8
            elif gap.end() - end == 1 and (implied := self._implied_body(gap.end(), entry)) is not None:
                org, end = implied
            elif gap.end() - end == 1 and (area := self._area_body(gap.end(), entry.title)) is not None:
                org, end = area
            elif (bare := _BARE_MINISTRY.match(self.text, end)) and (ministry := self._article_ministry()):
                org, end = ministry, bare.end()  # "Chánh thanh tra Bộ": the one ministry the article names
        end, parent = self._skip_parent(end)
        if parent is not None and org is not None and org.startswith(("Phòng ", "Đội ")) \
                and parent.kind in _PARENT_KINDS and parent.name not in org:
            org = f"{org} {parent.name}"  # "Trưởng phòng CSGT (CA tỉnh Kon Tum)": Phòng CSGT Công an tỉnh Kon Tum
        title, org, end = self._country_qualified(title, org, end)
        if entry.needs_body and org is None:
            if not entry.context_body:
                return None
            self.context_titles[pos] = entry.context_body  # settled once the name is read (_settle_context)
        return Position(title, org, self.doc.text[pos:end], self.doc.span(pos, end)), end

    def _implied_body(self, pos: int, entry: _Title) -> tuple[str, int] | None:
        """A gazetteer body right after a title, written in lower case ("Bộ trưởng bộ Y tế") or without the
        head the title implies ("Thứ trưởng Ngoại giao" = Thứ trưởng Bộ Ngoại giao)."""
        from .organizations import body_at

        if self.text[pos:pos + 1].islower():
            hit = body_at(self.text, pos)
            if hit and any(w[:1].isupper() for w in self.text[pos:hit[0]].split()[1:]):
                return hit[1], hit[0]
            return None
        if entry.implied_head and self.text[pos:pos + 1].isupper():
            probe = f"{entry.implied_head} {self.text[pos:pos + 80]}"
            hit = body_at(probe, 0)
            if hit and hit[0] > len(entry.implied_head) + 1 and hit[1].startswith(entry.implied_head + " "):
                return hit[1], pos + hit[0] - len(entry.implied_head) - 1
        return None

    def _body_in_brackets(self, person: _Person, end: int) -> int:
        """"Điều tra viên cao cấp Nguyễn Nhứt (Cơ quan điều tra Viện KSND tối cao)": a title written before the name
        without its body takes the body bracketed alone after the name; so does a job that introduced the name
        ("luật sư Nguyễn Văn Vinh (Đoàn Luật sư TP.HCM)", "luật sư Giang Hồng Thanh - Văn phòng Luật sư X")."""
        bare = [i for i, p in enumerate(person.positions) if p.organization is None]
        job = None if bare else _job_before().search(self.text, max(0, person.start - 24), person.start)
        if not bare and job is None:
            return end
        bracket = _OPEN_BRACKET.match(self.text, end)
        dash = _DASH_BODY.match(self.text, end) if job else None
        opening = bracket or dash
        if opening is None or opening.end() not in self.orgs_at:
            return end
        body = self.orgs_at[opening.end()]
        close = _CLOSE_BRACKET.match(self.text, body.span.end) if bracket else None
        if bracket and close is None:
            return end
        if job is not None:
            entry = _titles()[1].get(key(job.group(1)))
            if entry is None:
                return end
            person.positions.append(Position(entry.title, body.name, self.doc.text[job.start(1):body.span.end],
                                             self.doc.span(job.start(1), body.span.end)))
        else:
            i = bare[-1]
            person.positions[i] = replace(person.positions[i], organization=body.name)
        return close.end() if close else body.span.end

    def _settle_context(self, before: list[Position], end: int) -> list[Position]:
        """"Đại biểu Trần Thị Hoa (Yên Bái)": a delegate named with a province in brackets sits for it in the one
        assembly the article names; without that bracket the word is no position ("đại biểu" of a congress)."""
        out = []
        for p in before:
            heads = self.context_titles.get(p.span.start)
            if heads is None or p.organization is not None:
                out.append(p)
                continue
            bracket = _OPEN_BRACKET.match(self.text, end)
            place = self.places_at.get(bracket.end()) if bracket else None
            sitting = bool(place and place.kind in ("province", "city")) or self._in_session()
            body = self._context_body(heads) if sitting else None
            if body is not None:
                out.append(replace(p, organization=body))
        return out

    def _article_ministry(self) -> str | None:
        ministries = {o.name for o in self.orgs_at.values() if o.kind == "ministry" and o.name.startswith("Bộ ")}
        return next(iter(ministries)) if len(ministries) == 1 else None

    def _in_session(self) -> bool:
        """Does the article report a sitting of an assembly ("kỳ họp", "phiên thảo luận", "chất vấn")?"""
        if self._session is None:
            self._session = bool(_SESSION_WORDS.search(self.text))
        return self._session

    def _context_body(self, heads: tuple[str, ...]) -> str | None:
        """The one body of the article whose name starts with one of heads ("Quốc hội", "Hội đồng nhân dân TP
        Hồ Chí Minh"), when it names bodies of just one of them."""
        found = {h: {o.name for o in self.orgs_at.values() if o.name == h or o.name.startswith(h + " ")} for h in heads}
        named = [names for names in found.values() if names]
        if len(named) != 1 or len(named[0]) != 1:
            return None
        return next(iter(named[0]))

    def _area_body(self, pos: int, title: str) -> tuple[str, int] | None:
        """"Chủ tịch quận Đống Đa", "Bí thư thị trấn Kỳ Sơn": an area right after the title names its body."""
        place = self.places_at.get(pos)
        admin = _ADMIN_WORD.match(place.text) if place else None
        if admin is None:
            return None
        body = _area_bodies().get((title, admin.group(1).casefold()))
        if body is None:
            return None
        area = f"{admin.group(1).casefold()} {place.text[admin.end():]}"
        return body.format(area=area, name=place.name), place.span.end

    def _country_qualified(self, title: str, org: str | None, end: int) -> tuple[str, str | None, int]:
        """A country after a title or a national body makes them that country's ("Thủ tướng Nhật Bản", "Bộ
        Quốc phòng Thái Lan"); an envoy's title also names where it serves ("Đại sứ Việt Nam tại Nhật Bản")."""
        from .places import country_at, foreign_city_at

        if org is not None and (org in self.foreign_orgs or not _national_body(org)):
            return title, org, end
        if not self.text[end:end + 1].isspace():
            return title, org, end
        country_end = country_at(self.text, end)
        if country_end is None:
            # A city's office abroad ("Thị trưởng London", "Cảnh sát trưởng thành phố Manchester").
            city_end = foreign_city_at(self.text, end) if org is None else None
            if city_end is None:
                return title, org, end
            return f"{title} {self.doc.text[end:city_end].strip()}", None, city_end
        country = self.doc.text[end:country_end].strip()
        at = _SERVING_AT.match(self.text, country_end)
        if at and (second := country_at(self.text, at.end())) is not None and org is None:
            return f"{title} {country} tại {self.doc.text[at.end():second].strip()}", None, second
        if org is None:
            return f"{title} {country}", None, country_end
        if country == "Việt Nam":
            return title, org, end
        return title, f"{org} {country}", country_end

    def _lower_body(self, end: int, head: str) -> tuple[str, int] | None:
        """"Trưởng ban Tổ chức Trung ương": the body's name starts with the title's lower-case last word."""
        from .organizations import body_at

        start = end - len(head)
        if self.text[start:end].casefold() != head.casefold() or start in self.orgs_at:
            return None
        hit = body_at(self.text, start)
        return (hit[1], hit[0]) if hit and hit[0] > end else None

    def _org_inside(self, start: int, end: int) -> OrgMention | None:
        for offset in range(start + 1, end):
            org = self.orgs_at.get(offset)
            if org and org.span.end > end and self.text[offset - 1] == " ":
                return org
        return None

    def _skip_parent(self, end: int) -> tuple[int, OrgMention | None]:
        """"Cục X (Bộ Công an)", "Phòng CSGT (CA tỉnh Kon Tum)": the bracketed parent belongs to the body already
        read; returns where it ends, and the parent when nothing but it is in the brackets."""
        m = _OPEN_BRACKET.match(self.text, end)
        if m and m.end() in self.orgs_at:
            close = self.text.find(")", m.end(), m.end() + 120)
            if close > 0:
                parent = self.orgs_at[m.end()]
                alone = not self.text[parent.span.end:close].strip()
                return close + 1, parent if alone else None
        return end, None

    def name_at(self, pos: int) -> tuple[str, int, int] | None:
        """A run of capitalised words starting after pos: (name, start, end)."""
        words, start, end = [], None, pos
        while len(words) < 5:
            m = _NAME_WORD.match(self.text, end)
            if not m and words and not vietnamese_syllable(words[-1]) \
                    and (particle := _PARTICLE.match(self.text, end)):
                if "-" in particle.group(1):  # "al-Assad" ends or goes on a name
                    words.append(particle.group(1))
                    end = particle.end()
                    continue
                m = _NAME_WORD.match(self.text, particle.end())  # "dela Rosa": the particle needs a word after
                if m and not self._blocked(m.start(1)):
                    words.append(particle.group(1))
            if not m or self._blocked(m.start(1)) or (words and self._starts_cue(m.start(1))):
                break
            if words and _credit_words().match(self.text, m.start(1)):
                break  # "... Lê Công Sơn Ảnh: Quỳnh Trân": a photo credit starts
            if start is None:
                start = m.start(1)
            if len(words) >= 3 and m.group(1) in _NOT_GIVEN_NAMES and _NAME_WORD.match(self.text, m.end()) is None:
                break  # "Lê Thị Nga Có ý kiến": a function word capitalised by mistake ends the name
            word, end = m.group(1), m.end()
            viet_tail = next((i for i, part in enumerate(word.split("-")) if i and part[:1].islower()
                              and not part.isascii()), None)
            if viet_tail is not None:  # "Donald Trump-một người ...": a Vietnamese word glued on by a hyphen
                kept = "-".join(word.split("-")[:viet_tail])
                words.append(kept)
                end = m.start(1) + len(kept)
                break
            glued = next((i for i, c in enumerate(word) if c == "-" and self._starts_cue(m.start(1) + i + 1)), None)
            if glued is not None:  # "Phan Xuân Công-Trưởng Công an huyện": a title glued on by a hyphen
                if glued:
                    words.append(word[:glued])
                end = m.start(1) + glued
                break
            words.append(word)
        if not words:
            return None
        if len(words) >= 3 and words[0].casefold() in _honorifics()[1] and words[1] in _surnames():
            # "Ông Nguyễn Văn A" read from a cue before it: the honorific is not part of the name
            start = self.text.index(words[1], start + len(words[0]))
            words = words[1:]
        return " ".join(words), start, end

    def _unglued(self, written: str, start: int, end: int) -> tuple[str, int, int]:
        """"Đối tượng Trần Văn Sinh Vài ngày sau, Sinh ...": a caption glued to the next sentence lends the name
        that sentence's first word. A Vietnamese name of four words read where a sentence (or caption) starts
        loses its last when the article calls the person by the third (the given name) and never by the fourth."""
        words = written.split()
        if len(words) < 4 or words[0] not in _surnames():
            return written, start, end
        # inside a sentence, only a call after an honorific counts ("cháu Lý"; not "..., Thanh tra Bộ")
        after_honorific = not _NEAR_SENTENCE_START.search(self.text, max(0, start - 30), start)
        if self._called_by(words[-2], after_honorific) and not self._called_by(words[-1]):
            shorter = start
            for _ in words[:-1]:  # the words as written, whatever the spaces between them
                shorter = _NAME_WORD.match(self.text, shorter).end()
            return " ".join(words[:-1]), start, shorter
        return written, start, end

    def _called_by(self, given: str, after_honorific: bool = False) -> bool:
        """Is a capitalised word used alone inside a sentence ("..., Sinh bày tỏ", "anh Sinh cho biết")?"""
        if self._alone_at is None:  # word -> where it stands alone, found in one pass over the article
            self._alone_at = {}
            for m in _ALONE_WORD.finditer(self.text):
                self._alone_at.setdefault(m.group(1), []).append(m.start(1))
        for pos in self._alone_at.get(given, ()):
            if not after_honorific or any(h.end() == pos - 1 for h in _honorifics()[0].finditer(
                    self.text, max(0, pos - 16), pos)):
                return True
        return False

    def _starts_cue(self, pos: int) -> bool:
        return bool(_titles()[0].match(self.text, pos) or _ranks().match(self.text, pos))

    def _blocked(self, pos: int) -> bool:
        if self._mask is None:
            mask = bytearray(len(self.text) + 1)
            for s, e in self.blocked:
                mask[s:e] = b"\x01" * (e - s)
            self._mask = mask
        return bool(self._mask[pos]) if pos < len(self._mask) else False

    # --- a person -------------------------------------------------------------------------------------
    def read(self, cue_start: int, strong: bool, weak_honorific: bool = False, lower_rank: bool = False,
             listing: int = 0, lower_title: bool = False) -> int:
        """Read a person from cue_start, then each next person of a list; returns where reading stopped. A loop,
        not a recursion: a list may run to thousands of items."""
        step = self._read_one(cue_start, strong, weak_honorific, lower_rank, listing, lower_title=lower_title)
        while isinstance(step, _NextItem):
            step = self._read_one(step.pos, strong=False, listing=step.listing, in_list=True, shared=step.shared)
        return step

    def _cues_before(self, cue_start: int, strong: bool, lower_rank: bool, lower_title: bool = False) \
            -> tuple[int, str | None, list[Position], bool, bool]:
        """The honorifics, rank and titles written before a name, from cue_start: (where they end, rank, titles,
        strong, titled). "Đại tướng, Bộ trưởng Quốc phòng X": a comma or "kiêm" may join a rank or title to the
        next title."""
        pos = cue_start
        rank, before, titled = None, [], False
        someone_elses = False  # "Thừa ủy quyền của Chủ tịch nước, ...": a title of another person
        steps = 0
        while steps < 8:
            steps += 1
            # "các đồng chí: Thượng tướng A": the list's colon before the first item's rank or title
            gap = (_LIST_COLON if steps == 1 else _SPACE).match(self.text, pos).end()
            if before or rank:
                joined = _TITLE_JOIN.match(self.text, pos)
                if joined and joined.group(0).strip() and (self.title_at(joined.end()) or self.rank_at(joined.end())):
                    gap = joined.end()
            honorific = _honorifics()[0].match(self.text, gap)
            if honorific and _honorifics()[1].get(honorific.group(0).casefold()) == "strong":
                pos = honorific.end()
                strong = True
                continue
            found_rank = self.rank_at(gap, any_case=lower_rank and steps == 1)
            if found_rank:
                rank, pos = found_rank[0], found_rank[1]
                strong = strong or not lower_rank
                continue
            found_title = self.title_at(gap)
            if found_title is None and lower_title and steps == 1:
                # "người phát ngôn Bộ Quốc phòng Hàn Quốc Moon Sang-gyun": a title in lower case counts with its body
                found_title = self.title_at(gap, any_case=True)
                if found_title and found_title[0].organization is None and gap not in self.context_titles:
                    found_title = None
            if found_title:
                if before and (someone_elses or not self.text[pos:gap].strip()):
                    # two titles with nothing between them, or after "của": the earlier ones are not this
                    # person's ("Thừa ủy quyền của Chủ tịch nước Thứ trưởng Bộ Xây dựng X")
                    before = []
                if not before:
                    someone_elses = bool(_possessive().search(self.text, max(0, gap - 24), gap))
                if not _former().search(self.text, max(0, gap - 8), gap):
                    before.append(found_title[0])
                pos = found_title[1]
                strong = titled = True
                continue
            break
        return pos, rank, before, strong, titled

    def _read_one(self, cue_start: int, strong: bool, weak_honorific: bool = False, lower_rank: bool = False,
                  listing: int = 0, in_list: bool = False, shared: tuple[Position, ...] = (),
                  lower_title: bool = False) -> int | _NextItem:
        """Read [rank] [titles] NAME [positions] from cue_start; returns where reading stopped, or where the
        next person of a list starts.

        lower_rank: a rank written in lower case opens the cue ("thiếu tướng Phan Văn A"); it introduces a
        person only as a weak cue does (a Vietnamese full name, or a given name met before).
        listing: a list cue opened the reading ("các đồng chí:"): full names after "," or "và" are people too;
        the number is the fewest words such a name has (a weak cue's "gồm: Đồng Tân, Trung Tú" names communes).
        in_list: the reading follows a person of a list after ";" ("A, title; B, title").
        shared: titles written once for a whole list ("các đồng chí Ủy viên Bộ Chính trị: A; B; C")."""
        pos, rank, before, strong, titled = self._cues_before(cue_start, strong, lower_rank, lower_title)
        if lower_title and not before:
            return cue_start
        colon = re.compile(r"[ \t]*:").match(self.text, pos)
        if colon and before and not rank and (listing or in_list) and not shared:
            # the titles before a list's colon are every item's: read the first item's own cues after it
            shared = tuple(before)
            pos, rank, before, strong, titled = self._cues_before(colon.end(), True, False)
            colon = None
        if shared:
            before = list(shared) + [p for p in before if p.title not in {q.title for q in shared}]
            titled = titled or bool(before)
        if colon:
            pos = colon.end()
        if titled or rank or weak_honorific:
            # "Tổng thống Mỹ Donald Trump", "Thiếu tướng Anh John Smith", "sinh viên Mỹ Otto Warmbier"
            pos = self._skip_country(pos, 3 if titled else 0)
        name = self.name_at(pos)
        if name is None and before:
            pos = self._skip_unknown_body(pos)
            name = self.name_at(pos)
        if name is None and before and (dash := _DASH_THEN_PERSON.match(self.text, pos)):
            # "Trưởng phòng CSGT (CA tỉnh Kon Tum) - Đại tá Lê Đình Toàn", "Chánh Văn phòng Ban X - ông Y":
            # the titles, a dash, then the person's own cues and name
            after, rank_after, titles_after, _, _ = self._cues_before(dash.end(), True, False)
            name = self.name_at(after)
            if name is not None:
                pos, rank = after, rank_after or rank
                before = before + titles_after
        if name is None:
            if before and re.search(r"(?:đồng chí|Đồng chí)[ \t]+$", self.text[max(0, cue_start - 12):cue_start]):
                self._title_only(before, cue_start, pos)
            return pos
        written, start, end = self._unglued(*name)
        before = self._settle_context(before, end)
        if self._in_credit(start):
            return end
        if weak_honorific and not strong and len(written.split()) < listing:
            return end
        person = self._make(written, start, end, rank, before, strong, weak_honorific,
                            titled_after=(weak_honorific or in_list) and self._title_after(end))
        if person is None:
            return end
        end = self._body_in_brackets(person, end)
        end = self._positions_after(person, end)
        self.people.append(person)
        # "A, title; B, title": the next person of a list
        nxt = _NEXT_PERSON.match(self.text, end) or self._next_titled_item(person, end)
        if nxt and self.text[nxt.end():nxt.end() + 1].strip():
            return _NextItem(nxt.end(), listing, shared)
        if listing:
            return self._list_members(end, listing, shared)
        joined = _and_next().match(self.text, end)
        if joined and (weak_honorific or strong) and not titled:
            # "đối tượng Lê Văn A (trái) và Trần Văn B": a full name joined to a person an honorific introduced
            # (after a title, "và" more often joins the title's bodies: "Giám đốc Quan hệ và Quản trị ...")
            return self._list_members(joined.end(1), 3)
        return end

    def _next_titled_item(self, person: _Person, end: int) -> re.Match | None:
        """"A, Đại sứ Lào tại Việt Nam; B, Thứ trưởng": the ';' after a position's unread words, when the next
        item is a name with its title."""
        if not person.positions:
            return None
        semicolon = _REST_OF_ITEM.match(self.text, end)
        nxt = semicolon and _NEXT_PERSON.match(self.text, semicolon.end())
        name = nxt and self.name_at(nxt.end())
        return nxt if name and name[1] == nxt.end() and self._title_after(name[2]) else None

    def _list_members(self, end: int, fewest_words: int, shared: tuple[Position, ...] = ()) -> int | _NextItem:
        """"các đồng chí: A, B và C": each further full Vietnamese name (surname first) after "," or "và"."""
        while nxt := _NEXT_IN_LIST.match(self.text, end):
            pos = _SPACE.match(self.text, nxt.end()).end()
            if self._starts_cue(pos) or _honorifics()[0].match(self.text, pos):
                return end  # "A, Đại tá B": the cue reads the next person
            name = self.name_at(pos)
            if name is None or name[1] != pos:
                return end
            written, start, name_end = name
            tokens = written.split()
            # "và Đoàn Thanh niên": a body that opens with a surname goes on in lower case
            lower_next = _LOWER_NEXT.match(self.text, name_end)
            if tokens[0] not in _surnames() or len(tokens) < fewest_words or (
                    len(tokens) < 3 and lower_next and continues_name(tokens[-1], lower_next.group(1), None)):
                return end
            person = _Person(written, start, name_end, positions=list(shared))
            end = self._positions_after(person, name_end)
            self.people.append(person)
            nxt_person = _NEXT_PERSON.match(self.text, end)
            if nxt_person and self.text[nxt_person.end():nxt_person.end() + 1].strip():
                return _NextItem(nxt_person.end(), fewest_words, shared)
        return end

    def _in_credit(self, start: int) -> bool:
        """Is the name at start a photo credit or source ("Ảnh: Minh Khang/TTXVN")? The credit's name ends
        where a rank, a title or an honorific begins: "Ảnh: Nguyễn Tân Trung tướng Lê A, ..." is Lê A."""
        credit = _credit().search(self.text, max(0, start - 60), start)
        if not credit:
            return False
        for word in re.finditer(r"[^\s()]+", self.text[credit.start(1):start]):
            pos = credit.start(1) + word.start()
            if self._starts_cue(pos) or _lower_ranks().match(self.text, pos):
                return False
            honorific = _honorifics()[0].match(self.text, pos)
            if honorific and (_honorifics()[1].get(honorific.group(0).rstrip(".").casefold()) == "strong"
                              or _NAME_WORD.match(self.text, honorific.end())
                              and _NAME_WORD.match(self.text, honorific.end()).group(1) in _surnames()):
                return False
        return True

    def _skip_unknown_body(self, pos: int) -> int:
        """Past an unknown abbreviated body when a Vietnamese full name follows it (the title keeps no body)."""
        m = _unknown_body().match(self.text, pos)
        if m:
            name = self.name_at(m.end())
            if name and name[0].split()[0] in _surnames() and len(name[0].split()) >= 2:
                return m.end()
        return pos

    def _skip_country(self, pos: int, domain_words: int = 3) -> int:
        from .places import country_at

        start = pos
        for skip in range(domain_words + 1):  # "Bộ trưởng An ninh Lào Somkeo Silavong": words of domain
            if skip == 1:
                first = _NAME_WORD.match(self.text, start)
                if first and first.group(1) in _surnames():
                    break  # "Thượng úy Nguyễn Anh Đức": a Vietnamese name, whatever its syllables spell
            country = country_at(self.text, pos)
            if country and self.name_at(country):
                return country
            word = re.compile(r"[ \t]+[^\W\d_]+").match(self.text, pos)
            if not word:
                break
            pos = word.end()
        return start

    def _make(self, written: str, start: int, end: int, rank, before, strong: bool, weak: bool,
              titled_after: bool = False) -> _Person | None:
        """titled_after: a title follows the name ("Souphanh Keomixay, Bộ trưởng Bộ Tài chính"), which makes a
        foreign name after a weak cue ("ông") or in a list after ";" a person."""
        tokens = written.split()
        if len(tokens) >= 2 and tokens[-1] in _MIDDLE_NAMES:
            return None  # "anh Nguyễn Văn thắng": a name cut before its given name, misspelt in lower case
        # "Bàn Văn Duy": a surname the table leaves out, known by the middle name after it
        vietnamese = tokens[0] in _surnames() or (len(tokens) >= 3 and tokens[1] in _MIDDLE_NAMES
                                                  and all(vietnamese_syllable(t) for t in tokens)) \
            or (3 <= len(tokens) <= 4 and all(vietnamese_syllable(t) and (t[1:].islower() or t == "A" and i == 1)
                                              for i, t in enumerate(tokens))
                and bool(_AGE_AFTER.match(self.text, end)))  # "Văn Kính Dương (36 tuổi)": a rarer surname
        if not vietnamese and len(tokens) >= 2 and (strong or weak) and any(
                p.name.split()[-len(tokens):] == tokens and len(p.name.split()) > len(tokens) for p in self.people):
            # "Thượng úy Việt Anh" after "Lê Hồ Việt Anh": the given names of someone already met
            return _Person(written, start, end, rank, list(before), partial=True)
        if vietnamese and len(tokens) >= 2:
            return _Person(written, start, end, rank, list(before))
        foreign_titled = bool(before) and _foreign_shape(tokens)  # "Tư lệnh Cảnh sát quốc gia Philippines Ronald dela Rosa"
        if not strong and not weak and not titled_after and not foreign_titled:
            # list member without a cue: a full Vietnamese name followed by its title
            return None
        if len(tokens) == 1:
            if before and _INITIAL_AND_NAME.fullmatch(written):
                return _Person(written, start, end, rank, list(before), foreign=True)  # "Tổng thống Nga V.Putin"
            if rank or (strong and not before) or vietnamese_given(written):
                return _Person(written, start, end, rank, list(before), partial=True,
                               foreign=written.isascii() and len(written) >= 4)
            return None
        if any(t in _not_name_words() for t in tokens):
            return None
        if len(tokens) >= 3 and not vietnamese_syllable(tokens[0]) and all(vietnamese_syllable(t) for t in tokens[1:]) \
                and len(tokens[0]) > 4 and not _AGE_AFTER.match(self.text, end):
            # "Giám đốc Seabank Hai Bà Trưng": a brand before a Vietnamese place, not a foreign name; a short
            # surname ("Ng Eng Hen", "Zhu Hai Rong") or an age after the name makes it a person's
            return None
        if not strong and not titled_after and not foreign_titled and not (weak and _foreign_shape(tokens)):
            return None
        return _Person(written, start, end, rank, list(before), foreign=True)

    def _positions_after(self, person: _Person, end: int) -> int:
        """The positions written after a name: ", title body", " - title", "(title)", " là title"; past an age
        or an address in brackets ("Lê A (40 tuổi, ngụ quận 3), Giám đốc Công ty X"). "nguyên" makes the
        titles after it former ones too ("nguyên Tổng giám đốc, Phó Tổng giám đốc Cty Y")."""
        former = False
        personal = _PERSONAL_BRACKET.match(self.text, end)
        if personal:
            # a closed bracket: the positions follow it; an open one: they follow its comma, inside it
            end = personal.start("comma") if personal.group("comma") else personal.end()
        elif (born := _BIRTH_CLAUSE.match(self.text, end)) is not None:
            end = born.end()  # "Ông Lê Hồng Quang, sinh ngày 23 tháng 11 năm 1968, Ủy viên ..."
        while True:
            sep = _after_name().match(self.text, end) or self._present_role(end)
            if not sep:
                return end
            pos = sep.end()
            rank = self.rank_at(pos)
            if rank and not person.rank:
                person.rank = rank[0]
                end = rank[1]
                continue
            found = self.title_at(pos)
            if not found and self.text[pos:pos + 1].islower():
                # "Lê A, giám đốc Công ty X": a title in lower case counts only with the body it names
                found = self.title_at(pos, any_case=True)
                office = _titles()[1].get(key(found[0].title)) if found else None
                if found and not found[0].organization and not (office and office.own_office):
                    found = None  # unless the title names its own office ("chủ tọa phiên tòa")
            if not found:
                return end
            if self._name_follows(found[1]):
                return end  # "A, Bộ trưởng Bộ Công an Tô Lâm": the title introduces the next person
            former = former or bool(_former().search(self.text, max(0, sep.start()), pos))
            if not former:
                person.positions.append(found[0])
            end = found[1]
            if found[0].organization is None:
                end = self._past_unread_body(end)
            close = re.compile(r"[ \t]*\)").match(self.text, end)
            if close and "(" in self.text[person.end:sep.end()]:
                return close.end()

    def _present_role(self, end: int) -> re.Match | None:
        """"X là Ủy viên Bộ Chính trị", "X giữ chức Giám đốc": a position held now. A past one ("từng là",
        "khi còn là", "Từ năm 2006 đến năm 2015, X là ...") is no position of the person today."""
        verb = _role_verb().match(self.text, end)
        if not verb:
            return None
        window = max(0, end - _CLAUSE_WINDOW)
        clause = max(self.text.rfind(c, window, end) for c in ".!?;\n") + 1 or window
        return None if self._past_clause(clause, end) else verb

    def _past_clause(self, start: int, end: int) -> bool:
        """Does text[start:end] tell a past career? A year tells it when earlier than the article's year; with
        no article year, any period year does but a term of office's ("nhiệm kỳ 2020-2025")."""
        if _cue_words("until_now").search(self.text, start, end):
            return False
        if _cue_words("past").search(self.text, start, end):
            return True
        years = []  # (the period's last year, a term of office)
        for m in _CLAUSE_YEAR.finditer(self.text, start, end):
            if m["day"] is None and (m["nam"] or m["month"] or m["until"]):
                years.append((int(m["until"] or m["year"]),
                              bool(m["until"] and _term_before().search(self.text, start, m.start()))))
        if not years:
            return bool(_cue_words("period").search(self.text, start, end))
        if self.reference_year:
            return max(y for y, _ in years) < self.reference_year
        return not all(term for _, term in years)

    def _past_unread_body(self, end: int) -> int:
        """"Bí thư chi bộ - Giám đốc Trung tâm": a body not read as one (lower case, or a short form such as
        "Trung tâm") before " - " and the next title; returns the dash, or end when no title follows it."""
        m = _UNREAD_BODY.match(self.text, end)
        if not m or not self.title_at(m.end()):
            return end
        words = self.text[end:m.start(1)].split()
        if any(w in _surnames() and nxt[:1].isupper() for w, nxt in zip(words, words[1:])):
            return end  # "Chủ tịch xã Lê Văn A - ...": a name, not a body
        return m.start(1)

    def _title_after(self, end: int) -> bool:
        """Does a title follow the name after a comma, a dash or a bracket?"""
        sep = _after_name().match(self.text, end)
        return bool(sep and sep.group(0).strip() and self.title_at(sep.end(), any_case=True))

    def _name_follows(self, pos: int) -> bool:
        name = self.name_at(pos)
        return bool(name and name[1] - pos <= 1 and (name[0].split()[0] in _surnames() or len(name[0].split()) > 1))

    def _title_only(self, before: list[Position], start: int, end: int) -> None:
        """"đồng chí Thứ trưởng": the person who last held that title in this article."""
        titles = {p.title for p in before}
        for person in reversed(self.people):
            if any(p.title in titles for p in person.positions):
                clone = _Person(person.name, start, end, None, list(before), person.foreign, partial=True)
                self.people.append(clone)
                return

    def _aged_names(self) -> list[int]:
        """Starts of Vietnamese full names followed by an age or a birth year ("Lê Văn A (32 tuổi)",
        "Trần Thị B, sinh năm 1994"): people in the story, though nothing introduces them."""
        if not _AGE_HINT.search(self.text):
            return []
        surnames = _folded_surnames()
        out = []
        for pos, first in capital_tokens(self.text):
            if self._blocked(pos):
                continue
            name = self.name_at(pos)
            if not name or not _AGE_AFTER.match(self.text, name[2]):
                continue
            tokens = name[0].split()
            # a surname the table leaves out ("Văn Kính Dương (36 tuổi)"): three or four Vietnamese syllables
            rare_surname = 3 <= len(tokens) <= 4 and all(vietnamese_syllable(t) and (t[1:].islower() or t == "A" and i == 1)
                                                           for i, t in enumerate(tokens)) \
                and not self._after_capital_in_sentence(pos)
            foreign = _foreign_shape(tokens) and not self._after_capital_in_sentence(pos) \
                and not any(t in _not_name_words() for t in tokens)  # "Lisa Corcoran, 44 tuổi"
            if (first in surnames and len(tokens) >= 2) or rare_surname or foreign:
                out.append(pos)
        return out

    def _bare_names(self) -> list[int]:
        """Starts of Vietnamese full names that nothing introduces ("vợ là Vi Thị Huệ", "gồm A, B, C"): a surname
        and two or three more capitalised syllables, not inside a body or a place, not after a word that makes it
        a street's, a school's or a prize's name, nor an address number. Cues are not needed to find a person;
        they add the rank and the titles."""
        surnames = _folded_surnames()
        out = []
        for pos, first in capital_tokens(self.text):
            if first not in surnames and not vietnamese_syllable(first) and self._foreign_titled_at(pos):
                out.append(pos)  # "Antonio Palocci, cựu Bộ trưởng Tài chính": a foreign name with its title after
                continue
            if first not in surnames or self._blocked(pos):
                continue
            before = self.text[max(0, pos - 24):pos]
            number = _NUMBER_BEFORE.search(before)
            if number and not (number["word"] or "")[:1].isupper():
                continue  # "số 12 Lê Lợi", "trú tại 25 Trần Phú": an address; "Quận 2 Nguyễn Hoài Nam" is a person
            if _name_blockers().search(before) or _NAME_DASH_BEFORE.search(before):
                continue
            if self._after_capital_in_sentence(pos):
                continue
            name = self.name_at(pos)
            if name is None or name[1] != pos or first in _honorifics()[1]:
                continue  # "Ông Trung Dân": the honorific cue reads the name after it
            tokens = name[0].split()
            if key(name[0]) in self.authors:
                continue  # the byline, glued to the last sentence
            titled = len(tokens) == 2 and _BRACKETED_TITLE.match(self.text, name[2]) is not None \
                and self.title_at(_BRACKETED_TITLE.match(self.text, name[2]).end()) is not None
            if not (3 <= len(tokens) <= 4 or titled) or _NAME_WORD.match(self.text, name[2]) and len(tokens) == 4:
                continue  # a run of five capitalised words is a name of something, or two names; two words
                # name a person with a title in brackets after them ("Hứa Châu (Giám đốc Công ty X)")
            if not all(vietnamese_syllable(t) and (t[1:].islower() or t == "A" and i == 1) for i, t in enumerate(tokens)):
                continue  # "A" is a Hmong middle name ("Mùa A Giàng"); other capitals are initials or acronyms
            out.append(pos)
        return out

    def _after_capital_in_sentence(self, pos: int) -> bool:
        """A capitalised word right before pos that does not open the sentence: a name at pos goes on a longer
        one ("Giải Trần Văn Ơn")."""
        before = _CAPITAL_BEFORE.search(self.text, max(0, pos - 24), pos)
        return bool(before) and not _sentence_start(self.text, before.start())

    def _foreign_titled_at(self, pos: int) -> bool:
        """A foreign-shaped name at pos (not inside a body or place, not after a capitalised word other than the
        end of a body or a country: "Bộ Quốc phòng Hàn Quốc Moon Sang-gyun") followed by a comma and a title, or
        by a verb of saying ("Pierre Nkurikiye ngày 10/7 cho biết")."""
        if self._blocked(pos):
            return False
        if self._after_capital_in_sentence(pos):
            gap = pos
            while gap > 0 and self.text[gap - 1] in " \t":
                gap -= 1
            if not (gap > 0 and self._blocked(gap - 1)):
                return False
        name = self.name_at(pos)
        if name is None or name[1] != pos or not _foreign_shape(name[0].split()):
            return False
        if any(t in _not_name_words() for t in name[0].split()):
            return False
        return self._title_after(name[2]) or bool(_speech_after().match(self.text, name[2]))

    # --- the article ----------------------------------------------------------------------------------
    def run(self) -> list[_Person]:
        strength = _honorifics()[1]
        cues = [(m.start(), m.end(), strength.get(m.group(0).rstrip(".").casefold()), m.group(0))
                for m in _honorifics()[0].finditer(self.text)]
        cues += [(m.start(), m.start(), "rank", m.group(0)) for m in _lower_ranks().finditer(self.text)
                 if not self.text[m.start() - 1:m.start()].isalnum()]
        cues += [(pos, pos, "aged", "") for pos in self._aged_names()]
        cues += [(pos, pos, "bare", "") for pos in self._bare_names()]
        titles, ranks = _titles()[0], _ranks()
        cues += [(pos, pos, None, first) for pos, first in capital_tokens(self.text)
                 if first in titles.regexes or first in ranks.regexes or first == "quyền"]
        cues += [(m.start(), m.start(), "lower_title", m.group(0)) for m in _lower_title_words().finditer(self.text)]
        for start, end, kind, word in sorted(cues, key=lambda cue: (cue[0], cue[1], cue[2] or "", cue[3])):
            if start < self.used_until:
                continue
            if kind == "aged":
                self.used_until = self.read(start, strong=False, weak_honorific=True)
            elif kind == "bare":
                self.used_until = self.read(start, strong=False, weak_honorific=True, listing=2)
            elif kind == "lower_title":
                self.used_until = max(self.used_until, self.read(start, strong=False, lower_title=True))
            elif kind == "rank":
                self.used_until = self.read(start, strong=False, weak_honorific=True, lower_rank=True)
            elif kind == "weak":
                if word[0].isupper() and not word.isupper() and " " not in word.strip() \
                        and not _sentence_start(self.text, start):
                    continue  # "Anh", "Bà" inside a sentence: a country, a place; "Đại giáo chủ" is still a cue
                if not _CAPITAL_NEXT.match(self.text, end):
                    continue  # "anh em", "bà con": no name follows
                self.used_until = self.read(end, strong=False, weak_honorific=True,
                                            listing=3 if word.casefold() in _list_cues() else 0)
            elif kind == "strong":
                self.used_until = self.read(end, strong=True, listing=2 if word.casefold() in _list_cues() else 0)
            else:
                self.used_until = self.read(start, strong=False)
        return self.people


def _foreign_shape(tokens: list[str]) -> bool:
    """"Ali Khamenei", "Otto Warmbier", "Jean-Pierre Lacroix": two or three capitalised words, one at least not
    a Vietnamese syllable; a weak cue before such a name ("ông", "sinh viên Mỹ") makes it a person."""
    # "Lula da Silva": a bare particle joins two words; "Bashar al-Assad": a particle glued to a word is one
    words = [t for t in tokens if "-" in t or not _PARTICLE.fullmatch(" " + t)]
    capitalised = [t for t in words if not _PARTICLE.fullmatch(" " + t)]
    return 2 <= len(tokens) <= 4 and 2 <= len(words) <= 3 and tokens[0] in capitalised and tokens[-1] in words \
        and all(t[:1].isupper() and not t.isupper() for t in capitalised) \
        and not all(vietnamese_syllable(t) for t in capitalised)


def _national_body(name: str) -> bool:
    """A ministry-level body of the gazetteer ("Bộ Quốc phòng"), which a country after it makes foreign."""
    from .organizations import known_body

    body = known_body(name)
    return bool(body and body.kind in ("ministry", "state", "legislature"))


def vietnamese_given(word: str) -> bool:
    """A syllable with Vietnamese letters: a given name used alone in a later mention ("Đại tá Hiệu")."""
    return not word.isascii()


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'(":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n-"


def _resolve(people: list[_Person]) -> list[_Person]:
    """Later mentions take the full name (and the positions' bodies) of the earlier full mention. The earlier
    mentions are indexed as they come, so an article of thousands of mentions is not read pair by pair."""
    last_by_words: dict[tuple[str, ...], _Person] = {}  # a full name, or a shorter tail of it -> its last mention
    first_by_name: dict[str, _Person] = {}
    known_by_name: dict[str, dict[str, str]] = {}  # name -> title -> the body first written with it
    out = []
    for person in people:
        match = None
        if person.partial or len(person.name.split()) <= 2:
            match = last_by_words.get(tuple(person.name.split()))
        if match is not None:
            person.name = match.name
            person.foreign = match.foreign
            person.rank = person.rank or match.rank
        elif person.partial and not person.foreign:
            continue  # a given name nobody introduced
        else:
            same = first_by_name.get(person.name)
            if same:
                person.rank = person.rank or same.rank
        known = known_by_name.get(person.name, {})
        person.positions = [Position(p.title, known.get(p.title), p.text, p.span)
                            if p.organization is None and p.title in known else p for p in person.positions]
        if not person.partial or person.foreign:
            words = person.name.split()
            for k in range(1, len(words) + 1):
                last_by_words[tuple(words[-k:])] = person
            first_by_name.setdefault(person.name, person)
            known = known_by_name.setdefault(person.name, {})
            for p in person.positions:
                if p.organization:
                    known.setdefault(p.title, p.organization)
        out.append(person)
    return out


def _foreign_positions(person: _Person, bodies_of_name: set[str]) -> list[Position]:
    """A foreign official is no member of Viet Nam's ministries: a title read with a national body and no
    country ("Bộ trưởng Quốc phòng Mattis", after "Bộ trưởng Quốc phòng Mỹ James Mattis") keeps the title as
    written and names no body, or goes when a mention of the same name has that body of a country
    (bodies_of_name: the bodies of every mention of the name in the article)."""
    if not person.foreign:
        return person.positions
    out = []
    for p in person.positions:
        # only a body the title implied ("Bộ trưởng Quốc phòng"); one written out is the text's own reading
        if p.organization and _national_body(p.organization) and key(p.organization) not in key(p.text):
            if any(body.startswith(p.organization + " ") for body in bodies_of_name):
                continue
            p = Position(" ".join(p.text.split()), None, p.text, p.span)
        out.append(p)
    return out


def find_people(doc: ArticleText, found: Extraction) -> list[PersonMention]:
    people = _resolve(_Reader(doc, found).run())
    bodies: dict[str, set[str]] = {}
    for person in people:
        bodies.setdefault(person.name, set()).update(p.organization for p in person.positions if p.organization)
    out = []
    for person in people:
        out.append(PersonMention(name=person.name, text=doc.text[person.start:person.end],
                                 span=doc.span(person.start, person.end), rank=person.rank,
                                 positions=tuple(_foreign_positions(person, bodies[person.name])),
                                 foreign=person.foreign))
    return out
