"""Article structure without NLP: timestamps, headline, dateline, paragraphs.

Wire copy starts with a header block: timestamp lines, then a headline, then
the body, whose first paragraph opens with a dateline (``TEHRAN (FNA)-``). All
of it is found with regular expressions over the text exactly as read; every
span indexes ``raw.text``.
"""

from __future__ import annotations

import email.utils
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from wirescope.reading.cleanup import clean_page
from wirescope.reading.htmlmeta import parse_iso, plausible
from wirescope.record.models import Article, Dateline, RawDocument, Span

HEADLINE_MAX = 150
DATELINE_WINDOW = 3  # how many leading body paragraphs may hold the dateline

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ampm>[AaPp]\.?[Mm]\.?))?"
_TZ = r"(?:\s*(?:[A-Z]{2,5}|GMT|UTC|Z|[+-]\d{2}:?\d{2}))?"
_SEP = r"[\s,]+(?:at\s+)?"
_LABEL = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted|modified)(?:\s+(?:on|at))?\s*:?\s*)",
    re.I,
)
_DAYNAME = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"
# Each form must match a whole (label-stripped) line; groups y/mo/d + optional time.
_TS_FORMS = [
    # 2021-April-17 16:57, 2021-March-1\xa0\xa016:17 (FNA)
    re.compile(rf"(?P<y>\d{{4}})-(?P<mon>{_MONTH})-(?P<d>\d{{1,2}})(?:{_SEP}{_TIME})?{_TZ}", re.I),
    # March 1, 2021 [16:17]
    re.compile(
        rf"{_DAYNAME}(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?:{_SEP}{_TIME})?{_TZ}",
        re.I,
    ),
    # 1 March 2021 [16:17]
    re.compile(
        rf"{_DAYNAME}(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH}),?\s+(?P<y>\d{{4}})(?:{_SEP}{_TIME})?{_TZ}",
        re.I,
    ),
]
# 09.03.2021 [16:17] (dots: day first wherever they are used); 09/03/2021 (slashes: the
# order depends on the outlet, see parse_timestamp)
_NUMERIC = re.compile(
    rf"(?P<a>\d{{1,2}})(?P<sep>[./])(?P<b>\d{{1,2}})(?P=sep)(?P<y>\d{{4}})(?:{_SEP}{_TIME})?{_TZ}"
)
# Agencies that write month/day/year; the others (AA, TASS, IRNA, AFP, dpa ...) day first.
MONTH_FIRST_AGENCIES = frozenset({"AP", "UPI", "Bloomberg", "CNN"})
_AGENCY_MARK = re.compile(r"\(([^()\n]{2,40})\)|/([A-Za-z][A-Za-z\- ]{1,20})/|(Anadolu Agency)")
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_RFC2822 = re.compile(
    r"(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s+"
    r"(?:[+-]\d{4}|[A-Z]{2,4})"
)

# CITY[, Region][, March 1] (Agency) -   e.g. TEHRAN (FNA)-, LONDON, March 1 (Reuters) -
# A place may be two, joined by a slash ("AMMAN/GENEVA"): the first is the dateline's.
_PLACE = r"[A-Z](?:[^\W\d_]|[.'’\- ]){1,40}?(?:/[A-Z][^\W\d_.'’\- ]*(?:[ -][A-Z]\w*)*)?"
# "N.Y." in HEMPSTEAD, N.Y., Sept. 26 (UPI); "Indonesia/JAKARTA" in SURABAYA, Indonesia/JAKARTA
_REGION = r"[A-Z][\w.'/ ]{1,24}?"
_DL_PAREN = re.compile(
    rf"(?P<place>{_PLACE})(?:,\s*(?P<region>{_REGION}))??"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}))?\s*\((?P<agency>[^()\n]{{2,40}})\)"
    r"\s*(?:-{1,2}|—|–|:)"
)
# Aug 27 (Reuters) -   (a date where the place would be: agency only)
_DL_DATE = re.compile(
    rf"(?P<place>{_MONTH}\s+\d{{1,2}})\s*\((?P<agency>[^()\n]{{2,40}})\)\s*(?:-{{1,2}}|—|–)"
)
# MOSCOW, March 1. /TASS/.
_DL_TASS = re.compile(
    rf"(?P<place>{_PLACE}),\s*(?P<date>{_MONTH}\s+\d{{1,2}})\.?\s*"
    r"/(?P<agency>[A-Za-z\- ]{2,20})/\.?"
)
# Tehran, IRNA -   (agency must be a known one)
_DL_COMMA = re.compile(
    rf"(?P<place>{_PLACE}),\s*(?P<agency>[A-Za-z][\w\- ]{{1,30}}?)\s*(?:-{{1,2}}(?=\s)|—|–)"
)
# WASHINGTON —, ALBANY, N.Y. —, KUALA LUMPUR, Nov 22 —   (place in capitals, no agency)
_CAPS_PLACE = r"[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3}(?:/[A-Z][A-Z.'’\-]+)*"
_DL_CAPS = re.compile(
    rf"(?P<place>{_CAPS_PLACE})(?:,\s*(?P<region>[A-Z][\w.'’ ]{{1,24}}?))??"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}))?\s*(?:-{{1,2}}(?=\s)|—|–)"
)
# MUMBAI:   (the Indian and East African style; first paragraph only, see _dateline_at)
_DL_COLON = re.compile(
    rf"(?P<place>{_CAPS_PLACE})(?:,\s*(?P<region>[A-Z][\w.' ]{{1,24}}?))?:(?=\s|$)"
)
# ANKARA alone on a line: Anadolu's style, taken only when the text names Anadolu
_DL_BARE = re.compile(r"(?P<place>[A-Z][A-Z'’\-]+(?: [A-Z][A-Z'’\-]+){0,2})\s*$")
_BYLINE = re.compile(
    r"By\s+[A-Z].{2,60}"
    r"|[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s*[,|/]\s*(?P<outlet>[^,|/]{2,50})"
)
_BYLINE_ROLE = re.compile(
    r"\b(?:press|news|agency|producer|reporter|correspondent|writer|editor|staff"
    r"|contributor|columnist|bureau)\b",
    re.I,
)
# Capitalised kickers that open a paragraph like a place does ("EXCLUSIVE —").
_NOT_PLACES = frozenset(
    [
        "exclusive",
        "update",
        "updated",
        "breaking",
        "analysis",
        "opinion",
        "editorial",
        "commentary",
        "watch",
        "flash",
        "urgent",
        "correction",
        "advisory",
        "letters",
        "abstract",
        "photos",
        "video",
        "live",
        "factbox",
        "explainer",
        # kickers before a colon ("READ MORE: ...")
        "photo",
        "note",
        "editor's note",
        "read more",
        "read also",
        "also read",
        "related",
        "source",
        "sources",
        "warning",
    ]
)
_SMALL_WORDS = frozenset({"de", "da", "do", "del", "la", "le", "of", "on", "upon", "am", "an"})


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # stripped content

    @property
    def blank(self) -> bool:
        return not self.text


def _lines(text: str) -> list[_Line]:
    out = []
    # A JSONL text is kept as its record holds it, so a lone CR (old Mac) or CRLF may
    # end its lines: each counts as one break, offsets into the text unchanged.
    parts = _BREAK.split(text)
    pos = 0
    for raw, brk in zip(parts[0::2], [*parts[1::2], ""], strict=True):
        lead = len(raw) - len(raw.lstrip())
        content = raw.strip()
        out.append(_Line(pos + lead, pos + lead + len(content), content))
        pos += len(raw) + len(brk)
    return out


_BREAK = re.compile(r"(\r\n|\r|\n)")


# ---------------------------------------------------------------- timestamps


def _month(name: str) -> int | None:
    key = name.lower().rstrip(".")
    return _MONTHS.get(key[:4] if key.startswith("sept") else key[:3])


def _from_groups(g: dict[str, str | None], month: int | None = None) -> datetime | None:
    month = month or _month(g.get("mon") or "")
    if month is None:
        return None
    hour = int(g.get("h") or 0)
    ampm = (g.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        return datetime(
            int(g["y"] or 0),
            month,
            int(g["d"] or 0),
            hour,
            int(g.get("mi") or 0),
            int(g.get("s") or 0),
        )
    except ValueError:
        return None


def day_first(text: str) -> bool:
    """Whether the outlet writes numeric dates day first: an agency named near the top
    (a dateline's "(AA)", "/TASS/", "Anadolu Agency") that is not a US one."""
    for m in _AGENCY_MARK.finditer(text, 0, 3000):
        agency = lookup_agency(next(g for g in m.groups() if g))
        if agency is not None:
            return agency.abbr not in MONTH_FIRST_AGENCIES
    return False


def parse_timestamp(line: str, dayfirst: bool = False) -> datetime | None:
    """A whole line as a timestamp, naive as written (any zone dropped), else None.

    Numeric dates: with dots always day first (09.03.2021 is 9 March); with slashes
    day first when `dayfirst`, else month first, unless one part exceeds 12."""
    s = _LABEL.sub("", " ".join(line.split())).strip()
    if not s or len(s) > 60:
        return None
    if _ISO.fullmatch(s):
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return None
    if _RFC2822.fullmatch(s):
        try:
            return email.utils.parsedate_to_datetime(s).replace(tzinfo=None)
        except (TypeError, ValueError):
            return None
    for form in _TS_FORMS:
        m = form.fullmatch(s)
        if m:
            return _from_groups(m.groupdict())
    m = _NUMERIC.fullmatch(s)
    if m:
        a, b = int(m["a"]), int(m["b"])
        first_is_day = m["sep"] == "." or dayfirst or a > 12
        day, month = (a, b) if first_is_day and b <= 12 else (b, a)
        return _from_groups({**m.groupdict(), "d": str(day)}, month)
    return None


def _meta_datetime(meta: dict[str, Any], keys: tuple[str, ...]) -> datetime | None:
    """A stamp from the document's metadata; an ISO stamp keeps its UTC offset."""
    for key in keys:
        value = meta.get(key)
        if isinstance(value, datetime) and plausible(value):
            return value
        ts = parse_iso(value) or parse_timestamp(value) if isinstance(value, str) else None
        if ts is not None and plausible(ts):
            return ts
    return None


# ---------------------------------------------------------------- headline


def _is_headline(line: _Line, following: list[_Line]) -> bool:
    """A short line, not a sentence (no final period), followed by a blank line and body."""
    t = line.text
    if not t or len(t) > HEADLINE_MAX or t.rstrip("'\"’”»)").endswith((".", ":", ";", ",")):
        return False
    if len(t.split()) < 2:
        return False
    if not following or not following[0].blank:
        return False
    return any(not ln.blank for ln in following)


def is_byline(line: str) -> bool:
    """'By Jane Doe' or 'Jane Doe, The Associated Press' (a name, then an outlet or role)."""
    m = _BYLINE.fullmatch(line)
    if not m:
        return False
    outlet = m.group("outlet")
    return outlet is None or bool(_BYLINE_ROLE.search(outlet) or lookup_agency(outlet))


def _meta_headline(meta: dict[str, Any]) -> str | None:
    for key in ("headline", "title"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# ---------------------------------------------------------------- dateline


@dataclass(frozen=True)
class Agency:
    abbr: str
    name: str


@cache
def agency_table() -> dict[str, Agency]:
    """Lower-cased abbreviation, full name and aliases -> Agency (resources/agencies.json)."""
    data = json.loads(
        resources.files("wirescope.resources").joinpath("agencies.json").read_text("utf-8")
    )
    table: dict[str, Agency] = {}
    for row in data["agencies"]:
        agency = Agency(row["abbr"], row["name"])
        for key in (row["abbr"], row["name"], *row.get("aliases", [])):
            table.setdefault(key.lower(), agency)
    return table


def lookup_agency(name: str) -> Agency | None:
    return agency_table().get(" ".join(name.split()).lower())


def title_place(place: str) -> str:
    """'NEW YORK' -> 'New York'; a place already in mixed case is kept as written."""
    place = " ".join(place.split()).strip(" ,.-")
    if not place.isupper():
        return place
    words = []
    for i, word in enumerate(place.lower().split(" ")):
        if i and word in _SMALL_WORDS:
            words.append(word)
        else:
            words.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(words)


def _first_place(place: str) -> str:
    """'AMMAN/GENEVA': a story filed from two places is dated from the first."""
    return place.split("/")[0]


def _dateline_at(text: str, start: int, end: int, colon: bool = False) -> Dateline | None:
    """A dateline opening the paragraph text[start:end], if there is one; with
    `colon`, also a place in capitals before a colon ("MUMBAI: ...")."""
    para = text[start:end]
    for pattern in (_DL_TASS, _DL_PAREN, _DL_DATE, _DL_COMMA):
        m = pattern.match(para)
        if not m:
            continue
        raw_agency = m.group("agency").strip()
        agency = lookup_agency(raw_agency)
        place = m.group("place")
        # Unknown agency: accept only the classic all-capitals place, so that a
        # sentence like "Smith (R-Texas) - ..." is not taken for a dateline.
        if agency is None and (pattern is not _DL_PAREN or not place.strip().isupper()):
            continue
        abbr = agency.abbr if agency else raw_agency
        name = agency.name if agency else None
        span = (start + m.start(), start + m.end())
        where = None if pattern is _DL_DATE else title_place(_first_place(place))
        return Dateline(place=where, agency=abbr, agency_name=name, span=span)
    m = _DL_CAPS.match(para)
    if not m and colon:
        m = _DL_COLON.match(para)
    anadolu = lookup_agency("AA") if "Anadolu Agency" in text else None
    if not m and anadolu is not None:
        m = _DL_BARE.match(para)
    if m and len(m.group("place")) >= 3 and m.group("place").lower() not in _NOT_PLACES:
        return Dateline(
            place=title_place(_first_place(m.group("place"))),
            agency=anadolu.abbr if anadolu else None,
            agency_name=anadolu.name if anadolu else None,
            span=(start + m.start(), start + m.end()),
        )
    return None


def find_dateline(text: str, paragraphs: list[Span]) -> Dateline | None:
    window = paragraphs[:DATELINE_WINDOW]
    # "MUMBAI: ..." opens a story; "SMITH: ..." opening paragraph after paragraph
    # is a transcript's speaker, not a place.
    colon = sum(1 for s, e in window if _DL_COLON.match(text[s:e])) <= 1
    for start, end in window:
        if dl := _dateline_at(text, start, end, colon):
            return dl
    return None


# ---------------------------------------------------------------- paragraphs


def split_paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Spans of the paragraphs in text[start:end], trimmed of surrounding whitespace.

    Blank lines separate paragraphs; when the range has no blank line at all,
    each non-empty line is a paragraph (one-paragraph-per-line wire copy).
    """
    end = len(text) if end is None else end
    chunk = text[start:end]
    # Line breaks as any source writes them: \n, \r\n, or a lone \r.
    blank = r"(?:\r\n?|\n)[^\S\r\n]*(?:\r\n?|\n)"
    sep = blank + r"\s*" if re.search(blank, chunk) else r"\r\n?|\n"
    spans: list[Span] = []
    pos = 0
    for m in [*re.finditer(sep, chunk), None]:
        stop = m.start() if m else len(chunk)
        block = chunk[pos:stop]
        if block.strip():
            lead = len(block) - len(block.lstrip())
            spans.append((start + pos + lead, start + pos + len(block.rstrip())))
        if m:
            pos = m.end()
    return spans


# ---------------------------------------------------------------- article


def parse_article(raw: RawDocument) -> Article:
    """Headline, timestamps, dateline and paragraphs of one document, after page
    junk is blanked out (reading/cleanup.py: same offsets, the article's text is
    the cleaned one)."""
    cleaned = clean_page(raw.text)
    if cleaned != raw.text:
        raw = replace(raw, text=cleaned)
    text = raw.text
    lines = _lines(text)
    stamps: list[datetime] = []
    headline: _Line | None = None
    byline: str | None = None
    body_line = len(lines)
    dayfirst = day_first(text)
    for i, line in enumerate(lines):
        if line.blank:
            continue
        ts = parse_timestamp(line.text, dayfirst)
        if ts is not None:
            if plausible(ts):  # a placeholder stamp line is header matter, no time
                stamps.append(ts)
            continue
        if is_byline(line.text):
            byline = byline or line.text
            continue  # header matter, not body: it holds no quotes
        if headline is None and _is_headline(line, lines[i + 1 :]):
            headline = line
            continue
        body_line = i
        break

    body_start = lines[body_line].start if body_line < len(lines) else len(text)
    body_end = max(body_start, len(text.rstrip()))
    paragraphs = split_paragraphs(text, body_start, body_end)

    published = min(stamps) if stamps else None
    updated = max(stamps) if len(stamps) > 1 else None
    if not stamps and (meta_pub := _meta_datetime(raw.meta, _PUBLISHED_KEYS)):
        # A page's own stamps (with time and zone) or the caller's --published
        published = meta_pub
        meta_upd = _meta_datetime(raw.meta, _UPDATED_KEYS)
        updated = meta_upd if meta_upd is not None and meta_upd != meta_pub else None

    if headline is not None:
        title: str | None = headline.text
        title_span: Span | None = (headline.start, headline.end)
    else:
        # A title from metadata is not located in the text: the body keeps all of it.
        title, title_span = _meta_headline(raw.meta), None

    return Article(
        raw=raw,
        headline=title,
        headline_span=title_span,
        published=published,
        updated=updated,
        dateline=find_dateline(text, paragraphs),
        byline=byline,
        body_span=(body_start, body_end),
        paragraphs=paragraphs,
    )


_PUBLISHED_KEYS = ("published", "publication_date", "date", "date_published", "datePublished")
_UPDATED_KEYS = ("updated", "modified", "date_modified", "dateModified")
