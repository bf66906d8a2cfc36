"""Extraction quality as regression tests, scored by the shared evaluation kit (../shared/eval/score.py).

- the five seed articles against ../shared/eval/gold/seeds.json (issue targets: micro F1 >= 0.97 and
  people F1 = 1.0);
- four corpus articles that are not seeds against tests/gold/corpus-dev.json, our own annotations, as a
  check that the rules generalise;
- twelve more against tests/gold/corpus-team.json, annotated by team members who had not read the rules;
- the first-sight batches of ../shared/eval/pool.txt (tests/gold/pool-batch-NN.json, 01-20) and, once that
  was used up, of tests/gold/pool-2.txt (21 on), each at its floor.
"""
from __future__ import annotations

import csv
import gzip
import io
import importlib.util
import json
import sys
from pathlib import Path

import pytest

GOLD_DEV = Path(__file__).parent / "gold" / "corpus-dev.json"
GOLD_TEAM = Path(__file__).parent / "gold" / "corpus-team.json"
SEED_MICRO_F1 = 0.97
# The kit's date_key cannot match a month-day system date (--02-07) with a month-day gold date, so every
# year-less event of this set counts as one miss and one false hit there; the event test below checks them.
DEV_MICRO_F1 = 0.92
# Measured 0.95 (0.69 to 0.88 per annotator before the rules were widened for it); crime incidents and a few
# debatable items are gold there on purpose, and month-day events count as misses (see above).
TEAM_MICRO_F1 = 0.93


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("anttkg_eval_score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def anttkg_command() -> list[str]:
    return [sys.executable, "-m", "anttkg"]


def evaluate(shared: Path, gold_path: Path, inputs: list[str], tmp_path: Path) -> tuple[dict, dict]:
    """The kit's report, and the CSV output of the canned queries it scored."""
    scorer = load_scorer(shared)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    results = scorer.run_cli(anttkg_command(), tmp_path / "store", inputs, timeout=600)
    return scorer.score(gold, results), results


def failures(report: dict) -> str:
    lines = []
    for name, row in report.items():
        lines += [f"missed {m}" for m in row.get("misses", [])]
        lines += [f"spurious {m}" for m in row.get("false_hits", [])]
    return "\n".join(lines)


def test_seed_articles_meet_the_extraction_targets(shared_dir, tmp_path):
    report, _ = evaluate(shared_dir, shared_dir / "eval" / "gold" / "seeds.json", [str(shared_dir / "seeds")],
                         tmp_path)
    assert report["people"]["f1"] == 1.0, failures(report)
    assert report["micro"]["f1"] >= SEED_MICRO_F1, failures(report)
    assert report["figures"]["recall"] >= 0.95, failures(report)  # recall only: the kit leaves it out of micro


def corpus_subset(shared: Path, gold: dict, path: Path) -> Path:
    """The corpus records a gold file annotates, as a JSON Lines file."""
    wanted = set(gold["articles"])
    with gzip.open(shared / "corpus" / "baomoi.jsonl.gz", "rt", encoding="utf-8") as corpus, \
            path.open("w", encoding="utf-8") as out:
        for line in corpus:
            if json.loads(line)["id"] in wanted:
                out.write(line)
    return path


def test_team_annotated_corpus_articles_are_extracted_well(shared_dir, tmp_path):
    gold = json.loads(GOLD_TEAM.read_text(encoding="utf-8"))
    subset = corpus_subset(shared_dir, gold, tmp_path / "team.jsonl")
    report, _ = evaluate(shared_dir, GOLD_TEAM, [str(subset)], tmp_path)
    assert report["micro"]["f1"] >= TEAM_MICRO_F1, failures(report)


def test_unseen_corpus_articles_are_extracted_well(shared_dir, tmp_path):
    gold = json.loads(GOLD_DEV.read_text(encoding="utf-8"))
    subset = corpus_subset(shared_dir, gold, tmp_path / "dev.jsonl")
    report, results = evaluate(shared_dir, GOLD_DEV, [str(subset)], tmp_path)
    assert report["micro"]["f1"] >= DEV_MICRO_F1, failures(report)
    # Event dates, compared as the gold states them: month and day only where no year is given.
    rows = list(csv.DictReader(io.StringIO(results["events"])))
    for article_id, annotations in gold["articles"].items():
        found = {row["date"] for row in rows if row["article"] == article_id and row["date"]}
        assert found == {event["date"] for event in annotations["events"]}, article_id


# First-sight batches of ../shared/eval/pool.txt (README, learning curve): each was scored once before any rule
# changed for it; these floors are the scores after the fixes (for 09 and 10, not yet used for fixes: the
# first-sight scores), less 0.02, so a change that loses ground on any batch fails here.
POOL_FLOORS = {"01": 0.86, "02": 0.83, "03": 0.82, "04": 0.87, "05": 0.85, "06": 0.86, "07": 0.80, "08": 0.80,
               "09": 0.80, "10": 0.87, "11": 0.91, "12": 0.90, "13": 0.89, "14": 0.83, "15": 0.88, "16": 0.89,
               "17": 0.83, "18": 0.87, "19": 0.86, "20": 0.86, "21": 0.84, "22": 0.90,
               "23": 0.86, "24": 0.90, "25": 0.84, "26": 0.84}


@pytest.mark.parametrize("batch", sorted(POOL_FLOORS))
def test_first_sight_batches_keep_their_scores(shared_dir, tmp_path, batch):
    path = Path(__file__).parent / "gold" / f"pool-batch-{batch}.json"
    gold = json.loads(path.read_text(encoding="utf-8"))
    subset = corpus_subset(shared_dir, gold, tmp_path / f"pool-{batch}.jsonl")
    report, _ = evaluate(shared_dir, path, [str(subset)], tmp_path)
    assert report["micro"]["f1"] >= POOL_FLOORS[batch], failures(report)
