"""Extraction of dates (rules to be written)."""
from __future__ import annotations

from ..models import DateMention
from .context import ArticleText


def find_dates(doc: ArticleText) -> list[DateMention]:
    return []


def reference_year(doc: ArticleText, dates: list[DateMention]) -> int | None:
    """The year that completes year-less dates: the publication year, else one the text states."""
    return doc.published.year if doc.published else None
