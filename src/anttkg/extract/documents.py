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
from .numbers import lowered, phrase_matches, phrase_pattern, register_phrase_family

# Document numbers: digits, then '-' or '/' separated year, type code and issuer code segments.
NUMBER = r"\d{1,5}[a-z]?(?:[-/](?:\d{1,4}|[A-ZĐ][A-Za-zĐđ0-9&]*))*"
_NUMBER_RE = re.compile(NUMBER)
# After a bare number without "số": what may follow a document reference (not a counted noun).
_BARE_FOLLOW = re.compile(
    r"\s*(?:$|[,;.:)\"“”/]|-\s|của\b|về\b|ngày\b|năm\b|do\b|đã\b|được\b|và\b|quy định\b|hướng dẫn\b|"
    r"ban hành\b|thì\b|có\b|này\b|nêu\b|đề ra\b|yêu cầu\b|với\b|là\b|cũng\b|sẽ\b|vẫn\b|tại\b|\()",
    re.IGNORECASE)
_DATE_LINK = re.compile(r"\s*,?\s*(?:ban hành\s+)?(?:vào\s+)?(?:ngày\s+)?$", re.IGNORECASE)
_ISSUER_LINK = re.compile(r"\s*,?\s*(?:của|do)\s+", re.IGNORECASE)
_SUBJECT = re.compile(r"\s*,?\s*(?:về việc|về|V/v)\s+(?P<subject>[^;.\n]{3,400})", re.IGNORECASE)
# Where a subject gives way to the rest of the sentence: a time adverbial ("... thủy sản sáng 9/6"), the
# body that issued or held something ("do Bộ NN&PTNT tổ chức"), a clause opener after a comma, a verb
# that says what the document does, or a bracket closed that the subject did not open.
_SUBJECT_END = re.compile(
    r"\s+(?:vào\s+)?(?:sáng|chiều|tối|trưa|đêm|ngày|hôm)\s+(?:nay|qua|mai|\d)|\s+do\s+(?=[A-ZĐ])|"
    r",\s*(?:theo|trong đó|theo đó|đồng thời|tuy nhiên|nhưng|song|nêu rõ|xác định|nhấn mạnh|yêu cầu|hiện nay|"
    r"đến nay|từ đó|qua đó|nhờ đó|vì vậy|do đó|sau đó|trước đó)\s|"
    r"\s+(?:có hiệu lực|đã tạo|quy định (?:rõ|cụ thể|như sau|việc)|là không|được ban hành)\b|\)")
# An issuing body written before the type: "UBND tỉnh vừa ban hành Kế hoạch số ...", "Bộ Chính trị ra
# Chỉ thị ...", "Bộ Tài chính đã có công văn số ...".
_ISSUED_BEFORE = re.compile(r"\s*(?:đã\s+|vừa\s+|cũng\s+|mới\s+)*(?:ký\s+ban hành|ký|ban hành|ra|có|gửi)\s+"
                            r"(?:các\s+)?$", re.IGNORECASE)


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
    alternation = phrase_pattern(forms)
    return re.compile(r"(?<!\w)(?P<type>" + alternation + r")(?!\w)")


register_phrase_family("documents", _pattern, lambda: _types()[0])


@lru_cache(maxsize=1)
def _tail() -> re.Pattern:
    """What follows a type word: an optional title (laws), an optional "số", the number."""
    title = r"(?P<title>(?:\s+(?![sS]ố\b)[^\s,;.:()\"“”]+){1,12}?)"
    return re.compile(r"(?:" + title + r"(?=\s+[sS]ố\s))?\s+(?P<so>[sS]ố\s+)?(?P<number>" + NUMBER
                      + r")(?!\w|/\S)")  # "15/2020/ NĐ-CP": a spaced code is read after


# A code written after a spaced separator ("11 – NQ/TW", "333/KH - BCĐ", "155/2016/ NĐ-CP", "119 /BC-BCT").
_SPACED_CODE = re.compile(r"(?:\s+[-/]\s*|[-/]\s+)(?P<code>[A-ZĐ][A-ZĐ0-9&]*)"
                          r"(?P<rest>(?:[-/](?:\d{1,4}|[A-ZĐ][A-Za-zĐđ0-9&]*))*)(?![\w/])")


def _spaced_code(doc: ArticleText, number: str, end: int) -> tuple[str, int]:
    """The number with a code joined over a spaced separator, written compactly ("11-NQ/TW"). The code
    joins when it is a type code, carries a code of its own after it ("QĐNS/TW"), or follows a number that
    already holds a type code ("333/KH - BCĐ"): a bare "Đội số 5 - CATP" joins nothing."""
    _, codes, _ = _types()
    while True:  # "468 - QĐ/VC- ĐT": each spaced code in turn
        found = _SPACED_CODE.match(doc.match, end)
        if not found:
            return number, end
        code = found.group("code")
        if not (code.casefold() in codes or found.group("rest") or _code_types(number)):
            return number, end
        separator = doc.match[found.start():found.start("code")].strip()
        number, end = number + separator + code + found.group("rest"), found.end()


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


@lru_cache(maxsize=1)
def _coded_types() -> frozenset[str]:
    """Types that have type codes of their own."""
    return frozenset(row["type"] for row in load_table("document_types") if values(row.get("codes")))


def _code_types(number: str) -> set[str]:
    """The document types whose codes the number carries ("19-TB/TW" -> Thông báo)."""
    _, codes, _ = _types()
    return {codes[s.casefold()] for s in type_codes(number) if s.casefold() in codes}


def type_codes(number: str) -> list[str]:
    """The letter codes written inside a document number, as written."""
    return [s for s in re.split(r"[-/]", number) if s and not s[0].isdigit()]


def _accept(doc: ArticleText, doc_type: str, type_start: int, tail: re.Match) -> bool:
    forms, _, named = _types()
    number = tail.group("number")
    has_code = any(ch.isalpha() for ch in number.lstrip("0123456789"))
    title = tail.group("title")
    if title:
        # A title sits between type and "số" for laws ("Luật An ninh mạng số ..."), or for any type
        # whose number carries a code; it starts with a capital and holds no other document type.
        words = title.split()
        if not tail.group("so") or not (has_code or doc_type in named) or not words[0][:1].isupper():
            return False
        if _pattern().search(lowered(title)):
            return False
    if has_code and doc_type not in _coded_types() and _code_types(number):
        return False  # a type with no code of its own ("luật") before a number that names another type
    if tail.group("so") or has_code:
        return True
    # A bare number: the type is written as a name (capitalised), the number is no year, and what
    # follows is no counted noun ("Kết luận 3 vấn đề" is no document).
    if not doc.text[type_start].isupper():
        return False
    if re.fullmatch(r"(?:19|20)\d\d", number) or len(number) > 4:
        return False
    return bool(_BARE_FOLLOW.match(doc.match, tail.end()))


def _date_after(doc: ArticleText, end: int, dates: list[DateMention], year: int | None):
    for mention in dates:
        if mention.span.start < end or mention.span.start > end + 16:
            continue
        if mention.value.month and _DATE_LINK.fullmatch(doc.match[end:mention.span.start]):
            return complete(mention.value, doc, year), mention.span.end
    return None, end


def _issuer_before(doc: ArticleText, start: int, found: Extraction,
                   dates: list[DateMention], year: int | None):
    """The body written before the type with an issuing verb, and the date that opens its clause
    ("Ngày 3/11, Bộ Tài chính đã có công văn số ...")."""
    best = None
    for org in found.organizations:
        if start - 60 <= org.span.end <= start and _ISSUED_BEFORE.fullmatch(doc.match[org.span.end:start]):
            if best is None or org.span.end > best.span.end:
                best = org
    if best is None:
        return None, None
    for mention in dates:
        if mention.value.month and best.span.start - 3 <= mention.span.end <= best.span.start and \
                re.fullmatch(r"\s*,?\s*", doc.match[mention.span.end:best.span.start]):
            return best.name, complete(mention.value, doc, year)
    return best.name, None


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
    start, stop = found.start("subject"), found.end("subject")
    if doc.match[start] == '"':  # a quoted subject ends at its closing quote
        close = doc.match.find('"', start + 1, stop)
        stop = close if close > start else stop
    else:
        cut = _SUBJECT_END.search(doc.match, start, stop)
        if cut and "(" in doc.match[start:cut.start()] and cut.group() == ")":
            cut = _SUBJECT_END.search(doc.match, cut.end(), stop)  # a bracket the subject opened
        if cut and cut.start() > start:
            stop = cut.start()
    subject = doc.text[start:stop]
    subject = subject.strip().strip("\"“”'").strip()
    if len(subject) > 200:
        cut = subject.rfind(",", 0, 200)
        subject = subject[:cut if cut > 20 else 200].strip()
    return subject.rstrip(",:…").strip("\"“”") or None


def find_documents(doc: ArticleText, found: Extraction) -> list[DocumentMention]:
    forms, _, _ = _types()
    out: dict[tuple[str, str], DocumentMention] = {}
    for match in phrase_matches("documents", lowered(doc.match)):
        tail = _tail().match(doc.match, match.end())
        if not tail:
            continue
        doc_type = forms[" ".join(match.group("type").casefold().split())]
        if not _accept(doc, doc_type, match.start(), tail):
            continue
        number, end = _spaced_code(doc, doc.text[tail.start("number"):tail.end("number")], tail.end())
        number = re.sub(r"\s+", "", number.replace("\u2013", "-").replace("\u2014", "-"))  # "1947/ QĐ–UBND"
        end_number = end
        date, end = _date_after(doc, end, found.dates, found.reference_year)
        issuer, end_issuer = _issuer_after(doc, end, found)
        subject = _subject_after(doc, end_issuer if issuer else end)
        if issuer is None:
            issuer, date_before = _issuer_before(doc, match.start(), found, found.dates, found.reference_year)
            date = date or date_before
        if issuer is None:
            issuer = issuer_from_code(number)
        mention = DocumentMention(doc_type, number, doc.text[match.start():end_number],
                                  doc.span(match.start(), end_number), date, issuer, subject)
        ident = (doc_type, number.upper())
        if ident in out:
            first = out[ident]  # later mentions only fill in what the first one left open
            out[ident] = replace(first, date=first.date or date, issuer=first.issuer or issuer,
                                 subject=first.subject or subject)
        else:
            out[ident] = mention
    return _merge_short_forms(out)


def _merge_short_forms(out: dict[tuple[str, str], DocumentMention]) -> list[DocumentMention]:
    """"Kết luận số 24-KL/TW" ... "Kết luận số 24": a bare number that heads exactly one coded number of the
    same type is a later mention of that document (unless their issuers differ)."""
    for (doc_type, number), short in list(out.items()):
        if not number.isdigit():
            continue
        heads = [ident for ident in out if ident[0] == doc_type and ident != (doc_type, number)
                 and ident[1].startswith(number) and ident[1][len(number):len(number) + 1] in ("-", "/")]
        if len(heads) != 1:
            continue
        full = out[heads[0]]
        if short.issuer and full.issuer and short.issuer != full.issuer:
            continue
        out[heads[0]] = replace(full, date=full.date or short.date, issuer=full.issuer or short.issuer,
                                subject=full.subject or short.subject)
        del out[(doc_type, number)]
    return list(out.values())
