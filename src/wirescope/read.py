"""Readers: plain wire text, HTML, JSONL records, directories and stdin -> RawDocument.

STUB: to be replaced by the readers implementation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from wirescope.models import RawDocument, ReadError


def read_paths(paths: Sequence[str]) -> Iterator[RawDocument | ReadError]:
    """Yield one RawDocument per article (a JSONL file yields many), or a ReadError."""
    for p in paths:
        path = Path(p)
        try:
            yield RawDocument(text=path.read_text("utf-8"), path=str(path), format="text")
        except (OSError, UnicodeDecodeError) as exc:
            yield ReadError(str(path), str(exc))
