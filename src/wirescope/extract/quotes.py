"""Quotes: direct (quotation marks), indirect (a cue verb's clausal complement),
mixed (an indirect clause holding a quoted fragment), "according to X" and the
headline form "Official: ...". Each quote gets its cue and the mention of its
speaker; resolving that mention to a person is attribution/'s job (over the
people mentions.py finds).

With `stances` (PolNeAR's scope: every attribution, beliefs, stances and polls too)
a trained cue model (cue_model.py) adds the attributions the rules missed: a cue
it scores at or above its threshold, the content that cue governs (`model_content`)
and its source (`model_source`). In the default scope it adds only speech verbs
that report a clause or an infinitive ("urged the province to ...").

This module puts the sources of quotes together; each lives in its own module:
quote_marks.py (quotation marks: direct quotes), quote_cues.py (cue verbs and the
cue model: indirect, mixed, stances), quote_forms.py ("according to", the headline,
transcripts), over what they share in quote_base.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from spacy.tokens import Doc

from wirescope.errors import TooManyQuoteMarks
from wirescope.extract.cue_model import CueModel
from wirescope.extract.lexicon import (
    FRAMING_VERBS,
    NAMING_VERBS,
    PRONOUNS,
)
from wirescope.extract.quote_base import (
    MARKS,
    SpanSet,
    TokenIndex,
    dedupe,
    speaker_ref,
)
from wirescope.extract.quote_cues import (
    indirect_quotes,
    model_quotes,
    naming_quotes,
    stance_quotes,
)
from wirescope.extract.quote_forms import (
    according_to_quotes,
    headline_quote,
    transcript_quotes,
)
from wirescope.extract.quote_marks import (
    direct_quotes,
    double_apostrophes,
    find_pieces,
)
from wirescope.nlp.parse import doc_text
from wirescope.reading.cleanup import teaser_spans
from wirescope.record.models import Article, Quote, SpeakerRef

# More quotation marks than this in one article is no news story (the longest
# dev-corpus story has a few hundred): the finder refuses it rather than spend
# its time; the time grows about linearly below the cap (benchmarks/quote_marks.py).
MAX_QUOTE_MARKS = 20_000


def check_quote_marks(text: str) -> None:
    """Raise TooManyQuoteMarks for a text with more marks than the finder takes (the
    pipeline asks before parsing, so a bomb costs no parse)."""
    marks = sum(text.count(m) for m in MARKS) + text.count("''")
    if marks > MAX_QUOTE_MARKS:
        raise TooManyQuoteMarks(
            f"{marks:,} quotation marks, more than the {MAX_QUOTE_MARKS:,} "
            "the quote finder takes in one article"
        )


def extract_quotes(
    article: Article, doc: Doc, stances: bool = False, cue_model: CueModel | None = None
) -> list[Quote]:
    """All quotes of an article in text order, ids q1, q2, ...; with `stances`,
    also stances, intentions and beliefs ("vowed to ...", "called for ...",
    "feared that ..."), and the attributions `cue_model` finds that the rules
    missed (the caller passes it: build_record gives the shipped one; None: the
    rules alone)."""
    check_quote_marks(article.text)
    idx = TokenIndex(doc)
    paragraphs = article.paragraphs or [(0, len(article.text))]
    body_paras = [p for p in paragraphs if p[0] >= article.body_span[0]] or paragraphs
    art = article if body_paras is paragraphs else replace(article, paragraphs=body_paras)
    pieces = find_pieces(double_apostrophes(article.text), body_paras)
    direct = direct_quotes(idx, art, pieces)
    indirect, absorbed = indirect_quotes(idx, direct, pieces, body_paras, article, beliefs=stances)
    quotes = [q for k, (q, _) in enumerate(direct) if k not in absorbed]
    for q in dedupe(indirect):
        q.text = doc_text(doc)[q.span[0] : q.span[1]]
        quotes.append(q)
    taken = SpanSet(q.span for q in quotes)
    quotes.extend(q for q in according_to_quotes(idx, taken) if not taken.overlaps(q.span))
    floor = article.dateline.span[1] if article.dateline and article.dateline.span else 0
    if stances:
        quotes.extend(stance_quotes(idx, SpanSet(q.span for q in quotes), floor))
        if cue_model is not None:
            quotes.extend(model_quotes(idx, quotes, body_paras, floor, cue_model))
    else:
        # 'calling it a "global takeover"': words put in quotation marks by a source.
        taken = SpanSet(q.span for q in quotes)
        # 'casting itself as "the party of workers"', 'pledging to "respect the vote"'.
        framing = NAMING_VERBS | FRAMING_VERBS
        quotes.extend(stance_quotes(idx, taken, floor, framing, quoted_only=True))
        quotes.extend(naming_quotes(idx, SpanSet(q.span for q in quotes), floor))
        if cue_model is not None:
            # Speech verbs the rules' list lacks ("contended that", "urged X to").
            quotes.extend(model_quotes(idx, quotes, body_paras, floor, cue_model, True))
    quotes = transcript_quotes(art, doc, quotes)
    head = headline_quote(article)
    if head is not None and not SpanSet(q.span for q in quotes).overlaps(head.span):
        quotes.append(head)
    breaks = [m.start() for m in re.finditer("\n", article.text)]
    teasers = SpanSet(teaser_spans(article.text))  # "You might also like" and its list
    quotes = [
        q
        for q in quotes
        if not _in_teaser(article.text, q.span[0], breaks) and not teasers.holds(q.span[0])
    ]
    quotes.sort(key=lambda q: q.span)
    _clip_speakers(quotes, article, idx)
    for n, q in enumerate(quotes, 1):
        q.id = f"q{n}"
        if q.speaker is not None:
            low = q.speaker.text.lower()
            if low in PRONOUNS:
                q.speaker.mention_type = "pronoun"
    return quotes


# Link teasers inside web copy ("READ MORE: Trudeau says ...") are headlines of
# other stories, not speech reported in this one.
_TEASER = re.compile(r"(?:READ MORE|MORE|RELATED|WATCH|LISTEN|SEE ALSO|ALSO READ)\s*:", re.I)


def _in_teaser(text: str, pos: int, breaks: list[int]) -> bool:
    k = bisect_left(breaks, pos)  # the last line break before pos
    line_start = breaks[k - 1] + 1 if k else 0
    return bool(_TEASER.match(text, line_start))


def _clip_speakers(quotes: list[Quote], article: Article, idx: TokenIndex) -> None:
    """A speaker mention never starts inside the dateline ("IRNA)- Iran's ...")."""
    dl = article.dateline
    if not dl or not dl.span:
        return
    floor = dl.span[1]
    text = article.text
    for q in quotes:
        spk = q.speaker
        if spk is not None and spk.span[1] <= floor and q.span[0] >= floor:
            # The parser took the dateline's place for the subject of the first
            # sentence ("LONDON (Reuters) - Jane Roe, 74, a resident who ..., said").
            q.speaker = _speaker_past_dateline(idx, spk.span, q, floor)
            continue
        if spk is not None and spk.span[0] < floor < spk.span[1]:
            start = floor
            while start < spk.span[1] and not text[start].isalnum():
                start += 1
            spk.span = (start, spk.span[1])
            spk.text = text[start : spk.span[1]]


def _speaker_past_dateline(
    idx: TokenIndex, mention: tuple[int, int], q: Quote, floor: int
) -> SpeakerRef | None:
    """The speaker a mis-parse hid behind the dateline: the noun phrase after the
    dateline that the parser hung on the dateline's place (its apposition), else
    another subject of the cue after the dateline; None when there is neither."""
    for tok in idx.tokens_in(*mention):
        if tok.head.i != tok.i and mention[0] <= tok.head.idx < mention[1]:
            continue  # not the mention's head
        for t in tok.subtree:
            crosses = t.idx >= floor and t.head.idx < floor
            if crosses and t.pos_ in ("PROPN", "NOUN") and t.idx < q.span[0]:
                return speaker_ref(t)
    if q.cue is not None:
        for cue in idx.tokens_in(*q.cue.span)[:1]:
            for c in cue.children:
                if (
                    c.dep_ in ("nsubj", "nsubjpass")
                    and c.idx >= floor
                    and c.tag_ not in ("WP", "WDT")
                ):
                    return speaker_ref(c)
    return None
