"""The entities scorer on a gold page of our own and hand-made records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirescope.cli.evaluate import gold_format
from wirescope.evaluate.entities import load_gold, role_right, score
from wirescope.record.models import Entity, Record

GOLD = {
    "page.html": {
        "people": [
            {"name": "Maria Ortega", "kind": "person", "aliases": ["Ortega"],
             "roles": ["port authority chief"]},
            {"name": "Harbour Workers Union", "kind": "organisation", "aliases": ["HWU"],
             "roles": []},
            {"name": "Tomas Ruiz", "kind": "person", "aliases": [], "roles": ["Chief Executive"]},
            {"name": "Kestrel City", "kind": "organisation", "aliases": [], "roles": [],
             "optional": True},
        ],
        "places": [
            {"name": "Valparaíso", "mentions": ["Valparaiso"], "lat": -33.05, "lon": -71.62},
            {"name": "Chile", "mentions": ["Chile"], "lat": -35.7, "lon": -71.5},
            {"name": "Lima", "mentions": ["Lima"], "lat": -12.05, "lon": -77.04},
        ],
        "notes": "",
    }
}  # fmt: skip


@pytest.fixture
def gold_path(tmp_path: Path) -> Path:
    path = tmp_path / "entities.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return path


def _record(entities: list[Entity]) -> Record:
    return Record(id="x", source={"path": "page.html"}, text="", entities=entities)


def test_the_gold_file_is_recognized_and_read(gold_path: Path) -> None:
    assert gold_format(str(gold_path)) == "wirescope.evaluate.entities"
    (page,) = load_gold(gold_path)
    assert [g.kind for g in page.people] == ["person", "organisation", "person", "organisation"]
    assert "valparaiso" in page.places[0].names  # accents and case aside


def test_people_places_roles_and_duplicates_are_counted(gold_path: Path) -> None:
    ents = [
        Entity(id="p1", type="PERSON", name="Maria Ortega", roles=["the port authority chief"]),
        Entity(id="o1", type="ORG", name="Ortega"),  # the same person again: a duplicate
        Entity(id="o2", type="ORG", name="HWU"),  # an alias matches
        Entity(id="p2", type="PERSON", name="Tomas Ruiz", roles=["Chief"]),  # a fragment
        Entity(id="o3", type="ORG", name="Kestrel City"),  # optional: neutral
        Entity(id="o4", type="ORG", name="Chile"),  # a place acting: never spurious
        Entity(id="p3", type="PERSON", name="Monday"),  # spurious
        Entity(id="g1", type="PLACE", name="Valparaiso", lat=-33.04, lon=-71.6),
        Entity(id="g2", type="PLACE", name="Lima", lat=40.74, lon=-84.1),  # Lima, Ohio
        Entity(id="g3", type="PLACE", name="Atlantis"),  # spurious
    ]
    s, errors = score(load_gold(gold_path), {"page.html": _record(ents)})
    assert (s.bodies.gold, s.bodies.tp_gold) == (3, 3)
    assert (s.bodies.pred, s.bodies.tp_pred) == (5, 4)
    assert s.duplicates == 1
    # one right role (a leading article aside), one fragment; Ruiz has none right
    assert (s.roles.pred, s.roles.tp_pred, s.roles.gold, s.roles.tp_gold) == (2, 1, 2, 1)
    # Chile, found as a body, is found; Lima is matched but 9,000 km off
    assert (s.places.gold, s.places.tp_gold, s.places.pred, s.places.tp_pred) == (3, 3, 3, 2)
    assert (s.places_scored, s.places_near) == (2, 1)
    assert any("duplicate: Maria Ortega" in line for line in errors[0].lines)


def test_a_role_is_right_with_the_same_head_never_as_a_fragment() -> None:
    assert role_right("President", ["US President"])
    assert role_right("Nato's Secretary General", ["secretary general"])
    assert not role_right("Chief", ["Chief Executive"])
    assert not role_right("Director of U", ["director of U.S. rate strategy"])


def test_a_failed_page_is_counted_not_scored(gold_path: Path) -> None:
    s, errors = score(load_gold(gold_path), {"page.html": "extract failed: boom"})
    assert s.failed == 1 and s.bodies.gold == 0
    assert errors[0].lines == ["  failed: extract failed: boom"]


def test_a_country_resolved_to_itself_is_right_wherever_its_point(tmp_path: Path) -> None:
    gold = {
        "p.html": {
            "people": [],
            "places": [
                {"name": "Peru", "mentions": ["Peru"], "feature": "country", "country": "PE",
                 "lat": -9.19, "lon": -75.02},
                {"name": "Georgia", "mentions": ["Georgia"], "feature": "country",
                 "country": "GE", "lat": 42.3, "lon": 43.4},
            ],
        }
    }  # fmt: skip
    path = tmp_path / "entities.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    ents = [  # the gazetteer's points for Peru (about 400 km off) and the US state
        Entity(id="g1", type="PLACE", name="Peru", kind="country", country="PE",
               lat=-10.0, lon=-72.0),
        Entity(id="g2", type="PLACE", name="Georgia", kind="state", country="US",
               lat=32.75, lon=-83.5),
    ]  # fmt: skip
    s, _ = score(load_gold(path), {"p.html": _record(ents)})
    assert (s.places_scored, s.places_near, s.places_near_km) == (2, 1, 0)
