"""Quote-finder time against the number of quotation marks in one article.

Not a test: prints figures. Three one-paragraph articles per size, each built
from a repeated unit: an opening curly mark after a cue ("He said “"), a straight
mark after a cue ('She said "'), and closed curly pairs around four words. The
article is parsed once (spaCy, not timed in the quote column) and then
`extract_quotes` is timed alone. Each case runs in a child process with a time
limit, so a quadratic finder shows as "> LIMIT" instead of hanging the script.

    PYTHONPATH=src .venv/bin/python benchmarks/quote_marks.py [--sizes 1000,2000,5000,10000]
        [--limit 120]

Runs against whichever `wirescope` is on the path, so the same script measures
an older checkout too (PYTHONPATH=/tmp/old/src).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

UNITS = {
    "He said “": "He said \u201c",
    'She said "': 'She said "',
    "“a b c d” pairs": "\u201ca b c d\u201d he said. ",
}
MARKS_PER_UNIT = {"He said “": 1, 'She said "': 1, "“a b c d” pairs": 2}


def _child(kind: str, marks: int) -> None:
    from wirescope.extract.quotes import extract_quotes
    from wirescope.nlp.parse import parse_many
    from wirescope.reading.article import parse_article
    from wirescope.record.models import RawDocument

    text = UNITS[kind] * (marks // MARKS_PER_UNIT[kind]) + "\n"
    t0 = time.perf_counter()
    article = parse_article(RawDocument(text=text, path="<bench>", format="text"))
    (doc,) = parse_many([article.text])
    t1 = time.perf_counter()
    try:
        quotes = extract_quotes(article, doc)
        outcome = f"{len(quotes)} quotes"
    except Exception as exc:  # the capped finder refuses: report how fast
        outcome = f"refused: {type(exc).__name__}"
    t2 = time.perf_counter()
    print(json.dumps({"chars": len(text), "parse": t1 - t0, "quotes": t2 - t1, "out": outcome}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2000,5000,10000")
    ap.add_argument("--limit", type=float, default=120.0, help="seconds per case")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'article':<18} {'marks':>6} {'chars':>7} {'parse s':>8} {'quotes s':>9}  result")
    for kind in UNITS:
        over = False
        for n in sizes:
            if over:  # a larger article only takes longer
                print(f"{kind:<18} {n:>6} {'':>7} {'':>8} {'skipped':>9}")
                continue
            cmd = [sys.executable, __file__, "--child", kind, str(n)]
            try:
                res = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=args.limit, check=True
                )
            except subprocess.TimeoutExpired:
                print(f"{kind:<18} {n:>6} {'':>7} {'':>8} {'> ' + str(int(args.limit)):>9}")
                over = True
                continue
            r = json.loads(res.stdout.strip().splitlines()[-1])
            figures = f"{r['chars']:>7} {r['parse']:>8.2f} {r['quotes']:>9.3f}"
            print(f"{kind:<18} {n:>6} {figures}  {r['out']}")


if __name__ == "__main__":
    main()
