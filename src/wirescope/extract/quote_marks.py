"""Quotes from quotation marks: pairing the marks into pieces, and the direct
quote each piece (or run of pieces) makes with the cue verb before or after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from wirescope.extract.quote_base import (
    CLOSERS,
    MARKS,
    OPENERS,
    SENT_END,
    TokenIndex,
    cue_subject,
    is_cue_token,
    is_title,
    make_cue,
    speaker_ref,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Quote

_BEFORE_OPEN = set(" \t\n([{—–-/:;,")


_AFTER_CLOSE = set(" \t\n)]}.,;:!?—–-")


# Minimum words for a quoted span to stand as a direct quote on its own; shorter
# ones are scare quotes or fragments (they make an indirect quote "mixed").
MIN_DIRECT_WORDS = 4


@dataclass
class Piece:
    """Text between a pair of quotation marks, inside one paragraph."""

    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_at: int
    close_at: int | None  # None: the paragraph ended with the quote still open
    para: int
    continues_prev: bool = False  # a multi-paragraph quote's later paragraph


def _is_open(text: str, i: int) -> bool | None:
    """Whether the mark at i opens (True), closes (False) or is ambiguous (None)."""
    ch = text[i]
    if ch in OPENERS:
        return True
    if ch in CLOSERS:
        return False
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    opens = before in _BEFORE_OPEN or before in OPENERS
    closes = after in _AFTER_CLOSE or after in CLOSERS
    if opens and not closes:
        return True
    if closes and not opens:
        return False
    return None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_pieces(text: str, paragraphs: list[tuple[int, int]]) -> list[Piece]:
    """Pair quotation marks paragraph by paragraph, tolerating mixed straight and
    curly marks, unclosed quotes and quotes that run over several paragraphs."""
    pieces: list[Piece] = []
    prev_open_end = False
    for p_idx, (p_start, p_end) in enumerate(paragraphs):
        open_at: int | None = None
        first_mark = True
        for i in range(p_start, p_end):
            if text[i] not in MARKS:
                continue
            role = _is_open(text, i)
            if open_at is None:
                if role is not False:
                    open_at = i
                elif first_mark and prev_open_end:
                    # A continued quote whose paragraph lacks its opening mark.
                    s, e = _trim(text, p_start, i)
                    pieces.append(Piece(s, e, p_start, i, p_idx, continues_prev=True))
            elif role is True and text[i] in OPENERS and i - open_at > 1:
                # A clear opener while a quote is open: the earlier one was never closed.
                s, e = _trim(text, open_at + 1, i)
                pieces.append(Piece(s, e, open_at, None, p_idx))
                open_at = i
            else:
                s, e = _trim(text, open_at + 1, i)
                cont = prev_open_end and open_at == _first_non_space(text, p_start, p_end)
                if e > s:
                    pieces.append(Piece(s, e, open_at, i, p_idx, continues_prev=cont))
                open_at = None
            first_mark = False
        prev_open_end = False
        if open_at is not None:
            s, e = _trim(text, open_at + 1, p_end)
            if e > s:
                cont = False
                if pieces and pieces[-1].para == p_idx - 1 and pieces[-1].close_at is None:
                    cont = True
                pieces.append(Piece(s, e, open_at, None, p_idx, continues_prev=cont))
                prev_open_end = True
    return pieces


_DOUBLE_APOSTROPHE = re.compile(r"''(?!')")


def double_apostrophes(text: str) -> str:
    """Two apostrophes as a quotation mark (the New York Times archive's style:
    ''We will win,'' he said) become one straight mark beside a space, so the
    offsets hold: an opening pair turns into ' "', a closing one into '" '."""
    if "''" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        at = m.start()
        opening = at == 0 or text[at - 1] in _BEFORE_OPEN
        return ' "' if opening else '" '

    return _DOUBLE_APOSTROPHE.sub(repl, text)


def _first_non_space(text: str, start: int, end: int) -> int:
    for i in range(start, end):
        if not text[i].isspace():
            return i
    return end


def _words(text: str) -> int:
    return len(text.split())


def _attribution_after(idx: TokenIndex, piece: Piece, limit: int) -> Token | None:
    """A cue verb in the text after the closing mark, in the same sentence."""
    text = doc_text(idx.doc)
    if piece.close_at is None:
        return None
    seg = idx.tokens_in(piece.close_at + 1, limit)
    if not len(seg):
        return None
    inside = text[piece.start : piece.end].rstrip()
    ends_sentence = bool(inside) and inside[-1] in SENT_END
    first_alpha = next((t for t in seg if t.is_alpha), None)
    lower_next = first_alpha is not None and first_alpha.text[0].islower()
    comma_close = inside.endswith(",")
    for n, tok in enumerate(seg):
        if tok.text in SENT_END and n > 0:
            break
        if comma_close and n <= 4 and _structural_cue(tok):
            # '"...," Vindman testified': a quote closed on a comma and a named
            # subject's verb is an attribution, whatever the verb.
            return tok
        if is_cue_token(tok):
            # After a full-stop quote the next words start a new sentence; only a
            # short "Name said." directly after it still attributes the quote.
            if ends_sentence and not lower_next and n > 4:
                return None
            return tok
    return None


def _structural_cue(tok: Token) -> bool:
    if tok.pos_ != "VERB" or tok.tag_ not in ("VBD", "VBZ"):
        return False
    return any(c.dep_ == "nsubj" and c.pos_ in ("PROPN", "PRON") for c in tok.children)


def _attribution_before(idx: TokenIndex, piece: Piece, floor: int, text: str) -> Token | None:
    """A cue verb just before the opening mark ('He added: "...', '..., adding, "...');
    `text` has its double apostrophes made marks (double_apostrophes)."""
    lead = text[floor : piece.open_at].rstrip()
    seg = idx.tokens_in(floor, piece.open_at)
    if not len(seg):
        return None
    last = seg[-1]
    if not (lead.endswith((":", ",")) or is_cue_token(last)):
        return None
    # Only the clause directly before the mark: stop at the last sentence end.
    toks = list(seg)
    cut = max((i for i, t in enumerate(toks) if t.text in SENT_END), default=-1)
    for tok in reversed(toks[cut + 1 :]):
        if is_cue_token(tok):
            return tok
    return None


def _quoted_sentence(idx: TokenIndex, text: str, body: str, floor: int, open_at: int) -> bool:
    """'..." she said. "I was ready."', 'protesters chanted, "Go home!"': a short
    quoted sentence (a capital, two words or more, a full stop inside) after a
    sentence end, a colon or a cue verb stands as speech; a short quoted phrase
    inside a sentence ("the boys") stays a fragment."""
    body = body.rstrip()
    if _words(body) < 2 or not body[:1].isupper() or body[-1:] not in SENT_END:
        return False
    lead = text[floor:open_at].rstrip()
    if not lead or lead[-1] in SENT_END or lead[-1] in ":":
        return True
    words = [t for t in idx.tokens_in(floor, open_at) if not (t.is_punct or t.is_space)]
    return bool(words) and is_cue_token(words[-1])


def direct_quotes(
    idx: TokenIndex, article: Article, pieces: list[Piece]
) -> list[tuple[Quote, Piece]]:
    text = article.text
    # Where pieces open and close, ''...'' pairs are marks (the pieces were found so).
    marked = double_apostrophes(text)
    out: list[tuple[Quote, Piece]] = []
    para_ends = [e for _, e in article.paragraphs]
    for n, piece in enumerate(pieces):
        body = text[piece.start : piece.end]
        prev = pieces[n - 1] if n > 0 else None
        floor = (
            prev.close_at + 1
            if prev and prev.para == piece.para and prev.close_at is not None
            else article.paragraphs[piece.para][0]
        )
        if (
            _words(body) < MIN_DIRECT_WORDS
            and not piece.continues_prev
            and not _quoted_sentence(idx, marked, body, floor, piece.open_at)
        ):
            continue
        para_end = para_ends[piece.para]
        nxt = pieces[n + 1] if n + 1 < len(pieces) else None
        limit = nxt.open_at if nxt and nxt.para == piece.para else para_end
        verb = _attribution_after(idx, piece, limit) or _attribution_before(
            idx, piece, floor, marked
        )
        quote = Quote(id="", span=(piece.start, piece.end), text=body, kind="direct")
        if verb is not None:
            quote.cue = make_cue(verb)
            subj = cue_subject(verb)
            if subj is not None and not (piece.start <= subj.idx < piece.end):
                quote.speaker = speaker_ref(subj)
                quote.confidence = 0.9
            else:
                quote.confidence = 0.7
        else:
            lead = marked[floor : piece.open_at]
            tail = lead[max(lead.rfind(". "), lead.rfind("? "), lead.rfind("! ")) + 1 :]
            if tail.strip() and not piece.continues_prev and not tail.rstrip().endswith(":"):
                continue  # quoted words inside a sentence (titles, terms): not speech
            if is_title(body) and not piece.continues_prev:
                continue  # "“The Kid Who Would Be King” reclaims ...": a film's title
            quote.confidence = 0.6  # floating: a continuation of the previous speaker
        out.append((quote, piece))
    return out
