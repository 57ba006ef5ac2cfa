"""The Store protocol: every backend (SQLite, PostgreSQL) implements it and passes
the same contract test suite (tests/store/test_contract.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, runtime_checkable

from wirescope.models import Failure, Record


@dataclass
class ArticleKey:
    """Where an article came from: (path, input id) names it across re-ingests."""

    path: str
    input_id: str | None = None

    def as_str(self) -> str:
        return f"{self.path}#{self.input_id}" if self.input_id else self.path


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


@dataclass
class SearchHit:
    type: str  # "article" | "quote"
    article_id: str
    quote_id: str | None
    headline: str | None
    snippet: str
    score: float


@runtime_checkable
class Store(Protocol):
    """A corpus of records. Writes are batched; each batch is one transaction."""

    def close(self) -> None: ...

    # ingestion
    def known_sources(self) -> dict[str, str]:
        """ArticleKey.as_str() -> content hash of every stored article."""
        ...

    def write_batch(
        self, records: Sequence[tuple[ArticleKey, Record]], failures: Sequence[Failure]
    ) -> None:
        """Insert or replace records (by key) and record failures, atomically."""
        ...

    def failures(self) -> list[Failure]: ...

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
    ) -> list[QuoteHit]: ...

    def people(self, role: str | None = None, limit: int | None = None) -> list[PersonRow]: ...

    def search(self, text: str, limit: int = 20) -> list[SearchHit]: ...

    def iter_records(self) -> Iterator[Record]: ...
