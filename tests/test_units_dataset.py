"""Navigating the dataset across the review's texts: the Chinese text's sentences, the
original of an English sentence, the records of a Chinese sentence; and the order of linked
events. Expected values read by hand from the review's two texts and the records."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

import dipdata
from dipdata.use.dataset import Dataset

from .conftest import ROOT

ZH = "review-2023-zh"


@pytest.fixture
def data():
    # Read anew, not the shipped package cached for the process: mutation testing forks
    # from a process that has already loaded (and split) that one.
    return dipdata.load(ROOT / "datapackage")


def test_the_chinese_text_has_its_own_sentences(data):
    chinese = data.sentences_of(ZH)
    assert len(chinese) == 13
    assert chinese[0].text.startswith("总台央广记者提问：2023年，习近平主席出访足迹遍及亚洲")
    assert (chinese[0].number, chinese[0].section, chinese[0].in_text) == (1, "question", ZH)
    assert chinese[12].text == "三是为解决热点问题贡献了中国智慧。"
    assert data.sentences_of() is data.sentences  # the English, by default
    assert data.sentences_of(ZH) is chinese  # split once


def test_an_unknown_text_says_which_there_are(data):
    with pytest.raises(KeyError, match="no text 'review-1999-xx'; the texts are "
                                       "review-2023-en, review-2023-zh"):
        data.sentences_of("review-1999-xx")


def test_an_english_sentence_leads_to_the_chinese_it_translates(data):
    assert [s.text for s in data.original(14)] == [
        "在约翰内斯堡，习近平主席出席金砖国家领导人第十五次会晤，推动金砖扩员迈出历史性步伐，"
        "并同南非总统共同主持中非领导人对话会，以实际行动体现中国永远同非洲国家站在一起。"]
    assert data.original(15) == data.original(14)  # two English sentences, one Chinese
    assert [s.number for s in data.original(data.sentences[5])] == [5]
    assert data.original(1) == [] and data.original(20) == []  # not in the Chinese as read


def test_mentions_and_records_of_the_chinese_text(data):
    visit = data.events["xi-state-visit-russia-2023"]
    [(sentence, mention)] = data.mentions_of(visit, ZH)
    assert (sentence.number, mention.quote) == (5, "习近平主席访问俄罗斯拉开今年元首出访外交帷幕")
    [(english, _)] = data.mentions_of(visit)
    assert english.number == 6 and english.in_text == "review-2023-en"
    assert data.sentence_at(mention.start, ZH) is sentence
    assert {r.id for r in data.records_in(10, ZH)} == {
        "cyril-ramaphosa", "brics-summit-2023", "china-africa-leaders-dialogue-2023",
        "brics-expansion-2023"}
    with pytest.raises(ValueError, match="numbered from 1 to 13; there is no sentence 14"):
        data.records_in(14, ZH)
    assert data.jsonld is not None and data.jsonld["@type"] == "Dataset"


def _event(event_id, start, **links):
    return SimpleNamespace(id=event_id, start_date=start, part_of=links.get("part_of"),
                           sidelines_of=links.get("sidelines_of"))


def test_linked_events_come_by_date_undated_last_and_without_texts_no_original():
    day = datetime.date
    events = [_event("forum", day(2023, 10, 17)),
              _event("b-undated", None, sidelines_of="forum"),
              _event("a-late", day(2023, 10, 20), sidelines_of="forum"),
              _event("c-early", day(2023, 10, 18), sidelines_of="forum"),
              _event("a-undated", None, sidelines_of="forum")]
    tables = {"sources": [], "actors": [], "events": events, "outcomes": [], "positions": [],
              "aggregates": [], "commentary": []}
    data = Dataset(tables, [], "", "0.0.0")
    assert [e.id for e in data.sidelines("forum")] == [
        "c-early", "a-late", "a-undated", "b-undated"]
    assert len(data.texts) == 0 and data.original(1) == []  # a package without texts


def test_a_text_without_its_words_or_whole_when_it_should_be_is_refused():
    text = SimpleNamespace(id="t-zh", language="zh-Hans", complete=True, first_section="heading",
                           translation_of=None, alignment=[])
    tables = {"sources": [], "texts": [text], "actors": [], "events": [], "outcomes": [],
              "positions": [], "aggregates": [], "commentary": []}
    without = Dataset(tables, [], "", "0.0.0")
    with pytest.raises(KeyError, match="no text 't-zh'; the texts are review-2023-en"):
        without.sentences_of("t-zh")
    partial = Dataset(tables, [], "", "0.0.0", words={"t-zh": "一。\n二。\n"})
    with pytest.raises(ValueError, match="the text should have 8 paragraphs, not 2"):
        partial.sentences_of("t-zh")
