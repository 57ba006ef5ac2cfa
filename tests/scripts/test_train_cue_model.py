"""scripts/train_cue_model.py runs end to end on a slice of PolNeAR train and writes a
model the package can load (the full run is documented in the script)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wirescope.extract.cue_model import load_model

ROOT = Path(__file__).resolve().parents[2]


def test_training_script_on_a_slice(tmp_path: Path, shared_data: Path) -> None:
    train = shared_data / "polnear_train.jsonl"
    if not train.is_file():
        pytest.skip(f"{train} absent")
    out = tmp_path / "model.json.gz"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "scripts")]))
    args = ["--limit", "20", "--epochs", "30", "--out", str(out), "--cache", str(tmp_path)]
    args += ["--train", str(train)]
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_cue_model.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    model = load_model(out)
    assert model.weights and 0.0 < model.threshold < 1.0
    assert "polnear_train.jsonl: " in model.meta["trained_on"]
