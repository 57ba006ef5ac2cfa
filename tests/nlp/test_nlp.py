"""Parsing in bounded pieces: texts come back whole, with their offsets."""

from __future__ import annotations

from wirescope.nlp.parse import BATCH_CHARS, char_batches, chunks_of, parse_many, split_long


def test_a_long_line_is_cut_after_a_sentence_end() -> None:
    line = "The minister spoke. " * 1200  # 24,000 characters, no line break
    pieces = split_long(line)
    assert "".join(pieces) == line
    assert all(len(p) <= BATCH_CHARS for p in pieces)
    assert all(p.endswith(". ") for p in pieces[:-1])


def test_a_line_without_sentence_ends_is_cut_at_a_space_then_anywhere() -> None:
    words = "word " * 5000
    assert all(p.endswith(" ") for p in split_long(words)[:-1])
    blob = "x" * 25_000
    assert [len(p) for p in split_long(blob)] == [10_000, 10_000, 5_000]


def test_short_lines_stay_as_they_are() -> None:
    text = "HEADLINE\n\nDUBAI (Reuters) - A line.\nAnother.\n"
    assert chunks_of(text) == ["HEADLINE\n\n", "DUBAI (Reuters) - A line.\n", "Another.\n"]


def test_batches_stay_under_the_character_budget() -> None:
    pieces = ["a" * 4000, "b" * 4000, "c" * 4000, "d" * 12_000, "e"]
    groups = list(char_batches(pieces, limit=10_000))
    assert groups == [pieces[:2], pieces[2:3], pieces[3:4], pieces[4:]]


def test_parsed_texts_keep_every_character_and_end_sentences_at_line_breaks() -> None:
    long_line = "Officials said the talks would go on. " * 400  # over the budget
    texts = ["Talks Resume\nGENEVA (Reuters) - Negotiators met on Sunday.\n", long_line, ""]
    docs = list(parse_many(texts))
    assert [d.text for d in docs] == texts
    assert next(s.text for s in docs[0].sents) == "Talks Resume\n"
    assert sum(1 for _ in docs[1].sents) >= 400
