"""The API against its own OpenAPI schema, as served by a real `wirescope serve`:
schemathesis generates requests for every operation; no response may be a 5xx, and
every response must match the schema (status codes, content types, bodies).

Examples per operation are bounded (WIRESCOPE_SCHEMATHESIS_EXAMPLES, 15) to keep CI
fast; raise it for a deeper run."""

from __future__ import annotations

import os
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wirescope.web.app import Settings, create_app  # noqa: E402

EXAMPLES = int(os.environ.get("WIRESCOPE_SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The operations, to name one test each (the schema itself is fetched from the server).
OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(Settings(db="unused")).openapi()["paths"].items()
    for method in item
]


@pytest.fixture(scope="module")
def api_schema(server: Any) -> Any:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_matches_its_schema(api_schema: Any, server: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        # JSON is what the schema describes; the same paths answer HTML to browsers.
        case.call_and_validate(
            base_url=server.url,
            headers={"Accept": "application/json"},
            checks=CHECKS,
            timeout=120,
        )

    run()
