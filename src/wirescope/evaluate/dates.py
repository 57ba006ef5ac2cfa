"""Score date mentions against TIMEX3 gold (see shared/data/README.md) as TempEval-3 does.

Gold: one document per line, `{"id", "text", "published", "timex": [{"start", "end",
"type", "value", ...}]}`; `published` is the document creation time, the anchor of
relative expressions.

Matching (TempEval-3, UzZaman et al. 2013): strict = identical character spans,
relaxed = spans share at least one character; pairs are one-to-one, taken greedily by
overlap. Value accuracy = exact TIMEX3 value among relaxed matches; value F1 = relaxed F1
x value accuracy (TempEval-3's "attribute F1"); type accuracy likewise. By type: recall
is grouped by the GOLD type, precision by the PREDICTED type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from wirescope.evaluate.quotes import Counts, gold_article, gold_lines, predict_each
from wirescope.record.models import DateMention, Span

TYPES: tuple[str, ...] = ("DATE", "TIME", "DURATION", "SET")


@dataclass(frozen=True)
class GoldTimex:
    span: Span
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    published: datetime | None
    timex: tuple[GoldTimex, ...]


def _gold_doc(row: Any) -> GoldDoc:
    text = row["text"]
    pub = row.get("published")
    timex = tuple(
        GoldTimex(
            (int(t["start"]), int(t["end"])),
            t.get("text") or text[int(t["start"]) : int(t["end"])],
            str(t["type"]).upper(),
            str(t.get("value") or ""),
            t.get("mod"),
        )
        for t in row.get("timex", [])
    )
    return GoldDoc(str(row["id"]), text, datetime.fromisoformat(pub) if pub else None, timex)


def load_gold(path: str | Path, limit: int | None = None) -> list[GoldDoc]:
    """TIMEX3 gold, one document a line; GoldFormatError names the file and line."""
    return gold_lines(path, _gold_doc, limit)


def predict_doc(gold: GoldDoc, doc: Doc) -> list[DateMention]:
    """The dates stage over one parsed gold text, anchored at the gold creation time."""
    from wirescope.extract.dates import extract_dates

    return extract_dates(gold_article(gold), doc)


def predict(gold: Sequence[GoldDoc], docs: Iterable[Doc] | None = None) -> list[list[DateMention]]:
    """Date mentions for each gold document; `docs` are its parses when already made."""
    return predict_each(gold, predict_doc, docs)


# --------------------------------------------------------------------------- scoring


@dataclass
class TypeCounts(Counts):
    """Relaxed matches of one TIMEX3 type: recall by gold type, precision by predicted."""

    value_right: int = 0

    @property
    def value_acc(self) -> float:
        return self.value_right / self.tp_gold if self.tp_gold else 0.0


@dataclass
class Scores:
    strict: Counts = field(default_factory=Counts)
    relaxed: Counts = field(default_factory=Counts)
    value_right: int = 0
    type_right: int = 0
    by_type: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in TYPES})

    @property
    def value_acc(self) -> float:
        return self.value_right / self.relaxed.tp_gold if self.relaxed.tp_gold else 0.0

    @property
    def type_acc(self) -> float:
        return self.type_right / self.relaxed.tp_gold if self.relaxed.tp_gold else 0.0

    @property
    def value_f1(self) -> float:
        return self.relaxed.f1 * self.value_acc

    def summary(self) -> dict[str, float]:
        """The figures the quality gate pins."""
        return {
            "strict_f1": round(self.strict.f1, 4),
            "relaxed_f1": round(self.relaxed.f1, 4),
            "value_acc": round(self.value_acc, 4),
            "value_f1": round(self.value_f1, 4),
            "type_acc": round(self.type_acc, 4),
            "date_relaxed_f1": round(self.by_type["DATE"].f1, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        def prf(x: Counts) -> dict[str, float]:
            return {"p": round(x.precision, 4), "r": round(x.recall, 4), "f1": round(x.f1, 4)}

        return {
            "strict": prf(self.strict) | {"gold": self.strict.gold, "pred": self.strict.pred},
            "relaxed": prf(self.relaxed),
            "value_accuracy": round(self.value_acc, 4),
            "value_f1": round(self.value_f1, 4),
            "type_accuracy": round(self.type_acc, 4),
            "by_type": {
                t: prf(c) | {"value_accuracy": round(c.value_acc, 4), "gold": c.gold}
                for t, c in self.by_type.items()
            },
        }


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _norm_value(value: str | None) -> str:
    return (value or "").strip().upper()


def match(gold: Sequence[GoldTimex], pred: Sequence[DateMention]) -> list[tuple[int, int]]:
    """One-to-one relaxed pairs (gold index, predicted index), largest overlap first."""
    cands = sorted(
        (
            (-_overlap(g.span, p.span), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(pred)
            if _overlap(g.span, p.span) > 0
        ),
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


def pred_type(d: DateMention) -> str:
    return (d.type or "DATE").upper()


def score(gold: Sequence[GoldDoc], predicted: Sequence[Sequence[DateMention]]) -> Scores:
    s = Scores()
    for g, preds in zip(gold, predicted, strict=True):
        pairs = match(g.timex, preds)
        strict = len({t.span for t in g.timex} & {p.span for p in preds})
        for counts, tp in ((s.relaxed, len(pairs)), (s.strict, strict)):
            counts.gold += len(g.timex)
            counts.pred += len(preds)
            counts.tp_gold += tp
            counts.tp_pred += tp
        for t in g.timex:
            s.by_type.setdefault(t.type, TypeCounts()).gold += 1
        for p in preds:
            s.by_type.setdefault(pred_type(p), TypeCounts()).pred += 1
        for gi, pi in pairs:
            gt, p = g.timex[gi], preds[pi]
            right = _norm_value(gt.value) == _norm_value(p.value)
            s.value_right += right
            s.type_right += gt.type == pred_type(p)
            s.by_type[gt.type].tp_gold += 1
            s.by_type[gt.type].value_right += right
            s.by_type.setdefault(pred_type(p), TypeCounts()).tp_pred += 1
    return s


def find_errors(gold: Sequence[GoldDoc], predicted: Sequence[Sequence[DateMention]]) -> list[str]:
    """One line per missed, spurious or wrongly valued expression."""
    out: list[str] = []
    for g, preds in zip(gold, predicted, strict=True):
        pairs = match(g.timex, preds)
        mg = {gi for gi, _ in pairs}
        mp = {pi for _, pi in pairs}
        pub = g.published.date().isoformat() if g.published else "?"
        for gi, pi in pairs:
            t, p = g.timex[gi], preds[pi]
            if _norm_value(t.value) != _norm_value(p.value) or t.type != pred_type(p):
                out.append(
                    f"VALUE  {g.id} [{pub}] {t.text!r} {t.type} {t.value}"
                    f" <- {p.text!r} {pred_type(p)} {p.value}"
                )
        for gi, t in enumerate(g.timex):
            if gi not in mg:
                ctx = g.text[max(0, t.span[0] - 40) : t.span[1] + 40].replace("\n", " ")
                out.append(f"MISSED {g.id} {t.text!r} {t.type} {t.value}  | {ctx}")
        for pi, p in enumerate(preds):
            if pi not in mp:
                ctx = g.text[max(0, p.span[0] - 40) : p.span[1] + 40].replace("\n", " ")
                out.append(f"SPURIOUS {g.id} {p.text!r} {pred_type(p)} {p.value}  | {ctx}")
    return out
