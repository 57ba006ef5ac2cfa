"""What SQLite and PostgreSQL stores share for writing: people resolution, the rows
of a batch and rebuilding people. The reads are in store/queries.py, full-text search
in store/search.py, the row shapes in store/rows.py. SQL here uses `?` placeholders;
the PostgreSQL store rewrites them to `%s`.

Backends supply the connection primitives, the migrations and full-text search.
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from wirescope.record.models import Failure, Record
from wirescope.record.serialize import record_from_dict, record_to_dict
from wirescope.store.base import ArticleKey
from wirescope.store.events import EventStore, event_rows
from wirescope.store.people import (
    CorpusPerson,
    Mention,
    PersonIndex,
    parse_name,
    similar_keys,
    similar_lengths,
)
from wirescope.store.queries import PLACE_KEY, Queries
from wirescope.store.quotations import QuotationStore
from wirescope.store.rows import BatchRows, Made, Row, day_of, dumps, iso
from wirescope.store.search import HIGHLIGHT_END, HIGHLIGHT_START, plain, search_terms

# Re-exported: the backends and tests import these from here.
__all__ = ["HIGHLIGHT_END", "HIGHLIGHT_START", "Row", "SQLStore", "plain", "search_terms"]

# What a person's stored counts are (SQLStore._count_people): their quotes, their
# articles, and the first and last dates of those articles.
_PERSON_COUNTS = (
    "n_quotes = (SELECT count(*) FROM quotes q WHERE q.person_id = people.person_id),"
    " n_articles = (SELECT count(DISTINCT ap.article_id) FROM article_people ap"
    " WHERE ap.person_id = people.person_id),"
    " first_published = (SELECT min(a.published) FROM article_people ap"
    " JOIN articles a ON a.id = ap.article_id WHERE ap.person_id = people.person_id),"
    " last_published = (SELECT max(a.published) FROM article_people ap"
    " JOIN articles a ON a.id = ap.article_id WHERE ap.person_id = people.person_id)"
)
# The migration (both backends) that stores them, the index in the people list's order;
# and quotes carry their article's agency (as they carry its date): a list's outlet
# facet and filter read the quotes alone, not every matching article's row.
# `{last}`: how the backend's index puts NULL last (SQLite's DESC already does).
COUNTS_SCHEMA = (
    """
ALTER TABLE quotes ADD COLUMN agency TEXT;
UPDATE quotes SET agency = (SELECT a.agency FROM articles a WHERE a.id = quotes.article_id);
CREATE INDEX quotes_agency ON quotes (agency, published DESC{last});
ALTER TABLE people ADD COLUMN n_quotes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE people ADD COLUMN first_published TEXT;
ALTER TABLE people ADD COLUMN last_published TEXT;
UPDATE people SET """
    + _PERSON_COUNTS
    + """;
CREATE INDEX people_ranked ON people (n_quotes DESC, n_articles DESC, name)
    WHERE n_articles > 0;
ALTER TABLE places ADD COLUMN geonames_id BIGINT;
CREATE INDEX places_geonames ON places (geonames_id);
CREATE TABLE quote_tally (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (facet, value)
);
"""
)

# The whole corpus's quote facets but the speaker (people.n_quotes), kept per write:
# the facets of the unfiltered quote list (what an API client paging the newest quotes
# asks) are read, not counted over every quote. `{cond}`: the quotes `q` to count.
_TALLY = (
    "SELECT 'kind' AS f, q.kind AS v, count(*) AS n FROM quotes q WHERE {cond} GROUP BY q.kind"
    " UNION ALL SELECT 'outlet', q.agency, count(*) FROM quotes q"
    " WHERE {cond} AND q.agency IS NOT NULL GROUP BY q.agency"
    " UNION ALL SELECT 'month', coalesce(substr(q.published, 1, 7), 'undated'), count(*)"
    " FROM quotes q WHERE {cond} GROUP BY coalesce(substr(q.published, 1, 7), 'undated')"
    " UNION ALL SELECT 'place', " + PLACE_KEY.format(p="pl") + ", count(DISTINCT q.qid)"
    " FROM quotes q JOIN places pl ON pl.article_id = q.article_id WHERE {cond}"
    " GROUP BY " + PLACE_KEY.format(p="pl")
)

# The schema version that adds person_keys (surname key -> person) and source_aliases;
# migrating to it fills person_keys from the people already stored.
PERSON_KEYS_VERSION = 3


def person_mentions(record: Record) -> dict[str, Mention]:
    """The people one record names, by local id, to resolve against the corpus."""
    mentions = {e.id: Mention(e.name, list(e.roles)) for e in record.entities if e.type == "PERSON"}
    for q in record.quotes:  # a named speaker the extractor did not make an entity of
        if q.speaker and not q.speaker.entity and q.speaker.name:
            mentions[f"{q.id}:speaker"] = Mention(q.speaker.name)
    return mentions


class SQLStore(QuotationStore, Queries, EventStore):
    """The Store protocol over a DB-API-like connection; see store/base.py."""

    # -- backend primitives -------------------------------------------------

    @abstractmethod
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def _execmany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def _lock_writes(self, shared: bool = False) -> None:
        """Inside a write transaction: wait until no other writer of this database is in
        one, so two ingests never both create the same person. shared: writers that
        match no people (write_unresolved) need only exclude those that do."""

    # -- people -------------------------------------------------------------

    def _people_for(
        self, surnames: Iterable[str], cooccur: bool = True, given_initial: str | None = None
    ) -> PersonIndex:
        """An index of just the people a mention with one of these surname keys can match.

        PersonIndex._candidates only looks at people with the same surname key or,
        where nobody has it, a similar one: loading those (with their co-occurrences
        among themselves) resolves exactly as the whole corpus would, while nothing
        per person stays in memory between batches. cooccur=False: for lookups only
        (PersonIndex.lookup never looks at co-occurrence).

        given_initial: the first letter of the given names of the one name looked up. Given
        names agree only when they start alike (people._given_score), so only people
        whose display name's given names start so, or who have none (its stored key has
        no space), or who have other names (variants: not parsed here), can match it: a
        common surname is borne by hundreds of people, and parsing each one's names was
        most of the time of `quotes --speaker NAME` (docs/scale.md).
        """
        keys = sorted({k for k in surnames if k})
        ids: set[str] = set()
        exact: set[str] = set()
        cond, params = self._in("surname_key", keys)
        for key, pid in self._rows(
            f"SELECT surname_key, person_id FROM person_keys WHERE {cond}", params
        ):
            exact.add(key)
            ids.add(pid)
        # Keys nobody has yet: similar keys share the first letter and a close length.
        fallback: dict[str, list[str]] = {}
        for key in keys:
            if key not in exact and similar_lengths(key):
                fallback.setdefault(key[0], []).append(key)
        for initial, group in fallback.items():
            lengths = [similar_lengths(k) for k in group]
            for key, pid in self._rows(
                "SELECT surname_key, person_id FROM person_keys"
                " WHERE substr(surname_key, 1, 1) = ? AND length(surname_key) BETWEEN ? AND ?",
                (initial, min(r.start for r in lengths), max(r.stop - 1 for r in lengths)),
            ):
                if any(similar_keys(key, k) for k in group):
                    ids.add(pid)

        people: dict[str, CorpusPerson] = {}
        cond, params = self._in("person_id", sorted(ids))
        if given_initial is not None:
            cond += (
                " AND (substr(name_key, 1, 1) = ? OR replace(name_key, ' ', '') = name_key"
                " OR variants <> '[]')"
            )
            params.append(given_initial)
        for pid, name, variants, roles, first, last in self._rows(
            "SELECT person_id, name, variants, roles, first_seen, last_seen FROM people"
            f" WHERE {cond}",
            params,
        ):
            people[pid] = CorpusPerson(
                pid,
                name,
                variants=json.loads(variants),
                roles=json.loads(roles),
                first_seen=first,
                last_seen=last,
            )
        # Co-occurrence only breaks ties between people named in one article, and those
        # are all loaded here (or new), so pairs among the loaded people are enough.
        if cooccur and len(people) > 1:
            x_in, x_params = self._in("x.person_id", sorted(people))
            y_in, y_params = self._in("y.person_id", sorted(people))
            for a, b in self._rows(
                "SELECT DISTINCT x.person_id, y.person_id FROM article_people x"
                " JOIN article_people y ON x.article_id = y.article_id"
                f" AND x.person_id <> y.person_id WHERE {x_in} AND {y_in}",
                [*x_params, *y_params],
            ):
                people[a].cooccur.add(b)
        return PersonIndex(people.values(), taken=self._person_exists)

    def _person_exists(self, person_id: str) -> bool:
        return bool(self._rows("SELECT 1 FROM people WHERE person_id = ?", (person_id,)))

    def _person_ids(self, name: str) -> list[str]:
        """Every person a query name may mean (PersonIndex.lookup over its candidates)."""
        parsed = parse_name(name)
        if not parsed.surname:
            return []
        given = parsed.given[0][0] if parsed.given else None
        return self._people_for([parsed.surname], cooccur=False, given_initial=given).lookup(name)

    # The migration that adds the events tables (each backend's number).
    EVENTS_VERSION: int
    # The migration that adds stored counts and places' GeoNames ids (each backend's).
    COUNTS_VERSION: int

    def _after_migration(self, version: int) -> None:
        """Data changes a migration needs Python for; runs in the migration's transaction."""
        if version == self.EVENTS_VERSION and self._events_unfilled():
            self._fill_events()  # the events of the records stored before the tables
        if version == self.COUNTS_VERSION:  # the GeoNames ids of places stored before
            ids: list[Row] = []
            for aid, doc in self._rows(
                "SELECT id, record_json FROM articles WHERE id IN (SELECT article_id FROM places)"
            ):
                for e in json.loads(doc).get("entities", []):
                    if e.get("type") == "PLACE" and e.get("geonames_id") is not None:
                        ids.append((int(e["geonames_id"]), aid, e["id"]))
            self._execmany(
                "UPDATE places SET geonames_id = ? WHERE article_id = ? AND entity_id = ?", ids
            )
            self._tally(None, +1)
        if version == PERSON_KEYS_VERSION:  # index the surname keys of people stored before
            rows = self._rows("SELECT person_id, name, variants FROM people")
            self._insert_person_keys(
                [
                    (key, pid)
                    for pid, name, variants in rows
                    for key in sorted(CorpusPerson(pid, name, json.loads(variants)).surname_keys())
                ]
            )

    def _insert_person_keys(self, keys: Sequence[Row]) -> None:
        self._execmany(
            "INSERT INTO person_keys (surname_key, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            keys,
        )

    # -- writes -------------------------------------------------------------

    def hashes_for(self, keys: Iterable[str], fingerprint: str | None = None) -> dict[str, str]:
        keys = sorted(set(keys))
        in_a, params = self._in("a.source_key", keys)
        in_s, _ = self._in("s.source_key", keys)
        made, made_params = (
            ("", []) if fingerprint is None else (" AND a.fingerprint = ?", [fingerprint])
        )
        return dict(
            self._rows(
                f"SELECT a.source_key, a.id FROM articles a WHERE {in_a}{made} UNION ALL"
                " SELECT s.source_key, s.article_id FROM source_aliases s"
                f" JOIN articles a ON a.id = s.article_id WHERE {in_s}{made}",
                [*params, *made_params, *params, *made_params],
            )
        )

    def stale_paths(self, fingerprint: str) -> list[str]:
        rows = self._rows(
            "SELECT path FROM articles WHERE coalesce(fingerprint, '') <> ? UNION"
            " SELECT s.path FROM source_aliases s JOIN articles a ON a.id = s.article_id"
            " WHERE coalesce(a.fingerprint, '') <> ? ORDER BY path",
            (fingerprint, fingerprint),
        )
        return [r[0] for r in rows]

    def made_by(self, article_id: str) -> str | None:
        rows = self._rows("SELECT fingerprint FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def write_batch(
        self,
        records: Sequence[tuple[ArticleKey, Record]],
        failures: Sequence[Failure],
        *,
        fingerprint: str | None = None,
        record_json: Sequence[str] | None = None,
    ) -> None:
        texts = record_json if record_json is not None else [None] * len(records)
        with self._transaction():
            self._lock_writes()
            mentions = [person_mentions(record) for _, record in records]
            index = self._people_for(
                parse_name(m.name).surname for ms in mentions for m in ms.values()
            )
            rows = BatchRows()
            written = []
            for (key, record), ms, text in zip(records, mentions, texts, strict=True):
                made = Made(record, fingerprint, text or dumps(record_to_dict(record)))
                if self._write_article(key, made):
                    self._derived_rows(record, rows, index, ms)
                    written.append(record)
            self._write_failures(failures)
            self._save_people(index)  # people rows first: the rows below refer to them
            self._flush(rows)
            self._count_people({r[2] for r in rows.article_people})
            self._tally([r.id for r in written], +1)
            if self.quotations_stale():
                self.__dict__.pop("_dropped", None)  # rebuild_quotations regroups it all
            else:
                self._regroup(written)  # quotations and reprints (store/quotations.py)

    def write_unresolved(
        self,
        records: Sequence[tuple[ArticleKey, Record]],
        failures: Sequence[Failure],
        *,
        fingerprint: str | None = None,
        record_json: Sequence[str] | None = None,
    ) -> None:
        """write_batch without matching people (quotes keep the speaker as the article
        names them): concurrent writers of one database do not wait for each other, and
        rebuild_people() resolves everyone afterwards in one pass. Marks people stale."""
        texts = record_json if record_json is not None else [None] * len(records)
        with self._transaction():
            self._lock_writes(shared=True)
            rows = BatchRows()
            for (key, record), text in zip(records, texts, strict=True):
                made = Made(record, fingerprint, text or dumps(record_to_dict(record)))
                if self._write_article(key, made):
                    self._derived_rows(record, rows)
            self._write_failures(failures)
            self._flush(rows)
            self._count_people(set())  # the people of the articles it replaced
            # Concurrent writers cannot group quotations either: the new articles are
            # grouped at the end (group_pending_quotations); where one replaced an
            # article that was grouped, what it left is split again by a rebuild. Nor
            # keep the tally (one row many writers would wait on): done again at the end.
            lost_quotations, lost_stories = self._take_dropped()
            if rows.articles:
                flags = ["people_stale", "quotations_pending", "tally_stale"]
                if lost_quotations or lost_stories:
                    flags.append("quotations_stale")
                for flag in flags:
                    self._exec(
                        "INSERT INTO store_state (key, value) VALUES (?, '1')"
                        " ON CONFLICT (key) DO NOTHING",
                        (flag,),
                    )

    def _write_failures(self, failures: Sequence[Failure]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for f in failures:
            self._exec(
                "DELETE FROM failures WHERE path = ? AND coalesce(input_id, '') = ?",
                (f.path, f.input_id or ""),
            )
            self._exec(
                "INSERT INTO failures (path, input_id, reason, failed_at) VALUES (?, ?, ?, ?)",
                (f.path, f.input_id, f.reason, now),
            )

    def _write_article(self, key: ArticleKey, made: Made) -> bool:
        """The article row of one record (replacing what its key held); False when
        nothing else is to be written: stored already, or its text is stored under
        another key, which the key then names."""
        record = made.record
        source_key = key.as_str()
        run, pos = key.order or (None, None)
        stored = self._rows(
            "SELECT id, 0 FROM articles WHERE source_key = ?"
            " UNION ALL SELECT article_id, 1 FROM source_aliases WHERE source_key = ?",
            (source_key, source_key),
        )
        if stored and stored[0][0] == record.id and self.made_by(record.id) == made.fingerprint:
            return False
        # A source that now succeeds no longer counts as failed.
        self._exec(
            "DELETE FROM failures WHERE path = ? AND coalesce(input_id, '') = ?",
            (key.path, key.input_id or ""),
        )
        for article_id, is_alias in stored:
            if is_alias:
                self._exec("DELETE FROM source_aliases WHERE source_key = ?", (source_key,))
            elif article_id != record.id:
                # Rows cascade, aliases of it included: the next ingest reads those again.
                self._drop_article(article_id)
                self._exec("DELETE FROM articles WHERE id = ?", (article_id,))
        aliases: list[Row] = []
        owner = self._rows(
            "SELECT source_key, path, input_id, fingerprint FROM articles WHERE id = ?",
            (record.id,),
        )
        if owner and owner[0][0] != source_key and owner[0][3] == made.fingerprint:
            # The same text is stored under another source: this key names that article,
            # which counts as read where it was first read.
            self._insert_aliases([(source_key, key.path, key.input_id)], record.id)
            if run is not None:
                self._exec(
                    "UPDATE articles SET ingest_run = ?, ingest_pos = ? WHERE id = ? AND"
                    " (coalesce(ingest_run, 0), coalesce(ingest_pos, 0)) > (?, ?)",
                    (run, pos, record.id, run, pos),
                )
            return False
        if owner:
            # The same text, made by another extractor: made again under this source, and
            # the other sources that named the old record name the new one.
            aliases = self._rows(
                "SELECT source_key, path, input_id FROM source_aliases WHERE article_id = ?",
                (record.id,),
            )
            if owner[0][0] != source_key:
                aliases.append(owner[0][:3])
            self._drop_article(record.id)
            self._exec("DELETE FROM articles WHERE id = ?", (record.id,))

        published = record.published.isoformat() if record.published else None
        dl = record.dateline
        self._exec(
            "INSERT INTO articles (id, source_key, path, input_id, headline, published,"
            " updated, dateline, agency, text, record_json, fingerprint, ingest_run,"
            " ingest_pos) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record.id,
                source_key,
                key.path,
                key.input_id,
                record.headline,
                published,
                record.updated.isoformat() if record.updated else None,
                dl.place if dl else None,
                dl.agency if dl else None,
                record.text,
                made.json,
                made.fingerprint,
                run,
                pos,
            ),
        )
        self._insert_aliases(aliases, record.id)
        return True

    def _derived_rows(
        self,
        record: Record,
        rows: BatchRows,
        index: PersonIndex | None = None,
        mentions: dict[str, Mention] | None = None,
    ) -> None:
        """The quotes, people, places and mentions rows of one stored article, people
        resolved by `index` (None: unresolved, for rebuild_people to do later)."""
        person_of: dict[str, str] = {}
        if index is not None:
            ms = person_mentions(record) if mentions is None else mentions
            person_of = index.resolve_article(ms, day_of(iso(record.published)))
            rows.article_people.extend(
                (record.id, local, pid, ms[local].name, dumps(ms[local].roles))
                for local, pid in person_of.items()
            )
        rows.articles += 1
        published = iso(record.published)
        agency = record.dateline.agency if record.dateline else None
        for q in record.quotes:
            spk = q.speaker
            pid = None
            if spk:
                pid = person_of.get(spk.entity or "") or person_of.get(f"{q.id}:speaker")
            name = (
                index.people[pid].name if pid and index else (spk.name or spk.text if spk else None)
            )
            rows.quotes.append(
                (
                    record.id,
                    q.id,
                    q.span[0],
                    q.span[1],
                    q.text,
                    q.kind,
                    q.cue.lemma if q.cue else None,
                    spk.text if spk else None,
                    spk.entity if spk else None,
                    pid,
                    name,
                    q.confidence,
                    published,
                    agency,
                )
            )
        rows.places.extend(
            (record.id, e.id, e.name, e.country, e.lat, e.lon, dumps(e.aliases), e.geonames_id)
            for e in record.entities
            if e.type == "PLACE" and not e.incidental  # "British": no place of the story
        )
        people = {pid: index.people[pid].name for pid in person_of.values()} if index else {}
        events, roles = event_rows(record, person_of, people)
        rows.events.extend(events)
        rows.event_roles.extend(roles)
        # One row per (mention, name the entity goes by): `quotes --about` looks
        # names up here, aliases included (Stepanakert finds Khankendi).
        spans = [q.span for q in record.quotes]
        for e in record.entities:
            names = {n.lower() for n in [e.name, *e.aliases] if n}
            pid = person_of.get(e.id)
            for start, end in e.mentions:
                quoted = int(any(s <= start and end <= t for s, t in spans))
                rows.mentions.extend(
                    (record.id, e.id, e.type, n, pid, start, end, published, quoted)
                    for n in sorted(names)
                )

    def _flush(self, rows: BatchRows) -> None:
        for table, columns, values in rows.tables():
            if values:
                self._copy(table, columns, values)

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Append rows to a table (PostgreSQL: by COPY)."""
        marks = ",".join("?" * len(columns))
        self._execmany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    # -- people, rebuilt --------------------------------------------------------

    def ingest_run(self, inputs: str) -> int:
        """The run number of an ingest of `inputs` (a description of what it reads): the
        same again for the same inputs, so a re-run continues the first one's order."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction():
            self._exec(
                "INSERT INTO ingest_runs (inputs, started_at) VALUES (?, ?)"
                " ON CONFLICT (inputs) DO NOTHING",
                (inputs, now),
            )
            return int(self._rows("SELECT run FROM ingest_runs WHERE inputs = ?", (inputs,))[0][0])

    def people_stale(self) -> bool:
        """Whether articles were written without matching their people since the last
        rebuild_people()."""
        return bool(self._rows("SELECT 1 FROM store_state WHERE key = 'people_stale'"))

    def rebuild_people(
        self, chunk: int = 256, progress: Callable[[int], None] | None = None
    ) -> int:
        """Match every article's people again, in the order the articles were read
        (ingest run, position in it, then order of writing), as write_batch does per
        batch: the same people as one ingest of the corpus in that order. One
        transaction: readers see the old people until it commits, and a rebuild that
        is stopped leaves them as they were. Returns the number of articles."""
        done = 0
        with self._transaction():
            self._lock_writes()
            for table in (
                "article_people",
                "quotes",
                "mentions",
                "places",
                "event_roles",
                "events",
                "person_keys",
            ):
                self._exec(f"DELETE FROM {table}")
            self._exec("DELETE FROM people")
            after: tuple[int, int, int] = (-(2**62), -(2**62), -(2**62))
            order = "coalesce(ingest_run, 0), coalesce(ingest_pos, 0), seq"
            while True:
                page = self._rows(
                    f"SELECT {order}, record_json FROM articles WHERE ({order}) > (?, ?, ?)"
                    f" ORDER BY {order} LIMIT ?",
                    (*after, chunk),
                )
                if not page:
                    break
                after = (int(page[-1][0]), int(page[-1][1]), int(page[-1][2]))
                records = [record_from_dict(json.loads(r[3])) for r in page]
                mentions = [person_mentions(record) for record in records]
                index = self._people_for(
                    parse_name(m.name).surname for ms in mentions for m in ms.values()
                )
                rows = BatchRows()
                for record, ms in zip(records, mentions, strict=True):
                    self._derived_rows(record, rows, index, ms)
                self._save_people(index)
                self._flush(rows)
                done += len(records)
                if progress:
                    progress(done)
            self._exec("DELETE FROM store_state WHERE key = 'people_stale'")
            self._count_people(None)
            self._tally(None, +1)
            self.refresh_quotations()  # their speakers are people
        return done

    def _insert_aliases(self, aliases: Sequence[Row], article_id: str) -> None:
        self._execmany(
            "INSERT INTO source_aliases (source_key, path, input_id, article_id)"
            " VALUES (?, ?, ?, ?)",
            [(*alias, article_id) for alias in aliases],
        )

    def _save_people(self, index: PersonIndex) -> None:
        rows = []
        keys: list[Row] = []
        for pid in sorted(index.dirty):
            p = index.people[pid]
            rows.append(
                (
                    pid,
                    p.name,
                    p.key,
                    dumps(p.variants),
                    dumps(p.roles),
                    p.first_seen,
                    p.last_seen,
                )
            )
            keys.extend((k, pid) for k in sorted(p.surname_keys()))
        index.dirty.clear()
        self._execmany(
            "INSERT INTO people (person_id, name, name_key, variants, roles, first_seen,"
            " last_seen) VALUES (?,?,?,?,?,?,?) ON CONFLICT (person_id) DO UPDATE SET"
            " name = excluded.name, name_key = excluded.name_key,"
            " variants = excluded.variants, roles = excluded.roles,"
            " first_seen = excluded.first_seen, last_seen = excluded.last_seen",
            rows,
        )
        self._insert_person_keys(keys)

    def delete(self, article_id: str) -> bool:
        with self._transaction():
            self._lock_writes()
            if not self._rows("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
                return False
            self._drop_article(article_id)
            self._exec("DELETE FROM articles WHERE id = ?", (article_id,))
            self._count_people(set())
            self._regroup([])
        return True

    def _drop_article(self, article_id: str) -> None:
        """Before an article's rows go: take its quotes off the tally, and note its
        people, to be counted again after."""
        self._tally([article_id], -1)
        self._uncounted().update(
            pid
            for (pid,) in self._rows(
                "SELECT DISTINCT person_id FROM article_people WHERE article_id = ?",
                (article_id,),
            )
        )
        super()._drop_article(article_id)

    def _tally(self, article_ids: Sequence[str] | None, sign: int) -> None:
        """Add (sign +1) or take off (-1) these articles' quotes to the stored tally of
        quote facets; None: count the whole corpus again (and the tally is up to date)."""
        if article_ids is None:
            self._exec("DELETE FROM quote_tally")
            self._exec(
                "INSERT INTO quote_tally (facet, value, n) SELECT * FROM ("
                + _TALLY.format(cond="1 = 1")
                + ") t"
            )
            self._exec("DELETE FROM store_state WHERE key = 'tally_stale'")
            return
        if not article_ids:
            return
        cond, params = self._in("q.article_id", sorted(article_ids))
        # WHERE 1 = 1: SQLite reads ON CONFLICT after a bare SELECT as a join's ON.
        self._exec(
            "INSERT INTO quote_tally (facet, value, n) SELECT f, v, ? * n FROM ("
            + _TALLY.format(cond=cond)
            + ") t WHERE 1 = 1 ON CONFLICT (facet, value)"
            " DO UPDATE SET n = quote_tally.n + excluded.n",
            [sign, *params * 4],
        )
        if sign < 0:
            self._exec("DELETE FROM quote_tally WHERE n <= 0")

    def _uncounted(self) -> set[str]:
        found: set[str] = self.__dict__.setdefault("_uncounted_people", set())
        return found

    def _count_people(self, ids: set[str] | None) -> None:
        """Store the counts and dates of these people (None: everyone), and of those
        whose articles this transaction dropped: lists of people read them as stored
        instead of counting every article of everyone per request."""
        if ids is None:
            self.__dict__.pop("_uncounted_people", None)
            self._exec(f"UPDATE people SET {_PERSON_COUNTS}")
            return
        ids = ids | self.__dict__.pop("_uncounted_people", set())
        if ids:
            cond, params = self._in("person_id", sorted(ids))
            self._exec(f"UPDATE people SET {_PERSON_COUNTS} WHERE {cond}", params)
