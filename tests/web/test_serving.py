"""Serving beyond loopback (issue 25): extraction needs the token there, is time- and
queue-limited, server file paths stay hidden unless --show-paths, CORS only when asked,
and the OpenAPI document declares the bearer scheme."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from wirescope.record.models import Failure
from wirescope.store.sqlite import SQLiteStore
from wirescope.web.app import Settings, create_app

TOKEN = "a-token-of-twenty-chars"
SECRET = "/srv/newsroom/private/feeds/bad.html"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "c.db")
    store = SQLiteStore(path)
    store.write_batch([], [Failure(SECRET, "read failed: empty")])
    store.close()
    return path


def client(db: str, **settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db, **settings))) as c:
        yield c


def test_extraction_beyond_loopback_needs_the_token(db: str) -> None:
    for c in client(db, public=True, write_token=TOKEN):
        r = c.post("/extract", json={"text": "He said it."})
        assert r.status_code == 401 and "Bearer" in r.json()["message"]
    for c in client(db, public=True):  # no token configured: no extraction from afar
        assert c.post("/extract", json={"text": "He said it."}).status_code == 403


def test_extraction_is_limited_in_time_and_in_waiting(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wirescope.pipeline.build as build

    monkeypatch.setattr(build, "extract_text", lambda text, path: time.sleep(1.0))
    for c in client(db, extract_timeout=0.2):
        r = c.post("/extract", json={"text": "A slow text."})
        assert r.status_code == 504 and "0.2 s budget" in r.json()["message"]
    for c in client(db, extract_pending=0):
        r = c.post("/extract", json={"text": "Any text."})
        assert r.status_code == 503 and r.headers["retry-after"] == "5"


def test_server_paths_are_hidden_from_afar_unless_asked(db: str) -> None:
    for c in client(db, public=True):
        (row,) = c.get("/failures.json").json()["data"]
        assert row["path"] == "bad.html" and SECRET not in c.get("/failures").text
    for c in client(db, public=True, show_paths=True):
        assert c.get("/failures.json").json()["data"][0]["path"] == SECRET
    for c in client(db):  # on this machine only: the paths are the user's own
        assert c.get("/failures.json").json()["data"][0]["path"] == SECRET


def test_cors_only_with_an_origin_given(db: str) -> None:
    site = {"Origin": "https://desk.example.org"}
    for c in client(db):
        assert "access-control-allow-origin" not in c.get("/people.json", headers=site).headers
    for c in client(db, cors_origins=("https://desk.example.org",)):
        r = c.get("/people.json", headers=site)
        assert r.headers["access-control-allow-origin"] == "https://desk.example.org"
        other = c.get("/people.json", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_openapi_declares_the_bearer_scheme(db: str) -> None:
    for c in client(db):
        doc = c.get("/openapi.json").json()
        assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
        assert doc["paths"]["/articles"]["post"]["security"] == [{"bearer": []}]
        assert doc["paths"]["/articles/{article_id}"]["delete"]["security"] == [{"bearer": []}]
