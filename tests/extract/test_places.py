"""Places (resolved, with aliases and mentions) and organisations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.places import extract_places_orgs
from wirescope.nlp.parse import get_nlp
from wirescope.pipeline.build import extract_text
from wirescope.record.models import Article, Entity, RawDocument, Record
from wirescope.record.serialize import record_from_dict, record_to_dict

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example


def _entities(text: str) -> list[Entity]:
    article = Article(raw=RawDocument(text=text, path="t", format="text"), body_span=(0, len(text)))
    doc = get_nlp()(text)
    return extract_places_orgs(article, doc, corrected_ents(doc))


def _by_name(ents: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in ents}


def test_two_names_one_place() -> None:
    text = (
        "Forces closed in on the main city of Khankendi, which Armenians call Stepanakert. "
        "Residents of Stepanakert fled."
    )
    places = [e for e in _entities(text) if e.type == "PLACE"]
    (k,) = [e for e in places if e.name == "Khankendi"]
    assert k.country == "AZ" and k.resolved and "Stepanakert" in k.aliases
    assert [text[s:e] for s, e in k.mentions] == ["Khankendi", "Stepanakert", "Stepanakert"]
    assert k.id.startswith("g")


def test_unknown_place_is_kept_unresolved() -> None:
    text = "The convoy reached the village of Zorbakistanovo in Azerbaijan on Monday."
    places = _by_name([e for e in _entities(text) if e.type == "PLACE"])
    assert places["Azerbaijan"].resolved is True
    unresolved = [e for e in places.values() if e.resolved is False]
    for e in unresolved:
        assert e.country is None and e.lat is None  # never a guessed city


def test_direction_prefix_resolves_to_the_base_place() -> None:
    text = "The meeting was held in the holy city of Qom, Central Iran, on Monday."
    places = _by_name([e for e in _entities(text) if e.type == "PLACE"])
    assert places["Qom"].country == "IR"
    assert "Iran" in places and places["Iran"].kind == "country"


def test_orgs_with_acronyms() -> None:
    text = (
        "She met the Assembly of First Nations (AFN) leaders. Later the AFN said it would "
        "work with the Saskatoon Police Service."
    )
    orgs = [e for e in _entities(text) if e.type == "ORG"]
    afn = [o for o in orgs if "AFN" in o.aliases]
    assert afn and afn[0].id.startswith("o")
    assert all(o.id.startswith("o") for o in orgs)


@pytest.fixture(scope="module")
def fixture_answer(example: Example) -> tuple[Record, dict[str, object]]:
    """The shared example article (its record) and its answer key."""
    return (extract_text(example.text), example.gold)


def test_fixture_gold_places(fixture_answer: tuple[Record, dict[str, object]]) -> None:
    record, gold = fixture_answer
    places = [e for e in record.entities if e.type == "PLACE"]
    golds = gold["places"]
    assert isinstance(golds, list)
    for g in golds:
        hits = [p for p in places if p.name == g["name"] or g["name"] in p.aliases]
        assert len(hits) == 1, g
        p = hits[0]
        assert p.country == g["country"], (g, p)
        assert p.resolved and p.lat is not None and p.lon is not None
        assert set(g.get("aliases", [])) <= set(p.aliases), (g, p.aliases)
        assert p.mentions or g["name"] == "Tehran"


def test_fixture_place_ids_and_mentions(fixture_answer: tuple[Record, dict[str, object]]) -> None:
    record, _ = fixture_answer
    places = [e for e in record.entities if e.type == "PLACE"]
    assert [p.id for p in places] == [f"g{i}" for i in range(1, len(places) + 1)]
    text = record.text
    for p in places:
        for s, e in p.mentions:
            assert text[s:e].strip() == text[s:e] and text[s:e]
    karabakh = next(p for p in places if p.name == "Karabakh")
    assert len(karabakh.mentions) >= 8  # tagged PERSON, ORG and GPE by the model


def test_initialism_joins_the_organisation_it_abbreviates() -> None:
    ents = _entities(
        "An August report from the Parliamentary Budget Officer estimates the program "
        "underperformed. In February, the PBO released a second report."
    )
    orgs = [e for e in ents if e.type == "ORG"]
    pbo = next(e for e in orgs if e.name == "Parliamentary Budget Officer")
    assert "PBO" in pbo.aliases
    assert not any(e.name == "PBO" for e in orgs)


# ---------------------------------------------------------------- issue 10: in context


def _places(text: str) -> dict[str, Entity]:
    """Place entities of `text` run through the whole pipeline (article parsing included:
    headline, dateline), by the surface text of each of their mentions."""
    record = extract_text(text)
    out: dict[str, Entity] = {}
    for e in record.entities:
        if e.type == "PLACE":
            for s, t in e.mentions:
                out[text[s:t]] = e
    return out


def test_divisions_and_continents_are_not_small_homonyms() -> None:
    text = (
        "Ministers from Scotland and England met in Glasgow on Monday to discuss trade "
        "with Asia, where demand for whisky is growing."
    )
    places = _places(text)
    assert (places["Scotland"].country, places["Scotland"].kind) == ("GB", "division")
    assert (places["England"].country, places["England"].kind) == ("GB", "division")
    assert places["Asia"].kind == "continent"
    for name in ("Scotland", "England", "Asia"):
        assert places[name].lat is not None and places[name].lon is not None


def test_capital_as_actor_is_the_capital() -> None:
    places = _places("Washington dispatched two destroyers to the region, angering Tehran.")
    washington = places["Washington"]
    assert (washington.country, washington.kind) == ("US", "city")
    assert washington.lat is not None and 38 < washington.lat < 40  # the District, not the state


def test_dateline_abbreviation_pins_the_state() -> None:
    text = "MONROE, La. (AP) — Flooding closed two highways near the city on Tuesday, police said."
    places = _places(text)
    assert places["MONROE"].country == "US"
    assert places["La."].name == "Louisiana"
    assert places["MONROE"].lat is not None and 31 < places["MONROE"].lat < 34


def test_city_state_pattern_and_one_sense_per_document() -> None:
    text = (
        "A woman from Paris, Texas, won the state lottery. Neighbours in Paris said she "
        "planned to stay in town."
    )
    places = _places(text)
    assert places["Paris"].country == "US" and places["Texas"].name == "Texas"
    assert len(places["Paris"].mentions) == 2  # both mentions, one sense


def test_headline_word_is_no_place() -> None:
    text = "Man charged after crash\n\nA man was charged on Friday after a crash in Leeds."
    places = _places(text)
    assert "Man" not in places
    assert all(e.name != "Manitoba" for e in places.values())


def test_demonyms_are_mentions_of_their_country() -> None:
    text = "Dutch negotiators and their Brazilian counterparts met in Geneva."
    places = _places(text)
    assert places["Dutch"].name == "Netherlands" or places["Dutch"].country == "NL"
    assert places["Brazilian"].country == "BR" and places["Brazilian"].kind == "country"
    # a demonym is a mention, not an alias of the country
    assert "Dutch" not in places["Dutch"].aliases


def test_place_inside_an_organisation_name() -> None:
    text = "A spokesman for the Calgary Police Service said two men were arrested in Alberta."
    record = extract_text(text)
    calgary = next(e for e in record.entities if e.type == "PLACE" and e.name == "Calgary")
    org = next(e for e in record.entities if e.type == "ORG" and "Police" in e.name)
    assert calgary.country == "CA" and org.places == [calgary.id]


def test_a_name_of_the_storys_people_is_no_place() -> None:
    text = (
        "Skater Georgia Thompson, 12, won the regional title on Sunday. Georgia trains "
        "five days a week in Calgary, her coach said."
    )
    places = _places(text)
    assert "Georgia" not in places and "Calgary" in places


def test_streets_are_places_and_org_places_survive_a_round_trip() -> None:
    text = (
        "Firefighters were called to a house in Hertford Road on Monday, and a spokesman "
        "for the Calgary Police Service said the road was closed."
    )
    record = extract_text(text)
    street = next(e for e in record.entities if e.type == "PLACE" and e.name == "Hertford Road")
    assert street.kind == "street" and street.resolved is False and street.lat is None
    assert not any(e.type == "ORG" and e.name == "Hertford Road" for e in record.entities)
    again = record_from_dict(json.loads(json.dumps(record_to_dict(record))))
    org = next(e for e in again.entities if e.type == "ORG" and "Police" in e.name)
    assert org.places and again.entity(org.places[0]) is not None


def _places_of(text: str) -> dict[str, Entity]:
    """Through the whole pipeline: the article reader finds datelines and headlines."""
    return {e.name: e for e in extract_text(text).entities if e.type == "PLACE"}


def test_dateline_abbreviation_without_its_dot_pins_the_city() -> None:
    places = _places_of("LONDON, Ky (WKYT) -- Crews fought a warehouse fire overnight.")
    london, kentucky = places["London"], places["Kentucky"]
    assert london.country == "US" and london.lat is not None and 36 < london.lat < 38
    assert kentucky.kind == "state"


def test_capitals_opening_the_story_are_its_dateline() -> None:
    text = (
        "WASHINGTON The former British agent, who once worked in Manchester and Leeds in "
        "England, met senators on Tuesday."
    )
    washington = _places_of(text)["Washington"]
    assert washington.country == "US" and washington.lat is not None and 38 < washington.lat < 40


def test_a_dateline_is_a_city_of_the_story_country() -> None:
    text = "VICTORIA - Ferry workers across British Columbia walked off the job on Friday."
    victoria = _places_of(text)["Victoria"]
    assert victoria.country == "CA" and victoria.kind == "city"


def test_direction_words_before_a_place_are_no_place() -> None:
    places = _places_of("Floods cut roads across Far North Queensland this week, police said.")
    assert places["Queensland"].country == "AU"
    assert "Far North" not in places


def test_neighbouring_names_resolve_together() -> None:
    # Neither name's likeliest sense is English (Edmonton, Alberta; Enfield, Connecticut),
    # but together they are the two neighbouring London boroughs.
    places = _places_of("Enfield Council said the new library in Edmonton would open in spring.")
    assert places["Edmonton"].country == "GB"
    assert places["Enfield Town"].country == "GB"


def test_the_outlet_home_country_frames_the_story() -> None:
    from wirescope.pipeline.build import process_one

    text = "Police in London said the stolen truck was found near a park on Sunday."

    def london(meta: dict[str, str]) -> Entity:
        record = process_one(RawDocument(text=text, path="t", format="text", meta=meta))
        assert isinstance(record, Record)
        return next(e for e in record.entities if e.name == "London")

    assert london({}).country == "GB"
    assert london({"url": "https://www.examplenews.ca/local/truck"}).country == "CA"
    assert london({"url": "https://news.example.co.uk/truck"}).country == "GB"


def test_a_demonym_the_model_calls_a_place_is_its_country() -> None:
    text = "He told The Canadian Press that the vote would be held in Regina."
    canada = [e for e in _entities(text) if e.type == "PLACE" and e.country == "CA"]
    assert any(e.kind == "country" for e in canada)
    assert not [e for e in _entities(text) if e.name == "Canadian"]


def _place_kinds(text: str) -> list[tuple[str, str | None, str | None]]:
    from wirescope.pipeline.build import extract_text

    rec = extract_text(text)
    return [(e.name, e.kind, e.country) for e in rec.entities if e.type == "PLACE"]


def test_a_city_over_its_namesake_division_unless_the_state_is_said() -> None:
    assert ("New York City", "city", "US") in _place_kinds(
        "The team flew from New York to Los Angeles on Sunday."
    )
    assert ("Washington", "state", "US") in _place_kinds(
        "Fires burned across Washington state on Monday, officials in Seattle said."
    )


def test_planets_are_no_small_towns() -> None:
    assert _place_kinds("The probe will land on Mars after leaving Earth in June.") == []


def test_places_named_only_in_passing_are_incidental() -> None:
    text = (
        "Two British players and a Polish coach met officials of the Federal Reserve Bank "
        "of Dallas and a Supreme Court judge in Nairobi. Chile beat Peru 3-0 in Lima."
    )
    places = {e.name: e for e in extract_text(text).entities if e.type == "PLACE"}
    assert not places["Nairobi"].incidental and not places["Lima"].incidental
    assert not places["Chile"].incidental  # "Chile 3-0": a score, not a name
    for name in ("United Kingdom", "Poland", "Dallas"):
        assert name not in places or places[name].incidental, name
    assert all(p.incidental for p in places.values() if p.name.startswith("Supreme"))


def test_an_era_after_a_number_is_no_place() -> None:
    text = "Romans lit the streets as early as 500 BC, the study says. Vancouver, BC is rainy."
    names = [e.name for e in extract_text(text).entities if e.type == "PLACE"]
    assert names == ["Vancouver", "British Columbia"]
    (bc,) = [e for e in extract_text(text).entities if e.name == "British Columbia"]
    assert bc.mentions == [(text.index("BC is"), text.index("BC is") + 2)]
