"""The CLI over bad inputs: one stderr line per failure, no traceback, the batch goes on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wirescope.cli.main import main

GOOD = (
    "2021-March-1 16:17\n\nMinister Opens New Port\n\n"
    "TEHRAN (FNA)- The minister opened a port on Monday.\n\n"
    "\u201cThis port will serve the whole region,\u201d he said.\n"
)
NO_QUOTES = (
    "2021-March-1 16:17\n\nPort Opens\n\n"
    "TEHRAN (FNA)- A new port opened in the south of the country on Monday.\n"
)
ODD_QUOTES = (
    "2021-March-1 16:17\n\nPort Opens\n\n"
    'TEHRAN (FNA)- \u201cThe port is open, the minister said. "It will grow.\n\n'
    "He added \u201cthat exports would \u201d rise \u201d soon.\n"
)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[Any], list[str]]:
    """(exit code, records printed, stderr lines) of `wirescope extract --format jsonl`."""
    code = main(["extract", "--format", "jsonl", *args])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    return code, records, [line for line in err.splitlines() if line.strip()]


def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty file": tmp_path / "empty.txt",
        "binary file, not text": tmp_path / "image.txt",
        "undecodable bytes": tmp_path / "mixed.txt",
        "file too large (100.0 MB > 20 MB limit)": tmp_path / "huge.txt",
        "no such file or directory": tmp_path / "missing.txt",
    }
    files["empty file"].write_bytes(b"")
    files["binary file, not text"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    files["undecodable bytes"].write_bytes(b"plain \x81\x8d bytes")
    with files["file too large (100.0 MB > 20 MB limit)"].open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse, so the test stays fast
    return files


def test_bad_files_among_good_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = bad_files(tmp_path)
    code, records, errors = run_cli(capsys, str(good), *map(str, bad.values()))
    assert code != 0
    assert [r["source"]["path"] for r in records] == [str(good)]
    assert len(errors) == len(bad)
    for reason, path in bad.items():
        (line,) = [e for e in errors if str(path) in e]
        assert reason in line
    assert not any("Traceback" in e for e in errors)


def test_jsonl_with_bad_line_in_the_middle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": GOOD}),
        "{broken",
        json.dumps({"id": "c", "text": GOOD}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, records, errors = run_cli(capsys, str(p))
    assert code != 0
    assert [r["input_id"] for r in records] == ["a", "c"]
    (line,) = errors
    assert f"{p}:line 2" in line and "invalid JSON" in line


def test_directory_with_one_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00")
    (tmp_path / "c.txt").write_text(NO_QUOTES, encoding="utf-8")
    code, records, errors = run_cli(capsys, str(tmp_path))
    assert code != 0
    assert len(records) == 2
    (line,) = errors
    assert str(tmp_path / "b.txt") in line and "binary file, not text" in line


def test_article_without_quotes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "calm.txt"
    p.write_text(NO_QUOTES, encoding="utf-8")
    code, records, errors = run_cli(capsys, str(p))
    assert (code, errors) == (0, [])
    (record,) = records
    assert record["quotes"] == []
    assert record["headline"] == "Port Opens"


def test_odd_number_of_quote_marks_never_crashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "odd.txt"
    p.write_text(ODD_QUOTES, encoding="utf-8")
    code, records, errors = run_cli(capsys, str(p))
    assert (code, errors) == (0, [])
    assert len(records) == 1


def test_real_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad = bad_files(tmp_path)
    cmd = [sys.executable, "-m", "wirescope", "extract", "--format", "jsonl", str(good)]
    proc = subprocess.run(
        [*cmd, *map(str, bad.values())], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == len(bad)
    assert len(proc.stdout.strip().splitlines()) == 1
