"""wirescope ingest: counts, idempotency, replacement, failures, workers, kill -9."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from wirescope.cli.corpus import ProgressDisplay
from wirescope.cli.main import main
from wirescope.ingest.local import (
    WORKER_DIED,
    IngestStats,
    Payload,
    ingest,
    run_batch,
)
from wirescope.pipeline.stages import ATTRIBUTIONS, FULL, fingerprint, stages_of
from wirescope.record.models import RawDocument
from wirescope.record.serialize import record_to_dict
from wirescope.store import open_store
from wirescope.store.base import ArticleKey, Store

if TYPE_CHECKING:  # the fixtures' types, for readers: tests/conftest.py, tests/store/conftest.py
    from tests.conftest import Example
    from tests.store.conftest import IngestProcess


REPO = Path(__file__).resolve().parents[2]

# Invented wire stories; each text is distinct (the store keeps one copy per text).
ARTICLES = {
    "harbour.txt": (
        "2024-May-02 09:15\n\nPort Authority Reopens Northern Harbour\n\n"
        "VALMORA (WNA)- The head of the Valmora Port Authority, Ines Carvalho, said on "
        "Thursday that the northern harbour would reopen to cargo ships next week.\n\n"
        '"We have repaired the breakwater and the cranes are ready," Carvalho told '
        "reporters, adding that traffic should return to normal by June.\n"
    ),
    "budget.txt": (
        "2024-May-03 14:40\n\nFinance Minister Defends Budget Cuts\n\n"
        "DRESKA (DPA)- Finance Minister Tomas Halvorsen defended the spending cuts "
        "announced on Friday, saying the country could not borrow more.\n\n"
        '"Every household makes the same choice," he said. Opposition leader Mara Lind '
        "said the cuts would hurt schools.\n"
    ),
    "floods.txt": (
        "2024-May-04 07:05\n\nFloods Force Thousands From Homes\n\n"
        "RIVERTON (AP)- Floods forced more than 3,000 people from their homes on "
        "Saturday, the regional emergency service said.\n\n"
        '"The water is still rising," said spokeswoman Leila Haddad.\n'
    ),
    "talks.txt": (
        "2024-May-05 18:30\n\nTrade Talks Resume in Geneva\n\n"
        "GENEVA (Reuters)- Negotiators from both blocs resumed trade talks on Sunday. "
        "Chief negotiator Paul Okafor said he expected a deal before the summer.\n"
    ),
}


Writer = Callable[[Path], list[str]]


@pytest.fixture
def write_articles(example: Example) -> Writer:
    """Writes ARTICLES into a folder; the paths to ingest: it and the shared example."""

    def write(folder: Path) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in ARTICLES.items():
            (folder / name).write_text(text, encoding="utf-8")
        return [str(folder), str(example.path)]

    return write


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s: Store = open_store(str(tmp_path / "x.db"))
    yield s
    s.close()


def test_ingest_stores_every_article(
    tmp_path: Path, store: Store, write_articles: Writer, example: Example
) -> None:
    stats = ingest(write_articles(tmp_path / "in"), store, workers=1)
    assert (stats.files, stats.articles, stats.skipped, stats.failed) == (5, 5, 0, 0)
    assert store.count()["articles"] == 5
    paths = {r.source["path"] for r in store.iter_records()}
    assert str(example.path) in paths
    assert stats.words > 0
    assert stats.seconds > 0


def test_reingest_skips_everything(tmp_path: Path, store: Store, write_articles: Writer) -> None:
    paths = write_articles(tmp_path / "in")
    ingest(paths, store, workers=1)
    again = ingest(paths, store, workers=1)
    assert (again.articles, again.skipped, again.failed) == (0, 5, 0)
    assert store.count()["articles"] == 5


def test_changed_article_replaces_the_old_one(
    tmp_path: Path, store: Store, write_articles: Writer
) -> None:
    paths = write_articles(tmp_path / "in")
    ingest(paths, store, workers=1)
    changed = tmp_path / "in" / "talks.txt"
    changed.write_text(ARTICLES["talks.txt"] + "\nTalks will continue on Monday.\n", "utf-8")
    stats = ingest(paths, store, workers=1)
    assert (stats.articles, stats.skipped) == (1, 4)
    records = [r for r in store.iter_records() if r.source["path"] == str(changed)]
    assert len(records) == 1
    assert records[0].text.endswith("Talks will continue on Monday.\n")
    assert store.count()["articles"] == 5


def test_source_changed_to_text_stored_elsewhere_points_at_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_articles: Writer
) -> None:
    folder = tmp_path / "in"
    write_articles(folder)
    db = str(tmp_path / "x.db")
    assert main(["ingest", str(folder), "--db", db, "--workers", "1"]) == 0
    talks = folder / "talks.txt"
    talks.write_text(ARTICLES["floods.txt"], encoding="utf-8")  # now a copy of floods.txt
    assert main(["ingest", str(folder), "--db", db, "--workers", "1"]) == 0
    capsys.readouterr()
    store = open_store(db)
    try:
        floods = store.hashes_for([str(folder / "floods.txt")])[str(folder / "floods.txt")]
        assert store.hashes_for([str(talks)]) == {str(talks): floods}
        assert store.count()["articles"] == 3  # the old talks article is gone
        assert not any("Okafor" in r.text for r in store.iter_records())
    finally:
        store.close()
    # `show` by the path gives the article the path now holds.
    assert main(["show", str(talks), "--db", db, "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["id"] == floods and "The water is still rising" in shown["text"]
    again = ingest([str(folder)], open_store(db), workers=1)
    assert (again.articles, again.skipped) == (0, 4)


VOW = (
    "2024-May-06 10:00\n\nMinister Vows Tax Cuts\n\n"
    "DRESKA (DPA)- Finance Minister Tomas Halvorsen vowed on Monday to cut income taxes.\n"
)


def test_reingest_with_another_fingerprint_extracts_again(
    tmp_path: Path, store: Store, write_articles: Writer
) -> None:
    paths = write_articles(tmp_path / "in")
    ingest(paths, store, workers=1)
    ids = sorted(r.id for r in store.iter_records())
    assert {store.made_by(i) for i in ids} == {fingerprint(FULL)}
    # As if an older version had made them: the same records under an older fingerprint.
    older = json.dumps({**json.loads(fingerprint(FULL)), "wirescope": "0.0.1"})
    records = list(store.iter_records())
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in records], [], fingerprint=older)
    assert {store.made_by(i) for i in ids} == {older}
    stats = ingest(paths, store, workers=1)
    assert (stats.articles, stats.skipped) == (5, 0)
    assert {store.made_by(i) for i in ids} == {fingerprint(FULL)}
    assert sorted(r.id for r in store.iter_records()) == ids
    again = ingest(paths, store, workers=1)
    assert (again.articles, again.skipped) == (0, 5)


def test_ingest_stances_stores_the_stances_scope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_articles: Writer
) -> None:
    folder = tmp_path / "in"
    write_articles(folder)
    (folder / "vow.txt").write_text(VOW, encoding="utf-8")
    db = str(tmp_path / "x.db")
    assert main(["ingest", str(folder), "--db", db, "--workers", "1"]) == 0
    with closing(open_store(db)) as store:
        (vow,) = [r for r in store.iter_records() if r.source["path"].endswith("vow.txt")]
        assert vow.quotes == [] and not stages_of(store.made_by(vow.id) or "").stances
    # The same sources in the stances scope: every article is extracted again.
    assert main(["ingest", str(folder), "--db", db, "--workers", "1", "--stances"]) == 0
    assert "ingested 5 articles, skipped 0" in capsys.readouterr().err
    with closing(open_store(db)) as store:
        assert {store.made_by(r.id) for r in store.iter_records()} == {fingerprint(ATTRIBUTIONS)}
        assert stages_of(fingerprint(ATTRIBUTIONS)).stances
        assert [q.text for q in store.get(vow.id).quotes] == [  # type: ignore[union-attr]
            "on Monday to cut income taxes"
        ]
    # --reprocess without paths reads the stored sources again, back in the default scope.
    assert main(["ingest", "--reprocess", "--db", db, "--workers", "1"]) == 0
    assert "ingested 5 articles, skipped 0" in capsys.readouterr().err
    with closing(open_store(db)) as store:
        assert {store.made_by(r.id) for r in store.iter_records()} == {fingerprint(FULL)}
        assert store.get(vow.id).quotes == []  # type: ignore[union-attr]
    assert main(["ingest", "--reprocess", "--db", db, "--workers", "1"]) == 0
    assert "ingested 0 articles, skipped 0, failed 0" in capsys.readouterr().err


def test_same_article_twice_in_one_run_is_stored_once(
    tmp_path: Path, store: Store, write_articles: Writer, example: Example
) -> None:
    paths = write_articles(tmp_path / "in")
    stats = ingest([*paths, str(example.path)], store, workers=1)
    assert (stats.articles, stats.skipped) == (5, 1)
    assert store.count()["articles"] == 5


def test_bad_files_become_failures_and_exit_nonzero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_articles: Writer
) -> None:
    folder = tmp_path / "in"
    write_articles(folder)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    db = str(tmp_path / "x.db")
    code = main(["ingest", str(folder), "--db", db, "--workers", "1"])
    assert code != 0
    err = capsys.readouterr().err
    assert "ingested 4 articles, skipped 0, failed 2" in err
    store = open_store(db)
    try:
        assert store.count()["articles"] == 4
        failed = {Path(f.path).name for f in store.failures()}
        assert failed == {"binary.txt", "empty.txt"}
    finally:
        store.close()


def test_clean_run_exits_zero_and_logs_plain_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_articles: Writer
) -> None:
    db = str(tmp_path / "x.db")
    assert main(["ingest", *write_articles(tmp_path / "in"), "--db", db, "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err  # no in-place bar when stderr is not a terminal
    assert "wirescope: ingested 5 articles, skipped 0, failed 0 in" in err
    assert "articles/s" in err


def test_progress_is_plain_log_lines_off_a_terminal() -> None:
    out = io.StringIO()
    display = ProgressDisplay(out, interval=0)
    display(IngestStats(files=3, articles=7, skipped=1, failed=2, seconds=2.0))
    display(IngestStats(files=4, articles=9, skipped=1, failed=2, seconds=3.0))
    display.close()
    lines = out.getvalue().splitlines()
    assert lines == [
        "wirescope: 3 files, 7 articles (3.5/s), 1 skipped, 2 failed",
        "wirescope: 4 files, 9 articles (3.0/s), 1 skipped, 2 failed",
    ]


def _content(store: Store) -> list[dict[str, Any]]:
    return sorted((record_to_dict(r) for r in store.iter_records()), key=lambda d: d["id"])


def test_two_workers_store_the_same_as_one(tmp_path: Path, write_articles: Writer) -> None:
    paths = write_articles(tmp_path / "in")
    stores = []
    for workers in (1, 2):
        s = open_store(str(tmp_path / f"w{workers}.db"))
        # batch_size 2: several batches, so both workers get some.
        stats = ingest(paths, s, workers=workers, batch_size=2)
        assert (stats.articles, stats.failed) == (5, 0)
        stores.append(s)
    try:
        assert _content(stores[0]) == _content(stores[1])
    finally:
        for s in stores:
            s.close()


# --- a worker that hangs -------------------------------------------------------------

HANG = "HANG-FOR-THE-TIMEOUT-TEST"


def hang_on_marker(batch: list[RawDocument]) -> list[Payload]:
    """The real batch function, except that a document holding HANG never returns.

    Module-level, so the pool's workers can import it (they run it, not a mock)."""
    if any(HANG in raw.text for raw in batch):
        time.sleep(3600)
    return run_batch(batch)


def test_a_hung_worker_is_killed_and_its_batch_recorded_as_failed(
    tmp_path: Path, store: Store, write_articles: Writer
) -> None:
    folder = tmp_path / "in"
    paths = write_articles(folder)
    hung = folder / "c-hung.txt"  # read between the other files
    hung.write_text(ARTICLES["talks.txt"].replace("Sunday.", f"Sunday. {HANG}"), "utf-8")
    # Long enough for a worker to load the model on a busy machine; the hung batch
    # then waits this long before its workers are killed.
    stats = ingest(paths, store, workers=2, batch_size=1, batch_timeout=20, batch_fn=hang_on_marker)
    assert (stats.articles, stats.failed) == (5, 1)
    assert [(f.path, f.reason) for f in store.failures()] == [(str(hung), "timed out after 20 s")]
    assert store.count()["articles"] == 5
    # The failed source is processed again next time.
    hung.write_text(ARTICLES["talks.txt"] + "\nA later edition.\n", "utf-8")
    again = ingest(paths, store, workers=2, batch_size=1, batch_fn=hang_on_marker)
    assert (again.articles, again.skipped, again.failed) == (1, 5, 0)
    assert store.failures() == []


# --- workers are replaced after a bounded number of batches ---------------------------


def pid_per_article(batch: list[RawDocument]) -> list[Payload]:
    """Answers each article with the id of the worker process that got it."""
    return [str(os.getpid()) for _ in batch]


def test_workers_are_replaced_after_their_batches_and_nothing_is_lost() -> None:
    from wirescope.ingest.local import _pool
    from wirescope.store.base import ArticleKey

    raws = [RawDocument(text=f"Article {n}.", path=f"a{n}.txt", format="text") for n in range(12)]
    batches = iter(([ArticleKey(r.path, None)], [r]) for r in raws)
    done = list(_pool(batches, workers=2, timeout=None, batch_fn=pid_per_article, worker_batches=2))
    assert [keys[0].path for keys, _ in done] == [r.path for r in raws]  # in order, all there
    pids = [payloads[0] for _, payloads in done]
    # 12 batches, 2 workers, 2 batches each: 3 pools, so at least 3 and at most 6 processes.
    assert 3 <= len(set(pids)) <= 6
    assert all(len(set(pids[k : k + 4])) <= 2 for k in range(0, 12, 4))


# --- a worker that dies --------------------------------------------------------------

CRASH = "KILL-THE-WORKER-TEST"


def crash_on_marker(batch: list[RawDocument]) -> list[Payload]:
    """The real batch function, except that a document holding CRASH kills its worker
    outright, as a segfault or the kernel's out-of-memory killer would."""
    if any(CRASH in raw.text for raw in batch):
        os.kill(os.getpid(), signal.SIGKILL)
    return run_batch(batch)


def test_an_article_that_kills_its_worker_fails_alone(
    tmp_path: Path, store: Store, write_articles: Writer
) -> None:
    folder = tmp_path / "in"
    paths = write_articles(folder)
    bad = folder / "c-crash.txt"  # batches of 3: budget, c-crash, floods | harbour, talks, fixture
    bad.write_text(ARTICLES["talks.txt"].replace("Sunday.", f"Sunday. {CRASH}"), "utf-8")
    stats = ingest(paths, store, workers=2, batch_size=3, batch_fn=crash_on_marker)
    # Its batch-mates and the batch in flight beside it are stored; the run goes on.
    assert (stats.articles, stats.failed) == (5, 1)
    assert [(f.path, f.reason) for f in store.failures()] == [(str(bad), WORKER_DIED)]
    assert store.count()["articles"] == 5


def test_batch_timeout_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--batch-timeout", "soon"])
    assert "expected a number of seconds, got 'soon'" in capsys.readouterr().err


# --- kill -9 -----------------------------------------------------------------------

N_KILL = 40


def _generated(folder: Path) -> list[Path]:
    folder.mkdir()
    towns = ["Arlen", "Brisk", "Corvo", "Delane", "Esker", "Fallow", "Garron", "Hume"]
    out = []
    for i in range(N_KILL):
        town = towns[i % len(towns)]
        body = " ".join(
            f"Council member {k} of {town} said the plan number {i} would cost {k * i} "
            f"crowns, and residents asked for a vote on item {k}."
            for k in range(12)
        )
        text = (
            f"2024-June-{i % 28 + 1:02d} 10:00\n\nCouncil Debates Plan {i} in {town}\n\n"
            f'{town.upper()} (WNA)- {body}\n\n"We will decide soon," the mayor said.\n'
        )
        p = folder / f"a{i:02d}.txt"
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_kill_9_leaves_a_consistent_store_and_rerun_completes(
    tmp_path: Path, ingest_process: type[IngestProcess]
) -> None:
    files = _generated(tmp_path / "in")
    db = tmp_path / "x.db"
    run = ingest_process(
        str(tmp_path / "in"), "--db", str(db), "--workers", "1", "--batch-size", "2"
    )
    run.kill_once_stored(lambda: _stored(db), wait_s=120)

    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = con.execute(
            "SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        dupes = con.execute(
            "SELECT count(*) FROM (SELECT source_key FROM articles"
            " GROUP BY source_key HAVING count(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0
        at_kill = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < at_kill < N_KILL

    done = run.run(timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"skipped {at_kill}," in done.stderr
    with sqlite3.connect(db) as con:
        keys = [k for (k,) in con.execute("SELECT source_key FROM articles")]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(keys) == sorted(str(p) for p in files)


# --- two ingests into one database at once ------------------------------------------

# The same four people, spelled one way in one folder and another way in the other
# (Larijani / Larigani only merge by the similar-surname fallback, not by their key).
SPELLINGS = [
    ("Ali Larijani", "Abbas Araqchi", "Mohsen Rezayee", "Sergey Lavrov"),
    ("Ali Larigani", "Abbas Araghchi", "Mohsen Rezaei", "Sergei Lavroff"),
]


def _talks(folder: Path, names: tuple[str, ...], tag: str) -> Path:
    folder.mkdir(parents=True)
    for i in range(10):
        a, b = names[i % 4], names[(i + 1) % 4]
        (folder / f"{tag}{i:02d}.txt").write_text(
            f"2024-May-{i + 1:02d} 10:00\n\nTalks on item {tag}{i} resume\n\n"
            f"TEHRAN (IRNA)- Foreign Minister {a} met {b} in Tehran on Monday.\n\n"
            f'"We discussed item {tag}{i} at length," {a} told reporters. '
            f"{b} said the talks had been useful.\n",
            encoding="utf-8",
        )
    return folder


def _people_shape(store: Store) -> list[int]:
    """Articles per person, sorted: the same corpus resolved the same way gives the same."""
    return sorted(p.articles for p in store.people())


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_two_ingests_at_once_create_no_duplicate_people(tmp_path: Path, backend: str) -> None:
    folders = [_talks(tmp_path / f"in{n}", names, "ab"[n]) for n, names in enumerate(SPELLINGS)]
    if backend == "sqlite":
        db = str(tmp_path / "shared.db")
        cleanup = None
    else:
        dsn = os.environ.get("WIRESCOPE_TEST_PG")
        if not dsn:
            pytest.skip("needs WIRESCOPE_TEST_PG=postgresql://... (see .ci/postgres.sh)")
        import uuid

        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
        db = f"{dsn}?options=-csearch_path%3D{schema}"

        def cleanup() -> None:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]

    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    try:
        cmd = [sys.executable, "-m", "wirescope", "ingest", "--db", db, "--workers", "1"]
        cmd += ["--batch-size", "1"]  # one batch per article: the two processes interleave
        procs = [
            subprocess.Popen(
                [*cmd, str(folder)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for folder in folders
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err
        shared = open_store(db)
        try:
            assert shared.count()["articles"] == 20
            together = _people_shape(shared)
        finally:
            shared.close()
    finally:
        if cleanup:
            cleanup()

    one_by_one = open_store(str(tmp_path / "sequential.db"))
    try:
        for folder in folders:
            ingest([str(folder)], one_by_one, workers=1)
        assert _people_shape(one_by_one) == together
        assert len(together) == len(SPELLINGS[0])  # each person once, whatever the spelling
    finally:
        one_by_one.close()
