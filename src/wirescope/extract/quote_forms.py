"""Quotes of fixed forms: "according to X", the headline form "Official: ...",
and transcripts ("NAME: words" lines).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from wirescope.extract.lexicon import (
    HEADLINE_ROLES,
)
from wirescope.extract.quote_base import (
    SpanSet,
    TokenIndex,
    has_words,
    mention_span,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Cue, Quote, SpeakerRef

# Headline prefixes that are labels, not speakers ("UPDATE: ...").
_HEADLINE_LABELS = {
    "update",
    "breaking",
    "analysis",
    "opinion",
    "watch",
    "video",
    "live",
    "exclusive",
    "editorial",
    "comment",
    "review",
    "interview",
    "photos",
    "explainer",
    "factbox",
    "timeline",
    "q&a",
    "correction",
    "read",
    "listen",
    "podcast",
    "poll",
    "the latest",
}


_HEADLINE_RE = re.compile(r"^(?P<spk>[A-Z][^:]{0,60}?)\s*:\s+(?P<q>\S.*\S)\s*$")


def according_to_quotes(idx: TokenIndex, taken: SpanSet) -> list[Quote]:
    doc = idx.doc
    text = doc_text(doc)
    out: list[Quote] = []
    for tok in doc:
        found = according_source(tok)
        if found is None or taken.holds(tok.idx):
            continue
        src, (start, end) = found
        if not has_words(text, start, end, 3):
            continue
        s, e = mention_span(src)
        out.append(
            Quote(
                id="",
                span=(start, end),
                text=text[start:end],
                kind="indirect",
                cue=according_cue(tok),
                speaker=SpeakerRef(span=(s, e), text=text[s:e]),
                confidence=0.75,
            )
        )
    return out


def according_source(tok: Token) -> tuple[Token, tuple[int, int]] | None:
    """'According to X, ...' / '..., according to X': X and the larger side of the
    sentence, when `tok` is the "according" of that phrase."""
    doc = tok.doc
    if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
    if not objs:
        return None
    src = objs[0]
    text = doc_text(doc)
    sent = tok.sent
    left = _trim_punct(text, sent.start_char, tok.idx)
    right = _trim_punct(text, src.right_edge.idx + len(src.right_edge.text), sent.end_char)
    return src, max((left, right), key=lambda se: se[1] - se[0])


def according_cue(tok: Token) -> Cue:
    to = tok.doc[tok.i + 1]
    return Cue(span=(tok.idx, to.idx + len(to.text)), text="according to", lemma="according to")


def _trim_punct(text: str, start: int, end: int) -> tuple[int, int]:
    strip = " \t\n,;:—–-."
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


_TRANSCRIPT = re.compile(
    r"[\"“]?(?P<spk>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):[ \t]+(?P<q>\S.*\S)[ \t]*$"
)


def transcript_quotes(article: Article, doc: Doc, quotes: list[Quote]) -> list[Quote]:
    """'WALLACE: Let's start with ...' / '"PENCE: Well, look, ...': a transcript's
    lines, each a direct quote by the labelled speaker, whose surname must name a
    person in the story ("KEEPING SCORE:", "ENERGY:" head sections of market
    reports). Two such paragraphs at least: a transcript is a sequence."""
    text = article.text
    surnames = {e[-1].lower_ for e in doc.ents if e.label_ == "PERSON"}
    lines: list[Quote] = []
    for p0, p1 in article.paragraphs:
        m = _TRANSCRIPT.match(text, p0, p1)
        if not m or m.group("spk").split()[-1].lower() not in surnames:
            continue
        q0, q1 = m.span("q")
        lines.append(
            Quote(
                id="",
                span=(q0, q1),
                text=text[q0:q1],
                kind="direct",
                cue=Cue(span=(m.end("spk"), m.end("spk") + 1), text=":", lemma=":"),
                speaker=SpeakerRef(span=m.span("spk"), text=m.group("spk"), mention_type="name"),
                confidence=0.8,
            )
        )
    if len(lines) < 2:
        return quotes
    spans = SpanSet(q.span for q in lines)
    kept = [q for q in quotes if not spans.overlaps(q.span)]
    return kept + lines


def _title_line(article: Article) -> tuple[int, int] | None:
    """Where a title given beside the text (metadata) opens the text as its first
    line, ending in a period the title lacks (PolNeAR's texts)."""
    if not article.paragraphs or not article.headline:
        return None
    p0, p1 = article.paragraphs[0]
    line = article.text[p0:p1]
    if "\n" in line or line.rstrip().rstrip(".") != article.headline.rstrip().rstrip("."):
        return None
    return p0, p1


def headline_quote(article: Article) -> Quote | None:
    """ "Official: Liberation of X should ..." -> an indirect quote by "Official"."""
    if not article.headline:
        return None
    span = article.headline_span or _title_line(article)
    if span is None:
        return None
    m = _HEADLINE_RE.match(article.headline)
    if not m:
        return None
    spk = m.group("spk")
    words = spk.split()
    if len(words) > 5 or spk.lower() in _HEADLINE_LABELS or words[0].lower() in _HEADLINE_LABELS:
        return None
    if not (words[-1].lower() in HEADLINE_ROLES or all(w[0].isupper() for w in words)):
        return None
    base = span[0] + (len(article.headline) - len(article.headline.lstrip()))
    s0, s1 = base + m.start("spk"), base + m.end("spk")
    q0, q1 = base + m.start("q"), base + m.end("q")
    colon = article.text.index(":", s1)
    text = article.text
    return Quote(
        id="",
        span=(q0, q1),
        text=text[q0:q1],
        kind="indirect",
        cue=Cue(span=(colon, colon + 1), text=":", lemma=":"),
        speaker=SpeakerRef(span=(s0, s1), text=text[s0:s1], mention_type="nominal"),
        confidence=0.6,
    )
