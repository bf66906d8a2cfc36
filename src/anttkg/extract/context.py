"""The article text as the extraction rules see it."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..models import Article, DateValue, Sentence, Span
from ..text import match_form


@dataclass
class ArticleText:
    """Normalised full text, its same-length matching form, and its sentences."""

    article: Article
    text: str
    match: str
    sentences: list[Sentence]
    published: DateValue | None = None
    _starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, article: Article, sentences: list[Sentence]) -> "ArticleText":
        text = article.full_text
        published = None
        if article.published:
            parts = [int(p) for p in article.published.split("-") if p.isdigit()]
            parts += [None] * (3 - len(parts))
            published = DateValue(*parts[:3])
        return cls(article, text, match_form(text), sentences, published,
                   [s.start for s in sentences])

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence holding this character offset."""
        if not self._starts:
            return 0
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.sentence_index(start))

    def sentence_of(self, offset: int) -> Sentence:
        return self.sentences[self.sentence_index(offset)]
