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
