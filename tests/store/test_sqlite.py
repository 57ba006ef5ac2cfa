"""SQLite-only behaviour of the store (the shared contract is test_contract.py)."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from wirescope.store.sqlite import SQLiteStore


def _open(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        SQLiteStore(path).close()
        results.put("ok")
    except Exception as exc:  # reported to the parent, which asserts on it
        results.put(f"{type(exc).__name__}: {exc}")


def test_processes_opening_one_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    # Switching a new file to WAL while another process creates its schema answered
    # "database is locked" at once (seen as a flaky two-ingests test in CI).
    ctx = multiprocessing.get_context("fork")
    for trial in range(15):
        path = str(tmp_path / f"new{trial}.db")
        barrier, results = ctx.Barrier(4), ctx.Queue()
        procs = [ctx.Process(target=_open, args=(path, barrier, results)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(60)
        answers = [results.get(timeout=5) for _ in procs]
        assert answers == ["ok"] * 4, answers
        store = SQLiteStore(path, create=False)
        try:
            assert store.schema_version() > 0
        finally:
            store.close()


def _word_store(path: Path) -> SQLiteStore:
    """Thirty articles of two quotes each, a day apart: every quote says "ceasefire"
    but one in three, and one quote says "truce"."""
    from tests.store.conftest import make_record
    from tests.store.test_contract import ingest

    records = []
    for i in range(30):
        first = "The ceasefire holds" if i % 3 else "The talks go on"
        second = "a truce is near" if i == 7 else "the ceasefire must hold"
        text = f'"{first} in day {i}," he said. "Now {second}," he added.'
        records.append(
            make_record(
                f"w{i:02d}",
                text,
                published=f"2021-03-{i + 1:02d}T10:00:00",
                quotes=[
                    {"text": f"{first} in day {i},", "speaker_text": "he"},
                    {"text": f"Now {second},", "speaker_text": "he"},
                ],
            )
        )
    store = SQLiteStore(path)
    ingest(store, records)
    return store


def _plans(store: SQLiteStore, run: Any) -> list[str]:
    """The query plans of the statements `run` makes the store execute."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        run()
    finally:
        store.conn.set_trace_callback(None)
    return [
        " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
        for sql in seen
        if sql.lstrip().upper().startswith("SELECT")
    ]


def test_a_common_words_newest_quotes_walk_the_date_index_a_rare_words_its_matches(
    tmp_path: Path,
) -> None:
    # A word in most quotes: reading all its matches off FTS and sorting them cost
    # 9 ms a page at 30,000 quotes; walking the quotes newest first stops at the page.
    store = _word_store(tmp_path / "w.db")
    try:
        for word, walks in (("ceasefire", True), ("truce", False)):
            every = store.quotes(about=word)
            assert every and [q.published for q in every] == sorted(
                (q.published for q in every), reverse=True
            )
            page: list[Any] = []
            plans = _plans(store, lambda w=word, p=page: p.extend(store.quotes(about=w, limit=3)))
            assert [(q.article_id, q.quote_id) for q in page] == [
                (q.article_id, q.quote_id) for q in every[:3]
            ]
            listing = [p for p in plans if "quotes_fts" in p and "ORDER BY" in p]
            assert listing, plans
            # The words' branch scans the quotes in date order (on the date index, or the
            # table where it is this small), or looks each match up by id and sorts.
            walked = any("CO-ROUTINE b0 | SCAN q" in p for p in listing)
            assert walked == walks, (word, listing)
    finally:
        store.close()


def test_counting_a_words_quotes_takes_their_ids_from_the_fts_index(tmp_path: Path) -> None:
    # The quotes a word matches are counted from the FTS index's rowids: each looked
    # up once (for its facets), not twice (once only to read its id back).
    store = _word_store(tmp_path / "w.db")
    try:
        stats: list[Any] = []
        plans = _plans(store, lambda: stats.append(store.quote_stats(about="ceasefire")))
        assert stats[0].total == len(store.quotes(about="ceasefire")) == 20 + 29
        grouped = [p for p in plans if "quotes_fts" in p and "GROUP BY" in p]
        assert len(grouped) == 1, plans
        assert grouped[0].count("SEARCH q USING INTEGER PRIMARY KEY") == 1, grouped
    finally:
        store.close()


def test_the_home_pages_quote_count_is_read_from_the_tally_not_counted(tmp_path: Path) -> None:
    # Counting every quote row took most of the home page at a million articles.
    store = _word_store(tmp_path / "w.db")
    try:
        plans = _plans(store, store.count)
        assert store.count()["quotes"] == len(store.quotes()) == 60
        assert not [p for p in plans if "SCAN quotes" in p or "q USING" in p], plans
    finally:
        store.close()
