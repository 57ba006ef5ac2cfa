"""Fixtures for the store contract suite: one `store` fixture per backend.

PostgreSQL runs only where WIRESCOPE_TEST_PG names a server (`.ci/run` sets it;
locally: eval "$(.ci/postgres.sh)"). Every test gets a fresh database: a new
SQLite file, or a new PostgreSQL schema dropped afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from wirescope.record.models import Cue, Dateline, Entity, Quote, Record, SpeakerRef
from wirescope.store.base import Store

PG_ENV = "WIRESCOPE_TEST_PG"
REPO = Path(__file__).resolve().parents[2]

Opener = Callable[[], Store]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def open_fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """A function that opens (or re-opens) this test's own fresh store; its `db` is
    the same store as open_store() takes it, for other processes."""
    opened: list[Store] = []
    if request.param == "sqlite":
        from wirescope.store.sqlite import SQLiteStore

        def opener() -> Store:
            opened.append(SQLiteStore(tmp_path / "corpus.db"))
            return opened[-1]

        opener.db = str(tmp_path / "corpus.db")  # type: ignore[attr-defined]
        yield opener
    else:
        dsn = os.environ.get(PG_ENV)
        if not dsn:
            pytest.skip(f"PostgreSQL tests need {PG_ENV}=postgresql://... (see .ci/postgres.sh)")
        import psycopg

        from wirescope.store.postgres import PostgresStore

        schema = f"t_{uuid.uuid4().hex[:12]}"

        def opener() -> Store:
            opened.append(PostgresStore(dsn, schema=schema))
            return opened[-1]

        # For other processes (open_store); the schema exists once opener() has run.
        opener.db = f"{dsn}?options=-csearch_path%3D{schema}"  # type: ignore[attr-defined]
        yield opener
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]
    for store in opened:
        store.close()


@pytest.fixture
def store(open_fresh: Opener) -> Store:
    return open_fresh()


def make_record(
    rid: str,
    text: str,
    *,
    headline: str = "Headline",
    published: str | None = "2021-03-01T16:17:00",
    quotes: list[dict[str, Any]] | None = None,
    people: list[dict[str, Any]] | None = None,
    places: list[dict[str, Any]] | None = None,
    path: str | None = None,
) -> Record:
    """A Record built by hand: quotes are found in `text` by their text.

    quotes: {"text", "kind", "speaker": entity id or None, "speaker_text"}
    people: {"id", "name", "roles", "mention": text to find in `text`}
    """
    entities: list[Entity] = []
    for p in people or []:
        mention = p.get("mention", p["name"])
        start = text.find(mention)
        entities.append(
            Entity(
                id=p["id"],
                type="PERSON",
                name=p["name"],
                roles=list(p.get("roles", [])),
                mentions=[(start, start + len(mention))] if start >= 0 else [],
            )
        )
    for g in places or []:
        start = text.find(g["mention"])
        entities.append(
            Entity(
                id=g["id"],
                type="PLACE",
                name=g["name"],
                aliases=list(g.get("aliases", [])),
                country=g.get("country"),
                lat=g.get("lat"),
                lon=g.get("lon"),
                geonames_id=g.get("geonames_id"),
                mentions=[(start, start + len(g["mention"]))],
            )
        )
    qs = []
    for i, q in enumerate(quotes or [], 1):
        start = text.index(q["text"])
        spk = None
        if q.get("speaker") or q.get("speaker_text"):
            stext = q.get("speaker_text") or "he"
            s0 = max(text.find(stext, start), 0)
            ent = next((e for e in entities if e.id == q.get("speaker")), None)
            spk = SpeakerRef(
                span=(s0, s0 + len(stext)),
                text=stext,
                mention_type="name" if stext != "he" else "pronoun",
                entity=ent.id if ent else None,
                name=ent.name if ent else None,
            )
            if ent:
                ent.quotes.append(f"q{i}")
        qs.append(
            Quote(
                id=f"q{i}",
                span=(start, start + len(q["text"])),
                text=q["text"],
                kind=q.get("kind", "direct"),
                cue=Cue((0, 4), "said", "say"),
                speaker=spk,
                confidence=0.9,
            )
        )
    return Record(
        id=rid,
        source={"path": path or f"/corpus/{rid}.txt", "format": "text"},
        text=text,
        headline=headline,
        published=datetime.fromisoformat(published) if published else None,
        updated=None,
        dateline=Dateline("Tehran", "FNA", "Fars News Agency", (0, 6)),
        quotes=qs,
        entities=entities,
    )


@pytest.fixture
def make() -> Callable[..., Record]:
    return make_record


@pytest.fixture
def downgrade() -> Callable[[Store, int], None]:
    """Roll a store's schema back to `version` (for migration tests): drops what the
    later migrations created and records the old version."""

    def run(store: Store, version: int) -> None:
        from wirescope.store.postgres import PostgresStore
        from wirescope.store.sqlite import SQLiteStore

        sqlite = isinstance(store, SQLiteStore)
        assert sqlite or isinstance(store, PostgresStore)
        # Later steps not undone here (PostgreSQL's 4, storage of tsv) just run again.
        assert version >= 2, "only the steps to 3, fingerprints, ingest order and dates"
        drops = []
        if version < store.COUNTS_VERSION:  # stored counts, places' GeoNames ids
            drops += [
                "DROP TABLE quote_tally",
                "DROP INDEX places_geonames",
                "ALTER TABLE places DROP COLUMN geonames_id",
                "DROP INDEX people_ranked",
                "DROP INDEX quotes_agency",
            ] + [
                f"ALTER TABLE people DROP COLUMN {c}"
                for c in ("n_quotes", "n_articles", "first_published", "last_published")
            ]
            drops.append("ALTER TABLE quotes DROP COLUMN agency")
        if version < store.EVENTS_VERSION:  # the events tables
            drops += ["DROP TABLE event_roles", "DROP TABLE events"]
        if version < (7 if sqlite else 11):  # quotations and stories
            drops += [
                f"DROP TABLE {t}"
                for t in ("quotations", "quote_bands", "quote_groups", "story_bands", "stories")
            ]
        if version < (6 if sqlite else 9):  # dates on quotes and mentions, their indexes
            drops += [
                "DROP INDEX quotes_published",
                "DROP INDEX mentions_quoted_name",
                "DROP INDEX mentions_quoted_person",
                "DROP INDEX quotes_person",
                "DROP INDEX quotes_speaker_text",
                "CREATE INDEX quotes_person ON quotes (person_id)",
                "CREATE INDEX quotes_speaker_text ON quotes (lower(speaker_text))",
                "CREATE INDEX mentions_name ON mentions (name_lc)",
                "CREATE INDEX mentions_person ON mentions (person_id)",
                "ALTER TABLE quotes DROP COLUMN published",
                "ALTER TABLE mentions DROP COLUMN published",
                "ALTER TABLE mentions DROP COLUMN in_quote",
            ]
        if not sqlite and version < 8:  # PostgreSQL's index of ids in code point order
            drops.append("DROP INDEX articles_id_c")
        if version < (5 if sqlite else 7):  # the ingest order
            drops += [
                "DROP INDEX articles_ingest_order",
                "DROP TABLE ingest_runs",
                "DROP TABLE store_state",
                "ALTER TABLE articles DROP COLUMN ingest_run",
                "ALTER TABLE articles DROP COLUMN ingest_pos",
            ]
            if not sqlite:
                drops.append("ALTER TABLE articles DROP COLUMN seq")
        if version < (4 if sqlite else 5):
            drops.append("ALTER TABLE articles DROP COLUMN fingerprint")
        if version < 3:
            drops += ["DROP TABLE source_aliases", "DROP TABLE person_keys"]
        if isinstance(store, SQLiteStore):
            for stmt in drops:
                store.conn.execute(stmt)
            store.conn.execute(f"PRAGMA user_version = {version}")
        else:
            assert isinstance(store, PostgresStore)
            for stmt in drops:
                store.conn.execute(stmt.encode())
            store.conn.execute("DELETE FROM schema_version WHERE version > %s", (version,))

    return run


class IngestProcess:
    """`wirescope ingest ARGS` as a child process, run from this checkout's sources."""

    def __init__(self, *args: str) -> None:
        self.cmd = [sys.executable, "-m", "wirescope", "ingest", *args]
        self.env = {**os.environ, "PYTHONPATH": str(REPO / "src")}

    def run(self, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.cmd, env=self.env, capture_output=True, text=True, timeout=timeout
        )

    def kill_once_stored(self, stored: Callable[[], int], wait_s: float) -> str:
        """Start it, kill -9 it as soon as `stored()` counts an article, and return
        what it wrote to stderr. It runs in its own session, so killing the group
        takes its workers (processes or a local Dask cluster) with it."""
        proc = subprocess.Popen(
            self.cmd,
            env=self.env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait_s
        while stored() == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        assert proc.stderr is not None
        with proc.stderr:
            return proc.stderr.read().decode()


@pytest.fixture
def ingest_process() -> type[IngestProcess]:
    return IngestProcess
