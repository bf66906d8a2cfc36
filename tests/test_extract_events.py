"""Events: dated lead sentences, held events, later mentions, document dates and anniversaries."""
from __future__ import annotations

from anttkg.extract import dates, events
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, DateValue, Extraction, OrgMention, PersonMention, PlaceMention


def run(body: str, published: str | None = "2021-10-16", orgs=(), places=(), people=()) -> list:
    article = Article(id="e", title="Tin", text=body, published=published)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = dates.find_dates(doc)
    found.reference_year = dates.reference_year(doc, found.dates)

    def spans(name):
        at = doc.text.find(name)
        while at >= 0:
            yield doc.span(at, at + len(name))
            at = doc.text.find(name, at + 1)
    found.organizations = [OrgMention(n, n, s) for n in orgs for s in spans(n)]
    found.places = [PlaceMention(n, n, s) for n in places for s in spans(n)]
    found.people = [PersonMention(n, n, s) for n in people for s in spans(n)]
    return events.find_events(doc, found)


def test_lead_sentence_event_with_place_organiser_chair_attendees_speaker():
    body = ("Sáng 15/10, tại Đà Nẵng, Công an thành phố tổ chức Hội nghị sơ kết công tác phòng cháy. "
            "Đại tá Võ Văn Bình chủ trì Hội nghị. Dự Hội nghị có ông Lê Trung Hải. "
            "Phát biểu tại Hội nghị, ông Lê Trung Hải đánh giá cao kết quả.")
    found = run(body, orgs=("Công an thành phố",), places=("Đà Nẵng",), people=("Võ Văn Bình", "Lê Trung Hải"))
    assert len(found) == 1  # later "tại Hội nghị" mentions are the same event
    event = found[0]
    assert event.kind == "conference"
    assert event.date == DateValue(2021, 10, 15)
    assert event.name.startswith("Hội nghị sơ kết công tác phòng cháy")
    assert event.places == ("Đà Nẵng",)
    assert event.organizers == ("Công an thành phố",)
    assert "Võ Văn Bình" in event.chairs
    assert "Lê Trung Hải" in event.attendees
    assert "Lê Trung Hải" in event.speakers


def test_prefixed_lead_and_year_in_date():
    found = run("(TTXVN) Ngày 02/12/2020, Bộ Công an tổ chức Lễ kỷ niệm 75 năm Ngày truyền thống lực lượng.")
    assert [(e.kind, e.date) for e in found] == [("ceremony", DateValue(2020, 12, 2))]


def test_document_dates_and_anniversaries_are_not_event_dates():
    body = ("Thực hiện Kế hoạch số 19/KH-BCA ngày 2/3/2021, Công an tỉnh tổ chức hội nghị trực tuyến. "
            "Lễ kỷ niệm ngày truyền thống (19/8/1945 - 19/8/2021) được tổ chức trang trọng.")
    found = run(body)
    assert all(e.date is None for e in found)


def test_date_after_trigger_and_time_adverbial():
    found = run("Hội thảo khoa học về an ninh mạng diễn ra ngày 22/9 tại Hà Nội.")
    assert found and found[0].date == DateValue(2021, 9, 22)
    found = run("Tiếp tục chuyến công tác, chiều 4/10, Thứ trưởng dẫn đầu đoàn đến thăm và làm việc với "
                "Công an tỉnh.")
    assert [e.kind for e in found] == ["visit"]
    assert found[0].date == DateValue(2021, 10, 4)


def test_year_less_event_stays_month_day_without_reference_year():
    found = run("Chiều 7/5, Công an huyện tổ chức lễ ra quân trấn áp tội phạm.", published=None)
    assert found[0].date == DateValue(None, 5, 7)


def test_not_events():
    found = run("Ông Nam tiếp tục công tác. Quốc hội thảo luận dự luật. Tại Trung tâm Hội nghị tỉnh có triển "
                "lãm ảnh. Phần lễ gồm dâng hương.")
    assert found == []


def test_date_after_a_long_name_with_a_hold_cue_and_many_repeated_triggers_stays_linear():
    name = "Hội nghị " + "bàn về công tác phối hợp giữa các lực lượng " * 4
    found = run(name + "được tổ chức vào ngày 12/9 tại Hải Phòng.", places=("Hải Phòng",))
    assert [e.date for e in found] == [DateValue(2021, 9, 12)]
    import time
    # Thousands of triggers before a date with no cue: each trigger looks for a cue before that date.
    long_sentence = "Hội nghị " * 3000 + "và báo cáo ngày 12/9."
    began = time.process_time()
    assert run(long_sentence) == []
    assert time.process_time() - began < 3  # was quadratic (about 10 s)


def test_organising_as_a_noun_or_a_committee_title_holds_no_event():
    body = ("Các địa phương cần kiểm tra hoạt động tổ chức lễ hội, xử lý nghiêm vi phạm. "
            "Chiều 3/2, ông Trần Văn Khải, Trưởng Ban tổ chức (BTC) lễ hội đua thuyền cho biết sẽ tăng thêm "
            "lực lượng bảo vệ.")
    assert run(body) == []


def test_an_opening_hour_between_the_hold_verb_and_the_date_keeps_the_opening_date():
    body = "Năm nay, Hội thi dân quân giỏi của tỉnh sẽ khai mạc vào lúc 7h30 ngày 21/4 và bế mạc ngày 23/4."
    assert [e.date for e in run(body)] == [DateValue(2021, 4, 21)]


def test_an_occasion_called_off_is_not_held():
    body = "Chiều 9/2, huyện thông báo tạm dừng tổ chức lễ hội đua ghe năm nay vì mưa lũ."
    assert run(body) == []


def test_not_only_holding_is_still_holding():
    body = "Sáng 12/9, xã không chỉ tổ chức Lễ ra quân mà còn ra mắt tổ an ninh tự quản."
    assert [e.date for e in run(body)] == [DateValue(2021, 9, 12)]


def test_review_meeting_trigger_and_name_ends_at_the_main_clause():
    found = run("Ngày 12/7, tại buổi sơ kết công tác phòng chống buôn lậu, Ban Chỉ đạo tỉnh cho biết kết quả.")
    assert len(found) == 1 and found[0].date == DateValue(2021, 7, 12)
    assert found[0].name == "Buổi sơ kết công tác phòng chống buôn lậu"


def test_body_named_in_a_position_does_not_organise_the_event():
    text = "Sáng 4/5, Đại tướng Ngô Văn Lâm, Ủy viên Bộ Chính trị, Bộ Công an tổ chức hội nghị tổng kết."
    article = Article(id="e", title="Tin", text=text, published="2021-10-16")
    from anttkg.extract import extract
    found = extract(article)
    assert found.events and "Bộ Chính trị" not in found.events[0].organizers


def test_headline_event_takes_the_date_of_the_lead_that_reports_it():
    article = Article(id="e", title="Công an tỉnh Kon Tum tổ chức Hội nghị tổng kết công tác năm",
                      text="Ngày 9/12, Công an tỉnh Kon Tum tổ chức hội nghị tổng kết công tác năm 2020.",
                      published=None)
    from anttkg.extract import extract
    found = extract(article).events
    assert len(found) == 1 and found[0].date == DateValue(2020, 12, 9)


def test_dated_work_verb_is_a_meeting_and_later_mentions_are_the_same():
    body = ("Ngày 4/9, Đoàn công tác của Bộ Nội vụ đã làm việc với Ban Thường vụ Tỉnh ủy Hòa Sơn. "
            "Tại buổi làm việc, ông Trần Văn Khải báo cáo tình hình.")
    found = run(body, orgs=("Bộ Nội vụ", "Ban Thường vụ Tỉnh ủy Hòa Sơn"), people=("Trần Văn Khải",))
    assert [(e.kind, e.date) for e in found] == [("meeting", DateValue(2021, 9, 4))]
    assert found[0].name == "Buổi làm việc với Ban Thường vụ Tỉnh ủy Hòa Sơn"
    assert found[0].organizers == ("Bộ Nội vụ",)


def test_dated_organised_commendation_and_visit_verbs():
    found = run("Chiều 3/6, UBND tỉnh Hòa Sơn tổ chức khen thưởng, tặng bằng khen cho 2 tập thể.",
                orgs=("UBND tỉnh Hòa Sơn",))
    assert [(e.kind, e.date, e.organizers) for e in found] == [
        ("ceremony", DateValue(2021, 6, 3), ("UBND tỉnh Hòa Sơn",))]
    found = run("Chiều 2-6, Bí thư Tỉnh ủy cùng đoàn công tác có mặt tại trụ sở Công an tỉnh Hòa Sơn thăm, "
                "động viên cán bộ, chiến sĩ.", orgs=("Công an tỉnh Hòa Sơn",), places=("Hòa Sơn",))
    assert [(e.kind, e.date) for e in found] == [("visit", DateValue(2021, 6, 2))]
    assert found[0].places == ("Hòa Sơn",)  # named in the venue the visit was held at
    assert found[0].organizers == ()  # the body whose seat it is organises nothing


def test_reception_verb_needs_a_named_guest():
    found = run("Sáng 7/5, tại Hà Nội, Bộ trưởng Lê Minh Đức đã tiếp ngài Paul Martin, Đại sứ Canada.",
                places=("Hà Nội",), people=("Lê Minh Đức",))
    assert [(e.kind, e.date, e.places) for e in found] == [("meeting", DateValue(2021, 5, 7), ("Hà Nội",))]
    assert run("Sáng 7/5, Công an huyện tiếp nhận đơn trình báo của người dân.") == []


def test_event_verbs_without_an_opening_date_or_reported_or_in_background_make_no_event():
    assert run("Đoàn công tác đã làm việc với Ban Thường vụ Tỉnh ủy Hòa Sơn.") == []
    assert run("Ngày 5/6, ông Nguyễn Văn Tám cho biết đoàn sẽ làm việc với Sở Y tế.") == []
    assert run("Ngày 5/6, sau một tháng làm việc với tinh thần khẩn trương, tổ công tác đã hoàn thành.") == []
    assert run("Ngày 9/7, Bộ trưởng Ngoại giao nước bạn đang ở thăm Hà Nội đã trả lời báo chí.") == []
    assert run("Theo báo Tin Mới ngày 20/6, hai bên đã có cuộc gặp riêng để bàn về hợp tác.") == []
    assert run("Tính đến sáng ngày 6/2/2021, công ty đã tổ chức trao thưởng cho 11 khách hàng.") == []


def test_session_noun_name_stops_before_the_hold_verb():
    body = ("Ngày 9/9, Thủ tướng nước bạn dẫn đầu Đoàn đại biểu tới dự Kỳ họp lần thứ 12 Ủy ban hợp tác "
            "hai nước được tổ chức tại Hà Nội.")
    found = run(body, places=("Hà Nội",))
    assert [(e.kind, e.date, e.places) for e in found] == [("meeting", DateValue(2021, 9, 9), ("Hà Nội",))]
    assert found[0].name == "Kỳ họp lần thứ 12 Ủy ban hợp tác hai nước"


def test_headline_event_takes_place_from_the_lead_that_dates_it():
    body = ("Đảng ủy Khối tổ chức hội nghị sơ kết công tác\n\n"
            "Ngày 8/6, tại Hà Nội, Đảng ủy Khối tổ chức Hội nghị sơ kết công tác 6 tháng.")
    found = run(body, orgs=("Đảng ủy Khối",), places=("Hà Nội",))
    assert [(e.date, e.places, e.organizers) for e in found] == [
        (DateValue(2021, 6, 8), ("Hà Nội",), ("Đảng ủy Khối",))]


def test_photo_credit_agency_organises_nothing():
    body = "Ảnh: Minh Anh/TTXVN  Ngày 28/6, tại buổi sơ kết công tác, ông Lê Văn Tư cho biết kết quả."
    found = run(body, orgs=("TTXVN",), people=("Lê Văn Tư",))
    assert [(e.date, e.organizers) for e in found] == [(DateValue(2021, 6, 28), ())]


def test_only_a_headline_or_lead_event_takes_the_date_of_a_later_one():
    body = ("Hội Nông dân xã Tân Lập triển khai vụ mùa.\n\n"
            "Trước đó, Đoàn thanh niên tổ chức hội nghị tập huấn kỹ năng số.\n\n"
            "Sáng 20/10, Sở Y tế tỉnh Hòa Sơn tổ chức Hội nghị tổng kết công tác phòng dịch.")
    found = run(body)
    assert [(e.name, e.date) for e in found] == [
        ("Hội nghị tập huấn kỹ năng số", None),
        ("Hội nghị tổng kết công tác phòng dịch", DateValue(2021, 10, 20))]
    found = run("Đoàn thanh niên tổ chức hội nghị tập huấn kỹ năng số\n\n"
                "Sáng 20/10, Đoàn thanh niên tổ chức Hội nghị tập huấn kỹ năng số cho cán bộ.")
    assert [e.date for e in found] == [DateValue(2021, 10, 20)]  # the headline's event, dated by the lead


def test_name_stop_words_end_an_all_caps_name():
    found = run("Sáng 12/3, tỉnh tổ chức HỘI NGHỊ TỔNG KẾT CÔNG TÁC AN NINH TẠI HÒA SƠN.")
    assert [e.name for e in found] == ["HỘI NGHỊ TỔNG KẾT CÔNG TÁC AN NINH"]
    found = run("Sáng 12/3, tỉnh tổ chức Hội nghị tổng kết, Sở Tư pháp Hòa Sơn chủ trì.")
    assert [e.name for e in found] == ["Hội nghị tổng kết"]  # ", " + capital still opens the main clause


def test_place_inside_any_listed_venue():
    found = run("Sáng 5/4, tại Nhà văn hóa huyện Hòa Sơn, Hội Nông dân tổ chức Hội nghị tập huấn kỹ thuật.",
                places=("Hòa Sơn",), orgs=("Hội Nông dân",))
    assert [(e.places, e.organizers) for e in found] == [(("Hòa Sơn",), ("Hội Nông dân",))]


def test_a_reporting_or_background_cue_blocks_every_later_event_verb():
    assert run("Ngày 5/6, khi Đoàn công tác làm việc với Sở Y tế, Bộ trưởng Lê Văn Ba cũng thăm, "
               "động viên cán bộ y tế.") == []
    found = run("Ngày 5/6, Đoàn công tác làm việc với Sở Y tế; Bộ trưởng cho biết sẽ thăm Hòa Sơn.")
    assert [(e.kind, e.name) for e in found] == [("meeting", "Buổi làm việc với Sở Y tế")]


def test_long_runs_of_dated_event_verbs_and_events_complete():
    body = "Sáng 3/6, Đoàn công tác làm việc với Ban Thường vụ tỉnh và thăm hỏi nhân dân, " * 1500 + "."
    assert len(run(body)) == 1
    body = " ".join(f"Sáng {d}/{m}, tỉnh tổ chức Hội nghị số {d}. Ông Lê Văn Ba dự."
                    for m in range(1, 13) for d in range(1, 29))
    assert len(run(body, people=("Lê Văn Ba",))) == 12 * 28


# Dated happenings: the days an article's clauses are timed by, when no occasion or incident has them.

def _example_rows(name: str) -> list[dict[str, str]]:
    import csv
    from pathlib import Path
    path = Path(__file__).parent / "examples" / name
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


HAPPENINGS = _example_rows("happenings.tsv")
NOT_HAPPENINGS = _example_rows("happenings-negative.tsv")


def happenings_of(text: str, published: str | None = None):
    from anttkg.extract import extract
    found = extract(Article(id="h", title="Tin tức", text=text, published=published))
    return [e for e in found.events if e.kind in ("statement", "event")], found


def test_happening_examples_cover_both_kinds():
    assert {row["kind"] for row in HAPPENINGS} == {"statement", "event"}
    assert len(NOT_HAPPENINGS) >= 8


import pytest  # noqa: E402  (the parametrised tests below)


@pytest.mark.parametrize("row", HAPPENINGS, ids=[row["id"] for row in HAPPENINGS])
def test_a_day_that_times_a_clause_dates_a_happening(row):
    found, _ = happenings_of(row["text"])
    assert [(e.kind, e.date.iso()) for e in found] == [(row["kind"], row["date"])] * int(row["count"]), row["text"]


@pytest.mark.parametrize("row", NOT_HAPPENINGS, ids=[row["id"] for row in NOT_HAPPENINGS])
def test_bounds_deadlines_births_documents_and_taken_days_are_no_happening(row):
    found, _ = happenings_of(row["text"])
    assert found == [], row["why"]


def test_a_statement_keeps_its_speaker_and_the_incident_it_reports_keeps_its_own_day():
    text = ("Ngày 12/6, đại tá Hoàng Văn Lâm, Trưởng Công an huyện Yên Thế, cho biết tối 10/6, hai đối tượng đã "
            "cướp xe máy của một người bán hàng.")
    found, extraction = happenings_of(text)
    assert [(e.kind, e.date.iso()) for e in found] == [("statement", "--06-12")]
    assert "Hoàng Văn Lâm" in found[0].speakers
    assert [(i.kind, i.date.iso()) for i in extraction.incidents] == [("crime", "--06-10")]


def test_one_happening_a_day_and_the_publication_year_only():
    text = "Sáng 4/5, ông Trần Văn Nam cho biết nước đã rút. Chiều 4/5, người dân trở về nhà. Năm 2015, xã bị ngập."
    found, _ = happenings_of(text)
    assert [e.date.iso() for e in found] == ["--05-04"]
    found, _ = happenings_of(text, published="2023-05-05")
    assert [e.date.iso() for e in found] == ["2023-05-04"]
