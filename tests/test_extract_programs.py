"""Programmes, movements, projects: quoted, numbered, named, period forms; canonical names; generics."""
from __future__ import annotations

from anttkg.extract import dates, programs
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction, OrgMention
from anttkg.text import key


def run(body: str, orgs: tuple[str, ...] = ()) -> list:
    article = Article(id="p", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = dates.find_dates(doc)
    for name in orgs:
        at = doc.text.find(name)
        if at >= 0:
            found.organizations.append(OrgMention(name, name, doc.span(at, at + len(name))))
    return programs.find_programs(doc, found)


def names(found) -> set[str]:
    return {p.name for p in found}


def test_quoted_theme_after_movement_cue_with_launcher():
    found = run("Tỉnh đoàn phát động phong trào thi đua với chủ đề “Thanh niên ANTT xung kích vì cộng đồng” "
                "trong toàn tỉnh.", orgs=("Tỉnh đoàn",))
    assert len(found) == 1
    assert found[0].kind == "movement"
    assert found[0].name == "Thanh niên an ninh trật tự xung kích vì cộng đồng"
    assert found[0].launched_by == "Tỉnh đoàn"


def test_known_movement_spelled_three_ways_is_one_name():
    texts = ["Đẩy mạnh phong trào Toàn dân bảo vệ ANTQ ở cơ sở.",
             "Tuyên dương điển hình phong trào toàn dân BVANTQ năm nay.",
             "Xây dựng phong trào “Toàn dân bảo vệ an ninh Tổ quốc” vững mạnh."]
    got = {key(p.name) for text in texts for p in run(text)}
    assert got == {key("Toàn dân bảo vệ an ninh Tổ quốc")}


def test_numbered_programmes_keep_their_number_and_launcher():
    found = run("Sơ kết Chương trình phối hợp số 14 về công tác dân vận và Đề án 03 của Chính phủ về dữ liệu.",
                orgs=("Chính phủ",))
    got = {p.name: p for p in found}
    assert got["Chương trình phối hợp số 14"].kind == "program"
    assert got["Đề án 03"].kind == "project"
    assert got["Đề án 03"].launched_by == "Chính phủ"


def test_period_form_drops_the_period_and_keeps_years():
    found = run("Triển khai chương trình giảm thiểu tai nạn giao thông trên các tuyến quốc lộ giai đoạn 2021 - 2025 "
                "tại địa phương.")
    assert names(found) == {"Giảm thiểu tai nạn giao thông trên các tuyến quốc lộ"}
    assert (found[0].start_year, found[0].end_year) == (2021, 2025)


def test_quoted_title_starting_with_its_cue():
    found = run("Hội nghị tổng kết “Chương trình phối hợp bảo vệ an ninh tuyến biên giới (ANBG) vùng Tây Bắc”, "
                "giai đoạn 2017-2022.")
    assert names(found) == {"Chương trình phối hợp bảo vệ an ninh tuyến biên giới vùng Tây Bắc"}
    assert found[0].start_year == 2017


def test_generic_mentions_are_not_programmes():
    found = run("Triển khai chương trình công tác năm 2024, các phong trào thi đua yêu nước, "
                "Chương trình phối hợp giai đoạn 2019-2023 và chương trình phối hợp giữa hai ngành "
                "giai đoạn 2020-2025; xem chương trình 2 giờ.")
    assert found == []


def test_agenda_curriculum_and_show_compounds_are_no_programmes():
    found = run("Hai bên thống nhất chương trình nghị sự “Hợp tác an ninh khu vực trong tình hình mới”, "
                "rà soát chương trình đào tạo giai đoạn 2018 - 2022 và xem chương trình truyền hình “Góc phố "
                "bình yên” trên sóng địa phương. Tỉnh thực hiện chương trình “Camera an ninh khu dân cư”.")
    assert names(found) == {"Camera an ninh khu dân cư"}


def test_quoted_headline_starting_with_an_agenda_word_is_no_programme():
    found = run("Tờ báo đăng bài “Chương trình nghị sự của hai bộ trưởng hướng tới hợp tác sâu hơn”.")
    assert found == []


def test_sentence_full_stop_inside_the_quotes_is_not_part_of_the_name():
    found = run("Huyện phát động phong trào “Mỗi khu phố một tổ tuần tra.” trong tháng này.")
    assert names(found) == {"Mỗi khu phố một tổ tuần tra"}


def test_capitalised_movement_word_inside_a_sentence_names_an_organisation():
    found = run("Liên minh cầm quyền gồm đảng cánh hữu và Phong trào Công dân Tự do (CTD) đã thắng cử. "
                "Phong trào Bình yên Khu phố được phát động ở phường.")
    assert names(found) == {"Bình yên Khu phố"}  # the second one opens its sentence


def test_well_known_lowercase_movement_names_after_the_cue():
    found = run("Lực lượng công an đẩy mạnh phong trào quần chúng bảo vệ ANTQ ở cơ sở, gắn với chương trình "
                "xây dựng nông thôn mới.")
    assert names(found) == {"Quần chúng bảo vệ an ninh Tổ quốc", "Xây dựng nông thôn mới"}


def test_capitalised_project_cue_inside_a_sentence_still_names_a_project():
    found = run("Tỉnh tiếp tục thực hiện Đề án Phát triển lực lượng bảo vệ dân phố giai đoạn 2021 - 2025.")
    assert names(found) == {"Phát triển lực lượng bảo vệ dân phố"}


def test_a_cue_word_closing_a_quotation_opens_no_quoted_name():
    found = run("Ông nói: “Việc này phải làm thật, không chỉ là phong trào”. Sau đó, “các tổ tự quản” được "
                "kiện toàn.")
    assert found == []


def test_capitalised_project_cue_titles_the_lower_case_name_after_it():
    names = [p.name for p in run("Hội nghị thống nhất định hướng xây dựng Đề án kiện toàn tổ chức bộ máy Sở Tư pháp "
                                 "tinh gọn, hoạt động hiệu quả.")]
    assert names == ["Kiện toàn tổ chức bộ máy Sở Tư pháp tinh gọn"]
    names = [p.name for p in run("Tỉnh đã lập Đề án kết nối giao thông và tăng cường vận tải hàng hóa hai chiều "
                                 "giai đoạn 2021-2025.")]
    assert names == ["Kết nối giao thông và tăng cường vận tải hàng hóa hai chiều"]


def test_lower_case_words_after_a_project_cue_that_name_nothing():
    assert run("Đề án cụ thể sẽ được trình vào tháng sau. Tỉnh trình Đề án quản lý, nhận diện hàng hóa.") == []
    assert run("đề án tăng cường quản lý phương tiện sẽ được xem xét.") == []  # no capital: no title
    assert run("Các bộ thực hiện Đề án tổng kết 15 năm thực hiện nghị quyết.") == []


def test_a_lower_case_title_stops_at_a_listed_word_and_a_qualifying_word_titles_nothing():
    names = [p.name for p in run("Sở đã hoàn thiện Đề án phát triển du lịch cộng đồng vùng cao tầm nhìn đến "
                                 "năm 2035.")]
    assert names == ["Phát triển du lịch cộng đồng vùng cao"]
    assert run("Huyện xây dựng Đề án riêng cho từng xã vùng cao.") == []


def test_long_unpunctuated_runs_after_project_cues_complete():
    assert len(run("Tỉnh xây dựng Đề án kiện toàn tổ chức bộ máy " * 2000)) == 1
    # a capitalised name with no stop in a name's reach is none; the last one ends with the text
    assert len(run("Tỉnh xây dựng Đề án Kiện Toàn Tổ Chức Bộ Máy " * 2000)) == 1
