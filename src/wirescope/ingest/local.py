"""Ingest: stream files through the pipeline on N processes into a Store.

The parent reads files (cheap), skips articles the store already holds with the
same content hash made by the same extractor (the fingerprint of record.stages;
asked per batch), and sends batches of RawDocuments to worker processes; the workers
return records as JSON text, stored as is, and failures, and the parent alone writes
to the store, one transaction per batch. Killing the process at any moment
therefore loses at most the batches in flight, and re-running finishes the job.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import multiprocessing
import os
import re
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache, partial

from wirescope.nlp.parse import BATCH_SIZE, batched, get_array_rules, get_nlp
from wirescope.pipeline.build import ARTICLE_TIMEOUT, content_id, process, read_failure
from wirescope.pipeline.stages import FULL, Stages, fingerprint
from wirescope.reading.cleanup import clean_page
from wirescope.reading.read import STDIN_NAME, document_warnings, read_paths, with_published
from wirescope.reading.safetext import printable
from wirescope.record.models import Failure, RawDocument, ReadError, Record
from wirescope.record.serialize import record_from_dict, record_to_dict
from wirescope.store.base import ArticleKey, Store

log = logging.getLogger(__name__)  # the CLI prints warnings as one line each

# A worker's answer per document: the record as JSON text, or (path, reason, input_id).
# Text, not the dict: a batch's answers wait in the parent while others are written,
# and one str is several times smaller than the nested dicts and lists it encodes.
Payload = str | tuple[str, str, str | None]
BatchFn = Callable[[list[RawDocument]], list[Payload]]
InFlight = tuple[list[ArticleKey], list[RawDocument], Future[list[Payload]]]

# Seconds a worker may spend on one batch (32 articles take seconds; a 5 MB text
# takes minutes): past this it is taken as hung.
BATCH_TIMEOUT = 600.0

WORKER_DIED = "its worker process died (a crash, or killed for lack of memory)"

# Batches each worker runs before the pool is replaced by a fresh one (the last
# ones drained first, nothing killed). A worker's heap only ever grows, by
# fragmentation, with every batch it runs; a bounded life keeps its peak the same
# for a corpus of any size. Not max_tasks_per_child: it deadlocks on Python 3.11
# (cpython gh-115634). Costs a model load per worker every few minutes, about 2 %.
WORKER_BATCHES = 32

# Batches queued per worker: enough to keep every worker busy while the parent
# writes, few enough that memory stays flat however large the corpus.
IN_FLIGHT_PER_WORKER = 2


# Memory one worker process holds at its peak: the spaCy model, a batch's texts, Docs
# and records (docs/scale.md: about 235 MB each, with room for a long article).
WORKER_MB = 500


def worker_cap() -> tuple[int, str]:
    """(the most worker processes this machine can hold, why): one per core, and no
    more than the memory available now holds at WORKER_MB each."""
    cores = os.cpu_count() or 1
    avail = _available_mb()
    if avail is None:
        return cores, f"{cores} cores"
    by_memory = max(1, avail // WORKER_MB)
    why = f"{cores} cores, {avail:,} MB of memory available at about {WORKER_MB} MB a worker"
    return min(cores, by_memory), why


def _available_mb() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return None


@dataclass
class IngestStats:
    files: int = 0  # sources read (a JSONL file counts once)
    articles: int = 0  # records written
    skipped: int = 0  # unchanged since a previous ingest
    failed: int = 0  # read, parse or extract failures recorded
    words: int = 0  # whitespace-separated words in the articles written
    seconds: float = 0.0
    _start: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def rate(self) -> float:
        """Articles written per second."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def tick(self) -> None:
        self.seconds = time.perf_counter() - self._start

    def summary(self) -> str:
        return (
            f"ingested {self.articles} articles, skipped {self.skipped}, "
            f"failed {self.failed} in {self.seconds:.1f} s ({self.rate:.1f} articles/s)"
        )


Progress = Callable[[IngestStats], None]


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to call
        return None
    return trim


def release_free_memory() -> None:
    """Hand freed heap pages back to the OS.

    Each batch makes large transients of varying size (texts, payloads, records,
    query rows). glibc keeps freed pages in its arenas, fragmented, so a process's
    RSS crept up with the number of batches though its live memory did not
    (tracemalloc: flat). Called once per batch: it costs about a millisecond.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


# --- worker side -------------------------------------------------------------


def _init_worker(parent: int | None = None) -> None:
    """Load the spaCy model once per worker process, before any batch arrives; and
    make the worker die with `parent`, the ingest process, however that ends."""
    if parent is not None:
        die_with_parent(parent)
    get_nlp()
    get_array_rules()


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """End this process when `parent` ends, even by SIGKILL (no cleanup runs there).

    Two guards. PR_SET_PDEATHSIG (Linux) kills this process the moment the process
    that forked it dies: with forkserver that is the fork server, not ingest. So a
    daemon thread also waits on a pidfd of the ingest process (readable once it
    has exited, zombie or not), or polls for it where there is no pidfd, and then
    exits at once. Left alone, two workers (about 470 MB) ran on for over a minute
    after a kill -9 or SIGTERM of ingest.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    try:
        fd = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)  # already gone
    except (AttributeError, OSError):  # no pidfd (not Linux 5.3+): poll
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass  # alive, owned by another user
            if os.getppid() == 1:
                os._exit(1)
    select.select([fd], [], [])
    os._exit(1)


def run_batch(
    batch: list[RawDocument], stages: Stages = FULL, article_timeout: float | None = ARTICLE_TIMEOUT
) -> list[Payload]:
    """Process one batch; failures stay per article even if nlp.pipe itself raises.

    In a spaCy memory zone: the strings and lexemes of words first seen in this
    batch are freed after it, so a worker's memory does not grow with the
    vocabulary of the corpus. Nothing of spaCy's leaves the zone: payloads are text.
    """
    with get_nlp().memory_zone():
        try:
            results = list(
                process(
                    batch, batch_size=len(batch), stages=stages, article_timeout=article_timeout
                )
            )
        except Exception:  # retry one by one so one document cannot sink the batch
            results = []
            for raw in batch:
                try:
                    results.extend(process([raw], stages=stages, article_timeout=article_timeout))
                except Exception as exc:  # reported per article, like process() does
                    reason = f"nlp failed: {type(exc).__name__}: {exc}"
                    results.append(Failure(raw.path, reason, raw.id))
        payloads: list[Payload] = [
            json.dumps(record_to_dict(r), ensure_ascii=False)
            if isinstance(r, Record)
            else (r.path, r.reason, r.input_id)
            for r in results
        ]
        del results  # the Docs' memory, before handing it back
    release_free_memory()
    return payloads


# --- parent side -------------------------------------------------------------


def record_id(raw: RawDocument) -> str:
    """The id the record of `raw` gets: the hash of its text once page junk is blanked
    (reading.article.parse_article), so that a re-run finds the article stored."""
    return content_id(clean_page(raw.text))


def article_key(raw: RawDocument, order: tuple[int, int] | None = None) -> ArticleKey:
    """The key an article is stored under; JSONL records without an id go by line.
    order: (ingest run, position in its input), for rebuilding people in read order.

    Stdin has no name, so what comes from it without an id goes by its content:
    `ingest - < a.txt` then `< b.txt` keeps both (one key "<stdin>" kept only b).
    """
    input_id = raw.id
    if input_id is not None and _DERIVED_KEY.match(input_id):
        # An id that reads like a derived key ("line2", "content:...") is told apart
        # from it: an id-less record on line 2 and a record with id "line2" are two
        # articles, and one key for both made the store drop one mid-batch.
        input_id = f"id:{input_id}"
    elif input_id is None and raw.path == STDIN_NAME:
        input_id = f"content:{content_id(raw.text)}"
    elif input_id is None and "line" in raw.meta:
        input_id = f"line{raw.meta['line']}"
    return ArticleKey(raw.path, input_id, order)


# Keys made for articles without an id, and the prefix that marks an id like them.
_DERIVED_KEY = re.compile(r"line\d+\Z|content:|id:")


@dataclass
class Answers:
    """A batch's answers sorted for Store.write_batch: records with their JSON text
    exactly as the worker wrote it (stored as is), and failures."""

    records: list[tuple[ArticleKey, Record]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def sort_answers(keys: list[ArticleKey], payloads: list[Payload]) -> Answers:
    out = Answers()
    # process() answers once per document, in order, so answers line up with keys.
    for key, p in zip(keys, payloads, strict=True):
        if isinstance(p, str):
            out.records.append((key, record_from_dict(json.loads(p))))
            out.texts.append(p)
        else:
            out.failures.append(Failure(*p))
    return out


Batch = tuple[list[ArticleKey], list[RawDocument]]


class _Batcher:
    """Turns read_paths output into batches of new or changed documents.

    Stored content hashes are looked up per chunk of documents (Store.hashes_for),
    never held for the whole corpus. Read errors and skips are counted here; read
    errors wait in `failures` to be written with the next batch, so they share its
    transaction.
    """

    def __init__(
        self,
        items: Iterable[RawDocument | ReadError],
        store: Store,
        made_by: str,
        run: int | None = None,
    ) -> None:
        """made_by: the fingerprint of this run; a stored record another one made is
        extracted again. run: Store.ingest_run's number, recorded with each article."""
        self.items = items
        self.store = store
        self.made_by = made_by
        self.run = run
        self.failures: list[Failure] = []
        self.stats = IngestStats()
        # Documents sent to the pipeline but not yet written: key -> content hash, so
        # the same article twice in one run is processed once (bounded by the batches
        # in flight; written ones are found by hashes_for).
        self.in_flight: dict[str, str] = {}
        self._last_path: str | None = None

    def _docs(self) -> Iterator[tuple[int, RawDocument]]:
        for pos, item in enumerate(self.items):
            source = (item.source if isinstance(item, ReadError) else None) or item.path
            if source != self._last_path:  # one bad record of a JSONL file is no new file
                self._last_path = source
                self.stats.files += 1
            if isinstance(item, ReadError):
                self.failures.append(read_failure(item))
                continue
            for note in document_warnings(item):
                where = item.path + (f"#{item.id}" if item.id else "")
                log.warning("%s: %s", printable(where), note)
            yield pos, item

    def _new_docs(self, lookup: int) -> Iterator[tuple[ArticleKey, RawDocument]]:
        for chunk in batched(self._docs(), lookup):
            named = [
                (
                    article_key(raw, None if self.run is None else (self.run, pos)),
                    record_id(raw),
                    raw,
                )
                for pos, raw in chunk
            ]
            stored = self.store.hashes_for((key.as_str() for key, _, _ in named), self.made_by)
            for key, cid, raw in named:
                name = key.as_str()
                if cid in (stored.get(name), self.in_flight.get(name)):
                    self.stats.skipped += 1
                    continue
                if name in self.in_flight:
                    # Another text under the same key is still on its way to the store:
                    # writing both in one batch would replace the first mid-write.
                    reason = "read failed: another article of this run has the same key"
                    self.failures.append(Failure(raw.path, reason, key.input_id))
                    continue
                self.in_flight[name] = cid
                yield key, raw

    def batches(self, size: int) -> Iterator[Batch]:
        for batch in batched(self._new_docs(size), size):
            keys, raws = zip(*batch, strict=True)
            yield list(keys), list(raws)

    def written(self, keys: Iterable[ArticleKey]) -> None:
        for key in keys:
            self.in_flight.pop(key.as_str(), None)

    def take_failures(self) -> list[Failure]:
        out, self.failures = self.failures, []
        return out


Done = tuple[list[ArticleKey], list[Payload]]


def _in_process(batches: Iterator[Batch], batch_fn: BatchFn) -> Iterator[Done]:
    for keys, raws in batches:
        yield keys, batch_fn(raws)


class _Pool:
    """A ProcessPoolExecutor that can start over.

    A batch past its timeout means a hung worker, and an executor cannot stop one
    task, so restart() kills all its workers and opens a fresh executor.
    """

    def __init__(self, workers: int, batch_fn: BatchFn) -> None:
        # forkserver: workers start from a clean single-threaded process (fork is unsafe
        # with threads, spawn re-imports everything per worker); preloading the pipeline
        # module there makes each worker's start cheap (2 workers ready in 2.3 s vs 4.4 s
        # with spawn, model load included, on the 2-core dev box).
        self.ctx = multiprocessing.get_context("forkserver")
        self.ctx.set_forkserver_preload(["wirescope.pipeline.build"])
        self.workers = workers
        self.batch_fn = batch_fn
        self.executor = self._open()

    def _open(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers, mp_context=self.ctx, initializer=_init_worker, initargs=(os.getpid(),)
        )

    def submit(self, raws: list[RawDocument]) -> Future[list[Payload]]:
        return self.executor.submit(self.batch_fn, raws)

    def restart(self) -> None:
        self.kill()
        self.executor = self._open()

    def kill(self) -> None:
        """End every worker now, whatever it is doing."""
        # No public way to kill an executor's workers before Python 3.14
        # (terminate_workers); _processes is the pid -> Process map it keeps.
        procs = list(getattr(self.executor, "_processes", {}).values())
        for proc in procs:
            proc.kill()
        self.executor.shutdown(wait=True, cancel_futures=True)
        for proc in procs:
            proc.join(5)

    def recycle(self) -> None:
        """Fresh workers, once every batch submitted has been answered."""
        self.executor.shutdown(wait=True)
        self.executor = self._open()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _pool(
    batches: Iterator[Batch],
    workers: int,
    timeout: float | None,
    batch_fn: BatchFn,
    worker_batches: int = WORKER_BATCHES,
) -> Iterator[Done]:
    """Run batches on a process pool, in order, with a bounded number in flight.

    Not Pool.imap: its feeder thread drains the input iterator eagerly, which
    would read the whole corpus into memory. A batch whose answer takes longer
    than `timeout` seconds (counted from when it is the oldest one waited for, so
    at least its own run time) means a hung worker; a worker that dies (a crash,
    or killed for memory) breaks the whole pool. Either way the workers are
    killed, the failed batch's articles run again one at a time with nothing else
    in flight, so that only the article that hangs or kills its worker becomes a
    failure, and then the other batches in flight run again on fresh workers.
    """
    pool = _Pool(workers, batch_fn)
    limit = workers * IN_FLIGHT_PER_WORKER
    pending: deque[InFlight] = deque()

    timed_out = f"timed out after {timeout:g} s" if timeout is not None else ""

    def alone(raw: RawDocument) -> list[Payload]:
        try:
            return pool.submit([raw]).result(timeout=timeout)
        except TimeoutError:
            reason = timed_out
        except BrokenProcessPool:
            reason = WORKER_DIED
        pool.restart()
        return [(raw.path, reason, raw.id)]

    def oldest() -> Done:
        keys, raws, fut = pending.popleft()
        try:
            return keys, fut.result(timeout=timeout)
        except TimeoutError:
            hung = len(raws) == 1  # alone in its batch: running it again would hang again
        except BrokenProcessPool:  # any batch in flight may have killed the worker
            hung = False
        pool.restart()
        if hung:
            payloads: list[Payload] = [(raws[0].path, timed_out, raws[0].id)]
        else:
            payloads = [p for raw in raws for p in alone(raw)]
        _resubmit(pool, pending)
        return keys, payloads

    submitted = 0  # to the current workers
    try:
        for keys, raws in batches:
            if submitted >= worker_batches * workers:
                while pending:
                    yield oldest()
                pool.recycle()
                submitted = 0
            pending.append((keys, raws, pool.submit(raws)))
            submitted += 1
            if len(pending) >= limit:
                yield oldest()
        while pending:
            yield oldest()
    except (KeyboardInterrupt, SystemExit):
        pool.kill()  # interrupted or terminated: the batches in flight are not waited for
        raise
    finally:
        pool.close()


def _resubmit(pool: _Pool, pending: deque[InFlight]) -> None:
    """After a restart: batches answered before it keep their answers, the others rerun."""
    for i, (keys, raws, fut) in enumerate(pending):
        if not fut.done() or fut.cancelled() or fut.exception() is not None:
            pending[i] = (keys, raws, pool.submit(raws))


def ingest(
    paths: Sequence[str],
    store: Store,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    batch_timeout: float | None = BATCH_TIMEOUT,
    batch_fn: BatchFn | None = None,
    *,
    stages: Stages = FULL,
    published: str | None = None,
    follow_symlinks: bool = False,
    article_timeout: float | None = ARTICLE_TIMEOUT,
) -> IngestStats:
    """Read, process and store articles; returns the counts.

    An article is skipped when the store holds its text made by this extractor with
    these stages (the same record.stages.fingerprint); otherwise it is extracted and
    replaces what its source held.
    workers: processes running the pipeline (default: worker_cap(), the cores the
    memory available can feed); 1 runs in this process. progress: called with the
    running stats after every batch.
    batch_timeout: seconds a worker may spend on one batch before it is killed; the
    batch's articles then run again one at a time, and the one that hangs is
    recorded as failed (None: no limit; --workers 1 runs in this process, which
    cannot be killed, so it has none). An article that kills its worker process
    is recorded as failed the same way.
    batch_fn: what a worker runs per batch (picklable; default: the pipeline with
    `stages`). stages: which stages run (`Stages(stances=True)`: the stances scope).
    published: publication time (ISO) for documents that state none (--published).
    follow_symlinks: follow symbolic links that lead out of an input directory.
    article_timeout: seconds each article may take, from its parse to its record,
    before it is recorded as failed (None: no limit).
    """
    workers = max(1, workers or worker_cap()[0])
    made_by = fingerprint(stages)
    run = batch_fn or partial(run_batch, stages=stages, article_timeout=article_timeout)
    order = store.ingest_run(json.dumps(["ingest", [os.path.abspath(p) for p in paths]]))
    items = with_published(read_paths(paths, follow_symlinks), published)
    batcher = _Batcher(items, store, made_by, order)
    stats = batcher.stats
    batches = batcher.batches(max(1, batch_size))
    done = (
        _in_process(batches, run) if workers == 1 else _pool(batches, workers, batch_timeout, run)
    )
    for keys, payloads in done:
        answers = sort_answers(keys, payloads)
        del payloads
        failures = batcher.take_failures() + answers.failures
        store.write_batch(answers.records, failures, fingerprint=made_by, record_json=answers.texts)
        batcher.written(keys)
        stats.articles += len(answers.records)
        stats.words += sum(len(rec.text.split()) for _, rec in answers.records)
        stats.failed += len(failures)
        del answers
        release_free_memory()
        stats.tick()
        if progress:
            progress(stats)
    if leftover := batcher.take_failures():  # read errors after the last batch
        store.write_batch([], leftover)
        stats.failed += len(leftover)
    stats.tick()
    if progress:
        progress(stats)
    return stats
