#!/usr/bin/env python3
"""Fuzz the ingest -> extract -> resolve -> graph chain with mutated corpus articles.

    python scripts/fuzz_corpus.py [--corpus ../shared/corpus/baomoi.jsonl.gz] [--count 10000] [--seed 1]
                                  [--result benchmarks/results/fuzz.json]

Each article of the corpus (cycled) is mutated (hostile characters, truncation, NFD, odd dates and numbers,
very long tokens, broken fields), written as JSON Lines, read back through ingest and processed; every
article graph must parse as N-Quads. Any exception is a failure and is recorded with the mutation that
caused it. Exit status 1 when any exception occurred.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import sys
import tempfile
import time
import traceback
import unicodedata
from pathlib import Path

import pyoxigraph

from anttkg.ingest import read_inputs
from anttkg.models import Article
from anttkg.pipeline import process_article

HOSTILE = ['"', "\\", "<", ">", "\n", "\r", "\t", "\x00", "\x1b", "\u202e", "\u200b", "\ufeff", "\ud800",
           "\U0001f600", "{", "}", "^^", "@vi", "_:b0", "<http://x>", "'''", "\"\"\"", "%", "%zz", "#"]
ODD_FRAGMENTS = ["32/13/2022", "ngày 0/0", "29/2/2023", "99999999999999999999 tỷ", "1,5,5 triệu", "số /KH-",
                 "Kế hoạch số 333/", "Trung tướng ;", "các đồng chí: ;;;", "Ảnh:", "(", ")", "“", "”",
                 "Thứ trưởng Thứ trưởng", "giai đoạn 2030-2010", "năm 0", "Hội nghị Hội nghị", "tặng Bằng khen cho"]


def mutate(record: dict, rng: random.Random) -> tuple[dict, str]:
    record = dict(record)
    text = record.get("text") or ""
    kind = rng.choice(["insert", "truncate", "nfd", "fragments", "long_token", "fields", "case", "strip_marks",
                       "shuffle"])
    if kind == "insert":
        for _ in range(rng.randint(1, 30)):
            pos = rng.randint(0, len(text))
            text = text[:pos] + rng.choice(HOSTILE) + text[pos:]
    elif kind == "truncate":
        text = text[: rng.randint(0, len(text))]
    elif kind == "nfd":
        text = unicodedata.normalize("NFD", text)
    elif kind == "fragments":
        for _ in range(rng.randint(1, 10)):
            pos = rng.randint(0, len(text))
            text = text[:pos] + " " + rng.choice(ODD_FRAGMENTS) + " " + text[pos:]
    elif kind == "long_token":
        pos = rng.randint(0, len(text))
        text = text[:pos] + rng.choice("aĐ9.-/") * rng.randint(1000, 20000) + text[pos:]
    elif kind == "fields":
        field = rng.choice(["title", "sapo", "id", "text"])
        record[field] = rng.choice([None, 123, ["x"], {"a": 1}, "", " "])
    elif kind == "case":
        text = text.upper()
    elif kind == "strip_marks":
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    elif kind == "shuffle":
        parts = text.split(". ")
        rng.shuffle(parts)
        text = ". ".join(parts)
    if kind != "fields":
        record["text"] = text
    return record, kind


def read_corpus(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def run(corpus: Path, count: int, seed: int) -> dict:
    rng = random.Random(seed)
    failures, kinds, processed, problems = [], {}, 0, 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        fuzz_file = Path(tmp) / "fuzz.jsonl"
        mutations = []
        with fuzz_file.open("w", encoding="utf-8", errors="surrogatepass") as out:
            for index, record in enumerate(itertools.islice(itertools.cycle(read_corpus(corpus)), count)):
                record = dict(record, id=f"{record.get('id')}-{index}")
                mutated, kind = mutate(record, rng)
                kinds[kind] = kinds.get(kind, 0) + 1
                mutations.append(kind)
                out.write(json.dumps(mutated, ensure_ascii=True) + "\n")
        for item in read_inputs([fuzz_file]):
            if not isinstance(item, Article):
                problems += 1
                continue
            try:
                result = process_article(item)
                list(pyoxigraph.parse(result.nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
                processed += 1
            except Exception as error:  # the point of the fuzzer: record every failure, keep going
                failures.append({"article": item.id, "origin": item.origin, "error": repr(error),
                                 "traceback": traceback.format_exc(limit=5)})
    return {
        "corpus": str(corpus), "mutated_articles": count, "seed": seed, "mutations": kinds,
        "articles_processed": processed, "inputs_reported_as_problems": problems,
        "exceptions": len(failures), "failures": failures[:50],
        "seconds": round(time.perf_counter() - started, 1),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpus" / "baomoi.jsonl.gz")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--result", type=Path, default=here / "benchmarks" / "results" / "fuzz.json")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    result = run(args.corpus, args.count, args.seed)
    args.result.parent.mkdir(parents=True, exist_ok=True)
    args.result.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{result['articles_processed']} articles processed, {result['inputs_reported_as_problems']} "
          f"reported as input problems, {result['exceptions']} exceptions in {result['seconds']} s "
          f"-> {args.result}")
    return 1 if result["exceptions"] else 0


if __name__ == "__main__":
    sys.exit(main())
