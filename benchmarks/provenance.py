"""Quote provenance: how well quotations are grouped, against known truth.

Not a test: prints figures. The real quotes of ../shared/data (ggt_dev, polnear_dev,
realnews_dev) are republished: each article as 2-6 synthetic reprints in other
"outlets", later or undated, with seeded edits to its quotes (trimmed at either end,
an ellipsis cut, quotation marks and punctuation changed, a word substituted, a
sentence dropped, the attribution moved into the quote, which splits it in two) and
the speaker deliberately changed in some; plus hard negatives: new statements of the
same speaker spliced from thirds of three of their quotes. The records are written
to a fresh store (write_batch, as ingest does, in a shuffled order, so reprints often
come before their original) and the store's quotations are scored:

- pairwise precision, recall and F1 of the grouping (two occurrences are one
  quotation in truth when they come from one original quote, or from originals of
  equal words);
- the share of quotations whose first-seen occurrence is right (its original article);
- the disputed-speaker flag's precision and recall on the changed speakers;
- the reprints: articles grouped into stories, pairwise against truth.

    PYTHONPATH=src .venv/bin/python benchmarks/provenance.py [--seed 7] [--db PATH|URL]
        [--library]   # group in memory (corpus.quotations) instead of through a store
        [--real]      # also: the stories among the real pages of realnews_dev
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
OUTLETS = [f"outlet{i:02d}.example" for i in range(1, 25)]
SUBSTITUTES = ["really", "very", "new", "certain", "major", "clear", "still", "now"]


@dataclass
class Q:
    text: str
    speaker: str | None
    truth: int  # the original quote it comes from
    changed: bool = False  # speaker deliberately changed
    negative: bool = False  # a spliced hard negative


@dataclass
class Art:
    id: str
    text: str
    quotes: list[tuple[tuple[int, int], Q]]
    published: str | None
    outlet: str
    story: int  # the original article it copies
    origin: bool


@dataclass
class Source:
    id: str
    text: str
    quotes: list[tuple[int, int, str, str | None]] = field(default_factory=list)


def _named(speaker: str | None) -> str | None:
    if not speaker or not speaker.strip() or not speaker.strip()[0].isupper():
        return None
    if speaker.strip().lower() in {"he", "she", "they", "i", "we", "it"}:
        return None
    return speaker.strip()


def load_sources() -> list[Source]:
    out: list[Source] = []
    for name in ("ggt_dev", "polnear_dev"):
        with (SHARED / f"{name}.jsonl").open(encoding="utf-8") as f:
            for line in f:
                obj = json.loads(line)
                src = Source(f"{name}/{obj['id']}", obj["text"])
                for q in obj["quotes"]:
                    speaker = q.get("speaker_canonical") or q.get("speaker_text")
                    src.quotes.append((q["quote_start"], q["quote_end"], q["quote_text"], speaker))
                out.append(src)
    from wirescope.reading.read import read_paths

    graded = json.loads((SHARED / "realnews_dev" / "graded.json").read_text(encoding="utf-8"))
    for page in graded:
        docs = [
            d
            for d in read_paths([str(SHARED / "realnews_dev" / page["file"])])
            if hasattr(d, "text")
        ]
        if not docs:
            continue
        text = docs[0].text  # type: ignore[union-attr]
        src = Source(f"realnews/{Path(page['file']).stem}", text)
        for q in page.get("quotes_gold", []):
            at = text.find(q["text"])
            if at >= 0:
                src.quotes.append((at, at + len(q["text"]), q["text"], q.get("speaker")))
        out.append(src)
    for src in out:  # nested or overlapping spans (PolNeAR): keep the first of each overlap
        kept: list[tuple[int, int, str, str | None]] = []
        for q in sorted(src.quotes):
            if q[1] > q[0] and (not kept or q[0] >= kept[-1][1]):
                kept.append(q)
        src.quotes = kept
    return out


def _sentences(words: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for w in words:
        out[-1].append(w)
        if re.search(r"[.!?][\"'”’]*$", w):
            out.append([])
    return [s for s in out if s]


def edit_quote(text: str, rng: random.Random) -> list[str]:
    """One reprint's wording of a quote: 0-2 seeded edits; two parts when the
    attribution moved into it."""
    words = text.split()
    if len(words) < 3 or rng.random() < 0.35:
        return [text]
    parts = [words]
    for edit in rng.sample(["trim_start", "trim_end", "ellipsis", "marks", "substitute",
                            "sentence", "move"], k=rng.choice([1, 1, 2])):  # fmt: skip
        w = parts[0]
        n = len(w)
        if edit == "trim_start" and n > 6:
            w = w[rng.randint(1, max(1, n * 3 // 10)) :]
        elif edit == "trim_end" and n > 6:
            w = w[: n - rng.randint(1, max(1, n * 3 // 10))]
        elif edit == "ellipsis" and n > 10:
            i = rng.randint(2, n - 6)
            w = [*w[:i], "...", *w[i + rng.randint(2, max(2, n // 4)) :]]
        elif edit == "marks":
            w = [x.replace("“", '"').replace("”", '"').replace("’", "'") for x in w]
            w[-1] = w[-1].rstrip(",.") + rng.choice([".", ",", "", "!"])
            if rng.random() < 0.5:
                w[0] = "“" + w[0].lstrip('"“')
        elif edit == "substitute" and n > 4:
            w = list(w)
            w[rng.randint(1, n - 2)] = rng.choice(SUBSTITUTES)
        elif edit == "sentence":
            sents = _sentences(w)
            if len(sents) > 1:
                sents.pop(rng.randrange(len(sents)))
                w = [x for s in sents for x in s]
        elif edit == "move" and n > 12:
            i = rng.randint(5, n - 5)
            parts = [w[:i], w[i:]]
            continue
        parts[0] = w
    return [" ".join(p) for p in parts if p]


def part_of(source_id: str) -> str:
    """Which half a source article is in: "dev" (rules are tuned on it) or "test"."""
    return ("dev", "test")[zlib.crc32(source_id.encode()) % 2]


def build(
    seed: int, part: str = "all", equal_only: bool = False
) -> tuple[list[Art], dict[int, str], dict[int, int]]:
    """The synthetic corpus (from the source articles of one part, or all), the
    original wording of each truth id, and which truth ids are one quotation (truth id
    -> its class)."""

    rng = random.Random(seed)
    arts: list[Art] = []
    originals: dict[int, str] = {}
    truth = 0
    base = datetime(2021, 1, 1)
    for s, src in enumerate(load_sources()):
        if not src.quotes or part not in ("all", part_of(src.id)):
            continue
        when = base + timedelta(days=rng.randrange(1000), minutes=rng.randrange(1440))
        ids: list[int] = []
        for _, _, text, _ in src.quotes:
            originals[truth] = text
            ids.append(truth)
            truth += 1
        orig = [
            ((a, b), Q(t, _named(sp), tid))
            for (a, b, t, sp), tid in zip(src.quotes, ids, strict=True)
        ]
        arts.append(Art(src.id, src.text, orig, when.isoformat(), f"origin-{s}", s, True))
        names = sorted({q.speaker for _, q in orig if q.speaker})
        by_speaker: dict[str, list[Q]] = defaultdict(list)
        for _, q in orig:
            if q.speaker and len(q.text.split()) >= 9:
                by_speaker[q.speaker].append(q)
        for r, outlet in enumerate(rng.sample(OUTLETS, rng.randint(2, 6))):
            pieces: list[str] = []
            quotes: list[tuple[tuple[int, int], Q]] = []
            at = 0
            cursor = 0
            for (a, b), q in orig:
                pieces.append(src.text[cursor:a])
                at += a - cursor
                cursor = b
                for k, wording in enumerate(edit_quote(q.text, rng)):
                    if k:
                        pieces.append(", the spokesperson said, ")
                        at += len(pieces[-1])
                    speaker = q.speaker
                    changed = False
                    last = speaker.split()[-1] if speaker else ""
                    others = [n for n in names if n.split()[-1] != last]
                    if speaker and others and rng.random() < 0.06:
                        speaker, changed = rng.choice(others), True
                    quotes.append(((at, at + len(wording)), Q(wording, speaker, q.truth, changed)))
                    pieces.append(wording)
                    at += len(wording)
            pieces.append(src.text[cursor:])
            text = "".join(pieces)
            # A hard negative now and then: a new statement of a speaker with three
            # quotes here, a third of each.
            many = [sp for sp, qs in by_speaker.items() if len(qs) >= 3]
            if many and rng.random() < 0.5:
                sp = rng.choice(many)
                parts = rng.sample(by_speaker[sp], 3)
                thirds = []
                for p in parts:
                    w = p.text.split()
                    i = rng.randrange(max(1, len(w) - len(w) // 3))
                    thirds += w[i : i + max(2, len(w) // 3)]
                neg = " ".join(thirds)
                originals[truth] = neg
                text += "\n\n"
                quotes.append(((len(text), len(text) + len(neg)), Q(neg, sp, truth, negative=True)))
                text += neg + f", {sp} said."
                truth += 1
            dated = rng.random() > 0.1
            later = when + timedelta(minutes=rng.randint(5, 3 * 1440))
            arts.append(
                Art(
                    f"{src.id}#r{r}",
                    f"{outlet} — {text}",
                    [((a + len(outlet) + 3, b + len(outlet) + 3), q) for (a, b), q in quotes],
                    later.isoformat() if dated else None,
                    outlet,
                    s,
                    False,
                )
            )
    rng.shuffle(arts)
    return arts, originals, truth_classes(originals, equal_only)


def variant(x: tuple[str, ...], y: tuple[str, ...]) -> bool:
    """Whether wording x is wording y after one of the edits the reprints above make to
    words: trimmed at either end or cut in two (x a run of y), one word substituted,
    one run cut from the middle (an ellipsis, a sentence dropped). Five words or more."""
    if len(x) < 5 or len(x) > len(y):
        return False
    if len(x) == len(y):
        return sum(a != b for a, b in zip(x, y, strict=True)) <= 1
    n = len(x)
    if any(y[i : i + n] == x for i in range(len(y) - n + 1)):
        return True
    head = next(i for i in range(n + 1) if i == n or x[i] != y[i])
    return head > 0 and x[head:] == y[len(y) - (n - head) :]


def truth_classes(originals: dict[int, str], equal_only: bool = False) -> dict[int, int]:
    """Truth id -> its class: originals of equal words (the same statement in two
    articles) are one quotation, and so is an original that is another one after an
    edit the reprints make (a gold quote that is another gold quote trimmed, or with a
    word changed): the same words cannot be one quotation when a reprint made them and
    another when an annotator did. An original that is such a variant of two originals
    that are not one another's joins neither (it cannot say which)."""
    from wirescope.corpus.quotations import UnionFind, normalize

    words = {tid: normalize(t) for tid, t in originals.items()}
    by_gram: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for tid, w in words.items():
        for i in range(max(0, len(w) - 1)):
            by_gram[w[i : i + 2]].add(tid)
    links: dict[int, set[int]] = defaultdict(set)
    for tid, w in words.items():
        if len(w) < 5:
            continue
        shared: Counter[int] = Counter()
        for i in range(len(w) - 1):
            shared.update(by_gram[w[i : i + 2]] - {tid})
        for other, n in shared.items():
            if n >= (len(w) - 1) // 3 and words[other] != w and variant(w, words[other]):
                links[tid].add(other)
    uf = UnionFind()
    first: dict[tuple[str, ...], int] = {}
    for tid, w in words.items():
        uf.find(tid)
        if len(w) >= 4:
            uf.union(tid, first.setdefault(w, tid))
    for tid, others in links.items():
        if not equal_only and all(
            variant(words[a], words[b]) or variant(words[b], words[a])
            for a in others
            for b in others
            if a < b
        ):
            for o in others:
                uf.union(tid, o)
    return {tid: uf.find(tid) for tid in words}


def pairwise(pred: dict[Any, Any], truth: dict[Any, Any]) -> tuple[float, float, float, int, int]:
    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter((pred[k], truth[k]) for k in pred))
    p_pairs = pairs(Counter(pred.values()))
    t_pairs = pairs(Counter(truth.values()))
    p = both / p_pairs if p_pairs else 1.0
    r = both / t_pairs if t_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, p_pairs, t_pairs


def records(arts: list[Art]) -> list[Any]:
    from wirescope.record.models import Entity, Quote, Record, SpeakerRef

    out = []
    for art in arts:
        people: dict[str, Entity] = {}
        quotes = []
        for n, ((a, b), q) in enumerate(art.quotes, 1):
            ref = None
            if q.speaker:
                ent = people.setdefault(
                    q.speaker, Entity(f"p{len(people) + 1}", "PERSON", q.speaker)
                )
                ref = SpeakerRef((0, 0), q.speaker, "name", ent.id, q.speaker)
            quotes.append(Quote(f"q{n}", (a, b), q.text, "direct", speaker=ref))
        out.append(
            Record(
                id=f"{art.id}",
                source={"path": art.id, "format": "jsonl", "site_name": art.outlet},
                text=art.text,
                published=datetime.fromisoformat(art.published) if art.published else None,
                quotes=quotes,
                entities=list(people.values()),
            )
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--part",
        choices=["dev", "test", "all"],
        default="test",
        help="source articles: the half the rules were tuned on (dev), the other (test)",
    )
    ap.add_argument(
        "--equal-only",
        action="store_true",
        help="the earlier truth: originals are one quotation only in equal words",
    )
    ap.add_argument("--db", help="store to write (default: a temporary SQLite file)")
    ap.add_argument("--library", action="store_true", help="group in memory, no store")
    ap.add_argument("--batch", type=int, default=32, help="articles per write_batch")
    ap.add_argument("--real", action="store_true", help="only: stories among realnews_dev")
    args = ap.parse_args()
    if args.real:
        return real_reprints()

    t0 = time.perf_counter()
    arts, originals, klass = build(args.seed, args.part, args.equal_only)
    occ = [(art, n, q) for art in arts for n, (_, q) in enumerate(art.quotes)]
    print(
        f"corpus ({args.part}{', equal-only truth' * args.equal_only}):"
        f" {sum(a.origin for a in arts)} original articles, "
        f"{sum(not a.origin for a in arts)} reprints, {len(occ)} quote occurrences "
        f"({len(originals)} distinct quotes, {sum(q.negative for _, _, q in occ)} hard "
        f"negatives, {sum(q.changed for _, _, q in occ)} speakers changed); "
        f"built in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    found = _in_memory(arts, occ) if args.library else _through_store(arts, args.db, args.batch)
    how = "in memory" if args.library else f"through a store, write_batch of {args.batch}"
    print(f"grouped in {time.perf_counter() - t0:.1f} s ({how})")
    pred, story_of, first_of, disputed_of = found

    keys = [(a.id, n) for a, n, _ in occ]
    truth = {(a.id, n): klass[q.truth] for a, n, q in occ}
    p, r, f, pp, tp = pairwise({k: pred[k] for k in keys}, truth)
    print(
        f"quotations: pairwise precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  "
        f"(predicted pairs {pp:,}, true pairs {tp:,})"
    )
    # Where the false pairs come from: hard negatives; two gold quotes of one source
    # article (often the same statement restated, which the truth counts as two); or
    # of two articles (often one statement quoted by both, not equal word for word).
    by_group: dict[Any, list[tuple[Art, Q]]] = defaultdict(list)
    for a, n, q in occ:
        by_group[pred[(a.id, n)]].append((a, q))
    kinds: Counter[str] = Counter()
    for ms in by_group.values():
        for i, (a1, q1) in enumerate(ms):
            for a2, q2 in ms[i + 1 :]:
                if klass[q1.truth] == klass[q2.truth]:
                    continue
                if q1.negative or q2.negative:
                    kinds["a hard negative"] += 1
                elif a1.story == a2.story:
                    kinds["two gold quotes of one source article"] += 1
                else:
                    kinds["gold quotes of two source articles"] += 1
    print("false pairs: " + ", ".join(f"{k} {v:,}" for k, v in kinds.most_common()))
    size = Counter(pred.values())
    neg = [(a.id, n) for a, n, q in occ if q.negative]
    merged = sum(size[pred[k]] > 1 for k in neg)
    print(f"hard negatives grouped with anything: {merged} of {len(neg)}")

    # First seen: right when it is in an original article of the truth class most of
    # the quotation's occurrences come from.
    members: dict[Any, list[tuple[Art, Q]]] = defaultdict(list)
    for a, n, q in occ:
        members[pred[(a.id, n)]].append((a, q))
    by_id = {a.id: a for a in arts}
    right = total = 0
    for g, ms in members.items():
        if len(ms) < 2:
            continue
        cls = Counter(klass[q.truth] for _, q in ms).most_common(1)[0][0]
        origins = {a.story for a, q in ms if klass[q.truth] == cls}
        first = by_id[first_of[g]]
        total += 1
        right += first.origin and first.story in origins
    print(
        f"first seen right: {right / max(1, total):.4f} "
        f"({right} of {total} quotations with 2+ occurrences)"
    )
    changed = {pred[(a.id, n)] for a, n, q in occ if q.changed}
    flagged = {g for g in members if disputed_of[g]}
    hit = len(changed & flagged)
    print(
        f"disputed flag: precision {hit / max(1, len(flagged)):.4f}  recall "
        f"{hit / max(1, len(changed)):.4f}  ({len(flagged)} flagged, "
        f"{len(changed)} quotations hold a changed speaker)"
    )
    sp, sr, sf, _, _ = pairwise({a.id: story_of[a.id] for a in arts}, {a.id: a.story for a in arts})
    print(
        f"reprints: pairwise precision {sp:.4f}  recall {sr:.4f}  F1 {sf:.4f} "
        f"({len(set(story_of.values()))} stories found, {len({a.story for a in arts})} true)"
    )
    return 0


def real_reprints() -> int:
    """The stories (reprints) found among the real texts of ../shared/data: the pages of
    realnews_dev and the articles of every JSONL set (GGT, PolNeAR dev and train,
    TimeBank/AQUAINT newswire, TR-News; one text once where two sets hold it), each
    linked story printed with its members and their 4-gram containment, and the closest
    unlinked pair."""
    from wirescope.corpus.quotations import group_stories, story_shingles
    from wirescope.reading.read import read_paths

    pages = SHARED / "realnews_dev" / "pages"
    texts = {
        f"realnews/{Path(d.path).stem}": d.text
        for d in read_paths([str(pages)])
        if hasattr(d, "text")
    }
    seen = set(texts.values())
    for path in sorted(SHARED.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                obj = json.loads(line)
                if obj.get("text") and obj["text"] not in seen:
                    seen.add(obj["text"])
                    texts[str(obj.get("id") or f"{path.stem}:{len(texts)}")] = obj["text"]
    stories = group_stories(texts)
    linked = [g for g in stories if len(g) > 1]
    sh = {k: story_shingles(t) for k, t in texts.items()}
    print(f"{len(texts)} real texts, {len(stories)} stories, {len(linked)} with reprints")
    for g in linked:
        print(f"  story of {len(g)}:")
        for k in g:
            share = max(len(sh[k] & sh[o]) / min(len(sh[k]), len(sh[o])) for o in g if o != k)
            print(f"    {k}  (containment {share:.2f})  {texts[k][:80]!r}")
    inside = {k: i for i, g in enumerate(stories) for k in g}
    best = (0.0, "", "")
    keys = sorted(k for k in sh if sh[k])
    by_gram: dict[bytes, list[str]] = defaultdict(list)
    for k in keys:
        for g in sh[k]:
            by_gram[g].append(k)
    shared: Counter[tuple[str, str]] = Counter()
    for ks in by_gram.values():
        if len(ks) < 50:
            for i, a in enumerate(ks):
                for b in ks[i + 1 :]:
                    shared[(a, b)] += 1
    for (a, b), n in shared.items():
        share = n / min(len(sh[a]), len(sh[b]))
        if inside[a] != inside[b] and share > best[0]:
            best = (share, a, b)
    print(
        f"closest unlinked pair: {best[1]} / {best[2]},"
        f" 4-gram containment {best[0]:.3f} (link at 0.5)"
    )
    return 0


Found = tuple[dict[Any, Any], dict[str, Any], dict[Any, str], dict[Any, bool]]


def _in_memory(arts: list[Art], occ: list[tuple[Art, int, Q]]) -> Found:
    from wirescope.corpus.quotations import (
        Occurrence,
        group_quotes,
        group_stories,
        normalize,
        ranks,
        summarize,
    )

    stories = group_stories({a.id: a.text for a in arts})
    story_of = {k: g[0] for g in stories for k in g}
    texts = {(a.id, n): q.text for a, n, q in occ}
    nth: dict[Any, int] = {}
    for a in arts:  # equal short wordings of one article, counted in text order
        keys = [(a.id, n) for n in sorted(range(len(a.quotes)), key=lambda i: a.quotes[i][0])]
        nth.update(zip(keys, ranks([normalize(texts[k]) for k in keys]), strict=True))
    where = {(a.id, n): (a.id, a.quotes[n][0][0]) for a, n, _ in occ}
    groups = group_quotes(texts, {(a.id, n): story_of[a.id] for a, n, _ in occ}, nth, where)
    pred = {k: i for i, g in enumerate(groups) for k in g}
    first_of: dict[Any, str] = {}
    disputed_of: dict[Any, bool] = {}
    order = {a.id: i for i, a in enumerate(arts)}
    by_key = {(a.id, n): (a, q) for a, n, q in occ}
    for i, g in enumerate(groups):
        found = [by_key[k] for k in g]
        s = summarize(str(i), [
            Occurrence(a.id, "", q.text, (0, 0), a.published, a.outlet, q.speaker,
                       origin=a.origin, order=(0, order[a.id], 0))
            for a, q in found
        ], variants=False)  # fmt: skip
        first_of[i], disputed_of[i] = s.first_seen.article_id, s.disputed
    return pred, story_of, first_of, disputed_of


def _through_store(arts: list[Art], db: str | None, batch: int) -> Found:
    from wirescope.store import open_store
    from wirescope.store.base import ArticleKey

    tmp = tempfile.TemporaryDirectory()
    store: Any = open_store(db or str(Path(tmp.name) / "provenance.db"))
    recs = records(arts)
    for i in range(0, len(recs), batch):
        chunk = recs[i : i + batch]
        store.write_batch(
            [(ArticleKey(r.id, None, (1, i + j)), r) for j, r in enumerate(chunk)], []
        )
    pred = {(a, int(q[1:]) - 1): g for (a, q), g in store.quotation_members().items()}
    rows = store.quotations(limit=10**9)
    first_of = {r.id: r.first_article for r in rows}
    disputed_of = {r.id: r.disputed for r in rows}
    story_of = store.story_members()
    store.close()
    tmp.cleanup()
    return pred, story_of, first_of, disputed_of


if __name__ == "__main__":
    sys.exit(main())
