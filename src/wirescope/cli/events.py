"""`wirescope events`: the corpus's events by actor, place, date and claimant. Thin: parse,
call wirescope.store.events, print."""

from __future__ import annotations

import argparse
from typing import Any

from wirescope.cli.corpus import _command, _date, _open, _positive, _print_rows
from wirescope.store.events import EventFilter


def register(sub: Any) -> None:
    """Add `events` to the top-level parser."""
    p = _command(sub, "events", "events in the corpus: who did what, where, when", _events, True)
    p.add_argument("--actor", metavar="NAME", help="an actor's name (entity or phrase)")
    p.add_argument("--where", metavar="PLACE", help="where it happened (a name or an alias)")
    p.add_argument("--since", metavar="DATE", type=_date, help="its `when` on or after (Y-M-D)")
    p.add_argument(
        "--claimed-by", metavar="NAME", help="only events reported in a quote of this speaker"
    )
    p.add_argument("--limit", type=_positive, default=50, metavar="N")


def _events(args: argparse.Namespace) -> int:
    store = _open(args)
    since = args.since.isoformat() if args.since else None
    f = EventFilter(actor=args.actor, where=args.where, since=since, claimed_by=args.claimed_by)
    hits = store.events(f, limit=args.limit)
    rows = [
        [
            h.when or "",
            ("not " if h.polarity == "NEG" else "") + h.trigger,
            "; ".join(h.actors),
            "; ".join(h.patients),
            h.where or "",
            h.claimed_by or "",
            h.article_id[:10],
        ]
        for h in hits
    ]
    headers = ["when", "trigger", "actors", "patients", "where", "claimed by", "article"]
    _print_rows(args.format, [h.to_dict() for h in hits], (headers, rows))
    return 0
