"""An article's text cut into pieces for the article page: quotes as the outer layer
(one colour per speaker), cue words, people, places and dates inside them. Pure: the
template escapes every piece, so no text from a record ever becomes markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote as urlquote

from wirescope.record.models import Quote, Record

# Okabe-Ito tints (colour-blind safe); each speaker also gets a numbered badge, and each
# quote kind a border style, so colour is never the only signal.
PALETTE_SIZE = 8


@dataclass
class Inline:
    """A mark inside the text: a cue word, a person, a place or a date."""

    kind: str  # "cue" | "person" | "place" | "date"
    start: int
    end: int
    label: str  # what it is, for the title and screen readers
    href: str | None = None


@dataclass
class Piece:
    text: str
    mark: Inline | None = None


@dataclass
class SpeakerInfo:
    number: int  # 1-based badge number, also picks the colour
    name: str  # resolved person, or the words naming the speaker
    person_id: str | None = None
    role: str | None = None

    @property
    def colour(self) -> int:
        return (self.number - 1) % PALETTE_SIZE


@dataclass
class Segment:
    """A run of text: inside one quote (quote is set) or between quotes."""

    pieces: list[Piece]
    quote: Quote | None = None
    speaker: SpeakerInfo | None = None
    mention: str | None = None  # the words naming the speaker in this article


@dataclass
class Annotated:
    segments: list[Segment]
    speakers: list[SpeakerInfo] = field(default_factory=list)
    speaker_of: dict[str, SpeakerInfo] = field(default_factory=dict)  # quote id -> speaker


def place_href(name: str, geonames_id: int | None = None) -> str:
    """A resolved place's page is its GeoNames id's (two Parises, two pages)."""
    return "/places/" + (str(geonames_id) if geonames_id else urlquote(name, safe=""))


def person_href(person_id: str) -> str:
    return "/people/" + urlquote(person_id, safe="")


def role_at(roles: list[dict[str, Any]], day: str | None) -> str | None:
    """The role last reported on or before `day` (roles are {"role", "as_of"})."""
    held = [r for r in roles if not day or not r.get("as_of") or r["as_of"][:10] <= day]
    held.sort(key=lambda r: r.get("as_of") or "")
    return held[-1]["role"] if held else None


def speakers_of(
    record: Record,
    person_of: dict[str, tuple[str, str]],
    roles_of: dict[str, list[dict[str, Any]]],
) -> tuple[list[SpeakerInfo], dict[str, SpeakerInfo]]:
    """One SpeakerInfo per distinct speaker, numbered in order of first quote.

    person_of: entity id -> (person id, corpus name); roles_of: person id -> roles."""
    day = record.published.date().isoformat() if record.published else None
    by_key: dict[str, SpeakerInfo] = {}
    of_quote: dict[str, SpeakerInfo] = {}
    for q in sorted(record.quotes, key=lambda q: q.span):
        spk = q.speaker
        entity = record.entity(spk.entity) if spk else None
        pid, name = person_of.get(entity.id, (None, None)) if entity else (None, None)
        if name is None:
            name = (entity.name if entity else None) or (spk.name or spk.text if spk else None)
        key = pid or (entity.id if entity else None) or (name or "").lower() or "?"
        info = by_key.get(key)
        if info is None:
            role = role_at(roles_of.get(pid, []), day) if pid else None
            if role is None and entity and entity.roles:
                role = entity.roles[0]
            info = SpeakerInfo(len(by_key) + 1, name or "unknown speaker", pid, role)
            by_key[key] = info
        of_quote[q.id] = info
    return list(by_key.values()), of_quote


def inline_marks(record: Record, person_href: dict[str, str]) -> list[Inline]:
    """Cue words, entity mentions and dates, non-overlapping (earlier, then longer, wins)."""
    marks: list[Inline] = []
    for q in record.quotes:
        if q.cue and q.cue.span[1] > q.cue.span[0]:
            marks.append(Inline("cue", *q.cue.span, f"cue word ({q.cue.lemma})"))
    for e in record.entities:
        if e.type == "PERSON":
            kind, label, href = "person", f"person: {e.name}", person_href.get(e.id)
        elif e.type == "PLACE":
            kind, label, href = "place", f"place: {e.name}", place_href(e.name, e.geonames_id)
        else:
            continue
        marks += [Inline(kind, s, t, label, href) for s, t in e.mentions if t > s]
    for d in record.dates:
        value = f" = {d.value}" if d.value else ""
        marks.append(Inline("date", *d.span, f"date{value}"))
    marks.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Inline] = []
    for m in marks:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


def annotate(
    record: Record,
    person_of: dict[str, tuple[str, str]] | None = None,
    roles_of: dict[str, list[dict[str, Any]]] | None = None,
) -> Annotated:
    person_of = person_of or {}
    speakers, speaker_of = speakers_of(record, person_of, roles_of or {})
    hrefs = {eid: person_href(pid) for eid, (pid, _) in person_of.items()}
    marks = inline_marks(record, hrefs)
    text = record.text
    # Outer layer: quotes, skipping one that overlaps the previous (as the CLI does).
    outer: list[tuple[int, int, Quote | None]] = []
    pos = 0
    for q in sorted(record.quotes, key=lambda q: q.span):
        start, end = q.span
        if start < pos or end <= start:
            continue
        if start > pos:
            outer.append((pos, start, None))
        outer.append((start, end, q))
        pos = end
    if pos < len(text):
        outer.append((pos, len(text), None))

    segments = []
    k = 0
    for start, end, quote in outer:
        pieces: list[Piece] = []
        cur = start
        while k < len(marks) and marks[k].end <= start:
            k += 1
        j = k
        while j < len(marks) and marks[j].start < end:
            m = marks[j]
            s, t = max(m.start, start), min(m.end, end)  # clipped to this segment
            if s > cur:
                pieces.append(Piece(text[cur:s]))
            pieces.append(Piece(text[s:t], m))
            cur = t
            j += 1
        if cur < end:
            pieces.append(Piece(text[cur:end]))
        info = speaker_of.get(quote.id) if quote else None
        mention = quote.speaker.text if quote and quote.speaker else None
        segments.append(Segment(pieces, quote, info, mention))
    return Annotated(segments, speakers, speaker_of)
