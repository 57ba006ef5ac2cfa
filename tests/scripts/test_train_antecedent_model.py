"""scripts/train_antecedent_model.py trains on a slice of GUM train, chooses on a slice
of GUM dev and writes a model the package loads (the full run: see the script)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wirescope.extract.speaker_model import load_model

ROOT = Path(__file__).resolve().parents[2]


def test_training_script_on_a_slice(tmp_path: Path, shared_data: Path) -> None:
    gum = shared_data / "gum"
    if not (gum / "splits.md").is_file():
        pytest.skip(f"{gum} absent")
    out = tmp_path / "antecedent_model.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    args = ["--gum", str(gum), "--limit", "3", "--l2", "1", "3", "--no-cache", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_antecedent_model.py"), *args, "--use-for"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "chosen on dev: l2=" in done.stdout
    model = load_model(out)
    assert model.weights and model.meta["trained_on"] == "GUM train (3 documents)"
    assert model.meta["use_for"] == [] and model.meta["exclude"] == ["gender_clash"]
    # the rules' pick carries the prior on top of what was learned
    assert model.weights["rule"] >= model.meta["rule_prior"] - 1.0
