"""Totals and facets of quote lists, on every backend: each facet value's count is the
number of rows the list gives with that value as one more filter, and the total is the
number of rows the list gives."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

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
