"""The JSON API's shapes, for responses and the OpenAPI schema served at /docs.

List rows are the store's own dataclasses (store/rows.py): one shape from the query to
the response, no converter between them. These are the shapes only the API has."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from wirescope.record.models import Failure
from wirescope.store.events import EventHit
from wirescope.store.rows import (
    ArticleRow,
    FacetValue,
    PersonLink,
    PersonRow,
    PlaceRow,
    QuoteHit,
    SearchHit,
)

T = TypeVar("T")

__all__ = [
    "ComparisonOut",
    "Deleted",
    "ErrorOut",
    "EventsPart",
    "Failure",
    "MonthCount",
    "Page",
    "PersonDetail",
    "PlaceChoices",
    "PlaceDetail",
    "PlaceName",
    "SearchPage",
    "SeriesOut",
    "Stored",
    "TextIn",
]


class ErrorOut(BaseModel):
    status: int
    message: str


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next` back as `cursor` for the following page (and
    `prev` for the one before). Lists that count themselves give `total` (all rows
    with these filters), `facets` (the rows counted by speaker, outlet, month, place
    and kind: click a value to add it as a filter) and `undated` (rows the date
    filters left out for having no date)."""

    data: list[T]
    next: str | None = None
    prev: str | None = None
    offset: int = 0
    total: int | None = None
    facets: dict[str, list[FacetValue]] | None = None
    undated: int | None = None


class SearchPage(Page[SearchHit]):
    """Search hits, and first the people and places the words may name (with their
    counts: "Hillary Clinton" offers her page). `facets.type` counts the articles and
    the quotes the query finds (`type=quote`: quotes whose words match or that name
    it); the other facets count those quotes."""

    people: list[PersonRow] = Field(default_factory=list)
    places: list[PlaceRow] = Field(default_factory=list)


class MonthCount(BaseModel):
    month: str
    quotes: int


class SeriesOut(BaseModel):
    label: str = Field(description="the speaker or words as asked; a person id: their name")
    total: int = Field(description="every quote it finds (undated ones too)")
    months: list[MonthCount] = Field(description="its dated quotes by month, in time order")
    url: str = Field(description="its quote list")


class ComparisonOut(BaseModel):
    """Two (or one) quote queries over time, to draw on one chart."""

    by: str
    series: list[SeriesOut]


class EventsPart(BaseModel):
    """A person's or place's events: the latest, how many in all, the link to every one."""

    data: list[EventHit]
    total: int
    all: str = Field(description="every one, paged: /events?person_id=ID or ?geonames_id=N")


class PersonDetail(BaseModel):
    person: PersonRow
    quotes: Page[QuoteHit]
    months: list[MonthCount]
    quoted_with: list[PersonLink]
    quoted_about: list[PersonLink]
    articles: list[ArticleRow] = Field(
        description="their newest articles; every one, paged: /articles?person_id=ID"
    )
    events: EventsPart | None = None


class PlaceName(BaseModel):
    name: str = Field(description="the name as an article wrote it")
    agency: str | None
    articles: int


class PlaceDetail(BaseModel):
    place: PlaceRow
    names: list[PlaceName]
    also_called: list[dict[str, str]]
    articles: Page[ArticleRow]
    quotes: list[QuoteHit]
    events: EventsPart | None = None


class PlaceChoices(BaseModel):
    """A name several places share: the places, to choose one (HTTP 300)."""

    name: str
    places: list[PlaceRow]


class TextIn(BaseModel):
    text: str = Field(min_length=1, description="one article's wire text")
    id: str | None = Field(None, max_length=200, description="POST /articles: the source id")


class Deleted(BaseModel):
    deleted: str


class Stored(BaseModel):
    id: str
    url: str
    quotes: int
