"""The home page and articles: the list, one article (annotated), storing and
deleting one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from wirescope import query
from wirescope.errors import QueryError
from wirescope.record.serialize import record_to_dict
from wirescope.store import ArticleKey, ArticleRow
from wirescope.store.events import EventFilter
from wirescope.store.rows import article_href
from wirescope.web import models as m
from wirescope.web.annotate import annotate
from wirescope.web.charts import volume
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    WRITE_ERRORS,
    Cursor,
    Limit,
    Month,
    Since,
    StoreDep,
    Text,
    Until,
    args_of,
    facet_dots,
    hidden_path,
    listing,
    month_counts,
    page,
    wants_json,
)
from wirescope.web.routes.api import EXTRACT_ERRORS, check_write, extract
from wirescope.web.routes.events import events_panel
from wirescope.web.routes.quotations import link_labels

router = APIRouter()

ARTICLE_FACET_LABELS = {"person": "Person", "outlet": "Outlet", "month": "Month", "place": "Place"}
# A facet value clicked: the query parameter it sets.
ARTICLE_FACET_PARAMS = {
    "person": "person_id",
    "outlet": "agency",
    "month": "month",
    "place": "place",
}


@router.get("/", response_model=dict[str, int], responses={200: HTML_TOO})
def home(request: Request, store: StoreDep) -> Any:
    counts = store.count()
    if wants_json(request):
        return counts
    return page(
        request,
        "home.html",
        counts=counts,
        articles=store.articles(limit=10),
        people=store.people(limit=10),
    )


@router.get(
    "/articles", response_model=m.Page[ArticleRow], responses={200: HTML_TOO, **JSON_ERRORS}
)
def articles(
    request: Request,
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    person_id: Annotated[
        str | None, Query(max_length=200, description="articles naming this corpus person")
    ] = None,
    month: Month = None,
    place: Text = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
    facets: Annotated[
        bool, Query(description="count the total and facets (false: the rows only, faster)")
    ] = True,
) -> Any:
    filters: dict[str, Any] = {"person_id": person_id, "month": month, "place": place}
    return listing(
        request,
        "articles.html",
        cursor,
        limit,
        lambda at, n: store.articles(since, until, agency, n, at, **filters),
        stats=(lambda: store.article_stats(since, until, agency, **filters)) if facets else None,
        name="articles",
        extra=lambda st: {
            "vol": volume(
                month_counts(st),
                lambda: store.article_days(since=since, until=until, agency=agency, **filters),
            ),
            "dots": facet_dots(store, st, "/articles", args_of(request)),
        },
        facet_labels=ARTICLE_FACET_LABELS,
        facet_params=ARTICLE_FACET_PARAMS,
    )


@router.get(
    "/articles/{article_id}",
    response_model=dict[str, Any],
    responses={
        200: {"description": "the record, schema wirescope/1", **HTML_TOO},
        **JSON_ERRORS,
    },
)
def article(
    request: Request,
    store: StoreDep,
    article_id: Annotated[str, PathParam(max_length=500)],
) -> Any:
    try:
        record = query.find_article(store, article_id)
    except QueryError as exc:  # no such article, or an ambiguous id prefix
        raise HTTPException(404, str(exc)) from None
    speakers = store.speakers(record.id)
    if wants_json(request):
        out = record_to_dict(record)
        if request.app.state.settings.hide_paths and isinstance(out.get("source"), dict):
            out["source"] = {**out["source"], "path": hidden_path(out["source"].get("path"))}
        out["speakers"] = {
            s.entity_id: {"person_id": s.person_id, "name": s.name} for s in speakers
        }
        return out
    person_of = {s.entity_id: (s.person_id, s.name) for s in speakers}
    roles_of = {}
    for pid in {s.person_id for s in speakers}:
        found = store.person(pid)
        if found:
            roles_of[pid] = found.roles
    return page(
        request,
        "article.html",
        record=record,
        ann=annotate(record, person_of, roles_of),
        person_of=person_of,
        stored=True,
        links=link_labels(store.quote_links(record.id), record),
        ev=events_panel(
            store, EventFilter(article_id=record.id), "Events", {"article_id": record.id}
        ),
    )


@router.post(
    "/articles",
    response_model=m.Stored,
    status_code=201,
    responses={
        200: {"model": m.Stored, "description": "already stored"},
        **WRITE_ERRORS,
        **EXTRACT_ERRORS,
    },
)
async def store_article(
    request: Request,
    response: Response,
    body: m.TextIn,
    store: StoreDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Any:
    check_write(request, authorization)
    record = await extract(request, body.text)
    key = ArticleKey("web:" + (body.id or record.id))

    def write() -> tuple[str, bool]:
        # The same text stored before (under any key): the article exists already.
        already = record.id in store.article_ids(record.id, limit=1)
        store.write_batch([(key, record)], [])
        return store.hashes_for([key.as_str()]).get(key.as_str(), record.id), already

    stored_id, already = await run_in_threadpool(write)
    if already:
        response.status_code = 200
    return m.Stored(id=stored_id, url=article_href(stored_id), quotes=len(record.quotes))


@router.delete("/articles/{article_id}", response_model=m.Deleted, responses=WRITE_ERRORS)
def delete_article(
    request: Request,
    store: StoreDep,
    article_id: Annotated[str, PathParam(max_length=500)],
    authorization: Annotated[str | None, Header()] = None,
) -> Any:
    check_write(request, authorization)
    if not store.delete(article_id):
        raise HTTPException(404, f"no article with id {article_id!r}")
    return m.Deleted(deleted=article_id)
