"""Extraction of people mentions (rules to be written)."""
from __future__ import annotations

from ..models import Extraction
from .context import ArticleText


def find_people(doc: ArticleText, found: Extraction) -> list:
    return []
