"""Time expressions (TimeML TIMEX3) normalized against publication time and tense.

Rules over precompiled regexes, not a date library: they run for every article and
cost about a millisecond, where dateparser or Recognizers cost tens. Each mention gets
a TIMEX3 `type` (DATE, TIME, DURATION, SET) and `value` (2021-03-01, 2021-W09,
2021-Q3, 2021-SU, 2021-03-01T22:00, 2021-03-01TNI, P90D, PRESENT_REF, XXXX-WXX-1 ...);
values never invent precision: a month stays "2020-09", a decade "199", a century "19".

Spans follow TimeML: no leading preposition ("on Monday" -> "Monday", "since 1992" ->
"1992", the preposition kept as the legacy `modifier`), determiners kept ("the third
quarter").

Relative expressions without their own direction ("Wednesday", "in September",
"March 8", "the summer") are anchored as HeidelTime and SUTime do: on the publication
day, looking forward or back by the tense of the clause they sit in, read from spaCy's
parse: "will", "would", "is due to", "scheduled", "plans to", present progressive ...
look forward; past tense and perfect look back. Quotes are anchored the same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy
from spacy.attrs import IDX, LOWER, ORTH
from spacy.tokens import Doc, Token

from wirescope.extract.lexicon import SAY_VERBS
from wirescope.record.models import Article, DateMention, Granularity, TimexType

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "a couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some", "a number of", "the", "")
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
# TIMEX3 duration codes, and the granularity of a relative unit's value
UNIT_CODE = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W",
    "weekend": "WE", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE",
}  # fmt: skip

Sign = int  # +1 forward (future), -1 back (past), 0 unknown


def _ci(word: str) -> str:
    """A word with its first letter in either case ("[Ee]arly"): month names stay capitalized."""
    return f"[{word[0].upper()}{word[0].lower()}]{word[1:]}"


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "(?:" + "|".join(words) + ")"


def _cialt(words: list[str] | tuple[str, ...]) -> str:
    return _alt([_ci(w) for w in sorted(words, key=len, reverse=True)])


# Month names must be capitalized: "may" and "march" are also verbs.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
    r"Nov\.?|Dec\.?)(?![a-z])"
)
_MOD = (
    r"(?P<mod>" + _cialt(["early", "mid", "late", "the end of", "the beginning of",
                          "the start of", "the middle of", "the first half of",
                          "the second half of"])
    + r"|[Mm]id-|[Ll]ate-|[Ee]arly-)"
)  # fmt: skip
_PREP_MOD = r"(?P<pmod>" + _cialt(["since", "before", "after", "until", "by"]) + ")"
_PRE = r"(?:" + _PREP_MOD + r"\s+)?"  # a preposition kept out of the span
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)(?!\d|,\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = (
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?P<plural>s)?(?![a-z])"
)
_PART = r"(?P<part>morning|afternoon|evening|night)"
_EL = r"(?:(?P<el>[Ee]arlier|[Ll]ater)\s+)?"
_B = r"(?<![\w-])"  # word start that is not inside "re-1992" or a number
_E = r"(?![\w-])"
_NUMWORD = _cialt([w for w in NUMBER_WORDS if w not in ("a", "an")])
_NUM = (
    r"(?P<n>\d{1,3}(?:\.\d)?|" + _NUMWORD + r"(?:[\s-]" + _NUMWORD + r")?|[Aa]n?"
    r"|[Ss]everal|[Aa] few|[Ff]ew|[Mm]any|[Ss]ome|[Aa] number of)"
)
_UNIT = (
    r"(?P<unit>second|minute|hour|day|night|week|weekend|month|quarter|year|decade|centur(?:y|ie))"
)
_CLOCK = (
    r"(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[AaPp]\.?\s?[Mm]\b\.?)"
    r"(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC))?"
    r"|(?<![Hh]igh )(?P<noon>[Nn]oon|[Mm]idnight|[Mm]idday)"
)
_CENT = (
    r"(?P<cnum>\d{1,2}(?:st|nd|rd|th)|"
    + _alt([_ci(w) for w in sorted(ORDINALS, key=len, reverse=True)])
    + ")"
)
_QNUM = r"(?P<q>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)"
_HALF = r"(?P<hn>[Ff]irst|[Ss]econd|1st|2nd)"


def _behind(words: list[str]) -> str:
    """One of `words` and a space, kept out of the span (group "pre", see _span_start);
    cheaper than a lookbehind per word."""
    return r"(?<![\w-])(?P<pre>" + _cialt(words) + r")\s+"


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


def _number(raw: str | None) -> int | None:
    """2, "two", "twenty four", "twenty-four"; None for vague ("several")."""
    if raw is None:
        return 1
    raw = raw.lower().strip()
    if raw in VAGUE_NUMBERS:
        return None
    if raw.startswith(("a couple", "couple")):  # TimeBank counts "a couple of years" as P2Y
        return 2
    if raw.replace(".", "", 1).isdigit():
        return int(float(raw)) if "." not in raw else None
    total = 0
    for part in re.split(r"[\s-]+", raw):
        if part not in NUMBER_WORDS:
            return None
        if part == "hundred":  # "a hundred", "two hundred": a multiplier
            total = (total or 1) * 100
        else:
            total += NUMBER_WORDS[part]
    return total or None


def _duration(n: int | None, unit: str) -> str:
    if unit == "decade":  # TimeBank writes decades in years: "a decade" P10Y, "decades" PXY
        n, unit = (None if n is None else 10 * n), "year"
    code = UNIT_CODE[unit]
    if code == "WE":
        return f"P{n or 'X'}WE" if n != 1 else "P2D"
    count = "X" if n is None else str(n)
    if code.startswith("T"):
        return f"PT{count}{code[1]}"
    return f"P{count}{code}"


def _unit(raw: str) -> str:
    u = raw.lower()
    return "century" if u.startswith("centur") else u.rstrip("s")


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


# ---------------------------------------------------------------- handlers

Handler = Callable[[re.Match[str], Ctx], Norm | None]


def _full_date(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    month = MONTHS[g["month"].lower().rstrip(".")]
    try:
        value = date(int(g["year"]), month, int(g["day"])).isoformat()
    except ValueError:
        return None
    return Norm(value, "day", mod=_mod_of(m)[0], legacy=_mod_of(m)[1])


def _iso_date(m: re.Match[str], c: Ctx) -> Norm | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return Norm(d.isoformat(), "day")


def _month_day(m: re.Match[str], c: Ctx) -> Norm | None:
    month, day = MONTHS[m["month"].lower().rstrip(".")], int(m["day"])
    wd = m.groupdict().get("wd")
    weekday = WEEKDAYS[wd.lower()] if wd else None
    d = _day_in_year(month, day, c.ref, c.sign(), weekday)
    if d is None:
        d = _day_in_year(month, day, c.ref, 0)
    mod, legacy = _mod_of(m)
    if d is not None and m.groupdict().get("wk"):  # "the week of March 6"
        return Norm(_week(d), "week")
    return Norm(d.isoformat(), "day", mod=mod, legacy=legacy) if d else None


def _month_year_h(m: re.Match[str], c: Ctx) -> Norm | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    mod, legacy = _mod_of(m)
    return Norm(f"{int(m['year']):04d}-{month:02d}", "month", mod=mod, legacy=legacy)


def _month_rel_year(m: re.Match[str], c: Ctx) -> Norm | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    year = c.ref.year + {"next": 1, "last": -1}.get(m["rel"].lower(), 0)
    mod, legacy = _mod_of(m)
    return Norm(f"{year:04d}-{month:02d}", "month", mod=mod, legacy=legacy)


def _month_only(m: re.Match[str], c: Ctx) -> Norm | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    g = m.groupdict()
    rel = (g.get("rel") or "").lower()
    if rel == "next":
        year = c.ref.year if month > c.ref.month else c.ref.year + 1
    elif rel == "last":
        year = c.ref.year if month < c.ref.month else c.ref.year - 1
    elif rel == "this":
        year = c.ref.year
    else:
        year = _month_year(month, c.ref, c.sign())
    mod, legacy = _mod_of(m)
    if g.get("el"):
        mod = "START" if g["el"].lower() == "earlier" else "END"
    return Norm(f"{year:04d}-{month:02d}", "month", mod=mod, legacy=legacy)


_AHEAD_OF = re.compile(r"\b(?:ahead\s+of|next|coming|upcoming|until|till)\s+$", re.IGNORECASE)


def _possessive(c: Ctx) -> bool:
    return c.text[c.span[1] : c.span[1] + 2] in ("'s", "’s")


def _weekday(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    wd = WEEKDAYS[g["wd"].lower()]
    part = PARTS.get((g.get("part") or "").lower())
    if g.get("plural") or g.get("every"):  # "Tuesday nights", "each Thursday": a set
        return Norm(f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else ""), None, "SET")
    rel = (g.get("rel") or "").lower()
    sign = 0 if rel else c.sign()
    before = c.text[max(0, m.start() - 24) : m.start()]
    if sign > 0 and _possessive(c) and not _AHEAD_OF.search(before):
        # "follows Monday's vote": a possessive weekday names an event already
        # reported, whatever the tense of the clause that mentions it
        sign = -1
    d = _weekday_date(wd, c.ref, sign, rel)
    mod = None
    if g.get("el"):
        mod = "START" if g["el"].lower() == "earlier" else "END"
    if part:
        return Norm(f"{d.isoformat()}T{part}", "time", "TIME", mod=mod)
    if g.get("clock"):
        return _with_clock(d, m, mod)
    return Norm(d.isoformat(), "day", mod=mod)


def _clock_value(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("noon"):
        word = g["noon"].lower()
        return "24" if word == "midnight" else "12:00"
    h, mi = int(g["h"]), int(g.get("mi") or 0)
    ap = g["ap"].lower()[0]
    if not 1 <= h <= 12:
        return None
    if ap == "p" and h < 12:
        h += 12
    elif ap == "a" and h == 12:
        h = 0
    return f"{h:02d}:{mi:02d}"


def _with_clock(d: date, m: re.Match[str], mod: str | None = None) -> Norm | None:
    clock = _clock_value(m)
    if clock is None:
        return Norm(d.isoformat(), "day", mod=mod)
    return Norm(f"{d.isoformat()}T{clock}", "time", "TIME", mod=mod)


def _clock(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    if g.get("rd"):
        d = c.ref + timedelta(days=_RD[g["rd"].lower()])
    elif g.get("wd"):
        d = _weekday_date(WEEKDAYS[g["wd"].lower()], c.ref, c.sign())
    elif g.get("month"):
        n = _month_day(m, c)
        if n is None or n.value is None:
            return None
        d = date.fromisoformat(n.value)
    else:
        d = c.ref
    return _with_clock(d, m, "APPROX" if g.get("approx") else None)


def _year(m: re.Match[str], c: Ctx) -> Norm | None:
    mod, legacy = _mod_of(m)
    return Norm(m["year"], "year", mod=mod, legacy=legacy)


def _decade(m: re.Match[str], c: Ctx) -> Norm | None:
    raw = m["dec"].lower()
    words = {"twenties": "2", "thirties": "3", "forties": "4", "fifties": "5",
             "sixties": "6", "seventies": "7", "eighties": "8", "nineties": "9"}  # fmt: skip
    if raw in words:
        value = "19" + words[raw]
    else:
        raw = raw.lstrip("'’")
        if len(raw) == 2:  # "the '90s"
            raw = ("19" if int(raw) > (c.ref.year % 100) else "20") + raw
        value = raw[:3]
    mod, legacy = _mod_of(m)
    return Norm(value, "decade", mod=mod, legacy=legacy)


def _century(m: re.Match[str], c: Ctx) -> Norm | None:
    n = m["cnum"].lower()
    num = ORDINALS.get(n) or int(re.sub(r"\D", "", n) or 0)
    if not 1 <= num <= 22:
        return None
    mod, legacy = _mod_of(m)
    return Norm(f"{num - 1:02d}", "century", mod=mod, legacy=legacy)


_RD = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}


def _relative_day(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    word = g["rd"].lower()
    d = c.ref + timedelta(days=_RD[word])
    mod = None
    if g.get("el"):
        mod = "START" if g["el"].lower() == "earlier" else "END"
    part = PARTS.get((g.get("part") or "").lower()) or ("NI" if word == "tonight" else None)
    if part:
        return Norm(f"{d.isoformat()}T{part}", "time", "TIME", mod=mod)
    return Norm(d.isoformat(), "day", mod=mod)


_PART_TOLD_LATER = re.compile(
    r"\s+(?:of|that|when|before|after|the|a|an|his|her|its|their|he|she|they|we|I)\b"
)


def _part_of_day(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    rel = (g.get("rel") or "").lower()
    word = (g.get("part") or "").lower()
    if rel == "the" and _PART_TOLD_LATER.match(c.text, m.end()):
        return None  # "the night of Oct. 23", "the night the plane went down": not today's
    d = c.ref - timedelta(days=1) if rel in ("last", "overnight") or word == "overnight" else c.ref
    if g.get("rd"):
        d = c.ref + timedelta(days=_RD[g["rd"].lower()])
    code = "NI" if word == "overnight" else PARTS[word]
    mod = "MID" if g.get("mid") else {"early": "START", "late": "END"}.get(rel)
    return Norm(f"{d.isoformat()}T{code}", "time", "TIME", mod=mod)


def _relative_unit(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    rel, unit = g["rel"].lower(), _unit(g["unit"])
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0,
            "current": 0, "the current": 0, "the latest": -1}.get(rel, 0)  # fmt: skip
    mod = None
    if g.get("el"):
        mod = "START" if g["el"].lower() == "earlier" else "END"
    ref = c.ref
    if unit == "year":
        return Norm(f"{ref.year + step:04d}", "year", mod=mod)
    if unit == "month":
        y, mo = _shift_month(ref, step)
        return Norm(f"{y:04d}-{mo:02d}", "month", mod=mod)
    if unit == "quarter":
        y, q = divmod(ref.year * 4 + _quarter(ref) - 1 + step, 4)
        return Norm(f"{y:04d}-Q{q + 1}", "quarter", mod=mod)
    if unit == "decade":
        return Norm(f"{ref.year // 10 + step:03d}", "decade", mod=mod)
    if unit == "century":
        return Norm(f"{ref.year // 100 + step:02d}", "century", mod=mod)
    if unit == "weekend":
        d = ref + timedelta(days=(5 - ref.weekday()) % 7) if step >= 0 else ref
        if step < 0 or (step == 0 and c.sign() < 0 and ref.weekday() < 5):
            d = ref - timedelta(days=(ref.weekday() - 5) % 7 or 7)
        if step > 0 and ref.weekday() >= 5:
            d += timedelta(days=7)
        return Norm(_week(d) + "-WE", "week", mod=mod)
    if unit == "week":
        return Norm(_week(ref + timedelta(weeks=step)), "week", mod=mod)
    if unit in ("day", "night"):
        return Norm((ref + timedelta(days=step)).isoformat(), "day", mod=mod)
    return None


def _season(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    code = SEASONS[g["season"].lower()]
    if g.get("year"):
        year = int(g["year"])
    else:
        rel = (g.get("rel") or "").lower()
        year = _season_year(code, c.ref, 0 if rel else c.sign(), rel)
    mod, legacy = _mod_of(m)
    if g.get("every"):
        return Norm(f"XXXX-{code}", None, "SET")
    return Norm(f"{year:04d}-{code}", "season", mod=mod, legacy=legacy)


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, cc = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(cc, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - wd) % 7)


HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas eve": lambda y: date(y, 12, 24),
    "july fourth": lambda y: date(y, 7, 4),
    "fourth of july": lambda y: date(y, 7, 4),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1),
    "boxing day": lambda y: date(y, 12, 26),
    "valentine's day": lambda y: date(y, 2, 14),
    "halloween": lambda y: date(y, 10, 31),
    "independence day": lambda y: date(y, 7, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "easter": _easter,
    "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "may day": lambda y: date(y, 5, 1),
    "bastille day": lambda y: date(y, 7, 14),
    "remembrance day": lambda y: date(y, 11, 11),
    "veterans day": lambda y: date(y, 11, 11),
}


def _holiday(m: re.Match[str], c: Ctx) -> Norm | None:
    key = re.sub(r"\s+", " ", m["hol"].lower().replace("’", "'"))
    rule = HOLIDAYS[key]
    if m.groupdict().get("year"):
        return Norm(rule(int(m["year"])).isoformat(), "day")
    sign = c.sign()
    this = rule(c.ref.year)
    if sign > 0 and this < c.ref:
        this = rule(c.ref.year + 1)
    elif sign < 0 and this > c.ref:
        this = rule(c.ref.year - 1)
    elif sign == 0 and abs((this - c.ref).days) > 183:
        this = rule(c.ref.year + (1 if this < c.ref else -1))
    return Norm(this.isoformat(), "day")


def _ago(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    n = _number(g["n"])
    unit = _unit(g["unit"])
    approx = "APPROX" if g.get("approx") else None
    step = 1 if (g.get("dir") or "ago").lower() in ("later", "from now", "hence") else -1
    if n is None:
        return Norm("PAST_REF" if step < 0 else "FUTURE_REF", None, mod=approx, legacy="approx")
    ref = c.ref
    if unit == "day":
        return Norm((ref + timedelta(days=step * n)).isoformat(), "day", mod=approx,
                    legacy="approx")  # fmt: skip
    if unit == "week":
        return Norm(_week(ref + timedelta(weeks=step * n)), "week", mod=approx, legacy="approx")
    if unit == "month":
        y, mo = _shift_month(ref, step * n)
        return Norm(f"{y:04d}-{mo:02d}", "month", mod=approx, legacy="approx")
    if unit == "quarter":
        y, q = divmod(ref.year * 4 + _quarter(ref) - 1 + step * n, 4)
        return Norm(f"{y:04d}-Q{q + 1}", "quarter", mod=approx, legacy="approx")
    if unit == "year":
        if c.quarter_focus and n == 1 and g.get("dir", "").lower() in ("earlier", "ago"):
            fy, fq = c.quarter_focus
            return Norm(f"{fy - 1:04d}-Q{fq}", "quarter", mod=approx, legacy="approx")
        return Norm(f"{ref.year + step * n:04d}", "year", mod=approx, legacy="approx")
    if unit == "decade":
        return Norm(f"{ref.year // 10 + step * n:03d}", "decade", mod=approx, legacy="approx")
    return None


def _year_ago_adj(m: re.Match[str], c: Ctx) -> Norm | None:
    if c.quarter_focus:
        fy, fq = c.quarter_focus
        return Norm(f"{fy - 1:04d}-Q{fq}", "quarter")
    return Norm(f"{c.ref.year - 1:04d}", "year")


def _quarter_h(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    q = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(g["q"].lower()) or int(g["q"][0])
    year_raw = g.get("year") or g.get("y2")
    if year_raw:
        year = int(year_raw)
    else:
        rel = (g.get("rel") or "").lower()
        if rel in ("last", "previous"):
            year = c.ref.year - 1
        elif rel == "next":
            year = c.ref.year + 1
        elif rel == "this":
            year = c.ref.year
        else:
            year = c.ref.year
            sign = c.sign()
            if sign < 0 and q > _quarter(c.ref):
                year -= 1
            elif sign > 0 and q < _quarter(c.ref) - 1:
                year += 1
    return Norm(f"{year:04d}-Q{q}", "quarter")


def _year_quarter(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    focus = c.quarter_focus
    if g.get("q"):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(g["q"].lower()) or int(g["q"][0])
    elif focus:
        q = focus[1]
    else:
        return None
    if g.get("year"):
        year = int(g["year"])
    elif g.get("ya"):
        year = (focus[0] if focus else c.ref.year) - 1
    else:
        year = c.ref.year + {"next": 1, "last": -1}.get(g["rel"].lower(), 0)
    return Norm(f"{year:04d}-Q{q}", "quarter")


def _half(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    h = 1 if g["hn"].lower() in ("first", "1st") else 2
    year = int(g["year"]) if g.get("year") else c.ref.year
    if not g.get("year") and c.sign() < 0 and h == 2 and c.ref.month <= 6:
        year -= 1
    return Norm(f"{year:04d}-H{h}", "half")


def _the_quarter(m: re.Match[str], c: Ctx) -> Norm | None:
    """'the quarter', 'the latest quarter': an earnings story's reported quarter."""
    word = (m.groupdict().get("which") or "").lower()
    if word in ("current", "this"):
        return Norm(f"{c.ref.year:04d}-Q{_quarter(c.ref)}", "quarter")
    if c.quarter_focus:
        fy, fq = c.quarter_focus
        if "year" in word:
            return Norm(f"{fy - 1:04d}-Q{fq}", "quarter")
        return Norm(f"{fy:04d}-Q{fq}", "quarter")
    y, q = divmod(c.ref.year * 4 + _quarter(c.ref) - 2 - (4 if "year" in word else 0), 4)
    return Norm(f"{y:04d}-Q{q + 1}", "quarter")


def _fiscal(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm(m["year"], "year")


def _ref_word(m: re.Match[str], c: Ctx) -> Norm | None:
    word = re.sub(r"\s+", " ", m["refw"].lower())
    return Norm(_REF_WORDS[word], None)


_REF_WORDS = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "current": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "at present": "PRESENT_REF", "the present": "PRESENT_REF", "presently": "PRESENT_REF",
    "recently": "PAST_REF", "more recently": "PAST_REF", "recent": "PAST_REF",
    "the past": "PAST_REF", "previously": "PAST_REF", "formerly": "PAST_REF",
    "in recent years": "PAST_REF", "recent years": "PAST_REF", "recent days": "PAST_REF",
    "recent weeks": "PAST_REF", "recent months": "PAST_REF", "lately": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF", "future": "FUTURE_REF",
    "soon": "FUTURE_REF", "the years ahead": "FUTURE_REF",
}  # fmt: skip


def _duration_mod(g: dict[str, str | Any]) -> str | None:
    if g.get("approx"):
        return "APPROX"
    if g.get("lt"):
        return {"less than": "LESS_THAN", "under": "LESS_THAN", "more than": "MORE_THAN",
                "over": "MORE_THAN", "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
                "nearly": "LESS_THAN", "almost": "LESS_THAN"}.get(g["lt"].lower())  # fmt: skip
    return None


def _duration_h(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    unit = _unit(g["unit"])
    n = _number(g.get("n"))
    if n is None and g.get("n") is None:
        n = 1
    return Norm(_duration(n, unit), None, "DURATION", mod=_duration_mod(g))


# Half a unit in the next smaller one: "2 1/2 years" P2Y6M, "a minute and a half" PT1M30S
_HALF_OF = {"year": "{n}Y6M", "month": "{n}M15D", "day": "{n}DT12H", "hour": "T{n}H30M",
            "minute": "T{n}M30S", "decade": "{n10}Y", "century": "{n100}Y"}  # fmt: skip


def _half_duration(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    unit = _unit(g["unit"])
    n = _number(g["n"])
    if n is None or unit not in _HALF_OF:
        return None
    value = "P" + _HALF_OF[unit].format(n=n, n10=10 * n + 5, n100=100 * n + 50)
    return Norm(value, None, "DURATION", mod=_duration_mod(g))


def _plural_duration(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm(_duration(None, _unit(m["unit"])), None, "DURATION")


def _set_unit(m: re.Match[str], c: Ctx) -> Norm | None:
    unit = _unit(m["unit"])
    if unit == "weekend":
        return Norm("XXXX-WXX-WE", None, "SET")
    return Norm(_duration(1, unit), None, "SET")


_ADVERB_SET = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
               "yearly": "P1Y", "hourly": "PT1H", "nightly": "P1D", "quarterly": "P1Q"}  # fmt: skip


def _set_adverb(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm(_ADVERB_SET[m["adv"].lower()], None, "SET")


def _set_month(m: re.Match[str], c: Ctx) -> Norm | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    return Norm(f"XXXX-{month:02d}", None, "SET")


def _one_year(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm("P1Y", None, "DURATION")


def _this_year(m: re.Match[str], c: Ctx) -> Norm | None:
    return Norm(f"{c.ref.year:04d}", "year")


def _spelled_year(m: re.Match[str], c: Ctx) -> Norm | None:
    """'nineteen ninety-six' (broadcast transcripts) -> 1996."""
    if not m["sn"]:  # "the year two thousand"
        return Norm("2000", "year")
    n = _number(m["sn"])
    if n is None or not 0 < n < 100:
        return None
    return Norm(f"{(19 if m['sy'].lower() == 'nineteen' else 20) * 100 + n:04d}", "year")


def _unit_edge(m: re.Match[str], c: Ctx) -> Norm | None:
    """'the end of the month', 'the beginning of next year': the unit, with a TimeML mod."""
    g = m.groupdict()
    edge = g["edge"].lower()
    mod = {"end": "END", "middle": "MID"}.get(edge, "START")
    legacy = {"END": "late", "MID": "mid", "START": "early"}[mod]
    unit = g["unit"]
    if g.get("year") and unit == "year":
        return Norm(g["year"], "year", mod=mod, legacy=legacy)
    step = {"next": 1, "last": -1}.get((g.get("rel") or "").lower(), 0)
    ref = c.ref
    if unit == "year":
        value, gran = f"{ref.year + step:04d}", "year"
    elif unit == "month":
        y, mo = _shift_month(ref, step)
        value, gran = f"{y:04d}-{mo:02d}", "month"
    elif unit == "week":
        value, gran = _week(ref + timedelta(weeks=step)), "week"
    elif unit == "decade":
        value, gran = f"{ref.year // 10 + step:03d}", "decade"
    else:
        value, gran = f"{ref.year // 100 + step:02d}", "century"
    return Norm(value, gran, mod=mod, legacy=legacy)  # type: ignore[arg-type]


def _end_of_year(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else c.ref.year
    return Norm(f"{year:04d}", "year", mod="END", legacy="late")


# ---------------------------------------------------------------- rules

_Q_WORD = (
    r"(?P<which>(?:the\s+)?(?:latest|current|most\s+recent|year[\s-]?(?:ago|earlier)|same"
    r"|comparable|fiscal)|[Tt]his)"
)

# fmt: off
# Ordered: the first rule to claim characters wins, so longer forms come first.
# (pattern, handler, needs a date context: inside a spaCy DATE/TIME entity)
RULES: list[tuple[re.Pattern[str], Handler, bool]] = [
    (re.compile(_B + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"), _iso_date, False),
    # clock times joined to their day: "10 p.m. Wednesday", "5 p.m. EST, Nov. 6", "noon today"
    (re.compile(_B + r"(?:(?P<approx>[Aa]round|[Aa]bout|[Aa]pproximately)\s+)?(?:" + _CLOCK
                + r")(?:,?\s+(?:(?P<rd>yesterday|today|tomorrow)|" + _MONTH + r"\s+" + _DAY
                + r"(?!\d)|" + _WEEKDAY + r"))?"), _clock, False),
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + r"(?:" + _MOD + r"\s+)?" + _MONTH
                + r"\s+" + _DAY + r",?\s+" + _YEAR), _full_date, False),
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + _DAY + r"\s+" + _MONTH + r",?\s+"
                + _YEAR), _full_date, False),
    (re.compile(_B + _PRE + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|[Tt]he\s+)?" + _CENT
                + r"[\s-]+[Cc]entury"), _century, False),
    (re.compile(_B + _PRE + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|[Tt]he\s+)(?P<dec>1[5-9]\d0s"
                r"|20\d0s|['’]\d0s"
                r"|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)" + _E),
     _decade, False),
    # quarters and halves
    (re.compile(_B + r"(?:[Tt]he\s+)?(?:(?P<year>1[5-9]\d\d|20\d\d)\s+|(?P<rel>[Tt]his|[Ll]ast"
                r"|[Nn]ext|[Pp]revious)"
                r"\s+year['’]s\s+|(?:[Tt]he\s+|[Ii]ts\s+|[Aa]\s+)(?:(?:fiscal|flat|weak|strong"
                r"|latest)\s+)?)?"
                + _QNUM + r"(?:[\s-]+fiscal)?[\s-]+[Qq]uarters?(?![\w-])"
                + r"(?:\s+of\s+(?:fiscal\s+)?(?P<y2>1[5-9]\d\d|20\d\d))?"),
     _quarter_h, False),
    # "the 1988 quarter", "the year-ago third quarter", "last year's period": the reported
    # quarter of another year
    (re.compile(_B + r"(?:[Tt]he\s+)?(?:(?P<year>1[5-9]\d\d|20\d\d)|(?P<ya>[Yy]ear[\s-](?:ago"
                r"|earlier))|(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+year['’]s)\s+(?:" + _QNUM
                + r"[\s-]+)?(?:fiscal\s+)?(?:quarter|period)" + _E), _year_quarter, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?" + _HALF + r"[\s-]+half(?:\s+of\s+" + _YEAR + r")?" + _E),
     _half, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?" + _Q_WORD + r"[\s-]+(?:quarter"
                r"|period)" + _E), _the_quarter, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Qq]uarter\s+a\s+year\s+(?:ago"
                r"|earlier)"), _year_ago_adj, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Cc]orresponding\s+period\s+(?:a\s+year\s+(?:ago|earlier)"
                r"|last\s+year)"),
     _year_ago_adj, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Qq]uarter" + _E), _the_quarter, True),
    (re.compile(_B + r"[Yy]ear[\s-](?:ago|earlier)(?=\s+(?:quarter|period|level|results|figure|"
                r"profit|earnings|loss|sales|net|revenue|month))"), _year_ago_adj, False),
    (re.compile(_B + _PRE + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|[Tt]he\s+)?(?:(?P<rel>[Tt]his"
                r"|[Ll]ast|[Nn]ext)\s+)?(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn"
                r"|[Ww]inter)\s+(?:of\s+)?" + _YEAR + _E), _season, False),
    (re.compile(_B + _PRE + r"(?:(?:the\s+)?" + _MOD + r"\s*|(?P<rel>[Tt]his|[Ll]ast"
                r"|[Nn]ext)\s+)"
                r"(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)" + _E),
     _season, False),
    (re.compile(_behind(["in", "during", "by", "until", "since", "through", "over"])
                + r"(?P<season>spring|summer|autumn|winter)" + _E), _season, False),
    (re.compile(_B + r"(?:(?P<every>[Ee]very|[Ee]ach)\s+|(?:[Tt]he|[Tt]his|[Ll]ast|[Nn]ext)\s+)"
                r"(?P<season>spring|summer|fall|autumn|winter)" + _E), _season, False),
    (re.compile(_B + _PRE + r"(?:" + _MOD + r"\s*)?" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR),
     _month_year_h, False),
    # "early October this year", "in April next year": one expression
    (re.compile(_B + _PRE + r"(?:" + _MOD + r"\s*)?" + _MONTH + r",?\s+(?:of\s+)?"
                r"(?P<rel>this|next|last)\s+year" + _E), _month_rel_year, False),
    (re.compile(_B + r"(?:[Ee]very|[Ee]ach)\s+" + _MONTH), _set_month, False),
    (re.compile(_B + r"(?P<every>[Ee]very|[Ee]ach)\s+" + _WEEKDAY), _weekday, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?(?P<wk>[Ww]eek)\s+of\s+" + _MONTH + r"\s+" + _DAY
                + r"(?!\d|:\d)"), _month_day, False),
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + r"(?:" + _MOD + r"\s+)?" + _MONTH
                + r"\s+" + _DAY + r"(?!\d|:\d)"), _month_day, False),
    (re.compile(_B + _EL + r"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?" + _WEEKDAY
                + r"(?:\s+" + _PART + r")?"), _weekday, False),
    (re.compile(_B + _PRE + r"(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+)?(?P<hol>Christmas(?: Eve"
                r"| Day)?|New Year['’]s"
                r" (?:Eve|Day)|July Fourth|Fourth of July|Boxing Day|Valentine['’]s Day"
                r"|Halloween|Independence Day|Thanksgiving(?: Day)?|"
                r"Labor Day|Memorial Day|Easter(?: Sunday)?|Good Friday|May Day|Bastille Day|"
                r"Remembrance Day|Veterans Day)(?:\s+" + _YEAR + r")?" + _E), _holiday, False),
    (re.compile(_B + _EL + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+|(?P<rel>[Ll]ast|[Nn]ext"
                r"|[Tt]his)\s+)" + _MONTH),
     _month_only, False),
    (re.compile(r"(?<=\b[Ii]n\s)" + _MONTH + r"(?!\s+\d)"), _month_only, False),
    (re.compile(_behind(["for", "through", "from", "during", "until", "till", "since", "of"])
                + _MONTH + r"(?!\s+\d)"), _month_only, False),
    (re.compile(_B + r"(?!May\b)" + _MONTH + r"(?!\s+\d)"), _month_only, True),
    # relative days and parts of day ("mid-afternoon yesterday" before "yesterday")
    (re.compile(_B + r"(?:(?P<mid>[Mm]id-?)|(?P<rel>[Ee]arly|[Ll]ate)\s+)" + _PART
                + r"\s+(?P<rd>yesterday|today|tomorrow)" + _E), _part_of_day, False),
    (re.compile(_B + _EL + r"(?P<rd>[Yy]esterday|[Tt]oday|[Tt]onight"
                r"|[Tt]omorrow)(?:\s+" + _PART + r")?" + _E),
     _relative_day, False),
    (re.compile(_B + r"(?:(?P<mid>[Mm]id-?)|(?P<rel>[Tt]his|[Ll]ast"
                r"|[Tt]he)\s+)" + _PART + _E
                + r"(?:\s+(?P<rd>yesterday|today|tomorrow))?"), _part_of_day, False),
    (re.compile(_B + r"(?P<part>[Oo]vernight)" + _E), _part_of_day, False),
    # durations (before relative units: "the past two weeks" is a duration, "last week" a date)
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Ss]ome|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?"
                + _NUM + r"\s+(?:more\s+|full\s+|straight\s+|consecutive\s+"
                r"|long\s+)?" + _UNIT + r"s?\s+"
                r"(?P<dir>ago|earlier|from now|hence)" + _E), _ago, False),
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?(?P<n>\d{1,3}|" + _NUMWORD + r")(?:\s+1/2|½"
                r"|\s+and\s+a\s+half)\s+" + _UNIT + r"s?" + _E), _half_duration, False),
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?(?P<n>[Aa]n?|\d{1,3}|" + _NUMWORD + r")\s+" + _UNIT
                + r"s?\s+and\s+a\s+half" + _E), _half_duration, False),
    (re.compile(_B + r"(?:[Tt]he\s+(?:[Ll]ast|[Ff]irst|[Ff]inal|[Ll]atest|[Rr]emaining)"
                r"|(?:[Tt]he\s+)?(?:[Pp]ast|[Nn]ext|[Cc]oming|[Pp]revious))\s+" + _NUM
                + r"\s+(?:more\s+|full\s+)?" + _UNIT + r"s?" + _E), _duration_h, False),
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?"
                r"(?P<n>\d{1,3}(?:\.\d)?|" + _NUMWORD + r"(?:[\s-]" + _NUMWORD + r")?|[Ss]everal"
                r"|[Aa] few|[Aa] couple of"
                r"|[Mm]any)\s+(?:more\s+|full\s+|straight\s+"
                r"|consecutive\s+)?" + _UNIT + r"s?" + _E + r"(?!\s+old\b)"), _duration_h, False),
    (re.compile(r"(?:" + _B + r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early"
                r"|[Aa]lmost|[Oo]ver|[Uu]nder)\s+|" + _behind(["for", "within", "took", "lasted",
                "last", "spent", "about", "only", "just", "after", "in"]) + r")"
                r"(?P<n>[Aa]n?)\s+(?:full\s+)?" + _UNIT + _E + r"(?!\s+(?:ago|earlier|later|old))"),
     _duration_h, False),
    (re.compile(_B + r"(?P<n>\d{1,3}|" + _NUMWORD + r"(?:-" + _NUMWORD + r")?)-" + _UNIT + _E
                + r"(?!-old)"),
     _duration_h, False),
    # "a day-long meeting", "a decades-long feud": a stretch as an adjective
    (re.compile(_B + r"(?P<unit>[Dd]ay|[Ww]eek|[Mm]onth|[Yy]ear|[Hh]our|[Dd]ecade)-long" + _E),
     _duration_h, False),
    (re.compile(_B + r"(?P<unit>[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears|[Hh]ours|[Dd]ecades)-long"
                + _E), _plural_duration, False),
    # relative units ("the past week" is a stretch up to now: a duration)
    (re.compile(_B + r"[Tt]he\s+(?P<rel>[Pp]ast|[Ll]ast)\s+(?P<unit>week|month|year|decade|century)"
                + _E), _relative_unit, False),
    (re.compile(_B + _EL + r"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Pp]revious"
                r"|[Tt]he\s+current)\s+"
                + _UNIT + _E), _relative_unit, False),
    (re.compile(_B + r"(?P<rel>[Tt]he)\s+(?P<unit>weekend)" + _E), _relative_unit, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?(?P<edge>[Ee]nd|[Bb]eginning|[Ss]tart|[Mm]iddle)\s+of\s+"
                r"(?:(?P<rel>the|this|next|last|that)\s+)?(?P<unit>week|month|year|decade|century)"
                r"(?![\w-])(?:\s+" + _YEAR + r")?"), _unit_edge, False),
    (re.compile(_B + r"[Tt]he\s+(?:fiscal\s+)?year(?=\s+(?:ended|ending|through|to\s+date))"),
     _one_year, False),
    (re.compile(_B + r"(?:[Yy]ear['’]s[\s-]end|[Yy]ear[\s-]end)" + _E + r"(?:\s+" + _YEAR + r")?"),
     _end_of_year, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?(?:[Ff]ull|[Ee]ntire|[Ww]hole)\s+year" + _E),
     _this_year, False),
    # "for the year, sales fell", "nine months of the year.": the current year, where the
    # phrase ends (not "the year before", "the year he left", "the year ended June 30")
    (re.compile(_behind(["for", "of", "in", "during", "throughout"]) + r"the\s+year"
                r"(?=\s*[,.;:]|\s+of\s+\$|\s+by\b)"), _this_year, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Cc]oming\s+(?P<unit>days|weeks|months|years|decades)" + _E),
     _plural_duration, False),
    (re.compile(_behind(["for", "within", "over", "in"])
                + r"(?P<unit>days|weeks|months|years|decades"
                r"|centuries)(?!\s+(?:ago|of|later|earlier|before|after|old))" + _E),
     _plural_duration, False),
    # "months of talks", "years of war": a stretch of unstated length
    (re.compile(r"(?<!\d\s)" + _B + r"(?P<unit>[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears|[Dd]ecades)"
                r"(?=\s+of\s)"), _plural_duration, False),
    (re.compile(_B + r"[Tt]he\s+year\s+(?P<sy>two thousand)(?P<sn>)(?![\s-](?:and\s+)?" + _NUMWORD
                + _E + r")" + _E), _spelled_year, False),
    (re.compile(_B + r"(?P<sy>[Nn]ineteen|[Tt]wo thousand)[\s-](?P<sn>(?:" + _NUMWORD
                + r")(?:[\s-]" + _NUMWORD + r")?)" + _E), _spelled_year, False),
    # sets
    (re.compile(_B + r"(?:[Ee]very|[Ee]ach"
                r"|[Pp]er)\s+(?:single\s+)?" + _UNIT + _E), _set_unit, False),
    (re.compile(r"(?<=\d\s)(?:a|per)\s+" + _UNIT + _E), _set_unit, False),
    (re.compile(_behind(["cents", "dollars", "pounds", "euros", "tonnes", "barrels", "times",
                         "twice", "once", "percent", "million", "billion", "thousand",
                         "hundred"]) + r"(?:a|per)\s+"
                + _UNIT + _E), _set_unit, False),
    # "quarterly" and "annually" are mostly adjectives of money ("quarterly dividend")
    (re.compile(_B + r"(?P<adv>[Dd]aily|[Ww]eekly|[Mm]onthly|[Yy]early|[Hh]ourly"
                r"|[Nn]ightly)" + _E), _set_adverb, False),
    # years
    (re.compile(_B + r"(?:[Ff]iscal(?:\s+year)?)\s+" + _YEAR), _fiscal, False),
    (re.compile(_B + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+)" + _YEAR), _year, False),
    (re.compile(r"(?<=\b[IiOo][nf]\s)" + _YEAR), _year, False),
    (re.compile(_B + _YEAR), _year, True),
    # PRESENT_REF / PAST_REF / FUTURE_REF
    (re.compile(_B + r"(?P<refw>(?:[Rr]ight\s+)?[Nn]ow|[Cc]urrently|[Nn]owadays|[Tt]hese days"
                r"|[Aa]t present"
                r"|[Pp]resently|(?:[Mm]ore\s+)?[Rr]ecently|[Rr]ecent\s+(?:years|days|weeks"
                r"|months)|[Ll]ately"
                r"|[Tt]he past|[Ff]ormerly|[Tt]he (?:near )?future)" + _E
                + r"(?!(?<![Nn]ow)\s+that\b)"),  # "now that ..." is a time, "the past that" no
     _ref_word, False),
]
# fmt: on


def _ref_adj(m: re.Match[str], c: Ctx) -> Norm | None:
    return _ref_word(m, c)


# "current" and "recent", "future" as adjectives ("current quarter" is taken above)
RULES.append(
    (
        re.compile(_B + r"(?P<refw>[Ff]uture)" + _E),
        _ref_adj,
        True,
    )
)
# "current" and "recent" before a noun: the present or recent past as such
RULES.append(
    (
        re.compile(
            _B
            + r"(?<!then )(?P<refw>[Cc]urrent|[Rr]ecent)"
            + _E
            + r"(?!\s+(?:account|accounts|affairs|events|dollars|liabilities|assets))"
        ),
        _ref_adj,
        False,
    )
)

# Words without which a rule cannot match (lower case): the rule is skipped for a text
# that has none of them.
_NEEDS: dict[Handler, tuple[str, ...]] = {
    _century: ("centur",),
    _decade: ("0s", "ties"),
    _season: tuple(SEASONS),
    _holiday: ("christmas", "new year", "fourth", "boxing", "valentine", "halloween",
               "independence", "thanksgiving", "labor", "memorial", "easter", "good friday",
               "may day", "bastille", "remembrance", "veterans"),
    _quarter_h: ("quarter",),
    _year_quarter: ("quarter", "period"),
    _half: ("half",),
    _the_quarter: ("quarter", "period"),
    _year_ago_adj: ("year",),
    _ago: ("ago", "earlier", "from now", "hence"),
    _set_month: ("every", "each"),
    _set_unit: ("every", "each", "per ", "a "),
    _set_adverb: ("daily", "weekly", "monthly", "yearly", "hourly", "nightly"),
    _spelled_year: ("nineteen", "two thousand"),
    _fiscal: ("fiscal",),
    _unit_edge: (" of ",),
    _end_of_year: ("end",),
    _one_year: ("year",),
    _this_year: ("year",),
    _part_of_day: ("morning", "afternoon", "evening", "night"),
    _clock: (".m", "am", "pm", "a m", "p m", "noon", "midnight", "midday"),
    _relative_day: ("yesterday", "today", "tonight", "tomorrow"),
    _weekday: ("day",),
    _month_rel_year: ("this year", "next year", "last year"),
    _plural_duration: ("days", "weeks", "months", "years", "decades", "centuries", "hours"),
    _half_duration: ("1/2", "½", " half"),
}  # fmt: skip

# A header line that is only a timestamp ("2021-March-1  16:17") is not a mention.
_TIMESTAMP_LINE = re.compile(
    r"^[^\S\n]*(?:\d{4}-[A-Za-z]+-\d{1,2}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|"
    r"\d{1,2} [A-Z][a-z]+ \d{4}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:[^\S\n]*[T,]?[^\S\n]*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*[A-Z]{2,4}|\s*[+-]\d{2}:?\d{2})?)?[^\S\n]*$",
    re.MULTILINE,
)
_HEADER_DATE = re.compile(r"^[ \t]*(\d{4})-([A-Za-z]+)-(\d{1,2})\b", re.MULTILINE)
_QUARTER_MENTION = re.compile(
    r"\b(first|second|third|fourth)[\s-]+(?:fiscal[\s-]+)?quarter", re.IGNORECASE
)


def reference_date(article: Article) -> date | None:
    """Publication day: `published`, else a date in the record's metadata, else the header."""
    if article.published is not None:
        return article.published.date()
    meta = article.raw.meta
    for key in ("published", "date", "publish_date", "pubdate"):
        val = meta.get(key)
        if isinstance(val, datetime):
            return val.date()
        if isinstance(val, date):
            return val
        if isinstance(val, str):
            try:
                return datetime.fromisoformat(val.strip().replace("Z", "+00:00")).date()
            except ValueError:
                continue
    found = []
    for m in _HEADER_DATE.finditer(article.text, 0, 200):
        month = MONTHS.get(m[2].lower())
        if month:
            with contextlib.suppress(ValueError):
                found.append(date(int(m[1]), month, int(m[3])))
    return min(found) if found else None  # published precedes updated


def _quarter_focus(text: str, ref: date) -> tuple[int, int] | None:
    """The quarter an earnings story reports: the most named one, in its latest past year."""
    counts: dict[int, int] = {}
    for m in _QUARTER_MENTION.finditer(text):
        q = ("first", "second", "third", "fourth").index(m[1].lower()) + 1
        counts[q] = counts.get(q, 0) + 1
    if not counts:
        return None
    q = max(counts, key=lambda k: counts[k])
    return (ref.year if q < _quarter(ref) else ref.year - 1), q


# Every time expression holds one of these words; the rules run only around them, since
# sixty patterns tried at every character of a story cost more than all the rest.
_ANCHOR_WORDS = frozenset(
    [*UNIT_CODE, *(f"{u}s" for u in UNIT_CODE), "centuries", "half", "period", "ago",
     *SEASONS, "christmas", "easter", "thanksgiving", "halloween", "independence",
     "valentine", "boxing", "bastille", "remembrance", "veterans", "now", "currently",
     "current", "recent", "recently", "lately", "nowadays", "present", "presently", "past",
     "future", "formerly", "daily", "hourly", "weekly", "monthly", "yearly", "nightly", "noon",
     "midnight", "midday", "morning", "afternoon", "evening", "tonight", "today", "tomorrow",
     "yesterday", "overnight", "fiscal", "nineteen", "thousand", "twenties", "thirties",
     "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
)  # fmt: skip
# Month and weekday names count only capitalized, as the rules take them ("may", "march")
_ANCHOR_NAMES = frozenset(
    [*(m.capitalize() for m in MONTHS), *(f"{m.capitalize()}." for m in MONTHS if len(m) <= 4),
     *(w.capitalize() for w in WEEKDAYS), *(f"{w.capitalize()}s" for w in WEEKDAYS)]
)  # fmt: skip
_ANCHOR_TOKEN = re.compile(r"(?:1[5-9]|20)\d\d|['’]\d0s|\d\s?[AaPp]\.?\s?[Mm]\b")
_MARGIN = 80  # characters a match may reach before or after its anchor word


_ANCHOR_HASHES: dict[int, Any] = {}  # per vocabulary: the anchor words' string hashes


def _anchor_hashes(doc: Doc) -> Any:
    key = id(doc.vocab.strings)
    if key not in _ANCHOR_HASHES:
        strings = doc.vocab.strings
        _ANCHOR_HASHES[key] = tuple(
            numpy.array(sorted({strings[w] for w in words}), dtype="uint64")
            for words in (_ANCHOR_WORDS, _ANCHOR_NAMES)
        )
    return _ANCHOR_HASHES[key]


def _windows(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Disjoint stretches of the text around anchor words, where all matches lie.

    Tokens are compared by the hash of their lower-case form on the Doc's arrays (no
    Token objects), numbers by one regex over the text (`text`: the Doc's, which spaCy
    would build again from every token)."""
    arr = doc.to_array([LOWER, ORTH, IDX])
    words, names = _anchor_hashes(doc)
    hits = arr[numpy.isin(arr[:, 0], words) | numpy.isin(arr[:, 1], names), 2].tolist()
    hits += [m.start() for m in _ANCHOR_TOKEN.finditer(text)]
    out: list[tuple[int, int]] = []
    n = len(text)
    for pos in sorted(hits):
        a, b = max(0, pos - _MARGIN), min(n, pos + _MARGIN + 12)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _span_start(m: re.Match[str]) -> int:
    """Where the TIMEX starts: after a leading preposition the pattern consumed."""
    for group in ("pmod", "pre"):
        if group in m.re.groupindex and m.group(group):
            start = m.end(group)
            while start < m.end() and m.string[start].isspace():
                start += 1
            return start
    return m.start()


def _needs_ref(handler: Handler) -> bool:
    return handler not in _ABSOLUTE


def extract_dates(article: Article, doc: Doc) -> list[DateMention]:
    """Every time expression in the text, typed and normalized (TIMEX3)."""
    text = article.text
    ref = reference_date(article)
    taken: list[tuple[int, int]] = [m.span() for m in _TIMESTAMP_LINE.finditer(text, 0, 400)]
    date_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    ctx = Ctx(ref or date(1, 1, 1), doc, text)
    ctx.headline = article.headline_span
    if ref is not None:
        ctx.quarter_focus = _quarter_focus(text, ref)
    out: list[DateMention] = []
    windows = _windows(doc, text)
    low = text.lower()
    for pattern, handler, needs_context in RULES:
        keys = _NEEDS.get(handler)
        if keys is not None and not any(k in low for k in keys):
            continue  # the rule's word is nowhere in the text
        for m in (m for a, b in windows for m in pattern.finditer(text, a, b)):
            s, e = _span_start(m), m.end()
            if s >= e or any(a < e and s < b for a, b in taken):
                continue
            if needs_context and not any(a <= s and e <= b for a, b in date_ents):
                continue
            ctx.span = (s, e)
            if ref is None and _needs_ref(handler):
                norm: Norm | None = Norm(None, None)
                if handler in (_duration_h, _plural_duration, _set_unit, _set_adverb, _ref_word):
                    norm = handler(m, ctx)
            else:
                try:
                    norm = handler(m, ctx)
                except (OverflowError, ValueError):
                    # Arithmetic past year 1 or 9999 (a far-off anchor): the mention
                    # stays, unresolved; it never costs the article.
                    norm = Norm(None, None)
            if norm is None:
                continue
            taken.append((s, e))
            out.append(
                DateMention(
                    span=(s, e),
                    text=text[s:e],
                    value=norm.value,
                    granularity=norm.granularity,
                    modifier=norm.legacy,
                    type=norm.type,
                    mod=norm.mod,
                )
            )
    out.sort(key=lambda d: d.span)
    if _ANAPHOR_CUE.search(low):
        out = _resolve_anaphors(text, out)
    return out


# "the following year", "later that month", "that same day", "the next morning": a time
# told from the story's reference time, the last date it named, not from publication
# (HeidelTime's narrative anchoring)
_ANAPHOR = re.compile(
    _B + r"(?:(?P<el>[Ee]arlier|[Ll]ater)\s+)?(?:(?P<that>[Tt]hat(?:\s+same)?|[Tt]he\s+same)"
    r"|[Tt]he\s+(?P<step>following|next|previous|prior|preceding))\s+"
    r"(?P<unit>year|month|day|morning|afternoon|evening|night)" + _E
)
_ANAPHOR_CUE = re.compile(r"\b(?:that|same|following|next|previous|prior|preceding)\s+"
                          r"(?:year|month|day|morning|afternoon|evening|night)\b")  # fmt: skip
_CALENDAR = re.compile(r"\d{4}(?:-(\d\d)(?:-(\d\d))?)?(?:T|$)")


def _anaphor_value(m: re.Match[str], anchor: str) -> Norm | None:
    """The value of an anaphoric expression from its anchor's value, None when the
    anchor is too coarse ("the following day" after "in 1995")."""
    cal = _CALENDAR.match(anchor)
    if cal is None:
        return None
    g = m.groupdict()
    step = {"following": 1, "next": 1}.get((g["step"] or "").lower(), -1 if g["step"] else 0)
    unit = g["unit"].lower()
    mod = None
    if g.get("el"):
        mod = "START" if g["el"].lower() == "earlier" else "END"
    if unit == "year":
        return Norm(f"{int(anchor[:4]) + step:04d}", "year", mod=mod)
    if unit == "month":
        if cal[1] is None:
            return None
        y, mo = divmod(int(anchor[:4]) * 12 + int(cal[1]) - 1 + step, 12)
        return Norm(f"{y:04d}-{mo + 1:02d}", "month", mod=mod)
    if cal[2] is None:
        return None
    d = date.fromisoformat(anchor[:10]) + timedelta(days=step)
    part = PARTS.get(unit)
    if part:
        return Norm(f"{d.isoformat()}T{part}", "time", "TIME", mod=mod)
    return Norm(d.isoformat(), "day", mod=mod)


def _resolve_anaphors(text: str, found: list[DateMention]) -> list[DateMention]:
    """Add (or put in place of "next day" read from publication) the expressions that
    take the last named date as their anchor."""
    out = list(found)
    for m in _ANAPHOR.finditer(text):
        s, e = m.span()
        inside = [d for d in out if d.span[0] < e and s < d.span[1]]
        if any(d.span[0] < s or d.span[1] > e for d in inside):
            continue  # part of a longer expression
        anchor = next(
            (d.value for d in reversed(out) if d.span[1] <= s and d.value and d.type in (
                "DATE", "TIME") and _CALENDAR.match(d.value)),
            None,
        )  # fmt: skip
        try:
            norm = _anaphor_value(m, anchor) if anchor else None
        except (OverflowError, ValueError):  # "the next day" after 9999-12-31
            norm = None
        if norm is None:
            continue
        out = [d for d in out if d not in inside]
        mention = DateMention(
            span=(s, e), text=text[s:e], value=norm.value, granularity=norm.granularity,
            type=norm.type, mod=norm.mod,
        )  # fmt: skip
        out.insert(next((i for i, d in enumerate(out) if d.span[0] > s), len(out)), mention)
    return out


_ABSOLUTE: frozenset[Handler] = frozenset(
    {_iso_date, _full_date, _month_year_h, _year, _decade, _century, _fiscal}
)
