"""Corpus stores: SQLite (embedded default) and PostgreSQL behind one protocol."""

from __future__ import annotations

from wirescope.errors import StoreError
from wirescope.store.base import (
    EXPORT_TABLES,
    ArticleKey,
    ArticleRow,
    ExportTable,
    PersonLink,
    PersonRow,
    PlaceRow,
    QuoteHit,
    SearchHit,
    Speaker,
    Stats,
    Store,
)

DEFAULT_DB = "wirescope.db"


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def open_store(db: str | None = None, *, must_exist: bool = False) -> Store:
    """None -> wirescope.db in the cwd; a path -> SQLite file; postgresql://... -> PostgreSQL.

    must_exist: readers pass True so a typo gives "no such database", not a new empty file.
    """
    db = db or DEFAULT_DB
    if is_postgres_url(db):
        try:
            from wirescope.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                f"a PostgreSQL store needs {exc.name}: pip install 'wirescope[postgres]'"
            ) from None

        return PostgresStore(db)
    from wirescope.store.sqlite import SQLiteStore

    return SQLiteStore(db, create=not must_exist)


__all__ = [
    "DEFAULT_DB",
    "EXPORT_TABLES",
    "ArticleKey",
    "ArticleRow",
    "ExportTable",
    "PersonLink",
    "PersonRow",
    "PlaceRow",
    "QuoteHit",
    "SearchHit",
    "Speaker",
    "Stats",
    "Store",
    "StoreError",
    "is_postgres_url",
    "open_store",
]
