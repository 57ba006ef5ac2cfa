"""Events across the corpus (store/events.py), the CLI over it and the HTTP endpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from wirescope.pipeline.build import process_one
from wirescope.record.models import Entity, Event, RawDocument, Record
from wirescope.store.base import ArticleKey, Store
from wirescope.store.events import EventFilter

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
    aleppo = store.events(EventFilter(where="aleppo"))
    assert [h.trigger for h in aleppo] == ["attacked"]
    assert aleppo[0].when == "2021-03-01" and aleppo[0].where == "Aleppo"
    recent = {h.trigger for h in store.events(EventFilter(since="2021-01-01"))}
    assert "attacked" in recent and "opened" not in recent
    assert aleppo[0].claimed_by == "police"  # reported by the police, not seen
    claimed = store.events(EventFilter(claimed_by="smith"))
    assert [h.trigger for h in claimed] == ["destroyed"]
    assert claimed[0].claimed_by and "Smith" in claimed[0].claimed_by


def test_events_by_article_in_text_order(store: Store) -> None:
    _fill(store)
    ids = {r.source["path"]: r.id for r in _records()}
    a = store.events(EventFilter(article_id=ids["a.txt"]))
    assert a and {h.article_id for h in a} == {ids["a.txt"]}
    assert [h.trigger for h in a].index("attacked") < [h.trigger for h in a].index("destroyed")
    assert store.event_count(EventFilter(article_id=ids["a.txt"])) == len(a)
    b = store.events(EventFilter(article_id=ids["b.txt"]))
    assert [h.trigger for h in b] == ["opened"]
    assert store.events(EventFilter(article_id="no-such-article")) == []


def test_events_by_actor(store: Store) -> None:
    _fill(store)
    hits = store.events(EventFilter(actor="company"))
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
        r = client.get("/events.json", params={"claimed_by": "Smith"})
    assert r.status_code == 200
    assert [h["trigger"] for h in r.json()["data"]] == ["destroyed"]


def _hand_record(rid: str, published: str, when: str, where_gid: int) -> Record:
    """A record built by hand: Dana Reyes (a person) shelled a depot in Harbor Town."""
    text = f"{published}\n\nDana Reyes shelled the depot in Harbor Town, she said."
    reyes = text.index("Dana Reyes")
    town = text.index("Harbor Town")
    raw = RawDocument(text=text, path=f"{rid}.txt", format="text")
    record = process_one(raw)
    people = [
        Entity("p1", "PERSON", "Dana Reyes", mentions=[(reyes, reyes + 10)]),
        Entity(
            "g1",
            "PLACE",
            "Harbor Town",
            mentions=[(town, town + 11)],
            aliases=["Port Harbor"],
            geonames_id=where_gid,
        ),
    ]
    ev = Event(
        id="e1",
        span=(reyes, town + 11),
        trigger="shelled",
        actors=["p1"],
        patient_texts=["the depot"],
        where="g1",
        when=when,
        when_source="anchored",
        event_class="OCCURRENCE",
    )
    return replace(record, id=rid, entities=people, quotes=[], events=[ev])


def _hand_fill(store: Store) -> None:
    records = [
        _hand_record("r1", "2021-03-01", "2021-02-27", 111),
        _hand_record("r2", "2021-05-02", "2021-05", 222),
        _hand_record("r3", "2022-01-09", "2022-01-08", 111),
    ]
    store.write_batch([(ArticleKey(f"{r.id}.txt"), r) for r in records], [])


def test_events_of_a_person_by_corpus_person_id(store: Store) -> None:
    _hand_fill(store)
    (person,) = store.people()
    hits = store.events(EventFilter(person_id=person.person_id))
    assert [h.article_id for h in hits] == ["r3", "r2", "r1"]  # newest first
    assert hits[0].actors == ["Dana Reyes"] and hits[0].patients == ["the depot"]
    assert hits[0].people == {"Dana Reyes": person.person_id}
    assert store.events(EventFilter(person_id="nobody")) == []


def test_events_of_a_place_by_name_alias_or_geonames_id(store: Store) -> None:
    _hand_fill(store)
    assert {h.article_id for h in store.events(EventFilter(geonames_id=111))} == {"r1", "r3"}
    assert len(store.events(EventFilter(where="port harbor"))) == 3  # an alias, in part
    assert len(store.events(EventFilter(place="Harbor Town"))) == 3
    assert store.events(EventFilter(place="Harbor")) == []  # the exact name only


def test_event_dates_filter_count_and_chart(store: Store) -> None:
    _hand_fill(store)
    since = store.events(EventFilter(since="2021-05-01", until="2021-12-31"))
    assert [h.when for h in since] == ["2021-05"]  # the month holds the day asked from
    assert store.event_count(EventFilter(since="2021-03-01")) == 2
    assert store.event_months() == [("2021-02", 1), ("2021-05", 1), ("2022-01", 1)]
    assert store.event_months(EventFilter(geonames_id=222)) == [("2021-05", 1)]
    page = store.events(limit=1, offset=1)
    assert [h.article_id for h in page] == ["r2"]


def test_events_go_with_their_article_and_survive_a_people_rebuild(store: Store) -> None:
    _hand_fill(store)
    store.rebuild_people()
    (person,) = store.people()
    assert store.event_count(EventFilter(person_id=person.person_id)) == 3
    assert store.delete("r1")
    assert store.event_count() == 2


def test_migration_fills_the_events_of_records_stored_before(
    open_fresh: Callable[[], Store], downgrade: Callable[[Store, int], None]
) -> None:
    old = open_fresh()
    _hand_fill(old)
    want = old.events()
    downgrade(old, old.EVENTS_VERSION - 1)  # type: ignore[attr-defined]
    old.close()
    store = open_fresh()
    assert store.events() == want and len(want) == 3
    assert want[0].people  # the person as the store had matched them
