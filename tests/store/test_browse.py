"""The browsing reads the web pages use (articles, person, places, paging, delete),
on every backend, over the contract suite's small corpus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tests.store.test_contract import Make, corpus, ingest
from wirescope.store.base import Store


def test_articles_newest_first_with_filters_and_offsets(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert [a.article_id for a in store.articles()] == ["a3", "a2", "a1"]
    assert [a.quotes for a in store.articles()] == [1, 2, 4]
    assert [a.article_id for a in store.articles(limit=1, offset=1)] == ["a2"]
    assert [a.article_id for a in store.articles(since=date(2021, 3, 2))] == ["a3", "a2"]
    assert [a.article_id for a in store.articles(until=date(2021, 3, 1))] == ["a1"]
    assert [a.article_id for a in store.articles(agency="fna", limit=2)] == ["a3", "a2"]
    assert store.articles(agency="nobody") == []


def test_one_person_their_quotes_months_and_company(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    pid = store.quotes(speaker="Mohsen Rezayee")[0].person_id
    assert pid is not None
    person = store.person(pid)
    assert person is not None and person.name in {"Mohsen Rezayee", "Mohsen Rezaei"}
    assert person.quotes == 5 and person.articles == 3
    assert store.person("nobody") is None
    quotes = store.quotes(person_id=pid, limit=10)
    assert [q.article_id for q in quotes] == ["a3", "a2", "a1", "a1", "a1"]
    paged = [q for o in (0, 2, 4) for q in store.quotes(person_id=pid, limit=2, offset=o)]
    assert [(q.article_id, q.quote_id) for q in paged] == [
        (q.article_id, q.quote_id) for q in quotes
    ]
    assert store.quote_months(pid) == [("2021-03", 4), ("2021-04", 1)]
    with_names = {p.name: p.count for p in store.quoted_with(pid)}
    assert with_names == {"Ali Khamenei": 1, "Mojtaba Khamenei": 1}


def test_places_aliases_and_names_as_written(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    (row,) = store.places()
    assert (row.name, row.country, row.articles) == ("Khankendi", "AZ", 1)
    place = store.place("Khankendi")
    assert place is not None and place.aliases == ["Stepanakert"]
    assert place.lat == 39.82 and place.lon == 46.75
    assert store.place("Stepanakert") is None  # pages are by canonical name
    assert store.place_names("Khankendi") == [("Stepanakert", "FNA", 1)]
    assert [a.article_id for a in store.place_articles("Khankendi")] == ["a1"]


def test_delete_removes_an_article_and_its_rows(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    assert store.delete("a1") is True
    assert store.delete("a1") is False
    assert store.get("a1") is None
    assert store.count()["quotes"] == 3
    assert store.places() == []
    assert store.quotes(about="Stepanakert") == []


def test_people_are_paged_in_the_store(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    everyone = [p.person_id for p in store.people()]
    assert len(everyone) == 3
    pages = [p.person_id for at in range(0, 4) for p in store.people(limit=1, offset=at)]
    assert pages == everyone
    assert store.people(limit=2, offset=3) == []


def test_people_by_role_are_paged_after_the_role_filter(store: Store, make: Make) -> None:
    names = ["Ann Alder", "Bob Birchwood", "Cid Cedarholm", "Dee Dogwood", "Eve Elmsworth"]
    records = [
        make(
            f"r{i}",
            f"Minister {name} spoke.",
            people=[
                {
                    "id": "p1",
                    "name": name,
                    "roles": ["Foreign Minister" if i % 2 else "Président du conseil"],
                }
            ],
        )
        for i, name in enumerate(names)
    ]
    ingest(store, records)
    ministers = store.people(role="foreign minister")
    assert sorted(p.name for p in ministers) == ["Bob Birchwood", "Dee Dogwood"]
    paged = [p.name for at in range(3) for p in store.people("foreign minister", 1, at)]
    assert paged == [p.name for p in ministers]
    # accents and case aside, as before
    assert len(store.people(role="PRESIDENT DU")) == 3


def test_failures_are_paged_in_the_store(store: Store) -> None:
    from wirescope.record.models import Failure

    store.write_batch([], [Failure(f"bad{i}.html", f"read failed: {i}") for i in range(5)])
    whole = store.failures()
    assert len(whole) == 5
    assert [f for at in range(0, 5, 2) for f in store.failures(limit=2, offset=at)] == whole


def _recounted(store: Store) -> dict[str, tuple[int, int, str | None, str | None]]:
    """Each person's quotes, articles and first and last dates, counted from the rows."""
    arts: dict[str, set[str]] = {}
    dates = {a.article_id: a.published for a in store.articles(limit=1000)}
    for aid in dates:
        for s in store.speakers(aid):
            arts.setdefault(s.person_id, set()).add(aid)
    out = {}
    for pid, ids in arts.items():
        days = sorted(d[:10] for d in (dates[a] for a in ids) if d)
        n = len(store.quotes(person_id=pid))
        out[pid] = (n, len(ids), days[0] if days else None, days[-1] if days else None)
    return out


def _stored(store: Store) -> dict[str, tuple[int, int, str | None, str | None]]:
    return {p.person_id: (p.quotes, p.articles, p.first_seen, p.last_seen) for p in store.people()}


def test_stored_people_counts_follow_every_write(store: Store, make: Make) -> None:
    from dataclasses import replace

    from wirescope.store.base import ArticleKey

    a1, a2, a3 = corpus(make)
    ingest(store, [a1, a2, a3])
    assert _stored(store) == _recounted(store) and len(_stored(store)) == 3
    # replaced under its key with fewer quotes: its people counted again
    store.write_batch([(ArticleKey(a2.source["path"]), replace(a2, id="a2v2", quotes=[]))], [])
    assert _stored(store) == _recounted(store)
    store.delete("a1")
    assert _stored(store) == _recounted(store)
    assert store.count()["people"] == len(_stored(store))
    store.rebuild_people()
    assert _stored(store) == _recounted(store)


def test_migration_stores_the_counts_of_people_stored_before(
    open_fresh: Callable[[], Store], make: Make, downgrade: Callable[[Store, int], None]
) -> None:
    old = open_fresh()
    ingest(old, corpus(make) + parises(make))
    expected = _stored(old)
    facets = old.quote_stats().facets
    downgrade(old, old.COUNTS_VERSION - 1)  # type: ignore[attr-defined]
    old.close()
    store = open_fresh()
    assert _stored(store) == expected == _recounted(store)
    # places' GeoNames ids read from the stored records; the tally counted again
    france = store.place("2988507")
    assert france is not None and france.lat == 48.853
    assert store.quote_stats().facets == facets


def parises(make: Make) -> list[Any]:
    """Three articles: Paris, France; Paris, Texas; a Paris the gazetteer did not find."""
    where = [
        ("fr", {"geonames_id": 2988507, "country": "FR", "lat": 48.853, "lon": 2.349}),
        ("tx", {"geonames_id": 4717560, "country": "US", "lat": 33.661, "lon": -95.556}),
        ("un", {}),
    ]
    return [
        make(
            f"paris-{tag}",
            f'"We are ready," the mayor of Paris said on day {i}.',
            published=f"2021-05-0{i + 1}T10:00:00",
            quotes=[{"text": "We are ready,", "speaker": None, "speaker_text": "the mayor"}],
            places=[{"id": "g1", "name": "Paris", "mention": "Paris", **extra}],
        )
        for i, (tag, extra) in enumerate(where)
    ]


def test_places_are_keyed_by_geonames_id_not_by_name(store: Store, make: Make) -> None:
    ingest(store, parises(make))
    rows = {p.key: p for p in store.places()}
    assert set(rows) == {"2988507", "4717560", "Paris"}
    france, texas = store.place("2988507"), store.place("4717560")
    assert france is not None and (france.lat, france.lon, france.country) == (48.853, 2.349, "FR")
    assert texas is not None and (texas.lat, texas.lon, texas.country) == (33.661, -95.556, "US")
    assert france.url == "/places/2988507" and france.articles == 1
    unresolved = store.place("Paris")
    assert unresolved is not None and unresolved.geonames_id is None and unresolved.lat is None
    assert {p.key for p in store.places_named("Paris")} == set(rows)
    assert [a.article_id for a in store.place_articles("4717560")] == ["paris-tx"]
    assert [q.article_id for q in store.quotes(place="2988507")] == ["paris-fr"]
    assert [q.article_id for q in store.quotes(place="Paris")] == ["paris-un"]
    assert store.place_names("2988507") == [("Paris", "FNA", 1)]
    labels = {v.value: v.label for v in store.quote_stats().facets["place"]}
    assert labels == {"2988507": "Paris, FR", "4717560": "Paris, US", "Paris": "Paris"}


def test_a_persons_articles_newest_first_and_paged(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    pid = store.quotes(speaker="Mohsen Rezayee")[0].person_id
    assert pid is not None
    mine = [a.article_id for a in store.articles(person_id=pid)]
    assert mine == ["a3", "a2", "a1"]
    assert [a.article_id for a in store.articles(limit=1, offset=1, person_id=pid)] == ["a2"]
    assert store.articles(person_id="nobody") == []


def test_an_untitled_article_gets_its_first_words_as_a_marked_title(
    store: Store, make: Make
) -> None:
    text = '"We will not wait for the talks to end," the envoy told reporters in Geneva.'
    untitled = make(
        "u1", text, headline="", quotes=[{"text": "We will not wait for the talks to end,"}]
    )
    ingest(store, [untitled, *corpus(make)])
    (row,) = [a for a in store.articles() if a.article_id == "u1"]
    assert row.untitled and row.title == '"We will not wait for the talks to end," the…'
    (hit,) = [q for q in store.quotes() if q.article_id == "u1"]
    assert hit.untitled and hit.title == row.title
    titled = [a for a in store.articles() if a.article_id != "u1"]
    assert all(not a.untitled and a.title == a.headline for a in titled)
