#!/usr/bin/env python3
"""Latency of `anttkg serve`: pages and search answered by the real server on 127.0.0.1.

    python benchmarks/serve_latency.py [--store DIR] [--repeats 5] [--per-kind 10] [--out benchmarks/results]

Without --store it builds data/ (the five sample articles) into a temporary store; give the whole-corpus
store (`anttkg --store DIR build ../shared/corpus/baomoi.jsonl.gz`) for the numbers the targets are about.
Starts `anttkg serve`, then times, over HTTP: the HTML pages of people, bodies, places, documents,
programmes, events, incidents and articles (per kind the most-mentioned, which are the heaviest, and as
many taken at even steps through the rest), each on its first request and then again; the SPARQL query
page (empty, with a canned query loaded, with a result table) and the home page; search pages (with and
without a facet) and autocomplete as each name is typed letter by letter. Writes results/serve.json and
results/serve.md with median and 95th percentile per kind, and whether the targets (pages < 300 ms,
search < 100 ms, both at p95, first visits included) are met. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS_MS = {"page": 300.0, "search": 100.0}
ANTT = "https://w3id.org/anttkg/ontology#"
ID = "https://w3id.org/anttkg/id/"
SEARCHES = ["to lam", "bo cong an", "BCA", "hung yen", "doan thanh nien", "cong an tinh", "hoi nghi", "ke hoach",
            "nguyen van", "phong trao toan dan", "lua dao", "tai nan giao thong"]
FACETED = [("cong an", "organization"), ("nguyen", "person"), ("ha noi", "incident")]
SPARQL_TABLE = (f"SELECT ?person ?name WHERE {{ ?person a <{ANTT}Person> ; <https://schema.org/name> ?name }} "
                "LIMIT 50")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, accept: str = "text/html") -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=120) as reply:
        reply.read()
        if reply.status != 200:
            raise RuntimeError(f"{url}: {reply.status}")
    return (time.perf_counter() - start) * 1000


def sparql(base: str, query: str) -> list[dict]:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"}),
                                timeout=600) as reply:
        return json.loads(reply.read())["results"]["bindings"]


def sample_pages(base: str, per_kind: int) -> dict[str, list[str]]:
    """Paths per page kind: the most-mentioned entities (the heaviest pages) and as many others taken at
    even steps through the rest (typical pages). Counted inside each graph: a count over the union of the
    graphs would first pair every copy of a shared entity with every other."""
    counted = sparql(base, f"""SELECT ?e (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?m <{ANTT}refersTo> ?e }} }}
                              GROUP BY ?e ORDER BY DESC(?n) ?e""")
    ranked = [r["e"]["value"] for r in counted]
    people = sparql(base, f"""SELECT ?e ?n WHERE {{ GRAPH ?g {{ ?e a <{ANTT}Person> ; <{ANTT}mentionCount> ?n }} }}
                             ORDER BY DESC(?n) ?e""")
    classes = {"organization": ["Organization"], "place": ["Place"], "document": ["LegalDocument"],
               "initiative": ["Program", "Movement", "Project", "Campaign"],
               "event": ["Conference", "Ceremony", "Congress", "Meeting", "Visit", "Training", "Event"],
               "incident": ["Crime", "Arrest", "Prosecution", "Trial", "Fire", "TrafficAccident", "NaturalDisaster"],
               "article": ["Article"]}
    kind_of: dict[str, str] = {}
    for kind, names in classes.items():
        values = " ".join(f"<{ANTT}{n}>" for n in names)
        for r in sparql(base, f"SELECT DISTINCT ?e WHERE {{ VALUES ?t {{ {values} }} GRAPH ?g {{ ?e a ?t }} }}"):
            kind_of.setdefault(r["e"]["value"], kind)
    pages: dict[str, list[str]] = {"person": _pick([r["e"]["value"] for r in people], per_kind)}
    for kind in classes:
        by_mentions = [e for e in ranked if kind_of.get(e) == kind]
        named = set(by_mentions)
        rest = sorted(e for e, k in kind_of.items() if k == kind and e not in named)
        pages[kind] = _pick(by_mentions + rest, per_kind)
    return {k: ["/id/" + iri[len(ID):] for iri in v if iri.startswith(ID)] for k, v in pages.items() if v}


def _pick(ordered: list[str], per_kind: int) -> list[str]:
    """The first ``per_kind`` and ``per_kind`` more at even steps through the rest."""
    top, rest = ordered[:per_kind], ordered[per_kind:]
    step = max(1, len(rest) // max(1, per_kind))
    return top + rest[::step][:per_kind]


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "max_ms": round(ordered[-1], 2), "n": len(ordered)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--per-kind", type=int, default=10)
    parser.add_argument("--label", help="How the store is named in the results (default: its path).")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()

    temp = None
    store = args.store
    if store is None:
        temp = tempfile.TemporaryDirectory(prefix="anttkg-serve-bench-")
        store = Path(temp.name) / "store"
        subprocess.run([sys.executable, "-m", "anttkg", "--store", str(store), "build", str(REPO / "data")],
                       check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "anttkg", "--store", str(store), "serve", "--port", str(port),
                               "--query-timeout", "600", "--result-limit", "10000000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                get(base + "/")
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 900:
                    raise RuntimeError("anttkg serve did not start")
                time.sleep(0.5)
        startup = time.perf_counter() - started
        pages = sample_pages(base, args.per_kind)
        results: dict[str, dict] = {}
        for name, paths in pages.items():
            # A page's first request (nothing of it asked before), then the same pages again.
            results[f"page: {name} (first visit)"] = summary([get(base + path) for path in paths])
            times = [get(base + path) for _ in range(args.repeats) for path in paths]
            results[f"page: {name}"] = summary(times)
        canned = "/sparql?" + urllib.parse.urlencode({"canned": "person-profile", "param.name": "Tô Lâm"})
        table = "/sparql?" + urllib.parse.urlencode({"format": "html", "query": SPARQL_TABLE})
        for name, path in (("sparql page", "/sparql"), ("sparql page: canned query", canned),
                           ("sparql page: result table", table), ("home", "/")):
            results[f"page: {name}"] = summary([get(base + path) for _ in range(args.repeats)])
        searches = [f"/search?q={urllib.parse.quote(q)}" for q in SEARCHES]
        searches += [f"/search?q={urllib.parse.quote(q)}&type={t}" for q, t in FACETED]
        typed = [f"/api/suggest?q={urllib.parse.quote(q[:n])}" for q in SEARCHES for n in range(1, len(q) + 1)]
        for name, paths in (("search page", searches), ("autocomplete, as typed", typed)):
            times = [get(base + path, accept="*/*") for _ in range(max(1, args.repeats // 2)) for path in paths]
            results[f"search: {name}"] = summary(times)
    finally:
        server.terminate()
        server.wait(30)
        if temp is not None:
            temp.cleanup()

    worst_page = max(v["p95_ms"] for k, v in results.items() if k.startswith("page"))
    worst_search = max(v["p95_ms"] for k, v in results.items() if k.startswith("search"))
    report = {
        "store": args.label or str(args.store or "data/ (5 sample articles)"),
        "python": platform.python_version(), "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "startup_seconds": round(startup, 2), "results": results,
        "targets": {"page_p95_ms": {"measured": worst_page, "goal": TARGETS_MS["page"],
                                    "met": worst_page < TARGETS_MS["page"]},
                    "search_p95_ms": {"measured": worst_search, "goal": TARGETS_MS["search"],
                                      "met": worst_search < TARGETS_MS["search"]}},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "serve.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    lines = [f"`anttkg serve` on {report['store']}, Python {report['python']}, {report['when']}; "
             f"start-up (catalogue, link table, search index) {report['startup_seconds']} s.", "",
             "| request | median ms | p95 ms | max ms | n |", "|---|---|---|---|---|"]
    lines += [f"| {k} | {v['median_ms']} | {v['p95_ms']} | {v['max_ms']} | {v['n']} |" for k, v in results.items()]
    lines += ["", "| target | measured (worst p95) | goal | met |", "|---|---|---|---|"]
    lines += [f"| {k} | {v['measured']} | {v['goal']} | {'yes' if v['met'] else 'no'} |"
              for k, v in report["targets"].items()]
    (args.out / "serve.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
