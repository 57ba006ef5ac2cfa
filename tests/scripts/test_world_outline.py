"""The offline world outline (web/static/world.svg, scripts/world_outline.py): no ring
runs a line across the map where it crosses the antimeridian."""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from world_outline import unwrapped  # noqa: E402


def segments(d: str) -> list[tuple[float, float, float, float]]:
    out = []
    for sub in d.split("M")[1:]:
        pts = [tuple(map(float, p.split())) for p in re.findall(r"(-?[\d.]+ -?[\d.]+)", sub)]
        out += [(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(pts)]
    return out


def test_the_shipped_outline_has_no_line_across_the_map() -> None:
    svg = (REPO / "src/wirescope/web/static/world.svg").read_text()
    d = re.search(r' d="([^"]+)"', svg)
    assert d is not None
    segs = segments(d.group(1))
    assert len(segs) > 1000
    # along the map's bottom edge (Antarctica closed at the pole) is no line across it
    across = [s for s in segs if abs(s[2] - s[0]) > 180 and not s[1] == s[3] == 180]
    assert across == []


def test_a_ring_over_the_antimeridian_is_drawn_twice_shifted() -> None:
    # an island from 179 E to 179 W (x 359 .. 1): continuous, and a copy a world over
    ring = [(359.0, 20.0), (1.0, 20.0), (1.0, 22.0), (359.0, 22.0)]
    drawn = unwrapped(ring)
    assert drawn == [
        [(359.0, 20.0), (361.0, 20.0), (361.0, 22.0), (359.0, 22.0)],
        [(-1.0, 20.0), (1.0, 20.0), (1.0, 22.0), (-1.0, 22.0)],
    ]


def test_a_ring_around_the_pole_closes_along_the_bottom_edge() -> None:
    ring = [(0.0, 170.0), (180.0, 172.0), (359.0, 170.0), (1.0, 170.5)]
    (first, *_) = unwrapped(ring)
    assert first[-2:] == [(361.0, 180.0), (0.0, 180.0)]
