"""Issue 15, problem 6 (stores and messages): a damaged store is refused with a way
to recover, read-only stores answer queries, database errors name the database,
and file names cannot drive the terminal; plus the reader's lesser points."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wirescope.cli.main import main
from wirescope.reading.decode import decode_bytes
from wirescope.reading.read import ReadFailure, read_stdin
from wirescope.record.models import RawDocument

REPO = Path(__file__).resolve().parents[2]
STORY = (
    "2024-May-02 09:15\n\nPort Reopens\n\nVALMORA (WNA)- The head of the port, Ines "
    'Carvalho, said the harbour would reopen next week.\n\n"We are ready," Carvalho said.\n'
)


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for n in range(30):
        (src / f"{n}.txt").write_text(STORY.replace("next week", f"in {n + 2} weeks"))
    path = tmp_path / "c.db"
    assert main(["ingest", "--db", str(path), "--workers", "1", str(src)]) == 0
    capsys.readouterr()
    return path


def test_a_damaged_store_is_refused_with_a_way_to_recover(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was queried and written to with exit 0."""
    data = bytearray(db.read_bytes())
    page = 4096
    for at in range(3 * page, len(data) - page, 5 * page):  # scramble some pages
        data[at + 8 : at + 200] = os.urandom(192)
    db.write_bytes(bytes(data))
    for args in (["quotes"], ["ingest", str(db.parent / "in"), "--workers", "1"]):
        code = main([*args, "--db", str(db)])
        err = capsys.readouterr().err
        assert code == 1
        assert f"database {db} fails its integrity check" in err
        assert ".recover" in err and "wirescope ingest" in err


def _as_nobody() -> dict[str, object]:
    import pwd

    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user 'nobody' to drop to")
    who = {"user": "nobody", "group": "nogroup" if _has_group("nogroup") else "nobody"}
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60, **who)  # type: ignore[call-overload]
    except (OSError, subprocess.SubprocessError):
        pytest.skip("user 'nobody' cannot run this Python")
    return who


def test_a_reader_opens_a_store_it_cannot_write_read_only(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The read-only path on a real file (root may write anything, so "cannot
    write" is told, not made): queries answer, and nothing is created beside it."""
    from wirescope.store import sqlite as sq

    assert main(["quotes", "--db", str(db), "--format", "json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(sq, "_writable", lambda path: False)
    before = sorted(p.name for p in db.parent.iterdir())
    assert main(["quotes", "--db", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == expected
    assert sorted(p.name for p in db.parent.iterdir()) == before


def test_a_database_error_names_the_database(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite's "attempt to write a readonly database" names no file; the CLI adds it
    (the driver's error is raised by hand: root is never refused a write)."""
    import sqlite3

    from wirescope.store.sqlite import SQLiteStore

    def refuse(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(SQLiteStore, "write_batch", refuse)
    new = db.parent / "new.txt"
    new.write_text(STORY.replace("Port", "Harbour"))
    code = main(["ingest", "--db", str(db), "--workers", "1", str(new)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"database {db}: OperationalError: attempt to write a readonly database" in err


def _has_group(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


@pytest.mark.skipif(os.geteuid() != 0, reason="drops to user 'nobody' (needs root)")
def test_read_only_stores_answer_queries_and_writes_name_the_database(
    db: Path, tmp_path: Path
) -> None:
    """A read-only folder blocked even read-only queries; writing a read-only
    database file gave an error that did not name it. Run as another user, since
    root may write anything."""
    who = _as_nobody()
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(db, ro / "c.db")
    (ro / "c.db").chmod(0o444)
    ro.chmod(0o555)
    tmp_path.chmod(0o755)
    tmp_path.parent.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HOME": "/tmp"}
    run = [sys.executable, "-m", "wirescope"]
    try:
        done = subprocess.run(
            [*run, "quotes", "--db", str(ro / "c.db"), "--format", "json"],
            env=env, capture_output=True, text=True, timeout=300, cwd="/", **who,  # type: ignore[call-overload]
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert len(json.loads(done.stdout)) == 60
        (tmp_path / "w").mkdir()
        shutil.copy(db, tmp_path / "w" / "c.db")
        (tmp_path / "w").chmod(0o777)
        (tmp_path / "w" / "c.db").chmod(0o444)
        done = subprocess.run(
            [*run, "ingest", "--db", str(tmp_path / "w" / "c.db"), "--workers", "1",
             str(tmp_path / "in")],
            env=env, capture_output=True, text=True, timeout=300, cwd="/", **who,  # type: ignore[call-overload]
        )  # fmt: skip
        assert done.returncode == 1
        assert str(tmp_path / "w" / "c.db") in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        ro.chmod(0o755)


def test_search_with_twenty_thousand_terms_is_refused_at_once(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It took 66 s."""
    words = " ".join(f"w{n}" for n in range(20_000))
    assert main(["search", "--db", str(db), words]) == 1
    assert "too many search terms (20,000; at most 64)" in capsys.readouterr().err


def test_file_names_cannot_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name with a newline or an escape sequence was printed raw."""
    bad = tmp_path / "evil\n\x1b[2J\x1b]0;pwned\x07.txt"
    bad.write_bytes(b"")
    assert main(["extract", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert err.count("\n") == 1
    assert "evil\\n\\x1b[2J" in err


def test_utf16_without_bom_in_cyrillic_is_read() -> None:
    """It was refused as binary."""
    text = "Министр заявил журналистам, что порт откроется в понедельник.\nЭто важно."
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode_bytes(text.encode(enc)) == (text, enc)
    for plain in ("Министр заявил, что порт откроется.", "plain words"):
        assert decode_bytes(plain.encode()) == (plain, "utf-8")


def test_a_mixed_encoding_message_blames_the_bad_byte() -> None:
    """It blamed a byte inside a valid UTF-8 character (offsets counted after the BOM)."""
    data = b"\xef\xbb\xbf" + "caf\u00e9 ".encode() * 20 + b"na\xefve"
    with pytest.raises(ReadFailure) as info:
        decode_bytes(data)
    at = data.index(b"na\xef") + 2
    assert str(info.value) == f"undecodable bytes: invalid UTF-8 at byte {at} (0xEF)"


def test_deeply_nested_html_keeps_its_paragraph() -> None:
    """100,000 <div> gave "no text"."""
    body = "<p>The minister told reporters the port would reopen on Monday.</p>"
    html = f"<html><body>{'<div>' * 100_000}{body}{'</div>' * 100_000}</body></html>"
    (doc,) = read_stdin(io.BytesIO(html.encode()))
    assert isinstance(doc, RawDocument)
    assert doc.text == "The minister told reporters the port would reopen on Monday."
