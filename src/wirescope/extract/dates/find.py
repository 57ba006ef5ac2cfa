"""Recognition over a story: its reference day, the windows around anchor words where
the rules run, and extract_dates."""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import numpy
from spacy.attrs import IDX, LOWER, ORTH
from spacy.tokens import Doc

from wirescope.extract.dates.anaphora import _ANAPHOR_CUE, _resolve_anaphors
from wirescope.extract.dates.anchoring import Ctx, Handler, Norm, _quarter, clause_sign
from wirescope.extract.dates.durations import _duration_h, _plural_duration, _set_adverb, _set_unit
from wirescope.extract.dates.points import _month_day, _ref_word
from wirescope.extract.dates.rules import _ABSOLUTE, _NEEDS, RULES
from wirescope.extract.dates.words import MONTHS, SEASONS, UNIT_CODE, WEEKDAYS
from wirescope.record.models import Article, DateMention

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


# A page's placeholder stamp ("0001-01-01T00:00:00", an unset CMS field) is no
# publication day: nothing is anchored on it, and a weekday before it is no date at all.
_FIRST_YEAR = 1800


def _plausible(d: date) -> date | None:
    return d if d.year >= _FIRST_YEAR else None


def reference_date(article: Article) -> date | None:
    """Publication day: `published`, else a date in the record's metadata, else the header."""
    if article.published is not None and _plausible(article.published.date()):
        return article.published.date()
    meta = article.raw.meta
    for key in ("published", "date", "publish_date", "pubdate"):
        val = meta.get(key)
        day: date | None = None
        if isinstance(val, datetime):
            day = val.date()
        elif isinstance(val, date):
            day = val
        elif isinstance(val, str):
            with contextlib.suppress(ValueError):
                day = datetime.fromisoformat(val.strip().replace("Z", "+00:00")).date()
        if day is not None and _plausible(day):
            return day
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


# "In 2019, ...", "On March 3, 2019, ...": the year a paragraph's story is set in. A
# year inside a clause ("a program approved in 1987 that ...") sets nothing.
_SET_IN_YEAR = re.compile(r"(?:^|[.!?]\s+)In\s+$")
_YEAR_OR_DAY = re.compile(r"(\d{4})(?:-\d{2}-\d{2})?")


def _in_story_year(
    doc: Doc, found: list[DateMention], month_days: set[tuple[int, int]], ref: date
) -> list[DateMention]:
    """A month-day without a year in a paragraph set in a past year ("In 2019, she moved
    to Ohio. On July 8, ...") is that year's day, not the publication year's: the year
    of the nearest earlier full date, or "In <year>" opening a sentence, of the same
    paragraph, when that year is before the publication's, the day falls after that
    date and its clause does not look ahead ("will be heard on Feb. 2")."""
    text = doc.text
    out: list[DateMention] = []
    setting: tuple[int, str] | None = None  # (paragraph start, value) of the last setter
    for d in found:
        para = text.rfind("\n", 0, d.span[0]) + 1
        if setting is not None and setting[0] != para:
            setting = None
        value = d.value or ""
        if d.span not in month_days:
            written = re.search(r"\b\d{4}\b", d.text) is not None
            before = text[max(para, d.span[0] - 6) : d.span[0]]
            if (
                written
                and _YEAR_OR_DAY.fullmatch(value)
                and (len(value) == 10 or _SET_IN_YEAR.search(before))
            ):
                setting = (para, value)
            out.append(d)
            continue
        if (
            setting is not None
            and len(value) == 10
            and int(setting[1][:4]) < ref.year
            and clause_sign(doc, *d.span) <= 0
        ):
            with contextlib.suppress(ValueError):
                moved = date(int(setting[1][:4]), int(value[5:7]), int(value[8:10]))
                if moved.isoformat() >= setting[1][:10]:
                    d = replace(d, value=moved.isoformat())
        out.append(d)
    return out


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
    month_days: set[tuple[int, int]] = set()  # "July 8": a day whose year is not written
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
            if handler is _month_day:
                month_days.add((s, e))
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
    if ref is not None and month_days:
        out = _in_story_year(doc, out, month_days, ref)
    if _ANAPHOR_CUE.search(low):
        out = _resolve_anaphors(text, out)
    return out
