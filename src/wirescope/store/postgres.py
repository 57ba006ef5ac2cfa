"""The PostgreSQL store (psycopg 3): the SQLite schema in PostgreSQL's dialect, with
`tsvector` full-text search (websearch_to_tsquery, ts_rank, ts_headline)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import psycopg
from psycopg import sql

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

# Lists run newest first, undated last: the index in that order (as for quotes).
PG_EVENTS_SCHEMA = EVENTS_SCHEMA.replace("(published DESC,", "(published DESC NULLS LAST,")
PG_COUNTS_SCHEMA = COUNTS_SCHEMA.replace("{last}", " NULLS LAST")

# Ordered migrations: MIGRATIONS[i] takes the schema from version i to i + 1
# (recorded in schema_version). Append, never edit a released one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source_key TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL,
        input_id TEXT,
        headline TEXT,
        published TEXT,
        updated TEXT,
        dateline TEXT,
        agency TEXT,
        text TEXT NOT NULL,
        record_json TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', coalesce(headline, '')), 'A')
            || setweight(to_tsvector('english', text), 'B')
        ) STORED
    );
    CREATE INDEX articles_published ON articles (published);
    CREATE INDEX articles_tsv ON articles USING GIN (tsv);

    CREATE TABLE people (
        person_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        variants TEXT NOT NULL DEFAULT '[]',
        roles TEXT NOT NULL DEFAULT '[]',
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE INDEX people_key ON people (name_key);

    CREATE TABLE quotes (
        qid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
        speaker_name TEXT,
        confidence DOUBLE PRECISION,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', text), 'A')
            || setweight(to_tsvector('english', coalesce(speaker_name, '')), 'B')
        ) STORED,
        UNIQUE (article_id, quote_id)
    );
    CREATE INDEX quotes_person ON quotes (person_id);
    CREATE INDEX quotes_speaker_text ON quotes (lower(speaker_text));
    CREATE INDEX quotes_tsv ON quotes USING GIN (tsv);

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
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
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
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        path TEXT NOT NULL,
        input_id TEXT,
        reason TEXT NOT NULL,
        failed_at TEXT NOT NULL
    );
    CREATE INDEX failures_path ON failures (path);
    """,
    # 2: quotes --about looks mentions up by corpus person too.
    """
    CREATE INDEX mentions_person ON mentions (person_id);
    """,
    # 3: people are matched per batch in SQL, not from an in-memory index of everyone;
    # a source whose text is stored under another source points at that article.
    """
    CREATE TABLE person_keys (
        surname_key TEXT NOT NULL,
        person_id TEXT NOT NULL REFERENCES people (person_id),
        PRIMARY KEY (surname_key, person_id)
    );
    CREATE INDEX person_keys_similar ON person_keys (substr(surname_key, 1, 1),
        length(surname_key));

    CREATE TABLE source_aliases (
        source_key TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        input_id TEXT,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
    );
    CREATE INDEX source_aliases_article ON source_aliases (article_id);
    """,
    # 4: search ranks every match, reading each article's tsv. With default (EXTENDED)
    # storage a row holding text and record_json is over the TOAST threshold and tsv
    # went out of line, so each match cost TOAST lookups: 73 -> 24 ms for a word in
    # every article of 10,000 (benchmarks/store_queries.py). MAIN keeps it in the row;
    # the UPDATE rewrites stored rows (stored generated columns are recomputed).
    """
    ALTER TABLE articles ALTER COLUMN tsv SET STORAGE MAIN;
    UPDATE articles SET headline = headline;
    """,
    # 5: what made each record (stages.fingerprint); NULL for records stored before,
    # which the next ingest therefore extracts again.
    """
    ALTER TABLE articles ADD COLUMN fingerprint TEXT;
    """,
    # 6: lists run newest first, undated last (published DESC NULLS LAST); an index in
    # that order lets a page stop at its limit instead of sorting every quote (newest 50
    # quotes of 10,000 articles: 47 -> 4 ms). SQLite's ascending index already serves.
    """
    DROP INDEX articles_published;
    CREATE INDEX articles_published ON articles (published DESC NULLS LAST);
    """,
    # 7: people can be rebuilt in the order the articles were read (ingest_run, then
    # ingest_pos, then seq = order of writing), e.g. after a cluster ingest whose workers
    # store articles in no particular order; store_state flags people as out of date.
    """
    ALTER TABLE articles ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
    ALTER TABLE articles ADD COLUMN ingest_run BIGINT, ADD COLUMN ingest_pos BIGINT;
    CREATE INDEX articles_ingest_order ON articles
        ((coalesce(ingest_run, 0)), (coalesce(ingest_pos, 0)), seq);
    CREATE TABLE ingest_runs (
        run BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        inputs TEXT NOT NULL UNIQUE,
        started_at TEXT NOT NULL
    );
    CREATE TABLE store_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 8: ids by prefix (`show 3f2a9c`) use an index in code point order, whatever the
    # database's collation (docs/scale.md).
    """
    CREATE INDEX articles_id_c ON articles (id COLLATE "C");
    """,
    # 9: newest-first pages read off an index and stop at their limit (docs/scale.md):
    # quotes and mentions carry their article's date (an article's date never changes:
    # its id is its text's hash), and mentions say whether a quote holds them, so that
    # `quotes --about NAME` walks only those. The UPDATEs fill stores made before.
    """
    ALTER TABLE quotes ADD COLUMN published TEXT;
    ALTER TABLE mentions ADD COLUMN published TEXT, ADD COLUMN in_quote INTEGER NOT NULL DEFAULT 0;
    UPDATE quotes q SET published = a.published FROM articles a
        WHERE a.id = q.article_id AND a.published IS NOT NULL;
    UPDATE mentions m SET published = a.published FROM articles a
        WHERE a.id = m.article_id AND a.published IS NOT NULL;
    UPDATE mentions m SET in_quote = 1 WHERE EXISTS (SELECT 1 FROM quotes q
        WHERE q.article_id = m.article_id AND m.span_start >= q.span_start
        AND m.span_end <= q.span_end);
    DROP INDEX quotes_person;
    CREATE INDEX quotes_person ON quotes (person_id, published DESC NULLS LAST);
    DROP INDEX quotes_speaker_text;
    CREATE INDEX quotes_speaker_text ON quotes
        (lower(speaker_text), published DESC NULLS LAST);
    CREATE INDEX quotes_published ON quotes (published DESC NULLS LAST);
    DROP INDEX mentions_name;
    DROP INDEX mentions_person;
    CREATE INDEX mentions_quoted_name ON mentions
        (name_lc, published DESC NULLS LAST, article_id) WHERE in_quote = 1;
    CREATE INDEX mentions_quoted_person ON mentions
        (person_id, published DESC NULLS LAST, article_id) WHERE in_quote = 1;
    """,
    # 10: the planner finds the newest matches of a search by walking the date index
    # (a common word) or from the GIN index (a rare one) by its estimate of how many
    # rows match, from the most common lexemes ANALYZE keeps: 100 x 10 by default, so
    # a word of rank 2,000 was estimated at a tenth of its matches and read them all.
    """
    ALTER TABLE articles ALTER COLUMN tsv SET STATISTICS 1000;
    ALTER TABLE quotes ALTER COLUMN tsv SET STATISTICS 1000;
    """,
    # 7: quotations and stories (store/quotations.py).
    QUOTATIONS_SCHEMA,
    # events and their actors and patients (store/events.py); filled from the records.
    PG_EVENTS_SCHEMA,
    # quotations regrouped: copies of one story aligned quote by quote, lede bands.
    REGROUP_QUOTATIONS,
    # people's counts and dates, the quote tally, places' GeoNames ids (store/_sql.py).
    PG_COUNTS_SCHEMA,
]

# Search ranks the newest this many matches of each kind (see _search_articles).
SEARCH_CANDIDATES = 200
# The first date window search looks in holds about this many rows (_date_windows).

_HEADLINE_OPTIONS = (
    f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}", '
    'MaxFragments=1, MaxWords=35, MinWords=12, FragmentDelimiter=" … "'
)


def websearch_query(terms: list[str]) -> str:
    """Each term double-quoted for websearch_to_tsquery: a phrase, never an operator."""
    return " ".join(f'"{t}"' for t in terms)


class PostgresStore(SQLStore):
    EVENTS_VERSION = MIGRATIONS.index(PG_EVENTS_SCHEMA) + 1
    COUNTS_VERSION = MIGRATIONS.index(PG_COUNTS_SCHEMA) + 1

    def __init__(self, dsn: str, *, schema: str | None = None) -> None:
        """schema: keep the tables in this schema (created if needed), e.g. one per test."""
        try:
            self.conn = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to PostgreSQL: {reason}") from exc
        if schema:
            self.conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema))
            )
            self.conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
        self._migrate()

    def _migrate(self) -> None:
        with self.conn.transaction():
            # Serialize concurrent migrators of the same schema, from the first
            # statement: two CREATE TABLE IF NOT EXISTS at once collide on pg_type.
            self.conn.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            for version in range(self.schema_version(), len(MIGRATIONS)):
                self.conn.execute(MIGRATIONS[version].encode())  # no params: multi-statement ok
                self._after_migration(version + 1)
                self.conn.execute(
                    "INSERT INTO schema_version (version) VALUES (%s)", (version + 1,)
                )

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def _binary(self, column: str) -> str:
        return f'{column} COLLATE "C"'

    def _in(self, column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(?)", [list(values)]

    def _in_ints(self, column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(?::bigint[])", [list(values)]

    def _stream(self, query: str, params: Sequence[Any], size: int) -> Iterator[list[Any]]:
        """Rows `size` at a time through a server-side cursor (inside a transaction):
        a rebuild reads every article without holding them all."""
        with self.conn.cursor(name="wirescope_stream") as cur:
            cur.execute(self._sql(query).encode(), params)
            while rows := cur.fetchmany(size):
                yield rows

    def _unindex(self, tables: Sequence[str]) -> list[str]:
        """Inside a transaction, before these tables are filled again in bulk: drop their
        secondary indexes and foreign keys (built again once, and checked in one join,
        at the end: much cheaper than row by row); returns the statements that restore
        them."""
        self._exec("SET LOCAL maintenance_work_mem = '512MB'")
        self._exec("SET LOCAL work_mem = '128MB'")
        restore = []
        for name, definition in self._rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(?) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        ):
            self._exec(f'DROP INDEX "{name}"')
            restore.append(definition)
        for table, name, definition in self._rows(
            "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
            " JOIN pg_class c ON c.oid = k.conrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname = ANY(?)",
            [list(tables)],
        ):
            self._exec(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        # Statistics of the tables as refilled: the planner's joins over them (the
        # summaries read next) are chosen by them.
        return restore + [f'ANALYZE "{table}"' for table in tables]

    def _clear(self, table: str) -> None:
        self._exec(f'TRUNCATE "{table}"')

    @staticmethod
    def _json_text(column: str, key: str) -> str:
        return f"(({column})::json -> '{key}')::text"

    def _lock_writes(self, shared: bool = False) -> None:
        # Held to the end of the transaction; one lock per schema (= per corpus).
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        self.conn.execute(f"SELECT {fn}(hashtext('wirescope.write.' || current_schema()))".encode())

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        # A batch's mentions are hundreds of rows: one COPY, not a statement each.
        stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with self.conn.cursor() as cur, cur.copy(stmt) as copy:
            for row in rows:
                copy.write_row(row)

    @staticmethod
    def _sql(query: str) -> str:
        # Shared SQL uses qmark placeholders and contains no literal ? or %.
        return query.replace("?", "%s")

    def _exec(self, query: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._sql(query).encode(), params)

    def _execmany(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(query).encode(), rows)

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[Row]:
        return self.conn.execute(self._sql(query).encode(), params).fetchall()

    def _quote_fts(self, terms: list[str], page: int | None = None) -> tuple[str, list[Any]]:
        # On q itself: the planner then chooses between the GIN index (a rare word) and
        # walking the quotes newest first until the page is full (a common one).
        return "q.tsv @@ websearch_to_tsquery('english', ?)", [websearch_query(terms)]

    # Search ranks the newest SEARCH_CANDIDATES matches of each kind, not every match:
    # ranking reads each match's row, and a common word matches a third of a million
    # articles (seconds; docs/scale.md). Below that many matches nothing changes.
    #
    # In one query over the whole table the planner finds the newest N either by
    # walking the date index (reading about N / share rows) or by reading every match
    # off the GIN index; at the crossover (a word in 1 to 2 % of the rows) either
    # reads about sqrt(N x rows) rows, 14,000 at a million, and that grows with the
    # store. So the newest N are looked for in date windows, newest first, the first
    # one sized to hold about 1.5 x N matches by the planner's estimate of how many
    # rows match, each next one twice as long (_date_windows). Inside a window the
    # planner makes the same choice, but neither path reads more than the window
    # holds, and the GIN path intersects the word's entries with the window's date
    # range (a BitmapAnd) before it reads any row.
    search_candidates = SEARCH_CANDIDATES
    search_window_rows: float | None = None  # the first window's rows (tests); None: estimated

    def _date_windows(self, table: str, matches: float) -> Iterator[tuple[str, list[Any]]]:
        """Conditions on `published` that cut `table` into windows, newest first, for a
        query estimated to match `matches` rows: the first window holds about 1.5 x
        search_candidates of them (by the table's mean rows per day), each next one is
        twice as long; the last dated window is open to the past, and the undated rows
        come last. Together they are the whole table, in the order of its date index."""
        newest, oldest, rows = self._rows(
            f"SELECT max(published), min(published), (SELECT reltuples FROM pg_class"
            f" WHERE oid = '{table}'::regclass) FROM {table}"
        )[0]
        try:
            last, first = date.fromisoformat(newest[:10]), date.fromisoformat(oldest[:10])
        except (TypeError, ValueError):  # nothing dated (or no ISO dates): one window
            yield "TRUE", []
            return
        rows = max(float(rows), 0.0)  # reltuples: -1 before the first ANALYZE
        first_rows = self.search_window_rows or 1.5 * self.search_candidates * rows / max(
            matches, 1.0
        )
        span = (last - first).days + 1
        days = min(span, max(1, int(first_rows * span / rows))) if rows else span
        hi: str | None = None
        lo = last - timedelta(days=days - 1)
        while lo > first:
            bounds = [lo.isoformat()] + ([hi] if hi else [])
            yield "published >= %s" + (" AND published < %s" if hi else ""), bounds
            hi, days = lo.isoformat(), days * 2
            lo = lo - timedelta(days=min(days, (lo - first).days))
        yield ("published < %s", [hi]) if hi else ("published IS NOT NULL", [])
        yield "published IS NULL", []

    def _estimated_matches(self, table: str, query: str) -> float:
        """The planner's estimate of how many rows of `table` the query matches (from
        the lexeme statistics ANALYZE keeps; see migration 10)."""
        row = self.conn.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table}"
            " WHERE tsv @@ websearch_to_tsquery('english', %s)".encode(),
            (query,),
        ).fetchone()
        assert row is not None
        plan = json.loads(row[0]) if isinstance(row[0], str) else row[0]
        return float(plan[0]["Plan"]["Plan Rows"])

    def _newest_matches(self, table: str, key: str, query: str) -> list[Row]:
        """(key, rank, ...) of the newest search_candidates rows of `table` matching the
        websearch query, newest first (ties by key, as the date index and key order);
        a quote's row goes on with its article id and quote id."""
        matches = 0.0 if self.search_window_rows else self._estimated_matches(table, query)
        found: list[Row] = []
        order, more = ("id", "") if key == "id" else ("qid DESC", ", article_id, quote_id")
        for window, bounds in self._date_windows(table, matches):
            found += self.conn.execute(
                f"SELECT {key}, ts_rank(tsv, websearch_to_tsquery('english', %s)){more}"
                f" FROM {table}"
                f" WHERE tsv @@ websearch_to_tsquery('english', %s) AND {window}"
                f" ORDER BY published DESC NULLS LAST, {order} LIMIT %s".encode(),
                (query, query, *bounds, self.search_candidates - len(found)),
            ).fetchall()
            if len(found) >= self.search_candidates:
                break
        return found

    @staticmethod
    def _top(found: list[Row], limit: int) -> list[Row]:
        """The best ranked, ties by key."""
        return sorted(found, key=lambda row: (-row[1], row[0]))[:limit]

    # Only the hits shown get a snippet and a headline (_snippets, after search() has
    # merged both kinds and cut the list): ts_headline parses each text again.
    def _search_articles(self, terms: list[str], limit: int) -> list[SearchHit]:
        found = self._newest_matches("articles", "id", websearch_query(terms))
        return [SearchHit("article", k, None, None, "", r) for k, r, *_ in self._top(found, limit)]

    def _search_quotes(self, terms: list[str], limit: int) -> list[SearchHit]:
        found = self._newest_matches("quotes", "qid", websearch_query(terms))
        return [
            SearchHit("quote", aid, qid, None, "", r) for _, r, aid, qid in self._top(found, limit)
        ]

    def _fts_counts(self, terms: list[str]) -> tuple[int, int]:
        query = websearch_query(terms)
        (row,) = self._rows(
            "SELECT (SELECT count(*) FROM articles"
            " WHERE tsv @@ websearch_to_tsquery('english', ?)),"
            " (SELECT count(*) FROM quotes WHERE tsv @@ websearch_to_tsquery('english', ?))",
            (query, query),
        )
        return int(row[0]), int(row[1])

    def _snippets(self, terms: list[str], hits: list[SearchHit]) -> None:
        query = websearch_query(terms)
        articles = {h.article_id: h for h in hits if h.type == "article"}
        for aid, head, snip in self._rows(
            "SELECT a.id, a.headline, ts_headline('english', coalesce(a.headline, '')"
            " || E'\\n\\n' || a.text, websearch_to_tsquery('english', ?), ?)"
            " FROM articles a WHERE a.id = ANY(?)",
            (query, _HEADLINE_OPTIONS, list(articles)),
        ):
            articles[aid].headline, articles[aid].snippet = head, snip
        quotes = {(h.article_id, h.quote_id): h for h in hits if h.type == "quote"}
        for aid, qid, head, snip, spk in self._rows(
            "SELECT q.article_id, q.quote_id, a.headline,"
            " ts_headline('english', q.text, websearch_to_tsquery('english', ?), ?),"
            " coalesce(p.name, q.speaker_name) FROM quotes q"
            " JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN people p ON p.person_id = q.person_id"
            " WHERE (q.article_id, q.quote_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))",
            (query, _HEADLINE_OPTIONS, [a for a, _ in quotes], [q for _, q in quotes]),
        ):
            hit = quotes[(aid, qid)]
            hit.headline, hit.snippet, hit.speaker = head, snip, spk
