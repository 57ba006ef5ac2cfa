"""`wirescope quotations` and `wirescope quotation ID` over a small store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.store.test_quotations import corpus, write
from wirescope.cli.main import main
from wirescope.store.sqlite import SQLiteStore


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "wire.db"
    store = SQLiteStore(path)
    write(store, corpus())
    store.close()
    return str(path)


def test_quotations_by_spread_and_one_quotation(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quotations", "--db", db, "--min-outlets", "2", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 2 and all(q["outlets"] == 2 for q in listed)
    top = listed[0]
    assert set(top) >= {
        "id",
        "text",
        "first_seen",
        "occurrences",
        "speakers",
        "disputed",
        "outlets",
    }
    assert top["first_seen"]["outlet"] == "Wire"
    assert main(["quotation", top["id"][:8], "--db", db]) == 0
    out = capsys.readouterr().out
    assert "first seen: 2024-05-07T10:00:00 in Wire" in out
    assert "Daily Courier (reprint)" in out
    assert "[-and we will not let the provinces stand in the way of it,-]" in out


def test_speaker_filter_and_unknown_id(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quotations", "--db", db, "--speaker", "Nobody Here", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["quotation", "Qnope", "--db", db]) == 1
    assert "no quotation 'Qnope'" in capsys.readouterr().err
