"""The learned name-type model (extract/name_types.py) over the typing rules."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from wirescope.extract.entity_types import corrected_ents, typed_pieces
from wirescope.extract.name_types import CLASSES, NAME_LABELS, name_features, shipped_model
from wirescope.nlp.parse import get_nlp


@lru_cache(maxsize=8)
def _parse(text: str) -> Doc:
    return get_nlp()(text)


def _labels(text: str, name: str) -> list[str]:
    doc = _parse(text)
    return [label for s, e, label in corrected_ents(doc) if text[s:e].startswith(name)]


def test_a_capitalized_word_opening_a_sentence_is_nobody() -> None:
    text = "Humanitarian aid is being used as a weapon, the envoy said."
    rules = [doc_label for _, _, doc_label in typed_pieces(_parse(text))]
    assert rules == ["PERSON"]  # what the rules alone make of it
    assert "PERSON" not in _labels(text, "Humanitarian")


def test_a_surname_after_in_is_the_person_the_story_names() -> None:
    text = (
        "Virginia Kerrigan sued the bank in 2015. Kerrigan said she was relieved. The case "
        "turned on records unsealed in Kerrigan's lawsuit. In a 2016 deposition in "
        "Kerrigan's lawsuit, he invoked the Fifth."
    )
    assert _labels(text, "Kerrigan") == ["PERSON"] * 3


def test_the_model_ships_and_never_makes_an_acting_place_a_body() -> None:
    model = shipped_model()
    assert model is not None
    text = "China warned on Monday that it would respond. China's envoy said so."
    doc = _parse(text)
    pieces = [p for p in typed_pieces(doc) if p[2] in NAME_LABELS]
    for (_, _, label), feats in zip(pieces, name_features(doc, pieces), strict=True):
        probs = model.probs(feats)
        assert abs(sum(probs) - 1) < 1e-9 and len(probs) == len(CLASSES)
        if label == "PLACE":  # GUM's convention (an organisation) is not ours
            assert model.relabel(label, feats) != "ORG"
