"""The JSON API's shapes, for responses and the OpenAPI schema served at /docs."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class ErrorOut(BaseModel):
    status: int
    message: str


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next` back as `cursor` for the following page."""

    data: list[T]
    next: str | None = None


class ArticleOut(BaseModel):
    id: str
    headline: str | None
    published: str | None
    dateline: str | None
    agency: str | None
    quotes: int
    url: str


class QuoteOut(BaseModel):
    article_id: str
    quote_id: str
    text: str
    kind: str
    speaker: str | None
    person_id: str | None
    published: str | None
    headline: str | None
    speaker_text: str | None = None
    cue: str | None = None
    confidence: float | None = None
    span: list[int] | None = None
    url: str


class PersonOut(BaseModel):
    person_id: str
    name: str
    variants: list[str]
    roles: list[dict[str, Any]]
    quotes: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    url: str


class PersonLinkOut(BaseModel):
    person_id: str
    name: str
    count: int
    url: str


class MonthCount(BaseModel):
    month: str
    quotes: int


class PersonDetail(BaseModel):
    person: PersonOut
    quotes: Page[QuoteOut]
    months: list[MonthCount]
    quoted_with: list[PersonLinkOut]
    quoted_about: list[PersonLinkOut]


class PlaceOut(BaseModel):
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    aliases: list[str]
    articles: int
    url: str


class PlaceName(BaseModel):
    name: str = Field(description="the name as an article wrote it")
    agency: str | None
    articles: int


class PlaceDetail(BaseModel):
    place: PlaceOut
    names: list[PlaceName]
    also_called: list[dict[str, str]]
    articles: Page[ArticleOut]
    quotes: list[QuoteOut]


class SearchOut(BaseModel):
    type: str
    article_id: str
    quote_id: str | None
    headline: str | None
    snippet: str = Field(description="matched words are marked [[like this]]")
    score: float | None
    speaker: str | None = None
    url: str


class FailureOut(BaseModel):
    path: str
    input_id: str | None
    reason: str


class TextIn(BaseModel):
    text: str = Field(min_length=1, description="one article's wire text")
    id: str | None = Field(None, max_length=200, description="POST /articles: the source id")


class Deleted(BaseModel):
    deleted: str


class Stored(BaseModel):
    id: str
    url: str
    quotes: int
