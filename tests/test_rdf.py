"""N-Quads term writing must give valid, parseable output for any string."""
from __future__ import annotations

import pyoxigraph
import rdflib
from hypothesis import given, settings, strategies as st

from anttkg.rdf import iri, literal, quad

XSD = "http://www.w3.org/2001/XMLSchema#"


def parse_both(line: str):
    graph = rdflib.Dataset()
    graph.parse(data=line, format="nquads")
    oxi = list(pyoxigraph.parse(line.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS))
    return graph, oxi


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_any_string_literal_round_trips(text):
    line = quad(iri("http://example.org/s"), iri("http://example.org/p"), literal(text),
                iri("http://example.org/g"))
    _, oxi = parse_both(line)
    value = oxi[0].object.value
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) else c
                       for c in text)
    expected = expected.replace("\x00", "\x00")
    assert value == expected


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_any_string_makes_a_valid_iri(text):
    line = quad(iri("http://example.org/item/" + text), iri("http://example.org/p"), literal(1), None)
    _, oxi = parse_both(line)
    assert oxi[0].subject.value.startswith("http://example.org/item/")


def test_typed_literals():
    assert literal(5) == f'"5"^^<{XSD}integer>'
    assert literal(1.5) == f'"1.5"^^<{XSD}decimal>'
    assert literal(0.00001) == f'"0.00001"^^<{XSD}decimal>'
    assert literal("--08-19", XSD + "gMonthDay") == f'"--08-19"^^<{XSD}gMonthDay>'
    assert literal("Hà Nội", lang="vi") == '"Hà Nội"@vi'
    assert literal("x", XSD + "string") == '"x"'
