"""Typed models that flow between the stages, and the `wirescope/1` record.

Offsets are Python string offsets into the article text exactly as decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

SCHEMA = "wirescope/1"

Span = tuple[int, int]
QuoteKind = Literal["direct", "indirect", "mixed"]
MentionType = Literal["name", "pronoun", "nominal", "org", "none"]
EntityType = Literal["PERSON", "ORG", "PLACE", "GROUP"]
Granularity = Literal[
    "time", "day", "week", "month", "quarter", "season", "half", "year", "decade", "century"
]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass
class RawDocument:
    """Text exactly as decoded from a source, before any parsing."""

    text: str
    path: str
    format: str  # "text" | "html" | "jsonl" | "stdin"
    id: str | None = None  # the input record's id (JSONL), kept in the output
    encoding: str = "utf-8"
    meta: dict[str, Any] = field(default_factory=dict)
    # How `encoding` was decided: "bom", "declared" (HTML/XML), "utf-8" (the bytes
    # are valid UTF-8) or "detected" (UTF-16 without BOM, legacy 8-bit encodings).
    encoding_from: str = "utf-8"


@dataclass
class ReadError:
    """A source that could not be read; reported, never raised past the batch."""

    path: str  # the file, or "FILE:line N" for one record of it
    reason: str
    source: str | None = None  # the file when `path` names one record of it


@dataclass
class Dateline:
    place: str | None = None
    agency: str | None = None
    agency_name: str | None = None
    span: Span | None = None


@dataclass
class Article:
    """An article's structure, found without NLP."""

    raw: RawDocument
    headline: str | None = None
    headline_span: Span | None = None
    published: datetime | None = None
    updated: datetime | None = None
    dateline: Dateline | None = None
    byline: str | None = None  # "By Jane Doe" as written in the header
    body_span: Span = (0, 0)
    paragraphs: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.raw.text


# How a field is written to JSON (record/serialize.py reads these; one field list, the
# dataclasses'): `only` lists the entity types that carry it, `nonempty` drops it when
# empty, `digits` rounds a float, `missing` is what an older record without it reads as.
PLACE_ONLY = {"only": ("PLACE",)}
NOT_PLACE = {"only": ("PERSON", "ORG", "GROUP")}


@dataclass
class Cue:
    span: Span
    text: str = field(metadata={"missing": ""})
    lemma: str


@dataclass
class SpeakerRef:
    """The mention that names a quote's speaker, and whom it resolves to."""

    span: Span
    text: str
    mention_type: MentionType = "name"
    entity: str | None = None  # id of the Entity it resolves to
    name: str | None = None  # the resolved entity's canonical name


@dataclass
class Quote:
    id: str
    span: Span
    text: str
    kind: QuoteKind
    cue: Cue | None = None
    speaker: SpeakerRef | None = None
    confidence: float = field(default=0.5, metadata={"digits": 3})


@dataclass
class Entity:
    id: str
    type: EntityType
    name: str
    mentions: list[Span] = field(default_factory=list)
    honorifics: list[str] = field(default_factory=list, metadata=NOT_PLACE)
    roles: list[str] = field(default_factory=list, metadata=NOT_PLACE)
    aliases: list[str] = field(default_factory=list)
    # "m" | "f" | None, from pronouns and honorifics
    gender: str | None = field(default=None, metadata={"only": ("PERSON",)})
    quotes: list[str] = field(default_factory=list, metadata=NOT_PLACE)  # quote ids
    # places
    country: str | None = field(default=None, metadata=PLACE_ONLY)
    lat: float | None = field(default=None, metadata=PLACE_ONLY)
    lon: float | None = field(default=None, metadata=PLACE_ONLY)
    geonames_id: int | None = field(default=None, metadata=PLACE_ONLY)
    kind: str | None = field(default=None, metadata=PLACE_ONLY)  # city, country, region ...
    resolved: bool | None = field(default=None, metadata=PLACE_ONLY)  # found in the gazetteer
    also_called: list[dict[str, str]] = field(default_factory=list, metadata=PLACE_ONLY)
    # Named only in passing, never as a place: as an adjective ("British players") or
    # inside another name ("University of Houston", "the Supreme Court"). Its mentions
    # stay (search, toponym scoring); place lists and counts leave it out.
    incidental: bool = field(
        default=False, metadata={**PLACE_ONLY, "nonempty": True, "missing": False}
    )
    # organisations: the PLACE ids their name holds ("Winnipeg Police Service": Winnipeg)
    places: list[str] = field(default_factory=list, metadata={**NOT_PLACE, "nonempty": True})


@dataclass
class DateMention:
    span: Span
    text: str
    value: str | None  # ISO 8601 / TIMEX3-like: 2021-03-01, 2020-09, 1992, 199, 19
    granularity: Granularity | None
    modifier: str | None = None  # early | mid | late | since | before | after ...
    # TimeML (TIMEX3) type and mod; `value` is then in TIMEX3 notation: 2021-W09,
    # 2021-Q3, 2021-SU, 2021-03-01TNI, P90D, PRESENT_REF, XXXX-WXX-1 (sets) ...
    type: TimexType = field(default="DATE", metadata={"missing": "DATE"})  # older: all DATE
    mod: str | None = None  # START | MID | END | APPROX | BEFORE | AFTER | ON_OR_AFTER ...

    @property
    def value_is_ref(self) -> bool:
        """PRESENT_REF, PAST_REF, FUTURE_REF: a time relative to now, no calendar value."""
        return bool(self.value and self.value.endswith("_REF"))


@dataclass
class Event:
    id: str
    span: Span
    trigger: str
    actors: list[str] = field(default_factory=list)  # entity ids
    # actors that are no entity ("ethnic Armenian separatists", "The conflict"): the noun
    # phrase as written, or a pronoun's antecedent ("they" -> "ethnic Armenian separatists")
    actor_texts: list[str] = field(default_factory=list)
    patients: list[str] = field(default_factory=list)  # entity ids acted upon
    where: str | None = None  # place entity id
    when: str | None = None  # ISO value
    numbers: list[dict[str, Any]] = field(default_factory=list)
    trigger_span: Span | None = None
    text: str = ""
    # TimeML's view of the trigger (issue 24): class OCCURRENCE, STATE, I_ACTION, I_STATE,
    # ASPECTUAL, PERCEPTION or REPORTING; tense, aspect, polarity (POS/NEG); modality
    # (None: asserted, else "reported", "planned", "possible", "demanded", ...).
    event_class: str | None = None
    tense: str | None = None
    aspect: str | None = None
    polarity: str = "POS"
    modality: str | None = None
    pos: str | None = None  # VERB, NOUN or ADJ
    patient_texts: list[str] = field(default_factory=list)  # patients that are no entity
    when_source: str | None = None  # "anchored" (a date in its clause) or "inferred"
    quote: str | None = None  # the quote whose words report it: its speaker claims it


@dataclass
class Record:
    """One article's full record: the `wirescope/1` contract (serialize.py's
    record_to_dict / record_from_dict turn it into JSON and back)."""

    id: str
    source: dict[str, Any] = field(metadata={"missing": {}})
    text: str
    headline: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    dateline: Dateline | None = None
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    input_id: str | None = None
    schema: str = SCHEMA

    def entity(self, entity_id: str | None) -> Entity | None:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None


@dataclass
class Failure:
    """An article that failed in some stage: the batch goes on without it."""

    path: str
    reason: str
    input_id: str | None = None


Result = Record | Failure
