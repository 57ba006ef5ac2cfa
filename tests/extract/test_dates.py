"""Time expressions: every form, TimeML-typed, anchored on publication time and tense."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest

from wirescope.extract.dates import extract_dates, reference_date
from wirescope.nlp.parse import get_nlp
from wirescope.pipeline.build import extract_text
from wirescope.record.models import Article, DateMention, RawDocument

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


def test_a_placeholder_stamp_is_no_publication_day() -> None:
    # an unset CMS field ("0001-01-01T00:00:00") beside the page's real date
    text = "The ferry sailed on Tuesday."
    raw = RawDocument(text=text, path="t", format="html", meta={"date": "2019-11-19"})
    article = Article(raw=raw, published=datetime(1, 1, 1), body_span=(0, len(text)))
    assert reference_date(article) == datetime(2019, 11, 19).date()
    (d,) = extract_dates(article, get_nlp()(text))
    assert d.value == "2019-11-19"  # that Tuesday, not an overflow before year 1


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


# ------------------------------------------------- tense-aware anchoring (issue 10)


def _value(sentence: str, span: str, published: datetime) -> DateMention:
    found = {d.text: d for d in _dates(sentence, published)}
    assert span in found, found
    return found[span]


@pytest.mark.parametrize(
    ("sentence", "published", "span", "value"),
    [
        # a weekday looks forward under "will", back under the past tense
        ("The minister will testify Thursday before the panel.", datetime(2023, 6, 12), "Thursday",
         "2023-06-15"),
        ("The minister testified Thursday before the panel.", datetime(2023, 6, 12), "Thursday",
         "2023-06-08"),
        ("The meeting will continue on Wednesday in the capital.", datetime(2022, 5, 10),
         "Wednesday", "2022-05-11"),
        # a bare month: this year's, ahead, under "would"/"will"/"plans to"
        ("She said her country would host the next round in Astana in October.",
         datetime(2021, 4, 20), "October", "2021-10"),
        ("The company plans to list its shares in March.", datetime(2019, 11, 5), "March",
         "2020-03"),
        ("Prices rose sharply in October.", datetime(2019, 3, 5), "October", "2018-10"),
        # "is due to start in mid-December", said in November: this December
        ("The trial is due to start in mid-December, prosecutors said.", datetime(2018, 11, 20),
         "mid-December", "2018-12"),
        ("Construction is scheduled to begin in January.", datetime(2018, 11, 20), "January",
         "2019-01"),
        # a month-day in the past tense, said in December: this year's, not next year's
        ("The fishing boat vanished on April 9 off the coast.", datetime(2014, 12, 15),
         "April 9", "2014-04-09"),
        ("Ballots must be returned by Jan. 15, officials said.", datetime(2014, 12, 15),
         "Jan. 15", "2015-01-15"),
        ("The dividend is payable Dec. 7 to holders of record Nov. 20.", datetime(2011, 10, 28),
         "Nov. 20", "2011-11-20"),
        # quotes anchor on the publication time as well
        ('"We will meet again on Friday," the envoy said.', datetime(2020, 2, 4), "Friday",
         "2020-02-07"),
        ('"We met on Friday," the envoy said.', datetime(2020, 2, 4), "Friday", "2020-01-31"),
        ("The festival returns next summer.", datetime(2020, 2, 4), "next summer", "2020-SU"),
        ("Talks stalled last winter.", datetime(2020, 7, 4), "last winter", "2019-WI"),
        # a weekday beside a month-day names the year
        ("The paper ran the editorial on Sunday, May 7.", datetime(2023, 5, 6),
         "Sunday, May 7", "2023-05-07"),
        # a past clause does not push a month-day a few weeks ahead back a year
        ("The regulator gave no reason for the June 30 cutoff.", datetime(2022, 6, 20),
         "June 30", "2022-06-30"),
        # "through": the end of a stretch, the nearest such month
        ("Sales rose 4% this year through September.", datetime(2020, 11, 10), "September",
         "2020-09"),
        ("The bank has extended the credit line through February.", datetime(2020, 11, 10),
         "February", "2021-02"),
        # a possessive weekday names a reported event, unless "ahead of" it
        ("The merger follows Monday's vote by shareholders.", datetime(2021, 3, 4), "Monday",
         "2021-03-01"),
        ("Ministers will meet ahead of Sunday's runoff.", datetime(2021, 3, 4), "Sunday",
         "2021-03-07"),
        # a purpose under a past verb comes after it
        ("The airline leased two jets to start the new route in December.",
         datetime(2019, 10, 20), "December", "2019-12"),
    ],
)  # fmt: skip
def test_tense_aware_anchoring(sentence: str, published: datetime, span: str, value: str) -> None:
    assert _value(sentence, span, published).value == value


# ------------------------------------------------- TimeML coverage (issue 10)


@pytest.mark.parametrize(
    ("sentence", "span", "type_", "value"),
    [
        ("The ceasefire will last 90 days.", "90 days", "DURATION", "P90D"),
        ("It took more than a decade to finish.", "more than a decade", "DURATION", "P10Y"),
        ("The plant stood idle for three weeks.", "three weeks", "DURATION", "P3W"),
        ("He signed a two-year contract.", "two-year", "DURATION", "P2Y"),
        ("The talks took 16 hours.", "16 hours", "DURATION", "PT16H"),
        ("Prices have doubled over the past five years.", "the past five years", "DURATION",
         "P5Y"),
        ("The census is held every year.", "every year", "SET", "P1Y"),
        ("The paper is printed daily.", "daily", "SET", "P1D"),
        ("The council meets each Tuesday.", "each Tuesday", "SET", "XXXX-WXX-2"),
        ("Profit will rise in the third quarter.", "the third quarter", "DATE", "2021-Q3"),
        ("Third-quarter sales fell.", "Third-quarter", "DATE", "2020-Q3"),
        # an earnings story: its quarter is the one it names; a year-ago one, the year before
        ("Profit rose in the third quarter from the year-ago quarter.", "the year-ago quarter",
         "DATE", "2019-Q3"),
        ("Sales fell in the first half of 2020.", "the first half of 2020", "DATE", "2020-H1"),
        ("Growth is strong now.", "now", "DATE", "PRESENT_REF"),
        ("He is currently in Paris.", "currently", "DATE", "PRESENT_REF"),
        ("She recently moved to Oslo.", "recently", "DATE", "PAST_REF"),
        ("The river flooded this spring.", "this spring", "DATE", "2021-SP"),
        ("Shops will close on Christmas Day.", "Christmas Day", "DATE", "2021-12-25"),
        ("The shop opened on Christmas Day.", "Christmas Day", "DATE", "2020-12-25"),
        ("Rents rose in the 1990s.", "the 1990s", "DATE", "199"),
        ("The bridge was built in the 19th century.", "the 19th century", "DATE", "18"),
        ("The polls close at 10 p.m. Wednesday.", "10 p.m. Wednesday", "TIME",
         "2021-03-03T22:00"),
        ("Rescuers arrived at noon Saturday.", "noon Saturday", "TIME", "2021-02-27T12:00"),
        ("The storm hit overnight.", "overnight", "TIME", "2021-02-28TNI"),
        ("Police were called last night.", "last night", "TIME", "2021-02-28TNI"),
        ("The vote is due by the end of the month.", "the end of the month", "DATE", "2021-03"),
        # half units in the next smaller one
        ("The siege lasted 2 1/2 years.", "2 1/2 years", "DURATION", "P2Y6M"),
        ("The talks took five and a half hours.", "five and a half hours", "DURATION",
         "PT5H30M"),
        ("He waited a minute and a half.", "a minute and a half", "DURATION", "PT1M30S"),
        ("Few expected the year two thousand to be calm.", "the year two thousand", "DATE",
         "2000"),
        ("For the year, volume was flat.", "the year", "DATE", "2021"),
        ("It ended a decades-long feud.", "decades-long", "DURATION", "PXY"),
        ("After a day-long meeting they agreed.", "day-long", "DURATION", "P1D"),
        ("It took a couple of years.", "a couple of years", "DURATION", "P2Y"),
        ("Prices are falling now that the war is over.", "now", "DATE", "PRESENT_REF"),
        ("The feud lasted almost a hundred years.", "almost a hundred years", "DURATION",
         "P100Y"),
        ("Shares slid in mid-afternoon yesterday.", "mid-afternoon yesterday", "TIME",
         "2021-02-28TAF"),
    ],
)  # fmt: skip
def test_timeml_types_and_values(sentence: str, span: str, type_: str, value: str) -> None:
    d = _value(sentence, span, PUBLISHED)
    assert (d.type, d.value) == (type_, value)


def test_spans_follow_timeml() -> None:
    """No leading preposition; the determiner stays."""
    texts = {d.text for d in _dates("Since 1992 it met on Monday and in the last week.")}
    assert {"1992", "Monday", "the last week"} <= texts


def test_durations_and_sets_date_no_event_time() -> None:
    record = extract_text(
        "2021-03-01\n\nHeadline here\n\nThe strike lasted 90 days, officials said."
    )
    assert all(ev.when != "P90D" for ev in record.events)


def test_headline_present_tells_of_the_past() -> None:
    text = "Quake hits mountain town on Tuesday\n\nThe quake hits hardest where houses are old."
    raw = RawDocument(text=text, path="t", format="text")
    article = Article(
        raw=raw, published=PUBLISHED, headline_span=(0, 35), body_span=(37, len(text))
    )
    (d,) = extract_dates(article, get_nlp()(text))
    assert (d.text, d.value) == ("Tuesday", "2021-02-23")


@pytest.mark.parametrize(
    ("sentence", "span", "value"),
    [
        ("He was promoted in 1995, and the following year he moved to Vienna.",
         "the following year", "1996"),
        ("Exports reached a peak in 1987; that year the mine closed.", "that year", "1987"),
        ("The plant closed on Nov. 3, 2016. The next day workers marched.", "The next day",
         "2016-11-04"),
        ("The plant closed in May 2016. The following month it was sold.", "The following month",
         "2016-06"),
        ("She landed on June 2, 2019. Later that day she met the mayor.", "Later that day",
         "2019-06-02"),
    ],
)  # fmt: skip
def test_anaphoric_expressions_take_the_last_named_date(
    sentence: str, span: str, value: str
) -> None:
    """Narrative anchoring: "the following year" counts from the story's last date."""
    assert _value(sentence, span, PUBLISHED).value == value


def test_anaphor_without_a_named_date_reads_from_publication() -> None:
    (d,) = _dates("Officials said the next day would be hard.")
    assert d.value == "2021-03-02"


@pytest.mark.parametrize(
    "sentence",
    [
        "He left the year before.",  # "the year" told from another time
        "He was shot on the night of Oct. 23.",  # "the night of": that date's, not today's
        "They recalled the night the bridge fell.",
        "The past that haunts him.",
    ],
)
def test_no_publication_relative_reading_of_other_times(sentence: str) -> None:
    assert all(d.value != "2021" and "T" not in (d.value or "") for d in _dates(sentence))


def test_a_game_period_or_a_fall_in_prices_is_no_calendar_time() -> None:
    text = "The Hawks scored 14 points in the third quarter and led at the end of the second half."
    assert _dates(text) == []
    assert _dates("The fall in prices surprised traders.") == []
    # an earnings quarter and a season stay dates
    assert [d.value for d in _dates("Profit rose 4 percent in the third quarter.")] == ["2020-Q3"]
    assert [d.value for d in _dates("Leaves turn red in the fall.")] == ["2021-FA"]


def test_a_day_before_its_month_keeps_its_day() -> None:
    (d,) = _dates("The treaty was signed on 24 January in Geneva.")
    assert (d.text, d.value) == ("24 January", "2021-01-24")


def test_a_time_of_day_is_on_the_day_its_sentence_names() -> None:
    text = "On Saturday, the river crested at noon and the barriers held until 5 p.m."
    assert {d.text: d.value for d in _dates(text)} == {
        "Saturday": "2021-02-27",
        "noon": "2021-02-27T12:00",
        "5 p.m.": "2021-02-27T17:00",
    }


def test_a_month_day_takes_the_year_its_paragraph_is_set_in() -> None:
    text = (
        "In 2018, the family moved to Ohio. On July 8, their house burned down, and on Aug. 2 "
        "they left. Their case will be heard on Sept. 9.\n"
        "On July 8, the mayor spoke. A plan approved in 2018 ran through Oct. 29."
    )
    found = [(d.text, d.value) for d in _dates(text)]
    assert found == [
        ("2018", "2018"),
        ("July 8", "2018-07-08"),
        ("Aug. 2", "2018-08-02"),
        ("Sept. 9", "2021-09-09"),  # ahead: the story's future, not 2018's
        ("July 8", "2020-07-08"),  # another paragraph: the publication's frame
        ("2018", "2018"),
        ("Oct. 29", "2020-10-29"),  # a year inside a clause sets no frame
    ]
