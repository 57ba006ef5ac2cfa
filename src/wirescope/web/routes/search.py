"""Free-text search over articles and quotes; with quote filters, the quote query."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from wirescope.store import SearchHit
from wirescope.web import models as m
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    Cursor,
    Kind,
    Limit,
    Since,
    StoreDep,
    Until,
    args_of,
    decode_cursor,
    mark_terms,
    page,
    paged,
    wants_json,
    with_highlights,
)

router = APIRouter()


@router.get("/search", response_model=m.Page[SearchHit], responses={200: HTML_TOO, **JSON_ERRORS})
def search(
    request: Request,
    store: StoreDep,
    q: Annotated[str, Query(max_length=500, description="words to find")] = "",
    type: Annotated[Literal["all", "article", "quote"], Query(description="what to find")] = "all",
    speaker: Annotated[str | None, Query(max_length=200)] = None,
    since: Since = None,
    until: Until = None,
    kind: Kind = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Any:
    offset = decode_cursor(cursor)
    hits: list[SearchHit] = []
    nxt = None
    filtered = bool(speaker or since or until or kind) or type == "quote"
    if q.strip():
        if filtered:  # quote filters: the quotes query, its words marked here
            terms = q.split()
            found = store.quotes(speaker, q, since, until, kind, limit + 1, offset=offset)
            rows, nxt = paged(found, offset, limit)
            hits = [
                SearchHit(
                    type="quote",
                    article_id=h.article_id,
                    quote_id=h.quote_id,
                    headline=h.headline,
                    snippet=mark_terms(h.text, terms),
                    score=None,
                    speaker=h.speaker,
                )
                for h in rows
            ]
        else:
            wanted = offset + limit + 1
            if type == "article":  # the article hits among the best matches of both kinds
                found_s = store.search(q, limit=2 * wanted)
                found_s = [h for h in found_s if h.type == "article"][offset:wanted]
            else:
                found_s = store.search(q, limit=wanted)[offset:]
            hits, nxt = paged(found_s, offset, limit)
    hits = with_highlights(hits, store.article_dates([h.article_id for h in hits]) if hits else {})
    data = m.Page[SearchHit](data=hits, next=nxt)
    if wants_json(request):
        return data
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
        args=args_of(request),
    )
