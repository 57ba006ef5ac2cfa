"""`wirescope serve`: the JSON API and the HTML pages over one store.

Every page is also JSON: the same path with `.json`, or `Accept: application/json`.
Handlers only call the Store protocol and wirescope.query, as the CLI does. Store calls
run on the event loop thread (one connection, no locking needed; queries take
milliseconds); extraction runs on one worker thread, so spaCy never runs twice at once.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import parse_qs, urlencode

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirescope import query
from wirescope.errors import QueryError, WirescopeError
from wirescope.record.models import Record
from wirescope.record.serialize import record_to_dict
from wirescope.store import (
    ArticleKey,
    ArticleRow,
    PersonLink,
    PersonRow,
    PlaceRow,
    QuoteHit,
    SearchHit,
    Store,
)
from wirescope.web import models as m
from wirescope.web.annotate import annotate, person_href, place_href
from wirescope.web.charts import map_point, timeline
from wirescope.web.quotations import link_labels
from wirescope.web.quotations import router as quotation_routes

HERE = Path(__file__).parent
log = logging.getLogger("wirescope.web")

DEFAULT_MAX_BODY = 1_000_000  # bytes; a wire article is a few KB
PAGE = 50
MAX_PAGE = 200
Row = TypeVar("Row")  # a store row a list page shows
Out = TypeVar("Out")  # its API shape
JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.ErrorOut} for code in (400, 404, 413, 422)
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **JSON_ERRORS,
    401: {"model": m.ErrorOut},
    403: {"model": m.ErrorOut},
}
# Pages answer HTML too; the schema says so, so clients and schemathesis expect it.
HTML_TOO: dict[str, Any] = {"content": {"text/html": {}}}


@dataclass
class Settings:
    db: str
    write_token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    # How the store is opened (on the server's event loop thread); tests pass their own.
    opener: Callable[[str], Store] = query.open_corpus


class JsonSuffixAndBodyLimit:
    """`/x.json` is `/x` asking for JSON; a request body over max_body gets 413 before
    anything reads it (by Content-Length, or counted while streaming)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.endswith(".json") and path != "/openapi.json" and not path.startswith("/static/"):
            scope = dict(scope)
            scope["path"] = path[: -len(".json")] or "/"
            scope["raw_path"] = scope["path"].encode()
            headers = [(k, v) for k, v in scope["headers"] if k != b"accept"]
            scope["headers"] = [*headers, (b"accept", b"application/json")]
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _too_large(self.max_body)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise HTTPException(413, _too_large_text(self.max_body))
            return message

        await self.app(scope, limited, send)


def _too_large_text(limit: int) -> str:
    return f"request body over the limit of {limit} bytes"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"status": 413, "message": _too_large_text(limit)}, status_code=413)


# -- cursors: opaque to clients, an offset inside ----------------------------


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        if isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= 10**9:
            return offset
    except (ValueError, binascii.Error, KeyError, TypeError, UnicodeDecodeError):
        pass
    raise HTTPException(400, "bad cursor: pass back the `next` of a previous page")


def paged(items: list[Any], offset: int, limit: int) -> tuple[list[Any], str | None]:
    """Handlers fetch limit + 1 rows: the extra one says whether a next page exists."""
    return items[:limit], encode_cursor(offset + limit) if len(items) > limit else None


# -- conversions to API shapes ------------------------------------------------


def article_url(article_id: str, quote_id: str | None = None) -> str:
    return f"/articles/{article_id}" + (f"#{quote_id}" if quote_id else "")


def article_out(a: ArticleRow) -> m.ArticleOut:
    return m.ArticleOut(
        id=a.article_id,
        headline=a.headline,
        published=a.published,
        dateline=a.dateline,
        agency=a.agency,
        quotes=a.quotes,
        url=article_url(a.article_id),
    )


def quote_out(h: QuoteHit) -> m.QuoteOut:
    return m.QuoteOut(
        article_id=h.article_id,
        quote_id=h.quote_id,
        text=h.text,
        kind=h.kind,
        speaker=h.speaker,
        person_id=h.person_id,
        published=h.published,
        headline=h.headline,
        speaker_text=h.speaker_text,
        cue=h.cue,
        confidence=h.confidence,
        span=list(h.span) if h.span else None,
        url=article_url(h.article_id, h.quote_id),
    )


def person_out(p: PersonRow) -> m.PersonOut:
    return m.PersonOut(
        person_id=p.person_id,
        name=p.name,
        variants=p.variants,
        roles=p.roles,
        quotes=p.quotes,
        articles=p.articles,
        first_seen=p.first_seen,
        last_seen=p.last_seen,
        url=person_href(p.person_id),
    )


def link_out(p: PersonLink) -> m.PersonLinkOut:
    return m.PersonLinkOut(
        person_id=p.person_id, name=p.name, count=p.count, url=person_href(p.person_id)
    )


def place_out(p: PlaceRow) -> m.PlaceOut:
    return m.PlaceOut(
        name=p.name,
        country=p.country,
        lat=p.lat,
        lon=p.lon,
        aliases=p.aliases,
        articles=p.articles,
        url=place_href(p.name),
    )


def search_out(h: SearchHit) -> m.SearchOut:
    return m.SearchOut(
        type=h.type,
        article_id=h.article_id,
        quote_id=h.quote_id,
        headline=h.headline,
        snippet=h.snippet,
        score=h.score,
        speaker=h.speaker,
        url=article_url(h.article_id, h.quote_id),
    )


def mark_terms(text: str, terms: list[str]) -> str:
    """Mark the words of a quote that start like a search term, as store snippets do."""
    stems = [re.escape(t.lower()[:5]) for t in terms if t]
    if not stems:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda mt: f"[[{mt.group(0)}]]", text)


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """[[hit]] marks as (text, is_hit) pieces, for the template to escape."""
    parts = re.split(r"\[\[(.*?)\]\]", snippet)
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


def _blank(value: Any) -> Any:
    """An empty form field ("since=") means no filter, as browsers send every field."""
    return None if value == "" else value


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")]
Cursor = Annotated[str | None, Query(description="`next` of the previous page")]
Since = Annotated[
    date | None, BeforeValidator(_blank), Query(description="published on or after (YYYY-MM-DD)")
]
Until = Annotated[
    date | None, BeforeValidator(_blank), Query(description="published on or before (YYYY-MM-DD)")
]
Kind = Annotated[Literal["direct", "indirect", "mixed"] | None, BeforeValidator(_blank), Query()]


# -- the application -----------------------------------------------------------


def create_app(settings: Settings) -> FastAPI:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["snippet_parts"] = snippet_parts
    templates.env.globals["person_href"] = person_href
    templates.env.globals["place_href"] = place_href
    templates.env.globals["next_link"] = next_link
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wirescope-extract")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Opened on the event loop's thread: SQLite connections stay on their thread.
        app.state.store = settings.opener(settings.db)
        try:
            yield
        finally:
            app.state.store.close()
            executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="wirescope",
        version="1",
        description="Who said what, about whom, when and where: a wirescope store over HTTP. "
        "Lists are paged: `{data, next}`; pass `next` back as `cursor`. Every page "
        "also answers JSON with a `.json` suffix or `Accept: application/json`.",
        lifespan=lifespan,
        docs_url=None,  # served below from vendored Swagger UI: no CDN, works offline
        redoc_url=None,
    )
    app.add_middleware(JsonSuffixAndBodyLimit, max_body=settings.max_body)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def wants_json(request: Request) -> bool:
        accept = request.headers.get("accept", "")
        return "application/json" in accept and "text/html" not in accept

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        # Always the whole page: htmx picks the part it swaps in with hx-select.
        return templates.TemplateResponse(
            request, name, {"writable": bool(settings.write_token), **context}, status_code=status
        )

    app.include_router(quotation_routes(page, wants_json))  # web/quotations.py

    def listing(
        request: Request,
        template: str,
        shape: type[m.Page[Out]],
        convert: Callable[[Row], Out],
        cursor: str | None,
        limit: int,
        fetch: Callable[[int], list[Row]],
    ) -> Any:
        """A list page: `fetch(offset)` gives up to limit + 1 rows from the cursor's
        offset; the page of them as JSON, or as the HTML `template`."""
        offset = decode_cursor(cursor)
        rows, nxt = paged(fetch(offset), offset, limit)
        data = shape(data=[convert(r) for r in rows], next=nxt)
        if wants_json(request):
            return data
        return page(request, template, page=data, args=_args(request))

    def check_write(authorization: str | None) -> None:
        if not settings.write_token:
            raise HTTPException(
                403, "writing is off: start `wirescope serve` with --write-token to allow it"
            )
        scheme, _, given = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), settings.write_token.encode()
        ):
            raise HTTPException(
                401,
                "a valid `Authorization: Bearer TOKEN` header is needed to write",
                headers={"WWW-Authenticate": "Bearer"},
            )

    async def extract(text: str) -> Record:
        from wirescope.pipeline.build import extract_text

        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, extract_text, text, "<web>")
        except Exception as exc:  # one bad text is a 422 with the reason, not a 500
            raise HTTPException(422, f"could not extract: {type(exc).__name__}: {exc}") from exc

    # -- errors: JSON (or an HTML page) with a status and a message ----------

    def error_response(request: Request, status: int, message: str, **kw: Any) -> Response:
        if wants_json(request) or request.url.path in ("/extract",) or request.method != "GET":
            return JSONResponse({"status": status, "message": message}, status, **kw)
        return page(request, "error.html", status, status_code=status, message=message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return error_response(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return error_response(request, 422, "; ".join(problems) or "invalid request")

    @app.exception_handler(WirescopeError)
    async def store_error(request: Request, exc: WirescopeError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return JSONResponse({"status": 500, "message": "internal error"}, 500)

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        # Swagger UI's page starts itself with an inline script; ours never need one.
        inline = " 'unsafe-inline'" if request.url.path == "/docs" else ""
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; img-src 'self' data:; style-src 'self'{inline}; "
            f"script-src 'self'{inline}; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="wirescope API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    # -- pages and their JSON ---------------------------------------------------

    @app.get("/", response_model=dict[str, int], responses={200: HTML_TOO})
    async def home(request: Request, store: StoreDep) -> Any:
        counts = store.count()
        if wants_json(request):
            return counts
        return page(
            request,
            "home.html",
            counts=counts,
            articles=store.articles(limit=10),
            people=store.people(limit=10),
        )

    @app.get(
        "/articles", response_model=m.Page[m.ArticleOut], responses={200: HTML_TOO, **JSON_ERRORS}
    )
    async def articles(
        request: Request,
        store: StoreDep,
        since: Since = None,
        until: Until = None,
        agency: Annotated[str | None, Query(max_length=200)] = None,
        limit: Limit = PAGE,
        cursor: Cursor = None,
    ) -> Any:
        return listing(
            request,
            "articles.html",
            m.Page[m.ArticleOut],
            article_out,
            cursor,
            limit,
            lambda at: store.articles(since, until, agency, limit + 1, at),
        )

    @app.get(
        "/articles/{article_id}",
        response_model=dict[str, Any],
        responses={
            200: {"description": "the record, schema wirescope/1", **HTML_TOO},
            **JSON_ERRORS,
        },
    )
    async def article(
        request: Request,
        store: StoreDep,
        article_id: Annotated[str, PathParam(max_length=500)],
    ) -> Any:
        try:
            record = query.find_article(store, article_id)
        except QueryError as exc:  # no such article, or an ambiguous id prefix
            raise HTTPException(404, str(exc)) from None
        speakers = store.speakers(record.id)
        if wants_json(request):
            out = record_to_dict(record)
            out["speakers"] = {
                s.entity_id: {"person_id": s.person_id, "name": s.name} for s in speakers
            }
            return out
        person_of = {s.entity_id: (s.person_id, s.name) for s in speakers}
        roles_of = {}
        for pid in {s.person_id for s in speakers}:
            found = store.person(pid)
            if found:
                roles_of[pid] = found.roles
        return page(
            request,
            "article.html",
            record=record,
            ann=annotate(record, person_of, roles_of),
            person_of=person_of,
            stored=True,
            links=link_labels(store.quote_links(record.id), record),
        )

    @app.post("/articles", response_model=m.Stored, status_code=201, responses=WRITE_ERRORS)
    async def store_article(
        body: m.TextIn,
        store: StoreDep,
        authorization: Annotated[str | None, Header()] = None,
    ) -> Any:
        check_write(authorization)
        record = await extract(body.text)
        key = ArticleKey("web:" + (body.id or record.id))
        store.write_batch([(key, record)], [])
        stored_id = store.hashes_for([key.as_str()]).get(key.as_str(), record.id)
        return m.Stored(id=stored_id, url=article_url(stored_id), quotes=len(record.quotes))

    @app.delete("/articles/{article_id}", response_model=m.Deleted, responses=WRITE_ERRORS)
    async def delete_article(
        store: StoreDep,
        article_id: Annotated[str, PathParam(max_length=500)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> Any:
        check_write(authorization)
        if not store.delete(article_id):
            raise HTTPException(404, f"no article with id {article_id!r}")
        return m.Deleted(deleted=article_id)

    @app.get("/quotes", response_model=m.Page[m.QuoteOut], responses={200: HTML_TOO, **JSON_ERRORS})
    async def quotes(
        request: Request,
        store: StoreDep,
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        about: Annotated[str | None, Query(max_length=200)] = None,
        since: Since = None,
        until: Until = None,
        kind: Kind = None,
        limit: Limit = PAGE,
        cursor: Cursor = None,
    ) -> Any:
        return listing(
            request,
            "quotes.html",
            m.Page[m.QuoteOut],
            quote_out,
            cursor,
            limit,
            lambda at: store.quotes(speaker, about, since, until, kind, limit + 1, offset=at),
        )

    @app.get(
        "/people", response_model=m.Page[m.PersonOut], responses={200: HTML_TOO, **JSON_ERRORS}
    )
    async def people(
        request: Request,
        store: StoreDep,
        role: Annotated[str | None, Query(max_length=200)] = None,
        limit: Limit = PAGE,
        cursor: Cursor = None,
    ) -> Any:
        return listing(
            request,
            "people.html",
            m.Page[m.PersonOut],
            person_out,
            cursor,
            limit,
            lambda at: store.people(role, at + limit + 1)[at:],
        )

    @app.get(
        "/people/{person_id}",
        response_model=m.PersonDetail,
        responses={200: HTML_TOO, **JSON_ERRORS},
    )
    async def person(
        request: Request,
        store: StoreDep,
        person_id: Annotated[str, PathParam(max_length=200)],
        limit: Limit = PAGE,
        cursor: Cursor = None,
    ) -> Any:
        found = store.person(person_id)
        if found is None:
            raise HTTPException(404, f"no person with id {person_id!r}")
        offset = decode_cursor(cursor)
        hits = store.quotes(person_id=person_id, limit=limit + 1, offset=offset)
        rows, nxt = paged(hits, offset, limit)
        months = store.quote_months(person_id)
        detail = m.PersonDetail(
            person=person_out(found),
            quotes=m.Page[m.QuoteOut](data=[quote_out(h) for h in rows], next=nxt),
            months=[m.MonthCount(month=mo, quotes=n) for mo, n in months],
            quoted_with=[link_out(p) for p in store.quoted_with(person_id)],
            quoted_about=[link_out(p) for p in store.quoted_about(person_id)],
        )
        if wants_json(request):
            return detail
        return page(
            request,
            "person.html",
            d=detail,
            bars=timeline(months),
            args=_args(request),
        )

    @app.get("/places", response_model=m.Page[m.PlaceOut], responses={200: HTML_TOO, **JSON_ERRORS})
    async def places(
        request: Request, store: StoreDep, limit: Limit = PAGE, cursor: Cursor = None
    ) -> Any:
        return listing(
            request,
            "places.html",
            m.Page[m.PlaceOut],
            place_out,
            cursor,
            limit,
            lambda at: store.places(limit + 1, at),
        )

    @app.get(
        "/places/{name:path}",
        response_model=m.PlaceDetail,
        responses={200: HTML_TOO, **JSON_ERRORS},
    )
    async def place(
        request: Request,
        store: StoreDep,
        name: Annotated[str, PathParam(max_length=200)],
        limit: Limit = PAGE,
        cursor: Cursor = None,
    ) -> Any:
        found = store.place(name)
        if found is None:
            raise HTTPException(404, f"no place named {name!r}")
        offset = decode_cursor(cursor)
        arts, nxt = paged(store.place_articles(found.name, limit + 1, offset), offset, limit)
        also_called: list[dict[str, str]] = []
        if arts:  # the gazetteer's note on who uses which name, from the newest article
            record = store.get(arts[0].article_id)
            ent = next(
                (
                    e
                    for e in (record.entities if record else [])
                    if e.type == "PLACE" and e.name == found.name
                ),
                None,
            )
            also_called = list(ent.also_called) if ent else []
        detail = m.PlaceDetail(
            place=place_out(found),
            names=[
                m.PlaceName(name=w, agency=ag, articles=n)
                for w, ag, n in store.place_names(found.name)
            ],
            also_called=also_called,
            articles=m.Page[m.ArticleOut](data=[article_out(a) for a in arts], next=nxt),
            quotes=[quote_out(h) for h in store.quotes(about=found.name, limit=20)],
        )
        if wants_json(request):
            return detail
        return page(
            request,
            "place.html",
            d=detail,
            dot=map_point(found.lat, found.lon),
            args=_args(request),
        )

    @app.get(
        "/search", response_model=m.Page[m.SearchOut], responses={200: HTML_TOO, **JSON_ERRORS}
    )
    async def search(
        request: Request,
        store: StoreDep,
        q: Annotated[str, Query(max_length=500, description="words to find")] = "",
        type: Annotated[
            Literal["all", "article", "quote"], Query(description="what to find")
        ] = "all",
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        since: Since = None,
        until: Until = None,
        kind: Kind = None,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Any:
        offset = decode_cursor(cursor)
        hits: list[m.SearchOut] = []
        nxt = None
        filtered = bool(speaker or since or until or kind) or type == "quote"
        if q.strip():
            if filtered:  # quote filters: the quotes query, its words marked here
                terms = q.split()
                found = store.quotes(speaker, q, since, until, kind, limit + 1, offset=offset)
                rows, nxt = paged(found, offset, limit)
                hits = [
                    m.SearchOut(
                        type="quote",
                        article_id=h.article_id,
                        quote_id=h.quote_id,
                        headline=h.headline,
                        snippet=mark_terms(h.text, terms),
                        score=None,
                        speaker=h.speaker,
                        url=article_url(h.article_id, h.quote_id),
                    )
                    for h in rows
                ]
            else:
                wanted = offset + limit + 1
                if type == "article":  # the article hits among the best matches of both kinds
                    found_s = store.search(q, limit=2 * wanted)
                    found_s = [h for h in found_s if h.type == "article"][offset:wanted]
                else:
                    found_s = store.search(q, limit=wanted)[offset:]
                rows_s, nxt = paged(found_s, offset, limit)
                hits = [search_out(h) for h in rows_s]
        data = m.Page[m.SearchOut](data=hits, next=nxt)
        if wants_json(request):
            return data
        return page(
            request,
            "search.html",
            page=data,
            q=q,
            form={
                "type": type,
                "speaker": speaker or "",
                "since": since or "",
                "until": until or "",
                "kind": kind or "",
            },
            args=_args(request),
        )

    @app.get(
        "/failures", response_model=m.Page[m.FailureOut], responses={200: HTML_TOO, **JSON_ERRORS}
    )
    async def failures(
        request: Request, store: StoreDep, limit: Limit = PAGE, cursor: Cursor = None
    ) -> Any:
        return listing(
            request,
            "failures.html",
            m.Page[m.FailureOut],
            lambda f: m.FailureOut(path=f.path, input_id=f.input_id, reason=f.reason),
            cursor,
            limit,
            lambda at: store.failures()[at:],
        )

    @app.post("/extract", response_model=dict[str, Any], responses=JSON_ERRORS)
    async def extract_one(body: m.TextIn) -> Any:
        """One text in, one wirescope/1 record out; nothing is stored."""
        return record_to_dict(await extract(body.text))

    @app.get("/try", include_in_schema=False)
    async def try_form(request: Request) -> Any:
        return page(request, "try.html", text="", record=None)

    @app.post("/try", include_in_schema=False)
    async def try_it(request: Request) -> Any:
        # A plain form post (no JavaScript needed); htmx swaps in just the result.
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        text = (form.get("text") or [""])[0]
        if not text.strip():
            raise HTTPException(422, "paste some text to annotate")
        record = await extract(text)
        return page(
            request,
            "try.html",
            text=text,
            record=record,
            ann=annotate(record),
            person_of={},
            stored=False,
        )

    return app


def _args(request: Request) -> dict[str, str]:
    """The query string without the cursor, for next-page links."""
    return {k: v for k, v in request.query_params.items() if k != "cursor"}


def next_link(path: str, args: dict[str, str], cursor: str) -> str:
    return path + "?" + urlencode({**args, "cursor": cursor})
