"""The quote list: who said what, filtered by speaker, topic, dates and kind."""

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
    Since,
    StoreDep,
    Until,
    listing,
)

router = APIRouter()


@router.get("/quotes", response_model=m.Page[QuoteHit], responses={200: HTML_TOO, **JSON_ERRORS})
def quotes(
    request: Request,
    store: StoreDep,
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    about: Annotated[str | None, Query(max_length=200)] = None,
    since: Since = None,
    until: Until = None,
    kind: Kind = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
) -> Any:
    return listing(
        request,
        "quotes.html",
        cursor,
        limit,
        lambda at: store.quotes(speaker, about, since, until, kind, limit + 1, offset=at),
    )
