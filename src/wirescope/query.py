"""Corpus queries for front ends: open a stored corpus, find an article, mark its
quotes, flatten hits into rows, export tables. The CLI (corpus_cli) only parses
arguments and prints what these return."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

from wirescope.record.models import Record
from wirescope.store import (
    EXPORT_TABLES,
    PersonRow,
    QuoteHit,
    SearchHit,
    Store,
    StoreError,
    open_store,
)

ExportFormat = Literal["jsonl", "csv", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
# Export columns that hold JSON text in the store; JSONL gets them as real lists.
_JSON_COLUMNS = {"variants", "roles", "aliases"}

ANSI_QUOTE, ANSI_LABEL, ANSI_HIT, ANSI_OFF = "\x1b[1;36m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"


def open_corpus(db: str | None) -> Store:
    """An existing corpus: a missing SQLite file is an error, not a new empty database."""
    return open_store(db, must_exist=True)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise StoreError(f"bad date {text!r}: expected YYYY-MM-DD") from None


def find_article(store: Store, article_id: str) -> Record:
    """An article by id, by an unambiguous id prefix (ids are long hashes), or by the
    source it was ingested from (a path, or path#id for a JSONL record)."""
    record = store.get(article_id)
    if record is not None:
        return record
    by_source = store.hashes_for([article_id]).get(article_id)
    if by_source is not None and (record := store.get(by_source)) is not None:
        return record
    ids = store.article_ids(article_id, limit=6) if article_id else []
    if len(ids) == 1:
        found = store.get(ids[0])
        if found is not None:
            return found
    if len(ids) > 1:
        shown = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
        raise StoreError(f"article id {article_id!r} is ambiguous: {shown}")
    raise StoreError(f"no article with id {article_id!r}")


def speaker_labels(store: Store, record: Record) -> dict[str, str]:
    """quote id -> who said it: the corpus-level name when the speaker was resolved."""
    corpus_name = {s.entity_id: s.name for s in store.speakers(record.id)}
    labels = {}
    for q in record.quotes:
        spk = q.speaker
        if spk is None:
            labels[q.id] = "?"
            continue
        name = corpus_name.get(spk.entity or "") or spk.name
        labels[q.id] = f"{name} ({spk.text})" if name and name != spk.text else spk.text
    return labels


def mark_quotes(record: Record, labels: dict[str, str], ansi: bool = False) -> str:
    """The article text with each quote in [[ ]] (or colour) and its speaker after it."""
    text = record.text
    out: list[str] = []
    pos = 0
    for q in sorted(record.quotes, key=lambda q: q.span):
        start, end = q.span
        if start < pos:  # overlaps the previous quote: its text is already marked
            continue
        label = f"{{{q.id}: {labels.get(q.id, '?')}}}"
        quoted = text[start:end]
        if ansi:
            out += [text[pos:start], ANSI_QUOTE, quoted, ANSI_OFF, ANSI_LABEL, label, ANSI_OFF]
        else:
            out += [text[pos:start], "[[", quoted, "]]", label]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def ansi_highlights(snippet: str) -> str:
    """Store snippets mark hits with [[ ]]; on a terminal show them in colour instead."""
    return re.sub(r"\[\[(.*?)\]\]", ANSI_HIT + r"\1" + ANSI_OFF, snippet)


# -- rows for table / json / csv output -------------------------------------


def hit_dicts(hits: Iterable[QuoteHit | SearchHit | PersonRow]) -> list[dict[str, Any]]:
    return [asdict(h) for h in hits]


def columns_of(cls: type[QuoteHit] | type[SearchHit] | type[PersonRow]) -> list[str]:
    return [f.name for f in fields(cls)]


def roles_text(roles: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r['role']} ({r['as_of']})" if r.get("as_of") else r["role"] for r in roles)


def flat(value: Any) -> Any:
    """A CSV cell: lists, tuples (spans) and dicts as JSON, everything else as is."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


# -- export ------------------------------------------------------------------


def export(
    store: Store, fmt: ExportFormat, out_dir: str | Path, force: bool = False
) -> dict[str, Path]:
    """articles, quotes, people and places as OUT/<table>.<fmt>; returns the paths.

    Existing files are refused unless `force`, and a symbolic link in OUT is never
    written through (even with `force`): each table is written to a new file made
    in OUT, then renamed over its name, so nothing outside OUT can be reached.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise StoreError(f"{out} exists and is not a directory")
    targets = {table: out / f"{table}.{fmt}" for table in EXPORT_TABLES}
    links = [str(p) for p in targets.values() if p.is_symlink()]
    if links:
        raise StoreError(f"not writing through symbolic links: {', '.join(links)} (remove them)")
    present = [str(p) for p in targets.values() if p.exists()]
    if present and not force:
        raise StoreError(f"would overwrite {', '.join(present)}: use --force to replace them")
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for table, path in targets.items():
        columns, rows = store.export_rows(table)
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{table}.", suffix=".part")
        try:
            os.fchmod(fd, 0o666 & ~_umask())
            if fmt == "jsonl":
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    _write_jsonl(fh, columns, rows)
            elif fmt == "csv":
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                    _write_csv(fh, columns, rows)
            else:
                os.close(fd)
                _write_parquet(Path(tmp), columns, rows)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        written[table] = path
    return written


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_jsonl(fh: TextIO, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    for row in rows:
        obj = {
            c: json.loads(v) if c in _JSON_COLUMNS and isinstance(v, str) else v
            for c, v in zip(columns, row, strict=True)
        }
        fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _write_csv(fh: TextIO, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    writer = csv.writer(fh)
    writer.writerow(columns)
    writer.writerows(rows)


def _write_parquet(path: Path, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise StoreError("parquet export needs pyarrow: pip install pyarrow") from None
    data = list(rows)
    table = pa.table({c: [r[i] for r in data] for i, c in enumerate(columns)})
    pq.write_table(table, path)
