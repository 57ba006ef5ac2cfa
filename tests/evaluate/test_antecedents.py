"""GUM's coreference read as text with offsets (evaluate/antecedents.py), its anaphors
resolved by the Resolver, and the shipped antecedent model checked on GUM dev."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirescope.evaluate.antecedents import (
    accuracy,
    document_anaphors,
    examples,
    read_conll,
    split_names,
)
from wirescope.extract.speaker_model import RULES, load_model, shipped_model

# Our own sentences, in GUM's CoNLL layout (index, word, coreference column).
_ROWS = [
    ("Maria", "(person-1-Maria_Lopez"),
    ("Lopez", "person-1-Maria_Lopez)"),
    (",", "_"),
    ("a", "(person-1"),
    ("nurse", "person-1)"),
    (",", "_"),
    ("met", "_"),
    ("Tom", "(person-2"),
    ("Baker", "person-2)"),
    ("at", "_"),
    ("the", "(place-3"),
    ("hospital", "(place-3)place-3)"),
    (".", "_"),
    ("She", "(person-1)"),
    ("said", "_"),
    ('"', "_"),
    ("we", "_"),
    ("need", "_"),
    ("help", "(abstract-4)"),
    ('"', "_"),
    (".", "_"),
    ("The", "(person-2"),
    ("doctor", "person-2)"),
    ("did", "_"),
    ("n't", "_"),
    ("answer", "_"),
    ("her", "(person-1)"),
    (".", "_"),
]


def _write(tmp_path: Path) -> Path:
    lines = ["# begin document GUM_test_own"]
    lines += [f"{i}\t{w}\t{c}" for i, (w, c) in enumerate(_ROWS)]
    lines.append("# end document")
    path = tmp_path / "GUM_test_own.conll"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_conll_becomes_text_with_exact_token_offsets(tmp_path: Path) -> None:
    doc = read_conll(_write(tmp_path))
    assert doc.text.startswith("Maria Lopez, a nurse, met Tom Baker at the hospital. She said")
    assert '"we need help".' in doc.text and "didn't answer her." in doc.text
    for (start, end), (word, _) in zip(doc.tokens, _ROWS, strict=True):
        assert doc.text[start:end] == word
    said = {
        doc.text[doc.tokens[s][0] : doc.tokens[e - 1][1]]: eid for (s, e), eid, _ in doc.mentions
    }
    assert said["Maria Lopez"] == said["a nurse"] == said["She"] == said["her"] == "1"
    assert said["The doctor"] == said["Tom Baker"] == "2"
    # "the hospital" opens twice on one token and closes twice: both mentions kept
    places = [m for m in doc.mentions if m[1] == "3"]
    assert len(places) == 2


def test_the_anaphors_and_their_right_candidates(tmp_path: Path) -> None:
    gum = read_conll(_write(tmp_path))
    found = document_anaphors(gum)
    said = {gum.text[a.span[0] : a.span[1]]: a for a in found}
    assert set(said) == {"She", "The doctor", "her"}
    she = said["She"]
    assert she.kind == "pronoun" and she.rule in she.right and len(she.candidates) == 2
    assert said["The doctor"].kind == "nominal"
    # a resolvable anaphor with two candidates the gender allows teaches the ranker;
    # its label is a candidate that is the anaphor's person
    taught = examples(found)
    assert taught and all(0 <= gold < len(cands) for cands, gold in taught)
    assert all(cands[gold].get("gender_clash", 0.0) == 0.0 for cands, gold in taught)
    acc = accuracy(found, RULES)
    assert acc["pronoun"].mentions == 2 and acc["pronoun"].rules >= 1


def test_the_shipped_model_is_the_gum_model_and_names_its_uses() -> None:
    model = shipped_model()
    assert model is not None and model.weights
    assert str(model.meta["trained_on"]).startswith("GUM train")
    assert set(model.meta["use_for"]) <= {"pronoun", "nominal"}


@pytest.mark.slow
def test_the_shipped_model_beats_the_rules_on_gum_dev(shared_data: Path) -> None:
    gum_dir = shared_data / "gum"
    if not (gum_dir / "splits.md").is_file():
        pytest.skip(f"{gum_dir} absent")
    model = shipped_model()
    assert model is not None
    found = [
        a
        for n in split_names(gum_dir, "dev")
        for a in document_anaphors(read_conll(gum_dir / f"{n}.conll"))
    ]
    acc = accuracy(found, model)["pronoun"]
    assert acc.resolvable > 50
    # the floor: what the model scored when it was chosen, less a margin for parser drift
    assert acc.model / acc.resolvable >= 0.85
    assert acc.model > acc.rules


def test_a_written_model_loads_back(tmp_path: Path) -> None:
    from wirescope.extract.speaker_model import train

    model = train([([{"agree_0": 1.0}, {"agree_1": 1.0}], 0)], l2=1.0)
    model.meta["use_for"] = ["pronoun"]
    model.save(tmp_path / "m.json")
    back = load_model(tmp_path / "m.json")
    assert back.ranks("pronoun") and not back.ranks("nominal")
