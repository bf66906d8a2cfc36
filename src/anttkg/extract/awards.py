"""Extraction of awards mentions (rules to be written)."""
from __future__ import annotations

from ..models import Extraction
from .context import ArticleText


def find_awards(doc: ArticleText, found: Extraction) -> list:
    return []
