"""The links between entities that entity pages list, read from the store once and indexed both ways.

Who held which post, who attended, chaired or spoke at which event, who was a suspect or victim in which
incident, which body organised, issued, launched, handled what: a few tens of thousands of statements on the
whole corpus, read by three queries that each match inside one named graph. A page of a person named in a
thousand articles then gathers its rows from dictionaries; asking the store instead costs a look-up per
article-local node, and a real person has one node per article (docs/identity.md). Evidence sentences
and the mentions in them are still read from the store, for the rows a page shows only.

Rows hold article-local person IRIs as the articles state them; pages map them to the real people through
the catalogue, so a correction of who is who needs no reload here (one that rejects a statement does).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass

from ..vocab import ANTT, ORG, SCHEMA
from .kinds import select

# Links from an event, incident, document, programme, award or body to another entity.
LINKS = {
    SCHEMA + "attendee": "attended", ANTT + "chairedBy": "chaired", ANTT + "speaker": "spoke at",
    SCHEMA + "organizer": "organised", SCHEMA + "location": "held in",
    ANTT + "suspect": "suspect", ANTT + "defendant": "defendant", ANTT + "victim": "victim",
    ANTT + "officerInCharge": "officer in charge",
    ANTT + "handledBy": "handled", ANTT + "investigatedBy": "investigated", ANTT + "court": "tried",
    ANTT + "procuracy": "prosecuted",
    ANTT + "issuedBy": "issued", ANTT + "launchedBy": "launched", ANTT + "awardedBy": "awarded",
    ANTT + "basedIn": "based in", ORG + "subOrganizationOf": "part of", ANTT + "charge": "charge",
    ANTT + "documentType": "type",
}
EVENT_ROLES = (SCHEMA + "attendee", ANTT + "chairedBy", ANTT + "speaker")
INCIDENT_PEOPLE = (ANTT + "suspect", ANTT + "defendant", ANTT + "victim", ANTT + "officerInCharge")
INCIDENT_BODIES = (ANTT + "handledBy", ANTT + "investigatedBy", ANTT + "court", ANTT + "procuracy")


@dataclass(frozen=True)
class Link:
    subject: str
    predicate: str
    object: str
    graph: str


@dataclass(frozen=True)
class Position:
    """An ``org:Membership``: who held which title in which body, read in which sentence."""
    node: str
    member: str
    role: str
    organization: str | None
    as_of: str | None
    sentence: str | None
    graph: str


@dataclass(frozen=True)
class RankFact:
    person: str
    rank: str
    graph: str


class FactTable:
    def __init__(self):
        self.positions: list[Position] = []
        self.ranks: list[RankFact] = []
        self.links: list[Link] = []
        self._by_member: dict[str, list[Position]] = defaultdict(list)
        self._by_body: dict[str, list[Position]] = defaultdict(list)
        self._by_role: dict[str, list[Position]] = defaultdict(list)
        self._ranks_of: dict[str, list[RankFact]] = defaultdict(list)
        self._ranked: dict[str, list[RankFact]] = defaultdict(list)
        self._out: dict[str, list[Link]] = defaultdict(list)
        self._in: dict[str, list[Link]] = defaultdict(list)

    def load(self, store) -> "FactTable":
        intern = sys.intern
        seen = set()
        for r in select(store, """SELECT ?ms ?who ?role ?org ?date ?s ?g WHERE { GRAPH ?g {
                ?ms org:member ?who ; org:role ?role . OPTIONAL { ?ms org:organization ?org }
                OPTIONAL { ?ms antt:asOf ?date } OPTIONAL { ?ms prov:wasDerivedFrom ?s } } }"""):
            if r["ms"] in seen:  # one row per position (a second sentence adds nothing to show)
                continue
            seen.add(r["ms"])
            p = Position(r["ms"], intern(r["who"]), intern(r["role"]), r["org"] and intern(r["org"]), r["date"],
                         r["s"], intern(r["g"]))
            self.positions.append(p)
            self._by_member[p.member].append(p)
            self._by_role[p.role].append(p)
            if p.organization:
                self._by_body[p.organization].append(p)
        for r in select(store, "SELECT DISTINCT ?who ?rank ?g WHERE { GRAPH ?g { ?who antt:rank ?rank } }"):
            f = RankFact(intern(r["who"]), intern(r["rank"]), intern(r["g"]))
            self.ranks.append(f)
            self._ranks_of[f.person].append(f)
            self._ranked[f.rank].append(f)
        predicates = ", ".join(f"<{p}>" for p in LINKS)
        for r in select(store, f"""SELECT DISTINCT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
                FILTER(?p IN ({predicates})) }}"""):
            link = Link(intern(r["s"]), intern(r["p"]), intern(r["o"]), intern(r["g"]))
            self.links.append(link)
            self._out[link.subject].append(link)
            self._in[link.object].append(link)
        return self

    # -- look-ups -----------------------------------------------------------------------------------------
    def positions_of(self, people) -> list[Position]:
        return [p for who in people for p in self._by_member.get(who, ())]

    def members_of(self, body: str) -> list[Position]:
        return self._by_body.get(body, [])

    def holders_of(self, role: str) -> list[Position]:
        return self._by_role.get(role, [])

    def ranks_of(self, people) -> list[RankFact]:
        return [f for who in people for f in self._ranks_of.get(who, ())]

    def ranked(self, rank: str) -> list[RankFact]:
        return self._ranked.get(rank, [])

    def outgoing(self, nodes, predicates=None) -> list[Link]:
        return [l for n in nodes for l in self._out.get(n, ()) if predicates is None or l.predicate in predicates]

    def incoming(self, nodes, predicates=None) -> list[Link]:
        return [l for n in nodes for l in self._in.get(n, ()) if predicates is None or l.predicate in predicates]


def build_facts(store) -> FactTable:
    return FactTable().load(store)
