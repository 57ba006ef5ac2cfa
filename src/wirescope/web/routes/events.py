"""The events list (JSON): who did what to whom, where, when, and who says so (issue 24)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from wirescope.store.events import EventFilter, find_events
from wirescope.web.pages import JSON_ERRORS, StoreDep

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/events", response_model=dict[str, Any], responses=JSON_ERRORS)
def events(
    store: StoreDep,
    actor: Text = None,
    where: Text = None,
    since: Annotated[date | None, Query(description="the event's `when` on or after")] = None,
    claimed_by: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Any:
    """Events across the corpus, newest articles first; an event reported inside a quote
    names the quote's speaker as `claimed_by`."""
    f = EventFilter(
        actor=actor or None,
        where=where or None,
        since=since.isoformat() if since else None,
        claimed_by=claimed_by or None,
    )
    hits = find_events(store, f, limit=limit)
    return {"data": [h.to_dict() for h in hits], "total": len(hits)}
