"""Numbered legal and administrative documents: type, number, date, issuer, subject.

"Kế hoạch số 333/KH-BCĐ ngày 30/6/2022 của Ban Chỉ đạo ...", "Nghị quyết số 12 của Bộ Chính trị",
"Kế hoạch 118 của ...", "Chỉ thị 09-CT/TW", "Luật An ninh mạng số 24/2018/QH14".
Types, type codes and issuer codes are lexicon data (document_types.tsv, document_codes.tsv).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..lexicon import load_table, values
from ..models import DateMention, DocumentMention, Extraction
from ..text import key
from .context import ArticleText
from .dates import complete

# Document numbers: digits, then '-' or '/' separated year, type code and issuer code segments.
NUMBER = r"\d{1,5}[a-z]?(?:[-/](?:\d{1,4}|[A-ZĐ][A-Za-zĐđ0-9]*))*"
_NUMBER_RE = re.compile(NUMBER)
# After a bare number without "số": what may follow a document reference (not a counted noun).
_BARE_FOLLOW = re.compile(
    r"\s*(?:$|[,;.:)\"“”/]|-\s|của\b|về\b|ngày\b|năm\b|do\b|đã\b|được\b|và\b|quy định\b|hướng dẫn\b|"
    r"ban hành\b|thì\b|có\b|này\b|nêu\b|đề ra\b|yêu cầu\b|với\b|là\b|cũng\b|sẽ\b|vẫn\b|tại\b|\()",
    re.IGNORECASE)
_DATE_LINK = re.compile(r"\s*,?\s*(?:ban hành\s+)?(?:vào\s+)?(?:ngày\s+)?$", re.IGNORECASE)
_ISSUER_LINK = re.compile(r"\s*,?\s*(?:của|do)\s+", re.IGNORECASE)
_SUBJECT = re.compile(r"\s*,?\s*(?:về việc|về|V/v)\s+(?P<subject>[^;.\n]{3,400})", re.IGNORECASE)


@lru_cache(maxsize=1)
def _types() -> tuple[dict[str, str], dict[str, str], set[str]]:
    """written form (casefolded) -> canonical type; type code -> canonical type; types with titles."""
    forms, codes, named = {}, {}, set()
    for row in load_table("document_types"):
        canonical = row["type"]
        for form in [canonical] + values(row.get("variants")):
            forms[form.casefold()] = canonical
        for code in values(row.get("codes")):
            codes.setdefault(code.casefold(), canonical)
        if row.get("named") == "yes":
            named.add(canonical)
    return forms, codes, named


@lru_cache(maxsize=1)
def _issuers() -> tuple[dict[str, str | None], dict[str, str]]:
    """issuer code (casefolded) -> canonical org or None when ambiguous; key(name) -> name."""
    by_code, by_name = {}, {}
    for row in load_table("document_codes"):
        code, issuer = row.get("code", ""), row.get("issuer") or None
        if code:
            by_code[code.casefold()] = issuer
        if issuer:
            by_name[key(issuer)] = issuer
    return by_code, by_name


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    forms, _, named = _types()
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    title = r"(?P<title>(?:\s+(?!số\b)[^\s,;.:()\"“”]+){1,12}?)"  # the name of a law before "số"
    return re.compile(
        r"(?<!\w)(?P<type>" + alternation + r")(?:" + title + r"(?=\s+số\s))?"
        r"\s+(?P<so>số\s+)?(?P<number>" + NUMBER + r")(?![\w/])", re.IGNORECASE)


def issuer_from_code(number: str) -> str | None:
    """The issuing body a document number names unambiguously ("7032/QĐ-BCA-V05" -> Bộ Công an)."""
    by_code, _ = _issuers()
    for segment in re.split(r"[-/]", number):
        if not segment or segment[0].isdigit():
            continue
        for candidate in (segment.casefold(), re.sub(r"\d+$", "", segment).casefold()):
            if candidate in by_code:
                issuer = by_code[candidate]
                if issuer:
                    return issuer
                break
    return None


def type_codes(number: str) -> list[str]:
    """The letter codes written inside a document number, as written."""
    return [s for s in re.split(r"[-/]", number) if s and not s[0].isdigit()]


def _accept(doc: ArticleText, found: re.Match) -> bool:
    number = found.group("number")
    has_code = any(ch.isalpha() for ch in number.lstrip("0123456789"))
    if found.group("title"):
        # Only named types ("Luật ... số") take a title, and the title must start with a capital.
        forms, _, named = _types()
        is_named = forms[found.group("type").casefold()] in named
        if not found.group("so") or not (has_code or is_named):
            return False
        if is_named and not found.group("title").split()[0][:1].isupper():
            return False
    if found.group("so") or has_code:
        return not re.fullmatch(r"\d+", number) or len(number) <= 5
    # A bare number: the type is written as a name (capitalised), the number is no year, and what
    # follows is no counted noun ("Kết luận 3 vấn đề" is no document).
    if not found.group("type")[0].isupper():
        return False
    if re.fullmatch(r"(?:19|20)\d\d", number) or len(number) > 4:
        return False
    return bool(_BARE_FOLLOW.match(doc.match, found.end()))


def _date_after(doc: ArticleText, end: int, dates: list[DateMention], year: int | None):
    for mention in dates:
        if mention.span.start < end or mention.span.start > end + 16:
            continue
        if mention.value.month and _DATE_LINK.fullmatch(doc.match[end:mention.span.start]):
            return complete(mention.value, doc, year), mention.span.end
    return None, end


def _issuer_after(doc: ArticleText, end: int, found: Extraction) -> tuple[str | None, int]:
    link = _ISSUER_LINK.match(doc.match, end)
    if not link:
        return None, end
    at = link.end()
    for org in found.organizations:
        if at <= org.span.start <= at + 1:
            return org.name, org.span.end
    _, by_name = _issuers()
    head = key(doc.text[at:at + 80])
    for name_key, name in sorted(by_name.items(), key=lambda item: -len(item[0])):
        if head == name_key or head.startswith(name_key + " "):
            return name, at + len(name)
    return None, end


def _subject_after(doc: ArticleText, end: int) -> str | None:
    found = _SUBJECT.match(doc.match, end)
    if not found:
        return None
    subject = doc.text[found.start("subject"):found.end("subject")]
    subject = subject.strip().strip("\"“”'").strip()
    if len(subject) > 200:
        cut = subject.rfind(",", 0, 200)
        subject = subject[:cut if cut > 20 else 200].strip()
    return subject.rstrip(",:…").strip("\"“”") or None


def find_documents(doc: ArticleText, found: Extraction) -> list[DocumentMention]:
    forms, _, _ = _types()
    out: dict[tuple[str, str], DocumentMention] = {}
    for match in _pattern().finditer(doc.match):
        if not _accept(doc, match):
            continue
        doc_type = forms[match.group("type").casefold()]
        number = doc.text[match.start("number"):match.end("number")]
        end = match.end()
        date, end = _date_after(doc, end, found.dates, found.reference_year)
        issuer, end_issuer = _issuer_after(doc, end, found)
        subject = _subject_after(doc, end_issuer if issuer else end)
        if issuer is None:
            issuer = issuer_from_code(number)
        mention = DocumentMention(doc_type, number, doc.text[match.start():match.end()],
                                  doc.span(match.start(), match.end()), date, issuer, subject)
        ident = (doc_type, number.upper())
        if ident in out:
            first = out[ident]  # later mentions only fill in what the first one left open
            out[ident] = replace(first, date=first.date or date, issuer=first.issuer or issuer,
                                 subject=first.subject or subject)
        else:
            out[ident] = mention
    return list(out.values())
