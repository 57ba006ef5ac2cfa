"""Events across the corpus: who did what to whom, where, when, and who says so.

Events live in each stored record (`record_json`); no table of their own. A query
narrows the articles in SQL first, by the tables every store already keeps (`mentions`
for an actor's name, `places` for the place, `quotes` for the claimant, `published` for
the date), newest first, then reads those records' events and keeps the ones that match.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from wirescope.record.models import Event, Record
from wirescope.record.serialize import record_from_dict
from wirescope.store.base import Store

PAGE_ARTICLES = 200  # articles read per SQL page while gathering events


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventFilter:
    actor: str | None = None  # a name among the actors (entity names or phrases)
    where: str | None = None  # the place's name or one of its aliases
    since: str | None = None  # the event's `when` on or after this date (YYYY-MM-DD)
    claimed_by: str | None = None  # the speaker of the quote that reports it

    def matches(self, hit: EventHit, where_names: list[str]) -> bool:
        if self.actor and not _contains(hit.actors, self.actor):
            return False
        if self.where and not _contains(where_names, self.where):
            return False
        if self.since and not (hit.when and _on_or_after(hit.when, self.since)):
            return False
        return not (self.claimed_by and not _contains([hit.claimed_by or ""], self.claimed_by))


def _contains(values: list[str], needle: str) -> bool:
    n = needle.casefold()
    return any(n in v.casefold() for v in values)


def _on_or_after(when: str, since: str) -> bool:
    """ "2021-03" is on or after "2021-03-01" (its month holds the day)."""
    return when >= since[: len(when)]


def event_hits(record: Record) -> Iterator[tuple[EventHit, list[str]]]:
    """Each event of a record as a hit, with every name its place goes by."""
    ents = {e.id: e for e in record.entities}
    quotes = {q.id: q for q in record.quotes}

    def names(ids: list[str], texts: list[str]) -> list[str]:
        return [ents[i].name if i in ents else i for i in ids] + texts

    for ev in record.events:
        place = ents.get(ev.where or "")
        quote = quotes.get(ev.quote or "")
        speaker = quote.speaker if quote is not None else None
        hit = EventHit(
            article_id=record.id,
            published=record.published.isoformat() if record.published else None,
            headline=record.headline,
            event_id=ev.id,
            trigger=ev.trigger,
            event_class=ev.event_class,
            actors=names(ev.actors, ev.actor_texts),
            patients=names(ev.patients, ev.patient_texts),
            where=place.name if place is not None else None,
            when=ev.when,
            when_source=ev.when_source,
            polarity=ev.polarity,
            modality=ev.modality,
            quote=ev.quote,
            claimed_by=(speaker.name or speaker.text) if speaker is not None else None,
            text=ev.text or _trigger_context(record, ev),
        )
        yield hit, ([place.name, *place.aliases] if place is not None else [])


def _trigger_context(record: Record, ev: Event) -> str:
    return " ".join(record.text[ev.span[0] : ev.span[1]].split())


def _candidate_sql(f: EventFilter) -> tuple[str, list[Any]]:
    """Articles that can hold a matching event, newest first (a `?` per parameter)."""
    conds: list[str] = []
    params: list[Any] = []
    if f.since:
        # An event is reported on or after it happens (planned ones aside).
        conds.append("a.published >= ?")
        params.append(f.since)
    if f.actor:
        # Actors that are entities have a mention; those written as phrases are in the text.
        conds.append(
            "(a.id IN (SELECT article_id FROM mentions WHERE name_lc LIKE ?)"
            " OR lower(a.text) LIKE ?)"
        )
        params += [f"%{f.actor.casefold()}%"] * 2
    if f.where:
        conds.append(
            "a.id IN (SELECT article_id FROM places WHERE lower(name) LIKE ? OR lower(aliases)"
            " LIKE ?)"
        )
        params += [f"%{f.where.casefold()}%"] * 2
    if f.claimed_by:
        conds.append(
            "a.id IN (SELECT article_id FROM quotes WHERE lower(speaker_name) LIKE ?"
            " OR lower(speaker_text) LIKE ?)"
        )
        params += [f"%{f.claimed_by.casefold()}%"] * 2
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    sql = (
        f"SELECT a.record_json FROM articles a {where}"
        " ORDER BY a.published IS NULL, a.published DESC, a.id LIMIT ? OFFSET ?"
    )
    return sql, params


def find_events(store: Store, f: EventFilter, limit: int = 50) -> list[EventHit]:
    """Events matching every given filter, from the newest articles first."""
    from wirescope.store._sql import SQLStore

    out: list[EventHit] = []
    if not isinstance(store, SQLStore):  # another backend: read every record
        for record in store.iter_records():
            out += [h for h, names in event_hits(record) if f.matches(h, names)]
            if len(out) >= limit:
                break
        return out[:limit]
    sql, params = _candidate_sql(f)
    offset = 0
    while len(out) < limit:
        rows = store._rows(sql, (*params, PAGE_ARTICLES, offset))
        for (doc,) in rows:
            record = record_from_dict(json.loads(doc))
            out += [h for h, names in event_hits(record) if f.matches(h, names)]
        if len(rows) < PAGE_ARTICLES:
            break
        offset += PAGE_ARTICLES
    return out[:limit]
