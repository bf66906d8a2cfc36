"""Sentence splitting for Vietnamese news text."""
from __future__ import annotations

import re

from ..models import Sentence

# A sentence ends at . ! ? … (optionally followed by a closing quote or bracket) before
# whitespace and an upper-case letter, digit or opening quote; or at a line break.
# Dots inside numbers (5.813), dates (3.7) and abbreviations (T.Ư, TP.) are not ends:
# they are not followed by whitespace and an upper-case start, or are listed below.
_BOUNDARY = re.compile(r'(?<=[.!?…])["”’)\]]*\s+(?=["“‘(]?[A-ZÀ-Ỹ0-9Đ])|\n+')
_NO_BREAK_AFTER = re.compile(r"(?:\b(?:TP|Tp|T\.Ư|TS|ThS|PGS|GS|Th|St|Mr|Mrs|Dr|ông|bà|Q|P|H|X)\.)$")


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        candidate_end = boundary.start()
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
