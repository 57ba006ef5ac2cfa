"""Articles that could not be read or extracted, and why (paged in the store)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from wirescope.record.models import Failure
from wirescope.web import models as m
from wirescope.web.pages import HTML_TOO, JSON_ERRORS, PAGE, Cursor, Limit, StoreDep, listing

router = APIRouter()


@router.get("/failures", response_model=m.Page[Failure], responses={200: HTML_TOO, **JSON_ERRORS})
def failures(request: Request, store: StoreDep, limit: Limit = PAGE, cursor: Cursor = None) -> Any:
    return listing(
        request,
        "failures.html",
        cursor,
        limit,
        lambda at, n: store.failures(n, at),
        name="failures",
    )
