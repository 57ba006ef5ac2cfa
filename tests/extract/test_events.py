"""Events: triggers, actors, where, when, numbers; speech acts left to quotes."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pytest

from wirescope.extract.dates import extract_dates
from wirescope.extract.events import extract_events
from wirescope.extract.places import extract_places_orgs
from wirescope.models import Article, Event, RawDocument, Record
from wirescope.nlp import get_nlp
from wirescope.pipeline import extract_text

FNA = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "fna-karabakh-2021-03-01"


def _events(text: str) -> tuple[list[Event], dict[str, str]]:
    raw = RawDocument(text=text, path="t", format="text")
    article = Article(raw=raw, published=datetime(2021, 3, 1, 16, 17), body_span=(0, len(text)))
    doc = get_nlp()(text)
    ents = extract_places_orgs(article, doc)
    events = extract_events(article, doc, ents, extract_dates(article, doc), [])
    return events, {e.id: e.name for e in ents}


def test_event_with_where_when_and_actors() -> None:
    text = "Armenia and Azerbaijan agreed to end hostilities in Baku on Monday."
    events, names = _events(text)
    (ev,) = [e for e in events if e.trigger == "agreed"]
    assert [names[a] for a in ev.actors] == ["Armenia", "Azerbaijan"]
    assert names[ev.where or ""] == "Baku"
    assert ev.when == "2021-03-01"
    assert text[ev.trigger_span[0] : ev.trigger_span[1]] == "agreed"  # type: ignore[index]


def test_numbers_are_attached_to_what_they_count() -> None:
    text = "They broke from Azerbaijan in a war that killed some 30,000 people."
    events, _ = _events(text)
    (ev,) = [e for e in events if e.trigger == "killed"]
    assert ev.numbers == [
        {"value": 30000, "text": "some 30,000", "counts": "people", "verb": "killed"}
    ]


def test_speech_modal_and_negated_clauses_are_not_events() -> None:
    text = (
        "The minister said the talks went well. Armenia should return the lands. "
        "Azerbaijan did not attack the town."
    )
    events, _ = _events(text)
    triggers = {e.trigger for e in events}
    assert "said" not in triggers
    assert "return" not in triggers
    assert "attack" not in triggers
    assert "went" in triggers


def test_where_falls_back_to_the_latest_region() -> None:
    text = (
        "Karabakh has been held by separatists since 1992. "
        "The conflict re-erupted in late September 2020."
    )
    events, names = _events(text)
    (ev,) = [e for e in events if e.trigger == "re-erupted"]
    assert names[ev.where or ""] == "Karabakh" and ev.when == "2020-09"


@lru_cache(maxsize=1)
def _fixture() -> tuple[Record, dict[str, object]]:
    if not FNA.with_suffix(".txt").exists():
        pytest.skip("shared fixture not present")
    text = FNA.with_suffix(".txt").read_text("utf-8")
    gold = json.loads(FNA.with_suffix(".gold.json").read_text("utf-8"))
    return extract_text(text), gold


# The gold events by their "what", and the trigger(s) that carry each one here.
GOLD_TRIGGERS = {
    "international conference on the Karabakh conflict opens": {"kicked off"},
    "war in which ethnic Armenian separatists broke from Azerbaijan; about 30,000 killed": {
        "broke",
        "killed",
    },
    "conflict re-erupts": {"re-erupted"},
    "separatist government acknowledges loss of Shusha": {"lost", "acknowledged"},
    "Armenia and Azerbaijan agree to end hostilities": {"agreed"},
}


def test_fixture_gold_events() -> None:
    record, gold = _fixture()
    golds = gold["events"]
    assert isinstance(golds, list) and len(golds) == 5
    for g in golds:
        triggers = GOLD_TRIGGERS[g["what"]]
        hits = [e for e in record.events if e.trigger in triggers]
        assert hits, g["what"]
        for ev in hits:
            place = record.entity(ev.where)
            assert place is not None and place.name == g["where"], (g, ev)
            assert ev.when == g["when"], (g, ev)


def test_fixture_events_skip_speech_and_quotes() -> None:
    record, _ = _fixture()
    triggers = {e.trigger for e in record.events}
    assert not triggers & {"said", "noted", "stressed", "maintained", "adding", "noting"}
    killed = next(e for e in record.events if e.trigger == "killed")
    assert killed.numbers and killed.numbers[0]["value"] == 30000
    agreed = next(e for e in record.events if e.trigger == "agreed")
    names = {record.entity(a).name for a in agreed.actors}  # type: ignore[union-attr]
    assert names == {"Armenia", "Azerbaijan"}
    for ev in record.events:
        assert ev.text and ev.id.startswith("e")
