"""Runs the whole shared corpus (or a sample) through extraction once: how many incidents of each family are
read, how long extraction takes with and without the incident stage, and a sample of incidents to read.
Not part of the test suite. Usage: python scripts/corpus_incidents.py [CORPUS] [--every N] [--sample K]"""
from __future__ import annotations

import argparse
import collections
import random
import time
from pathlib import Path

from anttkg.extract import extract, incidents
from anttkg.ingest import read_inputs
from anttkg.models import Article


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "corpus"
                                                          / "baomoi.jsonl.gz"))
    parser.add_argument("--every", type=int, default=1, help="read every N-th article")
    parser.add_argument("--sample", type=int, default=40, help="incidents to print for reading")
    args = parser.parse_args()
    articles = [a for i, a in enumerate(x for x in read_inputs([Path(args.corpus)]) if isinstance(x, Article))
                if i % args.every == 0]
    kinds: collections.Counter = collections.Counter()
    with_incident = 0
    seen = []
    began = time.process_time()
    for article in articles:
        found = extract(article).incidents
        with_incident += bool(found)
        for incident in found:
            kinds[incident.kind] += 1
            seen.append((article.id, article.title, incident))
    total = time.process_time() - began
    # The same articles without the incident stage: its share of extraction time.
    original = incidents.find_incidents
    incidents.find_incidents = lambda doc, found: []
    try:
        began = time.process_time()
        for article in articles:
            extract(article)
        without = time.process_time() - began
    finally:
        incidents.find_incidents = original
    print(f"{len(articles)} articles, {with_incident} with incidents, {sum(kinds.values())} incidents: "
          + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    print(f"extraction CPU {total:.1f} s with incidents, {without:.1f} s without: +{100 * (total / without - 1):.1f}%")
    for article_id, title, incident in random.Random(12).sample(seen, min(args.sample, len(seen))):
        print(f"- {article_id} | {title[:70]} | {incident.kind} {incident.date.iso() if incident.date else ''} | "
              f"{incident.name[:80]}")


if __name__ == "__main__":
    main()
