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
import fcntl
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from wirescope.errors import ReadFailure
from wirescope.reading import safejson
from wirescope.reading.decode import (
    SNIFF_BYTES,
    decode_bytes,
    decode_source,
    looks_binary,
    normalize_newlines,
    utf16_without_bom,
)
from wirescope.reading.htmlmeta import html_metadata
from wirescope.reading.safetext import display_name, storable, storable_value
from wirescope.record.models import RawDocument, ReadError

MB = 1024 * 1024
MAX_BYTES = 20 * MB
"""Per-file cap for text and HTML, and per-line cap for JSONL."""

MAX_ARTICLE_CHARS = 1_000_000
"""Characters one article may hold; a longer text is refused before it is parsed.
The longest wire stories run to 20,000 words (about 130,000 characters, 2 s to
extract); time grows about linearly, so a million characters take about 15 s, inside
the 60 s article budget, where a 10 MB record took 7 minutes and 2.7 GB."""


def too_large(text: str) -> str | None:
    """The reason an article text is refused for its size, or None."""
    if len(text) <= MAX_ARTICLE_CHARS:
        return None
    return f"article too large ({len(text):,} characters > the {MAX_ARTICLE_CHARS:,} limit)"


TEXT_EXTS = frozenset({".txt", ".text"})
HTML_EXTS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTS = frozenset({".jsonl", ".ndjson"})
JSON_EXTS = frozenset({".json"})
# A directory walk skips .json: in practice those are configs and answer keys
# (e.g. *.gold.json), not articles. A .json named explicitly is still read.
DIR_EXTS = TEXT_EXTS | HTML_EXTS | JSONL_EXTS

STDIN = "-"
STDIN_NAME = "<stdin>"

_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<p[\s>]", re.I)


def _open_regular(path: Path) -> IO[bytes]:
    """Open a regular file for reading, refusing anything else without blocking:
    a FIFO opened plainly waits for a writer forever, a device may never end."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadFailure(_os_reason(exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ReadFailure(f"not a regular file ({_kind(mode)})")
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a file"


# ---------------------------------------------------------------- formats


def sniff_format(data: bytes) -> str:
    """'jsonl', 'html' or 'text', from the first bytes of a source."""
    head = data[:SNIFF_BYTES].lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if head.startswith(b"{"):
        # The whole first line: a record longer than the sniffing window is still one
        # (cut there, it was no JSON, and the input was read as one plain text).
        first = data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").split(b"\n", 1)[0]
        try:
            obj = safejson.loads(first.decode("utf-8", "replace"))[0]
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
    text, encoding, how = decode_source(data)
    text, repaired = storable(normalize_newlines(text))
    if not text.strip():
        raise ReadFailure("no text")
    if reason := too_large(text):
        raise ReadFailure(reason)
    doc = RawDocument(text=text, path=path, format=fmt, encoding=encoding, encoding_from=how)
    if repaired:
        doc.meta["repaired"] = repaired
    return doc


def _html_document(data: bytes, path: str) -> RawDocument:
    import trafilatura  # imported lazily: it is slow to import and rarely needed

    html, encoding, how = decode_source(data)
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
    if not text:
        # libxml2 stops at 256 levels of nesting and gives nothing: read it flat.
        text = _flat_html_text(html)
    text, repaired = storable(normalize_newlines(text or ""))
    if not text.strip():
        raise ReadFailure("no text")
    if reason := too_large(text):
        raise ReadFailure(reason)
    meta: dict[str, Any] = {"repaired": repaired} if repaired else {}
    for key in ("title", "date", "author", "url", "sitename"):
        value = getattr(doc, key, None) if doc is not None else None
        if value:
            meta[key] = value
    # trafilatura's date is the day alone: the page's own stamps carry time and zone
    meta.update(storable_value(html_metadata(html)))
    return RawDocument(
        text=text, path=path, format="html", encoding=encoding, encoding_from=how, meta=meta
    )


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
    ]
)


def _flat_html_text(html: str) -> str:
    """The text of an HTML page by a flat scan of its tags (the standard library's
    parser keeps no tree, so any nesting depth reads alike): block tags end a
    paragraph, script and style are dropped."""
    from html.parser import HTMLParser

    paras: list[str] = []
    words: list[str] = []
    skip = 0

    def flush() -> None:
        line = " ".join("".join(words).split())
        if line:
            paras.append(line)
        words.clear()

    class Flat(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            nonlocal skip
            if tag in ("script", "style"):
                skip += 1
            elif tag in _BLOCK_TAGS:
                flush()

        def handle_endtag(self, tag: str) -> None:
            nonlocal skip
            if tag in ("script", "style"):
                skip = max(0, skip - 1)
            elif tag in _BLOCK_TAGS:
                flush()

        def handle_data(self, data: str) -> None:
            if not skip:
                words.append(data)

    parser = Flat(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    flush()
    return "\n\n".join(paras)


def _record_document(
    obj: object, path: str, where: str, duplicates: Sequence[str] = ()
) -> RawDocument:
    """One JSON record {"id", "text", ...} -> RawDocument; text kept exactly, but
    for lone surrogates and NULs (replaced one for one, and noted in meta).
    `duplicates`: keys the JSON text gave twice in one object (the last kept)."""
    if not isinstance(obj, dict):
        raise ReadFailure(f"{where}: expected a JSON object")
    rid = obj.get("id")
    if isinstance(rid, str) and not rid.strip():
        rid = None  # an empty id names nothing (its key was the file's own): the line does
    if rid is not None and (isinstance(rid, bool) or not isinstance(rid, str | int)):
        kind = _JSON_KINDS.get(type(rid), type(rid).__name__)
        raise ReadFailure(f"{where}: 'id' must be a string or a whole number, not {kind}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ReadFailure(f"{where}: no 'text' string field")
    if not text.strip():
        raise ReadFailure(f"{where}: no text")
    if reason := too_large(text):
        raise ReadFailure(f"{where}: {reason}")
    text, repaired = storable(text)
    obj = {storable(str(k))[0]: storable_value(v) for k, v in obj.items()}
    meta = {k: v for k, v in obj.items() if k not in ("id", "text")}
    # Corpora often nest metadata ({"meta": {"title": ...}}); lift it so the article
    # parser finds title/date keys without knowing each corpus's layout.
    nested = obj.get("meta")
    if isinstance(nested, dict):
        for k, v in nested.items():
            meta.setdefault(k, v)
    if repaired:
        meta["repaired"] = repaired
    if duplicates:
        meta["duplicate_keys"] = list(duplicates)
    if rid is not None:
        rid = obj.get("id")  # made storable above
    return RawDocument(
        text=text,
        path=path,
        format="jsonl",
        id=None if rid is None else str(rid),
        encoding="utf-8",
        meta=meta,
    )


_JSON_KINDS = {bool: "true/false", float: "a number with a fraction", dict: "an object",
               list: "an array"}  # fmt: skip


def load_json(text: str) -> tuple[Any, list[str]]:
    """(value, keys given twice in one object) of untrusted JSON text; ValueError
    with a one-line reason when it is not JSON or nests too deep."""
    return safejson.loads(text)


def document_warnings(doc: RawDocument) -> list[str]:
    """What a reader changed or noticed in a document that it still reads: repaired
    characters, keys a JSON record gave twice (each front end prints these)."""
    out = []
    if repaired := doc.meta.get("repaired"):
        out.append(str(repaired))
    if dups := doc.meta.get("duplicate_keys"):
        keys = ", ".join(repr(k) for k in dups)
        out.append(f"duplicate key(s) {keys} in one JSON object: the last value of each kept")
    return out


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadFailure(
            f"undecodable bytes: invalid UTF-8 at byte {exc.start} of the line"
            f" (0x{line[exc.start]:02X})"
        ) from None


def jsonl_lines(
    lines: Iterable[tuple[int, bytes | None]], path: str
) -> Iterator[RawDocument | ReadError]:
    """Records from numbered lines; a None line was over the size cap.

    A record whose id an earlier record of the same input holds is a failure, not
    a second article: the id is how the output names its record, and keeping
    either silently made each re-run keep a different one. The first one stays.
    """
    first_line: dict[str, int] = {}
    for n, line in lines:
        where = f"{path}:line {n}"
        if line is None:
            yield ReadError(where, f"line too large (> {MAX_BYTES / MB:g} MB limit)", path)
            continue
        if n == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            obj, dups = load_json(_decode_line(line))
            doc = _record_document(obj, path, "record", dups)
        except ValueError as exc:
            yield ReadError(where, f"invalid JSON: {exc}", path)
            continue
        except ReadFailure as exc:
            yield ReadError(where, str(exc).removeprefix("record: "), path)
            continue
        if doc.id is not None:
            if doc.id in first_line:
                reason = f"duplicate id {doc.id!r} (first on line {first_line[doc.id]}, kept)"
                yield ReadError(where, reason, path)
                continue
            first_line[doc.id] = n
        doc.meta.setdefault("line", n)
        yield doc


def capped_lines(stream: IO[bytes], first: int = 1) -> Iterator[tuple[int, bytes | None]]:
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
    name = display_name(path)
    with _open_regular(path) as f:
        head = f.read(SNIFF_BYTES)
        f.seek(0)
        if not head:
            raise ReadFailure("empty file")
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or bool(
            utf16_without_bom(head[: len(head) - len(head) % 2])
        )
        if not utf16 and looks_binary(head):
            raise ReadFailure("binary file, not text")  # not one error per "line"
        if utf16:
            # UTF-16 cannot be split on b"\n": decode the (capped) whole file instead.
            text, _ = decode_bytes(_read_capped(f))
            lines: Iterable[tuple[int, bytes | None]] = (
                (i, ln.encode()) for i, ln in enumerate(text.split("\n"), 1)
            )
        else:
            lines = capped_lines(f)
        found = False
        for item in jsonl_lines(lines, name):
            found = True
            yield item
        if not found:
            raise ReadFailure("no records")


def _read_json_file(path: Path) -> Iterator[RawDocument | ReadError]:
    text, _ = decode_bytes(_read_capped_path(path))
    try:
        obj, dups = load_json(text)
    except ValueError as exc:
        raise ReadFailure(f"invalid JSON: {exc}") from None
    records = obj if isinstance(obj, list) else [obj]
    name = display_name(path)
    for i, rec in enumerate(records, 1):
        where = f"{name}:record {i}" if isinstance(obj, list) else name
        try:
            yield _record_document(rec, name, where, dups)
        except ReadFailure as exc:
            yield ReadError(where, str(exc).removeprefix(f"{where}: "), name)


def _too_large(size: int) -> str:
    return f"file too large ({size / MB:.1f} MB > {MAX_BYTES / MB:g} MB limit)"


def _read_capped(f: IO[bytes]) -> bytes:
    data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        # The size changed since stat (a growing file or a device): still refuse.
        raise ReadFailure(_too_large(len(data)))
    return data


def _read_capped_path(path: Path) -> bytes:
    with _open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_BYTES:
            # Checked from stat so a huge file is refused without reading it.
            raise ReadFailure(_too_large(size))
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
    name = display_name(path)
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
                yield from _some(jsonl_lines(lines, name))
                return
        if fmt == "html":
            yield _html_document(data, name)
        else:
            yield _text_document(data, name)
    except ReadFailure as exc:
        yield ReadError(name, str(exc))
    except OSError as exc:
        yield ReadError(name, _os_reason(exc))


def walk(root: Path, follow: bool = False) -> Iterator[Path | ReadError]:
    """Article files under a directory, sorted, hidden files and folders skipped.

    Untrusted trees: a symbolic link is followed only when it stays inside the
    directory given (or with `follow`), so a planted link to a system file is
    reported, not read; a linked directory inside the tree is not walked twice;
    a folder that cannot be listed is reported, not skipped in silence.
    """
    top = os.path.realpath(root)
    yield from _walk_dir(root, top, follow, {top})


def _walk_dir(d: Path, top: str, follow: bool, seen: set[str]) -> Iterator[Path | ReadError]:
    try:
        with os.scandir(d) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield ReadError(display_name(d), _os_reason(exc))
        return
    files: list[Path] = []
    dirs: list[Path] = []
    for e in entries:
        if e.name.startswith("."):
            continue
        p = Path(e.path)
        article = p.suffix.lower() in DIR_EXTS
        try:
            if e.is_symlink():
                target = os.path.realpath(p)
                inside = target == top or target.startswith(top.rstrip(os.sep) + os.sep)
                if os.path.isdir(target):
                    if follow and target not in seen:
                        seen.add(target)
                        dirs.append(p)
                    elif not follow and not inside:
                        yield ReadError(display_name(p), _OUTSIDE.format("directory"))
                elif not article:
                    continue
                elif not os.path.exists(target):
                    yield ReadError(display_name(p), "broken symbolic link")
                elif inside or follow:
                    files.append(p)
                else:
                    yield ReadError(display_name(p), _OUTSIDE.format("file"))
            elif e.is_dir(follow_symlinks=False):
                seen.add(os.path.realpath(p))
                dirs.append(p)
            elif article:
                files.append(p)  # a FIFO or device is refused when opened
        except OSError as exc:
            yield ReadError(display_name(p), _os_reason(exc))
    yield from files
    for sub in dirs:
        yield from _walk_dir(sub, top, follow, seen)


_OUTSIDE = "symbolic link to a {} outside the input directory, not followed (--follow-symlinks)"


def read_directory(root: Path, follow_symlinks: bool = False) -> Iterator[RawDocument | ReadError]:
    found = False
    for p in walk(root, follow_symlinks):
        found = True
        if isinstance(p, ReadError):
            yield p
        else:
            yield from read_file(p)
    if not found:
        exts = " ".join(sorted(DIR_EXTS))
        yield ReadError(display_name(root), f"no article files in directory (looked for {exts})")


def read_stdin(stream: IO[bytes] | None = None) -> Iterator[RawDocument | ReadError]:
    """Documents from stdin bytes: JSONL is streamed; text and HTML are capped."""
    src = stream if stream is not None else sys.stdin.buffer
    try:
        first = src.readline(MAX_BYTES + 1)
        if sniff_format(first) == "jsonl":
            lines = _chain(first, capped_lines(src, first=2))
            yield from _some(jsonl_lines(lines, STDIN_NAME))
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


def _some(items: Iterator[RawDocument | ReadError]) -> Iterator[RawDocument | ReadError]:
    """The items, or one ReadError when there are none: an input never vanishes."""
    found = False
    for item in items:
        found = True
        yield item
    if not found:
        raise ReadFailure("no records")


def _chain(
    first: bytes, rest: Iterator[tuple[int, bytes | None]]
) -> Iterator[tuple[int, bytes | None]]:
    yield 1, first
    yield from rest


def read_paths(
    paths: Sequence[str], follow_symlinks: bool = False
) -> Iterator[RawDocument | ReadError]:
    """Yield one RawDocument per article (a JSONL file yields many), or a ReadError.

    Each path may be a file, a directory (walked recursively, sorted; symbolic
    links followed only inside it unless `follow_symlinks`) or "-" for stdin.
    Only regular files are read. Never raises for bad input.
    """
    for p in paths:
        if p == STDIN:
            yield from read_stdin()
            continue
        path = Path(p)
        try:
            is_dir = path.is_dir()
        except OSError as exc:
            yield ReadError(display_name(p), _os_reason(exc))
            continue
        if is_dir:
            yield from read_directory(path, follow_symlinks)
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
    import argparse

    from wirescope.reading.htmlmeta import EARLIEST_YEAR, LATEST_YEAR, parse_iso, plausible

    value = parse_iso(text)
    if value is None:
        raise argparse.ArgumentTypeError(
            f"not an ISO date or date-time: {text!r} (e.g. 2022-05-10 or 2022-05-10T14:30+03:00)"
        )
    if not plausible(value):
        raise argparse.ArgumentTypeError(
            f"{text!r} is a placeholder, not a publication time (years"
            f" {EARLIEST_YEAR}-{LATEST_YEAR}; 1900-01-01 and 1970-01-01 at midnight mean none)"
        )
    return value.isoformat()
