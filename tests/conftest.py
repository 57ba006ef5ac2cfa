"""Fixtures every test directory shares: where ../shared lives (the example article
with its answer key, and the dev data sets).

../shared sits beside the checkout; WIRESCOPE_SHARED names it elsewhere (a worktree,
another CI layout). Tests that need it skip cleanly when it is missing.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared")
EXAMPLE_NAME = "fna-karabakh-2021-03-01"


@dataclass(frozen=True)
class Example:
    """The shared example article (a Fars News Agency wire) and its hand-made key."""

    path: Path  # the .txt

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def gold(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            self.path.with_suffix(".gold.json").read_text(encoding="utf-8")
        )
        return data


@pytest.fixture(scope="session")
def example() -> Example:
    path = SHARED / "fixtures" / f"{EXAMPLE_NAME}.txt"
    if not path.is_file():
        pytest.skip(f"{path} absent (../shared, or set WIRESCOPE_SHARED)")
    return Example(path)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data: the annotated dev sets (and PolNeAR train)."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} absent (../shared, or set WIRESCOPE_SHARED)")
    return data
