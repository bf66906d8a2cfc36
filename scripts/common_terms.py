#!/usr/bin/env python3
"""Writes ontology/lexicon/common_terms.tsv: the word pairs (with the number of articles they are in) (two adjacent syllables in one clause, as
``anttkg.identity.word_pairs`` reads them) found in at least --share of the articles of a corpus. The identity
pass leaves these out of a person's story terms: they are too common to tell one story from another.

    python scripts/common_terms.py ../shared/corpus/baomoi.jsonl.gz [--share 0.004]
"""
from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from anttkg.identity import word_pairs
from anttkg.text import normalize_text

OUT = Path(__file__).resolve().parents[1] / "ontology" / "lexicon" / "common_terms.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--share", type=float, default=0.004, help="least share of articles (default 0.4 %%)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    counts: Counter = Counter()
    articles = 0
    opener = gzip.open if args.corpus.endswith(".gz") else open
    with opener(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            data = json.loads(line)
            text = "\n\n".join(normalize_text(data.get(f) or "") for f in ("title", "sapo", "text"))
            counts.update(word_pairs(text))
            articles += 1
    least = max(2, round(args.share * articles))
    common = sorted(pair for pair, n in counts.items() if n >= least)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(f"# Word pairs in at least {args.share:.1%} of the {articles} articles of the corpus (at least {least}):"
                  " the more articles,\n# the less two stories sharing one tell that they are one (anttkg.identity). articles: how many "
                  "articles have it.\n# Written by scripts/common_terms.py; regenerate rather than edit.\npair\tarticles\n")
        out.write("".join(f"{pair}\t{counts[pair]}\n" for pair in common))
    print(f"{len(common)} pairs of {len(counts)} in >= {least} of {articles} articles -> {args.out}")


if __name__ == "__main__":
    main()
