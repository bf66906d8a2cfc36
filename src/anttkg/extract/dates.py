"""Dates: numeric day/month(/year) forms, "ngày .. tháng .. năm ..", "tháng 3/2019", "năm 2022".

A date keeps exactly what the text states (DateValue(None, 8, 19) for "(19/8)"); the year that completes
year-less dates is chosen once per article by ``reference_year`` and applied by ``complete``.
"""
from __future__ import annotations

import bisect
import calendar
import re
from functools import lru_cache

from ..lexicon import load_table
from ..models import DateMention, DateValue
from .context import ArticleText
from .numbers import lowered, phrase_pattern, score_before

# Day and month with an optional year; '/' or '-' or '.' as separator, the same one throughout.
# (The character before the day is checked in code: a leading look-behind would slow the scan. The
# day is written \d\d? so the pattern starts with a bare digit class that the scan skips ahead to.)
_NUMERIC = re.compile(
    r"(?P<d>\d\d?)(?P<sep>[/.-])(?P<m>\d{1,2})"
    r"(?:(?P=sep)(?P<y>\d{4}|\d{2}(?![\d])))?"
    r"(?![\w/]|[.,-]\d|\s*(?:triệu|tỷ|tỉ|nghìn|ngàn|%|độ|km|kg|ha))")
# These three scan the lower-cased text; the word comes first so the scan can skip ahead to it.
_WORDS = re.compile(
    r"ngày(?<!\wngày)\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s*(?:năm|,)\s*(?P<y>\d{4}))?(?!\d)")
_MONTH_YEAR = re.compile(r"tháng(?<!\wtháng)\s+(?P<m>\d{1,2})(?:\s*/\s*|\s+năm\s+)(?P<y>\d{4})(?![\d/])")
_YEAR_AFTER = re.compile(r"\s+năm\s+(?P<y>(?:19|20)\d{2})(?![\d/.,]\d|\s*-\s*\d)")
_YEAR = re.compile(r"năm(?<!\wnăm)\s+(?P<y>(?:19|20)\d{2})(?![\d/.,]\d|\s*-\s*\d)")

_MIN_YEAR, _MAX_YEAR = 1900, 2100


def _date_cues(kind: str) -> list[str]:
    return [row["cue"] for row in load_table("date_cues") if row["kind"] == kind]


@lru_cache(maxsize=1)
def _cue_before() -> re.Pattern:
    """A day word right before a numeric date ("ngày 5/3", "sáng 12/4", "thứ hai 3/6", "từ 1/7")."""
    return re.compile(r"(?:^|[^\w])(?:" + phrase_pattern(_date_cues("day"))
                      + r")\s*(?:,\s*)?(?:ngày\s+)?\(?\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _count_after() -> re.Pattern:
    """A counted noun right after "d/m" ("12/63 tỉnh"): a count over a total, no date."""
    return re.compile(r"\s*(?:" + phrase_pattern(_date_cues("count_after"), space=" ") + r")", re.IGNORECASE)


def valid(year: int | None, month: int | None, day: int | None) -> bool:
    """A real calendar date as far as stated: no 31/2, no 13th month."""
    if month is None:
        return year is not None and _MIN_YEAR <= year <= _MAX_YEAR and day is None
    if not 1 <= month <= 12:
        return False
    if year is not None and not _MIN_YEAR <= year <= _MAX_YEAR:
        return False
    if day is None:
        return True
    limit = calendar.monthrange(year if year is not None else 2000, month)[1]  # 2000: 29/2 allowed
    return 1 <= day <= limit


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    if len(text) == 2:
        value += 2000 if value < 50 else 1900
    return value


def parse_date(text: str) -> DateValue | None:
    """Parse one date written alone ("08/8/2022", "11-3", "ngày 23 tháng 11 năm 2022", "tháng 3/2019",
    "năm 2022"); None when it is no valid date."""
    text = text.strip()
    for pattern in (_WORDS, _MONTH_YEAR, _YEAR):
        found = pattern.fullmatch(text.lower())
        if found:
            parts = found.groupdict()
            value = DateValue(_year(parts.get("y")), int(parts["m"]) if parts.get("m") else None,
                              int(parts["d"]) if parts.get("d") else None)
            return value if valid(value.year, value.month, value.day) else None
    found = re.fullmatch(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?", text)
    if not found:
        return None
    day, month, year = int(found.group(1)), int(found.group(3)), _year(found.group(4))
    return DateValue(year, month, day) if valid(year, month, day) else None


def format_date(value: DateValue, sep: str = "/") -> str:
    """Vietnamese numeric form of a date, the inverse of parse_date."""
    if value.day and value.month:
        head = f"{value.day}{sep}{value.month}"
        return f"{head}{sep}{value.year}" if value.year else head
    if value.month and value.year:
        return f"tháng {value.month}/{value.year}"
    return f"năm {value.year}"


def _numeric_is_date(doc: ArticleText, found: re.Match, value: DateValue) -> bool:
    """Year-less and dotted forms need a cue: "Chiều 6/1", "ngày 3.7", "(19/8)"."""
    start, end = found.span()
    before = doc.match[max(0, start - 30):start]
    if score_before().search(before):  # "tỷ số 2-1", "tỷ lệ 1-2"
        return False
    cued = bool(_cue_before().search(before))
    in_brackets = before.endswith("(") and doc.match[end:end + 1] == ")"
    if value.year is not None and found.group("sep") != ".":
        return True
    if found.group("sep") == ".":
        return cued and not _count_after().match(doc.match, end)
    if _count_after().match(doc.match, end):
        return False
    # "(19/8 - 20/8)" and "6/1 - 8/1" ranges: a date beside another date is a date.
    beside = re.search(r"\d{1,2}[/-]\d{1,2}\s*[-–]\s*$", before) or re.match(r"\s*-\s*\d{1,2}/\d{1,2}",
                                                                             doc.match[end:end + 12])
    return cued or in_brackets or bool(beside)


def find_dates(doc: ArticleText) -> list[DateMention]:
    taken: list[tuple[int, int]] = []  # sorted and disjoint, so only the span before END may overlap
    out: list[DateMention] = []

    def add(start: int, end: int, value: DateValue) -> None:
        i = bisect.bisect_left(taken, (end,))
        if i and taken[i - 1][1] > start:
            return
        taken.insert(i, (start, end))
        out.append(DateMention(value, doc.text[start:end], doc.span(start, end)))

    low = lowered(doc.match)
    for found in _WORDS.finditer(low):
        value = DateValue(_year(found.group("y")), int(found.group("m")), int(found.group("d")))
        if valid(value.year, value.month, value.day):
            add(found.start("d"), found.end(), value)
    for found in _NUMERIC.finditer(doc.match):
        if found.start() and (doc.match[found.start() - 1] in "/.,:-" or doc.match[found.start() - 1].isalnum()):
            continue
        value = DateValue(_year(found.group("y")), int(found.group("m")), int(found.group("d")))
        if found.group("y") and len(found.group("y")) == 2 and found.group("sep") != "/":
            continue  # "3-5-10" is rather a list or a score than a date
        if valid(value.year, value.month, value.day) and _numeric_is_date(doc, found, value):
            end = found.end()
            year = _YEAR_AFTER.match(low, end) if value.year is None else None
            if year and valid(int(year.group("y")), value.month, value.day):  # "ngày 8/6 năm 2017"
                value, end = DateValue(int(year.group("y")), value.month, value.day), year.end()
            add(found.start(), end, value)
    for found in _MONTH_YEAR.finditer(low):
        value = DateValue(int(found.group("y")), int(found.group("m")), None)
        if valid(value.year, value.month, None):
            add(found.start(), found.end(), value)
    for found in _YEAR.finditer(low):
        value = DateValue(int(found.group("y")))
        add(found.start("y"), found.end(), value)
    out.sort(key=lambda m: (m.span.start, m.span.end))
    return out


def lead_end_offset(doc: ArticleText) -> int:
    """End of title + lead; without a lead, the first paragraph of the body counts as the lead."""
    article = doc.article
    end = len(article.title) + (len(article.sapo) + 2 if article.sapo else 0)
    if not article.sapo:
        rest = doc.text.find("\n\n", end + 2)
        end = rest if rest > 0 else len(doc.text)
    return end


@lru_cache(maxsize=1)
def _horizon_before() -> re.Pattern:
    """A cue right before "năm YYYY" (or before the year) that makes it a horizon: "đến năm 2030"."""
    cues = [row["cue"] for row in load_table("date_horizon_cues")]
    return re.compile(r"(?<!\w)(?:" + phrase_pattern(cues) + r")\s+(?:hết\s+)?(?:năm\s+)?$")


def _is_horizon(doc: ArticleText, mention: DateMention) -> bool:
    start = mention.span.start
    return bool(_horizon_before().search(lowered(doc.match), max(0, start - 30), start))


def reference_year(doc: ArticleText, dates: list[DateMention]) -> int | None:
    """The year that completes year-less dates: the publication year, else one the text states
    unambiguously (the only "năm YYYY" of the title and lead, or the one year of every full date when
    no year-less date falls before them). A plan horizon or period bound ("đến năm 2030", "từ năm 2015")
    and a lead year later than every dated event of the text are no article year; when in doubt, none."""
    if doc.published and doc.published.year:
        return doc.published.year
    lead_end = lead_end_offset(doc)
    stated = [d for d in dates if d.value.year and not _is_horizon(doc, d)]
    lead_years = {d.value.year for d in stated if d.value.month is None and d.span.start < lead_end}  # "năm 2022"
    dated_years = {d.value.year for d in stated if d.value.month}
    if len(lead_years) == 1 and not (dated_years and min(lead_years) > max(dated_years) + 1):
        return lead_years.pop()
    full = [d.value for d in dates if d.value.year and d.value.month and d.value.day]
    years = {v.year for v in full}
    if len(years) == 1:
        earliest = min((v.month, v.day) for v in full)
        partial = [(d.value.month, d.value.day) for d in dates
                   if d.value.year is None and d.value.month and d.value.day]
        if all(md >= earliest for md in partial):
            return years.pop()
    return None


def complete(value: DateValue | None, doc: ArticleText, year: int | None) -> DateValue | None:
    """A year-less month-day completed with the reference year. Relative to a known publication
    month, a date more than six months later belongs to the year before (a December event in a January
    article) and one more than six months earlier to the year after."""
    if value is None or value.year is not None or value.month is None or year is None:
        return value
    if doc.published and doc.published.year == year and doc.published.month:
        gap = value.month - doc.published.month
        if gap > 6:
            year -= 1
        elif gap < -6:
            year += 1
    if not valid(year, value.month, value.day):
        return DateValue(None, value.month, value.day)  # 29/2 in a year without it: keep as stated
    return DateValue(year, value.month, value.day)
