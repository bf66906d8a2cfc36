"""What the pages need to know about every node before they query the store: its label, its kind, and which
real person an article's person is.

Built once when the server starts, with a few whole-store queries that each match inside one named graph
(a shared entity is stated in every article that names it; joining over the union of all graphs would pair
every copy with every other), and held in memory. A page then labels and links hundreds of entities by
dictionary look-ups instead of one query per section that scans every article graph stating a name.

People follow the identity model (docs/identity.md): what each article says of its own person (written
forms, mentions, provinces) counts for the real person the people graphs link it to. A correction changes
only the people graphs and the statements it names, so ``refresh`` reads those again and leaves the rest.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..identity import CORRECTIONS_GRAPH, PEOPLE_GRAPH_PREFIX
from ..rdf import iri as iri_term
from ..vocab import DCTERMS, ID, OWL, SCHEMA
from .kinds import KINDS, SEARCH_KINDS, path_of, select

REAL_PERSON_PREFIX = ID + "person/"
_LOCAL_PERSON = re.compile(re.escape(ID) + r"(article/[^/]+)/person/[^/]+\Z")
_ARTICLE_PART = re.compile(re.escape(ID) + r"(article/[^/#]+)")


def is_local_person(iri: str) -> bool:
    """Whether an IRI is an article's own person node (``anttid:article/{id}/person/{slug}``)."""
    return bool(_LOCAL_PERSON.match(iri))


def graph_of(iri: str) -> str | None:
    """The article graph an article-local node (sentence, mention, event, person...) is stated in."""
    m = _ARTICLE_PART.match(iri)
    return ID + m.group(1) if m else None


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


class Catalogue:
    """Labels, kinds and identity links of the store's nodes (see the module docstring)."""

    def __init__(self):
        self.entries: dict[str, Entry] = {}          # what search lists (real people, not their mentions)
        self.forms: dict[str, set[str]] = {}          # entry IRI -> written forms (names, abbreviations, ...)
        self.kinds: dict[str, str] = {}               # any typed node of a listed class -> page kind
        self.labels: dict[str, str] = {}              # node -> display label (entries and concepts)
        self.real_of: dict[str, str] = {}             # article-local person -> real person
        self.locals_of: dict[str, list[str]] = {}     # real person -> its article-local people
        self.replaced: dict[str, str] = {}            # retired or merged-away IRI -> the one now standing for it
        self.province_names: dict[str, str] = {}
        self._own: dict[str, Entry] = {}              # every entry as read, article-local people included
        self._own_forms: dict[str, set[str]] = {}
        self._names: dict[str, Counter] = {}
        self._based: dict[str, set[str]] = {}
        self._member_of: dict[str, set[str]] = {}

    # -- look-ups ---------------------------------------------------------------------------------------
    def real(self, iri: str) -> str:
        return self.real_of.get(iri, iri)

    def label(self, iri: str) -> str | None:
        return self.labels.get(iri)

    def kind(self, iri: str) -> str | None:
        return self.kinds.get(iri)

    def mentions_of(self, person: str) -> list[str]:
        return self.locals_of.get(person, [])

    # -- building -----------------------------------------------------------------------------------------
    def load(self, store) -> "Catalogue":
        # Not the article-local nodes counted in hundreds of thousands that no page links by label
        # (sentences, mentions, positions held, figures): their kind is read when their page is asked for.
        kind_of_class = {cls: kind for cls, (kind, _name) in KINDS.items()
                         if kind not in ("sentence", "mention", "membership", "figure")}
        classes = " ".join(f"<{c}>" for c in kind_of_class)
        for r in select(store, f"SELECT DISTINCT ?s ?type WHERE {{ VALUES ?type {{ {classes} }} GRAPH ?g {{ ?s a ?type }} }}"):
            self.kinds.setdefault(r["s"], kind_of_class[r["type"]])
        for r in select(store, """SELECT ?s ?label (COUNT(*) AS ?n) WHERE {
                { GRAPH ?g { ?s schema:name ?label } } UNION { GRAPH ?g { ?s dcterms:title ?label } } } GROUP BY ?s ?label"""):
            self._names.setdefault(r["s"], Counter())[r["label"]] += int(r["n"])
        for iri, counter in self._names.items():
            kind = self.kinds.get(iri)
            label = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            self.labels[iri] = label
            if kind in SEARCH_KINDS:
                self._own[iri] = Entry(iri, label, kind)
                self._own_forms[iri] = set(counter)
        for r in select(store, "SELECT DISTINCT ?s ?label WHERE { GRAPH ?g { ?s skos:altLabel|antt:abbreviation ?label } }"):
            if r["s"] in self._own:
                self._own_forms[r["s"]].add(r["label"])
        # Concepts (ranks, titles, document types) are named by a Vietnamese preferred label.
        for r in select(store, """SELECT DISTINCT ?s ?label WHERE { GRAPH ?g { ?s skos:prefLabel ?label }
                FILTER(lang(?label) = "vi" || lang(?label) = "") }"""):
            if r["s"] not in self.labels or r["s"] not in self._names:
                self.labels[r["s"]] = min(self.labels.get(r["s"], r["label"]), r["label"])
        # Documents have a number and a type, not a name.
        for r in select(store, """SELECT DISTINCT ?s ?number ?type WHERE { GRAPH ?g { ?s a antt:LegalDocument ;
                antt:documentNumber ?number . OPTIONAL { ?s antt:documentType ?type } } }"""):
            label = f"{self.labels.get(r['type'] or '', '')} {r['number']}".strip()
            self._own[r["s"]] = Entry(r["s"], label, "document")
            self.labels[r["s"]] = label
            self._own_forms.setdefault(r["s"], set()).update({label, r["number"]})
        for r in select(store, "SELECT ?e (COUNT(?m) AS ?n) WHERE { GRAPH ?g { ?m antt:refersTo ?e } } GROUP BY ?e"):
            if r["e"] in self._own:
                self._own[r["e"]].weight = int(r["n"])
        # Details: an event's or incident's date, an article's publication date.
        for r in select(store, """SELECT ?s ?date WHERE { GRAPH ?g { ?s schema:startDate|dcterms:issued ?date } }"""):
            if r["s"] in self._own and self._own[r["s"]].kind in ("event", "incident", "article"):
                self._own[r["s"]].detail = r["date"]
        self._load_provinces(store)
        self._load_people(store)
        self._load_corrections(store)
        self._compose()
        return self

    def _load_provinces(self, store) -> None:
        """Province facet: a province itself, a body based in it, an event held in it, a person holding a
        post in a body based in it."""
        for r in select(store, """SELECT DISTINCT ?p ?n WHERE { GRAPH ?g { ?p antt:placeKind "province" ;
                schema:name ?n } }"""):
            self.province_names[r["p"]] = min(self.province_names.get(r["p"], r["n"]), r["n"])
        if not self.province_names:
            return
        for r in select(store, "SELECT DISTINCT ?s ?p WHERE { GRAPH ?g { ?s antt:basedIn|schema:location ?p } }"):
            if r["p"] in self.province_names:
                self._based.setdefault(r["s"], set()).add(r["p"])
        for r in select(store, "SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?ms org:member ?s ; org:organization ?o } }"):
            self._member_of.setdefault(r["s"], set()).add(r["o"])
        for iri, entry in self._own.items():
            entry.provinces = set(self._based.get(iri, ()))
            if iri in self.province_names:
                entry.provinces.add(iri)
            for body in self._member_of.get(iri, ()):
                entry.provinces |= self._based.get(body, set())

    def _load_people(self, store) -> None:
        """The people graphs: article-local person -> real person, real people's names, retired IRIs. Read
        graph by graph: a pattern over every graph with a filter on the graph IRI scans the article graphs'
        names too."""
        import pyoxigraph as ox

        self.real_of, self.replaced = {}, {}
        names: dict[str, str] = {}
        same, name, replaced = OWL + "sameAs", SCHEMA + "name", DCTERMS + "isReplacedBy"
        for graph in store.named_graphs():
            if not isinstance(graph, ox.NamedNode) or not graph.value.startswith(PEOPLE_GRAPH_PREFIX):
                continue
            for quad in store.quads_for_pattern(None, None, None, graph):
                p = quad.predicate.value
                if p == same:
                    if is_local_person(quad.subject.value):
                        self.real_of[quad.subject.value] = quad.object.value
                elif p == name:
                    names[quad.subject.value] = quad.object.value
                elif p == replaced:
                    self.replaced[quad.subject.value] = quad.object.value
        self._people_names = names

    def _load_corrections(self, store) -> None:
        """What a curator changed outside the people graphs: labels and merges of other entities."""
        self._corrected_labels: dict[str, str] = {}
        for r in select(store, f"""SELECT ?s ?p ?o WHERE {{ GRAPH {iri_term(CORRECTIONS_GRAPH)} {{ ?s ?p ?o }}
                VALUES ?p {{ skos:prefLabel owl:sameAs }} }}"""):
            if r["p"].endswith("prefLabel"):
                self._corrected_labels[r["s"]] = r["o"]
            else:
                self.replaced.setdefault(r["s"], r["o"])

    def _compose(self) -> None:
        """Entries and forms for search: every real person gathers its mentions' forms, weight, provinces."""
        entries = {iri: Entry(e.iri, e.label, e.kind, e.detail, set(e.provinces), e.weight)
                   for iri, e in self._own.items()}
        forms = {iri: set(f) for iri, f in self._own_forms.items()}
        for person, name in self._people_names.items():
            self.labels[person] = name
            self.kinds[person] = "person"
            if person not in entries and person not in self.replaced:
                entries[person] = Entry(person, name, "person")
                forms[person] = {name}
            elif person in entries:
                entries[person].label = name
        locals_of: dict[str, list[str]] = defaultdict(list)
        for local, person in self.real_of.items():
            locals_of[person].append(local)
            mention = entries.pop(local, None)
            if person in entries and mention is not None:
                entries[person].weight += mention.weight
                entries[person].provinces |= mention.provinces
                forms.setdefault(person, set()).update(forms.pop(local, ()))
            else:
                forms.pop(local, None)
        for iri, label in self._corrected_labels.items():
            self.labels[iri] = label
            if iri in entries:
                entries[iri].label = label
                forms.setdefault(iri, set()).add(label)
        for old in self.replaced:
            entries.pop(old, None)
            forms.pop(old, None)
        self.entries = entries
        self.forms = forms
        self.locals_of = {p: sorted(ls) for p, ls in locals_of.items()}

    def refresh(self, store, iris=()) -> None:
        """Read again what a correction can change: the people graphs, the corrections graph, and the names
        and other written forms of the entities it names."""
        iris = {i for i in iris if i and i.startswith(ID)}
        own = [i for i in iris if i in self._own or i in self._names]
        if own:
            values = " ".join(iri_term(i) for i in sorted(own))
            names: dict[str, Counter] = {i: Counter() for i in own}
            for r in select(store, f"""SELECT ?s ?label (COUNT(*) AS ?n) WHERE {{ VALUES ?s {{ {values} }}
                    {{ GRAPH ?g {{ ?s schema:name ?label }} }} UNION {{ GRAPH ?g {{ ?s dcterms:title ?label }} }}
                    }} GROUP BY ?s ?label"""):
                names[r["s"]][r["label"]] += int(r["n"])
            extra: dict[str, set[str]] = defaultdict(set)
            for r in select(store, f"""SELECT DISTINCT ?s ?label WHERE {{ VALUES ?s {{ {values} }}
                    GRAPH ?g {{ ?s skos:altLabel|antt:abbreviation ?label }} }}"""):
                extra[r["s"]].add(r["label"])
            for i in own:
                if names[i]:
                    self._names[i] = names[i]
                    self.labels[i] = sorted(names[i].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                if i in self._own and self._own[i].kind != "document":
                    self._own[i].label = self.labels[i]
                    self._own_forms[i] = set(names[i]) | extra[i]
        self._load_people(store)
        self._load_corrections(store)
        self._compose()


def build_catalogue(store) -> Catalogue:
    return Catalogue().load(store)
