"""The models' declared limits at their edges, on records written in the test: ranges,
lengths, patterns, required lists, strictness; and the JSON Schema's header. (The schema
files in schema/ are compared with the models by tests/test_schema.py.)"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dipdata.models import (
    Actor,
    Alignment,
    Commentary,
    Mention,
    Source,
    Text,
    json_schema,
)

SOURCE = {"id": "s", "kind": "readout", "publisher": "MFA", "url": "https://example.org/a",
          "language": "en"}
TEXT = {"id": "t", "source": "s", "language": "en", "sha256": "0" * 64, "complete": True}
ACTOR = {"id": "a", "sources": ["s"], "name": "A", "kind": "person"}


def valid(model, data) -> bool:
    try:
        model.model_validate(data)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(("start", "end", "ok"), [
    (0, 1, True), (10_000_000, 10_000_000, True), (-1, 1, False), (0, 0, False),
    (10_000_001, 1, False), (0, 10_000_001, False),
])
def test_a_mentions_offsets_are_within_ten_million(start, end, ok):
    assert valid(Mention, {"quote": "a", "start": start, "end": end}) is ok


@pytest.mark.parametrize(("number", "ok"), [(1, True), (100_000, True), (0, False),
                                            (100_001, False)])
def test_an_alignments_sentence_numbers_run_from_1_to_100000(number, ok):
    assert valid(Alignment, {"sentence": number, "original": 1}) is ok
    assert valid(Alignment, {"sentence": 1, "original": number}) is ok


@pytest.mark.parametrize(("language", "ok"), [
    ("en", True), ("zh-Hans", True), ("zh-Hant-TW", True), ("pt-BR", True), ("EN", False),
    ("english", False), ("zh-hans", False),
])
def test_a_language_is_a_bcp_47_tag(language, ok):
    assert valid(Source, {**SOURCE, "language": language}) is ok
    assert valid(Text, {**TEXT, "language": language}) is ok


@pytest.mark.parametrize(("url", "ok"), [
    ("https://example.org/" + "a" * 480, True), ("https://example.org/" + "a" * 481, False),
    ("http://example.org:8080/x?y=1", True), ("ftp://example.org/", False),
    ("https://user:pw@example.org/", False), ("https://example.org/a b", False),
])
def test_a_url_is_http_or_https_of_at_most_500_characters(url, ok):
    assert valid(Source, {**SOURCE, "url": url}) is ok


@pytest.mark.parametrize(("digest", "ok"), [("0" * 64, True), ("a" * 64, True),
                                            ("A" * 64, False), ("0" * 63, False),
                                            ("0" * 65, False)])
def test_a_text_names_its_sha256_in_lower_case_hex(digest, ok):
    assert valid(Text, {**TEXT, "sha256": digest}) is ok


@pytest.mark.parametrize(("qid", "ok"), [("Q1", True), ("Q42", True), ("Q0", False),
                                         ("Q01", False), ("q42", False), ("42", False)])
def test_a_wikidata_id_is_a_qid(qid, ok):
    assert valid(Actor, {**ACTOR, "wikidata": qid}) is ok


def test_required_lists_strictness_and_unknown_fields():
    assert valid(Actor, ACTOR)
    assert not valid(Actor, {**ACTOR, "sources": []})  # a fact rests on a source
    assert not valid(Actor, {**ACTOR, "sources": ["s", "s"]})
    assert not valid(Actor, {**ACTOR, "nickname": "x"})
    assert not valid(Actor, {**ACTOR, "country": "XX"})
    assert not valid(Text, {**TEXT, "complete": "true"})  # nothing is coerced
    mention = {"quote": "a", "start": 0, "end": 1}
    assert valid(Commentary, {"id": "c", "reason": "Framing.", "mentions": [mention]})
    assert not valid(Commentary, {"id": "c", "reason": "Framing.", "mentions": []})
    assert not valid(Commentary, {"id": "c", "reason": "Framing.",
                                  "mentions": [mention, mention]})


def test_the_json_schema_says_its_draft_and_id():
    schema = json_schema("texts")
    assert list(schema)[:2] == ["$schema", "$id"]
    assert (schema["$schema"], schema["$id"]) == (
        "https://json-schema.org/draft/2020-12/schema", "urn:dipdata:schema:texts")
    assert schema["properties"]["language"]["maxLength"] == 20
    assert "$schema" in schema["properties"] and "schema_ref" not in schema["properties"]
