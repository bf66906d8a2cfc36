"""The SPARQL SHACL engine (anttkg.shacl_sparql) against the reference, pyshacl (anttkg.validate).

The main test is equivalence: for valid graphs from the real pipeline and for graphs broken on purpose, the
set of (article, focus node, path, shape) found by both engines is the same. The broken graphs are derived
from the pipeline's output by generic mutations (drop a required triple, add a second value, change a
datatype, ...), each of which must make pyshacl report something, so the comparison cannot pass vacuously.
"""
from __future__ import annotations

import gzip
import itertools
import json
import re
import urllib.parse

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anttkg import shacl_sparql
from anttkg.models import Article
from anttkg.pipeline import process_article
from anttkg.resources import ontology_dir
from anttkg.shacl_sparql import UnsupportedShape, compile_shapes, translate_pattern, validate_nquads_items, \
    validate_store
from anttkg.validate import validate_many
from anttkg.vocab import ANTT, DCTERMS, ID, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

A = ANTT
TYPE = ox.NamedNode(RDF + "type")

# Hand-written articles (not the seeds): several people, bodies, places, an event, a plan, an award and a
# figure, so that the graphs hold every node kind. Two of them name the same deputy director, whose person
# node is then shared by two article graphs.
ARTICLES = [
    Article(
        id="bai-viet-thu-1", title="Công an tỉnh Bình Phước sơ kết phong trào bảo vệ an ninh Tổ quốc",
        sapo="Ngày 12/3/2023, Công an tỉnh Bình Phước tổ chức hội nghị sơ kết phong trào Toàn dân bảo vệ an "
             "ninh Tổ quốc.",
        text="Đại tá Trần Văn Quang, Phó Giám đốc Công an tỉnh Bình Phước chủ trì hội nghị. Theo Kế hoạch số "
             "125/KH-CAT ngày 5/1/2023 của Công an tỉnh, toàn tỉnh đã xây dựng 37 mô hình tự quản về an ninh "
             "trật tự. Dịp này, Giám đốc Công an tỉnh tặng Giấy khen cho 15 tập thể và 22 cá nhân.",
        published="2023-03-12", source="baomoi.com", authors=("Minh Khang",),
        url="https://example.org/tin/bai-viet-thu-1"),
    Article(
        id="bai viết #2", title="Thanh niên Công an Hà Tĩnh ra quân tình nguyện",
        text="Sáng 20/7, Đoàn Thanh niên Công an tỉnh Hà Tĩnh phối hợp với Tỉnh đoàn Hà Tĩnh tổ chức lễ ra "
             "quân chiến dịch Thanh niên tình nguyện hè năm 2022. Dự buổi lễ có Thượng tá Lê Thị Hồng Nhung, "
             "Trưởng phòng Công tác đảng và công tác chính trị Công an tỉnh Hà Tĩnh. Các đoàn viên đã tham "
             "gia tuần tra tại thị xã Kỳ Anh.",
        published="2022-07", source="baomoi.com"),
    Article(
        id="bai-viet-thu-3", title="Bộ Công an triển khai Chỉ thị về bảo đảm trật tự an toàn giao thông",
        text="Ngày 3/4/2024, tại Hà Nội, Bộ Công an tổ chức hội nghị trực tuyến triển khai Chỉ thị số "
             "10/CT-TTg của Thủ tướng Chính phủ. Thượng tướng Lương Tam Quang, Bộ trưởng Bộ Công an chủ trì. "
             "Đại tá Trần Văn Quang, Phó Giám đốc Công an tỉnh Bình Phước tham dự tại điểm cầu Bình Phước. "
             "Năm 2023, lực lượng Cảnh sát giao thông đã xử lý hơn 1,2 triệu trường hợp vi phạm.",
        published="2024-04-03", authors=("Hải Đăng", "Thu Trang")),
]


def shape_keys(violations) -> set[tuple[str, str, str, str]]:
    return {(v.article_id, v.focus_node, v.path, v.shape) for v in violations}


def reference(items) -> list:
    return validate_many(items, workers=1)


@pytest.fixture(scope="module")
def pipeline_items() -> list[tuple[str, str]]:
    return [(article.id, process_article(article).nquads) for article in ARTICLES]


@pytest.fixture(scope="module")
def mutants(pipeline_items) -> list[tuple[str, str]]:
    return mutant_items(pipeline_items)


# ---------------------------------------------------------------------------------------------------------
# Mutations: each takes an article's quads and returns broken quads, or None when the article has no node
# the mutation applies to.
# ---------------------------------------------------------------------------------------------------------

EVENT_CLASSES = [A + c for c in ("Event", "Conference", "Ceremony", "Congress", "Meeting", "Visit", "Training")]


def _subjects(quads, classes) -> list:
    classes = {classes} if isinstance(classes, str) else set(classes)
    return sorted({q.subject for q in quads if q.predicate == TYPE and q.object.value in classes}, key=str)


def _lit(value, datatype=None, language=None):
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def drop(cls, predicate):
    def mutate(quads):
        subjects = _subjects(quads, cls)
        if not subjects or not any(q.subject == subjects[0] and q.predicate.value == predicate for q in quads):
            return None
        return [q for q in quads if not (q.subject == subjects[0] and q.predicate.value == predicate)]
    return mutate


def replace(cls, predicate, new_object):
    """Every value of ``predicate`` on the first node of ``cls`` becomes ``new_object`` (a term, or a
    function of the quads giving one)."""
    def mutate(quads):
        subjects = _subjects(quads, cls)
        if not subjects or not any(q.subject == subjects[0] and q.predicate.value == predicate for q in quads):
            return None
        value = new_object(quads) if callable(new_object) else new_object
        if value is None:
            return None
        kept = [q for q in quads if not (q.subject == subjects[0] and q.predicate.value == predicate)]
        graph = quads[0].graph_name
        return kept + [ox.Quad(subjects[0], ox.NamedNode(predicate), value, graph)]
    return mutate


def add(cls, predicate, new_object):
    def mutate(quads):
        subjects = _subjects(quads, cls)
        if not subjects:
            return None
        return quads + [ox.Quad(subjects[0], ox.NamedNode(predicate), new_object, quads[0].graph_name)]
    return mutate


def same_as(cls, predicate):
    """The value of another property of the same node (e.g. endIndex := beginIndex)."""
    def pick(quads):
        subjects = _subjects(quads, cls)
        found = [q.object for q in quads if q.subject == subjects[0] and q.predicate.value == predicate]
        return found[0] if found else None
    return pick


def article_node(quads):
    subjects = _subjects(quads, A + "Article")
    return subjects[0] if subjects else None


def untype_mentioned_entity(quads):
    """The entity a mention refers to loses its rdf:type (the mention's sequence path finds no class)."""
    targets = sorted({q.object for q in quads if q.predicate.value == A + "refersTo"}, key=str)
    if not targets:
        return None
    return [q for q in quads if not (q.subject == targets[0] and q.predicate == TYPE)]


def subclass_in_data(quads):
    """A node typed with a class stated (in the data) to be a subclass of antt:Person, without a name."""
    graph = quads[0].graph_name
    node = ox.NamedNode(ID + "person/chi-huy-truong-0000")
    chief = ox.NamedNode(A + "ChiefOfStaff")
    return quads + [ox.Quad(node, TYPE, chief, graph),
                    ox.Quad(chief, ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(A + "Person"), graph)]


MUTATIONS = {
    "no identifier": drop(A + "Article", DCTERMS + "identifier"),
    "no content hash": drop(A + "Article", A + "contentHash"),
    "no sentence text": drop(A + "Sentence", RDF + "value"),
    "no surface form": drop(A + "Mention", A + "surfaceForm"),
    "mention refers to nothing": drop(A + "Mention", A + "refersTo"),
    "nameless person": drop(A + "Person", SCHEMA + "name"),
    "nameless organisation": drop(A + "Organization", SCHEMA + "name"),
    "membership without role": drop(A + "Membership", ORG + "role"),
    "event without source sentence": drop(EVENT_CLASSES, PROV + "wasDerivedFrom"),
    "rank without label": drop(A + "Rank", SKOS + "prefLabel"),
    "second person name": add(A + "Person", SCHEMA + "name", _lit("Tên Khác")),
    "second end index": add(A + "Mention", A + "endIndex", _lit("99999", XSD + "integer")),
    "second language": add(A + "Article", DCTERMS + "language", _lit("en")),
    "index as string": replace(A + "Mention", A + "beginIndex", _lit("5")),
    "ill-typed integer": replace(A + "Sentence", A + "sentenceIndex", _lit("mười", XSD + "integer")),
    "negative index": replace(A + "Sentence", A + "beginIndex", _lit("-3", XSD + "integer")),
    "impossible date": replace(A + "Article", DCTERMS + "issued", _lit("2023-02-30", XSD + "date")),
    "date as string": replace(A + "Article", DCTERMS + "issued", _lit("2023-02-03")),
    "name with trailing space": replace(A + "Person", SCHEMA + "name", _lit("Trần Văn Quang ")),
    "name with final line break": replace(A + "Organization", SCHEMA + "name", _lit("Công an tỉnh\n")),
    "name after no-break space": replace(A + "Place", SCHEMA + "name", _lit("\u00a0Hà Tĩnh")),
    "name with a separator control": replace(A + "Person", SCHEMA + "name", _lit("Trần Văn\x1c")),
    "empty name": replace(A + "Place", SCHEMA + "name", _lit("")),
    "name as language string": replace(A + "Person", SCHEMA + "name", _lit("Trần Văn Quang", language="vi")),
    "name as blank node": replace(A + "Organization", SCHEMA + "name", ox.BlankNode("b0")),
    "upper-case hash": replace(A + "Article", A + "contentHash", _lit("AB" * 32)),
    "language code upper-case": replace(A + "Article", DCTERMS + "language", _lit("VI")),
    "mention in the article, not a sentence": replace(A + "Mention", A + "inSentence", article_node),
    "mention refers to a literal": replace(A + "Mention", A + "refersTo", _lit("ai đó")),
    "sentence ends where it begins": replace(A + "Sentence", A + "endIndex", same_as(A + "Sentence",
                                                                                      A + "beginIndex")),
    "mention ends before it begins": replace(A + "Mention", A + "endIndex", _lit("0", XSD + "integer")),
    "unknown place kind": replace(A + "Place", A + "placeKind", _lit("planet")),
    "rank in the title scheme": replace(A + "Rank", SKOS + "inScheme", ox.NamedNode(A + "TitleScheme")),
    "rank label without language": replace(A + "Rank", SKOS + "prefLabel", _lit("Đại tá")),
    "rank label only in English": replace(A + "Rank", SKOS + "prefLabel", _lit("Colonel", language="en")),
    "two Vietnamese rank labels": add(A + "Rank", SKOS + "prefLabel", _lit("Đại tá công an", language="vi")),
    "title label without language": replace(A + "Title", SKOS + "prefLabel", _lit("Phó Giám đốc")),
    "event name as number": replace(EVENT_CLASSES, SCHEMA + "name", _lit("7", XSD + "integer")),
    "event date as string": replace(EVENT_CLASSES, SCHEMA + "startDate", _lit("20/7")),
    "figure value as string": replace(A + "Figure", SCHEMA + "value", _lit("ba mươi")),
    "negative figure": replace(A + "Figure", SCHEMA + "value", _lit("-1.5", XSD + "decimal")),
    "membership of a place": replace(A + "Membership", ORG + "organization",
                                     lambda quads: (_subjects(quads, A + "Place") or [None])[0]),
    "mentioned entity untyped": untype_mentioned_entity,
    "subclass of person in the data": subclass_in_data,
}


def mutant_items(items):
    """(article_id, nquads) of every mutation that applies to some article, each in a graph of its own."""
    out = []
    for name, mutate in MUTATIONS.items():
        for article_id, nquads in items:
            quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
            broken = mutate(quads)
            if broken is None:
                continue
            mutant_id = f"{article_id}~{name}"
            graph = ox.NamedNode(ID + "article/" + urllib.parse.quote(mutant_id, safe=""))
            # The graph and the article's dcterms:identifier name the mutant; every node keeps its IRI.
            moved = [ox.Quad(q.subject, q.predicate,
                             ox.Literal(mutant_id) if q.predicate.value == DCTERMS + "identifier" else q.object,
                             graph) for q in broken]
            out.append((mutant_id, ox.serialize(moved, format=ox.RdfFormat.N_QUADS).decode("utf-8")))
            break
    return out


# ---------------------------------------------------------------------------------------------------------
# Compilation
# ---------------------------------------------------------------------------------------------------------

SH = "http://www.w3.org/ns/shacl#"
PREFIXES = f"@prefix sh: <{SH}> . @prefix ex: <http://example.org/> . @prefix xsd: <{XSD}> .\n"


def test_every_component_of_the_shapes_compiles():
    compiled = compile_shapes()
    text = (ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    used = set(re.findall(r"\bsh:([A-Za-z]+)\b", text)) - {"NodeShape", "PropertyShape", "IRI", "Literal",
                                                           "BlankNode", "Violation", "Warning", "Info"}
    assert used <= shacl_sparql._SUPPORTED
    # Every target class of the shapes gets a query, every constraint a check.
    targets = set(re.findall(r"sh:targetClass\s+([^;]+);", text))
    assert len(compiled.queries) >= len(targets) > 0
    assert len(compiled.checks) > len(compiled.queries)
    assert compile_shapes() is compiled  # cached


@pytest.mark.parametrize("shape, named", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
     "sh:targetNode"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .",
     "sh:equals"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) .",
     "sh:xone"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ; "
     "sh:minCount 1 ] .", "sh:inversePath"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:boolean ] .",
     "xsd:boolean"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:pattern \"(?=a)b\" ] .",
     "sh:pattern"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
     "sh:node [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ] ] .", "sh:property"),
])
def test_unsupported_features_are_refused_by_name(tmp_path, shape, named):
    path = tmp_path / "shapes.ttl"
    path.write_text(PREFIXES + shape, encoding="utf-8")
    with pytest.raises(UnsupportedShape, match=re.escape(named)):
        compile_shapes(path)


PATTERN_SAMPLES = ["Hà Nội", " Hà Nội", "Hà Nội ", "Hà Nội\n", "Hà\nNội", "a", "", "\n", "\u00a0a", "a\u00a0",
                   "a\x1c", "\x1fa", "a\tb", "ab12", "AB", "12/KH-CAT"]


@pytest.mark.parametrize("pattern", [r"^\S(?:.*\S)?$", r"^\s|\s$|[\t\n\r]", r"[0-9]", r"^[a-z]{2,3}$",
                                     r"[\s]", r"b$", r"^$"])
def test_translated_patterns_match_as_python_does(pattern):
    store = ox.Store()
    literal = shacl_sparql._sparql_string(translate_pattern(pattern, multiline=False))
    for sample in PATTERN_SAMPLES:
        query = f"SELECT (REGEX({shacl_sparql._sparql_string(sample)}, {literal}) AS ?m) {{}}"
        got = next(iter(store.query(query)))["m"].value == "true"
        assert got == bool(re.search(pattern, sample)), (pattern, sample)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=" \t\n\r\x1c\x85\u00a0\u2003aàB1-", max_size=6), min_size=1, max_size=10))
def test_untidy_text_pattern_agrees_with_python_on_any_text(samples):
    pattern = r"^\s|\s$|[\t\n\r]"
    literal = shacl_sparql._sparql_string(translate_pattern(pattern, multiline=False))
    rows = " ".join(f"({shacl_sparql._sparql_string(s)} {i})" for i, s in enumerate(samples))
    query = f"SELECT ?i (REGEX(?s, {literal}) AS ?m) WHERE {{ VALUES (?s ?i) {{ {rows} }} }}"
    got = {int(r["i"].value): r["m"].value == "true" for r in ox.Store().query(query)}
    assert got == {i: bool(re.search(pattern, s)) for i, s in enumerate(samples)}


# ---------------------------------------------------------------------------------------------------------
# Equivalence with pyshacl
# ---------------------------------------------------------------------------------------------------------

def test_pipeline_graphs_give_the_same_results(pipeline_items):
    fast = validate_nquads_items(pipeline_items)
    assert shape_keys(fast) == shape_keys(reference(pipeline_items))


def test_every_mutation_is_found_as_pyshacl_finds_it(pipeline_items, mutants):
    assert len(mutants) >= len(MUTATIONS) - 3  # nearly every mutation found a node to break
    items = pipeline_items + mutants  # originals alongside: shared nodes must not pool across graphs
    expected = reference(items)
    got = validate_nquads_items(items)
    missed = shape_keys(expected) - shape_keys(got)
    extra = shape_keys(got) - shape_keys(expected)
    assert not missed and not extra, (sorted(missed), sorted(extra))
    broken = {v.article_id for v in expected}
    silent = [article_id for article_id, _ in mutants if article_id not in broken]
    assert not silent, f"mutations pyshacl does not object to (the test would prove nothing): {silent}"
    # Same severities; and every message says something (sh:message or a generic one with the value).
    assert {(v.article_id, v.focus_node, v.path, v.shape, v.severity) for v in got} == \
           {(v.article_id, v.focus_node, v.path, v.shape, v.severity) for v in expected}
    assert all(v.message for v in got)


def test_output_is_sorted_unique_and_independent_of_chunking(pipeline_items, mutants):
    items = pipeline_items + mutants
    whole = validate_nquads_items(items)
    assert whole == sorted(set(whole))
    assert validate_nquads_items(reversed(items), chunk_size=3) == whole


def test_unparsable_item_is_reported_and_the_others_still_checked(pipeline_items, mutants):
    broken = ("khong-doc-duoc", "<https://w3id.org/anttkg/id/article/x> <p> \"unterminated .\n")
    got = validate_nquads_items([broken] + mutants[:2])
    assert any(v.article_id == "khong-doc-duoc" and "do not parse" in v.message for v in got)
    assert {v.article_id for v in got} >= {article_id for article_id, _ in mutants[:2]}


# ---------------------------------------------------------------------------------------------------------
# validate_store: graph subsets, article ids
# ---------------------------------------------------------------------------------------------------------

def _store(items) -> ox.Store:
    store = ox.Store()
    store.bulk_load("".join(text for _, text in items).encode("utf-8"), ox.RdfFormat.N_QUADS)
    return store


def _graph(text: str) -> str:
    return next(iter(ox.parse(text, format=ox.RdfFormat.N_QUADS))).graph_name.value


def test_subset_of_graphs_reports_only_those(pipeline_items, mutants):
    items = pipeline_items + mutants
    store = _store(items)
    everything = validate_store(store)
    assert len({v.article_id for v in everything}) > 3
    chosen = [_graph(text) for article_id, text in items if "~" in article_id][:4]
    subset = validate_store(store, chosen)
    ids = {article_id for article_id, text in items if _graph(text) in chosen}
    assert subset and {v.article_id for v in subset} <= ids
    assert subset == [v for v in everything if v.article_id in ids]
    # A subset covering most of the store is validated in place rather than copied: same answer.
    most = [_graph(text) for article_id, text in items if article_id not in ids]
    rest = {article_id for article_id, text in items if article_id not in ids}
    assert validate_store(store, most) == [v for v in everything if v.article_id in rest]
    assert validate_store(store, []) == []


def test_article_id_from_identifier_else_decoded_iri(pipeline_items):
    # The second article's id has a space and a '#': its graph IRI percent-encodes them.
    items = mutant_items([pipeline_items[1]])
    got = validate_store(_store(items))
    ids = {article_id for article_id, _ in items}
    assert {v.article_id for v in got} <= ids
    assert {v.article_id for v in got} >= {"bai viết #2~nameless person", "bai viết #2~second language"}
    # Without dcterms:identifier the id is the decoded tail of the graph IRI.
    assert "bai viết #2~no identifier" in {v.article_id for v in got}


def test_only_article_graphs_unless_named(pipeline_items):
    other = ID + "graph/elsewhere"
    nameless = (f"<{ID}person/khong-ten> <{RDF}type> <{A}Person> <{other}> .\n")
    store = _store(pipeline_items + [("x", nameless)])
    assert not [v for v in validate_store(store) if v.focus_node.endswith("khong-ten")]
    named = validate_store(store, [other])
    assert [(v.focus_node, v.path) for v in named] == [(f"{ID}person/khong-ten", SCHEMA + "name")]


# ---------------------------------------------------------------------------------------------------------
# Real corpus articles
# ---------------------------------------------------------------------------------------------------------

def corpus_items(shared_dir, count: int) -> list[tuple[str, str]]:
    from anttkg.ingest import read_inputs

    articles = (a for a in read_inputs([shared_dir / "corpus" / "baomoi.jsonl.gz"]) if isinstance(a, Article))
    # Every 7th article: a spread over the corpus rather than its first stories.
    chosen = itertools.islice(itertools.islice(articles, 0, None, 7), count)
    return [(a.id, process_article(a).nquads) for a in chosen]


def test_corpus_articles_small_sample(shared_dir):
    items = corpus_items(shared_dir, 25)
    mutants = mutant_items(items[:6])
    assert shape_keys(validate_nquads_items(items + mutants)) == shape_keys(reference(items + mutants))


@pytest.mark.slow
def test_corpus_articles_and_their_mutants(shared_dir):
    items = corpus_items(shared_dir, 200)
    mutants = mutant_items(items[:40]) + mutant_items(items[100:140])
    everything = items + mutants
    assert shape_keys(validate_nquads_items(everything)) == shape_keys(reference(everything))
