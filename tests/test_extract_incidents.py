"""Incidents: one parameterised test over example sentences of every family (tests/examples/incidents.tsv) and
sentences that must give none (tests/examples/incidents-negative.tsv), then roles, charges, penalties, figures,
several incidents in one article, the graph, its shapes and the incident queries."""
from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph
import pytest

from anttkg.extract import extract
from anttkg.extract.incidents import FAMILIES, body_role
from anttkg.models import Article
from anttkg.pipeline import process_article
from anttkg.query import run_query
from anttkg.resolve import article_iri, local_person_iri
from anttkg.validate import validate_nquads
from anttkg.vocab import ANTT, INCIDENT_CLASSES

EXAMPLES = Path(__file__).parent / "examples"


def _rows(name: str) -> list[dict[str, str]]:
    with (EXAMPLES / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


POSITIVE = _rows("incidents.tsv")
NEGATIVE = _rows("incidents-negative.tsv")


def incidents_of(text: str, title: str = "Tin tức", published: str | None = None):
    return extract(Article(id="vd", title=title, text=text, published=published)).incidents


def test_every_family_has_examples_and_every_example_a_known_type():
    assert {row["type"] for row in POSITIVE} == set(FAMILIES)
    assert all(sum(row["type"] == family for row in POSITIVE) >= 3 for family in FAMILIES)
    assert len(NEGATIVE) >= 10


@pytest.mark.parametrize("row", POSITIVE, ids=[row["id"] for row in POSITIVE])
def test_example_sentences_give_their_incident(row):
    found = incidents_of(row["text"])
    assert len(found) == int(row["count"]), [(i.kind, i.date and i.date.iso()) for i in found]
    match = [i for i in found if i.kind == row["type"] and i.date and i.date.iso() == row["date"]]
    assert match, [(i.kind, i.date and i.date.iso()) for i in found]
    incident = match[0]
    for place in filter(None, row["places"].split("|")):
        assert place in incident.places, incident.places
    for pair in filter(None, row["roles"].split("|")):
        name, role = pair.split("=")
        assert (name, role) in {(p.name, p.role) for p in incident.participants}, incident.participants


@pytest.mark.parametrize("row", NEGATIVE, ids=[row["id"] for row in NEGATIVE])
def test_sentences_without_an_incident_of_the_story_give_none(row):
    assert incidents_of(row["text"]) == [], row["why"]


def test_the_incident_date_is_when_it_happened_not_when_it_was_reported():
    found = incidents_of("Ngày 12/6, Công an quận Hai Bà Trưng cho biết, vào tối 10/6, Đặng Văn Quý đã cướp "
                         "điện thoại của một phụ nữ trên phố Bạch Mai.")
    assert [(i.kind, i.date.iso()) for i in found] == [("crime", "--06-10")]


def test_the_year_is_never_guessed_and_a_stated_or_published_year_is_kept():
    text = "Chiều 3/5, Công an huyện Gia Lâm bắt giữ 3 đối tượng trộm cắp."
    assert [i.date.iso() for i in incidents_of(text)] == ["--05-03"]
    assert [i.date.iso() for i in incidents_of(text, published="2022-05-04")] == ["2022-05-03"]
    # a birth year is no article year
    text = "Ngày 26/5, Công an huyện Vân Đồn đã tạm giữ đối tượng Vũ Văn Hòa (sinh năm 1994) để điều tra."
    assert [i.date.iso() for i in incidents_of(text, title="Tạm giữ đối tượng (sinh năm 1994)")] == ["--05-26"]


def test_several_incidents_of_one_article_are_kept_apart_and_one_incident_told_twice_is_one():
    body = ("Khoảng 23h ngày 16/9, tại quận Bình Tân, một thanh niên cầm dao đâm chết ông Trần Minh Nhẫn. "
            "Sau khi gây án, đối tượng bỏ trốn. Vụ án mạng xảy ra vào đêm 16/9 khiến nhiều người bàng hoàng. "
            "Ngày 25/5, Công an huyện Bến Lức đã bắt giữ Mai Hữu Tâm. Ngày 27/5, Cơ quan Cảnh sát điều tra đã "
            "khởi tố bị can Mai Hữu Tâm về tội “Giết người”.")
    found = incidents_of(body)
    assert [(i.kind, i.date.iso()) for i in found] == [
        ("crime", "--09-16"), ("arrest", "--05-25"), ("prosecution", "--05-27")]
    assert len(found[0].sentences) == 2  # the crime is told in two sentences
    assert ("Mai Hữu Tâm", "suspect") in {(p.name, p.role) for p in found[2].participants}
    assert [c.name for c in found[2].charges] == ["Giết người"]


def test_background_in_an_incident_article_is_no_incident():
    body = ("Ngày 8/3, Công an huyện Tiên Du bắt quả tang Ngô Văn Lực trộm cắp xe máy. Năm 2015, Lực từng "
            "bị Tòa án tuyên phạt 2 năm tù về tội trộm cắp tài sản.")
    assert [(i.kind, i.date.iso()) for i in incidents_of(body)] == [("arrest", "--03-08")]
    # nor is a past charge one of today's
    body = ("Ngày 3/5, Công an huyện Gia Lâm đã bắt giữ Lê Văn Toản về tội “Cướp tài sản”. Năm 2016, Toản từng "
            "bị xử phạt về hành vi trộm cắp.")
    assert [c.name for i in incidents_of(body) for c in i.charges] == ["Cướp tài sản"]


def test_charge_with_its_penal_code_article_penalties_bodies_and_figures():
    body = ("Ngày 20/9, Tòa án nhân dân tỉnh Long An xét xử bị cáo Lê Hoàng Phúc về tội “Lừa đảo chiếm đoạt tài "
            "sản” theo khoản 4 Điều 174 Bộ luật Hình sự, gây thiệt hại 3,5 tỷ đồng. Hội đồng xét xử tuyên phạt "
            "Phúc 15 năm tù. Viện kiểm sát nhân dân tỉnh Long An đề nghị mức án 18 năm tù.")
    article = Article(id="xu-an", title="Tin tức", text=body)
    (trial,) = extract(article).incidents
    assert trial.kind == "trial"
    assert [(c.name, c.article, c.clause) for c in trial.charges] == [("Lừa đảo chiếm đoạt tài sản", 174, 4)]
    assert trial.penalties == ("15 năm tù",)  # the procuracy's proposal is no sentence
    assert trial.damage == 3_500_000_000
    assert ("court", "Tòa án nhân dân tỉnh Long An") in trial.bodies
    body = "Khoảng 7h ngày 1/10, xe khách đâm vào xe tải trên quốc lộ 1A làm 3 người tử vong và 5 người bị thương."
    (crash,) = incidents_of(body)
    assert (crash.kind, crash.deaths, crash.injuries) == ("traffic-accident", 3, 5)


def test_bodies_are_told_apart_by_the_head_of_their_name():
    assert body_role("Tòa án nhân dân tỉnh Long An") == "court"
    assert body_role("Viện kiểm sát nhân dân tối cao") == "procuracy"
    assert body_role("Cơ quan Cảnh sát điều tra Công an tỉnh Nghệ An") == "investigator"
    assert body_role("Công an huyện Hoành Bồ") == "unit"
    assert body_role("Ủy ban nhân dân tỉnh") is None


BODY = ("Ngày 6/2, Phòng Cảnh sát hình sự Công an tỉnh Tiền Giang đã tạm giữ hình sự Ngô Phương Lâm để điều tra "
        "về tội “Giết người”. Nạn nhân là nam thanh niên 25 tuổi, Trần Trung N., ngụ huyện Châu Thành. "
        "Khoảng 22h30 ngày 31/1, tại phường 5, thành phố Mỹ Tho, hai nhóm thanh niên lao vào hỗn chiến.")


def test_initials_are_a_mention_of_the_incident_only_and_the_graph_validates():
    result = process_article(Article(id="hon-chien", title="Bắt đối tượng trong vụ hỗn chiến", text=BODY))
    assert validate_nquads("hon-chien", result.nquads) == []
    assert result.counts["incidents"] == 2
    lines = result.nquads.splitlines()
    partly = [line for line in lines if f"<{ANTT}PartlyNamedPerson>" in line]
    assert len(partly) == 1 and "/incident/" in partly[0]  # an article-scoped node, not a shared person IRI
    assert any(f"<{ANTT}victim>" in line and "/incident/" in line.split(" ")[2] for line in lines)
    # The fully named suspect is the article's own person node (the identity pass links it to a real person).
    suspect = local_person_iri(article_iri("hon-chien"), "Ngô Phương Lâm")
    assert any(f"<{ANTT}suspect> <{suspect}>" in line for line in lines)
    assert any(line.startswith(f"<{suspect}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ANTT}Person>")
               for line in lines)
    assert f"<{INCIDENT_CLASSES['arrest']}>" in result.nquads and f"<{INCIDENT_CLASSES['crime']}>" in result.nquads


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    st = pyoxigraph.Store()
    articles = [
        Article(id="hon-chien", title="Bắt đối tượng trong vụ hỗn chiến", text=BODY),
        Article(id="xu-an", title="Tin tức", text="Ngày 20/9/2023, Tòa án nhân dân tỉnh Long An xét xử bị cáo Lê "
                "Hoàng Phúc về tội “Lừa đảo chiếm đoạt tài sản” theo Điều 174 Bộ luật Hình sự. Hội đồng xét xử "
                "tuyên phạt Phúc 15 năm tù."),
        Article(id="hoi-nghi", title="Hội nghị", text="Sáng 12/3/2023, tại Long An, Công an tỉnh tổ chức hội nghị "
                "tổng kết công tác phòng chống tội phạm."),
    ]
    for article in articles:
        st.load(process_article(article).nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return st


def records(result) -> list[dict]:
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_events_query_lists_incidents_with_type_date_and_place(store):
    rows = records(run_query("events", store=store))
    assert {"event", "type", "name", "date", "place", "organizer", "article"} <= set(rows[0])
    got = {(r["article"], r["type"], r["date"]) for r in rows}
    assert {("hon-chien", "arrest", "--02-06"), ("hon-chien", "crime", "--01-31"),
            ("xu-an", "trial", "2023-09-20"), ("hoi-nghi", "conference", "2023-03-12")} <= got
    crime = next(r for r in rows if r["type"] == "crime")
    assert "Mỹ Tho" in crime["place"]


def test_incidents_query(store):
    result = run_query("incidents", store=store)
    assert result.columns[:6] == ["incident", "type", "date", "place", "charge", "article"]
    rows = records(result)
    assert {r["type"] for r in rows} <= set(FAMILIES)
    assert {r["article"] for r in rows} == {"hon-chien", "xu-an"}  # the conference is no incident
    trial = next(r for r in rows if r["type"] == "trial")
    assert trial["charge"] == "Lừa đảo chiếm đoạt tài sản (Điều 174 Bộ luật Hình sự)"


def test_analyst_queries_by_type_place_and_period_person_and_charges(store):
    rows = records(run_query("incidents-by-type", store=store, params={
        "type": "trial", "place": "Long An", "from": "2023-09-01", "to": "2023-09-30"}))
    assert [(r["article"], r["date"]) for r in rows] == [("xu-an", "2023-09-20")]
    assert run_query("incidents-by-type", store=store, params={
        "type": "trial", "place": "Long An", "from": "2023-10-01", "to": "2023-10-31"}).rows == []
    # a month-day date (year not stated) falls in a period by its month and day
    rows = records(run_query("incidents-by-type", store=store, params={
        "type": "crime", "from": "2017-01-15", "to": "2017-02-15"}))
    assert [(r["article"], r["date"], r["precision"]) for r in rows] == [("hon-chien", "--01-31", "month-day")]
    rows = records(run_query("person-incidents", store=store, params={"name": "Ngô Phương Lâm"}))
    assert [(r["role"], r["type"], r["charge"]) for r in rows] == [("suspect", "arrest", "Giết người")]
    rows = records(run_query("person-incidents", store=store, params={"name": "Trần Trung N."}))
    assert [(r["role"], r["article"]) for r in rows] == [("victim", "hon-chien")]
    rows = records(run_query("charges-and-sentences", store=store))
    trial = next(r for r in rows if r["article"] == "xu-an")
    assert (trial["charge"], trial["penalCodeArticle"], trial["person"], trial["penalty"]) == (
        "Lừa đảo chiếm đoạt tài sản", "174", "Lê Hoàng Phúc", "15 năm tù")


def test_arrests_for_drugs_in_a_province_in_a_month():
    """The analyst's question of issue 12: arrests for drug trafficking in Quảng Ninh in June. The text names only
    the district outside names; the province comes from the acting body."""
    st = pyoxigraph.Store()
    articles = [
        Article(id="ma-tuy", title="Tin tức", published="2023-06-20", text=(
            "Ngày 14/6, tại huyện Vân Đồn, Công an tỉnh Quảng Ninh bắt quả tang Hà Văn Tuấn đang vận chuyển trái "
            "phép 2 bánh heroin để điều tra về tội “Vận chuyển trái phép chất ma túy”.")),
        Article(id="trom", title="Tin tức", published="2023-06-22", text=(
            "Ngày 15/6, Công an tỉnh Quảng Ninh bắt giữ Lục Văn Hưng về tội “Trộm cắp tài sản”.")),
    ]
    for article in articles:
        st.load(process_article(article).nquads.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    june = {"type": "arrest", "place": "Quảng Ninh", "from": "2023-06-01", "to": "2023-06-30"}
    assert {r["article"] for r in records(run_query("incidents-by-type", store=st, params=june))} == {"ma-tuy", "trom"}
    rows = records(run_query("incidents-by-type", store=st, params={**june, "about": "ma túy"}))
    assert [(r["article"], r["date"]) for r in rows] == [("ma-tuy", "2023-06-14")]
    assert run_query("incidents-by-type", store=st, params={**june, "about": "ma túy", "from": "2023-07-01",
                                                            "to": "2023-07-31"}).rows == []
