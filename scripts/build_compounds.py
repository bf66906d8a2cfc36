"""Builds ontology/lexicon/compounds.tsv: two-syllable Vietnamese words, from the corpus's running text.

A body's name written with a capitalised first syllable and a lower-case second one ("Cục Đăng kiểm", "Chi
cục Hải quan") must not be cut after the first: the organisation reader completes such a syllable with the
next one when the two form a common word. Words are bigrams of lower-case Vietnamese syllables that occur
often and far more often together than apart (pointwise mutual information).

    python scripts/build_compounds.py ../shared/corpus/baomoi.jsonl.gz [--min-count 40] [--min-pmi 5]
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from anttkg.extract.matching import VIETNAMESE_SYLLABLE  # noqa: E402

_TOKEN = re.compile(r"[^\W\d_]+|[^\w\s]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--min-count", type=int, default=40)
    parser.add_argument("--min-pmi", type=float, default=5.0)
    parser.add_argument("-o", "--output", default=str(Path(__file__).resolve().parents[1]
                                                      / "ontology" / "lexicon" / "compounds.tsv"))
    args = parser.parse_args()
    unigrams, bigrams = Counter(), Counter()
    opener = gzip.open if args.corpus.endswith(".gz") else open
    with opener(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = unicodedata.normalize("NFC", " ".join(str(record.get(k) or "") for k in ("sapo", "text")))
            previous = None
            for token in _TOKEN.findall(text):
                # a syllable in lower case, or capitalised as a name's first half ("Hải quan"): the second
                # syllable of a pair is always in lower case
                lower = token.islower()
                folded = token.casefold()
                word = folded if (lower or token[1:].islower()) and VIETNAMESE_SYLLABLE.fullmatch(folded) else None
                if word:
                    unigrams[word] += 1
                    if previous and lower:
                        bigrams[(previous, word)] += 1
                previous = word
    total = sum(unigrams.values()) or 1
    rows = []
    for (a, b), n in bigrams.items():
        if n < args.min_count or a == b:
            continue
        pmi = math.log2(n * total / (unigrams[a] * unigrams[b]))
        if pmi >= args.min_pmi:
            rows.append((a, b, n, pmi))
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(args.output, "w", encoding="utf-8") as out:
        out.write("# Two-syllable Vietnamese words (scripts/build_compounds.py over the corpus: lower-case bigrams seen at\n"
                  f"# least {args.min_count} times, pointwise mutual information at least {args.min_pmi}). Used to complete a\n"
                  "# body's name whose capitalised syllable goes on in lower case (\"Cục Đăng kiểm\").\n")
        out.write("word\tcount\n")
        for a, b, n, _ in rows:
            out.write(f"{a} {b}\t{n}\n")
    print(f"{len(rows)} compounds -> {args.output}")


if __name__ == "__main__":
    main()
