"""Score records against hand-graded real news pages (`realnews_dev/graded.json`).

The gold has no offsets: quotes are matched by their words, the way the data set's own
`score.py` does it, and every figure here is the figure `score.py` prints (the
functions below are a typed port of it; keep them in step with it). Briefly:

- texts are reduced to word tokens (NFKC, lower case, quotation marks and apostrophes
  dropped); a gold and a predicted quote match when the content words of their common
  runs of >= 3 words cover half of the shorter text, or they share a run of 8 words;
  pairs are taken one to one, best cover first;
- a prediction left without a gold is a fragment (it would match a gold another took),
  neutral (it matches a `quotes_neutral` item) or spurious;
- speakers agree by name tokens: equal, one inside the other with the same last word,
  same first initial and last word, or an acronym; a gold's aliases count too;
- headline, published date and dateline are checked against `expected`.

Added here: speaker accuracy by the kind of mention the tool resolved (`KINDS`): a
name, a pronoun, a description ("the minister", "the company") or none (a quote that
continues the previous speaker, or has no speaker).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wirescope.errors import GoldFormatError
from wirescope.evaluate.quotes import RESOLVED_KINDS, resolved_kind
from wirescope.record.models import Failure, Record

if TYPE_CHECKING:
    from wirescope.pipeline.resources import Resources

MIN_RUN = 3  # shortest common run of words that counts
COVER = 0.5  # share of the shorter text's words
LONG_RUN = 8  # a common run this long matches by itself
KINDS = RESOLVED_KINDS


# ------------------------------------------------------------------------ gold


def is_graded_file(path: str | Path) -> bool:
    """Whether `path` is a graded real-news file: a JSON array (not JSON lines) whose
    first page names its `file` and has `quotes_gold`."""
    try:
        with open(path, encoding="utf-8") as fh:
            if not fh.read(4096).lstrip().startswith("["):
                return False
            fh.seek(0)
            pages = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    first = pages[0] if isinstance(pages, list) and pages else None
    return isinstance(first, dict) and "file" in first and "quotes_gold" in first


def load_graded(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The graded pages; raises OSError if unreadable, GoldFormatError (naming the
    file and the page) when one is malformed."""
    with open(path, encoding="utf-8") as fh:
        try:
            pages = json.load(fh)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{path}: not JSON: {exc}") from exc
    if not isinstance(pages, list):
        raise GoldFormatError(f"{path}: expected a JSON array of graded pages")
    for k, page in enumerate(pages):
        ok = isinstance(page, dict) and isinstance(page.get("file"), str)
        if not ok or not isinstance(page.get("quotes_gold"), list):
            raise GoldFormatError(f"{path}: page {k}: needs 'file' and a 'quotes_gold' list")
        for g in page["quotes_gold"]:
            if not isinstance(g, dict) or not isinstance(g.get("text"), str):
                raise GoldFormatError(f"{path}: page {k} ({page['file']}): a gold without text")
    return pages[:limit] if limit is not None else pages


def page_paths(graded: str | Path, pages: Sequence[dict[str, Any]]) -> list[Path]:
    """Where each graded page's HTML is: its `file`, relative to the graded file."""
    base = Path(graded).resolve().parent
    return [base / p["file"] for p in pages]


def predict(
    paths: Sequence[Path],
    on_failure: Callable[[Failure], None] | None = None,
    resources: Resources | None = None,
) -> dict[str, dict[str, Any]]:
    """The records (as wirescope/1 dicts) for the pages, keyed by file name, the way
    `wirescope extract PAGES --format jsonl` writes them (with `resources`' models,
    default the shipped ones)."""
    from wirescope.pipeline.build import FULL, process
    from wirescope.reading.read import read_paths
    from wirescope.record.serialize import record_to_dict

    out: dict[str, dict[str, Any]] = {}
    for result in process(read_paths([str(p) for p in paths]), stages=FULL, resources=resources):
        if isinstance(result, Record):
            rec = record_to_dict(result)
            source = rec.get("source") or {}
            out.setdefault(os.path.basename(str(source.get("path") or "")), rec)
        elif on_failure is not None:
            on_failure(result)
    return out


# ------------------------------------------------------------------ quote text

_QUOTE_CHARS = "\"'`´‘’‚‛“”„‟«»‹›"
_DROP_QUOTES = {ord(c): None for c in _QUOTE_CHARS}

# Function words: a common run counts for its other words only ("as part of the" is 1).
_STOP_WORDS = (
    "a an the and or but if of in on at to for from by with as into onto over under about "
    "than then that this these those is are was were be been being am do does did have has had "
    "will would shall should can could may might must i me my we us our you your he him his she "
    "her it its they them their who whom whose which what when where why how not no so too very "
    "just also there here up out off again all any both each some such only own same s t"
)
_STOP = frozenset(_STOP_WORDS.split())


def tokens(s: str | None) -> list[str]:
    s = unicodedata.normalize("NFKC", s or "").lower().translate(_DROP_QUOTES)
    return re.findall(r"[a-z0-9]+", s)


def cover(g: list[str], p: list[str]) -> tuple[float, int, int]:
    """(covered share of the shorter, longest common run, counted words)."""
    if not g or not p:
        return 0.0, 0, 0
    short = g if len(g) <= len(p) else p
    matcher = difflib.SequenceMatcher(None, g, p, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    longest = max((b.size for b in blocks), default=0)
    if len(short) < MIN_RUN:
        return (1.0 if longest >= len(short) else 0.0), longest, longest
    content = any(t not in _STOP for t in short)

    def weight(t: str) -> bool:
        return t not in _STOP if content else True

    den = sum(1 for t in short if weight(t))
    counted = sum(
        1 for b in blocks if b.size >= MIN_RUN for t in g[b.a : b.a + b.size] if weight(t)
    )
    return counted / den, longest, counted


def is_match(c: tuple[float, int, int]) -> bool:
    share, longest, _ = c
    return share >= COVER or longest >= LONG_RUN


# -------------------------------------------------------------------- speakers

_DROP_WORDS = "the a an mr mrs ms miss dr sir dame rep sen gov jr sr ii iii"
_DROP = frozenset(_DROP_WORDS.split())  # articles and honorifics
_GOLD_TAIL = re.compile(r"\b(?:representing|who|which|that|reported by)\b")


def name_tokens(s: str | None, gold: bool = False) -> list[str]:
    if not s:
        return []
    s = unicodedata.normalize("NFKC", s)
    if gold:
        s = re.sub(r"\([^)]*\)", " ", s)  # grader's notes
        s = s.split(",")[0]  # ", W.D.N.Y."
        s = _GOLD_TAIL.split(s)[0]
    s = s.lower().replace("’", "'").replace("‘", "'")
    s = re.sub(r"'s\b", "", s)
    raw = re.findall(r"[a-z0-9&]+", s.replace("'", ""))
    out: list[tuple[str, bool]] = []
    for t in raw:  # "u s" -> "us"
        if len(t) == 1 and out and out[-1][1]:
            out[-1] = (out[-1][0] + t, True)
        else:
            out.append((t, len(t) == 1))
    return [t for t, _ in out if t not in _DROP]


def _same_speaker(pred: str | None, gold: str | None) -> bool:
    p, g = name_tokens(pred), name_tokens(gold, gold=True)
    if not p or not g:
        return False
    if p == g:
        return True
    short, long_ = (p, g) if len(p) <= len(g) else (g, p)
    if set(short) <= set(long_) and short[-1] == long_[-1]:
        return True
    if len(p) > 1 and len(g) > 1 and p[-1] == g[-1] and p[0][0] == g[0][0]:
        return True
    return len(short) == 1 and len(long_) > 1 and short[0] == "".join(t[0] for t in long_)


def same_speaker(pred: str | None, gold: str | None) -> bool:
    """Whether the predicted speaker name agrees with the gold one (or, for a gold
    naming two joined by "and", with either)."""
    if _same_speaker(pred, gold):
        return True
    g = re.sub(r"\([^)]*\)", " ", unicodedata.normalize("NFKC", gold or ""))
    g = _GOLD_TAIL.split(g.split(",")[0])[0]
    parts = [x for x in re.split(r"\band\b", g) if x.strip()]
    return len(parts) > 1 and any(_same_speaker(pred, x) for x in parts)


def same_speaker_any(pred: str | None, gold: str | None, aliases: Iterable[str] = ()) -> bool:
    return same_speaker(pred, gold) or any(same_speaker(pred, a) for a in aliases or ())


def pred_speaker(q: dict[str, Any], ents: dict[Any, Any]) -> str | None:
    sp = q.get("speaker") or {}
    found = ents.get(sp.get("entity")) or sp.get("name") or sp.get("text")
    return str(found) if found else None


def pred_kind(q: dict[str, Any]) -> str:
    """The kind of mention the tool resolved the quote's speaker from (resolved_kind)."""
    sp = q.get("speaker") or {}
    return resolved_kind(sp.get("mention_type"), sp.get("text")) if sp else "none"


# ---------------------------------------------------------------------- checks


def _flat(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "").translate({ord(c): '"' for c in "“”„‟"})
    return re.sub(r"\s+", " ", s.replace("’", "'")).strip().lower()


def _alts(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list | tuple) else [v]


def expected_checks(art: dict[str, Any]) -> dict[str, Any]:
    """Expected headline / published / dateline: explicit `expected` values, else the
    grader's verdicts."""
    exp = _verdict_checks(art)
    given = art.get("expected")
    if isinstance(given, dict):
        if "headline" in given:
            exp["headline"] = [h for h in _alts(given["headline"]) if h]
        if "published" in given:
            stamps = [x for x in _alts(given["published"]) if x]
            if stamps:
                exp["published"] = stamps
            else:
                exp.pop("published", None)
        if "dateline" in given:
            d = given["dateline"]
            exp["dateline"] = (
                ((None,), (None,))
                if not d
                else (tuple(_alts(d.get("place"))), tuple(_alts(d.get("agency"))))
            )
    return exp


_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?")


def _verdict_checks(art: dict[str, Any]) -> dict[str, Any]:
    ch: dict[str, Any] = art.get("checks") or {}
    exp: dict[str, Any] = {}
    v = ch.get("headline", "")
    if v.lower().startswith("right"):
        exp["headline"] = [art.get("wirescope_headline"), *re.findall(r'reads "([^"]+)"', v)]
    elif re.findall(r'reads "([^"]+)"', v):
        exp["headline"] = re.findall(r'reads "([^"]+)"', v)
    v = ch.get("published", "")
    if v:
        stamps = _STAMP.findall(re.split(r"\bupdated\b", v)[0])
        if "wrong" not in v.lower() and art.get("wirescope_published"):
            stamps.append(art["wirescope_published"])
        if stamps:
            exp["published"] = stamps
    v = ch.get("dateline", "")
    if v:
        if "none in article" in v.lower():
            exp["dateline"] = (None, None)
        elif v.lower().startswith("right") and art.get("wirescope_dateline"):
            d = art["wirescope_dateline"]
            exp["dateline"] = (d.get("place"), d.get("agency"))
        else:
            m = re.search(r'"([A-Za-z][A-Za-z .\'-]*?)?\s*\(([A-Za-z][\w .&-]*)\)', v)
            if m:
                exp["dateline"] = ((m.group(1) or "").strip() or None, m.group(2).strip())
            else:  # place only: '"Indianapolis –"'
                m = re.search(r'"([A-Za-z][A-Za-z .\'-]*?),?\s*[\u2013\u2014-]+\s*"', v)
                if m:
                    exp["dateline"] = (m.group(1).strip(), None)
    return exp


def _stamp(s: str) -> datetime | None:
    s = s.strip().replace(" ", "T")
    s = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", s).replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(s if "T" in s else s + "T00:00:00")
    except ValueError:
        return None


def _dates(s: str) -> tuple[set[str], set[str]]:
    d = _stamp(s)
    if d is None:
        return set(), set()
    utc = {d.astimezone(UTC).date().isoformat()} if d.tzinfo else set()
    return {d.date().isoformat()}, utc


def check_values(rec: dict[str, Any], exp: dict[str, Any]) -> dict[str, bool]:
    res: dict[str, bool] = {}
    if "headline" in exp:
        got = _flat(rec.get("headline"))
        res["headline"] = bool(got) and any(got == _flat(h) for h in exp["headline"] if h)
    if "published" in exp:
        pub = rec.get("published")
        ok = False
        if pub:
            gl, gu = _dates(pub)
            for e in exp["published"]:
                el, eu = _dates(e)
                if (gl & el) or (gu and eu and gu & eu):
                    ok = True
        res["published"] = ok
    if "dateline" in exp:
        place, agency = exp["dateline"]
        d = rec.get("dateline") or {}
        gp = d.get("place")
        ga = {x.lower() for x in (d.get("agency"), d.get("agency_name")) if x}
        places = place if isinstance(place, tuple) else (place,)
        agencies = agency if isinstance(agency, tuple) else (agency,)
        ok_p = any(
            (not p and not gp) or (bool(p) and bool(gp) and _flat(p) == _flat(gp)) for p in places
        )
        ok_a = any((not a and not ga) or (bool(a) and a.lower() in ga) for a in agencies)
        res["dateline"] = ok_p and ok_a
    return res


# ----------------------------------------------------------------------- score


@dataclass
class GoldRow:
    """One gold quote and what it was matched to."""

    gold: str
    gold_speaker: str
    pred_id: str | None
    pred: str | None
    pred_speaker: str | None
    speaker_ok: bool | None
    kind: str | None  # the resolved mention kind of the matched prediction


@dataclass
class PageScore:
    article: str
    has_record: bool
    gold: int
    found: int
    spurious: int
    fragments: int
    neutral: int
    speaker_right: int
    checks: dict[str, bool]
    quotes: list[GoldRow]
    spurious_quotes: list[tuple[str, str, str | None]]  # (id, text, speaker)
    neutral_quotes: list[tuple[str, str, str | None]]

    @property
    def missed(self) -> int:
        return self.gold - self.found

    @property
    def speaker_wrong(self) -> int:
        return self.found - self.speaker_right


def score_page(art: dict[str, Any], rec: dict[str, Any] | None) -> PageScore:
    golds = art["quotes_gold"]
    preds: list[dict[str, Any]] = (rec or {}).get("quotes") or []
    ents = {e.get("id"): e.get("name") for e in (rec or {}).get("entities") or []}
    gt = [tokens(g["text"]) for g in golds]
    pt = [tokens(q.get("text")) for q in preds]
    pairs: list[tuple[float, int, int, int, int]] = []
    for i, g in enumerate(gt):
        for j, p in enumerate(pt):
            c = cover(g, p)
            if is_match(c):
                pairs.append((c[0], c[1], -abs(len(g) - len(p)), i, j))
    pairs.sort(reverse=True)
    g2p: dict[int, int] = {}
    p2g: dict[int, int] = {}
    for *_, i, j in pairs:
        if i not in g2p and j not in p2g:
            g2p[i], p2g[j] = j, i
    paired = {pair[4] for pair in pairs}
    fragments = [j for j in range(len(preds)) if j not in p2g and j in paired]
    nt = [tokens(n["text"]) for n in art.get("quotes_neutral") or []]
    neutral = [
        j
        for j in range(len(preds))
        if j not in p2g and j not in fragments and any(is_match(cover(n, pt[j])) for n in nt)
    ]
    taken = set(p2g) | set(fragments) | set(neutral)
    spurious = [j for j in range(len(preds)) if j not in taken]
    rows: list[GoldRow] = []
    for i, g in enumerate(golds):
        at = g2p.get(i)
        q = preds[at] if at is not None else None
        sp = pred_speaker(q, ents) if q is not None else None
        rows.append(
            GoldRow(
                gold=g["text"],
                gold_speaker=g.get("speaker") or "",
                pred_id=q.get("id") if q is not None else None,
                pred=q.get("text") if q is not None else None,
                pred_speaker=sp,
                speaker_ok=(
                    same_speaker_any(sp, g.get("speaker"), g.get("aliases") or ())
                    if q is not None
                    else None
                ),
                kind=pred_kind(q) if q is not None else None,
            )
        )
    return PageScore(
        article=os.path.basename(art["file"]),
        has_record=rec is not None,
        gold=len(golds),
        found=len(g2p),
        spurious=len(spurious),
        fragments=len(fragments),
        neutral=len(neutral),
        speaker_right=sum(1 for r in rows if r.speaker_ok),
        checks=(
            check_values(rec, expected_checks(art))
            if rec is not None
            else {k: False for k in expected_checks(art)}
        ),
        quotes=rows,
        spurious_quotes=[
            (str(preds[j].get("id")), str(preds[j].get("text")), pred_speaker(preds[j], ents))
            for j in spurious
        ],
        neutral_quotes=[
            (str(preds[j].get("id")), str(preds[j].get("text")), pred_speaker(preds[j], ents))
            for j in neutral
        ],
    )


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


@dataclass
class KindRow:
    """Matched quotes whose speaker the tool resolved from one kind of mention."""

    found: int = 0
    right: int = 0

    @property
    def accuracy(self) -> float:
        return _ratio(self.right, self.found)


@dataclass
class Totals:
    pages: list[PageScore]
    by_kind: dict[str, KindRow] = field(default_factory=dict)

    def _sum(self, attr: str) -> int:
        return sum(int(getattr(p, attr)) for p in self.pages)

    @property
    def gold(self) -> int:
        return self._sum("gold")

    @property
    def found(self) -> int:
        return self._sum("found")

    @property
    def spurious(self) -> int:
        return self._sum("spurious")

    @property
    def speaker_right(self) -> int:
        return self._sum("speaker_right")

    def figures(self) -> dict[str, Any]:
        """The totals score.py prints, by its names."""
        gold, found, spur, right = self.gold, self.found, self.spurious, self.speaker_right
        p, r = _ratio(found, found + spur), _ratio(found, gold)
        t: dict[str, Any] = {
            "gold": gold,
            "found": found,
            "missed": gold - found,
            "spurious": spur,
            "fragments": self._sum("fragments"),
            "speaker_right": right,
            "speaker_wrong": found - right,
            "precision": p,
            "recall": r,
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "speaker_acc": _ratio(right, found),
            "attributed_precision": _ratio(right, found + spur),
            "attributed_recall": _ratio(right, gold),
            "neutral": self._sum("neutral"),
            "missing_records": [p.article for p in self.pages if not p.has_record],
        }
        for k in ("headline", "published", "dateline"):
            v = [pg.checks[k] for pg in self.pages if k in pg.checks]
            t[k] = f"{sum(v)}/{len(v)}"
        t["by_kind"] = {
            k: {"found": row.found, "right": row.right, "accuracy": row.accuracy}
            for k, row in self.by_kind.items()
        }
        return t


def score(pages: Sequence[dict[str, Any]], records: dict[str, dict[str, Any]]) -> Totals:
    """Score the records (keyed by page file name) against the graded pages."""
    scored = [score_page(art, records.get(os.path.basename(art["file"]))) for art in pages]
    totals = Totals(pages=scored, by_kind={k: KindRow() for k in KINDS})
    for pg in scored:
        for row in pg.quotes:
            if row.kind is not None:
                totals.by_kind[row.kind].found += 1
                totals.by_kind[row.kind].right += bool(row.speaker_ok)
    return totals
