"""Places (resolved, with aliases and mentions) and organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.places import extract_places_orgs
from wirescope.nlp.parse import get_nlp
from wirescope.record.models import Article, Entity, RawDocument, Record
from wirescope.record.pipeline import extract_text

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
