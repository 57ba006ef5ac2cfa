"""The wirescope/1 contract is a file in the package, made from the models: every golden
record validates against it, and writing then reading a record loses nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from wirescope.record.models import Cue, Entity, Quote, Record, SpeakerRef
from wirescope.record.serialize import (
    json_schema,
    record_from_dict,
    record_to_dict,
    shipped_schema,
)

GOLDEN = sorted((Path(__file__).resolve().parents[1] / "golden").glob("*.record.json"))


def _validator() -> jsonschema.Draft202012Validator:
    schema = shipped_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_file_is_made_from_the_models() -> None:
    assert shipped_schema() == json_schema(), (
        "models changed: regenerate src/wirescope/record/wirescope-1.schema.json "
        "(python -c 'import json; from wirescope.record.serialize import json_schema; "
        "print(json.dumps(json_schema(), indent=2))')"
    )


def test_every_model_field_is_in_the_schema() -> None:
    schema = shipped_schema()
    assert set(schema["properties"]) == set(Record.__dataclass_fields__)
    assert set(schema["$defs"]["Entity"]["properties"]) == set(Entity.__dataclass_fields__)
    assert set(schema["$defs"]["Quote"]["properties"]) == set(Quote.__dataclass_fields__)


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_records_validate(path: Path) -> None:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("text") is None:  # the fixture's golden keeps spans, not its text
        data = _with_texts(data)
    _validator().validate(data)


def _with_texts(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ("" if k in ("text", "headline") and v is None else _with_texts(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_with_texts(v) for v in value]
    return value


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_write_read_write_is_the_same(path: Path) -> None:
    data = _with_texts(json.loads(path.read_text(encoding="utf-8")))
    assert record_to_dict(record_from_dict(data)) == data


def test_fields_only_some_entities_carry() -> None:
    person = Entity(id="p1", type="PERSON", name="Ana Ruiz", gender="f", lat=1.0)
    place = Entity(id="g1", type="PLACE", name="Rasht", lat=37.3, honorifics=["Dr"])
    org = Entity(id="o1", type="ORG", name="IRNA", places=["g1"])
    p, g, o = (record_to_dict(Record(id="x", source={}, text="", entities=[e]))["entities"][0]
               for e in (person, place, org))  # fmt: skip
    assert p["gender"] == "f" and "lat" not in p and "places" not in p
    assert g["lat"] == 37.3 and "honorifics" not in g and "gender" not in g
    assert o["places"] == ["g1"] and "gender" not in o


def test_older_records_read_with_defaults() -> None:
    old = {
        "id": "x",
        "text": "Ana said it.",
        "quotes": [
            {
                "id": "q1",
                "span": [0, 3],
                "text": "Ana",
                "kind": "direct",
                "cue": {"span": [4, 8], "lemma": "say"},
                "speaker": {"span": [0, 3], "text": "Ana"},
            }
        ],
        "dates": [{"span": [0, 3], "text": "Ana", "value": None, "granularity": None}],
    }
    record = record_from_dict(old)
    assert record.source == {} and record.schema == "wirescope/1"
    (quote,) = record.quotes
    assert quote.cue == Cue((4, 8), "", "say")
    assert quote.speaker == SpeakerRef((0, 3), "Ana", "name")
    assert quote.confidence == 0.5
    assert record.dates[0].type == "DATE"
    _validator().validate(record_to_dict(record))
