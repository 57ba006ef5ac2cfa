"""What only the PostgreSQL store does (the shared behaviour is in test_contract.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from tests.store.conftest import make_record
from wirescope.store.base import ArticleKey, Store
from wirescope.store.postgres import PostgresStore


@pytest.mark.parametrize("open_fresh", ["postgres"], indirect=True)
def test_search_vectors_are_kept_in_the_row(open_fresh: Callable[[], Store]) -> None:
    store = open_fresh()
    assert isinstance(store, PostgresStore)
    row = store.conn.execute(
        "SELECT attstorage FROM pg_attribute"
        " WHERE attrelid = 'articles'::regclass AND attname = 'tsv'"
    ).fetchone()
    assert row == ("m",)  # MAIN: ranking reads it without TOAST lookups


@pytest.mark.parametrize("open_fresh", ["postgres"], indirect=True)
def test_search_ranks_the_newest_matches_found_window_by_window(
    open_fresh: Callable[[], Store],
) -> None:
    # Search ranks the newest `search_candidates` matches, looked for in date windows
    # newest first (docs/scale.md): whatever the windows, the hits are the same, and
    # they are the newest matches, undated ones last.
    store = open_fresh()
    assert isinstance(store, PostgresStore)
    records = []
    for i in range(60):
        # Dates spread over two years, some on the same day, every seventh undated;
        # every third article says "drought" (twice in some, so ranks differ).
        day = date(2020, 1, 1) + timedelta(days=(i * 13) % 700)
        words = "drought " * (1 + i % 4) if i % 3 == 0 else "rain "
        text = f'Officials spoke. "The {words}hurts farmers {i}," said Ali Karimi.'
        records.append(
            make_record(
                f"w{i:02}",
                text,
                headline=f"Report {i}",
                published=None if i % 7 == 0 else f"{day.isoformat()}T{i % 24:02}:00:00",
                quotes=[{"text": f"The {words}hurts farmers {i},"}],
            )
        )
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in records], [])
    store.conn.execute("ANALYZE articles")
    store.conn.execute("ANALYZE quotes")
    matching = [r for r in records if "drought" in r.text]
    dated = sorted((r for r in matching if r.published), key=lambda r: r.published, reverse=True)  # type: ignore[arg-type, return-value]
    newest_first = dated + [r for r in matching if not r.published]

    def hits(window_rows: float | None, candidates: int) -> list[tuple[str, str | None, float]]:
        store.search_window_rows, store.search_candidates = window_rows, candidates
        return [(h.article_id, h.quote_id, h.score) for h in store.search("drought", limit=100)]

    store.search_window_rows = 1
    assert len(list(store._date_windows("articles", 0))) > 5  # many windows, really
    # (Cuts between dated articles, or after all the undated: their order is a tie.)
    for candidates in (1, 3, 7, 12, len(dated), len(matching), 200):
        whole = hits(10**9, candidates)  # one window: the whole table
        # Windows of about 1 and 3 rows, and of the size the estimate of matches gives.
        assert hits(1, candidates) == hits(3, candidates) == whole, candidates
        assert hits(None, candidates) == whole, candidates
        # The ranked articles and quotes are those of the newest matching articles.
        want = {r.id for r in newest_first[:candidates]}
        assert {a for a, q, _ in whole if q is None} == want, candidates
        assert {a for a, q, _ in whole if q is not None} == want, candidates
