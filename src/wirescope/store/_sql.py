"""What SQLite and PostgreSQL stores share: row building, people resolution and the
queries that need nothing backend-specific. SQL here uses `?` placeholders; the
PostgreSQL store rewrites them to `%s`.

Backends supply the connection primitives, the migrations and full-text search.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from wirescope.errors import ExportError, QueryError
from wirescope.record.models import Failure, Record
from wirescope.record.serialize import record_from_dict, record_to_dict
from wirescope.store.base import (
    ArticleKey,
    ArticleRow,
    ExportTable,
    PersonLink,
    PersonRow,
    PlaceRow,
    QuoteHit,
    SearchHit,
    Speaker,
)
from wirescope.store.people import (
    CorpusPerson,
    Mention,
    PersonIndex,
    normalize_role,
    parse_name,
    similar_keys,
    similar_lengths,
)
from wirescope.store.quotations import QuotationStore

Row = tuple[Any, ...]

HIGHLIGHT_START, HIGHLIGHT_END = "[[", "]]"

# The schema version that adds person_keys (surname key -> person) and source_aliases;
# migrating to it fills person_keys from the people already stored.
PERSON_KEYS_VERSION = 3


# Terms one search may hold: each is a full-text lookup, and 20,000 of them took
# a minute; no question needs more than a few words.
MAX_SEARCH_TERMS = 64


def search_terms(text: str) -> list[str]:
    """User text as plain terms: anything without a letter or digit is dropped, so
    query operators ("--", "-", "OR", quotes) can never reach the FTS parser, nor a NUL
    character (FTS5 reads it as the end of its query; PostgreSQL refuses it in text)."""
    terms = [t.replace('"', "") for t in plain(text).split() if re.search(r"\w", t)]
    if len(terms) > MAX_SEARCH_TERMS:
        raise QueryError(f"too many search terms ({len(terms):,}; at most {MAX_SEARCH_TERMS})")
    return terms


def plain(text: str) -> str:
    """User text without NUL characters, which no text column can hold."""
    return text.replace("\x00", "")


def person_mentions(record: Record) -> dict[str, Mention]:
    """The people one record names, by local id, to resolve against the corpus."""
    mentions = {e.id: Mention(e.name, list(e.roles)) for e in record.entities if e.type == "PERSON"}
    for q in record.quotes:  # a named speaker the extractor did not make an entity of
        if q.speaker and not q.speaker.entity and q.speaker.name:
            mentions[f"{q.id}:speaker"] = Mention(q.speaker.name)
    return mentions


@dataclass(frozen=True)
class Made:
    """A record to store, with what made it and its JSON text (stored as is)."""

    record: Record
    fingerprint: str | None
    json: str


class _Rows:
    """Rows of a batch's dependent tables, appended together at its end (COPY)."""

    def __init__(self) -> None:
        self.articles = 0
        self.article_people: list[Row] = []
        self.quotes: list[Row] = []
        self.places: list[Row] = []
        self.mentions: list[Row] = []

    def tables(self) -> Iterator[tuple[str, tuple[str, ...], list[Row]]]:
        yield (
            "article_people",
            ("article_id", "entity_id", "person_id", "name", "roles"),
            (self.article_people),
        )
        yield "quotes", QUOTE_COLUMNS, self.quotes
        yield (
            "places",
            ("article_id", "entity_id", "name", "country", "lat", "lon", "aliases"),
            (self.places),
        )
        yield "mentions", MENTION_COLUMNS, self.mentions


QUOTE_COLUMNS = (
    "article_id",
    "quote_id",
    "span_start",
    "span_end",
    "text",
    "kind",
    "cue_lemma",
    "speaker_text",
    "speaker_entity",
    "person_id",
    "speaker_name",
    "confidence",
    "published",
)
MENTION_COLUMNS = (
    "article_id",
    "entity_id",
    "type",
    "name_lc",
    "person_id",
    "span_start",
    "span_end",
    "published",
    "in_quote",
)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# The order of quote lists: newest first, undated last (the quotes' date indexes).
_NEWEST = "q.published DESC NULLS LAST, q.article_id, q.span_start"
# A quote `q` holds a mention `m`.
_HOLDS = "q.article_id = m.article_id AND m.span_start >= q.span_start AND m.span_end <= q.span_end"


Cond = tuple[str, list[Any]]  # SQL with `?` placeholders, and their values


def _where(conds: Sequence[Cond]) -> tuple[str, list[Any]]:
    return "".join(f" AND {c}" for c, _ in conds), [p for _, ps in conds for p in ps]


def _newest(source: str, params: list[Any], conds: Sequence[Cond], page: int | None) -> Cond:
    """A SELECT of the qid of quotes `q` in `source` that meet the conditions, newest
    first: the first `page` of them (all when None)."""
    extra, extra_params = _where(conds)
    cut, cut_params = (" LIMIT ?", [page]) if page is not None else ("", [])
    return (
        f"SELECT q.qid FROM {source}{extra} ORDER BY {_NEWEST}{cut}",
        [*params, *extra_params, *cut_params],
    )


def _named(
    by: str, params: list[Any], dates: list[tuple[str, str]], conds: Sequence[Cond], cut: int | None
) -> Cond:
    """A SELECT of the qid of quotes `q` holding a mention `m` that meets `by`: found from
    the newest `cut` articles with such a mention (an index in that order, no sort)."""
    when = "".join(f" AND m.published {op} ?" for op, _ in dates)
    limit, limit_params = (" LIMIT ?", [cut]) if cut is not None else ("", [])
    extra, extra_params = _where(conds)
    return (
        "SELECT q.qid FROM (SELECT DISTINCT m.published, m.article_id FROM mentions m"
        f" WHERE m.in_quote = 1 AND {by}{when}"
        f" ORDER BY m.published DESC NULLS LAST, m.article_id{limit}) t"
        f" JOIN mentions m ON m.article_id = t.article_id AND m.in_quote = 1 AND {by}"
        f" JOIN quotes q ON {_HOLDS} WHERE 1 = 1{extra}",
        [*params, *(v for _, v in dates), *limit_params, *params, *extra_params],
    )


@dataclass
class Criterion:
    """What narrows a quote list, as branches: conditions on a quote `q`, and on a
    mention `m` that the quote holds."""

    quotes: list[Cond]
    mentions: list[Cond] = field(default_factory=list)

    def condition(self) -> Cond:
        """All branches as one condition on `q` (a filter on another criterion's rows)."""
        parts = [c for c, _ in self.quotes]
        params = [p for _, ps in self.quotes for p in ps]
        if self.mentions:
            by = " OR ".join(c for c, _ in self.mentions)
            parts.append(
                f"q.qid IN (SELECT q.qid FROM mentions m JOIN quotes q ON {_HOLDS}"
                f" WHERE m.in_quote = 1 AND ({by}))"
            )
            params += [p for _, ps in self.mentions for p in ps]
        return "(" + " OR ".join(parts) + ")", params


# Columns of the exported tables, in order (the SELECTs below follow them).
EXPORT_COLUMNS: dict[str, list[str]] = {
    "articles": [
        "id",
        "source_key",
        "path",
        "input_id",
        "headline",
        "published",
        "updated",
        "dateline",
        "agency",
        "quotes",
        "text",
    ],
    "quotes": [
        "article_id",
        "quote_id",
        "start",
        "end",
        "kind",
        "cue",
        "speaker_text",
        "person_id",
        "speaker",
        "confidence",
        "text",
        "quotation_id",
    ],
    "people": [
        "person_id",
        "name",
        "variants",
        "roles",
        "quotes",
        "articles",
        "first_seen",
        "last_seen",
    ],
    "places": ["article_id", "entity_id", "name", "country", "lat", "lon", "aliases"],
}


class SQLStore(QuotationStore, ABC):
    """The Store protocol over a DB-API-like connection; see store/base.py."""

    # -- backend primitives -------------------------------------------------

    @abstractmethod
    def _exec(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def _execmany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[None]: ...

    @abstractmethod
    def _quote_fts(self, terms: list[str]) -> tuple[str, list[Any]]:
        """A condition on quote `q`: its text matches the terms."""

    @abstractmethod
    def _search_articles(self, terms: list[str], limit: int) -> list[SearchHit]: ...

    @abstractmethod
    def _search_quotes(self, terms: list[str], limit: int) -> list[SearchHit]: ...

    @abstractmethod
    def _snippets(self, terms: list[str], hits: list[SearchHit]) -> None:
        """Fill in what a backend makes only for the hits shown, after both kinds are
        merged and cut (PostgreSQL's snippets: ts_headline parses each text again)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def _in(self, column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
        """`column` is one of `values`, as a condition with ONE parameter: the same SQL
        text for any number of values, so the driver's statement cache holds one
        statement, not one per list length (that grew the ingest's memory)."""

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

    def _after_migration(self, version: int) -> None:
        """Data changes a migration needs Python for; runs in the migration's transaction."""
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
            rows = _Rows()
            written = []
            for (key, record), ms, text in zip(records, mentions, texts, strict=True):
                made = Made(record, fingerprint, text or _dumps(record_to_dict(record)))
                if self._write_article(key, made):
                    self._derived_rows(record, rows, index, ms)
                    written.append(record)
            self._write_failures(failures)
            self._save_people(index)  # people rows first: the rows below refer to them
            self._flush(rows)
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
            rows = _Rows()
            for (key, record), text in zip(records, texts, strict=True):
                made = Made(record, fingerprint, text or _dumps(record_to_dict(record)))
                if self._write_article(key, made):
                    self._derived_rows(record, rows)
            self._write_failures(failures)
            self._flush(rows)
            if rows.articles:
                # Concurrent writers cannot group quotations either: regrouped at the end.
                for flag in ("people_stale", "quotations_stale"):
                    self._exec(
                        "INSERT INTO store_state (key, value) VALUES (?, '1')"
                        " ON CONFLICT (key) DO NOTHING",
                        (flag,),
                    )
            self.__dict__.pop("_dropped", None)

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
        rows: _Rows,
        index: PersonIndex | None = None,
        mentions: dict[str, Mention] | None = None,
    ) -> None:
        """The quotes, people, places and mentions rows of one stored article, people
        resolved by `index` (None: unresolved, for rebuild_people to do later)."""
        person_of: dict[str, str] = {}
        if index is not None:
            ms = person_mentions(record) if mentions is None else mentions
            person_of = index.resolve_article(ms, _day(_iso(record.published)))
            rows.article_people.extend(
                (record.id, local, pid, ms[local].name, _dumps(ms[local].roles))
                for local, pid in person_of.items()
            )
        rows.articles += 1
        published = _iso(record.published)
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
                )
            )
        rows.places.extend(
            (record.id, e.id, e.name, e.country, e.lat, e.lon, _dumps(e.aliases))
            for e in record.entities
            if e.type == "PLACE"
        )
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

    def _flush(self, rows: _Rows) -> None:
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
            for table in ("article_people", "quotes", "mentions", "places", "person_keys"):
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
                rows = _Rows()
                for record, ms in zip(records, mentions, strict=True):
                    self._derived_rows(record, rows, index, ms)
                self._save_people(index)
                self._flush(rows)
                done += len(records)
                if progress:
                    progress(done)
            self._exec("DELETE FROM store_state WHERE key = 'people_stale'")
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
                    _dumps(p.variants),
                    _dumps(p.roles),
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

    # -- reads --------------------------------------------------------------

    def failures(self) -> list[Failure]:
        return [
            Failure(path=path, reason=reason, input_id=input_id)
            for path, input_id, reason in self._rows(
                "SELECT path, input_id, reason FROM failures ORDER BY failed_at, path"
            )
        ]

    def get(self, article_id: str) -> Record | None:
        rows = self._rows("SELECT record_json FROM articles WHERE id = ?", (article_id,))
        return record_from_dict(json.loads(rows[0][0])) if rows else None

    def article_ids(self, prefix: str, limit: int = 10) -> list[str]:
        # substr, not LIKE: a prefix holding % or _ must not act as a pattern. The range
        # before it (code point order) finds them by index instead of reading every id.
        col = self._binary("id")
        cond, params = f"{col} >= ?", [prefix]
        if prefix and ord(prefix[-1]) < 0x10FFFF:
            cond += f" AND {col} < ?"
            params.append(prefix[:-1] + chr(ord(prefix[-1]) + 1))
        rows = self._rows(
            f"SELECT id FROM articles WHERE {cond} AND substr(id, 1, ?) = ? ORDER BY id LIMIT ?",
            (*params, len(prefix), prefix, limit),
        )
        return [r[0] for r in rows]

    def _binary(self, column: str) -> str:
        """`column` compared in code point order (SQLite's BINARY collation already is)."""
        return column

    def count(self) -> dict[str, int]:
        (row,) = self._rows(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes),"
            " (SELECT count(DISTINCT person_id) FROM article_people),"
            " (SELECT count(*) FROM failures)"
        )
        return dict(zip(("articles", "quotes", "people", "failures"), map(int, row), strict=True))

    def iter_records(self) -> Iterator[Record]:
        for (doc,) in self._rows(
            "SELECT record_json FROM articles ORDER BY published IS NULL, published, id"
        ):
            yield record_from_dict(json.loads(doc))

    def speakers(self, article_id: str) -> list[Speaker]:
        return [
            Speaker(entity_id, person_id, name)
            for entity_id, person_id, name in self._rows(
                "SELECT ap.entity_id, ap.person_id, p.name FROM article_people ap"
                " JOIN people p ON p.person_id = ap.person_id WHERE ap.article_id = ?"
                " ORDER BY ap.entity_id",
                (article_id,),
            )
        ]

    def quotes(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        limit: int | None = None,
        *,
        person_id: str | None = None,
        offset: int = 0,
    ) -> list[QuoteHit]:
        if offset and limit is None:
            raise QueryError("an offset needs a limit")
        speaker = plain(speaker) if speaker is not None else None
        about = plain(about) if about is not None else None
        # Dates bound quotes and mentions alike (both carry their article's date).
        dates: list[tuple[str, str]] = []
        if since is not None:
            dates.append((">=", since.isoformat()))
        if until is not None:
            dates.append(("<", (until + timedelta(days=1)).isoformat()))
        # Conditions on a quote `q` that every row must meet.
        filters: list[tuple[str, list[Any]]] = [(f"q.published {op} ?", [v]) for op, v in dates]
        if kind is not None:
            filters.append(("q.kind = ?", [kind]))
        # Each narrowing criterion is a union of branches, each of which walks one index
        # newest first. The first criterion given drives the query: its branches, each
        # cut at limit + offset (the newest page of a union lies within the union of its
        # branches' newest pages); the others are filters on its rows.
        criteria: list[Criterion] = []
        if person_id is not None:
            criteria.append(Criterion([("q.person_id = ?", [person_id])]))
        if speaker is not None:
            # The raw mention text too, for speakers never resolved to a person.
            criteria.append(
                Criterion(
                    [("lower(q.speaker_text) = ?", [speaker.strip().lower()])]
                    + [("q.person_id = ?", [pid]) for pid in self._person_ids(speaker)]
                )
            )
        if about is not None:
            terms = search_terms(about)
            if not terms:
                return []
            # Quotes whose words match, and quotes that name the entity (by any of its
            # names, or as the corpus person): mentions a quote holds, on their own index.
            ids = self._person_ids(about)
            named = [("m.name_lc = ?", [about.strip().lower()])]
            if len(ids) > 8:  # a word like many surnames: one branch, sorted
                named.append(self._in("m.person_id", ids))
            else:
                named += [("m.person_id = ?", [pid]) for pid in ids]
            criteria.append(Criterion([self._quote_fts(terms)], named))
        page = None if limit is None else limit + offset
        params: list[Any] = []
        if criteria:
            drive, *rest = criteria
            conds = filters + [c.condition() for c in rest]
            branches = [_newest(f"quotes q WHERE {c}", ps, conds, page) for c, ps in drive.quotes]
            # Mentions: the newest `page` articles naming the entity in a quote hold the
            # newest `page` such quotes, unless a filter drops some of their quotes.
            cut = page if kind is None and not rest else None
            branches += [_named(c, ps, dates, conds, cut) for c, ps in drive.mentions]
            source = (
                "("
                + " UNION ".join(
                    f"SELECT qid FROM ({sql}) b{i}" for i, (sql, _) in enumerate(branches)
                )
                + ") b JOIN quotes q ON q.qid = b.qid"
            )
            params = [p for _, ps in branches for p in ps]
            where = ""
        else:
            # Nothing narrows the quotes: walk them newest first on their index.
            source = "quotes q"
            where = " WHERE " + " AND ".join(c for c, _ in filters) if filters else ""
            params = [p for _, ps in filters for p in ps]
        sql = (
            "SELECT q.article_id, q.quote_id, q.text, q.kind, coalesce(p.name, q.speaker_name),"
            " q.person_id, q.published, a.headline, q.speaker_text, q.cue_lemma, q.confidence,"
            f" q.span_start, q.span_end FROM {source}"
            " JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN people p ON p.person_id = q.person_id"
            + where
            # Newest first, undated last: the order of the quotes' date indexes, so that
            # for a speaker quoted in thousands of articles the newest are read off an
            # index, not found by sorting every quote (docs/scale.md).
            + f" ORDER BY {_NEWEST}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [
            QuoteHit(
                article_id=r[0],
                quote_id=r[1],
                text=r[2],
                kind=r[3],
                speaker=r[4],
                person_id=r[5],
                published=r[6],
                headline=r[7],
                speaker_text=r[8],
                cue=r[9],
                confidence=r[10],
                span=(r[11], r[12]),
            )
            for r in self._rows(sql, params)
        ]

    def _people_rows(self, person_id: str | None = None) -> list[PersonRow]:
        one = person_id is not None
        rows = self._rows(
            "SELECT p.person_id, p.name, p.variants, p.roles,"
            " (SELECT count(*) FROM quotes q WHERE q.person_id = p.person_id) AS nq,"
            " count(DISTINCT ap.article_id) AS na, min(a.published), max(a.published)"
            " FROM people p JOIN article_people ap ON ap.person_id = p.person_id"
            " JOIN articles a ON a.id = ap.article_id"
            + (" WHERE p.person_id = ?" if one else "")
            + " GROUP BY p.person_id, p.name, p.variants, p.roles"
            " ORDER BY nq DESC, na DESC, p.name",
            (person_id,) if one else (),
        )
        return [
            PersonRow(
                person_id=pid,
                name=name,
                variants=json.loads(variants),
                roles=json.loads(roles),
                quotes=int(nq),
                articles=int(na),
                first_seen=_day(first),
                last_seen=_day(last),
            )
            for pid, name, variants, roles, nq, na, first, last in rows
        ]

    def people(self, role: str | None = None, limit: int | None = None) -> list[PersonRow]:
        wanted = normalize_role(role) if role else None
        out = []
        for person in self._people_rows():
            if wanted and not any(wanted in normalize_role(r["role"]) for r in person.roles):
                continue
            out.append(person)
            if limit is not None and len(out) >= limit:
                break
        return out

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        terms = search_terms(text)
        if not terms:
            return []
        # Article and quote scores come from different indexes (and bm25 of a tiny
        # corpus is ~0), so each list is scaled to its best hit before merging.
        hits: list[SearchHit] = []
        for found in (self._search_articles(terms, limit), self._search_quotes(terms, limit)):
            best = max((h.score for h in found), default=0.0)
            for h in found:
                h.score = h.score / best if best > 0 else 0.0
            hits += found
        hits.sort(key=lambda h: -h.score)  # stable: articles first on a tie
        hits = hits[:limit]
        self._snippets(terms, hits)
        return hits

    def export_rows(self, table: ExportTable) -> tuple[list[str], Iterator[Row]]:
        columns = EXPORT_COLUMNS.get(table)
        if columns is None:
            raise ExportError(f"no table {table!r} to export")
        if table == "people":
            rows: Iterator[Row] = (
                (
                    p.person_id,
                    p.name,
                    _dumps(p.variants),
                    _dumps(p.roles),
                    p.quotes,
                    p.articles,
                    p.first_seen,
                    p.last_seen,
                )
                for p in self.people()
            )
            return columns, rows
        sql = {
            "articles": "SELECT id, source_key, path, input_id, headline, published, updated,"
            " dateline, agency, (SELECT count(*) FROM quotes q WHERE q.article_id = a.id), text"
            " FROM articles a ORDER BY published IS NULL, published, id",
            "quotes": "SELECT q.article_id, q.quote_id, q.span_start, q.span_end, q.kind,"
            " q.cue_lemma, q.speaker_text, q.person_id, coalesce(p.name, q.speaker_name),"
            " q.confidence, q.text, g.quotation_id FROM quotes q"
            " LEFT JOIN people p ON p.person_id = q.person_id"
            " LEFT JOIN quote_groups g ON g.article_id = q.article_id AND g.quote_id = q.quote_id"
            " ORDER BY q.article_id, q.span_start",
            "places": "SELECT article_id, entity_id, name, country, lat, lon, aliases FROM places"
            " ORDER BY article_id, entity_id",
        }[table]
        return columns, iter(self._rows(sql))

    # -- browsing (the web front end) ----------------------------------------

    def articles(
        self,
        since: date | None = None,
        until: date | None = None,
        agency: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ArticleRow]:
        where: list[str] = []
        params: list[Any] = []
        if since is not None:
            where.append("a.published >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("a.published < ?")
            params.append((until + timedelta(days=1)).isoformat())
        if agency is not None:
            where.append("lower(a.agency) = ?")
            params.append(agency.strip().lower())
        return self._article_rows(
            " WHERE " + " AND ".join(where) if where else "", params, limit, offset
        )

    def _article_rows(
        self, where: str, params: list[Any], limit: int, offset: int
    ) -> list[ArticleRow]:
        rows = self._rows(
            "SELECT a.id, a.headline, a.published, a.dateline, a.agency,"
            " (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) FROM articles a"
            + where
            + " ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [ArticleRow(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]

    def person(self, person_id: str) -> PersonRow | None:
        found = self._people_rows(person_id)
        return found[0] if found else None

    def quoted_with(self, person_id: str, limit: int = 20) -> list[PersonLink]:
        rows = self._rows(
            # From this person's quotes to the others of their articles, on the indexes.
            "SELECT p.person_id, p.name, count(DISTINCT o.article_id) AS n FROM quotes mine"
            " JOIN quotes o ON o.article_id = mine.article_id"
            " JOIN people p ON p.person_id = o.person_id"
            " WHERE mine.person_id = ? AND o.person_id <> ?"
            " GROUP BY p.person_id, p.name ORDER BY n DESC, p.name LIMIT ?",
            (person_id, person_id, limit),
        )
        return [PersonLink(pid, name, int(n)) for pid, name, n in rows]

    def quoted_about(self, person_id: str, limit: int = 20) -> list[PersonLink]:
        rows = self._rows(
            "SELECT p.person_id, p.name, count(DISTINCT q.qid) AS n FROM quotes q"
            " JOIN mentions m ON m.article_id = q.article_id AND m.type = 'PERSON'"
            " AND m.span_start >= q.span_start AND m.span_end <= q.span_end"
            " JOIN people p ON p.person_id = m.person_id"
            " WHERE q.person_id = ? AND m.person_id <> ?"
            " GROUP BY p.person_id, p.name ORDER BY n DESC, p.name LIMIT ?",
            (person_id, person_id, limit),
        )
        return [PersonLink(pid, name, int(n)) for pid, name, n in rows]

    def quote_months(self, person_id: str) -> list[tuple[str, int]]:
        rows = self._rows(
            "SELECT substr(q.published, 1, 7) AS month, count(*) FROM quotes q"
            " WHERE q.person_id = ? AND q.published IS NOT NULL GROUP BY month ORDER BY month",
            (person_id,),
        )
        return [(month, int(n)) for month, n in rows]

    def _place_rows(self, where: str, params: list[Any], limit: int, offset: int) -> list[Row]:
        return self._rows(
            "SELECT name, max(country), avg(lat), avg(lon), count(DISTINCT article_id) AS n"
            f" FROM places{where} GROUP BY name ORDER BY n DESC, name LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )

    def places(self, limit: int = 50, offset: int = 0) -> list[PlaceRow]:
        return [
            PlaceRow(name, country, lat, lon, [], int(n))
            for name, country, lat, lon, n in self._place_rows("", [], limit, offset)
        ]

    def place(self, name: str) -> PlaceRow | None:
        found = self._place_rows(" WHERE name = ?", [name], 1, 0)
        if not found:
            return None
        name, country, lat, lon, n = found[0]
        aliases: set[str] = set()
        for (names,) in self._rows("SELECT DISTINCT aliases FROM places WHERE name = ?", (name,)):
            aliases.update(json.loads(names))
        aliases.discard(name)
        return PlaceRow(name, country, lat, lon, sorted(aliases), int(n))

    def place_names(self, name: str) -> list[tuple[str, str | None, int]]:
        # The characters each mention covers: how this article wrote the place's name.
        rows = self._rows(
            "SELECT DISTINCT substr(a.text, m.span_start + 1, m.span_end - m.span_start),"
            " a.agency, a.id FROM places p JOIN mentions m ON m.article_id = p.article_id"
            " AND m.entity_id = p.entity_id JOIN articles a ON a.id = p.article_id"
            " WHERE p.name = ?",
            (name,),
        )
        counts: dict[tuple[str, str | None], int] = {}
        for written, agency, _ in rows:
            counts[(written, agency)] = counts.get((written, agency), 0) + 1
        return sorted(
            ((w, ag, n) for (w, ag), n in counts.items()), key=lambda r: (-r[2], r[0], r[1] or "")
        )

    def place_articles(self, name: str, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        return self._article_rows(
            " WHERE a.id IN (SELECT article_id FROM places WHERE name = ?)", [name], limit, offset
        )

    def delete(self, article_id: str) -> bool:
        with self._transaction():
            self._lock_writes()
            if not self._rows("SELECT 1 FROM articles WHERE id = ?", (article_id,)):
                return False
            self._drop_article(article_id)
            self._exec("DELETE FROM articles WHERE id = ?", (article_id,))
            self._regroup([])
        return True
