"""Ingest on a Dask cluster: a real LocalCluster of 2 worker processes writing to a real
PostgreSQL gives the same store as `ingest --workers 1`, and survives a worker killed
with SIGKILL and a client killed mid-run. People rebuilt after unresolved writes in any
order are the people of an ingest in read order."""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import EXAMPLE_NAME, SHARED
from wirescope.ingest.cluster import (
    Partition,
    count_lines,
    cut_ranges,
    ingest_on_cluster,
    list_inputs,
    read_partition,
)
from wirescope.ingest.local import ingest
from wirescope.reading.read import read_paths
from wirescope.record.models import RawDocument, ReadError, Record
from wirescope.record.serialize import record_to_dict
from wirescope.store import open_store
from wirescope.store.base import ArticleKey, Store

if TYPE_CHECKING:  # the fixture's type, for readers: tests/store/conftest.py
    from tests.store.conftest import IngestProcess

FIXTURE = SHARED / "fixtures" / f"{EXAMPLE_NAME}.txt"
GGT = SHARED / "data" / "ggt_dev.jsonl"
CORPUS = [str(FIXTURE), str(GGT)]
# ggt_dev.jsonl is 600 KB: ranges of 64 KB make ten partitions of it.
SMALL = 64 * 1024

PG_ENV = "WIRESCOPE_TEST_PG"

pytestmark = pytest.mark.cluster  # starts Dask clusters: the long run (.ci/run)
needs_shared = pytest.mark.skipif(not GGT.exists(), reason="../shared/data absent")


# --- partitions (no cluster) ---------------------------------------------------------


def _items(items: Any) -> list[tuple[str, str | None, int | None, str]]:
    out = []
    for item in items:
        if isinstance(item, ReadError):
            out.append((item.path, None, None, item.reason))
        else:
            out.append((item.path, item.id, item.meta.get("line"), item.text))
    return out


def _by_ranges(path: Path, size: int) -> list[Partition]:
    (whole,) = list_inputs([str(path)])
    parts = cut_ranges(whole, size)
    line, out = 1, []
    for p in parts:  # what plan() does with counts from the workers
        out.append(Partition(p.index, p.url, p.name, p.start, p.end, line))
        line += count_lines(p) if p.end is not None else 0
    return out


def test_jsonl_byte_ranges_read_exactly_what_the_whole_file_gives(tmp_path: Path) -> None:
    lines = []
    for i in range(300):
        rec: dict[str, Any] = {"text": f"Article {i} text, said the minister. " * (i % 7 + 1)}
        if i % 3:
            rec["id"] = f"r{i}"  # the others are named by line number
        lines.append(json.dumps(rec))
        if i % 50 == 7:
            lines.append("{not json")
        if i % 60 == 11:
            lines.append("")
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parts = _by_ranges(path, 2000)
    assert len(parts) > 10
    got = [item for p in parts for _, item in read_partition(p)]
    assert _items(got) == _items(read_paths([str(path)]))
    # Positions follow the file: ascending, as the rebuild orders articles.
    positions = [pos for p in parts for pos, _ in read_partition(p)]
    assert positions == sorted(positions)


@needs_shared
def test_the_shared_dev_data_cut_in_ranges_reads_the_same() -> None:
    parts = _by_ranges(GGT, SMALL)
    assert len(parts) >= 8
    got = [item for p in parts for _, item in read_partition(p)]
    assert _items(got) == _items(read_paths([str(GGT)]))


@needs_shared
def test_listing_follows_the_order_ingest_reads_in(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for rel in ["b.txt", "a.txt", "sub/c.txt", "z.txt", ".hidden/x.txt", "notes.md"]:
        (root / rel).write_text(f"Text of {rel}, said the official.", encoding="utf-8")
    paths = [str(root), str(FIXTURE), str(tmp_path / "missing.txt"), f"file://{FIXTURE}"]
    listed = list_inputs(paths)
    read = []
    for item in read_paths(paths[:3]):
        if not read or read[-1] != item.path:
            read.append(item.path)
    assert [p.name for p in listed[:-1]] == read
    assert listed[-1].name == str(FIXTURE)  # file:// names the file as a path does
    docs = [it for p in listed for _, it in read_partition(p)]
    assert isinstance(docs[-1], RawDocument) and docs[-1].path == str(FIXTURE)
    assert any(isinstance(d, ReadError) and "no such file" in d.reason for d in docs)


# --- people rebuilt (both backends, no NLP) --------------------------------------------


def _people_records(make: Callable[..., Record]) -> list[Record]:
    """Articles whose people only resolve one way when read in order: a surname alone,
    then the full name, spelling variants, a role."""
    texts = [
        ("Rezayee spoke first.", [("p1", "Rezayee", [])]),
        ("Mohsen Rezaei said more.", [("p1", "Mohsen Rezaei", ["secretary"])]),
        (
            "Mohsen Rezayee and Ali Larijani met.",
            [("p1", "Mohsen Rezayee", []), ("p2", "Ali Larijani", ["speaker"])],
        ),
        ("Larigani replied to Rezaie.", [("p1", "Ali Larigani", []), ("p2", "Rezaie", [])]),
        ("Sergei Lavroff said nothing.", [("p1", "Sergei Lavroff", ["foreign minister"])]),
        ("Lavrov and Larijani.", [("p1", "Lavrov", []), ("p2", "Larijani", [])]),
    ]
    out = []
    for n, (text, people) in enumerate(texts):
        out.append(
            make(
                f"a{n:02d}",
                text,
                published=f"2021-03-{n + 1:02d}T10:00:00",
                people=[{"id": i, "name": nm, "roles": r, "mention": nm} for i, nm, r in people],
                quotes=[
                    {
                        "text": text.split()[-1],
                        "speaker": people[0][0],
                        "speaker_text": people[0][1].split()[-1],
                    }
                ],
            )
        )
    return out


def _state(store: Store) -> dict[str, Any]:
    return {
        "people": [asdict(p) for p in store.people()],
        "quotes": [asdict(q) for q in store.quotes()],
        "speakers": {r.id: store.speakers(r.id) for r in store.iter_records()},
        "export": list(store.export_rows("quotes")[1]),
    }


def test_rebuilt_people_are_those_of_an_ingest_in_read_order(
    open_fresh: Callable[[], Store], make: Callable[..., Record], tmp_path: Path
) -> None:
    from wirescope.store.sqlite import SQLiteStore

    records = _people_records(make)
    keyed = [(ArticleKey(f"/in/{r.id}.txt", None, (1, n)), r) for n, r in enumerate(records)]
    in_order = SQLiteStore(tmp_path / "in_order.db")
    for pair in keyed:  # one batch each, as `ingest --batch-size 1` writes them
        in_order.write_batch([pair], [])
    expected = _state(in_order)
    assert expected["people"], "people were matched"

    store = open_fresh()
    shuffled = keyed[:]
    random.Random(3).shuffle(shuffled)
    for pair in shuffled:  # workers store articles in no particular order
        store.write_unresolved([pair], [])  # type: ignore[attr-defined]
    assert store.people_stale()
    assert store.people() == []
    assert store.rebuild_people(chunk=2) == len(records)
    assert not store.people_stale()
    # As ingest_on_cluster does at its end: what the workers wrote is grouped, once.
    assert store.quotations_pending() and not store.quotations_stale()
    store.group_pending_quotations()
    assert _state(store) == expected
    assert store.rebuild_people() == len(records)  # again: the same
    assert _state(store) == expected
    in_order.close()


# --- on a LocalCluster of 2 worker processes, into PostgreSQL ------------------------


def _pg() -> str:
    dsn = os.environ.get(PG_ENV)
    if not dsn:
        pytest.skip(f"cluster tests need {PG_ENV}=postgresql://... (see .ci/postgres.sh)")
    return dsn


class Schemas:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.made: list[str] = []

    def new(self) -> str:
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
        self.made.append(schema)
        return f"{self.dsn}?options=-csearch_path%3D{schema}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            for schema in self.made:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def schemas() -> Iterator[Schemas]:
    s = Schemas(_pg())
    yield s
    s.drop()


@pytest.fixture(scope="module")
def client(schemas: Schemas) -> Iterator[Any]:
    from wirescope.ingest.cluster import connect

    c, cluster = connect("local:2")
    yield c
    c.close()
    cluster.close()


def _content(db: str) -> dict[str, Any]:
    """Everything a user can read back, and the raw rows people matching fills in."""
    import psycopg

    store = open_store(db)
    try:
        out = {
            "records": sorted(
                (record_to_dict(r) for r in store.iter_records()), key=lambda d: d["id"]
            ),
            "sources": sorted(r[1] for r in store.export_rows("articles")[1]),
            "quotes": [asdict(q) for q in store.quotes()],
            "people": [asdict(p) for p in store.people()],
            "count": store.count(),
            "failures": store.failures(),
        }
    finally:
        store.close()
    with psycopg.connect(db) as conn:
        out["quote_rows"] = conn.execute(
            "SELECT article_id, quote_id, person_id, speaker_name FROM quotes ORDER BY 1, 2"
        ).fetchall()
        out["mention_rows"] = conn.execute(
            "SELECT article_id, entity_id, name_lc, person_id, span_start FROM mentions"
            " ORDER BY 1, 2, 3, 5"
        ).fetchall()
        out["person_rows"] = conn.execute("SELECT * FROM people ORDER BY 1").fetchall()
    return out


@pytest.fixture(scope="module")
def reference(schemas: Schemas) -> dict[str, Any]:
    """The fixture and ggt_dev as `wirescope ingest --workers 1` stores them."""
    db = schemas.new()
    store = open_store(db)
    try:
        stats = ingest(CORPUS, store, workers=1)
    finally:
        store.close()
    assert (stats.articles, stats.failed) == (50, 0)
    return _content(db)


@pytest.mark.postgres
@needs_shared
def test_cluster_ingest_stores_what_one_process_does_and_rerun_adds_nothing(
    client: Any, schemas: Schemas, reference: dict[str, Any]
) -> None:
    db = schemas.new()
    stats = ingest_on_cluster(CORPUS, db, client, partition_bytes=SMALL)
    assert (stats.articles, stats.skipped, stats.failed) == (50, 0, 0)
    assert _content(db) == reference

    again = ingest_on_cluster(CORPUS, db, client, partition_bytes=SMALL)
    assert (again.articles, again.skipped, again.failed) == (0, 50, 0)
    assert _content(db) == reference


def _stored(db: str) -> int:
    import psycopg

    try:
        with psycopg.connect(db) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    except psycopg.Error:  # the schema's tables not made yet
        return 0


@pytest.mark.postgres
@needs_shared
def test_a_worker_sigkilled_mid_run_loses_and_duplicates_nothing(
    client: Any, schemas: Schemas, reference: dict[str, Any]
) -> None:
    db = schemas.new()
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["stats"] = ingest_on_cluster(
                CORPUS, db, client, partition_bytes=SMALL, batch_size=4
            )
        except BaseException as exc:  # reported by the test thread below
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 300
    while _stored(db) == 0 and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert thread.is_alive(), "the ingest finished before a worker could be killed"
    pids = client.run(os.getpid)  # worker address -> pid
    victim = sorted(pids.values())[0]
    os.kill(victim, signal.SIGKILL)
    thread.join(600)
    assert "error" not in result, result.get("error")
    stats = result["stats"]
    assert stats.failed == 0
    assert stats.articles + stats.skipped == 50
    assert _content(db) == reference
    assert victim not in client.run(os.getpid).values()  # it was really killed


@pytest.mark.postgres
@needs_shared
def test_client_killed_mid_run_then_the_same_command_finishes(
    schemas: Schemas, reference: dict[str, Any], ingest_process: type[IngestProcess]
) -> None:
    db = schemas.new()
    run = ingest_process(
        *CORPUS, "--db", db, "--cluster", "local:2", "--partition-size", str(SMALL),
        "--batch-size", "4",
    )  # fmt: skip
    first = run.kill_once_stored(lambda: _stored(db), wait_s=300)
    assert "dashboard: http://127.0.0.1:" in first
    at_kill = _stored(db)
    assert 0 < at_kill < 50
    store = open_store(db)
    try:
        assert store.people_stale()  # articles stored, people not matched yet
    finally:
        store.close()

    done = run.run(timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"ingested {50 - at_kill} articles, skipped {at_kill}, failed 0" in done.stderr
    assert _content(db) == reference


# --- what a worker costs per article (docs/scale.md, "The engine's overhead") ------


def _page_faults_of_big_allocations() -> int:
    """Minor page faults while allocating, filling and freeing 1 MiB buffers 200 times:
    a few where malloc reuses its heap, 256 a buffer where each one is mmapped."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(200):
        buf = bytearray(1 << 20)
        buf[::4096] = b"x" * 256
        del buf
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def _worker_costs(dask_worker: Any) -> dict[str, Any]:
    return {
        "profiler": "profile" in dask_worker.periodic_callbacks,
        "trim_env": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        "faults": _page_faults_of_big_allocations(),
    }


@pytest.mark.postgres
def test_local_cluster_workers_run_without_the_profiler_and_dasks_malloc_setting(
    client: Any,
) -> None:
    for costs in client.run(_worker_costs).values():
        assert costs["profiler"] is False
        assert costs["trim_env"] is None
        assert costs["faults"] < 2_000


def _tune(dask_worker: Any) -> None:
    from wirescope.ingest.cluster import _tune_worker

    _tune_worker(dask_worker)


def test_the_plugin_tunes_a_worker_started_with_dask_defaults() -> None:
    """A tcp:// cluster's workers start with Dask's defaults, out of our hands: the
    plugin's setup stops the profiler and gives malloc back its grown thresholds."""
    import logging

    from distributed import Client, LocalCluster

    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as c,  # type: ignore[no-untyped-call]
    ):
        (before,) = c.run(_worker_costs).values()
        assert before["profiler"] is True
        assert before["trim_env"] == "65536"
        assert before["faults"] > 20_000  # each 1 MiB buffer mmapped afresh
        c.run(_tune)
        (after,) = c.run(_worker_costs).values()
        assert after["profiler"] is False
        assert after["faults"] < 2_000
