"""The JSON API of a real `wirescope serve`: twins of the pages, cursor paging, JSON
errors, the write endpoints and the body limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema
import pytest

from wirescope.pipeline.build import extract_text
from wirescope.record.serialize import record_to_dict, shipped_schema
from wirescope.store import ArticleKey, open_store

TOKEN = "test-write-token-0123456789"
TEXT = (
    "OSLO (Reuters) - Norway's foreign minister Anne Berg said on Tuesday that talks "
    'would resume next week. "We will not accept any further delay," Berg told reporters.'
)


def test_every_page_has_a_json_twin(server: Any, seed_id: str) -> None:
    for path in ["/articles", "/quotes", "/people", "/places", "/failures", "/search?q=unity"]:
        by_suffix = httpx.get(
            server.url + path.replace("?", ".json?", 1)
            if "?" in path
            else server.url + path + ".json"
        )
        by_accept = httpx.get(server.url + path, headers={"Accept": "application/json"})
        html = httpx.get(server.url + path, headers={"Accept": "text/html"})
        assert by_suffix.json() == by_accept.json(), path
        assert {"data", "next", "prev", "total", "facets"} <= set(by_suffix.json()), path
        assert html.headers["content-type"].startswith("text/html"), path
    record = httpx.get(f"{server.url}/articles/{seed_id}.json").json()
    assert record["schema"] == "wirescope/1"
    assert record["id"] == seed_id
    assert {s["name"] for s in record["speakers"].values()} >= {"Alireza Arafi", "Mohsen Rezayee"}


def test_cursor_paging_walks_every_quote_once(server: Any) -> None:
    total = httpx.get(server.url + "/.json").json()["quotes"]
    seen: list[tuple[str, str]] = []
    params: dict[str, Any] = {"limit": 37}
    while True:
        page = httpx.get(server.url + "/quotes.json", params=params).json()
        seen += [(q["article_id"], q["quote_id"]) for q in page["data"]]
        if page["next"] is None:
            break
        params["cursor"] = page["next"]
    assert len(seen) == len(set(seen)) == total


def test_person_json_has_quotes_months_and_companions(server: Any) -> None:
    rezayee = httpx.get(server.url + "/quotes.json", params={"speaker": "Rezaei"}).json()
    pid = rezayee["data"][0]["person_id"]
    person = httpx.get(f"{server.url}/people/{pid}.json").json()
    assert person["person"]["name"] == "Mohsen Rezayee"
    assert len(person["quotes"]["data"]) == person["person"]["quotes"] == 7
    assert person["months"] == [{"month": "2021-03", "quotes": 7}]
    assert "Alireza Arafi" in {p["name"] for p in person["quoted_with"]}


def test_place_json_names_who_calls_it_what(server: Any) -> None:
    place = httpx.get(server.url + "/places/Khankendi.json").json()
    assert "Stepanakert" in place["place"]["aliases"]
    written = {n["name"] for n in place["names"]}
    assert written >= {"Khankendi", "Stepanakert"}
    assert {"name": "Stepanakert", "used_by": "Armenian authorities"} in place["also_called"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/articles/nope.json", 404),
        ("/people/nope.json", 404),
        ("/places/Nowhere-at-all.json", 404),
        ("/quotes.json?cursor=%%%", 400),
        ("/quotes.json?limit=0", 422),
        ("/quotes.json?since=yesterday", 422),
        ("/no/such/page.json", 404),
    ],
)
def test_errors_are_json_with_status_and_message(server: Any, path: str, status: int) -> None:
    r = httpx.get(server.url + path)
    assert r.status_code == status
    body = r.json()
    assert body["status"] == status and body["message"]
    assert "Traceback" not in r.text


def test_errors_on_pages_are_html(server: Any) -> None:
    r = httpx.get(server.url + "/articles/nope", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert "no article with id" in r.text and "<html" in r.text


def test_writing_is_off_by_default(server: Any, seed_id: str) -> None:
    r = httpx.post(server.url + "/articles", json={"text": "Hello."})
    assert r.status_code == 403
    r = httpx.delete(
        f"{server.url}/articles/{seed_id}", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 403
    assert httpx.get(f"{server.url}/articles/{seed_id}.json").status_code == 200


@pytest.fixture(scope="module")
def write_server(tmp_path_factory: pytest.TempPathFactory, server_class: Any) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("write") / "w.db"
    store = open_store(str(db))
    record = extract_text('"We stay," Anna Berg said in Oslo on Monday.', "first.txt")
    store.write_batch([(ArticleKey("first.txt"), record)], [])
    store.close()
    srv = server_class(str(db), "--write-token", TOKEN, "--max-body", "5000")
    yield srv
    srv.stop()


def test_write_endpoints_need_the_bearer_token(write_server: Any) -> None:
    url = write_server.url
    body = {"text": TEXT}
    for headers in [
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": TOKEN},
    ]:
        r = httpx.post(url + "/articles", json=body, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.post(url + "/articles", json=body, headers=auth, timeout=120)
    assert r.status_code == 201
    stored = r.json()
    again = httpx.post(url + "/articles", json=body, headers=auth, timeout=120)
    assert again.status_code == 200  # already stored: nothing created
    assert again.json()["id"] == stored["id"]
    record = httpx.get(url + stored["url"] + ".json").json()
    assert record["text"] == TEXT
    assert len(record["quotes"]) == stored["quotes"] >= 1
    assert httpx.delete(url + stored["url"]).status_code == 401
    assert httpx.delete(url + stored["url"], headers=auth).json() == {"deleted": stored["id"]}
    assert httpx.get(url + stored["url"] + ".json").status_code == 404
    assert httpx.delete(url + stored["url"], headers=auth).status_code == 404


def test_request_bodies_have_a_size_limit(write_server: Any) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {"text": "word " * 2000}
    for path in ["/articles", "/extract"]:
        r = httpx.post(write_server.url + path, json=big, headers=auth)
        assert r.status_code == 413
        assert r.json()["status"] == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it streams
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100
        yield b'"}'

    r = httpx.post(
        write_server.url + "/extract",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 413


def test_extract_returns_a_record_and_stores_nothing(write_server: Any) -> None:
    before = httpx.get(write_server.url + "/.json").json()
    r = httpx.post(write_server.url + "/extract", json={"text": TEXT}, timeout=120)
    assert r.status_code == 200
    record = r.json()
    assert record["schema"] == "wirescope/1"
    jsonschema.Draft202012Validator(shipped_schema()).validate(record)
    assert record["quotes"] == record_to_dict(extract_text(TEXT))["quotes"]
    assert record["quotes"]
    assert httpx.get(write_server.url + "/.json").json() == before
