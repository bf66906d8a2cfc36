"""Programmes, movements, projects and campaigns.

A cue noun (program_kinds.tsv) introduces the name, in one of four forms: quoted ("phong trào thi đua
với chủ đề “...”"), numbered ("Chương trình phối hợp số 09", "Đề án 06"), named (a capitalised name:
"phong trào Toàn dân bảo vệ ANTQ"), or followed by a period ("chương trình nâng cao ... giai đoạn
2021 - 2025"). Well-known names (programs.tsv) are recognised after any cue. The canonical name expands
abbreviations and drops periods and trailing clauses, so one programme has one name across articles.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..lexicon import alternatives, load_table, values
from ..models import Extraction, ProgramMention
from ..text import collapse_spaces, key
from .context import ArticleText
from .documents import _BARE_FOLLOW
from .numbers import lowered, phrase_matches, phrase_pattern, register_phrase_family
from .matching import UPPER

_LINKER = re.compile(r"\s*(?:(?:với|có|mang)\s+(?:chủ đề|tên gọi|tên|khẩu hiệu)|chủ đề|mang tên|là|có tên)?"
                     r"\s*:?\s*\"", re.IGNORECASE)
_QUOTED = re.compile(r'"(?P<q>[^"\n]{3,300}?)"')
_NEXT_QUOTE = re.compile(r'\s*(?:,|và|;)\s*"(?P<q>[^"\n]{3,300}?)"')
_NUMBERED = re.compile(r"\s+(?P<so>số\s+)?(?P<n>\d{1,3}(?:[-/][\dA-ZĐa-zđ-]+)?)(?![\w/])")
_PERIOD = re.compile(r"\s*,?\s*(?:\([^()]{1,12}\)\s*)?(?:trong\s+)?(?:giai đoạn|nhiệm kỳ|từ năm)?\s*\(?"
                     r"(?P<a>(?:19|20)\d\d)\s*(?:-|đến|tới)\s*(?:năm\s+)?(?P<b>(?:19|20)\d\d)\)?",
                     re.IGNORECASE)
_PERIOD_AHEAD = re.compile(r"[^;.:()\"\n]{3,200}?(?=\s+giai đoạn\s+(?:19|20)\d\d\s*-\s*(?:19|20)\d\d)",
                           re.IGNORECASE)
_LAUNCH_AFTER = re.compile(r"\s*,?\s*(?:do|của)\s+", re.IGNORECASE)
_LAUNCH_BEFORE = re.compile(r"\s+(?:đã\s+|vừa\s+|chính thức\s+)*(?:phát động|triển khai|ban hành|khởi động)"
                            r"\s+(?:các\s+|thực hiện\s+)?$", re.IGNORECASE)
# An unquoted name is at most about twenty words: its stop is looked for this far only (no scan to the
# end of the text from every cue).
_NAME_REACH = 300
_PAREN_ABBR = re.compile(r"\s*\([^()]{1,15}\)")


@lru_cache(maxsize=1)
def _name_words() -> tuple[re.Pattern, re.Pattern]:
    """From program_name_words.tsv: (where an unquoted capitalised name stops; a period-form name never starts
    with a preposition or a determiner: "chương trình phối hợp giữa ...")."""
    rows = load_table("program_name_words")
    stop = re.compile(r"\s*(?:[,;.:()\"?!…\n]|\s-\s|$)|\s+(?:" + alternatives(rows, "name_stop") + r")\b",
                      re.IGNORECASE)
    not_start = re.compile(r"(?:" + alternatives(rows, "not_name_start") + r")\b", re.IGNORECASE)
    return stop, not_start


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern, dict[str, tuple[str, set[str]]]]:
    table = {row["cue"].casefold(): (row["kind"], set(values(row["forms"])))
             for row in load_table("program_kinds")}
    return re.compile(r"(?<!\w)(?P<cue>" + phrase_pattern(table) + r")(?!\w)"), table


register_phrase_family("programs", lambda: _cues()[0], lambda: _cues()[1])


@lru_cache(maxsize=1)
def _title_words() -> tuple[re.Pattern, re.Pattern]:
    """(words that keep the lower-case words after a capitalised project cue from being its title, where such
    a title stops), from program_title_words.tsv. A title stops as a name does, except that linking words may
    stand inside it ("Đề án kết nối giao thông và tăng cường vận tải"); "và" before a capital ends it."""
    rows = load_table("program_title_words")
    not_start = [row["word"] for row in rows if row["role"] == "not_start"]
    stops = [row["word"] for row in rows if row["role"] == "stop"]
    return (re.compile(r"(?:" + phrase_pattern(not_start, ignore_case=True) + r")\b"),
            re.compile(r"\s*(?:[,;.:()\"?!…\n]|\s-\s|$)|\s+(?:" + phrase_pattern(stops, ignore_case=True)
                       + r")\b|\s+[vV]à\s+(?=[" + UPPER + r"])"))


def _name_end(stop_pattern: re.Pattern, doc: ArticleText, start: int) -> int | None:
    """Where an unquoted name from start stops; None when it runs past the reach of a name."""
    limit = min(len(doc.text), start + _NAME_REACH)
    stop = stop_pattern.search(doc.match, start, limit)
    if limit < len(doc.text) and (stop is None or stop.end() >= limit):
        return None  # (a stop found only at the reach may be the reach itself)
    return stop.start() if stop else limit


@lru_cache(maxsize=1)
def _known() -> list[tuple[str, str, str]]:
    """(key, canonical name, kind), longest key first."""
    rows = [(key(row["name"]), row["name"], row["kind"]) for row in load_table("programs")]
    return sorted(rows, key=lambda r: -len(r[0]))


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    return frozenset(key(row["word"]) for row in load_table("program_generic"))


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[re.Pattern, str]]:
    pairs = [(row["abbreviation"], row["expansion"]) for row in load_table("abbreviations")
             if row["abbreviation"].isupper() and "." not in row["abbreviation"]]
    pairs.sort(key=lambda p: -len(p[0]))
    return [(re.compile(r"(?<!\w)" + re.escape(a) + r"(?!\w)"), e) for a, e in pairs]


def canonical_name(text: str) -> str:
    """A programme name as the graph keeps it: no bracketed abbreviations, abbreviations written out."""
    text = _PAREN_ABBR.sub("", text)
    for pattern, expansion in _abbreviations():
        text = pattern.sub(expansion, text)
    text = collapse_spaces(text).strip(" ,;:-\"“”'").rstrip(".…").rstrip(" ,;:-\"“”'")
    return text[:1].upper() + text[1:] if text else text


def _is_generic(name: str) -> bool:
    words = key(name).split()
    generic = _generic()
    rest, i = [], 0
    while i < len(words):  # generic phrases may be two words long
        pair = " ".join(words[i:i + 2])
        if pair in generic:
            i += 2
        elif words[i] in generic or re.fullmatch(r"\d+", words[i]):
            i += 1
        else:
            rest.append(words[i])
            i += 1
    return not rest


@lru_cache(maxsize=1)
def _known_first_words() -> frozenset[str]:
    return frozenset(name_key.split()[0] for name_key, _, _ in _known())


def _known_at(doc: ArticleText, start: int) -> tuple[str, str, int] | None:
    """A gazetteer programme written right at start: (name, kind, end)."""
    first = re.match(r"\W*(\w+)", doc.text[start:start + 40])
    if not first or key(first.group(1)) not in _known_first_words():
        return None
    window = doc.text[start:start + 160]
    window_key = key(window)
    for name_key, name, kind in _known():
        if window_key == name_key or window_key.startswith(name_key + " "):
            # Find where the written form ends: the shortest prefix with the same key.
            words = list(re.finditer(r"\S+", window))
            for w in words:
                if key(window[:w.end()]) == name_key:
                    end = w.end()
                    while end > 0 and not window[end - 1].isalnum():
                        end -= 1
                    return name, kind, start + end
            return name, kind, start + len(window)
    return None


def _proper_cue(doc: ArticleText, start: int) -> bool:
    """A movement cue written with a capital inside a sentence ("..., Phong trào Dân chủ (MoDem)") begins
    the proper name of an organisation, not a programme; at the start of a sentence the capital says
    nothing. (Projects are written so: "Đề án Tái cơ cấu ..." is a project.)"""
    if not doc.text[start].isupper():
        return False
    before = doc.text[max(0, start - 3):start].rstrip(" ")
    return bool(before) and (before[-1].isalnum() or before[-1] in ",;")


def _org_ending_before(found: Extraction, pos: int, doc: ArticleText) -> str | None:
    best = None
    for org in found.organizations:
        if org.span.end <= pos and _LAUNCH_BEFORE.fullmatch(doc.match[org.span.end:pos]):
            if best is None or org.span.end > best.span.end:
                best = org
    return best.name if best else None


def _org_after(found: Extraction, pos: int, doc: ArticleText) -> str | None:
    link = _LAUNCH_AFTER.match(doc.match, pos)
    if not link:
        return None
    for org in found.organizations:
        if link.end() <= org.span.start <= link.end() + 1:
            return org.name
    return None


def _period(doc: ArticleText, pos: int) -> tuple[int | None, int | None]:
    found = _PERIOD.match(doc.match, pos)
    if found and int(found.group("a")) <= int(found.group("b")):
        return int(found.group("a")), int(found.group("b"))
    return None, None


def find_programs(doc: ArticleText, found: Extraction) -> list[ProgramMention]:
    pattern, table = _cues()
    out: dict[str, ProgramMention] = {}
    taken_until = -1

    def add(kind: str, name: str, start: int, end: int, cue_start: int, timed: bool) -> None:
        name = canonical_name(name)
        if len(name) < 3 or _is_generic(name):
            return
        first, last = _period(doc, end) if timed else (None, None)
        launched = _org_after(found, end, doc) or _org_ending_before(found, cue_start, doc)
        mention = ProgramMention(kind, name, doc.text[start:end], doc.span(start, end), first, last, launched)
        ident = key(name)
        if ident in out:
            prior = out[ident]
            out[ident] = replace(prior, start_year=prior.start_year or first, end_year=prior.end_year or last,
                                 launched_by=prior.launched_by or launched)
        else:
            out[ident] = mention

    low = lowered(doc.match)
    for cue in phrase_matches("programs", low):
        if cue.start() < taken_until or doc.match[cue.start() - 1:cue.start()] == '"':
            continue  # inside a name already read, or the head of a quoted title (read below)
        kind, forms = table[" ".join(cue.group("cue").casefold().split())]
        after = cue.end()
        if kind == "none":
            taken_until = after  # "chương trình nghị sự": an agenda, no programme
            continue
        # "phong trào thi đua" inside “...” quotes: the quoted title is read by the quote rule below.
        known = _known_at(doc, after + 1) if doc.text[after:after + 1] == " " else None
        if known:
            name, known_kind, end = known
            add(known_kind, name, cue.start(), end, cue.start(), False)
            taken_until = end
            continue
        quoted = _LINKER.match(doc.match, after)
        if quoted and doc.text[quoted.end() - 1] in "”»":
            quoted = None  # the cue word ends a quotation ("... chỉ là phong trào”."): nothing opens here
        if "quoted" in forms and quoted:
            body = _QUOTED.match(doc.match, quoted.end() - 1)
            if body:
                items = [body]
                while True:
                    more = _NEXT_QUOTE.match(doc.match, items[-1].end())
                    if not more:
                        break
                    items.append(more)
                for item in items:
                    text = doc.text[item.start("q"):item.end("q")]
                    if len(text.split()) >= 2 and len(text.split()) <= 40:
                        add(kind, text, cue.start(), item.end(), cue.start(), kind in ("program", "project"))
                taken_until = items[-1].end()
                continue
        numbered = _NUMBERED.match(doc.match, after)
        if "numbered" in forms and numbered and (
                numbered.group("so") or (doc.text[cue.start()].isupper()
                                         and _BARE_FOLLOW.match(doc.match, numbered.end()))):
            number = doc.text[numbered.start("n"):numbered.end("n")]
            if not re.fullmatch(r"(?:19|20)\d\d", number):
                cue_text = doc.text[cue.start():cue.end()]
                name = f"{cue_text} số {number}" if numbered.group("so") else f"{cue_text} {number}"
                add(kind, name, cue.start(), numbered.end(), cue.start(), kind in ("program", "project"))
                taken_until = numbered.end()
                continue
        if "named" in forms and doc.text[after:after + 1] == " " and not (
                kind == "movement" and _proper_cue(doc, cue.start())):
            start = after + 1
            end = _name_end(_name_words()[0], doc, start) if doc.text[start:start + 1].isupper() else None
            if end is not None:
                name = doc.text[start:end]
                if 2 <= len(name.split()) <= 15:
                    add(kind, name, cue.start(), end, cue.start(), False)
                    taken_until = end
                    continue
        # "xây dựng Đề án kiện toàn tổ chức bộ máy Bộ Công an": a cue written with a capital inside a
        # sentence titles the lower-case words after it, up to where a name stops.
        not_title_start, title_stop = _title_words()
        if "titled" in forms and doc.text[after:after + 1] == " " and _proper_cue(doc, cue.start()) and \
                doc.text[after + 1:after + 2].islower() and not _name_words()[1].match(doc.match, after + 1) \
                and not not_title_start.match(doc.match, after + 1):
            end = _name_end(title_stop, doc, after + 1)
            words = doc.text[after + 1:end].split() if end is not None else []
            if 3 <= len(words) <= 20 and not words[-1].isdigit():
                add(kind, doc.text[after + 1:end], cue.start(), end, cue.start(), False)
                taken_until = end
                continue
        if "period" in forms and doc.text[after:after + 1] == " ":
            ahead = _PERIOD_AHEAD.match(doc.match, after + 1)
            if ahead and len(ahead.group(0).split()) <= 30 and not _name_words()[1].match(ahead.group(0)) \
                    and not pattern.search(low, ahead.start(), ahead.end()) \
                    and not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", ahead.group(0)):
                # (a name reaching over another cue or a year runs across clauses)
                add(kind, doc.text[ahead.start():ahead.end()], cue.start(), ahead.end(), cue.start(), True)
                taken_until = ahead.end()
    # Quoted names that begin with their own cue: “Chương trình phối hợp ...”.
    for item in _QUOTED.finditer(doc.match):
        text = doc.text[item.start("q"):item.end("q")]
        cue = pattern.match(low, item.start("q"))
        if cue and len(text.split()) >= 4 and len(text.split()) <= 40:
            kind = table[" ".join(cue.group("cue").casefold().split())][0]
            if kind == "none":
                continue
            add(kind, text, item.start(), item.end(), item.start(), kind in ("program", "project"))
    return sorted(out.values(), key=lambda m: m.span.start)
