"""`wirescope serve`: the JSON API and the HTML pages over one store.

Every page is also JSON: the same path with `.json`, or `Accept: application/json`.
The pages are in web/routes/ (a router per kind of page); handlers only call the Store
protocol and wirescope.query, as the CLI does. Handlers that query the store are sync
functions, which FastAPI runs on worker threads, each request with a store of its own
from a pool (web/pool.py): a slow query never stalls the event loop. Extraction runs on
one worker thread, so spaCy never runs twice at once.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirescope import query
from wirescope.errors import WirescopeError
from wirescope.web.openapi import record_openapi
from wirescope.web.pages import CSV, HERE, JSONL, Settings, make_templates, page, wants_json
from wirescope.web.pool import StorePool
from wirescope.web.routes import (
    api,
    articles,
    events,
    failures,
    people,
    places,
    quotations,
    quotes,
    search,
)

log = logging.getLogger("wirescope.web")

DEFAULT_MAX_BODY = 1_000_000  # bytes; a wire article is a few KB

__all__ = ["DEFAULT_MAX_BODY", "Settings", "create_app"]


# `/x.json` is `/x` asking for JSON; `.csv` and `.jsonl`: every row of a list, streamed.
SUFFIXES = {".json": b"application/json", ".csv": CSV.encode(), ".jsonl": JSONL.encode()}


class JsonSuffixAndBodyLimit:
    """`/x.json` is `/x` asking for JSON (SUFFIXES); a request body over max_body gets 413 before
    anything reads it (by Content-Length, or counted while streaming)."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        suffix = next((x for x in SUFFIXES if path.endswith(x)), None)
        if suffix and path != "/openapi.json" and not path.startswith("/static/"):
            scope = dict(scope)
            scope["path"] = path[: -len(suffix)] or "/"
            scope["raw_path"] = scope["path"].encode()
            headers = [(k, v) for k, v in scope["headers"] if k != b"accept"]
            scope["headers"] = [*headers, (b"accept", SUFFIXES[suffix])]
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

        if scope["method"] == "HEAD":  # a GET without its body: headers as GET has them
            scope = {**scope, "method": "GET"}
            send = _headers_only(send)
        await self.app(scope, limited, send)


def _headers_only(send: Send) -> Send:
    async def sender(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return sender


def _too_large_text(limit: int) -> str:
    return f"request body over the limit of {limit} bytes"


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"status": 413, "message": _too_large_text(limit)}, status_code=413)


# Operations whose JSON answer is a wirescope/1 record (web/openapi.py declares it).
RECORD_OPERATIONS = (("GET", "/articles/{article_id}"), ("POST", "/extract"))
# Operations that take `Authorization: Bearer TOKEN` (the OpenAPI bearer scheme).
WRITE_OPERATIONS = (
    ("POST", "/articles"),
    ("DELETE", "/articles/{article_id}"),
    ("POST", "/extract"),
)


def create_app(settings: Settings) -> FastAPI:
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wirescope-extract")
    stores = StorePool(settings.opener or query.open_corpus, settings.db, settings.connections)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(stores.open_one)  # a store that cannot open fails here
        try:
            yield
        finally:
            stores.close()
            executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="wirescope",
        version="1",
        description="Who said what, about whom, when and where: a wirescope store over HTTP. "
        "Lists are paged: `{data, next}`; pass `next` back as `cursor`. Every page "
        "also answers JSON with a `.json` suffix or `Accept: application/json`.",
        lifespan=lifespan,
        docs_url=None,  # served by routes/api.py from vendored Swagger UI: works offline
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.templates = make_templates()
    app.state.stores = stores
    app.state.extractor = executor
    app.state.extract_pending = 0  # texts in progress or waiting (api.extract)
    app.add_middleware(JsonSuffixAndBodyLimit, max_body=settings.max_body)
    if settings.cors_origins:  # only when asked: other sites' pages may then read answers
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (articles, quotes, quotations, people, places, search, failures, api, events):
        app.include_router(module.router)

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

    # The record endpoints answer dict[str, Any]: their schema is the contract file.
    app.openapi = record_openapi(  # type: ignore[method-assign]
        app.openapi, RECORD_OPERATIONS, WRITE_OPERATIONS
    )
    return app
