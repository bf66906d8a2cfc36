"""Every distinct syllable of the shared corpus through ``normalize_text``: nothing but NFC and the tone
placement of the modern rule may change (the letters, their order and every mark stay; a tone mark may only
move from the second vowel of an open oa / oe / uy syllable onto the first)."""
from __future__ import annotations

import gzip
import json
import re
import unicodedata

import pytest

from anttkg.text import normalize_text

TONES = "\u0300\u0301\u0303\u0309\u0323"
WORD = re.compile(r"[^\W\d_]+")


def letters(word: str) -> list[tuple[str, str]]:
    """(base letter with its other marks, its tone mark or '') per letter of an NFC word."""
    out: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch) and out:
            out[-1][1 if ch in TONES else 0] += ch
        else:
            out.append([ch, ""])
    return [(unicodedata.normalize("NFC", base), tone) for base, tone in out]


def unfaithful(word: str, normalise=normalize_text) -> str | None:
    """Why normalising this word changed more than it may, or None."""
    before, after = letters(unicodedata.normalize("NFC", word)), letters(normalise(word))
    if [b for b, _ in before] != [b for b, _ in after]:
        return "letters or marks other than the tone changed"
    for i, ((base, tone), (_b, new_tone)) in enumerate(zip(before, after)):
        if tone == new_tone:
            continue
        if tone and not new_tone:  # the tone left this letter: it must be the modern-rule move
            pair = (before[i - 1][0] + base).casefold() if i else ""
            open_syllable = i + 1 == len(before)
            after_q = i >= 2 and before[i - 2][0].casefold() == "q"
            moved_to_first = i and after[i - 1][1] == tone and not before[i - 1][1]
            if pair in ("oa", "oe", "uy") and open_syllable and not after_q and moved_to_first:
                continue
            return f"tone moved off {base!r} against the rule"
        if not tone and new_tone and i + 1 < len(before) and before[i + 1][1] == new_tone:
            continue  # the receiving end of the move checked above
        return f"tone changed on {base!r}"
    return None


def test_known_words_keep_their_marks():
    for word in ["hoặc", "ngoặc", "khuya", "HOẶC", "xoáy", "khuyết", "quỷ", "thuở", "ngoằn", "toẹt"]:
        assert normalize_text(word) == word, word
        assert unfaithful(word) is None
    assert normalize_text("hoá") == "hóa" and unfaithful("hoá") is None


def test_the_checker_catches_what_may_not_change():
    # What the normaliser once did to 'hoặc', a move with a final consonant, a lost or changed mark.
    wrong = {"hoặc": "họăc", "hoàng": "hòang", "quý": "qúy", "hoa": "hoà", "Uỷ": "Uy", "hôm": "hom",
             "đi": "di", "ngày": "ngáy"}
    for word, changed in wrong.items():
        assert unfaithful(word, lambda _w, changed=changed: changed) is not None, word
    assert unfaithful("hoá", lambda _w: "hóa") is None


@pytest.mark.slow
def test_every_corpus_syllable_is_read_faithfully(shared_dir):
    corpus = shared_dir / "corpus" / "baomoi.jsonl.gz"
    if not corpus.is_file():
        pytest.skip(f"the shared corpus is not at {corpus}")
    words: set[str] = set()
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            for field in ("title", "sapo", "text"):
                value = record.get(field)
                if isinstance(value, str):
                    words.update(WORD.findall(value))
    assert len(words) > 10_000
    problems = {}
    for word in words:
        why = unfaithful(word)
        if why:
            problems[word] = (normalize_text(word), why)
    assert not problems, dict(sorted(problems.items())[:30])
