"""People: rank and titles before names, positions after, lists, later mentions, foreign names, exclusions."""
from entity_rules import extract_entities
from anttkg.models import Article
from anttkg.text import normalize_text


extract = extract_entities


def people(text: str, title: str = "Tin tức"):
    return extract(Article(id="t", title=title, text=normalize_text(text))).people


def positions(found, name: str) -> set[tuple[str, str | None]]:
    return {(p.title, p.organization) for m in found if m.name == name for p in m.positions}


def test_rank_before_name_and_positions_after():
    found = people("Dự lễ có Thiếu tướng Phạm Văn Khải, Ủy viên BCH Trung ương Đảng, Thứ trưởng Bộ Công an.")
    assert found[0].name == "Phạm Văn Khải" and found[0].rank == "Thiếu tướng"
    assert positions(found, "Phạm Văn Khải") == {("Ủy viên", "Ban Chấp hành Trung ương Đảng"),
                                                 ("Thứ trưởng", "Bộ Công an")}


def test_title_and_body_before_name():
    found = people("Phát biểu tại buổi lễ, Bộ trưởng Bộ Quốc phòng Lê Hữu Nghĩa nhấn mạnh vai trò của lực lượng.")
    assert positions(found, "Lê Hữu Nghĩa") == {("Bộ trưởng", "Bộ Quốc phòng")}


def test_list_of_dignitaries_with_semicolons_and_implied_province():
    text = ("Tại điểm cầu tỉnh Thanh Hóa, dự có các đồng chí: Lê Văn Tâm, Phó Bí thư Thường trực Tỉnh ủy; "
            "Đỗ Thị Hoa, Ủy viên Ban Thường vụ Tỉnh ủy, Phó Chủ tịch UBND tỉnh. Tỉnh Thanh Hóa có nhiều mô hình.")
    found = people(text)
    assert positions(found, "Lê Văn Tâm") == {("Phó Bí thư Thường trực", "Tỉnh ủy Thanh Hóa")}
    assert positions(found, "Đỗ Thị Hoa") == {("Ủy viên Ban Thường vụ", "Tỉnh ủy Thanh Hóa"),
                                              ("Phó Chủ tịch", "Ủy ban nhân dân tỉnh Thanh Hóa")}


def test_head_titles_share_the_body_word():
    found = people("Có mặt đồng chí Hà Minh Đức, Phó Trưởng Ban Tuyên giáo T.Ư.")
    assert positions(found, "Hà Minh Đức") == {("Phó Trưởng", "Ban Tuyên giáo Trung ương")}


def test_compound_party_titles():
    found = people("Đồng chí Vũ Thị Lan, Ủy viên Bộ Chính trị, Bí thư T.Ư Đảng, Trưởng ban Tổ chức Trung ương.")
    assert positions(found, "Vũ Thị Lan") == {("Ủy viên", "Bộ Chính trị"), ("Bí thư", "Trung ương Đảng"),
                                             ("Trưởng", "Ban Tổ chức Trung ương")}


def test_later_mentions_take_the_full_name_and_body():
    text = ("Đại tá Trịnh Công Hiếu, Giám đốc Công an tỉnh Nam Định chủ trì. Sau đó, Đại tá Hiếu yêu cầu các "
            "đơn vị khẩn trương. Giám đốc Trịnh Công Hiếu cũng đề nghị tăng cường tuần tra.")
    found = people(text)
    assert {m.name for m in found} == {"Trịnh Công Hiếu"}
    assert all(m.rank == "Đại tá" for m in found)
    assert positions(found, "Trịnh Công Hiếu") == {("Giám đốc", "Công an tỉnh Nam Định")}


def test_foreign_names_after_title():
    found = people("Thứ trưởng tiếp Bộ trưởng An ninh Lào Somkeo Silavong tại Hà Nội. Tổng thống Mỹ Joe Biden gửi điện.")
    names = {m.name: m for m in found}
    assert "Somkeo Silavong" in names and names["Somkeo Silavong"].foreign
    assert "Joe Biden" in names


def test_photo_credits_and_sources_are_not_people():
    text = "Thượng tá Lưu Văn Hòa phát biểu. Ảnh: Minh Khang/TTXVN\nNguồn: Báo Công an"
    found = people(text)
    assert {m.name for m in found} == {"Lưu Văn Hòa"}


def test_person_names_inside_bodies_are_not_people():
    found = people("Trung ương Đoàn TNCS Hồ Chí Minh phối hợp với Trường THPT Nguyễn Du và TP Hồ Chí Minh.")
    assert found == []


def test_honorifics():
    found = people("Ông Nguyễn Văn Sơn cho biết, chị Lê Thị Hạnh đã báo tin cho công an xã.")
    assert {m.name for m in found} == {"Nguyễn Văn Sơn", "Lê Thị Hạnh"}


def test_ranks_written_in_lower_case():
    found = people("Chiều qua, thiếu tướng Trần Văn Bảy, Cục trưởng Cục An ninh kinh tế cho biết. Sau đó, "
                   "đại úy Nguyễn Anh Tuấn báo cáo; đại úy Tuấn đề xuất thêm.")
    by_name = {m.name: m for m in found}
    assert by_name["Trần Văn Bảy"].rank == "Thiếu tướng"
    assert positions(found, "Trần Văn Bảy") == {("Cục trưởng", "Cục An ninh kinh tế")}
    assert by_name["Nguyễn Anh Tuấn"].rank == "Đại úy"
    assert {m.name for m in found} == {"Trần Văn Bảy", "Nguyễn Anh Tuấn"}


def test_honours_and_professions_introduce_people():
    found = people("Dự lễ có mẹ Việt Nam Anh hùng Nguyễn Thị Lụa. Theo TS. Lê Minh Châu, bác sĩ Đỗ Hữu Phước "
                   "cho biết bệnh nhân đã ổn định.")
    assert {"Nguyễn Thị Lụa", "Lê Minh Châu", "Đỗ Hữu Phước"} <= {m.name for m in found}


def test_people_introduced_by_age_or_birth_year():
    found = people("Công an xác định Trần Văn Hậu (27 tuổi, trú xã Đông Hòa) và Vũ Thị Mơ, sinh năm 1990, "
                   "là hai đối tượng chính. Nhóm Phan Đình Phùng cũng bị điều tra.")
    names = {m.name for m in found}
    assert {"Trần Văn Hậu", "Vũ Thị Mơ"} <= names
    assert "Phan Đình Phùng" not in names  # a name with nothing to say it is a person in the story


def test_business_titles_and_kiem():
    found = people("Ông Đỗ Văn Long, Chủ tịch HĐQT kiêm Tổng Giám đốc Công ty CP Hòa Phát Xanh phát biểu.")
    titles = {t for t, _ in positions(found, "Đỗ Văn Long")}
    assert {"Chủ tịch Hội đồng quản trị", "Tổng Giám đốc"} <= titles


def test_party_committee_member_title():
    found = people("Bà Lò Thị Mai - Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh Sơn La dự buổi lễ.")
    titles = {t for t, _ in positions(found, "Lò Thị Mai")}
    assert {"Tỉnh ủy viên", "Phó Chủ tịch"} <= titles


def test_title_of_someone_else_is_not_taken():
    found = people("Thừa ủy quyền của Chủ tịch nước, Thứ trưởng Bộ Y tế Trần Văn Thuấn trao huân chương. "
                   "Thừa ủy quyền của Thủ tướng Giám đốc Sở Y tế Phạm Văn Hải trao bằng khen.")
    assert positions(found, "Trần Văn Thuấn") == {("Thứ trưởng", "Bộ Y tế")}
    assert {t for t, _ in positions(found, "Phạm Văn Hải")} == {"Giám đốc"}


def test_unknown_abbreviation_between_title_and_name():
    found = people("Phó Chủ tịch UBNN huyện Lương Văn Tâm cùng dự.")
    assert [m.name for m in found] == ["Lương Văn Tâm"]
    assert {t for t, _ in positions(found, "Lương Văn Tâm")} == {"Phó Chủ tịch"}


def test_country_after_a_rank_and_vietnamese_names_that_spell_a_country():
    found = people("Thiếu tướng Pháp Pierre Durand và Thượng tá Lê Anh Đức làm việc.")
    assert {m.name for m in found} == {"Pierre Durand", "Lê Anh Đức"}
