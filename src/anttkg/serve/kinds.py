"""The kinds of page the application shows, and the small helpers every part of it shares: paths of IRIs,
compact names, and SELECT queries as plain rows."""
from __future__ import annotations

from ..vocab import ANTT, ID, PREFIXES

PREFIX_BLOCK = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())

# class IRI -> (kind, display name); the kind picks the page layout.
KINDS: dict[str, tuple[str, str]] = {
    ANTT + "Person": ("person", "Person"),
    ANTT + "PartlyNamedPerson": ("person", "Person named by initials"),
    ANTT + "Organization": ("organization", "Organisation"),
    ANTT + "Place": ("place", "Place"),
    ANTT + "LegalDocument": ("document", "Document"),
    ANTT + "Program": ("initiative", "Programme"),
    ANTT + "Movement": ("initiative", "Movement"),
    ANTT + "Project": ("initiative", "Project"),
    ANTT + "Campaign": ("initiative", "Campaign"),
    ANTT + "Initiative": ("initiative", "Initiative"),
    ANTT + "Conference": ("event", "Conference"),
    ANTT + "Ceremony": ("event", "Ceremony"),
    ANTT + "Congress": ("event", "Congress"),
    ANTT + "Meeting": ("event", "Meeting"),
    ANTT + "Visit": ("event", "Visit"),
    ANTT + "Training": ("event", "Training"),
    ANTT + "Crime": ("incident", "Crime"),
    ANTT + "Arrest": ("incident", "Arrest or raid"),
    ANTT + "Prosecution": ("incident", "Prosecution"),
    ANTT + "Trial": ("incident", "Trial"),
    ANTT + "Fire": ("incident", "Fire or explosion"),
    ANTT + "TrafficAccident": ("incident", "Traffic accident"),
    ANTT + "NaturalDisaster": ("incident", "Natural disaster"),
    ANTT + "Incident": ("incident", "Incident"),
    ANTT + "Event": ("event", "Event"),
    ANTT + "Article": ("article", "Article"),
    ANTT + "Award": ("award", "Award"),
    ANTT + "Figure": ("figure", "Figure"),
    ANTT + "Charge": ("charge", "Charge"),
    ANTT + "Membership": ("membership", "Position held"),
    ANTT + "Rank": ("concept", "Rank"),
    ANTT + "Title": ("concept", "Title"),
    ANTT + "DocumentType": ("concept", "Document type"),
    ANTT + "Sentence": ("sentence", "Sentence"),
    ANTT + "Mention": ("mention", "Mention"),
}
SEARCH_KINDS = ("person", "organization", "place", "event", "incident", "document", "initiative", "article")
KIND_NAMES = {"person": "Person", "organization": "Organisation", "place": "Place", "event": "Event",
              "incident": "Incident", "document": "Document", "initiative": "Programme", "article": "Article"}


def path_of(iri: str) -> str:
    """The server path that answers an IRI of the dataset (its own path under /id/)."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID):]
    return iri


def iri_of_path(raw_path: str) -> str | None:
    if raw_path.startswith("/id/") and len(raw_path) > 4:
        return ID + raw_path[4:]
    return None


def compact(iri: str) -> str:
    best = None
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def select(store, query: str) -> list[dict[str, str | None]]:
    """The solutions of a SELECT over the union of the graphs, as {variable: lexical value or None}."""
    solutions = store.query(PREFIX_BLOCK + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: (term.value if (term := s[name]) is not None else None) for name in names} for s in solutions]
