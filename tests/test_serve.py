"""`anttkg serve` over a store built from data/: the real server on 127.0.0.1, spoken to over HTTP.

Covers search, entity and article pages with their evidence, content negotiation of every entity IRI,
the SPARQL 1.1 Protocol (formats, read-only, timeout, result limit), curation and its cross-site checks,
and accessibility basics of the HTML (labels). The browser tests are in test_serve_browser.py.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.parse
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pyoxigraph
import pytest
import rdflib

from anttkg import curation
from anttkg.identity import PEOPLE_GRAPH_PREFIX, anchored_iri
from anttkg.resolve import article_iri, local_person_iri, organization_iri, place_iri
from anttkg.store import GraphStore
from anttkg.vocab import ANTT, ID, OWL, RDF_TYPE, SCHEMA

from web_server import start_web

pytestmark = pytest.mark.server

MPS = organization_iri("Bộ Công an")
HUNG_YEN = place_iri("Hưng Yên")
ARTICLE_004 = article_iri("004_04839f540b1cc560")
# Tô Lâm is named in article 004 only: the real person's IRI is keyed on that article's person (docs/identity.md).
TO_LAM_IN_004 = local_person_iri(ARTICLE_004, "Tô Lâm")
TO_LAM = anchored_iri("Tô Lâm", TO_LAM_IN_004)
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def path(iri: str) -> str:
    assert iri.startswith(ID)
    return "/id/" + iri[len(ID):]


def real_people(store, name: str) -> dict[str, list[str]]:
    """The real people of a name in a store's people graphs, each with its article-local mentions."""
    with GraphStore(store, read_only=True) as st:
        rows = st.query(f"""SELECT ?p ?local WHERE {{ GRAPH ?g {{ ?p a <{ANTT}Person> ; <{SCHEMA}name> "{name}" .
            ?local <{OWL}sameAs> ?p }} FILTER(STRSTARTS(STR(?g), "{PEOPLE_GRAPH_PREFIX}")) }}""")
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row["p"].value, []).append(row["local"].value)
    return {p: sorted(locals_) for p, locals_ in found.items()}


def is_article_person_path(href: str) -> bool:
    return bool(re.match(r"/id/article/[^/]+/person/", href))


@pytest.fixture(scope="module")
def web(sample_store, tmp_path_factory):
    server = start_web(sample_store, "--query-timeout", "2", "--result-limit", "50",
                       log_dir=tmp_path_factory.mktemp("serve-log"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def curating(sample_store, tmp_path_factory):
    """A server with curation on, over its own copy of the sample store (corrections change the store)."""
    store = tmp_path_factory.mktemp("curated") / "store"
    shutil.copytree(sample_store, store)
    server = start_web(store, "--curate", log_dir=tmp_path_factory.mktemp("serve-curate-log"))
    yield server
    server.stop()


class _Page(HTMLParser):
    """Links, form controls and labels of an HTML page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.marks: list[str] = []
        self._href = None
        self._text: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self._href, self._text = a["href"], []
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._in_mark:
            self.marks[-1] += data


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


# -- search -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["to lam", "TÔ LÂM", "Tô Lâm", "to la", "lam"])
def test_search_ignores_diacritics_and_case(web, query):
    reply = web.request("/search", params={"q": query})
    assert reply.status == 200
    links = dict(parse(reply.text).links)
    assert links.get(path(TO_LAM)) == "Tô Lâm"


def test_search_and_suggestions_list_real_people_with_all_their_mentions(web, sample_store):
    (hung, mentions), = real_people(sample_store, "Lê Quốc Hùng").items()
    assert len({m.rsplit("/person/", 1)[0] for m in mentions}) == 2  # one person named in two articles
    reply = web.request("/search", params={"q": "le quoc hung"})
    hits = [(h, t) for h, t in parse(reply.text).links if h.startswith("/id/")]
    assert (path(hung), "Lê Quốc Hùng") in hits
    assert not any(is_article_person_path(h) for h, _t in hits)  # the articles' own nodes are not listed
    with GraphStore(sample_store, read_only=True) as st:  # every mention of each article's person counts
        count = sum(1 for local in mentions for _ in st.oxigraph.quads_for_pattern(
            None, pyoxigraph.NamedNode(ANTT + "refersTo"), pyoxigraph.NamedNode(local)))
    assert count > 2 and f"{count} mentions" in reply.text
    assert [r["href"] for r in json.loads(web.request("/api/suggest", params={"q": "le quoc hung"}).body)
            if r["type"] == "Person"] == [path(hung)]
    people = parse(web.request("/search", params={"q": "nguyen", "type": "person"}).text)
    hrefs = [h for h, _t in people.links if h.startswith("/id/")]
    assert hrefs and all(h.startswith("/id/person/") for h in hrefs)


def test_search_by_abbreviation_shows_labels_not_iris(web):
    reply = web.request("/search", params={"q": "BCA"})
    page = parse(reply.text)
    hits = [(href, text) for href, text in page.links if href.startswith("/id/")]
    assert (path(MPS), "Bộ Công an") in hits
    assert "matched “BCA”" in reply.text
    assert all(not text.startswith("http") for _href, text in hits)


def test_search_facets_filter_by_type_and_province(web):
    everything = web.request("/search", params={"q": "hung yen"}).text
    assert path(HUNG_YEN) in everything and "type=organization" in everything and "province=" in everything
    only_bodies = parse(web.request("/search", params={"q": "hung yen", "type": "organization"}).text)
    hrefs = [h for h, _t in only_bodies.links if h.startswith("/id/")]
    assert hrefs and all(h.startswith("/id/organization/") for h in hrefs)
    in_province = parse(web.request("/search", params={"q": "uy ban", "province": HUNG_YEN}).text)
    names = [t for h, t in in_province.links if h.startswith("/id/")]
    assert "Ủy ban nhân dân tỉnh Hưng Yên" in names
    assert not any("Bắc Ninh" in n for n in names)


def test_suggest_endpoint_returns_labels_and_paths(web):
    reply = web.request("/api/suggest", params={"q": "to lam"})
    assert reply.status == 200 and reply.header("content-type").startswith("application/json")
    rows = json.loads(reply.body)
    assert rows[0]["label"] == "Tô Lâm" and rows[0]["href"] == path(TO_LAM) and rows[0]["type"] == "Person"
    assert json.loads(web.request("/api/suggest", params={"q": "   "}).body) == []
    assert json.loads(web.request("/api/suggest", params={"q": "zzqx"}).body) == []


# -- entity pages -------------------------------------------------------------------------------------------
def test_person_page_rank_positions_events_with_evidence(web):
    reply = web.request(path(TO_LAM), headers={"Accept": "text/html"})
    assert reply.status == 200 and reply.header("content-type").startswith("text/html")
    html = reply.text
    page = parse(html)
    texts = {t for _h, t in page.links}
    assert {"Đại tướng", "Bộ trưởng", "Bộ Công an", "Bộ Chính trị", "Hội nghị trực tuyến"} <= texts
    assert "2019-03-15" in html  # the article's date on each position
    assert "chaired" in html
    # Evidence: the sentence, the person's mention marked, a link to the sentence in the article page.
    assert "Tô Lâm" in page.marks
    sentence_links = [h for h, _t in page.links if h.startswith(path(ARTICLE_004) + "#s")]
    assert sentence_links
    assert "Mentioned with" in html and "Trương Thị Mai" in texts
    assert "<svg" in html and "Neighbourhood" in html and "Timeline" in html


def test_person_page_gathers_the_mentions_of_every_article(web, sample_store):
    (hung, mentions), = real_people(sample_store, "Lê Quốc Hùng").items()
    articles = {m.rsplit("/person/", 1)[0] for m in mentions}
    html = web.request(path(hung)).text
    page = parse(html)
    for article in articles:
        assert any(h.startswith(path(article) + "#s") for h, _t in page.links), article
    assert "Mentioned in" in html and "2 articles" in html
    assert page.marks.count("Lê Quốc Hùng") >= 2


def test_article_person_page_points_to_the_real_person(web):
    reply = web.request(path(TO_LAM_IN_004))
    assert reply.status == 200
    assert "Same as" in reply.text and (path(TO_LAM), "Tô Lâm") in parse(reply.text).links


def test_organisation_page_members_events_documents(web):
    html = web.request(path(MPS)).text
    for heading in ("Members", "Events organised", "Documents issued"):
        assert f">{heading} <" in html, heading
    links = parse(html).links
    texts = {t for _h, t in links}
    assert {"Tô Lâm", "Lê Quốc Hùng", "Trần Quốc Tỏ"} <= texts
    assert (path(TO_LAM), "Tô Lâm") in links  # members are the real people
    assert "BCA" in html  # the abbreviation among its facts


def test_place_event_document_programme_pages(web):
    place = web.request(path(HUNG_YEN)).text
    assert "Ủy ban nhân dân tỉnh Hưng Yên" in place
    event = web.request(path(ARTICLE_004 + "/event/0")).text
    assert "Hội nghị trực tuyến" in event and "Chaired by" in event and "Tô Lâm" in event
    doc_hits = json.loads(web.request("/api/suggest", params={"q": "333/KH"}).body)
    assert doc_hits and doc_hits[0]["type"] == "Document"
    document = web.request(doc_hits[0]["href"]).text
    assert "333/KH-BCĐ" in document and "<mark>" in document
    programme = json.loads(web.request("/api/suggest", params={"q": "toan dan bao ve an ninh"}).body)
    assert programme and programme[0]["type"] == "Programme"
    assert "<mark>" in web.request(programme[0]["href"]).text


def test_article_page_text_with_linked_mentions(web):
    html = web.request(path(ARTICLE_004)).text
    page = parse(html)
    assert re.search(r'id="s\d+"', html)
    assert (path(TO_LAM), "Tô Lâm") in page.links
    assert not any(is_article_person_path(h) for h, _t in page.links)  # mentions link to the real people
    assert "Đăng Lộc" in html  # byline among the facts
    # The whole cleaned text is shown (the source file is at hand), not only the sentences with facts.
    assert "The source file is not at hand" not in html
    assert "điểm cầu" in html


def test_every_entity_of_the_store_has_a_page(web):
    rows = sparql_json(web, """SELECT DISTINCT ?s WHERE { ?s a ?t .
        VALUES ?t { <%sPerson> <%sOrganization> <%sPlace> <%sLegalDocument> <%sArticle> <%sConference>
                    <%sProgram> <%sMovement> <%sEvent> <%sAward> <%sMembership> } }""" % ((ANTT,) * 11),
                       limit_ok=True)
    iris = [r["s"]["value"] for r in rows]
    assert len(iris) >= 40
    for iri in iris:
        reply = web.request(path(iri))
        assert reply.status == 200, iri
        assert "Internal Server Error" not in reply.text


def test_unknown_iri_is_404(web):
    assert web.request("/id/person/nobody-00000000").status == 404


# -- Linked Data ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("media, rdflib_format", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                                  ("application/n-triples", "nt")])
def test_entity_iri_dereferences_by_content_negotiation(web, media, rdflib_format):
    reply = web.request(path(TO_LAM), headers={"Accept": media})
    assert reply.status == 200
    assert reply.header("content-type").split(";")[0] == media
    assert "accept" in reply.header("vary").lower()
    graph = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
    subject = rdflib.URIRef(TO_LAM)
    assert (subject, rdflib.URIRef(RDF_TYPE), rdflib.URIRef(ANTT + "Person")) in graph
    assert (subject, rdflib.URIRef(SCHEMA + "name"), rdflib.Literal("Tô Lâm")) in graph
    assert any(graph.triples((None, None, subject)))  # links to it: memberships, events, mentions
    # With the article's person that is it, and what the article says about that person.
    local = rdflib.URIRef(TO_LAM_IN_004)
    assert (local, rdflib.URIRef(OWL + "sameAs"), subject) in graph
    assert (local, rdflib.URIRef(ANTT + "rank"), None) in graph
    assert any(graph.triples((None, rdflib.URIRef(ANTT + "chairedBy"), local)))


def test_negotiation_follows_q_values_and_refuses_what_it_cannot_give(web):
    reply = web.request(path(MPS), headers={"Accept": "text/html;q=0.4, text/turtle;q=0.9"})
    assert reply.header("content-type").startswith("text/turtle")
    reply = web.request(path(MPS), headers={"Accept": "application/*"})
    assert reply.header("content-type").startswith("application/")
    assert web.request(path(MPS), headers={"Accept": "image/png"}).status == 406
    # Browsers send text/html first.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert web.request(path(MPS), headers={"Accept": browser}).header("content-type").startswith("text/html")


def test_article_iri_gives_its_named_graph(web):
    reply = web.request(path(ARTICLE_004), headers={"Accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=reply.body, format="nt")
    sentences = set(graph.subjects(rdflib.URIRef(RDF_TYPE), rdflib.URIRef(ANTT + "Sentence")))
    mentions = set(graph.subjects(rdflib.URIRef(RDF_TYPE), rdflib.URIRef(ANTT + "Mention")))
    assert sentences and mentions
    assert all(str(s).startswith(ARTICLE_004 + "/") for s in sentences)


# -- SPARQL protocol ------------------------------------------------------------------------------------------
PEOPLE = f"SELECT DISTINCT ?p ?name WHERE {{ ?p a <{ANTT}Person> ; <{SCHEMA}name> ?name }} ORDER BY ?name"


def sparql_json(web, query: str, limit_ok: bool = False) -> list[dict]:
    reply = web.request("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    if not limit_ok:
        assert not reply.header("x-anttkg-result-limit")
    return json.loads(reply.body)["results"]["bindings"]


def test_sparql_get_json(web):
    rows = sparql_json(web, PEOPLE)
    names = [r["name"]["value"] for r in rows]
    assert "Tô Lâm" in names and names == sorted(names)
    assert all(r["p"]["type"] == "uri" for r in rows)


def test_sparql_post_form_and_direct_body_agree(web):
    form = web.request("/sparql", method="POST", data=urllib.parse.urlencode({"query": PEOPLE}).encode(),
                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                "Accept": "application/sparql-results+json"})
    direct = web.request("/sparql", method="POST", data=PEOPLE.encode(),
                         headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                  "Accept": "application/sparql-results+json"})
    assert form.status == direct.status == 200
    assert json.loads(form.body) == json.loads(direct.body) == {"head": {"vars": ["p", "name"]},
                                                                "results": json.loads(form.body)["results"]}
    assert len(json.loads(form.body)["results"]["bindings"]) == len(sparql_json(web, PEOPLE))


def test_sparql_result_formats_by_accept(web):
    expected = [r["name"]["value"] for r in sparql_json(web, PEOPLE)]
    xml = web.request("/sparql", params={"query": PEOPLE}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.header("content-type").startswith("application/sparql-results+xml")
    root = ET.fromstring(xml.body)
    literals = [b.find(f"{RESULTS_NS}literal").text for b in root.iter(f"{RESULTS_NS}binding")
                if b.get("name") == "name"]
    assert literals == expected
    csv_reply = web.request("/sparql", params={"query": PEOPLE}, headers={"Accept": "text/csv"})
    assert csv_reply.header("content-type").startswith("text/csv")
    table = list(csv.reader(io.StringIO(csv_reply.text)))
    assert table[0] == ["p", "name"] and [row[1] for row in table[1:]] == expected
    tsv = web.request("/sparql", params={"query": PEOPLE}, headers={"Accept": "text/tab-separated-values"})
    lines = tsv.text.splitlines()
    assert lines[0] == "?p\t?name"
    assert lines[1].startswith("<" + ID) and lines[1].split("\t")[1] == f'"{expected[0]}"'


def test_sparql_ask_and_construct(web):
    ask = web.request("/sparql", params={"query": f"ASK {{ <{TO_LAM}> a <{ANTT}Person> }}"},
                      headers={"Accept": "application/sparql-results+json"})
    assert json.loads(ask.body)["boolean"] is True
    construct = web.request("/sparql", params={"query": f"CONSTRUCT {{ <{TO_LAM}> ?p ?o }} WHERE {{ <{TO_LAM}> ?p ?o }}"},
                            headers={"Accept": "text/turtle"})
    assert construct.header("content-type").startswith("text/turtle")
    graph = rdflib.Graph().parse(data=construct.body, format="turtle")
    assert (rdflib.URIRef(TO_LAM), rdflib.URIRef(SCHEMA + "name"), rdflib.Literal("Tô Lâm")) in graph


def test_sparql_is_read_only(web):
    update = f"INSERT DATA {{ <{TO_LAM}> <{SCHEMA}name> \"Someone else\" }}"
    by_form = web.request("/sparql", method="POST", data=urllib.parse.urlencode({"update": update}).encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    by_body = web.request("/sparql", method="POST", data=update.encode(),
                          headers={"Content-Type": "application/sparql-update"})
    as_query = web.request("/sparql", params={"query": update})
    assert by_form.status == 403 and by_body.status == 403 and as_query.status == 400
    assert "Someone else" not in [r["name"]["value"] for r in sparql_json(web, PEOPLE)]


def test_sparql_syntax_error_is_400(web):
    reply = web.request("/sparql", params={"query": "SELECT WHERE {"})
    assert reply.status == 400 and "syntax" in reply.text.lower()


def test_sparql_result_limit(web):
    reply = web.request("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200
    assert len(json.loads(reply.body)["results"]["bindings"]) == 50
    assert reply.header("x-anttkg-result-limit") == "50"


def test_sparql_timeout_stops_the_query_and_the_server_goes_on(web):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    reply = web.request("/sparql", params={"query": slow}, timeout=30)
    assert reply.status == 503 and "did not finish" in reply.text
    assert sparql_json(web, PEOPLE)  # a fresh worker answers the next query
    assert web.request(path(TO_LAM)).status == 200


def test_query_page_lists_the_canned_queries_and_runs_one(web):
    from anttkg.query import list_queries

    html = web.request("/sparql", headers={"Accept": "text/html"}).text
    for query in list_queries():
        assert f"/sparql?canned={query.name}" in html
    loaded = web.request("/sparql", params={"canned": "person-profile", "param.name": "Tô Lâm"}).text
    assert "VALUES" in loaded and "Tô Lâm" in loaded
    table = web.request("/sparql", params={"query": PEOPLE, "format": "html"}).text
    assert "<table>" in table and "Tô Lâm" in table


# -- curation -------------------------------------------------------------------------------------------------
def _token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_curation_is_off_by_default(web):
    html = web.request(path(TO_LAM)).text
    assert 'action="/curate"' not in html
    reply = web.request("/curate", method="POST", data=b"action=label", headers={"Origin": web.base,
                        "Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 403


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _post(server, form: dict, **headers):
    return server.request("/curate", method="POST", data=urllib.parse.urlencode(form).encode(),
                          headers={**FORM, **headers})


def test_curation_writes_corrections_and_the_pages_show_them_at_once(curating):
    store = curating.store
    html = curating.request(path(TO_LAM)).text
    token = _token(html)
    reply = _post(curating, {"csrf": token, "action": "label", "iri": TO_LAM, "name": "Tô Lâm (corrected)"},
                  Origin=curating.base)
    assert reply.status == 303 and reply.header("location").startswith(path(TO_LAM))
    assert "pending" not in reply.header("location")
    renamed = curating.request(reply.header("location")).text
    assert "<h1>Tô Lâm (corrected)</h1>" in renamed and "and applied" in renamed
    assert [r["label"] for r in json.loads(curating.request("/api/suggest", params={"q": "to lam"}).body)
            if r["href"] == path(TO_LAM)] == ["Tô Lâm (corrected)"]

    (hung, hung_mentions), = real_people(store, "Lê Quốc Hùng").items()
    hung_articles = {m.rsplit("/person/", 1)[0] for m in hung_mentions}
    assert _post(curating, {"csrf": token, "action": "merge", "iri": TO_LAM, "other": path(hung)},
                 Referer=curating.base + path(TO_LAM)).status == 303
    # The merged-away person's page leads to the kept one, which now gathers both people's articles.
    moved = curating.request(path(hung))
    assert moved.status == 301 and moved.header("location") == path(TO_LAM)
    kept = parse(curating.request(path(TO_LAM)).text)
    for article in hung_articles | {ARTICLE_004}:
        assert any(h.startswith(path(article) + "#s") for h, _t in kept.links), article
    hits = [r["href"] for r in json.loads(curating.request("/api/suggest", params={"q": "le quoc hung"}).body)]
    assert path(TO_LAM) in hits and path(hung) not in hits

    recorded = curation.read(store)
    assert recorded == [curation.Correction("label", (TO_LAM, "Tô Lâm (corrected)")),
                        curation.Correction("merge", (TO_LAM, hung))]
    # Byte for byte what `anttkg curate` writes for the same entries.
    twin = store.parent / "twin"
    shutil.copytree(store, twin)
    curation.corrections_path(twin).unlink()
    for entry in recorded:
        curation.add_correction(twin, entry)
    assert curation.corrections_path(twin).read_bytes() == curation.corrections_path(store).read_bytes()

    # An IRI the store does not have is refused, as `anttkg curate` refuses it, and nothing is written.
    refused = _post(curating, {"csrf": token, "action": "merge", "iri": TO_LAM,
                               "other": ID + "person/nobody-00000000"}, Origin=curating.base)
    assert refused.status == 400 and "no entity" in refused.text
    assert curation.read(store) == recorded
    assert _post(curating, {"csrf": token, "action": "split", "iri": TO_LAM, "article": ARTICLE_004},
                 Origin=curating.base).status == 303
    assert curation.read(store) == recorded + [curation.Correction("split", (TO_LAM, ARTICLE_004))]
    after = curating.request(path(TO_LAM)).text
    assert "Corrections recorded" in after and "Tô Lâm (corrected)" in after


def test_curation_refuses_cross_site_and_tokenless_posts(curating):
    store = curating.store
    before = len(curation.read(store))
    token = _token(curating.request(path(MPS)).text)
    form = {"csrf": token, "action": "reject", "iri": MPS, "predicate": ANTT + "abbreviation", "value": "BCA"}
    assert _post(curating, form, Origin="http://evil.example").status == 403
    assert _post(curating, form).status == 403  # no Origin/Referer
    assert _post(curating, form, Origin=curating.base, **{"Sec-Fetch-Site": "cross-site"}).status == 403
    assert _post(curating, {**form, "csrf": "guess"}, Origin=curating.base).status == 403
    assert len(curation.read(store)) == before
    assert path(MPS) in [r["href"] for r in json.loads(curating.request("/api/suggest", params={"q": "BCA"}).body)]
    assert _post(curating, form, Origin=curating.base).status == 303
    assert curation.read(store)[-1] == curation.Correction("reject", (MPS, ANTT + "abbreviation", "BCA"))
    # Rejected at once: the abbreviation no longer finds the ministry, nor is it among its facts.
    assert path(MPS) not in [r["href"] for r in json.loads(curating.request("/api/suggest", params={"q": "BCA"}).body)]
    assert "Abbreviation" not in curating.request(path(MPS)).text


def test_curation_waits_for_no_other_reader(curating, tmp_path):
    """Another process reading the store (a second server, `anttkg query`): the correction is recorded and
    the page says the next build applies it, instead of the server waiting for the store."""
    from anttkg.store import GraphStore

    token = _token(curating.request(path(MPS)).text)
    with GraphStore(curating.store, read_only=True):
        reply = _post(curating, {"csrf": token, "action": "label", "iri": MPS, "name": "Bộ Công an (BCA)"},
                      Origin=curating.base)
    assert reply.status == 303 and "pending=1" in reply.header("location")
    assert "the next build applies it" in curating.request(reply.header("location")).text
    assert curation.read(curating.store)[-1] == curation.Correction("label", (MPS, "Bộ Công an (BCA)"))


# -- accessibility basics -------------------------------------------------------------------------------------
@pytest.mark.parametrize("page_path", ["/", "/search?q=to+lam", "/sparql", "ENTITY"])
def test_every_form_control_has_a_label(curating, page_path):
    page_path = path(TO_LAM) if page_path == "ENTITY" else page_path
    page = parse(curating.request(page_path).text)
    assert page.controls
    for control in page.controls:
        labelled = control.get("id") in page.label_for or control.get("aria-label")
        assert labelled, (page_path, control)


def test_pages_declare_language_and_skip_link(web):
    html = web.request("/").text
    assert '<html lang="vi">' in html and 'href="#main"' in html and 'id="main"' in html


# -- namesakes: people of one name the identity pass tells apart ----------------------------------------------
@pytest.fixture(scope="module")
def namesakes(tmp_path_factory):
    """A store of five articles naming Nguyễn Anh Tuấn (tests/test_identity.py): an officer in Hưng Yên (t1, t3),
    a general in Bắc Ninh (t2, t4), a bare name (t5); a curator merged the general into the officer."""
    from anttkg.build import build

    from test_identity import ARTICLES, people_by_article, write_articles

    folder = tmp_path_factory.mktemp("namesakes")
    build([write_articles(folder / "all.jsonl", list(ARTICLES))], folder / "store", workers=1)
    before = people_by_article(folder / "store")
    curation.add_correction(folder / "store", ("merge", before["t1"], before["t2"]))
    server = start_web(folder / "store", log_dir=tmp_path_factory.mktemp("serve-namesakes-log"))
    yield server, before
    server.stop()


def test_namesakes_are_separate_people_with_candidates(namesakes):
    web, people = namesakes
    hits = json.loads(web.request("/api/suggest", params={"q": "nguyen anh tuan"}).body)
    assert sorted(h["href"] for h in hits if h["type"] == "Person") == sorted({path(people["t1"]), path(people["t5"])})
    bare = web.request(path(people["t5"])).text
    assert "May be the same as" in bare
    assert (path(people["t1"]), "Nguyễn Anh Tuấn") in parse(bare).links


def test_merged_person_gathers_both_and_the_old_iri_redirects(namesakes):
    web, people = namesakes
    html = web.request(path(people["t1"])).text
    page = parse(html)
    for article in ("t1", "t2", "t3", "t4"):
        assert any(h.startswith(path(article_iri(article)) + "#s") for h, _t in page.links), article
    assert not any(h.startswith(path(article_iri("t5")) + "#s") for h, _t in page.links)
    assert {"Thượng tá", "Thiếu tướng", "Công an tỉnh Bắc Ninh"} <= {t for _h, t in page.links}
    moved = web.request(path(people["t2"]), headers={"Accept": "text/html"})
    assert moved.status == 301 and moved.header("location") == path(people["t1"])
    data = web.request(path(people["t2"]), headers={"Accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=data.body, format="nt")
    assert (rdflib.URIRef(people["t2"]), rdflib.URIRef(OWL + "sameAs"), rdflib.URIRef(people["t1"])) in graph
    article = parse(web.request(path(article_iri("t4"))).text)
    assert (path(people["t1"]), "Nguyễn Anh Tuấn") in article.links


# -- incidents: pages of crimes, arrests and trials, and of the people and bodies in them ----------------------
INCIDENT_ARTICLES = [
    # Written for these tests (not from the corpus): an arrest, then the trial of the same man.
    {"id": "i1", "title": "Bắt đối tượng trộm xe máy",
     "text": "Ngày 12/5/2023, tại huyện Hải Hậu, Công an tỉnh Nam Định đã bắt giữ đối tượng Trần Văn Hải để điều tra "
             "về tội “Trộm cắp tài sản”. Đối tượng khai đã lấy trộm 3 chiếc xe máy."},
    {"id": "i2", "title": "Xét xử kẻ trộm xe máy",
     "text": "Sáng 20/9/2023, Tòa án nhân dân tỉnh Nam Định mở phiên tòa xét xử bị cáo Trần Văn Hải về tội “Trộm cắp "
             "tài sản”. Bị cáo bị tuyên phạt 3 năm tù."},
]


@pytest.fixture(scope="module")
def incidents_web(tmp_path_factory):
    from anttkg.build import build

    folder = tmp_path_factory.mktemp("incidents")
    source = folder / "incidents.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in INCIDENT_ARTICLES), encoding="utf-8")
    build([source], folder / "store", workers=1)
    server = start_web(folder / "store", log_dir=tmp_path_factory.mktemp("serve-incidents-log"))
    yield server
    server.stop()


def _section(html: str, title: str) -> str:
    """The HTML of one section of an entity page, from its heading to the next section."""
    found = re.search(r"<h2 id=\"[^\"]+\">" + re.escape(title) + r" <.*?(?=<section|\Z)", html, re.S)
    assert found, f"no section {title!r}"
    return found.group(0)


def test_incident_pages_show_who_where_what_with_evidence(incidents_web):
    arrest = incidents_web.request(path(article_iri("i1") + "/incident/0")).text
    assert "Arrest or raid" in arrest and "2023-05-12" in arrest
    people = _section(arrest, "People")
    assert "Trần Văn Hải" in people and "suspect" in people and "<mark>Trần Văn Hải</mark>" in people
    assert "Hải Hậu" in _section(arrest, "Place")
    bodies = _section(arrest, "Bodies")
    assert "Công an tỉnh Nam Định" in bodies and "handled" in bodies
    assert "Trộm cắp tài sản" in _section(arrest, "Charges")
    trial = incidents_web.request(path(article_iri("i2") + "/incident/0")).text
    assert "Trial" in trial and "3 năm tù" in trial and "defendant" in _section(trial, "People")
    assert "Tòa án nhân dân tỉnh Nam Định" in _section(trial, "Bodies")


def test_people_bodies_places_list_their_incidents(incidents_web):
    arrest = parse(incidents_web.request(path(article_iri("i1") + "/incident/0")).text)
    suspect = next(h for h, t in arrest.links if t == "Trần Văn Hải" and h.startswith("/id/person/"))
    person = incidents_web.request(suspect).text
    assert "suspect" in _section(person, "Incidents")
    police = next(h for h, t in arrest.links if t == "Công an tỉnh Nam Định")
    assert "handled" in _section(incidents_web.request(police).text, "Incidents")
    place = next(h for h, t in arrest.links if t == "Hải Hậu")
    assert "Bắt giữ" in _section(incidents_web.request(place).text, "Incidents here")
    article = incidents_web.request(path(article_iri("i2"))).text
    assert "Phiên tòa xét xử" in _section(article, "Incidents")


def test_search_has_an_incident_facet(incidents_web):
    html = incidents_web.request("/search", params={"q": "tran van hai"}).text
    assert "type=incident" in html
    only = parse(incidents_web.request("/search", params={"q": "tran van hai", "type": "incident"}).text)
    hrefs = [h for h, _t in only.links if h.startswith("/id/")]
    assert hrefs and all("/incident/" in h for h in hrefs)
    rows = json.loads(incidents_web.request("/api/suggest", params={"q": "xet xu tran"}).body)
    assert rows and rows[0]["type"] == "Incident" and rows[0]["detail"] == "2023-09-20"


# -- long sections: the page shows the first rows, a link shows more ---------------------------------------------
def test_long_sections_are_cut_with_a_link_to_more(sample_store, monkeypatch):
    """In-process on the sample store, with sections of one row: the organisation page says how many rows
    there are and links to them; ?more= that section shows them all, the others stay cut."""
    from anttkg.serve import graphdata
    from anttkg.serve.state import ServerState

    state = ServerState(sample_store, query_timeout=5, result_limit=100)
    try:
        monkeypatch.setattr(graphdata, "SECTION_ROWS", 1)
        page = graphdata.entity_page(state.oxigraph, MPS, state.model)
        members = next(s for s in page.sections if s.title == "Members")
        assert len(members.rows) == 1 and members.total > 1
        assert members.more == "?more=members#sec-members" and f"1 of {members.total}" in members.note
        more = graphdata.entity_page(state.oxigraph, MPS, state.model, more="members")
        members_all = next(s for s in more.sections if s.title == "Members")
        assert len(members_all.rows) == members.total and members_all.more is None
        assert all(len(s.rows) <= 1 for s in more.sections if s.key not in ("members", "with"))
    finally:
        state.close()
