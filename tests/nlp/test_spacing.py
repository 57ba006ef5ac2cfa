"""Odd spacing between words (nlp/spacing.py): parsed as one space, offsets kept."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from wirescope.nlp.parse import parse_many
from wirescope.nlp.spacing import compact, odd_runs
from wirescope.pipeline.build import extract_text

SEPARATORS = {
    "tab": "\t",
    "no-break space": "\u00a0",
    "double space": "  ",
    "zero-width space": "\u200b ",
}


def test_only_runs_between_words_are_odd() -> None:
    line = "Ana Ruiz\u00a0said it  was fine.  \n"
    runs = odd_runs(line)
    assert [line[s:e] for s, e in runs] == ["\u00a0", "  "]  # not the spaces before the break
    assert compact(line, runs) == "Ana Ruiz said it was fine.  \n"


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_the_doc_keeps_the_text_and_parses_as_with_one_space(sep: str) -> None:
    text = f"Minister Ana Ruiz{sep}said the port would reopen.\n"
    (odd,) = parse_many([text])
    (plain,) = parse_many([text.replace(sep, " ")])
    assert odd.text == text

    def words(doc: Doc) -> list[tuple[str, ...]]:
        return [(t.text, t.tag_, t.dep_, t.head.text, t.ent_type_) for t in doc if t.tag_ != "_SP"]

    assert words(odd) == words(plain)
    for tok in odd:
        assert text[tok.idx : tok.idx + len(tok.text)] == tok.text


STORY = (
    "Caspian Fishing Talks\n\n"
    "TEHRAN (IRNA)- Iran's Deputy Minister of Agriculture Reza Mohammadkhani{sep}said on "
    "Tuesday that the five states need a joint plan.\n\n"
    "“Sturgeon do not know our borders,” Mohammadkhani{sep}told the meeting.\n"
)


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_odd_spacing_before_said_keeps_the_speaker(sep: str) -> None:
    r = extract_text(STORY.format(sep=sep))
    names = {e.id: e.name for e in r.entities}
    speakers = [names.get(q.speaker.entity or "") if q.speaker else None for q in r.quotes]
    assert speakers == ["Reza Mohammadkhani", "Reza Mohammadkhani"]


def test_a_zero_width_space_stays_out_of_the_name() -> None:
    r = extract_text("Ana Ruiz\u200b said the vote was fair.\n")
    (q,) = r.quotes
    assert q.speaker is not None and q.speaker.name == "Ana Ruiz"
