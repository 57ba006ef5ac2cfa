"""Toponym scores on two document-level halves of a gold file, to tell a change that
generalizes from one that fits dev: tune on one half, read the other.

    PYTHONPATH=src python scripts/places_halves.py ../shared/data/places_trnews_dev.jsonl

Each article goes to half A or B by the md5 of its id (stable, independent of order);
the population baseline is printed beside each line, as `wirescope evaluate` does.
"""

from __future__ import annotations

import hashlib
import sys

from wirescope.evaluate.places import load_gold, predict, score


def half(doc_id: str) -> str:
    return "AB"[int(hashlib.md5(doc_id.encode("utf-8")).hexdigest(), 16) % 2]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-4].strip(), file=sys.stderr)
        return 2
    gold = load_gold(argv[0])
    predicted = predict(gold)
    print(f"{'':8}{'docs':>5}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}{'acc161':>8}{'baseline':>10}")
    for label in ("all", "A", "B"):
        pairs = [(g, p) for g, p in zip(gold, predicted, strict=True)
                 if label == "all" or half(g.id) == label]  # fmt: skip
        sc = score([g for g, _ in pairs], [p for _, p in pairs])
        r, b = sc.resolution, sc.baseline
        print(
            f"{label:8}{len(pairs):>5}{sc.precision:>7.3f}{sc.recall:>7.3f}{sc.f1:>7.3f}"
            f"{r.n:>6}{r.acc161:>8.3f}{b.acc161:>10.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
