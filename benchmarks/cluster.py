"""Ingest on a Dask LocalCluster beside ingest's own process pool, same corpus, one run.

Not a test: prints figures. Each configuration runs `wirescope ingest` as a command,
into its own fresh PostgreSQL schema, and is timed whole (start, model loads, people
matched, exit) and by its own summary line (articles/s from the first batch on).

    .venv/bin/python benchmarks/cluster.py [--articles 400] [--dsn postgresql://...]

Targets (issue 12): LocalCluster of 2 workers >= 1.6 x 1 worker, and >= 0.9 x
`ingest --workers 2` (the engine's overhead). The corpus is benchmarks/throughput.py's:
gensim's Lee corpus, then the texts of ../shared/data. The machine's load average is
printed before and after: on a shared machine the figures mean little when it is high.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import write_corpus

TARGET_SCALE = 1.6  # LocalCluster 2 workers / 1 worker
TARGET_ENGINE = 0.9  # LocalCluster 2 workers / ingest --workers 2
SRC = Path(__file__).resolve().parents[1] / "src"


def run(paths: list[str], dsn: str, extra: list[str]) -> tuple[float, float, str]:
    """(wall seconds, articles/s from the summary line, summary line) of one ingest;
    after a cluster ingest, `people --rebuild` is timed too (printed)."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    db = f"{dsn}?options={quote(f'-csearch_path={schema}')}"
    cmd = [sys.executable, "-m", "wirescope", "ingest", *paths, "--db", db, *extra]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    try:
        t = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t
        if "--cluster" in extra and done.returncode == 0:
            t = time.perf_counter()
            rebuilt = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "wirescope",
                    "people",
                    "--rebuild",
                    "--db",
                    db,
                    "--limit",
                    "1",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            print(
                f"  people --rebuild after `ingest {' '.join(extra)}`:"
                f" {time.perf_counter() - t:.1f} s wall"
                f" [{rebuilt.stderr.strip().splitlines()[-1] if rebuilt.stderr else ''}]"
            )
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]
    summary = next(
        (ln for ln in done.stderr.splitlines() if ln.startswith("wirescope: ingested")), ""
    )
    if done.returncode != 0 or not summary:
        raise SystemExit(f"{' '.join(extra)} failed:\n{done.stderr[-2000:]}")
    rate = float(re.search(r"\(([\d.]+) articles/s\)", summary).group(1))  # type: ignore[union-attr]
    return wall, rate, summary.removeprefix("wirescope: ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--dsn", default=os.environ.get("WIRESCOPE_TEST_PG"))
    args = ap.parse_args()
    if not args.dsn:
        raise SystemExit("give --dsn postgresql://... or set WIRESCOPE_TEST_PG")
    configs = {
        "ingest --workers 1": ["--workers", "1"],
        "ingest --workers 2": ["--workers", "2"],
        "ingest --cluster local:1": ["--cluster", "local:1"],
        "ingest --cluster local:2": ["--cluster", "local:2"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        paths, words = write_corpus(args.articles, Path(tmp))
        print(f"corpus: {args.articles} articles, {words:,} words, {len(paths)} JSONL files")
        print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
        results = {}
        for label, extra in configs.items():
            wall, rate, summary = run(paths, args.dsn, extra)
            results[label] = (wall, rate)
            print(
                f"{label:26} {wall:7.1f} s wall  {args.articles / wall:6.2f} articles/s wall"
                f"  {rate:6.2f} articles/s by its summary   [{summary}]",
                flush=True,
            )
        print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")
    for basis in (0, 1):  # wall clock, then the summaries' rates
        name = "wall" if basis == 0 else "summary rate"

        def speed(label: str, basis: int = basis) -> float:
            wall, rate = results[label]
            return args.articles / wall if basis == 0 else rate

        c2, c1 = speed("ingest --cluster local:2"), speed("ingest --cluster local:1")
        w2 = speed("ingest --workers 2")
        print(
            f"{name:13} local:2 / local:1 = {c2 / c1:.2f} (target >= {TARGET_SCALE}),"
            f" local:2 / --workers 2 = {c2 / w2:.2f} (target >= {TARGET_ENGINE})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
