"""The SQLite and PostgreSQL schemas hold the same tables, columns and indexes.

Only what each backend's full-text search needs differs, and that is listed here:
a drift in one backend's migrations (a column or index added to one only) fails.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from wirescope.store.postgres import PostgresStore
from wirescope.store.sqlite import SQLiteStore

# Table names, (table, column) pairs and index names that only one backend has (the
# columns of a table only one has are not compared).
ONLY_SQLITE = {
    "columns": set(),  # articles.seq, the FTS5 content rowid, is PostgreSQL's write order
    "tables": {"articles_fts", "quotes_fts"},  # FTS5 indexes
    "indexes": set(),
}
ONLY_POSTGRES = {
    "columns": {("articles", "tsv"), ("quotes", "tsv")},  # generated tsvector columns
    "tables": {"schema_version"},  # SQLite keeps it in PRAGMA user_version
    "indexes": {"articles_tsv", "quotes_tsv", "articles_id_c"},  # GIN; ids in C order
}

Schema = dict[str, set]  # type: ignore[type-arg]


def sqlite_schema(store: SQLiteStore) -> Schema:
    rows = store.conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    fts = {name for kind, name, _ in rows if kind == "table" and name.endswith("_fts")}
    # FTS5 keeps its index in shadow tables named after it (articles_fts_data, ...).
    tables = {
        name
        for kind, name, _ in rows
        if kind == "table" and not any(name.startswith(f + "_") for f in fts)
    }
    columns = {
        (t, col[1])
        for t in tables - ONLY_SQLITE["tables"]
        for col in store.conn.execute(f"PRAGMA table_info({t})").fetchall()
    }
    indexes = {name for kind, name, _ in rows if kind == "index"}
    return {"tables": tables, "columns": columns, "indexes": indexes}


def postgres_schema(store: PostgresStore) -> Schema:
    conn = store.conn
    tables = {
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    }
    columns = {
        (r[0], r[1])
        for r in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ).fetchall()
        if r[0] not in ONLY_POSTGRES["tables"]
    }
    # Indexes made by CREATE INDEX: not those behind PRIMARY KEY and UNIQUE constraints
    # (SQLite's are the unnamed sqlite_autoindex_* ones, left out above).
    indexes = {
        r[0]
        for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).fetchall()
    }
    return {"tables": tables, "columns": columns, "indexes": indexes}


@pytest.mark.postgres
def test_sqlite_and_postgres_schemas_match(tmp_path: Path) -> None:
    dsn = os.environ.get("WIRESCOPE_TEST_PG")
    if not dsn:
        pytest.skip("needs WIRESCOPE_TEST_PG=postgresql://... (see .ci/postgres.sh)")
    lite = SQLiteStore(tmp_path / "schema.db")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    pg = PostgresStore(dsn, schema=schema)
    try:
        ours, theirs = sqlite_schema(lite), postgres_schema(pg)
        assert ours["tables"] >= {"articles", "quotes", "people", "failures"}
        for part in ("tables", "columns", "indexes"):
            assert ours[part] - ONLY_SQLITE[part] == theirs[part] - ONLY_POSTGRES[part], part
            # The listed differences are real: a stale list would hide nothing.
            assert ONLY_SQLITE[part] <= ours[part] and ONLY_POSTGRES[part] <= theirs[part]
    finally:
        lite.close()
        pg.conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]
        pg.close()
