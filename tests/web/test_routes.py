"""How the routers serve: store queries off the event loop, each request with a store
of its own, lists paged in the store, the store's row shapes as the API's."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.store.conftest import make_record
from wirescope.record.models import Failure
from wirescope.store import ArticleKey
from wirescope.store.sqlite import SQLiteStore
from wirescope.web.app import Settings, create_app

TEXT = '"We will build the bridge," Ann Alder said in Paris on Monday.'


class Watched(SQLiteStore):
    """The real store, noting for each query whether it ran on an event loop."""

    calls: list[tuple[str, bool, int]]

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            asyncio.get_running_loop()
            on_loop = True
        except RuntimeError:
            on_loop = False
        self.calls.append((sql, on_loop, threading.get_ident()))
        return super()._rows(sql, params)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "w.db")
    store = SQLiteStore(path)
    records = [
        make_record(
            f"r{i:02d}",
            TEXT + f" {i}",
            people=[{"id": "p1", "name": "Ann Alder", "roles": ["mayor"]}],
            quotes=[{"text": "We will build the bridge,", "speaker": "p1"}],
        )
        for i in range(3)
    ]
    store.write_batch(
        [(ArticleKey(f"r{i}.txt"), r) for i, r in enumerate(records)],
        [Failure(f"bad{i}.html", "read failed: empty") for i in range(4)],
    )
    store.close()
    return path


def watched_client(db: str) -> tuple[TestClient, list[Watched]]:
    opened: list[Watched] = []

    def opener(path: str) -> Watched:
        store = Watched(path)
        store.calls = []
        opened.append(store)
        return store

    return TestClient(create_app(Settings(db=db, opener=opener))), opened


def test_store_queries_never_run_on_the_event_loop(db: str) -> None:
    client, opened = watched_client(db)
    with client:
        aid = client.get("/articles.json").json()["data"][0]["article_id"]
        pid = client.get("/people.json").json()["data"][0]["person_id"]
        for path in ["/", "/.json", "/quotes", "/people", f"/people/{pid}", f"/articles/{aid}"]:
            assert client.get(path).status_code == 200, path
        for path in ["/places", "/search?q=bridge", "/failures", "/articles"]:
            assert client.get(path).status_code == 200, path
    calls = [c for store in opened for c in store.calls]
    assert len(calls) > 10
    assert not [sql for sql, on_loop, _ in calls if on_loop]


def test_people_and_failures_are_paged_by_the_store(db: str) -> None:
    client, opened = watched_client(db)
    with client:
        first = client.get("/failures.json", params={"limit": 2}).json()
        second = client.get("/failures.json", params={"limit": 2, "cursor": first["next"]}).json()
        assert len(first["data"]) == len(second["data"]) == 2
        assert {f["path"] for f in first["data"] + second["data"]} == {
            f"bad{i}.html" for i in range(4)
        }
        client.get("/people.json", params={"limit": 1})
    sqls = [sql for store in opened for sql, _, _ in store.calls]
    assert any("FROM failures" in s and "LIMIT" in s for s in sqls)
    assert any("FROM people p" in s and "LIMIT" in s for s in sqls)


def test_list_rows_are_the_store_rows_with_their_urls(db: str) -> None:
    client, _ = watched_client(db)
    with client:
        quote = client.get("/quotes.json").json()["data"][0]
        person = client.get("/people.json").json()["data"][0]
        article = client.get("/articles.json").json()["data"][0]
    assert quote["url"] == f"/articles/{quote['article_id']}#{quote['quote_id']}"
    assert person["url"] == f"/people/{person['person_id']}"
    assert article["url"] == f"/articles/{article['article_id']}"
    assert person["roles"] and person["quotes"] == 3


def test_the_article_page_shows_its_source_url_outlet_and_author(tmp_path: Path) -> None:
    path = str(tmp_path / "s.db")
    store = SQLiteStore(path)
    linked = make_record("s1", TEXT)
    linked.source.update(
        url="https://news.example/a?x=1", site_name="Example News", author="Kim Lee; Ola Nor"
    )
    hostile = make_record("s2", TEXT + " again")
    hostile.source.update(url="javascript:alert(1)")
    store.write_batch([(ArticleKey("s1"), linked), (ArticleKey("s2"), hostile)], [])
    store.close()
    with TestClient(create_app(Settings(db=path))) as client:
        html = client.get("/articles/s1").text
        bad = client.get("/articles/s2").text
    assert '<a href="https://news.example/a?x=1"' in html
    assert "Example News" in html and "Kim Lee; Ola Nor" in html
    assert 'href="javascript:' not in bad and "javascript:alert(1)" in bad


def test_head_answers_like_get_without_a_body(db: str) -> None:
    client, _ = watched_client(db)
    with client:
        for path in ["/", "/quotes", "/people.json", "/quotes.csv"]:
            got, head = client.get(path), client.head(path)
            assert head.status_code == got.status_code == 200, path
            assert head.content == b"" and got.content
            assert head.headers["content-type"] == got.headers["content-type"]
        assert client.head("/people/nobody").status_code == 404
