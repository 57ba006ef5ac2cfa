"""How fast are `search` and `quotes --speaker` on a 10,000-article corpus?

Writes N synthetic records (random text, 3-6 quotes each, speakers drawn from a
pool of people with transliteration variants) to a fresh store, then times the
queries the CLI runs. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/store_queries.py [--articles 10000] [--db URL_OR_PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from wirescope.record.models import Cue, Entity, Quote, Record, SpeakerRef
from wirescope.store import ArticleKey, open_store

WORDS = str.split(
    "government minister talks ceasefire sanctions nuclear agreement border region security "
    "economy oil exports parliament election protest army forces negotiations envoy summit "
    "cooperation trade pipeline drought refugees humanitarian aid court ruling reform budget "
    "inflation currency bank visit delegation conference statement spokesman official unity"
)
PLACES = ["Karabakh", "Tehran", "Baku", "Moscow", "Qom", "Yerevan", "Ankara", "Beirut"]
FIRST = ["Ali", "Hassan", "Mohammad", "Abbas", "Sergey", "Mojtaba", "Reza", "Hossein", "Ahmad"]
LAST = ["Khamenei", "Rouhani", "Zarif", "Araqchi", "Lavrov", "Velayati", "Larijani", "Shamkhani"]
SPELLINGS = {"Rezayee": ["Rezayee", "Rezaei", "Rezaie"], "Araqchi": ["Araqchi", "Araghchi"]}


def person_pool(rng: random.Random) -> list[tuple[str, list[str]]]:
    """(canonical name, spellings) for ~70 people, Mohsen Rezayee among them."""
    pool = [("Mohsen Rezayee", [f"Mohsen {s}" for s in SPELLINGS["Rezayee"]])]
    for first in FIRST:
        for last in LAST:
            if rng.random() < 0.9:
                spellings = [f"{first} {s}" for s in SPELLINGS.get(last, [last])]
                pool.append((f"{first} {last}", spellings))
    return pool


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.3:
        words[rng.randrange(n)] = rng.choice(PLACES)
    return " ".join(words).capitalize()


def make_record(i: int, rng: random.Random, pool: list[tuple[str, list[str]]]) -> Record:
    published = datetime(2020, 1, 1) + timedelta(hours=i * 3)
    people = rng.sample(pool, rng.randint(1, 3))
    parts: list[str] = [f"TEHRAN (FNA)- {sentence(rng, 20)}."]
    entities: list[Entity] = []
    quotes: list[Quote] = []
    for k, (_, spellings) in enumerate(people, 1):
        name = rng.choice(spellings)
        ent = Entity(f"p{k}", "PERSON", name, roles=["official"])
        entities.append(ent)
        for _ in range(rng.randint(1, 2)):
            pos = sum(len(p) + 1 for p in parts)
            quote = sentence(rng, rng.randint(10, 25))
            qstart = pos + 1
            sstart = qstart + len(quote) + 3
            parts.append(f'"{quote}," {name} said.')
            ent.mentions.append((sstart, sstart + len(name)))
            qid = f"q{len(quotes) + 1}"
            ent.quotes.append(qid)
            quotes.append(
                Quote(
                    qid,
                    (qstart, qstart + len(quote)),
                    quote,
                    "direct",
                    Cue((sstart + len(name) + 1, sstart + len(name) + 5), "said", "say"),
                    SpeakerRef((sstart, sstart + len(name)), name, "name", ent.id, name),
                    0.9,
                )
            )
    parts += [sentence(rng, rng.randint(15, 30)) + "." for _ in range(rng.randint(8, 16))]
    text = " ".join(parts)
    assert all(text[q.span[0] : q.span[1]] == q.text for q in quotes)
    return Record(
        id=f"{i:016x}",
        source={"path": f"synthetic/{i}.txt", "format": "text"},
        text=text,
        headline=sentence(rng, 8),
        published=published,
        quotes=quotes,
        entities=entities,
    )


def timed(fn: Callable[[], Any], repeat: int = 20) -> tuple[float, float, Any]:
    fn()  # warm caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", help="store to fill (default: a temporary SQLite file)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    rng = random.Random(7)
    pool = person_pool(rng)
    store = open_store(db)

    t0 = time.perf_counter()
    batch: list[tuple[ArticleKey, Record]] = []
    for i in range(args.articles):
        rec = make_record(i, rng, pool)
        batch.append((ArticleKey(rec.source["path"]), rec))
        if len(batch) == 500:
            store.write_batch(batch, [])
            batch = []
    store.write_batch(batch, [])
    write_s = time.perf_counter() - t0
    counts = store.count()
    print(f"store: {db}")
    print(f"wrote {counts} in {write_s:.1f} s ({counts['articles'] / write_s:.0f} articles/s)")

    store.close()
    store = open_store(db)  # a fresh process's view
    t0 = time.perf_counter()
    store.quotes(speaker="Rezaei", limit=1)
    print(f"first query on a fresh connection: {(time.perf_counter() - t0) * 1000:.1f} ms")

    queries: list[tuple[str, Callable[[], Any]]] = [
        ('search "Karabakh unity"', lambda: store.search("Karabakh unity")),
        ('search "sanctions"', lambda: store.search("sanctions")),
        ('search "U.S. -- Iran\'s"', lambda: store.search("U.S. -- Iran's")),
        ("quotes --speaker Rezaei", lambda: store.quotes(speaker="Rezaei")),
        ("quotes --speaker Rezaei --limit 50", lambda: store.quotes(speaker="Rezaei", limit=50)),
        ("quotes --speaker 'Ali Khamenei'", lambda: store.quotes(speaker="Ali Khamenei")),
        ("quotes --about Karabakh --limit 50", lambda: store.quotes(about="Karabakh", limit=50)),
    ]
    print(f"{'query':40} {'median ms':>10} {'max ms':>8} {'rows':>6}")
    for label, fn in queries:
        median, worst, result = timed(fn)
        print(f"{label:40} {median:10.1f} {worst:8.1f} {len(result):6d}")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
