"""Place resolution: one sense per name for the whole story, scored by prior and context
(the story's countries and divisions, the dateline, capitals as actors, closeness to its
other places)."""

from __future__ import annotations

import math
from collections import defaultdict

from wirescope.extract.gazetteer import (
    BIAS,
    SHADOW_CITY_POPULATION,
    PlaceMatch,
    haversine_km,
    prior,
)
from wirescope.extract.places.recognize import DIVISION_KINDS, LOCAL_KINDS, _Mention

# Context weights, in the prior's log10-population units (gazetteer.prior).
DIVISION_BIAS = 2.0  # a city or county inside a division the story names
DATELINE_CITY = 3.0  # a dateline names a city
ACTOR_CAPITAL = 3.0  # "Washington sent ...": the capital, as its government
CITY_OVER_DIVISION = 5.0  # a capital or a city of millions over its namesake division
BIG_CITY = 1_000_000
SPATIAL = 2.0  # a sense near the story's other places (full weight within NEAR_KM)
NEAR_KM, FAR_KM = 30.0, 3000.0
SPATIAL_MARGIN = 2.0  # a sense this close to its name's best counts as plausible
CLEAR_MARGIN = 2.0  # a name whose best sense beats the next by this much is evidence


def _closeness(m: PlaceMatch, refs: list[tuple[float, float]]) -> float:
    """1 within NEAR_KM of one of the story's other places, 0 beyond FAR_KM."""
    if m.lat is None or m.lon is None or not refs:
        return 0.0
    d = min(haversine_km(m.lat, m.lon, lat, lon) for lat, lon in refs)
    if d <= NEAR_KM:
        return 1.0
    if d >= FAR_KM:
        return 0.0
    return (math.log(FAR_KM) - math.log(d)) / (math.log(FAR_KM) - math.log(NEAR_KM))


def _resolve(mentions: list[_Mention], home: str | None = None) -> dict[str, PlaceMatch | None]:
    """One sense per name (the normalized key) for the whole article; `home` is the
    outlet's country, which frames the story as a country it names does."""
    by_key: dict[str, list[_Mention]] = defaultdict(list)
    weak_keys: set[str] = set()
    for m in mentions:
        if m.fixed is None:
            by_key[m.key].append(m)
    for key, ms in by_key.items():
        if all(m.weak for m in ms):
            weak_keys.add(key)
    choice: dict[str, PlaceMatch | None] = {}
    options: dict[str, tuple[PlaceMatch, ...]] = {}
    for key, ms in by_key.items():
        pinned = next((m.within for m in ms if m.within), None)
        options[key] = tuple(pinned) if pinned else ms[0].senses
    # Evidence: the senses we are sure of, and the dateline's.
    sure: list[PlaceMatch] = [m.fixed for m in mentions if m.fixed is not None]
    for key, opts in options.items():
        if key in weak_keys:
            continue
        if len(opts) == 1 or (opts and prior(opts[0]) - prior(opts[1]) >= CLEAR_MARGIN):
            sure.append(opts[0])
    countries = {x.country for x in sure if x.country and x.kind != "continent"}
    if home is not None:
        countries.add(home)
    divisions = {(x.country, x.division) for x in sure if x.kind in DIVISION_KINDS}
    dateline_keys = {m.key for m in mentions if m.dateline and m.fixed is None}
    actor_keys = {key for key, ms in by_key.items() if any(m.actor for m in ms)}
    for key in dateline_keys:
        # A dateline names the city the story was filed from ("VICTORIA -" in a story
        # about British Columbia is no Australian state): its city senses only, the one
        # in a country of the story's sure places; its country then frames the story.
        opts = tuple(x for x in options[key] if x.kind == "city") or options[key]
        options[key] = opts
        best = max(
            opts,
            key=lambda x: prior(x) + BIAS * (x.country in countries),
            default=None,
        )
        if best is not None and best.country:
            countries.add(best.country)
            divisions.add((best.country, best.division))

    city_keys = {
        key
        for key, opts in options.items()
        if any(o.kind in DIVISION_KINDS for o in opts)
        and any(o.kind == "city" for o in opts)
        and not any(o.kind == "country" for o in opts)  # "Mexico" is the country
    }

    def score(key: str, x: PlaceMatch, refs: list[tuple[float, float]]) -> float:
        s = prior(x)
        dl = key in dateline_keys
        if x.country in countries:
            s += BIAS
        # Not for a dateline: a story filed from Washington may be all about England.
        if x.kind in LOCAL_KINDS and (x.country, x.division) in divisions and not dl:
            s += DIVISION_BIAS
        if key in dateline_keys and x.kind == "city":
            s += DATELINE_CITY
        # "Washington sent ...", "WASHINGTON (AP) —": a capital big enough to file
        # news from (not Victoria, Seychelles, for "VICTORIA -" in a Canadian story).
        if (key in actor_keys or dl) and x.capital and x.primary:
            s += ACTOR_CAPITAL * (x.population >= SHADOW_CITY_POPULATION)
        # "New York", "Washington" alone: the city that shares a division's name, when it
        # is the country's capital or a city of millions in a country of the story
        elif x.kind == "city" and x.country in countries and key in city_keys:
            big = x.population >= BIG_CITY or (x.capital and x.primary)
            s += CITY_OVER_DIVISION * (big and x.population >= SHADOW_CITY_POPULATION)
        return s + SPATIAL * _closeness(x, refs)

    base: dict[str, dict[int, float]] = {}
    for key, opts in options.items():
        base[key] = {id(x): score(key, x, []) for x in opts}
        choice[key] = max(opts, key=lambda x: base[key][id(x)], default=None)
    # Spatial minimality: a sense near a plausible sense of another of the story's names
    # wins ("Edmonton" beside "Enfield" is the London borough, though neither city's
    # likeliest sense is English). Plausible: within SPATIAL_MARGIN of that name's best.
    plausible: dict[str, list[tuple[float, float]]] = {}
    for key, opts in options.items():
        top = max(base[key].values(), default=0.0)
        plausible[key] = [
            (x.lat, x.lon)
            for x in opts
            if x.kind in LOCAL_KINDS
            and x.lat is not None
            and x.lon is not None
            and base[key][id(x)] >= top - SPATIAL_MARGIN
        ]
    for key, opts in options.items():
        if len(opts) < 2:
            continue
        refs = [p for k, ps in plausible.items() if k != key for p in ps]
        choice[key] = max(opts, key=lambda x: score(key, x, refs))
    for key in weak_keys:
        c = choice.get(key)
        if c is not None and c.kind not in ("country", "continent") and c.country not in countries:
            choice[key] = None
            for m in by_key[key]:
                m.dropped = True
    return choice
