"""Quote patterns, one behaviour per test, on short invented wire texts."""

from __future__ import annotations

import pytest

from wirescope.extract.quote_marks import find_pieces
from wirescope.pipeline.build import extract_text, process_one
from wirescope.record.models import Quote, RawDocument, Record


def _quotes(text: str) -> list[Quote]:
    return extract_text(text).quotes


def _one(quotes: list[Quote], fragment: str) -> Quote:
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def test_straight_marks_direct_quote_with_cue_and_speaker() -> None:
    text = 'Jane Morrow arrived late.\n\n"We will rebuild the bridge within a year," Morrow said.'
    q = _one(_quotes(text), "rebuild the bridge")
    assert q.kind == "direct"
    assert q.text == "We will rebuild the bridge within a year,"
    assert q.cue is not None and q.cue.lemma == "say"
    assert text[q.cue.span[0] : q.cue.span[1]] == "said"
    assert q.speaker is not None and q.speaker.text == "Morrow"
    assert q.speaker.name == "Jane Morrow"


def test_curly_marks_and_speaker_before_with_colon() -> None:
    text = (
        "Minister Paul Okafor spoke first.\n\n"
        "Okafor told reporters: “The budget is balanced and the debt is falling.”"
    )
    q = _one(_quotes(text), "budget is balanced")
    assert q.kind == "direct"
    assert q.cue is not None and q.cue.lemma == "tell"
    assert q.speaker is not None and q.speaker.name == "Paul Okafor"


def test_mixed_straight_open_curly_close() -> None:
    text = (
        "Leila Haddad led the talks.\n\n"
        '"The ceasefire must hold for the sake of everyone,” Haddad said.'
    )
    q = _one(_quotes(text), "ceasefire must hold")
    assert q.span[1] - q.span[0] == len("The ceasefire must hold for the sake of everyone,")


def test_quote_split_by_he_said_adding() -> None:
    text = (
        "Governor Tom Reyes opened the plant.\n\n"
        "“Jobs come first in this valley,” he said, adding, “Clean water comes a close second.”"
    )
    quotes = _quotes(text)
    first = _one(quotes, "Jobs come first")
    second = _one(quotes, "Clean water")
    assert first.cue is not None and first.cue.lemma == "say"
    assert second.cue is not None and second.cue.lemma == "add"
    assert first.speaker is not None and second.speaker is not None
    assert first.speaker.name == second.speaker.name == "Tom Reyes"


def test_quote_over_several_paragraphs_closed_only_in_the_last() -> None:
    text = (
        "Anna Petrova, the mayor, addressed the council.\n\n"
        "“We have waited ten years for this road and the people are tired of waiting.\n\n"
        "“Today we start building it, and we will finish it before winter,” Petrova said."
    )
    quotes = _quotes(text)
    first = _one(quotes, "waited ten years")
    last = _one(quotes, "start building")
    assert first.kind == last.kind == "direct"
    assert first.speaker is not None and first.speaker.name == "Anna Petrova"
    assert last.speaker is not None and last.speaker.name == "Anna Petrova"


def test_single_quotes_inside_double_stay_in_one_quote() -> None:
    text = (
        "Omar Said led the march.\n\n"
        "\"They told us 'go home' but we are staying right here,\" Said told the crowd."
    )
    q = _one(_quotes(text), "go home")
    assert q.text == "They told us 'go home' but we are staying right here,"


def test_indirect_said_that() -> None:
    text = "Foreign Minister Karl Lund said that the embassy would reopen next month."
    q = _one(_quotes(text), "embassy would reopen")
    assert q.kind == "indirect"
    assert q.text == "that the embassy would reopen next month"
    assert q.speaker is not None and q.speaker.name == "Karl Lund"


def test_indirect_stressed_that() -> None:
    text = "Senator Maria Vidal stressed that the vote must take place before the summer recess."
    q = _one(_quotes(text), "vote must take place")
    assert q.cue is not None and q.cue.lemma == "stress"


def test_indirect_noted_without_that() -> None:
    text = "Economist Ravi Menon noted the currency has lost a fifth of its value this year."
    q = _one(_quotes(text), "currency has lost")
    assert q.kind == "indirect"
    assert q.cue is not None and q.cue.lemma == "note"


def test_according_to() -> None:
    text = "According to the health ministry, the outbreak has spread to three more provinces."
    q = _one(_quotes(text), "outbreak has spread")
    assert q.cue is not None and q.cue.lemma == "according to"
    assert q.speaker is not None and "health ministry" in q.speaker.text


def test_mixed_indirect_clause_with_quoted_fragment() -> None:
    text = (
        'Union leader Sara Lind said the offer was "an insult to every nurse" '
        "and would be rejected."
    )
    quotes = _quotes(text)
    q = _one(quotes, "offer was")
    assert q.kind == "mixed"
    assert len(quotes) == 1  # the fragment is not a second, direct quote


def test_headline_attribution() -> None:
    text = (
        "2021-March-1 16:17\n\nMinister: Talks With Neighbours Will Resume Soon\n\n"
        "ANKARA (AA) - Turkish minister Ali Demir said on Monday that talks would resume."
    )
    record = extract_text(text)
    head = _one(record.quotes, "Talks With Neighbours")
    assert head.cue is not None and head.cue.lemma == ":"
    assert head.speaker is not None and head.speaker.name == "Ali Demir"


def test_headline_label_is_not_a_speaker() -> None:
    text = "UPDATE: Floods Close Roads Across the North\n\nHeavy rain fell for a third day."
    assert _quotes(text) == []


def test_no_quotes_gives_empty_list() -> None:
    assert _quotes("The river rose by two metres overnight. Schools stayed closed.") == []


def test_odd_number_of_quote_marks_never_fails() -> None:
    text = 'He said "this is unfinished and the mark never closes because the writer forgot'
    record = extract_text(text)
    assert isinstance(record, Record)


def test_scare_quotes_are_not_direct_quotes() -> None:
    text = 'The so-called "peace plan" was published on Tuesday by the committee.'
    assert [q for q in _quotes(text) if q.kind == "direct"] == []


def test_floating_quote_continues_previous_speaker() -> None:
    text = (
        '"We lost everything in the fire," said farmer Hugo Blanc.\n\n'
        '"The insurance will not cover even half of the barn and the animals."'
    )
    q = _one(_quotes(text), "insurance will not cover")
    assert q.speaker is not None and q.speaker.name == "Hugo Blanc"
    assert q.speaker.mention_type == "none"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a "b c d" e', [(3, 8)]),
        ("x “one two” y", [(3, 10)]),
        ('"open never closed', [(1, 18)]),
    ],
)
def test_find_pieces_pairs_marks(text: str, expected: list[tuple[int, int]]) -> None:
    pieces = find_pieces(text, [(0, len(text))])
    assert [(p.start, p.end) for p in pieces] == expected


def test_quote_offsets_index_the_source_text() -> None:
    text = "Dr. Lena Frost said the vaccine works.\n\n“It is safe for children too,” she said."
    for q in _quotes(text):
        assert text[q.span[0] : q.span[1]] == q.text
        if q.cue is not None:
            assert text[q.cue.span[0] : q.cue.span[1]] == q.cue.text


def test_evidence_subject_is_not_speech_but_is_an_attribution() -> None:
    from wirescope.pipeline.build import ATTRIBUTIONS

    text = "A private survey of factory managers found that manufacturing slowed in January."
    assert extract_text(text).quotes == []
    broad = extract_text(text, stages=ATTRIBUTIONS)
    assert [q.text for q in broad.quotes] == ["that manufacturing slowed in January"]


def test_words_a_source_puts_in_quotation_marks_with_a_naming_verb() -> None:
    r = extract_text(
        "Vern Sparkes spoke against the UN migration pact on Saturday, calling it a "
        "“global takeover.”"
    )
    [q] = r.quotes
    assert "global takeover" in q.text
    assert q.kind == "mixed"
    assert q.speaker is not None and q.speaker.name == "Vern Sparkes"


def test_naming_verb_with_an_object_predicate_is_a_quote_of_the_name() -> None:
    # Both corpora count "called the pact [a takeover ...]"; the name is the content.
    [q] = extract_text("Vern Sparkes called the pact a takeover of national policy.").quotes
    assert q.text == "a takeover of national policy"
    assert q.speaker is not None and q.speaker.text == "Vern Sparkes"


@pytest.mark.parametrize(
    "text",
    [
        "The council has called for the elimination of the fees.",
        "Green called Smith on Thursday night to offer him the job.",
    ],
)
def test_naming_verb_that_names_nothing_is_not_speech(text: str) -> None:
    assert extract_text(text).quotes == []


def test_content_before_a_sentence_final_attribution_despite_a_misparse() -> None:
    # The small model takes "immigrants" for a second subject of "writes".
    r = extract_text(
        "Canada preferred immigrants from Europe, especially those that were white, Foster writes."
    )
    [q] = r.quotes
    assert q.text == "Canada preferred immigrants from Europe, especially those that were white"
    assert q.speaker is not None and q.speaker.text == "Foster"
    assert q.cue is not None and q.cue.lemma == "write"


def test_a_quoted_title_is_not_a_quote() -> None:
    r = extract_text(
        "The film was shot in England last year.\n\n"
        "“The Kid Who Would Be King” reclaims the fantasy genre for actual kids."
    )
    assert r.quotes == []


def test_a_future_or_hypothetical_cue_is_not_yet_speech() -> None:
    text = "The Conservatives will argue that the carbon tax hurts families in rural Canada."
    assert extract_text(text).quotes == []
    from wirescope.pipeline.build import ATTRIBUTIONS

    assert len(extract_text(text, stages=ATTRIBUTIONS).quotes) == 1


def test_reported_clause_runs_to_the_end_of_its_sentence() -> None:
    # The parser hangs the later conjuncts on the cue, not on the reported clause.
    r = extract_text(
        "During those years, which ended this fall, Brooks says he drank too much, used "
        "drugs and was in and out of relationships."
    )
    [q] = r.quotes
    assert q.text == "he drank too much, used drugs and was in and out of relationships"


def test_what_they_said_was() -> None:
    r = extract_text("Members complained about what they said was a lack of transparency.")
    [q] = r.quotes
    assert q.text == "was a lack of transparency"
    assert q.speaker is not None and q.speaker.text == "they"


def test_transcript_lines_are_quotes_by_their_labelled_speakers() -> None:
    r = extract_text(
        "Gov. Mike Pence spoke to Chris Wallace on Sunday. A partial transcript follows.\n\n"
        "WALLACE: Let's start with the breaking news on the debate story tonight.\n\n"
        "PENCE: Well, look, the campaign thinks this is an episode of reality television."
    )
    by_speaker = {q.speaker.name: q.text for q in r.quotes if q.speaker}
    assert by_speaker["Mike Pence"].startswith("Well, look")
    assert by_speaker["Chris Wallace"].startswith("Let's start")


def test_section_labels_of_a_market_report_are_not_speakers() -> None:
    r = extract_text(
        "KEEPING SCORE: Germany's DAX rose 0.1 per cent and France's CAC 40 fell.\n\n"
        "ENERGY: Benchmark U.S. crude oil fell 42 cents to $51.69 per barrel."
    )
    assert r.quotes == []


def test_a_short_quoted_sentence_after_an_attribution_is_a_quote() -> None:
    # Under four words, but a sentence of its own: speech, not a scare-quoted term.
    text = '"The river rose faster than anyone expected," Ruth Okafor said. "We ran."'
    q = _one(_quotes(text), "We ran")
    assert q.kind == "direct"
    assert q.text == "We ran."


def test_a_subject_before_the_quotation_marks_makes_the_quote_mixed() -> None:
    # Most of the clause is quoted (and "noting" after it could attribute the quoted
    # words alone), but it opens in the reporter's words.
    text = (
        'Mayor Lena Fisk said she is "still weighing every option for the harbour," '
        "noting that the ferry is late."
    )
    q = _one(_quotes(text), "weighing every option")
    assert q.kind == "mixed"
    assert q.text == 'she is "still weighing every option for the harbour,"'


def test_a_clause_after_but_with_its_own_subject_is_still_reported() -> None:
    text = (
        "Trainer Omar Reyes says the horse has been running well for two months, "
        "but the track is too soft for him this week."
    )
    q = _one(_quotes(text), "running well")
    assert q.text.endswith("too soft for him this week")


def test_a_second_attribution_after_and_is_a_quote_of_its_own() -> None:
    text = "Dana Whitlock said the vote was fair and she said the count will be checked again."
    quotes = _quotes(text)
    first = _one(quotes, "the vote was fair")
    assert "count" not in first.text


def test_double_apostrophe_quote_after_an_attribution_sentence() -> None:
    # ''...'' is a pair of marks (an archive's style) for every check, not only pairing.
    text = (
        "The judge spoke after the hearing.\n\n"
        "''The law is clear on this point,'' Mr. Aldana said. ''The court will rule "
        "on the facts, and the facts alone, before the end of the month.''"
    )
    q = _one(_quotes(text), "facts alone")
    assert q.kind == "direct"
    assert q.text.startswith("The court will rule")


def test_a_reported_subject_the_parser_took_for_the_cues_object() -> None:
    text = (
        "But he said smaller bakeries who are always introducing new breads — especially "
        "those that rely on sales to tourists — are likely to suffer most."
    )
    q = _one(_quotes(text), "suffer most")
    assert q.text.startswith("smaller bakeries who are")


def test_a_modifier_set_off_from_the_reported_clause_by_a_comma_is_in_it() -> None:
    q = _one(_quotes("But the fire chief says too often, the trucks arrive late."), "trucks")
    assert q.text == "too often, the trucks arrive late"
    # A parenthetical between commas is the reporter's, not the source's.
    q = _one(_quotes("Ms. Patel said, however, that the bridge will stay open."), "bridge")
    assert q.text == "that the bridge will stay open"


def test_a_gerund_after_a_preposition_speaks_for_the_main_subject() -> None:
    text = (
        "In addition to stating that the levy will not rise, the mayor has vowed to "
        "repair every bridge in the county."
    )
    q = _one(_quotes(text), "levy will not rise")
    assert q.speaker is not None and q.speaker.text == "the mayor"


def test_a_nested_attribution_after_a_quoted_fragment_is_its_own_quote() -> None:
    text = (
        "Speaking earlier in Ohio, Smith insisted that he has “expanded the party,” "
        "claiming that he is responsible for higher turnout in the primary states."
    )
    quotes = _quotes(text)
    first = _one(quotes, "expanded the party")
    assert first.kind == "mixed" and first.text == "that he has “expanded the party,”"
    second = _one(quotes, "higher turnout")
    assert second.text == "that he is responsible for higher turnout in the primary states"


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("Okafor: Flood Barriers Will Not Be Ready by Spring", "Okafor"),
        ("The Latest: Flood barriers will not be ready by spring", None),  # a blog's label
    ],
)
def test_a_title_given_beside_the_text_that_opens_it_is_the_headline(
    first_line: str, expected: str | None
) -> None:
    # The caller's title opens the text, with a period the title lacks.
    text = f"{first_line}.\n\nThe mayor spoke on Monday."
    raw = RawDocument(text=text, path="t", format="jsonl", meta={"title": first_line})
    quotes = process_one(raw).quotes
    assert [q.speaker.text if q.speaker else None for q in quotes] == (
        [expected] if expected else []
    )


def test_a_clause_told_to_an_addressee_the_parser_hung_on_the_addressee() -> None:
    text = "Smith told CBC’s “The Current” program on Monday that he had done nothing wrong."
    q = _one(_quotes(text), "done nothing wrong")
    assert q.text == "that he had done nothing wrong"


def test_a_quotation_opened_in_a_reported_clause_runs_to_its_closing_mark() -> None:
    # The quotation spans two sentences; the clause the parser sees ends with the first.
    text = (
        "After the ruling, Ms. Arden said she and her lawyers were “very pleased with the "
        "decision. This finally settles the matter for every tenant in the building.”"
    )
    q = _one(_quotes(text), "very pleased")
    assert q.kind == "mixed"
    assert q.text.endswith("every tenant in the building.”")


def test_a_quotation_after_a_colon_continues_the_speaker() -> None:
    text = (
        "“We will figure it out,” the coach said. Then, after a pause: “A few more weeks. "
        "I think they need a few more weeks.”"
    )
    q = _one(_quotes(text), "few more weeks")
    assert q.kind == "direct"
    assert q.speaker is not None and q.speaker.text == "the coach"


def test_a_short_quoted_exclamation_right_after_its_cue_verb() -> None:
    quotes = _quotes("Asked about the deadline, the minister replied, “Not today!”")
    q = _one(quotes, "Not today")
    assert q.kind == "direct"
    assert q.speaker is not None and q.speaker.text == "the minister"
    # The participle clause before is the circumstance of the reply, not its content.
    assert [q.text for q in quotes] == ["Not today!"]
