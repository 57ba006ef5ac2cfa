"""Gazetteer look-ups: contested names, ambiguity, unknown names, speed."""

from __future__ import annotations

import time

import pytest

from wirescope.extract.gazetteer import get_gazetteer, lookup, normalize


@pytest.mark.parametrize(
    ("name", "expected", "country"),
    [
        ("Khankendi", "Khankendi", "AZ"),
        ("Stepanakert", "Khankendi", "AZ"),
        ("Shusha", "Shusha", "AZ"),
        ("Shushi", "Shusha", "AZ"),
        ("Qom", "Qom", "IR"),
        ("Tehran", "Tehran", "IR"),
        ("TEHRAN", "Tehran", "IR"),
        ("Baku", "Baku", "AZ"),
        ("Karabakh", "Karabakh", "AZ"),
        ("Nagorno-Karabakh", "Karabakh", "AZ"),
        ("the Republic of Azerbaijan", "Azerbaijan", "AZ"),
        ("Iran’s", "Iran", "IR"),
        ("U.S.", "United States", "US"),
        ("Crimea", "Crimea", "UA"),
    ],
)
def test_known_places(name: str, expected: str, country: str) -> None:
    m = lookup(name)
    assert m is not None
    assert (m.name, m.country) == (expected, country)


def test_khankendi_and_stepanakert_are_one_place() -> None:
    a, b = lookup("Khankendi"), lookup("Stepanakert")
    assert a is not None and a == b
    assert "Stepanakert" in a.aliases
    assert a.lat is not None and abs(a.lat - 39.82) < 0.05
    assert a.lon is not None and abs(a.lon - 46.75) < 0.05


def test_karabakh_is_a_region_with_coordinates() -> None:
    m = lookup("Karabakh")
    assert m is not None and m.kind == "region" and m.lat is not None
    assert any(name == "Artsakh" for name, _ in m.also_called)


def test_shusha_alias() -> None:
    m = lookup("Shusha")
    assert m is not None and "Shushi" in m.aliases and m.geonames_id == 147105


def test_unknown_name_is_none_not_a_guess() -> None:
    assert lookup("Blorpvillezz") is None
    assert lookup("Central Iran") is None  # no fuzzy match to some city
    assert lookup("") is None


def test_countries_win_ambiguity() -> None:
    m = lookup("Georgia")
    assert m is not None and m.kind == "country" and m.country == "GE"


def test_largest_population_wins_and_bias_helps() -> None:
    m = lookup("Tehran")  # also an alternate name of the small town Tiran
    assert m is not None and m.population > 1_000_000
    london = lookup("London")
    assert london is not None and london.country == "GB"
    biased = lookup("London", countries=["CA"])
    assert biased is not None and biased.country == "CA"


def test_normalize() -> None:
    assert normalize("  The  Nagorno-Karabakh ") == "nagorno karabakh"
    assert normalize("Şuşa") == "susa"


def test_lookup_and_load_are_fast() -> None:
    gz = get_gazetteer()
    t = time.perf_counter()
    for name in ("Qom", "Baku", "Paris", "Ottawa", "Nowhereville"):
        gz.candidates(name)
    assert (time.perf_counter() - t) / 5 < 0.05
    get_gazetteer.cache_clear()
    t = time.perf_counter()
    get_gazetteer()
    assert time.perf_counter() - t < 0.5
