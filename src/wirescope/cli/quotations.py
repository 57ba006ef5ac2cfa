"""`wirescope quotations` (one quotation across articles and outlets, by spread) and
`wirescope quotation ID` (its occurrences in time order, wordings, speakers). Thin:
parse, call the store (store/quotations.py), print."""

from __future__ import annotations

import argparse
import json
from typing import Any

from wirescope.cli import render
from wirescope.corpus.quotations import Quotation, quotation_dict
from wirescope.errors import QueryError
from wirescope.store import Store


def register(sub: Any) -> None:
    from wirescope.cli.corpus import _command, _positive

    p = _command(
        sub,
        "quotations",
        "quotations across articles and outlets, most widely repeated first",
        _quotations,
        formats=True,
    )
    p.add_argument("--speaker", metavar="NAME", help="attributed to this person (in any article)")
    p.add_argument("--about", metavar="TEXT", help="words in it, or an entity it names")
    p.add_argument("--min-outlets", type=_positive, default=1, metavar="N")
    p.add_argument("--disputed", action="store_true", help="only those attributed to 2+ people")
    p.add_argument("--limit", type=_positive, default=50, metavar="N")
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="group every quote and reprint again (after ingest --cluster, which does it"
        " at its end; the same groups as ingest makes)",
    )

    p = _command(sub, "quotation", "one quotation: occurrences, wordings, speakers", _quotation)
    p.add_argument("quotation_id", metavar="ID", help="a quotation id or an unambiguous prefix")
    p.add_argument("--format", choices=["table", "json"], default="table")


def _open(args: argparse.Namespace) -> Store:
    from wirescope import query

    return query.open_corpus(args.db)


def _quotations(args: argparse.Namespace) -> int:
    store: Any = _open(args)
    render.regrouped_or_stale(
        args.rebuild,
        store.rebuild_quotations,
        lambda: bool(store.quotations_stale() or store.quotations_pending()),
        "quotations",
        "grouped",
    )
    rows = store.quotations(
        speaker=args.speaker,
        about=args.about,
        min_outlets=args.min_outlets,
        disputed=args.disputed,
        limit=args.limit,
    )
    if args.format == "json":
        full = [quotation_dict(q) for q in store.quotations_full(rows)]
        print(json.dumps(full, indent=2, ensure_ascii=False))
        return 0
    from wirescope.cli.corpus import _print_rows

    dicts = [vars(r) for r in rows]
    table = [
        [
            r.id,
            str(r.outlets),
            str(r.occurrences),
            (r.first_published or "undated")[:10],
            r.first_outlet or "?",
            ", ".join(s["person"] for s in r.speakers) + (" (disputed)" if r.disputed else ""),
            r.text,
        ]
        for r in rows
    ]
    headers = ["id", "outlets", "seen", "first", "first in", "speakers", "text"]
    _print_rows(args.format, dicts, (headers, table))
    return 0


def find_quotation(store: Any, ident: str) -> Quotation:
    q = store.quotation(ident)
    if q is not None:
        return q  # type: ignore[no-any-return]
    ids = store.quotation_ids(ident, limit=2)
    if len(ids) == 1:
        return store.quotation(ids[0])  # type: ignore[no-any-return]
    if ids:
        raise QueryError(f"quotation id {ident!r} is ambiguous: {', '.join(ids)}, ...")
    raise QueryError(f"no quotation {ident!r} in the store")


def diff_text(diff: list[tuple[str, str]]) -> str:
    """A wording's difference as text: [-dropped-] {+added+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(t) for op, t in diff)


def _quotation(args: argparse.Namespace) -> int:
    q = find_quotation(_open(args), args.quotation_id)
    if args.format == "json":
        print(json.dumps(quotation_dict(q), indent=2, ensure_ascii=False))
        return 0
    from wirescope.cli.render import table_rows

    f = q.first_seen
    print(f"quotation {q.id}: {q.text}")
    print(
        f"first seen: {f.published or 'undated'} in {f.outlet or '?'} (article {f.article_id})"
        f"; {len(q.occurrences)} occurrences in {q.articles} articles, {q.outlets} outlets"
        + (f", {q.undated} undated" if q.undated else "")
    )
    speakers = ", ".join(f"{s.person} ({s.count})" for s in q.speakers) or "?"
    if q.disputed:
        speakers += "  DISPUTED: the occurrences name different people"
    print(f"speakers: {speakers}")
    print("\n== Occurrences " + "=" * 45)
    print(
        table_rows(
            ["published", "outlet", "article", "speaker", "wording"],
            [
                [
                    o.published or "undated",
                    (o.outlet or "?") + (" (reprint)" if not o.origin else ""),
                    f"{o.article_id}/{o.quote_id}",
                    o.speaker or "?",
                    o.text.strip(),
                ]
                for o in q.occurrences
            ],
        )
    )
    print("\n== Wordings (differences from the first seen) " + "=" * 13)
    for v in q.variants:
        print(f"{v.occurrences} x  {diff_text(v.diff)}")
    return 0
