"""Report forms seen on real news pages (issue 22), on our own sentences: less common
report verbs and subjects, two reports in one sentence, a date kept out of a speaker."""

from __future__ import annotations

import pytest

from wirescope.pipeline.build import extract_text
from wirescope.record.models import Record


def said(r: Record) -> list[tuple[str, str | None]]:
    """(quote text, speaker mention) for each quote."""
    return [(q.text, q.speaker.text if q.speaker else None) for q in r.quotes]


@pytest.mark.parametrize(
    ("sentence", "content", "speaker"),
    [
        ("Allies suggested the seat might be in play.", "the seat might be in play", "Allies"),
        (
            "The campaign's director disputes that the seat is in play.",
            "that the seat is in play",
            "The campaign's director",
        ),
        (
            "The indictment claims that the funds were moved in 2019.",
            "that the funds were moved in 2019",
            "The indictment",
        ),
        (
            "The minister also clarified that the tax would not rise.",
            "that the tax would not rise",
            "The minister",
        ),
    ],
)
def test_less_common_report_verbs_and_subjects(sentence: str, content: str, speaker: str) -> None:
    r = extract_text(f"Vote Count Row\n\n{sentence}\n")
    assert said(r) == [(content, speaker)]


def test_a_plural_noun_opening_a_sentence_is_a_group_not_a_person() -> None:
    r = extract_text("Vote Count Row\n\nAllies suggested the seat might be in play.\n")
    assert not [e for e in r.entities if e.type == "PERSON"]


def test_two_reports_in_one_sentence_are_two_quotes_of_one_speaker() -> None:
    r = extract_text(
        "Budget Row\n\nThe mayor admitted that the budget was late but insisted that "
        "the plan was sound.\n"
    )
    assert said(r) == [
        ("that the budget was late", "The mayor"),
        ("that the plan was sound", "The mayor"),
    ]


def test_a_date_after_the_speaker_is_not_part_of_it() -> None:
    r = extract_text("Vote Count Row\n\nThe campaign on Tuesday said the count was wrong.\n")
    assert said(r) == [("the count was wrong", "The campaign")]


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Maria Lopez opened the campaign in Leeds, casting herself as “the voice of workers”.",
            "the voice of workers",
        ),
        ("Ruiz spoke for an hour, pledging only to “respect the vote”.", "respect the vote"),
        ("Smith worried about his party's “weak turnout” in the north.", "weak turnout"),
    ],
)
def test_quoted_words_framed_by_a_source_without_a_content_clause(
    sentence: str, content: str
) -> None:
    r = extract_text(f"Campaign Trail\n\n{sentence}\n")
    (q,) = r.quotes
    assert q.kind == "mixed" and content in q.text
    assert q.speaker is not None and q.speaker.text in sentence


def test_scare_quotes_without_a_framing_source_are_no_quote() -> None:
    r = extract_text("Book Review\n\nThe novel is a “masterpiece” of its kind.\n")
    assert r.quotes == []


def test_an_unattributed_quote_after_narration_about_someone_is_theirs() -> None:
    r = extract_text(
        "Open Results\n\n“It was a long one, but we got there,” said Ana Ruiz.\n\n"
        "Ruiz will meet the top seed in the second round.\n\n"
        "Tom Bell meanwhile wrapped up his win in two hours, knocking out the local "
        "favourite.\n\n“Definitely having other players do well in the draw is amazing.”\n"
    )
    names = {e.id: e.name for e in r.entities}
    last = r.quotes[-1]
    assert last.speaker is not None and names[last.speaker.entity or ""] == "Tom Bell"


def test_an_unattributed_quote_continues_the_last_speaker_past_a_person_only_named() -> None:
    r = extract_text(
        "Council Vote\n\n“We cannot wait any longer,” Mayor Ana Ruiz said.\n\n"
        "The council approved the plan after a debate led by councillor Tom Bell.\n\n"
        "“Nobody wants to close a bridge, but the engineers were clear.”\n"
    )
    names = {e.id: e.name for e in r.entities}
    last = r.quotes[-1]
    assert last.speaker is not None and "Ana Ruiz" in names[last.speaker.entity or ""]
