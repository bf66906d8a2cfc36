"""Places: provinces with old and new spellings, regions, countries, venues after "tại"."""
from entity_rules import extract_entities
from anttkg.models import Article
from anttkg.text import normalize_text


extract = extract_entities


def places(text: str) -> dict[str, str]:
    found = extract(Article(id="t", title="Tin", text=normalize_text(text))).places
    return {p.name: p.kind for p in found}


def test_province_spellings_share_one_canonical_name():
    found = places("Đoàn công tác làm việc tại TP.HCM, tỉnh Thừa Thiên - Huế và tỉnh Đắc Lắc.")
    assert found.get("Hồ Chí Minh") == "city"
    assert found.get("Thừa Thiên Huế") == "province"
    assert found.get("Đắk Lắk") == "province"


def test_regions_and_countries():
    found = places("Lực lượng chức năng khu vực Tây Bắc và đồng bằng sông Cửu Long phối hợp với Lào, Campuchia.")
    assert found.get("Tây Bắc") == "region"
    assert found.get("Đồng bằng sông Cửu Long") == "region"
    assert found.get("Lào") == "country" and found.get("Campuchia") == "country"


def test_person_names_and_body_names_are_not_places():
    found = places("Ông Nguyễn Hòa Bình làm việc với Hội Sinh viên Việt Nam và Đoàn TNCS Hồ Chí Minh.")
    assert "Hòa Bình" not in found
    assert "Việt Nam" not in found
    assert "Hồ Chí Minh" not in found


def test_venue_after_tai():
    found = places("Sáng 9/9, tại Trung tâm Hội nghị Quốc gia, Bộ Công an tổ chức lễ kỷ niệm.")
    assert found.get("Trung tâm Hội nghị Quốc gia") == "venue"


def test_a_region_inside_a_longer_region_is_not_found_twice():
    found = extract(Article(id="t", title="Tin", text=normalize_text(
        "Đoàn công tác làm việc tại các tỉnh Tây Nam Bộ."))).places
    assert [p.name for p in found] == ["Tây Nam Bộ"]


def test_pronouns_and_given_names_are_not_countries():
    found = places("Anh ta khai nhận hành vi. Trung úy Đức bị thương nhẹ. Đoàn khách từ Anh và Đức đến thăm.")
    assert found.get("Anh") == "country" and found.get("Đức") == "country"
    hits = extract(Article(id="t", title="Tin", text=normalize_text(
        "Anh ta khai nhận hành vi. Trung úy Đức bị thương nhẹ."))).places
    assert hits == []
