#!/usr/bin/env python3
"""Is the output unchanged? Builds a corpus slice and data/ and compares their sorted N-Quads with a reference.

    python benchmarks/output_check.py --save REF_DIR      # before a change: write the reference
    python benchmarks/output_check.py --compare REF_DIR   # after it: exit 1 when any byte differs

Each input (the first --limit corpus articles, default 1,500, and the data/ folder) is built into a fresh
store (validation on) and exported as N-Quads, every graph including who is who; the lines are sorted and
written as INPUT.nq, with the build's SHACL results in INPUT.violations.json. A performance change must
leave all of them byte-identical.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def slice_corpus(corpus: Path, limit: int, folder: Path) -> Path:
    target = folder / f"corpus-{limit}.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as source, gzip.open(target, "wt", encoding="utf-8") as out:
        for index, line in enumerate(source):
            if index >= limit:
                break
            out.write(line)
    return target


def build_outputs(name: str, inputs: list[Path], tmp: Path, workers: int) -> tuple[bytes, bytes]:
    """(sorted N-Quads, SHACL results as JSON) of a fresh build of ``inputs``."""
    from anttkg.build import build
    from anttkg.export import export
    from anttkg.store import GraphStore

    store_path = tmp / f"store-{name}"
    report = build(inputs, store_path, workers=workers, validate=True)
    out = tmp / f"{name}.nq"
    with GraphStore(store_path, read_only=True) as store:
        export(store, "nquads", out, include_ontology=True)
    lines = sorted(set(out.read_bytes().splitlines()) - {b""})
    violations = sorted(json.dumps({k: v for k, v in d.items() if k != "origin"}, ensure_ascii=False,
                                   sort_keys=True) for d in report.violations)
    return b"\n".join(lines) + b"\n", json.dumps(violations, ensure_ascii=False, indent=1).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/baomoi.jsonl.gz")
    parser.add_argument("--limit", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=2)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write the reference outputs here")
    mode.add_argument("--compare", type=Path, help="compare with the reference outputs here")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        runs = {f"slice-{args.limit}": [slice_corpus(args.corpus, args.limit, tmp)], "data": [ROOT / "data"]}
        for name, inputs in runs.items():
            start = time.perf_counter()
            nquads, violations = build_outputs(name, inputs, tmp, args.workers)
            seconds = time.perf_counter() - start
            digest = hashlib.sha256(nquads).hexdigest()[:16]
            lines = nquads.count(b"\n")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{name}.nq").write_bytes(nquads)
                (args.save / f"{name}.violations.json").write_bytes(violations)
                print(f"{name}: {lines} quads, sha256 {digest}, saved ({seconds:.1f} s)")
                continue
            ref_nq = (args.compare / f"{name}.nq").read_bytes()
            ref_v = (args.compare / f"{name}.violations.json").read_bytes()
            same = ref_nq == nquads and ref_v == violations
            failed |= not same
            print(f"{name}: {lines} quads, sha256 {digest}: {'identical' if same else 'DIFFERENT'} "
                  f"({seconds:.1f} s)")
            if not same:
                (args.compare / f"{name}.new.nq").write_bytes(nquads)
                (args.compare / f"{name}.new.violations.json").write_bytes(violations)
                old, new = set(ref_nq.splitlines()), set(nquads.splitlines())
                print(f"  {len(old - new)} quads only in the reference, {len(new - old)} only in the new "
                      f"build; written beside the reference as {name}.new.nq")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
