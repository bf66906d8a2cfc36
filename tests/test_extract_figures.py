"""Figures: reported quantities with a unit noun; not years, dates, codes or ordinals."""
from __future__ import annotations

from anttkg.extract.context import ArticleText
from anttkg.extract import dates, documents, figures, numbers, programs
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction


def run(body: str, with_organizations: bool = False) -> list:
    article = Article(id="f", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = dates.find_dates(doc)
    found.reference_year = dates.reference_year(doc, found.dates)
    found.numbers = numbers.find_numbers(doc)
    if with_organizations:
        from anttkg.extract import organizations
        found.organizations = organizations.find_organizations(doc)
    found.documents = documents.find_documents(doc, found)
    found.programs = programs.find_programs(doc, found)
    return figures.find_figures(doc, found)


def test_counted_nouns_and_multipliers():
    got = {(f.value, f.unit) for f in run(
        "Toàn tỉnh có 236 mô hình tự quản, 1.045 tổ tự quản và gần 410 nghìn gia đình ký cam kết; "
        "tổ chức 57 buổi tuyên truyền tại 19 điểm cầu.")}
    assert {(236, "mô hình"), (1045, "tổ tự quản"), (410000, "gia đình"), (57, "buổi tuyên truyền"),
            (19, "điểm cầu")} <= got


def test_percent_and_combined_units():
    got = {(f.value, f.unit) for f in run("Có 91% khu dân cư đạt chuẩn; 42 tỉnh, thành phố tham gia.")}
    assert (91, "%") in got
    assert (42, "tỉnh, thành phố") in got


def test_years_dates_codes_and_ordinals_are_not_figures():
    got = {f.value for f in run(
        "Năm 2021, ngày 12/3/2021, Đại hội lần thứ 15 theo Kế hoạch số 77/KH-CAT, "
        "ông A 45 tuổi, sau 5 năm thực hiện.")}
    assert not got & {2021, 12, 15, 77, 45, 5}


def test_money_figure():
    got = {(f.value, f.unit) for f in run("Thu giữ tài sản trị giá 3,2 tỷ đồng.")}
    assert (3200000000, "đồng") in got


def test_rates_are_read_with_both_units():
    got = {(f.value, f.unit) for f in run(
        "Giá bán lẻ tăng 1.200 đồng/lít; xe chạy 90 km/h; công ty nộp 3 tỷ đồng tiền thuế và vận chuyển 12 tấn hàng.")}
    assert got == {(1200, "đồng/lít"), (90, "km/h"), (3_000_000_000, "đồng"), (12, "tấn")}


def test_a_measure_per_a_number_and_a_duration_are_no_quantities():
    got = {(f.value, f.unit) for f in run("Xe tiêu thụ 6 lít/100 km, chạy trong 3 giờ, lúc 7 giờ sáng.")}
    assert got == set()


def test_any_noun_counts_and_a_sum_in_millions_is_in_dong():
    got = {(f.value, f.unit) for f in run(
        "Đối tượng chém 3 nhát vào người anh H., lấy 188 đồ vật. Gia đình mới hỗ trợ 20 triệu.")}
    assert got == {(3, "nhát"), (188, "đồ vật"), (20_000_000, "đồng")}


def test_an_anniversary_counts_its_years_but_a_duration_does_not():
    got = {(f.value, f.unit) for f in run(
        "Trường tổ chức Lễ kỷ niệm 45 năm thành lập; chào mừng 70 năm Ngày truyền thống lực lượng. "
        "Ông công tác 30 năm trong ngành, bị phạt 7 năm tù.")}
    assert got == {(45, "năm"), (70, "năm")}


def test_police_work_counts_of_people_goods_and_groups():
    got = {(f.value, f.unit) for f in run(
        "Lực lượng huy động 150 cảnh sát, triệt phá 4 đường dây, 9 ổ nhóm, thu 310 con dấu và 6 thùng pháo.")}
    assert got == {(150, "cảnh sát"), (4, "đường dây"), (9, "ổ nhóm"), (310, "con dấu"), (6, "thùng")}


def test_a_count_after_a_slash_counts_but_codes_dates_and_rates_do_not():
    got = {(f.value, f.unit) for f in run(
        "Công an huyện khởi tố 7 vụ/13 bị can, xử lý 2.150 vụ/884 đối tượng theo Kế hoạch 215/KH-CAH "
        "ngày 4/9/2020; xe tiêu thụ 8 lít/100 km, vé 150.000 đồng/1 người, bình quân 12,5 hành khách/1 chuyến.")}
    assert {(7, "vụ"), (13, "bị can"), (2150, "vụ"), (884, "đối tượng")} <= got
    assert not {v for v, _ in got} & {215, 4, 9, 2020, 100, 1, 8, 150000}


def test_units_glued_to_the_number():
    got = {(f.value, f.unit) for f in run(
        "Khu bảo tồn rộng 48.215ha, cách biên giới 12km; thu giữ 35kg pháo và căn nhà 120m2. Mạng 5G phủ sóng.")}
    assert {(48215, "ha"), (12, "km"), (35, "kg"), (120, "m2")} <= got
    assert 5 not in {v for v, _ in got}


def test_the_lower_bound_of_a_range_takes_the_unit_and_multiplier_of_the_upper():
    got = {(f.value, f.unit) for f in run(
        "Dự kiến đón 240.000-260.000 người, khoảng 2-2,4 triệu lượt khách; huy động từ 3 đến 4 nghìn "
        "đoàn viên và từ 600 đến 1 triệu hội viên; tỷ lệ đạt 85-90%.")}
    assert {(240000, "người"), (260000, "người"), (2_000_000, "lượt khách"), (2_400_000, "lượt khách"),
            (3000, "đoàn viên"), (4000, "đoàn viên"), (600, "hội viên"), (1_000_000, "hội viên"),
            (85, "%"), (90, "%")} <= got


def test_scores_periods_and_dates_are_no_ranges():
    got = {f.value for f in run(
        "Đội nhà thắng với tỷ số 3-1 đội khách. Giai đoạn 2021-2025 giải quyết dứt điểm. "
        "Từ ngày 5-7/8, đoàn kiểm tra 6 xã; xe tăng tốc từ 0-100 km.")}
    assert got == {6}


def test_a_price_range_per_unit_is_a_rate_for_both_bounds():
    got = {(f.value, f.unit) for f in run(
        "Giá đất tăng từ 300.000 đồng đến 450.000 đồng/m2, gạch 2.000 - 2.500 đồng/viên; tổng 4 tỷ đồng.")}
    assert got == {(300_000, "đồng"), (450_000, "đồng/m2"), (2000, "đồng/viên"), (2500, "đồng/viên"),
                   (4_000_000_000, "đồng")}


def test_comrades_and_compatriots_are_no_money():
    got = {(f.value, f.unit) for f in run(
        "Hội nghị có 35 đồng chí dự, 02 đồng chí vắng; thăm 120 đồng bào, đồng thời trao 50 triệu đồng.")}
    assert got == {(35, "đồng chí"), (2, "đồng chí"), (120, "đồng bào"), (50_000_000, "đồng")}


def test_numbers_in_names_are_no_figures():
    got = {(f.value, f.unit) for f in run(
        "Ban Chỉ đạo 127 tỉnh và Ban Chỉ đạo 127 Quốc gia làm việc với Đoàn 615, Trung đoàn 48 "
        "về Chỉ thị 08; Đề án 09 triển khai tại 14 xã.", with_organizations=True)}
    assert got == {(14, "xã")}


def test_a_decimal_split_by_a_stray_space_is_not_read_as_its_tail():
    got = {(f.value, f.unit) for f in run("Phát hiện 15 vụ, thu giữ hàng hóa trị giá 31, 457 tỷ đồng.")}
    assert got == {(15, "vụ")}
    got = {(f.value, f.unit) for f in run("Hỗ trợ các mức 5, 10, 150 triệu đồng; thu giữ 1, 250 kg.")}
    assert got == {(150_000_000, "đồng"), (250, "kg")}


def test_score_words_rule_out_a_range_but_a_rate_does_not():
    got = {(f.value, f.unit) for f in run(
        "Đội nhà thắng 1-2 điểm trước 5.000 người; tỷ lệ bao phủ đạt 70-80% dân số.")}
    assert got == {(5000, "người"), (70, "%"), (80, "%")}  # "thắng 1-2" is a score: neither bound counts


def test_a_reading_beyond_64_bit_integers_is_a_typo_not_a_figure():
    found = run("Số tiền là 25.873.329.250 tỷ đồng; công an đã bắt 3 đối tượng.")
    assert 25873329250 * 10 ** 9 not in {f.value for f in found}
    assert (3, "đối tượng") in {(f.value, f.unit) for f in found}


def test_a_count_after_a_committee_of_bodies_is_a_figure_but_a_unit_number_is_a_name():
    got = {(f.value, f.unit) for f in run("Đoàn Thanh niên 28 tỉnh, thành phố dự. Trung đoàn 20 có 40 chiến sĩ.")}
    assert (28, "tỉnh, thành phố") in got
    assert not any(value == 20 for value, _ in got)
