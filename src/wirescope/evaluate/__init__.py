"""Scoring against gold annotations: quotes and speakers (quotes.py), places (places.py).

`wirescope evaluate` picks the scorer from the gold file itself: the first record's
field that names its annotations. Each gold format adds one line to FORMATS.
"""

from __future__ import annotations

import json
from pathlib import Path

# gold field -> scoring module (with load_gold, predict, score, run_cli)
FORMATS: dict[str, str] = {
    "quotes": "wirescope.evaluate.quotes",
    "toponyms": "wirescope.evaluate.places",
}
DEFAULT_FORMAT = "quotes"


def gold_format(path: str | Path) -> str:
    """The FORMATS key of the gold file at `path`, from its first record; quotes when
    none fits or the file cannot be read (the scorer then reports why)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    first = json.loads(line)
                    break
            else:
                return DEFAULT_FORMAT
    except (OSError, ValueError):
        return DEFAULT_FORMAT
    if isinstance(first, dict):
        for key in FORMATS:
            if key in first:
                return key
    return DEFAULT_FORMAT
