"""Corpus commands (ingest, quotes, people, search, show, export, failures).  STUB."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the corpus subcommands to the top-level parser."""
    _ = argparse
