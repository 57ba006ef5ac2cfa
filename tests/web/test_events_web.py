"""Events in the web reader (issue 24): the list page with its chart and facets, and
the events part of a person's and a place's page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from fastapi.testclient import TestClient

from tests.store.test_events import _hand_fill
from wirescope.store.sqlite import SQLiteStore
from wirescope.web.app import Settings, create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    db = tmp_path / "c.db"
    store = SQLiteStore(str(db))
    _hand_fill(store)
    (person,) = store.people()
    store.close()
    with TestClient(create_app(Settings(db=str(db)))) as c:
        yield c, person.person_id


def test_person_page_lists_their_events_with_a_chart(client: tuple[TestClient, str]) -> None:
    c, pid = client
    html = c.get(f"/people/{quote(pid, safe='')}").text
    section = html[html.index('class="events"') :]
    assert "Events they took part in" in section and "shelled" in section
    assert section.count('class="event-item"') == 3
    assert "2022-01: 1 events" in section  # the chart of when they happened
    assert 'href="/places/111"' in section and 'href="/places/222"' in section  # by identity


def test_place_page_lists_the_events_there(client: tuple[TestClient, str]) -> None:
    c, pid = client
    # two places called Harbor Town (GeoNames 111 and 222): the name offers both, and
    # each place's page lists its own events
    assert c.get("/places/Harbor%20Town").status_code == 300
    html = c.get("/places/111").text
    section = html[html.index('class="events"') :]
    assert "Events there" in section and section.count('class="event-item"') == 2
    assert f'href="/people/{quote(pid, safe="")}">Dana Reyes</a>' in section


def test_events_list_page_filters_counts_and_exports(client: tuple[TestClient, str]) -> None:
    c, pid = client
    page = c.get("/events", params={"month": "2021-05"}).text
    assert page.count('class="event-item"') == 1 and 'class="facets"' in page
    data = c.get("/events.json", params={"person_id": pid}).json()
    assert data["total"] == 3 and {f["value"] for f in data["facets"]["actor"]} == {pid}
    assert [v["value"] for v in data["facets"]["month"]] == ["2022-01", "2021-05", "2021-02"]
    rows = c.get("/events.csv", params={"geonames_id": 111}).text.splitlines()
    assert rows[0].startswith("article_id,") and len(rows) == 3  # header and two events


def test_article_page_lists_its_own_events(client: tuple[TestClient, str]) -> None:
    c, _ = client
    html = c.get("/articles/r1").text
    section = html[html.index('class="events"') :]
    assert section.count('class="event-item"') == 1
    assert "2021-02-27" in section and "2022-01-08" not in section  # r1's, not r3's
    data = c.get("/events.json", params={"article_id": "r3"}).json()
    assert data["total"] == 1 and data["data"][0]["article_id"] == "r3"


def test_person_and_place_json_carry_their_events(client: tuple[TestClient, str]) -> None:
    c, pid = client
    person = c.get(f"/people/{quote(pid, safe='')}.json").json()["events"]
    assert person["total"] == 3 and len(person["data"]) == 3
    assert person["all"] == "/events?" + urlencode({"person_id": pid})
    place = c.get("/places/111.json").json()["events"]
    assert place["total"] == 2 and {e["article_id"] for e in place["data"]} == {"r1", "r3"}
    assert place["all"] == "/events?geonames_id=111"
