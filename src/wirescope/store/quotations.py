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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

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
    ranks,
    same_story,
    story_bands,
    story_key,
    story_shingles,
    summarize,
    verify_pair,
)
from wirescope.record.models import Record
from wirescope.record.serialize import record_from_dict

Row = tuple[Any, ...]

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


def _same_story(shingles: dict[str, frozenset[bytes]], a: str, b: str) -> bool:
    return same_story(shingles[a], shingles[b])


def _same_quote(nodes: dict[Member, _Node], aligner: Aligner, a: Member, b: Member) -> bool:
    return _verify(nodes[a], nodes[b], aligner)


def _verify(x: _Node, y: _Node, aligner: Aligner) -> bool:
    aligned = None  # one article
    if x.article_id != y.article_id and x.story is not None and x.story == y.story:
        aligned = aligner.aligned(x.article_id, x.quote_id, y.article_id, y.quote_id)
    return verify_pair(x.words, y.words, x.story, y.story, x.rank, y.rank, aligned)


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
        shingles = {r.id: story_shingles(r.text) for r in records}
        bands = {r.id: story_bands(r.text, shingles[r.id]) for r in records}
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
        texts: dict[str, str] = dict(self._select_in("SELECT id, text FROM articles", "id", found))
        for aid, text in texts.items():
            shingles[aid] = story_shingles(text)
        uf = UnionFind()
        seen: dict[int, list[str]] = {}
        for aid in sorted(new):
            uf.find(("a", aid))
            for band in bands[aid]:
                for other in hits.get(band, []):
                    node = ("s", story_of.get(other, other))
                    if uf.find(node) != uf.find(("a", aid)) and same_story(
                        shingles[aid], shingles[other]
                    ):
                        uf.union(("a", aid), node)
                for other in seen.get(band, []):
                    if uf.find(("a", other)) != uf.find(("a", aid)) and same_story(
                        shingles[aid], shingles[other]
                    ):
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
            "SELECT s.article_id, s.story_id, a.published FROM stories s"
            " JOIN articles a ON a.id = s.article_id",
            "s.article_id",
            sorted(set(members)),
        )
        if not rows:
            return set()
        anchor = min(rows, key=lambda r: anchor_key(r[2], r[0], 0))[0]
        changed = {r[0] for r in rows if r[1] != anchor}
        cond, params = self._in("article_id", [r[0] for r in rows])
        self._exec(
            f"UPDATE stories SET story_id = ?, origin = CASE WHEN article_id = ? THEN 1 ELSE 0 END"
            f" WHERE {cond}",
            [anchor, anchor, *params],
        )
        return changed

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
        aligner = self._aligner(nodes)
        uf = UnionFind()
        seen: dict[int, list[_Node]] = {}
        for n in nodes:
            me = ("n", n.article_id, n.quote_id)
            uf.find(me)
            for band in n.bands:
                for m in hits.get(band, []):
                    other = known.get(m)
                    if other is None:
                        continue
                    node = ("q", other[0])
                    if uf.find(node) != uf.find(me) and _verify(n, other[1], aligner):
                        uf.union(me, node)
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
        rows = []
        for qid, occs in self._occurrences(ids).items():
            s = summarize(qid, occs, variants=False)
            f = s.first_seen
            rows.append(
                (
                    qid,
                    s.text,
                    len(s.occurrences),
                    s.articles,
                    s.outlets,
                    int(s.disputed),
                    json.dumps(
                        [{"person": p.person, "count": p.count} for p in s.speakers],
                        ensure_ascii=False,
                    ),
                    f.article_id,
                    f.quote_id,
                    f.published,
                    f.outlet,
                )
            )
        self._copy(
            "quotations",
            QUOTATION_COLUMNS,
            rows,
        )

    def _occurrences(self, ids: Sequence[str]) -> dict[str, list[Occurrence]]:
        out: dict[str, list[Occurrence]] = {}
        for r in self._select_in(
            "SELECT g.quotation_id, g.article_id, g.quote_id, q.text, q.span_start, q.span_end,"
            " g.published, s.outlet, coalesce(p.name, q.speaker_name), q.person_id, a.headline,"
            " coalesce(a.ingest_run, 0), coalesce(a.ingest_pos, 0), a.seq, coalesce(s.origin, 1),"
            " s.story_id FROM quote_groups g"
            " JOIN quotes q ON q.article_id = g.article_id AND q.quote_id = g.quote_id"
            " JOIN articles a ON a.id = g.article_id"
            " LEFT JOIN stories s ON s.article_id = g.article_id"
            " LEFT JOIN people p ON p.person_id = q.person_id",
            "g.quotation_id",
            ids,
        ):
            out.setdefault(r[0], []).append(
                Occurrence(
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
            )
        return out

    def _select_in(self, select: str, column: str, values: Sequence[Any]) -> list[Row]:
        if not values:
            return []
        cond, params = self._in(column, list(values))
        joiner = " AND " if " WHERE " in select else " WHERE "
        return self._rows(f"{select}{joiner}{cond}", params)

    # -- rebuild ----------------------------------------------------------------

    def rebuild_quotations(
        self, chunk: int = 256, progress: Callable[[int], None] | None = None
    ) -> int:
        """Regroup every quote and story from scratch, in one transaction; the same
        groups and ids as assigning them at ingest. Returns the number of articles."""
        with self._transaction():
            self._lock_writes()
            for table in ("quotations", "quote_bands", "quote_groups", "story_bands", "stories"):
                self._exec(f"DELETE FROM {table}")
            self.__dict__.pop("_dropped", None)
            done = self._regroup_pages(
                "SELECT id, record_json FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                chunk,
                progress,
            )
            self._exec(
                "DELETE FROM store_state WHERE key IN ('quotations_stale', 'quotations_pending')"
            )
        return done

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
