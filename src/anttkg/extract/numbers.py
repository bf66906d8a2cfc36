"""Extraction of numbers (rules to be written)."""
from __future__ import annotations

from ..models import NumberMention
from .context import ArticleText


def find_numbers(doc: ArticleText) -> list[NumberMention]:
    return []
