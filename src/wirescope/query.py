"""Corpus queries for front ends: open a stored corpus, find an article, label its
speakers, hits as dicts, export tables. Rendering them as text is the front ends' part
(cli/render.py for the terminal)."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

from wirescope.errors import ExportError, QueryError
from wirescope.record.models import Record
from wirescope.store import (
    EXPORT_TABLES,
    PersonRow,
    QuoteHit,
    SearchHit,
    Store,
    open_store,
)

ExportFormat = Literal["jsonl", "csv", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet")
# Export columns that hold JSON text in the store; JSONL gets them as real lists.
_JSON_COLUMNS = {"variants", "roles", "aliases"}


def open_corpus(db: str | None) -> Store:
    """An existing corpus: a missing SQLite file is an error, not a new empty database."""
    return open_store(db, must_exist=True)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise QueryError(f"bad date {text!r}: expected YYYY-MM-DD") from None


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
        raise QueryError(f"article id {article_id!r} is ambiguous: {shown}")
    if "#" not in article_id and Path(article_id).suffix.lower() in (".jsonl", ".ndjson", ".json"):
        raise QueryError(
            f"no article with id {article_id!r}: a JSONL file holds one article per record;"
            f" name one as {article_id}#ID (its id, or lineN for a record without one)"
        )
    raise QueryError(f"no article with id {article_id!r}")


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


# -- rows for table / json / csv output -------------------------------------


def hit_dicts(hits: Iterable[QuoteHit | SearchHit | PersonRow]) -> list[dict[str, Any]]:
    return [asdict(h) for h in hits]


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
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a directory")
    targets = {table: out / f"{table}.{fmt}" for table in EXPORT_TABLES}
    links = [str(p) for p in targets.values() if p.is_symlink()]
    if links:
        raise ExportError(f"not writing through symbolic links: {', '.join(links)} (remove them)")
    present = [str(p) for p in targets.values() if p.exists()]
    if present and not force:
        raise ExportError(f"would overwrite {', '.join(present)}: use --force to replace them")
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
        raise ExportError(
            "parquet export needs pyarrow: pip install 'wirescope[parquet]'"
        ) from None
    data = list(rows)
    table = pa.table({c: [r[i] for r in data] for i, c in enumerate(columns)})
    pq.write_table(table, path)
