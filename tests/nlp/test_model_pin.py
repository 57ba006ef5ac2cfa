"""The spaCy model is a third party's re-upload of en_core_web_sm 3.8.0: what it installs
must be Explosion's release (its published meta) with the weights we measured with."""

from __future__ import annotations

import hashlib
import json
from importlib import import_module
from pathlib import Path

import pytest

from wirescope.nlp.model import MODEL, MODEL_DIST, MODEL_VERSION

# From Explosion's meta/en_core_web_sm-3.8.0.json (github.com/explosion/spacy-models).
RELEASE = {
    "lang": "en",
    "version": "3.8.0",
    "spacy_git_version": "5010fcbd3",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
    "components": [
        "tok2vec",
        "tagger",
        "parser",
        "senter",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ],
    "disabled": ["senter"],
}
RELEASE_PERFORMANCE = {
    "tag_acc": 0.972937262,
    "dep_uas": 0.9176955214,
    "dep_las": 0.8991533598,
    "ents_p": 0.8429743795,
    "ents_r": 0.8436498397,
    "ents_f": 0.8433119744,
    "sents_f": 0.9068156724,
}
RELEASE_NER_LABELS = 18
# sha256 of the weights this project's figures were measured with.
WEIGHTS = {
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
}


@pytest.fixture(scope="module")
def model_dir() -> Path:
    package = import_module(MODEL)
    (data,) = [p for p in Path(package.__file__).parent.iterdir() if p.is_dir() and "-" in p.name]
    return data


def test_meta_is_explosions_release(model_dir: Path) -> None:
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert {k: meta[k] for k in RELEASE} == RELEASE
    assert {k: meta["performance"][k] for k in RELEASE_PERFORMANCE} == RELEASE_PERFORMANCE
    assert len(meta["labels"]["ner"]) == RELEASE_NER_LABELS


def test_weights_are_the_measured_ones(model_dir: Path) -> None:
    got = {name: hashlib.sha256((model_dir / name).read_bytes()).hexdigest() for name in WEIGHTS}
    assert got == WEIGHTS


def test_the_lock_file_pins_the_declared_version() -> None:
    lock = Path(__file__).resolve().parents[2] / "requirements" / "model.lock"
    pins = [line for line in lock.read_text(encoding="utf-8").splitlines() if "==" in line]
    assert len(pins) == 1 and pins[0].startswith(f"{MODEL_DIST}=={MODEL_VERSION} --hash=sha256:")
