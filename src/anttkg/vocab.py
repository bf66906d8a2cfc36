"""Namespaces and term IRIs of the anttkg ontology (ontology/anttkg.ttl defines them)."""
from __future__ import annotations

ANTT = "https://w3id.org/anttkg/ontology#"
ID = "https://w3id.org/anttkg/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"

PREFIXES = {
    "antt": ANTT, "anttid": ID, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD,
    "skos": SKOS, "dcterms": DCTERMS, "schema": SCHEMA, "org": ORG, "foaf": FOAF,
    "prov": PROV, "sh": SH, "void": VOID, "dcat": DCAT,
}

RDF_TYPE = RDF + "type"
RDF_VALUE = RDF + "value"

# Event kinds as extracted -> ontology class.
EVENT_CLASSES = {
    "conference": ANTT + "Conference",
    "ceremony": ANTT + "Ceremony",
    "congress": ANTT + "Congress",
    "meeting": ANTT + "Meeting",
    "visit": ANTT + "Visit",
    "training": ANTT + "Training",
    "statement": ANTT + "Statement",
    "event": ANTT + "Event",
}

# Incident families as extracted -> ontology class (all subclasses of antt:Incident).
INCIDENT_CLASSES = {
    "crime": ANTT + "Crime",
    "arrest": ANTT + "Arrest",
    "prosecution": ANTT + "Prosecution",
    "trial": ANTT + "Trial",
    "fire": ANTT + "Fire",
    "traffic-accident": ANTT + "TrafficAccident",
    "disaster": ANTT + "NaturalDisaster",
}

# A participant's role in an incident -> property from the incident to the person.
INCIDENT_ROLE_PROPERTIES = {
    "suspect": ANTT + "suspect",
    "defendant": ANTT + "defendant",
    "victim": ANTT + "victim",
    "officer": ANTT + "officerInCharge",
}

# A body's part in an incident -> property from the incident to the organisation.
INCIDENT_BODY_PROPERTIES = {
    "unit": ANTT + "handledBy",
    "investigator": ANTT + "investigatedBy",
    "court": ANTT + "court",
    "procuracy": ANTT + "procuracy",
}

# Programme kinds as extracted -> ontology class.
INITIATIVE_CLASSES = {
    "program": ANTT + "Program",
    "movement": ANTT + "Movement",
    "project": ANTT + "Project",
    "campaign": ANTT + "Campaign",
}
