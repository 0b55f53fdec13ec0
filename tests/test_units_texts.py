"""The texts of the review: Chinese sentence splitting, a text read against its record (hash,
paragraphs, alignment), and the texts the package carries besides the English one. Small
repositories made in the test, expected values written by hand."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dipdata.base.problems import Report
from dipdata.check.texts import other_texts, read_texts
from dipdata.model.source import sentences

# A Chinese text of three parts (question, opening, part one): 4 sentences.
CHINESE = "记者提问：今年怎样？请问如何？\n毛宁：今年很好。\n一是“发展”。二是合作！\n"
# An English text of the review's eight parts: 10 sentences.
ENGLISH = ("Heading\nQ: How? And why?\nA: Good.\nFirst, growth. Second, cooperation!\n"
           "Second part.\nThird part.\nFourth part.\nClosing.\n")


def test_chinese_sentences_end_at_full_width_stops_without_a_space():
    found = sentences(CHINESE, "t-zh", "zh-Hans", complete=False, first_section="question")
    assert [(s.number, s.section, s.text) for s in found] == [
        (1, "question", "记者提问：今年怎样？"), (2, "question", "请问如何？"),
        (3, "opening", "毛宁：今年很好。"),
        (4, "major-country-relations", "一是“发展”。"),
        (5, "major-country-relations", "二是合作！")]
    assert (found[1].start, found[1].end) == (10, 15)  # offsets into the text, from 0
    assert {s.in_text for s in found} == {"t-zh"}


def test_a_closing_quote_stays_with_its_sentence():
    found = sentences("他说：“好。”然后走了。\n", "t", "zh-Hans", complete=False)
    assert [s.text for s in found] == ["他说：“好。”", "然后走了。"]


def test_a_complete_text_needs_every_part_and_a_partial_one_at_most_them():
    with pytest.raises(ValueError, match="the text should have 8 paragraphs, not 3"):
        sentences(CHINESE, "t", "zh-Hans", complete=True)
    with pytest.raises(ValueError, match="the text should have 7 paragraphs or fewer, not 0"):
        sentences("\n", "t", "zh-Hans", complete=False, first_section="question")
    too_many = "一。\n" * 8
    with pytest.raises(ValueError, match="the text should have 7 paragraphs or fewer, not 8"):
        sentences(too_many, "t", "zh-Hans", complete=False, first_section="question")


def _repository(tmp_path: Path, zh: dict | None = None, en: dict | None = None,
                words: str = CHINESE) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "records" / "texts").mkdir(parents=True)
    (tmp_path / "records" / "sources").mkdir(parents=True)
    (tmp_path / "source" / "page-zh.txt").write_text(words, "utf-8")
    (tmp_path / "source" / "review-page.txt").write_text(ENGLISH, "utf-8")
    digest = hashlib.sha256(CHINESE.encode()).hexdigest()
    texts = {
        "review-2023-zh": {"id": "review-2023-zh", "source": "page-zh", "language": "zh-Hans",
                           "sha256": digest, "complete": False, "first_section": "question",
                           **(zh or {})},
        "review-2023-en": {"id": "review-2023-en", "source": "review-page", "language": "en",
                           "sha256": hashlib.sha256(ENGLISH.encode()).hexdigest(),
                           "complete": True,
                           "translation_of": "review-2023-zh",
                           "alignment": [{"sentence": 2, "original": 1},
                                         {"sentence": 5, "original": 4}], **(en or {})},
    }
    for name, record in texts.items():
        (tmp_path / "records" / "texts" / f"{name}.json").write_text(json.dumps(record), "utf-8")
    (tmp_path / "records" / "sources" / "page-zh.json").write_text(json.dumps(
        {"id": "page-zh", "url": "https://example.org/zh", "publisher": "P"}), "utf-8")
    return tmp_path


def _read(root: Path) -> tuple[dict, list[str]]:
    report = Report()
    return read_texts(root, ENGLISH, report), [str(p) for p in report.problems]


def test_a_text_that_is_what_its_record_says_is_read(tmp_path):
    texts, problems = _read(_repository(tmp_path))
    assert problems == []
    assert sorted(texts) == ["review-2023-en", "review-2023-zh"]
    assert (texts["review-2023-en"].words, texts["review-2023-zh"].words) == (ENGLISH, CHINESE)
    assert [s.text for s in texts["review-2023-zh"].sentences][2] == "毛宁：今年很好。"
    assert {s.in_text for s in texts["review-2023-zh"].sentences} == {"review-2023-zh"}
    assert texts["review-2023-zh"].sentences[0].section == "question"
    assert texts["review-2023-zh"].bounds[0] == (0, 10, 1)


def test_an_unknown_first_section_is_read_from_the_heading(tmp_path):
    # (the shape check reports the unknown part; the words are still split, from the first)
    texts, problems = _read(_repository(tmp_path, zh={"first_section": "preface"}))
    assert problems == []
    assert [s.section for s in texts["review-2023-zh"].sentences][:3] == [
        "heading", "heading", "question"]


def test_a_changed_text_is_refused_with_its_digest(tmp_path):
    changed = CHINESE.replace("很好", "不错")
    texts, problems = _read(_repository(tmp_path, words=changed))
    digest = hashlib.sha256(changed.encode()).hexdigest()
    assert problems == [f"records/texts/review-2023-zh.json: text-changed: review-2023-zh "
                        f"sha256: source/page-zh.txt has sha256 {digest}, not the one recorded; "
                        "every quote in this text rests on its words"]
    assert "review-2023-zh" not in texts


def test_a_missing_or_unsplittable_text_is_unreadable(tmp_path):
    root = _repository(tmp_path, zh={"complete": True})
    texts, problems = _read(root)
    assert problems == ["records/texts/review-2023-zh.json: unreadable-text: review-2023-zh "
                        "source: cannot read the text's words in source/page-zh.txt: the text "
                        "should have 7 paragraphs, not 3"]
    (root / "source" / "page-zh.txt").unlink()
    texts, problems = _read(root)
    assert problems == ["records/texts/review-2023-zh.json: unreadable-text: review-2023-zh "
                        "source: cannot read the text's words in source/page-zh.txt: No such "
                        "file or directory"]
    assert sorted(texts) == ["review-2023-en"]


def test_an_alignment_names_sentences_that_exist(tmp_path):
    pairs = [{"sentence": 4, "original": 5}, {"sentence": 5, "original": 6},
             {"sentence": 11, "original": 1}, {"sentence": 0, "original": 0}]
    texts, problems = _read(_repository(tmp_path, en={"alignment": pairs}))
    # The English test text has 10 sentences, the Chinese 5 (0 is below both: the shape
    # check also says so, by the schema's minimum).
    assert problems == [
        "records/texts/review-2023-en.json: alignment-out-of-range: review-2023-en "
        "alignment[1].original: review-2023-zh has sentences 1 to 5, not 6",
        "records/texts/review-2023-en.json: alignment-out-of-range: review-2023-en "
        "alignment[2].sentence: review-2023-en has sentences 1 to 10, not 11",
        "records/texts/review-2023-en.json: alignment-out-of-range: review-2023-en "
        "alignment[3].sentence: review-2023-en has sentences 1 to 10, not 0",
        "records/texts/review-2023-en.json: alignment-out-of-range: review-2023-en "
        "alignment[3].original: review-2023-zh has sentences 1 to 5, not 0"]


def test_an_empty_or_odd_alignment_needs_nothing_and_breaks_nothing(tmp_path):
    _, problems = _read(_repository(tmp_path, en={"alignment": [], "translation_of": None}))
    assert problems == []
    (tmp_path / "odd").mkdir()
    _, problems = _read(_repository(tmp_path / "odd", en={"alignment": [5, "x", None]}))
    assert problems == []


def test_an_alignment_needs_its_original(tmp_path):
    _, problems = _read(_repository(tmp_path, en={"translation_of": None}))
    assert problems == ["records/texts/review-2023-en.json: alignment-without-original: "
                        "review-2023-en alignment: an alignment pairs sentences with those of "
                        "the original: name it in translation_of"]
    # not an id, or an unknown text: left to the shape and link checks
    for number, original in enumerate((["review-2023-zh"], "review-1999-xx")):
        (tmp_path / str(number)).mkdir()
        _, problems = _read(_repository(tmp_path / str(number), en={"translation_of": original}))
        assert problems == []


def test_records_that_are_not_objects_with_an_id_are_left_to_the_record_checks(tmp_path):
    root = _repository(tmp_path)
    folder = root / "records" / "texts"
    (folder / "broken.json").write_text("{", "utf-8")
    (folder / "list.json").write_text("[]", "utf-8")
    (folder / "no-id.json").write_text('{"source": "page-zh"}', "utf-8")
    (folder / "bad-source.json").write_text('{"id": "x", "source": "../etc"}', "utf-8")
    texts, problems = _read(root)
    assert problems == [] and sorted(texts) == ["review-2023-en", "review-2023-zh"]


def test_the_package_carries_every_text_but_the_english_review(tmp_path):
    root = _repository(tmp_path, en={"source": "mfa-2023-12-29-mao-ning-cnr"})
    found = other_texts(root)
    assert [(record["id"], source["url"], words) for record, source, words in found] == [
        ("review-2023-zh", "https://example.org/zh", CHINESE.encode())]
