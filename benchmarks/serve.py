"""How fast does `wirescope serve` answer on a 10,000-article store?

Builds the synthetic corpus of benchmarks/store_queries.py (random text, 1-3 people
per article with transliteration variants, quotes by them: no NLP), starts a real
`wirescope serve` (uvicorn) on 127.0.0.1, and times over HTTP with keep-alive, one
request at a time: the home page, the people list, the article page, the page of a
person with about 400 quotes, search, the quotes API (every /quotes answer counts its
total and facets), a faceted quote query, and a 10,000-row CSV export (rows per second).
Prints p50/p95 per endpoint beside the 100 ms target; asserts nothing.

    .venv/bin/python benchmarks/serve.py [--articles 10000] [--requests 500]
    .venv/bin/python benchmarks/serve.py --db serve.db --src /path/to/other/checkout/src
    .venv/bin/python benchmarks/serve.py --pg postgresql://postgres@127.0.0.1:55432/wirescope_test
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_queries import PLACES, WORDS, make_record, person_pool

from wirescope.record.models import Record
from wirescope.store import ArticleKey, open_store

TARGET_P95_MS = 100.0
SRC = str(Path(__file__).resolve().parents[1] / "src")


def build(db: str, articles: int) -> None:
    rng = random.Random(7)
    pool = person_pool(rng)
    store = open_store(db)
    t0 = time.perf_counter()
    batch: list[tuple[ArticleKey, Record]] = []
    for i in range(articles):
        rec = make_record(i, rng, pool)
        batch.append((ArticleKey(rec.source["path"]), rec))
        if len(batch) == 500:
            store.write_batch(batch, [])
            batch = []
    store.write_batch(batch, [])
    print(f"wrote {store.count()} in {time.perf_counter() - t0:.0f} s")
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve(db: str, src: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("WIRESCOPE_WRITE_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "wirescope", "serve", "--db", db, "--port", str(port)], env=env
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/openapi.json").status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("wirescope serve did not start")


def timed(client: httpx.Client, paths: list[str], n: int, accept: str) -> list[float]:
    for path in paths[:20]:  # warm up
        client.get(path, headers={"Accept": accept})
    times = []
    for i in range(n):
        path = paths[i % len(paths)]
        t0 = time.perf_counter()
        r = client.get(path, headers={"Accept": accept})
        r.read()
        times.append((time.perf_counter() - t0) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{path}: HTTP {r.status_code}: {r.text[:200]}")
    return times


def run(db: str, label: str, requests: int, src: str = SRC) -> None:
    proc, url = serve(db, src)
    rng = random.Random(11)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            people = client.get("/people.json", params={"limit": 200}).json()["data"]
            person = min(people, key=lambda p: abs(p["quotes"] - 400))
            articles: list[str] = []
            cursor = None
            while len(articles) < 1000:
                params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
                page = client.get("/articles.json", params=params).json()
                articles += [a["url"] for a in page["data"]]
                cursor = page["next"]
                if cursor is None:
                    break
            rng.shuffle(articles)
            # Two kinds of search: names and places (a few hundred articles match each),
            # and two of the 44 words the synthetic text is made of (all 10,000 match:
            # the worst case, every article ranked).
            speakers = [p["name"] for p in people[:60]]
            names = [n.split()[-1] for n in speakers] + PLACES
            words = [f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(200)]
            cases = [
                ("home page", ["/"], "text/html"),
                ("people page (first 50)", ["/people"], "text/html"),
                ("people page (page 20)", ["/people?limit=50&cursor=eyJvIjogOTUwfQ"], "text/html"),
                (
                    "faceted quotes page (a word)",
                    [f"/quotes?about={w}&limit=50" for w in WORDS],
                    "text/html",
                ),
                ("article page", articles, "text/html"),
                (f"person page ({person['quotes']} quotes)", [person["url"]], "text/html"),
                ("search page (a name or place)", [f"/search?q={n}" for n in names], "text/html"),
                (
                    "search page (2 words, all match)",
                    [f"/search?q={w}" for w in words],
                    "text/html",
                ),
                (
                    "quotes API (speaker, 50)",
                    [f"/quotes?speaker={s}&limit=50" for s in speakers],
                    "application/json",
                ),
                ("quotes API (newest 50)", ["/quotes?limit=50"], "application/json"),
            ]
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"\n{label}: {url}, {requests} requests each, one at a time")
            print(f"machine: {os.cpu_count()} CPUs, load average {load} (shared machine)")
            print(f"{'endpoint':34} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  p95 < 100 ms")
            for name, paths, accept in cases:
                times = timed(client, paths, requests, accept)
                q = statistics.quantiles(times, n=100)
                p50, p95 = statistics.median(times), q[94]
                verdict = "yes" if p95 < TARGET_P95_MS else "NO"
                print(f"{name:34} {p50:7.1f} {p95:7.1f} {max(times):7.1f}  {verdict}")
            export(client)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def export(client: httpx.Client) -> None:
    """The first 10,000 quotes as CSV, streamed: rows per second (three runs, best)."""
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        rows = 0
        with client.stream("GET", "/quotes.csv", params={"limit": 200}) as r:
            if r.status_code != 200:
                print(f"{'CSV export (10,000 rows)':34} not served (HTTP {r.status_code})")
                return
            for _line in r.iter_lines():
                rows += 1
                if rows > 10_000:
                    break
        took = time.perf_counter() - t0
        best = took if best is None else min(best, took)
    print(f"{'CSV export (10,000 rows)':34} {best:.2f} s, {10_000 / best:,.0f} rows/s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--db", help="SQLite file to fill (default: a temporary one)")
    ap.add_argument("--src", default=SRC, help="serve this checkout's src/ (to compare)")
    ap.add_argument("--pg", metavar="URL", help="PostgreSQL server: run there too (own schema)")
    ap.add_argument(
        "--pg-schema", metavar="NAME", help="keep the PostgreSQL corpus in this schema and reuse it"
    )
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "serve-bench.db")
    if not Path(db).exists():
        build(db, args.articles)
    run(db, f"SQLite ({args.articles} articles), {args.src}", args.requests, args.src)
    if args.pg:
        import psycopg

        from wirescope.store.postgres import PostgresStore

        schema = args.pg_schema or f"bench_serve_{uuid.uuid4().hex[:8]}"
        pg = PostgresStore(args.pg, schema=schema)
        filled = pg.count()["articles"] > 0
        pg.close()
        dsn = args.pg + ("&" if "?" in args.pg else "?") + f"options=-csearch_path%3D{schema}"
        try:
            if not filled:
                build(dsn, args.articles)
            run(dsn, f"PostgreSQL ({args.articles} articles)", args.requests)
        finally:
            if not args.pg_schema:
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
