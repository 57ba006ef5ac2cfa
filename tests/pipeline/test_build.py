"""The pipeline: per-article failures, the stage switch, stable content ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

import wirescope
import wirescope.pipeline.build as pipeline
from wirescope.pipeline.build import FULL, QUOTES_ONLY, Stages, content_id, extract_text, process
from wirescope.pipeline.stages import ATTRIBUTIONS, fingerprint, stages_of
from wirescope.record.models import Failure, RawDocument, ReadError, Record

TEXT = (
    "TEHRAN (FNA)- Iran's Foreign Minister Hossein Amirabdollahian met his Turkish "
    "counterpart in Ankara on Monday.\n\n"
    '"The talks were constructive," Amirabdollahian said after the meeting in Ankara.\n\n'
    "Turkey and Iran signed three agreements on trade in 2021, officials said.\n"
)


def _raw(text: str, path: str) -> RawDocument:
    return RawDocument(text=text, path=path, format="text", id=path)


def test_one_failing_article_does_not_stop_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.extract_dates

    def flaky(article: Any, doc: Any) -> Any:
        if "BOOM" in article.text:
            raise RuntimeError("dates exploded")
        return real(article, doc)

    monkeypatch.setattr(pipeline, "extract_dates", flaky)
    docs = [
        _raw(TEXT, "a.txt"),
        _raw("BOOM. " + TEXT, "b.txt"),
        _raw(TEXT.replace("Ankara", "Baku"), "c.txt"),
    ]
    results = list(process(docs, batch_size=2))  # the failure sits inside a batch
    assert [type(r) for r in results] == [Record, Failure, Record]
    a, b, c = results
    assert isinstance(a, Record) and isinstance(c, Record) and isinstance(b, Failure)
    assert [a.source["path"], c.source["path"]] == ["a.txt", "c.txt"]
    assert b.path == "b.txt" and b.input_id == "b.txt"
    assert "RuntimeError" in b.reason and "dates exploded" in b.reason


def test_a_parse_failure_is_reported_too(monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.parse_article

    def flaky(raw: RawDocument) -> Any:
        if raw.path == "bad.txt":
            raise ValueError("no body")
        return real(raw)

    monkeypatch.setattr(pipeline, "parse_article", flaky)
    results = list(process([_raw(TEXT, "bad.txt"), _raw(TEXT, "good.txt")]))
    assert isinstance(results[0], Failure) and results[0].path == "bad.txt"
    assert "parse" in results[0].reason and "no body" in results[0].reason
    assert isinstance(results[1], Record)


def _quotes(record: Record) -> list[tuple[Any, ...]]:
    return [
        (q.span, q.kind, q.speaker.span if q.speaker else None, q.cue.span if q.cue else None)
        for q in record.quotes
    ]


def test_quotes_only_has_no_places_dates_or_events_but_the_same_quotes() -> None:
    full = extract_text(TEXT)
    lean = extract_text(TEXT, stages=QUOTES_ONLY)
    assert full.dates and full.events and any(e.type == "PLACE" for e in full.entities)
    assert lean.dates == [] and lean.events == []
    assert not any(e.type in ("PLACE", "ORG") for e in lean.entities)
    assert lean.quotes and _quotes(lean) == _quotes(full)
    assert lean.id == full.id and lean.headline == full.headline


def test_default_stages_are_all_of_them() -> None:
    assert Stages() == FULL and FULL.places and FULL.dates and FULL.events
    lean = list(process([_raw(TEXT, "x")], stages=QUOTES_ONLY))
    assert isinstance(lean[0], Record) and lean[0].events == []


def test_content_id_is_stable_under_whitespace_and_nfkc() -> None:
    base = content_id("Hello world,\nsaid the ﬁrst official.")
    assert content_id("  Hello\u00a0world,\r\n\tsaid  the first official.\n") == base
    assert content_id("Hello  world,\nsaid the ﬁrst official.") == base
    assert content_id("Hello world, said the second official.") != base
    assert len(base) == 16


def test_read_errors_go_through_process_as_failures_in_order() -> None:
    items = [ReadError("gone.txt", "no such file or directory"), _raw(TEXT, "x")]
    failure, record = process(items)
    assert failure == Failure("gone.txt", "read failed: no such file or directory")
    assert isinstance(record, Record) and record.input_id == "x"


def test_stages_name_themselves_in_the_fingerprint() -> None:
    assert stages_of(fingerprint(ATTRIBUTIONS)) == ATTRIBUTIONS
    assert stages_of(fingerprint(QUOTES_ONLY)) == QUOTES_ONLY
    assert fingerprint(FULL) != fingerprint(ATTRIBUTIONS)
    made = json.loads(fingerprint(FULL))
    assert made["wirescope"] == wirescope.__version__ and len(made["resources"]) == 12
