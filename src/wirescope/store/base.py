"""The Store protocol: every backend (SQLite, PostgreSQL) implements it and passes
the same contract test suite (tests/store/test_contract.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol, runtime_checkable

from wirescope.corpus.quotations import Quotation
from wirescope.record.models import Failure, Record
from wirescope.store.events import EventFilter, EventHit
from wirescope.store.quotations import QuotationRow, QuoteLink

# The row shapes live in store/rows.py; imported here, where they always were.
from wirescope.store.rows import (
    ArticleRow,
    PersonLink,
    PersonRow,
    PlaceRow,
    QuoteHit,
    SearchHit,
    Speaker,
    Stats,
)

__all__ = [
    "EXPORT_TABLES",
    "ArticleKey",
    "ArticleRow",
    "EventFilter",
    "EventHit",
    "ExportTable",
    "PersonLink",
    "PersonRow",
    "PlaceRow",
    "QuoteHit",
    "SearchHit",
    "Speaker",
    "Stats",
    "Store",
]


@dataclass
class ArticleKey:
    """Where an article came from: (path, input id) names it across re-ingests."""

    path: str
    input_id: str | None = None
    # (ingest run, position in that run's input): the order people are resolved in
    # when they are rebuilt (SQLStore.rebuild_people); not part of the name.
    order: tuple[int, int] | None = field(default=None, compare=False)

    def as_str(self) -> str:
        return f"{self.path}#{self.input_id}" if self.input_id else self.path


ExportTable = Literal["articles", "quotes", "people", "places"]
EXPORT_TABLES: tuple[ExportTable, ...] = ("articles", "quotes", "people", "places")


@runtime_checkable
class Store(Protocol):
    """A corpus of records. Writes are batched; each batch is one transaction."""

    def close(self) -> None: ...

    # ingestion
    def hashes_for(self, keys: Iterable[str], fingerprint: str | None = None) -> dict[str, str]:
        """ArticleKey.as_str() -> content hash (= article id) of the stored article, for
        those of `keys` that have one (and, given a fingerprint, whose record it made);
        asked per batch, so memory stays flat."""
        ...

    def made_by(self, article_id: str) -> str | None:
        """The fingerprint (record.stages.fingerprint) of what made a stored record;
        None when unknown (stored before fingerprints, or written without one)."""
        ...

    def stale_paths(self, fingerprint: str) -> list[str]:
        """The source paths of stored records that another fingerprint made (or an
        unknown one), sorted: what `ingest --reprocess` reads again."""
        ...

    def write_batch(
        self,
        records: Sequence[tuple[ArticleKey, Record]],
        failures: Sequence[Failure],
        *,
        fingerprint: str | None = None,
        record_json: Sequence[str] | None = None,
    ) -> None:
        """Insert or replace records (by key) and record failures, atomically.

        fingerprint: what made the records (record.stages.fingerprint). A record stored
        under its key is kept when both its text and fingerprint are the same, and
        replaced otherwise. record_json: the records as JSON text, stored as is (one
        per record; made from the records when not given).

        A record whose text is already stored under another key by the same extractor
        is not stored twice: its key then names the stored article (hashes_for answers
        its id). Batches of concurrent writers to one database are serialised, people
        matching included."""
        ...

    def ingest_run(self, inputs: str) -> int:
        """The number of the ingest run that reads `inputs` (a description of them):
        the same for the same inputs, so a re-run continues the first one's order."""
        ...

    def rebuild_people(
        self, chunk: int = 256, progress: Callable[[int], None] | None = None
    ) -> int:
        """Match every article's people again in the order they were read, in one
        transaction; returns the number of articles."""
        ...

    def people_stale(self) -> bool:
        """Whether articles were stored without their people since the last rebuild."""
        ...

    def failures(self, limit: int | None = None, offset: int = 0) -> list[Failure]:
        """Oldest first; offset needs limit."""
        ...

    # reads
    def get(self, article_id: str) -> Record | None: ...

    def count(self) -> dict[str, int]:
        """{'articles': n, 'quotes': n, 'people': n, 'failures': n}"""
        ...

    def quotes(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        limit: int | None = None,
        *,
        person_id: str | None = None,
        offset: int = 0,
        agency: str | None = None,
        month: str | None = None,
        place: str | None = None,
    ) -> list[QuoteHit]:
        """Newest first. person_id: only that corpus person's quotes; agency: of articles
        from that agency (as stored); month: YYYY-MM, or 'undated'; place: of articles
        naming that place (its key: a GeoNames id, or the name of an unresolved place).
        Offset needs limit."""
        ...

    def quote_stats(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        *,
        person_id: str | None = None,
        agency: str | None = None,
        month: str | None = None,
        place: str | None = None,
        top: int = 10,
    ) -> Stats:
        """How many quotes quotes() finds with these filters, and its facets (speaker,
        outlet, month, place, kind), each value with its count of those quotes: the
        `top` most frequent of each (every month). With dates, how many undated quotes
        the dates left out."""
        ...

    def people(
        self, role: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[PersonRow]:
        """Most quoted first; role: one of their roles holds it. Offset needs limit."""
        ...

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Articles and quotes matching free text (any input is safe), best first.

        Snippets mark matched words with [[ and ]]."""
        ...

    def iter_records(self) -> Iterator[Record]: ...

    def article_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        """article id -> its published date (ISO), for those stored."""
        ...

    def article_ids(self, prefix: str, limit: int = 10) -> list[str]:
        """Stored article ids that start with prefix (for short ids on the command line)."""
        ...

    def speakers(self, article_id: str) -> list[Speaker]:
        """The corpus-level person behind each PERSON entity of one article."""
        ...

    def export_rows(self, table: ExportTable) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """Column names and rows of one flat table, for exports."""
        ...

    def schema_version(self) -> int:
        """The last migration applied."""
        ...

    # browsing (the web front end): lists are paged with limit/offset
    def articles(
        self,
        since: date | None = None,
        until: date | None = None,
        agency: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        person_id: str | None = None,
        month: str | None = None,
        place: str | None = None,
    ) -> list[ArticleRow]:
        """Stored articles, newest first; person_id: those naming that corpus person;
        month: YYYY-MM or 'undated'; place: naming that place key (as quotes())."""
        ...

    def article_stats(
        self,
        since: date | None = None,
        until: date | None = None,
        agency: str | None = None,
        *,
        person_id: str | None = None,
        month: str | None = None,
        place: str | None = None,
        top: int = 10,
    ) -> Stats:
        """How many articles articles() finds with these filters, and its facets (person,
        outlet, month, place), each value counted as that filter would; every month."""
        ...

    def article_days(self, **filters: Any) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles) of articles(**filters)' dated articles, in time order."""
        ...

    def quote_days(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        *,
        person_id: str | None = None,
        agency: str | None = None,
        month: str | None = None,
        place: str | None = None,
    ) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, quotes) of quotes()' dated quotes, in time order."""
        ...

    def people_stats(self, role: str | None = None, top: int = 10) -> Stats:
        """How many people people(role) lists, and the role facet: the `top` roles, each
        with the number of people people(role=value) lists."""
        ...

    def people_named(self, name: str, limit: int = 10) -> list[PersonRow]:
        """The corpus people a name may mean, most quoted first."""
        ...

    def search_stats(self, text: str) -> Stats:
        """How many articles and quotes search(text) can page through: `type` facet."""
        ...

    def person(self, person_id: str) -> PersonRow | None: ...

    def quoted_with(self, person_id: str, limit: int = 20) -> list[PersonLink]:
        """People quoted in the same articles as this person, most shared articles first."""
        ...

    def quoted_about(self, person_id: str, limit: int = 20) -> list[PersonLink]:
        """People named inside this person's quotes, most quotes first."""
        ...

    def quote_months(self, person_id: str) -> list[tuple[str, int]]:
        """(YYYY-MM, quotes) for one person's dated quotes, in time order."""
        ...

    def places(
        self, limit: int = 50, offset: int = 0, *, country: str | None = None
    ) -> list[PlaceRow]:
        """Places by number of articles naming them: one per GeoNames id (places the
        gazetteer did not resolve: one per name); country: of that country code."""
        ...

    def place_stats(self, country: str | None = None, top: int = 10) -> Stats:
        """How many places places(country=) lists, and the `top` countries with theirs."""
        ...

    def place_points(self, keys: Sequence[str]) -> dict[str, tuple[float, float]]:
        """place key -> (lat, lon) of the resolved places among the keys."""
        ...

    def place(self, key: str) -> PlaceRow | None:
        """One place by its key (PlaceRow.key): a GeoNames id, or an unresolved name."""
        ...

    def places_named(self, name: str, limit: int = 50) -> list[PlaceRow]:
        """Every place of that canonical name (resolved or not): the choice a name gives."""
        ...

    def place_names(self, key: str) -> list[tuple[str, str | None, int]]:
        """(name as written, agency, articles): which agencies use which name of a place."""
        ...

    def place_articles(self, key: str, limit: int = 50, offset: int = 0) -> list[ArticleRow]: ...

    # quotations (store/quotations.py): one quotation across articles and outlets
    def quotations(
        self,
        speaker: str | None = None,
        about: str | None = None,
        min_outlets: int = 1,
        disputed: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuotationRow]:
        """Quotations by spread (outlets, then occurrences), narrowed as asked."""
        ...

    def quotations_full(self, rows: Sequence[QuotationRow]) -> list[Quotation]: ...

    def quotation(self, quotation_id: str) -> Quotation | None:
        """One quotation: occurrences in time order, wordings with their differences."""
        ...

    def quotation_ids(self, prefix: str, limit: int = 10) -> list[str]: ...

    def quote_links(self, article_id: str) -> dict[str, QuoteLink]:
        """quote id -> its quotation, for one article's quotes."""
        ...

    def rebuild_quotations(
        self, chunk: int = 256, progress: Callable[[int], None] | None = None
    ) -> int:
        """Group every quote and reprint again: the same groups and ids as ingest makes."""
        ...

    def quotations_stale(self) -> bool:
        """Whether the quotations must be regrouped whole (rebuild_quotations): an
        article replaced without grouping, or the grouping rules changed."""
        ...

    def quotations_pending(self) -> bool:
        """Whether articles were stored without grouping (ingest --cluster) since: they
        are grouped by group_pending_quotations()."""
        ...

    def group_pending_quotations(self, chunk: int = 256) -> int:
        """Group the articles stored without grouping into the quotations and stories
        of the rest, as ingest would have (a rebuild where the rest is stale too).
        Returns the number of articles grouped."""
        ...

    # events (store/events.py): who did what to whom, where, when, and who says so
    def events(
        self, f: EventFilter | None = None, limit: int = 50, offset: int = 0
    ) -> list[EventHit]:
        """Events matching every field of `f`: newest articles first (undated last),
        each article's in text order."""
        ...

    def event_count(self, f: EventFilter | None = None) -> int:
        """How many events events(f) lists without a limit."""
        ...

    def event_stats(self, f: EventFilter | None = None, top: int = 10) -> Stats:
        """How many events events(f) finds, and their facets (actor, class, place,
        month), each value with its count: the `top` most frequent (every month)."""
        ...

    def event_months(self, f: EventFilter | None = None) -> list[tuple[str, int]]:
        """(YYYY-MM, events) by the month of their `when`, in time order."""
        ...

    def delete(self, article_id: str) -> bool:
        """Remove one article (its quotes, mentions and places); False if not stored."""
        ...


@runtime_checkable
class BulkStore(Store, Protocol):
    """A store that many writers can fill at once (the cluster ingest's workers)."""

    def write_unresolved(
        self,
        records: Sequence[tuple[ArticleKey, Record]],
        failures: Sequence[Failure],
        *,
        fingerprint: str | None = None,
        record_json: Sequence[str] | None = None,
    ) -> None:
        """write_batch without matching people: writers do not wait for each other, and
        rebuild_people() resolves everyone afterwards in one pass. Marks people stale."""
        ...
