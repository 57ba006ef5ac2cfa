"""The store at scale, simulated: N synthetic articles loaded into PostgreSQL with COPY
(no NLP), then the CLI's queries timed as the store grows.

Not a test: prints figures (docs/scale.md quotes them). Records are wirescope/1 records
of a wire-sized profile: ~550 words of English (word frequencies of gensim's Lee corpus),
8 quotes, 5 people, 4 places, 3 dates and 6 events per article; speakers are drawn from
a pool of 300,000 people with Zipf-distributed fame, so a few are quoted in tens of
thousands of articles and most in a handful. Publication dates spread over ten years.

    .venv/bin/python benchmarks/store_scale.py --articles 1000000 \
        --dsn postgresql://postgres@127.0.0.1:55432/wirescope_sim [--keep]

The database named in --dsn is created if missing and DROPPED at the end unless --keep
(it must not be a database you care about). Checkpoints (--checkpoints) time the queries
at intermediate sizes, so one run shows the cost as the store grows.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import psycopg
from psycopg import sql

from wirescope import query
from wirescope.store.people import CorpusPerson, name_key
from wirescope.store.postgres import PostgresStore

POOL = 300_000  # people
PLACE_POOL = 5_000
AGENCIES = [("FNA", "Fars News Agency"), ("IRNA", "IRNA"), ("AP", "AP"), ("Reuters", "Reuters")]
ROLES = ["foreign minister", "spokesman", "president", "senator", "mayor", "ambassador"]
CUES = [("said", "say"), ("told", "tell"), ("added", "add"), ("stressed", "stress")]
SYLLABLES = str.split(
    "ka ri mo sa la de va ne ta ro hu ba zi ko fe na li da go me ra so ve ni pa tu ha"
    " jo ke mi ro sha kha rez lav ar di ol an el is ur om"
)


def vocabulary() -> tuple[list[str], np.ndarray]:
    """Words and their cumulative frequencies, from gensim's Lee corpus (300 ABC stories)."""
    try:
        import gensim
    except ImportError:
        raise SystemExit(
            "this benchmark reads gensim's Lee corpus: pip install -e '.[bench]'"
        ) from None

    lee = Path(gensim.__file__).parent / "test" / "test_data" / "lee_background.cor"
    counts = Counter(w for line in lee.open(encoding="utf-8") for w in line.split() if w.isalpha())
    words = [w for w, _ in counts.most_common()]
    freq = np.array([counts[w] for w in words], dtype=float)
    return words, np.cumsum(freq / freq.sum())


def zipf_cdf(n: int, s: float = 1.05, offset: float = 10.0) -> np.ndarray:
    p = 1.0 / (np.arange(n) + offset) ** s
    return np.cumsum(p / p.sum())


class Generator:
    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.words, self.word_cdf = vocabulary()
        self.people = [self._name() for _ in range(POOL)]
        self.person_cdf = zipf_cdf(POOL)
        self.places = [self._word(2).capitalize() for _ in range(PLACE_POOL)]
        # One GeoNames id per place of the pool (the first with its name): a place is the
        # same place in every article, as the gazetteer resolves it.
        self.geonames: dict[str, int] = {}
        for k, name in enumerate(self.places):
            self.geonames.setdefault(name, 2_000_000 + k)
        self.place_cdf = zipf_cdf(PLACE_POOL, 1.0, 5.0)
        self.ids: dict[str, str] = {}  # name -> person id, as the store makes them
        self.taken: set[str] = set()
        self.warr = np.array(self.words, dtype=object)
        self.buf: list[str] = []
        self.at = 0

    def reseed(self, seed: int) -> None:
        """Each chunk of articles from its own seed: a resumed load goes on the same."""
        self.rng.seed(seed)
        self.np = np.random.default_rng(seed)
        self.buf, self.at = [], 0

    def _word(self, n: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(n))

    def _name(self) -> str:
        return f"{self._word(2).capitalize()} {self._word(self.rng.randint(2, 3)).capitalize()}"

    def person_id(self, name: str) -> str:
        pid = self.ids.get(name)
        if pid is None:
            base = "p" + hashlib.sha1(name_key(name).encode()).hexdigest()[:10]
            pid = base if base not in self.taken else f"{base}-{len(self.ids)}"
            self.ids[name] = pid
            self.taken.add(pid)
        return pid

    def sentence(self, n: int) -> str:
        if self.at + n > len(self.buf):  # words drawn 200,000 at a time: much cheaper
            idx = np.searchsorted(self.word_cdf, self.np.random(200_000))
            self.buf = self.warr[np.minimum(idx, len(self.words) - 1)].tolist()
            self.at = 0
        self.at += n
        return " ".join(self.buf[self.at - n : self.at]).capitalize()

    def article(self, i: int, start: datetime) -> tuple[dict[str, Any], list[str]]:
        """One record as record_to_dict() gives it, and the names of its people."""
        rng = self.rng
        published = start + timedelta(minutes=5 * i + rng.randrange(5))
        pidx = np.searchsorted(self.person_cdf, self.np.random(5))
        names = list(dict.fromkeys(self.people[min(k, POOL - 1)] for k in pidx))
        gidx = np.searchsorted(self.place_cdf, self.np.random(4))
        places = list(dict.fromkeys(self.places[min(k, PLACE_POOL - 1)] for k in gidx))
        agency, agency_name = rng.choice(AGENCIES)
        headline = self.sentence(9)
        text = f"{published:%Y-%b-%d %H:%M}\n\n{headline}\n\n"
        dl = (len(text), len(text) + len(places[0]))
        text += f"{places[0]} ({agency})- "
        mentions: dict[str, list[list[int]]] = {n: [] for n in [*names, *places]}
        quotes: list[dict[str, Any]] = []

        def add_name(name: str) -> None:
            nonlocal text
            mentions[name].append([len(text), len(text) + len(name)])
            text += name

        for par in range(8):
            text += self.sentence(rng.randint(14, 26)) + " "
            add_name(places[par % len(places)])
            text += " " + self.sentence(rng.randint(10, 20)) + ".\n\n"
            qtext = self.sentence(rng.randint(12, 28))
            q0 = len(text) + 1
            inside = None
            if rng.random() < 0.3:  # a quote that names a place (found by --about PLACE)
                inside = places[rng.randrange(len(places))]
                qtext += " in "
                mentions[inside].append([q0 + len(qtext), q0 + len(qtext) + len(inside)])
                qtext += inside
            text += f'"{qtext}," '
            cue, lemma = rng.choice(CUES)
            c0 = len(text)
            text += cue + " "
            named = rng.random() < 0.8
            spk = names[par % len(names)]
            s0 = len(text)
            if named:
                add_name(spk)
            else:
                text += "the official"
            text += ".\n\n"
            quotes.append(
                {
                    "id": f"q{par + 1}",
                    "span": [q0, q0 + len(qtext)],
                    "text": qtext,
                    "kind": "direct",
                    "cue": {"span": [c0, c0 + len(cue)], "text": cue, "lemma": lemma},
                    "speaker": {
                        "span": [s0, s0 + (len(spk) if named else 12)],
                        "text": spk if named else "the official",
                        "mention_type": "name" if named else "nominal",
                        "entity": f"p{names.index(spk) + 1}" if named else None,
                        "name": spk if named else None,
                    },
                    "confidence": round(rng.uniform(0.5, 0.95), 3),
                }
            )
        for name in names:  # someone named only in passing
            if not mentions[name]:
                text += "Also present was "
                add_name(name)
                text += ".\n"
        entities = [
            {
                "id": f"p{n}",
                "type": "PERSON",
                "name": name,
                "honorifics": [],
                "roles": [rng.choice(ROLES)] if rng.random() < 0.4 else [],
                "aliases": [],
                "gender": None,
                "quotes": [q["id"] for q in quotes if q["speaker"]["name"] == name],
                "mentions": mentions[name],
            }
            for n, name in enumerate(names, 1)
        ] + [
            {
                "id": f"g{n}",
                "type": "PLACE",
                "name": name,
                "honorifics": [],
                "roles": [],
                "aliases": [],
                "gender": None,
                "quotes": [],
                "mentions": mentions[name],
                "country": "XX",
                "lat": round(rng.uniform(-60, 60), 4),
                "lon": round(rng.uniform(-180, 180), 4),
                "geonames_id": self.geonames[name],
                "kind": "city",
                "resolved": True,
            }
            for n, name in enumerate(places, 1)
        ]
        dates = [
            {
                "span": [0, 17],
                "text": f"{published:%Y-%b-%d %H:%M}",
                "value": published.date().isoformat(),
                "granularity": "day",
                "modifier": None,
                "type": "DATE",
                "mod": None,
            }
        ] * 3
        events = [
            {
                "id": f"e{k}",
                "span": quotes[k]["span"],
                "text": quotes[k]["text"][:60],
                "trigger": "said",
                "trigger_span": quotes[k]["cue"]["span"],
                "actors": [quotes[k]["speaker"]["entity"]]
                if quotes[k]["speaker"]["entity"]
                else [],
                "actor_texts": [],
                "patients": [],
                "where": "g1",
                "when": published.date().isoformat(),
                "numbers": [],
            }
            for k in range(6)
        ]
        aid = hashlib.sha256(text.encode()).hexdigest()[:16]
        record = {
            "schema": "wirescope/1",
            "id": aid,
            "input_id": f"sim{i}",
            "source": {"path": "sim/wire.jsonl", "format": "jsonl", "encoding": "utf-8"},
            "headline": headline,
            "published": published.isoformat(),
            "updated": None,
            "dateline": {
                "place": places[0],
                "agency": agency,
                "agency_name": agency_name,
                "span": list(dl),
            },
            "text": text,
            "quotes": quotes,
            "entities": entities,
            "dates": dates,
            "events": events,
        }
        return record, names


def rows_for(gen: Generator, rec: dict[str, Any], i: int) -> dict[str, list[tuple[Any, ...]]]:
    """The rows SQLStore._write_record would write for this record."""
    aid = rec["id"]
    dl = rec["dateline"]
    out: dict[str, list[tuple[Any, ...]]] = {
        "articles": [
            (
                aid,
                f"sim/wire.jsonl#sim{i}",
                "sim/wire.jsonl",
                f"sim{i}",
                rec["headline"],
                rec["published"],
                None,
                dl["place"],
                dl["agency"],
                rec["text"],
                json.dumps(rec, ensure_ascii=False),
                1,
                i,
            )
        ],
        "article_people": [],
        "quotes": [],
        "places": [],
        "mentions": [],
    }
    pid_of = {}
    spans = [q["span"] for q in rec["quotes"]]
    for e in rec["entities"]:
        if e["type"] == "PERSON":
            pid = gen.person_id(e["name"])
            pid_of[e["id"]] = pid
            out["article_people"].append((aid, e["id"], pid, e["name"], json.dumps(e["roles"])))
        else:
            out["places"].append(
                (aid, e["id"], e["name"], e["country"], e["lat"], e["lon"], "[]", e["geonames_id"])
            )
        for s, t in e["mentions"]:
            quoted = int(any(a <= s and t <= b for a, b in spans))
            out["mentions"].append(
                (
                    aid,
                    e["id"],
                    e["type"],
                    e["name"].lower(),
                    pid_of.get(e["id"]),
                    s,
                    t,
                    rec["published"],
                    quoted,
                )
            )
    for q in rec["quotes"]:
        spk = q["speaker"]
        pid = pid_of.get(spk["entity"] or "")
        out["quotes"].append(
            (
                aid,
                q["id"],
                q["span"][0],
                q["span"][1],
                q["text"],
                q["kind"],
                q["cue"]["lemma"],
                spk["text"],
                spk["entity"],
                pid,
                spk["name"] or spk["text"],
                q["confidence"],
                rec["published"],
                dl["agency"],
            )
        )
    return out


COLUMNS = {
    "articles": "id, source_key, path, input_id, headline, published, updated, dateline,"
    " agency, text, record_json, ingest_run, ingest_pos",
    "article_people": "article_id, entity_id, person_id, name, roles",
    "quotes": "article_id, quote_id, span_start, span_end, text, kind, cue_lemma, speaker_text,"
    " speaker_entity, person_id, speaker_name, confidence, published, agency",
    "places": "article_id, entity_id, name, country, lat, lon, aliases, geonames_id",
    "mentions": "article_id, entity_id, type, name_lc, person_id, span_start, span_end,"
    " published, in_quote",
}


CHUNK = 2000


def load(
    conn: psycopg.Connection[Any],
    gen: Generator,
    chunks: list[int],
    seen: dict[str, tuple[str, str, str]],
) -> None:
    """Articles by chunks of 2,000 (starting at each of `chunks`), each chunk one
    transaction: new people rows, then every table by COPY."""
    start = datetime(2016, 1, 1)
    for lo in chunks:
        if conn.execute("SELECT 1 FROM sim_chunks WHERE chunk = %s", (lo // CHUNK,)).fetchone():
            continue  # another loader did it
        batch: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        new_people: dict[str, tuple[str, str, str]] = {}
        gen.reseed(lo)
        for i in range(lo, lo + CHUNK):
            rec, names = gen.article(i, start)
            for name in names:
                pid = gen.person_id(name)
                if pid not in seen and pid not in new_people:
                    new_people[pid] = (name, name_key(name), rec["published"][:10])
            for table, rows in rows_for(gen, rec, i).items():
                batch[table].extend(rows)
        with conn.transaction(), conn.cursor() as cur:
            # People through staging tables: parallel loaders may meet the same person.
            cur.execute(
                "CREATE TEMP TABLE new_people (LIKE people INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            cur.execute("CREATE TEMP TABLE new_keys (LIKE person_keys) ON COMMIT DROP")
            with cur.copy(
                "COPY new_people (person_id, name, name_key, variants, roles,"
                " first_seen, last_seen) FROM STDIN"
            ) as cp:
                for pid, (name, key, day) in new_people.items():
                    cp.write_row((pid, name, key, "[]", "[]", day, day))
            with cur.copy("COPY new_keys (surname_key, person_id) FROM STDIN") as cp:
                for pid, (name, _, _) in new_people.items():
                    for k in sorted(CorpusPerson(pid, name).surname_keys()):
                        cp.write_row((k, pid))
            cur.execute(
                "INSERT INTO people SELECT * FROM new_people ORDER BY person_id"
                " ON CONFLICT DO NOTHING"
            )
            cur.execute(
                "INSERT INTO person_keys SELECT * FROM new_keys ORDER BY 1, 2"
                " ON CONFLICT DO NOTHING"
            )
        # Committed on their own: other loaders inserting the same people wait until then.
        with conn.transaction(), conn.cursor() as cur:
            # Foreign keys are not checked row by row (as pg_restore loads): the rows are
            # consistent by construction, and the checks cost more than the COPY itself.
            cur.execute("SET LOCAL session_replication_role = replica")
            for table, cols in COLUMNS.items():
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:  # type: ignore[arg-type]
                    for row in batch[table]:
                        cp.write_row(row)
            cur.execute("INSERT INTO sim_chunks VALUES (%s)", (lo // CHUNK,))
        seen.update(new_people)


def _nice(conn: psycopg.Connection[Any]) -> None:
    # The server does the work of COPY (tsvector, indexes): lower its priority too.
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
    with contextlib.suppress(OSError):  # another user's server: leave it
        os.setpriority(os.PRIO_PROCESS, int(pid), max(10, os.getpriority(os.PRIO_PROCESS, 0)))


LOADERS = int(os.environ.get("SIM_LOADERS", "2"))


def loader(dsn: str, chunks: list[int]) -> None:
    """One loading process (resumes after a lost connection)."""
    gen = Generator()
    while chunks:
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                _nice(conn)
                have = {c for (c,) in conn.execute("SELECT chunk FROM sim_chunks")}
                chunks = [lo for lo in chunks if lo // CHUNK not in have]
                seen = {
                    pid: ("", "", "") for (pid,) in conn.execute("SELECT person_id FROM people")
                }
                load(conn, gen, chunks, seen)
                return
        except psycopg.OperationalError as exc:
            print(f"connection lost ({exc}); resuming", flush=True)
            time.sleep(5)


def grow(store: PostgresStore, dsn: str, gen: Generator, target: int) -> PostgresStore:
    """Load articles up to `target` as a bulk load does: secondary indexes dropped,
    COPY, indexes built again, ANALYZE. Resumes after a lost connection or a restart."""
    conn = store.conn
    conn.execute("CREATE TABLE IF NOT EXISTS sim_indexes (name TEXT PRIMARY KEY, def TEXT)")
    conn.execute(
        "INSERT INTO sim_indexes SELECT indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = current_schema() AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint) ON CONFLICT DO NOTHING"
    )
    done = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    indexes = conn.execute("SELECT name, def FROM sim_indexes ORDER BY name").fetchall()
    if done >= target:  # loaded (a load stopped at `target` included): indexes, if missing
        if not conn.execute("SELECT 1 FROM store_state WHERE key = 'sim_counted'").fetchone():
            _counts(store)
        _indexes(conn, indexes, done)
        return store
    for name, _ in indexes:
        conn.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))
    t = time.perf_counter()
    first = done
    conn.execute("CREATE TABLE IF NOT EXISTS sim_chunks (chunk INTEGER PRIMARY KEY)")
    if not conn.execute("SELECT 1 FROM sim_chunks LIMIT 1").fetchone():  # loaded in order
        conn.execute(
            "INSERT INTO sim_chunks SELECT DISTINCT ingest_pos / %s FROM articles", (CHUNK,)
        )
    have = {c for (c,) in conn.execute("SELECT chunk FROM sim_chunks")}
    todo = [c * CHUNK for c in range(target // CHUNK) if c not in have]
    # Several loaders: while one process generates records another one's COPY runs.
    ctx = mp.get_context("spawn")  # not fork: this process holds a connection
    procs = [ctx.Process(target=loader, args=(dsn, todo[w::LOADERS])) for w in range(LOADERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join()
    done = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
    if done < target:
        raise SystemExit(f"loaders stopped at {done:,} articles")
    load_s = time.perf_counter() - t
    index_s = _counts(store) + _indexes(conn, indexes, done)
    print(
        f"\nloaded {done - first:,} articles in {load_s:.0f} s ({(done - first) / load_s:,.0f}"
        f" articles/s), indexes built and analysed in {index_s:.0f} s: {done:,} articles,"
        f" {(done - first) / (load_s + index_s):,.0f} articles/s overall",
        flush=True,
    )
    return store


def _counts(store: PostgresStore) -> float:
    """What ingest keeps beside the rows, filled in bulk: people's stored counts and
    dates (the people list, the home page) and the quote facets' tally (the unfiltered
    quote list). Returns seconds."""
    t = time.perf_counter()
    conn = store.conn
    _nice(conn)
    conn.execute("SET work_mem = '256MB'")
    with conn.transaction():
        conn.execute(
            "UPDATE people p SET n_quotes = c.n FROM (SELECT person_id, count(*) AS n"
            " FROM quotes WHERE person_id IS NOT NULL GROUP BY person_id) c"
            " WHERE p.person_id = c.person_id"
        )
        conn.execute(
            "UPDATE people p SET n_articles = c.n, first_published = c.lo,"
            " last_published = c.hi FROM (SELECT ap.person_id,"
            " count(DISTINCT ap.article_id) AS n, min(a.published) AS lo,"
            " max(a.published) AS hi FROM article_people ap JOIN articles a"
            " ON a.id = ap.article_id GROUP BY ap.person_id) c"
            " WHERE p.person_id = c.person_id"
        )
        store._tally(None, 1)
        conn.execute(
            "INSERT INTO store_state (key, value) VALUES ('sim_counted', '1')"
            " ON CONFLICT DO NOTHING"
        )
    conn.execute("RESET work_mem")
    seconds = time.perf_counter() - t
    print(f"people counts and the quote tally stored in {seconds:.0f} s", flush=True)
    return seconds


def _indexes(conn: psycopg.Connection[Any], indexes: list[Any], n: int) -> float:
    """Build the secondary indexes that are missing, then ANALYZE; returns seconds."""
    t = time.perf_counter()
    _nice(conn)
    conn.execute("SET maintenance_work_mem = '1GB'")
    for _, definition in indexes:
        conn.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
    # VACUUM too, as autovacuum does after a bulk insert: it sets the visibility map,
    # so the planner reads index-only scans (mentions by name, newest first) as such.
    conn.execute("VACUUM (ANALYZE)")
    seconds = time.perf_counter() - t
    print(f"indexes of {n:,} articles built and analysed in {seconds:.0f} s", flush=True)
    return seconds


def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def pct(ms: list[float]) -> str:
    ms = sorted(ms)
    p50 = statistics.median(ms)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms"


def measure(store: PostgresStore, gen: Generator, n_articles: int, repeat: int) -> dict[str, str]:
    """Time the CLI's queries on names and words drawn as users would ask for them:
    speakers by how often they are quoted, words by how often they occur."""
    rng = random.Random(n_articles)
    conn = store.conn
    speakers = [
        r[0]
        for r in conn.execute(
            "SELECT speaker_name FROM quotes TABLESAMPLE SYSTEM (1) WHERE person_id IS NOT NULL"
            " LIMIT %s",
            (repeat * 4,),
        ).fetchall()
    ]
    rng.shuffle(speakers)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles TABLESAMPLE SYSTEM (1) LIMIT %s", (repeat,)
        ).fetchall()
    ]
    # Search and --about words: ranked 50-2000 in frequency (not "the", not hapaxes).
    words = [w for w in gen.words[50:2000] if len(w) > 3]
    out: dict[str, str] = {}
    cases: dict[str, Callable[[int], Any]] = {
        "quotes --speaker NAME --limit 50": lambda k: store.quotes(
            speaker=speakers[k % len(speakers)], limit=50
        ),
        "quotes --speaker NAME (all)": lambda k: store.quotes(speaker=speakers[k % len(speakers)]),
        "quotes --about WORD --limit 50": lambda k: store.quotes(about=rng.choice(words), limit=50),
        "quotes --about PLACE --limit 50": lambda k: store.quotes(
            about=gen.places[min(int(rng.paretovariate(1.0)), PLACE_POOL - 1)], limit=50
        ),
        "search 'WORD WORD' (top 20)": lambda k: store.search(
            f"{rng.choice(words)} {rng.choice(words)}", limit=20
        ),
        "search WORD (top 20)": lambda k: store.search(rng.choice(words), limit=20),
        "article page (show ID)": lambda k: query.speaker_labels(
            store, query.find_article(store, ids[k % len(ids)])
        ),
        "article page (show ID[:10])": lambda k: query.speaker_labels(
            store, query.find_article(store, ids[k % len(ids)][:10])
        ),
    }
    for label, fn in cases.items():
        fn(0)  # warm the cache a little, as a running server would be
        ms = [timed(lambda k=k, fn=fn: fn(k)) for k in range(repeat)]  # type: ignore[misc]
        out[label] = pct(ms)
    return out


def sizes(conn: psycopg.Connection[Any]) -> list[tuple[str, int, int, int]]:
    rows = conn.execute(
        "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid),"
        " pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        " ORDER BY 4 DESC"
    ).fetchall()
    return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    default = os.environ.get("WIRESCOPE_TEST_PG", "postgresql://postgres@127.0.0.1:55432/x")
    parts = urlsplit(default)
    ap.add_argument("--dsn", default=urlunsplit(parts._replace(path="/wirescope_sim")))
    ap.add_argument(
        "--checkpoints",
        default="10000,100000",
        help="sizes at which to time the queries before the full size",
    )
    ap.add_argument("--repeat", type=int, default=200, help="queries per kind")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument(
        "--measure-only", action="store_true", help="the database is loaded: time the queries only"
    )
    args = ap.parse_args()

    dbname = urlsplit(args.dsn).path.lstrip("/")
    admin = urlunsplit(urlsplit(args.dsn)._replace(path="/postgres"))
    if not args.measure_only:
        with psycopg.connect(admin, autocommit=True) as c:
            if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
                c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    store = PostgresStore(args.dsn)
    gen = Generator()
    print(f"wirescope store simulation: {args.articles:,} articles into {dbname}", flush=True)
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if c} | {args.articles})
    if args.measure_only:
        checkpoints = [args.articles]
    try:
        for target in checkpoints:
            store = grow(store, args.dsn, gen, target) if not args.measure_only else store
            conn = store.conn
            n = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])  # type: ignore[index]
            if n < target:
                continue
            total = int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])  # type: ignore[index]
            print(f"size on disk: {total / 2**30:.2f} GiB = {total / n:,.0f} bytes/article")
            if target == checkpoints[-1]:
                print(f"{'table':16} {'table+toast':>12} {'indexes':>12} {'bytes/article':>14}")
                for name, tbl, idx, tot in sizes(conn):
                    print(
                        f"{name:16} {tbl / 2**20:10.0f} MB {idx / 2**20:10.0f} MB {tot / n:14,.0f}"
                    )
            for label, figures in measure(store, gen, n, args.repeat).items():
                print(f"  {n:>9,}  {label:36} {figures}", flush=True)
    finally:
        store.close()
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
