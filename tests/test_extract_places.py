"""Places: provinces with old and new spellings, regions, countries, venues after "tại"."""
from entity_rules import extract_entities
from anttkg.extract.context import ArticleText
from anttkg.extract.places import province_mentions
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article
from anttkg.text import normalize_text


extract = extract_entities


def places(text: str) -> dict[str, str]:
    found = extract(Article(id="t", title="Tin", text=normalize_text(text))).places
    return {p.name: p.kind for p in found}


def test_province_spellings_share_one_canonical_name():
    found = places("Đoàn công tác làm việc tại TP.HCM, tỉnh Thừa Thiên - Huế và tỉnh Đắc Lắc.")
    assert found.get("Thành phố Hồ Chí Minh") == "city"
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


def test_a_name_shared_with_people_counts_inside_a_list_of_provinces():
    found = places("Năm địa phương giảm mạnh là Lai Châu, Hòa Bình, Thái Nguyên, Hà Nam và Yên Bái.")
    for name in ("Lai Châu", "Hòa Bình", "Thái Nguyên", "Hà Nam", "Yên Bái"):
        assert found.get(name) == "province"
    assert places("Ông Trần Hòa Bình, Sơn La; ông Hòa Bình, Yên Bái.").get("Hòa Bình") is None


def test_districts_communes_and_towns_after_an_administrative_word():
    found = places("Ông Lò Văn Khải trú tại xã Bản Mướp, huyện Mường Khoa, tỉnh Lai Châu, làm việc ở thị trấn "
                   "Phố Cũ và thị xã Vân Lạc.")
    assert found.get("Bản Mướp") == "commune"
    assert found.get("Mường Khoa") == "district"
    assert found.get("Phố Cũ") == "commune" and found.get("Vân Lạc") == "district"
    assert found.get("Lai Châu") == "province"


def test_numbered_quarters_cities_and_no_number_swallowed():
    found = places("Cửa hàng ở phường 7, Quận 3 và quận Tân Lộc 250 triệu đồng; TP Hải Lâm, TP. Sơn Khê, "
                   "TP.Cát Bình và thành phố Hà Nội.")
    assert found.get("Phường 7") == "commune" and found.get("Quận 3") == "district"
    assert found.get("Tân Lộc") == "district"
    assert found.get("Hải Lâm") == "city" and found.get("Sơn Khê") == "city" and found.get("Cát Bình") == "city"
    assert found.get("Hà Nội") == "city"


def test_a_counted_administrative_word_opens_a_list():
    found = places("Ba huyện Nà Phìn, Pá Lìa và Tà Sin được công nhận.")
    assert [found.get(n) for n in ("Nà Phìn", "Pá Lìa", "Tà Sin")] == ["district"] * 3


def test_what_follows_an_administrative_word_is_not_always_a_place():
    found = places("Chủ tịch UBND TP Trần Văn Hậu cho biết các tỉnh, thành phố Trung ương, Hợp tác xã Tân Hòa "
                   "và bà xã Kim Ngân đã tham gia. Về dự án của thành phố. Ông Hùng nói.")
    assert found == {}


def test_a_district_inside_a_local_body_is_one_place():
    found = extract(Article(id="t", title="Tin", text=normalize_text(
        "Công an huyện Tân Khê phối hợp với thị trấn Tân Khê."))).places
    assert {(p.name, p.kind) for p in found} == {("Tân Khê", "district")}


def test_more_countries_and_their_transliterations():
    found = places("Đoàn công tác thăm Cộng hòa Slovakia, Xéc-bi-a, Na Uy, Cô-oét và Các Tiểu vương quốc "
                   "Ả-rập Thống nhất, rồi tới nước Áo.")
    for name in ("Slovakia", "Serbia", "Na Uy", "Kuwait", "Các Tiểu vương quốc Ả Rập Thống nhất", "Áo"):
        assert found.get(name) == "country"
    assert places("Áo mưa được phát cho người dân. Ý kiến của cử tri được ghi nhận.") == {}


def test_cities_written_bare_come_from_the_city_gazetteer():
    found = places("Công ty sở hữu bất động sản tại TP.HCM, Đà Lạt, Quy Nhơn và Vinh; chi nhánh ở Moskva.")
    for name in ("Đà Lạt", "Quy Nhơn", "Vinh", "Moskva"):
        assert found.get(name) == "city"
    assert found.get("Thành phố Hồ Chí Minh") == "city"


def test_a_city_name_shared_with_people_or_streets_needs_its_context():
    found = places("Ông Vinh cho biết chị Lê Thị Huế sống trên đường Điện Biên Phủ, gần phố Huế.")
    assert found == {}
    assert places("Ông Tư làm việc ở thành phố Vinh.").get("Vinh") == "city"


def test_the_administrative_word_gives_a_listed_town_its_kind():
    found = places("Cửa hàng ở quận Thủ Đức mở cửa; khách từ Thủ Đức đến đông.")
    assert found == {"Thủ Đức": "district"}


def test_a_city_whose_name_starts_with_a_province_is_kept_whole():
    found = places("Anh Sùng A Lử trú tại thành phố Điện Biên Phủ, tỉnh Điện Biên, thường lên Điện Biên Phủ.")
    assert found == {"Điện Biên Phủ": "city", "Điện Biên": "province"}


def test_a_district_or_city_named_like_a_province_is_another_place():
    found = places("Nhà ở bản Nà Khoang, huyện Điện Biên và TP Sóc Trăng; Công an tỉnh Sóc Trăng điều tra.")
    assert found.get("huyện Điện Biên") == "district"
    assert found.get("thành phố Sóc Trăng") == "city"
    assert found.get("Sóc Trăng") == "province"
    assert "Điện Biên" not in found
    # "tỉnh, thành phố" names provinces and centrally-run cities, not provincial capitals.
    assert places("Các tỉnh, thành phố Hải Dương, Bình Dương tăng trưởng.").get("Hải Dương") == "province"


def test_a_province_abroad_needs_its_country_after_it():
    found = places("Ông sinh tại tỉnh Pha Lùng, Lào, làm việc ở tỉnh Sa Mết (Lào) và bang Texas (Mỹ); "
                   "ông học ở Saint Petersburg, Liên Xô, rồi Tiệp Khắc.")
    assert found.get("Pha Lùng") == "province" and found.get("Sa Mết") == "province"
    assert found.get("Texas") == "province"
    assert found.get("Saint Petersburg") == "city"
    assert found.get("Liên Xô") == "country" and found.get("Tiệp Khắc") == "country"
    assert places("Hùng tán tỉnh Tuyết. Chủ tịch UBND tỉnh Nguyễn Văn Bảo chỉ đạo.") == {}


def test_a_town_and_a_province_abroad_of_one_name_are_two_places():
    found = places("Tại thị xã Mường Xay, tỉnh Mường Xay (Lào), lực lượng chức năng bắt giữ đối tượng.")
    assert found.get("thị xã Mường Xay") == "district" and found.get("Mường Xay") == "province"


def test_a_bylines_outlet_bureau_is_no_place():
    assert places("Lực lượng chức năng đã bắt giữ đối tượng./. Minh Khoa/VOV-Tây Nguyên") == {}
    assert places("Hội nghị hợp tác ASEAN-Nhật Bản diễn ra.").get("Nhật Bản") == "country"


def test_a_district_name_with_tu_is_read_whole():
    found = places("Chủ tịch UBND quận Nam Từ Liêm và quận Bắc Từ Liêm, Hà Nội dự họp.")
    assert found == {"Nam Từ Liêm": "district", "Bắc Từ Liêm": "district", "Hà Nội": "city"}


def test_a_list_of_names_shared_with_people_is_accepted_back_from_its_last_province():
    found = places("Đoàn đã đến Hòa Bình, Hà Nam, Thái Bình và Sơn La.")
    assert found == {"Hòa Bình": "province", "Hà Nam": "province", "Thái Bình": "province", "Sơn La": "province"}
    # A long list is read in one pass each way (runs to completion; no timing asserted).
    body = "Đoàn đã đến " + ", ".join(["Hòa Bình", "Hà Nam", "Thái Bình"] * 1000) + " và Sơn La."
    article = Article(id="t", title="Tin", text=normalize_text(body))
    doc = ArticleText.of(article, split_sentences(article.full_text))
    assert len(province_mentions(doc)) == 3001


def test_an_administrative_word_is_read_whatever_its_spacing_and_case():
    for text in ("Ông Tư làm việc ở thành  phố Vinh.", "Ông Tư làm việc ở thành\tphố Vinh."):
        assert places(text) == {"Vinh": "city"}  # "phố" ending "thành phố" is no street
    assert places("Khách sạn ở phố  Huế đông khách.") == {}
    found = places("Ông Tư về tp Hà Nội, rồi về Tp. Sóc Trăng; Công an tỉnh Sóc Trăng điều tra.")
    assert found == {"Hà Nội": "city", "thành phố Sóc Trăng": "city", "Sóc Trăng": "province"}
    assert places("Các tỉnh / TP Hải Dương, Bình Dương tăng trưởng.").get("Hải Dương") == "province"
