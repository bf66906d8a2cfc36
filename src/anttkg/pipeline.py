"""The per-article chain extract -> resolve -> graph, as one picklable function for worker processes."""
from __future__ import annotations

from dataclasses import dataclass

from .extract import extract
from .graph import article_quads
from .models import Article, Extraction
from .resolve import resolve

FAMILIES = ("organizations", "places", "people", "documents", "programs", "events", "incidents", "awards", "figures")


@dataclass(frozen=True)
class ArticleResult:
    article_id: str
    graph_iri: str
    content_hash: str
    nquads: str
    counts: dict[str, int]


def counts_of(extraction: Extraction) -> dict[str, int]:
    return {family: len(getattr(extraction, family)) for family in FAMILIES}


def process_article(article: Article) -> ArticleResult:
    extraction = extract(article)
    resolved = resolve(extraction)
    lines = article_quads(resolved)
    return ArticleResult(article.id, resolved.iri, article.content_hash, "".join(lines),
                         counts_of(extraction))
