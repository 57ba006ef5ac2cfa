"""Train the attribution-cue model (src/wirescope/resources/cue_model.json.gz).

Reads ONLY PolNeAR's train split. One example per candidate token of the project's own
parse (wirescope.nlp.parse.parse_many, so features match runtime); label 1 when the token
heads a gold cue span. A logistic regression over sparse string features
(wirescope.extract.cue_model.features), fitted in numpy with full-batch Adam and an L2
penalty. Nothing is random (zero start, full batches, a fixed order, a split by hash):
the same data gives the same weights, and the same bytes in the model file.

10 % of the train articles (chosen by a hash of the article id) are held out: the
decision threshold is the one that gives the best attributed F1@0.3 (quote matched
and speaker right) of the whole stances pipeline, rules + model, on those articles.
The dev sets are never read. `--check-content` reports how often the content and
source rules (quote_cues.model_content / model_source) agree with the gold of a gold cue.

    PYTHONPATH=src .venv/bin/python scripts/train_cue_model.py            # full run
    PYTHONPATH=src .venv/bin/python scripts/train_cue_model.py --limit 20 --out /tmp/m.json.gz

Parsed train is cached under --cache (default /tmp/wirescope_cue_cache).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, DocBin

from wirescope.evaluate.quotes import load_gold, score
from wirescope.extract.cue_model import MODEL_FILE, CueModel, features, quoted_mask
from wirescope.extract.quote_base import mention_span, para_of
from wirescope.extract.quote_cues import model_content, model_source
from wirescope.nlp.parse import get_nlp, parse_many
from wirescope.pipeline.build import Stages, build_record
from wirescope.pipeline.resources import Resources
from wirescope.reading.article import parse_article, split_paragraphs
from wirescope.record.models import RawDocument

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "polnear_train.jsonl"
OUT = ROOT / "src" / "wirescope" / "resources" / MODEL_FILE
CACHE = Path("/tmp/wirescope_cue_cache")
HELD_OUT = 10  # percent of train articles held out for the threshold
# Quote spans only: places, dates and events do not move them.
_STANCES = Stages(places=False, dates=False, events=False, stances=True)


def held_out(article_id: str) -> bool:
    digest = hashlib.sha1(article_id.encode("utf-8")).digest()
    return digest[0] * 100 // 256 < HELD_OUT


def load_rows(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def parsed(rows: list[dict[str, Any]], cache: Path) -> list[Doc]:
    """The parses of the rows' texts, from the cache when it holds these texts."""
    key = hashlib.sha1("\n".join(r["id"] for r in rows).encode("utf-8")).hexdigest()[:12]
    path = cache / f"train-{len(rows)}-{key}.spacy"
    nlp = get_nlp()
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(parse_many(r["text"] for r in rows))
    cache.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs


def cue_heads(doc: Doc, row: dict[str, Any]) -> set[int]:
    """Token indexes heading a gold cue span (the span's token whose head lies outside
    it, a verb first)."""
    heads: set[int] = set()
    starts = [t.idx for t in doc]
    for q in row["quotes"]:
        s, e = q.get("cue_start"), q.get("cue_end")
        if s is None or e is None or e <= s:
            continue
        lo = bisect.bisect_right(starts, s) - 1
        hi = bisect.bisect_left(starts, e)
        toks = [t for t in doc[max(lo, 0) : hi] if t.idx + len(t) > s and not t.is_space]
        if not toks:
            continue
        ids = {t.i for t in toks}
        tops = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        verbs = [t for t in tops if t.pos_ == "VERB"] or [t for t in toks if t.pos_ == "VERB"]
        heads.add((verbs or tops or toks)[0].i)
    return heads


def examples(
    docs: list[Doc], rows: list[dict[str, Any]], model: CueModel
) -> Iterator[tuple[int, list[str], int]]:
    """(article number, features, label) for every candidate token."""
    for n, (doc, row) in enumerate(zip(docs, rows, strict=True)):
        gold = cue_heads(doc, row)
        inq = quoted_mask(doc)
        in_cue = set()
        for q in row["quotes"]:
            if q.get("cue_start") is not None:
                in_cue.update(range(q["cue_start"], q["cue_end"]))
        for tok in doc:
            if not model.is_candidate(tok):
                continue
            if tok.i not in gold and tok.idx in in_cue:
                continue  # inside a multi-word cue but not its head: no label
            yield n, features(tok, inq[tok.i]), int(tok.i in gold)


def fit(
    x_ptr: np.ndarray,
    x_idx: np.ndarray,
    y: np.ndarray,
    n_feats: int,
    epochs: int,
    l2: float,
    lr: float = 0.05,
) -> tuple[np.ndarray, float]:
    """Logistic regression, full-batch Adam: deterministic (no sampling)."""
    w = np.zeros(n_feats, dtype=np.float64)
    b = 0.0
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    mb = vb = 0.0
    rows = np.repeat(np.arange(len(y)), np.diff(x_ptr))
    n = float(len(y))
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, epochs + 1):
        z = np.bincount(rows, weights=w[x_idx], minlength=len(y)) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = (p - y) / n
        g = np.bincount(x_idx, weights=err[rows], minlength=n_feats) + l2 * w
        gb = float(err.sum())
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        b -= lr * (mb / (1 - b1**t)) / (np.sqrt(vb / (1 - b2**t)) + eps)
    return w, b


def token_report(scored: list[tuple[float, int]]) -> str:
    """Log loss and the best token-level F1 of (probability, label) pairs."""
    probs = np.array([p for p, _ in scored])
    gold = np.array([y for _, y in scored], dtype=np.float64)
    loss = -np.mean(gold * np.log(probs + 1e-12) + (1 - gold) * np.log(1 - probs + 1e-12))
    best = (0.0, 0.0)
    for t in np.arange(0.1, 0.95, 0.05):
        pred = probs >= t
        tp = float((pred & (gold == 1)).sum())
        f1 = 2 * tp / (pred.sum() + gold.sum()) if tp else 0.0
        best = max(best, (f1, round(float(t), 2)))
    return f"log loss {loss:.4f}, best F1 {best[0]:.3f} at {best[1]} ({int(gold.sum())} cues)"


def content_report(rows: list[dict[str, Any]], docs: list[Doc]) -> None:
    """How often model_content/model_source of a gold cue head match the gold content
    (overlap >= 0.3 of the longer, pieces-aware) and source (any overlap)."""
    hit = total = none = src_ok = src_total = 0
    by_dep: Counter[str] = Counter()
    miss_dep: Counter[str] = Counter()
    for row, doc in zip(rows, docs, strict=True):
        paras = split_paragraphs(row["text"])
        for q in row["quotes"]:
            if q.get("cue_start") is None:
                continue
            heads = cue_heads(doc, {"quotes": [q]})
            if not heads:
                continue
            tok = doc[heads.pop()]
            total += 1
            span = model_content(tok, para_of(paras, tok.idx))
            key = (
                tok.pos_
                + ":"
                + ("ccomp" if any(c.dep_ == "ccomp" for c in tok.children) else tok.dep_)
            )
            by_dep[key] += 1
            if span is None:
                none += 1
                miss_dep[key] += 1
                continue
            pieces = q.get("quote_spans") or [[q["quote_start"], q["quote_end"]]]
            shared = sum(max(0, min(e, span[1]) - max(s, span[0])) for s, e in pieces)
            longer = max(sum(e - s for s, e in pieces), span[1] - span[0])
            if longer and shared / longer >= 0.3:
                hit += 1
            else:
                miss_dep[key] += 1
            src = model_source(tok)
            if q.get("has_source"):
                src_total += 1
                if src is not None:
                    s0, s1 = mention_span(src)
                    src_ok += any(min(e, s1) - max(s, s0) > 0 for s, e in q["speaker_spans"] or [])
            else:
                src_total += 1
                src_ok += src is None
    print(
        f"content: {hit}/{total} gold cues ({hit / max(total, 1):.3f}) overlap >= 0.3; "
        f"{none} without content; source right {src_ok}/{src_total}"
    )
    for key, n in by_dep.most_common(15):
        print(f"  {key:<20} {n:6d}  content missed {miss_dep[key] / n:.2f}")


def pipeline_scores(
    model: CueModel, rows: list[dict[str, Any]], docs: list[Doc], threshold: float
) -> dict[str, float]:
    """Quote P/R/F1, speaker accuracy and attributed F1 at 0.3 of the stances pipeline
    (rules + model at `threshold`) over some articles."""
    model.threshold = threshold
    records = []
    for row, doc in zip(rows, docs, strict=True):
        meta = dict(row.get("meta") or {})
        raw = RawDocument(text=row["text"], path=row["id"], format="jsonl", id=row["id"], meta=meta)
        records.append(
            build_record(
                parse_article(raw),
                doc,
                stages=_STANCES,
                resources=replace(Resources.shipped(), cue_model=model),
            )
        )
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as fh:
        fh.write("".join(json.dumps(r) + "\n" for r in rows))
        fh.flush()
        gold = load_gold(fh.name)
    at = score(gold, records, thresholds=(0.3,)).at[0.3]
    quotes = at.quotes["overall"]
    return {
        "P": quotes.precision,
        "R": quotes.recall,
        "F1": quotes.f1,
        "spk": at.speaker["overall"].value,
        "aF1": at.attributed["overall"].f1,
    }


def _fmt(figures: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.3f}" for k, v in figures.items())


def tune(model: CueModel, rows: list[dict[str, Any]], docs: list[Doc]) -> float:
    """The threshold with the best attributed F1@0.3 (quote matched AND speaker right)
    on held-out train articles: quote F1 alone would buy recall with wrong speakers."""
    base = pipeline_scores(model, rows, docs, 1.01)
    print(f"  rules only:      {_fmt(base)}")
    best: tuple[float, float, dict[str, float]] = (-1.0, 0.5, base)
    for k in range(20, 90, 5):
        t = k / 100
        figures = pipeline_scores(model, rows, docs, t)
        print(f"  threshold {t:.2f}: {_fmt(figures)}")
        if figures["aF1"] > best[0]:
            best = (figures["aF1"], t, figures)
    model.meta["held_out_rules_only"] = {k: round(v, 4) for k, v in base.items()}
    model.meta["held_out"] = {k: round(v, 4) for k, v in best[2].items()}
    return best[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=Path, default=TRAIN)
    ap.add_argument("--limit", type=int, default=None, help="first N train articles only")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--l2", type=float, default=3e-5)
    ap.add_argument("--min-count", type=int, default=2, help="drop rarer features")
    ap.add_argument("--threshold", type=float, default=None, help="skip threshold tuning")
    ap.add_argument("--no-tune", action="store_true", help="fit and report only")
    ap.add_argument("--check-content", action="store_true", help="report the content rule")
    args = ap.parse_args()
    t0 = time.perf_counter()

    rows = load_rows(args.train, args.limit)
    docs = parsed(rows, args.cache)
    print(f"{len(rows)} articles parsed ({time.perf_counter() - t0:.0f} s)", flush=True)
    if args.check_content:
        content_report(rows, docs)
        return

    # Candidate lemmas beyond verbs: non-verb heads of gold cues, seen at least twice.
    heads: Counter[str] = Counter()
    for doc, row in zip(docs, rows, strict=True):
        for i in cue_heads(doc, row):
            if doc[i].pos_ != "VERB":
                heads[doc[i].lemma_.lower()] += 1
    min_lemma = 2 if len(rows) > 100 else 1
    lemmas = frozenset(
        lem for lem, c in heads.items() if c >= min_lemma and lem.isalpha() and len(lem) > 1
    )
    probe = CueModel({}, 0.0, 0.5, lemmas, {})

    train_ix = [n for n, r in enumerate(rows) if not held_out(r["id"])]
    dev_ix = [n for n, r in enumerate(rows) if held_out(r["id"])]
    train_set = set(train_ix)
    counts: Counter[str] = Counter()
    data: list[tuple[list[str], int]] = []
    for n, feats, label in examples(docs, rows, probe):
        if n in train_set:
            data.append((feats, label))
            counts.update(set(feats))
    vocab = {
        f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= args.min_count))
    }
    ptr = [0]
    idx: list[int] = []
    ys: list[int] = []
    for feats, label in data:
        idx.extend(sorted({vocab[f] for f in feats if f in vocab}))
        ptr.append(len(idx))
        ys.append(label)
    x_ptr, x_idx, y = np.array(ptr), np.array(idx, dtype=np.int64), np.array(ys, dtype=np.float64)
    print(
        f"{len(ys)} training candidates ({int(y.sum())} cues), {len(vocab)} features, "
        f"{len(lemmas)} non-verb lemmas ({time.perf_counter() - t0:.0f} s)"
    )
    w, b = fit(x_ptr, x_idx, y, len(vocab), args.epochs, args.l2)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {f: round(float(w[k]), 4) for k, f in enumerate(names) if abs(w[k]) >= 1e-3}
    model = CueModel(
        weights=weights,
        bias=round(b, 4),
        threshold=0.5,
        lemmas=lemmas,
        meta={
            "trained_on": f"{args.train.name}: {len(train_ix)} articles "
            f"({len(dev_ix)} held out by id hash for the threshold)",
            "examples": len(ys),
            "epochs": args.epochs,
            "l2": args.l2,
        },
    )
    print(f"fitted ({time.perf_counter() - t0:.0f} s), {len(weights)} non-zero weights")
    dev_set = set(dev_ix)
    held = [(model.prob(f), label) for n, f, label in examples(docs, rows, model) if n in dev_set]
    if held:
        print("  held-out candidates: " + token_report(held))
    if args.no_tune:
        return
    if args.threshold is not None:
        model.threshold = args.threshold
        model.meta["threshold_from"] = "--threshold"
    elif dev_ix:
        model.threshold = tune(model, [rows[n] for n in dev_ix], [docs[n] for n in dev_ix])
        model.meta["threshold_from"] = "held-out train articles, best attributed F1@0.3"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"threshold {model.threshold} -> {args.out} ({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
