"""Events: triggers, actors, where, when, numbers; speech acts left to quotes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from wirescope.extract.dates import extract_dates
from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.events import extract_events
from wirescope.extract.places import extract_places_orgs
from wirescope.nlp.parse import get_nlp
from wirescope.pipeline.build import extract_text
from wirescope.record.models import Article, Event, RawDocument, Record
from wirescope.record.serialize import record_from_dict, record_to_dict

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example


def _events(text: str) -> tuple[list[Event], dict[str, str]]:
    raw = RawDocument(text=text, path="t", format="text")
    article = Article(raw=raw, published=datetime(2021, 3, 1, 16, 17), body_span=(0, len(text)))
    doc = get_nlp()(text)
    ents = extract_places_orgs(article, doc, corrected_ents(doc))
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


def test_actors_that_are_no_entity_are_kept_as_written() -> None:
    text = (
        "Karabakh has been held by separatists since 1992. "
        "The conflict re-erupted in late September 2020."
    )
    events, _ = _events(text)
    (ev,) = [e for e in events if e.trigger == "re-erupted"]
    assert ev.actors == [] and ev.actor_texts == ["The conflict"]


def test_a_pronoun_actor_takes_its_antecedent() -> None:
    text = (
        "The town was held by rebel fighters until 1994, when they withdrew from Azerbaijan. "
        "The regional government admitted that it had lost the town."
    )
    events, _ = _events(text)
    (withdrew,) = [e for e in events if e.trigger == "withdrew"]
    assert withdrew.actor_texts == ["rebel fighters"]
    (lost,) = [e for e in events if e.trigger == "lost"]
    assert lost.actor_texts == ["The regional government"]


def test_entity_actors_are_not_repeated_as_text() -> None:
    events, _ = _events("Armenia and Azerbaijan agreed to end hostilities in Baku on Monday.")
    (ev,) = [e for e in events if e.trigger == "agreed"]
    assert ev.actor_texts == []


def test_actor_texts_round_trip_and_old_records_load() -> None:
    ev = Event(id="e1", span=(0, 5), trigger="broke", actor_texts=["the separatists"])
    record = Record(id="x", source={}, text="abcde", events=[ev])
    data = record_to_dict(record)
    assert data["events"][0]["actor_texts"] == ["the separatists"]
    assert record_from_dict(data).events[0].actor_texts == ["the separatists"]
    del data["events"][0]["actor_texts"]  # a record written before the field existed
    assert record_from_dict(data).events[0].actor_texts == []


@pytest.fixture(scope="module")
def fixture_answer(example: Example) -> tuple[Record, dict[str, object]]:
    """The shared example article (its record) and its answer key."""
    return (extract_text(example.text), example.gold)


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


def test_fixture_gold_events(fixture_answer: tuple[Record, dict[str, object]]) -> None:
    record, gold = fixture_answer
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


def test_fixture_events_skip_speech_and_quotes(
    fixture_answer: tuple[Record, dict[str, object]],
) -> None:
    record, _ = fixture_answer
    triggers = {e.trigger for e in record.events}
    assert not triggers & {"said", "noted", "stressed", "maintained", "adding", "noting"}
    killed = next(e for e in record.events if e.trigger == "killed")
    assert killed.numbers and killed.numbers[0]["value"] == 30000
    agreed = next(e for e in record.events if e.trigger == "agreed")
    names = {record.entity(a).name for a in agreed.actors}  # type: ignore[union-attr]
    assert names == {"Armenia", "Azerbaijan"}
    for ev in record.events:
        assert ev.text and ev.id.startswith("e")


def test_fixture_actor_texts(fixture_answer: tuple[Record, dict[str, object]]) -> None:
    record, _ = fixture_answer
    (erupted,) = [e for e in record.events if e.trigger == "re-erupted"]
    assert erupted.actor_texts == ["The conflict"]
    broke = next(e for e in record.events if e.trigger == "broke")
    assert any("separatists" in t for t in broke.actor_texts), broke
    lost = next(e for e in record.events if e.trigger == "lost")
    # "it had lost": the separatist government (an entity here), not the text "it"
    assert "it" not in lost.actor_texts
    names = [record.entity(a).name for a in lost.actors]  # type: ignore[union-attr]
    assert any("government" in n for n in names), names
