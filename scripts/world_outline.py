"""Build src/wirescope/web/static/world.svg, the offline map outline of place pages.

Input: land-110m.json from the npm package world-atlas@2 (Natural Earth 1:110m land,
public domain; TopoJSON by Mike Bostock, ISC): `npm pack world-atlas@2`, untar, then

    python scripts/world_outline.py package/land-110m.json

The SVG is equirectangular in a 360 x 180 box: x = lon + 180, y = 90 - lat, so the web
page puts a place's dot at the same coordinates without any projection code.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/wirescope/web/static/world.svg"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers under a scale/translate transform."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrapped(pts: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring in the 360 x 180 box as the outlines to draw: a ring that crosses the
    antimeridian (Chukotka, Fiji) is made continuous and drawn twice, once shifted a
    world over, the box clipping each (drawn as is, it ran a line across the map); a
    ring around the pole (Antarctica) is closed along the box's bottom edge."""
    out = [pts[0]]
    shift = 0.0
    for (x0, _), (x1, y1) in itertools.pairwise(pts):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append((round(x1 + shift, 1), y1))
    if shift:  # around the pole: down to the edge, along it, back up
        out += [(out[-1][0], 180.0), (out[0][0], 180.0)]
    xs = [x for x, _ in out]
    copies = [out]
    if min(xs) < 0:
        copies.append([(round(x + 360, 1), y) for x, y in out])
    if max(xs) > 360:
        copies.append([(round(x - 360, 1), y) for x, y in out])
    return copies


def main() -> int:
    topo = json.loads(Path(sys.argv[1]).read_text())
    arcs = decode_arcs(topo)
    parts = []
    for geom in topo["objects"]["land"]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for polygon in polygons:
            for indexes in polygon:
                pts = [(round(x + 180, 1), round(90 - y, 1)) for x, y in ring(arcs, indexes)]
                dedup = [p for k, p in enumerate(pts) if k == 0 or p != pts[k - 1]]
                if len(dedup) > 2:
                    parts += [
                        "M" + "L".join(f"{x:g} {y:g}" for x, y in copy) + "Z"
                        for copy in unwrapped(dedup)
                    ]
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180">'
        "<!-- Natural Earth 1:110m land (public domain), via world-atlas (ISC) -->"
        f'<path fill="#d9d4c7" stroke="#8a8473" stroke-width="0.2" d="{"".join(parts)}"/>'
        "</svg>\n"
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
