"""Quote and speaker figures with k-fold cross-validation by article, beside the plain figure.

    .venv/bin/python benchmarks/cv_quotes.py                     # ggt_dev and polnear_dev, 5 folds
    .venv/bin/python benchmarks/cv_quotes.py GOLD.jsonl --folds 5 --stances

The plain figure runs the shipped pipeline over every article. The cross-validated
one splits the articles into k folds (by article id, fixed); for each fold the
speaker model is trained on the other folds' articles plus PolNeAR train
(../shared/data/polnear_train.jsonl) and scores the held fold only; per-fold
figures and their mean are printed, with the pooled figure over all held folds.
A rule change has no training step, so its folds only show the spread.

Parsed Docs are cached as DocBins under $WIRESCOPE_DOC_CACHE (default
/tmp/wirescope-docs), keyed by a hash of the analysed text, so a rerun costs the
extraction only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from spacy.tokens import Doc, DocBin

from wirescope.evaluate.quotes import GoldArticle, Scores, load_gold, score
from wirescope.evaluate.speakers import labelled_decisions
from wirescope.extract.cue_model import shipped_model
from wirescope.extract.speaker_model import RULES, SpeakerModel, train
from wirescope.nlp.parse import get_nlp, parse_many
from wirescope.pipeline.build import ATTRIBUTIONS, FULL, Stages, build_record
from wirescope.pipeline.resources import Resources
from wirescope.reading.article import parse_article
from wirescope.record.models import Article, RawDocument, Record

_HERE = Path(__file__).resolve()
# ../shared/data beside the checkout (a worktree sits one level deeper)
DATA = next(
    (p / "shared" / "data" for p in _HERE.parents[1:4] if (p / "shared" / "data").is_dir()),
    _HERE.parents[2] / "shared" / "data",
)
DEFAULT = [DATA / "ggt_dev.jsonl", DATA / "polnear_dev.jsonl"]
CACHE = Path(os.environ.get("WIRESCOPE_DOC_CACHE", "/tmp/wirescope-docs"))


def articles_of(gold: Sequence[GoldArticle]) -> list[Article]:
    return [
        parse_article(
            RawDocument(
                text=g.text, path=f"gold:{g.id}", format="jsonl", id=g.id, meta=dict(g.meta)
            )
        )
        for g in gold
    ]


def cached_docs(articles: Sequence[Article]) -> list[Doc]:
    """One parsed Doc per article, from the DocBin cache when its text is unchanged."""
    key = hashlib.sha256("\0".join(a.text for a in articles).encode()).hexdigest()[:20]
    path = CACHE / f"{key}.spacy"
    nlp = get_nlp()
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(docs) == len(articles) and all(
            d.text == a.text for d, a in zip(docs, articles, strict=True)
        ):
            return docs
    docs = list(parse_many([a.text for a in articles]))
    CACHE.mkdir(parents=True, exist_ok=True)
    bin_ = DocBin(store_user_data=False)
    for d in docs:
        bin_.add(d)
    bin_.to_disk(path)
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))


def fold_of(article_id: str, k: int) -> int:
    """A fixed fold per article: the same split on every run and machine."""
    return zlib.crc32(article_id.encode()) % k


def run(
    articles: Sequence[Article],
    docs: Sequence[Doc],
    stages: Stages,
    model: SpeakerModel | None = None,
) -> list[Record]:
    return [
        build_record(
            a, d, stages=stages, resources=replace(Resources.shipped(), speaker_model=model)
        )
        for a, d in zip(articles, docs, strict=True)
    ]


def figures(s: Scores) -> dict[str, float]:
    t = s.at[0.3]
    out = {
        "quote_f1": t.quotes["overall"].f1,
        "quote_f1_08": s.at[0.8].quotes["overall"].f1,
        "speaker_acc": t.speaker["overall"].value,
        "attributed_f1": t.attributed["overall"].f1,
    }
    for kind in ("pronoun", "nominal", "name"):
        row = t.by_mention[kind]
        out[f"spk_{kind}"] = row.speaker_right / row.matched if row.matched else float("nan")
    return out


COLUMNS = [
    "quote_f1",
    "quote_f1_08",
    "speaker_acc",
    "attributed_f1",
    "spk_name",
    "spk_pronoun",
    "spk_nominal",
]


def line(label: str, f: dict[str, float], n: int) -> str:
    return f"{label:<10} {n:>4} " + " ".join(f"{f[c]:>8.3f}" for c in COLUMNS)


def header() -> str:
    return f"{'':<10} {'arts':>4} " + " ".join(f"{c[:8]:>8}" for c in COLUMNS)


def evaluate_file(path: Path, k: int, stances: bool, rules: bool = False) -> None:
    gold = load_gold(path)
    stages = ATTRIBUTIONS if stances else FULL
    t0 = time.perf_counter()
    articles = articles_of(gold)
    docs = cached_docs(articles)
    t1 = time.perf_counter()
    print(
        f"{path.name}{' +stances' if stances else ''}: {len(gold)} articles "
        f"(docs ready in {t1 - t0:.1f} s)"
    )
    print(header())
    plain = score(gold, run(articles, docs, stages, RULES if rules else None))
    print(line("plain", figures(plain), len(gold)))
    held: list[Record] = []
    per_fold: list[dict[str, float]] = []
    examples = (
        [[] for _ in gold]
        if rules
        else [
            labelled_decisions(g, a, d, shipped_model())
            for g, a, d in zip(gold, articles, docs, strict=True)
        ]
    )
    for f in range(k):
        idx = [i for i, g in enumerate(gold) if fold_of(g.id, k) == f]
        rest = [ex for i, g in enumerate(gold) if fold_of(g.id, k) != f for ex in examples[i]]
        model = RULES if rules or not rest else train(rest)
        sub = [gold[i] for i in idx]
        recs = run([articles[i] for i in idx], [docs[i] for i in idx], stages, model)
        held.extend(recs)
        fig = figures(score(sub, recs))
        per_fold.append(fig)
        note = "rules" if rules else f"trained on {len(rest)} mentions"
        print(line(f"fold {f}", fig, len(sub)) + f"  ({note})")
    mean = {
        c: sum(p[c] for p in per_fold if p[c] == p[c]) / max(1, sum(p[c] == p[c] for p in per_fold))
        for c in COLUMNS
    }
    print(line("cv mean", mean, len(gold)))
    print(line("cv pooled", figures(score(gold, held)), len(gold)))
    print(f"({time.perf_counter() - t1:.1f} s)")
    print()


def _mean(values: list[float]) -> float:
    known = [v for v in values if v == v]  # a fold without pronoun speakers has NaN
    return sum(known) / len(known) if known else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("gold", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--stances", action="store_true")
    ap.add_argument("--rules", action="store_true", help="the rules alone (no speaker model)")
    args = ap.parse_args(argv)
    for path in args.gold:
        evaluate_file(path, args.folds, args.stances, args.rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
