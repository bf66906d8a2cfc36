"""Resolve + graph stages: deterministic IRIs, one named graph per article, provenance to sentences."""
from __future__ import annotations

import pyoxigraph

from anttkg.graph import article_quads
from anttkg.models import (Article, AwardMention, DateValue, DocumentMention, EventMention, Extraction,
                           FigureMention, OrgMention, PersonMention, PlaceMention, Position,
                           ProgramMention, Span)
from anttkg.pipeline import process_article
from anttkg.resolve import article_iri, local_person_iri, resolve
from anttkg.extract.sentences import split_sentences

ANTT = "https://w3id.org/anttkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"


def sample_extraction(article_id="a1", person_name="Phạm Văn Bình", published="2021-05-04"):
    body = (f"Sáng 4/5, tại Đà Nẵng, Công an thành phố tổ chức Hội nghị sơ kết. "
            f"Dự có Thiếu tướng {person_name}, Giám đốc Công an thành phố Đà Nẵng. "
            f"Dịp này, 12 tập thể được tặng Bằng khen.")
    article = Article(id=article_id, title="Sơ kết công tác", text=body, published=published)
    text = article.full_text
    sentences = split_sentences(text)

    def span_of(fragment):
        start = text.index(fragment)
        end = start + len(fragment)
        index = next(s.index for s in sentences if s.start <= start < s.end)
        return Span(start, end, index)

    org = "Công an thành phố Đà Nẵng"
    return Extraction(
        article=article, sentences=sentences,
        organizations=[OrgMention(org, "Công an thành phố", span_of("Công an thành phố"), place="Đà Nẵng")],
        places=[PlaceMention("Đà Nẵng", "Đà Nẵng", span_of("Đà Nẵng"), "city")],
        people=[PersonMention(person_name, person_name, span_of(person_name), rank="Thiếu tướng",
                              positions=(Position("Giám đốc", org, "Giám đốc Công an thành phố Đà Nẵng",
                                                  span_of("Giám đốc")),))],
        documents=[DocumentMention("Kế hoạch", "15/KH-CAT", "Kế hoạch", span_of("Hội nghị"),
                                   date=DateValue(2021, 3, 1), issuer=org)],
        programs=[ProgramMention("movement", "Toàn dân bảo vệ an ninh Tổ quốc", "phong trào",
                                 span_of("Hội nghị"), start_year=2016, end_year=2021)],
        events=[EventMention("conference", "Hội nghị sơ kết", "Hội nghị sơ kết", span_of("Hội nghị sơ kết"),
                             date=DateValue(None, 5, 4), places=("Đà Nẵng",), organizers=(org,),
                             attendees=(person_name,))],
        awards=[AwardMention("Bằng khen", "Bằng khen", span_of("Bằng khen"), collectives=12)],
        figures=[FigureMention(12, "tập thể", "12 tập thể", span_of("12 tập thể"))],
    )


def load(lines):
    store = pyoxigraph.Store()
    store.load("".join(lines).encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def test_every_quad_sits_in_the_article_graph_and_parses():
    lines = article_quads(resolve(sample_extraction()))
    store = load(lines)
    graphs = {q.graph_name.value for q in store}
    assert graphs == {article_iri("a1")}
    assert len(store) == len(lines)


def test_output_is_sorted_and_deterministic():
    first = article_quads(resolve(sample_extraction()))
    second = article_quads(resolve(sample_extraction()))
    assert first == second == sorted(first)


def test_facts_point_to_the_sentence_they_were_read_from():
    store = load(article_quads(resolve(sample_extraction())))
    rows = list(store.query(f"""
        SELECT ?text WHERE {{ GRAPH ?g {{
            ?m a <{ANTT}Membership> ; <{PROV}wasDerivedFrom> ?s . ?s <{RDF_VALUE}> ?text }} }}"""))
    assert len(rows) == 1 and "Giám đốc Công an thành phố Đà Nẵng" in rows[0]["text"].value
    mention = list(store.query(f"""
        SELECT ?b ?e ?form WHERE {{ GRAPH ?g {{
            ?m <{ANTT}refersTo> <{local_person_iri(article_iri('a1'), 'Phạm Văn Bình')}> ; <{ANTT}beginIndex> ?b ;
               <{ANTT}endIndex> ?e ; <{ANTT}surfaceForm> ?form }} }}"""))
    text = sample_extraction().article.full_text
    (row,) = mention
    assert text[int(row["b"].value):int(row["e"].value)] == row["form"].value == "Phạm Văn Bình"


def test_year_less_event_dates_stay_month_day():
    store = load(article_quads(resolve(sample_extraction())))
    (row,) = list(store.query("SELECT ?d WHERE { GRAPH ?g { ?e <https://schema.org/startDate> ?d } }"))
    assert row["d"].value == "--05-04"
    assert row["d"].datatype.value.endswith("#gMonthDay")


def test_a_person_is_a_node_of_the_article_whatever_the_tone_placement():
    # Who is who across articles is decided later, from all of them (anttkg.identity): here each article
    # has its own node, named the same way whatever the tone placement.
    one = article_quads(resolve(sample_extraction("a1", "Phạm Văn Thuỷ")))
    two = article_quads(resolve(sample_extraction("a2", "Phạm Văn Thủy")))
    store = load(one + two)
    people = {r["p"].value for r in store.query(f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?p a <{ANTT}Person> }} }}")}
    assert people == {local_person_iri(article_iri("a1"), "Phạm Văn Thủy"),
                      local_person_iri(article_iri("a2"), "Phạm Văn Thuỷ")}
    assert all(p.startswith(article_iri("a1") + "/") or p.startswith(article_iri("a2") + "/") for p in people)


def test_every_referenced_entity_has_a_type_and_name_in_the_graph():
    store = load(article_quads(resolve(sample_extraction())))
    untyped = list(store.query("""
        SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/anttkg/id/"))
          FILTER NOT EXISTS { ?o a ?type } } }"""))
    assert untyped == []


def test_process_article_on_plain_text_writes_the_article_node():
    article = Article(id="b/2 x", title="Tin \"nóng\" <b>", text="Câu một. Câu hai.", published="2022",
                      authors=("Tất Đạt",), source="baomoi.com", url="https://example.org/a b")
    result = process_article(article)
    store = load([result.nquads])
    assert result.graph_iri == article_iri("b/2 x")
    (row,) = list(store.query("SELECT ?id ?t ?d WHERE { GRAPH ?g { ?a <http://purl.org/dc/terms/identifier> ?id ; "
                              "<http://purl.org/dc/terms/title> ?t ; <http://purl.org/dc/terms/issued> ?d } }"))
    assert row["id"].value == "b/2 x" and row["t"].value == 'Tin "nóng" <b>' and row["d"].value == "2022"


def test_an_entity_written_two_ways_keeps_one_name_and_an_alternative_label():
    extraction = sample_extraction()
    first = extraction.organizations[0]
    extraction.organizations.append(OrgMention("CÔNG AN THÀNH PHỐ ĐÀ NẴNG", "CÔNG AN THÀNH PHỐ ĐÀ NẴNG", first.span))
    store = load(article_quads(resolve(extraction)))
    names = list(store.query("SELECT ?n WHERE { GRAPH ?g { ?o a <https://w3id.org/anttkg/ontology#Organization> ; "
                             "<https://schema.org/name> ?n } }"))
    alternatives = {r["a"].value for r in store.query(
        "SELECT ?a WHERE { GRAPH ?g { ?o <http://www.w3.org/2004/02/skos/core#altLabel> ?a } }")}
    assert [r["n"].value for r in names] == ["Công an thành phố Đà Nẵng"]
    assert "CÔNG AN THÀNH PHỐ ĐÀ NẴNG" in alternatives


def test_one_valued_properties_keep_the_first_reading_and_the_graph_validates():
    from anttkg.shacl_sparql import validate_nquads_items

    extraction = sample_extraction()
    person = extraction.people[0]
    span = person.span
    extraction.people.append(PersonMention(person.name, person.name, span, rank="Trung tướng",
                                           positions=(Position("Phó trưởng", None, "Phó trưởng", span),
                                                      Position("Phó Trưởng", None, "Phó Trưởng", span))))
    extraction.documents = [DocumentMention("Quyết định", "1947/QĐ-UBND", "Quyết định 1947/QĐ-UBND", span),
                            DocumentMention("Quyết định", "1947/QĐ–UBND", "Quyết định 1947/QĐ–UBND", span)]
    quads = article_quads(resolve(extraction))
    store = load(quads)
    ranks = list(store.query("SELECT ?r WHERE { GRAPH ?g { ?p <https://w3id.org/anttkg/ontology#rank> ?r } }"))
    numbers = list(store.query("SELECT ?n WHERE { GRAPH ?g { ?d <https://w3id.org/anttkg/ontology#documentNumber> ?n } }"))
    assert len(ranks) == 1 and len(numbers) == 1
    assert validate_nquads_items([("a1", "".join(quads))]) == []
