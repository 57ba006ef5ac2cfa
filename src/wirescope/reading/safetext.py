"""Text any store and terminal takes: lone surrogates and NUL replaced (one character
for one, so offsets hold), file names as UTF-8, and control and bidirectional
characters shown escaped wherever a name or a reason is printed."""

from __future__ import annotations

import os
import re
from typing import Any

# What no store can hold: lone UTF-16 surrogates (JSON's "\\ud800" decodes to one;
# UTF-8 cannot encode it) and NUL (PostgreSQL text refuses it, SQLite keeps it).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def storable(text: str) -> tuple[str, str | None]:
    """(text with each lone surrogate and NUL replaced by U+FFFD, a note saying so
    or None). One character for one, so offsets into the text still hold."""
    found = _UNSTORABLE.findall(text)
    if not found:
        return text, None
    nuls = found.count("\x00")
    parts = []
    if len(found) > nuls:
        parts.append(f"{len(found) - nuls} lone surrogate(s)")
    if nuls:
        parts.append(f"{nuls} NUL character(s)")
    return _UNSTORABLE.sub(REPLACEMENT, text), " and ".join(parts) + " replaced by U+FFFD"


def storable_value(value: Any) -> Any:
    """A JSON value with every string made storable (ids and metadata too)."""
    if isinstance(value, str):
        return storable(value)[0]
    if isinstance(value, list):
        return [storable_value(v) for v in value]
    if isinstance(value, dict):
        return {storable(str(k))[0]: storable_value(v) for k, v in value.items()}
    return value


def display_name(path: str | os.PathLike[str]) -> str:
    """A file name as a string any store and terminal takes: bytes that are not
    UTF-8 (kept by the OS as surrogate escapes) become \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# Bidirectional controls: an override (U+202E) makes "\u202eieazeR" show as "Rezaei".
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{BIDI_CONTROLS}]")
_UNPRINTABLE_IN_TEXT = re.compile(
    f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029{BIDI_CONTROLS}]"
)


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else repr(m.group())[1:-1]


def printable(text: str) -> str:
    """Text safe to print on a terminal on one line: control characters (a newline,
    ESC that starts a colour or cursor sequence, BEL) and bidirectional controls
    shown as escapes, never sent raw."""
    return _UNPRINTABLE.sub(_escape, text)


def printable_text(text: str) -> str:
    """printable() for text of several lines: newlines and tabs kept."""
    return _UNPRINTABLE_IN_TEXT.sub(_escape, text)
