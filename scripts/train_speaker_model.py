"""Train the speaker ranker (extract/speaker_model.py) and write its JSON weights.

    PYTHONPATH=src .venv/bin/python scripts/train_speaker_model.py GOLD.jsonl ... --out M.json

One example per pronoun or nominal speaker decision of the rules-only pipeline whose
quote matches a gold quote with a resolved speaker name (`speaker_canonical`); the
label is the candidate bearing that name (wirescope.evaluate.speakers). PolNeAR has no
resolved names and yields no examples: the ranker learns from GGT-style annotation.
Never train on a set you then report figures on: benchmarks/cv_quotes.py trains it
per fold (other articles only) and prints the held-out figures beside the rules'.

The package loads src/wirescope/resources/speaker_model.json when that file exists
(else the rules decide alone); ship one only when cross-validation shows it beats the
rules. Nothing is random: the same data gives the same weights.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from wirescope.evaluate.quotes import load_gold
from wirescope.evaluate.speakers import Example, labelled_decisions
from wirescope.extract.cue_model import shipped_model
from wirescope.extract.speaker_model import train
from wirescope.nlp.parse import parse_many
from wirescope.reading.article import parse_article
from wirescope.record.models import RawDocument


def examples_of(path: Path, limit: int | None) -> list[Example]:
    gold = load_gold(path, limit=limit)
    raws = [
        RawDocument(text=g.text, path=f"gold:{g.id}", format="jsonl", id=g.id, meta=dict(g.meta))
        for g in gold
    ]
    articles = [parse_article(r) for r in raws]
    docs = parse_many([a.text for a in articles])
    cues = shipped_model()  # the pipeline's default: quotes as build_record finds them
    out: list[Example] = []
    for g, a, d in zip(gold, articles, docs, strict=True):
        out.extend(labelled_decisions(g, a, d, cues))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("gold", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=None, help="articles per gold file")
    ap.add_argument("--l2", type=float, default=3.0)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    examples: list[Example] = []
    for path in args.gold:
        found = examples_of(path, args.limit)
        print(f"{path.name}: {len(found)} labelled speaker decisions")
        examples.extend(found)
    if not examples:
        print("no labelled decisions: nothing to train on", file=sys.stderr)
        return 1
    model = train(examples, l2=args.l2)
    model.meta["trained_on"] = [p.name for p in args.gold]
    model.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(model.weights)} weights, "
        f"{time.perf_counter() - start:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
