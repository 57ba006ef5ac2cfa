"""The quote list: who said what, filtered by speaker, topic, dates, kind, outlet,
month and place; with its total and facets (the store counts them with the list's
own filters), and every row as .csv or .jsonl."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from wirescope.store import QuoteHit
from wirescope.web import models as m
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    Cursor,
    Kind,
    Limit,
    Month,
    Since,
    StoreDep,
    Text,
    Until,
    listing,
)

router = APIRouter()

FACET_LABELS = {
    "speaker": "Speaker",
    "outlet": "Outlet",
    "month": "Month",
    "place": "Place",
    "kind": "Kind",
}
# A facet value clicked: the query parameter it sets.
FACET_PARAMS = {
    "speaker": "person_id",
    "outlet": "agency",
    "month": "month",
    "place": "place",
    "kind": "kind",
}


@router.get("/quotes", response_model=m.Page[QuoteHit], responses={200: HTML_TOO, **JSON_ERRORS})
def quotes(
    request: Request,
    store: StoreDep,
    speaker: Text = None,
    about: Text = None,
    since: Since = None,
    until: Until = None,
    kind: Kind = None,
    person_id: Text = None,
    agency: Text = None,
    month: Month = None,
    place: Text = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
    facets: Annotated[
        bool, Query(description="count the total and facets (false: the rows only, faster)")
    ] = True,
) -> Any:
    filters: dict[str, Any] = {
        "person_id": person_id,
        "agency": agency,
        "month": month,
        "place": place,
    }
    return listing(
        request,
        "quotes.html",
        cursor,
        limit,
        lambda at, n: store.quotes(speaker, about, since, until, kind, n, offset=at, **filters),
        stats=(lambda: store.quote_stats(speaker, about, since, until, kind, **filters))
        if facets
        else None,
        name="quotes",
        facet_labels=FACET_LABELS,
        facet_params=FACET_PARAMS,
    )
