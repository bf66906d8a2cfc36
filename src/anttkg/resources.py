"""Where the ontology, lexicons and canned queries live: in the wheel, or in the source tree."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGED = Path(__file__).parent / "_resources"
_SOURCE_TREE = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=None)
def resource_dir(name: str) -> Path:
    """The folder ``ontology`` or ``queries``; an installed wheel carries copies of both."""
    for base in (_PACKAGED, _SOURCE_TREE):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"anttkg resource folder {name!r} not found beside the package")


def ontology_dir() -> Path:
    return resource_dir("ontology")


def lexicon_dir() -> Path:
    return ontology_dir() / "lexicon"


def queries_dir() -> Path:
    return resource_dir("queries")
