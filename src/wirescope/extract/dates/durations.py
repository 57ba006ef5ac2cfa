"""Durations and sets (TIMEX3 DURATION, SET): "two weeks", "2 1/2 years", "every
month", "daily"; and the number and unit words they count with."""

from __future__ import annotations

import re
from typing import Any

from wirescope.extract.dates.anchoring import Ctx, Norm
from wirescope.extract.dates.words import MONTHS, NUMBER_WORDS, UNIT_CODE, VAGUE_NUMBERS


def _number(raw: str | None) -> int | None:
    """2, "two", "twenty four", "twenty-four"; None for vague ("several")."""
    if raw is None:
        return 1
    raw = raw.lower().strip()
    if raw in VAGUE_NUMBERS:
        return None
    if raw.startswith(("a couple", "couple")):  # TimeBank counts "a couple of years" as P2Y
        return 2
    if raw.replace(".", "", 1).isdigit():
        return int(float(raw)) if "." not in raw else None
    total = 0
    for part in re.split(r"[\s-]+", raw):
        if part not in NUMBER_WORDS:
            return None
        if part == "hundred":  # "a hundred", "two hundred": a multiplier
            total = (total or 1) * 100
        else:
            total += NUMBER_WORDS[part]
    return total or None


def _duration(n: int | None, unit: str) -> str:
    if unit == "decade":  # TimeBank writes decades in years: "a decade" P10Y, "decades" PXY
        n, unit = (None if n is None else 10 * n), "year"
    code = UNIT_CODE[unit]
    if code == "WE":
        return f"P{n or 'X'}WE" if n != 1 else "P2D"
    count = "X" if n is None else str(n)
    if code.startswith("T"):
        return f"PT{count}{code[1]}"
    return f"P{count}{code}"


def _unit(raw: str) -> str:
    u = raw.lower()
    return "century" if u.startswith("centur") else u.rstrip("s")


def _duration_mod(g: dict[str, str | Any]) -> str | None:
    if g.get("approx"):
        return "APPROX"
    if g.get("lt"):
        return {"less than": "LESS_THAN", "under": "LESS_THAN", "more than": "MORE_THAN",
                "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
                "nearly": "LESS_THAN", "almost": "LESS_THAN"}.get(g["lt"].lower())  # fmt: skip
    return None


def _duration_h(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    unit = _unit(g["unit"])
    n = _number(g.get("n"))
    if n is None and g.get("n") is None:
        n = 1
    return Norm(_duration(n, unit), None, "DURATION", mod=_duration_mod(g))


# Half a unit in the next smaller one: "2 1/2 years" P2Y6M, "a minute and a half" PT1M30S
_HALF_OF = {"year": "{n}Y6M", "month": "{n}M15D", "day": "{n}DT12H", "hour": "T{n}H30M",
            "minute": "T{n}M30S", "decade": "{n10}Y", "century": "{n100}Y"}  # fmt: skip


def _half_duration(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    unit = _unit(g["unit"])
    n = _number(g["n"])
    if n is None or unit not in _HALF_OF:
        return None
    value = "P" + _HALF_OF[unit].format(n=n, n10=10 * n + 5, n100=100 * n + 50)
    return Norm(value, None, "DURATION", mod=_duration_mod(g))


def _plural_duration(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm(_duration(None, _unit(m["unit"])), None, "DURATION")


def _set_unit(m: re.Match[str], c: Ctx) -> Norm | None:
    unit = _unit(m["unit"])
    if unit == "weekend":
        return Norm("XXXX-WXX-WE", None, "SET")
    return Norm(_duration(1, unit), None, "SET")


_ADVERB_SET = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
               "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D", "quarterly": "P1Q"}  # fmt: skip


def _set_adverb(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm(_ADVERB_SET[m["adv"].lower()], None, "SET")


def _set_month(m: re.Match[str], c: Ctx) -> Norm | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    return Norm(f"XXXX-{month:02d}", None, "SET")


def _one_year(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm("P1Y", None, "DURATION")
