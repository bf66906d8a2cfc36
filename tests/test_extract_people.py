"""People: rank and titles before names, positions after, lists, later mentions, foreign names, exclusions."""
from entity_rules import extract_entities
from anttkg.extract import extract as extract_all
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
                   "là hai đối tượng chính. Căn nhà trên đường Phan Đình Phùng cũng bị khám xét.")
    names = {m.name for m in found}
    assert {"Trần Văn Hậu", "Vũ Thị Mơ"} <= names
    assert "Phan Đình Phùng" not in names  # a street's name, not a person in the story


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


def test_photo_credit_run_into_the_next_caption_ends_at_a_rank_or_title():
    text = ("Lực lượng chức năng khám xét hiện trường. Ảnh: Hồ Khanh Đại tá Mạc Văn Thiều, Giám đốc Công an "
            "tỉnh, cho biết vụ việc. Ảnh: Quang Nhật Thiếu tướng Lục Văn Quảng phát biểu. "
            "Đoàn trao quà (Ảnh: Kim Ngân/TTXVN) đồng chí Đinh Thị Nhàn cảm ơn.")
    found = people(text)
    by_name = {m.name: m for m in found}
    assert by_name["Mạc Văn Thiều"].rank == "Đại tá"
    assert {t for t, _ in positions(found, "Mạc Văn Thiều")} == {"Giám đốc"}
    assert by_name["Lục Văn Quảng"].rank == "Thiếu tướng"
    assert "Đinh Thị Nhàn" in by_name
    assert not {"Hồ Khanh", "Quang Nhật", "Kim Ngân"} & set(by_name)  # the credited photographers


def test_plain_name_lists_after_a_list_cue():
    found = people("Hội nghị bầu Ban Chấp hành gồm các đồng chí: Lều Văn Khoa, Mạc Thị Duyên và Tào Quang Hưng. "
                   "Ban kiểm tra gồm: Đinh Văn Tuất, Lò Thị Sen. Các ông, bà: Kiều Văn Đông và Hà Thị Tuyết nhận quà.")
    names = {m.name for m in found}
    assert {"Mạc Thị Duyên", "Tào Quang Hưng", "Đinh Văn Tuất", "Lò Thị Sen", "Kiều Văn Đông",
            "Hà Thị Tuyết"} <= names


def test_name_lists_stop_at_words_that_are_no_names():
    found = people("Dự có các đồng chí: Đặng Văn Mạnh, Đoàn Thanh niên xã và Hội Nông dân huyện. "
                   "Các ông gồm: Ban Quản lý dự án, Công ty Bình Minh.")
    assert {m.name for m in found} == {"Đặng Văn Mạnh"}


def test_a_full_stop_after_an_honorific_ends_the_sentence():
    found = people("Tôi biểu dương thành tích của các đồng chí. Mong các đồng chí tiếp tục cố gắng. "
                   "Khen thưởng ông. Sau đó TS. Kha Minh Lộc phát biểu, đ/c Vi Văn Thắm tặng hoa.")
    names = {m.name for m in found}
    assert "Mong" not in names and "Sau" not in names
    assert {"Kha Minh Lộc", "Vi Văn Thắm"} <= names


def test_titles_chained_with_a_dash_after_an_unread_body():
    found = people("Có mặt đồng chí Phí Văn Hậu, Bí thư chi bộ - Giám đốc Trung tâm; đồng chí Lã Thị Hồng, "
                   "Phó Giám đốc Trung tâm - Chủ tịch Công đoàn cơ sở.")
    assert {t for t, _ in positions(found, "Phí Văn Hậu")} == {"Bí thư", "Giám đốc"}
    assert {t for t, _ in positions(found, "Lã Thị Hồng")} == {"Phó Giám đốc", "Chủ tịch"}


def test_a_weak_list_cue_takes_only_full_three_word_names():
    found = people("Huyện có 5 xã đạt chuẩn, gồm: Đồng Lạc, Trung Hòa, Minh Tân. "
                   "Các hộ vi phạm gồm: Khổng Văn Tư, Mạc Thị Lành.")
    assert {m.name for m in found} == {"Khổng Văn Tư", "Mạc Thị Lành"}


def test_a_title_glued_to_the_name_by_a_hyphen():
    found = people("Thượng tá Ninh Văn Khởi-Trưởng Công an huyện Yên Thế cho hay sẽ xử lý nghiêm.")
    assert [m.name for m in found] == ["Ninh Văn Khởi"]
    assert {t for t, _ in positions(found, "Ninh Văn Khởi")} == {"Trưởng"}


def test_country_after_a_former_title():
    found = people("Cựu Tổng thống Pháp Jacques Morel tới thăm Hà Nội.")
    assert [m.name for m in found] == ["Jacques Morel"]


def test_foreign_names_in_a_semicolon_list_keep_the_cue_strength():
    found = people("Cùng đi có các đồng chí Bounmy Phetsavong, Ủy viên Trung ương Đảng, Bộ trưởng Bộ Tài chính; "
                   "Khamla Vongsay, Thứ trưởng Bộ Ngoại giao; Somphone Keola, Đại sứ Lào tại Campuchia; "
                   "Vanhxay Sisouk, Thứ trưởng Bộ Nội vụ.")
    names = {m.name for m in found}
    assert {"Bounmy Phetsavong", "Khamla Vongsay", "Somphone Keola", "Vanhxay Sisouk"} <= names
    assert positions(found, "Khamla Vongsay") == {("Thứ trưởng", "Bộ Ngoại giao")}
    assert positions(found, "Vanhxay Sisouk") == {("Thứ trưởng", "Bộ Nội vụ")}  # after the unread "tại Campuchia"
    assert all(m.foreign for m in found)


def test_a_title_after_a_foreign_name_confirms_a_weak_cue():
    found = people("Ông Phonsay Keomany, Bộ trưởng Bộ Công Thương cho biết. Ông Hai Lúa bán hàng ở chợ.")
    assert [m.name for m in found] == ["Phonsay Keomany"]
    assert positions(found, "Phonsay Keomany") == {("Bộ trưởng", "Bộ Công Thương")}


def test_ethnic_minority_names_and_birth_year_forms():
    found = people("Lực lượng bắt 3 đối tượng: Thào A Chinh (SN 1985), Tòng Văn Khiêm (Sn 1992), Giàng Thị Mỷ, "
                   "(SN 1990) và Sùng Seo Pà (sinh năm 1988) cùng tang vật.")
    assert {"Thào A Chinh", "Tòng Văn Khiêm", "Giàng Thị Mỷ", "Sùng Seo Pà"} <= {m.name for m in found}


def test_suspects_and_victims_introduce_full_names():
    found = people("Đối tượng Hờ A Lử (trái) và Vừ A Dình (phải) tại cơ quan điều tra. Nạn nhân Lầu Thị Sua cho biết, "
                   "nghi can Phàn Văn Tềnh đã bỏ trốn. Đối tượng Hà Nội bị xử lý.")
    names = {m.name for m in found}
    assert {"Hờ A Lử", "Vừ A Dình", "Phàn Văn Tềnh"} <= names
    assert "Hà Nội" not in names


def test_a_caption_glued_to_the_next_sentence_does_not_lend_its_first_word():
    found = people("Công an bắt đối tượng trộm xe. Đối tượng Trần Văn Khởi Theo điều tra, Khởi đã lấy 5 xe máy. "
                   "Cháu được đưa vào viện. Bác sĩ thăm cháu Mạc Thị Như Ý Qua lời kể, cháu Ý bị bỏng. "
                   "Bà Tạ Thị Kim Loan phát biểu, bà Loan nói thêm.")
    names = {m.name for m in found}
    assert "Trần Văn Khởi" in names and "Trần Văn Khởi Theo" not in names
    assert "Mạc Thị Như Ý" in names and "Mạc Thị Như Ý Qua" not in names
    assert "Tạ Thị Kim Loan" in names  # a four-word name the article calls by its last word


def test_a_title_followed_by_its_body_name_takes_that_body():
    found = people("Thủ tướng Chính phủ Lê Minh Khôi chủ trì. Phó Chủ tịch Quốc hội Hầu Thị Dung dự. "
                   "Thủ tướng Chính phủ Lào Bounpheng Sisavath tới thăm.")
    assert positions(found, "Lê Minh Khôi") == {("Thủ tướng", "Chính phủ")}
    assert positions(found, "Hầu Thị Dung") == {("Phó Chủ tịch", "Quốc hội")}
    assert {t for t, _ in positions(found, "Bounpheng Sisavath")} == {"Thủ tướng"}


def test_positions_held_now_after_la_but_not_past_ones():
    found = people("Đoàn công tác do đồng chí Đỗ Văn Quý - Ủy viên Ban Chấp hành Trung ương Đảng làm Trưởng đoàn. "
                   "Ông Hứa Văn Tuệ giữ chức vụ Tổng Giám đốc. "
                   "Bà Kiều Thị Nga hiện là Phó Giám đốc Sở Tư pháp. Ông Lục Văn Tài từng là Giám đốc Sở Y tế. "
                   "Từ năm 2005 đến năm 2010, đồng chí Vi Văn Hải là Bí thư Huyện ủy. Từ tháng 3/2012 đến tháng 5/2016, "
                   "ông Chu Văn Lâm là Chánh Thanh tra tỉnh. Từ tháng 6/2016 đến nay, ông Chu Văn Lâm là Cục trưởng "
                   "Cục Thuế. Ông Mạc Văn Đồng làm việc với Chủ tịch UBND huyện.")
    assert {t for t, _ in positions(found, "Đỗ Văn Quý")} == {"Ủy viên"}  # a delegation's head: one task
    assert {t for t, _ in positions(found, "Hứa Văn Tuệ")} == {"Tổng Giám đốc"}
    assert positions(found, "Kiều Thị Nga") == {("Phó Giám đốc", "Sở Tư pháp")}
    assert positions(found, "Lục Văn Tài") == set()
    assert positions(found, "Vi Văn Hải") == set()
    assert positions(found, "Chu Văn Lâm") == {("Cục trưởng", "Cục Thuế")}
    assert positions(found, "Mạc Văn Đồng") == set()


def test_a_date_or_term_in_the_clause_is_no_past_career():
    found = people("Ngày 15/3/2024, ông Kha Văn Tín là Giám đốc Sở Tư pháp. Trong nhiệm kỳ 2020-2025, bà Hà Thị Nhung "
                   "là Chủ tịch Hội Nông dân tỉnh. Trước đây, ông Lò Văn Phấn là Phó Giám đốc Sở Y tế. Năm 1998-2003, "
                   "ông Cầm Văn Khiêm là Bí thư Huyện ủy.")
    assert positions(found, "Kha Văn Tín") == {("Giám đốc", "Sở Tư pháp")}  # a full date dates an event
    assert {t for t, _ in positions(found, "Hà Thị Nhung")} == {"Chủ tịch"}  # the sitting term
    assert positions(found, "Lò Văn Phấn") == set()  # "Trước đây" opening the sentence
    assert positions(found, "Cầm Văn Khiêm") == set()


def test_a_year_is_past_only_before_the_articles_year():
    text = ("Năm 2024, ông Kha Văn Tín là Giám đốc Sở Nội vụ. Năm 2015, ông Lò Văn Phấn là Phó Giám đốc Sở Y tế. "
            "Nhiệm kỳ 2010-2015, ông Cầm Văn Khiêm là Bí thư Huyện ủy.")
    found = extract_all(Article(id="t", title="Tổng kết công tác năm 2024", text=normalize_text(text),
                            sapo="Sáng 12/1, Sở Nội vụ tỉnh tổng kết công tác năm 2024.")).people
    assert positions(found, "Kha Văn Tín") == {("Giám đốc", "Sở Nội vụ")}
    assert positions(found, "Lò Văn Phấn") == set()
    assert positions(found, "Cầm Văn Khiêm") == set()  # a term that has ended


def test_a_name_cut_where_a_caption_is_glued_keeps_its_written_spaces():
    found = people("Công an bắt đối tượng trộm xe. Đối tượng Trần  Văn  Khởi Theo điều tra, Khởi đã lấy 5 xe máy.")
    khoi = next(m for m in found if m.name == "Trần Văn Khởi")
    assert khoi.text == "Trần  Văn  Khởi"


def test_a_long_semicolon_list_is_read_to_its_end():
    # a list longer than Python's recursion limit
    middle = [f"{a}{b}" for a in "BCDGHKLMNPQSTV" for b in ("anh", "inh", "ương", "ơn", "ải", "ùng", "ân", "ũng", "ên")]
    given = ("An", "Hòa", "Tâm", "Lộc", "Phú", "Minh", "Thành", "Phong", "Nam", "Bảo")
    items = "; ".join(f"Lê Văn {m} {g}, Giám đốc Sở Tư pháp" for m in middle for g in given)
    found = people("Dự có các đồng chí: " + items + ".")
    assert len(found) == len(middle) * len(given) > 1000
    assert all(positions([m], m.name) == {("Giám đốc", "Sở Tư pháp")} for m in found)


def test_a_later_mention_takes_the_last_full_name_it_ends():
    found = people("Đại tá Lê Văn Hùng, Trưởng Công an huyện dự họp. Sau đó, Thiếu tá Trần Quốc Hùng báo cáo. "
                   "Đại tá Hùng kết luận. Thiếu tá Quốc Hùng ghi nhận.")
    assert [m.name for m in found] == ["Lê Văn Hùng", "Trần Quốc Hùng", "Trần Quốc Hùng", "Trần Quốc Hùng"]
