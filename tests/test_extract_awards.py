"""Awards: counts before or after the award, combined counts, several awards per sentence, one per conferral."""
from __future__ import annotations

from anttkg.extract import awards
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction, OrgMention


def run(body: str, orgs=()) -> list:
    article = Article(id="a", title="Tin", text=body)
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    for name in orgs:
        at = doc.text.find(name)
        while at >= 0:
            found.organizations.append(OrgMention(name, name, doc.span(at, at + len(name))))
            at = doc.text.find(name, at + 1)
    return awards.find_awards(doc, found)


def test_giver_awards_counts_after():
    found = run("Nhân dịp này, Công an tỉnh tặng Giấy khen cho 14 tập thể, 31 cá nhân có thành tích xuất sắc.",
                orgs=("Công an tỉnh",))
    assert [(a.award_type, a.collectives, a.individuals) for a in found] == [("Giấy khen", 14, 31)]
    assert found[0].givers == ("Công an tỉnh",)
    assert found[0].occasion.startswith("có thành tích xuất sắc")


def test_counts_before_passive_with_two_givers():
    found = run("Dịp này, 12 tập thể, 40 cá nhân được Bộ Công an, Tỉnh đoàn tặng Bằng khen.",
                orgs=("Bộ Công an", "Tỉnh đoàn"))
    assert [(a.collectives, a.individuals) for a in found] == [(12, 40)]
    assert set(found[0].givers) == {"Bộ Công an", "Tỉnh đoàn"}


def test_combined_count_leaves_both_unknown():
    found = run("Có 9 tập thể và cá nhân được tặng Bằng khen của Bộ.")
    assert [(a.collectives, a.individuals) for a in found] == [(None, None)]


def test_several_named_awards_in_one_sentence():
    found = run("Chủ tịch nước trao Huân chương Lao động hạng Ba cho 2 tập thể, Huân chương Chiến công hạng Nhì "
                "cho 4 cá nhân.")
    got = {(a.award_type, a.collectives, a.individuals) for a in found}
    assert got == {("Huân chương Lao động hạng Ba", 2, None), ("Huân chương Chiến công hạng Nhì", None, 4)}


def test_later_mentions_of_the_same_conferral_are_not_repeated():
    found = run("Bộ Công an tặng Bằng khen cho 5 tập thể, 8 cá nhân. "
                "Thứ trưởng trao Bằng khen của Bộ Công an tặng các tập thể, cá nhân.")
    assert len(found) == 1


def test_sport_medals_and_mentions_without_conferral_are_not_awards():
    assert run("Đội tuyển giành 3 huy chương vàng và trao huy chương bạc cho 2 vận động viên.") == []
    assert run("Biểu dương 40 tập thể, cá nhân điển hình có Bằng khen trước đây.") == []


def test_two_passive_conferrals_in_one_sentence_keep_their_own_givers():
    found = run("Trong nhiệm kỳ, 01 đồng chí được Tỉnh đoàn Hòa Sơn tặng Bằng khen, 02 đồng chí được Bộ trưởng "
                "Bộ Giao thông tặng Bằng khen.", orgs=("Tỉnh đoàn Hòa Sơn", "Bộ Giao thông"))
    assert [(a.individuals, a.givers) for a in found] == [(1, ("Tỉnh đoàn Hòa Sơn",)), (2, ("Bộ Giao thông",))]
    same = run("Trong nhiệm kỳ, 01 đồng chí được Tỉnh đoàn Hòa Sơn tặng Bằng khen, 01 đồng chí được Bộ trưởng "
               "Bộ Giao thông tặng Bằng khen.", orgs=("Tỉnh đoàn Hòa Sơn", "Bộ Giao thông"))
    assert [a.givers for a in same] == [("Tỉnh đoàn Hòa Sơn",), ("Bộ Giao thông",)]  # same count, two givers


def test_organised_commendation_counts():
    found = run("Chiều 2/6, UBND tỉnh Hòa Sơn tổ chức khen thưởng, tặng bằng khen cho 1 tập thể, 5 cá nhân thuộc "
                "lực lượng phòng chống ma túy.", orgs=("UBND tỉnh Hòa Sơn",))
    assert [(a.collectives, a.individuals, a.givers) for a in found] == [(1, 5, ("UBND tỉnh Hòa Sơn",))]


def test_every_giving_verb_names_the_giver_and_marks_a_passive_conferral():
    found = run("Chủ tịch nước đã quyết định phong tặng Danh hiệu Anh hùng Lao động cho 2 tập thể.",
                orgs=("Chủ tịch nước",))
    assert [(a.givers, a.collectives) for a in found] == [(("Chủ tịch nước",), 2)]
    found = run("3 tập thể được Ủy ban tỉnh Hòa Sơn phong tặng Cờ thi đua; 5 cá nhân nhận Giấy khen.",
                orgs=("Ủy ban tỉnh Hòa Sơn",))
    assert [(a.award_type, a.givers, a.collectives, a.individuals) for a in found] == [
        ("Cờ thi đua", ("Ủy ban tỉnh Hòa Sơn",), 3, None), ("Giấy khen", (), None, 5)]
