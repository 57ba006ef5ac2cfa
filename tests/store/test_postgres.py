"""What only the PostgreSQL store does (the shared behaviour is in test_contract.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wirescope.store.base import Store
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
