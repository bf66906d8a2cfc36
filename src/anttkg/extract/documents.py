"""Extraction of documents mentions (rules to be written)."""
from __future__ import annotations

from ..models import Extraction
from .context import ArticleText


def find_documents(doc: ArticleText, found: Extraction) -> list:
    return []
