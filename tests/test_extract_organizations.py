"""Organisations: gazetteer names and abbreviations, local bodies, implied provinces, parents, generic names."""
from anttkg.extract import organizations as org_rules, people as people_rules, places as place_rules
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction
from anttkg.text import normalize_text


def extract(article: Article) -> Extraction:
    """The three families this module tests, in pipeline order, without the other families' rules."""
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.organizations = org_rules.find_organizations(doc)
    found.places = place_rules.find_places(doc, found)
    found.people = people_rules.find_people(doc, found)
    return found


def orgs(text: str, title: str = "Tin tức") -> list:
    return extract(Article(id="t", title=title, text=normalize_text(text))).organizations


def names(text: str, title: str = "Tin tức") -> set[str]:
    return {o.name for o in orgs(text, title)}


def test_abbreviated_central_bodies_get_their_canonical_names():
    found = names("Sáng 2-5, Ban Tuyên giáo T.Ư phối hợp với Ủy ban TW MTTQ Việt Nam và BCA tổ chức tọa đàm.")
    assert {"Ban Tuyên giáo Trung ương", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Bộ Công an"} <= found


def test_gazetteer_match_keeps_written_form_and_abbreviation():
    found = [o for o in orgs("Đại diện Bộ CA đã tham dự.") if o.name == "Bộ Công an"]
    assert found and found[0].text == "Bộ CA" and found[0].abbreviation == "BCA"


def test_local_body_with_province():
    assert "Công an tỉnh Quảng Trị" in names("Công an tỉnh Quảng Trị vừa triệt phá đường dây ma túy.")
    assert "Ủy ban nhân dân thành phố Hà Nội" in names("UBND TP Hà Nội ban hành kế hoạch mới.")


def test_bare_local_body_takes_the_article_province():
    text = ("Ngày 3/4, tỉnh Nghệ An tổ chức hội nghị. Công an tỉnh phối hợp với Ủy ban MTTQ tỉnh triển khai "
            "kế hoạch. Tỉnh ủy chỉ đạo các địa phương của tỉnh Nghệ An thực hiện.")
    found = names(text)
    assert {"Công an tỉnh Nghệ An", "Ủy ban Mặt trận Tổ quốc tỉnh Nghệ An", "Tỉnh ủy Nghệ An"} <= found


def test_bare_local_body_without_a_clear_province_stays_bare():
    found = names("Công an tỉnh đã phối hợp với các lực lượng liên quan.")
    assert "Công an tỉnh" in found
    assert not any(n.startswith("Công an tỉnh ") for n in found)


def test_generic_forces_are_not_bodies():
    found = names("Công an các đơn vị, địa phương phối hợp với các ban, ngành, đoàn thể triển khai.")
    assert not any(n.startswith("Công an") for n in found)


def test_parent_in_brackets_and_after_comma():
    found = orgs("Cục H88, Tổng cục Hậu cần - Kỹ thuật (Bộ Công an) đã tổ chức lễ ra quân.")
    by_name = {o.name: o for o in found}
    assert by_name["Cục H88"].parent == "Tổng cục Hậu cần - Kỹ thuật"
    assert by_name["Tổng cục Hậu cần - Kỹ thuật"].parent == "Bộ Công an"


def test_generic_name_ends_before_verbs_and_people():
    found = names("Học viện Cảnh sát nhân dân tổ chức lễ khai giảng. Cục trưởng Cục Cảnh sát giao thông "
                  "Nguyễn Văn Bình phát biểu.")
    assert "Học viện Cảnh sát nhân dân" in found
    assert "Cục Cảnh sát giao thông" in found
    assert not any("Nguyễn" in n for n in found)


def test_committee_of_a_named_body():
    found = orgs("Đảng ủy Cục Cảnh sát giao thông tổ chức đại hội.")
    assert any(o.name == "Đảng ủy Cục Cảnh sát giao thông" and o.parent == "Cục Cảnh sát giao thông"
               for o in found)


def test_heads_inside_other_names_are_not_bodies():
    assert not any(n.startswith("Ban ") for n in names("Đội tuyển Tây Ban Nha thắng đậm."))
