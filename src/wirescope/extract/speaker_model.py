"""A learned ranker for who a pronoun or nominal speaker mention means.

attribution/context.py lists the candidates for each such mention (the article's people
met before it, and for a nominal the people named just after it) with features
from the parse and the story so far: distance, salience, subject-hood, gender
agreement, role match, named inside the quote, what the rules would choose. A
conditional logistic regression (softmax over one mention's candidates, plain
numpy) scores them; the best wins. Weights ship as JSON in resources/.

Training (scripts/train_speaker_model.py, benchmarks/cv_quotes.py) runs the
pipeline over annotated articles, records each decision's candidates, and labels
the candidate whose name matches the gold speaker's resolved name. The shipped
weights (resources/antecedent_model.json) come from GUM's coreference instead
(scripts/train_antecedent_model.py, evaluate/antecedents.py); their meta says for
which kinds of mention attribution lets them pick ("use_for": where they beat the
rules on the news dev sets) and which features rule a candidate out ("exclude").
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = "antecedent_model.json"

Features = dict[str, float]


@dataclass
class Candidate:
    entity: str  # the entity id in this article
    features: Features


@dataclass
class Decision:
    """One pronoun or nominal speaker mention and its ranked candidates."""

    quote: int  # index of the quote among those resolve_speakers was given
    kind: str  # "pronoun" | "nominal"
    candidates: list[Candidate]
    chosen: str | None = None


@dataclass
class SpeakerModel:
    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def ranks(self, kind: str) -> bool:
        """Whether attribution lets the model pick for this kind of mention: all kinds
        unless its meta names them ("use_for": the kinds where it beat the rules)."""
        if not self.weights:
            return False
        use_for = self.meta.get("use_for")
        return use_for is None or kind in use_for

    def score(self, feats: Features) -> float:
        w = self.weights
        return sum(w.get(k, 0.0) * v for k, v in feats.items())

    def best(self, candidates: Sequence[Candidate]) -> Candidate | None:
        # "exclude" in meta: features that rule a candidate out whatever its score
        # ("he" never means a person known to be a woman), while another remains.
        exclude = self.meta.get("exclude") or ()
        pool = [c for c in candidates if not any(c.features.get(k) for k in exclude)]
        return max(pool or candidates, key=lambda c: self.score(c.features), default=None)

    def to_json(self) -> dict[str, Any]:
        weights = {k: round(v, 5) for k, v in sorted(self.weights.items())}
        return {"meta": self.meta, "weights": weights}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpeakerModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights=weights, meta=dict(data.get("meta") or {}))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n")


RULES = SpeakerModel(weights={}, meta={"rules": True})
"""No weights: every decision stays the rules' pick (for comparison and training)."""


def load_model(path: str | Path) -> SpeakerModel:
    return SpeakerModel.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def shipped_model() -> SpeakerModel | None:
    """The model in the package's resources (None when it is absent: rules alone)."""
    ref = resources.files("wirescope.resources").joinpath(MODEL_FILE)
    if not ref.is_file():
        return None
    return SpeakerModel.from_json(json.loads(ref.read_text(encoding="utf-8")))


def train(
    examples: Sequence[tuple[list[Features], int]],
    l2: float = 1.0,
    epochs: int = 300,
    lr: float = 0.5,
) -> SpeakerModel:
    """Conditional logit: maximise log P(gold candidate | the mention's candidates),
    with an L2 penalty; full-batch gradient descent (a few hundred mentions)."""
    names = sorted({k for cands, _ in examples for f in cands for k in f})
    col = {k: i for i, k in enumerate(names)}
    groups: list[tuple[np.ndarray, int]] = []
    for cands, gold in examples:
        x = np.zeros((len(cands), len(names)))
        for r, f in enumerate(cands):
            for k, v in f.items():
                x[r, col[k]] = v
        groups.append((x, gold))
    w = np.zeros(len(names))
    n = max(1, len(groups))
    for _ in range(epochs):
        grad = l2 * w / n
        for x, gold in groups:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            grad += (p @ x - x[gold]) / n
        w -= lr * grad
    loss = 0.0
    for x, gold in groups:
        z = x @ w
        loss -= float(z[gold] - (z.max() + math.log(float(np.exp(z - z.max()).sum()))))
    meta = {"mentions": len(groups), "loss": round(loss / n, 4), "l2": l2, "epochs": epochs}
    return SpeakerModel(weights={k: float(w[i]) for k, i in col.items()}, meta=meta)
