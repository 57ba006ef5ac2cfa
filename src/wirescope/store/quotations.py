"""Quotations and stories in the store: every quote occurrence's quotation and every
article's story (its reprints), kept as the corpus grows (corpus/quotations.py holds
the rules; this module their tables).

Groups are connected components of verified near-duplicate pairs, so they do not depend
on the order articles arrive in: a batch adds its quotes to the components their band
keys lead to (merging components where a quote joins several), and an article that
goes (replaced, deleted) leaves its components to be split again among the rest. A
group's id comes from its least member (corpus.quotations.anchor_key), so the same
members get the same id whether assigned at ingest or by rebuild_quotations().

Tables (both backends): stories (article -> story, outlet, origin), story_bands,
quote_groups (occurrence -> quotation, its normalised words), quote_bands, and
quotations (each quotation's summary, for lists). A store made before them is marked
stale: `wirescope quotations --rebuild` groups what it holds.
"""

from __future__ import annotations

import json
import logging
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from wirescope.corpus.quotations import (
    Aligner,
    Occurrence,
    Quotation,
    UnionFind,
    Words,
    anchor_key,
    components,
    normalize,
    outlet_of,
    quotation_id,
    quote_bands,
    quote_bands_many,
    ranks,
    same_story,
    speakers_of,
    story_bands_many,
    story_key,
    story_shingles,
    summarize,
    verify_pair,
)
from wirescope.record.models import Record
from wirescope.record.serialize import record_from_dict

Row = tuple[Any, ...]
logger = logging.getLogger(__name__)

# Tables and indexes, the same text for both backends (band keys are signed 64-bit).
SCHEMA = """
CREATE TABLE stories (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    outlet TEXT,
    origin INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX stories_story ON stories (story_id);
CREATE TABLE story_bands (
    band BIGINT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX story_bands_band ON story_bands (band);
CREATE INDEX story_bands_article ON story_bands (article_id);
CREATE TABLE quote_groups (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    quote_id TEXT NOT NULL,
    quotation_id TEXT NOT NULL,
    words TEXT NOT NULL,
    published TEXT,
    span_start INTEGER NOT NULL,
    rank INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, quote_id)
);
CREATE INDEX quote_groups_quotation ON quote_groups (quotation_id);
CREATE TABLE quote_bands (
    band BIGINT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    quote_id TEXT NOT NULL
);
CREATE INDEX quote_bands_band ON quote_bands (band);
CREATE INDEX quote_bands_article ON quote_bands (article_id);
CREATE TABLE quotations (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    occurrences INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    outlets INTEGER NOT NULL,
    disputed INTEGER NOT NULL,
    speakers TEXT NOT NULL,
    first_article TEXT NOT NULL,
    first_quote TEXT NOT NULL,
    first_published TEXT,
    first_outlet TEXT
);
CREATE INDEX quotations_spread ON quotations (outlets DESC, occurrences DESC, id);
INSERT INTO store_state (key, value) SELECT 'quotations_stale', '1'
    WHERE EXISTS (SELECT 1 FROM articles);
"""

# A later migration, when the grouping rules change: what is stored was grouped by the
# old ones (and its band keys made by them), so the store is regrouped once.
REGROUP = """
INSERT INTO store_state (key, value) SELECT 'quotations_stale', '1'
    WHERE EXISTS (SELECT 1 FROM articles)
    AND NOT EXISTS (SELECT 1 FROM store_state WHERE key = 'quotations_stale');
"""

Member = tuple[str, str]  # (article id, quote id)
GROUPING_TABLES = ("quotations", "quote_bands", "quote_groups", "story_bands", "stories")
QUOTATION_COLUMNS = (
    *("id", "text", "occurrences", "articles", "outlets", "disputed", "speakers"),
    *("first_article", "first_quote", "first_published", "first_outlet"),
)


@dataclass
class QuotationRow:
    """A quotation in a list: its summary, no occurrences."""

    id: str
    text: str
    occurrences: int
    articles: int
    outlets: int
    disputed: bool
    speakers: list[dict[str, Any]]
    first_article: str
    first_quote: str
    first_published: str | None
    first_outlet: str | None


@dataclass
class QuoteLink:
    """What an article's quote says about its quotation (the article page's link)."""

    quotation_id: str
    articles: int  # other articles holding it
    first_article: str
    first_published: str | None
    first_outlet: str | None


@dataclass
class _Node:
    article_id: str
    quote_id: str
    words: Words
    story: str | None
    published: str | None
    span_start: int
    bands: list[int]
    rank: int = 0


def _same_story(shingles: dict[Any, frozenset[bytes]], a: Any, b: Any) -> bool:
    return same_story(shingles[a], shingles[b])


def _same_node(
    nodes: dict[Member, _Node], keys: list[Member], aligner: Aligner, a: int, b: int
) -> bool:
    return _verify(nodes[keys[a]], nodes[keys[b]], aligner)


def _same_quote(nodes: dict[Member, _Node], aligner: Aligner, a: Member, b: Member) -> bool:
    return _verify(nodes[a], nodes[b], aligner)


def _verify(x: _Node, y: _Node, aligner: Aligner) -> bool:
    aligned = None  # one article
    if x.article_id != y.article_id and x.story is not None and x.story == y.story:
        aligned = aligner.aligned(x.article_id, x.quote_id, y.article_id, y.quote_id)
    return verify_pair(x.words, y.words, x.story, y.story, x.rank, y.rank, aligned)


# Each occurrence with what a quotation shows of it (the first column: its quotation).
OCCURRENCES = (
    "SELECT g.quotation_id, g.article_id, g.quote_id, q.text, q.span_start, q.span_end,"
    " g.published, s.outlet, coalesce(p.name, q.speaker_name), q.person_id, a.headline,"
    " coalesce(a.ingest_run, 0), coalesce(a.ingest_pos, 0), a.seq, coalesce(s.origin, 1),"
    " s.story_id FROM quote_groups g"
    " JOIN quotes q ON q.article_id = g.article_id AND q.quote_id = g.quote_id"
    " JOIN articles a ON a.id = g.article_id"
    " LEFT JOIN stories s ON s.article_id = g.article_id"
    " LEFT JOIN people p ON p.person_id = q.person_id"
)


def _occurrence(r: Row) -> Occurrence:
    return Occurrence(
        article_id=r[1],
        quote_id=r[2],
        text=r[3],
        span=(int(r[4]), int(r[5])),
        published=r[6],
        outlet=r[7],
        speaker=r[8],
        person_id=r[9],
        headline=r[10],
        order=(int(r[11]), int(r[12]), int(r[13])),
        origin=bool(r[14]),
        story_id=r[15],
    )


def _summary_row(qid: str, s: Quotation) -> Row:
    """A quotation's row in `quotations`."""
    f = s.first_seen
    speakers = [{"person": p.person, "count": p.count} for p in s.speakers]
    return (
        *(qid, s.text, len(s.occurrences), s.articles, s.outlets, int(s.disputed)),
        json.dumps(speakers, ensure_ascii=False),
        *(f.article_id, f.quote_id, f.published, f.outlet),
    )


def _grouped_part(doc: str) -> dict[str, Any]:
    # Grouping reads the text, quotes, source, dates and dateline of a record: its
    # entities, dates and events (most of a record's JSON) need not be parsed again.
    record: dict[str, Any] = json.loads(doc)
    return {**record, "entities": [], "dates": [], "events": []}


class QuotationStore:
    """Mixed into SQLStore: the primitives below are SQLStore's."""

    _exec: Callable[..., None]
    _execmany: Callable[..., None]
    _copy: Callable[..., None]
    _rows: Callable[..., list[Row]]
    _in: Callable[..., tuple[str, list[Any]]]
    _transaction: Callable[..., Any]
    _lock_writes: Callable[..., None]
    _stream: Callable[..., Iterator[Sequence[Row]]]
    _unindex: Callable[[Sequence[str]], list[str]]
    _clear: Callable[[str], None]
    _json_text: Callable[[str, str], str]

    def _in_ints(self, column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
        return self._in(column, values)

    def _aligner(self, nodes: Iterable[_Node]) -> Aligner:
        """Copies of one story aligned (corpus.quotations.align) on all the quotes of
        each article: those of `nodes` for the articles they hold (new ones: all their
        quotes), else as stored."""
        fresh: dict[str, list[_Node]] = {}
        for n in nodes:
            fresh.setdefault(n.article_id, []).append(n)
        stored: dict[str, list[tuple[Any, Words]]] = {}

        def quotes(article: str) -> list[tuple[Any, Words]]:
            if article in fresh:
                ordered = sorted(fresh[article], key=lambda n: (n.span_start, n.quote_id))
                return [(n.quote_id, n.words) for n in ordered]
            if article not in stored:
                rows = self._rows(
                    "SELECT quote_id, words, span_start FROM quote_groups WHERE article_id = ?",
                    (article,),
                )
                rows.sort(key=lambda r: (int(r[2]), r[0]))
                stored[article] = [(r[0], tuple(r[1].split())) for r in rows]
            return stored[article]

        return Aligner(quotes)

    # -- deletions: what an article leaves behind -------------------------------

    def _drop_article(self, article_id: str) -> None:
        """Before an article's rows go: note the quotations and story it leaves, to be
        split again among what remains (_regroup)."""
        dropped = self.__dict__.setdefault("_dropped", (set(), set()))
        for (qid,) in self._rows(
            "SELECT DISTINCT quotation_id FROM quote_groups WHERE article_id = ?", (article_id,)
        ):
            dropped[0].add(qid)
        for (sid,) in self._rows(
            "SELECT story_id FROM stories WHERE article_id = ?", (article_id,)
        ):
            dropped[1].add(sid)

    def _take_dropped(self) -> tuple[set[str], set[str]]:
        dropped: tuple[set[str], set[str]] = self.__dict__.pop("_dropped", (set(), set()))
        return dropped

    # -- the batch hook ---------------------------------------------------------

    def _regroup(self, records: Sequence[Record]) -> None:
        """Inside a write transaction, after the records' quotes rows are written: give
        their articles a story and their quotes a quotation, and split again what the
        batch's replaced articles left."""
        lost_quotations, lost_stories = self._take_dropped()
        changed = self._stories(records, lost_stories)
        # Articles whose story changed (merged, split, renamed): their quotes are grouped
        # again, as copies of one story group differently.
        old = [a for a in sorted(changed) if a not in {r.id for r in records}]
        if old:
            cond, params = self._in("article_id", old)
            for (qid,) in self._rows(
                f"SELECT DISTINCT quotation_id FROM quote_groups WHERE {cond}", params
            ):
                lost_quotations.add(qid)
            self._exec(f"DELETE FROM quote_groups WHERE {cond}", params)
            self._exec(f"DELETE FROM quote_bands WHERE {cond}", params)
        touched = self._split_quotations(lost_quotations)
        touched |= self._add_quotes(self._new_nodes(records, old))
        self._summarize(touched)

    # -- stories ----------------------------------------------------------------

    def _stories(self, records: Sequence[Record], lost: set[str]) -> set[str]:
        """Stories for new articles (and what dropped ones left); returns the articles
        whose story id changed, new ones included."""
        changed = self._split_stories(lost)
        new = {r.id: r for r in records}
        bands = dict(zip(new, story_bands_many([r.text for r in records]), strict=True))
        self._copy(
            "story_bands",
            ("band", "article_id"),
            [(b, aid) for aid, bs in bands.items() for b in bs],
        )
        # Existing articles sharing a band with a new one, and their stories.
        all_bands = sorted({b for bs in bands.values() for b in bs})
        hits: dict[int, list[str]] = {}
        if all_bands:
            cond, params = self._in_ints("band", all_bands)
            for band, aid in self._rows(
                f"SELECT band, article_id FROM story_bands WHERE {cond}", params
            ):
                if aid not in new:
                    hits.setdefault(int(band), []).append(aid)
        found = sorted({a for aids in hits.values() for a in aids})
        story_of: dict[str, str] = dict(
            self._select_in("SELECT article_id, story_id FROM stories", "article_id", found)
        )
        # Shingles only of the articles compared: a copy of a story of hundreds is
        # compared with one of them (the rest are then of its story already).
        shingles: dict[str, frozenset[bytes]] = {}

        def same(a: str, b: str) -> bool:
            for aid in (a, b):
                if aid not in shingles:
                    text = new[aid].text if aid in new else self._article_text(aid)
                    shingles[aid] = story_shingles(text)
            return same_story(shingles[a], shingles[b])

        uf = UnionFind()
        seen: dict[int, list[str]] = {}
        for aid in sorted(new):
            uf.find(("a", aid))
            for band in bands[aid]:
                for other in hits.get(band, []):
                    node = ("s", story_of.get(other, other))
                    if uf.find(node) != uf.find(("a", aid)) and same(aid, other):
                        uf.union(("a", aid), node)
                for other in seen.get(band, []):
                    if uf.find(("a", other)) != uf.find(("a", aid)) and same(aid, other):
                        uf.union(("a", aid), ("a", other))
                seen.setdefault(band, []).append(aid)
        groups: dict[Any, set[Any]] = {}
        for node in list(uf.parent):
            groups.setdefault(uf.find(node), set()).add(node)
        outlets = {
            r.id: outlet_of(r.source, r.dateline.agency if r.dateline else None) for r in records
        }
        self._copy(
            "stories",
            ("article_id", "story_id", "outlet", "origin"),
            [(aid, aid, outlets[aid], 1) for aid in sorted(new)],
        )
        for nodes in groups.values():
            if len(nodes) == 1 and next(iter(nodes))[0] == "a":
                continue  # a new article alone: its own story, as inserted
            members = sorted({n[1] for n in nodes if n[0] == "a"})
            old_ids = sorted({n[1] for n in nodes if n[0] == "s"})
            members += [
                a
                for (a,) in self._select_in("SELECT article_id FROM stories", "story_id", old_ids)
                if a not in new
            ]
            changed |= self._name_story(members)
        return changed | set(new)

    def _split_stories(self, lost: set[str]) -> set[str]:
        """Stories that lost articles: split again among the rest."""
        changed: set[str] = set()
        for sid in sorted(lost):
            rest = [
                a
                for (a,) in self._rows("SELECT article_id FROM stories WHERE story_id = ?", (sid,))
            ]
            if not rest:
                continue
            sh = {
                a: story_shingles(t)
                for a, t in self._select_in("SELECT id, text FROM articles", "id", rest)
            }
            bs: dict[str, list[int]] = {a: [] for a in rest}
            for band, a in self._select_in(
                "SELECT band, article_id FROM story_bands", "article_id", rest
            ):
                bs[a].append(int(band))
            for part in components(bs, partial(_same_story, sh)):
                changed |= self._name_story(list(part))
        return changed

    def _name_story(self, members: list[str]) -> set[str]:
        """Give one story's articles its id (its earliest dated article) and origin flag;
        returns those whose story id changed."""
        rows = self._select_in(
            "SELECT s.article_id, s.story_id, a.published, s.origin FROM stories s"
            " JOIN articles a ON a.id = s.article_id",
            "s.article_id",
            sorted(set(members)),
        )
        if not rows:
            return set()
        anchor = min(rows, key=lambda r: anchor_key(r[2], r[0], 0))[0]
        changed = {r[0] for r in rows if r[1] != anchor}
        # Only the rows that change (a copy added to a story of hundreds changes one).
        moved = [r[0] for r in rows if r[1] != anchor or (r[0] == anchor) != bool(r[3])]
        if moved:
            cond, params = self._in("article_id", moved)
            self._exec(
                "UPDATE stories SET story_id = ?,"
                f" origin = CASE WHEN article_id = ? THEN 1 ELSE 0 END WHERE {cond}",
                [anchor, anchor, *params],
            )
        return changed

    def _article_text(self, article_id: str) -> str:
        rows = self._rows("SELECT text FROM articles WHERE id = ?", (article_id,))
        return str(rows[0][0]) if rows else ""

    # -- quotations -------------------------------------------------------------

    def _new_nodes(self, records: Sequence[Record], old_articles: Sequence[str]) -> list[_Node]:
        """The occurrences to add: the new records' quotes, and the quotes of articles
        whose story changed (read back from the store)."""
        ids = sorted({r.id for r in records} | set(old_articles))
        story: dict[str, str] = dict(
            self._select_in("SELECT article_id, story_id FROM stories", "article_id", ids)
        )
        found: dict[str, list[tuple[int, str, str, str | None]]] = {}
        for r in records:
            published = r.published.isoformat() if r.published else None
            found[r.id] = [(q.span[0], q.id, q.text, published) for q in r.quotes]
        for aid, qid, text, published, start in self._select_in(
            "SELECT article_id, quote_id, text, published, span_start FROM quotes",
            "article_id",
            sorted(old_articles),
        ):
            found.setdefault(aid, []).append((int(start), qid, text, published))
        nodes = []
        for aid, quotes in found.items():
            quotes.sort()
            words = [normalize(text) for _, _, text, _ in quotes]
            for (start, qid, _, published), w, nth in zip(quotes, words, ranks(words), strict=True):
                bands = quote_bands(w) + story_key(w, story.get(aid), nth)
                nodes.append(_Node(aid, qid, w, story.get(aid), published, start, bands, nth))
        return nodes

    def _add_quotes(self, nodes: list[_Node]) -> set[str]:
        """Add occurrences to the quotations their band keys lead to (a component each);
        returns the quotation ids touched (new, renamed or merged away)."""
        if not nodes:
            return set()
        all_bands = sorted({b for n in nodes for b in n.bands})
        hits: dict[int, list[Member]] = {}
        if all_bands:
            cond, params = self._in_ints("band", all_bands)
            for band, aid, qid in self._rows(
                f"SELECT band, article_id, quote_id FROM quote_bands WHERE {cond}", params
            ):
                hits.setdefault(int(band), []).append((aid, qid))
        known = self._members({m for ms in hits.values() for m in ms})
        # Each key's stored occurrences by quotation: a quotation of hundreds is one
        # node, tried member by member only until one verifies (or it is joined).
        by_quotation: dict[int, list[tuple[str, list[_Node]]]] = {}
        for band, ms in hits.items():
            held: dict[str, list[_Node]] = {}
            for m in ms:
                if m in known:
                    held.setdefault(known[m][0], []).append(known[m][1])
            by_quotation[band] = list(held.items())
        aligner = self._aligner(nodes)
        uf = UnionFind()
        seen: dict[int, list[_Node]] = {}
        for n in nodes:
            me = ("n", n.article_id, n.quote_id)
            uf.find(me)
            for band in n.bands:
                for qid, others in by_quotation.get(band, ()):
                    node = ("q", qid)
                    for other in others:
                        if uf.find(node) == uf.find(me):
                            break
                        if _verify(n, other, aligner):
                            uf.union(me, node)
                            break
                for o in seen.get(band, []):
                    on = ("n", o.article_id, o.quote_id)
                    if uf.find(on) != uf.find(me) and _verify(n, o, aligner):
                        uf.union(me, on)
                seen.setdefault(band, []).append(n)
        by_key = {(n.article_id, n.quote_id): n for n in nodes}
        groups: dict[Any, list[Any]] = {}
        for key in list(uf.parent):
            groups.setdefault(uf.find(key), []).append(key)
        touched: set[str] = set()
        new_rows: list[Row] = []
        for keys in groups.values():
            fresh = [by_key[(k[1], k[2])] for k in keys if k[0] == "n"]
            if not fresh:
                continue
            old_ids = sorted({k[1] for k in keys if k[0] == "q"})
            anchors = [
                (anchor_key(n.published, n.article_id, n.span_start), n.words, n.rank)
                for n in fresh
            ]
            for aid, words, published, start, nth in self._select_in(
                "SELECT article_id, words, published, span_start, rank FROM quote_groups",
                "quotation_id",
                old_ids,
            ):
                key = anchor_key(published, aid, int(start))
                anchors.append((key, tuple(words.split()), int(nth)))
            (_, _, aid, _), words, nth = min(anchors)
            new_id = quotation_id(aid, words, nth)
            gone = [o for o in old_ids if o != new_id]
            if gone:
                cond, params = self._in("quotation_id", gone)
                self._exec(
                    f"UPDATE quote_groups SET quotation_id = ? WHERE {cond}", [new_id, *params]
                )
            touched |= {new_id, *old_ids}
            new_rows += [
                (
                    n.article_id,
                    n.quote_id,
                    new_id,
                    " ".join(n.words),
                    n.published,
                    n.span_start,
                    n.rank,
                )
                for n in fresh
            ]
        # By COPY on PostgreSQL: a batch adds tens of band rows per quote.
        self._copy(
            "quote_groups",
            ("article_id", "quote_id", "quotation_id", "words", "published", "span_start", "rank"),
            new_rows,
        )
        self._copy(
            "quote_bands",
            ("band", "article_id", "quote_id"),
            [(b, n.article_id, n.quote_id) for n in nodes for b in n.bands],
        )
        return touched

    def _members(self, members: set[Member]) -> dict[Member, tuple[str, _Node]]:
        """Stored occurrences by (article, quote): their quotation and node."""
        out: dict[Member, tuple[str, _Node]] = {}
        rows = self._select_in(
            "SELECT g.article_id, g.quote_id, g.quotation_id, g.words, s.story_id, g.published,"
            " g.span_start, g.rank FROM quote_groups g"
            " LEFT JOIN stories s ON s.article_id = g.article_id",
            "g.article_id",
            sorted({a for a, _ in members}),
        )
        for aid, qid, quotation, words, story, published, start, nth in rows:
            if (aid, qid) in members:
                w = tuple(words.split())
                node = _Node(aid, qid, w, story, published, int(start), [], int(nth))
                out[(aid, qid)] = (quotation, node)
        return out

    def _split_quotations(self, lost: set[str]) -> set[str]:
        """Quotations that lost occurrences: their components among the rest, renamed
        by their anchors. Returns the ids touched."""
        touched = set(lost)
        for old in sorted(lost):
            rows = self._rows(
                "SELECT g.article_id, g.quote_id, g.words, s.story_id, g.published, g.span_start,"
                " g.rank FROM quote_groups g LEFT JOIN stories s ON s.article_id = g.article_id"
                " WHERE g.quotation_id = ?",
                (old,),
            )
            if not rows:
                continue
            nodes = {
                (r[0], r[1]): _Node(
                    r[0], r[1], tuple(r[2].split()), r[3], r[4], int(r[5]), [], int(r[6])
                )
                for r in rows
            }
            for band, aid, qid in self._select_in(
                "SELECT band, article_id, quote_id FROM quote_bands",
                "article_id",
                sorted({r[0] for r in rows}),
            ):
                if (aid, qid) in nodes:
                    nodes[(aid, qid)].bands.append(int(band))
            same = partial(_same_quote, nodes, self._aligner(()))
            parts = components({k: n.bands for k, n in nodes.items()}, same)
            for part in parts:
                first = min(
                    part, key=lambda k: anchor_key(nodes[k].published, k[0], nodes[k].span_start)
                )
                new_id = quotation_id(first[0], nodes[first].words, nodes[first].rank)
                touched.add(new_id)
                for aid, qid in part:
                    self._exec(
                        "UPDATE quote_groups SET quotation_id = ?"
                        " WHERE article_id = ? AND quote_id = ?",
                        (new_id, aid, qid),
                    )
        return touched

    def _summarize(self, ids: Iterable[str]) -> None:
        """Write the summary rows of these quotations (deleting those left empty)."""
        ids = sorted(set(ids))
        if not ids:
            return
        cond, params = self._in("id", ids)
        self._exec(f"DELETE FROM quotations WHERE {cond}", params)
        rows = [
            _summary_row(qid, summarize(qid, occs, variants=False))
            for qid, occs in self._occurrences(ids).items()
        ]
        self._copy("quotations", QUOTATION_COLUMNS, rows)

    def _occurrences(self, ids: Sequence[str]) -> dict[str, list[Occurrence]]:
        out: dict[str, list[Occurrence]] = {}
        for r in self._select_in(OCCURRENCES, "g.quotation_id", ids):
            out.setdefault(r[0], []).append(_occurrence(r))
        return out

    def _select_in(self, select: str, column: str, values: Sequence[Any]) -> list[Row]:
        if not values:
            return []
        cond, params = self._in(column, list(values))
        joiner = " AND " if " WHERE " in select else " WHERE "
        return self._rows(f"{select}{joiner}{cond}", params)

    # -- rebuild ----------------------------------------------------------------

    def rebuild_quotations(
        self, chunk: int = 1000, progress: Callable[[int], None] | None = None
    ) -> int:
        """Regroup every quote and story from scratch, in one transaction; the same
        groups and ids as assigning them at ingest (see _Rebuild). Returns the number
        of articles."""
        with self._transaction():
            self._lock_writes()
            self.__dict__.pop("_dropped", None)
            restore = self._unindex(GROUPING_TABLES)
            for table in GROUPING_TABLES:
                self._clear(table)
            rebuild = _Rebuild(self, chunk, progress)
            for phase in (rebuild.stories, rebuild.quotes, rebuild.regroup):
                _timed(phase)
            _timed(partial(self._run_all, restore), "indexes")
            _timed(rebuild.summarize)
            self._exec(
                "DELETE FROM store_state WHERE key IN ('quotations_stale', 'quotations_pending')"
            )
        return len(rebuild.ids)

    def _run_all(self, statements: Sequence[str]) -> None:
        for statement in statements:
            self._exec(statement)

    def _regroup_pages(
        self, select: str, chunk: int, progress: Callable[[int], None] | None = None
    ) -> int:
        """Regroup the articles that `select` pages through (its parameters: the last
        id seen and the page size), chunk by chunk in id order. Returns how many."""
        done, after = 0, ""
        while page := self._rows(select, (after, chunk)):
            after = page[-1][0]
            self._regroup([record_from_dict(_grouped_part(doc)) for _, doc in page])
            done += len(page)
            if progress:
                progress(done)
        return done

    def quotations_pending(self) -> bool:
        return bool(self._rows("SELECT 1 FROM store_state WHERE key = 'quotations_pending'"))

    def group_pending_quotations(self, chunk: int = 256) -> int:
        """Group the articles written without grouping (write_unresolved: those with no
        story yet) into what is grouped, chunk by chunk, as write_batch would have: the
        groups do not depend on the order articles come in, so this equals a rebuild.
        Where the rest is stale too, a rebuild. Returns the number of articles."""
        if self.quotations_stale():
            return self.rebuild_quotations(chunk)
        with self._transaction():
            self._lock_writes()
            done = self._regroup_pages(
                "SELECT a.id, a.record_json FROM articles a WHERE a.id > ? AND NOT EXISTS"
                " (SELECT 1 FROM stories s WHERE s.article_id = a.id) ORDER BY a.id LIMIT ?",
                chunk,
            )
            self._exec("DELETE FROM store_state WHERE key = 'quotations_pending'")
        return done

    def refresh_quotations(self) -> None:
        """Summaries again (speakers change when people are rebuilt)."""
        ids = [r[0] for r in self._rows("SELECT DISTINCT quotation_id FROM quote_groups")]
        for i in range(0, len(ids), 1000):
            self._summarize(ids[i : i + 1000])

    def quotations_stale(self) -> bool:
        return bool(self._rows("SELECT 1 FROM store_state WHERE key = 'quotations_stale'"))

    # -- reads ------------------------------------------------------------------

    def quotation_members(self) -> dict[Member, str]:
        return {
            (a, q): qid
            for a, q, qid in self._rows(
                "SELECT article_id, quote_id, quotation_id FROM quote_groups"
            )
        }

    def story_members(self) -> dict[str, str]:
        return dict(self._rows("SELECT article_id, story_id FROM stories"))

    def quotations_full(self, rows: Sequence[QuotationRow]) -> list[Quotation]:
        """The quotations of a list with their occurrences (no variants)."""
        occs = self._occurrences([r.id for r in rows])
        return [summarize(r.id, occs[r.id], variants=False) for r in rows if r.id in occs]

    def quotation(self, quotation_id: str) -> Quotation | None:
        occs = self._occurrences([quotation_id]).get(quotation_id)
        return summarize(quotation_id, occs) if occs else None

    def quotation_ids(self, prefix: str, limit: int = 10) -> list[str]:
        return [
            r[0]
            for r in self._rows(
                "SELECT id FROM quotations WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?",
                (len(prefix), prefix, limit),
            )
        ]

    def quote_links(self, article_id: str) -> dict[str, QuoteLink]:
        """quote id -> its quotation, for the quotes of one article."""
        rows = self._rows(
            "SELECT g.quote_id, t.id, t.articles, t.first_article, t.first_published,"
            " t.first_outlet FROM quote_groups g JOIN quotations t ON t.id = g.quotation_id"
            " WHERE g.article_id = ?",
            (article_id,),
        )
        return {r[0]: QuoteLink(r[1], int(r[2]) - 1, r[3], r[4], r[5]) for r in rows}

    def quotations(
        self,
        speaker: str | None = None,
        about: str | None = None,
        min_outlets: int = 1,
        disputed: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuotationRow]:
        """Quotations by spread (outlets, then occurrences), narrowed as asked."""
        where = ["t.outlets >= ?"]
        params: list[Any] = [min_outlets]
        if disputed:
            where.append("t.disputed = 1")
        if speaker is not None or about is not None:
            # The quotes that match, through the quote list's own filters.
            hits = self.quotes(speaker=speaker, about=about)  # type: ignore[attr-defined]
            members = sorted({(h.article_id, h.quote_id) for h in hits})
            found = {
                qid
                for a, q, qid in self._select_in(
                    "SELECT article_id, quote_id, quotation_id FROM quote_groups",
                    "article_id",
                    sorted({a for a, _ in members}),
                )
                if (a, q) in set(members)
            }
            if not found:
                return []
            cond, ps = self._in("t.id", sorted(found))
            where.append(cond)
            params += ps
        rows = self._rows(
            "SELECT t.id, t.text, t.occurrences, t.articles, t.outlets, t.disputed, t.speakers,"
            " t.first_article, t.first_quote, t.first_published, t.first_outlet FROM quotations t"
            " WHERE " + " AND ".join(where) + " ORDER BY t.outlets DESC, t.occurrences DESC, t.id"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [
            QuotationRow(
                r[0],
                r[1],
                int(r[2]),
                int(r[3]),
                int(r[4]),
                bool(r[5]),
                json.loads(r[6]),
                r[7],
                r[8],
                r[9],
                r[10],
            )
            for r in rows
        ]


class _Rebuild:
    """rebuild_quotations() over a whole store in a few passes, with bounded memory: the
    groups it makes are those of the incremental path (QuotationStore._regroup), the
    connected components of the pairs that share a band key and pass verification,
    which do not depend on the order of arrival, so every pair need not be met as
    ingest meets them.

    1. stories(): the articles streamed once (their band keys written by COPY, kept in
       numpy arrays); the articles that share a band are verified (same_story) a batch
       of candidate components at a time, their texts read again; each story named by
       its anchor.
    2. quotes(): the quotes streamed once, in article order; each written as a
       quotation of its own (its group row, band keys and summary, by COPY).
    3. regroup(): only the quotes that share a band key with another (found in SQL)
       are verified, a batch of candidate components at a time; those that join a group
       are moved to its id (one UPDATE ... FROM a table of moves).
    4. summarize(): the summaries of the groups of 2+ occurrences.

    Memory: a few words per article (its id, date, outlet, story) and the band keys of
    the articles; the quotes' data only for the batch of candidates at hand."""

    BATCH = 4000  # candidates verified together (their rows read at once)

    def __init__(
        self, store: QuotationStore, chunk: int, progress: Callable[[int], None] | None
    ) -> None:
        self.store = store
        self.chunk = chunk
        self.progress = progress
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.published: list[str | None] = []
        self.outlet: list[str | None] = []
        self.story = np.zeros(0, dtype=np.int64)  # article -> its story's anchor
        self.grouped: set[str] = set()  # quotations of 2+ occurrences
        self.moves: list[Row] = []  # (article, quote, quotation) of those that moved
        self.gone: set[str] = set()  # singleton quotations merged away

    # -- stories --------------------------------------------------------------

    def stories(self) -> None:
        st = self.store
        source = st._json_text("record_json", "source")
        band_parts, owner_parts = [], []
        for page in st._stream(
            f"SELECT id, published, agency, {source}, text FROM articles ORDER BY id",
            (),
            self.chunk,
        ):
            keys = story_bands_many([r[4] for r in page])
            rows: list[Row] = []
            owners: list[int] = []
            for (aid, published, agency, src, _), bands in zip(page, keys, strict=True):
                at = len(self.ids)
                self.index[aid] = at
                self.ids.append(aid)
                self.published.append(published)
                found = json.loads(src) if src else None
                self.outlet.append(outlet_of(found if isinstance(found, dict) else {}, agency))
                rows += [(b, aid) for b in bands]
                owners += [at] * len(bands)
            st._copy("story_bands", ("band", "article_id"), rows)
            if len(self.ids) % 50_000 < len(page):
                logger.info("quotations rebuild: %d articles read", len(self.ids))
            band_parts.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
            owner_parts.append(np.asarray(owners, dtype=np.int64))
        n = len(self.ids)
        empty = np.zeros(0, dtype=np.int64)
        runs = _Runs.of(
            np.concatenate(band_parts) if band_parts else empty,
            np.concatenate(owner_parts) if owner_parts else empty,
            n,
        )
        del band_parts, owner_parts
        uf = UnionFind()
        for batch in runs.batches(self.BATCH):
            members = sorted({int(m) for run in batch for m in run})
            texts: dict[str, str] = dict(
                st._select_in("SELECT id, text FROM articles", "id", [self.ids[m] for m in members])
            )
            shingles = {m: story_shingles(texts[self.ids[m]]) for m in members}
            for run in batch:
                _join(uf, [int(m) for m in run], partial(_same_story, shingles))
        self.story = np.arange(n, dtype=np.int64)
        groups: dict[Any, list[int]] = {}
        for m in list(uf.parent):
            groups.setdefault(uf.find(m), []).append(m)
        for members in groups.values():
            key = partial(_article_anchor, self.published, self.ids)
            self.story[members] = min(members, key=key)
        st._copy(
            "stories",
            ("article_id", "story_id", "outlet", "origin"),
            [
                (aid, self.ids[self.story[i]], self.outlet[i], int(self.story[i] == i))
                for i, aid in enumerate(self.ids)
            ],
        )

    # -- quotes, each alone ---------------------------------------------------

    def quotes(self) -> None:
        st = self.store
        done = 0
        for articles in _by_article(
            st._stream(
                "SELECT q.article_id, q.quote_id, q.text, q.span_start, q.published,"
                " coalesce(p.name, q.speaker_name), q.person_id FROM quotes q"
                " LEFT JOIN people p ON p.person_id = q.person_id ORDER BY q.article_id",
                (),
                self.chunk * 8,
            ),
            self.chunk,
        ):
            groups: list[Row] = []
            bands: list[Row] = []
            summaries: list[Row] = []
            nodes: list[tuple[str, int, Row, Words, int]] = []
            for aid, quotes in articles:
                at = self.index[aid]
                quotes.sort(key=lambda q: (int(q[3]), q[1]))
                wordings = [normalize(q[2]) for q in quotes]
                nodes += [
                    (aid, at, q, w, nth)
                    for q, w, nth in zip(quotes, wordings, ranks(wordings), strict=True)
                ]
            keys = quote_bands_many([n[3] for n in nodes])
            for (aid, at, q, words, nth), lsh in zip(nodes, keys, strict=True):
                _, qid, text, start, published, speaker, person = q
                story = self.ids[self.story[at]]
                alone = quotation_id(aid, words, nth)
                groups.append((aid, qid, alone, " ".join(words), published, int(start), nth))
                bands += [(b, aid, qid) for b in [*lsh, *story_key(words, story, nth)]]
                occ = Occurrence(
                    aid, qid, text, (int(start), int(start)), published, self.outlet[at],
                    speaker, person,
                )  # fmt: skip
                people, _ = speakers_of([occ])
                summaries.append(
                    _summary_row(
                        alone, Quotation(alone, text.strip(), occ, [occ], people, False, 1)
                    )
                )
            st._copy("quote_groups", QUOTE_GROUP_COLUMNS, groups)
            st._copy("quote_bands", ("band", "article_id", "quote_id"), bands)
            st._copy("quotations", QUOTATION_COLUMNS, summaries)
            if done // 50_000 != (done + len(articles)) // 50_000:
                logger.info("quotations rebuild: quotes of %d articles written", done)
            done += len(articles)
            if self.progress:
                self.progress(done)

    # -- quotes that share a band key -----------------------------------------

    def regroup(self) -> None:
        st = self.store
        members: dict[Member, int] = {}
        bands = array("q")  # 8 bytes a key, not a Python int's 36
        owners = array("q")
        for page in st._stream(
            "SELECT band, article_id, quote_id FROM quote_bands WHERE band IN"
            " (SELECT band FROM quote_bands GROUP BY band HAVING count(*) > 1)",
            (),
            self.chunk * 8,
        ):
            for band, aid, qid in page:
                bands.append(int(band))
                owners.append(members.setdefault((aid, qid), len(members)))
        keys = list(members)
        del members
        runs = _Runs.of(
            np.frombuffer(bands, dtype=np.int64), np.frombuffer(owners, dtype=np.int64), len(keys)
        )
        del bands, owners
        uf = UnionFind()
        for batch in runs.batches(self.BATCH):
            articles = sorted({keys[int(m)][0] for run in batch for m in run})
            nodes: dict[Member, _Node] = {}
            for aid, qid, words, published, start, nth in st._select_in(
                "SELECT article_id, quote_id, words, published, span_start, rank FROM quote_groups",
                "article_id",
                articles,
            ):
                story = self.ids[self.story[self.index[aid]]]
                w = tuple(words.split())
                nodes[(aid, qid)] = _Node(aid, qid, w, story, published, int(start), [], int(nth))
            aligner = st._aligner(nodes.values())
            same = partial(_same_node, nodes, keys, aligner)
            for run in batch:
                _join(uf, [int(m) for m in run], same)
            self._name(uf, batch, keys, nodes)
        self._move()

    def _name(
        self, uf: UnionFind, batch: list[np.ndarray], keys: list[Member], nodes: dict[Member, _Node]
    ) -> None:
        """The groups a batch of candidate components formed: each named by its anchor
        (as _add_quotes names it), its members moved there."""
        groups: dict[Any, list[_Node]] = {}
        for m in {int(m) for run in batch for m in run}:
            groups.setdefault(uf.find(m), []).append(nodes[keys[m]])
        for group in groups.values():
            if len(group) < 2:
                continue
            first = min(
                group,
                key=lambda n: (
                    anchor_key(n.published, n.article_id, n.span_start),
                    n.words,
                    n.rank,
                ),
            )
            new_id = quotation_id(first.article_id, first.words, first.rank)
            self.grouped.add(new_id)
            for n in group:
                alone = quotation_id(n.article_id, n.words, n.rank)
                self.gone.add(alone)
                if alone != new_id:
                    self.moves.append((n.article_id, n.quote_id, new_id))

    def _move(self) -> None:
        st = self.store
        st._exec("CREATE TEMP TABLE IF NOT EXISTS regroup_moves"
                 " (article_id TEXT, quote_id TEXT, quotation_id TEXT)")  # fmt: skip
        st._exec("CREATE TEMP TABLE IF NOT EXISTS regroup_gone (id TEXT)")
        st._exec("DELETE FROM regroup_moves")
        st._exec("DELETE FROM regroup_gone")
        st._copy("regroup_moves", ("article_id", "quote_id", "quotation_id"), self.moves)
        st._copy("regroup_gone", ("id",), [(q,) for q in sorted(self.gone)])
        if self.moves:
            st._exec(
                "UPDATE quote_groups SET quotation_id = m.quotation_id FROM regroup_moves m"
                " WHERE m.article_id = quote_groups.article_id"
                " AND m.quote_id = quote_groups.quote_id"
            )
        if self.gone:
            st._exec("DELETE FROM quotations WHERE id IN (SELECT id FROM regroup_gone)")
        st._exec("DROP TABLE regroup_moves")
        st._exec("DROP TABLE regroup_gone")
        self.moves, self.gone = [], set()

    def summarize(self) -> None:
        """The summaries of the groups of 2+ occurrences, from one streamed join (one
        plan for all, not one query per thousand)."""
        st = self.store
        st._exec("CREATE TEMP TABLE IF NOT EXISTS regroup_grouped (id TEXT PRIMARY KEY)")
        st._exec("DELETE FROM regroup_grouped")
        st._copy("regroup_grouped", ("id",), [(q,) for q in sorted(self.grouped)])
        for batch in _by_article(
            st._stream(
                f"{OCCURRENCES} WHERE g.quotation_id IN (SELECT id FROM regroup_grouped)"
                " ORDER BY g.quotation_id",
                (),
                self.chunk * 8,
            ),
            self.chunk,
        ):
            rows = [
                _summary_row(q, summarize(q, [_occurrence(r) for r in occs], variants=False))
                for q, occs in batch
            ]
            st._copy("quotations", QUOTATION_COLUMNS, rows)
        st._exec("DROP TABLE regroup_grouped")


QUOTE_GROUP_COLUMNS = (
    *("article_id", "quote_id", "quotation_id", "words", "published", "span_start", "rank"),
)


def _timed(phase: Callable[[], Any], name: str | None = None) -> None:
    """Run one phase of a rebuild, logging its wall and CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    phase()
    logger.info(
        "quotations rebuild: %s %.1f s wall, %.1f s CPU",
        name or getattr(phase, "__name__", "?"),
        time.perf_counter() - wall,
        time.process_time() - cpu,
    )


def _article_anchor(published: list[str | None], ids: list[str], i: int) -> Any:
    return anchor_key(published[i], ids[i], 0)


def _join(uf: UnionFind, run: list[int], same: Callable[[int, int], bool]) -> None:
    """Union the members of one band key that pass `same`, each against those before
    it, skipping pairs already joined (as components() does)."""
    for i, a in enumerate(run):
        for b in run[:i]:
            if uf.find(a) != uf.find(b) and same(a, b):
                uf.union(a, b)


def _by_article(pages: Iterable[Sequence[Row]], size: int) -> Iterator[list[tuple[str, list[Row]]]]:
    """Rows in order of their first column (an article, a quotation), as lists of about
    `size` keys with all their rows (a key's rows may span two pages)."""
    out: list[tuple[str, list[Row]]] = []
    for page in pages:
        for row in page:
            if out and out[-1][0] == row[0]:
                out[-1][1].append(row)
                continue
            if len(out) > size:
                yield out[:-1]
                out = out[-1:]
                if out[-1][0] == row[0]:
                    out[-1][1].append(row)
                    continue
            out.append((row[0], [row]))
    if out:
        yield out


@dataclass
class _Runs:
    """The members of each band key held by two or more (CSR: members[starts[i]:
    starts[i + 1]]), and the candidate component of each member (members linked
    through shared keys)."""

    starts: np.ndarray
    members: np.ndarray
    component: np.ndarray

    @classmethod
    def of(cls, bands: np.ndarray, owners: np.ndarray, n: int) -> _Runs:
        if not len(bands):
            empty = np.zeros(0, dtype=np.int64)
            return cls(np.zeros(1, dtype=np.int64), empty, empty)
        order = np.lexsort((owners, bands))
        b, o = bands[order], owners[order]
        keep = np.ones(len(b), dtype=bool)
        keep[1:] = (b[1:] != b[:-1]) | (o[1:] != o[:-1])  # one entry per (key, owner)
        b, o = b[keep], o[keep]
        new = np.ones(len(b), dtype=bool)
        new[1:] = b[1:] != b[:-1]
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, len(b)))
        shared = sizes > 1
        # The members of shared keys, linked each to the next one of its key.
        take = np.repeat(shared, sizes)
        members = o[take]
        starts = np.cumsum(np.concatenate(([0], sizes[shared])))
        first = np.zeros(len(members), dtype=bool)
        first[starts[:-1]] = True
        src, dst = members[:-1][~first[1:]], members[1:][~first[1:]]
        graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
        _, component = connected_components(graph, directed=False)
        return cls(starts, members, component)

    def batches(self, size: int) -> Iterator[list[np.ndarray]]:
        """The runs, a batch of whole candidate components (about `size` members) at a
        time."""
        if len(self.starts) < 2:
            return
        heads = self.component[self.members[self.starts[:-1]]]
        order = np.argsort(heads, kind="stable")
        batch: list[np.ndarray] = []
        held = 0
        last = -1
        for r in order:
            run = self.members[self.starts[r] : self.starts[r + 1]]
            if heads[r] != last and held >= size:
                yield batch
                batch, held = [], 0
            last = heads[r]
            batch.append(run)
            held += len(run)
        if batch:
            yield batch
