"""Pipeline speed of this tree against an earlier revision, same texts, same run.

    python benchmarks/speed_vs.py REV [--runs 2] [--polnear 31]

Checks REV out into a temporary git worktree, then times the default pipeline
(`process(..., stages=FULL)`, spaCy parsing included) over the ggt_dev texts plus the
first N polnear_dev texts, in one child process per tree, the trees interleaved,
best of `--runs`. CPU seconds are the figure to compare on a shared machine; wall
seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, or where WIRESCOPE_SHARED says (as for the tests)
DATA = Path(os.environ.get("WIRESCOPE_SHARED") or ROOT.parent / "shared") / "data"


def child(label: str, runs: int, polnear: int) -> None:
    """Runs inside the tree under test (its src/ first on sys.path)."""
    try:
        from wirescope.evaluate.quotes import load_gold
        from wirescope.nlp.parse import get_nlp
        from wirescope.record.models import RawDocument, Record

        try:
            from wirescope.pipeline.build import FULL, process
        except ImportError:  # before issue 20 moved the pipeline out of record/
            from wirescope.record.pipeline import FULL, process  # type: ignore[no-redef]
    except ImportError:  # a tree from before the layout by data flow (up to dc54a60)
        from wirescope.models import RawDocument, Record  # type: ignore[no-redef]

        from wirescope.evaluate import load_gold  # type: ignore[no-redef]
        from wirescope.nlp import get_nlp  # type: ignore[no-redef]
        from wirescope.pipeline import FULL, process  # type: ignore[no-redef]

    gold = load_gold(DATA / "ggt_dev.jsonl") + load_gold(DATA / "polnear_dev.jsonl", limit=polnear)
    get_nlp()

    def docs() -> list[RawDocument]:
        return [RawDocument(text=g.text, path=g.id, format="jsonl", id=g.id) for g in gold]

    list(process(docs(), stages=FULL))  # warm the model, gazetteer and caches
    best: tuple[float, float] | None = None
    n = 0
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        n = sum(1 for r in process(docs(), stages=FULL) if isinstance(r, Record))
        took = (time.process_time() - c0, time.perf_counter() - w0)
        best = took if best is None else min(best, took)
    assert best is not None
    words = sum(len(g.text.split()) for g in gold)
    print(
        json.dumps(
            {"label": label, "articles": n, "cpu_s": best[0], "wall_s": best[1], "words": words}
        )
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("rev", help="the earlier revision (commit, tag or branch)")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--polnear", type=int, default=31, help="polnear_dev texts added to ggt_dev")
    ap.add_argument("--child", nargs=1, metavar="LABEL", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.runs, args.polnear)
        return 0
    with tempfile.TemporaryDirectory(prefix="wirescope-speed-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.rev],
            check=True,
            capture_output=True,
        )
        try:
            trees = [("now", ROOT), (args.rev, old)]
            results: dict[str, list[dict[str, float]]] = {label: [] for label, _ in trees}
            for k in range(2):  # interleave, the order flipped on the second round
                for label, tree in trees if k == 0 else trees[::-1]:
                    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
                    out = subprocess.run(
                        [
                            sys.executable,
                            str(Path(__file__).resolve()),
                            args.rev,
                            "--child",
                            label,
                            "--runs",
                            str(args.runs),
                            "--polnear",
                            str(args.polnear),
                        ],
                        env=env,
                        check=True,
                        capture_output=True,
                        text=True,
                    ).stdout
                    results[label].append(json.loads(out.strip().splitlines()[-1]))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                capture_output=True,
            )
    print(
        f"{'tree':<16} {'articles':>8} {'cpu s':>7} {'wall s':>7} "
        f"{'art/cpu-s':>9} {'words/cpu-s':>11}"
    )
    best = {}
    for label, rs in results.items():
        r = min(rs, key=lambda x: x["cpu_s"])
        best[label] = r["cpu_s"]
        print(
            f"{label:<16} {r['articles']:>8} {r['cpu_s']:>7.2f} {r['wall_s']:>7.2f} "
            f"{r['articles'] / r['cpu_s']:>9.2f} {r['words'] / r['cpu_s']:>11.0f}"
        )
    change = (best["now"] / best[args.rev] - 1) * 100
    print(f"CPU per article, now against {args.rev}: {change:+.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
