"""What the pages show: labels, entity pages with evidence, article text.

Every function takes an open pyoxigraph store and the server's ``Model`` (catalogue of labels and kinds,
table of facts, both read once from the store) and returns plain data classes (no HTML). The sections of an
entity page are gathered from the fact table; the store is asked only for what a page shows: the evidence
sentences with their mentions (bound to each sentence's article graph), the entity's own statements, and
the articles it shares with others. Sections list their first ``SECTION_ROWS`` rows, most recent first;
a "more" link shows up to ``MORE_ROWS``.

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
from ..vocab import ANTT, DCTERMS, ID, ORG, OWL, SCHEMA, SKOS
from .catalogue import PEOPLE_GRAPH_PREFIX, REAL_PERSON_PREFIX, graph_of, is_local_person
from .facts import EVENT_ROLES, INCIDENT_BODIES, INCIDENT_PEOPLE, LINKS
from .kinds import KINDS, compact, iri_of_path, path_of, select

__all__ = ["ArticlePage", "EntityPage", "Evidence", "KINDS", "Link", "Model", "Row", "Section", "Segment",
           "article_page", "compact", "entity_page", "iri_of_path", "is_local_person", "kind_of", "path_of",
           "remember_origins", "replacement", "select", "year_of"]

SECTION_ROWS = 25      # rows per section on an entity page
MORE_ROWS = 500        # rows of the one section a "more" link opens
MENTION_LIMIT = 20     # sentences shown as evidence of an entity being named
CO_ARTICLES = 80       # articles looked at for "mentioned with"
NEIGHBOURS = 12        # nodes in the neighbourhood graph


@dataclass
class Model:
    """What the server holds in memory about the store (rebuilt or refreshed after a correction)."""
    catalogue: object
    facts: object


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
    first: str | None = None   # earliest date, when the row gathers several articles
    articles: int = 1          # articles the row was read in


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    note: str = ""
    key: str = ""              # what ?more= names to show all of it
    total: int = 0             # rows before the cut
    more: str | None = None    # link to the section with up to MORE_ROWS rows


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


def _values(iris) -> str:
    return " ".join(iri_term(i) for i in sorted(set(iris)))


def _pairs(nodes) -> str:
    """VALUES rows (?node ?g) for article-local nodes, each with the article graph that states it."""
    return " ".join(f"({iri_term(n)} {iri_term(g)})" for n in sorted(set(nodes)) if (g := graph_of(n)))


def replacement(model: Model, iri: str) -> str | None:
    """The IRI that now stands for a retired or merged-away IRI (``dcterms:isReplacedBy``, or a curator's
    merge of two bodies)."""
    return model.catalogue.replaced.get(iri)


def kind_of(store, iri: str, model: Model | None = None) -> tuple[str, str, str] | None:
    """(kind, type display name, class IRI) of a node; None when the store has nothing about it."""
    node = iri_term(iri)
    graph = graph_of(iri)
    # An article-local node is typed in its article's graph only: ask that graph, not the union.
    where = f"GRAPH {iri_term(graph)} {{ {node} a ?t }}" if graph else f"GRAPH ?g {{ {node} a ?t }}"
    rows = select(store, f"SELECT DISTINCT ?t WHERE {{ {where} }} LIMIT 20")
    types = [r["t"] for r in rows if r["t"]]
    for cls in KINDS:  # the most specific first (KINDS lists subclasses before their class)
        if cls in types:
            return (*KINDS[cls], cls)
    if types:
        return ("other", compact(types[0]), types[0])
    if select(store, f"SELECT ?p WHERE {{ {node} ?p ?o }} LIMIT 1"):
        return ("other", "Resource", "")
    return None


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


def _label_query(store, iris) -> dict[str, str]:
    """Labels of nodes the catalogue does not list (figures, positions, awards): read from their graph."""
    out = {}
    local = [i for i in iris if graph_of(i)]
    if local:
        for r in select(store, f"""SELECT ?s ?l WHERE {{ VALUES (?s ?g) {{ {_pairs(local)} }} GRAPH ?g {{
                ?s schema:name|dcterms:title|skos:prefLabel|antt:awardType|schema:value ?l }} }}"""):
            out.setdefault(r["s"], r["l"])
    return out


# ---------------------------------------------------------------------------------------------------------
# Evidence: sentences with their mentions


class _Context:
    """Collects the sentences and entities a page cites, then reads the sentences in two queries."""

    def __init__(self, store, model: Model):
        self.store = store
        self.cat = model.catalogue
        self.sentences: set[str] = set()
        self.links: set[str] = set()
        self._sentence: dict[str, tuple[str, int, str]] = {}
        self._mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, str] = {}

    def need(self, sentence: str | None) -> None:
        if sentence:
            self.sentences.add(sentence)

    def load(self) -> None:
        if self.sentences:
            pairs = _pairs(self.sentences)
            for r in select(self.store, f"""SELECT ?s ?text ?begin ?g WHERE {{ VALUES (?s ?g) {{ {pairs} }}
                    GRAPH ?g {{ ?s rdf:value ?text ; antt:beginIndex ?begin }} }}"""):
                self._sentence[r["s"]] = (r["text"], int(r["begin"]), r["g"])
            for r in select(self.store, f"""SELECT ?s ?e ?b ?end WHERE {{ VALUES (?s ?g) {{ {pairs} }}
                    GRAPH ?g {{ ?m antt:inSentence ?s ; antt:refersTo ?e ; antt:beginIndex ?b ; antt:endIndex ?end }}
                    }}"""):
                self._mentions[r["s"]].append((int(r["b"]), int(r["end"]), r["e"]))
                self.links.add(r["e"])
        self.label_all(self.links)

    def label_all(self, iris) -> None:
        missing = []
        for i in iris:
            if not i or i in self._labels:
                continue
            real = self.cat.real(i)
            label = self.cat.label(real)
            if label is None:
                missing.append(real)
            else:
                self._labels[real] = label
            kind = self.cat.kind(real)
            if kind:
                self._kinds[real] = kind
        if missing:
            self._labels.update(_label_query(self.store, missing))

    def real(self, iri: str) -> str:
        return self.cat.real(iri)

    def link(self, iri: str | None) -> Link | None:
        if not iri:
            return None
        iri = self.cat.real(iri)
        label = self._labels.get(iri) or self.cat.label(iri) or _fallback_label(iri)
        return Link(label, path_of(iri), self._kinds.get(iri) or self.cat.kind(iri) or "")

    def article_date(self, article: str | None) -> str | None:
        entry = self.cat.entries.get(article or "")
        return entry.detail or None if entry else None

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
        marked = entity in focus or ctx.real(entity) in focus
        segments.append(Segment(text[start:end], link.href if link else None, link.kind if link else "", marked))
        pos = end
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments


# ---------------------------------------------------------------------------------------------------------
# Entity pages: sections from the fact table


@dataclass
class _Raw:
    """One row before labelling: entity IRIs (or literals) per column, dates, and where it was read."""
    cells: tuple
    date: str | None = None
    first: str | None = None
    graphs: set = field(default_factory=set)
    sentence: str | None = None   # the evidence, when the fact node names it
    node: tuple | None = None     # (fact node, graph) whose prov:wasDerivedFrom is the evidence
    focus: tuple = ()


class _Plan:
    def __init__(self, key: str, title: str, columns: list[str], literal: tuple[int, ...] = (),
                 evidence: bool = True, note: str = ""):
        self.key, self.title, self.columns, self.literal = key, title, columns, literal
        self.evidence, self.note = evidence, note
        self.rows: dict[tuple, _Raw] = {}

    def add(self, cells: tuple, graph: str, date: str | None = None, sentence: str | None = None,
            node: tuple | None = None) -> None:
        """A fact read in one article; rows of the same cells gather their articles and dates."""
        row = self.rows.get(cells)
        if row is None:
            row = self.rows[cells] = _Raw(cells)
        row.graphs.add(graph)
        if date and (row.date is None or date > row.date):
            row.date, row.sentence, row.node = date, sentence or row.sentence, node or row.node
        elif row.sentence is None and row.node is None:
            row.sentence, row.node = sentence, node
        if date and (row.first is None or date < row.first):
            row.first = date


def _sorted_rows(plan: _Plan) -> list[_Raw]:
    return sorted(plan.rows.values(), key=lambda r: (-(year_of(r.date) or 0), -len(r.graphs), str(r.cells)))


def _person_plans(model: Model, who: list[str], iri: str, ctx: _Context) -> list[_Plan]:
    facts, cat = model.facts, model.catalogue
    date_of = ctx.article_date
    rank = _Plan("rank", "Rank", ["rank"])
    for f in facts.ranks_of(who):
        rank.add((f.rank,), f.graph, date_of(f.graph), node=None)
        rank.rows[(f.rank,)].focus = (f.person,)
    positions = _Plan("positions", "Positions", ["role", "org"])
    for p in facts.positions_of(who):
        positions.add((p.role, p.organization), p.graph, p.as_of or date_of(p.graph), sentence=p.sentence)
    events = _Plan("events", "Events", ["event", "@role", "place"], literal=(1,))
    incidents = _Plan("incidents", "Incidents", ["incident", "@role", "place"], literal=(1,))
    for link in facts.incoming(who, EVENT_ROLES + INCIDENT_PEOPLE):
        incident = link.predicate in INCIDENT_PEOPLE
        place = next((l.object for l in facts.outgoing([link.subject], (SCHEMA + "location",))), None)
        date = _node_date(cat, link.subject) or date_of(link.graph)
        (incidents if incident else events).add((link.subject, LINKS[link.predicate], place), link.graph, date,
                                                node=(link.subject, link.graph))
    return [rank, positions, events, incidents]


def _node_date(cat, node: str) -> str | None:
    entry = cat.entries.get(node)
    return entry.detail or None if entry else None


def _incoming_plan(model: Model, ctx: _Context, key: str, title: str, column: str, nodes, predicates,
                   role: bool = False, place: bool = False, kinds: tuple[str, ...] | None = None) -> _Plan:
    """Rows of the nodes that link to ``nodes`` by ``predicates`` (events organised, documents issued...)."""
    facts, cat = model.facts, model.catalogue
    columns = [column] + (["@role"] if role else []) + (["place"] if place else [])
    plan = _Plan(key, title, columns, literal=(1,) if role else ())
    for link in facts.incoming(nodes, predicates):
        if kinds and cat.kind(link.subject) not in kinds:
            continue
        cells = [link.subject]
        if role:
            cells.append(LINKS[link.predicate])
        if place:
            cells.append(next((l.object for l in facts.outgoing([link.subject], (SCHEMA + "location",))), None))
        plan.add(tuple(cells), link.graph, _node_date(cat, link.subject) or ctx.article_date(link.graph),
                 node=(link.subject, link.graph))
    return plan


def _outgoing_plan(model: Model, ctx: _Context, key: str, title: str, column: str, nodes, predicates,
                   evidence: bool = True, role: bool = False) -> _Plan:
    """Rows of what ``nodes`` link to by ``predicates`` (the place of an event, its attendees...)."""
    plan = _Plan(key, title, [column] + (["@role"] if role else []), literal=(1,) if role else (),
                 evidence=evidence)
    for link in model.facts.outgoing(nodes, predicates):
        cells = (link.object, LINKS[link.predicate]) if role else (link.object,)
        plan.add(cells, link.graph, None, node=(link.subject, link.graph) if evidence else None)
    return plan


def _plans(model: Model, kind: str, iri: str, who: list[str], ctx: _Context) -> list[_Plan]:
    facts = model.facts
    O = ORG
    if kind == "person":
        return _person_plans(model, who, iri, ctx)
    if kind == "organization":
        members = _Plan("members", "Members", ["person", "role"])
        for p in facts.members_of(iri):
            members.add((ctx.real(p.member), p.role), p.graph, p.as_of or ctx.article_date(p.graph),
                        sentence=p.sentence)
            members.rows[(ctx.real(p.member), p.role)].focus = (p.member,)
        return [
            _outgoing_plan(model, ctx, "parent", "Part of", "parent", [iri], (O + "subOrganizationOf",), False),
            _incoming_plan(model, ctx, "children", "Sub-bodies", "child", [iri], (O + "subOrganizationOf",)),
            _outgoing_plan(model, ctx, "based", "Based in", "place", [iri], (ANTT + "basedIn",), False),
            members,
            _incoming_plan(model, ctx, "events", "Events organised", "event", [iri], (SCHEMA + "organizer",),
                           place=True),
            _incoming_plan(model, ctx, "incidents", "Incidents", "incident", [iri], INCIDENT_BODIES, role=True,
                           place=True),
            _incoming_plan(model, ctx, "documents", "Documents issued", "doc", [iri], (ANTT + "issuedBy",)),
            _incoming_plan(model, ctx, "initiatives", "Programmes launched", "initiative", [iri],
                           (ANTT + "launchedBy",)),
            _incoming_plan(model, ctx, "awards", "Awards given", "award", [iri], (ANTT + "awardedBy",)),
        ]
    if kind == "place":
        bodies = _incoming_plan(model, ctx, "bodies", "Bodies based here", "org", [iri], (ANTT + "basedIn",))
        bodies.evidence = False
        return [bodies,
                _incoming_plan(model, ctx, "events", "Events here", "event", [iri], (SCHEMA + "location",),
                               kinds=("event",)),
                _incoming_plan(model, ctx, "incidents", "Incidents here", "incident", [iri], (SCHEMA + "location",),
                               kinds=("incident",))]
    if kind == "event":
        return [_outgoing_plan(model, ctx, key, title, var, [iri], (predicate,))
                for key, title, predicate, var in (
                    ("place", "Place", SCHEMA + "location", "place"),
                    ("organisers", "Organised by", SCHEMA + "organizer", "org"),
                    ("chairs", "Chaired by", ANTT + "chairedBy", "person"),
                    ("attendees", "Attended by", SCHEMA + "attendee", "person"),
                    ("speakers", "Speakers", ANTT + "speaker", "person"))]
    if kind == "incident":
        return [_outgoing_plan(model, ctx, "place", "Place", "place", [iri], (SCHEMA + "location",)),
                _outgoing_plan(model, ctx, "people", "People", "person", [iri], INCIDENT_PEOPLE, role=True),
                _outgoing_plan(model, ctx, "bodies", "Bodies", "org", [iri], INCIDENT_BODIES, role=True),
                _outgoing_plan(model, ctx, "charges", "Charges", "charge", [iri], (ANTT + "charge",))]
    if kind == "document":
        return [_outgoing_plan(model, ctx, "issuers", "Issued by", "org", [iri], (ANTT + "issuedBy",))]
    if kind == "initiative":
        return [_outgoing_plan(model, ctx, "launchers", "Launched by", "org", [iri], (ANTT + "launchedBy",))]
    if kind == "charge":
        return [_incoming_plan(model, ctx, "incidents", "Charged in", "incident", [iri], (ANTT + "charge",))]
    if kind == "concept":
        used = _Plan("used", "Used by", ["who", "org"])
        for f in facts.ranked(iri):
            used.add((ctx.real(f.person), None), f.graph, ctx.article_date(f.graph))
        for p in facts.holders_of(iri):
            used.add((ctx.real(p.member), p.organization), p.graph, p.as_of or ctx.article_date(p.graph),
                     sentence=p.sentence)
        docs = _incoming_plan(model, ctx, "documents", "Documents of this type", "doc", [iri],
                              (ANTT + "documentType",))
        docs.evidence = False
        return [used, docs]
    return []


def _read_in(store, iri: str) -> list[dict]:
    node = iri_term(iri)
    graph = graph_of(iri)
    where = f"GRAPH {iri_term(graph)} {{ {node} prov:wasDerivedFrom ?s }}" if graph else f"{node} prov:wasDerivedFrom ?s"
    return select(store, f"SELECT DISTINCT ?s WHERE {{ {where} }} LIMIT 20")


def _node_sentences(store, nodes: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(fact node, graph) -> one sentence it was read from."""
    if not nodes:
        return {}
    pairs = " ".join(f"({iri_term(n)} {iri_term(g)})" for n, g in sorted(nodes))
    out = {}
    for r in select(store, f"""SELECT ?n ?g ?s WHERE {{ VALUES (?n ?g) {{ {pairs} }}
            GRAPH ?g {{ ?n prov:wasDerivedFrom ?s }} }}"""):
        key = (r["n"], r["g"])
        if key not in out or _sentence_number(r["s"]) < _sentence_number(out[key]):
            out[key] = r["s"]
    return out


def _sentence_number(sentence: str) -> int:
    tail = sentence.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _mention_sentences(store, pairs_of: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """(sentence, graph) where the nodes are named; ``pairs_of``: (node, graph), at most ``limit``."""
    if not pairs_of:
        return []
    pairs = " ".join(f"({iri_term(n)} {iri_term(g)})" for n, g in pairs_of)
    rows = select(store, f"""SELECT ?s ?g WHERE {{ VALUES (?who ?g) {{ {pairs} }}
        GRAPH ?g {{ ?m antt:refersTo ?who ; antt:inSentence ?s }} }} LIMIT {limit}""")
    return sorted({(r["s"], r["g"]) for r in rows}, key=lambda sg: (sg[1], _sentence_number(sg[0])))


def entity_page(store, iri: str, model: Model, *, more: str | None = None) -> EntityPage | None:
    found = kind_of(store, iri, model)
    if found is None:
        return None
    kind, type_label, cls = found
    cat = model.catalogue
    ctx = _Context(store, model)
    # A real person is what the articles say about each of its mentions.
    mentions_of = cat.mentions_of(iri) if kind == "person" else []
    who = [iri, *mentions_of]
    focus = set(who)
    plans = _plans(model, kind, iri, who, ctx)

    # Cut each section, then ask the store for the evidence of the rows shown.
    shown: list[tuple[_Plan, list[_Raw]]] = []
    for plan in plans:
        rows = _sorted_rows(plan)
        shown.append((plan, rows[:MORE_ROWS if plan.key == more else SECTION_ROWS]))
    nodes = {r.node for _p, rows in shown for r in rows if r.node and r.sentence is None and _p.evidence}
    sentence_of = _node_sentences(store, nodes)
    # Rows that stand for a person being named with a rank: a sentence naming them in that article.
    rank_rows = [(r, g) for p, rows in shown if p.key == "rank" for r in rows for g in [min(r.graphs)]]
    if rank_rows:
        named = {}
        wanted = [(w, g) for r, g in rank_rows for w in who if graph_of(w) == g or w == iri]
        for s, g in _mention_sentences(store, wanted, 5 * len(rank_rows) + 20):
            named.setdefault(g, s)
        for r, g in rank_rows:
            r.sentence = named.get(g)
    for _p, rows in shown:
        for r in rows:
            if r.sentence is None and r.node:
                r.sentence = sentence_of.get(r.node)
            ctx.need(r.sentence if _p.evidence else None)
            ctx.links.update(c for i, c in enumerate(r.cells) if c and i not in _p.literal)

    co_mentioned = []
    if kind in ("person", "organization", "place", "initiative", "document"):
        co_mentioned = _co_mentioned(store, iri, mentions_of, focus, ctx)
        ctx.links.update(o for o, _n in co_mentioned)
    mention_rows = []
    if kind not in ("article", "sentence", "mention"):
        local_pairs = [(w, graph_of(w)) for w in mentions_of if graph_of(w)][:MENTION_LIMIT * 3]
        if kind == "person" and local_pairs:
            mention_rows = _mention_sentences(store, local_pairs, MENTION_LIMIT)
        elif graph_of(iri):
            mention_rows = _mention_sentences(store, [(iri, graph_of(iri))], MENTION_LIMIT)
        else:
            rows = select(store, f"""SELECT ?s ?g WHERE {{ GRAPH ?g {{ ?m antt:refersTo {iri_term(iri)} ;
                antt:inSentence ?s }} }} LIMIT {MENTION_LIMIT}""")
            mention_rows = sorted({(r["s"], r["g"]) for r in rows}, key=lambda sg: (sg[1], _sentence_number(sg[0])))
    read_in = _read_in(store, iri) if kind in ("award", "figure", "membership", "other") else []
    for s, _g in mention_rows:
        ctx.need(s)
    for r in read_in:
        ctx.need(r["s"])
    ctx.links.add(iri)
    ctx.load()

    sections = []
    for plan, rows in shown:
        built = []
        for raw in rows:
            cells = [raw.cells[i] if i in plan.literal else ctx.link(c) for i, c in enumerate(raw.cells)]
            row_focus = focus | set(raw.focus) | {c for i, c in enumerate(raw.cells) if c and i not in plan.literal}
            ev = ctx.evidence(raw.sentence, row_focus) if plan.evidence else None
            built.append(Row(cells, raw.date, [ev] if ev else [], raw.first if raw.first != raw.date else None,
                             len(raw.graphs)))
        if built:
            total = len(plan.rows)
            section = Section(plan.title, [c.lstrip("@") for c in plan.columns], built, key=plan.key, total=total)
            if total > len(built):
                section.note = f"{len(built)} of {total} shown, the most recent first"
                section.more = f"?more={plan.key}#sec-{plan.key}"
            sections.append(section)
    if read_in:
        evidence = [e for e in (ctx.evidence(r["s"], focus) for r in read_in) if e]
        if evidence:
            sections.append(Section("Read in", [], [Row([], None, evidence)], key="read"))
    if co_mentioned:
        sections.append(Section("Mentioned with", ["entity", "articles"],
                                [Row([ctx.link(o), str(n)]) for o, n in co_mentioned], key="with",
                                note=f"people and bodies named in the same articles (up to {CO_ARTICLES})"))
    if kind == "person" and iri.startswith(REAL_PERSON_PREFIX):
        candidates = _candidates(store, iri, ctx)
        if candidates:
            sections.append(candidates)
    mentions = [e for e in (ctx.evidence(s, focus) for s, _g in mention_rows) if e]
    facts = _facts(store, iri, kind, ctx)
    if mentions_of:
        count = len({graph_of(m) for m in mentions_of})
        facts.append(("Mentioned in", [f"{count} article{'' if count == 1 else 's'}"]))
    timeline = _timeline(sections)
    statements = _statements(store, iri, ctx, who)
    label = ctx.link(iri).label
    return EntityPage(iri, kind, type_label, label, facts, sections, mentions, timeline,
                      _neighbourhood(label, sections), statements)


def _candidates(store, iri: str, ctx: _Context) -> Section | None:
    """People of the same name the identity pass could neither join nor tell apart (a review list)."""
    t = iri_term(iri)
    rows = select(store, f"""SELECT ?person (MAX(?value) AS ?score) WHERE {{
          GRAPH ?g {{ {{ {t} antt:possiblySameAs ?person }} UNION {{ ?person antt:possiblySameAs {t} }}
            OPTIONAL {{ ?c antt:candidate {t}, ?person ; antt:matchScore ?value }} }}
          FILTER(STRSTARTS(STR(?g), "{PEOPLE_GRAPH_PREFIX}"))
        }} GROUP BY ?person ORDER BY DESC(?score) ?person LIMIT 50""")
    if not rows:
        return None
    ctx.label_all(r["person"] for r in rows)
    return Section("May be the same as", ["person", "score"], [Row([ctx.link(r["person"]), r["score"]]) for r in rows],
                   key="candidates")


def _co_mentioned(store, iri: str, mentions_of: list[str], focus: set[str], ctx: _Context) -> list[tuple[str, int]]:
    """People and bodies named in the same articles (up to CO_ARTICLES), most articles first."""
    if mentions_of:
        graphs = sorted({graph_of(m) for m in mentions_of}, reverse=True)[:CO_ARTICLES]
    else:
        graphs = [r["g"] for r in select(store, f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{
            ?m antt:refersTo {iri_term(iri)} }} }} LIMIT {CO_ARTICLES}""")]
    if not graphs:
        return []
    rows = select(store, f"""SELECT DISTINCT ?g ?other WHERE {{ VALUES ?g {{ {_values(graphs)} }}
        GRAPH ?g {{ ?m antt:refersTo ?other }} }}""")
    counted: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        other = ctx.real(r["other"])
        if other not in focus and ctx.cat.kind(other) in ("person", "organization"):
            counted[other].add(r["g"])
    found = sorted(((o, len(a)) for o, a in counted.items()), key=lambda item: (-item[1], item[0]))
    return found[:20]


def _statements(store, iri: str, ctx: _Context, who: list[str]) -> list[tuple[str, str, Link | str, str]]:
    """Every (predicate, object) stated about the node (for a real person, also about its mentions, which a
    rejection of the real person removes too): compact predicate, predicate IRI, shown value, and the
    value's own lexical form (what a rejection names). At most 200, for a node stated in many articles."""
    import pyoxigraph as ox

    local = [w for w in who if graph_of(w)]
    shared = [w for w in who if not graph_of(w)]
    raw = set()
    if local:
        for s in store.query(f"""SELECT DISTINCT ?p ?o WHERE {{ VALUES (?who ?g) {{ {_pairs(local[:400])} }}
                GRAPH ?g {{ ?who ?p ?o }} FILTER(?p != <{OWL}sameAs> || ?o != {iri_term(iri)}) }} LIMIT 200"""):
            raw.add((s["p"].value, s["o"]))
    for w in shared:
        for s in store.query(f"""SELECT DISTINCT ?p ?o WHERE {{ GRAPH ?g {{ {iri_term(w)} ?p ?o }} }} LIMIT 200"""):
            raw.add((s["p"].value, s["o"]))
    raw = sorted(raw, key=lambda po: (po[0], str(po[1])))[:200]
    ctx.label_all(o.value for _p, o in raw if isinstance(o, ox.NamedNode) and o.value.startswith(ID))
    out = []
    for p, o in raw:
        if isinstance(o, ox.NamedNode):
            shown = ctx.link(o.value) if o.value.startswith(ID) else Link(compact(o.value), o.value)
        else:
            shown = o.value
        out.append((compact(p), p, shown, o.value))
    return out


_FACT_NAMES = {SKOS + "altLabel": "Also written", ANTT + "abbreviation": "Abbreviation", ANTT + "placeKind": "Kind",
               SCHEMA + "startDate": "Date", ANTT + "startYear": "From", ANTT + "endYear": "To",
               ANTT + "documentNumber": "Number", DCTERMS + "issued": "Issued", DCTERMS + "subject": "Subject",
               ANTT + "documentType": "Type", ANTT + "awardType": "Award",
               ANTT + "collectiveRecipients": "Collectives", ANTT + "individualRecipients": "Individuals",
               ANTT + "occasion": "Occasion", SCHEMA + "value": "Value", SCHEMA + "unitText": "Unit",
               ANTT + "penalty": "Penalty", ANTT + "deaths": "Deaths", ANTT + "injuries": "Injuries",
               ANTT + "damage": "Damage", ANTT + "penalCodeArticle": "Penal code article",
               ANTT + "penalCodeClause": "Clause",
               ANTT + "sourceName": "Source", ANTT + "byline": "By", SCHEMA + "url": "Original", ORG + "role": "Title",
               ORG + "member": "Person", ORG + "organization": "Organisation", ANTT + "asOf": "As of",
               OWL + "sameAs": "Same as", DCTERMS + "isReplacedBy": "Replaced by"}


def _facts(store, iri: str, kind: str, ctx: _Context) -> list[tuple[str, list[Link | str]]]:
    """The one-line facts shown under the heading: other names, abbreviations, dates, numbers."""
    # Any graph: an article's person is linked to the real one in a people graph.
    where = f"GRAPH ?g {{ {iri_term(iri)} ?p ?o }}"
    predicates = ", ".join(iri_term(p) for p in _FACT_NAMES)
    rows = select(store, f"SELECT DISTINCT ?p ?o WHERE {{ {where} FILTER(?p IN ({predicates})) }} LIMIT 100")
    rows.sort(key=lambda r: (r["p"], r["o"] or ""))
    ctx.label_all(r["o"] for r in rows if r["o"] and r["o"].startswith(ID))
    grouped: dict[str, list] = {}
    for r in rows:
        value = r["o"]
        if r["p"] == ANTT + "damage" and value:
            shown = ctx.link(value)
        else:
            shown = ctx.link(value) if value and value.startswith(ID) else value
        grouped.setdefault(_FACT_NAMES[r["p"]], []).append(shown)
    order = list(dict.fromkeys(_FACT_NAMES.values()))
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
                    weight[cell.href] += row.articles
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


def article_page(store, iri: str, model: Model, inputs: list[str] | None = None) -> ArticlePage | None:
    found = kind_of(store, iri, model)
    if found is None or found[0] != "article":
        return None
    ctx = _Context(store, model)
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
    order = ["person", "organization", "place", "event", "incident", "document", "initiative", "other"]
    entities = [(kind, sorted(links.values(), key=lambda l: l.label))
                for kind, links in sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]
    events = select(store, f"""SELECT ?event (MIN(?s0) AS ?s) WHERE {{ GRAPH {g} {{ ?event prov:wasDerivedFrom ?s0 ;
        schema:name ?n . FILTER (STRSTARTS(STR(?event), "{iri}/event/") || STRSTARTS(STR(?event), "{iri}/incident/"))
        }} }} GROUP BY ?event ORDER BY ?event""")
    positions = select(store, f"""SELECT ?person ?role ?org ?s WHERE {{ GRAPH {g} {{ ?ms org:member ?person ;
        org:role ?role ; prov:wasDerivedFrom ?s . OPTIONAL {{ ?ms org:organization ?org }} }} }}""")
    for r in events + positions:
        ctx.need(r["s"])
        ctx.links.update(v for k, v in r.items() if k != "s" and v)
    ctx.load()
    sections = []
    incidents = [r for r in events if "/incident/" in r["event"]]
    events = [r for r in events if "/incident/" not in r["event"]]
    for title, columns, rows in (("Events", ["event"], events), ("Incidents", ["event"], incidents),
                                 ("Positions", ["person", "role", "org"], positions)):
        built = []
        for r in rows:
            cells = [ctx.link(r.get(c)) for c in columns]
            focus = {r.get(c) for c in columns if r.get(c)}
            ev = ctx.evidence(r["s"], focus)
            built.append(Row(cells, None, [ev] if ev else []))
        if built:
            shown = ["incident"] if title == "Incidents" else columns
            sections.append(Section(title, shown, built, key=title.lower()))
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
