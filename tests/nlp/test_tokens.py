"""A Doc's Token objects made once and shared (nlp/tokens.py)."""

from __future__ import annotations

from wirescope.nlp.parse import get_nlp
from wirescope.nlp.tokens import heads, tokens

TEXT = (
    "The mayor, who took office in May, said on Tuesday that the bridge would reopen.\n"
    "Residents were not convinced."
)


def test_the_shared_tokens_are_the_docs_own_in_order() -> None:
    doc = get_nlp()(TEXT)
    shared = tokens(doc)
    assert [(t.i, t.text, t.idx) for t in shared] == [(t.i, t.text, t.idx) for t in doc]
    assert all(t.doc is doc for t in shared)


def test_asking_again_for_the_same_doc_makes_no_new_tokens() -> None:
    doc = get_nlp()(TEXT)
    assert tokens(doc) is tokens(doc)


def test_another_doc_gets_its_own_tokens_and_the_first_is_made_again() -> None:
    nlp = get_nlp()
    first, second = nlp(TEXT), nlp("Short one here.")
    one = tokens(first)
    two = tokens(second)
    assert [t.text for t in two] == ["Short", "one", "here", "."]
    again = tokens(first)
    assert again is not one and [t.text for t in again] == [t.text for t in one]


def test_heads_read_off_the_arrays_are_the_tokens_heads() -> None:
    doc = get_nlp()(TEXT)
    expected = [t.head.i for t in doc]
    assert heads(doc) == expected
    # heads before a token as well as after it: the relative offsets are signed
    assert any(h < i for i, h in enumerate(expected)) and any(h > i for i, h in enumerate(expected))
