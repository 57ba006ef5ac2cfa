"""Train the TimeML trigger classifier (issue 24) on one half of TBAQ, judge it on the other.

    python scripts/train_event_model.py [--train-half A] [--gold EVENTS_GOLD.jsonl]
        [--cache /tmp/tbaq.spacy] [--out src/wirescope/resources/event_model.json.gz] [--C 0.5]

Every candidate token (extract/events/triggers.py: verbs, nouns, adjectives) of the
documents of the training half (evaluate/events.py's half_of, a hash of the document id)
is labelled with the class of the gold EVENT it overlaps, else "O"; a multinomial logistic
regression (scikit-learn) learns them from token_features. Printed: token-level P/R/F1 of
"is an event" and class accuracy on BOTH halves (the other half is the one that decides).
Weights are written rounded to integers at a fixed scale, features seen fewer than
`--min-count` times dropped, so the file stays small.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

from wirescope.evaluate.events import GoldDoc, half_of, load_gold
from wirescope.extract.events.triggers import NONE_CLASS, candidates, doc_words, token_features
from wirescope.nlp.parse import get_nlp, parse_many

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "data" / "events_tbaq_dev.jsonl"
OUT = ROOT / "src" / "wirescope" / "resources" / "event_model.json.gz"
SCALE = 1000


def parsed(gold: list[GoldDoc], cache: Path | None) -> list[Doc]:
    """The gold texts parsed as the pipeline parses them (cached in a DocBin if asked)."""
    nlp = get_nlp()
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [g.text for g in gold]:
            return docs
    docs = list(parse_many(g.text for g in gold))
    if cache is not None:
        db = DocBin(store_user_data=True)
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    return docs


def examples(gold: GoldDoc, doc: Doc) -> tuple[list[list[str]], list[str]]:
    """(features, label) of every candidate token of one document."""
    spans = sorted(gold.events, key=lambda e: e.span)
    taken: set[int] = set()
    feats: list[list[str]] = []
    labels: list[str] = []
    words = doc_words(doc)
    for tok in candidates(doc):
        label = NONE_CLASS
        for k, ev in enumerate(spans):
            if ev.span[0] < tok.idx + len(tok.text) and tok.idx < ev.span[1] and k not in taken:
                label = ev.cls
                taken.add(k)
                break
        feats.append(token_features(tok, words))
        labels.append(label)
    return feats, labels


def best_bias(vec: Any, model: Any, fx: list[list[str]], fy: list[str]) -> float:
    """The amount taken off the no-event score that gives the best token F1 on (fx, fy)."""
    scores = model.decision_function(vec.transform([{f: 1 for f in fs} for fs in fx]))
    o = list(model.classes_).index(NONE_CLASS)
    gold = np.asarray([g != NONE_CLASS for g in fy])
    best, best_f1 = 0.0, -1.0
    for bias in np.arange(-1.0, 2.01, 0.1):
        s = scores.copy()
        s[:, o] -= bias
        pred = s.argmax(axis=1) != o
        tp = float((pred & gold).sum())
        f1 = 2 * tp / max(float(pred.sum() + gold.sum()), 1.0)
        if f1 > best_f1:
            best, best_f1 = float(bias), f1
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--train-half", choices=("A", "B"), default="A")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--C", type=float, default=0.5)
    ap.add_argument("--min-count", type=int, default=2)
    args = ap.parse_args()

    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    gold = load_gold(args.gold)
    docs = parsed(gold, args.cache)
    halves: dict[str, tuple[list[list[str]], list[str]]] = {"A": ([], []), "B": ([], [])}
    inner: dict[int, tuple[list[list[str]], list[str]]] = {0: ([], []), 1: ([], [])}
    for g, d in zip(gold, docs, strict=True):
        f, y = examples(g, d)
        halves[half_of(g.id)][0].extend(f)
        halves[half_of(g.id)][1].extend(y)
        if half_of(g.id) == args.train_half:  # the training half, halved again
            k = hashlib.sha256(g.id.encode("utf-8")).digest()[1] & 1
            inner[k][0].extend(f)
            inner[k][1].extend(y)

    def fit(fx: list[list[str]], fy: list[str]) -> tuple[DictVectorizer, LogisticRegression]:
        counts = Counter(f for fs in fx for f in fs)
        keep = {f for f, n in counts.items() if n >= args.min_count}
        vec = DictVectorizer()
        x = vec.fit_transform([{f: 1 for f in fs if f in keep} for fs in fx])
        model = LogisticRegression(C=args.C, max_iter=400)
        model.fit(x, fy)
        return vec, model

    # How much to lower "no event" by: chosen on the training half alone (fit on one
    # quarter, judged on the other), since a model is surer of the data it was fit on.
    vec, model = fit(*inner[0])
    o_bias = best_bias(vec, model, *inner[1])
    print(f"bias against no event, from the training half's inner split: {o_bias:.2f}")
    vec, model = fit(*halves[args.train_half])
    model.intercept_[list(model.classes_).index(NONE_CLASS)] -= o_bias

    for half, (fx, fy) in halves.items():
        pred = model.predict(vec.transform([{f: 1 for f in fs} for fs in fx]))
        tp = sum(p != NONE_CLASS and g != NONE_CLASS for p, g in zip(pred, fy, strict=True))
        n_pred = sum(p != NONE_CLASS for p in pred)
        n_gold = sum(g != NONE_CLASS for g in fy)
        right = sum(p == g != NONE_CLASS for p, g in zip(pred, fy, strict=True))
        p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
        role = "train" if half == args.train_half else "held out"
        print(
            f"half {half} ({role}): {len(fy)} candidates, {n_gold} events; token P {p:.3f}"
            f" R {r:.3f} F1 {2 * p * r / max(p + r, 1e-9):.3f}; class acc {right / max(tp, 1):.3f}"
        )

    classes = [str(c) for c in model.classes_]
    order = [classes.index(NONE_CLASS)] + [i for i, c in enumerate(classes) if c != NONE_CLASS]
    coef = model.coef_[order].T  # (features, classes)
    names = vec.get_feature_names_out()
    feats, weights = [], []
    for name, row in zip(names, coef, strict=True):
        ints = [round(float(w) * SCALE) for w in row]
        if any(abs(w) >= 5 for w in ints):  # below 0.005 changes nothing
            feats.append(str(name))
            weights.append(ints)
    data = {
        "about": f"TimeML trigger classifier, scripts/train_event_model.py, TBAQ half "
        f"{args.train_half}, C={args.C}, min count {args.min_count}, no-event bias {o_bias:.2f}",
        "classes": [classes[i] for i in order],
        "scale": SCALE,
        "features": feats,
        "weights": weights,
        "bias": [round(float(b) * SCALE) for b in model.intercept_[order]],
    }
    args.out.write_bytes(gzip.compress(json.dumps(data, separators=(",", ":")).encode(), 9))
    print(f"wrote {args.out}: {len(feats)} features, {args.out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
