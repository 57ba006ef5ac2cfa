"""Text renderings of records for the terminal (`--format table`)."""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from wirescope.reading.safetext import BIDI_CONTROLS, printable, printable_text
from wirescope.record.models import Record


def error(message: str) -> None:
    """One error line on stderr, the form every command reports a problem in (control
    characters of a file name or reason shown escaped)."""
    print(f"wirescope: error: {printable(message)}", file=sys.stderr)


def regrouped_or_stale(
    rebuild: bool, regroup: Callable[[], int], stale: Callable[[], bool], what: str, done: str
) -> None:
    """`--rebuild`: group `what` again (`regroup`, which counts the articles) and say
    so as `done`; otherwise tell when a cluster ingest left them out of date."""
    if rebuild:
        n = regroup()
        print(f"wirescope: {what} {done} again over {n} articles", file=sys.stderr)
    elif stale():
        error(
            f"{what} are out of date (an ingest --cluster did not finish): run"
            f" `wirescope {what} --rebuild`"
        )


def warning(message: str) -> None:
    print(f"wirescope: warning: {printable(message)}", file=sys.stderr)


def _rule(title: str) -> str:
    return f"\n== {title} " + "=" * max(0, 60 - len(title))


def table_rows(
    headers: list[str],
    rows: list[list[str]],
    max_width: int | None = None,
    *,
    figures: bool = False,
) -> str:
    """An aligned text table, the one renderer of every table the CLI prints.

    Listings (the default): columns joined by " | ", every column but the last cut at
    32 characters, the last wrapped to the terminal width; "(none)" without rows.
    figures=True (score tables): every cell in full, the label column left-aligned and
    the figures right-aligned, joined by two spaces.
    Every cell is shown with its control and bidirectional characters escaped: a
    quote's text must not clear the screen or reorder a name.
    """
    headers = [printable(h) for h in headers]
    rows = [[printable(c) for c in r] for r in rows]
    if figures:
        full = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

        def line(cells: list[str]) -> str:
            pairs = enumerate(zip(cells, full, strict=True))
            return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in pairs)

        return "\n".join([line(headers), "  ".join("-" * w for w in full), *map(line, rows)])
    width = max_width or shutil.get_terminal_size((120, 24)).columns
    if not rows:
        return "(none)"
    cols = len(headers)
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(cols - 1)]
    widths = [min(w, 32) for w in widths]
    last = max(20, width - sum(widths) - 3 * (cols - 1))
    out = [" | ".join(h.ljust(w) for h, w in zip(headers, [*widths, last], strict=True)).rstrip()]
    out.append("-+-".join("-" * w for w in [*widths, min(last, 40)]))
    for r in rows:
        head = [
            textwrap.shorten(c, w, placeholder="…").ljust(w)
            for c, w in zip(r, widths, strict=False)
        ]
        wrapped = textwrap.wrap(r[-1], last) or [""]
        out.append(" | ".join([*head, wrapped[0]]))
        pad = " | ".join(" " * w for w in widths)
        out.extend(f"{pad} | {line}" for line in wrapped[1:])
    return "\n".join(out)


def quotes_table(record: Record) -> str:
    rows = []
    for q in record.quotes:
        who = (q.speaker.name or q.speaker.text) if q.speaker else "?"
        rows.append([who, q.kind, q.text.replace("\n", " ")])
    return table_rows(["speaker", "kind", "quote"], rows)


def record_table(record: Record) -> str:
    """Everything a reader needs at a glance: header, then one section per fact type."""
    lines = [printable(f"# {record.headline or '(no headline)'}")]
    meta = [f"source: {record.source.get('path')}"]
    if record.published:
        meta.append(f"published: {record.published.isoformat()}")
    if record.updated:
        meta.append(f"updated: {record.updated.isoformat()}")
    for key, label in (("author", "by"), ("site_name", "site")):
        if record.source.get(key):
            meta.append(f"{label}: {record.source[key]}")
    if record.dateline:
        dl = record.dateline
        meta.append(f"dateline: {dl.place or '?'} / {dl.agency or '?'}")
    lines.append(printable("  ".join(meta)))
    lines.append(_rule("Quotes"))
    lines.append(quotes_table(record))
    for title, section in SECTIONS:
        body = section(record)
        if body is not None:
            lines.append(_rule(title))
            lines.append(body)
    return "\n".join(lines)


def people_table(record: Record) -> str | None:
    people = [e for e in record.entities if e.type == "PERSON"]
    rows = [[e.name, "; ".join(e.roles), str(len(e.quotes))] for e in people]
    return table_rows(["name", "quotes", "roles"], [[r[0], r[2], r[1]] for r in rows])


def _coords(lat: float | None, lon: float | None) -> str:
    return f"{lat:.2f}, {lon:.2f}" if lat is not None and lon is not None else ""


def places_table(record: Record) -> str | None:
    places = [e for e in record.entities if e.type == "PLACE"]
    if not places:
        return None
    rows = [
        [
            e.name,
            e.country or ("?" if e.resolved is False else ""),
            _coords(e.lat, e.lon) if e.resolved is not False else "unresolved",
            ", ".join(e.aliases[:6]),
        ]
        for e in places
    ]
    return table_rows(["place", "country", "coordinates", "aliases"], rows)


def dates_table(record: Record) -> str | None:
    if not record.dates:
        return None
    rows = [
        [
            d.value or "?",
            " ".join(
                x for x in (d.type if d.type != "DATE" else None, d.granularity, d.modifier) if x
            ),
            " ".join(d.text.split()),
        ]
        for d in record.dates
    ]
    return table_rows(["value", "granularity", "text"], rows)


def events_table(record: Record) -> str | None:
    if not record.events:
        return None

    def name(eid: str | None) -> str:
        ent = record.entity(eid)
        return ent.name if ent else ""

    rows = [
        [
            ev.trigger,
            ", ".join(name(a) for a in ev.actors),
            name(ev.where),
            ev.when or "",
            ev.text,
        ]
        for ev in record.events
    ]
    return table_rows(["trigger", "actors", "where", "when", "clause"], rows)


# (title, renderer) pairs appended after the quotes; a renderer returning None is skipped.
SECTIONS = [
    ("People", people_table),
    ("Places", places_table),
    ("Dates", dates_table),
    ("Events", events_table),
]


# -- corpus text: quotes marked in an article, highlighted snippets, cells ----

ANSI_QUOTE, ANSI_LABEL, ANSI_HIT, ANSI_OFF = "\x1b[1;36m", "\x1b[2m", "\x1b[1;33m", "\x1b[0m"


def mark_quotes(record: Record, labels: dict[str, str], ansi: bool = False) -> str:
    """The article text with each quote in [[ ]] (or colour) and its speaker after it;
    control and bidirectional characters escaped (the spans index the raw text)."""
    text = record.text
    out: list[str] = []
    pos = 0
    for q in sorted(record.quotes, key=lambda q: q.span):
        start, end = q.span
        if start < pos:  # overlaps the previous quote: its text is already marked
            continue
        label = printable(f"{{{q.id}: {labels.get(q.id, '?')}}}")
        before, quoted = printable_text(text[pos:start]), printable_text(text[start:end])
        if ansi:
            out += [before, ANSI_QUOTE, quoted, ANSI_OFF, ANSI_LABEL, label, ANSI_OFF]
        else:
            out += [before, "[[", quoted, "]]", label]
        pos = end
    out.append(printable_text(text[pos:]))
    return "".join(out)


def ansi_highlights(snippet: str) -> str:
    """Store snippets mark hits with [[ ]]; on a terminal show them in colour instead
    (the snippet's own control characters escaped first)."""
    return re.sub(r"\[\[(.*?)\]\]", ANSI_HIT + r"\1" + ANSI_OFF, printable(snippet))


# What JSON printed for a terminal writes as \\uXXXX escapes (the same JSON value):
# C1 controls and bidirectional controls, which json.dumps(ensure_ascii=False) leaves raw.
_JSON_RAW = re.compile(f"[\\x7f-\\x9f\\u2028\\u2029{BIDI_CONTROLS}]")


def json_text(value: Any, indent: int | None = None) -> str:
    """JSON of `value` with non-ASCII text kept readable, but every character that
    could drive a terminal escaped (json escapes C0 controls, ESC included, itself)."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def roles_text(roles: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r['role']} ({r['as_of']})" if r.get("as_of") else r["role"] for r in roles)


def flat(value: Any) -> Any:
    """A CSV cell: lists, tuples (spans) and dicts as JSON, everything else as is."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
