"""The wirescope/1 record's JSON Schema in the OpenAPI document: the record endpoints
answer `dict[str, Any]` to FastAPI, so their schema is the package's contract file,
added to the components and referenced by those operations."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from typing import Any

from wirescope.record.serialize import shipped_schema

PREFIX = "wirescope1."  # component names: wirescope1.Record, wirescope1.Quote, ...
RECORD = f"{PREFIX}Record"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def record_components() -> dict[str, Any]:
    """The record schema and its parts as OpenAPI components (their refs rewritten from
    `#/$defs/X` to `#/components/schemas/wirescope1.X`)."""
    schema = copy.deepcopy(shipped_schema())
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    parts = {RECORD: schema, **{PREFIX + name: part for name, part in defs.items()}}
    text = json.dumps(parts).replace('"#/$defs/', f'"#/components/schemas/{PREFIX}')
    out: dict[str, Any] = json.loads(text)
    return out


def add_record_schema(
    document: dict[str, Any], operations: Iterable[tuple[str, str]]
) -> dict[str, Any]:
    """`document` with the record components, and the 200 (or 201) JSON answer of each
    (method, path) in `operations` declared as a record."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(record_components())
    for method, path in operations:
        op = document.get("paths", {}).get(path, {}).get(method.lower())
        if op is None:
            raise KeyError(f"no operation {method} {path} in the OpenAPI document")
        for status in ("200", "201"):
            answer = op.get("responses", {}).get(status)
            if answer is not None:
                answer.setdefault("content", {})["application/json"] = {"schema": _ref(RECORD)}
    return document


def add_bearer(document: dict[str, Any], operations: Iterable[tuple[str, str]]) -> None:
    """Declare the write token's scheme (`Authorization: Bearer TOKEN`) and the
    operations that take it (/extract: when the server is bound beyond loopback)."""
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["bearer"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "the token given to `wirescope serve --write-token`",
    }
    for method, path in operations:
        op = document.get("paths", {}).get(path, {}).get(method.lower())
        if op is None:
            raise KeyError(f"no operation {method} {path} in the OpenAPI document")
        op["security"] = (
            [{"bearer": []}]
            if method != "POST" or path != "/extract"
            else [
                {},
                {"bearer": []},
            ]
        )


def record_openapi(
    build: Callable[[], dict[str, Any]],
    operations: Iterable[tuple[str, str]],
    writes: Iterable[tuple[str, str]] = (),
) -> Callable[[], dict[str, Any]]:
    """A replacement for FastAPI's `app.openapi`: the document `build` makes, with the
    record schema and the bearer scheme added (made once and kept, as FastAPI keeps
    its own)."""
    ops, write_ops = list(operations), list(writes)
    made: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not made:
            made.update(add_record_schema(build(), ops))
            add_bearer(made, write_ops)
        return made

    return openapi
