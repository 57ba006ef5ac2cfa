"""The array attribute ruler and lemmatizer give exactly the stock components' output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from wirescope.nlp.fast_rules import ArrayAttributeRuler, Unsupported, array_rules
from wirescope.nlp.parse import chunks_of, get_array_rules, get_nlp, parse_many
from wirescope.nlp.spacing import compact, odd_runs, restore

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example

ROOT = Path(__file__).resolve().parents[2]
ATTRS = [TAG, POS, DEP, MORPH, LEMMA, HEAD, ENT_IOB, ENT_TYPE]

# Every multi-token pattern of the ruler ("ai n't", "gon na", "y' all", "there is"),
# its regex and IS_SPACE rules, and a line break between the two halves of one.
EDGE_CASES = [
    "Y'all ain't gonna believe it. There is a cat.\n  \nWe gon na win, y' all.\nI ai n't sure.",
    "Nothin' here.  Double  spaces\t\ttabs. They were there, weren't they?\nWe gon\nna go.",
    "It is what it is: the vote, which was held on Monday, passed 51-49 (AP).",
]


def _texts(example: Example, shared_data: Path) -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    texts.append(example.text)
    with (shared_data / "ggt_dev.jsonl").open(encoding="utf-8") as f:
        texts += [json.loads(line)["text"] for _, line in zip(range(12), f, strict=False)]
    return texts + EDGE_CASES


def _stock(text: str) -> Doc:
    """What parse_many did before: the full stock pipeline on each line, joined (a
    line with odd spacing parsed as parse_many parses it, see nlp/spacing.py)."""
    nlp = get_nlp()
    parts = []
    for chunk in chunks_of(text):
        runs = odd_runs(chunk)
        if not runs:
            parts.append(nlp(chunk))
            continue
        doc = restore(nlp(compact(chunk, runs)), chunk, runs)
        for name in ("attribute_ruler", "lemmatizer"):  # the stock rules on the runs too
            doc = nlp.get_pipe(name)(doc)
        parts.append(doc)
    return Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]


def test_the_model_pipeline_gets_the_array_versions() -> None:
    rules = get_array_rules()
    assert rules is not None
    assert rules.names == ("attribute_ruler", "lemmatizer")


def test_every_token_matches_the_stock_pipeline(example: Example, shared_data: Path) -> None:
    texts = _texts(example, shared_data)
    assert len(texts) >= 15
    for text, doc in zip(texts, parse_many(texts), strict=True):
        ref = _stock(text)
        assert doc.text == ref.text
        got, want = doc.to_array(ATTRS), ref.to_array(ATTRS)
        diff = [
            (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_)
            for t, r in zip(doc, ref, strict=True)
            if (t.tag, t.pos, t.dep, t.morph.key, t.lemma)
            != (r.tag, r.pos, r.dep, r.morph.key, r.lemma)
        ]
        assert (got == want).all(), diff[:5]


def test_the_multi_token_rules_fired() -> None:
    # Without this the check above could pass with rules that never match.
    (doc,) = parse_many([EDGE_CASES[0]])
    lemmas = {(t.lower_, t.lemma_) for t in doc}
    assert {("gon", "go"), ("na", "to"), ("ai", "be")} <= lemmas


def test_a_pipeline_it_cannot_reproduce_keeps_the_stock_components() -> None:
    assert array_rules(spacy.blank("en")) is None
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})
    with pytest.raises(Unsupported):
        ArrayAttributeRuler(ruler)


def test_the_rule_lemma_equals_the_stock_one_for_every_part_of_speech() -> None:
    """ArrayLemmatizer.rule_lemma looks the lemma index up in sets (the stock code
    scans a list of 57,000 nouns per candidate form): the lemmas must not change."""
    rules = get_array_rules()
    assert rules is not None
    stock = rules.lemmatizer.lemmatizer
    # fmt: off
    words = ["ponies", "women", "geese", "buses", "analyses", "data", "criteria", "mice",
             "wolves", "boxes", "churches", "running", "ran", "went", "taken", "studies",
             "studied", "tried", "lying", "dying", "frees", "hoped", "hopping", "better",
             "best", "worse", "larger", "happiest", "faster", "earliest", "fully", "3D",
             "2-1s", "x-rays", "ABCs", "Wirescope", "Smiths", "uncharted", "ponied"]
    morphs = ["Number=Plur", "VerbForm=Part|Tense=Past", "VerbForm=Ger", "Degree=Cmp",
              "Degree=Sup", "Number=Sing", "VerbForm=Inf", ""]
    # fmt: on
    checked = 0
    for pos in ("NOUN", "VERB", "ADJ", "ADV", "PROPN", "AUX", "X", "SPACE"):
        for morph in morphs:
            doc = Doc(get_nlp().vocab, words=words)
            for token in doc:
                token.pos_ = pos
                token.set_morph(morph or None)
            for token in doc:
                stock.cache.clear()
                assert rules.lemmatizer.rule_lemma(token) == stock.rule_lemmatize(token)[0], (
                    token.text,
                    pos,
                    morph,
                )
                checked += 1
    assert checked == 8 * 8 * len(words)


def test_rules_over_several_docs_at_once_never_match_across_two() -> None:
    """The array rules run over a group of Docs at once: a pattern of two tokens
    ("gon na", "ai n't") must not match the last token of one and the first of the next."""
    texts = ["Y'all ain't gonna win, we gon", "na go. I ai", "n't sure, y'", "all know."]
    together = list(parse_many(texts))
    alone = [doc for text in texts for doc in parse_many([text])]
    for a, b in zip(together, alone, strict=True):
        assert (a.to_array(ATTRS) == b.to_array(ATTRS)).all(), [t.lemma_ for t in a]
    assert together[1][0].lemma_ == "na" and together[0][-1].lemma_ == "gon"


def test_an_empty_text_among_others_gets_its_rules_run_with_them() -> None:
    texts = ["We gon na win.", "", "  ", "I ai n't sure."]
    together = list(parse_many(texts))
    assert [d.text for d in together] == texts
    assert [t.lemma_ for t in together[0]][1:3] == ["go", "to"]
