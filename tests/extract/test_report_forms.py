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


@pytest.mark.parametrize(
    ("dateline", "sentence", "speaker"),
    [
        (
            "LONDON (Reuters) - ",
            "Jane Roe, 74, a resident who saw the fire, said the flames reached the roof.",
            "Jane Roe",
        ),
        (
            "ALBANY, N.Y. — ",
            "Jane Roe, 74, a resident who saw the fire, said the flames reached the roof.",
            "Jane Roe",
        ),
        (
            "MUMBAI: ",
            "Jane Roe, 74, a resident who saw the fire, said the flames reached the roof.",
            "Jane Roe",
        ),
        (
            "LONDON (Reuters) - ",
            "Mark Cole, who chairs the committee, said the bill would pass.",
            "Mark Cole",
        ),
        (
            "ALBANY, N.Y. — ",
            "Tom Baker, a farmer who lost his crop, said the rain came too late.",
            "Tom Baker",
        ),
    ],
)
def test_a_speaker_with_an_appositive_after_a_dateline_is_not_the_dateline_place(
    dateline: str, sentence: str, speaker: str
) -> None:
    # The parser hangs the first sentence's subject on the dateline's place.
    r = extract_text(f"Fire Report\n\n{dateline}{sentence}\n")
    (q,) = r.quotes
    assert q.speaker is not None and q.speaker.text == speaker
    assert q.speaker.name == speaker


def test_the_company_after_a_dateline_is_not_the_dateline_place() -> None:
    # NER types "ALBANY" ORG; a place in the dateline is no antecedent of "the company".
    r = extract_text(
        "Jobs Report\n\nALBANY, N.Y. — The company said in a statement that profits fell.\n"
    )
    (q,) = r.quotes
    assert q.speaker is not None and q.speaker.text == "The company"
    assert q.speaker.name is not None and "albany" not in q.speaker.name.lower()


@pytest.mark.parametrize(
    ("sentence", "content", "aside", "speaker"),
    [
        (
            "The agency reported that the strike killed five people, denouncing it as "
            "“unacceptable”.",
            "that the strike killed five people",
            "“unacceptable”",
            "The agency",
        ),
        (
            "The ministry said the talks had failed, calling the offer “an insult”.",
            "the talks had failed",
            "“an insult”",
            "The ministry",
        ),
        (
            "The army said the troops fired, describing the attack as “a provocation”.",
            "the troops fired",
            "“a provocation”",
            "The army",
        ),
    ],
)
def test_a_framing_participle_after_a_report_is_a_second_quote_of_its_speaker(
    sentence: str, content: str, aside: str, speaker: str
) -> None:
    r = extract_text(f"Strike Row\n\n{sentence}\n")
    assert [s for _, s in said(r)] == [speaker, speaker]
    first, second = r.quotes
    assert first.text == content
    assert second.kind == "mixed" and second.text.endswith(aside)


def test_a_participle_of_the_reported_events_stays_in_the_content() -> None:
    # "using live rounds" is what the soldiers did, not the residents' aside.
    r = extract_text(
        "Strike Row\n\nResidents said the soldiers fired on them, using live rounds.\n"
    )
    assert said(r) == [("the soldiers fired on them, using live rounds", "Residents")]


@pytest.mark.parametrize(
    ("sentence", "words", "speaker"),
    [
        (
            "The alliance previously described the invasion as the “most serious threat” "
            "in decades.",
            "“most serious threat”",
            "The alliance",
        ),
        (
            "The army has characterized the rebel leader as the “mastermind” behind the attacks.",
            "“mastermind”",
            "The army",
        ),
        (
            "Officials at the firm described the failed launch as having “concluded without "
            "ignition”.",
            "“concluded without ignition”",
            "Officials at the firm",
        ),
    ],
)
def test_a_source_named_by_a_noun_frames_words_in_quotation_marks(
    sentence: str, words: str, speaker: str
) -> None:
    r = extract_text(f"Launch Row\n\n{sentence}\n")
    (q,) = r.quotes
    assert q.kind == "mixed" and words in q.text
    assert q.speaker is not None and q.speaker.text == speaker


def test_a_source_named_by_a_noun_names_something() -> None:
    r = extract_text("Housing Row\n\nThe ministry called the plan a bandage solution.\n")
    assert said(r) == [("a bandage solution", "The ministry")]


@pytest.mark.parametrize(
    ("sentence", "content", "speaker"),
    [
        (
            "Apart from solar, the report adds, other sources of energy are rarely used by "
            "residents.",
            "other sources of energy are rarely used by residents",
            "the report",
        ),
        (
            "The report says that other sources of energy are rarely used.",
            "that other sources of energy are rarely used",
            "The report",
        ),
        (
            "Solar use rose by a third last year, the study said.",
            "Solar use rose by a third last year",
            "the study",
        ),
    ],
)
def test_a_document_that_says_something_is_a_source(
    sentence: str, content: str, speaker: str
) -> None:
    r = extract_text(f"Energy Report\n\n{sentence}\n")
    assert said(r) == [(content, speaker)]


def test_a_document_that_finds_something_is_still_evidence_not_speech() -> None:
    r = extract_text(
        "Energy Report\n\nThe report found that other sources of energy are rarely used.\n"
    )
    assert said(r) == []


@pytest.mark.parametrize(
    ("sentence", "content", "speaker"),
    [
        (
            "The ministry issued a statement saying the talks had failed.",
            "the talks had failed",
            "The ministry",
        ),
        (
            "Acme Corp. released a report warning that prices would rise.",
            "that prices would rise",
            "Acme Corp.",
        ),
    ],
)
def test_a_document_put_out_by_a_source_speaks_for_it(
    sentence: str, content: str, speaker: str
) -> None:
    r = extract_text(f"Talks Collapse\n\n{sentence}\n")
    assert said(r) == [(content, speaker)]


def test_a_statement_casting_its_author_in_quoted_words_is_a_mixed_quote() -> None:
    r = extract_text(
        "Campaign Trail\n\nThe party released a statement casting itself as "
        "“the party of workers”.\n"
    )
    (q,) = r.quotes
    assert q.kind == "mixed" and "the party of workers" in q.text
    assert q.speaker is not None and q.speaker.text == "The party"
