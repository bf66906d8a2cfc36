"""Every extractor family's example corpus (tests/examples/*.tsv), run by one parameterised test.

A positive file pairs a sentence with everything the family must read from it, and nothing more; a negative
file pairs a sentence with names that must not be read (``*``: nothing at all). The sentences are written for
the rules, the way Duckling keeps a corpus beside each dimension; none is copied from a gold article.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from anttkg.extract import extract
from anttkg.models import Article
from anttkg.text import key

EXAMPLES = Path(__file__).parent / "examples"


def _rows(name: str) -> list[tuple[str, str, str]]:
    path = EXAMPLES / f"{name}.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    columns = list(rows[0]) if rows else []
    assert columns[:1] == ["text"] and len(columns) == 2, f"{path}: columns must be text and one more"
    return [(f"{name}.tsv:{n}", row["text"], row[columns[1]] or "") for n, row in enumerate(rows, start=2)]


def _extract(text: str):
    return extract(Article(id="example", title="", text=text))


def _people(text: str) -> dict[str, tuple[str | None, set[str]]]:
    out: dict[str, tuple[str | None, set[str]]] = {}
    for person in _extract(text).people:
        rank, positions = out.get(key(person.name), (None, set()))
        positions |= {key(f"{p.title} {p.organization or ''}") for p in person.positions}
        out[key(person.name)] = (rank or person.rank, positions)
    return out


def _expected_people(expect: str) -> dict[str, tuple[str | None, set[str]]]:
    out = {}
    for item in filter(None, (part.strip() for part in expect.split(" ; "))):
        who, _, positions = item.partition(" = ")
        rank = None
        if who.endswith("]"):
            who, rank = who[:-1].split(" [")
        out[key(who)] = (rank, {key(p) for p in positions.split(" + ") if p.strip()})
    return out


def _names(found, family: str) -> set[str]:
    return {key(m.name) for m in getattr(found, family)}


FAMILIES = {"people": "people", "organizations": "organizations", "places": "places"}


@pytest.mark.parametrize("where,text,expect", _rows("people"), ids=lambda v: v if ".tsv:" in str(v) else "")
def test_people_examples(where, text, expect):
    assert _people(text) == _expected_people(expect), f"{where}: {text}"


@pytest.mark.parametrize("family", ["organizations", "places"])
def test_named_entity_examples(family):
    failures = []
    for where, text, expect in _rows(family):
        wanted = {key(n) for n in expect.split(" ; ") if n.strip()}
        found = _names(_extract(text), family)
        if found != wanted:
            failures.append(f"{where}: {text}\n  missing {sorted(wanted - found)}\n  extra {sorted(found - wanted)}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("family", ["people", "organizations", "places"])
def test_negative_examples(family):
    failures = []
    for where, text, absent in _rows(f"{family}-negative"):
        found = _names(_extract(text), family)
        bad = found if absent.strip() == "*" else found & {key(n) for n in absent.split(" ; ")}
        if bad:
            failures.append(f"{where}: {text}\n  read {sorted(bad)}")
    assert not failures, "\n".join(failures)
