"""`--published DATE`: a publication time for texts that state none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirescope.cli.main import main
from wirescope.store.sqlite import SQLiteStore

TEXT = "Port strike ends\n\nDockers will return to work on Wednesday, the union said.\n"


def test_extract_published_anchors_relative_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(TEXT, "utf-8")
    assert (
        main(["extract", "--format", "json", "--published", "2022-05-10T09:30+03:00", str(path)])
        == 0
    )
    (record,) = json.loads(capsys.readouterr().out)
    assert record["published"] == "2022-05-10T09:30:00+03:00"
    assert [(d["text"], d["value"]) for d in record["dates"]] == [("Wednesday", "2022-05-11")]


def test_a_stamp_in_the_text_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "stamped.txt"
    path.write_text("2021-March-1  16:17\n\n" + TEXT, "utf-8")
    assert main(["extract", "--format", "json", "--published", "2022-05-10", str(path)]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["published"] == "2021-03-01T16:17:00"


def test_bad_published_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract", "--published", "next Tuesday", str(tmp_path / "x.txt")])
    assert exc.value.code == 2
    assert "not an ISO date" in capsys.readouterr().err


def test_ingest_published(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(TEXT, "utf-8")
    db = str(tmp_path / "c.db")
    assert (
        main(["ingest", str(path), "--db", db, "--workers", "1", "--published", "2022-05-10"]) == 0
    )
    store = SQLiteStore(db)
    try:
        (record,) = list(store.iter_records())
    finally:
        store.close()
    assert record.published is not None and record.published.date().isoformat() == "2022-05-10"
    assert [d.value for d in record.dates] == ["2022-05-11"]
