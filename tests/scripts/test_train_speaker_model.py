"""scripts/train_speaker_model.py trains on a slice of annotated news and writes a
model the package loads; the ranker it makes decides speakers in the pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wirescope.extract.speaker_model import Candidate, load_model, train

ROOT = Path(__file__).resolve().parents[2]
GGT = ROOT.parent / "shared" / "data" / "ggt_dev.jsonl"


def test_ranker_learns_to_prefer_the_feature_that_marks_the_answer() -> None:
    examples = [
        ([{"gender_agree": 1.0}, {"gender_clash": 1.0, "recent_0": 1.0}], 0),
        ([{"recent_0": 1.0, "gender_agree": 1.0}, {"recent_1": 1.0}], 0),
        ([{"recent_1": 1.0, "gender_agree": 1.0}, {"recent_0": 1.0, "gender_clash": 1.0}], 0),
    ]
    model = train(examples, l2=0.1)
    cands = [Candidate("p1", {"gender_clash": 1.0}), Candidate("p2", {"gender_agree": 1.0})]
    best = model.best(cands)
    assert best is not None and best.entity == "p2"


@pytest.mark.skipif(not GGT.is_file(), reason="../shared/data/ggt_dev.jsonl absent")
def test_training_script_on_a_slice(tmp_path: Path) -> None:
    out = tmp_path / "speaker_model.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_speaker_model.py"),
            str(GGT),
            "--limit",
            "6",
            "--out",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    model = load_model(out)
    assert model.weights and model.meta["trained_on"] == ["ggt_dev.jsonl"]
