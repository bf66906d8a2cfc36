#!/usr/bin/env python3
"""The scale curve: build + store + validate on a slice of the shared corpus with 1 and 2 local workers and on
a local Dask cluster (a scheduler and 2 worker processes on 127.0.0.1), and on simulated corpora 3x and 10x
the slice with 2 workers, to show cost growing linearly with the input and memory staying flat.

    python benchmarks/scale_curve.py [--corpus ../shared/corpus/baomoi.jsonl.gz] [--slice 3000]
                                     [--factors 1,3,10] [--out benchmarks/results]

The simulated corpus repeats each article of the slice under new ids (``ID-r1``, ``ID-r2``, ...) with small
changes to its text (a numbered title and one more sentence), so no copy is a duplicate of another; it is
generated into a temporary folder and removed afterwards. A per-stage profile of the slice in one process
(reading and cleaning, extraction to N-Quads, canonical N-Quads, SHACL validation, bulk loading) says where the
time goes. Writes results/scale.json and results/scale.md (the table in the README). Not part of the tests;
with the defaults about 8 minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run_benchmark import PeakMemory  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "baomoi.jsonl.gz"


def write_corpus(corpus: Path, size: int, factor: int, target: Path) -> int:
    """The first ``size`` records of ``corpus``, each followed by ``factor - 1`` altered copies."""
    count = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as source, gzip.open(target, "wt", encoding="utf-8",
                                                                      compresslevel=1) as out:
        for index, line in enumerate(source):
            if index >= size:
                break
            record = json.loads(line)
            out.write(line if line.endswith("\n") else line + "\n")
            count += 1
            for copy in range(1, factor):
                altered = dict(record)
                altered["id"] = f"{record.get('id', index)}-r{copy}"
                altered["title"] = f"{record.get('title') or ''} ({copy + 1})".strip()
                altered["text"] = f"{record.get('text') or ''}\nBản tin số {copy + 1}."
                out.write(json.dumps(altered, ensure_ascii=False) + "\n")
                count += 1
    return count


def measured_build(inputs: Path, store: Path, *, workers: int | None = None, dask_address: str | None = None) -> dict:
    from anttkg.build import build

    shutil.rmtree(store, ignore_errors=True)
    with PeakMemory() as memory:
        started = time.perf_counter()
        if dask_address:
            from anttkg.distributed import build_on_cluster

            report = build_on_cluster([inputs], store, dask_address)
        else:
            report = build([inputs], store, workers=workers)
        seconds = time.perf_counter() - started
    shutil.rmtree(store, ignore_errors=True)
    return {"load_average_1min_after": round(os.getloadavg()[0], 2), "articles": report.articles_read, "built": report.built, "duplicates": len(report.duplicates),
            "skipped": len(report.skipped), "violations": len(report.violations),
            "quads": report.store_quads, "seconds": round(seconds, 2),
            "articles_per_second": round(report.articles_read / seconds, 1),
            "ms_per_article": round(1000 * seconds / max(1, report.articles_read), 2),
            "peak_rss_mb": round(memory.peak / 2**20, 1)}


def stage_profile(inputs: Path, store: Path) -> dict:
    """Seconds per stage over the slice, in this one process: where a build's time goes."""
    from anttkg.build import body_hash
    from anttkg.ingest import read_inputs
    from anttkg.pipeline import process_article
    from anttkg.shacl_sparql import validate_nquads_items
    from anttkg.store import GraphStore, canonical_nquads

    times = dict.fromkeys(["read_and_clean", "extract_to_nquads", "canonical_nquads", "shacl_validation",
                           "bulk_load"], 0.0)
    started = time.perf_counter()
    articles = [item for item in read_inputs([inputs]) if hasattr(item, "content_hash")]
    for article in articles:
        body_hash(article)
    times["read_and_clean"] = time.perf_counter() - started
    results = []
    started = time.perf_counter()
    for article in articles:
        results.append(process_article(article))
    times["extract_to_nquads"] = time.perf_counter() - started
    started = time.perf_counter()
    canonical = [(r.article_id, canonical_nquads(r.nquads, r.graph_iri)) for r in results]
    times["canonical_nquads"] = time.perf_counter() - started
    started = time.perf_counter()
    validate_nquads_items((article_id, nq.decode("utf-8")) for article_id, nq in canonical)
    times["shacl_validation"] = time.perf_counter() - started
    shutil.rmtree(store, ignore_errors=True)
    with GraphStore(store) as graph_store:
        started = time.perf_counter()
        graph_store.load_graphs(b"".join(nq for _id, nq in canonical))
        times["bulk_load"] = time.perf_counter() - started
    shutil.rmtree(store, ignore_errors=True)
    count = len(articles)
    return {"articles": count,
            "stages": {name: {"seconds": round(s, 2), "ms_per_article": round(1000 * s / count, 2)}
                       for name, s in times.items()}}


def markdown(results: dict) -> str:
    lines = [f"Slice of {results['slice']} corpus articles, {results['cores']} cores, Python "
             f"{results['python']}, {results['date']}.", "",
             "| run | articles | seconds | articles/s | ms/article | peak RSS MB | load average after |",
             "|---|---|---|---|---|---|---|"]
    for run in results["runs"]:
        lines.append(f"| {run['name']} | {run['articles']} | {run['seconds']} | {run['articles_per_second']} | "
                     f"{run['ms_per_article']} | {run['peak_rss_mb']} | {run.get('load_average_1min_after', '–')} |")
    profile = results.get("profile")
    if profile:
        lines += ["", f"Where the time goes (the slice in one process, {profile['articles']} articles):", "",
                  "| stage | seconds | ms/article |", "|---|---|---|"]
        for name, stage in profile["stages"].items():
            lines.append(f"| {name.replace('_', ' ')} | {stage['seconds']} | {stage['ms_per_article']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--slice", type=int, default=3000)
    parser.add_argument("--factors", default="1,3,10", help="sizes of the simulated corpora, in slices")
    parser.add_argument("--no-dask", action="store_true", help="skip the local Dask cluster run")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"the corpus is not at {args.corpus} (../shared is absent): nothing to measure", file=sys.stderr)
        return 0
    factors = [int(f) for f in args.factors.split(",") if f.strip()]
    results = {"slice": args.slice, "cores": os.cpu_count(), "python": platform.python_version(),
               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": []}
    with tempfile.TemporaryDirectory(prefix="anttkg-scale-") as tmp:
        folder = Path(tmp)
        store = folder / "store"
        base = folder / "x1.jsonl.gz"
        write_corpus(args.corpus, args.slice, 1, base)

        for workers in (1, 2):
            run = measured_build(base, store, workers=workers)
            results["runs"].append({"name": f"slice, {workers} local worker{'s' if workers > 1 else ''}", **run})
            print(json.dumps(results["runs"][-1]), flush=True)
        if not args.no_dask:
            from distributed import LocalCluster

            with PeakMemory() as memory:  # the cluster's processes are children of this one
                with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0") as cluster:
                    run = measured_build(base, store, dask_address=cluster.scheduler_address)
            run["peak_rss_mb"] = round(max(run["peak_rss_mb"], memory.peak / 2**20), 1)
            results["runs"].append({"name": "slice, Dask: scheduler + 2 workers on 127.0.0.1", **run})
            print(json.dumps(results["runs"][-1]), flush=True)
        for factor in factors:
            if factor == 1:
                continue
            inputs = folder / f"x{factor}.jsonl.gz"
            write_corpus(args.corpus, args.slice, factor, inputs)
            run = measured_build(inputs, store, workers=2)
            inputs.unlink()
            results["runs"].append({"name": f"simulated {factor}x corpus, 2 local workers", **run})
            print(json.dumps(results["runs"][-1]), flush=True)
        # Last: it keeps the slice in this process's memory, which would inflate the peaks measured above.
        results["profile"] = stage_profile(base, store)
        print(json.dumps(results["profile"]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    (args.out / "scale.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
