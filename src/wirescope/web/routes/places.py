"""Places: the list and one place's page (its names, articles and quotes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.exceptions import HTTPException

from wirescope.store import ArticleRow, PlaceRow
from wirescope.store.events import EventFilter
from wirescope.web import models as m
from wirescope.web.charts import map_point
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    Cursor,
    Limit,
    StoreDep,
    args_of,
    decode_cursor,
    listing,
    page,
    paged,
    wants_json,
)
from wirescope.web.routes.events import events_panel

router = APIRouter()


@router.get("/places", response_model=m.Page[PlaceRow], responses={200: HTML_TOO, **JSON_ERRORS})
def places(request: Request, store: StoreDep, limit: Limit = PAGE, cursor: Cursor = None) -> Any:
    return listing(
        request, "places.html", cursor, limit, lambda at, n: store.places(n, at), name="places"
    )


@router.get(
    "/places/{name:path}",
    response_model=m.PlaceDetail,
    responses={200: HTML_TOO, **JSON_ERRORS},
)
def place(
    request: Request,
    store: StoreDep,
    name: Annotated[str, PathParam(max_length=200)],
    limit: Limit = PAGE,
    cursor: Cursor = None,
) -> Any:
    found = store.place(name)
    if found is None:
        raise HTTPException(404, f"no place named {name!r}")
    offset = decode_cursor(cursor)
    arts, nxt = paged(store.place_articles(found.name, limit + 1, offset), offset, limit)
    also_called: list[dict[str, str]] = []
    if arts:  # the gazetteer's note on who uses which name, from the newest article
        record = store.get(arts[0].article_id)
        ent = next(
            (
                e
                for e in (record.entities if record else [])
                if e.type == "PLACE" and e.name == found.name
            ),
            None,
        )
        also_called = list(ent.also_called) if ent else []
    detail = m.PlaceDetail(
        place=found,
        names=[
            m.PlaceName(name=w, agency=ag, articles=n) for w, ag, n in store.place_names(found.name)
        ],
        also_called=also_called,
        articles=m.Page[ArticleRow](data=arts, next=nxt),
        quotes=store.quotes(about=found.name, limit=20),
    )
    if wants_json(request):
        return detail
    return page(
        request,
        "place.html",
        d=detail,
        dot=map_point(found.lat, found.lon),
        ev=events_panel(
            store, EventFilter(place=found.name), "Events there", {"place": found.name}
        ),
        args=args_of(request),
    )
