"""The embedded default store: one SQLite file, WAL, FTS5 for search."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from wirescope.errors import StoreError
from wirescope.store._sql import (
    COUNTS_SCHEMA,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Row,
    SQLStore,
)
from wirescope.store.base import SearchHit
from wirescope.store.events import SCHEMA as EVENTS_SCHEMA
from wirescope.store.quotations import REGROUP as REGROUP_QUOTATIONS
from wirescope.store.quotations import SCHEMA as QUOTATIONS_SCHEMA

SQLITE_COUNTS_SCHEMA = COUNTS_SCHEMA.replace("{last}", "")  # DESC already puts NULL last

# Ordered migrations: MIGRATIONS[i] brings the schema from version i to i + 1
# (PRAGMA user_version). Append, never edit a released one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,        -- FTS5 content rowid (a bare rowid may change on VACUUM)
        id TEXT NOT NULL UNIQUE,        -- content hash (pipeline.content_id)
        source_key TEXT NOT NULL UNIQUE,  -- ArticleKey.as_str()
        path TEXT NOT NULL,
        input_id TEXT,
        headline TEXT,
        published TEXT,                 -- ISO 8601, so text order is time order
        updated TEXT,
        dateline TEXT,
        agency TEXT,
        text TEXT NOT NULL,
        record_json TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles (published);

    CREATE TABLE people (
        person_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        variants TEXT NOT NULL DEFAULT '[]',  -- JSON list of spellings
        roles TEXT NOT NULL DEFAULT '[]',     -- JSON [{"role", "as_of", "last_as_of"}]
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE INDEX people_key ON people (name_key);

    CREATE TABLE quotes (
        qid INTEGER PRIMARY KEY,        -- FTS5 content rowid
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        quote_id TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue_lemma TEXT,
        speaker_text TEXT,
        speaker_entity TEXT,
        person_id TEXT REFERENCES people (person_id),
        speaker_name TEXT,              -- corpus name at write time, for full-text search
        confidence REAL,
        UNIQUE (article_id, quote_id)
    );
    CREATE INDEX quotes_person ON quotes (person_id);
    CREATE INDEX quotes_speaker_text ON quotes (lower(speaker_text));

    CREATE TABLE article_people (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        person_id TEXT NOT NULL REFERENCES people (person_id),
        name TEXT NOT NULL,
        roles TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, entity_id)
    );
    CREATE INDEX article_people_person ON article_people (person_id);

    CREATE TABLE places (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        name TEXT NOT NULL,
        country TEXT,
        lat REAL,
        lon REAL,
        aliases TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, entity_id)
    );
    CREATE INDEX places_name ON places (name);

    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        type TEXT NOT NULL,
        name_lc TEXT NOT NULL,
        person_id TEXT,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL
    );
    CREATE INDEX mentions_article ON mentions (article_id, span_start);
    CREATE INDEX mentions_name ON mentions (name_lc);

    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        input_id TEXT,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL
    );
    CREATE INDEX failures_path ON failures (path);

    -- External-content FTS5 indexes kept in step by triggers.
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        headline, text, content='articles', content_rowid='seq',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, headline, text)
        VALUES (new.seq, new.headline, new.text);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, headline, text)
        VALUES ('delete', old.seq, old.headline, old.text);
    END;

    CREATE VIRTUAL TABLE quotes_fts USING fts5 (
        text, speaker_name, content='quotes', content_rowid='qid',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts (rowid, text, speaker_name)
        VALUES (new.qid, new.text, new.speaker_name);
    END;
    CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts (quotes_fts, rowid, text, speaker_name)
        VALUES ('delete', old.qid, old.text, old.speaker_name);
    END;
    """,
    # 2: quotes --about looks mentions up by corpus person too.
    """
    CREATE INDEX mentions_person ON mentions (person_id);
    """,
    # 3: people are matched per batch in SQL, not from an in-memory index of everyone;
    # a source whose text is stored under another source points at that article.
    """
    CREATE TABLE person_keys (
        surname_key TEXT NOT NULL,      -- people.ParsedName.surname of a name or variant
        person_id TEXT NOT NULL REFERENCES people (person_id),
        PRIMARY KEY (surname_key, person_id)
    );
    -- The similar-surname fallback fetches keys by first letter and length.
    CREATE INDEX person_keys_similar ON person_keys (substr(surname_key, 1, 1),
        length(surname_key));

    CREATE TABLE source_aliases (
        source_key TEXT PRIMARY KEY,    -- ArticleKey.as_str()
        path TEXT NOT NULL,
        input_id TEXT,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
    );
    CREATE INDEX source_aliases_article ON source_aliases (article_id);
    """,
    # 4: what made each record (stages.fingerprint); NULL for records stored before,
    # which the next ingest therefore extracts again.
    """
    ALTER TABLE articles ADD COLUMN fingerprint TEXT;
    """,
    # 5: people can be rebuilt in the order the articles were read (ingest_run, then
    # ingest_pos, then seq); store_state flags people as out of date.
    """
    ALTER TABLE articles ADD COLUMN ingest_run INTEGER;
    ALTER TABLE articles ADD COLUMN ingest_pos INTEGER;
    CREATE INDEX articles_ingest_order ON articles
        (coalesce(ingest_run, 0), coalesce(ingest_pos, 0), seq);
    CREATE TABLE ingest_runs (
        run INTEGER PRIMARY KEY,
        inputs TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL
    );
    CREATE TABLE store_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 6: newest-first pages read off an index and stop at their limit (docs/scale.md):
    # quotes and mentions carry their article's date (an article's date never changes:
    # its id is its text's hash), and mentions say whether a quote holds them, so that
    # `quotes --about NAME` walks only those. DESC puts NULL last in SQLite, as the
    # PostgreSQL indexes' NULLS LAST. The UPDATEs fill stores made before.
    """
    ALTER TABLE quotes ADD COLUMN published TEXT;
    ALTER TABLE mentions ADD COLUMN published TEXT;
    ALTER TABLE mentions ADD COLUMN in_quote INTEGER NOT NULL DEFAULT 0;
    UPDATE quotes SET published = (SELECT a.published FROM articles a
        WHERE a.id = quotes.article_id);
    UPDATE mentions SET published = (SELECT a.published FROM articles a
        WHERE a.id = mentions.article_id);
    UPDATE mentions SET in_quote = 1 WHERE EXISTS (SELECT 1 FROM quotes q
        WHERE q.article_id = mentions.article_id AND mentions.span_start >= q.span_start
        AND mentions.span_end <= q.span_end);
    DROP INDEX quotes_person;
    CREATE INDEX quotes_person ON quotes (person_id, published DESC);
    DROP INDEX quotes_speaker_text;
    CREATE INDEX quotes_speaker_text ON quotes (lower(speaker_text), published DESC);
    CREATE INDEX quotes_published ON quotes (published DESC);
    DROP INDEX mentions_name;
    DROP INDEX mentions_person;
    CREATE INDEX mentions_quoted_name ON mentions (name_lc, published DESC, article_id)
        WHERE in_quote = 1;
    CREATE INDEX mentions_quoted_person ON mentions (person_id, published DESC, article_id)
        WHERE in_quote = 1;
    """,
    # 7: quotations and stories (store/quotations.py).
    QUOTATIONS_SCHEMA,
    # events and their actors and patients (store/events.py); filled from the records.
    EVENTS_SCHEMA,
    # quotations regrouped: copies of one story aligned quote by quote, lede bands.
    REGROUP_QUOTATIONS,
    # people's counts and dates, the quote tally, places' GeoNames ids (store/_sql.py).
    SQLITE_COUNTS_SCHEMA,
]


_BUSY_S = 30.0  # seconds to wait for another process's write lock


def _statements(script: str) -> Iterator[str]:
    """Split a script into statements (trigger bodies hold semicolons)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect_read_only(path: str) -> sqlite3.Connection:
    """mode=ro; where even that needs files it cannot make (the WAL index in a
    read-only folder), immutable: nobody can be writing a file no one may write."""
    uri = Path(path).resolve().as_uri()
    try:
        conn = sqlite3.connect(
            f"{uri}?mode=ro",
            uri=True,
            isolation_level=None,
            timeout=_BUSY_S,
            check_same_thread=False,
        )
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError:
        return sqlite3.connect(
            f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False
        )


def fts5_query(terms: list[str]) -> str:
    """Each term as a quoted FTS5 string: matched as a phrase of its tokens, never parsed."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


# Connections are made with check_same_thread=False: a store may be opened on one
# thread and used on another (the web server's pool hands each request a store on a
# worker thread); one store is never used by two threads at once.
class SQLiteStore(SQLStore):
    EVENTS_VERSION = MIGRATIONS.index(EVENTS_SCHEMA) + 1
    COUNTS_VERSION = MIGRATIONS.index(SQLITE_COUNTS_SCHEMA) + 1

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        if self.path != ":memory:" and not create and Path(self.path).is_dir():
            raise StoreError(f"database {self.path} is a directory, not a SQLite file")
        if self.path != ":memory:" and not create and not Path(self.path).is_file():
            raise StoreError(f"no such database: {self.path} — run `wirescope ingest` first")
        # A reader of a file it may not write (a read-only file or folder) opens it
        # read-only: WAL would need to create its -shm file beside it and fails.
        self.read_only = self.path != ":memory:" and not create and not _writable(Path(self.path))
        try:
            if self.read_only:
                self.conn = _connect_read_only(self.path)
            else:
                # Autocommit mode; transactions are explicit (BEGIN IMMEDIATE) below.
                self.conn = sqlite3.connect(
                    self.path, isolation_level=None, timeout=_BUSY_S, check_same_thread=False
                )
                self._wal()
            self._check()
        except sqlite3.OperationalError as exc:  # cannot open, locked, no such folder
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:  # malformed, or not a database at all
            raise StoreError(self._damaged(str(exc))) from exc
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.read_only:
            if self.schema_version() < len(MIGRATIONS):
                raise StoreError(f"database {self.path} is read-only and needs an upgrade")
            return
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def _check(self) -> None:
        """Refuse a damaged file before reading or writing it (quick_check: the
        structure of every page, not the index contents; milliseconds per MB)."""
        if self.path == ":memory:":
            return
        try:
            rows = self.conn.execute("PRAGMA quick_check(3)").fetchall()
            problem = "" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows)
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
        if problem:
            raise StoreError(self._damaged(problem))

    def _damaged(self, problem: str) -> str:
        return (
            f"database {self.path} fails its integrity check ({problem}); nothing was "
            f"read or written. Recover: `sqlite3 {self.path} .recover | sqlite3 NEW.db`, "
            "or move it aside and run `wirescope ingest` on the sources again"
        )

    def _wal(self) -> None:
        """Switch to WAL. While another process creates or migrates the same new file
        the switch answers "database is locked" at once, without waiting out the busy
        timeout (SQLite does not call the busy handler there), so wait here."""
        deadline = time.monotonic() + _BUSY_S
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self) -> None:
        if self.schema_version() >= len(MIGRATIONS):
            return
        with self._transaction():
            # Re-read under the write lock: another process may have migrated meanwhile.
            for version in range(self.schema_version(), len(MIGRATIONS)):
                for stmt in _statements(MIGRATIONS[version]):
                    self.conn.execute(stmt)
                self._after_migration(version + 1)
                self.conn.execute(f"PRAGMA user_version = {version + 1}")

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _in(self, column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
        return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(values))]

    def _stream(self, query: str, params: Sequence[Any], size: int) -> Iterator[list[Any]]:
        cur = self.conn.execute(query, params)
        while rows := cur.fetchmany(size):
            yield rows

    def _unindex(self, tables: Sequence[str]) -> list[str]:
        """Drop these tables' indexes for a bulk refill; returns the statements that
        build them again."""
        cond, params = self._in("tbl_name", tables)
        rows = self._rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND {cond}",
            params,
        )
        for name, _ in rows:
            self._exec(f'DROP INDEX "{name}"')
        return [definition for _, definition in rows]

    def _clear(self, table: str) -> None:
        self._exec(f'DELETE FROM "{table}"')

    @staticmethod
    def _json_text(column: str, key: str) -> str:
        return f"json_extract({column}, '$.{key}')"

    def _lock_writes(self, shared: bool = False) -> None:
        pass  # BEGIN IMMEDIATE already holds the database's one write lock

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, params)

    def _execmany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.conn.executemany(sql, rows)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def _quote_fts(self, terms: list[str], page: int | None = None) -> tuple[str, list[Any]]:
        query = fts5_query(terms)
        matches = "(SELECT rowid AS qid FROM quotes_fts WHERE quotes_fts MATCH ?)"
        if page is not None:
            # The newest `page` matches: SQLite reads every match off the FTS index and
            # sorts them, or (`+`: not by rowid) walks the quotes' date index until the
            # page is full, reading about page x quotes / matches rows. The walk is
            # cheaper when matches^2 > page x quotes: a common word (a third of the
            # quotes: 9 ms -> 2 ms at 30,000 quotes); counting the matches costs less
            # than reading them.
            ((n,),) = self._rows(
                "SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?", (query,)
            )
            ((last,),) = self._rows("SELECT coalesce(max(qid), 0) FROM quotes")
            if n * n > page * last:
                return f"+q.qid IN {matches}", [query]
        return f"q.qid IN {matches}", [query]

    # Rank first, then build snippets for the top rows only: in one flat query SQLite
    # would compute snippet() for every match before sorting (4x slower on common words).
    def _search_articles(self, terms: list[str], limit: int) -> list[SearchHit]:
        query = fts5_query(terms)
        rows = self._rows(
            "WITH top AS MATERIALIZED (SELECT rowid AS rid, bm25(articles_fts, 4.0, 1.0) AS r"
            " FROM articles_fts WHERE articles_fts MATCH ? ORDER BY r LIMIT ?)"
            " SELECT a.id, a.headline, snippet(articles_fts, -1, ?, ?, '…', 24), top.r"
            " FROM top CROSS JOIN articles_fts CROSS JOIN articles a"
            " WHERE articles_fts MATCH ? AND articles_fts.rowid = top.rid AND a.seq = top.rid"
            " ORDER BY top.r",
            (query, limit, HIGHLIGHT_START, HIGHLIGHT_END, query),
        )
        # bm25() is lower-is-better; SearchHit.score is higher-is-better.
        return [SearchHit("article", aid, None, head, snip, -r) for aid, head, snip, r in rows]

    def _fts_counts(self, terms: list[str]) -> tuple[int, int]:
        query = fts5_query(terms)
        (row,) = self._rows(
            "SELECT (SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?),"
            " (SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?)",
            (query, query),
        )
        return int(row[0]), int(row[1])

    def _snippets(self, terms: list[str], hits: list[SearchHit]) -> None:
        pass  # FTS5's snippet() made them with the hits, from its own index

    def _search_quotes(self, terms: list[str], limit: int) -> list[SearchHit]:
        query = fts5_query(terms)
        rows = self._rows(
            "WITH top AS MATERIALIZED (SELECT rowid AS rid, bm25(quotes_fts) AS r"
            " FROM quotes_fts WHERE quotes_fts MATCH ? ORDER BY r LIMIT ?)"
            " SELECT q.article_id, q.quote_id, a.headline,"
            " snippet(quotes_fts, 0, ?, ?, '…', 40), top.r, coalesce(p.name, q.speaker_name)"
            " FROM top CROSS JOIN quotes_fts CROSS JOIN quotes q CROSS JOIN articles a"
            " LEFT JOIN people p ON p.person_id = q.person_id"
            " WHERE quotes_fts MATCH ? AND quotes_fts.rowid = top.rid AND q.qid = top.rid"
            " AND a.id = q.article_id ORDER BY top.r",
            (query, limit, HIGHLIGHT_START, HIGHLIGHT_END, query),
        )
        return [
            SearchHit("quote", aid, qid, head, snip, -r, spk)
            for aid, qid, head, snip, r, spk in rows
        ]
