"""Resolve stage: one deterministic IRI per real entity.

Shared entities (people, organisations, places, initiatives, numbered documents, concepts) get IRIs from
the identity key of their canonical name, so the same person or body read in many articles is one node.
Things that only exist inside one article (sentences, mentions, memberships, events, awards, figures) get
IRIs under the article's IRI, numbered in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from .models import DocumentMention, Extraction
from .text import key, slug
from .vocab import ID

# A number that carries its own issuing code (333/KH-BCĐ, 09-CT/TW, 24/2018/QH14) names one document.
_CODED_NUMBER = re.compile(r"\d.*[/-].*[^\W\d_]|[^\W\d_].*[/-].*\d")


def article_iri(article_id: str) -> str:
    return f"{ID}article/{quote(article_id, safe='-._~')}"


def entity_iri(kind: str, name: str) -> str:
    return f"{ID}{kind}/{slug(name)}"


def person_iri(name: str) -> str:
    return entity_iri("person", name)


def organization_iri(name: str) -> str:
    return entity_iri("organization", name)


def place_iri(name: str) -> str:
    return entity_iri("place", name)


def initiative_iri(name: str) -> str:
    return entity_iri("initiative", name)


def rank_iri(rank: str) -> str:
    return entity_iri("rank", rank)


def title_iri(title: str) -> str:
    return entity_iri("title", title)


def document_type_iri(doc_type: str) -> str:
    return entity_iri("document-type", doc_type)


def document_iri(document: DocumentMention, article_id: str) -> str:
    """Coded numbers identify a document alone; a bare number needs its issuer, else stays in its article."""
    if _CODED_NUMBER.search(document.number):
        return entity_iri("document", f"{document.doc_type} {document.number}")
    if document.issuer:
        return entity_iri("document", f"{document.doc_type} {document.number} {document.issuer}")
    return f"{article_iri(article_id)}/document/{slug(document.doc_type + ' ' + document.number)}"


@dataclass
class ResolvedArticle:
    """An extraction plus the IRIs of everything it mentions."""

    extraction: Extraction
    iri: str
    people: dict[str, str] = field(default_factory=dict)  # identity key of name -> IRI
    organizations: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    @property
    def article_id(self) -> str:
        return self.extraction.article.id

    def local(self, kind: str, index: int) -> str:
        """IRI of an article-scoped node: sentence, mention, membership, event, award, figure."""
        return f"{self.iri}/{kind}/{index}"

    def person(self, name: str) -> str:
        return self.people.setdefault(key(name), person_iri(name))

    def organization(self, name: str) -> str:
        return self.organizations.setdefault(key(name), organization_iri(name))

    def place(self, name: str) -> str:
        return self.places.setdefault(key(name), place_iri(name))


def resolve(extraction: Extraction) -> ResolvedArticle:
    """Give every mention of the article its entity IRI.

    Mentions whose names share an identity key (tone placement, case, abbreviations) are one entity;
    the first full written form seen becomes the IRI's source, so reading order decides, deterministically."""
    resolved = ResolvedArticle(extraction, article_iri(extraction.article.id))
    for person in extraction.people:
        resolved.person(person.name)
    for org in extraction.organizations:
        resolved.organization(org.name)
    for place in extraction.places:
        resolved.place(place.name)
    return resolved
