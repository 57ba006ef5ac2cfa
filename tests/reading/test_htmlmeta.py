"""Article metadata from HTML: published and modified with time and zone, author, site."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from wirescope.cli.main import main
from wirescope.reading.article import parse_article
from wirescope.reading.htmlmeta import html_metadata, parse_iso
from wirescope.reading.read import read_paths
from wirescope.record.models import RawDocument

PAGE = Path(__file__).with_name("fixtures") / "news-page.html"
CET = timezone(timedelta(hours=1))


def _raw(path: Path) -> RawDocument:
    (doc,) = list(read_paths([str(path)]))
    assert isinstance(doc, RawDocument)
    return doc


def test_saved_page_gives_published_and_updated_with_zone() -> None:
    article = parse_article(_raw(PAGE))
    assert article.published == datetime(2024, 3, 12, 8, 45, tzinfo=CET)
    assert article.updated == datetime(2024, 3, 12, 16, 20, 31, tzinfo=CET)


def test_extract_html_shows_time_zone_author_and_site(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["extract", "--format", "json", str(PAGE)]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["published"] == "2024-03-12T08:45:00+01:00"
    assert record["updated"] == "2024-03-12T16:20:31+01:00"
    assert record["source"]["author"] == "Maren Holt"
    assert record["source"]["site_name"] == "Coastline Courier"
    assert record["source"]["url"].endswith("/ferry-terminal-delay")
    dates = {d["text"]: d for d in record["dates"]}
    # anchored on the page's own publication time (Tuesday 12 March 2024)
    assert dates["September"]["value"] == "2024-09"  # "will open in September"
    assert dates["10 a.m. Friday"]["value"] == "2024-03-15T10:00"  # "scheduled for"
    assert dates["10 a.m. Friday"]["type"] == "TIME"


def test_json_ld_graph_and_meta_tags() -> None:
    html = """<html><head>
    <meta property="og:site_name" content="The Daily Example">
    <meta name="author" content="https://example.org/staff/x">
    <script type="application/ld+json">{"@graph": [
      {"@type": "WebSite", "name": "Example"},
      {"@type": ["NewsArticle"], "datePublished": "2023-11-02T21:05:09.123Z",
       "author": {"name": "Ana Ruiz"}}]}</script>
    <meta property="article:modified_time" content="2023-11-03T07:00:00+0000">
    </head><body><p>Text.</p></body></html>"""
    meta = html_metadata(html)
    assert meta["published"] == "2023-11-02T21:05:09+00:00"
    assert meta["modified"] == "2023-11-03T07:00:00+00:00"
    assert meta["author"] == "Ana Ruiz"  # an author URL is no name
    assert meta["sitename"] == "The Daily Example"


def test_time_element_when_no_meta() -> None:
    html = '<html><body><time datetime="2022-06-01T10:30:00-04:00">June 1</time></body></html>'
    assert html_metadata(html)["published"] == "2022-06-01T10:30:00-04:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-12", datetime(2024, 3, 12)),
        ("2024-03-12 08:45", datetime(2024, 3, 12, 8, 45)),
        ("2024-03-12T08:45:00Z", datetime(2024, 3, 12, 8, 45, tzinfo=UTC)),
        ("12 March 2024", None),
    ],
)
def test_parse_iso(text: str, expected: datetime | None) -> None:
    assert parse_iso(text) == expected
