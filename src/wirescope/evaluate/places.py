"""Score place recognition and resolution against toponym gold (TR-News style, see
shared/data/README.md) the way the geoparsing literature does (Gritta et al. 2018).

Recognition. Every mention of every PLACE entity is a predicted toponym. A predicted
toponym matches a gold one when their spans share a character; matching is one-to-one,
largest overlap first. Toponym P/R/F1 count all gold toponyms.

Resolution. Over the matched pairs whose gold toponym is marked `geocode`: the error is
the great-circle distance between the predicted and the gold coordinates, and the largest
possible distance (half the earth's circumference, 20,039 km) when the prediction has no
coordinates. Accuracy@161 = share of errors within 161 km (100 miles); mean and median
error in km; AUC = area under the curve of ln(error + 1) / ln(20,039 + 1) over the errors
sorted, scaled to [0, 1] (lower is better; 0 when every error is zero).

The population baseline resolves the same matched mentions to the most populous place
the gazetteer has under that name (countries and states included), as a reference.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirescope.evaluate.quotes import Counts, gold_lines
from wirescope.extract.gazetteer import haversine_km
from wirescope.record.models import Failure, RawDocument, Record, Span

MAX_KM = 20039.0
ACC_KM = 161.0


@dataclass(frozen=True)
class GoldToponym:
    span: Span
    name: str
    lat: float | None
    lon: float | None
    geocode: bool


@dataclass(frozen=True)
class GoldPlaces:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True)
class PredToponym:
    span: Span
    name: str  # the resolved place's name, or the surface text when unresolved
    lat: float | None
    lon: float | None


def _gold_places(d: Any) -> GoldPlaces:
    tops = tuple(
        GoldToponym(
            span=(int(t["start"]), int(t["end"])),
            name=str(t.get("name") or ""),
            lat=None if t.get("lat") is None else float(t["lat"]),
            lon=None if t.get("lon") is None else float(t["lon"]),
            geocode=bool(t.get("geocode", True)) and t.get("lat") is not None,
        )
        for t in d["toponyms"]
    )
    return GoldPlaces(id=str(d["id"]), text=d["text"], toponyms=tops)


def load_gold(path: str | Path, limit: int | None = None) -> list[GoldPlaces]:
    """Read toponym gold JSONL; raises OSError if unreadable, GoldFormatError on a bad line."""
    return gold_lines(path, _gold_places, limit)


def toponyms_of(record: Record) -> list[PredToponym]:
    """The record's predicted toponyms: every mention of every PLACE entity."""
    out = []
    for e in record.entities:
        if e.type != "PLACE":
            continue
        for s, t in e.mentions:
            out.append(PredToponym(span=(s, t), name=e.name, lat=e.lat, lon=e.lon))
    return sorted(out, key=lambda p: p.span)


def error_km(gold: GoldToponym, lat: float | None, lon: float | None) -> float:
    if lat is None or lon is None or gold.lat is None or gold.lon is None:
        return MAX_KM
    return min(MAX_KM, haversine_km(gold.lat, gold.lon, lat, lon))


def match(
    gold: Sequence[GoldToponym], pred: Sequence[PredToponym]
) -> list[tuple[GoldToponym, PredToponym]]:
    """One-to-one pairs of overlapping spans, largest overlap first."""
    cands = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            shared = min(g.span[1], p.span[1]) - max(g.span[0], p.span[0])
            if shared > 0:
                cands.append((-shared, i, j))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((gold[i], pred[j]))
    return pairs


def auc(errors: Sequence[float]) -> float:
    """Area under ln(error + 1) over the sorted errors, scaled to [0, 1]; lower is better."""
    if not errors:
        return 0.0
    ys = [math.log(e + 1) / math.log(MAX_KM + 1) for e in sorted(errors)]
    if len(ys) == 1:
        return ys[0]
    area = sum((a + b) / 2 for a, b in itertools.pairwise(ys))
    return area / (len(ys) - 1)


@dataclass
class Resolution:
    errors: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.errors)

    @property
    def acc161(self) -> float:
        return sum(e <= ACC_KM for e in self.errors) / self.n if self.n else 0.0

    @property
    def mean_km(self) -> float:
        return sum(self.errors) / self.n if self.n else 0.0

    @property
    def median_km(self) -> float:
        if not self.errors:
            return 0.0
        s = sorted(self.errors)
        mid = len(s) // 2
        return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2

    @property
    def auc(self) -> float:
        return auc(self.errors)

    def to_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "acc161": round(self.acc161, 4),
            "mean_km": round(self.mean_km, 1),
            "median_km": round(self.median_km, 1),
            "auc": round(self.auc, 4),
        }


@dataclass
class PlaceScores(Counts):
    """Toponym P/R/F1 counts (a matched pair counts on both sides: tp_gold = tp_pred)
    and the resolution errors of the matched ones."""

    resolution: Resolution = field(default_factory=Resolution)
    baseline: Resolution = field(default_factory=Resolution)

    def summary(self) -> dict[str, float]:
        """The figures the quality gate pins."""
        return {"toponym_f1": round(self.f1, 4), "acc161": round(self.resolution.acc161, 4)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "predicted": self.pred,
            "matched": self.tp_pred,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "resolution": self.resolution.to_dict(),
            "population_baseline": self.baseline.to_dict(),
        }


Baseline = Callable[[str], tuple[float | None, float | None]]


def population_baseline(surface: str) -> tuple[float | None, float | None]:
    """The most populous place of that name in the gazetteer: the reference resolver."""
    from wirescope.extract.gazetteer import get_gazetteer

    cands = get_gazetteer().candidates(surface)
    if not cands:
        return None, None
    best = max(cands, key=lambda c: c[0].population)[0]
    return best.lat, best.lon


def score(
    gold: Sequence[GoldPlaces],
    predicted: Iterable[Sequence[PredToponym]],
    baseline: Baseline | None = population_baseline,
) -> PlaceScores:
    """Recognition and resolution scores; `predicted` holds one toponym list per gold doc."""
    sc = PlaceScores()
    for g, pred in zip(gold, predicted, strict=True):
        sc.gold += len(g.toponyms)
        sc.pred += len(pred)
        pairs = match(g.toponyms, pred)
        sc.tp_gold += len(pairs)
        sc.tp_pred += len(pairs)
        for gt, pt in pairs:
            if not gt.geocode:
                continue
            sc.resolution.errors.append(error_km(gt, pt.lat, pt.lon))
            if baseline is not None:
                lat, lon = baseline(g.text[pt.span[0] : pt.span[1]])
                sc.baseline.errors.append(error_km(gt, lat, lon))
    return sc


def predict(
    gold: Sequence[GoldPlaces], on_failure: Callable[[Failure], None] | None = None
) -> list[list[PredToponym]]:
    """Run the pipeline over the gold texts only; one toponym list per article (an
    article that fails gets an empty list, so it counts as all missed)."""
    from wirescope.pipeline.build import Stages, process

    docs = (RawDocument(text=g.text, path=f"gold:{g.id}", format="jsonl", id=g.id) for g in gold)
    out: list[list[PredToponym]] = []
    for result in process(docs, stages=Stages(dates=False, events=False)):
        if isinstance(result, Record):
            out.append(toponyms_of(result))
        else:
            out.append([])
            if on_failure is not None:
                on_failure(result)
    return out


def gate_summary(path: str | Path) -> dict[str, float]:
    """What tests/test_quality_gate.py pins for a toponym corpus."""
    gold = load_gold(path)
    return score(gold, predict(gold), baseline=None).summary()


# --------------------------------------------------------------------- errors


def _ctx(text: str, span: Span, around: int = 35) -> str:
    s, e = span
    left = text[max(0, s - around) : s].replace("\n", " ")
    right = text[e : e + around].replace("\n", " ")
    return f"...{left}[{text[s:e]}]{right}..."


def format_errors(gold: Sequence[GoldPlaces], predicted: Sequence[Sequence[PredToponym]]) -> str:
    """Missed and spurious toponyms and resolutions off by more than 161 km, in context."""
    lines = []
    for g, pred in zip(gold, predicted, strict=True):
        pairs = match(g.toponyms, pred)
        got_g = {id(a) for a, _ in pairs}
        got_p = {id(b) for _, b in pairs}
        items = []
        for t in g.toponyms:
            if id(t) not in got_g:
                items.append((t.span, f"missed    {_ctx(g.text, t.span)}"))
        for p in pred:
            if id(p) not in got_p:
                items.append((p.span, f"spurious  {_ctx(g.text, p.span)} -> {p.name}"))
        for gt, pt in pairs:
            err = error_km(gt, pt.lat, pt.lon)
            if gt.geocode and err > ACC_KM:
                where = "no coordinates" if pt.lat is None else f"{err:.0f} km off"
                items.append((pt.span, f"wrong     {_ctx(g.text, pt.span)} -> {pt.name} ({where})"))
        if items:
            lines.append(f"== {g.id}")
            lines.extend(f"  {msg}" for _, msg in sorted(items))
    return "\n".join(lines)


def format_scores(sc: PlaceScores) -> str:
    r, b = sc.resolution, sc.baseline
    rows = [
        f"toponyms   gold {sc.gold}  predicted {sc.pred}  matched {sc.tp_pred}",
        f"           P {sc.precision:.3f}  R {sc.recall:.3f}  F1 {sc.f1:.3f}",
        "",
        f"{'resolution (matched, geocoded)':<32}{'n':>6}{'acc@161km':>11}"
        f"{'mean km':>10}{'median km':>11}{'AUC':>8}",
    ]
    for label, res in (("wirescope", r), ("population baseline", b)):
        rows.append(
            f"{label:<32}{res.n:>6}{res.acc161:>11.3f}{res.mean_km:>10.1f}"
            f"{res.median_km:>11.1f}{res.auc:>8.3f}"
        )
    rows.append("")
    rows.append(
        "baseline: the same recognized mentions, each resolved to the most populous place "
        "of that name; AUC: lower is better"
    )
    return "\n".join(rows)
