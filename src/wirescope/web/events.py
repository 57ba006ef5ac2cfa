"""The events endpoint: GET /events?actor=&where=&since=&claimed_by=&limit= (JSON).

A router of its own, included by app.py; the query is wirescope.store.events'."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from wirescope.store.base import Store
from wirescope.store.events import EventFilter, find_events

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/events", response_model=dict[str, Any])
async def events(
    request: Request,
    actor: Text = None,
    where: Text = None,
    since: Annotated[date | None, Query(description="its `when` on or after")] = None,
    claimed_by: Text = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Any:
    """Events across the corpus, newest articles first: who did what to whom, where,
    when, and (for an event reported inside a quote) who claims it."""
    # On the event loop's thread, like every handler here: SQLite connections stay on it.
    store: Store = request.app.state.store
    f = EventFilter(
        actor=actor or None,
        where=where or None,
        since=since.isoformat() if since else None,
        claimed_by=claimed_by or None,
    )
    hits = find_events(store, f, limit=limit)
    return {"data": [h.to_dict() for h in hits], "total": len(hits)}
