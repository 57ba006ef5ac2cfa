"""Free-text search over articles and quotes; with quote filters, the quote query.
The people and places the words may name come first; the quotes found are counted by
speaker, outlet, month, place and kind, as the quote list counts them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from wirescope.store import PersonRow, PlaceRow, SearchHit, Stats
from wirescope.store.rows import FacetValue
from wirescope.web import models as m
from wirescope.web.charts import volume
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    Cursor,
    Kind,
    Limit,
    Month,
    Since,
    StoreDep,
    Text,
    Until,
    args_of,
    decode_cursor,
    encode_cursor,
    export_format,
    export_response,
    facet_dots,
    mark_terms,
    month_counts,
    page,
    paged,
    wants_json,
    with_highlights,
)
from wirescope.web.routes.quotes import FACET_LABELS, FACET_PARAMS

router = APIRouter()

OFFERS = 5  # people and places a search offers first
SEARCH_FACET_LABELS = {"type": "Find", **FACET_LABELS}
SEARCH_FACET_PARAMS = {"type": "type", **FACET_PARAMS}


@router.get("/search", response_model=m.SearchPage, responses={200: HTML_TOO, **JSON_ERRORS})
def search(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500, description="words to find")] = "",
    type: Annotated[Literal["all", "article", "quote"], Query(description="what to find")] = "all",
    speaker: Text = None,
    since: Since = None,
    until: Until = None,
    kind: Kind = None,
    person_id: Text = None,
    agency: Text = None,
    month: Month = None,
    place: Text = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Any:
    offset = decode_cursor(cursor)
    hits: list[SearchHit] = []
    nxt = None
    filters: dict[str, Any] = {
        "person_id": person_id,
        "agency": agency,
        "month": month,
        "place": place,
    }
    narrowed = any(v is not None for v in filters.values())
    filtered = bool(speaker or since or until or kind or narrowed) or type == "quote"
    stats: Stats | None = None  # the quotes the words find, with the filters
    total: int | None = None
    facets: dict[str, list[FacetValue]] | None = None
    people: list[PersonRow] = []
    places: list[PlaceRow] = []

    def hits_at(at: int, n: int) -> list[SearchHit]:
        """Up to n hits from position `at`: the page, or a chunk of an export."""
        if not q.strip():
            return []
        if filtered:  # quote filters: the quotes query, its words marked here
            terms = q.split()
            found = store.quotes(speaker, q, since, until, kind, n, offset=at, **filters)
            return [
                SearchHit(
                    type="quote",
                    article_id=h.article_id,
                    quote_id=h.quote_id,
                    headline=h.headline,
                    snippet=mark_terms(h.text, terms),
                    score=None,
                    speaker=h.speaker,
                )
                for h in found
            ]
        if type == "article":  # the article hits among the best matches of both kinds
            found_s = store.search(q, limit=2 * (at + n))
            return [h for h in found_s if h.type == "article"][at : at + n]
        return store.search(q, limit=at + n)[at:]

    def dated(found: list[SearchHit]) -> list[SearchHit]:
        ids = [h.article_id for h in found]
        return with_highlights(found, store.article_dates(ids) if found else {})

    fmt = export_format(request)
    if fmt is not None:  # every hit, as the pages list them
        return export_response(lambda at, n: dated(hits_at(at, n)), fmt, "search")
    if q.strip():
        stats = store.quote_stats(speaker, q, since, until, kind, **filters)
        hits, nxt = paged(hits_at(offset, limit + 1), offset, limit)
        if filtered:
            total, facets = stats.total, stats.facets
        else:
            counted = store.search_stats(q)
            n_articles = sum(v.count for v in counted.facets["type"] if v.value == "article")
            total = n_articles if type == "article" else counted.total
            # Each kind as its own search lists it: `type=quote` is the quote query.
            kinds = [FacetValue("article", "articles", n_articles)] if n_articles else []
            kinds += [FacetValue("quote", "quotes", stats.total)] if stats.total else []
            facets = {"type": kinds, **(stats.facets if type == "all" else {})}
        if offset == 0:  # the people and places these words may name, first
            people = store.people_named(q, OFFERS)
            places = store.places_named(q.strip(), OFFERS)
    hits = dated(hits)
    data = m.SearchPage(
        data=hits,
        next=nxt,
        prev=encode_cursor(max(0, offset - limit)) if offset else None,
        offset=offset,
        total=total,
        facets=facets,
        undated=stats.undated if stats is not None and filtered else None,
        people=people,
        places=places,
    )
    if wants_json(request):
        return data
    args = args_of(request)
    return page(
        request,
        "search.html",
        page=data,
        q=q,
        form={
            "type": type,
            "speaker": speaker or "",
            "since": since or "",
            "until": until or "",
            "kind": kind or "",
        },
        args=args,
        filtered=filtered,
        facet_labels=SEARCH_FACET_LABELS,
        facet_params=SEARCH_FACET_PARAMS,
        vol=volume(
            month_counts(stats),
            lambda: store.quote_days(speaker, q, since, until, kind, **filters),
        )
        if stats is not None and type != "article"
        else None,
        dots=facet_dots(store, stats, "/search", args) if type != "article" else [],
    )
