"""Pronoun agents and patients of events on the real news pages: how many the events
stage looked up and how many came back as an entity, and a sample of the resolved
ones (fixed seed) beside their sentence, for grading by hand (issue 24).

    python benchmarks/events_pronouns.py [--n 30] [--seed 24] [--pages DIR]

A "he", "she", "they", "I" ... that its own sentence does not name is asked of the
speaker resolution (pipeline/build.py's referent); this script wraps that lookup to
see every question and its answer, counted once per pronoun in the text.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from events_sample import DATA, sentence

import wirescope.pipeline.build as build
from wirescope.pipeline.build import FIRST_PERSON, process
from wirescope.reading.read import read_paths
from wirescope.record.models import Record

# The words the speaker resolution answers for (pronouns.py); "I" goes to a direct
# quote's speaker; anything else ("it", "we", "you") is asked but never answered.
THIRD = frozenset(["he", "him", "his", "she", "her", "hers", "they", "them", "their"])
KINDS = ("he/she/they", "I (a direct quote's speaker)", "other (it, we, you ...)")

# (span, word) -> entity id or None, as the events stage asked and was answered.
_ASKED: dict[tuple[tuple[int, int], str], str | None] = {}


def _logging_referent(*args, **kwargs):
    inner = _original(*args, **kwargs)

    def referent(span: tuple[int, int], word: str) -> str | None:
        eid = inner(span, word)
        _ASKED[(tuple(span), word)] = eid
        return eid

    return referent


_original = build._referent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=24)
    ap.add_argument("--pages", type=Path, default=DATA / "realnews_dev" / "pages")
    args = ap.parse_args()
    build._referent = _logging_referent  # the events stage looks its pronouns up here
    rows = []  # (page, word, entity name or None, in a quote, sentence)
    pages = 0
    for rec in process(read_paths([str(args.pages)])):
        if not isinstance(rec, Record):
            _ASKED.clear()
            continue
        pages += 1
        names = {e.id: e.name for e in rec.entities}
        in_quote = [q.span for q in rec.quotes]
        for (span, word), eid in sorted(_ASKED.items()):
            quoted = any(s <= span[0] < e for s, e in in_quote)
            name = names.get(eid, eid) if eid else None
            rows.append((Path(rec.source["path"]).name, word, name, quoted, rec.text, span))
        _ASKED.clear()
    kind: Counter[tuple[str, bool]] = Counter()
    for _, word, name, _, _, _ in rows:
        low = word.lower()
        k = KINDS[0] if low in THIRD else KINDS[1] if low in FIRST_PERSON else KINDS[2]
        kind[(k, name is not None)] += 1
    resolved = [r for r in rows if r[2] is not None]
    print(
        f"{pages} pages: {len(rows)} pronoun agents/patients looked up, "
        f"{len(resolved)} resolved to an entity ({len(resolved) / max(len(rows), 1):.1%})"
    )
    for k in KINDS:
        yes, no = kind[(k, True)], kind[(k, False)]
        print(f"  {k}: {yes} of {yes + no} resolved")
    picked = random.Random(args.seed).sample(resolved, min(args.n, len(resolved)))
    print(f"\n{len(picked)} resolved drawn (seed {args.seed}):\n")
    for k, (page, word, name, quoted, text, span) in enumerate(picked, 1):
        where = " (in a quote)" if quoted else ""
        print(f"[{k}] {word!r} -> {name}{where} | {page}")
        print(f"    {sentence(text, span[0])[:300]}")


if __name__ == "__main__":
    main()
