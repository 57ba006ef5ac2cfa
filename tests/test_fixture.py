"""The canonical fixture against its hand-made answer key (../shared/fixtures)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from wirescope.pipeline.build import process_one
from wirescope.reading.read import read_paths
from wirescope.record.models import RawDocument, Record

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example


@pytest.fixture(scope="module")
def gold(example: Example) -> dict[str, Any]:
    return example.gold


@pytest.fixture(scope="module")
def record(example: Example) -> Record:
    (raw,) = list(read_paths([str(example.path)]))
    assert isinstance(raw, RawDocument)
    return process_one(raw)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(0, inter) / max(a[1] - a[0], b[1] - b[0])


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def test_text_is_the_gold_text(record: Record, gold: dict[str, Any]) -> None:
    assert record.text == gold["text"]


def test_all_gold_quotes_found_and_none_spurious(record: Record, gold: dict[str, Any]) -> None:
    spans = [q.span for q in record.quotes]
    for g in gold["quotes"]:
        gspan = (g["quote_start"], g["quote_end"])
        assert any(_overlap(gspan, s) >= 0.3 for s in spans), g["quote_text"]
    for q in record.quotes:
        assert any(
            _overlap(q.span, (g["quote_start"], g["quote_end"])) >= 0.3 for g in gold["quotes"]
        ), f"spurious quote: {q.text!r}"
    assert len(record.quotes) == len(gold["quotes"]) == 17


def test_every_speaker_resolves_to_the_right_person(record: Record, gold: dict[str, Any]) -> None:
    for g in gold["quotes"]:
        gspan = (g["quote_start"], g["quote_end"])
        q = max(record.quotes, key=lambda q: _overlap(gspan, q.span))
        assert q.speaker is not None, g["quote_text"]
        assert q.speaker.name is not None
        assert _norm(q.speaker.name) == _norm(g["speaker_canonical"]), g["quote_text"]


def test_quote_kinds_and_cues(record: Record, gold: dict[str, Any]) -> None:
    for g in gold["quotes"]:
        gspan = (g["quote_start"], g["quote_end"])
        q = max(record.quotes, key=lambda q: _overlap(gspan, q.span))
        assert q.kind == g["kind"], g["quote_text"]
        assert q.cue is not None
        assert q.cue.text == g["cue"]


def test_article_fields(record: Record, gold: dict[str, Any]) -> None:
    art = gold["article"]
    assert record.headline == art["headline"]
    assert record.published is not None and record.updated is not None
    assert record.published.isoformat().startswith(art["published"])
    assert record.updated.isoformat().startswith(art["updated"])
    assert record.dateline is not None
    assert record.dateline.place == art["dateline_place"]
    assert record.dateline.agency == art["agency"]
    assert record.dateline.agency_name == art["agency_name"]


def test_people_names_roles_honorifics_and_quote_counts(
    record: Record, gold: dict[str, Any]
) -> None:
    people = {e.name: e for e in record.entities if e.type == "PERSON"}
    assert len(people) == len(gold["people"]) == 6
    for g in gold["people"]:
        person = people[g["name"]]
        if "role" in g:
            assert _norm(g["role"]) in [_norm(r) for r in person.roles]
        if "honorific" in g:
            assert " ".join(person.honorifics) == g["honorific"]
        # The gold's per-person count leaves out the headline's "Official: ..." quote.
        in_gold = [q for q in gold["quotes"] if q["speaker_canonical"] == g["name"]]
        body = [q for q in in_gold if q["quote_start"] > len(art_head(gold))]
        assert len(body) == g["quotes"]
        assert len(person.quotes) == len(in_gold)


def art_head(gold: dict[str, Any]) -> str:
    text: str = gold["text"]
    return text[: text.index(gold["article"]["headline"]) + len(gold["article"]["headline"])]


def test_every_quote_is_listed_on_its_entity(record: Record) -> None:
    for q in record.quotes:
        assert q.speaker is not None
        ent = record.entity(q.speaker.entity)
        assert ent is not None and q.id in ent.quotes
