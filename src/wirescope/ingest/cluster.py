"""Ingest on a Dask cluster into PostgreSQL.

The client lists the input (local paths, ``file://`` or any fsspec URL such as
``s3://``) and cuts it into partitions: one per file, or byte ranges of a large
JSONL file, cut at line ends. Each partition is one Dask task. A worker loads the
spaCy model once (PipelinePlugin), reads its own partition, skips articles stored
with the same content hash, runs the pipeline in batches and writes each batch to
PostgreSQL itself, in one transaction (dependent rows by COPY), without matching
people (SQLStore.write_unresolved). When every partition is done the client matches
people over the whole corpus in one pass (SQLStore.rebuild_people), in the order a
single-process ingest would have read the articles, so the people come out the same.

Faults: a worker that dies mid-partition has its task rerun elsewhere by the
scheduler; the batches it committed are skipped as unchanged, so nothing is lost
and nothing stored twice. A partition that keeps killing workers is run again one
article per task, and only the article that kills its worker is recorded as failed.
A client killed mid-run leaves people flagged stale; running the same command again
skips what is stored, does the rest and rebuilds people.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from wirescope.errors import StoreError
from wirescope.ingest.local import (
    WORKER_DIED,
    IngestStats,
    Progress,
    article_key,
    record_id,
    run_batch,
    sort_answers,
)
from wirescope.nlp.parse import BATCH_SIZE, batched, get_array_rules, get_nlp
from wirescope.pipeline.stages import FULL, Stages, fingerprint
from wirescope.reading.decode import SNIFF_BYTES, looks_binary, utf16_without_bom
from wirescope.reading.read import (
    DIR_EXTS,
    JSONL_EXTS,
    STDIN,
    capped_lines,
    jsonl_lines,
    read_file,
    walk,
)
from wirescope.record.models import Failure, RawDocument, ReadError
from wirescope.store.base import ArticleKey, BulkStore, Store

# JSONL files larger than this are cut into byte ranges of about this size.
PARTITION_BYTES = 8 * 1024 * 1024
# Bits of a position taken by the place in a file (line or record number).
_LINE_BITS = 32
# Attempts at writing one batch: two workers storing the same text at once collide
# on the article id, and the loser's next attempt finds it stored.
_WRITE_TRIES = 5


@dataclass(frozen=True)
class Partition:
    """One task's share of the input."""

    index: int  # the file's place in the listing: articles are ordered by it
    url: str  # what the worker opens: a local path or an fsspec URL
    name: str  # the path articles are stored under (as a single-host ingest names it)
    start: int = 0
    end: int | None = None  # a JSONL byte range [start, end); None: the whole file
    first_line: int = 1  # line number at `start`
    error: str | None = None  # a listing problem, recorded as this path's failure
    only: int | None = None  # just this item of the partition (a rerun one by one)


def _is_url(path: str) -> bool:
    return "://" in path


def _local(url: str) -> str | None:
    """The local path of a plain path or file:// URL; None for other protocols."""
    if not _is_url(url):
        return url
    if url.startswith("file://"):
        return url.removeprefix("file://")
    return None


def list_inputs(paths: Sequence[str]) -> list[Partition]:
    """Every input file, in the order `wirescope ingest` reads them (directories
    walked sorted, hidden names skipped), as one whole-file partition each."""
    out: list[Partition] = []

    def add(url: str, name: str, error: str | None = None) -> None:
        out.append(Partition(len(out), url, name, error=error))

    for p in paths:
        if p == STDIN:
            add(p, "<stdin>", "standard input cannot be read by cluster workers")
            continue
        local = _local(p)
        if local is not None:
            path = Path(local)
            if path.is_dir():
                files = list(walk(path))
                if not files:
                    exts = " ".join(sorted(DIR_EXTS))
                    add(local, local, f"no article files in directory (looked for {exts})")
                for f in files:
                    if isinstance(f, ReadError):  # a link out of the tree, not followed
                        add(f.path, f.path, f.reason)
                    else:
                        add(os.path.abspath(f), str(f))
            else:  # a missing file is reported by the worker that reads it
                add(os.path.abspath(path), str(path))
            continue
        import fsspec

        try:
            fs, root = fsspec.core.url_to_fs(p)
            protocol = p.split("://", 1)[0]
            if fs.isdir(root):
                found = sorted(
                    f
                    for f in fs.find(root)
                    if Path(f).suffix.lower() in DIR_EXTS
                    and not any(part.startswith(".") for part in Path(f).parts)
                )
                if not found:
                    add(p, p, "no article files in directory")
                for f in found:
                    add(f"{protocol}://{f}", f"{protocol}://{f}")
            else:
                add(p, p)
        except (ImportError, ValueError) as exc:  # an unknown protocol, a missing extra
            add(p, p, f"cannot open: {exc}")
        except OSError as exc:
            add(p, p, f"cannot read: {exc}")
    return out


def _open(url: str) -> Any:
    local = _local(url)
    if local is not None:
        return open(local, "rb")
    import fsspec

    return fsspec.open(url, "rb").open()


def _size(url: str) -> int:
    local = _local(url)
    if local is not None:
        return os.path.getsize(local)
    import fsspec

    fs, path = fsspec.core.url_to_fs(url)
    return int(fs.size(path))


def cut_ranges(part: Partition, size: int) -> list[Partition]:
    """A large JSONL file as byte ranges of about `size` bytes, cut after a newline;
    other files (and UTF-16 or binary JSONL, which cannot be cut on b"\\n") whole.
    first_line is left at 1: count_lines() gives the real ones."""
    if part.error or Path(part.name).suffix.lower() not in JSONL_EXTS:
        return [part]
    try:
        total = _size(part.url)
        if total <= size:
            return [part]
        cuts = [0]
        with _open(part.url) as f:
            head = f.read(SNIFF_BYTES)
            if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(
                head[: len(head) - len(head) % 2]
            ):
                return [part]
            if looks_binary(head):
                return [part]
            while cuts[-1] + size < total:
                f.seek(cuts[-1] + size)
                f.readline()
                if f.tell() >= total:
                    break
                cuts.append(f.tell())
    except OSError:
        return [part]  # the worker reports it
    cuts.append(total)
    return [replace(part, start=a, end=b) for a, b in itertools.pairwise(cuts)]


def count_lines(part: Partition) -> int:
    """Newlines in a byte range (a task: workers read their own ranges)."""
    assert part.end is not None
    with _open(part.url) as f:
        f.seek(part.start)
        left, n = part.end - part.start, 0
        while left > 0:
            chunk = f.read(min(left, 1 << 24))
            if not chunk:
                break
            n += chunk.count(b"\n")
            left -= len(chunk)
        return n


# --- worker side -------------------------------------------------------------


def _renamed(item: RawDocument | ReadError, opened: str, name: str) -> RawDocument | ReadError:
    if opened == name or not item.path.startswith(opened):
        return item
    return replace(item, path=name + item.path[len(opened) :])


def read_partition(part: Partition) -> Iterator[tuple[int, RawDocument | ReadError]]:
    """(position, item) of a partition, position = file index and line (or record)."""
    base = part.index << _LINE_BITS
    if part.error:
        yield base, ReadError(part.name, part.error)
        return
    if part.end is not None:
        with _open(part.url) as f:
            f.seek(part.start)
            data = f.read(part.end - part.start)
        lines = capped_lines(io.BytesIO(data), first=part.first_line)
        for item in jsonl_lines(lines, part.name):
            line = item.meta["line"] if isinstance(item, RawDocument) else _line_of(item)
            yield base + line, item
        return
    local = _local(part.url)
    tmp: str | None = None
    try:
        if local is None:  # a remote file: fetched whole, read like a local one
            tmp = tempfile.mkdtemp(prefix="wirescope-")
            local = os.path.join(tmp, "input" + Path(part.name).suffix)
            with _open(part.url) as src, open(local, "wb") as dst:
                shutil.copyfileobj(src, dst)
        for k, item in enumerate(read_file(Path(local))):
            item = _renamed(item, local, part.name)
            line = item.meta.get("line", k) if isinstance(item, RawDocument) else k
            yield base + int(line), item
    except OSError as exc:
        yield base, ReadError(part.name, f"cannot read: {exc}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def _line_of(error: ReadError) -> int:
    tail = error.path.rsplit(":line ", 1)
    return int(tail[1]) if len(tail) == 2 and tail[1].isdigit() else 0


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def _store(db: str) -> Store:
    """This worker's connection to the database (one per process, kept)."""
    with _stores_lock:
        if db not in _stores:
            from wirescope.store import open_store

            _stores[db] = open_store(db)
        return _stores[db]


def _close_stores() -> None:
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


# Dask defaults that cost this CPU-bound pipeline per article, not per task (measured
# beside ingest's process pool, docs/scale.md "The engine's overhead"):
# - the nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536, which also pins
#   glibc's mmap threshold at 128 KiB, so every large array spaCy allocates is mmapped,
#   zeroed and unmapped again: 40x the page faults, 15 % more worker CPU. run_batch
#   hands freed memory back after each batch (release_free_memory) instead.
# - the worker's statistical profiler walks the running task's stack every 10 ms and
#   merges it into a tree: another 10-15 % of worker CPU on spaCy's deep stacks.
WORKER_CONFIG: dict[str, Any] = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.worker.profile.enabled": False,
}
# glibc mallopt parameters, and what it uses when no one sets them: an mmap threshold
# that grows up to 32 MiB (on 64 bits) and a trim threshold twice that.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD_MAX = 32 << 20


def _restore_malloc() -> None:
    """Undo MALLOC_TRIM_THRESHOLD_ in a worker that a nanny of someone else's cluster
    started with it (glibc reads it once, at start): set both thresholds explicitly to
    what they grow to when nothing is set."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc: nothing to undo
        return
    mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_MAX)
    mallopt(_M_TRIM_THRESHOLD, 2 * _MMAP_THRESHOLD_MAX)


def _tune_worker(worker: Any) -> None:
    """WORKER_CONFIG for a worker already started (a tcp:// cluster's): stop its
    profiler (the dashboard's profile page stays empty) and restore malloc."""
    for name in ("profile", "profile-cycle"):
        callback = getattr(worker, "periodic_callbacks", {}).pop(name, None)
        if callback is not None:
            callback.stop()
    if "MALLOC_TRIM_THRESHOLD_" in os.environ:
        _restore_malloc()


class PipelinePlugin(WorkerPlugin):
    """Loads the spaCy model once per worker, before its first task (a Dask worker
    plugin: setup runs on every worker, present and future), and turns off what
    costs per article there (WORKER_CONFIG)."""

    name = "wirescope-pipeline"

    def setup(self, worker: Any) -> None:
        _tune_worker(worker)
        get_nlp()
        get_array_rules()

    def teardown(self, worker: Any) -> None:
        _close_stores()


@dataclass
class PartitionStats:
    articles: int = 0
    skipped: int = 0
    failed: int = 0
    words: int = 0
    items: list[tuple[str, str | None]] | None = None  # listed only


def _write(
    store: Store,
    records: list[Any],
    failures: list[Failure],
    made_by: str | None = None,
    texts: list[str] | None = None,
) -> None:
    if not isinstance(store, BulkStore):
        raise StoreError(f"a cluster ingest needs a store that writes in bulk, not {store!r}")
    for attempt in range(_WRITE_TRIES):
        try:
            store.write_unresolved(records, failures, fingerprint=made_by, record_json=texts)
            return
        except Exception as exc:
            # Unique violation: another worker stored the same text meanwhile.
            if "unique" not in str(exc).lower() or attempt == _WRITE_TRIES - 1:
                raise


def run_partition(
    part: Partition,
    db: str,
    run: int,
    batch_size: int = BATCH_SIZE,
    stages: Stages = FULL,
    published: str | None = None,
) -> dict[str, Any]:
    """A task: read, skip what is stored (the same text made by the same extractor and
    stages), process and store one partition. published: as `ingest --published`."""
    store = _store(db)
    made_by = fingerprint(stages)
    stats = PartitionStats()
    pending: list[Failure] = []  # read errors, written with the next batch
    seen: set[str] = set()
    items = read_partition(part)
    if part.only is not None:
        items = (it for k, it in enumerate(items) if k == part.only)
    for chunk in batched(items, batch_size):
        keyed: list[tuple[ArticleKey, str, RawDocument]] = []
        for pos, item in chunk:
            if isinstance(item, ReadError):
                pending.append(Failure(item.path, f"read failed: {item.reason}"))
                continue
            if published:  # where the article states none (reading.read.with_published)
                item.meta.setdefault("published", published)
            keyed.append((article_key(item, (run, pos)), record_id(item), item))
        stored = store.hashes_for((key.as_str() for key, _, _ in keyed), made_by)
        new = []
        for key, cid, raw in keyed:
            name = key.as_str()
            if stored.get(name) == cid or name in seen:
                stats.skipped += 1
                continue
            seen.add(name)
            new.append((key, raw))
        if not new and not pending:
            continue
        payloads = run_batch([raw for _, raw in new], stages) if new else []
        answers = sort_answers([key for key, _ in new], payloads)
        failures = pending + answers.failures
        _write(store, answers.records, failures, made_by, answers.texts)
        pending = []
        stats.articles += len(answers.records)
        stats.failed += len(failures)
        stats.words += sum(len(rec.text.split()) for _, rec in answers.records)
    if pending:
        _write(store, [], pending)
        stats.failed += len(pending)
    return asdict(stats)


def list_partition(part: Partition) -> dict[str, Any]:
    """A task: the (path, input id) of each item of a partition, for a one-by-one rerun."""
    items = [
        (it.path, it.id if isinstance(it, RawDocument) else None) for _, it in read_partition(part)
    ]
    return asdict(PartitionStats(items=items))


# --- client side -------------------------------------------------------------


def connect(spec: str) -> tuple[Any, Any]:
    """A dask Client for `local[:N]` (a LocalCluster of N worker processes on
    127.0.0.1, one thread each) or a scheduler address (tcp://host:8786)."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    if spec == "local" or spec.startswith("local:"):
        n_text = spec.partition(":")[2]
        if n_text and not (n_text.isdigit() and int(n_text) > 0):
            raise StoreError(f"--cluster local:N needs a positive N, got {spec!r}")
        n = int(n_text) if n_text else os.cpu_count() or 1
        with dask.config.set(WORKER_CONFIG):  # read by the nannies as they start
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
            )
        return Client(cluster), cluster  # type: ignore[no-untyped-call]
    try:
        return Client(spec, timeout=30), None  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise StoreError(f"cannot reach the Dask scheduler at {spec}: {exc}") from exc


def plan(client: Any, paths: Sequence[str], size: int) -> list[Partition]:
    """The partitions of the input, line numbers of JSONL ranges counted on the cluster."""
    parts = [r for p in list_inputs(paths) for r in cut_ranges(p, size)]
    ranges = [p for p in parts if p.end is not None and p.start > 0]
    if not ranges:
        return parts
    counts = dict(
        zip(
            [(p.index, p.start) for p in parts if p.end is not None],
            client.gather(client.map(count_lines, [p for p in parts if p.end is not None])),
            strict=True,
        )
    )
    out: list[Partition] = []
    line = 1
    for p in parts:
        if p.end is not None:
            if p.start == 0:
                line = 1
            out.append(replace(p, first_line=line))
            line += counts[(p.index, p.start)]
        else:
            out.append(p)
    return out


def ingest_on_cluster(
    paths: Sequence[str],
    db: str,
    client: Any,
    batch_size: int = BATCH_SIZE,
    partition_bytes: int = PARTITION_BYTES,
    progress: Progress | None = None,
    rebuild_progress: Callable[[int], None] | None = None,
    stages: Stages = FULL,
    published: str | None = None,
) -> IngestStats:
    """Run the ingest of `paths` into `db` on the cluster `client` is connected to."""
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    from wirescope.store import is_postgres_url, open_store

    if not is_postgres_url(db):
        raise StoreError("a cluster ingest writes to PostgreSQL: --db must be postgresql://...")
    store = open_store(db)  # migrates the schema once, before any worker connects
    try:
        inputs = [p if _is_url(p) or p == STDIN else os.path.abspath(p) for p in paths]
        run = store.ingest_run(json.dumps(["cluster", inputs]))
        client.register_plugin(PipelinePlugin())
        stats = IngestStats()
        parts = plan(client, paths, partition_bytes)
        stats.files = len({p.index for p in parts})
        task = {
            "db": db,
            "run": run,
            "batch_size": batch_size,
            "stages": stages,
            "published": published,
        }
        futures = client.map(run_partition, parts, **task, pure=False, retries=1)
        part_of = {f.key: p for f, p in zip(futures, parts, strict=True)}
        todo = as_completed(futures)  # type: ignore[no-untyped-call]
        listed: Listing = {}  # partitions re-run one article per task, listed once
        for fut in todo:
            part = part_of[fut.key]
            try:
                counts = fut.result()
            except KilledWorker:
                if part.only is not None:  # this article kills its worker: it fails alone
                    _, input_id = _items(client, part, listed)[part.only]
                    store.write_batch([], [Failure(part.name, WORKER_DIED, input_id)])
                    counts = {"failed": 1}
                else:  # again one article per task, to find the one that kills
                    singles = [
                        replace(part, only=k) for k in range(len(_items(client, part, listed)))
                    ]
                    more = client.map(run_partition, singles, **task, pure=False, retries=1)
                    part_of.update({f.key: p for f, p in zip(more, singles, strict=True)})
                    todo.update(more)  # type: ignore[no-untyped-call]
                    continue
            except FutureCancelledError:
                raise
            except Exception as exc:  # the task failed twice: its articles are not stored
                reason = f"partition failed: {type(exc).__name__}: {exc}"
                store.write_batch([], [Failure(part.name, reason)])
                counts = {"failed": 1}
            stats.articles += counts.get("articles", 0)
            stats.skipped += counts.get("skipped", 0)
            stats.failed += counts.get("failed", 0)
            stats.words += counts.get("words", 0)
            stats.tick()
            if progress:
                progress(stats)
        if store.people_stale():
            store.rebuild_people(progress=rebuild_progress)
        # Workers wrote unresolved: their articles are grouped here, once (all of them
        # again only where one replaced an article).
        if store.quotations_stale():
            store.rebuild_quotations()
        elif store.quotations_pending():
            store.group_pending_quotations()
        stats.tick()
        if progress:
            progress(stats)
        return stats
    finally:
        store.close()


Listing = dict[Partition, list[tuple[str, str | None]]]


def _items(client: Any, part: Partition, listed: Listing) -> list[tuple[str, str | None]]:
    """The items of `part`'s whole partition, listed once per run (`listed` is the run's)."""
    whole = replace(part, only=None)
    if whole not in listed:
        answer = client.submit(list_partition, whole, pure=False).result()
        listed[whole] = [tuple(x) for x in answer["items"]]
    return listed[whole]
