"""Golden files: the whole record of each bundled example and of the fixture.

Any change in output shows up as a diff here. After an intended change, rewrite
them with `WIRESCOPE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`
and review the diff. The fixture's golden keeps spans but not its text, which
belongs to its publisher and stays in ../shared.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from wirescope.pipeline.build import process_one
from wirescope.reading.read import read_paths
from wirescope.record.models import RawDocument
from wirescope.record.serialize import record_to_dict

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
UPDATE = os.environ.get("WIRESCOPE_UPDATE_GOLDEN") == "1"


def _record(path: Path, keep_text: bool) -> dict[str, Any]:
    (raw,) = list(read_paths([str(path)]))
    assert isinstance(raw, RawDocument)
    raw.path = path.name  # the golden must not depend on where the checkout lives
    data = record_to_dict(process_one(raw))
    return data if keep_text else _strip_text(data)


def _strip_text(value: Any) -> Any:
    """Drop copied text (every `text` field and the headline), keep every span and
    derived value."""
    if isinstance(value, dict):
        return {
            k: (None if k in ("text", "headline") else _strip_text(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_strip_text(v) for v in value]
    return value


def _check(name: str, actual: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.record.json"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"no golden file {path.name}: run with WIRESCOPE_UPDATE_GOLDEN=1")
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(path.read_text("utf-8"))
    assert actual == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_record_matches_golden(example: Path) -> None:
    _check(example.stem, _record(example, keep_text=True))


def test_fixture_record_matches_golden(example: Example) -> None:
    _check(example.path.stem, _record(example.path, keep_text=False))
