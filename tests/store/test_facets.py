"""Totals and facets of quote lists, on every backend: each facet value's count is the
number of rows the list gives with that value as one more filter, and the total is the
number of rows the list gives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.store.test_browse import parises
from tests.store.test_contract import Make, corpus, ingest
from wirescope.store.base import Store

QUERIES: list[dict[str, Any]] = [
    {},
    {"about": "Armenia"},
    {"speaker": "Mohsen Rezayee"},
    {"kind": "indirect"},
    {"since": date(2021, 3, 2)},
    {"about": "will"},
]
# A facet value clicked: the filter it adds to the query.
FILTER_OF = {
    "speaker": "person_id",
    "outlet": "agency",
    "month": "month",
    "place": "place",
    "kind": "kind",
}


def undated(make: Make) -> Any:
    return make(
        "a4",
        '"Armenia will decide," he said.',
        published=None,
        quotes=[{"text": "Armenia will decide,", "speaker": None, "speaker_text": "he"}],
    )


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: ",".join(q) or "all")
def test_facet_counts_equal_the_rows_of_the_filtered_list(
    store: Store, make: Make, query: dict[str, Any]
) -> None:
    records = corpus(make)
    records.append(undated(make))
    records += parises(make)  # three places called Paris: three facet values
    ingest(store, records)
    stats = store.quote_stats(**query, top=100)
    rows = store.quotes(**query)
    assert stats.total == len(rows)
    seen = 0
    for name, values in stats.facets.items():
        for v in values:
            narrowed = store.quotes(**{**query, FILTER_OF[name]: v.value})
            assert v.count == len(narrowed) > 0, (name, v)
            seen += 1
        if name in ("month", "kind"):  # every row has one (undated: its own value)
            assert sum(v.count for v in values) == stats.total
    assert seen > 0 or stats.total == 0


def test_date_filters_say_how_many_undated_quotes_they_left_out(store: Store, make: Make) -> None:
    records = corpus(make)
    records.append(undated(make))
    ingest(store, records)
    undated_rows = store.quotes(month="undated")
    assert len(undated_rows) == 1
    assert store.quote_stats(since=date(2021, 1, 1)).undated == len(undated_rows)
    assert store.quote_stats().undated == 0  # no date filter: nothing left out
    (month,) = [v for v in store.quote_stats().facets["month"] if v.value == "2021-04"]
    assert month.count == 1 and month.label == "2021-04"


def test_the_unfiltered_facets_stay_true_through_replace_delete_and_rebuild(
    store: Store, make: Make
) -> None:
    """The unfiltered list's facets are kept per write (a stored tally), not counted:
    they must still equal the rows after every kind of write."""
    from dataclasses import replace

    from wirescope.store.base import ArticleKey

    def check() -> None:
        stats = store.quote_stats(top=100)
        assert stats.total == len(store.quotes()) == store.count()["quotes"]
        for name, values in stats.facets.items():
            for v in values:
                assert v.count == len(store.quotes(**{FILTER_OF[name]: v.value})), (name, v)

    a1, a2, a3 = corpus(make)
    ingest(store, [a1, a2, a3, undated(make)])
    check()
    store.write_batch([(ArticleKey(a2.source["path"]), replace(a2, id="a2v2", quotes=[]))], [])
    check()
    store.delete("a1")
    check()
    assert store.quote_stats().facets["place"] == []  # a1 held the only place
    store.rebuild_people()
    check()
    # a writer that keeps no tally (the cluster ingest's): counted until the rebuild
    store.write_unresolved([(ArticleKey("/corpus/a1.txt"), a1)], [])  # type: ignore[attr-defined]
    check()
    store.rebuild_people()
    check()


# -- the other lists: articles, people, places, search ------------------------------

ARTICLE_FILTER_OF = {"person": "person_id", "outlet": "agency", "month": "month", "place": "place"}
ALL = 10_000  # a limit no test corpus reaches: the whole list


def outlets(make: Make) -> list[Any]:
    """The corpus, Paris and an undated article, from three outlets (two spellings of one)."""
    from dataclasses import replace

    from wirescope.record.models import Dateline

    records = [*corpus(make), undated(make), *parises(make)]
    agencies = ["AP", "Reuters", "ap", None, "AFP", "Reuters", "AP"]
    return [
        replace(r, dateline=Dateline(agency=ag)) if ag else r
        for r, ag in zip(records, agencies, strict=True)
    ]


ARTICLE_QUERIES: list[dict[str, Any]] = [
    {},
    {"agency": "ap"},
    {"since": date(2021, 3, 2)},
    {"month": "2021-05"},
    {"place": "Paris"},
]


@pytest.mark.parametrize("query", ARTICLE_QUERIES, ids=lambda q: ",".join(q) or "all")
def test_article_facet_counts_equal_the_rows_of_the_filtered_list(
    store: Store, make: Make, query: dict[str, Any]
) -> None:
    ingest(store, outlets(make))
    stats = store.article_stats(**query, top=100)
    assert stats.total == len(store.articles(**query, limit=ALL)) > 0
    seen = 0
    for name, values in stats.facets.items():
        for v in values:
            narrowed = store.articles(**{**query, ARTICLE_FILTER_OF[name]: v.value}, limit=ALL)
            assert v.count == len(narrowed) > 0, (name, v)
            seen += 1
        if name == "month":  # every article has one (undated: its own value)
            assert sum(v.count for v in values) == stats.total
    assert seen > 0
    if not query:  # the two spellings of one outlet are one value, as the filter is
        assert {v.value: v.count for v in stats.facets["outlet"]}["ap"] == 3
        assert stats.undated == 0
    if "since" in query:
        assert stats.undated == len(store.articles(month="undated", limit=ALL)) == 1


def test_the_people_list_counts_itself_and_its_roles(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    stats = store.people_stats(top=100)
    assert stats.total == len(store.people()) > 0
    roles = stats.facets["role"]
    assert roles, "the corpus gives people roles"
    for v in roles:
        assert v.count == len(store.people(role=v.value)) > 0, v
        assert store.people_stats(role=v.value).total == v.count
    # a role is counted as the filter matches it: "leader" is in "Supreme Leader"
    assert store.people_stats(role="leader").total == len(store.people(role="leader")) == 1


def test_the_place_list_counts_itself_and_its_countries(store: Store, make: Make) -> None:
    ingest(store, outlets(make))
    stats = store.place_stats(top=100)
    assert stats.total == len(store.places(limit=ALL)) == 4  # Khankendi and three Parises
    countries = {v.value: v.count for v in stats.facets["country"]}
    assert countries == {"AZ": 1, "FR": 1, "US": 1}
    for code, n in countries.items():
        assert len(store.places(limit=ALL, country=code)) == n
        assert store.place_stats(country=code).total == n
    keys = ["2988507", "4717560", "Paris", "Khankendi", "99999999999999999999"]
    assert store.place_points(keys) == {
        "2988507": (48.853, 2.349),
        "4717560": (33.661, -95.556),
        "Khankendi": (39.82, 46.75),  # unresolved, one point: its own
    }


def test_search_counts_every_article_and_quote_it_can_page_through(
    store: Store, make: Make
) -> None:
    ingest(store, outlets(make))
    for q in ("Armenia", "ready", "sanctions fail", "zzzz", "--"):
        stats = store.search_stats(q)
        hits = store.search(q, limit=ALL)
        assert stats.total == len(hits), q
        by_type = {v.value: v.count for v in stats.facets["type"]}
        for t in ("article", "quote"):
            assert by_type.get(t, 0) == sum(1 for h in hits if h.type == t), (q, t)


def test_a_name_offers_the_people_it_may_mean(store: Store, make: Make) -> None:
    ingest(store, corpus(make))
    (rezayee,) = store.people_named("Mohsen Rezayee")
    assert rezayee.name.startswith("Mohsen Reza") and rezayee.quotes > 0
    assert store.people_named("Nobody Atall") == []
    assert store.people_named("") == []


def test_volume_by_day_sums_to_the_dated_rows(store: Store, make: Make) -> None:
    ingest(store, outlets(make))
    days = store.quote_days(about="Armenia")
    dated = [h for h in store.quotes(about="Armenia") if h.published]
    assert sum(n for _, n in days) == len(dated) > 0
    assert [d for d, _ in days] == sorted({h.published[:10] for h in dated if h.published})
    art_days = store.article_days(agency="ap")
    assert sum(n for _, n in art_days) == len(
        [a for a in store.articles(agency="ap", limit=ALL) if a.published]
    )


def test_a_place_key_of_digits_that_no_id_can_be_is_a_name(store: Store, make: Make) -> None:
    """ "²" passes str.isdigit and a 23-digit id overflows the database's integers: both
    once answered 500 (schemathesis, GET /places/{key})."""
    ingest(store, parises(make))
    for key in ("²", "99999999999999999999999"):
        assert store.place(key) is None
        assert store.quotes(place=key) == []
        assert store.articles(place=key) == []
        assert store.place_articles(key) == []
