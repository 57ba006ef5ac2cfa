"""Issue 21, limits on one article: the time budget covers spaCy's parse, and what
is refused for its size or its quotation marks is refused before any parsing."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirescope.nlp.model import MODEL
from wirescope.pipeline import build
from wirescope.pipeline.build import process
from wirescope.pipeline.resources import Resources
from wirescope.record.models import Failure, RawDocument, Record

SENTENCE = "The minister said the port would reopen next week. "


def _doc(text: str, path: str = "a.txt") -> RawDocument:
    return RawDocument(text=text, path=path, format="text")


def test_the_article_budget_covers_the_parse_and_the_batch_goes_on() -> None:
    """--article-timeout guarded only build_record: the parse in nlp/ ran first, for
    minutes on a long text, before the budget was looked at."""
    list(process([_doc('"Yes," Smith said.')]))  # the model loaded: not what is timed
    docs = [_doc(SENTENCE * 16_000, "long.txt"), _doc('"We agree," Smith said.', "ok.txt")]
    start = time.perf_counter()
    # 2 s: the short text's record takes well under a second even on a loaded machine.
    failed, ok = list(process(docs, article_timeout=2))
    assert time.perf_counter() - start < 8  # the parse alone takes about 10 s
    assert isinstance(failed, Failure) and failed.path == "long.txt"
    assert failed.reason == "extract failed: ArticleTimeout: took longer than its 2 s budget"
    assert isinstance(ok, Record) and len(ok.quotes) == 1


def _no_parse(*args: object, **kwargs: object) -> None:
    raise AssertionError("parsed")


@pytest.mark.parametrize("timeout", [None, 60.0])
def test_a_quote_mark_bomb_and_an_oversized_text_are_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch, timeout: float | None
) -> None:
    """A quote-mark bomb was refused only after spaCy had parsed it."""
    monkeypatch.setattr(build, "parse_many", _no_parse)
    bomb = _doc('He said "' * 25_000, "bomb.txt")
    huge = _doc("word " * 250_000, "huge.txt")
    first, second = list(process([bomb, huge], article_timeout=timeout))
    assert (
        isinstance(first, Failure) and "TooManyQuoteMarks: 25,000 quotation marks" in first.reason
    )
    assert isinstance(second, Failure)
    assert second.reason == (
        "read failed: article too large (1,250,000 characters > the 1,000,000 limit)"
    )


@Language.component("wirescope_test_fails_on_boom")
def _fails_on_boom(doc: Doc) -> Doc:
    if "BOOM" in doc.text:
        raise ValueError("a pipeline component failed")
    return doc


def _speakers(record: Record) -> list[str]:
    return [q.speaker.text for q in record.quotes if q.speaker]


def test_a_group_whose_parse_fails_reruns_each_article_alone() -> None:
    """Under a time limit short articles are parsed together (one nlp.pipe call): a
    failure in that call must fail only the article at fault, the rest in order."""
    nlp = spacy.load(MODEL)  # a pipeline of its own: the shared one stays untouched
    nlp.add_pipe("wirescope_test_fails_on_boom")
    resources = replace(Resources.shipped(), nlp=nlp)
    docs = [
        _doc('"We agree," Smith said.', "a.txt"),
        _doc('"BOOM goes the plan," Jones said.', "b.txt"),
        _doc('"It will reopen," Lee said.', "c.txt"),
    ]
    first, second, third = list(process(docs, article_timeout=60, resources=resources))
    assert isinstance(first, Record) and _speakers(first) == ["Smith"]
    assert isinstance(second, Failure) and second.path == "b.txt"
    assert "ValueError: a pipeline component failed" in second.reason
    assert isinstance(third, Record) and _speakers(third) == ["Lee"]
