"""The reader in a real browser: Debian's Chromium driven by Playwright, against a real
`wirescope serve` on the seed article, ggt_dev, polnear_dev and realnews_dev
(conftest's corpus_server). Screenshots go to
$WIRESCOPE_SCREENSHOTS (docs/ for the README's) or the test's temporary directory."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@pytest.fixture(scope="session")
def server(corpus_server: Any) -> Any:
    """Here, the server of the whole dev corpus (conftest.py)."""
    return corpus_server


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: sync_api.Browser) -> Iterator[sync_api.Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = Path(os.environ.get("WIRESCOPE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_hovering_a_quote_shows_speaker_person_and_role(
    page: sync_api.Page, server: Any, shots: Path
) -> None:
    page.goto(server.url + "/articles")
    page.get_by_role(
        "link", name="Official: Liberation of Karabakh Should Deepen Regional Unity"
    ).click()
    quote = page.locator(".q", has_text="the liberation of the occupied territories in Karabakh")
    tip = quote.locator(".tip")
    assert not tip.is_visible()
    quote.hover()
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Alireza Arafi" in text
    assert "Head of Iran's Islamic Seminaries" in text
    assert "resolved to corpus person Alireza Arafi" in text
    page.screenshot(path=str(shots / "article-page.png"))


def test_keyboard_focus_shows_the_speaker_too(
    page: sync_api.Page, server: Any, seed_id: str
) -> None:
    page.goto(f"{server.url}/articles/{seed_id}")
    for _ in range(60):  # Tab through links and quotes until a quote has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('q')"):
            break
    else:
        pytest.fail("no quote is reachable with Tab")
    focused = page.locator(".q:focus .tip")
    assert focused.is_visible()
    assert focused.inner_text().strip()


def test_search_reaches_rezayees_quote(page: sync_api.Page, server: Any, shots: Path) -> None:
    page.goto(server.url + "/search")
    page.get_by_label("Words").fill("occupied lands")
    page.get_by_role("button", name="Search").click()
    hit = page.locator(".hit-quote", has_text="Mohsen Rezayee")
    hit.locator("mark").first.wait_for()
    assert "occupied" in hit.locator("mark").first.inner_text().lower()
    page.screenshot(path=str(shots / "search.png"))
    hit.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/articles/\w+#q\d+$"))
    target = page.locator(".q:target")
    assert "occupied lands" in target.inner_text()
    target.hover()
    assert "Mohsen Rezayee" in target.locator(".tip").inner_text()


def test_rezayee_person_page_lists_his_seven_quotes(
    page: sync_api.Page, server: Any, seed_id: str, shots: Path
) -> None:
    page.goto(f"{server.url}/articles/{seed_id}")
    page.locator(".legend").get_by_role("link", name="Mohsen Rezayee").click()
    page.get_by_role("heading", name="Mohsen Rezayee", level=1).wait_for()
    assert page.locator(".quote-item").count() == 7
    assert page.locator("svg.chart rect").count() >= 1
    assert "Secretary of Iran's Expediency Council" in page.locator("#roles + ul").inner_text()
    page.screenshot(path=str(shots / "person-page.png"), full_page=True)


def test_place_page_draws_the_map(page: sync_api.Page, server: Any, shots: Path) -> None:
    page.goto(server.url + "/places/Khankendi")
    assert page.locator(".map circle.dot").count() == 1
    assert "Stepanakert" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "place-page.png"))


def test_try_it_annotates_pasted_text(page: sync_api.Page, server: Any, shots: Path) -> None:
    page.goto(server.url + "/try")
    page.get_by_label("Article text").fill(
        "OSLO (Reuters) - Norway's foreign minister Anne Berg said on Tuesday that talks "
        'would resume next week. "We will not accept any further delay," Berg told reporters.'
    )
    page.get_by_role("button", name="Annotate").click()
    page.locator("#result .q").first.wait_for(timeout=120_000)  # the first text loads spaCy
    assert page.locator("#result .q").count() >= 2
    page.locator("#result .q").last.hover()
    assert "Berg" in page.locator("#result .q").last.locator(".tip").inner_text()
    page.screenshot(path=str(shots / "try-it.png"))


def test_pages_read_without_javascript(
    browser: sync_api.Browser, server: Any, seed_id: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    record = httpx.get(f"{server.url}/articles/{seed_id}.json").json()
    page.goto(f"{server.url}/articles/{seed_id}")
    assert page.locator(".q").count() == len(record["quotes"]) > 0
    page.goto(server.url + "/search?q=occupied+lands")
    assert page.locator(".hit-quote").count() >= 1
    context.close()


def test_api_docs_render_offline(page: sync_api.Page, server: Any) -> None:
    page.goto(server.url + "/docs")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/articles", "/quotes", "/people", "/places", "/search", "/extract"} <= {
        p.replace("\u200b", "") for p in paths
    }
