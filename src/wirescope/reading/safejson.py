"""JSON from untrusted input: nesting bounded, duplicate keys noticed.

The standard parser recurses once per level and raises RecursionError (not a
ValueError) about 1,000 levels down, which nothing downstream expected; the code
that then walks the value (JSON-LD items, storable strings) recurses too. So the
depth is measured before parsing, by a flat scan in C (strings removed, brackets
counted), and a value nested deeper than MAX_DEPTH is refused as invalid JSON.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
"""Levels of arrays and objects one JSON value may nest (news records and JSON-LD
use fewer than ten)."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class JSONTooDeep(ValueError):
    """A JSON value nested deeper than MAX_DEPTH levels."""


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (brackets inside strings
    do not count); for text that is not valid JSON, an upper bound is fine."""
    bare = _STRING.sub("", text) if '"' in text else text
    steps = (_STEP[b] for b in _BRACKET.findall(bare))
    return max(accumulate(steps, initial=0))


def loads(text: str, max_depth: int = MAX_DEPTH) -> tuple[Any, list[str]]:
    """(value, duplicate keys) of a JSON text; raise ValueError for invalid JSON,
    JSONTooDeep past `max_depth` levels. A key given twice in one object keeps its
    last value, as every JSON parser does, and is named in the list."""
    # A text with few brackets cannot nest deep: most records skip the scan.
    depth = 0 if text.count("[") + text.count("{") <= max_depth else json_depth(text)
    if depth > max_depth:
        raise JSONTooDeep(f"nested {depth} levels deep (limit {max_depth})")
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) < len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen and key not in duplicates:
                    duplicates.append(key)
                seen.add(key)
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs), duplicates
    except RecursionError:  # the scan's bound failed somehow: still this input's alone
        raise JSONTooDeep(f"nested deeper than {max_depth} levels") from None
