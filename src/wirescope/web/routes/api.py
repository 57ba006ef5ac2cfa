"""Extraction over HTTP (`/extract`, the `/try` form) and what writing needs: the
write token and the one extraction worker."""

from __future__ import annotations

import asyncio
import hmac
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from wirescope.record.models import Record
from wirescope.record.serialize import record_to_dict
from wirescope.web import models as m
from wirescope.web.annotate import annotate
from wirescope.web.pages import JSON_ERRORS, Settings, page

router = APIRouter()


def check_write(request: Request, authorization: str | None) -> None:
    settings: Settings = request.app.state.settings
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


# What /extract, /try and POST /articles may answer besides JSON_ERRORS.
EXTRACT_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.ErrorOut} for code in (401, 403, 503, 504)
}


async def extract(request: Request, text: str) -> Record:
    """One text through the pipeline on the extraction worker (spaCy never runs twice
    at once); the event loop stays free meanwhile. Beyond loopback it needs the write
    token; at most `extract_pending` texts are in progress or waiting (more: 503), and
    one answers 504 after `extract_timeout` s (the worker finishes it meanwhile: a
    thread cannot be stopped, and the pending limit keeps such work bounded)."""
    from wirescope.pipeline.build import extract_text

    settings: Settings = request.app.state.settings
    if settings.public:
        check_write(request, request.headers.get("authorization"))
    state = request.app.state
    if state.extract_pending >= settings.extract_pending:
        raise HTTPException(
            503,
            f"busy: {state.extract_pending} texts are being extracted; try again",
            headers={"Retry-After": "5"},
        )
    loop = asyncio.get_running_loop()
    state.extract_pending += 1
    job = loop.run_in_executor(state.extractor, extract_text, text, "<web>")

    def done(_: object) -> None:
        state.extract_pending -= 1

    job.add_done_callback(done)
    try:
        record: Record = await asyncio.wait_for(asyncio.shield(job), settings.extract_timeout)
        return record
    except TimeoutError:
        raise HTTPException(
            504, f"could not extract: took longer than its {settings.extract_timeout:g} s budget"
        ) from None
    except Exception as exc:  # one bad text is a 422 with the reason, not a 500
        raise HTTPException(422, f"could not extract: {type(exc).__name__}: {exc}") from exc


@router.get("/docs", include_in_schema=False)
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="wirescope API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="data:,",
    )


@router.post("/extract", response_model=dict[str, Any], responses={**JSON_ERRORS, **EXTRACT_ERRORS})
async def extract_one(request: Request, body: m.TextIn) -> Any:
    """One text in, one wirescope/1 record out; nothing is stored."""
    return record_to_dict(await extract(request, body.text))


@router.get("/try", include_in_schema=False)
def try_form(request: Request) -> Any:
    return page(request, "try.html", text="", record=None)


@router.post("/try", include_in_schema=False)
async def try_it(request: Request) -> Any:
    # A plain form post (no JavaScript needed); htmx swaps in just the result.
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    text = (form.get("text") or [""])[0]
    if not text.strip():
        raise HTTPException(422, "paste some text to annotate")
    record = await extract(request, text)
    return page(
        request,
        "try.html",
        text=text,
        record=record,
        ann=annotate(record),
        person_of={},
        stored=False,
    )
