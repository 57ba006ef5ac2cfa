"""Page junk blanked out before extraction: hover cards, share and follow lines,
credit lines ("Reporting by ...", "... contributed to this report"), photo credits
and "Story continues below advertisement"; and where related-story teasers are
("Read more: ...", "You might also like" and the headlines listed under it), which
the quote finder skips (`teaser_spans`: blanked, a teaser line would turn the page's
one-paragraph-per-line layout into blank-line paragraphs).

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

# A teaser label: "Read more: <headline>" on one line, or alone as a heading over a
# list of headlines ("You might also like", "Related stories").
_TEASER_LABEL = (
    r"(?:you\s+(?:might|may)\s+also\s+(?:like|enjoy|be\s+interested\s+in)"
    r"|(?:read|see|watch)\s+(?:more|also|next)|also\s+(?:read|see|watch)"
    r"|related(?:\s+(?:stories|articles|coverage|content|news|reading|links|topics))?"
    r"|more\s+(?:stories|on\s+this\s+(?:story|topic)|from\s+[\w .'’&-]{2,40})"
    r"|recommended(?:\s+(?:stories|for\s+you|reading))?|most\s+(?:read|popular|viewed)"
    r"|top\s+stories|trending(?:\s+now)?|editor['’]s\s+picks|in\s+other\s+news)"
)
_TEASER_LINE = re.compile(rf"^\s*{_TEASER_LABEL}\s*:\s*\S[^\n]*$", re.I)
_TEASER_HEADING = re.compile(rf"^\s*{_TEASER_LABEL}\s*:?\s*$", re.I)
_MAX_TEASER_WORDS = 30  # a "Read more: ..." line longer than this is a sentence
_MAX_TEASERS = 10  # headlines blanked under one heading


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\n\r":
            chars[i] = " "


def _is_share_line(line: str) -> bool:
    words = _SHARE_SEPARATORS.sub(" ", line).lower().split()
    return bool(words) and len(line) <= 80 and all(w in _SHARE_WORDS for w in words)


def _is_credit_line(line: str) -> bool:
    return len(line.split()) <= _MAX_CREDIT_WORDS and bool(_CREDIT_LINE.match(line))


def _is_teaser_line(line: str) -> bool:
    return len(line.split()) <= _MAX_TEASER_WORDS and bool(_TEASER_LINE.match(line))


def _is_headline(line: str) -> bool:
    """A teaser's headline: short, not a sentence ending in a full stop."""
    words = line.split()
    end = line.rstrip().rstrip("\"'’”»)")
    return 0 < len(words) <= 20 and not end.endswith((".", ":", ";", ","))


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


def teaser_spans(text: str) -> list[tuple[int, int]]:
    """The lines of related-story teasers, in order: "Read more: <headline>", and a
    "You might also like" heading with the short headlines listed under it."""
    spans: list[tuple[int, int]] = []
    pos = 0
    teasers = 0  # headlines still to take under a teaser heading
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if not body.strip():
            pos += len(line)
            continue
        if teasers and _is_headline(body):
            teasers -= 1
            spans.append((pos, pos + len(body)))
        elif _TEASER_HEADING.match(body):
            teasers = _MAX_TEASERS
            spans.append((pos, pos + len(body)))
        else:
            teasers = 0
            if _is_teaser_line(body):
                spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def clean_page(text: str) -> str:
    """`text` with page junk replaced by spaces: same length, same offsets."""
    spans = junk_spans(text)
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        _blank(chars, s, e)
    return "".join(chars)
