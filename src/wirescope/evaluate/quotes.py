"""Score records against gold JSONL (see shared/data/README.md) the Gender Gap Tracker way.

Matching. A predicted quote matches a gold quote when the characters they share are at
least `threshold` of the LONGER of the two (we report 0.3 and 0.8). Gold quotes that are
split in pieces (PolNeAR `quote_spans`: "... ," he said, "...") are measured on their
pieces, not on the envelope that includes the interruption. Matching is one-to-one:
all candidate pairs are taken greedily, highest overlap first.

Quote P/R/F1 by kind: recall is grouped by the GOLD quote's kind, precision by the
PREDICTED quote's kind, so a direct quote we call indirect counts against both rows.

Speaker. Within a matched pair the speaker is right when:
- gold has a canonical name (GGT): the predicted resolved name (`speaker.name`, else the
  speaker text) equals it case-insensitively, or the last tokens agree (surname), or one
  is contained in the other as whole tokens ("Justin Trudeau" / "Prime Minister Justin
  Trudeau");
- gold has no canonical name but a speaker span (PolNeAR): the predicted speaker span
  overlaps any gold speaker span by at least one character;
- gold has no speaker at all (PolNeAR `has_source: false`): only "no speaker" is right —
  attributing a sourceless claim to someone is an attribution error.
Speaker accuracy = right / matched pairs (0.0 when nothing matched). Attributed P/R/F1
count a pair as a true positive only when the quote matches AND the speaker is right.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from wirescope.errors import GoldFormatError
from wirescope.extract.lexicon import ANY_PRONOUNS
from wirescope.record.models import Article, Failure, Quote, QuoteKind, RawDocument, Record, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from wirescope.pipeline.resources import Resources

THRESHOLDS: tuple[float, ...] = (0.3, 0.8)
KINDS: tuple[str, ...] = ("overall", "direct", "indirect", "mixed")
MENTION_TYPES: tuple[str, ...] = ("name", "pronoun", "nominal", "none")
# The kinds of mention the tool resolved a speaker from (resolved_kind).
RESOLVED_KINDS: tuple[str, ...] = ("name", "pronoun", "description", "none")

GoldMention = Literal["name", "pronoun", "nominal", "none"]


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldQuote:
    span: Span  # envelope: quote_start, quote_end
    text: str
    kind: QuoteKind
    pieces: tuple[Span, ...]  # the quoted characters; (span,) unless discontinuous
    speaker_span: Span | None = None
    speaker_spans: tuple[Span, ...] = ()  # every gold mention of the speaker
    speaker_text: str | None = None
    speaker_canonical: str | None = None
    cue_span: Span | None = None
    cue_text: str | None = None

    @property
    def has_speaker(self) -> bool:
        return bool(self.speaker_canonical or self.speaker_spans or self.speaker_text)

    @property
    def mention_type(self) -> GoldMention:
        return mention_type(self.speaker_text)

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.pieces)

    @property
    def gold_speaker(self) -> str:
        """How the gold names the speaker, for error listings."""
        if not self.has_speaker:
            return "(no source)"
        if self.speaker_canonical and self.speaker_text != self.speaker_canonical:
            return f"{self.speaker_text or '(implicit)'} = {self.speaker_canonical}"
        return self.speaker_canonical or self.speaker_text or "(implicit)"


@dataclass
class GoldArticle:
    id: str
    text: str
    quotes: list[GoldQuote]
    meta: dict[str, Any] = field(default_factory=dict)


def _opt_span(start: Any, end: Any) -> Span | None:
    if start is None or end is None:
        return None
    return (int(start), int(end))


def _spans(value: Any) -> tuple[Span, ...]:
    return tuple((int(s), int(e)) for s, e in value or ())


def _gold_quote(q: dict[str, Any]) -> GoldQuote:
    span = (int(q["quote_start"]), int(q["quote_end"]))
    pieces = _spans(q.get("quote_spans")) or (span,)
    speaker_span = _opt_span(q.get("speaker_start"), q.get("speaker_end"))
    speaker_spans = _spans(q.get("speaker_spans")) or ((speaker_span,) if speaker_span else ())
    return GoldQuote(
        span=span,
        text=q.get("quote_text") or "",
        kind=q.get("kind") or "direct",
        pieces=pieces,
        speaker_span=speaker_span,
        speaker_spans=speaker_spans,
        speaker_text=q.get("speaker_text") or None,
        speaker_canonical=q.get("speaker_canonical") or None,
        cue_span=_opt_span(q.get("cue_start"), q.get("cue_end")),
        cue_text=q.get("cue_text") or None,
    )


G = TypeVar("G")  # what one gold line becomes
P = TypeVar("P")  # what the pipeline predicts for one gold document


class AnchoredGold(Protocol):
    """A gold document with a creation time (TimeBank-style: dates and events)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def published(self) -> datetime | None: ...


def gold_article(gold: AnchoredGold) -> Article:
    """A gold text as the Article the stages read, anchored at its creation time."""
    raw = RawDocument(text=gold.text, path=gold.id, format="text", id=gold.id)
    return Article(raw=raw, published=gold.published, body_span=(0, len(gold.text)))


GD = TypeVar("GD", bound=AnchoredGold)


def predict_each(
    gold: Sequence[GD], one: Callable[[GD, Doc], list[P]], docs: Iterable[Doc] | None
) -> list[list[P]]:
    """`one` over each gold document and its parse (`docs` when already made)."""
    if docs is None:
        from wirescope.nlp.parse import parse_many

        docs = parse_many(g.text for g in gold)
    return [one(g, d) for g, d in zip(gold, docs, strict=True)]


def gold_lines(path: str | Path, parse: Callable[[Any], G], limit: int | None = None) -> list[G]:
    """Each non-blank line of a gold JSONL file, parsed by `parse`, up to `limit` of them;
    raises OSError if unreadable, GoldFormatError naming the file and line on a bad one."""
    out: list[G] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if limit is not None and len(out) >= limit:
                break
            if not line.strip():
                continue
            try:
                out.append(parse(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise GoldFormatError(f"{path}:{lineno}: {type(exc).__name__}: {exc}") from exc
    return out


def _gold_article(d: Any) -> GoldArticle:
    return GoldArticle(
        id=str(d["id"]),
        text=d["text"],
        quotes=[_gold_quote(q) for q in d.get("quotes", [])],
        meta=dict(d.get("meta") or {}),
    )


def load_gold(path: str | Path, limit: int | None = None) -> list[GoldArticle]:
    """Read gold JSONL; raises OSError if unreadable, GoldFormatError on a bad line."""
    return gold_lines(path, _gold_article, limit)


# ---------------------------------------------------------------- mention type


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_DETERMINERS = _words(
    "the a an this that these those his her its their our my your some many several "
    "both another other each every any no"
)
# Function words inside a name ("Bank of Canada", "The New York Times") stay lowercase.
_NAME_GLUE = _words("of the and for de la du von van del di da on in at & -")
_TOKEN = re.compile(r"[\w'’.&-]+")


def _capitalized(token: str) -> bool:
    return any(c.isupper() for c in token)  # "al-Shabaab", "McCallum" are names too


def mention_type(text: str | None) -> GoldMention:
    """Classify a gold speaker mention: a heuristic, good enough to split the figures.

    pronoun: one token from lexicon.ANY_PRONOUNS. nominal: a determiner followed by anything but an
    all-capitalized name ("the minister", "the Canadian minister"), or a lowercase first
    word ("officials"). name: otherwise, capitalized tokens ("Trudeau", "The New York Post").
    """
    toks = _TOKEN.findall(text or "")
    if not toks:
        return "none"
    if len(toks) == 1 and toks[0].lower() in ANY_PRONOUNS:
        return "pronoun"
    first = toks[0]
    if first.lower() in _DETERMINERS:
        rest = [t for t in toks[1:] if t.lower() not in _NAME_GLUE]
        if rest and all(_capitalized(t) for t in rest):
            return "name"
        return "nominal"
    return "name" if _capitalized(first) else "nominal"


_RESOLVED_DETS = _words("the a an this that these those its his her their our")


def resolved_kind(mention_type: str | None, text: str | None) -> str:
    """The kind of mention the tool resolved a quote's speaker from: a name, a pronoun,
    a description ("the minister", "the company", "officials"), or none (a quote that
    continues the previous speaker, or no speaker at all)."""
    if mention_type in (None, "none"):
        return "none"
    if mention_type in ("name", "pronoun"):
        return str(mention_type)
    first = (text or "").split()[:1]
    named = bool(first) and first[0].lower() not in _RESOLVED_DETS and first[0][:1].isupper()
    # "Facebook said": an organisation by its name.
    return "name" if mention_type == "org" and named else "description"


# --------------------------------------------------------------------- matching


def _inter(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlap(gold: GoldQuote, pred: Span) -> tuple[int, int]:
    """(shared characters, length of the longer), pieces-aware for gold."""
    shared = sum(_inter(p, pred) for p in gold.pieces)
    return shared, max(gold.length, pred[1] - pred[0])


def _meets(shared: int, longer: int, threshold: float) -> bool:
    # Exact rational comparison, so 3 of 10 characters is exactly 0.3, not 0.2999...
    if longer <= 0 or shared <= 0:
        return False
    return Fraction(shared, longer) >= Fraction(str(threshold))


def match_quotes(
    gold: Sequence[GoldQuote], pred: Sequence[Span], threshold: float
) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, greedy by overlap fraction, best first."""
    cands: list[tuple[Fraction, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared, longer = overlap(g, p)
            if _meets(shared, longer, threshold):
                cands.append((Fraction(shared, longer), gi, pi))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


# ---------------------------------------------------------------------- speakers

_POSSESSIVE = re.compile(r"['’]s$")


def _name_tokens(name: str) -> list[str]:
    norm = unicodedata.normalize("NFKC", name).casefold()
    toks = [_POSSESSIVE.sub("", t.strip(".,;:!?\"'’“”()[]")) for t in norm.split()]
    return [t for t in toks if t]


def _contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def names_match(predicted: str, gold: str) -> bool:
    """Equal ignoring case, same last token (surname), or one inside the other as tokens."""
    a, b = _name_tokens(predicted), _name_tokens(gold)
    if not a or not b:
        return False
    return a == b or a[-1] == b[-1] or _contains(a, b) or _contains(b, a)


def speaker_right(gold: GoldQuote, pred: Quote) -> bool:
    """Whether predicted Quote `pred` names gold's speaker (rules in the module docstring)."""
    spk = pred.speaker
    if not gold.has_speaker:
        return spk is None
    if spk is None:
        return False
    if gold.speaker_canonical:
        return names_match(spk.name or spk.text or "", gold.speaker_canonical)
    return any(_inter(spk.span, s) > 0 for s in gold.speaker_spans)


# ------------------------------------------------------------------------ scores


@dataclass
class Counts:
    """P/R/F1 counts; tp_gold and tp_pred differ only in by-kind rows (see docstring)."""

    gold: int = 0
    pred: int = 0
    tp_gold: int = 0  # gold quotes of this group that were matched
    tp_pred: int = 0  # predicted quotes of this group that were matched

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "pred": self.pred,
            "tp_gold": self.tp_gold,
            "tp_pred": self.tp_pred,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"right": self.right, "matched": self.total, "accuracy": round(self.value, 4)}


@dataclass
class MentionRow:
    """Recall-side figures for gold quotes whose speaker mention has one type."""

    gold: int = 0
    matched: int = 0
    speaker_right: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def speaker_acc(self) -> float:
        return self.speaker_right / self.matched if self.matched else 0.0

    @property
    def attributed_recall(self) -> float:
        return self.speaker_right / self.gold if self.gold else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "matched": self.matched,
            "speaker_right": self.speaker_right,
            "recall": round(self.recall, 4),
            "speaker_acc": round(self.speaker_acc, 4),
            "attributed_recall": round(self.attributed_recall, 4),
        }


def _by_kind() -> dict[str, Counts]:
    return {k: Counts() for k in KINDS}


@dataclass
class ThresholdScores:
    threshold: float
    quotes: dict[str, Counts] = field(default_factory=_by_kind)
    attributed: dict[str, Counts] = field(default_factory=_by_kind)
    speaker: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in KINDS})
    by_mention: dict[str, MentionRow] = field(
        default_factory=lambda: {m: MentionRow() for m in MENTION_TYPES}
    )
    # Speaker accuracy among matched pairs by the mention the tool resolved.
    by_resolved: dict[str, Ratio] = field(
        default_factory=lambda: {k: Ratio() for k in RESOLVED_KINDS}
    )

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "quotes": {k: c.to_dict() for k, c in self.quotes.items()},
            "speaker_accuracy": {k: r.to_dict() for k, r in self.speaker.items()},
            "attributed": {k: c.to_dict() for k, c in self.attributed.items()},
            "by_mention": {k: m.to_dict() for k, m in self.by_mention.items()},
            "by_resolved_mention": {k: r.to_dict() for k, r in self.by_resolved.items()},
        }


@dataclass
class Scores:
    articles: int = 0
    missing: int = 0  # gold articles with no predicted record (pipeline failures)
    at: dict[float, ThresholdScores] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """Flat headline figures, keyed like tests/quality_floors.json."""
        out: dict[str, float] = {}
        for t, ts in self.at.items():
            suffix = f"{round(t * 10):02d}"  # 0.3 -> "03", 0.8 -> "08"
            out[f"quote_f1_{suffix}"] = ts.quotes["overall"].f1
            out[f"speaker_acc_{suffix}"] = ts.speaker["overall"].value
            out[f"attributed_f1_{suffix}"] = ts.attributed["overall"].f1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "missing_articles": self.missing,
            "summary": {k: round(v, 4) for k, v in self.summary().items()},
            "thresholds": {str(t): ts.to_dict() for t, ts in self.at.items()},
        }


def _pair_up(
    gold: Sequence[GoldArticle], predicted: Iterable[Record]
) -> list[tuple[GoldArticle, Record | None]]:
    by_id: dict[str, Record] = {}
    by_text: dict[str, Record] = {}
    for r in predicted:
        if r.input_id is not None:
            by_id[r.input_id] = r
        else:  # records from elsewhere (no input id): fall back to the text itself
            by_text.setdefault(r.text, r)
    return [(g, by_id.get(g.id) or by_text.get(g.text)) for g in gold]


def score(
    gold: Sequence[GoldArticle],
    predicted: Iterable[Record],
    thresholds: Sequence[float] = THRESHOLDS,
) -> Scores:
    """Score predicted records (paired to gold by input_id, else by text)."""
    pairs = _pair_up(gold, predicted)
    scores = Scores(articles=len(gold), missing=sum(r is None for _, r in pairs))
    for t in thresholds:
        ts = ThresholdScores(threshold=t)
        for g, rec in pairs:
            pq = rec.quotes if rec else []
            matched = dict(match_quotes(g.quotes, [q.span for q in pq], t))
            for gi, gq in enumerate(g.quotes):
                row = ts.by_mention[gq.mention_type]
                row.gold += 1
                for key in ("overall", gq.kind):
                    ts.quotes[key].gold += 1
                    ts.attributed[key].gold += 1
                if gi not in matched:
                    continue
                pred = pq[matched[gi]]
                right = speaker_right(gq, pred)
                spk = pred.speaker
                kind = resolved_kind(spk.mention_type, spk.text) if spk else "none"
                ts.by_resolved[kind].total += 1
                ts.by_resolved[kind].right += right
                row.matched += 1
                row.speaker_right += right
                for key in ("overall", gq.kind):
                    ts.quotes[key].tp_gold += 1
                    ts.attributed[key].tp_gold += right
                    ts.speaker[key].total += 1
                    ts.speaker[key].right += right
            right_by_pred = {pi: speaker_right(g.quotes[gi], pq[pi]) for gi, pi in matched.items()}
            for pi, q in enumerate(pq):
                for key in ("overall", q.kind):
                    ts.quotes[key].pred += 1
                    ts.attributed[key].pred += 1
                    if pi in right_by_pred:
                        ts.quotes[key].tp_pred += 1
                        ts.attributed[key].tp_pred += right_by_pred[pi]
        scores.at[t] = ts
    return scores


# -------------------------------------------------------------------- predict


def predict(
    gold: Sequence[GoldArticle],
    on_failure: Callable[[Failure], None] | None = None,
    stances: bool = False,
    resources: Resources | None = None,
) -> list[Record]:
    """Run the pipeline over the gold texts only (never the gold quotes); with
    `stances`, stances and intentions count as attributions (PolNeAR's scope);
    `resources`: the models to run with (default the shipped ones)."""
    from wirescope.pipeline.build import ATTRIBUTIONS, FULL, process

    docs = (
        RawDocument(text=g.text, path=f"gold:{g.id}", format="jsonl", id=g.id, meta=dict(g.meta))
        for g in gold
    )
    out: list[Record] = []
    for result in process(docs, stages=ATTRIBUTIONS if stances else FULL, resources=resources):
        if isinstance(result, Record):
            out.append(result)
        elif on_failure is not None:
            on_failure(result)
    return out


# --------------------------------------------------------------------- errors


@dataclass
class ErrorItem:
    what: Literal["missed", "spurious", "wrong speaker"]
    span: Span
    quote: str
    context: str
    gold_speaker: str | None = None
    pred_speaker: str | None = None


@dataclass
class ArticleErrors:
    id: str
    items: list[ErrorItem]


def _flat(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def shorten(s: str, width: int = 70) -> str:
    """Keep both ends of a long quote: its opening and its close are what we check."""
    s = _flat(s).strip()
    if len(s) <= width:
        return s
    half = (width - 3) // 2
    return s[:half] + " … " + s[-half:]


def context(text: str, span: Span, around: int = 40) -> str:
    """~`around` characters each side, the span itself bracketed and shortened."""
    s, e = span
    before = _flat(text[max(0, s - around) : s])
    after = _flat(text[e : e + around])
    return f"…{before}⟦{shorten(text[s:e], 50)}⟧{after}…"


def _pred_speaker(q: Quote) -> str:
    spk = q.speaker
    if spk is None:
        return "(none)"
    if spk.name and spk.name != spk.text:
        return f"{spk.text} = {spk.name}"
    return str(spk.text)


def find_errors(
    gold: Sequence[GoldArticle], predicted: Iterable[Record], threshold: float = 0.3
) -> list[ArticleErrors]:
    """Missed gold quotes, spurious predictions and wrong speakers, per article."""
    out: list[ArticleErrors] = []
    for g, rec in _pair_up(gold, predicted):
        pq = rec.quotes if rec else []
        pairs = dict(match_quotes(g.quotes, [q.span for q in pq], threshold))
        items: list[ErrorItem] = []
        for gi, gq in enumerate(g.quotes):
            if gi not in pairs:
                items.append(
                    ErrorItem(
                        "missed",
                        gq.span,
                        shorten(gq.text),
                        context(g.text, gq.span),
                        gold_speaker=gq.gold_speaker,
                    )
                )
            elif not speaker_right(gq, pq[pairs[gi]]):
                q = pq[pairs[gi]]
                items.append(
                    ErrorItem(
                        "wrong speaker",
                        q.span,
                        shorten(q.text),
                        context(g.text, q.span),
                        gold_speaker=gq.gold_speaker,
                        pred_speaker=_pred_speaker(q),
                    )
                )
        used = set(pairs.values())
        for pi, q in enumerate(pq):
            if pi not in used:
                items.append(
                    ErrorItem(
                        "spurious",
                        q.span,
                        shorten(q.text),
                        context(g.text, q.span),
                        pred_speaker=_pred_speaker(q),
                    )
                )
        if items:
            items.sort(key=lambda it: it.span)
            out.append(ArticleErrors(g.id, items))
    return out
