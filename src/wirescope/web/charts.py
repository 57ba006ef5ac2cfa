"""Numbers for the small SVGs (quotes over time, a place on the map); the templates
draw them, so no text is ever pasted into markup here."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

CHART_W, CHART_H = 600, 120
MAX_BARS = 48  # more months than this: one bar per year


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str  # "2021-03" or "2021"
    count: int


def _months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline(months: list[tuple[str, int]]) -> list[Bar]:
    """Bars for (YYYY-MM, count), empty months included so time reads evenly."""
    valid = [(m, n) for m, n in months if len(m) == 7 and m[:4].isdigit() and m[5:].isdigit()]
    if not valid:
        return []
    counts = dict(valid)
    labels = _months_between(valid[0][0], valid[-1][0])
    if len(labels) > MAX_BARS:
        years: dict[str, int] = {}
        for m in labels:
            years[m[:4]] = years.get(m[:4], 0) + counts.get(m, 0)
        series = list(years.items())
    else:
        series = [(m, counts.get(m, 0)) for m in labels]
    top = max(n for _, n in series) or 1
    step = CHART_W / len(series)
    bars = []
    for i, (label, n) in enumerate(series):
        h = (CHART_H - 20) * n / top
        bars.append(Bar(i * step + 1, CHART_H - 16 - h, max(step - 2, 1), h, label, n))
    return bars


def map_point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """Equirectangular position in the 360 x 180 box of static/world.svg."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lon + 180, 2), round(90 - lat, 2)


# -- a list's volume over time: bars per day, week, month or year, by the span --------

DAY_SPAN = 62  # days: at most this long a span, one bar a day
WEEK_SPAN = 30  # weeks: one bar a week
MONTH_SPAN = MAX_BARS  # months: one bar a month; longer, one a year


@dataclass
class Period:
    """One bar of a volume chart: its dates (the filter a click sets) and its count."""

    label: str
    since: date
    until: date
    count: int
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


@dataclass
class Volume:
    unit: str  # "day", "week", "month" or "year"
    bars: list[Period]
    total: int  # the dated rows drawn
    undated: int  # the rows with no date, not drawn


def _month_end(d: date) -> date:
    nxt = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def volume(
    months: list[tuple[str, int]], days: Callable[[], list[tuple[str, int]]]
) -> Volume | None:
    """The bars of a list's volume over time, from its month facet: a span of a few
    months is read again by day (`days()`, asked only then) and drawn by day or week;
    a long one by month or year. Empty periods are drawn, so time reads evenly."""
    undated = sum(n for m, n in months if m == "undated")
    dated = sorted((m, n) for m, n in months if _is_month(m) and n)
    if not dated:
        return None
    first = date(int(dated[0][0][:4]), int(dated[0][0][5:7]), 1)
    last = _month_end(date(int(dated[-1][0][:4]), int(dated[-1][0][5:7]), 1))
    n_months = (last.year - first.year) * 12 + last.month - first.month + 1
    periods: list[Period] = []
    if n_months <= WEEK_SPAN // 4:  # a few months: by day, or by week
        by_day = {date.fromisoformat(d): n for d, n in days() if _is_day(d)}
        if by_day:
            first, last = min(by_day), max(by_day)
        if (last - first).days < DAY_SPAN:
            unit = "day"
            d = first
            while d <= last:
                periods.append(Period(d.isoformat(), d, d, by_day.get(d, 0)))
                d += timedelta(days=1)
        else:
            unit = "week"
            d = first - timedelta(days=first.weekday())  # Mondays
            while d <= last:
                end = d + timedelta(days=6)
                n = sum(v for k, v in by_day.items() if d <= k <= end)
                periods.append(Period(f"week of {d.isoformat()}", d, end, n))
                d = end + timedelta(days=1)
    elif n_months <= MONTH_SPAN:
        unit = "month"
        counts = dict(dated)
        d = first
        while d <= last:
            label = f"{d.year:04d}-{d.month:02d}"
            periods.append(Period(label, d, _month_end(d), counts.get(label, 0)))
            d = _month_end(d) + timedelta(days=1)
    else:
        unit = "year"
        years: dict[int, int] = {}
        for m, n in dated:
            years[int(m[:4])] = years.get(int(m[:4]), 0) + n
        for y in range(first.year, last.year + 1):
            periods.append(Period(str(y), date(y, 1, 1), date(y, 12, 31), years.get(y, 0)))
    top = max((p.count for p in periods), default=0) or 1
    step = CHART_W / len(periods)
    for i, p in enumerate(periods):
        p.h = (CHART_H - 20) * p.count / top
        p.x, p.y, p.w = i * step + 1, CHART_H - 16 - p.h, max(step - 2, 1)
    return Volume(unit, periods, sum(p.count for p in periods), undated)


def _is_month(m: str) -> bool:
    return len(m) == 7 and m[:4].isdigit() and m[4] == "-" and m[5:].isdigit()


def _is_day(d: str) -> bool:
    try:
        date.fromisoformat(d)
    except ValueError:
        return False
    return True


# -- two series over time on one chart ------------------------------------------------


@dataclass
class Series:
    label: str
    points: str  # the polyline's "x,y x,y ..."
    counts: list[int]
    total: int
    xy: list[tuple[float, float]]  # each month's point: a marker (one month has no line)


@dataclass
class Comparison:
    months: list[str]
    series: list[Series]
    top: int


def compare(named: list[tuple[str, list[tuple[str, int]]]]) -> Comparison | None:
    """Lines of (label, [(YYYY-MM, count)]) series over the months any of them spans
    (by year beyond MAX_BARS months), on one scale."""
    all_months = sorted({m for _, ms in named for m, n in ms if _is_month(m) and n})
    if not all_months:
        return None
    labels = _months_between(all_months[0], all_months[-1])
    by_year = len(labels) > MAX_BARS
    if by_year:
        labels = sorted({m[:4] for m in labels})
    rows = []
    for label, ms in named:
        counts: dict[str, int] = {}
        for m, n in ms:
            if _is_month(m):
                k = m[:4] if by_year else m
                counts[k] = counts.get(k, 0) + n
        rows.append((label, [counts.get(k, 0) for k in labels]))
    top = max((max(c) for _, c in rows if c), default=0) or 1
    step = (CHART_W - 8) / max(len(labels) - 1, 1)
    series = []
    for label, counts_ in rows:
        xy = [
            (
                round(4 + (i * step if len(labels) > 1 else CHART_W / 2 - 4), 1),
                round(CHART_H - 16 - (CHART_H - 24) * n / top, 1),
            )
            for i, n in enumerate(counts_)
        ]
        pts = " ".join(f"{x},{y}" for x, y in xy)
        series.append(Series(label, pts, counts_, sum(counts_), xy))
    return Comparison(labels, series, top)


# -- the corpus map: places as dots sized by their count ------------------------------


@dataclass
class Dot:
    x: float
    y: float
    r: float
    label: str
    count: int
    href: str


def dots(places: list[tuple[str, float | None, float | None, int, str]]) -> list[Dot]:
    """(label, lat, lon, count, href) as dots on static/world.svg's 360 x 180 box, the
    area of each dot in proportion to its count; places without coordinates left out."""
    top = max((n for *_, n, _ in places), default=0) or 1
    out = []
    for label, lat, lon, n, href in places:
        at = map_point(lat, lon)
        if at is not None and n > 0:
            out.append(Dot(at[0], at[1], round(1.2 + 7 * math.sqrt(n / top), 2), label, n, href))
    out.sort(key=lambda d: -d.r)  # big ones first: small ones stay visible on top
    return out
