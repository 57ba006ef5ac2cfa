"""The OpenAPI document carries the wirescope/1 record schema (the package's contract
file), and the record endpoints' answers validate against it."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import jsonschema

from wirescope.record.serialize import shipped_schema
from wirescope.web.openapi import RECORD


def _record_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(shipped_schema())


def test_openapi_declares_the_record_schema(server: Any) -> None:
    doc = httpx.get(server.url + "/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert set(schemas[RECORD]["properties"]) == set(shipped_schema()["properties"])
    assert "wirescope1.Quote" in schemas and "wirescope1.Entity" in schemas
    ref = {"$ref": f"#/components/schemas/{RECORD}"}
    article = doc["paths"]["/articles/{article_id}"]["get"]["responses"]["200"]
    assert article["content"]["application/json"]["schema"] == ref
    extract = doc["paths"]["/extract"]["post"]["responses"]
    assert any(r.get("content", {}).get("application/json", {}).get("schema") == ref
               for r in extract.values())  # fmt: skip
    # every reference resolves inside the document
    refs = re.findall(r"#/components/schemas/([\w.\-]+)", json.dumps(doc))
    assert refs and not set(refs) - set(schemas)
    assert "#/$defs/" not in json.dumps(doc)


def test_an_article_answer_validates(server: Any, seed_id: str) -> None:
    answer = httpx.get(f"{server.url}/articles/{seed_id}.json").json()
    _record_validator().validate(answer)
    assert answer["quotes"] and answer["entities"]
