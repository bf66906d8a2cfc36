"""Extraction of figures mentions (rules to be written)."""
from __future__ import annotations

from ..models import Extraction
from .context import ArticleText


def find_figures(doc: ArticleText, found: Extraction) -> list:
    return []
