"""Readers: plain wire text, HTML, JSONL records, directories and stdin -> RawDocument.

Text is kept exactly as decoded, with two exceptions: a byte-order mark is removed,
and in text and HTML sources ``\\r\\n`` and ``\\r`` become ``\\n`` (one character for
one line break, so offsets agree across platforms). JSONL record texts are kept
byte-for-byte as the record holds them, because gold offsets index them.

Nothing here raises for bad input: every problem becomes a ReadError with a
one-line reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from wirescope.reading.htmlmeta import html_metadata
from wirescope.record.models import RawDocument, ReadError

MB = 1024 * 1024
MAX_BYTES = 20 * MB
"""Per-file cap for text and HTML, and per-line cap for JSONL."""

TEXT_EXTS = frozenset({".txt", ".text"})
HTML_EXTS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTS = frozenset({".jsonl", ".ndjson"})
JSON_EXTS = frozenset({".json"})
# A directory walk skips .json: in practice those are configs and answer keys
# (e.g. *.gold.json), not articles. A .json named explicitly is still read.
DIR_EXTS = TEXT_EXTS | HTML_EXTS | JSONL_EXTS

STDIN = "-"
STDIN_NAME = "<stdin>"

# Magic numbers of common binary formats that may lack NULs in their first bytes.
_MAGIC = (
    b"\x89PNG",
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"\x7fELF",
)
# cp1252 leaves these five bytes undefined; latin-1 maps them to C1 controls.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<p[\s>]", re.I)
_NEWLINES = re.compile(r"\r\n?")
_SNIFF_BYTES = 8192


class ReadFailure(Exception):
    """Internal: carries a one-line reason up to the reader that reports it."""


# ---------------------------------------------------------------- decoding


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL pattern says so (mostly-ASCII UTF-16)."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    half = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF_BYTES]
    return sample.startswith(_MAGIC) or b"\x00" in sample


def _legacy_encoding(data: bytes, err: UnicodeDecodeError) -> str:
    """cp1252 or latin-1 for bytes that are not UTF-8; raise if neither is honest."""
    high = sum(1 for b in data if b >= 0x80)
    utf8_bytes = sum(len(m.group()) for m in _UTF8_MULTIBYTE.finditer(data))
    # Mostly valid UTF-8 sequences with a few bad bytes is broken UTF-8: decoding it
    # as cp1252 would turn every accent into mojibake, so refuse instead.
    if utf8_bytes * 2 > high:
        raise ReadFailure(f"undecodable bytes: invalid UTF-8 at byte {err.start}")
    c1 = {b for b in data if 0x80 <= b <= 0x9F}
    if not c1:
        return "latin-1"
    bad = c1 & _CP1252_UNDEFINED
    if bad:
        pos = min(data.index(bytes([b])) for b in bad)
        raise ReadFailure(
            f"undecodable bytes: not UTF-8, and byte 0x{data[pos]:02X} at {pos} is not valid cp1252"
        )
    return "cp1252"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole source to (text, encoding); raise ReadFailure if not honest text.

    UTF-8 (BOM stripped), UTF-16 with or without BOM, else cp1252 when bytes
    0x80-0x9F are all defined there, else latin-1.
    """
    if not data:
        raise ReadFailure("empty file")
    encoding: str | None = None
    body = data
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data)
    if encoding in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ReadFailure(
                f"undecodable bytes: invalid {encoding} at byte {exc.start}"
            ) from None
        text = text.removeprefix("\ufeff")
        if "\x00" in text:
            raise ReadFailure("binary file, not text")
        return _check_controls(text), encoding
    if _looks_binary(body):
        raise ReadFailure("binary file, not text")
    try:
        return _check_controls(body.decode("utf-8")), encoding or "utf-8"
    except UnicodeDecodeError as exc:
        legacy = _legacy_encoding(body, exc)
    return _check_controls(body.decode(legacy)), legacy


def _check_controls(text: str) -> str:
    sample = text[:_SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise ReadFailure("binary file, not text")
    return text


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` -> ``\\n``."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


# ---------------------------------------------------------------- formats


def sniff_format(data: bytes) -> str:
    """'jsonl', 'html' or 'text', from the first bytes of a source."""
    head = data[:_SNIFF_BYTES].lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0]
        try:
            obj = json.loads(first)
        except ValueError:
            obj = None
        if isinstance(obj, dict) and "text" in obj:
            return "jsonl"
    if _HTML_SNIFF.search(head[:2048]):
        return "html"
    return "text"


def _format_for(path: Path) -> str | None:
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        return "text"
    if ext in HTML_EXTS:
        return "html"
    if ext in JSONL_EXTS:
        return "jsonl"
    if ext in JSON_EXTS:
        return "json"
    return None


def _text_document(data: bytes, path: str, fmt: str = "text") -> RawDocument:
    text, encoding = decode_bytes(data)
    text = normalize_newlines(text)
    if not text.strip():
        raise ReadFailure("no text")
    return RawDocument(text=text, path=path, format=fmt, encoding=encoding)


def _html_document(data: bytes, path: str) -> RawDocument:
    import trafilatura  # imported lazily: it is slow to import and rarely needed

    html, encoding = decode_bytes(data)
    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # third-party parser: any failure is this file's alone
        raise ReadFailure(f"HTML could not be parsed: {type(exc).__name__}") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        # Very short pages defeat trafilatura's main-content heuristics.
        text = trafilatura.html2txt(html)
    text = normalize_newlines(text or "")
    if not text.strip():
        raise ReadFailure("no text")
    meta: dict[str, Any] = {}
    for key in ("title", "date", "author", "url", "sitename"):
        value = getattr(doc, key, None) if doc is not None else None
        if value:
            meta[key] = value
    # trafilatura's date is the day alone: the page's own stamps carry time and zone
    meta.update(html_metadata(html))
    return RawDocument(text=text, path=path, format="html", encoding=encoding, meta=meta)


def _record_document(obj: object, path: str, where: str) -> RawDocument:
    """One JSON record {"id", "text", ...} -> RawDocument; text kept exactly."""
    if not isinstance(obj, dict):
        raise ReadFailure(f"{where}: expected a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ReadFailure(f"{where}: no 'text' string field")
    if not text.strip():
        raise ReadFailure(f"{where}: no text")
    meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
    # Corpora often nest metadata ({"meta": {"title": ...}}); lift it so the article
    # parser finds title/date keys without knowing each corpus's layout.
    nested = obj.get("meta")
    if isinstance(nested, dict):
        for k, v in nested.items():
            meta.setdefault(k, v)
    rid = obj.get("id")
    return RawDocument(
        text=text,
        path=path,
        format="jsonl",
        id=None if rid is None else str(rid),
        encoding="utf-8",
        meta=meta,
    )


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadFailure(f"undecodable bytes: invalid UTF-8 at byte {exc.start}") from None


def _jsonl_lines(
    lines: Iterable[tuple[int, bytes | None]], path: str
) -> Iterator[RawDocument | ReadError]:
    """Records from numbered lines; a None line was over the size cap."""
    for n, line in lines:
        where = f"{path}:line {n}"
        if line is None:
            yield ReadError(where, f"line too large (> {MAX_BYTES / MB:g} MB limit)")
            continue
        if n == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            obj = json.loads(_decode_line(line))
            doc = _record_document(obj, path, "record")
        except ValueError as exc:
            yield ReadError(where, f"invalid JSON: {exc}")
            continue
        except ReadFailure as exc:
            yield ReadError(where, str(exc).removeprefix("record: "))
            continue
        doc.meta.setdefault("line", n)
        yield doc


def _capped_lines(stream: IO[bytes], first: int = 1) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines, streamed; a line over MAX_BYTES is skipped without keeping it."""
    n = first
    while True:
        line = stream.readline(MAX_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while (chunk := stream.readline(MB)) and not chunk.endswith(b"\n"):
                pass
            yield n, None
        else:
            yield n, line
        n += 1


def _read_jsonl_file(path: Path) -> Iterator[RawDocument | ReadError]:
    name = str(path)
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES)
        f.seek(0)
        if not head:
            raise ReadFailure("empty file")
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or bool(
            _utf16_without_bom(head[: len(head) - len(head) % 2])
        )
        if not utf16 and _looks_binary(head):
            raise ReadFailure("binary file, not text")  # not one error per "line"
        if utf16:
            # UTF-16 cannot be split on b"\n": decode the (capped) whole file instead.
            text, _ = decode_bytes(_read_capped(f))
            lines: Iterable[tuple[int, bytes | None]] = (
                (i, ln.encode()) for i, ln in enumerate(text.split("\n"), 1)
            )
        else:
            lines = _capped_lines(f)
        found = False
        for item in _jsonl_lines(lines, name):
            found = True
            yield item
        if not found:
            raise ReadFailure("no records")


def _read_json_file(path: Path) -> Iterator[RawDocument | ReadError]:
    text, _ = decode_bytes(_read_capped_path(path))
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise ReadFailure(f"invalid JSON: {exc}") from None
    records = obj if isinstance(obj, list) else [obj]
    for i, rec in enumerate(records, 1):
        where = f"{path}:record {i}" if isinstance(obj, list) else str(path)
        try:
            yield _record_document(rec, str(path), where)
        except ReadFailure as exc:
            yield ReadError(where, str(exc).removeprefix(f"{where}: "))


def _too_large(size: int) -> str:
    return f"file too large ({size / MB:.1f} MB > {MAX_BYTES / MB:g} MB limit)"


def _read_capped(f: IO[bytes]) -> bytes:
    data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        # The size changed since stat (a growing file or a device): still refuse.
        raise ReadFailure(_too_large(len(data)))
    return data


def _read_capped_path(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_BYTES:
        # Checked from stat so a huge file is refused without reading it.
        raise ReadFailure(_too_large(size))
    with path.open("rb") as f:
        return _read_capped(f)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {exc.strerror or type(exc).__name__}"


def read_file(path: Path) -> Iterator[RawDocument | ReadError]:
    """Documents from one file, chosen by extension, else by sniffing its bytes."""
    name = str(path)
    try:
        fmt = _format_for(path)
        if fmt == "jsonl":
            yield from _read_jsonl_file(path)
            return
        if fmt == "json":
            yield from _read_json_file(path)
            return
        data = _read_capped_path(path)
        if fmt is None and data:
            fmt = sniff_format(data)
            if fmt == "jsonl":
                text, _ = decode_bytes(data)
                lines = ((i, ln.encode()) for i, ln in enumerate(text.split("\n"), 1))
                yield from _jsonl_lines(lines, name)
                return
        if fmt == "html":
            yield _html_document(data, name)
        else:
            yield _text_document(data, name)
    except ReadFailure as exc:
        yield ReadError(name, str(exc))
    except OSError as exc:
        yield ReadError(name, _os_reason(exc))


def _walk(root: Path) -> Iterator[Path]:
    """Article files under a directory, sorted, hidden files and folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fname in sorted(filenames):
            p = Path(dirpath, fname)
            if not fname.startswith(".") and p.suffix.lower() in DIR_EXTS:
                yield p


def read_directory(root: Path) -> Iterator[RawDocument | ReadError]:
    found = False
    for p in _walk(root):
        found = True
        yield from read_file(p)
    if not found:
        exts = " ".join(sorted(DIR_EXTS))
        yield ReadError(str(root), f"no article files in directory (looked for {exts})")


def read_stdin(stream: IO[bytes] | None = None) -> Iterator[RawDocument | ReadError]:
    """Documents from stdin bytes: JSONL is streamed; text and HTML are capped."""
    src = stream if stream is not None else sys.stdin.buffer
    try:
        first = src.readline(MAX_BYTES + 1)
        if sniff_format(first) == "jsonl":
            lines = _chain(first, _capped_lines(src, first=2))
            yield from _jsonl_lines(lines, STDIN_NAME)
            return
        data = first + src.read(MAX_BYTES + 1 - len(first))
        if not data:
            raise ReadFailure("empty input")
        if len(data) > MAX_BYTES:
            raise ReadFailure(f"input too large (> {MAX_BYTES / MB:g} MB limit)")
        if sniff_format(data) == "html":
            yield _html_document(data, STDIN_NAME)
        else:
            yield _text_document(data, STDIN_NAME)
    except ReadFailure as exc:
        yield ReadError(STDIN_NAME, str(exc))
    except OSError as exc:
        yield ReadError(STDIN_NAME, _os_reason(exc))


def _chain(
    first: bytes, rest: Iterator[tuple[int, bytes | None]]
) -> Iterator[tuple[int, bytes | None]]:
    yield 1, first
    yield from rest


def read_paths(paths: Sequence[str]) -> Iterator[RawDocument | ReadError]:
    """Yield one RawDocument per article (a JSONL file yields many), or a ReadError.

    Each path may be a file, a directory (walked recursively, sorted) or "-" for
    stdin. Never raises for bad input.
    """
    for p in paths:
        if p == STDIN:
            yield from read_stdin()
            continue
        path = Path(p)
        try:
            is_dir = path.is_dir()
        except OSError as exc:
            yield ReadError(p, _os_reason(exc))
            continue
        if is_dir:
            yield from read_directory(path)
        else:
            yield from read_file(path)


def with_published(
    items: Iterable[RawDocument | ReadError], published: str | None
) -> Iterator[RawDocument | ReadError]:
    """Documents with `published` as their publication time where they state none
    (`--published`): a stamp line in the text or page metadata still wins."""
    for item in items:
        if published and isinstance(item, RawDocument):
            item.meta.setdefault("published", published)
        yield item


def published_arg(text: str) -> str:
    """argparse type for --published: an ISO date or date-time (a UTC offset kept)."""
    from wirescope.reading.htmlmeta import parse_iso

    value = parse_iso(text)
    if value is None:
        import argparse

        raise argparse.ArgumentTypeError(
            f"not an ISO date or date-time: {text!r} (e.g. 2022-05-10 or 2022-05-10T14:30+03:00)"
        )
    return value.isoformat()
