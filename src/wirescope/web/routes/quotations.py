"""The quotation pages and their JSON twins: `/quotations` (by spread) and
`/quotations/{id}` (occurrences on a timeline, each wording's changed words)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from starlette.exceptions import HTTPException

from wirescope.corpus.quotations import Quotation, normalize, quotation_dict, word_diff
from wirescope.errors import QueryError
from wirescope.record.models import Record
from wirescope.store.quotations import QuoteLink
from wirescope.web.pages import HTML_TOO, JSON_ERRORS, StoreDep, page, wants_json


def link_labels(links: dict[str, QuoteLink], record: Record) -> dict[str, dict[str, str]]:
    """What the article page says of each quote's quotation: "also in 7 articles, first
    seen 2 days earlier in Reuters" (or "first seen here")."""
    out = {}
    for quote_id, link in links.items():
        if not link.articles:
            label = "only here"
        else:
            label = f"also in {link.articles} article{'s' if link.articles > 1 else ''}, "
            if link.first_article == record.id:
                label += "first seen here"
            else:
                label += "first seen " + _earlier(link.first_published, record.published)
                label += f" in {link.first_outlet or '?'}"
        out[quote_id] = {"href": f"/quotations/{link.quotation_id}", "label": label}
    return out


def _earlier(first: str | None, here: datetime | None) -> str:
    if first is None:
        return "undated"
    try:
        then = datetime.fromisoformat(first)
    except ValueError:
        return first[:10]
    if here is None or (then.tzinfo is None) != (here.tzinfo is None):
        return then.date().isoformat()
    days = (here - then).days
    if days < 1:
        return f"{then.date().isoformat()}, the same day"
    return f"{then.date().isoformat()}, {days} day{'s' if days > 1 else ''} earlier"


def timeline(q: Quotation) -> list[dict[str, Any]]:
    """Each occurrence in time order with its wording's difference from the first seen."""
    base = q.first_seen.text.strip()
    diffs: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    out = []
    for o in q.occurrences:
        key = normalize(o.text)
        if key not in diffs:
            diffs[key] = word_diff(base, o.text.strip())
        out.append({"o": o, "diff": diffs[key], "changed": any(op != "=" for op, _ in diffs[key])})
    return out


router = APIRouter()


@router.get("/quotations", response_model=dict[str, Any], responses={200: HTML_TOO, **JSON_ERRORS})
def quotations(
    request: Request,
    store: StoreDep,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    about: Annotated[str | None, Query(max_length=200)] = None,
    min_outlets: Annotated[int, Query(ge=1, le=10_000)] = 1,
    disputed: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    try:
        rows = store.quotations(speaker or None, about or None, min_outlets, disputed, limit=limit)
    except QueryError as exc:
        raise HTTPException(400, str(exc)) from None
    full = store.quotations_full(rows)
    if wants_json(request):
        return {"data": [quotation_dict(q) for q in full], "next": None}
    args = {"speaker": speaker or "", "about": about or "", "min_outlets": min_outlets}
    return page(request, "quotations.html", quotations=full, args=args, disputed=disputed)


@router.get(
    "/quotations/{quotation_id}",
    response_model=dict[str, Any],
    responses={200: HTML_TOO, **JSON_ERRORS},
)
def quotation(
    request: Request, store: StoreDep, quotation_id: Annotated[str, PathParam(max_length=100)]
) -> Any:
    q = store.quotation(quotation_id)
    if q is None:
        raise HTTPException(404, f"no quotation {quotation_id!r}")
    if wants_json(request):
        return quotation_dict(q)
    return page(request, "quotation.html", q=q, timeline=timeline(q))
