"""Extraction of programs mentions (rules to be written)."""
from __future__ import annotations

from ..models import Extraction
from .context import ArticleText


def find_programs(doc: ArticleText, found: Extraction) -> list:
    return []
