"""Page junk blanked out before extraction: hover cards, share and follow lines,
credit lines ("Reporting by ...", "... contributed to this report"), photo credits
and "Story continues below advertisement".

Web pages turned into text carry these; left in, they become quotes ("MORE"), people
named in credits, and lines that hide the dateline. Each removed character becomes a
space (a line break stays a line break), so every offset into the text still points
at the same character: the record's `text` is the cleaned text, which is what was
analysed, and offsets into the source hold for it too.
"""

from __future__ import annotations

import re

# "Rep. Ilhan OmarIlhan OmarHillicon Valley: ... MORE (D-Minn.)": a hover card repeats
# the linked name glued to it, then a teaser headline ending in "MORE".
_HOVER_CARD = re.compile(
    r"(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3})"
    r"(?P<card>(?P=name)(?:[^\n]{0,400}?)\bMORE\b)"
)
_SHARE_WORDS = frozenset(
    [
        "tweet",
        "share",
        "this",
        "email",
        "e-mail",
        "follow",
        "us",
        "on",
        "pin",
        "it",
        "whatsapp",
        "facebook",
        "twitter",
        "x",
        "linkedin",
        "reddit",
        "print",
        "copy",
        "link",
        "comment",
        "comments",
        "save",
        "flipboard",
        "messenger",
        "sms",
        "telegram",
        "article",
    ]
)
_SHARE_SEPARATORS = re.compile(r"[-–—•·|/*:]+")
_CREDIT_LINE = re.compile(
    r"""^\s*\(?\s*(?:
        (?:additional\s+)?reporting\s+by\b
      | (?:writing|editing|compiled|produced)\s+by\b
      | [^\n.!?"“”]{0,200}?\bcontributed
        (?:\s+(?:to|reporting\s+to)\s+this\s+(?:report|story|article))?[.)\s]*$
      | (?:photo|image|picture|video)s?\s*(?:copyright|credit|by|:)[^\n]{0,120}$
      | story\s+continues\s+below\s+advertisement\s*$
    )""",
    re.I | re.X,
)
_MAX_CREDIT_WORDS = 40


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n\r":
            chars[i] = " "


def _is_share_line(line: str) -> bool:
    words = _SHARE_SEPARATORS.sub(" ", line).lower().split()
    return bool(words) and len(line) <= 80 and all(w in _SHARE_WORDS for w in words)


def _is_credit_line(line: str) -> bool:
    return len(line.split()) <= _MAX_CREDIT_WORDS and bool(_CREDIT_LINE.match(line))


def junk_spans(text: str) -> list[tuple[int, int]]:
    """The spans `clean_page` blanks, in order."""
    spans = [(m.start("card"), m.end("card")) for m in _HOVER_CARD.finditer(text)]
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip() and (_is_share_line(body) or _is_credit_line(body)):
            spans.append((pos, pos + len(body)))
        pos += len(line)
    return sorted(spans)


def clean_page(text: str) -> str:
    """`text` with page junk replaced by spaces: same length, same offsets."""
    spans = junk_spans(text)
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        _blank(chars, s, e)
    return "".join(chars)
