"""The GUM antecedent ranker beside the rules on realnews_dev and ggt_dev.

    PYTHONPATH=src .venv/bin/python benchmarks/antecedents_vs_rules.py [--model M.json]

Runs the whole pipeline over both sets once per configuration: the rules alone, and
the model (default: the shipped src/wirescope/resources/antecedent_model.json) ranking
pronouns only, descriptions only, and both. Prints, side by side, realnews_dev's
quote P / R, speaker accuracy and accuracy by resolved mention, and ggt_dev's
attributed F1@0.3 and speaker accuracy by the gold speaker's mention. The model's
meta "use_for" should name only kinds that beat the rules on both sets.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from wirescope.evaluate import quotes as q
from wirescope.evaluate import realnews as rn
from wirescope.extract.speaker_model import MODEL_FILE, RULES, SpeakerModel, load_model
from wirescope.pipeline.resources import Resources

_HERE = Path(__file__).resolve()
DATA = next(
    (p / "shared" / "data" for p in _HERE.parents[1:4] if (p / "shared" / "data").is_dir()),
    _HERE.parents[2] / "shared" / "data",
)
MODEL = _HERE.parents[1] / "src" / "wirescope" / "resources" / MODEL_FILE


def figures(resources: Resources, limit: int | None) -> dict[str, float]:
    out: dict[str, float] = {}
    graded = DATA / "realnews_dev" / "graded.json"
    pages = rn.load_graded(graded, limit=limit)
    records = rn.predict(rn.page_paths(graded, pages), resources=resources)
    fig = rn.score(pages, records).figures()
    out["rn P"] = fig["precision"]
    out["rn R"] = fig["recall"]
    out["rn spk"] = fig["speaker_acc"]
    out["rn aR"] = fig["attributed_recall"]
    for kind, k in fig["by_kind"].items():
        out[f"rn spk {kind}"] = k["accuracy"]
    gold = q.load_gold(DATA / "ggt_dev.jsonl", limit=limit)
    at = q.score(gold, q.predict(gold, resources=resources)).at[0.3]
    out["ggt aF1@0.3"] = at.attributed["overall"].f1
    for kind, m in at.by_mention.items():
        out[f"ggt spk {kind}"] = m.speaker_acc
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", type=Path, default=MODEL)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    model = load_model(args.model)
    base = Resources.shipped()
    configs: dict[str, SpeakerModel] = {
        "rules": RULES,
        "pronoun": replace(model, meta={**model.meta, "use_for": ["pronoun"]}),
        "nominal": replace(model, meta={**model.meta, "use_for": ["nominal"]}),
        "both": replace(model, meta={**model.meta, "use_for": ["pronoun", "nominal"]}),
    }
    table: dict[str, dict[str, float]] = {}
    for name, m in configs.items():
        t0 = time.perf_counter()
        table[name] = figures(replace(base, speaker_model=m), args.limit)
        print(f"{name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    rows = list(table["rules"])
    print(f"{'figure':<22}" + "".join(f"{n:>9}" for n in table))
    for r in rows:
        print(f"{r:<22}" + "".join(f"{table[n].get(r, float('nan')):9.3f}" for n in table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
