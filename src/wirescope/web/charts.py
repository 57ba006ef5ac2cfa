"""Numbers for the small SVGs (quotes over time, a place on the map); the templates
draw them, so no text is ever pasted into markup here."""

from __future__ import annotations

from dataclasses import dataclass

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
