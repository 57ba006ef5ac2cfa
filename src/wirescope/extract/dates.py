"""Dates normalized against the article's publication time.

Rules over precompiled regexes, not a date library: they run for every
article and cost well under a millisecond, where dateparser or Recognizers
cost tens.  Values are TIMEX3-like and never invent precision: a month stays
"2020-09", a decade "199", a century "19"; relative forms ("on Monday",
"early November") resolve to the most recent such time on or before the
publication day.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from spacy.tokens import Doc

from wirescope.record.models import Article, DateMention, Granularity

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
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def _ci(word: str) -> str:
    """A word with its first letter in either case ("[Ee]arly"): month names stay capitalized."""
    return f"[{word[0].upper()}{word[0].lower()}]{word[1:]}"


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


# Month names must be capitalized: "may" and "march" are also verbs.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
    r"Nov\.?|Dec\.?)(?![a-z])"
)
_MOD = (
    r"(?P<mod>" + _alt([_ci(w) for w in ("early", "mid", "late")])
    + r"|[Tt]he\s+(?:end|beginning|start|middle)\s+of|[Mm]id-)"
)  # fmt: skip
_PREP_MOD = r"(?P<pmod>" + _alt([_ci(w) for w in ("since", "before", "after", "until", "by")]) + ")"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)(?!\d|,\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))"
_REL = r"(?P<rel>" + _alt([_ci(w) for w in ("last", "next", "this", "on", "past")]) + r")\s+"
_B = r"(?<![\w-])"  # word start that is not inside "re-1992" or a number

Handler = Callable[[re.Match[str], date], tuple[str, Granularity | None, str | None] | None]


_MOD_WORDS = (("end", "late"), ("beginning", "early"), ("start", "early"), ("middle", "mid"))


def _mod(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    raw = groups.get("mod") or groups.get("pmod")
    if not raw:
        return None
    raw = raw.lower().rstrip("-")
    for key, val in _MOD_WORDS:
        if key in raw:
            return val
    return raw


def _past_month(month: int, ref: date, rel: str | None = None) -> int:
    """The year of the most recent `month` on or before `ref` ("next" looks forward)."""
    if rel == "next":
        return ref.year if month > ref.month else ref.year + 1
    if rel == "last":
        return ref.year if month < ref.month else ref.year - 1
    return ref.year if month <= ref.month else ref.year - 1


def _full_date(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    g = m.groupdict()
    month = MONTHS[g["month"].lower().rstrip(".")]
    day, year = int(g["day"]), int(g["year"])
    try:
        return date(year, month, day).isoformat(), "day", None
    except ValueError:
        return None


def _iso_date(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    try:
        d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return d.isoformat(), "day", None


def _month_day(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    month, day = MONTHS[m["month"].lower().rstrip(".")], int(m["day"])
    # No year: the nearest such day to publication (wires report both past and coming days).
    best = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((d - ref).days) < abs((best - ref).days):
            best = d
    return (best.isoformat(), "day", None) if best else None


def _month_year(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    return f"{int(m['year']):04d}-{month:02d}", "month", _mod(m)


def _month_only(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    month = MONTHS[m["month"].lower().rstrip(".")]
    rel = (m.groupdict().get("rel") or "").lower() or None
    year = _past_month(month, ref, rel)
    return f"{year:04d}-{month:02d}", "month", _mod(m)


def _weekday(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    wd = WEEKDAYS[m["wd"].lower()]
    rel = (m.groupdict().get("rel") or "").lower()
    if rel == "next":
        delta = (wd - ref.weekday()) % 7 or 7
        return (ref + timedelta(days=delta)).isoformat(), "day", None
    back = (ref.weekday() - wd) % 7
    if rel == "last" and back == 0:
        back = 7
    return (ref - timedelta(days=back)).isoformat(), "day", None


def _year(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    return m["year"], "year", _mod(m)


def _decade(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    raw = m["dec"]
    if len(raw) == 2:  # "the '90s"
        raw = ("19" if int(raw) > (ref.year % 100) else "20") + raw
    return raw[:3], "decade", _mod(m)


def _century(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    n = m["cnum"].lower()
    num = ORDINALS.get(n) or int(re.sub(r"\D", "", n) or 0)
    if not 1 <= num <= 22:
        return None
    return f"{num - 1:02d}", "century", _mod(m)


def _relative_day(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    word = m["rd"].lower()
    delta = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[word]
    return (ref + timedelta(days=delta)).isoformat(), "day", None


def _relative_unit(
    m: re.Match[str], ref: date
) -> tuple[str, Granularity | None, str | None] | None:
    rel, unit = m["rel"].lower(), m["unit"].lower()
    step = {"last": -1, "past": -1, "next": 1, "this": 0, "on": 0}[rel]
    if unit == "year":
        return f"{ref.year + step:04d}", "year", None
    if unit == "month":
        y, mo = divmod(ref.year * 12 + ref.month - 1 + step, 12)
        return f"{y:04d}-{mo + 1:02d}", "month", None
    d = ref + timedelta(weeks=step)
    iy, iw, _ = d.isocalendar()
    return f"{iy:04d}-W{iw:02d}", None, None  # a week: TIMEX3 week value, no day invented


def _ago(m: re.Match[str], ref: date) -> tuple[str, Granularity | None, str | None] | None:
    n_raw = m["n"].lower()
    n = NUMBER_WORDS.get(n_raw) or (int(n_raw) if n_raw.isdigit() else 0)
    unit = m["unit"].lower().rstrip("s")
    if unit == "day":
        return (ref - timedelta(days=n)).isoformat(), "day", "approx"
    if unit == "week":
        return (ref - timedelta(weeks=n)).isoformat(), "day", "approx"
    if unit == "month":
        y, mo = divmod(ref.year * 12 + ref.month - 1 - n, 12)
        return f"{y:04d}-{mo + 1:02d}", "month", "approx"
    return f"{ref.year - n:04d}", "year", "approx"


_NUM = r"(?P<n>\d{1,3}|" + _alt([_ci(w) for w in NUMBER_WORDS]) + ")"
_CENT = (
    r"(?P<cnum>\d{1,2}(?:st|nd|rd|th)|"
    + _alt([_ci(w) for w in sorted(ORDINALS, key=len, reverse=True)])
    + ")"
)

# fmt: off
# Ordered: the first rule to claim characters wins, so longer forms come first.
RULES: list[tuple[re.Pattern[str], Handler, bool]] = [
    # (pattern, handler, needs a date context: a preposition or a spaCy DATE entity)
    (re.compile(_B + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"), _iso_date, False),
    (re.compile(_B + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR), _full_date, False),
    (re.compile(_B + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR), _full_date, False),
    (
        re.compile(_B + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|" + _PREP_MOD + r"\s+(?:[Tt]he\s+)?|"
                   r"[Tt]he\s+)?" + _CENT
                   + r"[\s-]+[Cc]entury"),
        _century,
        False,
    ),
    (
        re.compile(_B + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|" + _PREP_MOD + r"\s+(?:[Tt]he\s+)?|"
                   r"[Tt]he\s+)(?P<dec>1[5-9]\d0|20\d0|['’]\d0)s\b"),
        _decade,
        False,
    ),
    (
        re.compile(_B + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+)?" + _MONTH + r",?\s+"
                   + r"(?:of\s+)?" + _YEAR),
        _month_year,
        False,
    ),
    (re.compile(_B + _MONTH + r"\s+" + _DAY + r"(?![\d:])"), _month_day, False),
    (re.compile(_B + r"(?:" + _REL + r")?" + _WEEKDAY + _PART + "?"), _weekday, False),
    (
        re.compile(_B + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+|(?P<rel>[Ll]ast|[Nn]ext|"
                   r"[Tt]his)\s+)" + _MONTH),
        _month_only,
        False,
    ),
    (re.compile(r"(?<=\b[Ii]n\s)" + _MONTH + r"(?!\s+\d)"), _month_only, False),
    (
        re.compile(_B + r"(?P<rd>[Yy]esterday|[Tt]oday|[Tt]onight|[Tt]omorrow)\b"),
        _relative_day,
        False,
    ),
    (
        re.compile(_B + r"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast)\s+(?P<unit>week|month|year)\b"),
        _relative_unit,
        False,
    ),
    (
        re.compile(_B + _NUM + r"\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b"),
        _ago,
        False,
    ),
    (re.compile(_B + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+)" + _YEAR), _year, False),
    (re.compile(r"(?<=\b[IiOo][nf]\s)" + _YEAR), _year, False),
    (re.compile(_B + _YEAR), _year, True),
]
# fmt: on

# A header line that is only a timestamp ("2021-March-1  16:17") is not a mention.
_TIMESTAMP_LINE = re.compile(
    r"^[^\S\n]*(?:\d{4}-[A-Za-z]+-\d{1,2}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2},? \d{4}|"
    r"\d{1,2} [A-Z][a-z]+ \d{4})"
    r"(?:[^\S\n]*[T,]?[^\S\n]*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*[A-Z]{2,4}|\s*[+-]\d{2}:?\d{2})?)?[^\S\n]*$",
    re.MULTILINE,
)
_HEADER_DATE = re.compile(r"^[ \t]*(\d{4})-([A-Za-z]+)-(\d{1,2})\b", re.MULTILINE)


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


def extract_dates(article: Article, doc: Doc) -> list[DateMention]:
    """Every date mention in the text with a normalized value."""
    text = article.text
    ref = reference_date(article)
    taken: list[tuple[int, int]] = [m.span() for m in _TIMESTAMP_LINE.finditer(text, 0, 400)]
    date_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
    out: list[DateMention] = []
    for pattern, handler, needs_context in RULES:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            if needs_context and not any(a <= s and e <= b for a, b in date_ents):
                continue
            if ref is None and handler not in _ABSOLUTE:
                norm = None
            else:
                norm = handler(m, ref or date.min)
                if norm is None:
                    continue
            taken.append((s, e))
            value, gran, mod = norm if norm else (None, None, None)
            out.append(DateMention(span=(s, e), text=m.group(), value=value, granularity=gran,
                                   modifier=mod))  # fmt: skip
    out.sort(key=lambda d: d.span)
    return out


_ABSOLUTE: frozenset[Handler] = frozenset(
    {_iso_date, _full_date, _month_year, _year, _decade, _century}
)
