"""What every router of the web front end shares: the store dependency, the query
parameters, cursors, and answering a page as HTML or JSON."""

from __future__ import annotations

import base64
import binascii
import csv
import dataclasses
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator, Field
from starlette.exceptions import HTTPException

from wirescope.store import Stats, Store
from wirescope.store.rows import fallback_title, person_href, place_href
from wirescope.web import models as m
from wirescope.web.charts import Dot, dots
from wirescope.web.pool import StorePool

HERE = Path(__file__).parent
PAGE = 50
MAX_PAGE = 200
Row = TypeVar("Row")  # a store row a list page shows

JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.ErrorOut} for code in (400, 404, 413, 422)
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **JSON_ERRORS,
    401: {"model": m.ErrorOut},
    403: {"model": m.ErrorOut},
}
# Pages answer HTML too; the schema says so, so clients and schemathesis expect it.
HTML_TOO: dict[str, Any] = {"content": {"text/html": {}}}


@dataclass
class Settings:
    db: str
    write_token: str | None = None
    max_body: int = 1_000_000  # bytes; a wire article is a few KB
    # How a store is opened (on a worker thread); tests pass their own.
    opener: Callable[[str], Store] | None = None
    connections: int = 4  # stores open at once: requests served side by side
    # Bound beyond loopback: extraction needs the write token, and server file paths
    # are shown only with show_paths (`serve --show-paths`).
    public: bool = False
    show_paths: bool = False
    cors_origins: tuple[str, ...] = ()  # `serve --cors-origin`: none, no CORS headers
    # /extract and /try: seconds one text may take (the CLI's --article-timeout), and
    # how many may be in progress or waiting at once (more: 503, try again).
    extract_timeout: float = 60.0
    extract_pending: int = 4

    @property
    def hide_paths(self) -> bool:
        return self.public and not self.show_paths


def hidden_path(path: str | None) -> str | None:
    """A server file path as a remote client sees it (Settings.hide_paths): its name."""
    return Path(path).name if path else path


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["snippet_parts"] = snippet_parts
    templates.env.globals["highlight_parts"] = highlight_parts
    templates.env.globals["person_href"] = person_href
    templates.env.globals["place_href"] = place_href
    templates.env.globals["next_link"] = next_link
    templates.env.globals["period_link"] = period_link
    templates.env.globals["fallback_title"] = fallback_title
    return templates


# -- the store: one per request, from the pool ----------------------------------


def get_store(request: Request) -> Iterator[Store]:
    """A sync dependency: FastAPI enters it on a worker thread, as it runs the sync
    handlers that use it, so no query ever runs on the event loop."""
    pool: StorePool = request.app.state.stores
    with pool.checkout() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


# -- query parameters ------------------------------------------------------------


def _blank(value: Any) -> Any:
    """An empty form field ("since=") means no filter, as browsers send every field."""
    return None if value == "" else value


blank = BeforeValidator(_blank)
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")]
Cursor = Annotated[str | None, Query(description="`next` of the previous page")]
Since = Annotated[
    date | None, BeforeValidator(_blank), Query(description="published on or after (YYYY-MM-DD)")
]
Until = Annotated[
    date | None, BeforeValidator(_blank), Query(description="published on or before (YYYY-MM-DD)")
]
Kind = Annotated[Literal["direct", "indirect", "mixed"] | None, BeforeValidator(_blank), Query()]
# An empty field (a form sends every field) is no filter: blank runs first, then the
# constraints on the text.
Text = Annotated[Annotated[str, Field(max_length=200)] | None, blank, Query()]
MonthValue = Annotated[str, Field(pattern=r"^(\d{4}-\d{2}|undated)$")]
Month = Annotated[MonthValue | None, blank, Query(description="YYYY-MM, or 'undated'")]


# -- cursors: opaque to clients, an offset inside --------------------------------


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        if isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= 10**9:
            return offset
    except (ValueError, binascii.Error, KeyError, TypeError, UnicodeDecodeError):
        pass
    raise HTTPException(400, "bad cursor: pass back the `next` of a previous page")


def paged(items: list[Any], offset: int, limit: int) -> tuple[list[Any], str | None]:
    """Handlers fetch limit + 1 rows: the extra one says whether a next page exists."""
    return items[:limit], encode_cursor(offset + limit) if len(items) > limit else None


# -- answering --------------------------------------------------------------------


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The whole page always: htmx picks the part it swaps in with hx-select."""
    templates: Jinja2Templates = request.app.state.templates
    writable = bool(request.app.state.settings.write_token)
    return templates.TemplateResponse(
        request, name, {"writable": writable, **context}, status_code=status
    )


CSV = "text/csv"
JSONL = "application/x-ndjson"
EXPORT_CHUNK = 1000  # rows read from the store at a time while an export streams


def export_format(request: Request) -> str | None:
    """CSV or JSONL when the list was asked for as `.csv` or `.jsonl`."""
    accept = request.headers.get("accept", "")
    return next((f for f in (CSV, JSONL) if accept == f), None)


def listing(
    request: Request,
    template: str,
    cursor: str | None,
    limit: int,
    fetch: Callable[[int, int], list[Row]],
    stats: Callable[[], Stats] | None = None,
    name: str = "rows",
    extra: Callable[[Stats | None], dict[str, Any]] | None = None,
    **context: Any,
) -> Any:
    """A list page: `fetch(offset, n)` gives up to n rows from offset; the page at the
    cursor as JSON or as the HTML `template`, with the list's total and facets where
    `stats` counts them; or, asked as .csv / .jsonl, every row, streamed. `extra`: what
    only the HTML page shows (charts, the map), from the counts."""
    fmt = export_format(request)
    if fmt is not None:
        return export_response(fetch, fmt, name)
    offset = decode_cursor(cursor)
    rows, nxt = paged(fetch(offset, limit + 1), offset, limit)
    counted = stats() if stats is not None else None
    data = m.Page[Any](
        data=rows,
        next=nxt,
        prev=encode_cursor(max(0, offset - limit)) if offset else None,
        offset=offset,
        total=counted.total if counted else None,
        facets=counted.facets if counted else None,
        undated=counted.undated if counted else None,
    )
    if wants_json(request):
        return data
    if extra is not None:
        context.update(extra(counted))
    return page(request, template, page=data, args=args_of(request), **context)


def export_response(fetch: Callable[[int, int], list[Row]], fmt: str, name: str) -> Response:
    """Every row, read in chunks while it is sent: memory stays flat for any size."""

    def chunks() -> Iterator[str]:
        offset = 0
        fields: list[str] | None = None  # the CSV header: the first row's fields
        while True:
            rows = fetch(offset, EXPORT_CHUNK)
            out = io.StringIO()
            for row in rows:
                flat = _flat(row)
                if fmt == JSONL:
                    out.write(json.dumps(flat, ensure_ascii=False) + "\n")
                    continue
                if fields is None:
                    fields = list(flat)
                    out.write(",".join(fields) + "\n")
                csv.writer(out, lineterminator="\n").writerow([_cell(flat.get(k)) for k in fields])
            yield out.getvalue()
            if len(rows) < EXPORT_CHUNK:
                return
            offset += len(rows)

    ext = "csv" if fmt == CSV else "jsonl"
    return StreamingResponse(
        chunks(),
        media_type=f"{fmt}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.{ext}"'},
    )


def _flat(row: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        return dataclasses.asdict(row)
    return dict(row)


def _cell(value: Any) -> Any:
    """Lists and objects as JSON text in a CSV cell."""
    return (
        json.dumps(value, ensure_ascii=False) if isinstance(value, list | tuple | dict) else value
    )


def month_counts(stats: Stats | None) -> list[tuple[str, int]]:
    """A list's month facet as (YYYY-MM or 'undated', count): what its chart draws."""
    if stats is None:
        return []
    return [(v.value, v.count) for v in stats.facets.get("month", [])]


def months_of_days(days: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for d, n in days:
        out[d[:7]] = out.get(d[:7], 0) + n
    return sorted(out.items())


def facet_dots(store: Store, stats: Stats | None, path: str, args: dict[str, str]) -> list[Dot]:
    """The place facet of a list on the map: each place a dot sized by its count, a
    link that adds it as the list's filter."""
    values = stats.facets.get("place", []) if stats else []
    points = store.place_points([v.value for v in values]) if values else {}
    return dots(
        [
            (
                v.label,
                *points.get(v.value, (None, None)),
                v.count,
                path + "?" + urlencode({**args, "place": v.value}),
            )
            for v in values
        ]
    )


def args_of(request: Request) -> dict[str, str]:
    """The query string without the cursor, for next-page links."""
    return {k: v for k, v in request.query_params.items() if k != "cursor"}


def next_link(path: str, args: dict[str, str], cursor: str) -> str:
    return path + "?" + urlencode({**args, "cursor": cursor})


def period_link(path: str, args: dict[str, str], since: date, until: date) -> str:
    """The list narrowed to one bar of its chart: those dates (its first page)."""
    kept = {k: v for k, v in args.items() if k not in ("since", "until", "cursor")}
    return path + "?" + urlencode({**kept, "since": since.isoformat(), "until": until.isoformat()})


def mark_terms(text: str, terms: list[str]) -> str:
    """Mark the words of a quote that start like a search term, as store snippets do."""
    stems = [re.escape(t.lower()[:5]) for t in terms if t]
    if not stems:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda mt: f"[[{mt.group(0)}]]", text)


def with_highlights(hits: list[Any], dates: dict[str, str | None]) -> list[Any]:
    """Search hits as JSON clients get them: the snippet as plain text with the offsets
    of its matched words (no [[ ]] markers), and the article's date."""
    for h in hits:
        plain_text, spans = "", []
        for part, hit in snippet_parts(h.snippet):
            if hit:
                spans.append((len(plain_text), len(plain_text) + len(part)))
            plain_text += part
        h.snippet, h.highlights = plain_text, spans
        h.published = dates.get(h.article_id)
    return hits


def highlight_parts(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """(text, is_hit) pieces of a plain snippet by its highlight offsets."""
    parts, at = [], 0
    for start, end in spans:
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """[[hit]] marks as (text, is_hit) pieces, for the template to escape."""
    parts = re.split(r"\[\[(.*?)\]\]", snippet)
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]
