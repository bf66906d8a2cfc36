#!/usr/bin/env python3
"""The scale benchmark: the whole shared corpus through anttkg, measured in one run.

    python benchmarks/run_benchmark.py [--corpus ../shared/corpus/baomoi.jsonl.gz] [--limit N]
                                       [--repeats 10] [--out benchmarks/results]

Measures build throughput (articles/s, MB/s) and peak memory (RSS of the process tree, sampled), SHACL
validation time, an incremental re-run with nothing changed, each contract query's latency (median and
95th percentile) on the full store and on an rdflib in-memory graph of the same data, and N-Quads export
throughput. Writes results/latest.json and results/latest.md (the table the README shows), and says for
each target whether it is met and by how much it is missed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

CONTRACT_QUERIES = ["people", "organizations", "events", "documents", "programs", "awards", "places",
                    "articles", "figures"]
# The parameterised questions of an analyst, with values the corpus holds.
ANALYST_QUERIES = [("person-profile", {"name": "Tô Lâm"}), ("co-attendance", {"name": "Tô Lâm"}),
                   ("organization-members", {"org": "Bộ Công an"}),
                   ("events-in-range", {"from": "2017-06-01", "to": "2017-06-07"}),
                   ("documents-by-issuer", {"issuer": "Bộ Công an"}),
                   ("movement-timeline", {"name": "Toàn dân bảo vệ an ninh Tổ quốc"})]
TARGETS = {
    "build_validate_seconds": 120.0,
    "peak_rss_mb": 1536.0,
    "incremental_ratio": 0.10,
    "query_median_ms": 50.0,
    "query_speedup_vs_rdflib": 10.0,
    "export_triples_per_second": 1_000_000.0,  # N-Quads: quads per second
}


class PeakMemory:
    """Samples the resident memory of this process and all its children; keeps the maximum."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def slice_corpus(corpus: Path, limit: int, folder: Path) -> Path:
    target = folder / f"corpus-{limit}.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as source, gzip.open(target, "wt", encoding="utf-8") as out:
        for index, line in enumerate(source):
            if index >= limit:
                break
            out.write(line)
    return target


def query_latencies(store_path: Path, repeats: int) -> dict:
    """Median and p95 of each contract query on an open store (opening is not part of a query)."""
    from anttkg.query import run_query
    from anttkg.store import GraphStore

    out = {}
    with GraphStore(store_path, read_only=True) as store:
        for name in CONTRACT_QUERIES:
            run_query(name, store=store.oxigraph)  # warm caches once
            times = timed(lambda: run_query(name, store=store.oxigraph), repeats)
            out[name] = {"median_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 0.95), 2),
                         "rows": len(run_query(name, store=store.oxigraph).rows)}
    return out


def run(corpus: Path, repeats: int, workers: int | None, limit: int | None, rdflib_articles: int) -> dict:
    from anttkg.build import build
    from anttkg.export import export
    from anttkg.shacl_sparql import validate_nquads_items
    from anttkg.store import GraphStore

    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if limit:
            corpus = slice_corpus(corpus, limit, tmp_path)
        store_path = tmp_path / "store"
        size_mb = corpus.stat().st_size / 1e6
        with gzip.open(corpus, "rb") as handle:
            uncompressed_mb = sum(len(line) for line in handle) / 1e6

        with PeakMemory() as memory:
            start = time.perf_counter()
            report = build([corpus], store_path, workers=workers, validate=True)
            build_seconds = time.perf_counter() - start
        summary = report.to_dict()
        articles = summary["built"]
        results["build"] = {
            "input": corpus.name, "input_mb_gzip": round(size_mb, 1), "input_mb": round(uncompressed_mb, 1),
            "seconds_build_store_validate": round(build_seconds, 1),
            "articles": articles,
            "articles_per_second": round(articles / build_seconds, 1),
            "mb_per_second": round(uncompressed_mb / build_seconds, 2),
            "peak_rss_mb": round(memory.peak / 1e6, 1),
            "skipped": len(summary["skipped"]), "duplicates": len(summary["duplicates"]),
            "violations": len(summary["violations"]),
            "mentions": summary["families"], "store_quads": summary["store_quads"],
        }

        start = time.perf_counter()
        build([corpus], store_path, workers=workers, validate=True)
        rerun = time.perf_counter() - start
        results["incremental"] = {"seconds": round(rerun, 2),
                                  "ratio_to_first_build": round(rerun / build_seconds, 3)}

        with GraphStore(store_path, read_only=True) as store:
            start = time.perf_counter()
            items = ((aid, nq.decode("utf-8")) for aid, _g, nq in store.article_nquads())
            found = validate_nquads_items(items)
            results["validation"] = {"seconds_full_store_one_process": round(time.perf_counter() - start, 1),
                                     "violations": len(found),
                                     "note": "the build validates in its workers; this is `anttkg validate`"}

            export_path = tmp_path / "export.nq"
            start = time.perf_counter()
            exported = export(store, "nquads", export_path)
            export_seconds = time.perf_counter() - start
        results["export"] = {"format": "nquads", "quads": exported.statements, "seconds": round(export_seconds, 2),
                             "quads_per_second": round(exported.statements / export_seconds),
                             "mb": round(export_path.stat().st_size / 1e6, 1)}
        export_path.unlink()

        results["queries_store"] = query_latencies(store_path, repeats)
        results["analyst_queries_store"] = analyst_latencies(store_path, repeats)

        # rdflib in-memory against the store on the same data: a slice small enough for rdflib to hold.
        slice_file = slice_corpus(corpus, rdflib_articles, tmp_path)
        slice_store = tmp_path / "slice-store"
        build([slice_file], slice_store, workers=workers, validate=False)
        slice_nq = tmp_path / "slice.nq"
        with GraphStore(slice_store, read_only=True) as store:
            export(store, "nquads", slice_nq)
        results["queries_slice_store"] = query_latencies(slice_store, repeats)
        results["queries_rdflib"] = rdflib_queries(slice_nq, max(3, repeats // 4))
        results["queries_rdflib"]["slice_articles"] = rdflib_articles
    results["targets"] = check_targets(results)
    results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return results


def analyst_latencies(store_path: Path, repeats: int) -> dict:
    """Median and p95 of the parameterised analyst queries on the full store."""
    from anttkg.query import run_query
    from anttkg.store import GraphStore

    out = {}
    with GraphStore(store_path, read_only=True) as store:
        for name, params in ANALYST_QUERIES:
            run_query(name, store=store.oxigraph, params=params)
            times = timed(lambda: run_query(name, store=store.oxigraph, params=params), repeats)
            out[name] = {"params": params, "median_ms": round(statistics.median(times), 2),
                         "p95_ms": round(percentile(times, 0.95), 2),
                         "rows": len(run_query(name, store=store.oxigraph, params=params).rows)}
    return out


def rdflib_queries(nquads: Path, repeats: int) -> dict:
    """The same canned queries on an rdflib in-memory Dataset of the same data."""
    import rdflib

    from anttkg.query import list_queries

    start = time.perf_counter()
    dataset = rdflib.Dataset()
    dataset.parse(nquads, format="nquads")
    load_seconds = time.perf_counter() - start
    texts = {q.name: q.path.read_text(encoding="utf-8") for q in list_queries()}
    out = {"load_seconds": round(load_seconds, 1), "quads": len(dataset)}
    for name in CONTRACT_QUERIES:
        try:
            times = timed(lambda: list(dataset.query(texts[name])), repeats)
        except Exception as error:  # rdflib's SPARQL engine fails on some valid queries; say which
            out[name] = {"median_ms": None, "p95_ms": None, "error": f"{type(error).__name__}: {error}"}
            continue
        out[name] = {"median_ms": round(statistics.median(times), 2), "p95_ms": round(percentile(times, 0.95), 2)}
    return out


def check_targets(results: dict) -> dict:
    checks = {}

    def check(name, value, target, higher_is_better=False):
        if value is None:
            checks[name] = {"value": None, "target": target, "met": False, "note": "not measured"}
            return
        met = value >= target if higher_is_better else value <= target
        miss = None if met else (round(target / value, 2) if higher_is_better else round(value / target, 2))
        checks[name] = {"value": value, "target": target, "met": met,
                        **({"missed_by_factor": miss} if miss else {})}

    check("build_validate_seconds", results["build"]["seconds_build_store_validate"], TARGETS["build_validate_seconds"])
    check("peak_rss_mb", results["build"]["peak_rss_mb"], TARGETS["peak_rss_mb"])
    check("incremental_ratio", results["incremental"]["ratio_to_first_build"], TARGETS["incremental_ratio"])
    worst_median = max(q["median_ms"] for q in results["queries_store"].values())
    check("query_median_ms (worst contract query)", worst_median, TARGETS["query_median_ms"])
    speedups = [results["queries_rdflib"][name]["median_ms"]
                / max(results["queries_slice_store"][name]["median_ms"], 0.01) for name in CONTRACT_QUERIES
                if results["queries_rdflib"][name]["median_ms"] is not None]
    check("query_speedup_vs_rdflib (smallest)", round(min(speedups), 1), TARGETS["query_speedup_vs_rdflib"], True)
    check("export_quads_per_second", results["export"]["quads_per_second"],
          TARGETS["export_triples_per_second"], True)
    return checks


def markdown(results: dict) -> str:
    b, inc, ex, va = results["build"], results["incremental"], results["export"], results["validation"]
    rd = results["queries_rdflib"]
    lines = [
        f"{b['articles']} articles ({b['input_mb']} MB of JSON Lines, {b['input_mb_gzip']} MB gzip) on "
        f"{results['machine']['cpus']} cores, Python {results['machine']['python']}, {results['finished']}.",
        "",
        "| target | measured | goal | met |",
        "|---|---|---|---|",
    ]
    for name, check in results["targets"].items():
        met = "yes" if check["met"] else f"no (off by ×{check.get('missed_by_factor', '?')})"
        lines.append(f"| {name} | {check['value']} | {check['target']} | {met} |")
    lines += [
        "",
        f"Build + store + validate: {b['articles_per_second']} articles/s, {b['mb_per_second']} MB/s, peak RSS "
        f"{b['peak_rss_mb']} MB, {b['store_quads']} quads, {b['skipped']} inputs skipped, {b['duplicates']} "
        f"duplicates, {b['violations']} SHACL violations. Incremental re-run with nothing changed: "
        f"{inc['seconds']} s. Whole-store `anttkg validate`: {va['seconds_full_store_one_process']} s. "
        f"N-Quads export: {ex['quads']} quads in {ex['seconds']} s ({ex['quads_per_second']}/s).",
        "",
        f"Query latency in ms (median / p95) on the full store, and on a {rd['slice_articles']}-article slice in the "
        "store and in an rdflib in-memory Dataset (rdflib cannot hold the full corpus comfortably):",
        "",
        "| query | full store | slice: store | slice: rdflib | rdflib / store |",
        "|---|---|---|---|---|",
    ]
    for name in CONTRACT_QUERIES:
        f, s, r = results["queries_store"][name], results["queries_slice_store"][name], rd[name]
        ratio = (f"{r['median_ms'] / max(s['median_ms'], 0.01):.0f}×" if r["median_ms"] is not None
                 else "rdflib fails: " + r["error"][:60])
        lines.append(f"| {name} | {f['median_ms']} / {f['p95_ms']} | {s['median_ms']} / {s['p95_ms']} | "
                     f"{r['median_ms']} / {r['p95_ms']} | {ratio} |")
    lines += ["", "Parameterised analyst queries on the full store (ms, median / p95):", "",
              "| query | parameters | full store | rows |", "|---|---|---|---|"]
    for name, row in results.get("analyst_queries_store", {}).items():
        params = ", ".join(f"{k}={v}" for k, v in row["params"].items())
        lines.append(f"| {name} | {params} | {row['median_ms']} / {row['p95_ms']} | {row['rows']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=here.parent.parent / "shared" / "corpus" / "baomoi.jsonl.gz")
    parser.add_argument("--limit", type=int, help="only the first N articles (a quick run)")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--workers", type=int)
    # rdflib's engine needs minutes per query on a few thousand articles; a thousand keep the run near 15 min
    parser.add_argument("--rdflib-articles", type=int, default=1000,
                        help="articles in the slice compared with rdflib in memory")
    parser.add_argument("--out", type=Path, default=here / "results")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    results = run(args.corpus, args.repeats, args.workers, args.limit, args.rdflib_articles)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "latest" if not args.limit else f"limit-{args.limit}"
    (args.out / f"{stem}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / f"{stem}.md").write_text(markdown(results), encoding="utf-8")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
