"""The review's sentences on small texts written in the test: where an English or Chinese
sentence ends, the offsets and white space between sentences, and the paragraph counts
refused."""

from __future__ import annotations

import pytest

from dipdata.model.source import Sentence, read_review, review_path, sentences


def test_english_sentences_end_at_a_stop_and_white_space():
    found = sentences("One. Two!  Three\n", "t", complete=False, first_section="closing")
    assert found == [Sentence(1, "closing", 0, 4, "One.", "t"),
                     Sentence(2, "closing", 5, 9, "Two!", "t"),
                     Sentence(3, "closing", 11, 16, "Three", "t")]


def test_a_closing_quotation_mark_stays_with_its_sentence():
    found = sentences("He said \u201cYes.\u201d Then\n", complete=False, first_section="closing")
    assert found == [Sentence(1, "closing", 0, 14, "He said \u201cYes.\u201d", "review-2023-en"),
                     Sentence(2, "closing", 15, 19, "Then", "review-2023-en")]


def test_a_stop_without_white_space_after_it_ends_no_sentence():
    found = sentences("Mr.Smith came. v1.2 is out?\n", "t", complete=False,
                      first_section="closing")
    assert [s.text for s in found] == ["Mr.Smith came.", "v1.2 is out?"]


def test_chinese_sentences_end_at_a_full_stop_with_no_space_after():
    found = sentences("他说：“好。”然后走了。", "t-zh", "zh-Hans", complete=False,
                      first_section="closing")
    assert found == [Sentence(1, "closing", 0, 7, "他说：“好。”", "t-zh"),
                     Sentence(2, "closing", 7, 12, "然后走了。", "t-zh")]


def test_paragraphs_are_the_sections_in_order_and_numbers_run_on():
    text = "A.\n\n  B c. D\n"
    found = sentences(text, "t", first_section="public-foundation")
    assert found == [Sentence(1, "public-foundation", 0, 2, "A.", "t"),
                     Sentence(2, "closing", 6, 10, "B c.", "t"),
                     Sentence(3, "closing", 11, 12, "D", "t")]


def test_the_paragraph_count_must_match_the_sections():
    with pytest.raises(ValueError, match=r"^the text should have 8 paragraphs, not 1$"):
        sentences("One.\n")  # complete by default: every section
    with pytest.raises(ValueError, match=r"^the text should have 2 paragraphs, not 1$"):
        sentences("One.\n", first_section="public-foundation")
    message = r"^the text should have 2 paragraphs or fewer, not 3$"
    with pytest.raises(ValueError, match=message):
        sentences("A.\nB.\nC.\n", complete=False, first_section="public-foundation")
    with pytest.raises(ValueError, match=r"^the text should have 2 paragraphs or fewer, not 0$"):
        sentences(" \n", complete=False, first_section="public-foundation")
    # fewer paragraphs than sections: the first ones, when the text is not complete
    assert [s.section for s in sentences("A.\n", complete=False,
                                         first_section="public-foundation")] == [
        "public-foundation"]


def test_the_review_is_read_exactly_as_received(tmp_path):
    path = review_path(tmp_path)
    assert path == tmp_path / "source" / "mfa-2023-12-29-mao-ning-cnr.txt"
    path.parent.mkdir()
    path.write_bytes("Line one.\r\n“Two”\n".encode())
    assert read_review(tmp_path) == "Line one.\r\n“Two”\n"
