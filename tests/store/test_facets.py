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
