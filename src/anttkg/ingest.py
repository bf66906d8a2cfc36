"""Ingest: files and folders of news articles -> cleaned ``Article`` objects, streaming.

Supported inputs: ``.txt`` (one article in the "seed" layout of several news sites), ``.html``/``.htm``,
``.json`` (one record or a list), ``.jsonl`` and ``.jsonl.gz`` (one record a line). Bad input never raises
out of ``read_inputs``: each problem becomes an ``IngestProblem`` naming the file (and line) and a reason a
user can act on, and reading goes on with the next record or file.

Site chrome, date-line words, byline and source cues come from ``ontology/lexicon/boilerplate.tsv``.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import gzip
import io
import json
import os
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator

from .lexicon import load_table
from .models import Article, IngestProblem
from .text import collapse_spaces, normalize_text

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".json", ".jsonl", ".jsonl.gz")

# Bounds that keep memory flat whatever the input: one article (a .txt/.html file or a JSON Lines record)
# larger than this is not a news article and is reported instead of read.
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
# A .json file is parsed whole; anything bigger should be JSON Lines, which is streamed.
MAX_JSON_FILE_BYTES = 64 * 1024 * 1024
# A title taken from the lead's first sentence is cut at a word boundary past this many characters.
MAX_DERIVED_TITLE_CHARS = 200
# Longest line read as a title; longer first lines are body text.
MAX_TITLE_CHARS = 300

Item = Article | IngestProblem


# --------------------------------------------------------------------------------------------------
# Entry point


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Articles and problems from files and folders, in a deterministic order, one at a time.

    Folders are walked recursively in path order (hidden folders such as ``.git`` are not entered);
    files of an unsupported type are reported as skipped. The same id read twice is yielded twice: the
    build decides what a repeat is (it compares ids and content across runs)."""
    for item in input_files(paths):
        if isinstance(item, IngestProblem):
            yield item
        else:
            yield from read_file(item)


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | IngestProblem]:
    """The supported files that ``paths`` name, folders expanded in path order, and the problems met on
    the way (missing paths, unsupported files, unreadable or empty folders). Reads no file."""
    for raw in paths:
        yield from _expand_path(Path(raw))


def read_file(path: Path) -> Iterator[Item]:
    """Articles and problems from one supported file."""
    try:
        yield from _read_file(path)
    except OSError as error:
        yield IngestProblem(str(path), f"cannot read: {error.strerror or error}")


def _expand_path(path: Path) -> Iterator[Path | IngestProblem]:
    try:
        if path.is_dir():
            yield from _expand_folder(path)
        elif path.exists():
            yield IngestProblem(str(path), _unsupported_reason(path)) if _suffix(path) is None else path
        else:
            yield IngestProblem(str(path), "no such file or folder")
    except OSError as error:
        yield IngestProblem(str(path), f"cannot read: {error.strerror or error}")


def _expand_folder(folder: Path) -> Iterator[Path | IngestProblem]:
    found = False
    for path in _walk(folder):
        if isinstance(path, IngestProblem):
            yield path
        elif _suffix(path) is None:
            yield IngestProblem(str(path), _unsupported_reason(path))
        else:
            found = True
            yield path
    if not found:
        yield IngestProblem(str(folder), "folder holds no supported files (" + ", ".join(SUPPORTED_SUFFIXES) + ")")


def _walk(folder: Path) -> Iterator[Path | IngestProblem]:
    """Files under ``folder`` in path order (a/sub/x before a/y before b), not entering hidden folders
    or following links to folders (no cycles)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        yield IngestProblem(str(folder), f"cannot list folder: {error.strerror or error}")
        return
    for entry in entries:
        path = folder / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            linked_dir = not is_dir and entry.is_symlink() and entry.is_dir()
        except OSError:
            is_dir = linked_dir = False
        if is_dir:
            if not entry.name.startswith("."):
                yield from _walk(path)
        elif linked_dir:
            yield IngestProblem(str(path), "skipped: a link to a folder is not followed inside a folder "
                                "(it could loop); name the target folder itself to read it")
        else:
            yield path


def _suffix(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in sorted(SUPPORTED_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return None


def _unsupported_reason(path: Path) -> str:
    kind = "".join(path.suffixes) or "no extension"
    return f"skipped: unsupported file type ({kind}); supported: " + ", ".join(SUPPORTED_SUFFIXES)


def _stem(path: Path, suffix: str) -> str:
    return normalize_text(path.name[: -len(suffix)]).strip()


def _read_file(path: Path) -> Iterator[Item]:
    suffix = _suffix(path)
    assert suffix is not None
    try:
        if suffix in (".txt", ".html", ".htm"):
            yield _read_document(path, suffix)
        elif suffix == ".json":
            yield from _read_json(path)
        else:
            yield from _read_json_lines(path, suffix)
    except OSError as error:
        yield IngestProblem(str(path), f"cannot read: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - bad input must never stop the build
        yield IngestProblem(str(path), f"could not read this file ({type(error).__name__}: {error})")


# --------------------------------------------------------------------------------------------------
# Cues from the lexicon


@dataclass(frozen=True)
class _Cues:
    lines: frozenset[str]
    line_patterns: tuple[re.Pattern, ...]
    date_noise: re.Pattern
    date_marker: re.Pattern
    lead_tags: tuple[re.Pattern, ...]
    source_cue: re.Pattern
    byline_cue: re.Pattern
    credit_note: re.Pattern
    not_sentence_end: frozenset[str]
    not_names: frozenset[str]
    byline_roles: frozenset[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    groups: dict[str, list[str]] = {}
    for row in load_table("boilerplate"):
        groups.setdefault(row["kind"], []).append(row["value"])

    def alternation(kind: str) -> str:
        return "|".join(f"(?:{value})" for value in groups.get(kind, [])) or r"(?!x)x"

    return _Cues(
        lines=frozenset(_chrome_key(v) for v in groups.get("line", [])),
        line_patterns=tuple(re.compile(v, re.IGNORECASE) for v in groups.get("line_pattern", [])),
        date_noise=re.compile(alternation("date_noise"), re.IGNORECASE),
        date_marker=re.compile(alternation("date_marker"), re.IGNORECASE),
        lead_tags=tuple(re.compile(v) for v in groups.get("lead_tag", [])),
        source_cue=re.compile(alternation("source_cue"), re.IGNORECASE),
        byline_cue=re.compile(alternation("byline_cue"), re.IGNORECASE),
        credit_note=re.compile(r"\(\s*(?:" + alternation("credit_note") + r")(?:\b|\s|\)|$)[^()]*\)", re.IGNORECASE),
        not_sentence_end=frozenset(groups.get("not_sentence_end", [])),
        not_names=frozenset(_chrome_key(v) for v in groups.get("not_name", [])),
        byline_roles=frozenset(_chrome_key(v) for v in groups.get("byline_role", [])),
    )


def _chrome_key(line: str) -> str:
    return collapse_spaces(line).casefold()


def _is_chrome(line: str) -> bool:
    cues = _cues()
    if _chrome_key(line) in cues.lines:
        return True
    return any(pattern.fullmatch(line.strip()) for pattern in cues.line_patterns)


# --------------------------------------------------------------------------------------------------
# Dates

_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?!\d)")
_YMD = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YM = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})(?![\d-])")
_MY = re.compile(r"(?<![\d/.\-])(?:tháng\s*)?(\d{1,2})\s*/\s*(\d{4})(?!\d)", re.IGNORECASE)
_VERBAL = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1900 <= year <= 2100 or not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _find_date(text: str) -> tuple[str, re.Match] | None:
    """The first date stated in ``text`` as ISO (only the parts written there) and the match."""
    candidates = []
    for pattern, order in ((_VERBAL, "dmy"), (_YMD, "ymd"), (_DMY, "dmy"), (_YM, "ym"), (_MY, "my")):
        for match in pattern.finditer(text):
            parts = [int(g) for g in match.groups()]
            if order == "dmy":
                day, month, year = parts
            elif order == "ymd":
                year, month, day = parts
            elif order == "ym":
                (year, month), day = parts, None
            else:
                (month, year), day = parts, None
            if _valid(year, month, day):
                iso = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
                candidates.append((match.start(), -len(match.group(0)), iso, match))
                break
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2], candidates[0][3]


def parse_published(value: object) -> str | None:
    """ISO date from a metadata value ("2022-08-08T10:00:00+07:00", "08/08/2022", "2023-01"), or None.

    Only the parts written are kept; a time zone is not applied (the date as the site printed it)."""
    if not isinstance(value, str):
        return None
    found = _find_date(value.strip())
    return found[0] if found else None


def _date_line(line: str) -> str | None:
    """ISO date when the line is a date line: a date plus only weekday, time, view-count words."""
    if len(line) > 120:
        return None
    found = _find_date(line)
    if not found:
        return None
    iso, match = found
    rest = line[: match.start()] + " " + line[match.end():]
    rest = _cues().date_noise.sub(" ", rest)
    rest = re.sub(r"[\W\d_]+", " ", rest).strip()
    return iso if not rest else None


# --------------------------------------------------------------------------------------------------
# Bylines and sources

# between two writers: a dash with a space on at least one side ("Thành Chung -Lê Thúy Hằng"), a comma, "và"
_SEPARATORS = re.compile(r"\s+[-–—]\s*|\s*[-–—]\s+|\s*,\s*|\s+và\s+|\s*&\s*|\s*;\s*")
# the agency or desk after a writer's name: "/VOV", "/VOV-Tây Bắc", "/VOV- Trung tâm Tin", "/VOV.VN (Tổng hợp)"
_AGENCY = re.compile(r"\s*/\s*[^\W\d_][\w.+&()\-– ]{0,30}$")


# a news agency's code in brackets after the writers ("(TTXVN)", "(VOV)")
_AGENCY_IN_BRACKETS = re.compile(r"\s*\(\s*[A-ZĐ][\w.]{1,14}(?:\s+[A-ZĐ][\w.]{0,14}){0,2}\s*\)\s*$")
# "An Nhiên/Dân trí": two or more name words, then the outlet after a slash
_WRITER_THEN_OUTLET = re.compile(r"\s*[^\W\d_]+(?:\s+[^\W\d_]+){1,3}\s*/\s*[^\W\d_][\w.+&\- ]{0,30}")
# a writer signing with initials: "H.M", "C.N", "T.Anh", "N.V.A"
_INITIALS = re.compile(r"[^\W\d_a-zđ](?:\.[^\W\d_a-zđ][^\W\d_A-ZĐ]{0,4}){1,2}")


def _is_name_word(word: str) -> bool:
    """A capitalised word of a name: Hoàng, HOÀNG, or initials such as T.Đạt, N.V.A."""
    if not word or not word[0].isupper():
        return False
    letters = word.replace(".", "")
    if not letters.isalpha():
        return False
    if "." in word:
        return all(part[:1].isupper() for part in word.split(".") if part)
    return word[1:].islower() or word.isupper() or len(word) == 1


def _parse_name(part: str) -> str | None:
    words = part.split()
    if not 1 <= len(words) <= 5 or not all(_is_name_word(w) for w in words):
        return None
    shouted = [w for w in words if w.isupper() and len(w.replace(".", "")) > 1 and "." not in w]
    if shouted and len(shouted) < len(words) and any(w[1:].islower() for w in words):
        return None  # "Gia Trung VNA": a name run into an agency code; not clearly a byline
    name = " ".join(words)
    if name.isupper() and len(name.replace(".", "").replace(" ", "")) > 3:
        name = name.title()  # HOÀNG BỀN -> Hoàng Bền
    if _chrome_key(name) in _cues().not_names:
        return None
    return name


def _parse_byline(text: str, *, own_line: bool) -> tuple[str, ...] | None:
    """The author names when ``text`` is clearly a byline, else None.

    ``own_line``: the text stood on a line of its own at the end of the article, which is a strong cue;
    inside running text a single word is accepted only with a credit note such as "(T/h)"."""
    written = text
    text = collapse_spaces(text)
    if not text or len(text) > 90:
        return None
    cues = _cues()
    source = cues.source_cue.match(text)
    if source and _WRITER_THEN_OUTLET.fullmatch(text, source.end()):
        text = text[source.end():]  # "Theo An Nhiên/Dân trí": the writer of the outlet the story is taken from
    elif source:
        return None  # "Theo VnExpress", "Nguồn: X": an attribution to a source, not a byline
    cue = cues.byline_cue.match(text)
    if cue:
        text = text[cue.end():]
    note = cues.credit_note.search(text)
    if note and text[note.end():].strip(" .") == "":
        text = text[: note.start()]
    text = _AGENCY.sub("", text.strip(" .")).strip()
    text = _AGENCY_IN_BRACKETS.sub("", text).strip(" -–—")  # "Phong Vân -", "Lê Thúy Hằng (TTXVN)"
    if not text:
        return None
    names, roles = [], 0
    for part in _SEPARATORS.split(text):
        if not part:
            return None
        if names and cues.source_cue.match(part):
            continue  # "Skye, Theo Thời Đại": the writer, then the source
        if _chrome_key(part) in cues.byline_roles:
            roles += 1
            continue  # "PV (TTXVN)", "Nhóm PV": a role, not a writer's name
        name = _parse_name(part)
        if name is None:
            return None
        names.append(name)
    if not 1 <= len(names) + roles <= 4 or not names:
        return None
    if not (own_line or cue or note) and all(len(n.split()) < 2 and not _INITIALS.fullmatch(n) for n in names):
        return None  # one word inside running text is no byline, unless initials ("H.M", "T.Anh")
    if len(names) == 1 and len(names[0].split()) >= 4:
        names = _names_split_by_wide_gaps(written, names[0]) or names
    return tuple(dict.fromkeys(names))


_WIDE_GAP = re.compile(r"[ \t]{2,}")


def _names_split_by_wide_gaps(written: str, name: str) -> list[str] | None:
    """"Hồng Dương  Mộng Tuyền": two writers whose lines the crawl joined with a wide gap, not one long name."""
    pieces = [collapse_spaces(p) for p in _WIDE_GAP.split(written.strip()) if p.strip()]
    if not 2 <= len(pieces) <= 4 or " ".join(pieces) != name:
        return None
    names = [_parse_name(p) for p in pieces]
    return names if all(names) else None


def _sentence_end_before(text: str, index: int) -> bool:
    """Does a sentence end just before ``index`` (where the whitespace before the next word starts)?"""
    head = text[:index].rstrip()
    if not head:
        return False
    if head[-1] in "!?…\"”»":
        return True
    if head.endswith(")"):
        return True
    if head[-1] != ".":
        return False
    # Only the last word matters; taking it by splitting keeps a very long final token linear.
    word = head.rsplit(None, 1)[-1][:-1]
    if word and word.split("(")[-1] in _cues().not_sentence_end:
        return False
    if len(word) == 1 and word.isalpha():  # an initial: N. Văn A
        return False
    return True


def split_trailing_byline(text: str) -> tuple[str, tuple[str, ...]]:
    """Split a byline off the end of running text: "... điều tra. Kim Thanh (T/h)" -> text, authors.

    Only a clear byline is taken: after a sentence end, a few capitalised name words, optionally joined
    by " - " and followed by a credit note."""
    stripped = text.rstrip()
    window_start = max(0, len(stripped) - 100)
    for match in reversed(list(re.finditer(r"\s+", stripped[window_start:]))):
        start = window_start + match.start()
        if not _sentence_end_before(stripped, start):
            continue
        authors = _parse_byline(stripped[window_start + match.end():], own_line=False)
        if authors:
            return stripped[:start].rstrip(), authors
    return text, ()


def _source_line(line: str) -> str | None:
    cue = _cues().source_cue.match(line)
    if not cue:
        return None
    value = line[cue.end():].strip(" .:()")
    if not value or len(value) > 80 or not value[0].isupper():
        return None
    return value


# --------------------------------------------------------------------------------------------------
# The shared layout reader (.txt, and the text lines of an HTML page)


@dataclass
class _Layout:
    title: str = ""
    published: str | None = None
    lead: str = ""
    body: list[str] = field(default_factory=list)
    authors: tuple[str, ...] = ()
    source: str | None = None


def _strip_lead_tag(text: str) -> str:
    for pattern in _cues().lead_tags:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return text[match.end():]
    return text


def _read_layout(raw_lines: list[str], *, title: str = "", published: str | None = None) -> _Layout:
    """Title, date, lead, body, byline and source from the lines of one article.

    The header (chrome, a kicker like "Bộ Công an:", the title, a date line) is read from the top, the
    byline and "Nguồn:" line from the bottom; chrome lines are dropped everywhere."""
    cues = _cues()
    lines = []
    for raw in raw_lines:
        line = collapse_spaces(raw)
        if not line or _is_chrome(line):
            continue
        if lines and lines[-1] == line:
            continue  # a caption printed twice
        lines.append(line)
    layout = _Layout(title=title, published=published)

    # Header: at most a few short lines before the body starts.
    body_start = 0
    header_limit = min(len(lines), 6)
    i = 0
    while i < header_limit:
        line = lines[i]
        marker = cues.date_marker.match(line)
        if marker:
            found = _find_date(line[marker.end():])
            if found and found[1].start() == 0:
                if layout.published is None:
                    layout.published = found[0]
                lead = line[marker.end() + found[1].end():].strip()
                layout.lead = _strip_lead_tag(lead)
                body_start = i + 1
                break
        date = _date_line(line)
        if date:
            if layout.published is None:
                layout.published = date
            body_start = i + 1
            i += 1
            continue
        if title and _chrome_key(line) == _chrome_key(title):
            body_start = i + 1
            i += 1
            continue
        next_line = lines[i + 1] if i + 1 < len(lines) else ""
        is_kicker = (
            not layout.title and line.endswith(":") and len(line.split()) <= 8 and next_line
            and len(next_line) <= MAX_TITLE_CHARS
        )
        if is_kicker:
            body_start = i + 1
            i += 1
            continue
        if not layout.title and len(line) <= MAX_TITLE_CHARS and i + 1 < len(lines):
            layout.title = line
            body_start = i + 1
            i += 1
            continue
        break
    body = lines[body_start:]

    # Footer: source and byline lines, in either order, at most three.
    for _ in range(3):
        if not body:
            break
        last = body[-1]
        source = _source_line(last)
        if source and len(last) <= 90 and layout.source is None:
            layout.source = source
            body.pop()
            continue
        authors = _parse_byline(last, own_line=True) if len(body) > 1 or layout.lead else None
        if authors and not layout.authors:
            layout.authors = authors
            body.pop()
            continue
        break
    if body and not layout.authors:
        rest, authors = split_trailing_byline(body[-1])
        if authors:
            layout.authors = authors
            body[-1] = rest
            if not rest:
                body.pop()

    if body and not layout.lead:
        body[0] = _strip_lead_tag(body[0])
    layout.body = body
    return layout


def _first_sentence(text: str) -> str:
    """The first sentence of ``text``, cut at a word boundary when long (used as a missing title)."""
    text = collapse_spaces(text)
    for match in re.finditer(r"[.!?…]+[\"”»)]*(?=\s|$)", text):
        if _sentence_end_before(text, match.end()):
            text = text[: match.end()]
            break
    if len(text) > MAX_DERIVED_TITLE_CHARS:
        cut = text.rfind(" ", 0, MAX_DERIVED_TITLE_CHARS)
        text = text[: cut if cut > 0 else MAX_DERIVED_TITLE_CHARS]
    return text.rstrip(" ,;:.")


def _make_article(
    article_id: str, origin: str, *, title: str, lead: str, body: str, published: str | None = None,
    source: str | None = None, authors: Iterable[str] = (), url: str | None = None,
) -> Item:
    title = collapse_spaces(normalize_text(title))
    lead = normalize_text(lead).strip()
    body = normalize_text(body).strip()
    if not lead and not body and not title:
        # A headline alone is still an article (news briefs are published that way); nothing at all is not.
        return IngestProblem(origin, "no article text found (empty after removing site chrome)", article_id)
    if not title:
        title = _first_sentence(lead or body)
    return Article(
        id=article_id,
        title=title,
        text=body,
        sapo=lead,
        published=published,
        source=collapse_spaces(normalize_text(source)) or None if source else None,
        authors=tuple(dict.fromkeys(a for a in (collapse_spaces(normalize_text(x)) for x in authors) if a)),
        url=collapse_spaces(normalize_text(url)) or None if url else None,
        origin=origin,
    )


# --------------------------------------------------------------------------------------------------
# Bytes -> text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.IGNORECASE)


class _DecodeError(Exception):
    pass


def _decode(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Text and the encoding used: a BOM; UTF-8; (HTML) a declared charset; else what charset-normalizer
    detects, taken only when it reads as Vietnamese (Windows-1258, VISCII ...). Anything else is refused with
    the detector's guess rather than read as mojibake: Windows-1258 decodes almost any byte string, so a
    GBK or Latin-1 file used to become an article of garbage."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise _DecodeError(f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                                   f"(byte {error.start})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise _DecodeError("binary file (control characters), not text; remove it or convert it to UTF-8 text")
        return text, "utf-8"
    if b"\x00" in data[:8192]:
        raise _DecodeError("binary file (NUL bytes), not text; remove it or convert it to UTF-8 text")
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "replace").lower()
            try:
                codecs.lookup(name)
                text = data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
            else:
                if not _looks_binary(text):
                    return text, name
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise _DecodeError("not text in any known encoding (binary or garbage data); remove it or convert it "
                           "to UTF-8 text")
    for match in matches:
        # The detector names short Vietnamese texts French or Portuguese at times: what counts is that the
        # text reads as Vietnamese (most words marked, letters only Vietnamese has).
        if match.encoding == "cp1258" or match.language == "Vietnamese":
            text = str(match)
            if _reads_as_vietnamese(text) and not _looks_binary(text):
                return text, match.encoding
    best = matches[0]
    language = f", {best.language}" if best.language and best.language != "Unknown" else ""
    raise _DecodeError(f"not UTF-8, nor Vietnamese in a legacy encoding (it looks like {best.encoding}"
                       f"{language}); save it as UTF-8 to read it")


_WORD = re.compile(r"[^\W\d_]+")
# What only Vietnamese writes among the languages of the Windows-125x and Latin code pages: the breve (ă),
# the horn (ơ, ư), đ, the dot below and the hook above. Portuguese or Italian read as Windows-1258 show one
# or two of them (não -> năo, può -> pụ); Vietnamese text shows most of them, on many words.
_VIETNAMESE_FEATURES = {"\u0306": "breve", "\u031b": "horn", "đ": "d", "Đ": "d", "\u0323": "dot",
                        "\u0309": "hook"}


def _reads_as_vietnamese(text: str) -> bool:
    sample = unicodedata.normalize("NFD", text[:20000])
    words = [w for w in re.findall(r"\S+", sample) if _WORD.search(w)]
    if not words:
        return False
    features: set[str] = set()
    featured = 0
    for word in words:
        found = {_VIETNAMESE_FEATURES[ch] for ch in word if ch in _VIETNAMESE_FEATURES}
        features |= found
        featured += bool(found)
    strange = sum(1 for ch in sample if ord(ch) > 127 and not (ch.isalpha() or unicodedata.combining(ch)
                                                               or ch.isspace() or ch in "–—“”‘’…«»·•°"))
    return len(features) >= 3 and featured >= 0.15 * len(words) and strange * 50 < max(1, featured)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return bool(sample) and controls / len(sample) > 0.05


def _read_bytes(path: Path) -> bytes | IngestProblem:
    size = path.stat().st_size
    if size == 0:
        return IngestProblem(str(path), "empty file")
    if size > MAX_ARTICLE_BYTES:
        return IngestProblem(
            str(path), f"file is {size / 1e6:.1f} MB, too large for one article (limit "
            f"{MAX_ARTICLE_BYTES // (1024 * 1024)} MB); split it or use JSON Lines")
    with path.open("rb") as handle:
        return handle.read(MAX_ARTICLE_BYTES + 1)


# --------------------------------------------------------------------------------------------------
# .txt and .html


def _read_document(path: Path, suffix: str) -> Item:
    data = _read_bytes(path)
    if isinstance(data, IngestProblem):
        return data
    article_id = _stem(path, suffix)
    try:
        text, _ = _decode(data, html=suffix != ".txt")
    except _DecodeError as error:
        return IngestProblem(str(path), str(error), article_id)
    text = normalize_text(text)
    if not text.strip():
        return IngestProblem(str(path), "empty file (only white space)", article_id)
    if suffix == ".txt":
        layout = _read_layout(text.splitlines())
        return _make_article(
            article_id, str(path), title=layout.title, lead=layout.lead, body="\n".join(layout.body),
            published=layout.published, source=layout.source, authors=layout.authors,
        )
    return _article_from_html(text, article_id, str(path))


_SKIP_TAGS = frozenset({"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
                        "svg", "iframe", "button", "select", "textarea", "object", "canvas", "head"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
                         "th", "table", "section", "article", "main", "blockquote", "figcaption", "figure",
                         "pre", "dd", "dt", "dl", "hr", "address", "caption", "body", "center"})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
                        "track", "wbr", "param"})


class _PageReader(HTMLParser):
    """Collects the visible lines of a page (and of its <article>/<main>) and its metadata."""

    def __init__(self, skip_tags: frozenset = _SKIP_TAGS) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_tags = skip_tags
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.raw_depth = 0  # inside script/style: not even the title is taken from there
        self.article_depth = 0
        self.lines: list[str] = []
        self.article_lines: list[str] = []
        self.current: list[str] = []
        self.h1: list[str] | None = None
        self.h1_done = False
        self.in_title = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.time_datetime: str | None = None
        self.canonical: str | None = None

    def _flush(self) -> None:
        line = collapse_spaces("".join(self.current))
        self.current = []
        if line:
            self.lines.append(line)
            if self.article_depth:
                self.article_lines.append(line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            name = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if name and "content" in values and name not in self.meta:
                self.meta[name] = values["content"]
            return
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href")
            return
        if tag == "time" and self.time_datetime is None and values.get("datetime"):
            self.time_datetime = values["datetime"]
        if tag in ("script", "style"):
            self.raw_depth += 1
        if tag == "title" and not self.raw_depth:
            self.in_title = True
        if tag == "h1" and not self.h1_done and not self.raw_depth:
            self.h1 = []
        if tag in self.skip_tags and tag not in _VOID_TAGS:
            self.skip_stack.append(tag)
            self.skip_depth += 1
            return
        if tag in ("article", "main") and not self.skip_depth:
            self.article_depth += 1
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.raw_depth:
            self.raw_depth -= 1
        if tag == "title":
            self.in_title = False
        if tag == "h1" and self.h1 is not None and not self.h1_done:
            self.h1_done = bool(collapse_spaces("".join(self.h1)))
            if not self.h1_done:
                self.h1 = None
        if tag in self.skip_tags and tag in self.skip_stack:
            while self.skip_stack:
                self.skip_depth -= 1
                if self.skip_stack.pop() == tag:
                    break
            return
        if tag in _BLOCK_TAGS and not self.skip_depth:
            self._flush()
        if tag in ("article", "main") and self.article_depth and not self.skip_depth:
            self._flush()
            self.article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.raw_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
        if self.h1 is not None and not self.h1_done:
            self.h1.append(data)
        if not self.skip_depth:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _main_text_lines(page: str) -> list[str]:
    try:
        import trafilatura
    except ImportError:  # a broken install: the page reader's lines still give the text
        return []
    try:
        main = trafilatura.extract(page, include_comments=False, include_tables=False, deduplicate=False,
                                   with_metadata=False)
    except Exception:  # noqa: BLE001 - a page the library cannot parse is read by the page reader
        return []
    return [line for line in (collapse_spaces(x) for x in (main or "").splitlines()) if line]


def _article_from_html(text: str, article_id: str, origin: str) -> Item:
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    meta = reader.meta
    title = ""
    for candidate in (
        "".join(reader.h1 or []) if reader.h1_done else "",
        meta.get("og:title", ""),
        "".join(reader.title_parts),
    ):
        title = collapse_spaces(candidate)
        if title:
            break
    published = None
    for candidate in (meta.get("article:published_time"), meta.get("datepublished"), reader.time_datetime,
                      meta.get("pubdate"), meta.get("date")):
        published = parse_published(candidate)
        if published:
            break
    authors: tuple[str, ...] = ()
    author_meta = meta.get("author") or meta.get("article:author") or ""
    if author_meta and not author_meta.startswith(("http://", "https://")):
        authors = tuple(a for a in (collapse_spaces(p) for p in _SEPARATORS.split(author_meta)) if a)
    # The main text by trafilatura, which judges blocks by their text and links rather than by what wraps
    # them (a body inside an ASP.NET <form>, a lead in the <header> of an <article>); layout tables, common
    # on government sites, are read as blocks (include_tables=False keeps their cells' text out of one row).
    # On a small page it can give everything as one run-on line: then, as when it finds nothing, the page
    # reader's visible lines (of <article>/<main> when there is one) are read instead.
    page_lines = reader.article_lines or reader.lines
    if not page_lines or page_lines == [collapse_spaces(title)]:
        # Nothing outside forms: an ASP.NET page wraps the whole page in one <form>.
        unwrapped = _PageReader(_SKIP_TAGS - {"form"})
        unwrapped.feed(text)
        unwrapped.close()
        page_lines = unwrapped.article_lines or unwrapped.lines
    main_lines = _main_text_lines(text)
    lines = main_lines if len(main_lines) > 1 else page_lines
    if published is None and lines is not page_lines:  # a date line the main text left out
        published = _read_layout(page_lines, title=title).published
    layout = _read_layout(lines, title=title, published=published)
    url = meta.get("og:url") or reader.canonical
    return _make_article(
        article_id, origin, title=layout.title, lead=layout.lead, body="\n".join(layout.body),
        published=layout.published, source=layout.source or meta.get("og:site_name"),
        authors=authors or layout.authors, url=url,
    )


# --------------------------------------------------------------------------------------------------
# JSON records


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_field(value: object) -> str | None:
    """A text field as a string: numbers become text, a list of strings becomes lines; else None.

    JSON escapes can spell lone surrogates ("\\ud800"), which no UTF-8 output can carry: they become U+FFFD."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
        return _LONE_SURROGATE.sub("\ufffd", "\n".join(str(v) for v in value))
    return None


def _article_from_record(record: object, fallback_id: str, origin: str) -> Item:
    if not isinstance(record, dict):
        return IngestProblem(origin, f"expected a JSON object (an article record), found {type(record).__name__}")
    raw_id = record.get("id")
    article_id = ""
    if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
        article_id = collapse_spaces(normalize_text(_text_field(raw_id) or ""))
    article_id = article_id or fallback_id
    if "text" not in record or record.get("text") is None:
        return IngestProblem(origin, "record has no 'text' field; every record needs the article body in 'text'",
                             article_id)
    body = _text_field(record.get("text"))
    if body is None:
        return IngestProblem(origin, f"field 'text' must be a string, found {type(record['text']).__name__}",
                             article_id)
    title = _text_field(record.get("title")) or ""
    lead = _text_field(record.get("sapo")) or _text_field(record.get("lead")) or ""
    authors: list[str] = []
    author = record.get("author", record.get("authors"))
    if isinstance(author, str):
        authors = [a for a in _SEPARATORS.split(_text_field(author) or "") if a.strip()]
    elif isinstance(author, list):
        authors = [_text_field(a) or "" for a in author if isinstance(a, str) and a.strip()]
    body = normalize_text(body)
    if not authors:
        body, found = split_trailing_byline(body)
        authors = list(found)
    url = _text_field(record.get("url")) if isinstance(record.get("url"), str) else None
    source = _text_field(record.get("source")) if isinstance(record.get("source"), str) else None
    return _make_article(
        article_id, origin, title=title, lead=lead, body=body,
        published=parse_published(record.get("published")),
        source=source if isinstance(source, str) else None,
        authors=authors, url=url if isinstance(url, str) else None,
    )


def _read_json(path: Path) -> Iterator[Item]:
    size = path.stat().st_size
    if size == 0:
        yield IngestProblem(str(path), "empty file")
        return
    if size > MAX_JSON_FILE_BYTES:
        yield IngestProblem(str(path), f"file is {size / 1e6:.1f} MB; a .json file is read whole, so "
                            "write one record a line as .jsonl (streamed) instead")
        return
    data = path.read_bytes()
    try:
        text, _ = _decode(data)
    except _DecodeError as error:
        yield IngestProblem(str(path), str(error))
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield IngestProblem(f"{path}:{error.lineno}", f"invalid JSON: {error.msg} (line {error.lineno}, "
                            f"column {error.colno})")
        return
    stem = _stem(path, ".json")
    if isinstance(document, list):
        if not document:
            yield IngestProblem(str(path), "the JSON list is empty; no articles")
        for index, record in enumerate(document, start=1):
            yield _article_from_record(record, f"{stem}-{index}", f"{path}#{index}")
    else:
        yield _article_from_record(document, stem, str(path))


def _read_json_lines(path: Path, suffix: str) -> Iterator[Item]:
    stem = _stem(path, suffix)
    line_no = 0
    any_line = False
    try:
        with _open_lines(path, suffix) as lines:
            for line_no, raw in enumerate(lines, start=1):
                origin = f"{path}:{line_no}"
                if isinstance(raw, IngestProblem):
                    yield IngestProblem(origin, raw.reason)
                    continue
                if not raw.strip():
                    continue
                any_line = True
                try:
                    record = json.loads(raw.strip())
                except json.JSONDecodeError as error:
                    yield IngestProblem(origin, f"invalid JSON: {error.msg} (column {error.colno}); line skipped")
                    continue
                except RecursionError:
                    yield IngestProblem(origin, "invalid JSON: nested too deeply; line skipped")
                    continue
                yield _article_from_record(record, f"{stem}-{line_no}", origin)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        if not line_no:
            yield IngestProblem(str(path), f"not a readable gzip file ({error}); nothing was read")
        else:
            yield IngestProblem(f"{path}:{line_no + 1}", f"truncated or corrupt gzip file: stopped after line "
                                f"{line_no} ({error}); the lines before were read")
        return
    if not any_line:
        yield IngestProblem(str(path), "empty file (no records)")


class _open_lines:
    """Lines of a (possibly gzipped) JSON Lines file as text, one at a time, with bounded memory.

    A line longer than MAX_ARTICLE_BYTES is skipped and given back as an IngestProblem."""

    def __init__(self, path: Path, suffix: str) -> None:
        self.path = path
        self.gz = suffix.endswith(".gz")
        self.handle: io.BufferedIOBase | None = None

    def __enter__(self) -> Iterator[str | IngestProblem]:
        self.handle = gzip.open(self.path, "rb") if self.gz else self.path.open("rb")
        return self._lines()

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def _lines(self) -> Iterator[str | IngestProblem]:
        handle = self.handle
        assert handle is not None
        head = handle.peek(4)[:4] if hasattr(handle, "peek") else b""
        for bom, encoding in _BOMS:
            if head.startswith(bom) and encoding.startswith(("utf-16", "utf-32")):
                yield from self._wide_lines(encoding, len(bom))
                return
        first = True
        while True:
            raw = handle.readline(MAX_ARTICLE_BYTES + 1)
            if not raw:
                return
            if len(raw) > MAX_ARTICLE_BYTES and not raw.endswith(b"\n"):
                while True:  # drop the rest of the oversized line without holding it
                    rest = handle.readline(1024 * 1024)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield IngestProblem("", f"line longer than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB; "
                                    "too large for one article, skipped")
                first = False
                continue
            if first and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            first = False
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                if b"\x00" in raw:
                    yield IngestProblem("", "binary data (NUL bytes) on this line, not JSON text; line skipped")
                    continue
                try:
                    yield _decode(raw)[0]
                except _DecodeError as error:
                    yield IngestProblem("", f"line skipped: {error}")

    def _wide_lines(self, encoding: str, bom_length: int) -> Iterator[str]:
        handle = self.handle
        assert handle is not None
        handle.read(bom_length)
        reader = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline=None)
        while True:
            line = reader.readline(MAX_ARTICLE_BYTES)
            if not line:
                return
            yield line
