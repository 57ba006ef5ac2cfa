"""Quality gate (trafilatura's eval_gate.py model): accuracy on the shared dev sets must
stay at or above the floors pinned in tests/quality_floors.json.

The pipeline runs once per corpus per session; figures are printed beside the floors
(shown with `pytest -rA` or `-s`, and always in the failure message).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from wirescope.evaluate.quotes import load_gold, predict, score

FLOORS_FILE = Path(__file__).with_name("quality_floors.json")
FLOORS: dict[str, dict[str, float]] = {
    corpus: figures
    for corpus, figures in json.loads(FLOORS_FILE.read_text("utf-8")).items()
    if not corpus.startswith("_")
}

pytestmark = pytest.mark.slow


def _dates(path: Path) -> dict[str, float]:
    from wirescope.evaluate import dates

    gold = dates.load_gold(path)
    return dates.score(gold, dates.predict(gold)).summary()


def _events(path: Path) -> dict[str, float]:
    """Half B only: the trigger model is trained on half A (scripts/train_event_model.py)."""
    from wirescope.evaluate import events

    gold = events.select_half(events.load_gold(path), "B")
    return events.score(gold, events.predict(gold)).summary()


def _places(path: Path) -> dict[str, float]:
    from wirescope.evaluate import places

    return places.gate_summary(path)


# Corpora scored by another evaluator than quotes: corpus name -> its figures.
EVALUATORS: dict[str, Callable[[Path], dict[str, float]]] = {
    "dates_tbaq_dev": _dates,
    "events_tbaq_dev": _events,
    "places_trnews_dev": _places,
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def measured(request: pytest.FixtureRequest, shared_data: Path) -> tuple[str, dict[str, float]]:
    corpus: str = request.param
    # "polnear_dev+stances": the same corpus, scored with stances counted as quotes.
    name, _, mode = corpus.partition("+")
    path = shared_data / f"{name}.jsonl"
    if not path.is_file():
        pytest.fail(f"{path} missing though {shared_data} exists: floors name a corpus it lacks")
    if name in EVALUATORS:
        return corpus, EVALUATORS[name](path)
    gold = load_gold(path)
    return corpus, score(gold, predict(gold, stances=mode == "stances")).summary()


def _report(corpus: str, figures: dict[str, float], floors: dict[str, float]) -> str:
    lines = [f"{corpus}: figure              measured   floor"]
    for key, floor in floors.items():
        got = figures[key]
        flag = "  BELOW FLOOR" if got < floor else ""
        lines.append(f"  {key:<24} {got:8.4f} {floor:7.4f}{flag}")
    return "\n".join(lines)


def test_figures_at_or_above_floors(measured: tuple[str, dict[str, float]]) -> None:
    corpus, figures = measured
    floors = FLOORS[corpus]
    report = _report(corpus, figures, floors)
    print("\n" + report)
    below = [k for k, floor in floors.items() if figures[k] < floor]
    assert not below, f"below floor: {', '.join(below)}\n{report}"
