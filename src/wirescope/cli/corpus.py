"""Corpus commands: ingest, quotes, people, search, show, export, failures. Thin:
parse, call wirescope.ingest.local / wirescope.query / the Store, print."""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from wirescope import query
from wirescope.cli import render
from wirescope.errors import QueryError, StoreError, WirescopeError
from wirescope.ingest.local import BATCH_TIMEOUT, IngestStats, ingest, worker_cap
from wirescope.nlp.parse import BATCH_SIZE
from wirescope.pipeline.build import ARTICLE_TIMEOUT
from wirescope.pipeline.stages import ATTRIBUTIONS, FULL, fingerprint
from wirescope.reading.read import published_arg
from wirescope.reading.safetext import printable
from wirescope.record.serialize import record_to_dict
from wirescope.store import (
    DEFAULT_DB,
    PersonRow,
    QuoteHit,
    SearchHit,
    Store,
    open_store,
)

Handler = Callable[[argparse.Namespace], int]


def register(sub: Any) -> None:
    """Add the corpus subcommands to the top-level parser."""
    p = _command(sub, "ingest", "process articles into a corpus store (idempotent)", _ingest)
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument(
        "--published",
        type=published_arg,
        metavar="DATE",
        help="publication date/time for texts without a stamp (anchors relative dates)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="processes (default and most: the cores the memory available can feed)",
    )
    p.add_argument(
        "--batch-size", type=_positive, default=BATCH_SIZE, metavar="N", help="articles per batch"
    )
    p.add_argument(
        "--batch-timeout",
        type=seconds_arg,
        default=BATCH_TIMEOUT,
        metavar="SECONDS",
        help=f"kill a worker stuck this long on one batch; its articles run again one at a"
        " time and the one that hangs is recorded as failed"
        f" (default {BATCH_TIMEOUT:g}; 0: no limit; --workers 1 has none)",
    )
    p.add_argument(
        "--article-timeout",
        type=seconds_arg,
        default=ARTICLE_TIMEOUT,
        metavar="SECONDS",
        help="an article whose parse and extraction take longer is recorded as failed"
        f" (default {ARTICLE_TIMEOUT:g}; 0: no limit)",
    )
    p.add_argument(
        "--stances",
        action="store_true",
        help="also record stances and intentions ('vowed to ...', 'called for ...')",
    )
    p.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links that lead out of an input directory (default: report them)",
    )
    p.add_argument(
        "--reprocess",
        action="store_true",
        help="read again the sources of the stored records that another version or other"
        " stages made, and extract them again (PATHs: none needed)",
    )
    p.add_argument(
        "--cluster",
        metavar="SPEC",
        help="run on Dask: tcp://SCHEDULER:8786, or local[:N] for N worker processes here;"
        " --db must be postgresql://... (see docs/scale.md)",
    )
    p.add_argument(
        "--partition-size",
        type=_positive,
        default=8 << 20,
        metavar="BYTES",
        help="with --cluster: JSONL files larger than this are cut into ranges of this size",
    )
    p.set_defaults(usage_error=p.error)

    p = _command(sub, "quotes", "quotes in the corpus, newest first", _quotes, formats=True)
    p.add_argument("--speaker", metavar="NAME", help="who said it (spelling variants match)")
    p.add_argument("--about", metavar="TEXT", help="words in the quote, or an entity it names")
    p.add_argument("--since", metavar="DATE", type=_date, help="published on or after (Y-M-D)")
    p.add_argument("--until", metavar="DATE", type=_date, help="published on or before (Y-M-D)")
    p.add_argument("--kind", choices=["direct", "indirect", "mixed"])
    p.add_argument("--limit", type=_positive, metavar="N")
    p.add_argument(
        "--count-by",
        choices=COUNT_BY,
        help="instead of the quotes: how many of them each speaker (outlet, month, place,"
        " kind) has, most first (--limit: how many values; 20)",
    )

    p = _command(sub, "people", "people quoted or named, most quoted first", _people, formats=True)
    p.add_argument("--role", metavar="TEXT", help="only people who held a role containing TEXT")
    p.add_argument("--limit", type=_positive, metavar="N")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="match every article's people again, in the order they were read (after"
        " ingest --cluster, which does it at its end; safe to run again)",
    )

    p = _command(sub, "search", "full-text search over articles and quotes", _search, formats=True)
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--limit", type=_positive, default=20, metavar="N")

    p = _command(sub, "show", "one stored article with its quotes marked", _show)
    p.add_argument(
        "article_id", metavar="ARTICLE_ID", help="an id, an unambiguous prefix or the source path"
    )
    p.add_argument("--format", choices=["table", "json"], default="table")

    p = _command(sub, "export", "write articles, quotes, people, places tables to OUT/", _export)
    p.add_argument("out", metavar="OUT", help="directory (created if missing)")
    p.add_argument("--format", choices=query.EXPORT_FORMATS, default="csv")
    p.add_argument("--force", action="store_true", help="replace files OUT already holds")

    _command(sub, "failures", "articles that failed to ingest, with the reason", _failures, True)


def _command(
    sub: Any, name: str, help_text: str, handler: Handler, formats: bool = False
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
    p.add_argument(
        "--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL ({DEFAULT_DB})"
    )
    if formats:
        p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.set_defaults(func=_guarded(handler))
    return p


def _guarded(handler: Handler) -> Handler:
    """Store, query and export problems become one line on stderr and exit status 1."""

    def run(args: argparse.Namespace) -> int:

        try:
            return handler(args)
        except WirescopeError as exc:
            render.error(str(exc))
            return 1
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            # A driver's message ("attempt to write a readonly database") names no file.
            render.error(f"database {_db_name(args.db)}: {type(exc).__name__}: {exc}")
            return 1

    return run


def _date(text: str) -> Any:
    try:
        return query.parse_date(text)
    except QueryError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return int(text)


def _tty() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _is_database_error(exc: BaseException) -> bool:
    import sqlite3

    if isinstance(exc, sqlite3.Error):
        return True
    try:
        import psycopg
    except ImportError:
        return False
    return isinstance(exc, psycopg.Error)


def _db_name(db: str) -> str:
    """The database as the user named it, without a password in a URL."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db)


def _open(args: argparse.Namespace) -> Store:
    return query.open_corpus(args.db)


def _print_rows(
    fmt: str, dicts: list[dict[str, Any]], table: tuple[list[str], list[list[str]]]
) -> None:
    """json: the full objects; csv: one column per field; table: the given columns."""
    if fmt == "json":
        print(render.json_text(dicts, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        # A file gets the values as stored; a terminal, with control characters escaped.
        cell = _shown if sys.stdout.isatty() else render.flat
        if dicts:
            writer.writerow(dicts[0].keys())
        writer.writerows([cell(v) for v in d.values()] for d in dicts)
    else:
        from wirescope.cli.render import table_rows

        print(table_rows(*table))


def _shown(value: Any) -> Any:
    flat = render.flat(value)
    return printable(flat) if isinstance(flat, str) else flat


COUNT_BY = ("speaker", "outlet", "month", "place", "kind")


def _quotes(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.count_by:
        stats = store.quote_stats(
            args.speaker, args.about, args.since, args.until, args.kind, top=args.limit or 20
        )
        values = stats.facets[args.count_by]
        dicts = [{args.count_by: v.label, "id": v.value, "quotes": v.count} for v in values]
        rows = [[v.label, f"{v.count:,}"] for v in values]
        _print_rows(args.format, dicts, ([args.count_by, "quotes"], rows))
        if args.format == "table":
            print(f"{stats.total:,} quotes in all")
        return 0
    hits: list[QuoteHit] = store.quotes(
        speaker=args.speaker,
        about=args.about,
        since=args.since,
        until=args.until,
        kind=args.kind,
        limit=args.limit,
    )
    rows = [
        [(h.published or "")[:10], h.speaker or "?", h.kind, h.article_id[:10], h.text]
        for h in hits
    ]
    _print_rows(
        args.format, query.hit_dicts(hits), (["date", "speaker", "kind", "article", "quote"], rows)
    )
    return 0


def _people(args: argparse.Namespace) -> int:
    store = _open(args)
    render.regrouped_or_stale(
        args.rebuild, store.rebuild_people, store.people_stale, "people", "matched"
    )
    people: list[PersonRow] = store.people(role=args.role, limit=args.limit)
    rows = [
        [
            p.name,
            str(p.quotes),
            str(p.articles),
            p.first_seen or "",
            p.last_seen or "",
            render.roles_text(p.roles),
        ]
        for p in people
    ]
    headers = ["name", "quotes", "articles", "first seen", "last seen", "roles"]
    _print_rows(args.format, query.hit_dicts(people), (headers, rows))
    return 0


def _search(args: argparse.Namespace) -> int:
    hits: list[SearchHit] = _open(args).search(args.text, limit=args.limit)
    mark = render.ansi_highlights if _tty() else str
    rows = [
        [
            f"{h.score:.3g}",
            h.type,
            h.article_id[:10] + (f"/{h.quote_id}" if h.quote_id else ""),
            mark(" ".join(h.snippet.split())),
        ]
        for h in hits
    ]
    _print_rows(args.format, query.hit_dicts(hits), (["score", "type", "article", "snippet"], rows))
    return 0


def _show(args: argparse.Namespace) -> int:
    store = _open(args)
    record = query.find_article(store, args.article_id)
    labels = query.speaker_labels(store, record)
    if args.format == "json":
        out = record_to_dict(record)
        out["speakers"] = {
            s.entity_id: {"person_id": s.person_id, "name": s.name}
            for s in store.speakers(record.id)
        }
        print(render.json_text(out, indent=2))
        return 0
    from wirescope.cli.render import record_table, table_rows

    print(record_table(record).split("\n== ")[0])  # the header lines
    print(f"id: {record.id}\n")
    print(render.mark_quotes(record, labels, ansi=_tty()))
    print("\n== Quotes " + "=" * 50)
    print(
        table_rows(
            ["id", "speaker", "kind", "quote"],
            [[q.id, labels[q.id], q.kind, q.text] for q in record.quotes],
        )
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    written = query.export(_open(args), args.format, args.out, force=args.force)
    for table, path in written.items():
        print(f"{table}: {path}")
    return 0


def _failures(args: argparse.Namespace) -> int:
    failures = _open(args).failures()
    dicts = [{"path": f.path, "input_id": f.input_id, "reason": f.reason} for f in failures]
    rows = [
        [printable(f.path + (f"#{f.input_id}" if f.input_id else "")), printable(f.reason)]
        for f in failures
    ]
    _print_rows(args.format, dicts, (["path", "reason"], rows))
    return 0


# -- ingest -------------------------------------------------------------------


class ProgressDisplay:
    """One line updated in place on a terminal; plain log lines otherwise."""

    def __init__(self, stream: TextIO | None = None, interval: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0
        self._bar: Any = None
        if self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(file=self.stream, unit=" articles", dynamic_ncols=True, leave=False)

    def __call__(self, stats: IngestStats) -> None:
        if self._bar is not None:
            self._bar.update(stats.articles - self._bar.n)
            self._bar.set_postfix_str(
                f"files={stats.files} skipped={stats.skipped} failed={stats.failed}", refresh=True
            )
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            print(
                f"wirescope: {stats.files} files, {stats.articles} articles "
                f"({stats.rate:.1f}/s), {stats.skipped} skipped, {stats.failed} failed",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _workers(asked: int | None) -> int:
    """The worker processes to start: as asked, but no more than the machine holds."""
    cap, why = worker_cap()
    if asked is not None and asked > cap:
        render.warning(f"--workers {asked} is more than this machine holds: {cap} ({why})")
    return min(asked or cap, cap)


def _ingest(args: argparse.Namespace) -> int:
    if not args.paths and not args.reprocess:
        args.usage_error("give a PATH to ingest, or --reprocess")
    stages = ATTRIBUTIONS if args.stances else FULL
    display = ProgressDisplay()
    store: Store = open_store(args.db)
    try:
        paths = list(args.paths)
        if args.reprocess:
            paths += [p for p in store.stale_paths(fingerprint(stages)) if p not in paths]
        if args.cluster:
            try:
                from wirescope.cli.cluster import run_cluster_ingest
            except ImportError as exc:
                raise StoreError(
                    f"--cluster needs Dask ({exc.name} is missing):"
                    " pip install 'wirescope[cluster]'"
                ) from None

            return run_cluster_ingest(args, paths, stages, display)
        stats = ingest(
            paths,
            store,
            workers=_workers(args.workers),
            article_timeout=args.article_timeout or None,
            batch_size=args.batch_size,
            progress=display,
            batch_timeout=args.batch_timeout or None,
            stages=stages,
            published=args.published,
            follow_symlinks=args.follow_symlinks,
        )
    finally:
        display.close()
        store.close()
    print(f"wirescope: {stats.summary()}", file=sys.stderr)
    return 1 if stats.failed else 0


def seconds_arg(text: str) -> float:
    """argparse type for a time limit: a finite number of seconds >= 0 (nan, -1 and
    inf refused: each silently meant no limit)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}")
    return value
