"""Issue 15, hostile input and faults through `ingest` and `export`: one bad record
never sinks a run, keys never collide silently, counts printed are counts stored,
nothing outside the input is read, nothing outside OUT is written, and workers
die with their parent."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest

from wirescope.cli.main import main
from wirescope.store import open_store

from .conftest import Opener

REPO = Path(__file__).resolve().parents[2]


def _story(n: int) -> str:
    return (
        f"2024-May-{n % 28 + 1:02d} 09:15\n\nHarbour Story {n}\n\n"
        f"VALMORA (WNA)- The head of the port, Ines Carvalho, said on Thursday that "
        f"berth {n} would reopen to cargo ships next week.\n\n"
        f'"We have repaired berth {n}," Carvalho told reporters.\n'
    )


def _rows(db: Path, table: str = "articles") -> int:
    with closing(sqlite3.connect(db)) as conn:
        (n,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(n)


def _ingest(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str]:
    code = main(["ingest", "--db", str(db), "--workers", "1", *args])
    return code, capsys.readouterr().err


def test_a_lone_surrogate_is_replaced_reported_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 1: a JSONL text with a lone surrogate aborted the whole ingest (exit 2,
    nothing stored) and `extract` printed no record."""
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": _story(1).replace("cargo", "x \ud800 y")}),
        json.dumps({"id": "b\udfff", "text": _story(2)}),
        json.dumps({"id": "c", "text": _story(3)}),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")  # json escapes them
    db = tmp_path / "x.db"
    code, err = _ingest(capsys, db, str(src))
    assert code == 0, err
    assert "ingested 3 articles" in err
    assert "lone surrogate(s) replaced by U+FFFD" in err
    assert _rows(db) == 3
    with closing(open_store(str(db))) as store:
        texts = [r.text for r in store.iter_records()]
    assert any("x \ufffd y" in t for t in texts)
    code = main(["extract", "--format", "jsonl", str(src)])
    out, err = capsys.readouterr()
    assert code == 0
    assert len(out.splitlines()) == 3


@pytest.mark.skipif(sys.platform != "linux", reason="non-UTF-8 file names need Linux")
def test_a_file_name_that_is_not_utf8_is_kept_as_an_escaped_string(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 1: a file whose name is not valid UTF-8 aborted the ingest."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(_story(1), encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as f:
        f.write(_story(2).encode())
    db = tmp_path / "x.db"
    code, err = _ingest(capsys, db, str(folder))
    assert code == 0, err
    assert _rows(db) == 2
    with closing(open_store(str(db))) as store:
        paths = sorted(r.source["path"] for r in store.iter_records())
    assert paths[0].endswith("caf\\xe9.txt")


def test_nul_is_stored_the_same_on_every_backend(tmp_path: Path, open_fresh: Opener) -> None:
    """Problem 1: PostgreSQL refuses NUL in text (the whole ingest failed there),
    SQLite kept it: the reader replaces it, so every store holds the same text."""
    from wirescope.ingest.local import ingest

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "n", "text": _story(4).replace("berth", "be\x00rth")}))
    store = open_fresh()
    stats = ingest([str(src)], store, workers=1)
    assert (stats.articles, stats.failed) == (1, 0)
    (rec,) = store.iter_records()
    assert "\x00" not in rec.text
    assert rec.text == _story(4).replace("berth", "be\ufffdrth")


def test_a_duplicate_id_is_a_recorded_failure_and_reruns_keep_the_same_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 3: two records with one id: "ingested 3" but 2 stored, and each
    re-run swapped which one was kept."""
    src = tmp_path / "in.jsonl"
    recs = [("a", _story(1)), ("b", _story(2)), ("a", _story(3))]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in recs))
    db = tmp_path / "x.db"
    code, err = _ingest(capsys, db, str(src))
    assert code == 1
    assert "ingested 2 articles" in err and "failed 1" in err
    assert _rows(db) == 2
    with closing(open_store(str(db))) as store:
        (fail,) = store.failures()
        kept = {r.input_id: r.text for r in store.iter_records()}
    assert fail.path == f"{src}:line 3"
    assert "duplicate id 'a' (first on line 1, kept)" in fail.reason
    assert kept["a"] == _story(1)
    code, err = _ingest(capsys, db, str(src))
    assert "ingested 0 articles, skipped 2" in err
    with closing(open_store(str(db))) as store:
        assert {r.input_id: r.text for r in store.iter_records()} == kept


def test_stdin_gets_a_content_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problem 3: `ingest - < a.txt` then `< b.txt` kept only b."""
    import io

    db = tmp_path / "x.db"
    for n in (1, 2, 1):
        stdin = io.TextIOWrapper(io.BytesIO(_story(n).encode()))
        monkeypatch.setattr(sys, "stdin", stdin)
        code, err = _ingest(capsys, db, "-")
        assert code == 0, err
    assert _rows(db) == 2


def test_counts_printed_equal_counts_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 3: each bad JSONL line counted as a "file", and "ingested N"
    counted records the store did not keep."""
    src = tmp_path / "in.jsonl"
    good = [json.dumps({"id": f"g{n}", "text": _story(n)}) for n in range(5)]
    bad = ["{not json", json.dumps({"id": "x"}), json.dumps({"id": "g0", "text": _story(9)})]
    src.write_text("\n".join(good[:2] + bad + good[2:]) + "\n")
    db = tmp_path / "x.db"
    code, err = _ingest(capsys, db, str(src), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "ingested 5 articles, skipped 0, failed 4" in err
    assert _rows(db) == 5
    assert _rows(db, "failures") == 4
    from wirescope.ingest.local import ingest

    with closing(open_store(str(tmp_path / "y.db"))) as store:
        stats = ingest([str(src)], store, workers=1)
        assert (stats.files, stats.articles, stats.failed) == (1, 5, 3)
        assert store.count()["articles"] == 5


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    top = tmp_path / "in"
    (top / "sub").mkdir(parents=True)
    (top / "a.txt").write_text(_story(1))
    outside = tmp_path / "secret.txt"
    outside.write_text(_story(2).replace("Harbour", "Secret"))
    return top, outside


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_the_tree_is_reported_not_waited_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 4: a FIFO named x.txt hung `extract` and `ingest` forever."""
    top, _ = _tree(tmp_path)
    os.mkfifo(top / "x.txt")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "wirescope", "extract", "--format", "jsonl", str(top)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert f"{top / 'x.txt'}: not a regular file (a FIFO)" in done.stderr
    assert len(done.stdout.splitlines()) == 1


def test_symlinks_are_followed_only_inside_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 4: a planted link to a file outside the input became an article."""
    top, outside = _tree(tmp_path)
    (top / "sub" / "planted.txt").symlink_to(outside)
    (top / "sub" / "inner.txt").symlink_to(top / "a.txt")
    (top / "escape").symlink_to(tmp_path)
    code = main(["extract", "--format", "jsonl", str(top)])
    out, err = capsys.readouterr()
    assert code == 1
    texts = [json.loads(line)["text"] for line in out.splitlines()]
    assert len(texts) == 2 and not any("Secret" in t for t in texts)
    assert "planted.txt: symbolic link to a file outside the input directory" in err
    assert "escape: symbolic link to a directory outside the input directory" in err
    code = main(["extract", "--format", "jsonl", "--follow-symlinks", str(top)])
    out, err = capsys.readouterr()
    assert any("Secret" in json.loads(line)["text"] for line in out.splitlines())


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top, _ = _tree(tmp_path)
    (top / "sub" / "b.txt").write_text(_story(3))
    (top / "sub").chmod(0)
    try:
        code = main(["extract", "--format", "jsonl", str(top)])
    finally:
        (top / "sub").chmod(0o755)
    err = capsys.readouterr().err
    assert code == 1
    assert f"{top / 'sub'}: permission denied" in err


def test_unreadable_folder_walk_reports_it(tmp_path: Path) -> None:
    """Problem 4 (root-proof): a folder that cannot be listed becomes a ReadError."""
    from wirescope.reading.read import _walk_dir

    gone = tmp_path / "gone"
    (found,) = _walk_dir(gone, str(tmp_path), False, set())
    assert not isinstance(found, Path)
    assert found.reason == "no such file or directory"


def _db_with_articles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    top, _ = _tree(tmp_path)
    db = tmp_path / "x.db"
    assert _ingest(capsys, db, str(top))[0] == 0
    return db


def test_export_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 4: export into an existing folder overwrote without a word."""
    db = _db_with_articles(tmp_path, capsys)
    out = tmp_path / "out"
    out.mkdir()
    (out / "quotes.csv").write_text("mine\n")
    code = main(["export", "--db", str(db), str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "would overwrite" in err and "quotes.csv" in err and "--force" in err
    assert (out / "quotes.csv").read_text() == "mine\n"
    assert not (out / "articles.csv").exists()
    assert main(["export", "--db", str(db), "--force", str(out)]) == 0
    assert (out / "quotes.csv").read_text() != "mine\n"
    assert (out / "articles.csv").exists()
    assert not list(out.glob(".*.part"))


def test_export_never_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problem 4: a symlink planted at OUT/quotes.csv had its target overwritten."""
    db = _db_with_articles(tmp_path, capsys)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (out / "quotes.csv").symlink_to(victim)
    for args in ([], ["--force"]):
        code = main(["export", "--db", str(db), *args, str(out)])
        err = capsys.readouterr().err
        assert code == 1
        assert "not writing through symbolic links" in err
        assert victim.read_text() == "precious\n"


def _children(pid: int) -> set[int]:
    """Every live descendant of pid, from /proc."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                parent[int(entry)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_a_killed_ingest_parent(tmp_path: Path, sig: int) -> None:
    """Problem 5: kill -9 or SIGTERM of `ingest` left the fork server, the resource
    tracker and both workers running for over a minute."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(400):
        (folder / f"{n:03d}.txt").write_text(_story(n) * 3)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "wirescope", "ingest", str(folder), "--db", str(tmp_path / "x.db")]
    cmd += ["--workers", "2", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kids: set[int] = set()
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            kids |= _children(proc.pid)
            if len(kids) >= 4 and (tmp_path / "x.db").exists() and _rows(tmp_path / "x.db"):
                break  # fork server, tracker and two workers, and articles stored
            time.sleep(0.5)
        assert proc.poll() is None, "ingest ended before it could be killed"
        kids |= _children(proc.pid)
        os.kill(proc.pid, sig)
        proc.wait(30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.25)
        assert not [k for k in kids if _alive(k)]
    finally:
        for k in kids | {proc.pid}:  # only what this test started
            with suppress(ProcessLookupError):
                os.kill(k, signal.SIGKILL)
