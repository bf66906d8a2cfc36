"""Who is who across articles: the store-level identity pass (docs/identity.md).

Each article graph presents its people under article-local IRIs (``anttid:article/{id}/person/{slug}``)
with what the article says about them: rank, positions and the bodies (with their areas) they hold them in.
This pass reads that evidence from every article, groups the local people of one name (the same identity key)
into real people, and writes one named graph per name, ``anttid:graph/people/{slug}``, holding:

- ``local owl:sameAs person`` for every article-local person, ``person`` being the shared IRI;
- the shared person: ``a antt:Person``, ``schema:name``, ``antt:mentionCount``;
- ``person antt:possiblySameAs other`` between people of that name that nothing tells apart but nothing
  joins either, with an ``antt:MatchCandidate`` node carrying the score (the review list, ``duplicates``);
- ``retired owl:sameAs person`` (and ``dcterms:isReplacedBy``) for IRIs given out before and no longer in use.

Decisions depend only on the set of mentions of a name and on the corrections, never on reading order, so
an incremental build gives the IRIs of a full build. Only the names that the changed articles (or changed
corrections) touch are worked out again. The evidence and the graphs are kept in ``DIR/identity.sqlite``.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .rdf import iri, literal, quad
from .resolve import person_iri
from .text import key, slug
from .vocab import ANTT, DCTERMS, ID, ORG, OWL, RDF_TYPE, SCHEMA, SKOS, XSD

PEOPLE_GRAPH_PREFIX = ID + "graph/people/"
CORRECTIONS_GRAPH = ID + "graph/corrections"
SIDECAR_NAME = "identity.sqlite"

# Score of a pair of mentions of one name: at MERGE or above they are one person; above zero and below it,
# the two people are offered for review (antt:possiblySameAs).
MERGE = 2.0
# Candidates written per person, best first (a very common name would otherwise give thousands of pairs).
MAX_CANDIDATES = 5

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS articles (article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL,
                                     pipeline TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mentions (local TEXT PRIMARY KEY, article_id TEXT NOT NULL,
                                     name_key TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS mentions_key ON mentions (name_key);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id);
CREATE TABLE IF NOT EXISTS groups (name_key TEXT PRIMARY KEY, graph_iri TEXT NOT NULL, nquads BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS people (iri TEXT PRIMARY KEY, name_key TEXT NOT NULL, name TEXT NOT NULL,
                                   current INTEGER NOT NULL, anchor TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS people_key ON people (name_key);
CREATE TABLE IF NOT EXISTS rejected (graph_iri TEXT NOT NULL, line BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# Titles more than one person holds at once in the same body; every other title names one office.
_SHARED_TITLES = ("Ủy viên", "Thành viên", "Đại biểu", "Điều tra viên", "Người phát ngôn", "Thường trực",
                  "Trưởng Đoàn", "Phó Trưởng Đoàn", "Đại sứ", "Tổng Lãnh sự")
# Offices of the state held by one person at a time, written without their body.
_NATIONAL_OFFICES = ("Tổng Bí thư", "Chủ tịch nước", "Phó Chủ tịch nước", "Thủ tướng", "Phó Thủ tướng",
                     "Phó Thủ tướng Thường trực", "Tổng thống", "Phó Tổng thống", "Quốc vương", "Bộ trưởng",
                     "Thứ trưởng")
# Army and police ranks from the lowest officer's up (naval ranks as their army equivalents): a rank a step
# or two above another, in the same body, is the same officer promoted.
_RANK_LADDER = ("Thiếu úy", "Trung úy", "Thượng úy", "Đại úy", "Thiếu tá", "Trung tá", "Thượng tá", "Đại tá",
                "Thiếu tướng", "Trung tướng", "Thượng tướng", "Đại tướng")
_RANK_STEP = {**{rank: i for i, rank in enumerate(_RANK_LADDER)},
              "Chuẩn Đô đốc": 8, "Phó Đô đốc": 9, "Đô đốc": 10}
_PROMOTION_STEPS = 2
# Weight of the story terms two mentions must share to be the same story told again (a pair in fewer than
# 71 articles weighs 1, one in fewer than COMMON_TERM_ARTICLES weighs _UNCOMMON_WEIGHT).
_STORY_TERMS = 2.5
_SHARED_BODY = ID + "organization/"
_GENERAL_RANKS = ("Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đô đốc", "Phó Đô đốc",
                  "Chuẩn Đô đốc")

_P_NAME = SCHEMA + "name"
_P_RANK = ANTT + "rank"
_P_MEMBER = ORG + "member"
_P_ROLE = ORG + "role"
_P_ORG = ORG + "organization"
_P_PARENT = ORG + "subOrganizationOf"
_P_BASED = ANTT + "basedIn"
_P_LABEL = SKOS + "prefLabel"
_P_ISSUED = DCTERMS + "issued"
_P_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
_P_SAME = OWL + "sameAs"


@dataclass(frozen=True)
class PersonRecord:
    """One article's person: the name and the evidence the article gives about them."""

    article_id: str
    local: str  # article-local IRI
    name: str
    published: str = ""  # the article's date, ISO, when known
    rank: str | None = None
    titles: frozenset[str] = frozenset()
    orgs: frozenset[str] = frozenset()  # IRIs of the bodies of the positions, and their parents
    offices: frozenset[tuple[str, str]] = frozenset()  # (title, body IRI or "") held by one person at a time
    places: frozenset[str] = frozenset()  # IRIs of the areas of those bodies
    born: int | None = None  # birth year the article gives ("SN 1970", "sinh năm 1970")
    age: int | None = None  # age the article gives ("(54 tuổi)"), when it gives no birth year
    companions: frozenset[str] = frozenset()  # identity keys of the other people the article names
    mention_nodes: tuple[str, ...] = ()  # the article's antt:Mention nodes of this person
    org_names: frozenset[str] = frozenset()  # identity keys of the names of the bodies in ``orgs``
    terms: frozenset[str] = frozenset()  # story terms: short hashes of the rare word pairs around the name
    professions: frozenset[str] = frozenset()  # of public life, written right before the name ("đạo diễn")

    @property
    def name_key(self) -> str:
        return key(self.name)

    @property
    def order(self) -> tuple[str, str, str]:
        """Earliest first: by publication date (undated last), then article id."""
        return (self.published or "9999", self.article_id, self.local)

    @property
    def has_evidence(self) -> bool:
        return bool(self.rank or self.titles or self.orgs or self.places or self.born or self.age)

    def to_json(self) -> str:
        return json.dumps({"article_id": self.article_id, "local": self.local, "name": self.name,
                           "published": self.published, "rank": self.rank, "titles": sorted(self.titles),
                           "orgs": sorted(self.orgs), "offices": sorted(map(list, self.offices)),
                           "places": sorted(self.places), "born": self.born, "age": self.age,
                           "companions": sorted(self.companions), "mentions": list(self.mention_nodes),
                           "org_names": sorted(self.org_names), "terms": sorted(self.terms),
                           "professions": sorted(self.professions)},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PersonRecord:
        data = json.loads(text)
        return cls(data["article_id"], data["local"], data["name"], data.get("published") or "",
                   data.get("rank"), frozenset(data["titles"]), frozenset(data["orgs"]),
                   frozenset(tuple(o) for o in data["offices"]), frozenset(data["places"]),
                   data.get("born"), data.get("age"), frozenset(data.get("companions") or ()),
                   tuple(data.get("mentions") or ()), frozenset(data.get("org_names") or ()),
                   frozenset(data.get("terms") or ()), frozenset(data.get("professions") or ()))


# -- evidence ------------------------------------------------------------------------------------------
# The article graphs are canonical N-Quads (one statement a line, as pyoxigraph writes them), so the few
# statements the pass needs are found by patterns over the text: parsing every statement of 35,000 graphs
# in Python would cost more than the rest of the build's growth allows.
_OBJECT = re.compile(r'<([^>]+)>|"((?:[^"\\]|\\.)*)"(@[A-Za-z-]+|\^\^<[^>]+>)?')
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
# What an article writes right after a name: "(SN 1970, trú ...)", ", sinh năm 1985,", "(54 tuổi)".
_BORN = re.compile(r"\W{0,3}(?:SN|[Ss]inh năm|[Ss]inh)\s*:?\s*((?:19|20)\d\d)\b")
_AGE = re.compile(r"\W{0,3}(\d{1,2})\s*tuổi\b")
_AFTER_NAME = 40


def _statements(text: str, predicate: str):
    """(subject, object IRI or None, literal or None, language or datatype) of the lines with this
    predicate, found by a plain text search (fast) in canonical N-Quads."""
    marker = f"> <{predicate}> "
    at = text.find(marker)
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        found = _OBJECT.match(text, at + len(marker), end)
        if found and text.startswith("<", start):
            yield text[start + 1:at], found.group(1), found.group(2), found.group(3)
        at = text.find(marker, end)


def _object_of(text: str, subject: str, predicate: str) -> str | None:
    """The object (IRI or lexical form) of the first statement ``subject predicate ...`` in canonical N-Quads."""
    marker = f"<{subject}> <{predicate}> "
    at = text.find(marker)
    if at < 0 or (at and text[at - 1] != "\n"):
        return None
    found = _OBJECT.match(text, at + len(marker))
    if not found:
        return None
    return found.group(1) if found.group(1) is not None else found.group(2)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1
                       else _ESCAPED.get(m.group(1), m.group(1)), text)


def person_records(article_id: str, graph_iri: str, nquads: bytes) -> list[PersonRecord]:
    """The people of one article graph (canonical N-Quads) with their evidence."""
    text = nquads.decode("utf-8")
    person_prefix = graph_iri + "/person/"
    if person_prefix not in text:
        return []
    names: dict[str, str] = {}
    ranks: dict[str, str] = {}
    labels: dict[str, str] = {}
    member: dict[str, str] = {}
    role: dict[str, str] = {}
    body: dict[str, str] = {}
    parent: dict[str, set[str]] = defaultdict(set)
    based: dict[str, set[str]] = defaultdict(set)
    published = title = ""
    other_names: dict[str, str] = {}  # bodies (and anything else named): IRI -> name
    for subject, node, value, _tag in _statements(text, _P_NAME):
        if value is None:
            continue
        if subject.startswith(person_prefix):
            names[subject] = _unescape(value)
        else:
            other_names[subject] = _unescape(value)
    if not names:
        return []
    for subject, _node, value, _tag in _statements(text, DCTERMS + "title"):
        if subject == graph_iri and value:
            title = _unescape(value)
    mention_nodes: dict[str, list[str]] = defaultdict(list)
    for subject, node, _value, _tag in _statements(text, ANTT + "refersTo"):
        if node and node.startswith(person_prefix):
            mention_nodes[node].append(subject)
    # where the people's mentions are: their sentences and offsets, looked up for those mentions only (the
    # other families' mentions are most of the graph)
    in_sentence: dict[str, str] = {}
    sentence_text: dict[str, str] = {}
    begins: dict[str, int] = {}
    for mentions in mention_nodes.values():
        for m in mentions:
            sentence = _object_of(text, m, ANTT + "inSentence")
            begin = _object_of(text, m, ANTT + "beginIndex")
            if sentence is None:
                continue
            in_sentence[m] = sentence
            if begin is not None and begin.isdigit():
                begins[m] = int(begin)
            if sentence not in sentence_text:
                value = _object_of(text, sentence, _P_VALUE)
                start = _object_of(text, sentence, ANTT + "beginIndex")
                if value is not None:
                    sentence_text[sentence] = _unescape(value)
                if start is not None and start.isdigit():
                    begins[sentence] = int(start)
    for subject, node, _value, _tag in _statements(text, _P_RANK):
        if subject.startswith(person_prefix) and node:
            ranks[subject] = node
    for subject, _node, value, tag in _statements(text, _P_LABEL):
        if tag == "@vi" and value is not None:
            labels[subject] = _unescape(value)
    for predicate, target in ((_P_MEMBER, member), (_P_ROLE, role), (_P_ORG, body)):
        for subject, node, _value, _tag in _statements(text, predicate):
            if node:
                target[subject] = node
    for predicate, target in ((_P_PARENT, parent), (_P_BASED, based)):
        for subject, node, _value, _tag in _statements(text, predicate):
            if node:
                target[subject].add(node)
    for subject, _node, value, _tag in _statements(text, _P_ISSUED):
        if subject == graph_iri and value:
            published = value
    if not names:
        return []
    # Birth years and ages are looked for after the name wherever it is written in the graph: in the
    # sentences (rdf:value), where a "(SN 1970" can follow it; names, written forms and IRIs end in '"' or '>'.
    sentences = text if ("SN" in text or "sinh" in text or "tuổi" in text) else ""
    positions: dict[str, list[tuple[str | None, str | None]]] = defaultdict(list)
    for membership, person in member.items():
        title = labels.get(role.get(membership, ""))
        positions[person].append((title, body.get(membership)))
    name_keys = {local: key(name) for local, name in names.items()}
    term_cache: dict[str, tuple] = {}  # the headline and shared sentences are read once per article
    records = []
    for local, name in sorted(names.items()):
        titles, orgs, offices, places = set(), set(), set(), set()
        for title, org in positions.get(local, ()):
            if title:
                titles.add(title)
            if org:
                orgs.add(org)
                places |= based.get(org, set())
                for up in parent.get(org, ()):
                    places |= based.get(up, set())
            if title in _NATIONAL_OFFICES:
                offices.add((title, ""))  # the body is the State itself, whether written or not
            elif title and _single_holder(title) and org:
                offices.add((title, org))
        born = age = None
        at = sentences.find(name)
        while at >= 0 and born is None:
            after = sentences[at + len(name):at + len(name) + _AFTER_NAME]
            found = _BORN.match(after)
            if found:
                born = int(found.group(1))
            elif age is None:
                found = _AGE.match(after)
                age = int(found.group(1)) if found else None
            at = sentences.find(name, at + len(name))
        if born is not None:
            age = None
        companions = frozenset(k for other, k in name_keys.items() if k != name_keys[local])
        context = [title] + [sentence_text.get(in_sentence.get(m, ""), "") for m in
                             sorted(set(mention_nodes.get(local, ())))]
        org_names = frozenset(key(other_names[o]) for o in orgs if o in other_names and o.startswith(_SHARED_BODY))
        professions = set()
        for m in mention_nodes.get(local, ()):
            sentence = in_sentence.get(m, "")
            if m in begins and sentence in begins and sentence in sentence_text:
                before = sentence_text[sentence][:max(0, begins[m] - begins[sentence])]
                found = _profession_before().search(before[-40:])
                if found:
                    professions.add(found.group(1).casefold())
        records.append(PersonRecord(article_id, local, name, published, labels.get(ranks.get(local, "")),
                                    frozenset(titles), frozenset(orgs), frozenset(offices), frozenset(places),
                                    born, age, companions, tuple(sorted(mention_nodes.get(local, ()))),
                                    org_names, story_terms(context, name, term_cache),
                                    frozenset(professions)))
    return records


# Syllables, and what separates two clauses (a pair of words across it is no phrase).
_SYLLABLE = re.compile(r"[^\W_]+")
_CLAUSE_BREAK = re.compile(r"[^\w\s]+|\s{2,}")
# At most this many story terms are kept per mention (the rarest-looking first: longest words, then hash order).
_MAX_TERMS = 48
# A word pair in this many corpus articles or more (about 4 % of them) tells no story apart.
COMMON_TERM_ARTICLES = 1400
_UNCOMMON_WEIGHT = 0.5


def _syllable_pairs(text: str) -> Iterator[tuple[str, str]]:
    for clause in _CLAUSE_BREAK.split(text.casefold()):
        words = _SYLLABLE.findall(clause)
        yield from zip(words, words[1:])


def word_pairs(text: str) -> set[str]:
    """Pairs of adjacent syllables within one clause, in lower case ("hắt dầu", "dầu luyn"): Vietnamese words
    are mostly two syllables, so a pair is roughly a word or the join of two."""
    return {f"{a} {b}" for a, b in _syllable_pairs(text)}


@lru_cache(maxsize=1)
def _common_terms() -> dict[str, int]:
    """Word pair -> number of corpus articles that have it, for pairs in many articles."""
    from .lexicon import load_table

    return {row["pair"]: int(row["articles"]) for row in load_table("common_terms")}


def _candidate_terms(text: str) -> tuple[tuple[str, str, str, int], ...]:
    """(syllable, syllable, pair, articles) of the pairs of a text that are not too common to be terms."""
    common = _common_terms()
    out = []
    for a, b in _syllable_pairs(text):
        pair = f"{a} {b}"
        articles = common.get(pair, 0)
        if articles < COMMON_TERM_ARTICLES and not (a.isdigit() and b.isdigit()):
            out.append((a, b, pair, articles))
    return tuple(out)


@lru_cache(maxsize=65536)
def _term_hash(pair: str, uncommon: bool) -> str:
    return ("u" if uncommon else "r") + hashlib.sha1(pair.encode("utf-8")).hexdigest()[:7]


def story_terms(texts: Iterable[str], name: str, cache: dict | None = None) -> frozenset[str]:
    """What the sentences about a person (and the headline) say that few articles say: word pairs in fewer
    than COMMON_TERM_ARTICLES corpus articles (ontology/lexicon/common_terms.tsv), without the syllables of
    the name (so neither the name nor "bà Hương", "Dũng khai": the person called by a part of it) and
    without numbers alone. Kept as short hashes, "r" (rare: not in the table) or "u" (uncommon) first: they
    are only compared, never shown. ``cache`` keeps the pairs of a text for the other people of an article."""
    own = set(_SYLLABLE.findall(name.casefold()))
    found: dict[str, int] = {}
    for text in texts:
        if cache is None:
            candidates = _candidate_terms(text)
        else:
            candidates = cache.get(text)
            if candidates is None:
                candidates = cache[text] = _candidate_terms(text)
        for a, b, pair, articles in candidates:
            if a not in own and b not in own:
                found[pair] = articles
    # the rarest first
    ranked = sorted(found.items(), key=lambda item: (item[1], -len(item[0]), item[0]))[:_MAX_TERMS]
    return frozenset(_term_hash(pair, bool(articles)) for pair, articles in ranked)


def term_weight(terms: frozenset[str]) -> float:
    return sum(1.0 if t.startswith("r") else _UNCOMMON_WEIGHT for t in terms)


@lru_cache(maxsize=1)
def _profession_before() -> re.Pattern:
    """A profession of ontology/lexicon/professions.tsv ending the text before a name."""
    from .lexicon import load_table

    words = sorted({row["profession"] for row in load_table("professions")}, key=lambda w: (-len(w), w))
    return re.compile(r"(?i)(?<![\w.])(" + "|".join(re.escape(w) for w in words) + r")\s*,?\s*$")


def _single_holder(title: str) -> bool:
    return not title.startswith("Phó") and "viên" not in title and title not in _SHARED_TITLES


# -- deciding ------------------------------------------------------------------------------------------
def evidence_tokens(m: PersonRecord) -> set:
    """What two mentions must have in common to score above 1 (see ``pair_score``): pairs without any
    shared token are never worth computing."""
    tokens: set = {("office",) + o for o in m.offices} | {("org", o) for o in m.orgs}
    tokens |= {("place", p) for p in m.places} | {("with", c) for c in m.companions}
    if m.born:
        tokens.add(("born", m.born))
    if m.age:
        tokens.add(("age", m.age))
    if m.rank:
        tokens.add(("rank", m.rank))
    tokens |= {("term", t) for t in m.terms} | {("profession", p) for p in m.professions}
    # bodies written two ways share their first or last three words
    for name in m.org_names:
        words = name.split()
        if len(words) >= 3:
            tokens.add(("body-start", " ".join(words[:3])))
            tokens.add(("body-end", " ".join(words[-3:])))
    return tokens


def related_pairs(mentions: list[PersonRecord]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of mentions sharing an evidence token, each once, in index order."""
    by_token: dict = defaultdict(list)
    for i, m in enumerate(mentions):
        for token in evidence_tokens(m):
            by_token[token].append(i)
    pairs = set()
    for members in by_token.values():
        if len(members) > 1:
            pairs.update(itertools.combinations(members, 2))
    return iter(sorted(pairs))


def related_bodies(a: PersonRecord, b: PersonRecord) -> bool:
    """One body written two ways: the name of a body of one mention is a run of at least three words of the
    name of a body of the other, beginning with the same word ("Trung tâm Quản lý" cut short of "Trung tâm
    Quản lý điều hành giao thông đô thị Hà Nội"), or ending it ("Ban Tổ chức Trung ương" in "Ban Thường trực
    Ban Tổ chức Trung ương")."""
    for x in a.org_names:
        for y in b.org_names:
            if x == y:
                return True
            short, long_ = (x, y) if len(x) < len(y) else (y, x)
            if short.count(" ") < 2:
                continue
            if long_.startswith(short + " ") or long_.endswith(" " + short):
                return True
    return False


def _members_only(m: PersonRecord) -> bool:
    """Every position is a member's ("Đại biểu", "Ủy viên"): a body of many, such as an assembly."""
    return bool(m.titles) and not any(_single_holder(t) for t in m.titles)


def titles_agree(a: PersonRecord, b: PersonRecord) -> bool:
    """One title in both, or one written longer ("Đại sứ" and "Đại sứ Việt Nam tại Nhật Bản", "Phó Trưởng
    Ban" and "Phó Trưởng Ban Thường trực"); a one-word start ("Phó") is too little."""
    if a.titles & b.titles:
        return True
    for x in a.titles:
        for y in b.titles:
            short, long_ = sorted((key(x), key(y)), key=len)
            if " " in short and long_.startswith(short + " "):
                return True
    return False


def promoted(a: PersonRecord, b: PersonRecord) -> bool:
    """Two ranks of one officer: a step or two apart on the ladder, in one body (or one body written two
    ways), and, when both articles are dated, the higher rank not the earlier."""
    step_a, step_b = _RANK_STEP.get(a.rank or ""), _RANK_STEP.get(b.rank or "")
    if step_a is None or step_b is None or abs(step_a - step_b) > _PROMOTION_STEPS:
        return False
    if not (a.orgs & b.orgs or related_bodies(a, b)):
        return False
    if a.published and b.published and a.published != b.published:
        earlier, later = (a, b) if a.published < b.published else (b, a)
        return _RANK_STEP[earlier.rank] <= _RANK_STEP[later.rank]
    return True


def conflict(a: PersonRecord, b: PersonRecord) -> bool:
    """Evidence that two mentions of one name are two people: different ranks (unless one office, or a
    promotion in one body), different birth years or ages, or bodies in different areas with no body in
    common."""
    shared_org = bool(a.orgs & b.orgs)
    if a.born and b.born and abs(a.born - b.born) > 1:
        return True
    if a.age and b.age and abs(a.age - b.age) > 1 and (a.published[:4] == b.published[:4]):
        return True
    if a.rank and b.rank and a.rank != b.rank and not (a.offices & b.offices) and not promoted(a, b):
        return True
    if a.places and b.places and not (a.places & b.places) and not shared_org:
        return True
    return False


def pair_score(a: PersonRecord, b: PersonRecord) -> float:
    """How strongly two mentions of one name agree (0 when they conflict or nothing is known)."""
    if conflict(a, b):
        return 0.0
    if a.offices & b.offices:
        return 3.0  # the same office, held by one person at a time
    shared_body = bool(a.orgs & b.orgs)
    if shared_body and not (_members_only(a) and _members_only(b)):
        return 2.5  # the same name in the same body
    shared_companions = len(a.companions & b.companions)
    if shared_companions >= 2:
        return 2.2  # the same story told again: two other people named in both articles
    same_born = bool(a.born and a.born == b.born)
    same_age = bool(a.age and a.age == b.age and a.published[:4] == b.published[:4])
    if (same_born or same_age) and shared_companions:
        return 2.2
    if same_born:
        return 2.0
    same_rank = bool(a.rank and a.rank == b.rank)
    # a member's title (one deputy of hundreds) says little: only a post that few hold counts
    shared_title = titles_agree(a, b) and not (_members_only(a) and _members_only(b))
    if shared_companions and (same_rank or shared_title):
        return 2.2
    shared_terms = term_weight(a.terms & b.terms)
    if shared_terms >= _STORY_TERMS:
        return 2.2  # the same story again: what is said around the name, in few other articles
    related = related_bodies(a, b)
    if related and (same_rank or shared_title or a.rank and b.rank):
        return 2.2  # the same position in one body written two ways
    if shared_terms >= 1 and (same_age or shared_companions or same_rank or shared_title or related
                              or a.places & b.places):
        return 2.0
    shared_profession = bool(a.professions & b.professions)
    if shared_profession and (shared_terms or shared_companions or same_age or shared_title):
        return 2.0  # "đạo diễn Nguyễn Quang Dũng" in both, and something else in common
    if same_age or shared_companions or shared_terms >= 2 or shared_body or shared_profession:
        return 1.5  # (a body of many members, such as an assembly, in both: one of its members)
    if shared_terms:
        return 1.2
    if a.places & b.places:
        return 2.0 if same_rank or shared_title else 1.2
    if same_rank and shared_title:
        return 2.0  # "Thượng tá ..., Trưởng phòng" in both
    if same_rank and a.rank in _GENERAL_RANKS:
        return 2.0  # few generals share a name
    if same_rank or shared_title:
        return 1.0
    if a.has_evidence and b.has_evidence:
        return 0.0  # both say something, and nothing in common: not offered
    return 0.5


@dataclass
class Person:
    """A cluster of mentions judged to be one real person."""

    mentions: list[PersonRecord]
    iri: str = ""
    name: str = ""
    corrected_by: list[str] = field(default_factory=list)  # correction IRIs that shaped this person

    @property
    def earliest(self) -> PersonRecord:
        return min(self.mentions, key=lambda m: m.order)

    @property
    def articles(self) -> int:
        return len({m.article_id for m in self.mentions})


def cluster(records: Iterable[PersonRecord]) -> list[Person]:
    """Mentions of one name grouped into people, the same whatever order they come in.

    Pairs scoring MERGE or more are joined strongest first (ties in mention order), and two groups are
    joined only when no mention of one conflicts with a mention of the other, so a chain of weak links never
    makes one person of two namesakes. A mention that agrees with nobody stays a person of its own."""
    mentions = sorted(records, key=lambda m: m.order)
    index = {m.local: i for i, m in enumerate(mentions)}
    edges = []
    for i, j in related_pairs(mentions):
        score = pair_score(mentions[i], mentions[j])
        if score >= MERGE:
            edges.append((-score, i, j))
    edges.sort()
    group = list(range(len(mentions)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}

    def find(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for _score, i, j in edges:
        gi, gj = find(i), find(j)
        if gi == gj:
            continue
        if any(conflict(mentions[x], mentions[y]) for x in members[gi] for y in members[gj]):
            continue
        keep, gone = min(gi, gj), max(gi, gj)
        group[gone] = keep
        members[keep].extend(members.pop(gone))
    people = [Person(sorted((mentions[i] for i in ids), key=lambda m: m.order)) for ids in members.values()]
    del index
    return _attach_singles(sorted(people, key=lambda p: p.earliest.order))


# Offices that make a person the one a bare mention of the name most likely means.
_PROMINENT = frozenset({"Tổng Bí thư", "Chủ tịch nước", "Phó Chủ tịch nước", "Thủ tướng", "Phó Thủ tướng",
                        "Phó Thủ tướng Thường trực", "Tổng thống", "Quốc vương", "Ủy viên Bộ Chính trị"})
# A person is prominent with one of those offices in at least this many articles.
_PROMINENT_ARTICLES = 3


def _prominent(person: Person) -> bool:
    articles = {m.article_id for m in person.mentions if m.titles & _PROMINENT}
    return len(articles) >= _PROMINENT_ARTICLES


def _attach_singles(people: list[Person]) -> list[Person]:
    """Second round, against the groups of the first (so the order of mentions still plays no part): a
    mention left alone joins a group when

    - it agrees (score 1.5 or more: the same age, a person named in both ...) with two of its mentions and
      with no other group's, and has two things in common with the group; the story again, told with fewer
      details; or
    - it says nothing but the name, conflicts with no one, and the group is the only one of the name that
      holds a national office (a minister, the Prime Minister ...) in several articles: a bare mention of
      that name means them.
    """
    groups = [p for p in people if len(p.mentions) > 1]
    group_tokens = {id(g): set().union(*(evidence_tokens(m) for m in g.mentions)) for g in groups}
    prominent = [p for p in groups if _prominent(p)]
    joins: dict[int, Person] = {}
    for index, person in enumerate(people):
        if len(person.mentions) != 1:
            continue
        single = person.mentions[0]
        supported = []
        tokens = evidence_tokens(single)
        for group in groups:
            if not tokens & group_tokens[id(group)]:
                continue
            if any(conflict(single, m) for m in group.mentions):
                continue
            if sum(1 for m in group.mentions if pair_score(single, m) >= 1.5) >= 2:
                supported.append(group)
        # one thing in common with every mention of the group (a famous person they all name) is one piece
        # of evidence, however many mentions share it: two are needed (an uncommon word pair is no piece)
        if len(supported) == 1 and len({t for t in tokens & group_tokens[id(supported[0])]
                                        if not (t[0] == "term" and t[1].startswith("u"))}) >= 2:
            joins[index] = supported[0]
        elif not supported and len(prominent) == 1 and not single.has_evidence and \
                not any(conflict(single, m) for m in prominent[0].mentions):
            joins[index] = prominent[0]
    if not joins:
        return people
    additions: dict[int, list[PersonRecord]] = defaultdict(list)
    for index, group in joins.items():
        additions[id(group)].extend(people[index].mentions)
    kept = []
    for index, person in enumerate(people):
        if index in joins:
            continue
        if id(person) in additions:
            person = Person(sorted(person.mentions + additions[id(person)], key=lambda m: m.order))
        kept.append(person)
    return sorted(kept, key=lambda p: p.earliest.order)


def anchored_iri(name: str, anchor: str, salt: str = "") -> str:
    """A person's IRI: the name's readable part and 8 hex characters of the mention it is keyed on."""
    digest = hashlib.sha1((salt + anchor).encode("utf-8")).hexdigest()[:8]
    return f"{person_iri(name)}-{digest}"


def name_iri(person: Person) -> str:
    """Keyed on the person's earliest mention (publication date, then article id): articles added later
    never change it; one that comes earlier, or joins two people, retires it (owl:sameAs to the new IRI)."""
    return anchored_iri(person.earliest.name, person.earliest.local)


def display_name(person: Person) -> str:
    """The written form most mentions use (ties: the earliest mention's)."""
    counts = Counter(m.name for m in person.mentions)
    best = max(counts.values())
    return next(m.name for m in person.mentions if counts[m.name] == best)


def group_score(a: Person, b: Person) -> float:
    """How likely two people of one name are one: the best agreement of their mentions, none if any two
    conflict."""
    best = 0.0
    for x in a.mentions:
        for y in b.mentions:
            if conflict(x, y):
                return 0.0
            best = max(best, pair_score(x, y))
    return best


def candidates(people: list[Person]) -> list[tuple[float, Person, Person]]:
    """Pairs of people of one name offered for review, best first, at most MAX_CANDIDATES per person.

    Pairs sharing evidence are scored mention by mention; a person known by the name alone is offered
    with the people of that name that have the most mentions (score 0.5 before scaling)."""
    index = {id(p): i for i, p in enumerate(people)}
    by_token: dict = defaultdict(set)
    for i, person in enumerate(people):
        for m in person.mentions:
            for token in evidence_tokens(m):
                by_token[token].add(i)
    pairs = set()
    for members in by_token.values():
        if 1 < len(members) <= 50:
            pairs.update(itertools.combinations(sorted(members), 2))
    largest = sorted(range(len(people)), key=lambda i: (-len(people[i].mentions), people[i].earliest.order))
    largest = largest[:MAX_CANDIDATES + 1]
    for i, person in enumerate(people):
        if not any(m.has_evidence for m in person.mentions):
            pairs.update((min(i, j), max(i, j)) for j in largest if j != i)
    scored = []
    for i, j in sorted(pairs):
        score = group_score(people[i], people[j])
        if score > 0:
            scored.append((score, people[i], people[j]))
    del index
    scored.sort(key=lambda item: (-item[0], item[1].iri, item[2].iri))
    taken: Counter = Counter()
    kept = []
    for score, a, b in scored:
        if taken[a.iri] >= MAX_CANDIDATES or taken[b.iri] >= MAX_CANDIDATES:
            continue
        taken[a.iri] += 1
        taken[b.iri] += 1
        kept.append((round(min(score / 3.0, 0.95), 2), a, b))
    return kept


# -- corrections as they bear on people --------------------------------------------------------------
@dataclass(frozen=True)
class PeopleCorrections:
    """The corrections of ``anttkg.curation`` in the form this pass applies them."""

    splits: tuple[tuple[str, str, str], ...] = ()  # (person IRI, article id, correction IRI)
    merges: tuple[tuple[str, str, str], ...] = ()  # (kept IRI, merged IRI, correction IRI)
    labels: tuple[tuple[str, str, str], ...] = ()  # (IRI, name, correction IRI)


def resolve_group(records: list[PersonRecord], corrections: PeopleCorrections = PeopleCorrections(),
                  merged_away: dict[str, tuple[str, str]] | None = None) -> list[Person]:
    """The people of one name: clusters, IRIs, then the curators' splits and labels.

    ``merged_away`` maps an IRI to (kept IRI, correction IRI) for people a curator merged into another
    (possibly of another name): their mentions point to the kept IRI."""
    people = cluster(records)
    for person in people:
        person.iri = name_iri(person)
    for target, article_id, correction in corrections.splits:
        for person in list(people):
            if person.iri != target:
                continue
            moved = [m for m in person.mentions if m.article_id == article_id]
            if not moved or len(moved) == len(person.mentions):
                continue
            person.mentions = [m for m in person.mentions if m.article_id != article_id]
            split = Person(moved)
            split.iri = anchored_iri(split.earliest.name, split.earliest.local, salt="split ")
            split.corrected_by.append(correction)
            person.corrected_by.append(correction)
            people.append(split)
    labels = {target: (name, correction) for target, name, correction in corrections.labels}
    for person in people:
        person.name = display_name(person)
        if person.iri in labels:
            person.name, correction = labels[person.iri]
            person.corrected_by.append(correction)
    for person in people:
        if merged_away and person.iri in merged_away:
            person.corrected_by.append(merged_away[person.iri][1])
    for kept, _merged, correction in corrections.merges:
        for person in people:
            if person.iri == kept:
                person.corrected_by.append(correction)
    return sorted(people, key=lambda p: p.earliest.order)


def group_nquads(graph_iri: str, people: list[Person], retired: dict[str, str],
                 merged_away: dict[str, tuple[str, str]] | None = None) -> bytes:
    """The named graph of one name: sameAs links, the shared people, candidates and retired IRIs."""
    g = iri(graph_iri)
    lines = set()

    def add(s: str, p: str, o: str) -> None:
        lines.add(quad(iri(s), iri(p), o, g))

    merged_away = merged_away or {}
    for person in people:
        target = merged_away.get(person.iri, (person.iri, ""))[0]
        for mention in person.mentions:
            add(mention.local, _P_SAME, iri(target))
        if target != person.iri:
            add(person.iri, _P_SAME, iri(target))
            add(person.iri, DCTERMS + "isReplacedBy", iri(target))
        else:
            add(person.iri, RDF_TYPE, iri(ANTT + "Person"))
            add(person.iri, _P_NAME, literal(person.name))
            add(person.iri, ANTT + "mentionCount", literal(len(person.mentions)))
        for correction in sorted(set(person.corrected_by)):
            add(person.iri, ANTT + "correctedBy", iri(correction))
    for score, a, b in candidates([p for p in people if p.iri not in merged_away]):
        add(a.iri, ANTT + "possiblySameAs", iri(b.iri))
        node = f"{ID}match/{hashlib.sha1((a.iri + ' ' + b.iri).encode()).hexdigest()[:16]}"
        add(node, RDF_TYPE, iri(ANTT + "MatchCandidate"))
        add(node, ANTT + "candidate", iri(a.iri))
        add(node, ANTT + "candidate", iri(b.iri))
        add(node, ANTT + "matchScore", literal(f"{score:.2f}", XSD + "decimal"))
    for old, new in sorted(retired.items()):
        add(old, _P_SAME, iri(new))
        add(old, DCTERMS + "isReplacedBy", iri(new))
    return ("".join(sorted(lines))).encode("utf-8")


def group_graph_iri(name: str) -> str:
    return PEOPLE_GRAPH_PREFIX + slug(name)


# -- the store-level pass ------------------------------------------------------------------------------
@dataclass
class IdentityReport:
    articles_read: int = 0  # article graphs whose evidence was read now
    articles_dropped: int = 0
    names: int = 0  # names worked out again
    people: int = 0  # people of those names
    rejected: int = 0  # statements removed by corrections
    seconds: float = 0.0


def sidecar(store_path: str | Path) -> sqlite3.Connection:
    db = sqlite3.connect(Path(store_path) / SIDECAR_NAME)
    db.execute("PRAGMA journal_mode=WAL")
    # Everything here can be worked out again from the article graphs: no fsync per transaction.
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(_SCHEMA_SQL)
    return db


def _meta(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
    return row[0] if row else None


# Below this many changed articles the evidence is read here; above, by worker processes.
_PARALLEL_FROM = 2000
_EVIDENCE_CHUNK = 500


def _evidence_rows(store_path: str, items: list[tuple[str, str]]) -> list[tuple[str, list]]:
    """(article id, [(local, name key, record JSON)]) for articles of a store's manifest, read directly
    (a worker process; SQLite allows readers beside the writer)."""
    import zlib

    db = sqlite3.connect(f"file:{Path(store_path) / 'manifest.sqlite'}?mode=ro", uri=True)
    try:
        out = []
        for article_id, graph_iri in items:
            row = db.execute("SELECT nquads FROM article_nquads WHERE article_id = ?", (article_id,)).fetchone()
            records = person_records(article_id, graph_iri, zlib.decompress(row[0]) if row else b"")
            out.append((article_id, [(r.local, r.name_key, r.to_json()) for r in records]))
        return out
    finally:
        db.close()


def _evidence(store, items: list[tuple[str, str]], workers: int | None) -> Iterator[tuple[str, list]]:
    """The evidence of the changed articles, in their order; on all cores when there are many (the
    build's workers are done by then)."""
    import os

    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(items) < _PARALLEL_FROM:
        for article_id, graph_iri in items:
            records = person_records(article_id, graph_iri, store.article_graph_nquads(article_id) or b"")
            yield article_id, [(r.local, r.name_key, r.to_json()) for r in records]
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [items[i:i + _EVIDENCE_CHUNK] for i in range(0, len(items), _EVIDENCE_CHUNK)]
    context = multiprocessing.get_context("forkserver")  # never a fork of a process holding RocksDB
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for rows in pool.map(_evidence_rows, [str(store.path)] * len(chunks), chunks):
            yield from rows


def _rules_digest() -> str:
    from .resources import lexicon_dir

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for table in _RULE_TABLES:
        digest.update((lexicon_dir() / f"{table}.tsv").read_bytes())
    return digest.hexdigest()[:16]


# Lexicon tables the evidence is read with (besides the article graphs).
_RULE_TABLES = ("common_terms", "professions")


def update_identity(store, *, full: bool = False, workers: int | None = None) -> IdentityReport:
    """Bring the people graphs and the corrections of an open, writable ``GraphStore`` up to date."""
    import time

    import pyoxigraph as ox

    from . import curation

    started = time.monotonic()
    report = IdentityReport()
    db = sidecar(store.path)
    try:
        # A change in the rules of this pass, or in the tables it reads evidence with, decides everything again.
        code = _rules_digest()
        if _meta(db, "code") != code:
            full = True
        # A pass killed half-way (graphs dropped, not yet reloaded) is done again in full next time.
        if _meta(db, "unfinished") is not None:
            full = True
        with db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('unfinished', ?)", (time.strftime("%Y-%m-%dT%H:%M:%SZ"),))
        known = {row[0]: (row[1], row[2]) for row in
                 db.execute("SELECT article_id, content_hash, pipeline FROM articles")}
        current = {e.article_id: e for e in store.entries()}
        changed = [a for a, e in current.items()
                   if full or known.get(a) != (e.content_hash, e.pipeline)]
        dropped = [a for a in known if a not in current]
        touched: set[str] = set()
        with db:
            for article_id in dropped + changed:
                touched.update(r[0] for r in db.execute(
                    "SELECT DISTINCT name_key FROM mentions WHERE article_id = ?", (article_id,)))
                db.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
            db.executemany("DELETE FROM articles WHERE article_id = ?", [(a,) for a in dropped])
            items = [(a, current[a].graph_iri) for a in changed]
            for article_id, rows in _evidence(store, items, workers):
                entry = current[article_id]
                db.executemany("INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?)",
                               [(local, article_id, name_key, data) for local, name_key, data in rows])
                touched.update(name_key for _local, name_key, _data in rows)
                db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?)",
                           (article_id, entry.content_hash, entry.pipeline))
        report.articles_read, report.articles_dropped = len(changed), len(dropped)

        entries = curation.list_corrections(store.path)
        corrections_state = hashlib.sha256(
            "\n".join(c.line() for c in entries).encode("utf-8")).hexdigest()
        people_corrections, merged_away, correction_keys = _people_corrections(db, entries)
        previous_keys = json.loads(_meta(db, "correction_keys") or "[]")
        if full or corrections_state != _meta(db, "corrections"):
            touched |= set(previous_keys) | correction_keys
        if full:
            touched |= {r[0] for r in db.execute("SELECT DISTINCT name_key FROM mentions")}
            touched |= {r[0] for r in db.execute("SELECT name_key FROM groups")}

        payload = []
        with db:
            for name_key in sorted(touched):
                old_graph = db.execute("SELECT graph_iri FROM groups WHERE name_key = ?", (name_key,)).fetchone()
                if old_graph:
                    graph = ox.NamedNode(old_graph[0])
                    if store.oxigraph.contains_named_graph(graph):
                        store.oxigraph.remove_graph(graph)
                records = [PersonRecord.from_json(r[0]) for r in
                           db.execute("SELECT record FROM mentions WHERE name_key = ?", (name_key,))]
                if not records:
                    db.execute("DELETE FROM groups WHERE name_key = ?", (name_key,))
                    db.execute("UPDATE people SET current = 0 WHERE name_key = ?", (name_key,))
                    continue
                people = resolve_group(records, people_corrections, merged_away)
                retired = _retire(db, name_key, people, merged_away)
                graph_iri = group_graph_iri(people[0].earliest.name)
                data = group_nquads(graph_iri, people, retired, merged_away)
                db.execute("INSERT OR REPLACE INTO groups VALUES (?, ?, ?)", (name_key, graph_iri, data))
                payload.append(data)
                report.names += 1
                report.people += len(people)
        if payload:
            store.oxigraph.bulk_load(b"".join(payload), ox.RdfFormat.N_QUADS)

        report.rejected = _apply_statement_corrections(store, db, entries)
        store.oxigraph.flush()
        with db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('corrections', ?)", (corrections_state,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('correction_keys', ?)",
                       (json.dumps(sorted(correction_keys), ensure_ascii=False),))
            db.execute("DELETE FROM meta WHERE key = 'unfinished'")
    finally:
        db.close()
    report.seconds = round(time.monotonic() - started, 3)
    return report


def check_graphs(store) -> list[tuple[str, str]]:
    """(problem, graph IRI) where the who-is-who graphs in the dataset disagree with the identity record: a
    recorded graph that is missing, or a people graph nobody recorded. The next build's identity pass (or
    ``update_identity(store, full=True)``) rewrites them."""
    import pyoxigraph as ox

    path = Path(store.path) / SIDECAR_NAME
    recorded: set[str] = set()
    if path.exists():
        db = sqlite3.connect(str(path))
        try:
            recorded = {row[0] for row in db.execute("SELECT graph_iri FROM groups")}
        finally:
            db.close()
    present = {g.value for g in store.oxigraph.named_graphs() if isinstance(g, ox.NamedNode)
               and g.value.startswith(PEOPLE_GRAPH_PREFIX)}
    return sorted([("missing", g) for g in recorded - present] + [("extra", g) for g in present - recorded])


def _retire(db: sqlite3.Connection, name_key: str, people: list[Person],
            merged_away: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Record the IRIs now in use; IRIs given out before for this name point to the person now holding
    the mention they were keyed on."""
    now = {p.iri: p for p in people}
    holder = {m.local: merged_away.get(p.iri, (p.iri, ""))[0] for p in people for m in p.mentions}
    retired = {}
    for old, anchor in db.execute("SELECT iri, anchor FROM people WHERE name_key = ?", (name_key,)).fetchall():
        if old not in now and anchor in holder:
            retired[old] = holder[anchor]
    db.execute("UPDATE people SET current = 0 WHERE name_key = ?", (name_key,))
    db.executemany("INSERT OR REPLACE INTO people VALUES (?, ?, ?, 1, ?)",
                   [(p.iri, name_key, p.name, p.earliest.local) for p in people])
    return retired


def _people_corrections(db: sqlite3.Connection, entries) -> tuple[PeopleCorrections, dict, set[str]]:
    """Splits, merges and labels that name people, and the name keys they touch."""
    from .curation import correction_iri

    def key_of(target: str) -> str | None:
        row = db.execute("SELECT name_key FROM people WHERE iri = ?", (target,)).fetchone()
        if row is None:
            row = db.execute("SELECT name_key FROM mentions WHERE local = ?", (target,)).fetchone()
        return row[0] if row else None

    splits, merges, labels = [], [], []
    merged_away: dict[str, tuple[str, str]] = {}
    keys: set[str] = set()
    for entry in entries:
        node = correction_iri(entry)
        if entry.action == "split":
            from .curation import article_id_of

            splits.append((entry.args[0], article_id_of(entry.args[1]), node))
        elif entry.action == "merge":
            merges.append((entry.args[0], entry.args[1], node))
            merged_away[entry.args[1]] = (merged_away.get(entry.args[0], (entry.args[0], ""))[0], node)
        elif entry.action == "label":
            labels.append((entry.args[0], entry.args[1], node))
        else:
            continue
        for target in entry.args[:2] if entry.action == "merge" else entry.args[:1]:
            found = key_of(target)
            if found is not None:
                keys.add(found)
    return PeopleCorrections(tuple(splits), tuple(merges), tuple(labels)), merged_away, keys


def _apply_statement_corrections(store, db: sqlite3.Connection, entries) -> int:
    """The corrections graph (one node per entry, with what it changed), rejected statements removed from
    the article graphs, and labels of other entities than people."""
    import pyoxigraph as ox

    from .curation import correction_iri

    graph = ox.NamedNode(CORRECTIONS_GRAPH)
    if store.oxigraph.contains_named_graph(graph):
        store.oxigraph.remove_graph(graph)
    lines: set[str] = set()
    g = iri(CORRECTIONS_GRAPH)

    def add(s: str, p: str, o: str) -> None:
        lines.add(quad(iri(s), iri(p), o, g))

    people = {r[0] for r in db.execute("SELECT iri FROM people WHERE current = 1")}
    rejected_lines: list[tuple[str, bytes]] = []
    for number, entry in enumerate(entries, start=1):
        node = correction_iri(entry)
        add(node, RDF_TYPE, iri(ANTT + "Correction"))
        add(node, ANTT + "correctionAction", literal(entry.action))
        add(node, ANTT + "correctionEntry", literal(entry.line()))
        add(node, ANTT + "correctionLine", literal(number))
        add(node, ANTT + "corrects", iri(entry.args[0]))
        if entry.action == "label" and entry.args[0] not in people:
            add(entry.args[0], SKOS + "prefLabel", literal(entry.args[1], lang="vi"))
            add(entry.args[0], ANTT + "correctedBy", iri(node))
        if entry.action == "merge" and entry.args[1] not in people:
            add(entry.args[1], _P_SAME, iri(entry.args[0]))
            add(entry.args[0], ANTT + "correctedBy", iri(node))
        if entry.action == "reject":
            target, predicate, value = entry.args
            add(node, ANTT + "rejectedPredicate", iri(predicate))
            add(node, ANTT + "rejectedValue", literal(value))
            add(target, ANTT + "correctedBy", iri(node))
            for graph_iri, line in _matching_statements(store, target, predicate, value):
                rejected_lines.append((graph_iri, line))
    for graph_iri, line in rejected_lines:
        store.oxigraph.remove(next(iter(ox.parse(line, ox.RdfFormat.N_QUADS))))
    with db:
        db.execute("DELETE FROM rejected")
        db.executemany("INSERT INTO rejected VALUES (?, ?)", rejected_lines)
    if lines:
        store.oxigraph.bulk_load("".join(sorted(lines)).encode("utf-8"), ox.RdfFormat.N_QUADS)
    return len(rejected_lines)


def _matching_statements(store, target: str, predicate: str, value: str) -> list[tuple[str, bytes]]:
    """Quads of the article graphs stating ``target predicate value`` (the value an IRI or any literal of
    that lexical form), for the target or any article-local person that is the target."""
    import pyoxigraph as ox

    from .query import sparql_term

    # The IRIs were checked by curation; terms are written into the text (not substituted) so that the
    # planner starts from the subject instead of scanning every statement.
    query = ("SELECT DISTINCT ?g ?s ?o WHERE { "
             f"{{ BIND(<{target}> AS ?s) }} UNION {{ GRAPH ?ig {{ ?s <{_P_SAME}> <{target}> }} }} "
             f"GRAPH ?g {{ ?s <{predicate}> ?o }} FILTER(STR(?o) = {sparql_term('string', value)}) }}")
    found = []
    for solution in store.oxigraph.query(query):
        q = ox.Quad(solution["s"], ox.NamedNode(predicate), solution["o"], solution["g"])
        line = ox.serialize([q], format=ox.RdfFormat.N_QUADS)
        found.append((solution["g"].value, line))
    return sorted(found)


# -- reading back (export, curation) -------------------------------------------------------------------
def identity_graphs(store_path: str | Path) -> Iterator[tuple[str, bytes]]:
    """(graph IRI, N-Quads) of the people graphs, in IRI order; nothing when the pass never ran."""
    path = Path(store_path) / SIDECAR_NAME
    if not path.is_file():
        return
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for graph_iri, nquads in db.execute("SELECT graph_iri, nquads FROM groups ORDER BY graph_iri"):
            if nquads:
                yield graph_iri, bytes(nquads)
    finally:
        db.close()


def rejected_lines(store_path: str | Path) -> dict[str, set[bytes]]:
    """Graph IRI -> N-Quads lines that corrections removed (so exports leave them out too)."""
    path = Path(store_path) / SIDECAR_NAME
    if not path.is_file():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found: dict[str, set[bytes]] = defaultdict(set)
        for graph_iri, line in db.execute("SELECT graph_iri, line FROM rejected"):
            found[graph_iri].add(bytes(line).rstrip(b"\n"))
        return dict(found)
    finally:
        db.close()
