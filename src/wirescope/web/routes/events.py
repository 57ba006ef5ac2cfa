"""Events (issue 24): who did what to whom, where, when, and who says so. The list
(filters, total, facets, a chart of when they happened, every row as .csv or .jsonl)
and the events part of the person, place and article pages (`events_panel`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request

from wirescope.store import Store
from wirescope.store.events import EventFilter, EventHit
from wirescope.web import models as m
from wirescope.web.charts import Bar, timeline
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    Cursor,
    Limit,
    MonthValue,
    StoreDep,
    Text,
    blank,
    export_format,
    listing,
    wants_json,
)

router = APIRouter()

Day = Annotated[date | None, blank, Query(description="the event's `when`, YYYY-MM-DD")]
Month = Annotated[
    MonthValue | None, blank, Query(description="YYYY-MM of the event's `when`, or 'undated'")
]
FACET_LABELS = {"actor": "Actor", "class": "Class", "place": "Where", "month": "When"}
# A facet value clicked: the query parameter it sets.
FACET_PARAMS = {"actor": "person_id", "class": "event_class", "place": "place", "month": "month"}
PANEL_ROWS = 10  # events shown on a person's or place's page


@router.get("/events", response_model=m.Page[EventHit], responses={200: HTML_TOO, **JSON_ERRORS})
def events(
    request: Request,
    store: StoreDep,
    actor: Text = None,
    where: Text = None,
    since: Day = None,
    until: Day = None,
    claimed_by: Text = None,
    person_id: Text = None,
    claimed_person: Text = None,
    place: Text = None,
    geonames_id: Annotated[int | None, blank, Query(ge=0, le=2**63 - 1)] = None,
    month: Month = None,
    event_class: Text = None,
    article_id: Text = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
    facets: Annotated[
        bool, Query(description="count the total and facets (false: the rows only, faster)")
    ] = True,
) -> Any:
    """Events across the corpus, newest articles first; an event reported inside a quote
    names the quote's speaker as `claimed_by`. actor, where, claimed_by: a name or
    part of one; person_id: a corpus person among its actors or patients; place: the
    place's name exactly; article_id: one article's events, in text order."""
    f = EventFilter(
        actor=actor,
        where=where,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
        claimed_by=claimed_by,
        person_id=person_id,
        claimed_person=claimed_person,
        place=place,
        geonames_id=geonames_id,
        month=month,
        event_class=event_class,
        article_id=article_id,
    )
    return listing(
        request,
        "events.html",
        cursor,
        limit,
        lambda at, n: store.events(f, n, at),
        stats=(lambda: store.event_stats(f)) if facets else None,
        name="events",
        facet_labels=FACET_LABELS,
        facet_params=FACET_PARAMS,
        bars=_bars(request, store, f),
    )


def _bars(request: Request, store: Store, f: EventFilter) -> list[Bar]:
    """The chart of when the events happened: for the HTML page only."""
    if wants_json(request) or export_format(request):
        return []
    return timeline(store.event_months(f))


@dataclass
class EventsPanel:
    """A person's or place's events, for its page: the latest, how many in all, when
    they happened, and the link to the whole list."""

    title: str
    rows: list[EventHit]
    total: int
    bars: list[Bar] = field(default_factory=list)
    href: str = "/events"


def events_panel(store: Store, f: EventFilter, title: str, params: dict[str, str]) -> EventsPanel:
    """The events part of a page: `f` narrows them; `params` are the same filter as
    the list's query (its link)."""
    return EventsPanel(
        title=title,
        rows=store.events(f, PANEL_ROWS),
        total=store.event_count(f),
        bars=timeline(store.event_months(f)),
        href="/events?" + urlencode(params),
    )
