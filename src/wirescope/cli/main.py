"""Command line: thin wrappers over the library. Errors become one-line messages here."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from wirescope.cli.corpus import seconds_arg
from wirescope.cli.render import error, json_text, record_table, warning
from wirescope.errors import WirescopeError
from wirescope.pipeline.build import ARTICLE_TIMEOUT, ATTRIBUTIONS, FULL, READ_FAILED, process
from wirescope.reading.read import document_warnings, published_arg, read_paths, with_published
from wirescope.record.models import Failure, RawDocument, ReadError, Record
from wirescope.record.serialize import record_to_dict

Handler = Callable[[argparse.Namespace], int]


def _extract(args: argparse.Namespace) -> int:
    failures = 0

    def docs() -> Iterator[RawDocument | ReadError]:
        items = read_paths(args.paths, args.follow_symlinks)
        for item in with_published(items, args.published):
            if isinstance(item, RawDocument):
                for note in document_warnings(item):
                    warning(f"{item.path}{f'#{item.id}' if item.id else ''}: {note}")
            yield item

    out = sys.stdout
    first = True
    if args.format == "json":
        out.write("[")
    stages = ATTRIBUTIONS if args.stances else FULL
    budget = args.article_timeout or None
    for result in process(docs(), stages=stages, article_timeout=budget):
        if isinstance(result, Failure):
            failures += 1
            # A file that cannot be read is named with its reason alone, as it always was.
            where = result.path + (f"#{result.input_id}" if result.input_id else "")
            error(f"{where}: {result.reason.removeprefix(READ_FAILED)}")
            continue
        _emit(result, args.format, first)
        first = False
        out.flush()
    if args.format == "json":
        out.write("\n]\n" if not first else "]\n")
    return 1 if failures else 0


def _emit(record: Record, fmt: str, first: bool) -> None:
    if fmt == "jsonl":
        sys.stdout.write(json_text(record_to_dict(record)) + "\n")
    elif fmt == "json":
        body = json_text(record_to_dict(record), indent=2)
        sys.stdout.write(("\n" if first else ",\n") + body)
    else:
        if not first:
            sys.stdout.write("\n\n")
        sys.stdout.write(record_table(record) + "\n")


def _evaluate(args: argparse.Namespace) -> int:
    from wirescope.cli.evaluate import run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    from wirescope import __version__

    parser = argparse.ArgumentParser(
        prog="wirescope", description="Who said what, about whom, when and where."
    )
    parser.add_argument("--version", action="version", version=f"wirescope {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an unexpected error (also WIRESCOPE_DEBUG=1)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="extract records from articles (files, dirs, '-' = stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["json", "jsonl", "table"], default="table")
    p.add_argument(
        "--published",
        type=published_arg,
        metavar="DATE",
        help="publication date/time for texts without a stamp (anchors relative dates)",
    )
    p.add_argument(
        "--stances",
        action="store_true",
        help="also report stances and intentions ('vowed to ...', 'called for ...')",
    )
    p.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="follow symbolic links that lead out of an input directory (default: report them)",
    )
    p.add_argument(
        "--article-timeout",
        type=seconds_arg,
        default=ARTICLE_TIMEOUT,
        metavar="SECONDS",
        help="an article whose extraction takes longer is reported as failed "
        f"(default {ARTICLE_TIMEOUT:g}; 0: no limit)",
    )
    p.set_defaults(func=_extract)

    p = sub.add_parser("evaluate", help="score the pipeline against gold JSONL")
    p.add_argument("gold", metavar="GOLD.jsonl")
    p.add_argument("--errors", action="store_true", help="list missed/spurious/wrong-speaker")
    p.add_argument("--limit", type=int, default=None, help="only the first N articles")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument(
        "--stances",
        action="store_true",
        help="count stances and intentions as attributions too (PolNeAR's scope)",
    )
    p.set_defaults(func=_evaluate)

    from wirescope.cli.corpus import register

    register(sub)
    from wirescope.cli.quotations import register as register_quotations

    register_quotations(sub)
    from wirescope.cli.serve import register_serve

    register_serve(sub)
    return parser


class _WarningLine(logging.Handler):
    """The library's warnings (logger "wirescope") as the CLI's one-line warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        warning(record.getMessage())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = args.debug or os.environ.get("WIRESCOPE_DEBUG", "") not in ("", "0")
    logger = logging.getLogger("wirescope")
    handler = _WarningLine(level=logging.WARNING)
    logger.addHandler(handler)
    previous = _on_sigterm()
    try:
        code: int = args.func(args)
        return code
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except Terminated:
        error("terminated (SIGTERM): what was written before stays; run the command again")
        return 143
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        elif isinstance(exc, WirescopeError):  # bad input or a missing resource: its reason
            error(f"{type(exc).__name__}: {exc}")
        else:  # a bug: one line, and how to see where it happened
            error(f"{type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return 2
    finally:
        logger.removeHandler(handler)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(SystemExit):
    """SIGTERM, raised where the program is, so that cleanup runs as for Ctrl-C: worker
    processes are ended, the store closed, multiprocessing's semaphores released
    (killed outright, the resource tracker reported one leaked)."""


def _on_sigterm() -> Any:
    """Turn SIGTERM into Terminated (main thread only); the previous handler, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def terminate(signum: int, frame: object) -> None:
        raise Terminated(143)

    return signal.signal(signal.SIGTERM, terminate)


if __name__ == "__main__":
    sys.exit(main())
