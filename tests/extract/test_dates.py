"""Time expressions: every form, TimeML-typed, anchored on publication time and tense."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from wirescope.extract.dates import extract_dates, reference_date
from wirescope.nlp.parse import get_nlp
from wirescope.record.models import Article, DateMention, RawDocument
from wirescope.record.pipeline import extract_text

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example

PUBLISHED = datetime(2021, 3, 1, 16, 17)  # a Monday


def _dates(text: str, published: datetime | None = PUBLISHED) -> list[DateMention]:
    raw = RawDocument(text=text, path="t", format="text")
    article = Article(raw=raw, published=published, body_span=(0, len(text)))
    return extract_dates(article, get_nlp()(text))


@pytest.mark.parametrize(
    ("sentence", "span", "value", "granularity", "modifier"),
    [
        # TimeML spans: no leading preposition ("on Monday" -> "Monday")
        ("The conference opened on Monday in Qom.", "Monday", "2021-03-01", "day", None),
        ("It opened on Monday morning.", "Monday morning", "2021-03-01TMO", "time", None),
        ("They met on Friday.", "Friday", "2021-02-26", "day", None),
        ("They met last Monday.", "last Monday", "2021-02-22", "day", None),
        ("They meet next Tuesday.", "next Tuesday", "2021-03-02", "day", None),
        (
            "It re-erupted in late September 2020.",
            "late September 2020",
            "2020-09",
            "month",
            "late",
        ),
        ("It ended in November 2020, they said.", "November 2020", "2020-11", "month", None),
        ("They agreed in early November.", "early November", "2020-11", "month", "early"),
        ("They agreed in mid-February.", "mid-February", "2021-02", "month", "mid"),
        # the preposition stays out of the span and is kept as the legacy modifier
        ("It has been held since 1992, when they left.", "1992", "1992", "year", "since"),
        (
            "A militant in the early 20th century.",
            "the early 20th century",
            "19",
            "century",
            "early",
        ),
        ("Built in the nineteenth century.", "the nineteenth century", "18", "century", None),
        ("Fighting in the 1990s was fierce.", "the 1990s", "199", "decade", None),
        ("The talks were held last week.", "last week", "2021-W08", "week", None),
        ("The talks were held yesterday.", "yesterday", "2021-02-28", "day", None),
        ("The deal was signed on March 1, 2021.", "March 1, 2021", "2021-03-01", "day", None),
        ("The deal was signed on 9 November 2020.", "9 November 2020", "2020-11-09", "day", None),
        ("The report from 2020-11-10 says so.", "2020-11-10", "2020-11-10", "day", None),
        ("Elections are due next year.", "next year", "2022", "year", None),
        ("He left three years ago.", "three years ago", "2018", "year", "approx"),
        ("The war broke out in 1992.", "1992", "1992", "year", None),
    ],
)
def test_date_forms(
    sentence: str, span: str, value: str, granularity: str | None, modifier: str | None
) -> None:
    found = {d.text: d for d in _dates(sentence)}
    assert span in found, found
    d = found[span]
    assert (d.value, d.granularity, d.modifier) == (value, granularity, modifier)
    assert sentence[d.span[0] : d.span[1]] == d.text


def test_month_only_never_invents_a_day() -> None:
    (d,) = [d for d in _dates("It happened in November.") if "November" in d.text]
    assert d.value == "2020-11" and d.granularity == "month"


def test_may_the_verb_is_not_a_month() -> None:
    assert not [d for d in _dates("He may march on the capital.")]


def test_no_publication_date_keeps_absolute_values_only() -> None:
    ds = {d.text: d.value for d in _dates("On Monday, unlike in November 2020, ...", None)}
    assert ds.get("November 2020") == "2020-11"
    assert ds.get("On Monday") is None


def test_reference_date_from_header_when_unparsed() -> None:
    text = "2021-April-17 16:57\n2021-March-1  16:17\n\nHeadline\n\nBody on Monday."
    article = Article(raw=RawDocument(text=text, path="t", format="text"))
    assert reference_date(article) == datetime(2021, 3, 1).date()


def test_header_timestamps_are_not_mentions() -> None:
    text = "2021-April-17 16:57\n2021-March-1  16:17\n\nHeadline\n\nBody text on Monday."
    ds = _dates(text)
    assert [d.text for d in ds] == ["Monday"]


@pytest.fixture(scope="module")
def fixture_answer(example: Example) -> tuple[str, dict[str, object]]:
    """The shared example article (its text) and its answer key."""
    return (example.text, example.gold)


def test_fixture_gold_dates(fixture_answer: tuple[str, dict[str, object]]) -> None:
    """The seed gold predates TimeML spans ("on Monday", "since 1992"): the mention must
    overlap the gold span, lie inside it, and carry its value."""
    text, gold = fixture_answer
    record = extract_text(text)
    golds = gold["dates"]
    assert isinstance(golds, list)
    for g in golds:
        start = text.index(g["text"]) if g["text"] != "on Monday" else text.index("on Monday.")
        end = start + len(g["text"])
        hits = [d for d in record.dates if d.span[0] < end and start < d.span[1]]
        assert hits, f"missing {g['text']!r}"
        assert hits[0].value.split("T")[0] == g["value"], (g, hits[0])
        assert start <= hits[0].span[0] and hits[0].span[1] <= end, (g, hits[0])
