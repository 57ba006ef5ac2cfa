"""The quote list: who said what, filtered by speaker, topic, dates, kind, outlet,
month and place; with its total and facets (the store counts them with the list's
own filters), and every row as .csv or .jsonl."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request

from wirescope.store import QuoteHit
from wirescope.web import models as m
from wirescope.web.charts import compare, volume
from wirescope.web.pages import (
    HTML_TOO,
    JSON_ERRORS,
    PAGE,
    Cursor,
    Kind,
    Limit,
    Month,
    Since,
    StoreDep,
    Text,
    Until,
    args_of,
    facet_dots,
    listing,
    month_counts,
    page,
    wants_json,
)

router = APIRouter()

FACET_LABELS = {
    "speaker": "Speaker",
    "outlet": "Outlet",
    "month": "Month",
    "place": "Place",
    "kind": "Kind",
}
# A facet value clicked: the query parameter it sets.
FACET_PARAMS = {
    "speaker": "person_id",
    "outlet": "agency",
    "month": "month",
    "place": "place",
    "kind": "kind",
}


@router.get("/quotes", response_model=m.Page[QuoteHit], responses={200: HTML_TOO, **JSON_ERRORS})
def quotes(
    request: Request,
    store: StoreDep,
    speaker: Text = None,
    about: Text = None,
    since: Since = None,
    until: Until = None,
    kind: Kind = None,
    person_id: Text = None,
    agency: Text = None,
    month: Month = None,
    place: Text = None,
    limit: Limit = PAGE,
    cursor: Cursor = None,
    facets: Annotated[
        bool, Query(description="count the total and facets (false: the rows only, faster)")
    ] = True,
) -> Any:
    filters: dict[str, Any] = {
        "person_id": person_id,
        "agency": agency,
        "month": month,
        "place": place,
    }
    return listing(
        request,
        "quotes.html",
        cursor,
        limit,
        lambda at, n: store.quotes(speaker, about, since, until, kind, n, offset=at, **filters),
        stats=(lambda: store.quote_stats(speaker, about, since, until, kind, **filters))
        if facets
        else None,
        name="quotes",
        extra=lambda st: {
            "vol": volume(
                month_counts(st),
                lambda: store.quote_days(speaker, about, since, until, kind, **filters),
            ),
            "dots": facet_dots(store, st, "/quotes", args_of(request)),
        },
        facet_labels=FACET_LABELS,
        facet_params=FACET_PARAMS,
    )


@router.get("/compare", response_model=m.ComparisonOut, responses={200: HTML_TOO, **JSON_ERRORS})
def compare_over_time(
    request: Request,
    store: StoreDep,
    a: Text = None,
    b: Text = None,
    by: Annotated[
        Literal["speaker", "person_id", "about"],
        Query(description="what a and b are: speakers' names, person ids, or words"),
    ] = "speaker",
    since: Since = None,
    until: Until = None,
) -> Any:
    """Two speakers, or two words, compared over time on one chart: each the quote
    query /quotes?{by}={a or b} makes, counted by month."""
    series: list[m.SeriesOut] = []
    for x in (a, b):
        if x is None:
            continue
        query: dict[str, Any] = {by: x, "since": since, "until": until}
        st = store.quote_stats(**query)
        person = store.person(x) if by == "person_id" else None
        series.append(
            m.SeriesOut(
                label=person.name if person else x,
                total=st.total,
                months=[
                    m.MonthCount(month=mo, quotes=n)
                    for mo, n in sorted(month_counts(st))
                    if mo != "undated"
                ],
                url="/quotes?" + urlencode({by: x, **dates_of(since, until)}),
            )
        )
    out = m.ComparisonOut(by=by, series=series)
    if wants_json(request):
        return out
    chart = compare([(s.label, [(mo.month, mo.quotes) for mo in s.months]) for s in series])
    return page(request, "compare.html", c=out, chart=chart, args=args_of(request))


def dates_of(since: date | None, until: date | None) -> dict[str, str]:
    return {k: v.isoformat() for k, v in (("since", since), ("until", until)) if v is not None}
