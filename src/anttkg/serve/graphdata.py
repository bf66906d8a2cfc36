"""What the pages show, read from the store: labels, entity pages with evidence, article text.

Every function takes an open pyoxigraph store and returns plain data classes (no HTML). Queries bind the
entity as an IRI in the query text (escaped by ``rdf.iri``), evaluate over the union of the article graphs,
and are bounded by LIMIT so one popular entity cannot make a page slow.

People follow the identity model (docs/identity.md): an article's person is a node of that article, linked by
``owl:sameAs`` in a people graph (``anttid:graph/people/{slug}``) to the real person. A real person's page
gathers what the articles say about all of its mentions; links to an article's person lead to the real one.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..rdf import iri as iri_term
from ..vocab import ANTT, DCTERMS, ID, ORG, OWL, PREFIXES, PROV, RDF_TYPE, SCHEMA, SKOS

ROW_LIMIT = 300        # rows per section
MENTION_LIMIT = 40     # mentions shown as evidence of an entity being named
CO_ARTICLES = 300      # articles looked at for "mentioned with"
NEIGHBOURS = 12        # nodes in the neighbourhood graph
CO_PEOPLE_ROWS = 5000  # (person, article) rows read for the people "mentioned with" an entity

# The identity pass's graphs (anttkg.identity.PEOPLE_GRAPH_PREFIX; not imported: it would load the pass).
PEOPLE_GRAPH_PREFIX = ID + "graph/people/"
REAL_PERSON_PREFIX = ID + "person/"
_LOCAL_PERSON = re.compile(re.escape(ID) + r"article/[^/]+/person/[^/]+\Z")

PREFIX_BLOCK = "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in PREFIXES.items())

# class IRI -> (kind, display name); the kind picks the page layout.
KINDS: dict[str, tuple[str, str]] = {
    ANTT + "Person": ("person", "Person"),
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
    ANTT + "Event": ("event", "Event"),
    ANTT + "Article": ("article", "Article"),
    ANTT + "Award": ("award", "Award"),
    ANTT + "Figure": ("figure", "Figure"),
    ANTT + "Membership": ("membership", "Position held"),
    ANTT + "Rank": ("concept", "Rank"),
    ANTT + "Title": ("concept", "Title"),
    ANTT + "DocumentType": ("concept", "Document type"),
    ANTT + "Sentence": ("sentence", "Sentence"),
    ANTT + "Mention": ("mention", "Mention"),
}
EVENT_ROLES = {SCHEMA + "attendee": "attended", ANTT + "chairedBy": "chaired", ANTT + "speaker": "spoke at"}


# ---------------------------------------------------------------------------------------------------------
# Plain data the templates render


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    kind: str = ""


@dataclass(frozen=True)
class Segment:
    text: str
    href: str | None = None
    kind: str = ""
    mark: bool = False  # the mention the fact is about


@dataclass(frozen=True)
class Evidence:
    segments: tuple[Segment, ...]
    article: Link
    date: str | None
    sentence_href: str


@dataclass
class Row:
    cells: list[Link | str | None]
    date: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""


@dataclass
class TimelineItem:
    date: str
    label: str
    href: str | None


@dataclass
class Neighbourhood:
    nodes: list[tuple[Link, float, float]]  # link, x, y
    centre: tuple[str, float, float]
    size: int


@dataclass
class EntityPage:
    iri: str
    kind: str
    type_label: str
    label: str
    facts: list[tuple[str, list[Link | str]]]
    sections: list[Section]
    mentions: list[Evidence]
    timeline: list[TimelineItem]
    graph: Neighbourhood | None
    statements: list[tuple[str, str, Link | str, str]]


@dataclass
class ArticlePage:
    iri: str
    label: str
    facts: list[tuple[str, list[Link | str]]]
    paragraphs: list[list[Segment | tuple[str, list[Segment]]]]  # text or (sentence id, segments)
    full_text: bool
    entities: list[tuple[str, list[Link]]]
    sections: list[Section]


# ---------------------------------------------------------------------------------------------------------
# Helpers


def path_of(iri: str) -> str:
    """The server path that answers an IRI of the dataset (its own path under /id/)."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID):]
    return iri


def iri_of_path(raw_path: str) -> str | None:
    if raw_path.startswith("/id/") and len(raw_path) > 4:
        return ID + raw_path[4:]
    return None


def is_local_person(iri: str) -> bool:
    """Whether an IRI is an article's own person node (``anttid:article/{id}/person/{slug}``)."""
    return bool(_LOCAL_PERSON.match(iri))


def real_people(store, iris) -> dict[str, str]:
    """Article-local person IRI -> the real person it is, for those of ``iris`` the identity pass linked."""
    local = sorted({i for i in iris if i and is_local_person(i)})
    found: dict[str, str] = {}
    for start in range(0, len(local), 2000):
        for r in select(store, f"""SELECT ?l ?p WHERE {{ VALUES ?l {{ {_values(local[start:start + 2000])} }}
                GRAPH ?g {{ ?l owl:sameAs ?p }} FILTER(STRSTARTS(STR(?g), "{PEOPLE_GRAPH_PREFIX}")) }}"""):
            found[r["l"]] = r["p"]
    return found


def person_mentions(store, person: str) -> list[str]:
    """The article-local people that are this real person (empty for anything else)."""
    if not person.startswith(REAL_PERSON_PREFIX):
        return []
    rows = select(store, f"""SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?l owl:sameAs {iri_term(person)} }}
        FILTER(STRSTARTS(STR(?g), "{PEOPLE_GRAPH_PREFIX}")) }}""")
    return sorted(r["l"] for r in rows if r["l"] and is_local_person(r["l"]))


def replacement(store, iri: str) -> str | None:
    """The IRI that now stands for a retired or merged-away person IRI (``dcterms:isReplacedBy``)."""
    if not iri.startswith(REAL_PERSON_PREFIX):
        return None
    rows = select(store, f"SELECT ?new WHERE {{ {iri_term(iri)} dcterms:isReplacedBy ?new }} LIMIT 1")
    return rows[0]["new"] if rows else None


def compact(iri: str) -> str:
    best = None
    for name, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _value(term) -> str | None:
    if term is None:
        return None
    return term.value


def select(store, query: str) -> list[dict[str, str | None]]:
    solutions = store.query(PREFIX_BLOCK + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{name: _value(s[name]) for name in names} for s in solutions]


def _values(iris) -> str:
    return " ".join(iri_term(i) for i in sorted(set(iris)))


def _is_iri_term(term) -> bool:
    import pyoxigraph as ox

    return isinstance(term, ox.NamedNode)


def kind_of(store, iri: str) -> tuple[str, str, str] | None:
    """(kind, type display name, class IRI) of a node; None when the store has nothing about it."""
    rows = select(store, f"SELECT DISTINCT ?t WHERE {{ {iri_term(iri)} a ?t }}")
    types = [r["t"] for r in rows if r["t"]]
    for cls in types:
        if cls in KINDS:
            return (*KINDS[cls], cls)
    if types:
        return ("other", compact(types[0]), types[0])
    if select(store, f"SELECT ?p WHERE {{ {iri_term(iri)} ?p ?o }} LIMIT 1"):
        return ("other", "Resource", "")
    return None


def labels(store, iris) -> dict[str, str]:
    """A display label per IRI: its most common name, title or Vietnamese preferred label."""
    iris = {i for i in iris if i}
    if not iris:
        return {}
    # A shared entity's name is stated once per article graph: count in the engine, not in Python.
    rows = select(store, f"""
        SELECT ?s ?p ?o (COUNT(*) AS ?n) WHERE {{
          VALUES ?s {{ {_values(iris)} }}
          ?s ?p ?o FILTER(?p IN (schema:name, dcterms:title, skos:prefLabel, antt:documentNumber, antt:documentType,
                                 antt:awardType, schema:value, schema:unitText))
          FILTER(!isLiteral(?o) || lang(?o) = "" || lang(?o) = "vi") }} GROUP BY ?s ?p ?o""")
    found: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for r in rows:
        found[r["s"]][r["p"]][r["o"]] += int(r["n"])
    doc_types = {v for props in found.values() for v in props.get(ANTT + "documentType", {})}
    type_names = labels(store, doc_types) if doc_types else {}

    def first(props, predicate) -> str | None:
        counts = props.get(predicate)
        if not counts:
            return None
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    out = {}
    for i in iris:
        props = found.get(i, {})
        label = first(props, SCHEMA + "name") or first(props, DCTERMS + "title") or first(props, SKOS + "prefLabel")
        if label is None and props.get(ANTT + "documentNumber"):
            doc_type = type_names.get(first(props, ANTT + "documentType") or "", "")
            label = f"{doc_type} {first(props, ANTT + 'documentNumber')}".strip()
        if label is None and props.get(ANTT + "awardType"):
            label = first(props, ANTT + "awardType")
        if label is None and props.get(SCHEMA + "value"):
            label = f"{first(props, SCHEMA + 'value')} {first(props, SCHEMA + 'unitText') or ''}".strip()
        out[i] = label or _fallback_label(i)
    return out


def _fallback_label(iri: str) -> str:
    tail = iri.rstrip("/").rsplit("/", 2)
    if len(tail) >= 2 and tail[-1].isdigit():
        return f"{tail[-2]} {tail[-1]}"
    return re.sub(r"-[0-9a-f]{8}\Z", "", tail[-1]).replace("-", " ")


def year_of(date: str | None) -> float | None:
    """A position on a time axis for an XSD date lexical form; None without a year (--06-08)."""
    if not date or date.startswith("--"):
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    return year + (month - 1) / 12 + (day - 1) / 365


# ---------------------------------------------------------------------------------------------------------
# Evidence: sentences with their mentions


class _Context:
    """Collects the sentences and articles a page cites, then reads them in three queries."""

    def __init__(self, store):
        self.store = store
        self.sentences: set[str] = set()
        self.articles: set[str] = set()
        self.links: set[str] = set()
        self._sentence: dict[str, tuple[str, int, str]] = {}
        self._mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str] = {}
        self._dates: dict[str, str] = {}
        self._same: dict[str, str] = {}  # article-local person -> real person

    def need(self, sentence: str | None) -> None:
        if sentence:
            self.sentences.add(sentence)

    def load(self) -> None:
        if self.sentences:
            for r in select(self.store, f"""
                SELECT ?s ?text ?begin ?article WHERE {{ VALUES ?s {{ {_values(self.sentences)} }}
                  ?s rdf:value ?text ; antt:beginIndex ?begin ; dcterms:isPartOf ?article }}"""):
                self._sentence[r["s"]] = (r["text"], int(r["begin"]), r["article"])
                self.articles.add(r["article"])
            for r in select(self.store, f"""
                SELECT ?s ?e ?b ?end WHERE {{ VALUES ?s {{ {_values(self.sentences)} }}
                  ?m antt:inSentence ?s ; antt:refersTo ?e ; antt:beginIndex ?b ; antt:endIndex ?end }}"""):
                self._mentions[r["s"]].append((int(r["b"]), int(r["end"]), r["e"]))
                self.links.add(r["e"])
        if self.articles:
            for r in select(self.store, f"""
                SELECT ?a ?date WHERE {{ VALUES ?a {{ {_values(self.articles)} }} ?a dcterms:issued ?date }}"""):
                self._dates[r["a"]] = r["date"]
        self.label_all(self.links | self.articles)

    def label_all(self, iris) -> None:
        missing = {i for i in iris if i and i not in self._labels and i not in self._same}
        if not missing:
            return
        # An article's person is shown as (and links to) the real person it is.
        same = real_people(self.store, missing)
        self._same.update(same)
        missing = {self._same.get(i, i) for i in missing} - set(self._labels)
        if not missing:
            return
        self._labels.update(labels(self.store, missing))
        # EXISTS stops at the first graph stating the type (a shared entity is typed in every article).
        for r in select(self.store, f"""SELECT ?s ?t WHERE {{ VALUES ?s {{ {_values(missing)} }}
                VALUES ?t {{ {_values(KINDS)} }} FILTER EXISTS {{ ?s a ?t }} }}"""):
            if r["t"] in KINDS:
                self._kinds[r["s"]] = KINDS[r["t"]][0]

    def real(self, iri: str) -> str:
        return self._same.get(iri, iri)

    def link(self, iri: str | None) -> Link | None:
        if not iri:
            return None
        iri = self._same.get(iri, iri)
        return Link(self._labels.get(iri) or _fallback_label(iri), path_of(iri), self._kinds.get(iri, ""))

    def article_date(self, article: str | None) -> str | None:
        return self._dates.get(article or "")

    def evidence(self, sentence: str | None, focus: set[str]) -> Evidence | None:
        if not sentence or sentence not in self._sentence:
            return None
        text, begin, article = self._sentence[sentence]
        spans = [(b - begin, e - begin, ent) for b, e, ent in self._mentions.get(sentence, [])]
        segments = highlight(text, spans, self, focus)
        number = sentence.rsplit("/", 1)[-1]
        return Evidence(tuple(segments), self.link(article), self.article_date(article),
                        f"{path_of(article)}#s{number}")


def highlight(text: str, spans: list[tuple[int, int, str]], ctx: _Context, focus: set[str]) -> list[Segment]:
    """Text cut into plain and mention segments; overlapping mentions keep the earliest, then longest."""
    chosen: list[tuple[int, int, str]] = []
    end_so_far = 0
    for start, end, entity in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]), s[2] not in focus, s[2])):
        if start < end_so_far or start < 0 or end > len(text) or start >= end:
            continue
        chosen.append((start, end, entity))
        end_so_far = end
    segments, pos = [], 0
    for start, end, entity in chosen:
        if start > pos:
            segments.append(Segment(text[pos:start]))
        link = ctx.link(entity)
        segments.append(Segment(text[start:end], link.href if link else None, link.kind if link else "",
                                entity in focus))
        pos = end
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments


# ---------------------------------------------------------------------------------------------------------
# Entity pages


def _mention_rows(store, who: str) -> list[dict]:
    """The first mentions in store order (an ORDER BY would sort every mention of a popular name first);
    ``who`` is a VALUES block binding ?who to the entity (or to every mention of a real person)."""
    rows = select(store, f"""
        SELECT ?s ?article WHERE {{ {who}
          GRAPH ?article {{ ?m antt:refersTo ?who ; antt:inSentence ?s }}
        }} LIMIT {MENTION_LIMIT}""")
    return sorted(rows, key=lambda r: (r["article"], int(r["s"].rsplit("/", 1)[-1])))


def _statements(store, iri: str, ctx: _Context, who: str) -> list[tuple[str, str, Link | str, str]]:
    """Every (predicate, object) stated about the node (for a real person, also about its mentions, which a
    rejection of the real person removes too): compact predicate, predicate IRI, shown value, and the
    value's own lexical form (what a rejection names)."""
    solutions = store.query(f"""SELECT DISTINCT ?p ?o WHERE {{ {who} ?who ?p ?o
        FILTER(?p != <{OWL}sameAs> || ?o != {iri_term(iri)}) }} ORDER BY ?p ?o LIMIT 200""",
                            use_default_graph_as_union=True)
    raw = [(s["p"].value, s["o"]) for s in solutions]
    ctx.label_all(o.value for _p, o in raw if _is_iri_term(o) and o.value.startswith(ID))
    out = []
    for p, o in raw:
        if _is_iri_term(o):
            shown = ctx.link(o.value) if o.value.startswith(ID) else Link(compact(o.value), o.value)
        else:
            shown = o.value
        out.append((compact(p), p, shown, o.value))
    return out


def _section_rows(rows: list[dict], ctx: _Context, columns, *, date_key: str | None = "date",
                  sentence_key: str | None = "s", focus_keys=("focus",)) -> list[Row]:
    out = []
    for r in rows:
        cells = []
        for col in columns:
            value = r.get(col)
            if col.startswith("@"):  # a literal column
                cells.append(r.get(col[1:]))
            else:
                cells.append(ctx.link(value))
        focus = {r.get(k) for k in focus_keys if r.get(k)} | {r.get(c) for c in columns if r.get(c)}
        evidence = ctx.evidence(r.get(sentence_key), focus) if sentence_key else None
        date = r.get(date_key) if date_key else None
        if date is None and sentence_key and r.get(sentence_key):
            date = ctx.article_date(ctx._sentence.get(r[sentence_key], (None, None, None))[2])
        out.append(Row(cells, date, [evidence] if evidence else []))
    return out


def _merge_evidence(rows: list[Row]) -> list[Row]:
    """One row per distinct cells and date, holding every evidence sentence for it."""
    merged: dict[tuple, Row] = {}
    for row in rows:
        key = (tuple((c.href if isinstance(c, Link) else c) for c in row.cells), row.date)
        if key in merged:
            merged[key].evidence.extend(e for e in row.evidence if e not in merged[key].evidence)
        else:
            merged[key] = row
    return list(merged.values())


def _sort_rows(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (-(year_of(r.date) or 0), str(r.cells)))


def entity_page(store, iri: str) -> EntityPage | None:
    found = kind_of(store, iri)
    if found is None:
        return None
    kind, type_label, cls = found
    ctx = _Context(store)
    t = iri_term(iri)
    # A real person is what the articles say about each of its mentions: ?who is any of them.
    mentions_of = person_mentions(store, iri) if kind == "person" else []
    focus = {iri, *mentions_of}
    who = f"VALUES ?who {{ {_values(focus)} }}"
    plans: list[tuple[str, list[str], str, dict]] = []  # (title, columns, query, options)

    def plan(title, columns, query, **options):
        plans.append((title, columns, query, options))

    if kind == "person":
        plan("Rank", ["rank"], f"""SELECT DISTINCT ?rank ?article ?date ?s WHERE {{ {who}
              GRAPH ?article {{ ?who antt:rank ?rank . ?m antt:refersTo ?who ; antt:inSentence ?s }}
              OPTIONAL {{ ?article dcterms:issued ?date }} }} LIMIT {ROW_LIMIT}""", one_per_article=True)
        plan("Positions", ["role", "org"], f"""SELECT ?role ?org ?date ?s WHERE {{ {who}
              ?ms org:member ?who ; org:role ?role ; prov:wasDerivedFrom ?s .
              OPTIONAL {{ ?ms org:organization ?org }} OPTIONAL {{ ?ms antt:asOf ?date }}
            }} LIMIT {ROW_LIMIT}""")
        plan("Events", ["event", "@role", "place"], f"""SELECT ?event ?role ?date ?s ?place WHERE {{ {who}
              VALUES (?rel ?role) {{ {" ".join(f'({iri_term(p)} "{r}")' for p, r in EVENT_ROLES.items())} }}
              ?event ?rel ?who ; prov:wasDerivedFrom ?s .
              OPTIONAL {{ ?event schema:startDate ?date }} OPTIONAL {{ ?event schema:location ?place }}
            }} LIMIT {ROW_LIMIT}""")
        if iri.startswith(REAL_PERSON_PREFIX):
            # People of the same name the identity pass could neither join nor tell apart (a review list).
            plan("May be the same as", ["person", "@score"], f"""SELECT ?person (MAX(?value) AS ?score) WHERE {{
                  GRAPH ?g {{ {{ {t} antt:possiblySameAs ?person }} UNION {{ ?person antt:possiblySameAs {t} }}
                    OPTIONAL {{ ?c antt:candidate {t}, ?person ; antt:matchScore ?value }} }}
                  FILTER(STRSTARTS(STR(?g), "{PEOPLE_GRAPH_PREFIX}"))
                }} GROUP BY ?person ORDER BY DESC(?score) ?person LIMIT 50""", sentence=False, date=False)
    elif kind == "organization":
        plan("Part of", ["parent"], f"SELECT DISTINCT ?parent WHERE {{ {t} org:subOrganizationOf ?parent }} LIMIT 50",
             sentence=False)
        plan("Sub-bodies", ["child"], f"""SELECT DISTINCT ?child WHERE {{ ?child org:subOrganizationOf {t} }}
             LIMIT {ROW_LIMIT}""", sentence=False)
        plan("Based in", ["place"], f"SELECT DISTINCT ?place WHERE {{ {t} antt:basedIn ?place }} LIMIT 20",
             sentence=False)
        plan("Members", ["person", "role"], f"""SELECT ?person ?role ?date ?s WHERE {{
              ?ms org:organization {t} ; org:member ?person ; org:role ?role ; prov:wasDerivedFrom ?s .
              OPTIONAL {{ ?ms antt:asOf ?date }} }} ORDER BY DESC(?date) LIMIT {ROW_LIMIT}""")
        plan("Events organised", ["event", "place"], f"""SELECT ?event ?date ?s ?place WHERE {{
              ?event schema:organizer {t} ; prov:wasDerivedFrom ?s .
              OPTIONAL {{ ?event schema:startDate ?date }} OPTIONAL {{ ?event schema:location ?place }}
            }} ORDER BY DESC(?date) LIMIT {ROW_LIMIT}""")
        plan("Documents issued", ["doc"], f"""SELECT ?doc ?date ?s WHERE {{
              ?doc antt:issuedBy {t} ; prov:wasDerivedFrom ?s . OPTIONAL {{ ?doc dcterms:issued ?date }}
            }} LIMIT {ROW_LIMIT}""")
        plan("Programmes launched", ["initiative"], f"""SELECT ?initiative ?s WHERE {{
              ?initiative antt:launchedBy {t} ; prov:wasDerivedFrom ?s }} LIMIT {ROW_LIMIT}""")
        plan("Awards given", ["award", "@occasion"], f"""SELECT ?award ?occasion ?s WHERE {{
              ?award antt:awardedBy {t} ; prov:wasDerivedFrom ?s . OPTIONAL {{ ?award antt:occasion ?occasion }}
            }} LIMIT {ROW_LIMIT}""")
    elif kind == "place":
        plan("Bodies based here", ["org"], f"SELECT DISTINCT ?org WHERE {{ ?org antt:basedIn {t} }} LIMIT {ROW_LIMIT}",
             sentence=False)
        plan("Events here", ["event"], f"""SELECT ?event ?date ?s WHERE {{
              ?event schema:location {t} ; prov:wasDerivedFrom ?s . OPTIONAL {{ ?event schema:startDate ?date }}
            }} ORDER BY DESC(?date) LIMIT {ROW_LIMIT}""")
    elif kind == "event":
        for title, predicate, var in (("Place", "schema:location", "place"), ("Organised by", "schema:organizer", "org"),
                                      ("Chaired by", "antt:chairedBy", "person"),
                                      ("Attended by", "schema:attendee", "person"),
                                      ("Speakers", "antt:speaker", "person")):
            plan(title, [var], f"""SELECT ?{var} ?s WHERE {{ {t} {predicate} ?{var} ; prov:wasDerivedFrom ?s }}
                 LIMIT {ROW_LIMIT}""", date=False)
    elif kind == "document":
        plan("Issued by", ["org"], f"SELECT DISTINCT ?org ?s WHERE {{ {t} antt:issuedBy ?org ; prov:wasDerivedFrom ?s }}",
             date=False)
    elif kind == "initiative":
        plan("Launched by", ["org"], f"""SELECT DISTINCT ?org ?s WHERE {{
             {t} antt:launchedBy ?org ; prov:wasDerivedFrom ?s }}""", date=False)
    elif kind == "concept":
        plan("Used by", ["who", "org"], f"""SELECT DISTINCT ?who ?org ?date ?s WHERE {{
              {{ ?who antt:rank {t} }} UNION {{ ?who antt:documentType {t} }}
              UNION {{ ?ms org:role {t} ; org:member ?who ; prov:wasDerivedFrom ?s .
                       OPTIONAL {{ ?ms org:organization ?org }} OPTIONAL {{ ?ms antt:asOf ?date }} }}
            }} LIMIT {ROW_LIMIT}""")
    elif kind in ("award", "figure", "membership"):
        plan("Read in", [], f"SELECT ?s WHERE {{ {t} prov:wasDerivedFrom ?s }} LIMIT 20", date=False)

    results = []
    for title, columns, query, options in plans:
        rows = select(store, query)
        if options.get("one_per_article"):
            seen, kept = set(), []
            for r in rows:
                if (r.get("rank"), r.get("article")) not in seen:
                    seen.add((r.get("rank"), r.get("article")))
                    kept.append(r)
            rows = kept
        for r in rows:
            ctx.need(r.get("s"))
            ctx.links.update(r[c.lstrip("@")] for c in columns if not c.startswith("@") and r.get(c))
        results.append((title, columns, rows, options))

    co_mentioned = []
    if kind in ("person", "organization", "place", "initiative", "document"):
        co_mentioned = _co_mentioned(store, who, focus, ctx)
        ctx.links.update(r["other"] for r in co_mentioned)
    mention_rows = _mention_rows(store, who) if kind not in ("article", "sentence", "mention") else []
    for r in mention_rows:
        ctx.need(r["s"])
    ctx.links.add(iri)
    ctx.load()

    sections = []
    for title, columns, rows, options in results:
        display = [c.lstrip("@") for c in columns]
        built = _section_rows(rows, ctx, columns, sentence_key=None if options.get("sentence") is False else "s",
                              date_key=None if options.get("date") is False else "date", focus_keys=())
        # the page's own entity and the row's entities are marked in each evidence sentence
        built = [_refocus(row, focus, rows_i, ctx) for row, rows_i in zip(built, rows)]
        built = _sort_rows(_merge_evidence(built))
        if built:
            sections.append(Section(title, display, built,
                                    note=f"first {ROW_LIMIT} shown" if len(rows) >= ROW_LIMIT else ""))
    if co_mentioned:
        sections.append(Section("Mentioned with", ["entity", "articles"],
                                [Row([ctx.link(r["other"]), r["n"]]) for r in co_mentioned],
                                note=f"people and bodies named in the same articles (up to {CO_ARTICLES})"))
    mentions = [e for e in (ctx.evidence(r["s"], focus) for r in mention_rows) if e]
    facts = _facts(store, iri, kind, ctx)
    if mentions_of:
        facts.append(("Mentioned in", [f"{len({m.rsplit('/person/', 1)[0] for m in mentions_of})} articles"]))
    timeline = _timeline(sections)
    statements = _statements(store, iri, ctx, who)
    label = ctx.link(iri).label
    return EntityPage(iri, kind, type_label, label, facts, sections, mentions, timeline,
                      _neighbourhood(label, sections), statements)


def _co_mentioned(store, who: str, focus: set[str], ctx: _Context) -> list[dict]:
    """People and bodies named in the same articles (up to CO_ARTICLES): {"other", "n"}, most articles first.
    Bodies are shared nodes, counted in the engine; people are the articles' own nodes, counted per real
    person here."""
    articles = f"""{{ SELECT DISTINCT ?article WHERE {{ {who} GRAPH ?article {{ ?m antt:refersTo ?who }} }}
                     LIMIT {CO_ARTICLES} }}"""
    bodies = select(store, f"""SELECT ?other (COUNT(DISTINCT ?article) AS ?n) WHERE {{ {articles}
          GRAPH ?article {{ ?m2 antt:refersTo ?other . ?other a antt:Organization }}
        }} GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 21""")
    people = select(store, f"""SELECT DISTINCT ?other ?article WHERE {{ {articles}
          GRAPH ?article {{ ?m2 antt:refersTo ?other . ?other a antt:Person }} }} LIMIT {CO_PEOPLE_ROWS}""")
    same = real_people(store, {r["other"] for r in people})
    ctx._same.update(same)
    counted: dict[str, set[str]] = defaultdict(set)
    for r in people:
        counted[same.get(r["other"], r["other"])].add(r["article"])
    found = [(r["other"], int(r["n"])) for r in bodies] + [(p, len(a)) for p, a in counted.items()]
    found = [(o, n) for o, n in found if o not in focus]
    found.sort(key=lambda item: (-item[1], item[0]))
    return [{"other": o, "n": str(n)} for o, n in found[:20]]


def _refocus(row: Row, focus: set[str], raw: dict, ctx: _Context) -> Row:
    """Rebuild each evidence with the page's entity and the row's entities marked."""
    focus = set(focus) | {v for v in raw.values() if isinstance(v, str) and v.startswith(ID)}
    if raw.get("s"):
        ev = ctx.evidence(raw["s"], focus)
        row.evidence = [ev] if ev else []
    return row


def _facts(store, iri: str, kind: str, ctx: _Context) -> list[tuple[str, list[Link | str]]]:
    """The one-line facts shown under the heading: other names, abbreviations, dates, numbers."""
    rows = select(store, f"""SELECT DISTINCT ?p ?o WHERE {{ {iri_term(iri)} ?p ?o
        VALUES ?p {{ skos:altLabel antt:abbreviation antt:placeKind schema:startDate antt:startYear antt:endYear
                     antt:documentNumber dcterms:issued dcterms:subject antt:documentType antt:awardType
                     antt:collectiveRecipients antt:individualRecipients antt:occasion schema:value schema:unitText
                     antt:sourceName antt:byline schema:url org:role org:member org:organization antt:asOf
                     owl:sameAs dcterms:isReplacedBy }}
        }} ORDER BY ?p ?o LIMIT 100""")
    names = {SKOS + "altLabel": "Also written", ANTT + "abbreviation": "Abbreviation", ANTT + "placeKind": "Kind",
             SCHEMA + "startDate": "Date", ANTT + "startYear": "From", ANTT + "endYear": "To",
             ANTT + "documentNumber": "Number", DCTERMS + "issued": "Issued", DCTERMS + "subject": "Subject",
             ANTT + "documentType": "Type", ANTT + "awardType": "Award", ANTT + "collectiveRecipients": "Collectives",
             ANTT + "individualRecipients": "Individuals", ANTT + "occasion": "Occasion", SCHEMA + "value": "Value",
             SCHEMA + "unitText": "Unit", ANTT + "sourceName": "Source", ANTT + "byline": "By",
             SCHEMA + "url": "Original", ORG + "role": "Title", ORG + "member": "Person",
             ORG + "organization": "Organisation", ANTT + "asOf": "As of", OWL + "sameAs": "Same as",
             DCTERMS + "isReplacedBy": "Replaced by"}
    ctx.label_all(r["o"] for r in rows if r["o"] and r["o"].startswith(ID))
    grouped: dict[str, list] = {}
    for r in rows:
        value = r["o"]
        shown = ctx.link(value) if value and value.startswith(ID) else value
        grouped.setdefault(names[r["p"]], []).append(shown)
    order = list(dict.fromkeys(names.values()))
    return sorted(grouped.items(), key=lambda kv: order.index(kv[0]))


def _timeline(sections: list[Section]) -> list[TimelineItem]:
    items = []
    for section in sections:
        for row in section.rows:
            if year_of(row.date) is None:
                continue
            parts = [c.label if isinstance(c, Link) else str(c) for c in row.cells if c]
            first_link = next((c for c in row.cells if isinstance(c, Link)), None)
            items.append(TimelineItem(row.date, f"{section.title}: {', '.join(parts)}",
                                      first_link.href if first_link else None))
    items.sort(key=lambda i: (year_of(i.date), i.label))
    return items[:200]


def _neighbourhood(label: str, sections: list[Section]) -> Neighbourhood | None:
    """The entities linked most often from the page, on a circle around it (inline SVG coordinates)."""
    weight: Counter = Counter()
    first: dict[str, Link] = {}
    for section in sections:
        for row in section.rows:
            for cell in row.cells:
                if isinstance(cell, Link) and cell.kind not in ("", "article"):
                    weight[cell.href] += 1
                    first.setdefault(cell.href, cell)
    top = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:NEIGHBOURS]
    if not top:
        return None
    size, radius = 520, 165
    nodes = []
    for n, (href, _w) in enumerate(top):
        angle = 2 * math.pi * n / len(top) - math.pi / 2
        nodes.append((first[href], round(size / 2 + radius * math.cos(angle), 1),
                      round(size / 2 + radius * math.sin(angle), 1)))
    return Neighbourhood(nodes, (label, size / 2, size / 2), size)


# ---------------------------------------------------------------------------------------------------------
# Article pages


def article_page(store, iri: str, inputs: list[str] | None = None) -> ArticlePage | None:
    found = kind_of(store, iri)
    if found is None or found[0] != "article":
        return None
    ctx = _Context(store)
    g = iri_term(iri)
    sentences = select(store, f"""SELECT ?s ?i ?b ?e ?text WHERE {{ GRAPH {g} {{
        ?s a antt:Sentence ; antt:sentenceIndex ?i ; antt:beginIndex ?b ; antt:endIndex ?e ; rdf:value ?text }} }}""")
    mentions = select(store, f"""SELECT ?ent ?b ?e ?s WHERE {{ GRAPH {g} {{
        ?m antt:refersTo ?ent ; antt:beginIndex ?b ; antt:endIndex ?e ; antt:inSentence ?s }} }}""")
    info = {r["p"]: r["o"] for r in select(store, f"""SELECT ?p ?o WHERE {{ GRAPH {g} {{ {g} ?p ?o }} }}""")}
    ctx.label_all({r["ent"] for r in mentions} | {iri})
    full = _full_text(iri, info.get(ANTT + "contentHash"), store, inputs or [])
    spans = [(int(r["b"]), int(r["e"]), r["ent"]) for r in mentions]
    ordered = sorted(((int(r["b"]), int(r["e"]), r["s"].rsplit("/", 1)[-1], r["text"]) for r in sentences))
    paragraphs: list[list] = [[]]

    def add_plain(text: str) -> None:
        # A line break in the cleaned text ends a paragraph; spaces between sentences are kept.
        for n, part in enumerate(re.split(r"[ \t]*\n\s*", text)):
            if n > 0:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Segment(part))

    pos, last_end = 0, None
    for begin, end, number, text in ordered:
        inside = [(b - begin, e - begin, ent) for b, e, ent in spans if begin <= b and e <= end]
        if full is not None:
            if begin < pos:
                continue
            add_plain(full[pos:begin])
            paragraphs[-1].append((f"s{number}", highlight(full[begin:end], inside, ctx, set())))
            pos = end
        else:  # only the sentences the graph keeps, a gap marked where sentences are left out
            if last_end is not None and begin > last_end + 2:
                paragraphs.append([Segment("…")])
            paragraphs.append([(f"s{number}", highlight(text, inside, ctx, set()))])
            last_end = end
    if full is not None:
        add_plain(full[pos:])
    paragraphs = [p for p in paragraphs if p]
    grouped: dict[str, dict[str, Link]] = defaultdict(dict)
    for _b, _e, ent in spans:
        link = ctx.link(ent)
        grouped[link.kind or "other"][link.href] = link
    order = ["person", "organization", "place", "document", "initiative", "other"]
    entities = [(kind, sorted(links.values(), key=lambda l: l.label))
                for kind, links in sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]
    events = select(store, f"""SELECT ?event ?date ?s WHERE {{ GRAPH {g} {{ ?event prov:wasDerivedFrom ?s ;
        schema:name ?n . OPTIONAL {{ ?event schema:startDate ?date }} FILTER NOT EXISTS {{ ?event a antt:Initiative }}
        FILTER (STRSTARTS(STR(?event), "{iri}/event/")) }} }} ORDER BY ?event""")
    positions = select(store, f"""SELECT ?person ?role ?org ?s WHERE {{ GRAPH {g} {{ ?ms org:member ?person ;
        org:role ?role ; prov:wasDerivedFrom ?s . OPTIONAL {{ ?ms org:organization ?org }} }} }}""")
    for r in events + positions:
        ctx.need(r["s"])
        ctx.links.update(v for k, v in r.items() if k not in ("s", "date") and v)
    ctx.load()
    sections = []
    for title, columns, rows in (("Events", ["event"], events), ("Positions", ["person", "role", "org"], positions)):
        built = [_refocus(row, set(), raw, ctx) for row, raw in zip(_section_rows(rows, ctx, columns), rows)]
        if built:
            sections.append(Section(title, columns, built))
    facts = []
    for label, predicate in (("Published", DCTERMS + "issued"), ("Source", ANTT + "sourceName"),
                             ("Identifier", DCTERMS + "identifier")):
        if info.get(predicate):
            facts.append((label, [info[predicate]]))
    bylines = sorted(r["o"] for r in select(store, f"SELECT ?o WHERE {{ GRAPH {g} {{ {g} antt:byline ?o }} }}"))
    if bylines:
        facts.append(("By", bylines))
    if info.get(SCHEMA + "url"):
        facts.append(("Original", [Link(info[SCHEMA + "url"], info[SCHEMA + "url"], "external")]))
    return ArticlePage(iri, ctx.link(iri).label, facts, paragraphs, full is not None, entities, sections)


def _full_text(article_iri: str, content_hash: str | None, store, inputs: list[str]) -> str | None:
    """The article's cleaned text (title, lead, body) read again from its source file, when that file is a
    single article and still gives the same content hash; None otherwise (the page then shows the
    sentences the graph keeps)."""
    if not content_hash:
        return None
    return _read_source(article_iri, content_hash, tuple(inputs))


@lru_cache(maxsize=256)
def _read_source(article_iri: str, content_hash: str, inputs: tuple[str, ...]) -> str | None:
    from ..ingest import read_file
    from ..models import Article

    origin = _ORIGINS.get(article_iri)
    if not origin or re.search(r":\d+\Z", origin):
        return None  # one record of a JSON Lines file: re-reading it means reading the file up to it
    candidates = [Path(origin)] + [Path(i).parent / Path(origin).name for i in inputs]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            for item in read_file(path):
                if isinstance(item, Article) and item.content_hash == content_hash:
                    return item.full_text
        except OSError:
            continue
    return None


_ORIGINS: dict[str, str] = {}


def remember_origins(origins: dict[str, str]) -> None:
    """Graph IRI -> origin (file, or file:line) from the store's manifest."""
    _ORIGINS.clear()
    _ORIGINS.update(origins)
