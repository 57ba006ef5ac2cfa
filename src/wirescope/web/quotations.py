"""The quotation pages and their JSON twins: `/quotations` (by spread) and
`/quotations/{id}` (occurrences on a timeline, each wording's changed words)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from starlette.exceptions import HTTPException

from wirescope.corpus.quotations import Quotation, normalize, quotation_dict, word_diff
from wirescope.errors import QueryError
from wirescope.store import Store

Page = Callable[..., Any]
HTML_TOO: dict[str, Any] = {"content": {"text/html": {}}}


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


def router(page: Page, wants_json: Callable[[Request], bool]) -> APIRouter:
    """The routes, rendered by the app's `page` (its templates and settings)."""
    api = APIRouter()

    def store_of(request: Request) -> Any:
        store: Store = request.app.state.store
        return store

    @api.get("/quotations", response_model=dict[str, Any], responses={200: HTML_TOO})
    async def quotations(
        request: Request,
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        about: Annotated[str | None, Query(max_length=200)] = None,
        min_outlets: Annotated[int, Query(ge=1, le=10_000)] = 1,
        disputed: bool = False,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> Any:
        store = store_of(request)
        try:
            rows = store.quotations(
                speaker or None, about or None, min_outlets, disputed, limit=limit
            )
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None
        full = store.quotations_full(rows)
        if wants_json(request):
            return {"data": [quotation_dict(q) for q in full], "next": None}
        args = {"speaker": speaker or "", "about": about or "", "min_outlets": min_outlets}
        return page(request, "quotations.html", quotations=full, args=args, disputed=disputed)

    @api.get("/quotations/{quotation_id}", response_model=dict[str, Any], responses={200: HTML_TOO})
    async def quotation(
        request: Request, quotation_id: Annotated[str, PathParam(max_length=100)]
    ) -> Any:
        q = store_of(request).quotation(quotation_id)
        if q is None:
            raise HTTPException(404, f"no quotation {quotation_id!r}")
        if wants_json(request):
            return quotation_dict(q)
        return page(request, "quotation.html", q=q, timeline=timeline(q))

    return api
