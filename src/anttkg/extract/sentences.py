"""Sentence splitting for Vietnamese news text."""
from __future__ import annotations

import re

from ..models import Sentence

# A sentence ends at . ! ? … (optionally followed by a closing quote or bracket) before
# whitespace and an upper-case letter, digit or opening quote; or at a line break.
# Dots inside numbers (5.813), dates (3.7) and abbreviations (T.Ư, TP.) are not ends:
# they are not followed by whitespace and an upper-case start, or are listed below.
# Upper-case Latin letters with any diacritics (À, Đ, Ầ, Ỹ ...), listed by their Unicode case: a range such
# as À-Ỹ would also hold the lower-case letters between them (đ, ầ, ỹ), and break before 'đi', 'ở'.
_UPPER = "".join(ch for ch in map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]) if ch.isupper())
_BOUNDARY = re.compile(r'(?<=[.!?…])(["”’)\]]*)\s+(?=["“‘(]?[A-Z0-9' + _UPPER + r'])|\n+')
_NO_BREAK_AFTER = re.compile(r"(?:\b(?:TP|Tp|T\.Ư|TS|ThS|PGS|GS|Th|St|Mr|Mrs|Dr|ông|bà|Q|P|H|X)\.)$")


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        # A closing quote or bracket after the stop belongs to the sentence it closes.
        candidate_end = boundary.start() + len(boundary.group(1) or "")
        if "\n" not in boundary.group(0) and _NO_BREAK_AFTER.search(text[start:candidate_end]):
            continue
        _append(sentences, text, start, candidate_end)
        start = boundary.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))
