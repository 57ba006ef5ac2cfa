"""Quotation pages over a real `wirescope serve`: the JSON twins, and (in Debian's
Chromium through Playwright) an article's quote opening its quotation's timeline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.store.test_quotations import corpus, write
from wirescope.store.sqlite import SQLiteStore

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def wire_server(tmp_path_factory: pytest.TempPathFactory, server_class: Any) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("quotations") / "wire.db"
    store = SQLiteStore(db)
    write(store, corpus())
    store.close()
    srv = server_class(str(db))
    yield srv
    srv.stop()


def test_quotations_and_a_quotation_as_json(wire_server: Any) -> None:
    listing = httpx.get(wire_server.url + "/quotations.json", params={"min_outlets": 2}).json()
    top = listing["data"][0]
    assert top["outlets"] == 2 and top["first_seen"]["article"] == "origin"
    assert [o["article"] for o in top["occurrences"]] == ["origin", "reprint"]
    assert top["speakers"] == [{"person": "Amara Okafor", "count": 2}]
    assert top["disputed"] is False
    one = httpx.get(f"{wire_server.url}/quotations/{top['id']}.json").json()
    assert one["id"] == top["id"] and one["text"] == top["text"]
    assert any(d["op"] == "-" for v in one["variants"] for d in v["diff"])
    assert httpx.get(wire_server.url + "/quotations/Qnothing.json").status_code == 404


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_an_article_quote_opens_its_quotation_page(wire_server: Any) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.web.test_browser import ARGS

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(wire_server.url + "/articles/reprint")
        link = page.locator("a.quotation-link", has_text="We are building the railway")
        meta = link.locator("xpath=following-sibling::span[1]").inner_text()
        assert "also in 1 article, first seen 2024-05-07, the same day in Wire" in meta
        link.click()
        page.wait_for_url("**/quotations/Q*")
        items = page.locator("ol.timeline > li")
        assert items.count() == 2
        assert "Wire" in items.nth(0).inner_text()
        assert (
            "Daily Courier" in items.nth(1).inner_text() and "reprint" in items.nth(1).inner_text()
        )
        dropped = items.nth(1).locator("del").inner_text()
        assert "stand in the way of it" in dropped
        browser.close()
