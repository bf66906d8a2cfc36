"""Extraction of organizations mentions (rules to be written)."""
from __future__ import annotations

from ..models import Extraction
from .context import ArticleText


def find_organizations(doc: ArticleText) -> list:
    return []
