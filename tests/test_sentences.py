"""The sentence splitter breaks only before an upper-case start, a digit or an opening quote."""
import pytest

from anttkg.extract.sentences import split_sentences


def texts(text):
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("lower", ["đi", "ở", "ầm", "ấy", "ỹ", "ơn", "ưu", "ậy", "ỳ", "à", "ý", "ộ"])
def test_no_break_before_lower_case_accented_letter(lower):
    text = f"Ông ấy nói vậy. {lower} và tiếp tục."
    assert texts(text) == [text]


@pytest.mark.parametrize("upper", ["Đi", "Ở", "Ầm", "Ấy", "Ỹ", "Ơn", "Ưu", "Ậy", "Ỳ", "À", "Ý", "Ộ", "An", "2024"])
def test_break_before_upper_case_start(upper):
    assert texts(f"Ông ấy nói vậy. {upper} và tiếp tục.") == ["Ông ấy nói vậy.", f"{upper} và tiếp tục."]


def test_break_before_opening_quote_and_after_closing_one():
    assert texts('Ông nói: "Xong rồi." "Được", bà đáp.') == ['Ông nói: "Xong rồi."', '"Được", bà đáp.']


def test_offsets_index_the_text():
    text = "Một câu. Đây là câu hai! đoạn này không tách.\nDòng mới"
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
    assert texts(text) == ["Một câu.", "Đây là câu hai! đoạn này không tách.", "Dòng mới"]
