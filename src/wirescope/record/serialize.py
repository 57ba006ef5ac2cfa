"""Record <-> JSON-ready dict for schema `wirescope/1`.

Only here: models.py holds the shapes and imports nothing back (no import cycle).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wirescope.record.models import (
    Cue,
    Dateline,
    DateMention,
    Entity,
    Event,
    Quote,
    Record,
    SpeakerRef,
)


def _span(value: Any) -> tuple[int, int]:
    return (int(value[0]), int(value[1]))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _quote_to_dict(q: Quote) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": q.id,
        "span": list(q.span),
        "text": q.text,
        "kind": q.kind,
        "cue": None,
        "speaker": None,
        "confidence": round(q.confidence, 3),
    }
    if q.cue:
        out["cue"] = {"span": list(q.cue.span), "text": q.cue.text, "lemma": q.cue.lemma}
    if q.speaker:
        s = q.speaker
        out["speaker"] = {
            "span": list(s.span),
            "text": s.text,
            "mention_type": s.mention_type,
            "entity": s.entity,
            "name": s.name,
        }
    return out


def _entity_to_dict(e: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {"id": e.id, "type": e.type, "name": e.name}
    if e.type == "PLACE":
        out.update(
            aliases=e.aliases,
            country=e.country,
            lat=e.lat,
            lon=e.lon,
            geonames_id=e.geonames_id,
            kind=e.kind,
            resolved=e.resolved,
            also_called=e.also_called,
        )
    else:
        out.update(honorifics=e.honorifics, roles=e.roles, aliases=e.aliases)
        if e.type == "PERSON":
            out["gender"] = e.gender
        out["quotes"] = e.quotes
        if e.places:
            out["places"] = e.places
    out["mentions"] = [list(m) for m in e.mentions]
    return out


def record_to_dict(r: Record) -> dict[str, Any]:
    dl = r.dateline
    return {
        "schema": r.schema,
        "id": r.id,
        "input_id": r.input_id,
        "source": r.source,
        "headline": r.headline,
        "published": _iso(r.published),
        "updated": _iso(r.updated),
        "dateline": (
            {
                "place": dl.place,
                "agency": dl.agency,
                "agency_name": dl.agency_name,
                "span": list(dl.span) if dl.span else None,
            }
            if dl
            else None
        ),
        "text": r.text,
        "quotes": [_quote_to_dict(q) for q in r.quotes],
        "entities": [_entity_to_dict(e) for e in r.entities],
        "dates": [
            {
                "span": list(d.span),
                "text": d.text,
                "value": d.value,
                "granularity": d.granularity,
                "modifier": d.modifier,
                "type": d.type,
                "mod": d.mod,
            }
            for d in r.dates
        ],
        "events": [
            {
                "id": ev.id,
                "span": list(ev.span),
                "text": ev.text,
                "trigger": ev.trigger,
                "trigger_span": list(ev.trigger_span) if ev.trigger_span else None,
                "actors": ev.actors,
                "actor_texts": ev.actor_texts,
                "patients": ev.patients,
                "where": ev.where,
                "when": ev.when,
                "numbers": ev.numbers,
                "class": ev.cls,
                "pos": ev.pos,
                "tense": ev.tense,
                "aspect": ev.aspect,
                "polarity": ev.polarity,
                "modality": ev.modality,
                "patient_texts": ev.patient_texts,
                "when_source": ev.when_source,
                "quote": ev.quote,
            }
            for ev in r.events
        ],
    }


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def record_from_dict(d: dict[str, Any]) -> Record:
    quotes = []
    for q in d.get("quotes", []):
        cue = q.get("cue")
        spk = q.get("speaker")
        quotes.append(
            Quote(
                id=q["id"],
                span=_span(q["span"]),
                text=q["text"],
                kind=q["kind"],
                cue=Cue(_span(cue["span"]), cue.get("text", ""), cue["lemma"]) if cue else None,
                speaker=(
                    SpeakerRef(
                        span=_span(spk["span"]),
                        text=spk["text"],
                        mention_type=spk.get("mention_type", "name"),
                        entity=spk.get("entity"),
                        name=spk.get("name"),
                    )
                    if spk
                    else None
                ),
                confidence=q.get("confidence", 0.5),
            )
        )
    entities = []
    for e in d.get("entities", []):
        entities.append(
            Entity(
                id=e["id"],
                type=e["type"],
                name=e["name"],
                mentions=[_span(m) for m in e.get("mentions", [])],
                honorifics=e.get("honorifics", []),
                roles=e.get("roles", []),
                aliases=e.get("aliases", []),
                gender=e.get("gender"),
                quotes=e.get("quotes", []),
                country=e.get("country"),
                lat=e.get("lat"),
                lon=e.get("lon"),
                geonames_id=e.get("geonames_id"),
                kind=e.get("kind"),
                resolved=e.get("resolved"),
                also_called=e.get("also_called", []),
                places=e.get("places", []),
            )
        )
    dl = d.get("dateline")
    return Record(
        id=d["id"],
        source=d.get("source", {}),
        text=d["text"],
        headline=d.get("headline"),
        published=_dt(d.get("published")),
        updated=_dt(d.get("updated")),
        dateline=(
            Dateline(
                dl.get("place"),
                dl.get("agency"),
                dl.get("agency_name"),
                _span(dl["span"]) if dl.get("span") else None,
            )
            if dl
            else None
        ),
        quotes=quotes,
        entities=entities,
        dates=[
            DateMention(
                _span(x["span"]),
                x["text"],
                x.get("value"),
                x.get("granularity"),
                x.get("modifier"),
                x.get("type") or "DATE",  # records before TIMEX3 types: all dates
                x.get("mod"),
            )
            for x in d.get("dates", [])
        ],
        events=[
            Event(
                id=x["id"],
                span=_span(x["span"]),
                trigger=x["trigger"],
                actors=x.get("actors", []),
                actor_texts=x.get("actor_texts", []),
                patients=x.get("patients", []),
                where=x.get("where"),
                when=x.get("when"),
                numbers=x.get("numbers", []),
                trigger_span=_span(x["trigger_span"]) if x.get("trigger_span") else None,
                text=x.get("text", ""),
                cls=x.get("class"),
                pos=x.get("pos"),
                tense=x.get("tense"),
                aspect=x.get("aspect"),
                polarity=x.get("polarity") or "POS",
                modality=x.get("modality"),
                patient_texts=x.get("patient_texts", []),
                when_source=x.get("when_source"),
                quote=x.get("quote"),
            )
            for x in d.get("events", [])
        ],
        input_id=d.get("input_id"),
        schema=d.get("schema", "wirescope/1"),
    )
