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


@pytest.mark.parametrize(
    ("name", "expected", "country", "kind"),
    [
        ("Scotland", "Scotland", "GB", "division"),  # not Scotland, Pennsylvania
        ("England", "England", "GB", "division"),  # not England, Arkansas
        ("Bavaria", "Bavaria", "DE", "division"),
        ("Punjab", "Punjab", "PK", "division"),
        ("Asia", "Asia", None, "continent"),  # not the town in the Philippines
        ("Kentucky", "Kentucky", "US", "state"),
        ("Metcalfe County", "Metcalfe County", "US", "county"),
    ],
)
def test_divisions_and_continents_have_coordinates(
    name: str, expected: str, country: str | None, kind: str
) -> None:
    m = lookup(name)
    assert m is not None
    assert (m.name, m.country, m.kind) == (expected, country, kind)
    assert m.lat is not None and m.lon is not None


def test_countries_have_coordinates() -> None:
    for name, (lat, lon) in {"Turkey": (39, 35), "Brazil": (-10, -55), "Norway": (62, 10)}.items():
        m = lookup(name)
        assert m is not None and m.kind == "country" and m.lat is not None and m.lon is not None
        assert abs(m.lat - lat) < 5 and abs(m.lon - lon) < 5


def test_a_big_city_keeps_its_name_against_its_division() -> None:
    # Qom Province, Moscow Oblast, Washington State: the bare name is the city ...
    for name, country in (("Moscow", "RU"), ("Qom", "IR"), ("Washington", "US")):
        m = lookup(name)
        assert m is not None and (m.kind, m.country) == ("city", country)
    # ... while the division is still there under its full name.
    oblast = lookup("Moscow Oblast")
    assert oblast is not None and oblast.kind == "division"


def test_abbreviations_and_generic_words_are_no_places_alone() -> None:
    man = lookup("Man")
    assert man is None or man.name != "Manitoba"
    assert lookup("Northern") is None
