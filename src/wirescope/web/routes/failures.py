"""Articles that could not be read or extracted, and why (paged in the store)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request

from wirescope.record.models import Failure
from wirescope.web import models as m
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    Cursor,
    Limit,
    StoreDep,
    hidden_path,
    listing,
)

router = APIRouter()


@router.get("/failures", response_model=m.Page[Failure], responses={200: HTML_TOO, **JSON_ERRORS})
def failures(request: Request, store: StoreDep, limit: Limit = PAGE, cursor: Cursor = None) -> Any:
    hide = request.app.state.settings.hide_paths

    def fetch(at: int, n: int) -> list[Failure]:
        found = store.failures(n, at)
        if hide:  # the file's name only: no server paths for remote clients
            found = [replace(f, path=hidden_path(f.path) or "") for f in found]
        return found

    return listing(request, "failures.html", cursor, limit, fetch, name="failures")
