"""Points on the calendar (TIMEX3 DATE, TIME): the handlers of full and partial dates,
weekdays, clock times, years, decades, seasons, holidays, quarters and halves, and the
PRESENT_REF / PAST_REF / FUTURE_REF words."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from wirescope.extract.dates.anchoring import (
    Ctx,
    Norm,
    _day_in_year,
    _mod_of,
    _month_year,
    _quarter,
    _season_year,
    _shift_month,
    _week,
    _weekday_date,
)
from wirescope.extract.dates.durations import _number, _unit
from wirescope.extract.dates.words import MONTHS, ORDINALS, PARTS, SEASONS, WEEKDAYS


def _sentence(c: Ctx) -> str:
    """The sentence (or headline line) holding the current match."""
    return c.text[slice(*_sentence_bounds(c))]


def _sentence_bounds(c: Ctx) -> tuple[int, int]:
    s, e = c.span
    start = max(c.text.rfind(". ", 0, s), c.text.rfind("\n", 0, s)) + 1
    ends = [k for k in (c.text.find(". ", e), c.text.find("\n", e)) if k >= 0]
    return start, min(ends) if ends else len(c.text)


# A game's periods ("the third quarter", "the second half") are no calendar periods.
_SPORTS = re.compile(
    r"\b(?:scor\w*|points?|touchdowns?|field goals?|goals?|game|match|innings?|halftime"
    r"|half-time|overtime|rebounds?|assists?|quarterback|three-pointers?|basket|lead|led"
    r"|trail\w*|tied|kick-?off|whistle|penalt\w+|yards?|run)\b",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"\$|€|£|%|\b(?:percent|revenue|profit|earnings|sales|fiscal|economy|growth|gdp|shares"
    r"|results|billion|million|quarterly|year-on-year|forecast|output|inflation)\b",
    re.IGNORECASE,
)


def _game_period(c: Ctx) -> bool:
    sentence = _sentence(c)
    return bool(_SPORTS.search(sentence)) and not _MONEY.search(sentence)


_DAY_WORD = re.compile(
    r"\b(?:(?P<rd>yesterday|today|tonight|tomorrow)|(?P<wd>Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday))\b"
)


def _day_of_sentence(c: Ctx) -> date | None:
    """The day a sentence names for its event ("On Tuesday, ... at 5 p.m."), if one."""
    start, end = _sentence_bounds(c)
    found = list(_DAY_WORD.finditer(c.text, start, end))
    if len(found) != 1:
        return None  # none, or two days: the clock's is not told
    m = found[0]
    if m["rd"]:
        return c.ref + timedelta(days=_RD[m["rd"].lower()])
    own, c.span = c.span, m.span()  # the weekday's direction is its own clause's
    try:
        return _weekday_date(WEEKDAYS[m["wd"].lower()], c.ref, c.sign())
    finally:
        c.span = own


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
        # "On Tuesday the crest came at noon": the sentence's day, not publication's
        d = _day_of_sentence(c) or c.ref
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


_FALL_OF = re.compile(r"\s+(?:in|of|from|on|to|at|for|by)\b")


def _season(m: re.Match[str], c: Ctx) -> Norm | None:
    g = m.groupdict()
    plain = not (g.get("year") or g.get("rel") or g.get("every") or g.get("mod"))
    if plain and g["season"].lower() == "fall" and _FALL_OF.match(c.text, m.end()):
        return None  # "the fall in prices", "the fall of the government": no autumn
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
    if not (g.get("year") or g.get("y2") or g.get("rel")) and _game_period(c):
        return None  # "scored 12 points in the third quarter"
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
    if not g.get("year") and _game_period(c):
        return None  # "took the lead early in the second half"
    h = 1 if g["hn"].lower() in ("first", "1st") else 2
    year = int(g["year"]) if g.get("year") else c.ref.year
    if not g.get("year") and c.sign() < 0 and h == 2 and c.ref.month <= 6:
        year -= 1
    return Norm(f"{year:04d}-H{h}", "half")


def _the_quarter(m: re.Match[str], c: Ctx) -> Norm | None:
    """'the quarter', 'the latest quarter': an earnings story's reported quarter."""
    if _game_period(c):
        return None  # "scored 14 points in the quarter"
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
