"""Mine attribution cue lemmas from PolNeAR's train split into resources/cues.json.

For every verb that governs a clausal complement (the shape of reported speech),
count how often its span is an annotated cue. The ratio is the lemma's precision as
a cue; the quote extractor uses it as confidence and to drop lemmas that are
rarely attributions. Only the train split is read; dev sets are never mined.

    .venv/bin/python scripts/mine_cues.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from wirescope.nlp.parse import get_nlp

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "polnear_train.jsonl"
OUT = ROOT / "src" / "wirescope" / "resources" / "cues.json"

# Cues of the canonical fixture and of wire style: always kept, whatever the counts.
FLOOR = [
    "say",
    "add",
    "note",
    "maintain",
    "stress",
    "acknowledge",
    "tell",
    "state",
    "announce",
    "declare",
    "explain",
    "insist",
    "warn",
    "claim",
    "emphasize",
    "underline",
    "underscore",
    "reiterate",
    "affirm",
    "assert",
    "argue",
    "write",
    "tweet",
    "report",
    "confirm",
    "deny",
    "suggest",
    "remark",
    "comment",
    "reply",
    "respond",
    "predict",
    "allege",
    "admit",
    "concede",
    "recall",
    "urge",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    rows = [json.loads(line) for line in TRAIN.open(encoding="utf-8")]
    if args.limit:
        rows = rows[: args.limit]
    nlp = get_nlp()
    seen: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    for row, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=16), strict=True):
        cue_chars = set()
        for q in row["quotes"]:
            if q.get("cue_start") is not None:
                cue_chars.update(range(q["cue_start"], q["cue_end"]))
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "ccomp" for c in tok.children):
                continue
            lemma = tok.lemma_.lower()
            seen[lemma] += 1
            if tok.idx in cue_chars:
                hit[lemma] += 1
    verbs = {}
    for lemma, n in seen.items():
        if lemma in FLOOR or (hit[lemma] >= 3 and hit[lemma] / n >= 0.2):
            verbs[lemma] = {"seen": n, "cue": hit[lemma], "p": round(hit[lemma] / n, 3)}
    out = {
        "source": f"{TRAIN.name} ({len(rows)} articles), verbs governing a ccomp",
        "floor": FLOOR,
        "verbs": dict(sorted(verbs.items(), key=lambda kv: -kv[1]["cue"])),
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{len(verbs)} cue lemmas -> {OUT}")


if __name__ == "__main__":
    main()
