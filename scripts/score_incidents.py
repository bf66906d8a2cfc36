"""Incident measures on a gold file with typed events (the annotation guide's event "type"): the share of
labelled incidents found (a system incident on the same day), and the share of found ones whose type is right.
Usage: python scripts/score_incidents.py --gold GOLD.json --input ARTICLES.jsonl"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from anttkg.build import build
from anttkg.query import run_query

FAMILIES = {"crime", "arrest", "prosecution", "trial", "fire", "traffic-accident", "disaster"}


def day(value: str) -> str:
    """Month and day of an ISO date or an xsd:gMonthDay (the kit compares year-less gold dates this way)."""
    return value[2:7] if value.startswith("--") else value[5:10]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", required=True)
    parser.add_argument("--input", required=True)
    args = parser.parse_args()
    gold = json.loads(Path(args.gold).read_text(encoding="utf-8"))["articles"]
    with tempfile.TemporaryDirectory() as folder:
        build([Path(args.input)], Path(folder) / "store", workers=1)
        result = run_query("incidents", store_path=Path(folder) / "store")
    rows = [dict(zip(result.columns, row)) for row in result.rows]
    labelled = found = right = 0
    for article_id, annotation in gold.items():
        system = [(day(r["date"]), r["type"]) for r in rows if r["article"] == article_id and r["date"]]
        for event in annotation.get("events", []):
            if event.get("type") not in FAMILIES:
                continue
            labelled += 1
            types = {t for d, t in system if d == day(event["date"])}
            if types:
                found += 1
                right += event["type"] in types
                if event["type"] not in types:
                    print(f"type  {article_id} {event['date']}: gold {event['type']}, found {sorted(types)}")
            else:
                print(f"miss  {article_id} {event['date']} {event['type']}")
    print(f"labelled incidents {labelled}, found {found} ({found / max(labelled, 1):.0%}), "
          f"type right {right} ({right / max(found, 1):.0%} of found)")


if __name__ == "__main__":
    main()
