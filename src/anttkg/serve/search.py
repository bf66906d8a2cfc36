"""Search over entity names: diacritic- and case-insensitive, by name, other written form or abbreviation.

The index is built once when the server starts (a few queries over the store) and held in memory: every
searchable form is folded (``fold``: lower case, no tone or vowel marks, đ -> d, punctuation as spaces)
and written into one string, so a query is a regular-expression scan in C over that string rather than
a Python loop over entries.
"""
from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..text import ascii_fold, normalize_text
from .graphdata import KINDS, PEOPLE_GRAPH_PREFIX, is_local_person, path_of, select

SEARCH_KINDS = ("person", "organization", "place", "event", "document", "initiative", "article")
KIND_NAMES = {"person": "Person", "organization": "Organisation", "place": "Place", "event": "Event",
              "document": "Document", "initiative": "Programme", "article": "Article"}


def fold(text: str) -> str:
    """The search form of a text: 'Tô Lâm' and 'to lam' and 'TÔ LÂM' fold alike."""
    text = ascii_fold(normalize_text(text or "").casefold())
    text = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text)
    return " ".join(text.split())


@dataclass
class Entry:
    iri: str
    label: str
    kind: str
    detail: str = ""
    provinces: set[str] = field(default_factory=set)
    weight: int = 0  # mentions in the store

    @property
    def href(self) -> str:
        return path_of(self.iri)


@dataclass
class Hit:
    entry: Entry
    matched: str  # the written form that matched (a name, other form or abbreviation)
    score: float


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    kinds: list[tuple[str, str, int]]       # (kind, display, count) over all matches
    provinces: list[tuple[str, str, int]]   # (place IRI, name, count)


class SearchIndex:
    def __init__(self, entries: list[Entry], forms: list[tuple[int, str]]):
        self.entries = entries
        self.province_names: dict[str, str] = {}
        # forms: (entry index, written form); the text holds "\n" + folded form per form.
        self._owner: list[int] = []
        self._written: list[str] = []
        self._starts: list[int] = []
        parts, pos = [], 0
        for index, written in forms:
            folded = fold(written)
            if not folded:
                continue
            self._starts.append(pos)
            self._owner.append(index)
            self._written.append(written)
            parts.append("\n" + folded)
            pos += len(folded) + 1
        self._text = "".join(parts)

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, *, kind: str | None = None, province: str | None = None,
               limit: int = 20) -> SearchResult:
        words = fold(query).split()
        if not words:
            return SearchResult(query, [], 0, [], [])
        # Every word must begin a word of the form; the scan finds forms with the rarest-looking
        # (longest) word, the rest is checked on those.
        lead = max(words, key=len)
        pattern = re.compile(r"(?<![a-z0-9])" + re.escape(lead))
        others = [re.compile(r"(?<![a-z0-9])" + re.escape(w)) for w in words if w != lead]
        folded_query = " ".join(words)
        best: dict[int, Hit] = {}
        last_form = -1
        for match in pattern.finditer(self._text):
            form = bisect.bisect_right(self._starts, match.start()) - 1
            if form == last_form:
                continue
            last_form = form
            start = self._starts[form] + 1
            end = self._starts[form + 1] if form + 1 < len(self._starts) else len(self._text)
            folded = self._text[start:end]
            if not all(p.search(folded) for p in others):
                continue
            entry_index = self._owner[form]
            entry = self.entries[entry_index]
            score = 1.0
            if folded == folded_query:
                score = 4.0
            elif folded.startswith(folded_query):
                score = 2.5
            elif folded_query in folded:
                score = 1.8
            score += math.log1p(entry.weight) / 4 - len(folded) / 400
            if entry_index not in best or best[entry_index].score < score:
                best[entry_index] = Hit(entry, self._written[form], score)
        matched = list(best.values())
        kind_counts = Counter(h.entry.kind for h in matched)
        filtered = [h for h in matched if (not kind or h.entry.kind == kind)]
        province_counts = Counter(p for h in filtered for p in h.entry.provinces)
        if province:
            filtered = [h for h in filtered if province in h.entry.provinces]
        filtered.sort(key=lambda h: (-h.score, h.entry.label, h.entry.iri))
        kinds = [(k, KIND_NAMES[k], kind_counts[k]) for k in SEARCH_KINDS if kind_counts[k]]
        provinces = sorted(((p, self.province_names.get(p, p), n) for p, n in province_counts.items()),
                           key=lambda x: (-x[2], x[1]))[:30]
        return SearchResult(query, filtered[:limit], len(filtered), kinds, provinces)


def build_index(store) -> SearchIndex:
    """Read every searchable entity of the store into a SearchIndex.

    Each query matches inside one named graph and joins are done here: a shared entity is stated in every
    article that names it, and joining over the union of all graphs would pair every copy with every other.
    People are listed as the real people of the identity pass; what each article says of its own person
    (written forms, mentions, provinces) counts for the real person it is.
    """
    kind_of_class = {cls: kind for cls, (kind, _name) in KINDS.items() if kind in SEARCH_KINDS}
    classes = " ".join(f"<{c}>" for c in kind_of_class)
    kinds: dict[str, str] = {}
    for r in select(store, f"SELECT DISTINCT ?s ?type WHERE {{ VALUES ?type {{ {classes} }} GRAPH ?g {{ ?s a ?type }} }}"):
        kinds.setdefault(r["s"], kind_of_class[r["type"]])
    names: dict[str, Counter] = {}
    for r in select(store, """SELECT ?s ?label (COUNT(*) AS ?n) WHERE {
            { GRAPH ?g { ?s schema:name ?label } } UNION { GRAPH ?g { ?s dcterms:title ?label } } } GROUP BY ?s ?label"""):
        if r["s"] in kinds:
            names.setdefault(r["s"], Counter())[r["label"]] += int(r["n"])
    entries = {iri: Entry(iri, sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], kinds[iri])
               for iri, counter in names.items()}
    forms: set[tuple[str, str]] = {(iri, label) for iri, counter in names.items() for label in counter}
    for r in select(store, "SELECT DISTINCT ?s ?label WHERE { GRAPH ?g { ?s skos:altLabel|antt:abbreviation ?label } }"):
        if r["s"] in entries:
            forms.add((r["s"], r["label"]))
    # Documents have a number and a type, not a name.
    for r in select(store, """SELECT DISTINCT ?s ?number ?typeLabel WHERE { GRAPH ?g { ?s a antt:LegalDocument ;
            antt:documentNumber ?number . OPTIONAL { ?s antt:documentType ?t . ?t skos:prefLabel ?typeLabel
            FILTER(lang(?typeLabel) = "vi") } } }"""):
        label = f"{r['typeLabel'] or ''} {r['number']}".strip()
        if r["s"] not in entries or entries[r["s"]].kind != "document":
            entries[r["s"]] = Entry(r["s"], label, "document")
        forms |= {(r["s"], label), (r["s"], r["number"])}
    for r in select(store, "SELECT ?e (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m antt:refersTo ?e } } GROUP BY ?e"):
        if r["e"] in entries:
            entries[r["e"]].weight = int(r["n"])
    # Details: an event's date, an article's publication date.
    for r in select(store, """SELECT ?s ?date WHERE { GRAPH ?g { ?s schema:startDate|dcterms:issued ?date } }"""):
        if r["s"] in entries and entries[r["s"]].kind in ("event", "article"):
            entries[r["s"]].detail = r["date"]
    province_names = _provinces(store, entries)
    same = {}
    for r in select(store, f"""SELECT ?l ?p WHERE {{ GRAPH ?g {{ ?l owl:sameAs ?p }}
            FILTER(STRSTARTS(STR(?g), "{PEOPLE_GRAPH_PREFIX}")) }}"""):
        if is_local_person(r["l"]) and r["l"] in entries and r["p"] in entries:
            same[r["l"]] = r["p"]
    for local, person in same.items():
        mention = entries.pop(local)
        entries[person].weight += mention.weight
        entries[person].provinces |= mention.provinces
    forms = {(same.get(s, s), form) for s, form in forms}
    ordered = sorted(entries.values(), key=lambda e: e.iri)
    position = {e.iri: n for n, e in enumerate(ordered)}
    index = SearchIndex(ordered, [(position[s], form) for s, form in sorted(forms) if s in position])
    index.province_names = province_names
    return index


def _provinces(store, entries: dict[str, Entry]) -> dict[str, str]:
    """Province facet: a province itself, a body based in it, an event held in it, a person holding a
    post in a body based in it."""
    names: dict[str, str] = {}
    for r in select(store, """SELECT DISTINCT ?p ?n WHERE { GRAPH ?g { ?p antt:placeKind "province" ;
            schema:name ?n } }"""):
        names[r["p"]] = min(names.get(r["p"], r["n"]), r["n"])
    if not names:
        return {}
    for iri in names:
        if iri in entries:
            entries[iri].provinces.add(iri)
    based: dict[str, set[str]] = {}
    for r in select(store, "SELECT DISTINCT ?s ?p WHERE { GRAPH ?g { ?s antt:basedIn|schema:location ?p } }"):
        if r["p"] in names:
            based.setdefault(r["s"], set()).add(r["p"])
    for iri, provinces in based.items():
        if iri in entries:
            entries[iri].provinces |= provinces
    for r in select(store, "SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?ms org:member ?s ; org:organization ?o } }"):
        if r["s"] in entries and r["o"] in based:
            entries[r["s"]].provinces |= based[r["o"]]
    return names


def suggest(index: SearchIndex, query: str, limit: int = 8) -> list[dict[str, str]]:
    """Autocomplete rows for the JSON endpoint."""
    return [{"label": h.entry.label, "kind": h.entry.kind, "type": KIND_NAMES[h.entry.kind],
             "href": h.entry.href, "matched": h.matched if h.matched != h.entry.label else "",
             "detail": h.entry.detail}
            for h in index.search(query, limit=limit).hits]

