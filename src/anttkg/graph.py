"""Graph stage: a resolved article -> the N-Quads of its named graph (docs/graph-model.md).

Everything the article says sits in the graph named by the article's IRI, including the triples about the
shared people and bodies it mentions; facts point to their sentence, mentions carry their span.
"""
from __future__ import annotations

from functools import lru_cache

from .lexicon import load_table
from .models import DateValue, Span
from .rdf import iri, literal, quad
from .resolve import (ResolvedArticle, document_iri, document_type_iri, initiative_iri, rank_iri,
                      title_iri)
from .vocab import (ANTT, DCTERMS, EVENT_CLASSES, INCIDENT_BODY_PROPERTIES, INCIDENT_CLASSES,
                    INCIDENT_ROLE_PROPERTIES, INITIATIVE_CLASSES, ORG, PROV, RDF_TYPE, RDF_VALUE, SCHEMA, SKOS, XSD)

_ISO_TYPES = {10: "date", 7: "gYearMonth", 4: "gYear"}


def date_literal(value: DateValue) -> str:
    return literal(value.iso(), XSD + value.xsd_type)


def published_literal(published: str | None) -> str | None:
    """The article's ISO publication date typed by its precision, or None when absent or malformed."""
    if not published:
        return None
    parts = published.split("-")
    if not all(p.isdigit() for p in parts) or len(published) not in _ISO_TYPES:
        return None
    return literal(published, XSD + _ISO_TYPES[len(published)])


@lru_cache(maxsize=None)
def _english_labels(table: str, column: str) -> dict[str, str]:
    """Vietnamese label -> English label from a lexicon table, where it has one."""
    try:
        rows = load_table(table)
    except FileNotFoundError:
        return {}
    return {row[column]: row["en"] for row in rows if row.get(column) and row.get("en")}


class _GraphWriter:
    def __init__(self, resolved: ResolvedArticle):
        self.resolved = resolved
        self.graph = iri(resolved.iri)
        self.lines: set[str] = set()
        self.sentences_used: set[int] = set()
        self.mention_count = 0
        self.names: dict[str, str] = {}  # shared entity IRI -> the schema:name written for it here
        self.concepts: set[str] = set()  # concepts labelled in this article
        self.single: set[tuple[str, str]] = set()  # (node, property) of one-valued properties already written

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.add(quad(iri(subject), iri(predicate), obj, self.graph))

    def add_iri(self, subject: str, predicate: str, obj: str) -> None:
        self.add(subject, predicate, iri(obj))

    def sentence(self, span: Span) -> str:
        self.sentences_used.add(span.sentence)
        return self.resolved.local("sentence", span.sentence)

    def derived_from(self, node: str, span: Span) -> None:
        self.add_iri(node, PROV + "wasDerivedFrom", self.sentence(span))

    def mention(self, entity: str, span: Span, surface: str) -> None:
        node = self.resolved.local("mention", self.mention_count)
        self.mention_count += 1
        self.add_iri(node, RDF_TYPE, ANTT + "Mention")
        self.add_iri(node, ANTT + "refersTo", entity)
        self.add_iri(node, ANTT + "inSentence", self.sentence(span))
        self.add(node, ANTT + "beginIndex", literal(span.start))
        self.add(node, ANTT + "endIndex", literal(span.end))
        self.add(node, ANTT + "surfaceForm", literal(surface))

    # shared entities -------------------------------------------------------------------------------
    def name(self, node: str, name: str) -> None:
        """One schema:name per entity and article: the first written form; other forms that share the
        identity key (case, tone placement, abbreviations) become skos:altLabel."""
        first = self.names.setdefault(node, name)
        if first == name:
            self.add(node, SCHEMA + "name", literal(name))
        else:
            self.add(node, SKOS + "altLabel", literal(name))

    def add_once(self, node: str, predicate: str, value: str, is_iri: bool = False) -> None:
        """A property the ontology allows once per entity (rank, a document's number and date): the first
        value read in the article; later ones are other writings ("1947/QĐ-UBND", "21/NQ-TW" for 21-NQ/TW)
        or a later promotion the article reports in passing."""
        if (node, predicate) in self.single:
            return
        self.single.add((node, predicate))
        if is_iri:
            self.add_iri(node, predicate, value)
        else:
            self.add(node, predicate, value)

    def person(self, name: str) -> str:
        node = self.resolved.person(name)
        self.add_iri(node, RDF_TYPE, ANTT + "Person")
        self.name(node, name)
        return node

    def organization(self, name: str, abbreviation: str | None = None, written: str | None = None) -> str:
        node = self.resolved.organization(name)
        self.add_iri(node, RDF_TYPE, ANTT + "Organization")
        self.name(node, name)
        if abbreviation:
            self.add(node, ANTT + "abbreviation", literal(abbreviation))
        if written and written not in (self.names[node], abbreviation):
            self.add(node, SKOS + "altLabel", literal(written))
        return node

    def place(self, name: str, kind: str | None = None) -> str:
        node = self.resolved.place(name)
        self.add_iri(node, RDF_TYPE, ANTT + "Place")
        self.name(node, name)
        if kind:
            self.add(node, ANTT + "placeKind", literal(kind))
        return node

    def concept(self, node: str, cls: str, scheme: str, label: str, english: str | None) -> str:
        """A concept of a scheme, labelled once per article by its first written form ("Phó Trưởng" and
        "Phó trưởng" are one title: two Vietnamese prefLabels would break skos:prefLabel's one per language)."""
        if node in self.concepts:
            return node
        self.concepts.add(node)
        self.add_iri(node, RDF_TYPE, ANTT + cls)
        self.add_iri(node, SKOS + "inScheme", ANTT + scheme)
        self.add(node, SKOS + "prefLabel", literal(label, lang="vi"))
        if english:
            self.add(node, SKOS + "prefLabel", literal(english, lang="en"))
        return node

    # the article ---------------------------------------------------------------------------------------
    def article(self) -> None:
        article = self.resolved.extraction.article
        node = self.resolved.iri
        self.add_iri(node, RDF_TYPE, ANTT + "Article")
        self.add(node, DCTERMS + "identifier", literal(article.id))
        if article.title:
            self.add(node, DCTERMS + "title", literal(article.title, lang="vi"))
        self.add(node, DCTERMS + "language", literal("vi"))
        published = published_literal(article.published)
        if published:
            self.add(node, DCTERMS + "issued", published)
        if article.source:
            self.add(node, ANTT + "sourceName", literal(article.source))
        for author in article.authors:
            self.add(node, ANTT + "byline", literal(author))
        if article.url:
            self.add(node, SCHEMA + "url", literal(article.url, XSD + "anyURI"))
        self.add(node, ANTT + "contentHash", literal(article.content_hash))

    def sentences(self) -> None:
        sentences = self.resolved.extraction.sentences
        for index in sorted(self.sentences_used):
            if index >= len(sentences):
                continue
            sentence = sentences[index]
            node = self.resolved.local("sentence", index)
            self.add_iri(node, RDF_TYPE, ANTT + "Sentence")
            self.add_iri(node, DCTERMS + "isPartOf", self.resolved.iri)
            self.add(node, ANTT + "sentenceIndex", literal(sentence.index))
            self.add(node, ANTT + "beginIndex", literal(sentence.start))
            self.add(node, ANTT + "endIndex", literal(sentence.end))
            self.add(node, RDF_VALUE, literal(sentence.text))

    # mention families ---------------------------------------------------------------------------------
    def organizations(self) -> None:
        for org in self.resolved.extraction.organizations:
            node = self.organization(org.name, org.abbreviation, org.text)
            self.mention(node, org.span, org.text)
            if org.parent:
                self.add_iri(node, ORG + "subOrganizationOf", self.organization(org.parent))
            if org.place:
                self.add_iri(node, ANTT + "basedIn", self.place(org.place))

    def places(self) -> None:
        for place in self.resolved.extraction.places:
            self.mention(self.place(place.name, place.kind), place.span, place.text)

    def people(self) -> None:
        as_of = published_literal(self.resolved.extraction.article.published)
        ranks_en = _english_labels("ranks", "rank")
        titles_en = _english_labels("titles", "title")
        memberships: dict[tuple[str, str, str | None], str] = {}
        for person in self.resolved.extraction.people:
            node = self.person(person.name)
            self.mention(node, person.span, person.text)
            if person.rank:
                rank = self.concept(rank_iri(person.rank), "Rank", "RankScheme", person.rank,
                                    ranks_en.get(person.rank))
                self.add_once(node, ANTT + "rank", rank, is_iri=True)
            for position in person.positions:
                identity = (node, position.title, position.organization)
                if identity in memberships:
                    continue
                membership = self.resolved.local("membership", len(memberships))
                memberships[identity] = membership
                self.add_iri(membership, RDF_TYPE, ANTT + "Membership")
                self.add_iri(membership, ORG + "member", node)
                title = self.concept(title_iri(position.title), "Title", "TitleScheme", position.title,
                                     titles_en.get(position.title))
                self.add_iri(membership, ORG + "role", title)
                if position.organization:
                    self.add_iri(membership, ORG + "organization", self.organization(position.organization))
                if as_of:
                    self.add(membership, ANTT + "asOf", as_of)
                self.derived_from(membership, position.span)

    def documents(self) -> None:
        doc_types_en = _english_labels("document_types", "type")
        article_id = self.resolved.article_id
        for document in self.resolved.extraction.documents:
            node = document_iri(document, article_id)
            self.add_iri(node, RDF_TYPE, ANTT + "LegalDocument")
            doc_type = self.concept(document_type_iri(document.doc_type), "DocumentType",
                                    "DocumentTypeScheme", document.doc_type, doc_types_en.get(document.doc_type))
            self.add_once(node, ANTT + "documentType", doc_type, is_iri=True)
            self.add_once(node, ANTT + "documentNumber", literal(document.number))
            if document.date:
                self.add_once(node, DCTERMS + "issued", date_literal(document.date))
            if document.issuer:
                self.add_iri(node, ANTT + "issuedBy", self.organization(document.issuer))
            if document.subject:
                self.add_once(node, DCTERMS + "subject", literal(document.subject, lang="vi"))
            self.mention(node, document.span, document.text)
            self.derived_from(node, document.span)

    def programs(self) -> None:
        for program in self.resolved.extraction.programs:
            node = initiative_iri(program.name)
            self.add_iri(node, RDF_TYPE, INITIATIVE_CLASSES.get(program.kind, ANTT + "Initiative"))
            self.add(node, SCHEMA + "name", literal(program.name))
            if program.start_year:
                self.add(node, ANTT + "startYear", literal(f"{program.start_year:04d}", XSD + "gYear"))
            if program.end_year:
                self.add(node, ANTT + "endYear", literal(f"{program.end_year:04d}", XSD + "gYear"))
            if program.launched_by:
                self.add_iri(node, ANTT + "launchedBy", self.organization(program.launched_by))
            self.mention(node, program.span, program.text)
            self.derived_from(node, program.span)

    def events(self) -> None:
        for index, event in enumerate(self.resolved.extraction.events):
            node = self.resolved.local("event", index)
            self.add_iri(node, RDF_TYPE, EVENT_CLASSES.get(event.kind, ANTT + "Event"))
            self.add(node, SCHEMA + "name", literal(event.name, lang="vi"))
            if event.date:
                self.add(node, SCHEMA + "startDate", date_literal(event.date))
            for place in event.places:
                self.add_iri(node, SCHEMA + "location", self.place(place))
            for organizer in event.organizers:
                self.add_iri(node, SCHEMA + "organizer", self.organization(organizer))
            for predicate, names in ((ANTT + "chairedBy", event.chairs), (SCHEMA + "attendee", event.attendees),
                                     (ANTT + "speaker", event.speakers)):
                for name in names:
                    self.add_iri(node, predicate, self.person(name))
            self.derived_from(node, event.span)

    def incidents(self) -> None:
        sentences = self.resolved.extraction.sentences
        for index, incident in enumerate(self.resolved.extraction.incidents):
            node = self.resolved.local("incident", index)
            self.add_iri(node, RDF_TYPE, INCIDENT_CLASSES[incident.kind])
            self.add(node, SCHEMA + "name", literal(incident.name, lang="vi"))
            if incident.date:
                self.add(node, SCHEMA + "startDate", date_literal(incident.date))
            for place in incident.places:
                self.add_iri(node, SCHEMA + "location", self.place(place))
            partly_named: dict[str, str] = {}
            for participant in incident.participants:
                if participant.shared:
                    person = self.person(participant.name)
                else:  # named by initials: a person of this incident only, never merged across articles
                    person = partly_named.get(participant.name)
                    if person is None:
                        person = f"{node}/person/{len(partly_named)}"
                        partly_named[participant.name] = person
                        self.add_iri(person, RDF_TYPE, ANTT + "PartlyNamedPerson")
                        self.add(person, SCHEMA + "name", literal(participant.name))
                    self.mention(person, participant.span, participant.text)
                self.add_iri(node, INCIDENT_ROLE_PROPERTIES[participant.role], person)
            for role, body in incident.bodies:
                self.add_iri(node, INCIDENT_BODY_PROPERTIES[role], self.organization(body))
            for number, charge in enumerate(incident.charges):
                charge_node = f"{node}/charge/{number}"
                self.add_iri(node, ANTT + "charge", charge_node)
                self.add_iri(charge_node, RDF_TYPE, ANTT + "Charge")
                if charge.name:
                    self.add(charge_node, SCHEMA + "name", literal(charge.name, lang="vi"))
                if charge.article is not None:
                    self.add(charge_node, ANTT + "penalCodeArticle", literal(charge.article))
                if charge.clause is not None:
                    self.add(charge_node, ANTT + "penalCodeClause", literal(charge.clause))
            for penalty in incident.penalties:
                self.add(node, ANTT + "penalty", literal(penalty, lang="vi"))
            if incident.deaths is not None:
                self.add(node, ANTT + "deaths", literal(incident.deaths))
            if incident.injuries is not None:
                self.add(node, ANTT + "injuries", literal(incident.injuries))
            if incident.damage is not None:
                damage = f"{node}/damage"
                self.add_iri(node, ANTT + "damage", damage)
                self.add_iri(damage, RDF_TYPE, ANTT + "Figure")
                self.add(damage, SCHEMA + "value", literal(incident.damage))
                self.add(damage, SCHEMA + "unitText", literal("đồng"))
                self.derived_from(damage, incident.span)
            for sentence in incident.sentences or (incident.span.sentence,):
                if sentence < len(sentences):
                    sent = sentences[sentence]
                    self.derived_from(node, Span(sent.start, sent.end, sentence))

    def awards(self) -> None:
        for index, award in enumerate(self.resolved.extraction.awards):
            node = self.resolved.local("award", index)
            self.add_iri(node, RDF_TYPE, ANTT + "Award")
            self.add(node, ANTT + "awardType", literal(award.award_type, lang="vi"))
            for giver in award.givers:
                self.add_iri(node, ANTT + "awardedBy", self.organization(giver))
            if award.collectives is not None:
                self.add(node, ANTT + "collectiveRecipients", literal(award.collectives))
            if award.individuals is not None:
                self.add(node, ANTT + "individualRecipients", literal(award.individuals))
            if award.occasion:
                self.add(node, ANTT + "occasion", literal(award.occasion, lang="vi"))
            self.derived_from(node, award.span)

    def figures(self) -> None:
        for index, figure in enumerate(self.resolved.extraction.figures):
            node = self.resolved.local("figure", index)
            self.add_iri(node, RDF_TYPE, ANTT + "Figure")
            self.add(node, SCHEMA + "value", literal(figure.value))
            self.add(node, SCHEMA + "unitText", literal(figure.unit))
            self.derived_from(node, figure.span)


def article_quads(resolved: ResolvedArticle) -> list[str]:
    """Sorted, de-duplicated N-Quads lines of the article's named graph."""
    writer = _GraphWriter(resolved)
    writer.article()
    writer.organizations()
    writer.places()
    writer.people()
    writer.documents()
    writer.programs()
    writer.events()
    writer.incidents()
    writer.awards()
    writer.figures()
    writer.sentences()  # last: only the sentences the facts above point to
    return sorted(writer.lines)
