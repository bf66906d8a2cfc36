#!/usr/bin/env python3
"""Truncated and run-on names among the most frequent organisation names of a built store.

    python benchmarks/org_name_boundaries.py --store DIR [--top 600] [--out benchmarks/results]

Reads the article graphs of the store's manifest (read-only; the store is never opened for writing), counts
the mentions of every body by its name (schema:name of the body's IRI), takes the --top most mentioned and
looks at each name and at the sentences it was read from (the mention's offsets in its sentence):

- truncated: the name ends with a word that cannot end one ("và", "của", "-", ","); or the span stops in
  the middle of a word (a letter right after it); or in most of its mentions the same lower-case syllable
  follows and the two make a word (the syllable follows the name's last syllable in at least a tenth of all
  the store's sentences that have that last syllable: "Ngoại" + "thương", "Đổi" + "mới"); or in nine in ten
  of its mentions a lower-case word follows, with which other bodies' names go on ("Cục Quản lý" + "dược");
- run-on: the name goes past the body: a lower-case word after " - " or "," inside it ("... Đà Nẵng - diễn"),
  or it ends with a lower-case syllable that no body's name continues with (ontology/lexicon/org_words.tsv)
  and that seldom follows the syllable before it (so it is no second half of a word, as in "Ban Bí thư").

These are rules, not judgement: the list of flagged names is written out for review (results file), with the
sentence of the first mention. Writes results/org-names.json and results/org-names.md. Not part of the tests.
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

ANTT = "https://w3id.org/anttkg/ontology#"
ORG_PREFIX = "https://w3id.org/anttkg/id/organization/"
NAME = "https://schema.org/name"
VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
TARGET_SHARE = 0.01
_LINE = re.compile(r'^<([^>]+)> <([^>]+)> (?:<([^>]+)>|"((?:[^"\\]|\\.)*)"(?:@[\w-]+|\^\^<[^>]+>)?) <[^>]+> \.$')
_SYLLABLE = re.compile(r"[^\W_]+")
_END_WORDS = {"và", "của", "về", "cho", "với", "tại", "ở", "các", "những", "thuộc", "trực"}


def _unescape(text: str) -> str:
    return json.loads(f'"{text}"') if "\\" in text else text


def read_store(store: Path):
    """(mentions per body IRI: [(surface, sentence text, offset in sentence)], names, syllable pair counts)."""
    db = sqlite3.connect(f"file:{store / 'manifest.sqlite'}?mode=ro", uri=True)
    mentions: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    names: dict[str, str] = {}
    follows: Counter = Counter()
    firsts: Counter = Counter()
    try:
        for (blob,) in db.execute("SELECT nquads FROM article_nquads"):
            props: dict[str, dict[str, str]] = defaultdict(dict)
            for line in zlib.decompress(blob).decode("utf-8").splitlines():
                m = _LINE.match(line)
                if not m:
                    continue
                subject, predicate, node, value = m.groups()
                local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
                if predicate == NAME and subject.startswith(ORG_PREFIX) and value is not None:
                    names[subject] = _unescape(value)
                if local in ("refersTo", "inSentence", "beginIndex", "endIndex", "surfaceForm", "value"):
                    props[subject][local] = node if node is not None else _unescape(value)
            for sentence in (p["value"] for s, p in props.items() if "/sentence/" in s and "value" in p):
                words = _SYLLABLE.findall(sentence.casefold())
                firsts.update(words)
                follows.update(zip(words, words[1:]))
            for node, p in props.items():
                target = p.get("refersTo", "")
                if not target.startswith(ORG_PREFIX) or "inSentence" not in p:
                    continue
                sentence = props.get(p["inSentence"], {})
                if "value" not in sentence:
                    continue
                offset = int(p["endIndex"]) - int(sentence["beginIndex"])
                mentions[target].append((p.get("surfaceForm", ""), sentence["value"], offset))
    finally:
        db.close()
    return mentions, names, follows, firsts


def org_words() -> frozenset[str]:
    from anttkg.lexicon import load_table

    words = set()
    for row in load_table("org_words"):
        words.update(row["word"].replace(",", " ").casefold().split())
    return frozenset(words)


def judge(name: str, found: list[tuple[str, str, int]], follows: Counter, firsts: Counter,
          continuing: frozenset[str], starts: frozenset[str] = frozenset()) -> list[str]:
    """Reasons a name looks truncated or run-on (empty: it looks whole)."""
    reasons = []
    words = name.split()
    last = words[-1].casefold() if words else ""
    if last.strip("-–,&") == "" or last in _END_WORDS:
        reasons.append(f"truncated: ends with '{words[-1]}'")
    cut = sum(1 for _s, sentence, end in found if end < len(sentence) and sentence[end].isalnum())
    if cut * 2 > len(found):
        reasons.append(f"truncated: a letter right after the span in {cut} of {len(found)} mentions")
    after = Counter()
    for _surface, sentence, end in found:
        m = re.match(r" ([^\W\d_]+)", sentence[end:end + 20])
        if m and m.group(1).islower():
            after[m.group(1).casefold()] += 1
    syllables = _SYLLABLE.findall(name.casefold())
    if after and syllables:
        word, n = after.most_common(1)[0]
        share = follows[(syllables[-1], word)] / firsts[syllables[-1]] if firsts[syllables[-1]] else 0.0
        if n * 2 > len(found) and n >= 2 and share >= 0.1:
            reasons.append(f"truncated: '{word}' follows in {n} of {len(found)} mentions "
                           f"('{syllables[-1]} {word}' in {share:.0%} of sentences with '{syllables[-1]}')")
        elif sum(after.values()) >= 0.9 * len(found) and any(
                f"{name.casefold()} {w}" in starts for w in after if w not in _END_WORDS):
            longer = sorted(w for w in after if f"{name.casefold()} {w}" in starts and w not in _END_WORDS)
            reasons.append(f"truncated: a lower-case word follows in {sum(after.values())} of {len(found)} "
                           f"mentions, and other bodies' names go on with it ('{name} {longer[0]} ...')")
    if re.search(r"\s[-–,]\s*[a-zà-ỹđ]", name):
        reasons.append("run-on: a lower-case word after a dash or comma inside the name")
    if len(syllables) > 1 and words[-1].islower() and not last.isdigit():
        # a lower-case last syllable is the second half of a word ("Bí thư") unless the two seldom go together
        share = follows[(syllables[-2], syllables[-1])] / firsts[syllables[-2]] if firsts[syllables[-2]] else 0.0
        if share < 0.02 and last not in continuing:
            reasons.append(f"run-on: ends with lower-case '{words[-1]}', seldom after '{syllables[-2]}' "
                           f"({share:.1%} of sentences with it)")
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--top", type=int, default=600)
    parser.add_argument("--out", default=str(REPO / "benchmarks" / "results"))
    args = parser.parse_args()
    started = time.monotonic()
    mentions, names, follows, firsts = read_store(Path(args.store))
    by_name: dict[str, list] = defaultdict(list)
    for target, found in mentions.items():
        if target in names:
            by_name[names[target]].extend(found)
    ranked = sorted(by_name.items(), key=lambda item: (-len(item[1]), item[0]))[:args.top]
    continuing = org_words()
    # the beginnings (name and next word) of every body's name, to tell a name cut short of a longer one
    starts = set()
    for full in set(names.values()):
        words = full.casefold().split()
        starts.update(" ".join(words[:i]) for i in range(2, len(words) + 1))
    starts = frozenset(starts)
    rows = []
    for rank, (name, found) in enumerate(ranked, start=1):
        reasons = judge(name, found, follows, firsts, continuing, starts)
        example = found[0][1] if found else ""
        rows.append({"rank": rank, "name": name, "mentions": len(found), "reasons": reasons,
                     "example": example[:300]})
    flagged = [r for r in rows if r["reasons"]]
    share = len(flagged) / len(rows) if rows else 0.0
    result = {"store": str(args.store), "top": len(rows), "flagged": len(flagged), "share": round(share, 4),
              "target_share": TARGET_SHARE, "met": share <= TARGET_SHARE,
              "seconds": round(time.monotonic() - started, 1), "names": rows}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "org-names.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    lines = [f"Organisation names: the {len(rows)} most mentioned in `{args.store}`, flagged truncated or run-on "
             f"by the rules of `benchmarks/org_name_boundaries.py`.", "",
             "| measure | result | target |", "|---|---|---|",
             f"| names flagged | {len(flagged)} of {len(rows)} ({share:.1%}) | ≤ {TARGET_SHARE:.0%} |", "",
             "| rank | name | mentions | why |", "|---|---|---|---|"]
    for r in flagged:
        lines.append(f"| {r['rank']} | {r['name']} | {r['mentions']} | {'; '.join(r['reasons'])} |")
    (out / "org-names.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(flagged)} of {len(rows)} flagged ({share:.1%}); {out / 'org-names.md'}")


if __name__ == "__main__":
    main()
