"""Hostile content and hostile requests: markup in records renders as text, write
endpoints need the token, request input reaches SQL only as bound parameters, and no
path parameter reads a file."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from wirescope.record.models import Cue, Dateline, Entity, Quote, Record, SpeakerRef
from wirescope.store import ArticleKey
from wirescope.store.sqlite import SQLiteStore
from wirescope.web.app import Settings, create_app

SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
TOKEN = "test-write-token-0123456789"
WEB_SRC = Path(__file__).resolve().parents[2] / "src/wirescope/web"


def hostile_record() -> Record:
    name = f"Evil {IMG} Person"
    quote = f"We will {SCRIPT} win {IMG}"
    text = f'HEADLINE {SCRIPT}\n\n"{quote}," {name} said in Tehran.'
    q0 = text.index(quote)
    n0 = text.index(name)
    c0 = text.index("said")
    p0 = text.index("Tehran")
    return Record(
        id="evil000000000001",
        source={"path": "evil.txt", "format": "text"},
        text=text,
        headline=f"Headline {SCRIPT} {IMG}",
        dateline=Dateline(place=f"Place {IMG}", agency="X", agency_name=SCRIPT),
        quotes=[
            Quote(
                "q1",
                (q0, q0 + len(quote)),
                quote,
                "direct",
                Cue((c0, c0 + 4), "said", "say"),
                SpeakerRef((n0, n0 + len(name)), name, "name", "p1", name),
                0.9,
            )
        ],
        entities=[
            Entity("p1", "PERSON", name, mentions=[(n0, n0 + len(name))], roles=[IMG]),
            Entity("g1", "PLACE", f"Tehran {SCRIPT}", mentions=[(p0, p0 + 6)], aliases=[IMG]),
        ],
    )


class Recording(SQLiteStore):
    """The real SQLite store, keeping every SQL text it runs (and its parameters)."""

    statements: list[tuple[str, Sequence[Any]]]

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        self.statements.append((sql, params))
        return super()._rows(sql, params)

    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.statements.append((sql, params))
        super()._exec(sql, params)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = str(tmp_path / "evil.db")
    store = SQLiteStore(db)
    store.write_batch([(ArticleKey("evil.txt"), hostile_record())], [])
    store.close()
    with TestClient(create_app(Settings(db=db, write_token=TOKEN))) as c:
        yield c


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def test_markup_in_records_renders_as_text(client: TestClient) -> None:
    person = client.get("/quotes.json").json()["data"][0]["person_id"]
    pages = [
        "/articles/evil000000000001",
        "/articles",
        "/quotes",
        "/people",
        f"/people/{person}",
        "/places",
        "/places/" + quote(f"Tehran {SCRIPT}", safe=""),
        "/search?q=win",
        "/",
    ]
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        tags = parsed(r.text)
        scripts = [a for t, a in tags if t == "script"]
        assert scripts == [{"src": "/static/htmx.min.js", "defer": None}], path
        assert not [t for t, _ in tags if t == "img"], path
        handlers = [k for _, a in tags for k in a if k.startswith("on")]
        assert handlers == [], path
        assert SCRIPT not in r.text and IMG not in r.text, path
    article = client.get("/articles/evil000000000001")
    assert "We will &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; win" in article.text
    assert "Evil &lt;img src=x onerror=&#34;alert(1)&#34;&gt; Person" in article.text
    assert "default-src 'self'" in article.headers["content-security-policy"]


def test_markup_typed_into_try_it_renders_as_text(client: TestClient) -> None:
    r = client.post("/try", data={"text": f'"{SCRIPT}," {IMG} said.'})
    assert r.status_code == 200
    assert [a for t, a in parsed(r.text) if t == "script"] == [
        {"src": "/static/htmx.min.js", "defer": None}
    ]
    assert not [t for t, _ in parsed(r.text) if t == "img"]


@pytest.mark.parametrize("method", ["post", "delete"])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer nope"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
    ],
)
def test_write_endpoints_refuse_without_the_right_token(
    client: TestClient, method: str, headers: dict[str, str]
) -> None:
    if method == "post":
        r = client.post("/articles", json={"text": "x"}, headers=headers)
    else:
        r = client.delete("/articles/evil000000000001", headers=headers)
    assert r.status_code == 401
    assert r.json()["status"] == 401
    assert client.get("/articles/evil000000000001.json").status_code == 200


MARKER = "zq9marker"
INJECTIONS = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "x') UNION SELECT record_json FROM articles --",
    "NEAR(a b)",
    "%_%",
    "\\0",
]


def test_request_input_reaches_sql_only_as_parameters(client: TestClient, tmp_path: Path) -> None:
    opened: list[Recording] = []

    def recording(db: str) -> Recording:
        opened.append(Recording(db))
        opened[-1].statements = []
        return opened[-1]

    settings = Settings(db=str(tmp_path / "evil.db"), opener=recording)
    with TestClient(create_app(settings)) as recorded:
        _inject(recorded)
    (store,) = opened
    assert store.statements
    assert not [sql for sql, _ in store.statements if MARKER in sql]
    assert any(MARKER in str(params) for _, params in store.statements)  # it did reach SQL
    assert client.get("/.json").json()["articles"] == 1


def _inject(client: TestClient) -> None:
    marker = MARKER
    for bad in INJECTIONS:
        value = f"{marker}{bad}"
        for path, params in [
            ("/search", {"q": value}),
            ("/search", {"q": value, "speaker": value, "kind": "direct"}),
            ("/quotes", {"speaker": value, "about": value}),
            ("/people", {"role": value}),
            ("/articles", {"agency": value}),
            (f"/articles/{quote(value, safe='')}", {}),
            (f"/people/{quote(value, safe='')}", {}),
            (f"/places/{quote(value, safe='')}", {}),
        ]:
            r = client.get(path, params=params, headers={"Accept": "application/json"})
            assert r.status_code < 500, (path, params)


def test_the_web_package_holds_no_sql() -> None:
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE\s+FROM|DROP|execute)\b")
    for path in WEB_SRC.rglob("*.py"):
        assert not sql.search(path.read_text()), path


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/articles/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/articles/%2Fetc%2Fpasswd",
        "/people/..%2F..%2Fetc%2Fpasswd",
        "/places/%2Fetc%2Fpasswd",
        "/static/world.svg/../../app.py",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
    ],
)
def test_path_parameters_cannot_read_files(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert "root:" not in r.text
    assert "create_app" not in r.text


def test_an_existing_file_path_is_not_an_article(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    r = client.get("/articles/" + quote(str(secret), safe=""))
    assert r.status_code == 404
    assert "TOP SECRET" not in r.text
