"""Thirty events drawn at random (fixed seed) from the real news pages, each beside its
sentence, for judging by hand (issue 24).

    python benchmarks/events_sample.py [--n 30] [--seed 24] [--pages DIR]

Prints each event's trigger, class, tense/polarity/modality, actors, patients, where, when
(anchored or inferred) and quote, then the sentence; and flags a `where` whose place is not
named in the sentence ("where outside the sentence"), which should not happen.
"""

from __future__ import annotations

import argparse
import os
import random
import re
from pathlib import Path

from wirescope.pipeline.build import process
from wirescope.reading.read import read_paths
from wirescope.record.models import Event, Record

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared") / "data"
_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n")


def sentence(text: str, pos: int) -> str:
    """The sentence (or line) holding offset `pos`."""
    starts = [0] + [m.end() for m in _END.finditer(text, 0, pos)]
    m = _END.search(text, pos)
    return " ".join(text[starts[-1] : m.start() if m else len(text)].split())


def describe(record: Record, ev: Event) -> list[str]:
    ents = {e.id: e for e in record.entities}

    def names(ids: list[str], texts: list[str]) -> str:
        return "; ".join([f"{ents[i].name} ({i})" if i in ents else i for i in ids] + texts)

    pos = (ev.trigger_span or ev.span)[0]
    sent = sentence(record.text, pos)
    place = ents.get(ev.where or "")
    lines = [
        f"trigger: {ev.trigger!r} {ev.event_class} tense={ev.tense} polarity={ev.polarity}"
        f" modality={ev.modality}",
        f"actors: {names(ev.actors, ev.actor_texts) or '-'}",
        f"patients: {names(ev.patients, ev.patient_texts) or '-'}",
        f"where: {place.name if place else '-'}   when: {ev.when or '-'} ({ev.when_source or '-'})"
        f"   quote: {ev.quote or '-'}",
        f"sentence: {sent}",
    ]
    if place is not None:
        written = [record.text[s:e] for s, e in place.mentions]
        if not any(w and w in sent for w in written):
            lines.append("  ! where outside the sentence")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=24)
    ap.add_argument("--pages", type=Path, default=DATA / "realnews_dev" / "pages")
    args = ap.parse_args()
    records = [r for r in process(read_paths([str(args.pages)])) if isinstance(r, Record)]
    pool = [(r, ev) for r in sorted(records, key=lambda r: r.source["path"]) for ev in r.events]
    picked = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    print(f"{len(records)} pages, {len(pool)} events; {len(picked)} drawn (seed {args.seed})\n")
    for k, (record, ev) in enumerate(picked, 1):
        print(f"[{k}] {Path(record.source['path']).name} {ev.id}")
        print("\n".join("    " + line for line in describe(record, ev)))
        print()


if __name__ == "__main__":
    main()
