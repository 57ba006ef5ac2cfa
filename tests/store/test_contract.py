"""One contract suite, run against every Store backend (see conftest.open_fresh)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from wirescope.record.models import DateMention, Failure, Record
from wirescope.record.serialize import record_to_dict
from wirescope.store.base import ArticleKey, Store

Make = Callable[..., Record]

A1_TEXT = (
    "TEHRAN (FNA)- Secretary of Iran's Expediency Council Mohsen Rezayee said Armenia "
    'should return all occupied lands. "Armenia must also hand over the remaining '
    'territories around Stepanakert," Rezayee said. "Azerbaijan is our neighbor," he said. '
    "Supreme Leader Ali Khamenei said unity in Karabakh matters."
)
A2_TEXT = (
    "TEHRAN (FNA)- Mohsen Rezaei said sanctions on Iran are a crime. "
    '"The sanctions will fail," Rezaei said. Mojtaba Khamenei said the seminaries would help.'
)
A3_TEXT = (
    "TEHRAN (FNA)- Rezaie said on Saturday that the U.S. -- and Iran's neighbours -- "
    'must respect "the will of the nations of the region", Rezaie said.'
)


def corpus(make: Make) -> list[Record]:
    a1 = make(
        "a1",
        A1_TEXT,
        headline="Rezayee: Armenia should return occupied lands",
        published="2021-03-01T16:17:00",
        people=[
            {
                "id": "p1",
                "name": "Mohsen Rezayee",
                "roles": ["Secretary of Iran's Expediency Council"],
            },
            {"id": "p2", "name": "Ali Khamenei", "roles": ["Supreme Leader"]},
        ],
        places=[
            {
                "id": "g1",
                "name": "Khankendi",
                "aliases": ["Stepanakert"],
                "mention": "Stepanakert",
                "country": "AZ",
                "lat": 39.82,
                "lon": 46.75,
            }
        ],
        quotes=[
            {
                "text": "Armenia should return all occupied lands",
                "kind": "indirect",
                "speaker": "p1",
                "speaker_text": "Mohsen Rezayee",
            },
            {
                "text": "Armenia must also hand over the remaining territories around Stepanakert,",
                "speaker": "p1",
                "speaker_text": "Rezayee",
            },
            {"text": "Azerbaijan is our neighbor,", "speaker": "p1", "speaker_text": "he"},
            {
                "text": "unity in Karabakh matters",
                "kind": "indirect",
                "speaker": "p2",
                "speaker_text": "Ali Khamenei",
            },
        ],
    )
    a2 = make(
        "a2",
        A2_TEXT,
        headline="Sanctions will fail, says Rezaei",
        published="2021-03-05T09:00:00",
        people=[
            {"id": "p1", "name": "Mohsen Rezaei"},
            {"id": "p2", "name": "Mojtaba Khamenei"},
        ],
        quotes=[
            {"text": "The sanctions will fail,", "speaker": "p1", "speaker_text": "Rezaei"},
            {
                "text": "the seminaries would help",
                "kind": "indirect",
                "speaker": "p2",
                "speaker_text": "Mojtaba Khamenei",
            },
        ],
    )
    a3 = make(
        "a3",
        A3_TEXT,
        headline="Region's will",
        published="2021-04-10T08:00:00",
        people=[{"id": "p1", "name": "Rezaie"}],
        quotes=[
            {
                "text": 'must respect "the will of the nations of the region"',
                "kind": "mixed",
                "speaker": "p1",
                "speaker_text": "Rezaie",
            }
        ],
    )
    return [a1, a2, a3]


def ingest(store: Store, records: list[Record]) -> None:
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in records], [])


def test_round_trip_equals_the_record(store: Store, make: Make) -> None:
    records = corpus(make)
    ingest(store, records)
    for r in records:
        assert store.get(r.id) == r
    assert store.get("nope") is None


def test_write_is_idempotent(store: Store, make: Make) -> None:
    records = corpus(make)
    ingest(store, records)
    before = store.count()
    ingest(store, records)
    assert store.count() == before == {"articles": 3, "quotes": 7, "people": 3, "failures": 0}
    paths = [r.source["path"] for r in records]
    assert store.hashes_for([*paths, "/not/stored.txt"]) == {
        p: r.id for p, r in zip(paths, records, strict=True)
    }


def test_changed_content_replaces_the_article(store: Store, make: Make) -> None:
    a1, a2, _ = corpus(make)
    ingest(store, [a1, a2])
    new = replace(a2, id="a2v2", text=a2.text + " More.", quotes=a2.quotes[:1])
    key = ArticleKey(a2.source["path"])
    store.write_batch([(key, new)], [])
    assert store.get("a2") is None
    assert store.get("a2v2") == new
    assert store.hashes_for([key.as_str()]) == {key.as_str(): "a2v2"}
    assert store.count()["articles"] == 2
    assert {(h.article_id, h.quote_id) for h in store.quotes(speaker="Mojtaba Khamenei")} == set()
    assert [h.article_id for h in store.quotes(about="sanctions")] == ["a2v2"]
    assert [h.article_id for h in store.search("sanctions") if h.type == "article"] == ["a2v2"]


def test_same_content_under_another_key_is_stored_once(store: Store, make: Make) -> None:
    a1 = corpus(make)[0]
    ingest(store, [a1])
    store.write_batch([(ArticleKey("/elsewhere/copy.txt"), a1)], [])
    assert store.count()["articles"] == 1
    # The second key names the stored article, so a re-ingest skips it.
    assert store.hashes_for(["/elsewhere/copy.txt"]) == {"/elsewhere/copy.txt": "a1"}


def test_a_key_whose_new_text_is_stored_elsewhere_points_there(store: Store, make: Make) -> None:
    a1, a2, _ = corpus(make)
    ingest(store, [a1, a2])
    key1 = ArticleKey(a1.source["path"])
    # a1's source now holds a2's text: its old article goes, the key names a2.
    store.write_batch([(key1, a2)], [Failure(key1.path, "parse failed: old reason")])
    assert store.get("a1") is None
    assert store.hashes_for([key1.as_str()]) == {key1.as_str(): "a2"}
    assert store.count()["articles"] == 1
    assert store.quotes(about="Stepanakert") == []
    # And it moves on again when its text changes once more.
    store.write_batch([(key1, a1)], [])
    assert store.hashes_for([key1.as_str(), a2.source["path"]]) == {
        key1.as_str(): "a1",
        a2.source["path"]: "a2",
    }
    assert store.failures() == []


def test_deleting_an_aliased_article_drops_its_aliases(store: Store, make: Make) -> None:
    a1, a2, _ = corpus(make)
    key1, copy = ArticleKey(a1.source["path"]), ArticleKey("/copy.txt")
    store.write_batch([(key1, a1), (copy, a1)], [])
    store.write_batch([(key1, a2)], [])  # a1's own source changed
    # The copy's article is gone, so the next ingest reads the copy again.
    assert store.hashes_for([key1.as_str(), copy.as_str()]) == {key1.as_str(): "a2"}


OLD, NEW = '{"wirescope":"0.0.9"}', '{"wirescope":"0.1.0"}'  # two extractors' fingerprints


def test_the_same_text_made_by_another_extractor_is_replaced(store: Store, make: Make) -> None:
    a1, a2, _ = corpus(make)
    key1, key2 = ArticleKey(a1.source["path"]), ArticleKey(a2.source["path"])
    store.write_batch([(key1, a1), (key2, a2)], [], fingerprint=OLD)
    assert store.made_by("a1") == OLD and store.made_by("nope") is None
    # Skipped by an ingest of the same extractor, not by one of another.
    assert store.hashes_for([key1.as_str()], OLD) == {key1.as_str(): "a1"}
    assert store.hashes_for([key1.as_str()], NEW) == {}
    assert store.hashes_for([key1.as_str()]) == {key1.as_str(): "a1"}
    assert store.stale_paths(NEW) == sorted([key1.path, key2.path])
    remade = replace(a1, quotes=a1.quotes[:1])
    store.write_batch([(key1, remade)], [], fingerprint=NEW)
    assert store.get("a1") == remade and store.made_by("a1") == NEW
    assert store.count()["articles"] == 2
    assert {h.quote_id for h in store.quotes() if h.article_id == "a1"} == {"q1"}
    assert store.stale_paths(NEW) == [key2.path]
    # The same record by the same extractor again changes nothing.
    store.write_batch([(key1, a1)], [], fingerprint=NEW)
    assert store.get("a1") == remade


def test_remaking_an_aliased_article_keeps_its_aliases(store: Store, make: Make) -> None:
    a1 = corpus(make)[0]
    key1, copy = ArticleKey(a1.source["path"]), ArticleKey("/copy.txt")
    store.write_batch([(key1, a1), (copy, a1)], [], fingerprint=OLD)
    assert store.hashes_for([copy.as_str()], OLD) == {copy.as_str(): "a1"}
    assert store.stale_paths(NEW) == sorted([key1.path, copy.path])
    # Made again through the copy's key: the article moves there, the old key names it.
    store.write_batch([(copy, a1)], [], fingerprint=NEW)
    keys = [key1.as_str(), copy.as_str()]
    assert store.hashes_for(keys, NEW) == {k: "a1" for k in keys}
    assert store.count()["articles"] == 1 and store.stale_paths(NEW) == []
    # And through its own key again, by a third one.
    store.write_batch([(key1, a1)], [], fingerprint=OLD)
    assert store.hashes_for(keys, OLD) == {k: "a1" for k in keys}


def test_the_worker_json_is_stored_as_is(store: Store, make: Make) -> None:
    a1 = corpus(make)[0]
    text = json.dumps(record_to_dict(a1), ensure_ascii=False, indent=1)  # any spelling of it
    store.write_batch([(ArticleKey(a1.source["path"]), a1)], [], record_json=[text])
    assert store.get("a1") == a1
    conn = store.conn  # type: ignore[attr-defined]  # both backends' connections
    assert conn.execute("SELECT record_json FROM articles").fetchone()[0] == text


def test_migration_to_fingerprints_keeps_records_as_made_by_an_unknown_extractor(
    open_fresh: Callable[[], Store], make: Make, downgrade: Callable[[Store, int], None]
) -> None:
    old = open_fresh()
    ingest(old, corpus(make))
    version = old.schema_version()
    from wirescope.store.sqlite import SQLiteStore

    before = 3 if isinstance(old, SQLiteStore) else 4
    downgrade(old, before)  # as a database written before fingerprints
    old.close()
    store = open_fresh()
    assert store.schema_version() == version
    assert store.made_by("a1") is None and store.get("a1") is not None
    assert len(store.stale_paths(NEW)) == 3


def test_input_id_is_part_of_the_key(store: Store, make: Make) -> None:
    a1, a2, _ = corpus(make)
    store.write_batch([(ArticleKey("in.jsonl", "1"), a1), (ArticleKey("in.jsonl", "2"), a2)], [])
    assert store.hashes_for(["in.jsonl#1", "in.jsonl#2", "in.jsonl"]) == {
        "in.jsonl#1": "a1",
        "in.jsonl#2": "a2",
    }


def test_failures_are_recorded_and_listed(store: Store, make: Make) -> None:
    a1 = corpus(make)[0]
    store.write_batch([(ArticleKey("ok.txt"), a1)], [Failure("bad.html", "read failed: empty")])
    store.write_batch([], [Failure("in.jsonl", "parse failed: no text", input_id="7")])
    assert [(f.path, f.input_id, f.reason) for f in store.failures()] == [
        ("bad.html", None, "read failed: empty"),
        ("in.jsonl", "7", "parse failed: no text"),
    ]
    # The same source failing again is listed once, with the latest reason.
    store.write_batch([], [Failure("bad.html", "read failed: still empty")])
    assert sorted(f.reason for f in store.failures()) == [
        "parse failed: no text",
        "read failed: still empty",
    ]
    assert store.count()["failures"] == 2
    # A source that succeeds later is no longer a failure.
    store.write_batch([(ArticleKey("bad.html"), corpus(make)[1])], [])
    assert [f.path for f in store.failures()] == ["in.jsonl"]


def test_a_batch_is_atomic(store: Store, make: Make) -> None:
    a1, a2, a3 = corpus(make)
    broken = replace(a2, quotes=[a2.quotes[0], a2.quotes[0]])  # duplicate quote id
    with pytest.raises(Exception):  # noqa: B017 - each backend raises its own error
        ingest(store, [a1, broken])
    assert store.count() == {"articles": 0, "quotes": 0, "people": 0, "failures": 0}
    ingest(store, [a1, a3])  # the people index forgot what the failed batch taught it
    assert store.count()["people"] == 2
    assert store.people()[0].name == "Mohsen Rezayee"


def test_quotes_by_speaker_across_transliterations(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    for query in ["Rezaei", "Mohsen Rezayee", "Mohsen Rezaie", "rezayee", "Rezaee"]:
        hits = store.quotes(speaker=query)
        assert {(h.article_id, h.quote_id) for h in hits} == {
            ("a1", "q1"),
            ("a1", "q2"),
            ("a1", "q3"),
            ("a2", "q1"),
            ("a3", "q1"),
        }, query
        assert {h.speaker for h in hits} == {"Mohsen Rezayee"}
    # Newest first, and the mention as written is kept.
    hits = store.quotes(speaker="Rezaei")
    assert hits[0].article_id == "a3" and hits[0].speaker_text == "Rezaie"
    assert hits[0].published and hits[0].published.startswith("2021-04-10")
    assert {h.speaker_text for h in hits} >= {"he", "Rezaei", "Rezayee"}


def test_same_surname_different_people(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert [h.text for h in store.quotes(speaker="Ali Khamenei")] == ["unity in Karabakh matters"]
    assert [h.text for h in store.quotes(speaker="Mojtaba Khamenei")] == [
        "the seminaries would help"
    ]
    assert len(store.quotes(speaker="Khamenei")) == 2
    assert store.quotes(speaker="Nobody Atall") == []


def _person(make: Make, rid: str, *names: str, day: str = "2021-01-01") -> Record:
    """An article naming these people, one entity each."""
    text = "TEHRAN (FNA)- " + " and ".join(names) + " met on Monday."
    people = [{"id": f"p{i}", "name": n} for i, n in enumerate(names, 1)]
    return make(rid, text, people=people, published=f"{day}T08:00:00")


def _person_ids(store: Store, rid: str) -> dict[str, str]:
    return {s.entity_id: s.person_id for s in store.speakers(rid)}


def test_people_merge_across_batches_and_reopens(
    open_fresh: Callable[[], Store], make: Make
) -> None:
    first = open_fresh()
    ingest(first, [_person(make, "b1", "Ali Larijani", "Ali Akbar Velayati")])
    first.close()
    store = open_fresh()  # nothing about people is carried over in memory
    # A misspelled surname (similar key, not the same key) finds the stored person.
    ingest(store, [_person(make, "b2", "Ali Larigani")])
    ingest(store, [_person(make, "b3", "Ali Akbar Vilayatollahi")])
    assert _person_ids(store, "b2")["p1"] == _person_ids(store, "b1")["p1"]
    assert _person_ids(store, "b3")["p1"] != _person_ids(store, "b1")["p2"]
    assert [p.name for p in store.people() if p.name.startswith("Ali Lari")] == ["Ali Larijani"]
    assert {h.speaker for h in store.quotes(speaker="Larigani")} <= {"Ali Larijani"}


def test_bare_surname_uses_stored_co_occurrence(
    open_fresh: Callable[[], Store], make: Make
) -> None:
    store = open_fresh()
    ingest(store, [_person(make, "c1", "Ali Khamenei", "Hassan Rouhani")])
    ingest(store, [_person(make, "c2", "Mojtaba Khamenei")])
    store.close()
    store = open_fresh()
    ingest(store, [_person(make, "c3", "Hasan Rohani", "Khamenei", day="2021-01-02")])
    ids = _person_ids(store, "c3")
    assert ids["p2"] == _person_ids(store, "c1")["p1"]  # Ali, seen with Rouhani before
    assert ids["p1"] == _person_ids(store, "c1")["p2"]


def test_new_people_of_one_batch_match_each_other(store: Store, make: Make) -> None:
    ingest(
        store,
        [
            _person(make, "d1", "Mohsen Rezayee"),
            _person(make, "d2", "Mohsen Rezaei"),
            _person(make, "d3", "Rezaie"),
        ],
    )
    assert len({_person_ids(store, r)["p1"] for r in ("d1", "d2", "d3")}) == 1
    assert store.count()["people"] == 1


def test_quotes_about(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert [h.text for h in store.quotes(about="sanctions")] == ["The sanctions will fail,"]
    # An entity named in the quote, found by any of its names.
    for name in ["Stepanakert", "khankendi"]:
        hits = store.quotes(about=name)
        assert [(h.article_id, h.quote_id) for h in hits] == [("a1", "q2")], name
    assert store.quotes(about="Karabakh", speaker="Khamenei")[0].quote_id == "q4"
    assert store.quotes(about="zzyzx") == []


def test_quotes_by_date_and_kind(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert {h.article_id for h in store.quotes(since=date(2021, 3, 5))} == {"a2", "a3"}
    assert {h.article_id for h in store.quotes(until=date(2021, 3, 5))} == {"a1", "a2"}
    assert {h.article_id for h in store.quotes(until=date(2021, 3, 4))} == {"a1"}
    window = store.quotes(since=date(2021, 3, 2), until=date(2021, 3, 31))
    assert {h.article_id for h in window} == {"a2"}
    assert [h.quote_id for h in store.quotes(kind="mixed")] == ["q1"]
    assert {h.kind for h in store.quotes(kind="indirect")} == {"indirect"}
    assert len(store.quotes(kind="indirect")) == 3
    assert len(store.quotes(limit=2)) == 2
    assert len(store.quotes()) == 7


def test_people_with_roles_and_first_last_seen(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    people = store.people()
    assert people[0].name == "Mohsen Rezayee"  # most quoted first
    rez = people[0]
    assert (rez.quotes, rez.articles) == (5, 3)
    assert (rez.first_seen, rez.last_seen) == ("2021-03-01", "2021-04-10")
    assert set(rez.variants) == {"Mohsen Rezaei", "Rezaie"}
    assert rez.roles[0]["role"] == "Secretary of Iran's Expediency Council"
    assert rez.roles[0]["as_of"] == "2021-03-01"
    assert sorted(p.name for p in people) == [
        "Ali Khamenei",
        "Mohsen Rezayee",
        "Mojtaba Khamenei",
    ]
    assert [p.name for p in store.people(role="expediency council")] == ["Mohsen Rezayee"]
    assert [p.name for p in store.people(role="supreme leader")] == ["Ali Khamenei"]
    assert store.people(role="mayor") == []
    assert len(store.people(limit=1)) == 1


def test_speakers_of_an_article(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    by_entity = {s.entity_id: s for s in store.speakers("a3")}
    assert by_entity["p1"].name == "Mohsen Rezayee"
    a1 = {s.entity_id: s.person_id for s in store.speakers("a1")}
    assert by_entity["p1"].person_id == a1["p1"] != a1["p2"]


def test_search_ranks_and_highlights(store: Store, make: Make) -> None:
    records = corpus(make)
    many = make(
        "k1",
        "Karabakh talks. Karabakh ceasefire holds in Karabakh, officials in Karabakh said.",
        headline="Karabakh ceasefire",
        published="2021-05-01T00:00:00",
    )
    ingest(store, [*records, many])
    hits = store.search("Karabakh")
    articles = [h for h in hits if h.type == "article"]
    assert [h.article_id for h in articles] == ["k1", "a1"]
    assert articles[0].score > articles[1].score
    assert all("[[" in h.snippet and "]]" in h.snippet for h in hits)
    assert "[[Karabakh]]" in articles[1].snippet
    quotes = [h for h in hits if h.type == "quote"]
    assert [(h.article_id, h.quote_id) for h in quotes] == [("a1", "q4")]
    assert quotes[0].headline == records[0].headline
    # Stemming: "sanction" finds "sanctions".
    assert {h.article_id for h in store.search("sanction")} == {"a2"}
    assert len(store.search("Karabakh", limit=1)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "U.S. -- Iran's",
        '"',
        '"unbalanced',
        "AND OR NOT",
        "NEAR(a b)",
        "*",
        "-",
        "col:value",
        "a^b",
        "'; DROP TABLE articles; --",
        "(Iran",
        "   ",
        "%_?",
        "!@#$%^&*()",
    ],
)
def test_fts_hostile_input_never_errors(store: Store, make: Make, text: str) -> None:
    ingest(store, corpus(make))
    store.search(text)
    store.quotes(about=text)
    store.quotes(speaker=text)
    assert store.count()["articles"] == 3


def test_fts_hostile_input_still_finds(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert {h.article_id for h in store.search("U.S. -- Iran's") if h.type == "article"} == {"a3"}
    assert {h.article_id for h in store.search('"Iran')} == {"a1", "a2", "a3"}


def test_iter_records_and_count(store: Store, make: Make) -> None:
    records = corpus(make)
    ingest(store, records)
    assert list(store.iter_records()) == records  # oldest first
    assert store.count() == {"articles": 3, "quotes": 7, "people": 3, "failures": 0}


def test_article_ids_by_prefix(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert store.article_ids("a") == ["a1", "a2", "a3"]
    assert store.article_ids("a2") == ["a2"]
    assert store.article_ids("%") == []


def test_export_rows(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    cols, rows = store.export_rows("quotes")
    table = [dict(zip(cols, r, strict=True)) for r in rows]
    assert len(table) == 7 and table[0]["article_id"] == "a1"
    assert {t["speaker"] for t in table} == {"Mohsen Rezayee", "Ali Khamenei", "Mojtaba Khamenei"}
    cols, rows = store.export_rows("places")
    (place,) = [dict(zip(cols, r, strict=True)) for r in rows]
    assert (place["name"], place["country"], place["lat"]) == ("Khankendi", "AZ", 39.82)
    cols, rows = store.export_rows("articles")
    assert [r[cols.index("quotes")] for r in rows] == [4, 2, 1]
    cols, rows = store.export_rows("people")
    assert len(list(rows)) == 3 and "roles" in cols


def test_migrations_apply_once(open_fresh: Callable[[], Store], make: Make) -> None:
    first = open_fresh()
    version = first.schema_version()
    assert version >= 1
    ingest(first, corpus(make)[:1])
    first.close()
    again = open_fresh()
    assert again.schema_version() == version
    assert again.count()["articles"] == 1
    # The people index is reloaded from the database: a variant still merges.
    ingest(again, corpus(make)[1:2])
    assert len(again.quotes(speaker="Mohsen Rezayee")) == 4


def test_migration_3_indexes_people_stored_before(
    open_fresh: Callable[[], Store], make: Make, downgrade: Callable[[Store, int], None]
) -> None:
    old = open_fresh()
    ingest(old, corpus(make)[:2])
    downgrade(old, 2)  # as a database written before person_keys existed
    old.close()
    store = open_fresh()
    assert store.schema_version() >= 3
    ingest(store, corpus(make)[2:])  # "Rezaie" alone must find Mohsen Rezayee
    assert store.count()["people"] == 3
    assert len(store.quotes(speaker="Mohsen Rezayee")) == 5


def test_migration_to_dated_quotes_fills_stores_written_before(
    open_fresh: Callable[[], Store], make: Make, downgrade: Callable[[Store, int], None]
) -> None:
    records = corpus(make)
    fresh = open_fresh()
    ingest(fresh, records)
    asked = [
        dict(speaker="Mohsen Rezayee"),
        dict(about="Stepanakert"),
        dict(about="Khamenei"),
        dict(about="sanctions", limit=1),
        dict(since=date(2021, 3, 2), limit=5),
        dict(),
    ]
    answers = [fresh.quotes(**q) for q in asked]  # type: ignore[arg-type]
    version = fresh.schema_version()
    before = 5 if type(fresh).__name__ == "SQLiteStore" else 8
    downgrade(fresh, before)  # as a database written before quotes had dates
    fresh.close()
    store = open_fresh()
    assert store.schema_version() == version
    assert [store.quotes(**q) for q in asked] == answers  # type: ignore[arg-type]
    assert all(h.published for a in answers for h in a if h.article_id != "a3")
    assert answers[1] and answers[2]  # found through the mentions a quote holds


# A writer process: waits for the go file, then writes its records one batch each.
_WRITER = """
import json, os, sys, time
from wirescope.record.serialize import record_from_dict
from wirescope.store import ArticleKey, open_store
db, records, go = sys.argv[1:4]
store = open_store(db)
batches = [record_from_dict(d) for d in json.load(open(records))]
while not os.path.exists(go):
    time.sleep(0.001)
for r in batches:
    store.write_batch([(ArticleKey(r.source["path"]), r)], [])
store.close()
"""

# Surnames that are one name only by the similar-key fallback (j / g), 14 people.
_PAIRS = [(f"{c}arajani", f"{c}aragani") for c in "BDFHKLMNPRSTVZ"]


def test_concurrent_writers_create_each_person_once(
    open_fresh: Callable[[], Store], make: Make, tmp_path: Path
) -> None:
    open_fresh().close()  # create and migrate it before the writers race
    db = open_fresh.db  # type: ignore[attr-defined]
    go = tmp_path / "go"
    procs = []
    for side in (0, 1):
        records = [
            record_to_dict(_person(make, f"w{side}-{i}", f"Ali {pair[side]}"))
            for i, pair in enumerate(_PAIRS)
        ]
        batch_file = tmp_path / f"writer{side}.json"
        batch_file.write_text(json.dumps(records), encoding="utf-8")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", _WRITER, db, str(batch_file), str(go)],
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    time.sleep(1.0)  # both have imported wirescope and opened the store (not asserted)
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store = open_fresh()
    assert store.count()["articles"] == 2 * len(_PAIRS)
    people = store.people()
    assert len(people) == len(_PAIRS), sorted(p.name for p in people)
    assert all(p.articles == 2 for p in people)


def test_a_nul_character_in_query_text_is_dropped(store: Store, make: Make) -> None:
    # FTS5 took NUL for the end of its query ("unterminated string"), a 500 in the web
    # API; PostgreSQL refuses NUL in any text parameter.
    ingest(store, corpus(make))
    assert store.search("sanc\x00tions") == store.search("sanctions") != []
    hits = store.quotes(speaker="Mohsen\x00 Rezayee", about="sanc\x00tions")
    assert hits and hits == store.quotes(speaker="Mohsen Rezayee", about="sanctions")


def test_timex_dates_and_zoned_times_round_trip(store: Store, make: Make) -> None:
    """TIMEX3 types and mods (schema wirescope/1, optional fields) and a publication time
    with its UTC offset come back as written; date filters still see the article."""
    text = "He said on Wednesday the talks will last 90 days, every year until 2030."
    quote = [{"text": "the talks will last 90 days", "kind": "indirect"}]
    r = make("z1", text, published="2024-03-12T08:45:00+01:00", quotes=quote)

    def at(s: str) -> tuple[int, int]:
        return (text.index(s), text.index(s) + len(s))

    r = replace(
        r,
        updated=datetime.fromisoformat("2024-03-12T16:20:31+01:00"),
        dates=[
            DateMention(at("Wednesday"), "Wednesday", "2024-03-13", "day"),
            DateMention(at("90 days"), "90 days", "P90D", None, type="DURATION"),
            DateMention(at("every year"), "every year", "P1Y", None, type="SET"),
            DateMention(at("2030"), "2030", "2030", "year", "until", mod="BEFORE"),
        ],
    )
    ingest(store, [r])
    assert store.get("z1") == r
    assert [h.article_id for h in store.quotes(since=date(2024, 3, 12))] == ["z1"]
    assert store.quotes(until=date(2024, 3, 11)) == []
    got = store.get("z1")
    assert got is not None and got.published is not None
    assert got.published.utcoffset() is not None


def test_pages_of_quote_lists_are_slices_of_the_whole_list(store: Store, make: Make) -> None:
    # Each criterion's branches are cut at limit + offset before they are merged: a page
    # must still be exactly that slice of the whole list, through ties of date and
    # undated articles, whichever branch (speaker name, person, words, mentions) found it.
    records = []
    for i in range(24):
        text = (
            f'"Kerman water is short, {i}," said Ali Karimi. "Sanctions hurt Kerman {i},"'
            f' he said. "Nothing else {i}," Reza Tavakoli said.'
        )
        records.append(
            make(
                f"k{i:02}",
                text,
                published=None if i % 5 == 0 else f"2021-03-0{1 + i % 3}T10:00:00",
                people=[
                    {"id": "p1", "name": "Ali Karimi"},
                    {"id": "p2", "name": "Reza Tavakoli"},
                ],
                places=[
                    {"id": "g1", "name": "Kerman", "aliases": ["Karmania"], "mention": "Kerman"}
                ],
                quotes=[
                    {
                        "text": f"Kerman water is short, {i},",
                        "speaker": "p1",
                        "speaker_text": "Ali Karimi",
                    },
                    {"text": f"Sanctions hurt Kerman {i},", "speaker": "p1"},
                    {
                        "text": f"Nothing else {i},",
                        "speaker": "p2",
                        "speaker_text": "Reza Tavakoli",
                    },
                ],
            )
        )
    ingest(store, records)
    karimi = store.quotes(speaker="Ali Karimi")[0].person_id
    asked: list[dict[str, Any]] = [
        dict(speaker="Ali Karimi"),
        dict(speaker="Reza Tavakoli", since=date(2021, 3, 2)),
        dict(about="Kerman"),
        dict(about="Kerman", until=date(2021, 3, 2)),
        dict(about="Karmania"),  # by the place's other name: mentions only
        dict(about="Karmania", since=date(2021, 3, 2)),
        dict(about="water", kind="direct"),
        dict(about="Kerman", speaker="Ali Karimi"),
        dict(person_id=karimi, about="sanctions"),
        dict(),
    ]
    for query in asked:
        whole = store.quotes(**query)
        assert whole, query
        dates = [h.published or "" for h in whole]
        dated = [d for d in dates if d]
        assert dated == sorted(dated, reverse=True) and dates == dated + [""] * (
            len(dates) - len(dated)
        ), query
        for limit, offset in [(1, 0), (5, 0), (5, 3), (7, 10), (50, 0), (4, 60)]:
            page = store.quotes(**query, limit=limit, offset=offset)
            assert page == whole[offset : offset + limit], (query, limit, offset)
    # Found through the place named inside the first quote of every article.
    assert {h.quote_id for h in store.quotes(about="Kerman")} == {"q1", "q2"}
    assert len(store.quotes(about="Kerman")) == 48
    assert {h.quote_id for h in store.quotes(about="Karmania")} == {"q1"}
    assert len(store.quotes(about="Karmania")) == 24


def test_a_name_looked_up_means_the_same_people_as_without_the_given_name_filter(
    store: Store, make: Make
) -> None:
    # `quotes --speaker NAME` loads only the people whose given names may agree with
    # NAME's (same first letter, none, or other names too); the people it finds must
    # be those a lookup over everyone with the surname finds.
    from wirescope.store._sql import SQLStore
    from wirescope.store.people import CorpusPerson, name_key, parse_name

    assert isinstance(store, SQLStore)
    # A bare "Karimi" after two full ones is ambiguous: a person known by surname only.
    names = ["Ali Karimi", "Reza Karimi", "M. Karimi", "Ali Karimy", "Karimi"]
    records = []
    for i, name in enumerate(names):
        text = f'"Water is short {i}," said {name}. Nothing more.'
        records.append(
            make(
                f"n{i}",
                text,
                people=[{"id": "p1", "name": name}],
                quotes=[{"text": f"Water is short {i},", "speaker": "p1", "speaker_text": name}],
            )
        )
    ingest(store, records)
    # Someone whose other spelling starts with another letter (given names are not
    # parsed from variants before the filter, so all who have variants are loaded).
    person = CorpusPerson("pyev", "Yevgeny Karimi", variants=["Evgeny Karimi"])
    with store._transaction():
        store._exec(
            "INSERT INTO people (person_id, name, name_key, variants) VALUES (?, ?, ?, ?)",
            (person.person_id, person.name, name_key(person.name), json.dumps(person.variants)),
        )
        store._insert_person_keys([(k, person.person_id) for k in person.surname_keys()])
    asked = [*names, "A. Karimi", "Ahmad Karimi", "Zahra Karimi", "R Karimi", "Evgeny Karimi"]
    for name in asked:
        everyone = store._people_for([parse_name(name).surname], cooccur=False)
        assert store._person_ids(name) == everyone.lookup(name), name
    assert len(store._person_ids("Karimi")) == 5  # a bare surname: all who bear it
    # Nobody else fits a Zahra: the person known by surname only may be her.
    assert store._person_ids("Zahra Karimi") == [
        p.person_id for p in store.people() if p.name == "Karimi"
    ]
    assert store._person_ids("Evgeny Karimi") == ["pyev"]
