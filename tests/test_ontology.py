"""The OWL ontology (ontology/anttkg.ttl) and the JSON-LD context declare every term the graph uses."""
from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from anttkg.resources import ontology_dir
from anttkg.vocab import ANTT, EVENT_CLASSES, INITIATIVE_CLASSES

A = Namespace(ANTT)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ONTOLOGY_IRI = URIRef("https://w3id.org/anttkg/ontology")
TERM_KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "anttkg.ttl", format="turtle")


def _antt_terms_in(text: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"\bantt:([A-Za-z][A-Za-z0-9]*)", text)}


def _antt_terms_in_graph(graph: Graph) -> set[str]:
    found = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(ANTT) and len(str(term)) > len(ANTT):
                found.add(str(term)[len(ANTT):])
    return found


def _used_terms(repo_dir) -> set[str]:
    model = (repo_dir / "docs" / "graph-model.md").read_text(encoding="utf-8")
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    vocab = {iri[len(ANTT):] for iri in (*EVENT_CLASSES.values(), *INITIATIVE_CLASSES.values())}
    return _antt_terms_in(model) | _antt_terms_in_graph(shapes) | vocab


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description):
        languages = {o.language for o in ontology.objects(ONTOLOGY_IRI, predicate)}
        assert {"en", "vi"} <= languages, predicate
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert isinstance(ontology.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    created = ontology.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")


def test_used_terms_are_found(repo_dir):
    # Guard against the scan below passing vacuously.
    used = _used_terms(repo_dir)
    assert {"Person", "Membership", "refersTo", "documentNumber", "RankScheme"} <= used
    assert len(used) > 50


def test_every_used_term_is_declared_and_documented(ontology, repo_dir):
    problems = []
    for name in sorted(_used_terms(repo_dir)):
        term = A[name]
        kinds = set(ontology.objects(term, RDF.type)) & TERM_KINDS
        if not kinds:
            problems.append(f"antt:{name} is not declared")
            continue
        labels = {label.language for label in ontology.objects(term, RDFS.label)}
        if not {"vi", "en"} <= labels:
            problems.append(f"antt:{name} lacks an rdfs:label in vi or en ({sorted(map(str, labels))})")
        comments = {c.language for c in ontology.objects(term, RDFS.comment)}
        if "en" not in comments:
            problems.append(f"antt:{name} lacks an English rdfs:comment")
    assert problems == []


def test_every_declared_term_is_documented(ontology):
    # Terms declared but not (yet) used still need labels: the ontology is published as is.
    for term in sorted(set(ontology.subjects(RDF.type, None))):
        if isinstance(term, URIRef) and str(term).startswith(ANTT):
            assert {"vi", "en"} <= {label.language for label in ontology.objects(term, RDFS.label)}, term


@pytest.mark.parametrize("child, parent", [
    (A.Person, SCHEMA.Person), (A.Person, FOAF.Person), (A.Person, PROV.Agent),
    (A.Organization, ORG.Organization), (A.Organization, SCHEMA.Organization),
    (A.Organization, FOAF.Organization),
    (A.Membership, ORG.Membership),
    (A.Title, ORG.Role), (A.Title, SKOS.Concept), (A.Rank, SKOS.Concept), (A.DocumentType, SKOS.Concept),
    (A.Article, SCHEMA.NewsArticle), (A.Article, PROV.Entity), (A.Sentence, PROV.Entity),
    (A.Event, SCHEMA.Event), (A.LegalDocument, SCHEMA.Legislation), (A.Place, SCHEMA.Place),
    (A.Figure, SCHEMA.QuantitativeValue),
    (A.Conference, A.Event), (A.Ceremony, A.Event), (A.Congress, A.Event), (A.Meeting, A.Event),
    (A.Visit, A.Event), (A.Training, A.Event),
    (A.Program, A.Initiative), (A.Movement, A.Initiative), (A.Project, A.Initiative),
    (A.Campaign, A.Initiative),
])
def test_class_alignment(ontology, child, parent):
    assert (child, RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize("child, parent", [
    (A.issuedBy, DCTERMS.creator), (A.abbreviation, SKOS.altLabel), (A.inSentence, DCTERMS.isPartOf),
    (A.chairedBy, SCHEMA.attendee), (A.basedIn, SCHEMA.location), (A.startYear, SCHEMA.startDate),
    (A.endYear, SCHEMA.endDate), (A.documentType, DCTERMS.type),
])
def test_property_alignment(ontology, child, parent):
    assert (child, RDFS.subPropertyOf, parent) in ontology


def test_extracted_kinds_map_to_subclasses(ontology):
    for iri in EVENT_CLASSES.values():
        assert iri == str(A.Event) or (URIRef(iri), RDFS.subClassOf, A.Event) in ontology, iri
    for iri in INITIATIVE_CLASSES.values():
        assert (URIRef(iri), RDFS.subClassOf, A.Initiative) in ontology, iri


def test_object_properties_point_at_declared_classes(ontology):
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if not str(prop).startswith(ANTT):
            continue
        for axis in (RDFS.domain, RDFS.range):
            for cls in ontology.objects(prop, axis):
                if str(cls).startswith(ANTT):
                    assert (cls, RDF.type, OWL.Class) in ontology, (prop, axis, cls)


def test_datatype_and_object_properties_are_disjoint_sets(ontology):
    objects = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    datatypes = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    assert objects & datatypes == set()


def test_concept_schemes_declared(ontology):
    for scheme in (A.RankScheme, A.TitleScheme, A.DocumentTypeScheme):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology


# --- JSON-LD context ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _expand(context: dict, value: str) -> str:
    prefix, _, local = value.partition(":")
    if prefix in context and isinstance(context[prefix], str) and not local.startswith("//"):
        return context[prefix] + local
    return value


def test_context_terms_expand_to_declared_antt_terms(context, ontology):
    for term, definition in context.items():
        iri = definition if isinstance(definition, str) else definition.get("@id", "")
        expanded = _expand(context, iri)
        if expanded.startswith(ANTT) and expanded != ANTT:
            assert set(ontology.objects(URIRef(expanded), RDF.type)) & TERM_KINDS, term


def test_context_covers_graph_model_terms(context, repo_dir):
    model = (repo_dir / "docs" / "graph-model.md").read_text(encoding="utf-8")
    mapped = set()
    for definition in context.values():
        iri = definition if isinstance(definition, str) else definition.get("@id", "")
        mapped.add(_expand(context, iri))
    missing = sorted(name for name in _antt_terms_in(model)
                     if ANTT + name not in mapped and not name.endswith("Scheme"))
    assert missing == []


def test_context_round_trips_a_graph(context):
    data = Graph().parse(format="turtle", data="""
        @prefix antt: <https://w3id.org/anttkg/ontology#> .
        @prefix schema: <https://schema.org/> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        <https://w3id.org/anttkg/id/person/p1> a antt:Person ; schema:name "Nguyễn Thị Hoa" ;
            antt:rank <https://w3id.org/anttkg/id/rank/r1> .
        <https://w3id.org/anttkg/id/rank/r1> a antt:Rank ; skos:prefLabel "Đại tá"@vi , "Colonel"@en ;
            skos:inScheme antt:RankScheme .
        <https://w3id.org/anttkg/id/article/x/award/0> a antt:Award ; antt:awardType "Giấy khen"@vi ;
            antt:collectiveRecipients 3 ; prov:wasDerivedFrom <https://w3id.org/anttkg/id/article/x/sentence/2> .
        <https://w3id.org/anttkg/id/initiative/i1> a antt:Movement ; antt:startYear "2020"^^xsd:gYear .
    """)
    compacted = data.serialize(format="json-ld", context=context)
    document = json.loads(compacted)
    assert "@graph" in document or "@id" in document
    assert '"name": "Nguyễn Thị Hoa"' in compacted and '"prefLabel"' in compacted  # the terms were used
    back = Graph().parse(data=compacted, format="json-ld")
    assert isomorphic(back, data)
