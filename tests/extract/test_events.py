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


def test_speech_is_a_reporting_event_and_modal_and_negated_events_say_so() -> None:
    text = (
        "The minister said the talks went well. Armenia should return the lands. "
        "Azerbaijan did not attack the town."
    )
    events, _ = _events(text)
    by = {e.trigger: e for e in events}
    assert by["said"].event_class == "REPORTING"
    assert by["went"].polarity == "POS" and by["went"].modality is None
    assert by["return"].modality == "demanded"
    assert by["attack"].polarity == "NEG"  # "did not attack" is a negated event


def test_where_is_never_inherited_from_another_sentence() -> None:
    text = (
        "Karabakh has been held by separatists since 1992. "
        "The conflict re-erupted in late September 2020."
    )
    events, _ = _events(text)
    (ev,) = [e for e in events if e.trigger == "re-erupted"]
    assert ev.where is None and ev.when == "2020-09" and ev.when_source == "anchored"


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
    # the happening is the loss; "acknowledged" is a reporting event with no place given
    "separatist government acknowledges loss of Shusha": {"lost"},
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


def test_fixture_speech_is_reporting_and_quoted_events_are_claimed(
    fixture_answer: tuple[Record, dict[str, object]],
) -> None:
    record, _ = fixture_answer
    for ev in record.events:
        if ev.trigger in {"said", "noted", "stressed", "maintained"}:
            assert ev.event_class == "REPORTING", ev
    quoted = [e for e in record.events if e.quote is not None]
    assert quoted and {e.quote for e in quoted} <= {q.id for q in record.quotes}
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


def test_fixture_event_arguments_are_the_records_entities(
    fixture_answer: tuple[Record, dict[str, object]],
) -> None:
    record, _ = fixture_answer
    ids = {e.id for e in record.entities}
    for ev in record.events:
        assert set(ev.actors) | set(ev.patients) <= ids, ev  # pronouns' people included
        assert ev.where is None or ev.where in ids, ev


# -- issue 24: TimeML triggers, arguments, where, when, quotes -------------------------


def test_passive_agent_is_the_actor_and_the_subject_the_patient() -> None:
    events, _ = _events("The village was shelled by an army unit on Monday.")
    (ev,) = [e for e in events if e.trigger == "shelled"]
    assert ev.actor_texts == ["an army unit"]
    assert ev.patient_texts == ["The village"]
    assert ev.when == "2021-03-01" and ev.when_source == "anchored"


def test_active_clause_names_its_doer() -> None:
    events, _ = _events("An army unit shelled the village near the river.")
    (ev,) = [e for e in events if e.trigger == "shelled"]
    assert ev.actor_texts == ["An army unit"] and ev.patient_texts == ["the village"]


def test_negated_event_is_kept_with_negative_polarity() -> None:
    events, _ = _events("The rebels did not attack the convoy.")
    (ev,) = [e for e in events if e.trigger == "attack"]
    assert ev.polarity == "NEG" and ev.tense == "PAST"


def test_nominal_event_takes_its_possessor_as_actor_and_on_phrase_as_patient() -> None:
    text = "The army's attack on the town lasted three hours."
    events, _ = _events(text)
    (ev,) = [e for e in events if e.trigger == "attack"]
    assert ev.pos == "NOUN"
    assert ev.actor_texts == ["The army's"] or ev.actor_texts == ["The army"]
    assert ev.patient_texts == ["the town"]


def test_in_x_is_the_place_not_a_place_elsewhere_in_the_paragraph() -> None:
    text = (
        "Officials in Damascus held a meeting on the budget. "
        "Separately, gunmen attacked a bus in Aleppo. "
        "Residents later protested the closure of the market."
    )
    events, names = _events(text)
    (attacked,) = [e for e in events if e.trigger == "attacked"]
    assert names[attacked.where or ""] == "Aleppo"
    (protested,) = [e for e in events if e.trigger == "protested"]
    assert protested.where is None  # no place in its sentence: none inherited


def test_event_inside_a_quote_is_linked_to_it() -> None:
    text = (
        "Army spokesman John Smith spoke to reporters on Tuesday. "
        '"Our forces destroyed the bridge," Smith said.'
    )
    record = extract_text(text)
    (quote,) = [q for q in record.quotes if "destroyed" in q.text]
    (ev,) = [e for e in record.events if e.trigger == "destroyed"]
    assert ev.quote == quote.id
    (said,) = [e for e in record.events if e.trigger == "said"]
    assert said.event_class == "REPORTING" and said.quote is None
    speaker = record.entity(quote.speaker.entity or "") if quote.speaker else None
    assert speaker is not None and speaker.id in said.actors


def test_when_is_inferred_from_tense_where_the_clause_has_no_date() -> None:
    events, _ = _events("Prices have risen sharply.")
    (ev,) = [e for e in events if e.trigger == "risen"]
    assert ev.tense == "PRESENT" and ev.aspect == "PERFECTIVE"
    assert ev.when == "2021-03-01" and ev.when_source == "inferred"


def test_new_event_fields_round_trip() -> None:
    ev = Event(id="e1", span=(0, 5), trigger="raid", event_class="OCCURRENCE", polarity="NEG",
               quote="q2", when_source="anchored", patient_texts=["the town"])  # fmt: skip
    data = record_to_dict(Record(id="x", source={}, text="abcde", events=[ev]))
    assert data["events"][0]["event_class"] == "OCCURRENCE"
    back = record_from_dict(data).events[0]
    assert (back.event_class, back.polarity, back.quote, back.when_source, back.patient_texts) == (
        "OCCURRENCE", "NEG", "q2", "anchored", ["the town"],
    )  # fmt: skip


def _named(record: Record, ids: list[str]) -> list[str]:
    names = {e.id: e.name for e in record.entities}
    return [names[i] for i in ids]


def test_pronoun_agent_gets_the_person_the_speaker_resolution_gives() -> None:
    record = extract_text(
        "Trade envoy Nadia Brennan landed in Oslo on Monday. "
        "Later she signed a fishing accord with the harbour authority."
    )
    (ev,) = [e for e in record.events if e.trigger == "signed"]
    assert _named(record, ev.actors) == ["Nadia Brennan"] and ev.actor_texts == []


def test_pronoun_patient_of_a_passive_gets_its_person() -> None:
    record = extract_text(
        "Farmer Tomas Keller was detained at a checkpoint on Sunday. "
        "He was released without charge two days later."
    )
    (ev,) = [e for e in record.events if e.trigger == "released"]
    assert _named(record, ev.patients) == ["Tomas Keller"] and ev.patient_texts == []


def test_pronoun_with_nobody_to_mean_stays_as_written() -> None:
    record = extract_text("The bridge was closed on Friday. They reopened it a week later.")
    (ev,) = [e for e in record.events if e.trigger == "reopened"]
    assert ev.actors == [] and ev.actor_texts == ["They"]


def test_pronoun_in_reported_words_means_the_person_they_name_before_it() -> None:
    record = extract_text(
        "Victor Lund's brother runs a bakery in Oslo. But analyst Peter Kemp said Lund, "
        "who is 70, was living in the capital when he fled the country. "
        "Kemp said he would travel to the capital in May."
    )
    (fled,) = [e for e in record.events if e.trigger == "fled"]
    assert _named(record, fled.actors) == ["Victor Lund"]  # not Kemp, who says it
    (travel,) = [e for e in record.events if e.trigger == "travel"]
    assert _named(record, travel.actors) == ["Peter Kemp"]  # nobody named before: the speaker


def test_i_in_a_direct_quote_is_its_speaker() -> None:
    record = extract_text(
        'Mayor Lena Ortiz spoke on Monday. "I ordered the evacuation of the port," Ortiz said.'
    )
    (ev,) = [e for e in record.events if e.trigger == "ordered"]
    assert _named(record, ev.actors) == ["Lena Ortiz"] and ev.actor_texts == []
    assert ev.quote is not None  # and the quote still claims it
