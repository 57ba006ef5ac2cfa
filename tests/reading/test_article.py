"""Article structure: timestamps, headline, dateline, paragraphs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from wirescope.reading.article import (
    is_byline,
    lookup_agency,
    parse_article,
    parse_timestamp,
    split_paragraphs,
    title_place,
)
from wirescope.record.models import Article, RawDocument

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def parse(text: str, meta: dict[str, Any] | None = None, fmt: str = "text") -> Article:
    return parse_article(RawDocument(text=text, path="t", format=fmt, meta=meta or {}))


def wire(first_para: str) -> str:
    return f"2021-March-1 16:17\n\nA Headline Here\n\n{first_para} said the minister.\n\nMore.\n"


# ---------------------------------------------------------------- the seed fixture


def test_fixture_matches_gold_article_block(example: Example) -> None:
    gold = example.gold["article"]
    text = example.text
    art = parse(text)
    assert art.headline == gold["headline"]
    assert art.headline_span is not None
    assert text[art.headline_span[0] : art.headline_span[1]] == gold["headline"]
    assert art.published == datetime.fromisoformat(gold["published"])
    assert art.updated == datetime.fromisoformat(gold["updated"])
    assert art.dateline is not None
    assert art.dateline.place == gold["dateline_place"]
    assert art.dateline.agency == gold["agency"]
    assert art.dateline.agency_name == gold["agency_name"]
    assert art.dateline.span is not None
    assert text[art.dateline.span[0] : art.dateline.span[1]] == "TEHRAN (FNA)-"
    assert art.body_span[0] == art.dateline.span[0]  # the dateline is inside the body
    assert art.paragraphs[0][0] == art.body_span[0]
    assert all(text[s:e].strip() == text[s:e] and text[s:e] for s, e in art.paragraphs)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_examples_have_full_structure(path: Path) -> None:
    art = parse(path.read_text("utf-8"))
    assert art.headline and art.published and art.updated
    assert art.dateline is not None and art.dateline.agency_name


# ---------------------------------------------------------------- timestamps


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2021-April-17 16:57", datetime(2021, 4, 17, 16, 57)),
        ("2021-March-1\u00a0\u00a016:17", datetime(2021, 3, 1, 16, 17)),
        ("2021-03-01T16:17:00", datetime(2021, 3, 1, 16, 17)),
        ("2021-03-01T16:17:00+03:30", datetime(2021, 3, 1, 16, 17)),
        ("2021-03-01T16:17Z", datetime(2021, 3, 1, 16, 17)),
        ("2021-03-01 16:17", datetime(2021, 3, 1, 16, 17)),
        ("2021-03-01", datetime(2021, 3, 1)),
        ("Mon, 01 Mar 2021 16:17:00 +0000", datetime(2021, 3, 1, 16, 17)),
        ("March 1, 2021", datetime(2021, 3, 1)),
        ("March 1, 2021 4:17 PM", datetime(2021, 3, 1, 16, 17)),
        ("Sept. 30, 2021, 12:05 a.m.", datetime(2021, 9, 30, 0, 5)),
        ("1 March 2021 16:17", datetime(2021, 3, 1, 16, 17)),
        ("Monday 1 March 2021", datetime(2021, 3, 1)),
        ("Updated: March 2, 2021 09:00 GMT", datetime(2021, 3, 2, 9, 0)),
    ],
)
def test_timestamp_forms(line: str, expected: datetime) -> None:
    assert parse_timestamp(line) == expected


@pytest.mark.parametrize(
    "line",
    ["Official says talks went well", "2021-Febtember-1 10:00", "February 30, 2021", "1999", ""],
)
def test_not_timestamps(line: str) -> None:
    assert parse_timestamp(line) is None


def test_published_is_earliest_updated_is_latest() -> None:
    art = parse("2021-04-17 16:57\n2021-03-01 16:17\n\nHeadline Words\n\nBody text here.\n")
    assert art.published == datetime(2021, 3, 1, 16, 17)
    assert art.updated == datetime(2021, 4, 17, 16, 57)


def test_single_timestamp_has_no_updated() -> None:
    art = parse("2021-03-01 16:17\n\nHeadline Words\n\nBody text here.\n")
    assert (art.published, art.updated) == (datetime(2021, 3, 1, 16, 17), None)


def test_published_from_meta_when_text_has_none() -> None:
    art = parse("Body text only.\n", meta={"publication_date": "2016-09-12"})
    assert art.published == datetime(2016, 9, 12)
    assert art.updated is None


# ---------------------------------------------------------------- headline


def test_headline_and_body_span() -> None:
    text = "Minister Visits Port\n\nTEHRAN (FNA)- The minister came.\n"
    art = parse(text)
    assert art.headline == "Minister Visits Port"
    assert art.headline_span == (0, 20)
    assert art.body_span == (22, len(text) - 1)


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the port would grow.\n\nMore body.\n",  # a sentence
        "Trump: Rivals Are \u2018Weak.\u2019\n\nMore body.\n",  # period inside quotes
        "Short line\nMore body on the next line.\n",  # no blank line after it
        "Just one paragraph with no title at all\n",  # nothing follows
        "Word\n\nMore body.\n",  # a single word is a kicker, not a headline
        "x " * 100 + "\n\nMore body.\n",  # too long
    ],
    ids=["sentence", "quoted-period", "no-blank", "alone", "one-word", "long"],
)
def test_no_headline_invented_from_body(text: str) -> None:
    art = parse(text)
    assert art.headline is None and art.headline_span is None
    assert art.body_span[0] == 0


def test_headline_from_meta_keeps_whole_body() -> None:
    text = "Title Of The Story.\n\nBody text.\n"
    art = parse(text, meta={"title": "Title Of The Story"}, fmt="jsonl")
    assert art.headline == "Title Of The Story"
    assert art.headline_span is None
    assert art.body_span[0] == 0


def test_byline_is_skipped_in_header() -> None:
    text = "\n\nJane Doe, The Associated Press\n\n\n\nDETROIT -- Body text here.\n"
    art = parse(text)
    assert art.headline is None
    assert art.body_span[0] == text.index("DETROIT")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", True),
        ("Jane Doe, The Associated Press", True),
        ("Rachel Roe, Power Play producer", True),
        ("Trump, Clinton Clash Over Trade", False),
        ("Officials Meet in Geneva", False),
    ],
)
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


# ---------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("marker", "place", "agency"),
    [
        ("TEHRAN (FNA)-", "Tehran", "FNA"),
        ("WASHINGTON (AP) —", "Washington", "AP"),
        ("LONDON, March 1 (Reuters) -", "London", "Reuters"),
        ("PARIS (AFP) -", "Paris", "AFP"),
        ("PARIS, March 1 (AFP) -", "Paris", "AFP"),
        ("TEHRAN, March 1 (IRNA) -", "Tehran", "IRNA"),
        ("Tehran, IRNA -", "Tehran", "IRNA"),
        ("MOSCOW, March 1. /TASS/.", "Moscow", "TASS"),
        ("BEIJING, March 1 (Xinhua) --", "Beijing", "Xinhua"),
        ("ANKARA (AA) -", "Ankara", "AA"),
        ("ANKARA (Anadolu Agency) -", "Ankara", "AA"),
        ("NEW YORK (UPI) -", "New York", "UPI"),
        ("OTTAWA (CP) -", "Ottawa", "CP"),
        ("HEMPSTEAD, N.Y., Sept. 26 (UPI) —", "Hempstead", "UPI"),
        ("ST. LOUIS (AP) —", "St. Louis", "AP"),
        ("RIO DE JANEIRO (EFE) -", "Rio de Janeiro", "EFE"),
        ("SPRINGFIELD (Daily Wire) -", "Springfield", "Daily Wire"),
        ("WASHINGTON —", "Washington", None),
        ("Aug 27 (Reuters) -", None, "Reuters"),
        # no agency: a state or country after the place, a date, a colon
        ("ALBANY, N.Y. —", "Albany", None),
        ("SEOUL, South Korea —", "Seoul", None),
        ("KUALA LUMPUR, Nov 22 —", "Kuala Lumpur", None),
        ("MUMBAI:", "Mumbai", None),
        ("NEW DELHI:", "New Delhi", None),
        # filed from two places: the first
        ("AMMAN/GENEVA, March 7 (Reuters) -", "Amman", "Reuters"),
        ("SURABAYA, Indonesia/JAKARTA (Reuters) -", "Surabaya", "Reuters"),
    ],
)
def test_dateline_styles(marker: str, place: str | None, agency: str | None) -> None:
    text = wire(marker + " X")
    dateline = parse(text).dateline
    assert dateline is not None
    assert (dateline.place, dateline.agency) == (place, agency)
    assert dateline.span is not None
    assert text[dateline.span[0] : dateline.span[1]] == marker
    known = lookup_agency(agency) if agency else None
    assert dateline.agency_name == (known.name if known else None)


@pytest.mark.parametrize(
    ("abbr", "name"),
    [
        ("FNA", "Fars News Agency"),
        ("AP", "Associated Press"),
        ("Reuters", "Reuters"),
        ("AFP", "Agence France-Presse"),
        ("IRNA", "Islamic Republic News Agency"),
        ("TASS", "TASS Russian News Agency"),
        ("Xinhua", "Xinhua News Agency"),
        ("AA", "Anadolu Agency"),
        ("CP", "The Canadian Press"),
    ],
)
def test_agency_names(abbr: str, name: str) -> None:
    agency = lookup_agency(abbr)
    assert agency is not None and (agency.abbr, agency.name) == (abbr, name)


def test_anadolu_bare_place_line() -> None:
    text = "Turkey Hosts Talks\n\nANKARA\n\nTurkey hosted talks, Anadolu Agency reported.\n"
    art = parse(text)
    assert art.dateline is not None
    assert (art.dateline.place, art.dateline.agency) == ("Ankara", "AA")


@pytest.mark.parametrize(
    "opening",
    [
        "Smith (R-Texas) - said no",  # parenthesis after a name, unknown "agency"
        "EXCLUSIVE — The minister",  # a kicker, not a place
        "AFL-CIO leaders met",  # a hyphenated acronym
        "The minister (pictured) - said",
        "READ MORE: The minister",  # a kicker before a colon
    ],
)
def test_not_datelines(opening: str) -> None:
    assert parse(wire(opening)).dateline is None


def test_a_colon_dateline_alone_on_its_line() -> None:
    dateline = parse("A Headline Here\n\nNEW DELHI:\nThe army said the plan works.\n").dateline
    assert dateline is not None and (dateline.place, dateline.agency) == ("New Delhi", None)


def test_transcript_speakers_are_not_colon_datelines() -> None:
    text = "A Headline Here\n\nSMITH: We are ready.\n\nJONES: So are we.\n\nSMITH: Good.\n"
    assert parse(text).dateline is None


def test_lookup_agency_by_alias_and_name() -> None:
    assert (a := lookup_agency("anadolu agency")) is not None and a.abbr == "AA"
    assert (a := lookup_agency("Fars")) is not None and a.abbr == "FNA"
    assert lookup_agency("Nobody Wire") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("TEHRAN", "Tehran"),
        ("NEW YORK", "New York"),
        ("Tehran", "Tehran"),
        ("WINSTON-SALEM", "Winston-Salem"),
    ],
)
def test_title_place(raw: str, expected: str) -> None:
    assert title_place(raw) == expected


# ---------------------------------------------------------------- paragraphs


def test_paragraphs_blank_line_separated() -> None:
    text = "One line\nwrapped.\n\n  Two.  \n\n\nThree."
    spans = split_paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["One line\nwrapped.", "Two.", "Three."]


def test_paragraphs_single_newlines_when_no_blank_lines() -> None:
    text = "One.\nTwo.\n   \nThree."
    text = text.replace("   \n", "")  # no blank line at all
    assert [text[s:e] for s, e in split_paragraphs(text)] == ["One.", "Two.", "Three."]


def test_paragraphs_within_range() -> None:
    text = "Head\n\nBody one.\n\nBody two.\n"
    assert split_paragraphs(text, 6) == [(6, 15), (17, 26)]


def test_paragraphs_with_no_break_space_blank_line() -> None:
    text = "One.\n\u00a0\nTwo."
    assert [text[s:e] for s, e in split_paragraphs(text)] == ["One.", "Two."]


def test_empty_and_odd_texts_never_crash() -> None:
    for text in ["", "\n\n", "\u00a0", "\u201cunclosed quote", "2021-03-01\n"]:
        art = parse(text)
        assert art.body_span[0] <= art.body_span[1] <= len(text)


@pytest.mark.parametrize(
    ("line", "dayfirst", "expected"),
    [
        ("09.03.2021", False, datetime(2021, 3, 9)),  # dots: day first everywhere
        ("09.03.2021 14:05", False, datetime(2021, 3, 9, 14, 5)),
        ("09/03/2021", False, datetime(2021, 9, 3)),  # slashes: US order by default
        ("09/03/2021", True, datetime(2021, 3, 9)),
        ("25/03/2021", False, datetime(2021, 3, 25)),  # a part above 12 decides
    ],
)
def test_numeric_stamps(line: str, dayfirst: bool, expected: datetime) -> None:
    assert parse_timestamp(line, dayfirst) == expected


def test_anadolu_numeric_stamp_is_day_first() -> None:
    text = (
        "04/11/2021\n\nQuake shakes western province\n\nIZMIR\n\n"
        "A 4.8 quake struck on Wednesday, Anadolu Agency reported.\n"
    )
    article = parse_article(RawDocument(text=text, path="t", format="text"))
    assert article.published == datetime(2021, 11, 4)


def test_us_agency_keeps_month_first() -> None:
    text = "04/11/2021\n\nStorm nears coast\n\nMIAMI (AP) — The storm gained strength.\n"
    article = parse_article(RawDocument(text=text, path="t", format="text"))
    assert article.published == datetime(2021, 4, 11)


def test_meta_published_keeps_its_zone() -> None:
    raw = RawDocument(
        text="Body only.", path="t", format="jsonl", meta={"published": "2022-05-10T14:30:00+03:00"}
    )
    published = parse_article(raw).published
    assert published is not None and published.utcoffset() is not None
    assert published.isoformat() == "2022-05-10T14:30:00+03:00"
