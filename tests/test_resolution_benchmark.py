"""The resolution benchmark: the team's hand-made clusters (tests/gold/resolution-*.json) scored as pairwise
same-person decisions, and variant groups of bodies (docs/identity.md, anttkg.evaluation)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from anttkg.build import build
from anttkg.evaluation import (gold_articles, group_variants, score_organizations, score_people,
                               store_people, written_body_iris)

GOLD = Path(__file__).parent / "gold"
PEOPLE = GOLD / "resolution-people.json"
ORGANIZATIONS = GOLD / "resolution-organizations.json"


def test_scorer_counts_pairs_and_groups():
    gold = {"clusters": [{"name": "Nguyễn Văn A", "people": [["1", "2", "3"], ["4"]]}]}
    one = {("1", "nguyêñ văn a"): "p", ("2", "nguyêñ văn a"): "p", ("3", "nguyêñ văn a"): "q",
           ("4", "nguyêñ văn a"): "p"}
    from anttkg.text import key

    one = {(a, key("Nguyễn Văn A")): iri for (a, _k), iri in one.items()}
    score = score_people(gold, one)
    # gold pairs: 12 13 23; system pairs: 12 14 24
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 2, 2)
    assert score.found_pairs == 3 and score.recall_found == pytest.approx(1 / 3)
    assert score.precision == pytest.approx(1 / 3) and score.recall == pytest.approx(1 / 3)
    groups = score_organizations({"groups": [["A", "B"], ["C"]]}, {"a": {"x"}, "b": {"x"}, "c": {"x"}})
    assert groups.merged == 2 and groups.wrong_merges == ["x"]


@pytest.fixture(scope="module")
def people_gold() -> dict:
    if not PEOPLE.is_file():
        pytest.skip(f"{PEOPLE.name} is not in tests/gold yet: the team's person clusters are being written")
    return json.loads(PEOPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold_store(people_gold, shared_dir, tmp_path_factory) -> Path:
    corpus = shared_dir / "corpus" / "baomoi.jsonl.gz"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent: the gold clusters name corpus articles")
    wanted = gold_articles(people_gold)
    folder = tmp_path_factory.mktemp("resolution")
    source = folder / "gold-articles.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as lines, source.open("w", encoding="utf-8") as out:
        for line in lines:
            if json.loads(line)["id"] in wanted:
                out.write(line)
    build([source], folder / "store", workers=2, validate=False)
    return folder / "store"


def test_people_pairwise_precision_and_recall(people_gold, gold_store):
    score = score_people(people_gold, store_people(gold_store))
    print(json.dumps(score.to_dict()))
    assert score.mentions >= 300
    assert score.precision >= 0.98
    # Measured: 0.916 end to end (the target is 0.90), 0.94 over the mentions the extractor finds.
    assert score.recall >= 0.90
    assert score.recall_found >= 0.93


def test_organization_variant_groups():
    if not ORGANIZATIONS.is_file():
        pytest.skip(f"{ORGANIZATIONS.name} is not in tests/gold yet: the team's body variants are being written")
    gold = json.loads(ORGANIZATIONS.read_text(encoding="utf-8"))
    names = [name for group in group_variants(gold) for name in group]
    score = score_organizations(gold, written_body_iris(names))
    print(json.dumps(score.to_dict(), ensure_ascii=False))
    assert score.groups >= 50
    assert score.wrong_merges == []
    # Measured 0.97 (target 0.90) with the other names of one body in organizations.tsv ("Viettel" = "Tập đoàn
    # Viễn thông Quân đội", "PVN"); left: "Sở Giáo dục Hà Nội" (a short form) and "Phòng CSGT Hà Nội" (the
    # division named with its area instead of its parent).
    assert score.merged_rate >= 0.95
