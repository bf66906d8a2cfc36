"""Reads the lexicons and gazetteers (ontology/lexicon/*.tsv) that the extraction rules use.

Each file is UTF-8, tab separated, with a header row; lines starting with '#' are comments.
Multi-valued cells separate their values with '|'.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from .resources import lexicon_dir
from .text import normalize_text


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ontology/lexicon/NAME.tsv as dicts, text normalised like article text."""
    path = lexicon_dir() / f"{name}.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for row in reader:
        rows.append({key.strip(): normalize_text((value or "").strip()) for key, value in row.items() if key})
    return tuple(rows)


def values(cell: str | None) -> list[str]:
    """The '|'-separated values of a cell, empty ones dropped."""
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def alternatives(rows: tuple[dict[str, str], ...], kind: str, column: str = "word") -> str:
    """The words of one kind of a table as a regex alternation, in the table's order."""
    return "|".join(re.escape(row[column]) for row in rows if row["kind"] == kind)
