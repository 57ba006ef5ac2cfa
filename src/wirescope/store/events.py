"""Events across the corpus: who did what to whom, where, when, and who says so.

Each stored article's events are rows of their own, written with its quotes and
mentions (and made again with them when people are rebuilt): `events` (trigger,
class, polarity, modality, `when`, the place with its GeoNames id, the quote that
reports it and that quote's speaker, as a corpus person where resolved) and
`event_roles` (each actor and patient, in order, with the corpus person it is, and
every name it goes by). Lists read these tables, never the records; newest articles
first, events in text order. A store made before them fills them from its records
when it is opened (migration).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from wirescope.record.models import Record
from wirescope.record.serialize import record_from_dict
from wirescope.store.rows import (
    EVENT_COLUMNS,
    ROLE_COLUMNS,
    FacetValue,
    Row,
    Stats,
    article_href,
    iso,
)

# Tables and indexes, the same text for both backends (SQLite and PostgreSQL).
SCHEMA = """
CREATE TABLE events (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    trigger TEXT NOT NULL,
    event_class TEXT,
    polarity TEXT NOT NULL,
    modality TEXT,
    when_value TEXT,
    when_source TEXT,
    where_entity TEXT,
    where_name TEXT,
    where_names TEXT NOT NULL DEFAULT '',
    geonames_id BIGINT,
    quote_id TEXT,
    claimed_by TEXT,
    claimed_person TEXT,
    text TEXT NOT NULL,
    published TEXT,
    PRIMARY KEY (article_id, event_id)
);
CREATE INDEX events_newest ON events (published DESC, article_id, span_start);
CREATE INDEX events_where ON events (where_name);
CREATE INDEX events_geonames ON events (geonames_id);
CREATE INDEX events_when ON events (when_value);
CREATE INDEX events_claimed_person ON events (claimed_person);
CREATE TABLE event_roles (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    role TEXT NOT NULL,
    pos INTEGER NOT NULL,
    entity_id TEXT,
    person_id TEXT,
    name TEXT NOT NULL,
    names TEXT NOT NULL
);
CREATE INDEX event_roles_event ON event_roles (article_id, event_id);
CREATE INDEX event_roles_person ON event_roles (person_id);
INSERT INTO store_state (key, value) SELECT 'events_unfilled', '1'
    WHERE EXISTS (SELECT 1 FROM articles);
"""

FILL_CHUNK = 256  # records read per page while filling the tables of an older store


@dataclass
class EventHit:
    """One event of one stored article, its ids resolved to names."""

    article_id: str
    published: str | None
    headline: str | None
    event_id: str
    trigger: str
    event_class: str | None
    actors: list[str] = field(default_factory=list)
    patients: list[str] = field(default_factory=list)
    where: str | None = None
    when: str | None = None
    when_source: str | None = None
    polarity: str = "POS"
    modality: str | None = None
    quote: str | None = None
    claimed_by: str | None = None  # the speaker of the quote the event is reported in
    text: str = ""
    geonames_id: int | None = None  # of `where`
    # name -> corpus person id, for the actors, patients and claimant that are people
    people: dict[str, str] = field(default_factory=dict)
    url: str = ""

    def __post_init__(self) -> None:
        self.url = self.url or article_href(self.article_id)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventFilter:
    """What `Store.events` narrows to; every given field must hold."""

    actor: str | None = None  # a name among the actors (entity names or phrases)
    where: str | None = None  # the place's name or one of its aliases (part of it)
    since: str | None = None  # the event's `when` on or after this date (YYYY-MM-DD)
    until: str | None = None  # the event's `when` on or before this date
    claimed_by: str | None = None  # the speaker of the quote that reports it
    person_id: str | None = None  # a corpus person among its actors or patients
    claimed_person: str | None = None  # the corpus person whose quote reports it
    place: str | None = None  # the place's canonical name, exactly
    geonames_id: int | None = None  # the place's GeoNames id
    month: str | None = None  # YYYY-MM of its `when`, or "undated": it has none
    event_class: str | None = None  # TimeML class: OCCURRENCE, REPORTING, I_ACTION ...
    article_id: str | None = None  # the article's id: its events, in text order


def _lower_names(names: Sequence[str | None]) -> str:
    """Every name, case-folded, one per line: what a name filter looks in."""
    return "\n".join(dict.fromkeys(n.casefold() for n in names if n))


def event_rows(
    record: Record, person_of: dict[str, str], person_names: dict[str, str]
) -> tuple[list[Row], list[Row]]:
    """The `events` and `event_roles` rows of one record. person_of: the record's
    local ids (entities, "q3:speaker") -> corpus person ids; person_names: their names."""
    ents = {e.id: e for e in record.entities}
    quotes = {q.id: q for q in record.quotes}
    published = iso(record.published)
    events: list[Row] = []
    roles: list[Row] = []
    for ev in record.events:
        place = ents.get(ev.where or "")
        claimed_by = claimed_person = None
        quote = quotes.get(ev.quote or "")
        if quote is not None and quote.speaker is not None:
            spk = quote.speaker
            claimed_person = person_of.get(spk.entity or "") or person_of.get(f"{quote.id}:speaker")
            claimed_by = person_names.get(claimed_person or "") or spk.name or spk.text
        events.append(
            (
                record.id,
                ev.id,
                ev.span[0],
                ev.trigger,
                ev.event_class,
                ev.polarity,
                ev.modality,
                ev.when,
                ev.when_source,
                place.id if place is not None else None,
                place.name if place is not None else None,
                _lower_names([place.name, *place.aliases]) if place is not None else "",
                place.geonames_id if place is not None else None,
                ev.quote,
                claimed_by,
                claimed_person,
                ev.text or " ".join(record.text[ev.span[0] : ev.span[1]].split()),
                published,
            )
        )
        for role, ids, texts in (
            ("actor", ev.actors, ev.actor_texts),
            ("patient", ev.patients, ev.patient_texts),
        ):
            pos = 0
            for eid in ids:
                ent = ents.get(eid)
                pid = person_of.get(eid)
                name = person_names.get(pid or "") or (ent.name if ent is not None else eid)
                names = [name, *([ent.name, *ent.aliases] if ent is not None else [])]
                roles.append((record.id, ev.id, role, pos, eid, pid, name, _lower_names(names)))
                pos += 1
            for text in texts:
                roles.append((record.id, ev.id, role, pos, None, None, text, _lower_names([text])))
                pos += 1
    return events, roles


def _conditions(f: EventFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `events e` (with `?` placeholders) and their values."""
    conds: list[str] = []
    params: list[Any] = []

    def role(cond: str, value: Any) -> None:
        conds.append(
            "EXISTS (SELECT 1 FROM event_roles r WHERE r.article_id = e.article_id"
            f" AND r.event_id = e.event_id AND {cond})"
        )
        params.append(value)

    if f.actor:
        role("r.role = 'actor' AND r.names LIKE ?", f"%{f.actor.casefold()}%")
    if f.person_id:
        # The person's roles first, on their index: as a correlated EXISTS, SQLite read
        # every role of the person once per event (11 s for a person in 600 articles).
        conds.append(
            "(e.article_id, e.event_id) IN"
            " (SELECT r.article_id, r.event_id FROM event_roles r WHERE r.person_id = ?)"
        )
        params.append(f.person_id)
    if f.where:
        conds.append("e.where_names LIKE ?")
        params.append(f"%{f.where.casefold()}%")
    if f.place:
        conds.append("e.where_name = ?")
        params.append(f.place)
    if f.geonames_id is not None:
        conds.append("e.geonames_id = ?")
        params.append(f.geonames_id)
    # "2021-03" is on or after "2021-03-01" (its month holds the day): compare the
    # date's first characters, as many as the event's `when` has.
    if f.since:
        conds.append("e.when_value >= substr(?, 1, length(e.when_value))")
        params.append(f.since)
    if f.until:
        conds.append("e.when_value <= substr(?, 1, length(e.when_value))")
        params.append(f.until)
    if f.month == "undated":
        conds.append("e.when_value IS NULL")
    elif f.month:
        conds.append("substr(e.when_value, 1, 7) = ?")
        params.append(f.month)
    if f.event_class:
        conds.append("e.event_class = ?")
        params.append(f.event_class)
    if f.claimed_by:
        conds.append("lower(e.claimed_by) LIKE ?")
        params.append(f"%{f.claimed_by.casefold()}%")
    if f.claimed_person:
        conds.append("e.claimed_person = ?")
        params.append(f.claimed_person)
    if f.article_id:
        conds.append("e.article_id = ?")
        params.append(f.article_id)
    return "".join(f" AND {c}" for c in conds), params


class EventStore:
    """Mixed into SQLStore (the primitives below are SQLStore's): lists and counts
    over the two tables, and filling them in a store made before them."""

    _exec: Callable[..., None]
    _rows: Callable[..., list[Row]]
    _in: Callable[..., tuple[str, list[Any]]]
    _copy: Callable[..., None]

    def events(
        self, f: EventFilter | None = None, limit: int = 50, offset: int = 0
    ) -> list[EventHit]:
        """Events matching every field of `f`: newest articles first (undated last),
        each article's in text order."""
        extra, params = _conditions(f or EventFilter())
        rows = self._rows(
            "SELECT e.article_id, e.published, a.headline, e.event_id, e.trigger,"
            " e.event_class, e.where_name, e.when_value, e.when_source, e.polarity,"
            " e.modality, e.quote_id, e.claimed_by, e.claimed_person, e.text, e.geonames_id"
            " FROM events e JOIN articles a ON a.id = e.article_id"
            f" WHERE 1 = 1{extra}"
            " ORDER BY e.published DESC NULLS LAST, e.article_id, e.span_start"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        hits: dict[tuple[str, str], EventHit] = {}
        for row in rows:
            aid, pub, head, eid, trig, cls, where, when, src, pol, mod, qid, by, pid, txt, gid = row
            hit = EventHit(
                article_id=aid,
                published=pub,
                headline=head,
                event_id=eid,
                trigger=trig,
                event_class=cls,
                where=where,
                when=when,
                when_source=src,
                polarity=pol,
                modality=mod,
                quote=qid,
                claimed_by=by,
                text=txt,
                geonames_id=int(gid) if gid is not None else None,
            )
            if by and pid:
                hit.people[by] = pid
            hits[(aid, eid)] = hit
        if hits:
            cond, in_params = self._in("article_id", sorted({a for a, _ in hits}))
            for aid, eid, role, pid, name in self._rows(
                f"SELECT article_id, event_id, role, person_id, name FROM event_roles WHERE {cond}"
                " ORDER BY article_id, event_id, role, pos",
                in_params,
            ):
                owner = hits.get((aid, eid))
                if owner is None:
                    continue
                (owner.actors if role == "actor" else owner.patients).append(name)
                if pid:
                    owner.people[name] = pid
        return list(hits.values())

    def event_count(self, f: EventFilter | None = None) -> int:
        """How many events `events(f)` would list without a limit."""
        extra, params = _conditions(f or EventFilter())
        rows = self._rows(f"SELECT count(*) FROM events e WHERE 1 = 1{extra}", params)
        return int(rows[0][0])

    def event_stats(self, f: EventFilter | None = None, top: int = 10) -> Stats:
        """How many events events(f) finds, and their facets: the actors that are corpus
        people (`actor`, by person id), the TimeML `class`, the `place` and the
        `month` of their `when` (every month, newest first, "undated" last); the `top`
        most frequent of each but months."""
        extra, params = _conditions(f or EventFilter())
        found = self._rows(
            "SELECT e.article_id, e.event_id, e.event_class, e.where_name,"
            f" substr(e.when_value, 1, 7) FROM events e WHERE 1 = 1{extra}",
            params,
        )
        classes: Counter[str] = Counter()
        places: Counter[str] = Counter()
        months: Counter[str] = Counter()
        for _, _, cls, where, month in found:
            classes[cls or "unknown"] += 1
            if where:
                places[where] += 1
            months[month if month and len(month) == 7 else "undated"] += 1
        actors: Counter[str] = Counter()
        names: dict[str, str] = {}
        for pid, name, n in self._rows(
            "SELECT r.person_id, max(r.name), count(DISTINCT r.article_id || ' ' || r.event_id)"
            " FROM event_roles r JOIN events e ON e.article_id = r.article_id"
            f" AND e.event_id = r.event_id WHERE r.role = 'actor' AND r.person_id IS NOT NULL"
            f"{extra} GROUP BY r.person_id",
            params,
        ):
            actors[pid] = int(n)
            names[pid] = name

        def ranked(counts: Counter[str], label: dict[str, str] | None = None) -> list[FacetValue]:
            values = [FacetValue(k, (label or {}).get(k, k), n) for k, n in counts.items()]
            values.sort(key=lambda v: (-v.count, v.label))
            return values[:top]

        facets = {
            "actor": ranked(actors, names),
            "class": ranked(classes),
            "place": ranked(places),
            "month": sorted(
                (FacetValue(k, k, n) for k, n in months.items()),
                key=lambda v: (v.value != "undated", v.value),
                reverse=True,
            ),
        }
        return Stats(len(found), facets)

    def event_months(self, f: EventFilter | None = None) -> list[tuple[str, int]]:
        """(YYYY-MM, events) by the month of their `when`, in time order: those whose
        `when` names a month or a day."""
        extra, params = _conditions(f or EventFilter())
        rows = self._rows(
            "SELECT substr(e.when_value, 1, 7) AS month, count(*) FROM events e"
            f" WHERE length(e.when_value) >= 7{extra} GROUP BY month ORDER BY month",
            params,
        )
        return [(month, int(n)) for month, n in rows]

    # -- filling the tables of a store made before them -------------------------

    def _events_unfilled(self) -> bool:
        return bool(self._rows("SELECT 1 FROM store_state WHERE key = 'events_unfilled'"))

    def _fill_events(self) -> None:
        """Write the event rows of every stored article from its record, people as
        the store has matched them (article_people, quotes); inside the caller's
        transaction (the migration's)."""
        after = ""
        while True:
            page = self._rows(
                "SELECT id, record_json FROM articles WHERE id > ? ORDER BY id LIMIT ?",
                (after, FILL_CHUNK),
            )
            if not page:
                break
            after = page[-1][0]
            ids = [r[0] for r in page]
            cond, params = self._in("ap.article_id", ids)
            person_of: dict[str, dict[str, str]] = {}
            names: dict[str, str] = {}
            for aid, local, pid, name in self._rows(
                "SELECT ap.article_id, ap.entity_id, ap.person_id, p.name FROM article_people ap"
                f" JOIN people p ON p.person_id = ap.person_id WHERE {cond}",
                params,
            ):
                person_of.setdefault(aid, {})[local] = pid
                names[pid] = name
            events: list[Row] = []
            roles: list[Row] = []
            for aid, doc in page:
                record = record_from_dict(json.loads(doc))
                ev, ro = event_rows(record, person_of.get(aid, {}), names)
                events += ev
                roles += ro
            if events:
                self._copy("events", EVENT_COLUMNS, events)
            if roles:
                self._copy("event_roles", ROLE_COLUMNS, roles)
        self._exec("DELETE FROM store_state WHERE key = 'events_unfilled'")
