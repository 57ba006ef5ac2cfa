"""The rows of a store: what its lists return (one dataclass per row kind, shared by
the store, the CLI and the web API: the API serves these very dataclasses) and the
rows a batch of records is written as.

Each list row carries `url`, the path of its page on `wirescope serve`, filled in
from its ids (a `url` passed in is kept)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote as urlquote

from wirescope.record.models import Record

Row = tuple[Any, ...]


def article_href(article_id: str, quote_id: str | None = None) -> str:
    return f"/articles/{article_id}" + (f"#{quote_id}" if quote_id else "")


def person_href(person_id: str) -> str:
    return "/people/" + urlquote(person_id, safe="")


# GeoNames ids are positive 64-bit integers; a longer run of digits, or digits that are
# not ASCII ("²" passes str.isdigit), is a name, never a number the database refuses.
MAX_ID_DIGITS = 18


def is_geonames_id(key: str) -> bool:
    """Whether a place key (PlaceRow.key) is a GeoNames id rather than a name."""
    return key.isascii() and key.isdigit() and len(key) <= MAX_ID_DIGITS


def place_href(key: str, geonames_id: int | None = None) -> str:
    """The page of a place key (PlaceRow.key), or of an entity's name and GeoNames id."""
    return "/places/" + (str(geonames_id) if geonames_id else urlquote(key, safe=""))


TITLE_WORDS = 10  # an untitled article's fallback title: its first words


def fallback_title(headline: str | None, lead: str | None) -> str:
    """A headline, or for an article without one its first words (lists never show a
    hex id as a title; `untitled` marks such a title)."""
    if headline and headline.strip():
        return headline
    words = (lead or "").split()
    if not words:
        return "(untitled, no text)"
    return " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")


# What the SQL reads of an article `a` for its fallback title: its start, when untitled.
LEAD_SQL = "CASE WHEN coalesce(a.headline, '') = '' THEN substr(a.text, 1, 200) END"


@dataclass
class QuoteHit:
    article_id: str
    quote_id: str
    text: str
    kind: str
    speaker: str | None  # corpus-level person name
    person_id: str | None
    published: str | None
    headline: str | None
    snippet: str | None = None
    score: float | None = None
    speaker_text: str | None = None  # the mention as the article words it ("he", "Rezayee")
    cue: str | None = None  # cue verb lemma
    confidence: float | None = None
    span: tuple[int, int] | None = None
    url: str = ""
    title: str = ""  # the headline, or the article's first words when it has none
    untitled: bool = False  # title is the fallback: the article has no headline

    def __post_init__(self) -> None:
        self.url = self.url or article_href(self.article_id, self.quote_id)
        self.untitled = not (self.headline and self.headline.strip())
        self.title = self.title or fallback_title(self.headline, None)


@dataclass
class PersonRow:
    person_id: str
    name: str
    variants: list[str] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)  # {"role", "as_of"}
    quotes: int = 0
    articles: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    url: str = ""

    def __post_init__(self) -> None:
        self.url = self.url or person_href(self.person_id)


@dataclass
class Speaker:
    """An article's PERSON entity and the corpus-level person it was resolved to."""

    entity_id: str
    person_id: str
    name: str  # corpus-level name


@dataclass
class SearchHit:
    type: str  # "article" | "quote"
    article_id: str
    quote_id: str | None
    headline: str | None
    snippet: str
    # relevance relative to the best hit of the same type: (0, 1]; None where the
    # hits are a filtered quote list (newest first, not ranked)
    score: float | None
    speaker: str | None = None  # quotes: the corpus-level name of who said it
    url: str = ""
    published: str | None = None  # the article's date (web search pages fill it in)
    # [start, end) of each matched word in `snippet`, where the snippet is plain text
    # (the web's JSON; the store's snippets mark words with [[ ]] instead)
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.url = self.url or article_href(self.article_id, self.quote_id)


@dataclass
class ArticleRow:
    """One stored article in a list (no text): for browsing."""

    article_id: str
    headline: str | None
    published: str | None
    dateline: str | None
    agency: str | None
    quotes: int = 0
    url: str = ""
    title: str = ""  # the headline, or the article's first words when it has none
    untitled: bool = False  # title is the fallback: the article has no headline

    def __post_init__(self) -> None:
        self.url = self.url or article_href(self.article_id)
        self.untitled = not (self.headline and self.headline.strip())
        self.title = self.title or fallback_title(self.headline, None)


@dataclass
class PlaceRow:
    """A place over all its articles: a resolved place by its GeoNames id (two Parises
    are two places), a place the gazetteer did not find by its name."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    aliases: list[str] = field(default_factory=list)
    articles: int = 0
    geonames_id: int | None = None
    key: str = ""  # the GeoNames id, or the name: what its page, facets and filters use
    url: str = ""

    def __post_init__(self) -> None:
        self.key = self.key or (str(self.geonames_id) if self.geonames_id else self.name)
        self.url = self.url or place_href(self.key)


@dataclass
class PersonLink:
    """Another person seen with one person: quoted in the same articles, or named in
    their quotes; `count` is how many articles (or quotes)."""

    person_id: str
    name: str
    count: int
    url: str = ""

    def __post_init__(self) -> None:
        self.url = self.url or person_href(self.person_id)


@dataclass
class FacetValue:
    """One value of a facet of a list: the filter `value`, how to show it, and how many
    of the list's rows have it."""

    value: str
    label: str
    count: int


@dataclass
class Stats:
    """A list's size and facets, counted over all its rows with the list's own filters.
    undated: the rows a date filter left out for having no date."""

    total: int
    facets: dict[str, list[FacetValue]]
    undated: int = 0


@dataclass(frozen=True)
class Made:
    """A record to store, with what made it and its JSON text (stored as is)."""

    record: Record
    fingerprint: str | None
    json: str


class BatchRows:
    """Rows of a batch's dependent tables, appended together at its end (COPY)."""

    def __init__(self) -> None:
        self.articles = 0
        self.article_people: list[Row] = []
        self.quotes: list[Row] = []
        self.places: list[Row] = []
        self.mentions: list[Row] = []
        self.events: list[Row] = []
        self.event_roles: list[Row] = []

    def tables(self) -> Iterator[tuple[str, tuple[str, ...], list[Row]]]:
        yield (
            "article_people",
            ("article_id", "entity_id", "person_id", "name", "roles"),
            (self.article_people),
        )
        yield "quotes", QUOTE_COLUMNS, self.quotes
        yield (
            "places",
            ("article_id", "entity_id", "name", "country", "lat", "lon", "aliases", "geonames_id"),
            (self.places),
        )
        yield "mentions", MENTION_COLUMNS, self.mentions
        yield "events", EVENT_COLUMNS, self.events
        yield "event_roles", ROLE_COLUMNS, self.event_roles


QUOTE_COLUMNS = (
    "article_id",
    "quote_id",
    "span_start",
    "span_end",
    "text",
    "kind",
    "cue_lemma",
    "speaker_text",
    "speaker_entity",
    "person_id",
    "speaker_name",
    "confidence",
    "published",
    "agency",
)
MENTION_COLUMNS = (
    "article_id",
    "entity_id",
    "type",
    "name_lc",
    "person_id",
    "span_start",
    "span_end",
    "published",
    "in_quote",
)

# The events tables (store/events.py).
EVENT_COLUMNS = (
    "article_id",
    "event_id",
    "span_start",
    "trigger",
    "event_class",
    "polarity",
    "modality",
    "when_value",
    "when_source",
    "where_entity",
    "where_name",
    "where_names",
    "geonames_id",
    "quote_id",
    "claimed_by",
    "claimed_person",
    "text",
    "published",
)
ROLE_COLUMNS = (
    "article_id",
    "event_id",
    "role",
    "pos",
    "entity_id",
    "person_id",
    "name",
    "names",
)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def day_of(value: str | None) -> str | None:
    return value[:10] if value else None


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# Columns of the exported tables, in order (the SELECTs below follow them).
EXPORT_COLUMNS: dict[str, list[str]] = {
    "articles": [
        "id",
        "source_key",
        "path",
        "input_id",
        "headline",
        "published",
        "updated",
        "dateline",
        "agency",
        "quotes",
        "text",
    ],
    "quotes": [
        "article_id",
        "quote_id",
        "start",
        "end",
        "kind",
        "cue",
        "speaker_text",
        "person_id",
        "speaker",
        "confidence",
        "text",
        "quotation_id",
    ],
    "people": [
        "person_id",
        "name",
        "variants",
        "roles",
        "quotes",
        "articles",
        "first_seen",
        "last_seen",
    ],
    "places": ["article_id", "entity_id", "name", "country", "lat", "lon", "aliases"],
}
