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
