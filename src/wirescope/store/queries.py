"""The read queries of the SQL backends (lists, pages, exports), in SQL both run.
SQL here uses `?` placeholders; the PostgreSQL store rewrites them to `%s`."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from wirescope.errors import ExportError, QueryError
from wirescope.record.models import Failure, Record
from wirescope.record.serialize import record_from_dict
from wirescope.store.base import ExportTable
from wirescope.store.people import normalize_role
from wirescope.store.rows import (
    EXPORT_COLUMNS,
    LEAD_SQL,
    ArticleRow,
    FacetValue,
    PersonLink,
    PersonRow,
    PlaceRow,
    QuoteHit,
    Row,
    Speaker,
    Stats,
    day_of,
    dumps,
    fallback_title,
    is_geonames_id,
)
from wirescope.store.search import Searching, plain, search_terms

# A place as lists and filters key it: its GeoNames id when resolved, else its name.
PLACE_KEY = "coalesce(CAST({p}.geonames_id AS TEXT), {p}.name)"

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
    # Unordered when not cut: counting them needs no sort.
    cut, cut_params = (f" ORDER BY {_NEWEST} LIMIT ?", [page]) if page is not None else ("", [])
    return (
        f"SELECT q.qid FROM {source}{extra}{cut}",
        [*params, *extra_params, *cut_params],
    )


def _ids(cond: str, params: list[Any]) -> Cond:
    """A SELECT of the qid of every quote `q` that meets the condition: where it is
    `q.qid IN (SELECT ...)` (SQLite's words), that SELECT itself, not a look-up of each
    id in quotes (counting a common word's 10,000 quotes: 7 ms less of 21)."""
    for prefix in ("q.qid IN (SELECT ", "+q.qid IN (SELECT "):
        inner = cond[len(prefix) - len("SELECT ") : -1]
        if cond.startswith(prefix) and cond.endswith(")") and _balanced(inner):
            return inner, params
    return f"SELECT q.qid FROM quotes q WHERE {cond}", params


def _balanced(sql: str) -> bool:
    """No parenthesis of `sql` closes one it did not open (one subquery, not two)."""
    depth = 0
    for ch in sql:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _named(
    by: str, params: list[Any], dates: list[tuple[str, str]], conds: Sequence[Cond], cut: int | None
) -> Cond:
    """A SELECT of the qid of quotes `q` holding a mention `m` that meets `by`: found from
    the newest `cut` articles with such a mention (an index in that order, no sort)."""
    when = "".join(f" AND m.published {op} ?" for op, _ in dates)
    limit, limit_params = (
        (" ORDER BY m.published DESC NULLS LAST, m.article_id LIMIT ?", [cut])
        if cut is not None
        else ("", [])
    )
    extra, extra_params = _where(conds)
    return (
        "SELECT q.qid FROM (SELECT DISTINCT m.published, m.article_id FROM mentions m"
        f" WHERE m.in_quote = 1 AND {by}{when}{limit}) t"
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


# The facets of a quote list, in the order pages show them.
QUOTE_FACETS = ("speaker", "outlet", "month", "place", "kind")


def _month_span(month: str) -> tuple[str, str]:
    """A YYYY-MM month as ISO dates [first day, first day of the next month)."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        start = date(year, mon, 1)
    except ValueError:
        raise QueryError(f"bad month {month!r}: YYYY-MM or 'undated'") from None
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start.isoformat(), end.isoformat()


class Queries(Searching):
    """The Store protocol's reads over a DB-API-like connection."""

    @abstractmethod
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    @abstractmethod
    def _in(self, column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
        """`column` is one of `values`, as a condition with ONE parameter: the same SQL
        text for any number of values, so the driver's statement cache holds one
        statement, not one per list length (that grew the ingest's memory)."""

    @abstractmethod
    def _in_ints(self, column: str, values: Sequence[int]) -> tuple[str, list[Any]]:
        """`column` is one of these integers (QuotationStore's, PostgreSQL's)."""

    @abstractmethod
    def _person_ids(self, name: str) -> list[str]:
        """Every person a query name may mean."""

    def failures(self, limit: int | None = None, offset: int = 0) -> list[Failure]:
        if offset and limit is None:
            raise QueryError("an offset needs a limit")
        cut, params = (" LIMIT ? OFFSET ?", [limit, offset]) if limit is not None else ("", [])
        return [
            Failure(path=path, reason=reason, input_id=input_id)
            for path, input_id, reason in self._rows(
                "SELECT path, input_id, reason FROM failures ORDER BY failed_at, path, id" + cut,
                params,
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

    def article_dates(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        """article id -> its published date, for a page of hits."""
        cond, params = self._in("id", sorted(set(article_ids)))
        return dict(self._rows(f"SELECT id, published FROM articles WHERE {cond}", params))

    def _binary(self, column: str) -> str:
        """`column` compared in code point order (SQLite's BINARY collation already is)."""
        return column

    def count(self) -> dict[str, int]:
        # The quotes as the stored tally has them (every quote has a kind), not counted
        # row by row: 8 million at a million articles (the home page); counted where a
        # cluster ingest left the tally stale.
        quotes = (
            "(SELECT count(*) FROM quotes)"
            if self._rows("SELECT 1 FROM store_state WHERE key = 'tally_stale'")
            else "(SELECT coalesce(sum(n), 0) FROM quote_tally WHERE facet = 'kind')"
        )
        (row,) = self._rows(
            f"SELECT (SELECT count(*) FROM articles), {quotes},"
            " (SELECT count(*) FROM people WHERE n_articles > 0),"
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
        agency: str | None = None,
        month: str | None = None,
        place: str | None = None,
    ) -> list[QuoteHit]:
        if offset and limit is None:
            raise QueryError("an offset needs a limit")
        page = None if limit is None else limit + offset
        found = self._quote_source(
            speaker, about, since, until, kind, person_id, agency, month, place, page
        )
        if found is None:
            return []
        source, where, params = found
        sql = (
            "SELECT q.article_id, q.quote_id, q.text, q.kind, coalesce(p.name, q.speaker_name),"
            " q.person_id, q.published, a.headline, q.speaker_text, q.cue_lemma, q.confidence,"
            f" q.span_start, q.span_end, {LEAD_SQL} FROM {source}"
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
                title=fallback_title(r[7], r[13]),
            )
            for r in self._rows(sql, params)
        ]

    def quote_stats(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        *,
        person_id: str | None = None,
        agency: str | None = None,
        month: str | None = None,
        place: str | None = None,
        top: int = 10,
    ) -> Stats:
        found = self._quote_source(
            speaker, about, since, until, kind, person_id, agency, month, place, None
        )
        if found is None:
            return Stats(0, {name: [] for name in QUOTE_FACETS}, 0)
        source, where, params = found
        unfiltered = all(
            x is None for x in (speaker, about, since, until, kind, person_id, agency, month, place)
        )
        if unfiltered and not self._rows("SELECT 1 FROM store_state WHERE key = 'tally_stale'"):
            return self._tallied(top)
        # The matching quotes counted by the database, grouped by every facet but the
        # place at once (the query runs once; the sums of those groups are each facet);
        # places, where any are stored, in a second pass.
        groups = self._rows(
            "SELECT q.person_id, q.agency, substr(q.published, 1, 7), q.kind, count(*)"
            f" FROM {source}{where} GROUP BY q.person_id, q.agency,"
            " substr(q.published, 1, 7), q.kind",
            params,
        )
        speakers: Counter[str] = Counter()
        outlets: Counter[str] = Counter()
        months: Counter[str] = Counter()
        kinds: Counter[str] = Counter()
        total = 0
        for pid, agency, mo, kd, n in groups:
            n = int(n)
            total += n
            if pid is not None:
                speakers[pid] += n
            if agency is not None:
                outlets[agency] += n
            months[mo or "undated"] += n
            kinds[kd] += n
        places: Counter[str] = Counter()
        if total and self._rows("SELECT 1 FROM places LIMIT 1"):
            key = PLACE_KEY.format(p="pl")
            for name, n in self._rows(
                f"SELECT {key}, count(DISTINCT q.qid) FROM {source}"
                f" JOIN places pl ON pl.article_id = q.article_id{where} GROUP BY {key}",
                params,
            ):
                places[name] = int(n)
        top_speakers = sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        facets = self._facets(Counter(dict(top_speakers)), outlets, months, places, kinds, top)
        undated = 0
        if since is not None or until is not None:
            # What the date filter left out: the same query's undated quotes.
            gone = self._quote_source(
                speaker, about, None, None, kind, person_id, agency, "undated", place, None
            )
            if gone is not None:
                g_source, g_where, g_params = gone
                (undated,) = self._rows(
                    f"SELECT count(*) FROM (SELECT q.qid FROM {g_source}{g_where}) t", g_params
                )[0]
        return Stats(int(total), facets, int(undated))

    def _tallied(self, top: int) -> Stats:
        """The unfiltered quote list's total and facets, as stored (SQLStore._tally)."""
        counts: dict[str, Counter[str]] = {
            f: Counter() for f in ("kind", "outlet", "month", "place")
        }
        for facet, value, n in self._rows("SELECT facet, value, n FROM quote_tally"):
            counts[facet][value] = int(n)
        speakers = Counter(
            {
                pid: int(n)
                for pid, n in self._rows(
                    "SELECT person_id, n_quotes FROM people WHERE n_articles > 0 AND n_quotes > 0"
                    " ORDER BY n_quotes DESC, n_articles DESC, name LIMIT ?",
                    (top,),
                )
            }
        )
        found = self._facets(
            speakers, counts["outlet"], counts["month"], counts["place"], counts["kind"], top
        )
        return Stats(sum(counts["kind"].values()), found, 0)

    def _facets(
        self,
        speakers: Counter[str],
        outlets: Counter[str],
        months: Counter[str],
        places: Counter[str],
        kinds: Counter[str],
        top: int,
    ) -> dict[str, list[FacetValue]]:
        """The facets of a quote list from their counts: the `top` values of each, with
        labels (people's and places' names); every month, newest first, undated last."""
        in_n, n_params = self._in("person_id", list(speakers))
        names: dict[str, str] = dict(
            self._rows(f"SELECT person_id, name FROM people WHERE {in_n}", n_params)
        )

        def ranked(counts: Counter[str], label: dict[str, str] | None = None) -> list[FacetValue]:
            label = label or {}
            values = [FacetValue(k, label.get(k, k), n) for k, n in counts.items()]
            values.sort(key=lambda v: (-v.count, v.label, v.value))
            return values[:top]

        top_places = ranked(places)
        return {
            "speaker": ranked(speakers, names),
            "outlet": ranked(outlets),
            "month": sorted(
                (FacetValue(k, k, n) for k, n in months.items()),
                key=lambda v: (v.value != "undated", v.value),
                reverse=True,
            ),
            "place": self._place_labels(top_places),
            "kind": ranked(kinds),
        }

    def _place_labels(self, values: list[FacetValue]) -> list[FacetValue]:
        """Place keys labelled by name and country ("Paris, FR"): GeoNames ids as names."""
        ids = [v.value for v in values if is_geonames_id(v.value)]
        if not ids:
            return values
        cond, params = self._in(PLACE_KEY.format(p="places"), ids)
        labels = {
            key: f"{name}, {country}" if country else name
            for key, name, country in self._rows(
                f"SELECT DISTINCT {PLACE_KEY.format(p='places')}, name, country FROM places"
                f" WHERE geonames_id IS NOT NULL AND {cond}",
                params,
            )
        }
        return [FacetValue(v.value, labels.get(v.value, v.label), v.count) for v in values]

    def _quote_source(
        self,
        speaker: str | None,
        about: str | None,
        since: date | None,
        until: date | None,
        kind: str | None,
        person_id: str | None,
        agency: str | None,
        month: str | None,
        place: str | None,
        page: int | None,
    ) -> tuple[str, str, list[Any]] | None:
        """FROM and WHERE (with their parameters) of the quotes `q` a quote query
        finds: the newest `page` of them at least (all when None); None: nothing."""
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
        if month == "undated":
            filters.append(("q.published IS NULL", []))
        elif month is not None:
            start, end = _month_span(month)
            filters.append(("q.published >= ? AND q.published < ?", [start, end]))
            dates += [(">=", start), ("<", end)]
        if agency is not None:
            filters.append(("q.agency = ?", [agency]))
        if place is not None:
            # A GeoNames id: that place; a name: the places of that name not resolved.
            cond, cond_params = self._place_cond(place)
            filters.append(
                (f"q.article_id IN (SELECT article_id FROM places WHERE {cond})", cond_params)
            )
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
                return None
            # Quotes whose words match, and quotes that name the entity (by any of its
            # names, or as the corpus person): mentions a quote holds, on their own index.
            ids = self._person_ids(about)
            named = [("m.name_lc = ?", [about.strip().lower()])]
            if len(ids) > 8:  # a word like many surnames: one branch, sorted
                named.append(self._in("m.person_id", ids))
            else:
                named += [("m.person_id = ?", [pid]) for pid in ids]
            # The plan for the page, where the words drive the list (they come first).
            criteria.append(
                Criterion([self._quote_fts(terms, page if not criteria else None)], named)
            )
        params: list[Any] = []
        if criteria:
            drive, *rest = criteria
            conds = filters + [c.condition() for c in rest]
            branches = [
                _ids(c, ps)
                if not conds and page is None
                else _newest(f"quotes q WHERE {c}", ps, conds, page)
                for c, ps in drive.quotes
            ]
            # Mentions: the newest `page` articles naming the entity in a quote hold the
            # newest `page` such quotes, unless a filter drops some of their quotes.
            cut = page if len(filters) == len(dates) and not rest else None
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
        return source, where, params

    def _people_rows(
        self,
        where: str = "",
        params: Sequence[Any] = (),
        limit: int | None = None,
        offset: int = 0,
    ) -> list[PersonRow]:
        """People with articles, most quoted first: their counts as stored (kept by
        every write, SQLStore._count_people), read in the order of their index."""
        cut, cut_params = (" LIMIT ? OFFSET ?", [limit, offset]) if limit is not None else ("", [])
        rows = self._rows(
            "SELECT p.person_id, p.name, p.variants, p.roles, p.n_quotes, p.n_articles,"
            " p.first_published, p.last_published FROM people p WHERE p.n_articles > 0"
            + where
            + " ORDER BY p.n_quotes DESC, p.n_articles DESC, p.name"
            + cut,
            [*params, *cut_params],
        )
        return [
            PersonRow(
                person_id=pid,
                name=name,
                variants=json.loads(variants),
                roles=json.loads(roles),
                quotes=int(nq),
                articles=int(na),
                first_seen=day_of(first),
                last_seen=day_of(last),
            )
            for pid, name, variants, roles, nq, na, first, last in rows
        ]

    def _people_with_role(self, role: str) -> list[str]:
        """The ids of people one of whose roles holds `role` (accents, case and spacing
        aside): matched in Python on the roles alone, so no list is built to be cut."""
        wanted = normalize_role(role)
        return sorted(
            pid
            for pid, roles in self._rows("SELECT person_id, roles FROM people WHERE roles <> '[]'")
            if any(wanted in normalize_role(r["role"]) for r in json.loads(roles))
        )

    def people(
        self, role: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[PersonRow]:
        if offset and limit is None:
            raise QueryError("an offset needs a limit")
        if not role:
            return self._people_rows(limit=limit, offset=offset)
        ids = self._people_with_role(role)
        if not ids:
            return []
        cond, params = self._in("p.person_id", ids)
        return self._people_rows(f" AND {cond}", params, limit, offset)

    def export_rows(self, table: ExportTable) -> tuple[list[str], Iterator[Row]]:
        columns = EXPORT_COLUMNS.get(table)
        if columns is None:
            raise ExportError(f"no table {table!r} to export")
        if table == "people":
            rows: Iterator[Row] = (
                (
                    p.person_id,
                    p.name,
                    dumps(p.variants),
                    dumps(p.roles),
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
        *,
        person_id: str | None = None,
        month: str | None = None,
        place: str | None = None,
    ) -> list[ArticleRow]:
        where, params = self._article_filter(since, until, agency, person_id, month, place)
        return self._article_rows(where, params, limit, offset)

    def _article_filter(
        self,
        since: date | None,
        until: date | None,
        agency: str | None,
        person_id: str | None,
        month: str | None,
        place: str | None,
    ) -> tuple[str, list[Any]]:
        """The WHERE (or "") of an article list `a`, with its parameters."""
        where: list[str] = []
        params: list[Any] = []
        if person_id is not None:
            where.append("a.id IN (SELECT article_id FROM article_people WHERE person_id = ?)")
            params.append(person_id)
        if since is not None:
            where.append("a.published >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("a.published < ?")
            params.append((until + timedelta(days=1)).isoformat())
        if agency is not None:
            where.append("lower(a.agency) = ?")
            params.append(agency.strip().lower())
        if month == "undated":
            where.append("a.published IS NULL")
        elif month is not None:
            start, end = _month_span(month)
            where.append("a.published >= ? AND a.published < ?")
            params += [start, end]
        if place is not None:
            cond, cond_params = self._place_cond(place)
            where.append(f"a.id IN (SELECT article_id FROM places WHERE {cond})")
            params += cond_params
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def article_stats(
        self,
        since: date | None = None,
        until: date | None = None,
        agency: str | None = None,
        *,
        person_id: str | None = None,
        month: str | None = None,
        place: str | None = None,
        top: int = 10,
    ) -> Stats:
        where, params = self._article_filter(since, until, agency, person_id, month, place)
        # Outlets as the filter matches them (case aside): one value per lower-cased
        # agency, shown as one of its spellings.
        outlets: Counter[str] = Counter()
        outlet_labels: dict[str, str] = {}
        months: Counter[str] = Counter()
        for low, label, mo, n in self._rows(
            "SELECT lower(a.agency), max(a.agency), substr(a.published, 1, 7), count(*)"
            f" FROM articles a{where} GROUP BY lower(a.agency), substr(a.published, 1, 7)",
            params,
        ):
            months[mo or "undated"] += int(n)
            if low is not None:
                outlets[low] += int(n)
                outlet_labels[low] = label
        total = sum(months.values())
        people: Counter[str] = Counter()
        places: Counter[str] = Counter()
        if total:
            people.update(
                {
                    pid: int(n)
                    for pid, n in self._rows(
                        "SELECT ap.person_id, count(DISTINCT ap.article_id) AS n"
                        f" FROM article_people ap JOIN articles a ON a.id = ap.article_id{where}"
                        " GROUP BY ap.person_id ORDER BY n DESC, ap.person_id LIMIT ?",
                        [*params, top],
                    )
                }
            )
            key = PLACE_KEY.format(p="pl")
            places.update(
                {
                    k: int(n)
                    for k, n in self._rows(
                        f"SELECT {key}, count(DISTINCT pl.article_id) AS n"
                        f" FROM places pl JOIN articles a ON a.id = pl.article_id{where}"
                        f" GROUP BY {key} ORDER BY n DESC, {key} LIMIT ?",
                        [*params, top],
                    )
                }
            )
        found = self._facets(people, outlets, months, places, Counter(), top)
        facets = {
            "person": found["speaker"],
            "outlet": [
                FacetValue(v.value, outlet_labels.get(v.value, v.value), v.count)
                for v in found["outlet"]
            ],
            "month": found["month"],
            "place": found["place"],
        }
        undated = 0
        if since is not None or until is not None:
            g_where, g_params = self._article_filter(
                None, None, agency, person_id, "undated", place
            )
            undated = int(self._rows(f"SELECT count(*) FROM articles a{g_where}", g_params)[0][0])
        return Stats(total, facets, undated)

    def article_days(self, **filters: Any) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles) of an article list's dated articles, in time order."""
        where, params = self._article_filter(
            filters.get("since"),
            filters.get("until"),
            filters.get("agency"),
            filters.get("person_id"),
            filters.get("month"),
            filters.get("place"),
        )
        where += (" AND" if where else " WHERE") + " a.published IS NOT NULL"
        return [
            (d, int(n))
            for d, n in self._rows(
                f"SELECT substr(a.published, 1, 10) AS d, count(*) FROM articles a{where}"
                " GROUP BY d ORDER BY d",
                params,
            )
        ]

    def quote_days(
        self,
        speaker: str | None = None,
        about: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        *,
        person_id: str | None = None,
        agency: str | None = None,
        month: str | None = None,
        place: str | None = None,
    ) -> list[tuple[str, int]]:
        found = self._quote_source(
            speaker, about, since, until, kind, person_id, agency, month, place, None
        )
        if found is None:
            return []
        source, where, params = found
        where += (" AND" if where else " WHERE") + " q.published IS NOT NULL"
        return [
            (d, int(n))
            for d, n in self._rows(
                f"SELECT substr(q.published, 1, 10) AS d, count(*) FROM {source}{where}"
                " GROUP BY d ORDER BY d",
                params,
            )
        ]

    def people_stats(self, role: str | None = None, top: int = 10) -> Stats:
        # Every person's roles, read once: the total, and the role facet. A role value
        # counts the people people(role=value) lists (a role holding it, as the filter
        # matches), over everyone: a role facet offers the roles to switch to.
        (everyone,) = self._rows("SELECT count(*) FROM people WHERE n_articles > 0")[0]
        held: list[set[str]] = []
        spelled: dict[str, Counter[str]] = {}
        for (roles,) in self._rows(
            "SELECT roles FROM people WHERE n_articles > 0 AND roles <> '[]'"
        ):
            mine: set[str] = set()
            for r in json.loads(roles):
                norm = normalize_role(r["role"])
                if norm:
                    mine.add(norm)
                    spelled.setdefault(norm, Counter())[r["role"]] += 1
            held.append(mine)
        exact: Counter[str] = Counter(norm for mine in held for norm in mine)
        candidates = [r for r, _ in sorted(exact.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
        values = [
            FacetValue(
                r,
                spelled[r].most_common(1)[0][0],
                sum(1 for mine in held if any(r in norm for norm in mine)),
            )
            for r in candidates
        ]
        values.sort(key=lambda v: (-v.count, v.value))
        if role:
            wanted = normalize_role(role)
            total = sum(1 for mine in held if any(wanted in norm for norm in mine))
        else:
            total = int(everyone)
        return Stats(total, {"role": values})

    def people_named(self, name: str, limit: int = 10) -> list[PersonRow]:
        """The people a name may mean ("Hillary Clinton", "Trump"), most quoted first."""
        if not plain(name).strip():
            return []
        ids = self._person_ids(plain(name))
        if not ids:
            return []
        cond, params = self._in("p.person_id", ids)
        return self._people_rows(f" AND {cond}", params, limit)

    def search_stats(self, text: str) -> Stats:
        """How many articles and quotes search(text) finds in all: the `type` facet."""
        terms = search_terms(text)
        if not terms:
            return Stats(0, {"type": []})
        n_articles, n_quotes = self._fts_counts(terms)
        values = [FacetValue("article", "articles", n_articles)] if n_articles else []
        values += [FacetValue("quote", "quotes", n_quotes)] if n_quotes else []
        return Stats(n_articles + n_quotes, {"type": values})

    @abstractmethod
    def _fts_counts(self, terms: list[str]) -> tuple[int, int]:
        """How many articles and quotes match the terms."""

    def _article_rows(
        self, where: str, params: list[Any], limit: int, offset: int
    ) -> list[ArticleRow]:
        rows = self._rows(
            "SELECT a.id, a.headline, a.published, a.dateline, a.agency,"
            f" (SELECT count(*) FROM quotes q WHERE q.article_id = a.id), {LEAD_SQL}"
            " FROM articles a"
            + where
            + " ORDER BY a.published DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [
            ArticleRow(r[0], r[1], r[2], r[3], r[4], int(r[5]), title=fallback_title(r[1], r[6]))
            for r in rows
        ]

    def person(self, person_id: str) -> PersonRow | None:
        found = self._people_rows(" AND p.person_id = ?", [person_id])
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
        """Places grouped by their key (PLACE_KEY): the coordinates of a resolved place
        are its own; a name's unresolved places have coordinates only where they agree
        (never an average of places apart)."""
        key = PLACE_KEY.format(p="places")
        return self._rows(
            f"SELECT {key} AS k, max(geonames_id), max(name), max(country),"
            " CASE WHEN min(lat) = max(lat) THEN min(lat) END,"
            " CASE WHEN min(lon) = max(lon) THEN min(lon) END,"
            f" count(DISTINCT article_id) AS n FROM places{where} GROUP BY {key}"
            " ORDER BY n DESC, k LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )

    @staticmethod
    def _place_row(row: Row, aliases: list[str] | None = None) -> PlaceRow:
        key, gid, name, country, lat, lon, n = row
        return PlaceRow(
            name,
            country,
            lat,
            lon,
            aliases or [],
            int(n),
            geonames_id=int(gid) if gid is not None else None,
            key=key,
        )

    @staticmethod
    def _place_cond(key: str, p: str = "") -> tuple[str, list[Any]]:
        """The places rows (`p`: their alias and a dot) of one place key: a GeoNames id,
        or unresolved by name."""
        if is_geonames_id(key):
            return f"{p}geonames_id = ?", [int(key)]
        return f"{p}geonames_id IS NULL AND {p}name = ?", [key]

    def places(
        self, limit: int = 50, offset: int = 0, *, country: str | None = None
    ) -> list[PlaceRow]:
        where, params = (" WHERE country = ?", [country]) if country is not None else ("", [])
        return [self._place_row(r) for r in self._place_rows(where, params, limit, offset)]

    def place_stats(self, country: str | None = None, top: int = 10) -> Stats:
        key = PLACE_KEY.format(p="places")
        where, params = (" WHERE country = ?", [country]) if country is not None else ("", [])
        (total,) = self._rows(f"SELECT count(DISTINCT {key}) FROM places{where}", params)[0]
        countries = [
            FacetValue(c, c, int(n))
            for c, n in self._rows(
                f"SELECT country, count(DISTINCT {key}) AS n FROM places"
                f" WHERE country IS NOT NULL{where.replace(' WHERE', ' AND')}"
                " GROUP BY country ORDER BY n DESC, country LIMIT ?",
                [*params, top],
            )
        ]
        return Stats(int(total), {"country": countries})

    def place_points(self, keys: Sequence[str]) -> dict[str, tuple[float, float]]:
        """place key -> (lat, lon), for the keys that have one point (as place() has)."""
        ids = [int(k) for k in keys if is_geonames_id(k)]
        names = [k for k in keys if not is_geonames_id(k)]
        found: list[Row] = []
        if ids:
            cond, params = self._in_ints("geonames_id", ids)
            found += self._place_rows(f" WHERE {cond}", params, len(ids), 0)
        if names:
            cond, params = self._in("name", names)
            found += self._place_rows(
                f" WHERE geonames_id IS NULL AND {cond}", params, len(names), 0
            )
        return {
            str(k): (float(lat), float(lon))
            for k, _, _, _, lat, lon, _ in found
            if lat is not None and lon is not None
        }

    def place(self, key: str) -> PlaceRow | None:
        cond, params = self._place_cond(key)
        found = self._place_rows(f" WHERE {cond}", params, 1, 0)
        if not found:
            return None
        aliases: set[str] = set()
        for (names,) in self._rows(f"SELECT DISTINCT aliases FROM places WHERE {cond}", params):
            aliases.update(json.loads(names))
        row = self._place_row(found[0])
        aliases.discard(row.name)
        row.aliases = sorted(aliases)
        return row

    def places_named(self, name: str, limit: int = 50) -> list[PlaceRow]:
        return [self._place_row(r) for r in self._place_rows(" WHERE name = ?", [name], limit, 0)]

    def place_names(self, key: str) -> list[tuple[str, str | None, int]]:
        # The characters each mention covers: how this article wrote the place's name.
        cond, params = self._place_cond(key, "p.")
        rows = self._rows(
            "SELECT DISTINCT substr(a.text, m.span_start + 1, m.span_end - m.span_start),"
            " a.agency, a.id FROM places p JOIN mentions m ON m.article_id = p.article_id"
            " AND m.entity_id = p.entity_id JOIN articles a ON a.id = p.article_id"
            f" WHERE {cond}",
            params,
        )
        counts: dict[tuple[str, str | None], int] = {}
        for written, agency, _ in rows:
            counts[(written, agency)] = counts.get((written, agency), 0) + 1
        return sorted(
            ((w, ag, n) for (w, ag), n in counts.items()), key=lambda r: (-r[2], r[0], r[1] or "")
        )

    def place_articles(self, key: str, limit: int = 50, offset: int = 0) -> list[ArticleRow]:
        cond, params = self._place_cond(key)
        return self._article_rows(
            f" WHERE a.id IN (SELECT article_id FROM places WHERE {cond})", params, limit, offset
        )
