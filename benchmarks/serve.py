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
    .venv/bin/python benchmarks/serve.py --db serve.db \
        --dsn postgresql://postgres@127.0.0.1:55432/wirescope_sim1m --requests 200

--dsn times a PostgreSQL store as it is (benchmarks/store_scale.py's simulated million
articles; nothing is written): the same pages, words drawn as store_scale draws them,
and a quotation's page where `quotations --rebuild` has grouped them; then prints its
figures side by side with the SQLite store's. The load average is printed beside every
figure: the machine is shared.
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


Figures = dict[str, tuple[float, float, float, float]]  # case -> p50, p95, max, load


def sim_words(rng: random.Random, n: int) -> list[str]:
    """Words as store_scale.py's queries draw them: ranked 50-2,000 in its vocabulary."""
    import store_scale

    words, _ = store_scale.vocabulary()
    pool = [w for w in words[50:2000] if len(w) > 3]
    return [rng.choice(pool) for _ in range(n)]


def quotation_ids(dsn: str, n: int) -> list[str]:
    """The 20 most spread quotations and a seeded sample of those seen twice or more
    (as benchmarks/provenance_scale.py draws them); none where nothing is grouped."""
    import psycopg
    from provenance_scale import quotation_sample

    with psycopg.connect(dsn) as conn:
        spread, sample = quotation_sample(conn, n)
    return spread + sample


def run(
    db: str,
    label: str,
    requests: int,
    src: str = SRC,
    *,
    sim: bool = False,
    only: list[str] | None = None,
) -> tuple[Figures, str | None]:
    """Times each page; sim: the store is store_scale.py's (its words, its quotations).
    Returns the figures by case, and the CSV export's line."""
    proc, url = serve(db, src)
    rng = random.Random(11)
    figures: Figures = {}
    exported = None
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
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
            vocab = sim_words(rng, 200) if sim else WORDS
            words = [f"{rng.choice(vocab)} {rng.choice(vocab)}" for _ in range(200)]
            quotations = quotation_ids(db, 200) if sim else []
            cases = [
                ("home page", ["/"], "text/html"),
                ("people page (first 50)", ["/people"], "text/html"),
                ("people page (page 20)", ["/people?limit=50&cursor=eyJvIjogOTUwfQ"], "text/html"),
                (
                    "faceted quotes page (a word)",
                    [f"/quotes?about={w}&limit=50" for w in vocab],
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
            if quotations:
                cases.append(
                    ("quotation page", [f"/quotations/{q}" for q in quotations], "text/html")
                )
            if only:
                cases = [c for c in cases if any(c[0].startswith(o) for o in only)]
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"\n{label}: {url}, {requests} requests each, one at a time")
            print(f"machine: {os.cpu_count()} CPUs, load average {load} (shared machine)")
            print(
                f"{'endpoint':34} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  p95 < 100 ms"
                "  load (1 min)"
            )
            for name, paths, accept in cases:
                times = timed(client, paths, requests, accept)
                q = statistics.quantiles(times, n=100)
                p50, p95 = statistics.median(times), q[94]
                verdict = "yes" if p95 < TARGET_P95_MS else "NO"
                now = os.getloadavg()[0]
                figures[name] = (p50, p95, max(times), now)
                print(
                    f"{name:34} {p50:7.1f} {p95:7.1f} {max(times):7.1f}  {verdict:12} {now:5.1f}",
                    flush=True,
                )
            if not only or any("CSV".startswith(o) for o in only):
                exported = export(client)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return figures, exported


def side_by_side(a_label: str, a: Figures, b_label: str, b: Figures) -> None:
    """Two runs' figures in one table, each with the load average when it was taken."""
    print(f"\n{'endpoint':34} {a_label:>28}   {b_label:>28}")
    print(f"{'':34} {'p50 / p95 ms (load)':>28}   {'p50 / p95 ms (load)':>28}")
    for name in list(dict.fromkeys([*a, *b])):
        cells = []
        for figs in (a, b):
            if name in figs:
                p50, p95, _, load = figs[name]
                cells.append(f"{p50:7.1f} / {p95:7.1f} ({load:4.1f})")
            else:
                cells.append("-")
        print(f"{name:34} {cells[0]:>28}   {cells[1]:>28}")


def export(client: httpx.Client) -> str:
    """The first 10,000 quotes as CSV, streamed: rows per second (three runs, best)."""
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        rows = 0
        with client.stream("GET", "/quotes.csv", params={"limit": 200}) as r:
            if r.status_code != 200:
                line = f"{'CSV export (10,000 rows)':34} not served (HTTP {r.status_code})"
                print(line)
                return line
            for _line in r.iter_lines():
                rows += 1
                if rows > 10_000:
                    break
        took = time.perf_counter() - t0
        best = took if best is None else min(best, took)
    line = (
        f"{'CSV export (10,000 rows)':34} {best:.2f} s, {10_000 / best:,.0f} rows/s,"
        f" load {os.getloadavg()[0]:.1f}"
    )
    print(line, flush=True)
    return line


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
    ap.add_argument(
        "--dsn",
        metavar="URL",
        help="an existing PostgreSQL store (store_scale.py's) to time as it is, after SQLite",
    )
    ap.add_argument("--dsn-requests", type=int, help="requests per page there (default --requests)")
    ap.add_argument(
        "--only",
        help="comma-separated page names (their starts) to time, e.g. 'home,people,faceted'",
    )
    ap.add_argument("--skip-sqlite", action="store_true", help="time --dsn only")
    args = ap.parse_args()
    only = [o.strip() for o in args.only.split(",")] if args.only else None
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "serve-bench.db")
    lite: Figures = {}
    if not args.skip_sqlite:
        if not Path(db).exists():
            build(db, args.articles)
        lite_label = f"SQLite ({args.articles} articles), {args.src}"
        lite, _ = run(db, lite_label, args.requests, args.src, only=only)
    if args.dsn:
        import psycopg

        with psycopg.connect(args.dsn) as conn:
            (n,) = conn.execute("SELECT count(*) FROM articles").fetchone()  # type: ignore[misc]
        big, _ = run(
            args.dsn,
            f"PostgreSQL ({n:,} articles, {args.dsn})",
            args.dsn_requests or args.requests,
            args.src,
            sim=True,
            only=only,
        )
        side_by_side(f"SQLite {args.articles:,}", lite, f"PostgreSQL {n:,}", big)
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
