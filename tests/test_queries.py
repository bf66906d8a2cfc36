"""Canned queries against small hand-written article graphs (tests/fixtures/graph/)."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pyoxigraph
import pytest

from anttkg import query as q
from anttkg.query import QueryError, QueryResult, list_queries, run_query

FIXTURE = Path(__file__).parent / "fixtures" / "graph" / "articles.trig"
AN = "https://w3id.org/anttkg/id/person/nguyen-van-an-0a1b2c3d"
CONTRACT = {
    "people": ["person", "name", "rank", "title", "organization", "article"],
    "organizations": ["org", "name", "abbreviation", "article"],
    "events": ["event", "type", "name", "date", "place", "organizer", "article"],
    "documents": ["document", "type", "number", "date", "issuer", "article"],
    "programs": ["program", "kind", "name", "article"],
    "awards": ["award", "type", "giver", "collectives", "individuals", "article"],
    "places": ["place", "name", "article"],
    "articles": ["article", "title", "published", "source", "author"],
    "figures": ["value", "unit", "article"],
}


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    st = pyoxigraph.Store()
    st.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    return st


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """A build folder as the store module lays it out: DIR/oxigraph."""
    folder = tmp_path_factory.mktemp("store")
    st = pyoxigraph.Store(str(folder / "oxigraph"))
    st.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    st.flush()
    del st
    return folder


def records(result: QueryResult) -> list[dict]:
    return [dict(zip(result.columns, row)) for row in result.rows]


# ---- the query files


def test_every_canned_query_parses_and_declares_its_params():
    queries = list_queries()
    names = {cq.name for cq in queries}
    assert set(CONTRACT) <= names
    assert {"person-profile", "co-attendance", "organization-members", "events-in-range",
            "documents-by-issuer", "movement-timeline", "mentions-of"} <= names
    empty = pyoxigraph.Store()
    for cq in queries:
        assert cq.description, cq.name
        text = cq.text
        empty.query(text)  # raises SyntaxError when the file is not valid SPARQL
        for param in cq.params:
            assert param.kind in q.PARAM_KINDS
            assert f"?{param.name}" in text, (cq.name, param.name)
        if cq.name in CONTRACT:
            assert cq.params == ()
        assert "ORDER BY" in text, cq.name


def test_contract_queries_return_the_contract_columns(store):
    for name, columns in CONTRACT.items():
        result = run_query(name, store=store)
        assert set(columns) <= set(result.columns), name
        assert result.rows, name


def test_people_one_row_per_position_and_empty_position(store):
    rows = records(run_query("people", store=store))
    an_a = {(r["title"], r["organization"]) for r in rows if r["name"] == "Nguyễn Văn An" and r["article"] == "a-001"}
    assert an_a == {("Phó Giám đốc", "Công an tỉnh Bình Sơn"), ("Ủy viên Ban Thường vụ", "Tỉnh ủy Bình Sơn")}
    binh = [r for r in rows if r["name"] == "Trần Thị Bình"]
    assert [r["article"] for r in binh] == ["a-001", "b-002"]
    assert all(not r["title"] and not r["organization"] and not r["rank"] for r in binh)
    cuong = [r for r in rows if r["name"] == "Lê Văn Cường"]
    assert [(r["rank"], r["title"], r["organization"]) for r in cuong] == [("Đại tá", "Trưởng phòng", None)]
    # rank as of each article, in Vietnamese (the English label is not a second row)
    assert {(r["article"], r["rank"]) for r in rows if r["name"] == "Nguyễn Văn An"} == {
        ("a-001", "Thiếu tướng"), ("b-002", "Trung tướng")}
    assert all(r["article"] in {"a-001", "b-002", "c-003"} for r in rows)


def test_events_types_dates_and_joined_lists(store):
    rows = {r["name"]: r for r in records(run_query("events", store=store))}
    conf = rows["Hội nghị sơ kết phong trào"]
    assert conf["type"] == "conference" and conf["date"] == "2023-05-09"
    assert conf["place"] == "Bình Sơn; Hội trường Công an tỉnh"
    assert conf["organizer"] == "Bộ Công an; Công an tỉnh Bình Sơn"
    assert rows["Lễ ra quân"]["date"] == "--05-08"
    assert rows["Cuộc họp giao ban"]["date"] == "2023-06"
    assert rows["Tổng kết năm"]["type"] == "event"
    assert len(rows) == 5


def test_other_contract_queries(store):
    orgs = records(run_query("organizations", store=store))
    dtn = [r for r in orgs if r["name"].startswith("Đoàn Thanh niên")]
    assert len(dtn) == 1 and dtn[0]["abbreviation"] == "ĐTN; Đoàn TNCS HCM"  # code-point order
    assert sum(1 for r in orgs if r["name"] == "Bộ Công an") == 3  # one row per article
    docs = {r["number"]: r for r in records(run_query("documents", store=store))}
    assert docs["12/KH-CAT"]["type"] == "Kế hoạch" and docs["12/KH-CAT"]["date"] == "2023-01-15"
    assert docs["12/KH-CAT"]["issuer"] == "Công an tỉnh Bình Sơn"
    assert docs[None]["type"] == "Chỉ thị"
    awards = {r["article"]: r for r in records(run_query("awards", store=store))}
    assert (awards["a-001"]["collectives"], awards["a-001"]["individuals"]) == ("5", "12")
    assert awards["a-001"]["giver"] == "Bộ Công an; Công an tỉnh Bình Sơn"
    assert not awards["c-003"]["collectives"] and awards["c-003"]["individuals"] == "7"
    arts = {r["article"]: r for r in records(run_query("articles", store=store))}
    assert set(arts) == {"a-001", "b-002", "c-003"}  # the ontology graph is not an article
    assert arts["a-001"]["author"] == "Hải Đăng; Minh Châu"
    assert arts["b-002"]["published"] == "2023-06"
    figures = {(r["value"], r["unit"]) for r in records(run_query("figures", store=store))}
    assert figures == {("148", "mô hình"), ("3.5", "tỷ đồng")}
    programs = records(run_query("programs", store=store))
    assert {(r["kind"], r["article"]) for r in programs} == {("movement", "a-001"), ("movement", "b-002")}
    places = {(r["name"], r["article"]) for r in records(run_query("places", store=store))}
    assert ("Hà Nội", "c-003") in places and len(places) == 4


def test_results_are_deterministic(store):
    for name in CONTRACT:
        assert run_query(name, store=store) == run_query(name, store=store)


# ---- analyst queries and parameter kinds


def test_person_profile(store):
    rows = records(run_query("person-profile", store=store, params={"name": "Nguyễn Văn An"}))
    facts = {(r["fact"], r["value"], r["article"]) for r in rows}
    assert ("rank", "Thiếu tướng", "a-001") in facts and ("rank", "Trung tướng", "b-002") in facts
    assert ("position", "Giám đốc", "b-002") in facts
    assert ("chaired event", "Hội nghị sơ kết phong trào", "a-001") in facts
    assert ("attended event", "Lễ ra quân", "a-001") in facts
    assert [r["article"] for r in rows] == sorted(r["article"] for r in rows)  # a-001 published first
    dates = {r["value"]: r["date"] for r in rows if r["fact"] == "attended event"}
    assert dates == {"Lễ ra quân": "--05-08", "Cuộc họp giao ban": "2023-06"}


def test_person_profile_matches_decomposed_input(store):
    import unicodedata
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert run_query("person-profile", store=store, params={"name": decomposed}).rows


def test_co_attendance_with_and_without_name(store):
    all_pairs = records(run_query("co-attendance", store=store))
    pairs = {(r["name"], r["other_name"]): r["events"] for r in all_pairs}
    assert pairs[("Nguyễn Văn An", "Trần Thị Bình")] == "2"
    assert pairs[("Trần Thị Bình", "Nguyễn Văn An")] == "2"
    only = records(run_query("co-attendance", store=store, params={"name": "Lê Văn Cường"}))
    assert {r["other_name"] for r in only} == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert all(r["name"] == "Lê Văn Cường" for r in only)


def test_organization_members_by_name_and_abbreviation(store):
    rows = records(run_query("organization-members", store=store, params={"org": "Công an tỉnh Bình Sơn"}))
    assert {(r["name"], r["title"], r["article"]) for r in rows} == {
        ("Nguyễn Văn An", "Phó Giám đốc", "a-001"), ("Nguyễn Văn An", "Giám đốc", "b-002")}
    assert {r["rank"] for r in rows} == {"Thiếu tướng", "Trung tướng"}
    assert run_query("organization-members", store=store, params={"org": "Tỉnh ủy Bình Sơn"}).rows


def test_events_in_range_dates_and_precision(store):
    rows = records(run_query("events-in-range", store=store, params={"from": "2023-05-09", "to": "2023-06-15"}))
    got = {(r["name"], r["precision"]) for r in rows}
    assert got == {("Hội nghị sơ kết phong trào", "day"), ("Cuộc họp giao ban", "month"), ("Tổng kết năm", "year")}
    # the month-day ceremony cannot be placed and never appears
    wide = records(run_query("events-in-range", store=store, params={"from": "1900-01-01", "to": "2100-12-31"}))
    assert "Lễ ra quân" not in {r["name"] for r in wide} and len(wide) == 4
    narrow = records(run_query("events-in-range", store=store, params={"from": "2023-05-10", "to": "2023-05-31"}))
    assert {r["name"] for r in narrow} == {"Tổng kết năm"}  # the 9 May conference is one day before


def test_documents_by_issuer_and_awards_by_giver(store):
    rows = records(run_query("documents-by-issuer", store=store, params={"issuer": "Bộ Công an"}))
    assert {(r["type"], r["number"]) for r in rows} == {("Quyết định", "45/QĐ-BCA"), ("Chỉ thị", None)}
    by_abbr = records(run_query("documents-by-issuer", store=store, params={"issuer": "BCA"}))
    assert {r["number"] for r in by_abbr} == {"45/QĐ-BCA"}  # the abbreviation is written in b-002 only
    awards = records(run_query("awards-by-giver", store=store, params={"giver": "Công an tỉnh Bình Sơn"}))
    assert [(r["collectives"], r["individuals"]) for r in awards] == [("5", "12")]


def test_movement_timeline(store):
    rows = records(run_query("movement-timeline", store=store, params={"name": "AN NINH tổ quốc"}))
    kinds = {(r["kind"], r["article"]) for r in rows}
    assert {("article", "a-001"), ("article", "b-002"), ("event", "a-001"), ("document", "b-002")} <= kinds
    assert not any(r["article"] == "c-003" for r in rows)
    assert rows[0]["article"] == "a-001" and rows[-1]["article"] == "b-002"


def test_mentions_of_iri_param(store):
    rows = records(run_query("mentions-of", store=store, params={"entity": AN}))
    assert [(r["article"], r["begin"], r["end"], r["surface"]) for r in rows] == [("a-001", "12", "25", "Nguyễn Văn An")]
    assert rows[0]["sentence"].startswith("Thiếu tướng")


# ---- parameter checking and injection


def test_unknown_and_missing_params_are_named():
    with pytest.raises(QueryError, match="colour"):
        run_query("people", store=pyoxigraph.Store(), params={"colour": "red"})
    with pytest.raises(QueryError, match="from.*to|to"):
        run_query("events-in-range", store=pyoxigraph.Store(), params={"from": "2023-01-01"})


@pytest.mark.parametrize("name,params", [
    ("events-in-range", {"from": "2023-02-30", "to": "2023-03-01"}),
    ("events-in-range", {"from": "2023-1-1", "to": "2023-03-01"}),
    ("events-in-range", {"from": "2023-01-01\"} #", "to": "2023-03-01"}),
    ("mentions-of", {"entity": "not an iri"}),
    ("mentions-of", {"entity": "ftp://example.org/x"}),
    ("mentions-of", {"entity": "https://example.org/a> } UNION { ?s ?p ?o"}),
    ("mentions-of", {"entity": "http://"}),
])
def test_bad_parameter_values_are_refused(name, params):
    with pytest.raises(QueryError):
        run_query(name, store=pyoxigraph.Store(), params=params)


def test_integer_and_iri_conversion():
    param = q.QueryParam("n", "", "integer")
    assert q._canonical(param, " +007 ") == "7"
    with pytest.raises(QueryError):
        q._canonical(param, "7.5")
    iri = q.QueryParam("e", "", "iri")
    assert q._canonical(iri, "urn:anttkg:x1") == "urn:anttkg:x1"
    assert q.sparql_term("integer", "7") == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'


INJECTIONS = [
    'Nguyễn Văn An" } UNION { GRAPH ?g { ?person ?p ?name } } #',
    "Nguyễn Văn An' } #",
    'x"\n} UNION { ?a ?b ?c }',
    'x\\" } #',
    "x\\u0022 } #",
]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("binding", ["values", "substitutions"])
def test_injection_attempts_return_no_rows(store, value, binding):
    result = run_query("person-profile", store=store, params={"name": value}, binding=binding)
    assert result.rows == []


@pytest.mark.parametrize("value", INJECTIONS)
def test_values_block_keeps_query_structure(value):
    cq = q.get_query("person-profile")
    text = q.bind_values(cq.text, q.convert_params(cq, {"name": value}))
    # exactly one VALUES block added, parseable, and the injected text stays inside one literal
    assert text.count("VALUES (?name)") == 1
    empty = pyoxigraph.Store()
    empty.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://e/s"), pyoxigraph.NamedNode("https://schema.org/name"),
                              pyoxigraph.Literal(q.normalize_text(value)), pyoxigraph.NamedNode("http://e/g")))
    assert list(empty.query(text)) == []  # parses; the injected UNION did not open the graph to ?p ?name


def test_values_and_substitutions_agree(store):
    cases = [("person-profile", {"name": "Nguyễn Văn An"}), ("co-attendance", {"name": "Trần Thị Bình"}),
             ("organization-members", {"org": "Công an tỉnh Bình Sơn"}),
             ("events-in-range", {"from": "2023-01-01", "to": "2023-12-31"}),
             ("documents-by-issuer", {"issuer": "Bộ Công an"}), ("awards-by-giver", {"giver": "Bộ Công an"}),
             ("movement-timeline", {"name": "toàn dân"}), ("mentions-of", {"entity": AN})]
    for name, params in cases:
        a = run_query(name, store=store, params=params, binding="values")
        b = run_query(name, store=store, params=params, binding="substitutions")
        assert a == b and a.rows, name


def test_bind_values_skips_prologue_strings_and_comments():
    text = ('# a comment with { brace and WHERE\nPREFIX ex: <http://e/x#WHERE>\n'
            'SELECT ?x ?name WHERE { ?x ex:p "WHERE {" ; ex:name ?name }')
    bound = q.bind_values(text, {"name": ("string", "A")})
    assert bound.index("VALUES") > bound.index('SELECT ?x ?name WHERE {')
    assert pyoxigraph.Store().query(bound) is not None
    with pytest.raises(QueryError):
        q.bind_values("ASK { ?s ?p ?o }", {"name": ("string", "A")})


# ---- names, files, targets


@pytest.mark.parametrize("bad", ["../people", "queries/people", "..", "peo ple", "people/../people", ""])
def test_names_that_could_leave_the_queries_folder_are_refused(bad):
    with pytest.raises(QueryError):
        run_query(bad, store=pyoxigraph.Store())


def test_unknown_name_lists_known_queries():
    with pytest.raises(QueryError, match="people"):
        run_query("no-such-query", store=pyoxigraph.Store())


def test_query_file_by_path(tmp_path, store):
    path = tmp_path / "by-title.rq"
    path.write_text("# description: titles\n# param: article (string) — identifier\n"
                    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
                    "SELECT ?article ?title WHERE { GRAPH ?g { ?g dcterms:identifier ?article ; dcterms:title ?title } }\n",
                    encoding="utf-8")
    result = run_query(str(path), store=store, params={"article": "c-003"})
    assert result.columns == ["article", "title"]
    assert result.rows == [["c-003", "Đại hội đại biểu Hội Cựu Công an"]]
    with pytest.raises(QueryError):
        run_query(str(tmp_path / "missing.rq"), store=store)
    other = tmp_path / "x.txt"
    other.write_text("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError):
        run_query(str(other), store=store)


def test_store_path_opens_read_only(store_dir, tmp_path):
    result = run_query("articles", store_path=store_dir)
    assert [r[0] for r in result.rows] == ["a-001", "b-002", "c-003"]
    with pytest.raises(QueryError):
        run_query("articles", store_path=tmp_path / "nothing")


def test_store_built_by_the_store_module(tmp_path):
    store_module = pytest.importorskip("anttkg.store")
    folder = tmp_path / "built"
    writer = store_module.GraphStore(folder)
    writer.oxigraph.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    writer.close()
    rows = records(run_query("people", store_path=folder))
    assert {r["name"] for r in rows} == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"}


def test_targets_and_endpoint_checks(store, monkeypatch):
    with pytest.raises(QueryError):
        run_query("people")
    with pytest.raises(QueryError):
        run_query("people", store=store, endpoint="http://localhost:7878/query")
    for bad in ["file:///etc/passwd", "localhost:7878", "ftp://host/sparql", "http://"]:
        with pytest.raises(QueryError):
            run_query("people", endpoint=bad)
    sent = []
    fake = types.ModuleType("anttkg.remote")

    def select(endpoint, text, timeout=60.0):
        sent.append((endpoint, text))
        return QueryResult(columns=["name", "place"], rows=[["A", "Z; B; Z"]])

    fake.select = select
    monkeypatch.setitem(sys.modules, "anttkg.remote", fake)
    import anttkg
    monkeypatch.setattr(anttkg, "remote", fake, raising=False)
    result = run_query("events-in-range", endpoint="https://example.org/sparql",
                       params={"from": "2023-01-01", "to": "2023-02-01"})
    endpoint, text = sent[0]
    assert endpoint == "https://example.org/sparql"
    assert 'VALUES (?from ?to) { ("2023-01-01"^^<http://www.w3.org/2001/XMLSchema#date> ' in text
    assert result.rows == [["A", "B; Z"]]  # joined list sorted and deduplicated
