"""People, bodies, roles and places of real pages against hand-graded gold.

The gold (`realnews_dev/entities.json`) is one object keyed by page file name:
`people` (persons, organisations, groups: name, kind, aliases, roles, optional?) and
`places` (name, mentions, lat, lon, optional?). Scoring follows its README:

- a prediction matches a gold entry when one of its names (name or aliases) equals one
  of the entry's (name or aliases; a place's mentions), compared without case, a
  leading article, a possessive or punctuation;
- `optional` gold entries are neutral: a prediction matching only them is neither
  right nor spurious, and they are not required;
- a country or city acting ("Israel said") may be gold as a body or as a place: a
  prediction of either kind with its name matches, never spurious;
- duplicates: predictions of the same kind beyond the first that match one gold entry;
- a role is right when it matches one gold role of the person it is predicted for
  (case, articles and possessives aside), or names the same head with fewer words
  ("President" for "US President"; not "Chief" for "Chief Executive"); role recall
  counts the gold entries with a stated role whose prediction has a right one;
- places at 161 km: a matched place is right when resolved within 161 km of the gold
  point (an unresolved prediction is wrong); a country or first-level division is
  also right when resolved to that very unit (same kind, same ISO country): the gold
  gives such units a central point, the gazetteer another, often 200-800 km apart, and
  either point stands for the same answer. The distance-only figure is kept beside it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirescope.evaluate.quotes import Counts
from wirescope.extract.gazetteer import haversine_km
from wirescope.record.models import Entity, Record

ACC_KM = 161.0
BODY_TYPES = ("PERSON", "ORG", "GROUP")


@dataclass
class GoldEntry:
    names: frozenset[str]  # normalized name and aliases
    name: str
    kind: str  # person | organisation | group | place
    roles: list[str] = field(default_factory=list)
    optional: bool = False
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None  # places: country, admin, city, ...
    country: str | None = None  # places: ISO 3166-1


@dataclass
class GoldPage:
    file: str
    people: list[GoldEntry]
    places: list[GoldEntry]


_LEAD = re.compile(r"^(?:the|a|an)\s+")
_POSS = re.compile(r"(?:'s|’s|'|’)$")


def norm_name(text: str) -> str:
    """A name compared without case, accents, a leading article, a possessive or
    punctuation ("The U.S.'s" = "us")."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
    t = _POSS.sub("", t)
    t = _LEAD.sub("", t)
    t = re.sub(r"[.\u2019'`]", "", t)
    t = re.sub(r"[^a-z0-9&]+", " ", t)
    return t.strip()


def norm_role(text: str) -> str:
    t = text.lower().strip()
    t = re.sub(r"^(?:the|a|an|his|her|its|their)\s+", "", t)
    t = re.sub(r"^\S+(?:'s|’s)\s+", "", t) if re.match(r"^\S+(?:'s|’s)\s", t) else t
    t = re.sub(r"[^\w\s-]", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def role_right(pred: str, gold: Iterable[str]) -> bool:
    """A predicted role matches one of `gold` (see the module docstring)."""
    p = norm_role(pred)
    if not p:
        return False
    for g in gold:
        n = norm_role(g)
        if p == n:
            return True
        pw, gw = p.split(), n.split()
        if pw and gw and pw[-1] == gw[-1] and set(pw) <= set(gw):
            return True  # the same head with fewer modifiers
    return False


def _names(*groups: Iterable[str]) -> frozenset[str]:
    return frozenset(k for g in groups for n in g if (k := norm_name(n)))


def _entry(d: dict[str, Any], place: bool) -> GoldEntry:
    name = str(d.get("name") or "")
    extra = d.get("mentions") if place else d.get("aliases")
    return GoldEntry(
        names=_names([name], [str(x) for x in extra or []]),
        name=name,
        kind="place" if place else str(d.get("kind") or "person"),
        roles=[str(r) for r in d.get("roles") or []],
        optional=bool(d.get("optional")),
        lat=d.get("lat"),
        lon=d.get("lon"),
        feature=d.get("feature"),
        country=d.get("country"),
    )


def is_entities_gold(obj: object) -> bool:
    """Is this parsed JSON an entities gold file (page name -> {people, places})?"""
    return (
        isinstance(obj, dict)
        and bool(obj)
        and all(isinstance(v, dict) and "people" in v and "places" in v for v in obj.values())
    )


def load_gold(path: str | Path, limit: int | None = None) -> list[GoldPage]:
    """The pages of an entities gold file; ValueError when it is not one."""
    with open(path, encoding="utf-8") as fh:
        try:
            obj = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc}") from exc
    if not is_entities_gold(obj):
        raise ValueError("not an entities gold file (page name -> {people, places})")
    pages = [
        GoldPage(
            file=name,
            people=[_entry(p, False) for p in page.get("people") or []],
            places=[_entry(p, True) for p in page.get("places") or []],
        )
        for name, page in obj.items()
    ]
    return pages[:limit] if limit is not None else pages


def predict(gold: list[GoldPage], gold_path: str | Path) -> dict[str, Record | str]:
    """Each page's record (or its failure reason): the pages lie in `pages/` beside
    the gold file and go through the whole pipeline."""
    from wirescope.pipeline.build import process
    from wirescope.reading.read import read_paths

    folder = Path(gold_path).parent / "pages"
    paths = [str(folder / g.file) for g in gold]
    out: dict[str, Record | str] = {}
    for path, result in zip(paths, process(read_paths(paths)), strict=True):
        out[Path(path).name] = result if isinstance(result, Record) else result.reason
    return out


@dataclass
class Scores:
    """Counts (evaluate.quotes.Counts: precision over predictions, recall over gold)."""

    pages: int = 0
    failed: int = 0
    bodies: Counts = field(default_factory=Counts)  # people, organisations, groups
    persons: Counts = field(default_factory=Counts)
    organisations: Counts = field(default_factory=Counts)  # organisations and groups
    duplicates: int = 0
    roles: Counts = field(default_factory=Counts)  # pred: roles; gold: persons with one
    places: Counts = field(default_factory=Counts)
    places_scored: int = 0  # matched places whose gold has a point
    places_near: int = 0  # within 161 km, or the very country or division
    places_near_km: int = 0  # within 161 km

    @property
    def acc161(self) -> float:
        return self.places_near / self.places_scored if self.places_scored else 0.0

    @property
    def acc161_km(self) -> float:
        return self.places_near_km / self.places_scored if self.places_scored else 0.0

    def to_dict(self) -> dict[str, Any]:
        def c(x: Counts) -> dict[str, float]:
            return {"precision": x.precision, "recall": x.recall, **x.to_dict()}

        return {
            "pages": self.pages,
            "failed": self.failed,
            "people_and_bodies": c(self.bodies),
            "persons": c(self.persons),
            "organisations_and_groups": c(self.organisations),
            "duplicates": self.duplicates,
            "roles": c(self.roles),
            "places": c(self.places),
            "places_acc161": self.acc161,
            "places_acc161_distance_only": self.acc161_km,
            "places_scored": self.places_scored,
        }


def _pred_names(e: Entity) -> frozenset[str]:
    return _names([e.name], e.aliases)


@dataclass
class PageErrors:
    file: str
    lines: list[str] = field(default_factory=list)


def score_page(page: GoldPage, rec: Record, s: Scores, errors: PageErrors | None = None) -> None:
    """Add one page's counts to `s` (and its errors to `errors`)."""
    note = errors.lines.append if errors is not None else (lambda _x: None)
    bodies = [e for e in rec.entities if e.type in BODY_TYPES]
    # a place named only in passing ("British", "University of Houston") is no claim
    places = [e for e in rec.entities if e.type == "PLACE" and not e.incidental]
    people_gold, place_gold = page.people, page.places

    def find(names: frozenset[str], golds: list[GoldEntry]) -> list[int]:
        return [i for i, g in enumerate(golds) if names & g.names]

    # people and bodies
    matched_by: dict[int, list[Entity]] = {}
    for e in bodies:
        names = _pred_names(e)
        hits = find(names, people_gold)
        required = [i for i in hits if not people_gold[i].optional]
        if not required and (hits or find(names, place_gold)):
            continue  # optional, or a place acting: neutral
        kind = s.persons if e.type == "PERSON" else s.organisations
        s.bodies.pred += 1
        kind.pred += 1
        if required:
            s.bodies.tp_pred += 1
            kind.tp_pred += 1
            for i in required:
                matched_by.setdefault(i, []).append(e)
        else:
            note(f"  spurious {e.type.lower()}: {e.name}")
    for i, g in enumerate(people_gold):
        if g.optional:
            continue
        kind = s.persons if g.kind == "person" else s.organisations
        s.bodies.gold += 1
        kind.gold += 1
        preds = matched_by.get(i, [])
        if g.kind == "person" and g.roles:
            s.roles.gold += 1
        # a body found as a place ("Israel said" as a place entity) is found too
        if preds or any(_pred_names(p) & g.names for p in places):
            s.bodies.tp_gold += 1
            kind.tp_gold += 1
        else:
            note(f"  missed {g.kind}: {g.name}")
        if len(preds) > 1:
            s.duplicates += len(preds) - 1
            note(f"  duplicate: {g.name} <- " + " | ".join(p.name for p in preds))
        if g.kind != "person" or not preds:
            continue
        have = [r for p in preds for r in p.roles]
        right = [r for r in have if role_right(r, g.roles)]
        s.roles.pred += len(have)
        s.roles.tp_pred += len(right)
        for r in have:
            if r not in right:
                note(f"  wrong role: {g.name}: {r!r} (gold {g.roles})")
        if g.roles and right:
            s.roles.tp_gold += 1
        elif g.roles:
            note(f"  no role: {g.name} (gold {g.roles})")
    # places
    found: dict[int, list[Entity]] = {}
    for e in places:
        names = _pred_names(e)
        hits = find(names, place_gold)
        required = [i for i in hits if not place_gold[i].optional]
        if not required and (hits or find(names, people_gold)):
            continue  # optional, or a body named as a place
        s.places.pred += 1
        if required:
            s.places.tp_pred += 1
            for i in required:
                found.setdefault(i, []).append(e)
        else:
            note(f"  spurious place: {e.name}" + (f" ({e.country})" if e.country else ""))
    for i, g in enumerate(place_gold):
        if g.optional:
            continue
        s.places.gold += 1
        preds = found.get(i, [])
        if not preds:
            if any(_pred_names(b) & g.names for b in bodies):
                s.places.tp_gold += 1  # a place acting, predicted as a body
            else:
                note(f"  missed place: {g.name}")
            continue
        s.places.tp_gold += 1
        if g.lat is None or g.lon is None:
            continue
        s.places_scored += 1
        p = preds[0]
        if p.lat is None or p.lon is None:
            note(f"  unresolved place: {g.name}")
            continue
        km = haversine_km(p.lat, p.lon, g.lat, g.lon)
        if km <= ACC_KM:
            s.places_near_km += 1
            s.places_near += 1
        elif _same_unit(g, p):
            s.places_near += 1
        else:
            note(f"  wrong place: {g.name} -> {p.name} {p.kind} {p.country} ({km:.0f} km)")


_DIVISIONS = frozenset({"state", "province", "division", "region"})


def _same_unit(g: GoldEntry, p: Entity) -> bool:
    """A country or first-level division resolved to that very unit."""
    if g.country is None or p.country != g.country:
        return False
    if g.feature == "country":
        return p.kind == "country"
    return g.feature == "admin" and p.kind in _DIVISIONS


def score(
    gold: list[GoldPage], predicted: dict[str, Record | str]
) -> tuple[Scores, list[PageErrors]]:
    s = Scores(pages=len(gold))
    errors: list[PageErrors] = []
    for page in gold:
        rec = predicted.get(page.file)
        err = PageErrors(page.file)
        errors.append(err)
        if not isinstance(rec, Record):
            s.failed += 1
            err.lines.append(f"  failed: {rec}")
            continue
        score_page(page, rec, s, err)
    return s, errors
