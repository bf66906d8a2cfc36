"""Resolve stage: deterministic IRIs for what one article mentions.

Organisations, places, initiatives, numbered documents and concepts get shared IRIs from the identity key of
their canonical name (for a body, with its area and parent when the name does not carry them), so the same
body read in many articles is one node. A body named only by its kind ("Ủy ban nhân dân thành phố" with no
city) stays inside its article: it is never one node with a named body.

People are different: a name alone does not say who is meant (many officers are called Nguyễn Văn Dũng). Each
article's person gets an IRI under the article's IRI; the store-level pass in ``anttkg.identity`` then
decides, from the evidence of every article, which of them are one person and links each to that person's
shared IRI (docs/identity.md).

Things that only exist inside one article (sentences, mentions, memberships, events, awards, figures) get
IRIs under the article's IRI, numbered in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

from .models import DocumentMention, Extraction, OrgMention
from .text import key, slug
from .vocab import ID

# A number that carries its own issuing code (333/KH-BCĐ, 09-CT/TW, 24/2018/QH14) names one document.
_CODED_NUMBER = re.compile(r"\d.*[/-].*[^\W\d_]|[^\W\d_].*[/-].*\d")


def article_iri(article_id: str) -> str:
    return f"{ID}article/{quote(article_id, safe='-._~')}"


def entity_iri(kind: str, name: str) -> str:
    return f"{ID}{kind}/{slug(name)}"


def person_iri(name: str) -> str:
    """The stem of the IRIs of the people of this name; each person adds the key of their earliest mention
    (``anttkg.identity``)."""
    return entity_iri("person", name)


def local_person_iri(article: str, name: str) -> str:
    """The person of this name as one article presents them; ``article`` is the article IRI."""
    return f"{article}/person/{slug(name)}"


@lru_cache(maxsize=1)
def _city_word() -> re.Pattern:
    """"thành phố" / "TP" written before a centrally-run city (kind city in provinces.tsv): no province
    shares such a city's name, so "Sở Y tế Hà Nội" and "Sở Y tế TP Hà Nội" are one body."""
    from .lexicon import load_table, values

    names = []
    for row in load_table("provinces"):
        if row.get("kind") == "city":
            names += [row["name"]] + [a for a in values(row.get("aliases")) if not a.lower().startswith("tp")]
    alternation = "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))
    return re.compile(r"(?i)(?<!\w)(?:thành phố|tp\.?)\s*(?=(?:" + alternation + r")(?!\w))")


def organization_identity(name: str, parent: str | None = None, place: str | None = None) -> str:
    """The text a body's IRI is made from: its name, then its parent and area where the name lacks them
    ("Phòng PA92" of "Công an tỉnh Hưng Yên" is not the PA92 of another province)."""
    identity = _city_word().sub("", name)
    for context in (parent, place):
        context = _city_word().sub("", context) if context else context
        if context and key(context) and f" {key(context)} " not in f" {key(identity)} ":
            identity = f"{identity} {context}"
    return identity


def organization_iri(name: str, parent: str | None = None, place: str | None = None) -> str:
    return entity_iri("organization", organization_identity(name, parent, place))


@lru_cache(maxsize=1)
def _admin_words() -> frozenset[str]:
    """Identity keys of the administrative words (tỉnh, thành phố, huyện, xã ...) and their short forms."""
    from .lexicon import load_table

    words = set()
    for row in load_table("place_admin"):
        for cell in (row.get("word"), row.get("full")):
            if cell:
                words.add(key(cell))
    return frozenset(w for w in words if w)


def is_generic_body(name: str, place: str | None = None) -> bool:
    """A body named only by its kind and an administrative word, with no area: "Ủy ban nhân dân thành phố",
    "Công an huyện". Which city or district is meant depends on the article."""
    if place:
        return False
    name_key = key(name)
    return any(name_key.endswith(" " + word) for word in _admin_words())


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
    people: dict[str, str] = field(default_factory=dict)  # identity key of name -> article-local IRI
    organizations: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    @property
    def article_id(self) -> str:
        return self.extraction.article.id

    def local(self, kind: str, index: int) -> str:
        """IRI of an article-scoped node: sentence, mention, membership, event, award, figure."""
        return f"{self.iri}/{kind}/{index}"

    def person(self, name: str) -> str:
        return self.people.setdefault(key(name), local_person_iri(self.iri, name))

    def organization(self, name: str, parent: str | None = None, place: str | None = None) -> str:
        """The body's IRI; a name seen before in the article (a position's body) is the body read there."""
        found = self.organizations.get(key(name))
        if found is not None:
            return found
        if is_generic_body(name, place):
            node = f"{self.iri}/organization/{slug(name)}"
        else:
            node = organization_iri(name, parent, place)
        return self.organizations.setdefault(key(name), node)

    def place(self, name: str) -> str:
        return self.places.setdefault(key(name), place_iri(name))


def resolve_organization(resolved: ResolvedArticle, org: OrgMention) -> str:
    return resolved.organization(org.name, org.parent, org.place)


def resolve(extraction: Extraction) -> ResolvedArticle:
    """Give every mention of the article its entity IRI.

    Mentions whose names share an identity key (tone placement, case, abbreviations) are one entity;
    the first full written form seen becomes the IRI's source, so reading order decides, deterministically."""
    resolved = ResolvedArticle(extraction, article_iri(extraction.article.id))
    for person in extraction.people:
        resolved.person(person.name)
    for org in extraction.organizations:
        resolve_organization(resolved, org)
    for place in extraction.places:
        resolved.place(place.name)
    return resolved
