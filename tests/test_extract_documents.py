"""Documents: type, number as written, date, issuer (text, then code), subject; precision on look-alikes."""
from __future__ import annotations

from anttkg.extract import dates, documents
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, DateValue, Extraction, OrgMention


def run(body: str, orgs: tuple[str, ...] = (), published: str | None = "2021-06-01") -> list:
    article = Article(id="d", title="Tin", text=body, published=published)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.dates = dates.find_dates(doc)
    found.reference_year = dates.reference_year(doc, found.dates)
    for name in orgs:  # hand-made organisation mentions, as the organisation extractor would give
        at = doc.text.find(name)
        while at >= 0:
            found.organizations.append(OrgMention(name, name, doc.span(at, at + len(name))))
            at = doc.text.find(name, at + 1)
    return documents.find_documents(doc, found)


def by_number(found):
    return {d.number: d for d in found}


def test_full_reference_with_date_issuer_and_subject():
    found = by_number(run("Thực hiện Kế hoạch số 145/KH-BCĐ ngày 12/4/2021 của Ban Chỉ đạo tỉnh Nam Định "
                          "về tổ chức Ngày hội, Công an tỉnh triển khai.", orgs=("Ban Chỉ đạo tỉnh Nam Định",)))
    doc = found["145/KH-BCĐ"]
    assert doc.doc_type == "Kế hoạch"
    assert doc.date == DateValue(2021, 4, 12)
    assert doc.issuer == "Ban Chỉ đạo tỉnh Nam Định"
    assert doc.subject.startswith("tổ chức Ngày hội")


def test_numbers_without_so_and_party_style_codes():
    found = by_number(run("Quán triệt Kế hoạch 207 của Đảng ủy và Chỉ thị 17-CT/TW, Nghị định 144/2021/NĐ-CP."))
    assert found["207"].doc_type == "Kế hoạch"
    assert found["17-CT/TW"].doc_type == "Chỉ thị"
    assert found["17-CT/TW"].issuer is None  # TW alone does not say which central body
    assert found["144/2021/NĐ-CP"].issuer == "Chính phủ"


def test_issuer_from_unambiguous_code():
    found = by_number(run("Bộ trưởng ký Quyết định số 4120/QĐ-BCA-X01 và Thông tư 15/2019/TT-BCA."))
    assert found["4120/QĐ-BCA-X01"].issuer == "Bộ Công an"
    assert found["15/2019/TT-BCA"].doc_type == "Thông tư"


def test_named_law_and_guidance_and_resolution_with_issuer_name():
    found = by_number(run("Theo Luật Cư trú số 68/2020/QH14, Hướng dẫn số 09/HD-BCĐ và "
                          "Nghị quyết số 36 của Bộ Chính trị."))
    assert found["68/2020/QH14"].doc_type == "Luật"
    assert found["68/2020/QH14"].issuer == "Quốc hội"
    assert found["09/HD-BCĐ"].doc_type == "Hướng dẫn"
    assert found["36"].issuer == "Bộ Chính trị"


def test_look_alikes_are_not_documents():
    found = run("Kết luận 3 vấn đề lớn; kế hoạch 2022 của xã; theo quy định tại khoản 2 Điều 5; "
                "Nghị quyết 2019 được thông qua.")
    assert found == []


def test_repeated_mentions_are_one_document_keeping_the_first_details():
    found = run("Chỉ thị số 12/CT-UBND ngày 3/5/2021 của tỉnh. Sau đó, Chỉ thị số 12/CT-UBND được quán triệt.")
    assert len(found) == 1
    assert found[0].date == DateValue(2021, 5, 3)


def test_issuer_and_date_written_before_the_type_with_an_issuing_verb():
    found = by_number(run("Ngày 14/5, Sở Tư pháp tỉnh Lào Cai đã ban hành Kế hoạch số 61/KH-STP về phổ biến "
                          "pháp luật. Cục An ninh mạng ra Thông báo số 7/TB-A05.",
                          orgs=("Sở Tư pháp tỉnh Lào Cai", "Cục An ninh mạng")))
    assert found["61/KH-STP"].issuer == "Sở Tư pháp tỉnh Lào Cai"
    assert found["61/KH-STP"].date == DateValue(2021, 5, 14)
    assert found["7/TB-A05"].issuer == "Cục An ninh mạng"
    assert found["7/TB-A05"].date is None


def test_subject_stops_where_the_sentence_moves_on():
    found = by_number(run(
        "Tại hội nghị về Nghị định 12/2021/NĐ-CP về hỗ trợ ngư dân đóng tàu sáng 9/6, tỉnh đề xuất. "
        "Theo Thông tư 08/2020/TT-BCA về đăng ký xe do Bộ Công an ban hành, người dân nộp hồ sơ. "
        "Chỉ thị 04/CT-UBND về xây dựng đội chữa cháy chính quy, hiện đại, theo đánh giá của ngành, đã có chuyển biến. "
        "Quyết định 91/QĐ-UBND về “Quy chế phối hợp, trao đổi thông tin” được ký hôm qua."))
    assert found["12/2021/NĐ-CP"].subject == "hỗ trợ ngư dân đóng tàu"
    assert found["08/2020/TT-BCA"].subject == "đăng ký xe"
    assert found["04/CT-UBND"].subject == "xây dựng đội chữa cháy chính quy, hiện đại"
    assert found["91/QĐ-UBND"].subject == "Quy chế phối hợp, trao đổi thông tin"


def test_a_type_without_codes_does_not_take_a_number_coded_for_another_type():
    found = run("Hội nghị quán triệt Thông báo kết luận số 21-TB/TW và luật số 5-TB/TU của tỉnh ủy.")
    assert {(d.doc_type, d.number) for d in found} == {("Thông báo", "21-TB/TW")}


def test_code_after_a_spaced_separator_joins_the_number():
    found = by_number(run("Ban Thường vụ Tỉnh ủy ban hành Nghị quyết số 07 – NQ/TU ngày 3/5/2021, Chỉ thị số 12 - CT/TW, "
                          "Kế hoạch số 215/KH - BCĐ, Nghị định số 15/2020/ NĐ-CP, Báo cáo số 88 /BC-BTC và "
                          "Quyết định số 470- QĐNS/TW."))
    assert set(found) == {"07-NQ/TU", "12-CT/TW", "215/KH-BCĐ", "15/2020/NĐ-CP", "88/BC-BTC", "470-QĐNS/TW"}
    assert found["07-NQ/TU"].date == DateValue(2021, 5, 3)


def test_a_spaced_dash_before_a_body_joins_nothing():
    found = by_number(run("Theo Kế hoạch số 5 - CATP Hà Nội triển khai, Quyết định số 21 - UBND tỉnh đã ký."))
    assert set(found) == {"5", "21"}


def test_a_later_bare_number_is_the_coded_document_it_heads():
    found = run("Đoàn kiểm tra việc thực hiện Kết luận số 35-KL/TW của Bộ Chính trị. Việc thực hiện Kết luận số 35 "
                "của Bộ Chính trị đạt kết quả. Quyết định số 468 - QĐ/VC- ĐT đã được ký.",
                orgs=("Bộ Chính trị",))
    assert [(d.doc_type, d.number, d.issuer) for d in found] == [
        ("Kết luận", "35-KL/TW", "Bộ Chính trị"), ("Quyết định", "468-QĐ/VC-ĐT", None)]
    both = run("Nghị quyết số 9/NQ-CP và Nghị quyết số 9-NQ/TW; Nghị quyết 9 được nhắc lại.")
    assert {d.number for d in both} == {"9/NQ-CP", "9-NQ/TW", "9"}  # which one the bare number is: unknown


def test_a_bare_number_heads_only_a_code_that_follows_it_at_a_separator():
    found = run("Nghị quyết số 356-NQ/TW đã được ban hành. Nghị quyết số 35 của Tỉnh ủy nói khác.")
    assert {d.number for d in found} == {"356-NQ/TW", "35"}
    found = run("Nghị quyết số 35/NQ-HĐND đã được ban hành. Nghị quyết số 35 được nhắc lại.")
    assert [d.number for d in found] == ["35/NQ-HĐND"]


def test_a_number_written_with_an_en_dash_or_a_space_is_the_same_number():
    found = {d.number for d in run("Theo Quyết định số 2051/ QĐ–UBND và Quyết định số 2051/QĐ-UBND của UBND tỉnh.")}
    assert found == {"2051/QĐ-UBND"}
