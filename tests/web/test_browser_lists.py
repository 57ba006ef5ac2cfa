"""An analyst's questions across the corpus (issue 25's table), in Chromium (Debian's,
as tests/web/test_browser.py drives it) against a real `wirescope serve` of the seed,
ggt_dev, polnear_dev and realnews_dev: what an official said about a place between two
dates, who is quoted most on a topic, exporting what was found, a person's articles,
places on a map and a query over time, a name search, and paging that Back returns to.
Screenshots go where test_browser.py's go ($WIRESCOPE_SCREENSHOTS)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import httpx

from tests.web.test_browser import (  # noqa: F401
    browser,
    page,
    pytestmark,
    server,
    shots,
    sync_api,
)

TOPIC = "government"


def test_who_is_quoted_most_on_a_topic(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    page.goto(server.url + "/quotes")
    page.get_by_label("About").fill(TOPIC)
    page.get_by_role("button", name="Filter").click()
    speakers = page.locator(".facet-speaker li")
    speakers.first.wait_for()
    total = int(page.locator(".pager .total").inner_text().replace(",", ""))
    api = httpx.get(server.url + "/quotes.json", params={"about": TOPIC}).json()
    assert total == api["total"] > 0
    top = api["facets"]["speaker"][0]
    first = speakers.first
    assert first.locator(".label").inner_text() == top["label"]
    assert int(first.locator(".count").inner_text()) == top["count"] >= 2
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.screenshot(path=str(shots / "quotes-facets.png"))
    first.get_by_role("link").click()  # a click adds the speaker as a filter
    page.wait_for_url(re.compile(r"person_id="))
    assert page.locator(".quote-item").count() == top["count"]
    assert page.locator(".pager .total").inner_text() == str(top["count"])
    assert page.locator(".chip", has_text="person").count() == 1


def test_a_csv_download_holds_every_row_of_the_list(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    page.goto(server.url + f"/quotes?about={TOPIC}&limit=10")
    total = int(page.locator(".pager .total").inner_text().replace(",", ""))
    assert total > 10  # more rows than the page shows
    with page.expect_download() as info:
        page.locator(".downloads a.csv").click()
    saved = tmp_path / "quotes.csv"
    info.value.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == total
    assert all(r["article_id"] and r["text"] for r in rows)


def test_paging_is_in_the_url_and_back_returns_to_the_same_page(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    page.goto(server.url + "/quotes?limit=10")
    assert page.locator(".pager .position").inner_text().startswith("1–10 of")
    page.locator(".pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"cursor="))
    second = page.url
    assert page.locator(".pager .position").inner_text().startswith("11–20 of")
    shown = page.locator(".quote-item blockquote").first.inner_text()
    page.locator(".quote-item blockquote a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    page.go_back()
    page.wait_for_url(second)
    assert page.locator(".pager .position").inner_text().startswith("11–20 of")
    assert page.locator(".quote-item blockquote").first.inner_text() == shown
    page.locator(".pager a[rel=prev]").click()
    assert page.locator(".pager .position").inner_text().startswith("1–10 of")


def test_a_persons_articles_from_their_page(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    person = httpx.get(server.url + "/people.json").json()["data"][0]
    page.goto(server.url + "/people")
    page.get_by_role("link", name=person["name"], exact=True).first.click()
    shown = page.locator(".person-articles li")
    shown.first.wait_for()
    assert shown.count() == min(10, person["articles"])
    page.locator("a.all-articles").click()
    page.wait_for_url(re.compile(r"/articles\?person_id="))
    assert page.locator("#rows li").count() == min(50, person["articles"])


def test_two_parises_are_two_pages_with_their_own_coordinates(
    page: sync_api.Page,  # noqa: F811
    server_class: Any,
    tmp_path: Path,
    shots: Path,  # noqa: F811
) -> None:
    from tests.store.conftest import make_record
    from tests.store.test_browse import parises
    from tests.store.test_contract import ingest
    from wirescope.store.sqlite import SQLiteStore

    db = str(tmp_path / "parises.db")
    store = SQLiteStore(db)
    ingest(store, parises(make_record))
    store.close()
    srv = server_class(db)
    try:
        page.goto(srv.url + "/places/Paris")
        assert page.locator("h1").inner_text() == "3 places are called Paris"
        page.set_viewport_size({"width": 1000, "height": 500})
        page.screenshot(path=str(shots / "two-parises.png"))
        page.get_by_role("link", name="Paris, FR").click()
        page.wait_for_url(srv.url + "/places/2988507")
        assert "48.853, 2.349" in page.locator("p.meta").first.inner_text()
        page.go_back()
        page.get_by_role("link", name="Paris, US").click()
        page.wait_for_url(srv.url + "/places/4717560")
        assert "33.661, -95.556" in page.locator("p.meta").first.inner_text()
    finally:
        srv.stop()


def total_of(page: sync_api.Page) -> int:  # noqa: F811
    return int(page.locator(".pager .total").inner_text().replace(",", ""))


def test_what_an_official_said_about_a_place_between_two_dates(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    """Two facet clicks (speaker, then place), two dates; the URL holds the question."""
    page.goto(server.url + "/quotes")
    page.locator(".facet-speaker li a").first.click()
    page.wait_for_url(re.compile(r"person_id="))
    person_id = re.search(r"person_id=([^&]+)", page.url).group(1)  # type: ignore[union-attr]
    page.locator(".facet-place li a").first.click()
    page.wait_for_url(re.compile(r"place="))
    api = httpx.get(page.url.replace("/quotes?", "/quotes.json?") + "&limit=200").json()
    assert api["next"] is None  # every one of them
    days = sorted({q["published"][:10] for q in api["data"] if q["published"]})
    assert len(days) > 1, "the top speaker has quotes about their top place on two days"
    since, until = days[len(days) // 2], days[-1]  # the later half of their days
    page.get_by_label("Since").fill(since)
    page.get_by_label("Until").fill(until)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"until="))
    shared = page.url
    assert f"person_id={person_id}" in shared and "place=" in shared
    shown = total_of(page)
    expected = [q for q in api["data"] if q["published"] and since <= q["published"][:10]]
    assert shown == len(expected) < api["total"]
    for meta in page.locator(".quote-item .meta").all_inner_texts():
        day = re.search(r"\d{4}-\d{2}-\d{2}", meta).group(0)  # type: ignore[union-attr]
        assert since <= day <= until
    page.goto(shared)  # a shared link answers the same
    assert total_of(page) == shown


def test_a_query_over_time_and_its_places_on_the_map(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    page.goto(server.url + f"/quotes?about={TOPIC}")
    bars = page.locator("#volume rect.bar")
    assert bars.count() > 1
    api = httpx.get(server.url + "/quotes.json", params={"about": TOPIC}).json()
    dots = page.locator("#map circle.place-dot")
    assert 0 < dots.count() <= len(api["facets"]["place"])
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.screenshot(path=str(shots / "quotes-volume-map.png"))
    # the tallest bar narrows the list to its dates: its count
    counts = [
        int(re.search(r": ([\d,]+) quotes", t).group(1).replace(",", ""))
        for t in page.locator("#volume rect.bar title").all_text_contents()  # type: ignore[union-attr]
    ]
    assert sum(counts) <= api["total"]
    tallest = counts.index(max(counts))
    page.locator("#volume a").nth(tallest).click()
    page.wait_for_url(re.compile(r"since=.*until="))
    assert total_of(page) == counts[tallest]
    # the corpus map: every place with coordinates, sized by its articles
    page.goto(server.url + "/places")
    assert page.locator("#corpus-map circle.place-dot").count() > 20
    page.screenshot(path=str(shots / "corpus-map.png"))
    # two speakers on one chart, and two words
    top = api["facets"]["speaker"][:2]
    page.goto(server.url + f"/compare?by=person_id&a={top[0]['value']}&b={top[1]['value']}")
    assert page.locator("#compare polyline").count() == 2
    assert top[0]["label"] in page.locator("#compare figcaption").inner_text()
    page.goto(server.url + f"/compare?by=about&a={TOPIC}&b=election")
    assert page.locator("#compare polyline").count() == 2
    points = page.locator("#compare circle").count()
    assert points > 4 and points % 2 == 0  # a point a month (or year) for each
    page.screenshot(path=str(shots / "compare.png"))


def test_a_name_search_offers_the_person_first(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    person = httpx.get(server.url + "/people.json").json()["data"][0]
    page.goto(server.url + "/search")
    page.get_by_label("Words").fill(person["name"])
    page.get_by_role("button", name="Search").click()
    offer = page.locator(".offer-people li").first
    offer.wait_for()
    assert f"{person['quotes']:,} quotes" in offer.inner_text()
    offer.get_by_role("link", name=person["name"], exact=True).click()
    page.wait_for_url(server.url + person["url"])
    assert page.locator("h1").inner_text().startswith(person["name"])


def test_the_article_and_people_lists_have_totals_and_facets(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    for path, facet in [("/articles", "outlet"), ("/articles", "place"), ("/people", "role")]:
        page.goto(server.url + path)
        everyone = total_of(page)
        value = page.locator(f".facet-{facet} li a").first
        count = int(value.locator(".count").inner_text().replace(",", ""))
        assert 0 < count <= everyone
        value.click()
        page.wait_for_url(re.compile(r"\?.+="))
        assert total_of(page) == count, (path, facet)


def test_a_place_page_pages_its_articles_and_back_returns(
    page: sync_api.Page,  # noqa: F811
    server: Any,  # noqa: F811
) -> None:
    place = httpx.get(server.url + "/places.json").json()["data"][0]
    assert place["articles"] > 5
    page.goto(server.url + place["url"] + "?limit=5")
    assert page.locator(".pager .position").inner_text() == f"1–5 of {place['articles']:,}"
    page.locator(".pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"cursor="))
    second = page.url
    assert page.locator(".pager .position").inner_text().startswith("6–")
    page.locator("#rows li a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    page.go_back()
    page.wait_for_url(second)
    assert page.locator(".pager .position").inner_text().startswith("6–")
