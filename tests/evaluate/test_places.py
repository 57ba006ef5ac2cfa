"""Geoparsing scores: span matching, distance errors, AUC, gold loading, CLI dispatch."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from wirescope.cli.evaluate import gold_format
from wirescope.cli.main import main
from wirescope.evaluate.places import (
    ACC_KM,
    MAX_KM,
    GoldPlaces,
    GoldToponym,
    PredToponym,
    auc,
    error_km,
    haversine_km,
    load_gold,
    match,
    score,
)

PARIS = (48.8534, 2.3488)
LYON = (45.7485, 4.8467)


def _gold(
    span: tuple[int, int], at: tuple[float, float] | None, geocode: bool = True
) -> GoldToponym:
    lat, lon = at if at else (None, None)
    return GoldToponym(span=span, name="x", lat=lat, lon=lon, geocode=geocode)


def _pred(span: tuple[int, int], at: tuple[float, float] | None) -> PredToponym:
    lat, lon = at if at else (None, None)
    return PredToponym(span=span, name="x", lat=lat, lon=lon)


def test_haversine_paris_lyon_is_about_392_km() -> None:
    assert 385 < haversine_km(*PARIS, *LYON) < 400


def test_unresolved_prediction_costs_the_largest_error() -> None:
    assert error_km(_gold((0, 5), PARIS), None, None) == MAX_KM


def test_spans_match_when_they_share_a_character_one_to_one() -> None:
    gold = [_gold((0, 5), PARIS), _gold((10, 15), PARIS)]
    pred = [_pred((4, 12), PARIS)]  # overlaps both; the larger overlap (10..12 vs 4..5) wins
    pairs = match(gold, pred)
    assert [(g.span, p.span) for g, p in pairs] == [((10, 15), (4, 12))]
    assert match([_gold((0, 5), PARIS)], [_pred((5, 9), PARIS)]) == []  # touching, no overlap


def test_score_counts_recognition_and_resolution() -> None:
    text = "Paris and Lyon and Nice and a street"
    gold = GoldPlaces(
        id="a",
        text=text,
        toponyms=(
            _gold((0, 5), PARIS),
            _gold((10, 14), LYON),
            _gold((19, 23), (43.70, 7.27)),  # missed
            _gold((30, 36), None, geocode=False),  # recognized, not scored for resolution
        ),
    )
    pred = [
        _pred((0, 5), PARIS),  # right
        _pred((10, 14), PARIS),  # 392 km off
        _pred((30, 36), None),
        _pred((6, 9), None),  # "and": spurious
    ]
    sc = score([gold], [pred], baseline=None)
    assert (sc.gold, sc.pred, sc.tp_pred) == (4, 4, 3)
    assert sc.precision == pytest.approx(0.75) and sc.recall == pytest.approx(0.75)
    assert sc.resolution.n == 2
    assert sc.resolution.acc161 == pytest.approx(0.5)
    assert sc.resolution.errors[0] <= ACC_KM < sc.resolution.errors[1]
    assert sc.resolution.median_km == pytest.approx(sum(sc.resolution.errors) / 2)


def test_auc_is_zero_when_exact_and_one_when_all_maximal() -> None:
    assert auc([0.0, 0.0, 0.0]) == 0.0
    assert auc([MAX_KM, MAX_KM]) == pytest.approx(1.0)
    mid = auc([0.0, MAX_KM])
    assert 0.0 < mid < 1.0 and mid == pytest.approx(0.5)
    assert auc([10.0]) == pytest.approx(math.log(11) / math.log(MAX_KM + 1))


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    return p


def test_load_gold_and_format_dispatch(tmp_path: Path) -> None:
    text = "Officials in Lyon said the river rose."
    rows: list[dict[str, object]] = [
        {
            "id": "d1",
            "text": text,
            "toponyms": [
                {"start": 13, "end": 17, "name": "Lyon", "lat": LYON[0], "lon": LYON[1]},
            ],
        }
    ]
    path = _write(tmp_path, rows)
    (doc,) = load_gold(path)
    assert doc.toponyms[0].span == (13, 17) and doc.toponyms[0].geocode
    assert gold_format(str(path)) == "wirescope.evaluate.places"
    quotes = _write(tmp_path, [{"id": "q", "text": "x", "quotes": []}])
    assert gold_format(str(quotes)) == "wirescope.evaluate.quotes"


def test_bad_gold_line_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [{"id": "d1", "text": "x", "toponyms": [{"start": 0}]}])
    assert main(["evaluate", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "KeyError" in err


def test_cli_prints_geoparsing_measures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "The floods reached Lyon on Monday, officials in France said."
    rows: list[dict[str, object]] = [
        {
            "id": "d1",
            "text": text,
            "toponyms": [
                {"start": 19, "end": 23, "name": "Lyon", "lat": LYON[0], "lon": LYON[1]},
                {"start": 47, "end": 53, "name": "France", "lat": 46.0, "lon": 2.0},
            ],
        }
    ]
    assert main(["evaluate", str(_write(tmp_path, rows))]) == 0
    out = capsys.readouterr().out
    assert "P 1.000  R 1.000  F1 1.000" in out
    assert "population baseline" in out and "acc@161km" in out
