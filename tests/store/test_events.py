"""Events across the corpus (store/events.py), the CLI over it and the HTTP endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirescope.pipeline.build import process_one
from wirescope.record.models import RawDocument, Record
from wirescope.store.base import ArticleKey, Store
from wirescope.store.events import EventFilter, find_events

TEXTS = {
    "a.txt": (
        "2021-03-01\n\nGunmen attacked a bus in the city of Aleppo on Monday, police said. "
        '"Our forces destroyed the bridge," army spokesman John Smith said.'
    ),
    "b.txt": "2020-05-04\n\nThe company opened a factory in Lyon on Friday.",
}


def _records() -> list[Record]:
    out = []
    for name, text in TEXTS.items():
        raw = RawDocument(text=text, path=name, format="text")
        out.append(process_one(raw))
    return out


def _fill(store: Store) -> None:
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in _records()], [])


def test_events_by_place_since_and_claimant(store: Store) -> None:
    _fill(store)
    aleppo = find_events(store, EventFilter(where="aleppo"))
    assert [h.trigger for h in aleppo] == ["attacked"]
    assert aleppo[0].when == "2021-03-01" and aleppo[0].where == "Aleppo"
    recent = {h.trigger for h in find_events(store, EventFilter(since="2021-01-01"))}
    assert "attacked" in recent and "opened" not in recent
    assert aleppo[0].claimed_by == "police"  # reported by the police, not seen
    claimed = find_events(store, EventFilter(claimed_by="smith"))
    assert [h.trigger for h in claimed] == ["destroyed"]
    assert claimed[0].claimed_by and "Smith" in claimed[0].claimed_by


def test_events_by_actor(store: Store) -> None:
    _fill(store)
    hits = find_events(store, EventFilter(actor="company"))
    assert [h.trigger for h in hits] == ["opened"]
    assert hits[0].patients == ["a factory"]


def test_cli_events_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wirescope.cli.main import main
    from wirescope.store.sqlite import SQLiteStore

    db = tmp_path / "c.db"
    store = SQLiteStore(str(db))
    _fill(store)
    store.close()
    assert main(["events", "--db", str(db), "--where", "Lyon", "--format", "json"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    assert hit["trigger"] == "opened" and hit["where"] == "Lyon" and hit["event_class"]


def test_http_events_endpoint(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from wirescope.store.sqlite import SQLiteStore
    from wirescope.web.app import Settings, create_app

    db = tmp_path / "c.db"
    store = SQLiteStore(str(db))
    _fill(store)
    store.close()
    with TestClient(create_app(Settings(db=str(db)))) as client:
        r = client.get("/events", params={"claimed_by": "Smith"})
    assert r.status_code == 200
    assert [h["trigger"] for h in r.json()["data"]] == ["destroyed"]
