"""Awards: one conferral of a commendation (award_types.tsv) with its givers and recipient counts.

"Bộ Công an tặng Bằng khen cho 103 tập thể, 94 cá nhân", "56 tập thể, 109 cá nhân được Bộ Công an,
Trung ương Đoàn tặng Bằng khen", "trao Huân chương Lao động hạng Nhất cho 3 cá nhân". A combined count
("6 tập thể và cá nhân") leaves both counts unknown. Mentions of the same conferral are one award.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import alternatives, load_table
from ..models import AwardMention, Extraction
from .context import ArticleText
from .numbers import lowered, parse_number, phrase_matches, phrase_pattern, register_phrase_family

_NUM = r"\d{1,3}(?:\.\d{3})+|\d+"
_COLLECTIVE = r"tập thể|đơn vị"
_COMBINED = re.compile(r"(?<![\w.,])(?P<n>" + _NUM + r")\s+(?:tập thể|đơn vị)\s*(?:,|và|&|/)\s*cá nhân")
_RANK = re.compile(r"\s+hạng\s+(?:Nhất|Nhì|Ba|I{1,3})\b", re.IGNORECASE)
_SPORT_MEDAL = re.compile(r"\s+(?:vàng|bạc|đồng)\b", re.IGNORECASE)
_OCCASION = re.compile(r"(?:vì|do|đã|có|về)?\s*(?:đã\s+)?(?:có\s+)?(?:nhiều\s+)?thành tích[^;.\n]{0,200}",
                       re.IGNORECASE)


@lru_cache(maxsize=1)
def _word_patterns() -> tuple[re.Pattern, re.Pattern]:
    """From award_words.tsv: (a count of collective or individual recipients; where an award's name stops)."""
    rows = load_table("award_words")
    count = re.compile(r"(?<![\w.,])(?P<n>" + _NUM + r")\s+(?:(?P<c>" + _COLLECTIVE + r")|(?P<i>"
                       + alternatives(rows, "individual") + r"))(?!\w)")
    name_stop = re.compile(r"\s+(?:" + alternatives(rows, "name_stop") + r")\b|[,;.:()\n]|\s\d|$", re.IGNORECASE)
    return count, name_stop


@lru_cache(maxsize=1)
def _types() -> tuple[re.Pattern, dict[str, tuple[str, bool]]]:
    table = {row["award"].casefold(): (row["award"], row.get("named") == "yes")
             for row in load_table("award_types")}
    return re.compile(r"(?<!\w)(?P<a>" + phrase_pattern(table) + r")(?!\w)"), table


register_phrase_family("awards", lambda: _types()[0], lambda: _types()[1])


@lru_cache(maxsize=1)
def _verbs() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """From award_verbs.tsv: (any conferral verb, on lowered text; a giver's text up to its giving verb;
    a passive conferral ending right before the award: "01 đồng chí được Bộ X tặng Bằng khen", whose counts
    come before the award)."""
    rows = load_table("award_verbs")
    words = {role: [row["verb"] for row in rows if row["role"] == role] for role in ("gives", "receives", "adverb")}
    gives = phrase_pattern(words["gives"])
    confer = re.compile(r"(?<!\w)(?:" + phrase_pattern(words["gives"] + words["receives"]) + r")(?!\w)")
    giver_to_verb = re.compile(r"^[^\d;]{0,60}?(?:(?:" + phrase_pattern(words["adverb"]) + r")\s+)*(?:" + gives
                               + r")", re.IGNORECASE)
    passive = re.compile(r"được\s+[^;\d]{0,100}?(?:" + gives + r")\s*$", re.IGNORECASE)
    return confer, giver_to_verb, passive


def _full_type(doc: ArticleText, found: re.Match, canonical: str, named: bool) -> tuple[str, int] | None:
    """The award's full name and where it ends; None for a named type written without its name."""
    end = found.end()
    if not named:
        return canonical, end
    rest = doc.match[end:end + 160]
    quoted = re.match(r'\s*"([^"\n]{2,120})"', rest)
    if quoted:
        return f"{canonical} {doc.text[end + quoted.start(1):end + quoted.end(1)].strip()}", end + quoted.end()
    head = re.match(r"\s+(\S+)", rest)
    if not head or not head.group(1)[:1].isupper() or _SPORT_MEDAL.match(rest):
        return None
    stop = _word_patterns()[1].search(rest, head.end(1))
    name_end = stop.start() if stop else len(rest)
    rank = _RANK.match(rest, name_end)
    if rank:
        name_end = rank.end()
    words = doc.text[end:end + name_end].split()
    if not words or len(words) > 10:
        return None
    return f"{canonical} {' '.join(words)}", end + name_end


def _counts(low: str, start: int, end: int, last: bool = False) -> tuple[int | None, int | None, bool, bool]:
    """Collective and individual counts in low[start:end] (the first of each kind, or the last ones, nearest
    the end); a combined count leaves both unknown. The last value says whether any count was there."""
    clause = low[start:end]
    if _COMBINED.search(clause):
        return None, None, True, True
    collectives = individuals = None
    for count in _word_patterns()[0].finditer(clause):
        value = parse_number(count.group("n"))
        if count.group("c") and (collectives is None or last):
            collectives = value
        elif count.group("i") and (individuals is None or last):
            individuals = value
    return collectives, individuals, False, collectives is not None or individuals is not None


def _clause(doc: ArticleText, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    left = doc.match.rfind(";", lo, start)
    right = doc.match.find(";", end, hi)
    return (left + 1 if left >= 0 else lo), (right if right >= 0 else hi)


def find_awards(doc: ArticleText, found: Extraction) -> list[AwardMention]:
    pattern, table = _types()
    confer, giver_to_verb, passive_before = _verbs()
    counted: dict[tuple[str, int | None, int | None, tuple[str, ...]], AwardMention] = {}
    uncounted: dict[str, AwardMention] = {}
    low = lowered(doc.match)
    by_sentence: dict[int, list[re.Match]] = {}
    for match in phrase_matches("awards", low):
        by_sentence.setdefault(doc.sentence_index(match.start()), []).append(match)
    for index, matches in sorted(by_sentence.items()):
        sent = doc.sentences[index] if doc.sentences else None
        if sent is None or not confer.search(low, sent.start, sent.end):
            continue
        mentions = []
        for match in matches:
            canonical, named = table[" ".join(match.group("a").casefold().split())]
            full = _full_type(doc, match, canonical, named)
            if full:
                mentions.append((match.start(), full[1], full[0]))
        consumed = sent.start  # counts after an award ("A cho 2 tập thể, B cho ...") belong to it alone
        for i, (start, end, award_type) in enumerate(mentions):
            lo = max(mentions[i - 1][1] if i else sent.start, consumed)
            hi = mentions[i + 1][0] if i + 1 < len(mentions) else sent.end
            c_start, c_end = _clause(doc, start, end, lo, hi)
            if not confer.search(low, sent.start, c_end):
                continue  # the verb may come before an earlier award of a list ("trao A cho .., B cho ..")
            passive = passive_before.search(doc.match, c_start, start)
            before = _counts(low, c_start, passive.start(), last=True) if passive else (None, None, False, False)
            if before[3]:  # the counts before a passive conferral are its own; those after, the next one's
                collectives, individuals = before[0], before[1]
            else:
                collectives, individuals, _, after_used = _counts(low, end, c_end)
                if after_used:
                    consumed = c_end
                else:
                    collectives, individuals, _, _ = _counts(low, c_start, start)
            givers: list[str] = []
            for org in found.organizations:
                if not (c_start <= org.span.start and org.span.end <= c_end) or org.name in givers:
                    continue
                before = doc.match[max(c_start, org.span.start - 6):org.span.start]
                if (org.span.start >= end and re.fullmatch(r"\s*của\s+", before)
                        and org.span.start - end <= 6) or (
                        org.span.end <= start and giver_to_verb.match(doc.match[org.span.end:start])) or (
                        org.span.end <= c_end and re.search(r"được\s+(?:[^\d;]{0,80}?)$",
                                                            doc.match[c_start:org.span.start])
                        and giver_to_verb.match(doc.match[org.span.end:c_end])
                        and (org.span.end <= start or not _word_patterns()[0].search(low, end, org.span.start))):
                    # (a giver after the award and after another count gives the next award)
                    givers.append(org.name)
            occasion_match = _OCCASION.search(doc.match, end, c_end)
            occasion = None
            if occasion_match:
                occasion = doc.text[occasion_match.start():min(occasion_match.end(), c_end)].strip(" ,.…") or None
            mention = AwardMention(award_type, doc.text[start:end], doc.span(start, end), tuple(givers),
                                   collectives, individuals, occasion)
            if collectives is None and individuals is None:
                uncounted.setdefault(award_type, mention)
                continue
            ident = (award_type, collectives, individuals, ())
            prior = counted.get(ident)
            if prior is not None and prior.givers and givers and set(prior.givers).isdisjoint(givers):
                ident = (award_type, collectives, individuals, tuple(givers))  # the same award from another giver
            counted.setdefault(ident, mention)
    counted_types = {k[0] for k in counted}
    out = list(counted.values()) + [m for t, m in uncounted.items() if t not in counted_types]
    return sorted(out, key=lambda m: m.span.start)
