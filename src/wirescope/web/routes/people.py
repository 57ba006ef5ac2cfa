"""People: the list (paged in the store) and one person's page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from starlette.exceptions import HTTPException

from wirescope.store import PersonRow, QuoteHit
from wirescope.store.events import EventFilter
from wirescope.web import models as m
from wirescope.web.charts import timeline
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    Cursor,
    Limit,
    StoreDep,
    Text,
    args_of,
    decode_cursor,
    encode_cursor,
    listing,
    page,
    paged,
    wants_json,
)
from wirescope.web.routes.events import events_panel

router = APIRouter()


@router.get("/people", response_model=m.Page[PersonRow], responses={200: HTML_TOO, **JSON_ERRORS})
def people(
    request: Request,
    store: StoreDep,
    role: Text = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
    facets: Annotated[
        bool, Query(description="count the total and the role facet (false: rows only)")
    ] = True,
) -> Any:
    return listing(
        request,
        "people.html",
        cursor,
        limit,
        lambda at, n: store.people(role, n, at),
        stats=(lambda: store.people_stats(role)) if facets else None,
        name="people",
        facet_labels={"role": "Role"},
        facet_params={"role": "role"},
    )


@router.get(
    "/people/{person_id}",
    response_model=m.PersonDetail,
    responses={200: HTML_TOO, **JSON_ERRORS},
)
def person(
    request: Request,
    store: StoreDep,
    person_id: Annotated[str, PathParam(max_length=200)],
    limit: Limit = PAGE,
    cursor: Cursor = None,
) -> Any:
    found = store.person(person_id)
    if found is None:
        raise HTTPException(404, f"no person with id {person_id!r}")
    offset = decode_cursor(cursor)
    hits = store.quotes(person_id=person_id, limit=limit + 1, offset=offset)
    rows, nxt = paged(hits, offset, limit)
    months = store.quote_months(person_id)
    detail = m.PersonDetail(
        person=found,
        quotes=m.Page[QuoteHit](
            data=rows,
            next=nxt,
            prev=encode_cursor(max(0, offset - limit)) if offset else None,
            offset=offset,
            total=found.quotes,
        ),
        months=[m.MonthCount(month=mo, quotes=n) for mo, n in months],
        quoted_with=store.quoted_with(person_id),
        quoted_about=store.quoted_about(person_id),
        articles=store.articles(limit=10, person_id=person_id),
    )
    f = EventFilter(person_id=person_id)
    ev = events_panel(store, f, "Events they took part in", {"person_id": person_id})
    detail.events = m.EventsPart(data=ev.rows, total=ev.total, all=ev.href)
    if wants_json(request):
        return detail
    return page(
        request, "person.html", d=detail, bars=timeline(months), ev=ev, args=args_of(request)
    )
