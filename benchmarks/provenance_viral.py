"""A quotation reprinted N times, added to a store as ingest adds articles: the time
write_batch takes per batch (grouping included, against everything stored), then the
quotation page's latency for that one quotation of N+1 occurrences.

Not a test: prints figures. Run it on a store benchmarks/provenance_scale.py loaded
(--keep), to see incremental grouping and the largest page at that size:

    PYTHONPATH=src .venv/bin/python benchmarks/provenance_viral.py \
        --dsn postgresql://postgres@127.0.0.1:55432/prov_sim --copies 300

The copies are records of one stored article under other outlets' names, an hour
apart, each with its own closing line (its own id); they stay in the store afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from datetime import datetime, timedelta

from wirescope.record.serialize import record_from_dict
from wirescope.store.base import ArticleKey
from wirescope.store.postgres import PostgresStore


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--copies", type=int, default=300)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()

    store = PostgresStore(args.dsn)
    n = int(store.conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    aid, doc = store.conn.execute(
        "SELECT id, record_json FROM articles a WHERE source_key NOT LIKE 'viral/%' AND"
        " EXISTS (SELECT 1 FROM stories s WHERE s.article_id = a.id) ORDER BY md5(id) LIMIT 1"
    ).fetchone()  # type: ignore[misc]
    base = json.loads(doc)
    start = datetime.fromisoformat(base["published"])
    records = []
    for i in range(args.copies):
        text = base["text"] + f"\nSyndicated copy {i}.\n"
        rec = {
            **base,
            "id": hashlib.sha256(text.encode()).hexdigest()[:16],
            "text": text,
            "published": (start + timedelta(hours=i + 1)).isoformat(),
            "source": {**base["source"], "site_name": f"viral{i % 97}.example"},
        }
        records.append(record_from_dict(rec))
    times = []
    t0 = time.perf_counter()
    for i in range(0, len(records), args.batch):
        chunk = records[i : i + args.batch]
        t = time.perf_counter()
        store.write_batch([(ArticleKey(f"viral/{aid}/{r.id}"), r) for r in chunk], [])
        times.append((time.perf_counter() - t) / len(chunk) * 1000)
    total = time.perf_counter() - t0
    print(
        f"store of {n:,} articles: {args.copies} copies of {aid} written in batches of"
        f" {args.batch} in {total:.1f} s: per article median {statistics.median(times):.1f} ms,"
        f" slowest batch {max(times):.1f} ms/article (write_batch, grouping included)"
    )
    qid = store.quote_links(aid)
    ids = sorted({link.quotation_id for link in qid.values()})
    sizes = {q: len(store.quotation(q).occurrences) for q in ids}  # type: ignore[union-attr]
    big = max(sizes, key=lambda q: sizes[q])
    store.close()

    from fastapi.testclient import TestClient

    from wirescope.web.app import create_app
    from wirescope.web.pages import Settings

    with TestClient(create_app(Settings(db=args.dsn))) as client:
        for suffix in ("", ".json"):
            assert client.get(f"/quotations/{big}{suffix}").status_code == 200
            ms = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                r = client.get(f"/quotations/{big}{suffix}")
                ms.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
            ms.sort()
            p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
            print(
                f"GET /quotations/{big}{suffix or ' (HTML)'} ({sizes[big]} occurrences):"
                f" {args.repeat} times, p50 {ms[len(ms) // 2]:.1f} ms  p95 {p95:.1f} ms"
                f"  max {ms[-1]:.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
