"""Quote provenance at scale, simulated: `wirescope quotations --rebuild` on a PostgreSQL
store of N synthetic articles, its time and memory, then the quotation page's latency.

Not a test: prints figures. The articles are benchmarks/store_scale.py's wire-sized
records (about 550 words and 8 quotes each, speakers from a Zipf-distributed pool of
300,000 people, loaded with COPY, no NLP), except that a share of them (--reprints,
30 % by default) are reprints of one of the 50 articles before them: the same text
under another outlet's name, minutes to two days later, each quote kept, trimmed at
either end or with a word substituted (half of them), and the speaker changed in a few
(5 %). So the rebuild has stories to link and quotations of 2 to about 10
occurrences to group, as a wire corpus has. Offsets of the substituted words stay
exact (the substitute has the same length), so every record is consistent.

    PYTHONPATH=src .venv/bin/python benchmarks/provenance_scale.py \
        --articles 10000,30000,100000 --dsn postgresql://postgres@127.0.0.1:55432/prov_sim

`--existing` measures a store as it is (no load, never dropped), e.g. the 1,000,000
articles of benchmarks/store_scale.py --keep (no reprints there: every quotation alone
but those whose words recur), with `--skip-rebuild` to time only the pages.

Sizes are cumulative: the store grows to each size in turn, and at each one the rebuild
(`python -m wirescope quotations --rebuild --db DSN`, a child process: its wall clock,
CPU and peak memory) and the page (`GET /quotations/{id}` through the web app, HTML
and JSON) are timed. The database named in --dsn is created if missing and DROPPED at
the end unless --keep.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
import store_scale

from wirescope.store.postgres import PostgresStore

OUTLETS = [f"outlet{i:02d}.example" for i in range(1, 41)]


class WireGenerator(store_scale.Generator):
    """store_scale's articles, a share of them reprints of a recent one."""

    def __init__(self, seed: int = 7, reprints: float = 0.3) -> None:
        super().__init__(seed)
        self.share = reprints
        self.recent: list[tuple[dict[str, Any], list[str]]] = []

    def reseed(self, seed: int) -> None:
        super().reseed(seed)
        self.recent = []  # each chunk of 2,000 is generated alone (loaders resume by chunk)

    def article(self, i: int, start: datetime) -> tuple[dict[str, Any], list[str]]:
        if self.recent and self.rng.random() < self.share:
            base, names = self.rng.choice(self.recent)
            return self.reprint(base, names, i), names
        rec, names = super().article(i, start)
        self.recent = [*self.recent[-49:], (rec, names)]
        return rec, names

    def reprint(self, base: dict[str, Any], names: list[str], i: int) -> dict[str, Any]:
        rng = self.rng
        rec = copy.deepcopy(base)
        outlet = rng.choice(OUTLETS)
        when = datetime.fromisoformat(base["published"]) + timedelta(minutes=rng.randint(5, 2880))
        text = rec["text"]
        for q in rec["quotes"]:
            a, b = q["span"]
            words = text[a:b].split(" ")
            edit = rng.random()
            if edit < 0.15 and len(words) > 8:  # trimmed at the start
                a += len(" ".join(words[: rng.randint(1, 3)])) + 1
            elif edit < 0.3 and len(words) > 8:  # trimmed at the end
                b -= len(" ".join(words[-rng.randint(1, 3) :])) + 1
            elif edit < 0.5:  # a word substituted (same length: offsets stay)
                k = rng.randrange(1, len(words) - 1)
                w = words[k]
                same = [x for x in self.words[:3000] if len(x) == len(w) and x != w]
                if same:
                    at = a + len(" ".join(words[:k])) + 1
                    text = text[:at] + rng.choice(same) + text[at + len(w) :]
            q["span"] = [a, b]
            q["text"] = text[a:b]
            spk = q["speaker"]
            if spk["name"] and len(names) > 1 and rng.random() < 0.05:  # misattributed
                other = rng.choice([n for n in names if n != spk["name"]])
                spk.update(text=other, name=other, entity=f"p{names.index(other) + 1}")
        for e in rec["entities"]:
            if e["type"] == "PERSON":
                e["quotes"] = [q["id"] for q in rec["quotes"] if q["speaker"]["entity"] == e["id"]]
        text += f"\nDistributed by {outlet} (item {i}).\n"  # each text its own id
        rec.update(
            text=text,
            id=hashlib.sha256(text.encode()).hexdigest()[:16],
            published=when.isoformat(),
            source={**rec["source"], "site_name": outlet},
        )
        return rec


def load(dsn: str, gen: WireGenerator, target: int) -> float:
    """Grow the store to `target` articles (chunks of 2,000, one process); seconds."""
    t = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS sim_chunks (chunk INTEGER PRIMARY KEY)")
        have = {c for (c,) in conn.execute("SELECT chunk FROM sim_chunks")}
        todo = [c * store_scale.CHUNK for c in range(target // store_scale.CHUNK) if c not in have]
        seen = {pid: ("", "", "") for (pid,) in conn.execute("SELECT person_id FROM people")}
        store_scale.load(conn, gen, todo, seen)
        conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - t


def rebuild(dsn: str) -> tuple[float, float, float, str]:
    """`wirescope quotations --rebuild` as a child process: wall s, CPU s, peak RSS MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wirescope", "quotations", "--rebuild", "--limit", "1", "--db", dsn],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of children is the largest child so far (KiB on Linux).
    return wall, cpu, after.ru_maxrss / 1024, done.stderr.strip()


def pct(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"p50 {ms[len(ms) // 2]:6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"


def quotation_sample(
    conn: psycopg.Connection[Any], n: int, salt: str = ""
) -> tuple[list[str], list[str]]:
    """The ids of the 20 most spread quotations, and of a sample of n of those seen twice
    or more (seeded by `salt`); serve.py times the same pages."""
    spread = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM quotations ORDER BY outlets DESC, occurrences DESC, id LIMIT 20"
        )
    ]
    sample = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM quotations WHERE occurrences > 1 ORDER BY md5(id || %s) LIMIT %s",
            (salt, n),
        )
    ]
    return spread, sample


def pages(dsn: str, repeat: int, seed: int) -> list[str]:
    """GET /quotations/{id} (HTML, then JSON) for quotations drawn at random among those
    of 2+ occurrences, and the 20 most spread; each timed once, after one warm-up."""
    from fastapi.testclient import TestClient

    from wirescope.web.app import create_app
    from wirescope.web.pages import Settings

    with psycopg.connect(dsn) as conn:
        spread, sample = quotation_sample(conn, repeat, str(seed))
        if len(sample) < repeat:  # a store without reprints: quotations of one quote
            sample += [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM quotations TABLESAMPLE SYSTEM (1) REPEATABLE (%s)"
                    " WHERE occurrences = 1 LIMIT %s",
                    (seed % 1000, repeat - len(sample)),
                )
            ]
        stats = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE occurrences > 1), max(occurrences),"
            " count(*) FILTER (WHERE disputed = 1) FROM quotations"
        ).fetchone()
        stories = conn.execute(
            "SELECT count(DISTINCT story_id), count(*) FILTER (WHERE origin = 0) FROM stories"
        ).fetchone()
    assert stats is not None and stories is not None
    out = [
        f"quotations {stats[0]:,} ({stats[1]:,} of 2+ occurrences, largest {stats[2]},"
        f" {stats[3]:,} disputed); stories {stories[0]:,}, reprints linked {stories[1]:,}"
    ]
    ids = spread + sample
    with TestClient(create_app(Settings(db=dsn))) as client:
        for suffix in ("", ".json"):
            assert client.get(f"/quotations/{ids[0]}{suffix}").status_code == 200
            ms = []
            for qid in ids:
                t = time.perf_counter()
                r = client.get(f"/quotations/{qid}{suffix}")
                ms.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (qid, r.status_code)
            out.append(f"GET /quotations/{{id}}{suffix or ' (HTML)'}: {len(ids)} pages  {pct(ms)}")
    return out


def measure_existing(dsn: str, repeat: int, skip_rebuild: bool) -> int:
    """The rebuild and the pages on a store as it is (nothing loaded, nothing dropped)."""
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    n = int(row[0]) if row else 0
    print(f"provenance at scale: {n:,} articles as stored, load average"
          f" {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores", flush=True)  # fmt: skip
    if not skip_rebuild:
        wall, cpu, rss, said = rebuild(dsn)
        print(
            f"{n:>9,} articles: quotations --rebuild {wall:7.1f} s wall, {cpu:7.1f} s CPU,"
            f" peak RSS {rss:,.0f} MiB, {wall / n * 1000:.2f} ms/article, load average"
            f" {os.getloadavg()[0]:.2f}  [{said}]",
            flush=True,
        )
    for line in pages(dsn, repeat, n):
        print(f"{n:>9,}   {line}", flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", default="10000,30000,100000", help="sizes, cumulative")
    default = os.environ.get("WIRESCOPE_TEST_PG", "postgresql://postgres@127.0.0.1:55432/x")
    ap.add_argument("--dsn", default=urlunsplit(urlsplit(default)._replace(path="/prov_sim")))
    ap.add_argument("--reprints", type=float, default=0.3)
    ap.add_argument("--repeat", type=int, default=200, help="pages timed per size")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument("--existing", action="store_true", help="measure the store as it is")
    ap.add_argument("--skip-rebuild", action="store_true", help="with --existing: pages only")
    args = ap.parse_args()
    if args.existing:
        return measure_existing(args.dsn, args.repeat, args.skip_rebuild)

    dbname = urlsplit(args.dsn).path.lstrip("/")
    admin = urlunsplit(urlsplit(args.dsn)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    PostgresStore(args.dsn).close()  # the schema
    gen = WireGenerator(reprints=args.reprints)
    print(
        f"provenance at scale: {dbname}, {args.reprints:.0%} reprints, load average"
        f" {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores",
        flush=True,
    )
    try:
        for target in sorted(int(n) for n in args.articles.split(",")):
            load_s = load(args.dsn, gen, target)
            wall, cpu, rss, said = rebuild(args.dsn)
            print(
                f"{target:>9,} articles (loaded in {load_s:.0f} s): quotations --rebuild"
                f" {wall:7.1f} s wall, {cpu:7.1f} s CPU, peak RSS {rss:,.0f} MiB,"
                f" {wall / target * 1000:.2f} ms/article, load average"
                f" {os.getloadavg()[0]:.2f}  [{said}]",
                flush=True,
            )
            for line in pages(args.dsn, args.repeat, target):
                print(f"{target:>9,}   {line}", flush=True)
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
