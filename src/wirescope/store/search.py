"""Full-text search shared by the SQL backends: user text made safe as plain terms,
and article and quote hits merged on one scale. Backends supply the indexes."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from wirescope.errors import QueryError
from wirescope.store.rows import SearchHit

HIGHLIGHT_START, HIGHLIGHT_END = "[[", "]]"

# Terms one search may hold: each is a full-text lookup, and 20,000 of them took
# a minute; no question needs more than a few words.
MAX_SEARCH_TERMS = 64


def search_terms(text: str) -> list[str]:
    """User text as plain terms: anything without a letter or digit is dropped, so
    query operators ("--", "-", "OR", quotes) can never reach the FTS parser, nor a NUL
    character (FTS5 reads it as the end of its query; PostgreSQL refuses it in text)."""
    terms = [t.replace('"', "") for t in plain(text).split() if re.search(r"\w", t)]
    if len(terms) > MAX_SEARCH_TERMS:
        raise QueryError(f"too many search terms ({len(terms):,}; at most {MAX_SEARCH_TERMS})")
    return terms


def plain(text: str) -> str:
    """User text without NUL characters, which no text column can hold."""
    return text.replace("\x00", "")


class Searching(ABC):
    """search() over a backend's full-text indexes."""

    @abstractmethod
    def _quote_fts(self, terms: list[str], page: int | None = None) -> tuple[str, list[Any]]:
        """A condition on quote `q`: its text matches the terms. page: the condition
        drives a list cut at this many newest rows (a backend may pick its plan by it)."""

    @abstractmethod
    def _search_articles(self, terms: list[str], limit: int) -> list[SearchHit]: ...

    @abstractmethod
    def _search_quotes(self, terms: list[str], limit: int) -> list[SearchHit]: ...

    @abstractmethod
    def _snippets(self, terms: list[str], hits: list[SearchHit]) -> None:
        """Fill in what a backend makes only for the hits shown, after both kinds are
        merged and cut (PostgreSQL's snippets: ts_headline parses each text again)."""

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        terms = search_terms(text)
        if not terms:
            return []
        # Article and quote scores come from different indexes (and bm25 of a tiny
        # corpus is ~0), so each list is scaled to its best hit before merging.
        hits: list[SearchHit] = []
        for found in (self._search_articles(terms, limit), self._search_quotes(terms, limit)):
            best = max((h.score or 0.0 for h in found), default=0.0)
            for h in found:
                h.score = (h.score or 0.0) / best if best > 0 else 0.0
            hits += found
        hits.sort(key=lambda h: -(h.score or 0.0))  # stable: articles first on a tie
        hits = hits[:limit]
        self._snippets(terms, hits)
        return hits
