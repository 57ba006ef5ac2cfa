"""Lists over HTTP on every backend: the totals count what paging walks through, and
the .csv / .jsonl exports hold exactly the rows of the paged JSON, in order."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.store.conftest import Opener, make, open_fresh  # noqa: F401 (fixtures)
from tests.store.test_contract import Make, corpus, ingest
from wirescope.web import pages
from wirescope.web.app import Settings, create_app

LISTS = [
    ("/quotes", {}),
    ("/quotes", {"about": "Armenia"}),
    ("/quotes", {"kind": "direct"}),
    ("/articles", {}),
    ("/people", {}),
    ("/people", {"role": "leader"}),
    ("/places", {}),
    ("/places", {"country": "AZ"}),
    ("/articles", {"month": "2021-03"}),
    ("/search", {"q": "Armenia"}),
    ("/search", {"q": "Armenia", "type": "article"}),
    ("/search", {"q": "Armenia", "kind": "direct"}),
]
# Every list counts itself: a clicked facet value (the parameter it sets) narrows the
# list to that value's count.
FACETED = [
    ("/quotes", {}, {"speaker": "person_id", "kind": "kind", "month": "month"}),
    ("/articles", {}, {"person": "person_id", "month": "month", "place": "place"}),
    ("/articles", {"since": "2021-03-02"}, {"person": "person_id", "month": "month"}),
    ("/people", {}, {"role": "role"}),
    ("/places", {}, {"country": "country"}),
    ("/search", {"q": "Armenia"}, {"type": "type", "speaker": "person_id", "month": "month"}),
    ("/search", {"q": "Armenia", "type": "quote"}, {"speaker": "person_id", "kind": "kind"}),
]


@pytest.fixture
def client(open_fresh: Opener, make: Make, monkeypatch: pytest.MonkeyPatch) -> Any:  # noqa: F811
    store = open_fresh()
    ingest(store, corpus(make))
    monkeypatch.setattr(pages, "EXPORT_CHUNK", 2)  # exports stream in several chunks
    db: str = open_fresh.db  # type: ignore[attr-defined]
    with TestClient(create_app(Settings(db=db))) as c:
        yield c


def paged_json(client: TestClient, path: str, params: dict[str, str]) -> tuple[list[Any], Any]:
    rows: list[Any] = []
    cursor = None
    first = None
    while True:
        page = client.get(path + ".json", params={**params, "limit": 2, "cursor": cursor}).json()
        first = first or page
        rows += page["data"]
        cursor = page["next"]
        if cursor is None:
            return rows, first


@pytest.mark.parametrize(("path", "params"), LISTS)
def test_exports_equal_the_paged_json(client: TestClient, path: str, params: Any) -> None:
    rows, first = paged_json(client, path, params)
    assert rows, path
    if first["total"] is not None:
        assert first["total"] == len(rows)
    jsonl = client.get(path + ".jsonl", params=params)
    assert jsonl.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in jsonl.text.splitlines()] == json.loads(json.dumps(rows))
    got = client.get(path + ".csv", params=params)
    assert got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(got.text)))
    assert len(table) == len(rows)
    for line, row in zip(table, rows, strict=True):
        for key, value in row.items():
            cell = line[key]
            if isinstance(value, list | dict):
                assert json.loads(cell) == value
            elif value is None:
                assert cell == ""
            else:
                assert cell == str(value), key


def test_a_clicked_facet_narrows_the_list_to_its_count(client: TestClient) -> None:
    page = client.get("/quotes.json").json()
    for name, param in [("speaker", "person_id"), ("kind", "kind"), ("month", "month")]:
        for value in page["facets"][name]:
            narrowed = client.get("/quotes.json", params={param: value["value"]}).json()
            assert narrowed["total"] == value["count"] == len(narrowed["data"])


def test_pages_say_where_they_are_with_links_in_the_url(client: TestClient) -> None:
    first = client.get("/quotes", params={"limit": 3})
    assert '1–3 of <strong class="total">7</strong>' in first.text
    nxt = client.get("/quotes.json", params={"limit": 3}).json()["next"]
    second = client.get("/quotes", params={"limit": 3, "cursor": nxt})
    assert "4–6 of" in second.text and 'rel="prev"' in second.text and 'rel="next"' in second.text


def test_an_empty_list_says_so(client: TestClient) -> None:
    html = client.get("/quotes", params={"about": "zzzxqy"}).text
    assert "Nothing found" in html
    assert client.get("/quotes.json", params={"about": "zzzxqy"}).json()["total"] == 0


def test_facets_false_gives_the_rows_without_counting(client: TestClient) -> None:
    counted = client.get("/quotes.json", params={"limit": 3}).json()
    plain = client.get("/quotes.json", params={"limit": 3, "facets": "false"}).json()
    assert plain["data"] == counted["data"] and plain["next"] == counted["next"]
    assert plain["total"] is None and plain["facets"] is None
    assert counted["total"] == 7


def test_two_places_of_one_name_are_two_pages_and_the_name_offers_both(
    open_fresh: Opener,  # noqa: F811
    make: Make,  # noqa: F811
) -> None:
    from tests.store.test_browse import parises

    store = open_fresh()
    ingest(store, parises(make))
    db: str = open_fresh.db  # type: ignore[attr-defined]
    with TestClient(create_app(Settings(db=db))) as c:
        france = c.get("/places/2988507.json").json()["place"]
        texas = c.get("/places/4717560.json").json()["place"]
        assert (france["lat"], france["lon"], france["country"]) == (48.853, 2.349, "FR")
        assert (texas["lat"], texas["lon"], texas["country"]) == (33.661, -95.556, "US")
        chooser = c.get("/places/Paris.json")
        assert chooser.status_code == 300
        assert {p["url"] for p in chooser.json()["places"]} == {
            "/places/2988507",
            "/places/4717560",
            "/places/Paris",
        }
        html = c.get("/places/Paris")
        assert html.status_code == 300 and "3 places are called Paris" in html.text
        assert 'href="/places/Paris?unresolved=true"' in html.text
        alone = c.get("/places/Paris.json", params={"unresolved": "true"}).json()["place"]
        assert alone["geonames_id"] is None and alone["lat"] is None
        # the France page's quotes are France's only
        quotes = c.get("/places/2988507.json").json()["quotes"]
        assert [q["article_id"] for q in quotes] == ["paris-fr"]


def test_a_persons_page_lists_their_articles_and_links_all_of_them(client: TestClient) -> None:
    person = client.get("/people.json").json()["data"][0]
    detail = client.get(person["url"] + ".json").json()
    ids = [a["article_id"] for a in detail["articles"]]
    assert len(ids) == person["articles"] > 1
    rows, _ = paged_json(client, "/articles", {"person_id": person["person_id"]})
    assert [a["article_id"] for a in rows] == ids
    html = client.get(person["url"]).text
    assert f'href="/articles?person_id={person["person_id"]}"' in html
    assert html.count('class="person-articles"') == 1 and all(f"/articles/{i}" in html for i in ids)


@pytest.mark.parametrize("params", [{"q": "Armenia"}, {"q": "Armenia", "type": "quote"}])
def test_search_hits_carry_their_date_and_highlight_offsets_not_markers(
    client: TestClient, params: dict[str, str]
) -> None:
    hits = client.get("/search.json", params=params).json()["data"]
    assert hits
    for h in hits:
        assert "[[" not in h["snippet"] and "]]" not in h["snippet"]
        assert h["published"] and h["published"][:4] == "2021"
        words = {h["snippet"][s:e] for s, e in h["highlights"]}
        assert words and all(w.lower().startswith("armenia") for w in words)
    html = client.get("/search", params=params).text
    assert "<mark>Armenia" in html and "[[" not in html


@pytest.mark.parametrize(("path", "params", "clicks"), FACETED)
def test_every_list_counts_itself_and_a_clicked_facet_narrows_it_to_its_count(
    client: TestClient, path: str, params: dict[str, str], clicks: dict[str, str]
) -> None:
    rows, first = paged_json(client, path, params)
    assert first["total"] == len(rows) > 0
    seen = 0
    for name, param in clicks.items():
        for value in first["facets"][name]:
            narrowed, top = paged_json(client, path, {**params, param: value["value"]})
            assert top["total"] == value["count"] == len(narrowed), (name, value)
            seen += 1
    assert seen > 0
    html = client.get(path, params=params).text
    assert 'class="facets"' in html and f'of <strong class="total">{len(rows)}</strong>' in html


def test_search_offers_the_people_and_places_a_name_may_mean_first(
    client: TestClient,
) -> None:
    found = client.get("/search.json", params={"q": "Mohsen Rezayee"}).json()
    (person,) = found["people"]
    assert person["name"].startswith("Mohsen Reza") and person["quotes"] > 0
    html = client.get("/search", params={"q": "Mohsen Rezayee"}).text
    offer = html.index('class="offer-people"')
    assert html.index(f'href="{person["url"]}"', offer) < html.index('id="rows"')
    assert f"{person['quotes']} quotes" in html
    places = client.get("/search.json", params={"q": "Khankendi"}).json()["places"]
    assert [p["name"] for p in places] == ["Khankendi"] and places[0]["articles"] == 1
    later = client.get("/search.json", params={"q": "Mohsen Rezayee", "limit": 1}).json()
    second = client.get(
        "/search.json", params={"q": "Mohsen Rezayee", "limit": 1, "cursor": later["next"]}
    ).json()
    assert second["people"] == [] and second["offset"] == 1  # offered on the first page only


def test_a_query_has_its_volume_chart_and_map_and_a_bar_narrows_it(
    client: TestClient,
) -> None:
    import re

    html = client.get("/quotes", params={"about": "Armenia"}).text
    assert 'id="volume"' in html
    total = client.get("/quotes.json", params={"about": "Armenia"}).json()["total"]
    bars = re.findall(
        r'<a href="([^"]+)"><rect class="bar"[^>]*><title>([^<]+): (\d+) quotes', html
    )
    assert bars and sum(int(n) for *_, n in bars) == total  # every quote here is dated
    href, label, n = next(b for b in bars if int(b[2]) > 0)
    narrowed = client.get(href.replace("&amp;", "&").replace("/quotes?", "/quotes.json?")).json()
    assert narrowed["total"] == int(n) and label.startswith("2021-03")  # one bar a day
    assert 'class="map corpus-map"' in html and "Khankendi" in html
    assert 'id="volume"' in client.get("/search", params={"q": "Armenia"}).text
    places = client.get("/places").text
    assert places.count('class="place-dot"') == 1  # the one place with coordinates


def test_two_speakers_compared_over_time_on_one_chart(client: TestClient) -> None:
    people = client.get("/people.json").json()["data"][:2]
    a, b = (p["person_id"] for p in people)
    out = client.get("/compare.json", params={"a": a, "b": b, "by": "person_id"}).json()
    for series, person in zip(out["series"], people, strict=True):
        assert series["total"] == person["quotes"] == sum(m["quotes"] for m in series["months"])
        assert series["url"] == f"/quotes?person_id={person['person_id']}"
    html = client.get("/compare", params={"a": a, "b": b, "by": "person_id"}).text
    assert html.count("<polyline") == 2 and 'id="compare"' in html
    empty = client.get("/compare", params={"a": "zzzxqy", "by": "about"}).text
    assert "No dated quotes" in empty


def test_a_place_page_pages_its_articles_in_the_url(
    open_fresh: Opener,  # noqa: F811
    make: Make,  # noqa: F811
) -> None:
    store = open_fresh()
    # three articles naming Paris, France
    ingest(
        store,
        [
            make(
                f"fr{i}",
                f'"We are ready," the mayor of Paris said on day {i}.',
                published=f"2021-05-0{i + 1}T10:00:00",
                places=[
                    {
                        "id": "g1",
                        "name": "Paris",
                        "mention": "Paris",
                        "geonames_id": 2988507,
                        "country": "FR",
                        "lat": 48.853,
                        "lon": 2.349,
                    }
                ],
            )
            for i in range(3)
        ],
    )
    db: str = open_fresh.db  # type: ignore[attr-defined]
    with TestClient(create_app(Settings(db=db))) as c:
        first = c.get("/places/2988507.json", params={"limit": 2}).json()["articles"]
        assert (first["total"], first["offset"], len(first["data"])) == (3, 0, 2)
        html = c.get("/places/2988507", params={"limit": 2}).text
        assert '1–2 of <strong class="total">3</strong>' in html
        assert 'id="volume"' in html
        second = c.get("/places/2988507", params={"limit": 2, "cursor": first["next"]}).text
        assert "3–3 of" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_a_persons_quotes_page_in_the_url_with_their_total(client: TestClient) -> None:
    person = client.get("/people.json").json()["data"][0]
    first = client.get(person["url"] + ".json", params={"limit": 1}).json()["quotes"]
    assert (first["total"], first["offset"]) == (person["quotes"], 0) and person["quotes"] > 1
    html = client.get(person["url"], params={"limit": 1, "cursor": first["next"]}).text
    assert f'2–2 of <strong class="total">{person["quotes"]}</strong>' in html
    assert 'rel="prev"' in html
