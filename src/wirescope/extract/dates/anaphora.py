"""Anaphoric times ("the following day", "later that month") anchored on the last
date the story named, not on publication (HeidelTime's narrative anchoring)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from wirescope.extract.dates.anchoring import Norm
from wirescope.extract.dates.words import _B, _E, PARTS
from wirescope.record.models import DateMention

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
