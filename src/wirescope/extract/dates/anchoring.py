"""Anchoring: the direction of a relative expression from the tense of its clause
(clause_sign), and the calendar arithmetic that places it around the reference day."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Doc, Token

from wirescope.extract.dates.words import Sign
from wirescope.extract.lexicon import SAY_VERBS
from wirescope.record.models import Granularity, TimexType


@dataclass
class Norm:
    """What a rule makes of a match."""

    value: str | None
    granularity: Granularity | None = None
    type: TimexType = "DATE"
    mod: str | None = None  # TimeML mod
    legacy: str | None = None  # wirescope's `modifier` (early | since | approx ...)


_TIMEX_MOD = {"early": "START", "mid": "MID", "late": "END", "approx": "APPROX"}


class Ctx:
    """Publication day and the parse, for rules that need the clause's direction."""

    def __init__(self, ref: date, doc: Doc | None, text: str) -> None:
        self.ref = ref
        self.doc = doc
        self.text = text
        self.span: tuple[int, int] = (0, 0)
        self.quarter_focus: tuple[int, int] | None = None  # earnings stories' reported quarter
        self.headline: tuple[int, int] | None = None

    def sign(self) -> Sign:
        """+1 when the current match's clause looks forward, -1 back, 0 unknown."""
        s, e = self.span
        before = self.text[max(0, s - 24) : s].lower()
        if re.search(r"\b(?:next|coming|upcoming|following|later|until|till)\s+$", before):
            return 1
        if re.search(r"\bthrough\s+$", before):
            # the end of a stretch ("rose 4% this year through September", "extended the
            # credit line through February"): the tense tells of the stretch, not its end
            return 0
        if re.search(r"\b(?:last|past|previous|earlier|since)\s+$", before):
            return -1
        if _MOVED_TO.search(before):  # "extended to Nov. 20 its offer": a new deadline
            return 1
        if self.doc is None:
            return 0
        head = self.headline
        return clause_sign(self.doc, s, e, head is not None and head[0] <= s < head[1])


_MOVED_TO = re.compile(
    r"\b(?:extend|postpon|delay|defer|push|mov|adjourn|reschedul)\w*\s+(?:back\s+)?(?:to|until|till)\s+$"
)


def _head_verb(tok: Token) -> Token | None:
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.lower_ in _DUE:
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


_PROSPECTIVE = frozenset(
    [
        "plan",
        "expect",
        "schedule",
        "due",
        "set",
        "aim",
        "intend",
        "hope",
        "prepare",
        "propose",
        "seek",
        "want",
        "agree",
        "promise",
        "vow",
        "pledge",
        "threaten",
        "decide",
        "slate",
        "poise",
        "likely",
        "ready",
        "go",
        "await",
        "wait",
    ]
)
# Words that put the date they govern ahead: "due on Monday", "scheduled for May".
_DUE = frozenset(["due", "scheduled", "slated", "set", "expected", "planned", "upcoming", "poised"])
_AHEAD = frozenset(["payable", "effective", "due", "starting", "beginning", "upcoming"])
_ASK = frozenset(
    ["ask", "urge", "order", "require", "need", "suppose", "tell", "allow", "invite", "force"]
)
_STATIVE = frozenset(["be", "remain", "stay", "have", "continue"])
_FUTURE_AUX = frozenset(
    {"will", "shall", "'ll", "wo", "would", "'d", "going", "must", "should", "may", "might",
     "can", "ca"}
)  # fmt: skip


def clause_sign(doc: Doc, start: int, end: int, headline: bool = False) -> Sign:
    """Direction of the clause holding doc.text[start:end] (see the module docstring)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return 0
    verb = _head_verb(span.root)
    if verb is None:
        return 0
    # "payable Dec. 7 to stock of record Nov. 22", "a pact effective June 1"
    tok = span.root
    while tok.i != verb.i and tok.head.i != tok.i:
        if tok.lower_ in _AHEAD:
            return 1
        tok = tok.head
    for _ in range(3):
        kids = list(verb.children)
        aux = [c for c in kids if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in aux}
        if words & _FUTURE_AUX or any(c.lemma_ == "go" and c.tag_ == "VBG" for c in aux):
            return 1
        if any(c.lower_ == "had" for c in aux):
            return -1  # past perfect: "had been scheduled to expire at midnight Friday"
        if verb.lower_ in _DUE and verb.tag_ != "VBD":
            return 1
        if any(c.tag_ == "VBD" or c.lemma_ == "have" for c in aux):
            return -1
        # "is due to start", "plans to visit", "was expected to ...": the governing verb decides
        if verb.dep_ == "xcomp" and verb.head.lemma_ in _PROSPECTIVE:
            head_aux = {c.lower_ for c in verb.head.children if c.dep_ in ("aux", "auxpass")}
            if "had" in head_aux:
                return -1
            # "agreed to end hostilities in early November": the date may tell of the
            # agreement or of the ending; a past head leaves it to the nearest reading
            return 0 if verb.head.tag_ == "VBD" and not head_aux & _FUTURE_AUX else 1
        if verb.tag_ == "VBD":
            # "said ice remained the main risk for the summer": a state backshifted into
            # reported speech says nothing of the date's direction
            if verb.lemma_ in _STATIVE and verb.dep_ == "ccomp" and verb.head.lemma_ in SAY_VERBS:
                return 0
            return -1
        if any(c.lower_ == "to" for c in aux) and verb.head.i != verb.i:
            if verb.head.lemma_ in _PROSPECTIVE or verb.head.lemma_ in _ASK:
                return 1  # "expect the deal to be completed by Dec. 15", "asked it to respond"
            if verb.head.tag_ == "VBD" and verb.dep_ == "advcl":
                # a purpose under a past verb ("leased jets to start the route in
                # December") comes after it: either side of publication
                return 0
            verb = verb.head
            continue
        if verb.tag_ == "VBN":
            # "the year ended March 31": a participle modifying a noun tells of the past
            return -1 if aux or verb.dep_ == "acl" else 0
        if verb.tag_ == "VBG" and any(c.lemma_ == "be" for c in aux):
            return 1  # present progressive with a date: "is meeting Thursday"
        if verb.tag_ in ("VBZ", "VBP") and verb.lemma_ == "be":
            return 1  # "the vote is on Thursday"
        if verb.tag_ == "VB" and verb.dep_ == "xcomp":
            verb = verb.head  # "to visit X in May": the verb it complements decides
            continue
        if verb.tag_ == "VBP" and any(
            c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in verb.children
        ):
            return -1  # "Weakness hurt stocks on Friday": a singular subject, so a past form
        if verb.tag_ in ("VBZ", "VBP") and verb.lemma_ not in SAY_VERBS and not headline:
            # a scheduled present: "the polls close at 10 p.m. Wednesday" (a headline's
            # present tells of the past: "Quake hits Japan on Monday")
            return 1
        return 0
    return 0


# ---------------------------------------------------------------- calendar helpers


# A month named alone, tense unknown, is ahead only when it is at most this many months
# ahead: news tells of the past more than of the future (TBAQ's bare months: -10..+4).
_MONTH_AHEAD = 4


def _month_year(month: int, ref: date, sign: Sign) -> int:
    """The year of a month named alone: forward or back by the clause, else the nearest."""
    if sign > 0:
        return ref.year if month >= ref.month else ref.year + 1
    if sign < 0:
        return ref.year if month <= ref.month else ref.year - 1
    # otherwise the nearest, leaning back: news tells of the past more than of the future
    diff = (month - ref.month) % 12
    if 0 < diff <= _MONTH_AHEAD:
        return ref.year + (month < ref.month)
    return ref.year - (month > ref.month)


# A past clause does not push a month-day this close ahead back a whole year: news gives
# the year of a date that is not of the current stretch, so "gave no reason for the
# June 30 cutoff" (written June 20) is this June 30.
_NEAR_AHEAD_DAYS = 60


def _day_in_year(
    month: int, day: int, ref: date, sign: Sign, weekday: int | None = None
) -> date | None:
    cands = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        with contextlib.suppress(ValueError):
            cands.append(date(year, month, day))
    # "Sunday, May 7": the weekday names the year
    agree = [d for d in cands if weekday is not None and d.weekday() == weekday]
    if agree:
        return min(agree, key=lambda d: abs((d - ref).days))
    if not cands:
        return None
    if sign > 0:
        ahead = [d for d in cands if d >= ref]
        return min(ahead) if ahead else None
    if sign < 0:
        near = [d for d in cands if 0 < (d - ref).days <= _NEAR_AHEAD_DAYS]
        if near:
            return near[0]
        back = [d for d in cands if d <= ref]
        return max(back) if back else None
    return min(cands, key=lambda d: abs((d - ref).days))


def _weekday_date(wd: int, ref: date, sign: Sign, rel: str = "") -> date:
    if rel == "next":
        return ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    if rel == "last":
        return ref - timedelta(days=(ref.weekday() - wd) % 7 or 7)
    if sign > 0 or (rel == "this" and wd >= ref.weekday()):
        return ref + timedelta(days=(wd - ref.weekday()) % 7)
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


def _season_of(d: date) -> tuple[int, str]:
    if d.month in (12, 1, 2):
        return (d.year if d.month == 12 else d.year - 1), "WI"
    return d.year, ("SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 3]


_SEASON_ORDER = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season_year(code: str, ref: date, sign: Sign, rel: str) -> int:
    """The year of a season named alone (winter 2022 runs Dec 2022 - Feb 2023)."""
    cur_year, cur = _season_of(ref)
    if rel == "this":  # "this summer" said in November: the summer of this year
        return cur_year if code == cur else ref.year

    def span(y: int) -> tuple[date, date]:
        start = date(y, _SEASON_START[code], 1)
        return start, date(y + (code == "WI"), (_SEASON_START[code] + 2) % 12 + 1, 1)

    years = [ref.year - 2, ref.year - 1, ref.year, ref.year + 1]
    if rel == "last" or sign < 0:
        strict = rel == "last"
        return max(y for y in years if (span(y)[1] <= ref if strict else span(y)[0] <= ref))
    if rel == "next" or sign > 0:
        strict = rel == "next"
        return min(y for y in years if (span(y)[0] > ref if strict else span(y)[1] > ref))
    mid = {y: span(y)[0] + timedelta(days=45) for y in years}
    return min(years, key=lambda y: abs((mid[y] - ref).days))


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _shift_month(ref: date, n: int) -> tuple[int, int]:
    y, mo = divmod(ref.year * 12 + ref.month - 1 + n, 12)
    return y, mo + 1


def _week(d: date) -> str:
    iy, iw, _ = d.isocalendar()
    return f"{iy:04d}-W{iw:02d}"


def _mod_of(m: re.Match[str]) -> tuple[str | None, str | None]:
    """(TimeML mod, legacy modifier) from the match's "mod"/"pmod" groups."""
    g = m.groupdict()
    raw = (g.get("mod") or "").lower().rstrip("-")
    legacy = None
    for key, val in (("end", "late"), ("beginning", "early"), ("start", "early"),
                     ("middle", "mid"), ("first half", "early"), ("second half", "late"),
                     ("early", "early"), ("mid", "mid"), ("late", "late")):  # fmt: skip
        if key in raw:
            legacy = val
            break
    timex = _TIMEX_MOD.get(legacy or "")
    if g.get("pmod"):
        legacy = legacy or g["pmod"].lower()
    return timex, legacy


Handler = Callable[[re.Match[str], Ctx], Norm | None]
