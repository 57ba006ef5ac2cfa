"""Places: the list and one place's page (its names, articles and quotes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from wirescope.store import ArticleRow, PlaceRow
from wirescope.store.events import EventFilter
from wirescope.store.rows import is_geonames_id
from wirescope.web import models as m
from wirescope.web.charts import dots, map_point, volume
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
    months_of_days,
    page,
    paged,
    wants_json,
)
from wirescope.web.routes.events import events_panel

router = APIRouter()
MAP_PLACES = 500  # the corpus map's dots: the places most named


@router.get("/places", response_model=m.Page[PlaceRow], responses={200: HTML_TOO, **JSON_ERRORS})
def places(
    request: Request,
    store: StoreDep,
    country: Text = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
    facets: Annotated[
        bool, Query(description="count the total and the country facet (false: rows only)")
    ] = True,
) -> Any:
    def corpus_map(_: Any) -> dict[str, Any]:
        """The corpus map: the places most named, each a dot sized by its articles."""
        top = store.places(MAP_PLACES, 0, country=country)
        return {
            "dots": dots([(p.name, p.lat, p.lon, p.articles, p.url) for p in top]),
            "map_places": MAP_PLACES,
        }

    return listing(
        request,
        "places.html",
        cursor,
        limit,
        lambda at, n: store.places(n, at, country=country),
        stats=(lambda: store.place_stats(country)) if facets else None,
        name="places",
        extra=corpus_map,
        facet_labels={"country": "Country"},
        facet_params={"country": "country"},
    )


@router.get(
    "/places/{key:path}",
    response_model=m.PlaceDetail,
    responses={
        200: HTML_TOO,
        300: {"model": m.PlaceChoices, **HTML_TOO, "description": "places of that name"},
        **JSON_ERRORS,
    },
)
def place(
    request: Request,
    store: StoreDep,
    key: Annotated[str, PathParam(max_length=200, description="a GeoNames id, or a name")],
    unresolved: Annotated[
        bool, Query(description="the places of this name the gazetteer did not resolve")
    ] = False,
    limit: Limit = PAGE,
    cursor: Cursor = None,
) -> Any:
    found = store.place(key) if is_geonames_id(key) or unresolved else None
    if found is None and not unresolved:
        named = store.places_named(key)
        if len(named) > 1:  # Paris, France and Paris, Texas: the reader picks one
            choices = m.PlaceChoices(name=key, places=named)
            if wants_json(request):
                return JSONResponse(jsonable_encoder(choices), status_code=300)
            return page(request, "place_choices.html", 300, c=choices)
        found = store.place(named[0].key) if named else None
    if found is None:
        raise HTTPException(404, f"no place {key!r}")
    offset = decode_cursor(cursor)
    arts, nxt = paged(store.place_articles(found.key, limit + 1, offset), offset, limit)
    also_called: list[dict[str, str]] = []
    if arts:  # the gazetteer's note on who uses which name, from the newest article
        record = store.get(arts[0].article_id)
        ent = next(
            (
                e
                for e in (record.entities if record else [])
                if e.type == "PLACE"
                and e.name == found.name
                and (e.geonames_id or None) == found.geonames_id
            ),
            None,
        )
        also_called = list(ent.also_called) if ent else []
    detail = m.PlaceDetail(
        place=found,
        names=[
            m.PlaceName(name=w, agency=ag, articles=n) for w, ag, n in store.place_names(found.key)
        ],
        also_called=also_called,
        articles=m.Page[ArticleRow](
            data=arts,
            next=nxt,
            prev=encode_cursor(max(0, offset - limit)) if offset else None,
            offset=offset,
            total=found.articles,
        ),
        quotes=store.quotes(place=found.key, limit=20),
    )
    # by identity: Harbor Town 111's events are not Harbor Town 222's
    ev = events_panel(
        store,
        EventFilter(geonames_id=found.geonames_id)
        if found.geonames_id
        else EventFilter(place=found.name),
        "Events there",
        {"geonames_id": str(found.geonames_id)} if found.geonames_id else {"place": found.name},
    )
    detail.events = m.EventsPart(data=ev.rows, total=ev.total, all=ev.href)
    if wants_json(request):
        return detail
    days = store.article_days(place=found.key)
    return page(
        request,
        "place.html",
        d=detail,
        vol=volume(months_of_days(days), lambda: days),
        dot=map_point(found.lat, found.lon),
        ev=ev,
        args=args_of(request),
    )
