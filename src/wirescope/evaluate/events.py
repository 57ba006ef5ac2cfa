"""Score events against TimeML EVENT/TLINK gold (TBAQ; see shared/data/README.md "Events").

Gold: one document a line, `{"id", "text", "published", "timex": [...], "events": [{"start",
"end", "class", "tense", "aspect", "polarity", "pos", "eiids"}], "tlinks": [...], "dct_tid"}`.

Triggers as TempEval-3 task B scores them: a predicted trigger matches a gold EVENT when
their spans share a character (relaxed), one-to-one, largest overlap first; P/R/F1 overall
and by class (recall by the GOLD class, precision by the PREDICTED class), class accuracy
and tense/aspect/polarity accuracy among matched pairs (where the gold gives the attribute).

`when`: the gold events a TLINK ties to a calendar DATE (IS_INCLUDED, DURING, SIMULTANEOUS,
BEGUN_BY, ENDED_BY or IDENTITY; a link from the time to the event counts through its
inverse, and the creation time counts as the date `published` gives). Coverage: the share
of them matched by a predicted event that has a `when`; accuracy: among those, the share
whose `when` equals one of the event's anchor dates at that date's granularity.

Halves: `half_of(id)` splits documents by a stable hash of their id, so a model trained on
one half can be judged on the other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from wirescope.evaluate.quotes import Counts, gold_article, gold_lines, predict_each
from wirescope.record.models import Event, Span

CLASSES: tuple[str, ...] = (
    "OCCURRENCE",
    "REPORTING",
    "I_ACTION",
    "STATE",
    "I_STATE",
    "ASPECTUAL",
    "PERCEPTION",
)
# Relations that put an event inside (or exactly at) a time, from the event's side, and
# the same relation read from the time's side.
ANCHOR_RELS = frozenset(
    ("IS_INCLUDED", "DURING", "SIMULTANEOUS", "BEGUN_BY", "ENDED_BY", "IDENTITY")
)
INVERSE_ANCHOR_RELS = frozenset(
    ("INCLUDES", "DURING", "DURING_INV", "SIMULTANEOUS", "BEGINS", "ENDS", "IDENTITY")
)
_CALENDAR = re.compile(r"^\d{4}(?:-(?:\d\d|W\d\d|Q\d|H\d|SU|SP|FA|WI)(?:-\d\d)?)?$")
ATTRIBUTES: tuple[str, ...] = ("tense", "aspect", "polarity")


@dataclass(frozen=True)
class GoldEvent:
    span: Span
    text: str
    cls: str
    tense: str | None = None
    aspect: str | None = None
    polarity: str | None = None
    pos: str | None = None
    anchors: tuple[str, ...] = ()  # calendar dates a TLINK puts the event in


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    published: datetime | None
    events: tuple[GoldEvent, ...]


def _calendar_value(value: str) -> str | None:
    v = value.strip().upper()
    return v if _CALENDAR.match(v) else None


def _anchors(row: Any, published: datetime | None) -> dict[str, set[str]]:
    """Event instance id -> the calendar dates its TLINKs put it in."""
    times: dict[str, str] = {}
    for t in row.get("timex", []):
        if str(t.get("type", "")).upper() == "DATE" and (
            v := _calendar_value(str(t.get("value") or ""))
        ):
            times[str(t["tid"])] = v  # fmt: skip
    if row.get("dct_tid") and published is not None:
        times.setdefault(str(row["dct_tid"]), published.date().isoformat())
    out: dict[str, set[str]] = {}
    for link in row.get("tlinks", []):
        rel = str(link.get("relType", "")).upper()
        if "eventInstanceID" in link and "relatedToTime" in link and rel in ANCHOR_RELS:
            eiid, tid = link["eventInstanceID"], link["relatedToTime"]
        elif "timeID" in link and "relatedToEventInstance" in link and rel in INVERSE_ANCHOR_RELS:
            eiid, tid = link["relatedToEventInstance"], link["timeID"]
        else:
            continue
        if str(tid) in times:
            out.setdefault(str(eiid), set()).add(times[str(tid)])
    return out


def _gold_doc(row: Any) -> GoldDoc:
    text = row["text"]
    pub = row.get("published")
    published = datetime.fromisoformat(pub) if pub else None
    anchors = _anchors(row, published)
    events = []
    for e in row.get("events", []):
        dates: set[str] = set()
        for eiid in e.get("eiids", []):
            dates |= anchors.get(str(eiid), set())
        events.append(
            GoldEvent(
                (int(e["start"]), int(e["end"])),
                e.get("text") or text[int(e["start"]) : int(e["end"])],
                str(e["class"]).upper(),
                e.get("tense"),
                e.get("aspect"),
                e.get("polarity"),
                e.get("pos"),
                tuple(sorted(dates)),
            )
        )
    return GoldDoc(str(row["id"]), text, published, tuple(events))


def load_gold(path: str | Path, limit: int | None = None) -> list[GoldDoc]:
    """EVENT/TLINK gold, one document a line; GoldFormatError names the file and line."""
    return gold_lines(path, _gold_doc, limit)


def half_of(doc_id: str) -> str:
    """ "A" or "B": a stable split of documents by a hash of their id."""
    return "AB"[hashlib.sha256(doc_id.encode("utf-8")).digest()[0] & 1]


def select_half(gold: Sequence[GoldDoc], half: str | None) -> list[GoldDoc]:
    """The documents of one half ("A" or "B"), or all of them for None."""
    if half is None:
        return list(gold)
    return [g for g in gold if half_of(g.id) == half.upper()]


def predict_doc(gold: GoldDoc, doc: Doc) -> list[Event]:
    """The whole pipeline over one parsed gold text (events need quotes, entities, dates),
    anchored at the gold creation time."""
    from wirescope.pipeline.build import build_record

    record = build_record(gold_article(gold), doc)
    events = list(record.events)
    # A quote's cue is its REPORTING event; where the events stage leaves the cue to the
    # quote (as it did before issue 24) it still counts as found.
    taken = [trigger_span(e) for e in events]
    for q in record.quotes:
        if q.cue is not None and not any(_overlap(q.cue.span, t) for t in taken):
            cue = Event(id=f"cue-{q.id}", span=q.cue.span, trigger=q.cue.text or "")
            cue.trigger_span, cue.event_class = q.cue.span, "REPORTING"
            events.append(cue)
    return events


def predict(gold: Sequence[GoldDoc], docs: Iterable[Doc] | None = None) -> list[list[Event]]:
    """Events for each gold document; `docs` are its parses when already made."""
    return predict_each(gold, predict_doc, docs)


# --------------------------------------------------------------------------- scoring


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class Scores:
    triggers: Counts = field(default_factory=Counts)
    by_class: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CLASSES})
    cls: Accuracy = field(default_factory=Accuracy)
    attributes: dict[str, Accuracy] = field(
        default_factory=lambda: {a: Accuracy() for a in ATTRIBUTES}
    )
    anchored: int = 0  # gold events a TLINK ties to a calendar date
    when_covered: int = 0  # ... matched by a predicted event with a `when`
    when_right: int = 0

    @property
    def when_coverage(self) -> float:
        return self.when_covered / self.anchored if self.anchored else 0.0

    @property
    def when_acc(self) -> float:
        return self.when_right / self.when_covered if self.when_covered else 0.0

    def summary(self) -> dict[str, float]:
        """The figures the quality gate pins."""
        return {
            "trigger_f1": round(self.triggers.f1, 4),
            "class_acc": round(self.cls.value, 4),
            "when_acc": round(self.when_acc, 4),
            "when_coverage": round(self.when_coverage, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        def prf(x: Counts) -> dict[str, Any]:
            return {
                "p": round(x.precision, 4),
                "r": round(x.recall, 4),
                "f1": round(x.f1, 4),
                "gold": x.gold,
                "pred": x.pred,
            }

        return {
            "triggers": prf(self.triggers),
            "by_class": {c: prf(x) for c, x in self.by_class.items()},
            "class_accuracy": round(self.cls.value, 4),
            **{f"{a}_accuracy": round(x.value, 4) for a, x in self.attributes.items()},
            "when": {
                "anchored": self.anchored,
                "covered": self.when_covered,
                "right": self.when_right,
                "coverage": round(self.when_coverage, 4),
                "accuracy": round(self.when_acc, 4),
            },
        }


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def trigger_span(ev: Event) -> Span:
    return ev.trigger_span or ev.span


def match(gold: Sequence[GoldEvent], pred: Sequence[Event]) -> list[tuple[int, int]]:
    """One-to-one relaxed pairs (gold index, predicted index), largest overlap first."""
    cands = sorted(
        (-_overlap(g.span, trigger_span(p)), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if _overlap(g.span, trigger_span(p)) > 0
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _iso_week(value: str) -> str | None:
    try:
        y, w, _ = date.fromisoformat(value[:10]).isocalendar()
    except ValueError:
        return None
    return f"{y}-W{w:02d}"


def when_matches(anchor: str, when: str | None) -> bool:
    """Whether a predicted `when` names the anchor date at the anchor's granularity: a day
    inside an anchor month, year or week is right; a coarser value than the anchor is not."""
    if not when:
        return False
    w = when.strip().upper()
    if "W" in anchor:
        return (w[:8] if "W" in w else _iso_week(w)) == anchor
    if re.search(r"-(Q|H|SU|SP|FA|WI)", anchor):
        return w == anchor  # seasons and quarters: only the same value
    return len(w) >= len(anchor) and w[: len(anchor)] == anchor


def score(gold: Sequence[GoldDoc], predicted: Sequence[Sequence[Event]]) -> Scores:
    s = Scores()
    for g, preds in zip(gold, predicted, strict=True):
        pairs = match(g.events, preds)
        s.triggers.gold += len(g.events)
        s.triggers.pred += len(preds)
        s.triggers.tp_gold += len(pairs)
        s.triggers.tp_pred += len(pairs)
        for ge in g.events:
            s.by_class.setdefault(ge.cls, Counts()).gold += 1
            s.anchored += bool(ge.anchors)
        for p in preds:
            s.by_class.setdefault(p.event_class or "OCCURRENCE", Counts()).pred += 1
        for gi, pi in pairs:
            ge, p = g.events[gi], preds[pi]
            s.by_class[ge.cls].tp_gold += 1
            s.by_class.setdefault(p.event_class or "OCCURRENCE", Counts()).tp_pred += 1
            s.cls.total += 1
            s.cls.right += ge.cls == (p.event_class or "OCCURRENCE")
            for attr in ATTRIBUTES:
                want = getattr(ge, attr)
                if want:
                    s.attributes[attr].total += 1
                    s.attributes[attr].right += want == (getattr(p, attr) or "NONE")
            if ge.anchors and p.when:
                s.when_covered += 1
                s.when_right += any(when_matches(a, p.when) for a in ge.anchors)
    return s


def find_errors(gold: Sequence[GoldDoc], predicted: Sequence[Sequence[Event]]) -> list[str]:
    """One line per missed or spurious trigger, wrong class and wrong `when`."""
    out: list[str] = []
    for g, preds in zip(gold, predicted, strict=True):
        pairs = match(g.events, preds)
        mg = {gi for gi, _ in pairs}
        mp = {pi for _, pi in pairs}

        def ctx(span: Span, text: str = g.text) -> str:
            return text[max(0, span[0] - 50) : span[1] + 50].replace("\n", " ")

        for gi, pi in pairs:
            ge, p = g.events[gi], preds[pi]
            if ge.cls != p.event_class:
                out.append(
                    f"CLASS  {g.id} {ge.text!r} {ge.cls} <- {p.event_class}  | {ctx(ge.span)}"
                )
            if ge.anchors and p.when and not any(when_matches(a, p.when) for a in ge.anchors):
                out.append(
                    f"WHEN   {g.id} {ge.text!r} {'/'.join(ge.anchors)} <- {p.when}"
                    f" ({p.when_source})  | {ctx(ge.span)}"
                )
        for gi, ge in enumerate(g.events):
            if gi not in mg:
                out.append(f"MISSED {g.id} {ge.text!r} {ge.cls} {ge.pos}  | {ctx(ge.span)}")
        for pi, p in enumerate(preds):
            if pi not in mp:
                out.append(
                    f"SPURIOUS {g.id} {p.trigger!r} {p.event_class}  | {ctx(trigger_span(p))}"
                )
    return out
