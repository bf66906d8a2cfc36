"""Who is who across articles: namesakes apart, evidence joined, the same IRIs whatever the build order."""
from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from anttkg.build import build
from anttkg.export import export
from anttkg.identity import (PersonRecord, cluster, conflict, pair_score, related_bodies, resolve_group,
                             story_terms, titles_agree)
from anttkg.text import key
from anttkg.query import run_query
from anttkg.resolve import organization_iri, person_iri, resolve
from anttkg.extract import extract
from anttkg.models import Article
from anttkg.store import GraphStore

ANTT = "https://w3id.org/anttkg/ontology#"

# Three officers called Nguyễn Anh Tuấn, the first in two articles with different wording.
ARTICLES = {
    "t1": "Thượng tá Nguyễn Anh Tuấn, Phó Trưởng phòng PA92 Công an tỉnh Hưng Yên, cho biết đơn vị đã triển khai "
          "nhiều biện pháp.",
    "t2": "Thiếu tướng Nguyễn Anh Tuấn, Giám đốc Công an tỉnh Bắc Ninh, chủ trì hội nghị tổng kết công tác năm.",
    "t3": "Phát biểu tại buổi làm việc, Thượng tá Nguyễn Anh Tuấn, Phó Trưởng phòng PA92 Công an tỉnh Hưng Yên "
          "đề nghị các đơn vị phối hợp.",
    "t4": "Thiếu tướng Nguyễn Anh Tuấn, Giám đốc Công an tỉnh Bắc Ninh, kiểm tra công tác bảo đảm an ninh.",
    "t5": "Hội nghị có sự tham dự của ông Nguyễn Anh Tuấn và nhiều đại biểu.",
}


def write_articles(path: Path, ids) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for article_id in ids:
            handle.write(json.dumps({"id": article_id, "title": f"Tin {article_id}", "text": ARTICLES[article_id]},
                                    ensure_ascii=False) + "\n")
    return path


def people_by_article(store_path: Path, name: str = "Nguyễn Anh Tuấn") -> dict[str, str]:
    rows = run_query("people", store_path=store_path).rows
    return {row[5]: row[0] for row in rows if row[1] == name}


def record(article: str, **evidence) -> PersonRecord:
    fields = {k: frozenset(v) if isinstance(v, (set, list, tuple)) else v for k, v in evidence.items()}
    return PersonRecord(article, f"https://w3id.org/anttkg/id/article/{article}/person/x", "Nguyễn Văn Dũng",
                        **fields)


# -- the rules ------------------------------------------------------------------------------------
def test_same_office_is_one_person_and_other_areas_are_namesakes():
    a = record("a", rank="Đại tá", titles={"Giám đốc"}, orgs={"o:ca-hy"}, offices={("Giám đốc", "o:ca-hy")},
               places={"p:hy"})
    b = record("b", titles={"Giám đốc"}, orgs={"o:ca-hy"}, offices={("Giám đốc", "o:ca-hy")}, places={"p:hy"})
    c = record("c", rank="Đại tá", titles={"Giám đốc"}, orgs={"o:ca-bn"}, offices={("Giám đốc", "o:ca-bn")},
               places={"p:bn"})
    people = cluster([a, b, c])
    assert sorted(len(p.mentions) for p in people) == [1, 2]
    assert pair_score(a, c) == 0.0  # another province, no body in common


def test_different_ranks_are_two_people():
    a = record("a", rank="Thiếu tá", titles={"Đội trưởng"})
    b = record("b", rank="Thiếu tướng", titles={"Đội trưởng"})
    assert len(cluster([a, b])) == 2


def test_a_chain_of_links_never_joins_two_namesakes():
    # a and c are in different provinces; b shares a body with each. At most one of the links is taken.
    a = record("a", orgs={"o:x"}, places={"p:1"})
    b = record("b", orgs={"o:x", "o:y"})
    c = record("c", orgs={"o:y"}, places={"p:2"})
    people = cluster([a, b, c])
    for person in people:
        articles = {m.article_id for m in person.mentions}
        assert not {"a", "c"} <= articles
    assert len(people) == 2


def test_a_mention_without_evidence_stays_apart_and_is_a_candidate():
    a = record("a", rank="Đại tá", orgs={"o:x"})
    b = record("b", rank="Đại tá", orgs={"o:x"})
    bare = record("c")
    people = resolve_group([a, b, bare])
    assert len(people) == 2
    from anttkg.identity import candidates

    (pair,) = candidates(people)
    assert 0 < pair[0] < 1


def test_clusters_and_iris_do_not_depend_on_the_order():
    records = [record("a", rank="Đại tá", orgs={"o:x"}), record("b", orgs={"o:x"}, places={"p:1"}),
               record("c", orgs={"o:y"}, places={"p:2"}), record("d", orgs={"o:y"}),
               record("e"), record("f", rank="Thiếu tướng", titles={"Giám đốc"})]
    records = [PersonRecord(r.article_id, f"https://w3id.org/anttkg/id/article/{r.article_id}/person/x", r.name,
                            r.published, r.rank, r.titles, r.orgs, r.offices, r.places) for r in records]
    expected = sorted((p.iri, tuple(m.article_id for m in p.mentions)) for p in resolve_group(records))
    rng = random.Random(7)
    for _ in range(20):
        shuffled = records[:]
        rng.shuffle(shuffled)
        assert sorted((p.iri, tuple(m.article_id for m in p.mentions)) for p in resolve_group(shuffled)) == expected
    assert all(iri.startswith(person_iri("Nguyễn Văn Dũng") + "-") for iri, _ in expected)


def test_a_promotion_in_one_body_is_one_officer_and_not_backwards_in_time():
    colonel = record("a", rank="Đại tá", titles={"Giám đốc"}, orgs={"o:ca-hy"}, org_names={"cong an tinh hung yen"})
    general = record("b", rank="Thiếu tướng", titles={"Giám đốc"}, orgs={"o:ca-hy"}, org_names={"cong an tinh hung yen"})
    elsewhere = record("c", rank="Thiếu tướng", orgs={"o:ca-bn"}, org_names={"cong an tinh bac ninh"})
    assert not conflict(colonel, general) and len(cluster([colonel, general])) == 1
    assert conflict(colonel, elsewhere)  # another rank in another body: two officers
    far = record("d", rank="Thiếu tá", orgs={"o:ca-hy"})
    assert conflict(far, general)  # three steps apart
    dated = [PersonRecord(r.article_id, r.local, r.name, published, r.rank, r.titles, r.orgs, r.offices, r.places)
             for r, published in ((colonel, "2017-05-01"), (general, "2016-01-01"))]
    assert conflict(*dated)  # the higher rank first: no promotion


def test_one_body_written_two_ways_and_a_title_written_longer_agree():
    short = record("a", titles={"Giám đốc"}, orgs={"o:1"}, org_names={key("Trung tâm Quản lý")})
    full = record("b", titles={"Giám đốc"}, orgs={"o:2"},
                  org_names={key("Trung tâm Quản lý điều hành giao thông đô thị Hà Nội")})
    other = record("c", titles={"Giám đốc"}, orgs={"o:3"}, org_names={key("Trung tâm Y tế huyện Gia Lâm")})
    assert related_bodies(short, full) and not related_bodies(short, other)
    assert pair_score(short, full) >= 2.0 > pair_score(short, other)
    envoy = record("d", titles={"Đại sứ Việt Nam tại Nhật Bản"})
    assert titles_agree(record("e", titles={"Đại sứ"}), envoy)
    assert not titles_agree(record("f", titles={"Phó"}), record("g", titles={"Phó Giám đốc"}))


def test_the_same_story_told_again_joins_and_common_words_do_not():
    name = "Nguyễn Văn Dũng"
    story = ["Nguyễn Văn Dũng hắt dầu luyn vào quầy thịt lợn ở chợ Lương Văn Can, phường Máy Tơ.",
             "Người hắt dầu luyn là Nguyễn Văn Dũng, bán thịt lợn ở chợ Lương Văn Can."]
    again = record("a", terms=story_terms([story[0]], name))
    retold = record("b", terms=story_terms([story[1]], name))
    assert pair_score(again, retold) >= 2.0 and len(cluster([again, retold])) == 1
    plain = ["Ông Nguyễn Văn Dũng cho biết công an đã vào cuộc.", "Theo ông Nguyễn Văn Dũng, công an cho biết như vậy."]
    one, two = (record(x, terms=story_terms([t], name)) for x, t in zip("cd", plain))
    assert pair_score(one, two) < 2.0 and len(cluster([one, two])) == 2
    # the person called by a part of the name ("anh Dũng") is no story term
    assert story_terms(["anh Dũng"], name) == frozenset()
    # two people in one kind of story but different ages stay apart
    older = PersonRecord(again.article_id, again.local, name, age=45, terms=again.terms)
    younger = PersonRecord(retold.article_id, retold.local, name, age=21, terms=retold.terms)
    assert pair_score(older, younger) == 0.0


def test_a_profession_before_the_name_with_something_else_in_common_is_one_person():
    director = record("a", professions={"đạo diễn"}, terms={"u0000001"})
    again = record("b", professions={"đạo diễn"}, terms={"u0000001"})
    assert pair_score(director, again) >= 2.0
    # the profession alone, or something else alone, is not enough
    assert pair_score(record("c", professions={"đạo diễn"}), record("d", professions={"đạo diễn"})) < 2.0
    assert pair_score(record("e", terms={"u0000001"}), record("f", terms={"u0000001"})) < 2.0
    # two coaches of one name with nothing else in common stay two
    assert len(cluster([record("g", professions={"hlv"}), record("h", professions={"hlv"})])) == 2


def test_professions_are_read_right_before_the_name():
    from anttkg.identity import person_records

    people = {}
    for article, text in (("p1", "Bộ phim mới của đạo diễn Nguyễn Quang Dũng ra rạp."),
                          ("p2", "Bị cáo Nguyễn Quang Dũng khai nhận hành vi.")):
        resolved = resolve(extract(Article(id=article, title="T", text=text)))
        from anttkg.graph import article_quads

        nquads = "".join(article_quads(resolved)).encode("utf-8")
        (people[article],) = [r for r in person_records(article, resolved.iri, nquads) if r.name == "Nguyễn Quang Dũng"]
    assert people["p1"].professions == {"đạo diễn"}
    assert people["p2"].professions == frozenset()  # a role in a story is no profession


def test_members_of_one_assembly_are_not_one_person_by_that_alone():
    one = record("a", titles={"Đại biểu"}, orgs={"o:quoc-hoi"}, companions={"x"})
    two = record("b", titles={"Đại biểu"}, orgs={"o:quoc-hoi"}, companions={"x"})
    assert pair_score(one, two) < 2.0
    chair = record("c", titles={"Chủ tịch"}, orgs={"o:quoc-hoi"})
    assert pair_score(chair, record("d", titles={"Chủ tịch"}, orgs={"o:quoc-hoi"})) >= 2.0


# -- a real build -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def full_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("identity")
    source = write_articles(folder / "all.jsonl", ["t1", "t2", "t3", "t4", "t5"])
    report = build([source], folder / "store", workers=1)
    assert report.ok and report.identity["names"] >= 1
    return folder / "store"


def test_namesakes_are_apart_and_one_officer_is_one_iri(full_store):
    people = people_by_article(full_store)
    assert set(people) == {"t1", "t2", "t3", "t4", "t5"}
    assert people["t1"] == people["t3"]
    assert people["t2"] == people["t4"]
    assert people["t1"] != people["t2"]
    assert people["t5"] not in (people["t1"], people["t2"])  # no evidence: a person of its own
    assert all(iri.startswith("https://w3id.org/anttkg/id/person/") for iri in people.values())


def test_duplicates_lists_the_undecided_mention(full_store):
    rows = run_query("duplicates", store_path=full_store).rows
    people = people_by_article(full_store)
    pairs = {frozenset((row[1], row[4])) for row in rows}
    assert frozenset((people["t5"], people["t1"])) in pairs or frozenset((people["t5"], people["t2"])) in pairs
    scores = [float(row[0]) for row in rows]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)


def test_career_of_one_person_leaves_the_namesakes_out(full_store):
    people = people_by_article(full_store)
    rows = run_query("person-career", store_path=full_store, params={"person": people["t2"]}).rows
    assert {row[6] for row in rows} == {"t2", "t4"}
    titles = {(row[2], row[3], row[4]) for row in rows}
    assert ("position", "Giám đốc", "Công an tỉnh Bắc Ninh") in titles
    assert ("rank", "Thiếu tướng", None) in titles
    assert all(row[7] and "Nguyễn Anh Tuấn" in row[7] for row in rows)  # the sentence it was read from


def test_mentions_of_an_article_local_person(full_store):
    from anttkg.resolve import article_iri, local_person_iri

    local = local_person_iri(article_iri("t1"), "Nguyễn Anh Tuấn")
    rows = run_query("mentions-of", store_path=full_store, params={"entity": local}).rows
    assert {row[1] for row in rows} == {"t1"} and all(row[5] == "Nguyễn Anh Tuấn" for row in rows)


def _nquads(store_path: Path, tmp_path: Path, name: str) -> bytes:
    with GraphStore(store_path, read_only=True) as store:
        export(store, "nquads", tmp_path / name)
    return (tmp_path / name).read_bytes()


def test_incremental_and_reordered_builds_give_the_full_build(full_store, tmp_path):
    full = _nquads(full_store, tmp_path, "full.nq")
    step = tmp_path / "step"
    build([write_articles(tmp_path / "a.jsonl", ["t2", "t5"])], step, workers=1)
    first = people_by_article(step)
    build([write_articles(tmp_path / "b.jsonl", ["t4", "t1", "t3"])], step, workers=1)
    assert people_by_article(step) == people_by_article(full_store)
    assert first["t2"] == people_by_article(step)["t2"]
    assert _nquads(step, tmp_path, "step.nq") == full
    reordered = tmp_path / "reordered"
    build([write_articles(tmp_path / "c.jsonl", ["t5", "t4", "t3", "t2", "t1"])], reordered, workers=1)
    assert _nquads(reordered, tmp_path, "reordered.nq") == full


def test_an_earlier_article_retires_an_iri_which_then_points_to_its_successor(tmp_path):
    store = tmp_path / "store"
    build([write_articles(tmp_path / "a.jsonl", ["t3"])], store, workers=1)
    (old,) = set(people_by_article(store).values())
    build([write_articles(tmp_path / "b.jsonl", ["t1"])], store, workers=1)  # "t1" < "t3": now the earliest
    people = people_by_article(store)
    assert people["t1"] == people["t3"] != old
    rows = run_query(Path(__file__).parent / "fixtures" / "replaced-by.rq", store_path=store,
                     params={"old": old}).rows
    assert rows == [[old, people["t1"]]]


def test_body_variants_are_one_iri_and_unnamed_bodies_stay_in_their_article():
    def orgs(text: str) -> dict[str, str]:
        resolved = resolve(extract(Article(id="x", title="T", text=text)))
        return {name_key: iri for name_key, iri in resolved.organizations.items()}

    forms = ["Sở GD&ĐT TP.HCM", "Sở GDĐT TP.HCM", "Sở GD - ĐT TP.HCM", "Sở Giáo dục và Đào tạo thành phố Hồ Chí Minh"]
    iris = {iri for form in forms for iri in orgs(f"Ông Nguyễn Văn A, Giám đốc {form} cho biết.").values()}
    assert len(iris) == 1
    culture = {iri for form in ("Bộ VHTT&DL", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ VH-TT&DL")
               for iri in orgs(f"Lãnh đạo {form} đã họp.").values()}
    assert len(culture) == 1
    # a unit is one body per parent: PA92 of two provinces are two bodies
    assert organization_iri("Phòng PA92", "Công an tỉnh Hưng Yên") != organization_iri("Phòng PA92", "Công an tỉnh Bắc Ninh")
    assert organization_iri("Công an tỉnh Hưng Yên", place="Hưng Yên") == organization_iri("Công an tỉnh Hưng Yên")
    from anttkg.resolve import ResolvedArticle, is_generic_body

    assert is_generic_body("Ủy ban nhân dân thành phố") and not is_generic_body("Ủy ban nhân dân thành phố Đà Nẵng")
    resolved = ResolvedArticle(None, "https://w3id.org/anttkg/id/article/x")  # type: ignore[arg-type]
    generic = resolved.organization("Ủy ban nhân dân thành phố")
    assert generic.startswith("https://w3id.org/anttkg/id/article/x/organization/")
    assert generic != organization_iri("Ủy ban nhân dân thành phố Đà Nẵng")


def test_identity_graphs_conform_to_their_shapes(full_store):
    import pyshacl
    import rdflib

    from anttkg.identity import identity_graphs
    from anttkg.resources import ontology_dir

    data = rdflib.Graph()
    for _graph, nquads in identity_graphs(full_store):
        for q in ox.parse(nquads, ox.RdfFormat.N_QUADS):
            data.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    assert len(data) > 0
    conforms, _g, text = pyshacl.validate(data, shacl_graph=str(ontology_dir() / "shapes-identity.ttl"))
    assert conforms, text


def test_a_pass_killed_half_way_is_done_again_in_full(full_store, tmp_path):
    import shutil
    import sqlite3

    from anttkg.identity import SIDECAR_NAME, update_identity

    store = tmp_path / "store"
    shutil.copytree(full_store, store)
    before = people_by_article(store)
    with GraphStore(store) as st:  # as if killed after dropping the people graphs, before reloading them
        for graph in [g for g in st.oxigraph.named_graphs() if "/graph/people/" in g.value]:
            st.oxigraph.remove_graph(graph)
    db = sqlite3.connect(store / SIDECAR_NAME)
    with db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('unfinished', 'x')")
    db.close()
    with GraphStore(store) as st:
        report = update_identity(st)
    assert report.names >= 1
    assert people_by_article(store) == before
