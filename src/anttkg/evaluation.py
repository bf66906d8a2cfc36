"""Scoring who-is-who against hand-made clusters (the resolution benchmark, tests/gold/resolution-*.json).

People gold: ``{"clusters": [{"name": "Nguyễn Văn Dũng", "people": [["article id", ...], ...]}]}``: each inner
list holds the articles of one real person of that name. The mentions scored are (article, name) for every
article listed; two mentions are the same person in the gold when they are in one inner list, and in the
store when the people query gives them one IRI. Pairwise precision and recall count those decisions over
all pairs of mentions of a name. A mention the store does not have (the extractor missed the person) is a
person of its own there.

Bodies gold: ``{"groups": [["Sở GD&ĐT TP.HCM", "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh", ...], ...]}``:
the written variants of one body. A group is merged when every variant the store knows leads to one IRI;
an IRI is a wrong merge when variants of two groups lead to it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path

from .text import key


@dataclass
class PairScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    mentions: int = 0
    missing: int = 0  # gold mentions the store does not have
    found_pairs: int = 0  # gold same-person pairs whose two mentions the store has

    @property
    def recall_found(self) -> float:
        """Recall over the pairs the extractor found both mentions of: the resolution's own share."""
        return self.true_positives / self.found_pairs if self.found_pairs else 1.0

    @property
    def precision(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        gold = self.true_positives + self.false_negatives
        return self.true_positives / gold if gold else 1.0

    def to_dict(self) -> dict:
        return {**asdict(self), "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "recall_found": round(self.recall_found, 4)}


@dataclass
class GroupScore:
    groups: int = 0
    groups_found: int = 0  # groups with at least one variant in the store
    merged: int = 0  # groups whose variants found lead to one IRI
    wrong_merges: list[str] = field(default_factory=list)  # IRIs reached from two groups
    unmerged: list[list[str]] = field(default_factory=list)

    @property
    def merged_rate(self) -> float:
        return self.merged / self.groups_found if self.groups_found else 1.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["merged_rate"] = round(self.merged_rate, 4)
        return data


def score_people(gold: dict, assignment: dict[tuple[str, str], str]) -> PairScore:
    """``assignment`` maps (article id, name key) to the store's person IRI."""
    score = PairScore()
    for entry in gold["clusters"]:
        name_key = key(entry["name"])
        mentions = []  # (gold person index, system IRI)
        for index, articles in enumerate(entry["people"]):
            for article_id in articles:
                system = assignment.get((str(article_id), name_key))
                if system is None:
                    score.missing += 1
                    system = f"missing:{article_id}"
                mentions.append((index, system))
        score.mentions += len(mentions)
        for (gold_a, sys_a), (gold_b, sys_b) in combinations(mentions, 2):
            same_gold, same_system = gold_a == gold_b, sys_a == sys_b
            if same_gold and same_system:
                score.true_positives += 1
            elif same_system:
                score.false_positives += 1
            elif same_gold:
                score.false_negatives += 1
            if same_gold and not (sys_a.startswith("missing:") or sys_b.startswith("missing:")):
                score.found_pairs += 1
    return score


def group_variants(gold: dict) -> list[list[str]]:
    """The variant names of each group: a list, or {"canonical": ..., "variants": [...]}."""
    return [list(g["variants"]) if isinstance(g, dict) else list(g) for g in gold["groups"]]


def score_organizations(gold: dict, labels: dict[str, set[str]]) -> GroupScore:
    """``labels`` maps the identity key of every written form of a body in the store to its IRIs."""
    score = GroupScore(groups=len(gold["groups"]))
    reached: dict[str, set[int]] = defaultdict(set)
    for index, variants in enumerate(group_variants(gold)):
        found = [labels.get(key(v), set()) for v in variants]
        found = [iris for iris in found if iris]
        if not found:
            continue
        score.groups_found += 1
        common = set.intersection(*found)
        for iris in found:
            for iri in iris:
                reached[iri].add(index)
        if common:
            score.merged += 1
        else:
            score.unmerged.append(list(variants))
    score.wrong_merges = sorted(iri for iri, groups in reached.items() if len(groups) > 1)
    return score


def store_people(store_path: str | Path) -> dict[tuple[str, str], str]:
    from .query import run_query

    result = run_query("people", store_path=Path(store_path))
    columns = result.columns
    person, name, article = (columns.index(c) for c in ("person", "name", "article"))
    return {(row[article], key(row[name])): row[person] for row in result.rows}


def store_organization_labels(store_path: str | Path) -> dict[str, set[str]]:
    from .store import GraphStore

    query = """SELECT DISTINCT ?org ?label WHERE { GRAPH ?g { ?org a antt:Organization ;
                 schema:name|skos:altLabel|antt:abbreviation ?label } }"""
    labels: dict[str, set[str]] = defaultdict(set)
    with GraphStore(store_path, read_only=True) as store:
        _columns, rows = store.select(query)
    for org, label in rows:
        labels[key(label)].add(org)
    return dict(labels)


def written_body_iris(names) -> dict[str, set[str]]:
    """The IRI each written name of a body gets from the extract and resolve stages, read in a neutral
    sentence ("Đại diện {name} cho biết."): the body found at the start of the name's span."""
    from .extract import extract
    from .models import Article
    from .resolve import resolve, resolve_organization

    labels: dict[str, set[str]] = {}
    for name in names:
        text = f"Đại diện {name} cho biết."
        resolved = resolve(extract(Article(id="evaluation", title="", text=text)))
        start = text.index(name)
        inside = [o for o in resolved.extraction.organizations
                  if o.span.start >= start and o.span.end <= start + len(name)]
        if inside:
            # the body the name begins with ("Phòng CSGT" of "Phòng CSGT Công an TP Hà Nội"), else the longest
            best = max(inside, key=lambda o: (o.span.start == start, o.span.end - o.span.start, -o.span.start))
            labels.setdefault(key(name), set()).add(resolve_organization(resolved, best))
    return labels


def evaluate(store_path: str | Path, people_gold: Path | None, organizations_gold: Path | None) -> dict:
    """Both scores for a built store, as a dict (what ``python -m anttkg.evaluation`` prints)."""
    out = {}
    if people_gold is not None:
        gold = json.loads(Path(people_gold).read_text(encoding="utf-8"))
        out["people"] = score_people(gold, store_people(store_path)).to_dict()
    if organizations_gold is not None:
        gold = json.loads(Path(organizations_gold).read_text(encoding="utf-8"))
        out["organizations"] = score_organizations(gold, store_organization_labels(store_path)).to_dict()
    return out


def gold_articles(people_gold: dict) -> set[str]:
    return {str(a) for entry in people_gold["clusters"] for articles in entry["people"] for a in articles}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Score a store's who-is-who against hand-made clusters.")
    parser.add_argument("--store", required=True)
    parser.add_argument("--people")
    parser.add_argument("--organizations")
    args = parser.parse_args()
    result = evaluate(args.store, Path(args.people) if args.people else None,
                      Path(args.organizations) if args.organizations else None)
    print(json.dumps(result, ensure_ascii=False, indent=2))
