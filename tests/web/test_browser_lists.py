"""An analyst's questions across the corpus, in Chromium (Debian's, as tests/web/
test_browser.py drives it) against a real `wirescope serve` of the seed and ggt_dev:
who is quoted most on a topic, exporting what was found, and paging that Back
returns to. Screenshots go where test_browser.py's go ($WIRESCOPE_SCREENSHOTS)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import httpx

from tests.web.test_browser import browser, page, pytestmark, shots, sync_api  # noqa: F401

TOPIC = "government"


def test_who_is_quoted_most_on_a_topic(
    page: sync_api.Page,  # noqa: F811
    server: Any,
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
    server: Any,
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
    server: Any,
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
    server: Any,
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
