"""Quotes: direct (quotation marks), indirect (a cue verb's clausal complement),
mixed (an indirect clause holding a quoted fragment), "according to X" and the
headline form "Official: ...". Each quote gets its cue and the mention of its
speaker; resolving that mention to a person is attribution.py's job (over the
people mentions.py finds).

With `stances` (PolNeAR's scope: every attribution, beliefs, stances and polls too)
a trained cue model (cue_model.py) adds the attributions the rules missed: a cue
it scores at or above its threshold, the content that cue governs (`model_content`)
and its source (`model_source`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, islice, pairwise

from spacy.tokens import Doc, Span, Token

from wirescope.extract.cue_model import CueModel, shipped_model
from wirescope.extract.lexicon import (
    BELIEF_VERBS,
    CUES,
    EVIDENCE_NOUNS,
    HEADLINE_ROLES,
    INTENT_VERBS,
    NAMING_VERBS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUNS,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Cue, Quote, QuoteKind, SpeakerRef

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
MARKS = OPENERS + CLOSERS + STRAIGHT
_BEFORE_OPEN = set(" \t\n([{—–-/:;,")
_AFTER_CLOSE = set(" \t\n)]}.,;:!?—–-")
_SENT_END = set(".!?")
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
}
_HEADLINE_RE = re.compile(r"^(?P<spk>[A-Z][^:]{0,60}?)\s*:\s+(?P<q>\S.*\S)\s*$")
# More quotation marks than this in one article is no news story (the longest
# dev-corpus story has a few hundred): the finder refuses it rather than spend
# its time; the time grows about linearly below the cap (benchmarks/quote_marks.py).
MAX_QUOTE_MARKS = 20_000


class TooManyQuoteMarks(ValueError):
    """An article with more quotation marks than MAX_QUOTE_MARKS."""


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


def _double_apostrophes(text: str) -> str:
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


class _Index:
    """Char offset -> token lookups over one Doc, and per-token tables built once
    so that each cue costs about the same whatever the sentence or quote count."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]
        self._tables: _Tables | None = None

    def tokens_in(self, start: int, end: int) -> Span:
        lo = bisect_left(self.starts, start)
        if lo == len(self.starts):  # spaCy builds all of doc.text for a span at the end
            return self.doc[0:0]
        return self.doc[lo : bisect_left(self.starts, end)]

    @property
    def tables(self) -> _Tables:
        if self._tables is None:
            self._tables = _Tables(self.doc)
        return self._tables


class _Tables:
    """Per-token facts over one Doc, each built in one pass.

    `ordered[i]`: token i's subtree, and every subtree inside it, is a contiguous
    run of tokens; then Token.subtree yields exactly doc[left[i] : right[i] + 1]
    and a clause's tokens are a slice, not a walk of its subtree (the walk made
    nested complements "He said “He said “..." quadratic). The other lists are
    "next/previous token at or after/before i not stripped from a clause's edge".
    """

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        heads = [t.head.i for t in doc]
        left = list(range(n))
        right = list(range(n))
        size = [1] * n
        ordered = [True] * n
        # Children before parents: deepest first.
        depth = [0] * n
        for i in range(n):
            if depth[i]:
                continue
            chain = []
            j = i
            while heads[j] != j and not depth[j]:
                chain.append(j)
                j = heads[j]
            d = depth[j] if heads[j] != j else 1
            depth[j] = d
            for k in reversed(chain):
                d += 1
                depth[k] = d
        for i in sorted(range(n), key=lambda k: -depth[k]):
            ordered[i] = ordered[i] and size[i] == right[i] - left[i] + 1
            h = heads[i]
            if h != i:
                size[h] += size[i]
                left[h] = min(left[h], left[i])
                right[h] = max(right[h], right[i])
                ordered[h] = ordered[h] and ordered[i]
        self.ordered = ordered
        self.left = left
        self.right = right
        lead = [(t.dep_ == "mark" and t.lower_ != "that") or t.is_punct or t.is_space for t in doc]
        trail = [(t.is_punct and t.text not in MARKS) or t.is_space for t in doc]
        self.next_lead_ok = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            self.next_lead_ok[i] = self.next_lead_ok[i + 1] if lead[i] else i
        self.prev_trail_ok = [-1] * n
        for i in range(n):
            self.prev_trail_ok[i] = (self.prev_trail_ok[i - 1] if i else -1) if trail[i] else i
        self.sent_starts = [t.i for t in doc if t.is_sent_start]
        self.n = n
        # ", adding that ...": where a clause is cut before a nested attribution.
        self.adding = [t.i for t in doc if t.tag_ == "VBG" and _cue_token(t)]
        self.comma_adding = [i for i in self.adding if i > 0 and doc[i - 1].text == ","]

    def sentence(self, i: int) -> tuple[int, int]:
        """Token.sent's (start, end) for token i: from the last sentence start at
        or before i to the next one after it."""
        k = bisect_right(self.sent_starts, i)
        start = self.sent_starts[k - 1] if k else 0
        end = self.sent_starts[k] if k < len(self.sent_starts) else self.n
        return start, end


def _subject(verb: Token) -> Token | None:
    """The verb's subject, inherited up a chain of participles and conjuncts
    ("he said, adding, ..." gives "adding" the subject of "said")."""
    if verb.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "X said the plan failed, adding that ...": the adder is the sayer, not "plan".
        for anc in verb.ancestors:
            if _cue_token(anc):
                return _subject(anc)
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.tag_ != "EX"]
        if subjects:
            # Two subjects means a mis-parse (a dateline taken as one): the nearest wins.
            at = tok.i
            child = min(subjects, key=lambda c: abs(c.i - at))
            if child.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
                return tok.head  # "Bortis, who said ..." -> Bortis
            return child
        if tok.dep_ in ("advcl", "xcomp", "conj", "ccomp", "parataxis") and tok.head.i != tok.i:
            tok = tok.head
        else:
            break
    return _name_before(verb)


def _name_before(verb: Token) -> Token | None:
    """A mis-parsed sentence still says "... Josh Matlow told ...": a person or
    organisation name right before the verb is its subject."""
    i = verb.i - 1
    while i >= 0 and verb.doc[i].dep_ in ("advmod", "aux", "neg") and verb.doc[i].pos_ != "PUNCT":
        i -= 1
    if i >= 0 and verb.doc[i].ent_type_ in ("PERSON", "ORG") and verb.doc[i].ent_iob_ in ("B", "I"):
        return verb.doc[i]
    return None


def mention_span(head: Token) -> tuple[int, int]:
    """The noun phrase around a subject, cut before a comma, relative clause or
    apposition ("Nadia Jamil, principal researcher at ..., says" -> "Nadia Jamil")."""
    left = head.left_edge
    for tok in head.doc[left.i : head.i]:
        # A comma inside the left side: keep what follows it.
        # A dash cuts only when spaced ("TEHRAN (FNA) - Head of ..."), not in "26-year-old".
        spaced_dash = tok.text in ("-", "--") and tok.i > 0 and head.doc[tok.i - 1].whitespace_
        # "the lanky, bespectacled professor": a comma between adjectives stays inside.
        between_adjs = (
            tok.text == ","
            and tok.i > 0
            and head.doc[tok.i - 1].pos_ == "ADJ"
            and head.doc[tok.i + 1].pos_ == "ADJ"
        )
        if between_adjs:
            continue
        if (tok.text in (",", "—", "–", "(", ")", ":", ";") or spaced_dash) and tok.i < head.i:
            left = head.doc[tok.i + 1]
    right = head
    for tok in head.doc[head.i + 1 : head.right_edge.i + 1]:
        if tok.is_punct or tok.dep_ in ("relcl", "appos", "acl") or tok.lower_ in ("who", "which"):
            break
        right = tok
    return left.idx, right.idx + len(right.text)


def _cue_token(tok: Token) -> bool:
    if tok.lemma_.lower() not in CUES or tok.pos_ not in ("VERB", "AUX"):
        return False
    # "Asked what he would do, X said": a bare participle is no attribution.
    return not (tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


def _cue(tok: Token) -> Cue:
    end = tok.idx + len(tok.text)
    for child in tok.children:  # phrasal verbs: "pointed out"
        if child.dep_ == "prt" and child.i == tok.i + 1:
            end = child.idx + len(child.text)
    return Cue(span=(tok.idx, end), text=doc_text(tok.doc)[tok.idx : end], lemma=tok.lemma_.lower())


def _speaker(tok: Token) -> SpeakerRef:
    # "DeLaet's agent, Danny Fritz, said": the apposed name is the speaker's mention.
    if tok.pos_ == "NOUN":
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i > tok.i:
                tok = child
                break
    s, e = mention_span(tok)
    return SpeakerRef(span=(s, e), text=doc_text(tok.doc)[s:e])


def _has_mark(text: str, start: int, end: int) -> bool:
    return any(text.find(m, start, end) >= 0 for m in MARKS)


def _words(text: str) -> int:
    return len(text.split())


def _attribution_after(idx: _Index, piece: Piece, limit: int) -> Token | None:
    """A cue verb in the text after the closing mark, in the same sentence."""
    text = doc_text(idx.doc)
    if piece.close_at is None:
        return None
    seg = idx.tokens_in(piece.close_at + 1, limit)
    if not len(seg):
        return None
    inside = text[piece.start : piece.end].rstrip()
    ends_sentence = bool(inside) and inside[-1] in _SENT_END
    first_alpha = next((t for t in seg if t.is_alpha), None)
    lower_next = first_alpha is not None and first_alpha.text[0].islower()
    comma_close = inside.endswith(",")
    for n, tok in enumerate(seg):
        if tok.text in _SENT_END and n > 0:
            break
        if comma_close and n <= 4 and _structural_cue(tok):
            # '"...," Vindman testified': a quote closed on a comma and a named
            # subject's verb is an attribution, whatever the verb.
            return tok
        if _cue_token(tok):
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


def _attribution_before(idx: _Index, piece: Piece, floor: int) -> Token | None:
    """A cue verb just before the opening mark ('He added: "...', '..., adding, "...')."""
    text = doc_text(idx.doc)
    lead = text[floor : piece.open_at].rstrip()
    seg = idx.tokens_in(floor, piece.open_at)
    if not len(seg):
        return None
    last = seg[-1]
    if not (lead.endswith((":", ",")) or _cue_token(last)):
        return None
    # Only the clause directly before the mark: stop at the last sentence end.
    toks = list(seg)
    cut = max((i for i, t in enumerate(toks) if t.text in _SENT_END), default=-1)
    for tok in reversed(toks[cut + 1 :]):
        if _cue_token(tok):
            return tok
    return None


def _direct_quotes(idx: _Index, article: Article, pieces: list[Piece]) -> list[tuple[Quote, Piece]]:
    text = article.text
    out: list[tuple[Quote, Piece]] = []
    para_ends = [e for _, e in article.paragraphs]
    for n, piece in enumerate(pieces):
        body = text[piece.start : piece.end]
        if _words(body) < MIN_DIRECT_WORDS and not piece.continues_prev:
            continue
        para_end = para_ends[piece.para]
        nxt = pieces[n + 1] if n + 1 < len(pieces) else None
        limit = nxt.open_at if nxt and nxt.para == piece.para else para_end
        prev = pieces[n - 1] if n > 0 else None
        floor = (
            prev.close_at + 1
            if prev and prev.para == piece.para and prev.close_at is not None
            else article.paragraphs[piece.para][0]
        )
        verb = _attribution_after(idx, piece, limit) or _attribution_before(idx, piece, floor)
        quote = Quote(id="", span=(piece.start, piece.end), text=body, kind="direct")
        if verb is not None:
            quote.cue = _cue(verb)
            subj = _subject(verb)
            if subj is not None and not (piece.start <= subj.idx < piece.end):
                quote.speaker = _speaker(subj)
                quote.confidence = 0.9
            else:
                quote.confidence = 0.7
        else:
            lead = text[floor : piece.open_at]
            tail = lead[max(lead.rfind(". "), lead.rfind("? "), lead.rfind("! ")) + 1 :]
            if tail.strip() and not piece.continues_prev:
                continue  # quoted words inside a sentence (titles, terms): not speech
            if _is_title(body) and not piece.continues_prev:
                continue  # "“The Kid Who Would Be King” reclaims ...": a film's title
            quote.confidence = 0.6  # floating: a continuation of the previous speaker
        out.append((quote, piece))
    return out


_MODALS = frozenset(["will", "'ll", "wo", "would", "could", "might", "may", "should", "must"])
_MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "but",
        "by",
        "with",
        "from",
        "as",
        "is",
        "be",
        "who",
        "would",
        "into",
    ]
)


def _is_title(body: str) -> bool:
    """A short capitalized run such as a film's or a show's name, not a sentence."""
    words = re.findall(r"[A-Za-z][\w'’-]*", body)
    if not words or len(words) > 10:
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS or w == words[0]]
    return len(major) >= 2 and all(w[:1].isupper() for w in major)


# Below this cue precision a verb reports speech only with a source for a subject:
# "the minister found that ..." does, "Tuesday's attack showed that ..." does not.
RELIABLE_CUE = 0.8
_SOURCE_ENTS = {"PERSON", "ORG", "NORP", "GPE"}


def _reports(verb: Token, subj: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return False  # "did not say whether ...": nothing was said
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return False  # "Trudeau was asked what ...": the subject is the addressee
    if verb.dep_ == "xcomp" and verb.head.lemma_ in ("decline", "refuse", "fail"):
        return False  # "declined to say why ..."
    own = any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    if not own and verb.dep_ == "advcl" and verb.tag_ in ("VBN", "VBD"):
        return False  # "When told of the study, he said ...": told is not a cue here
    if CUES.get(verb.lemma_.lower(), 0.0) >= RELIABLE_CUE:
        return True
    return (
        subj.ent_type_ in _SOURCE_ENTS
        or (subj.pos_ == "PROPN" and not subj.ent_type_)  # a name the NER missed
        or subj.pos_ == "PRON"
        or subj.lemma_.lower() in PERSON_NOUNS
        or subj.lemma_.lower() in ORG_NOUNS
    )


def _clause_span(
    comp: Token, para: tuple[int, int], cue: Token | None = None, idx: _Index | None = None
) -> tuple[int, int]:
    """A complement clause without edge punctuation, inside its paragraph, stopped
    before a nested ", adding that ..." (a quote of its own). A leading "that" stays:
    both annotated corpora (GGT, PolNeAR) count it as part of the reported content."""
    if (
        idx is not None
        and idx.tables.ordered[comp.i]
        and (cue is None or cue.head.i != comp.i or idx.tables.ordered[cue.i])
    ):
        return _clause_span_runs(comp, para, cue, idx)
    toks = [t for t in comp.subtree if para[0] <= t.idx < para[1]]
    if cue is not None and cue.i < comp.i and cue.head.i != comp.i:
        toks = [t for t in toks if t.i > cue.i]  # "what they said was a lack of ..."
    if cue is not None and cue.head.i == comp.i:
        inner = {t.i for t in cue.subtree}
        toks = [t for t in toks if t.i not in inner or t.i < toks[0].i]
    for k, t in enumerate(toks):
        if k > 0 and t.i > comp.i and toks[k - 1].text == "," and t.tag_ == "VBG" and _cue_token(t):
            toks = toks[: k - 1]
            break
    while toks and (
        (toks[0].dep_ == "mark" and toks[0].lower_ != "that")
        or toks[0].is_punct
        or toks[0].is_space
    ):
        toks.pop(0)
    while toks and ((toks[-1].is_punct and toks[-1].text not in MARKS) or toks[-1].is_space):
        toks.pop()
    if not toks:
        return comp.idx, comp.idx
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _clause_span_runs(
    comp: Token, para: tuple[int, int], cue: Token | None, idx: _Index
) -> tuple[int, int]:
    """_clause_span where the subtrees involved are slices of tokens:
    the same steps on at most two runs of token indexes, each in O(log n)."""
    tab = idx.tables
    doc = comp.doc
    lo = max(tab.left[comp.i], bisect_left(idx.starts, para[0]))
    hi = min(tab.right[comp.i] + 1, bisect_left(idx.starts, para[1]))
    runs = [(lo, hi)]
    if cue is not None and cue.i < comp.i and cue.head.i != comp.i:
        runs = [(max(lo, cue.i + 1), hi)]
    if cue is not None and cue.head.i == comp.i:
        a, b = tab.left[cue.i], tab.right[cue.i] + 1
        runs = [(lo, min(hi, a)), (max(lo, b), hi)]
    runs = [(a, b) for a, b in runs if a < b]
    # The first ", adding ..." after comp: inside a run, or where two runs meet.
    cut: int | None = None
    for r, (a, b) in enumerate(runs):
        if r > 0:
            j = a
            prev = runs[r - 1][1] - 1
            if j > comp.i and doc[prev].text == "," and _sorted_has(tab.adding, j):
                cut = prev
                break
        k = bisect_left(tab.comma_adding, max(a + 1, comp.i + 1))
        if k < len(tab.comma_adding) and tab.comma_adding[k] < b:
            cut = tab.comma_adding[k] - 1
            break
    if cut is not None:
        runs = [(a, min(b, cut)) for a, b in runs if a < cut]
        runs = [(a, b) for a, b in runs if a < b]
    first = next((f for a, b in runs if (f := tab.next_lead_ok[a]) < b), None)
    if first is None:
        return comp.idx, comp.idx
    last = None
    for a, b in reversed(runs):
        p = tab.prev_trail_ok[b - 1]
        if p >= a:
            last = p
            break
    if last is None or last < first:
        return comp.idx, comp.idx
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _sorted_has(items: list[int], x: int) -> bool:
    k = bisect_left(items, x)
    return k < len(items) and items[k] == x


def _to_sentence_end(
    comp: Token, span: tuple[int, int], cue: Token, idx: _Index | None = None
) -> tuple[int, int]:
    """'X noted the two are very close, which made the split harder.': the parser hangs
    the trailing relative clause on the cue; what follows the reported clause to the
    end of its sentence is still the reported content, unless another attribution,
    a quotation or a new clause with its own subject starts there."""
    start, end = span
    if comp.i < cue.i or end <= start:
        return span
    if idx is not None:  # sentence bounds by bisection: Token.sent walks the sentence
        s0, s1 = idx.tables.sentence(cue.i)
        if idx.tables.sentence(comp.i)[0] != s0:
            return span
        first = max(s0, bisect_left(idx.starts, end))
        if s1 - first > 25:
            return span
        rest = list(cue.doc[first:s1])
    else:
        if cue.sent.start != comp.sent.start:
            return span
        rest = [t for t in cue.sent if t.idx >= end]
    if not rest or len(rest) > 25:
        return span
    for t in rest:
        if _cue_token(t) or t.text in MARKS or t.lower_ == "according":
            return span
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.i != comp.i and t.head.dep_ != "relcl":
            return span
    while rest and (rest[-1].is_punct or rest[-1].is_space):
        rest.pop()
    if not rest:
        return span
    return start, rest[-1].idx + len(rest[-1].text)


def _para_of(
    paragraphs: list[tuple[int, int]], pos: int, starts: list[int] | None = None
) -> tuple[int, int]:
    if starts is None:
        starts = [s for s, _ in paragraphs]
    i = bisect_right(starts, pos) - 1
    return paragraphs[i] if i >= 0 else (0, pos + 1)


class _Spans:
    """A fixed set of character spans answering "does any hold pos / overlap
    (a, b)" in O(log n): starts sorted, with the running maximum of the ends
    (scanning every span per token made these checks quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        items = sorted((s, e) for s, e in spans if e > s)  # an empty span holds nothing
        self.starts = [s for s, _ in items]
        self.max_end: list[int] = []
        top = -1
        for _, e in items:
            top = max(top, e)
            self.max_end.append(top)
        # Spans added later (model quotes) never overlap any span present: kept
        # sorted and disjoint, they need no running maximum.
        self.extra: list[tuple[int, int]] = []

    def add(self, span: tuple[int, int]) -> None:
        if span[1] > span[0]:
            insort(self.extra, span)

    def _reaches(self, below: int, pos: int, strict: bool) -> bool:
        """Whether a span starting before `below` (at or before when not strict)
        ends after pos."""
        k = (bisect_left if strict else bisect_right)(self.starts, below)
        if k and self.max_end[k - 1] > pos:
            return True
        k = bisect_left(self.extra, (below, -1) if strict else (below + 1, -1))
        return bool(k) and self.extra[k - 1][1] > pos

    def holds(self, pos: int) -> bool:
        return self._reaches(pos, pos, strict=False)

    def overlaps(self, span: tuple[int, int]) -> bool:
        a, b = span
        return b > a and self._reaches(b, a, strict=True)


def _indirect_quotes(
    idx: _Index,
    direct: list[tuple[Quote, Piece]],
    pieces: list[Piece],
    paragraphs: list[tuple[int, int]],
    article: Article,
    beliefs: bool = False,
) -> tuple[list[Quote], set[int]]:
    """Cue verbs with a clausal complement. Returns the quotes and the indexes of
    direct quotes absorbed into a mixed quote. A quote's text is left empty: nested
    complements give one quote per level, nearly all dropped by _dedupe, and
    slicing each would cost the square of the text ("He said “He said “...")."""
    doc = idx.doc
    text = doc_text(doc)
    direct_spans = [(p.open_at, (p.close_at or p.end) + 1) for _, p in direct]
    covers = _Coverage(direct_spans)
    direct_set = _Spans(direct_spans)
    para_set = _Spans(paragraphs)
    para_starts = [s for s, _ in paragraphs]
    marked = _Marked(pieces)
    out: list[Quote] = []
    absorbed_runs: list[tuple[int, int]] = []
    # Nothing before the dateline's end is reported speech.
    floor = article.dateline.span[1] if article.dateline and article.dateline.span else 0
    for tok in doc:
        if (
            not _cue_token(tok)
            or direct_set.holds(tok.idx)
            or not para_set.holds(tok.idx)
            or (not beliefs and tok.lemma_.lower() in BELIEF_VERBS)
        ):
            continue
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        if not comps and tok.dep_ == "parataxis" and tok.head.i != tok.i:
            # "The plan, she said, would cost billions": the host clause is the content.
            comps = [tok.head]
        trailing = None if comps else _content_before(tok)
        if not comps and trailing is None:
            continue
        subj = trailing[0] if trailing else _subject(tok)
        if subj is None or direct_set.holds(subj.idx):
            continue
        if not _reports(tok, subj):
            continue
        if not beliefs and subj.lower_ in EVIDENCE_NOUNS:
            continue  # "the survey found that ...": evidence, not speech
        if not beliefs and any(c.dep_ == "aux" and c.lower_ in _MODALS for c in tok.children):
            continue  # "they will argue that ...": not said yet
        para = _para_of(paragraphs, tok.idx, para_starts)
        spans = [_to_sentence_end(c, _clause_span(c, para, tok, idx), tok, idx) for c in comps]
        if trailing is not None:
            spans.append((trailing[1], trailing[2]))
        for start, end in spans:
            if (
                end <= subj.idx
                and text.find(",", end, subj.idx) < 0
                and not any(text.find(m, end, subj.idx) >= 0 for m in MARKS)
            ):
                continue  # "Content, X said" needs the comma; else a mis-parse
            if start <= subj.idx < end and not (start <= tok.head.idx < end):
                continue  # the "clause" holds the speaker: a mis-parse
            start = max(start, floor)
            if end - start < 12 or not _has_words(text, start, end, 3):
                continue
            covered, inner = covers.over(start, end)
            if covered >= 0.7 * (end - start):
                continue  # the attribution of a direct quote, handled there
            has_marks = marked.any_within(start, end + 1)
            kind: QuoteKind = "mixed" if has_marks or inner else "indirect"
            if kind == "mixed":
                end = _extend_to_close(text, start, end)
                # 'he said they were “very pleased. This levels the field ...”': the
                # quotation opened in the clause runs on to its closing mark.
                end = marked.run_on(start, end)
            if isinstance(inner, range):
                absorbed_runs.append((inner.start, inner.stop))
            else:
                absorbed_runs.extend((k, k + 1) for k in inner)
            p = CUES.get(tok.lemma_.lower(), 0.5)
            conf = round(0.45 + 0.45 * p, 3)
            out.append(_verb_quote(text, (start, end), kind, tok, subj, conf, with_text=False))
    return out, _union(absorbed_runs)


def _union(runs: list[tuple[int, int]]) -> set[int]:
    """The integers in any of the half-open runs, each counted once."""
    out: set[int] = set()
    reach = 0
    for a, b in sorted(runs):
        out.update(range(max(a, reach), b))
        reach = max(reach, b)
    return out


def _has_words(text: str, start: int, end: int, n: int) -> bool:
    """len(text[start:end].split()) >= n, reading no further than the n-th word."""
    return sum(1 for _ in islice(_WORD.finditer(text, start, end), n)) >= n


_WORD = re.compile(r"\S+")


class _Coverage:
    """How much of a span the direct quotes cover, and which ones, in O(log n).

    The direct spans come in text order and (being the pieces between successive
    marks) their ends rise with their starts; then the ones overlapping a span are
    a run of indexes and the overlap a difference of prefix sums. Should the ends
    ever not rise, every span is checked as before.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.fast = all(
            spans[k][0] <= spans[k + 1][0] and spans[k][1] <= spans[k + 1][1]
            for k in range(len(spans) - 1)
        )
        self.sum_s = list(accumulate(self.starts, initial=0))
        self.sum_e = list(accumulate(self.ends, initial=0))

    def over(self, start: int, end: int) -> tuple[int, Sequence[int]]:
        """Characters of [start, end) inside direct spans, and their indexes."""
        if not self.fast:
            covered = 0
            inner: list[int] = []
            for k, (s, e) in enumerate(self.spans):
                ov = min(end, e) - max(start, s)
                if ov > 0:
                    covered += ov
                    inner.append(k)
            return covered, inner
        lo = bisect_right(self.ends, start)  # first span ending after start
        hi = bisect_left(self.starts, end)  # first span starting at or after end
        if hi <= lo:
            return 0, range(0)
        m = min(max(bisect_right(self.ends, end, lo, hi), lo), hi)  # ends <= end: [lo, m)
        ends = self.sum_e[m] - self.sum_e[lo] + (hi - m) * end
        m2 = min(max(bisect_right(self.starts, start, lo, hi), lo), hi)  # starts <= start
        starts = (m2 - lo) * start + self.sum_s[hi] - self.sum_s[m2]
        return ends - starts, range(lo, hi)


class _Marked:
    """The quotation pieces, for "is a piece inside this span" and "where does a
    quotation opened in this span close", in O(log n) each."""

    def __init__(self, pieces: list[Piece]) -> None:
        by_start = sorted((p.start, p.end) for p in pieces)
        self.starts = [s for s, _ in by_start]
        self.min_end = [e for _, e in by_start]
        for k in range(len(self.min_end) - 2, -1, -1):
            self.min_end[k] = min(self.min_end[k], self.min_end[k + 1])
        self.pieces = pieces
        self.opens = [p.open_at for p in pieces]
        self.in_order = all(a < b for a, b in pairwise(self.opens))
        self._closes: list[list[int]] | None = None

    def any_within(self, start: int, end: int) -> bool:
        """Whether a piece starts at or after start and ends at or before end."""
        k = bisect_left(self.starts, start)
        return k < len(self.min_end) and self.min_end[k] <= end

    def run_on(self, start: int, end: int) -> int:
        """`end` pushed past the closing mark of every closed piece opening in
        [start, end), to a fixed point (each push may take in further pieces)."""
        if not self.in_order:
            for pc in self.pieces:
                if start <= pc.open_at < end and pc.close_at is not None:
                    end = max(end, pc.close_at + 1)
            return end
        lo = bisect_left(self.opens, start)
        while True:
            hi = bisect_left(self.opens, end)
            if hi <= lo:
                return end
            reach = self._max_close(lo, hi)
            if reach <= end:
                return end
            end = reach

    def _max_close(self, lo: int, hi: int) -> int:
        """max(close_at + 1) over pieces[lo:hi] (-1 for unclosed): a sparse table."""
        if self._closes is None:
            row = [-1 if p.close_at is None else p.close_at + 1 for p in self.pieces]
            table = [row]
            step = 1
            while 2 * step <= len(row):
                prev = table[-1]
                table.append([max(prev[i], prev[i + step]) for i in range(len(prev) - step)])
                step *= 2
            self._closes = table
        level = (hi - lo).bit_length() - 1
        row = self._closes[level]
        return max(row[lo], row[hi - (1 << level)])


_AFTER_CUE = frozenset(["prep", "npadvmod", "advmod", "punct", "agent", "pobj", "dative"])


def _content_before(verb: Token) -> tuple[Token, int, int] | None:
    """'Canada preferred white immigrants, Foster writes.' / '..., argued Palvetzian.':
    the small model often misparses the clause before a sentence-final attribution
    (it took "immigrants" for a second subject). The frame is plain in the words:
    a clause, a comma, then the speaker and the cue with nothing reported after."""
    sent = verb.sent
    doc = verb.doc
    if any(
        c.i > verb.i and c.dep_ not in _AFTER_CUE and c.dep_ not in ("nsubj",)
        for c in verb.children
    ):
        return None  # the verb has its own object or clause after it
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    after = [c for c in subjects if c.i > verb.i]
    before = [c for c in subjects if c.i < verb.i]
    if after and verb.i > sent.start and doc[verb.i - 1].text == ",":
        subj, comma = after[0], verb.i - 1  # ", argued Palvetzian."
    elif before:
        subj = max(before, key=lambda c: c.i)
        comma = subj.left_edge.i - 1  # ", Foster writes."
        if comma <= sent.start or doc[comma].text != ",":
            return None
        if any(t.pos_ in ("VERB", "AUX") for t in doc[comma + 1 : verb.i]):
            return None
    else:
        return None
    toks = [t for t in doc[sent.start : comma] if not t.is_space]
    while toks and (toks[0].is_punct and toks[0].text not in MARKS):
        toks.pop(0)
    if len(toks) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in toks):
        return None
    return subj, toks[0].idx, toks[-1].idx + len(toks[-1].text)


_COMPLEMENTS = ("dobj", "xcomp", "prep", "oprd", "attr", "dative", "ccomp", "acomp")


def _stance_quotes(
    idx: _Index,
    taken: _Spans,
    floor: int,
    lemmas: frozenset[str] = INTENT_VERBS,
    quoted_only: bool = False,
) -> list[Quote]:
    """'X vowed to cut taxes', 'X called for a repeal', 'X criticized the law as a
    "crazy system"': a stance or intention attributed to a source, with the verb's
    complements as the content. Low confidence: speech proper is said, not vowed."""
    doc = idx.doc
    text = doc_text(doc)
    out: list[Quote] = []
    for tok in doc:
        if (
            tok.lemma_.lower() not in lemmas
            or tok.pos_ != "VERB"
            or tok.idx < floor
            or taken.holds(tok.idx)
            or any(c.dep_ == "ccomp" for c in tok.children)  # the clause rule's case
        ):
            continue
        subj = _subject(tok)
        if subj is None or subj.i > tok.i or not _reports(tok, subj) or not _is_source(subj):
            continue
        comps = [c for c in tok.children if c.dep_ in _COMPLEMENTS and c.i > tok.i]
        if not comps:
            continue
        first, last = comps[0].left_edge, comps[-1].right_edge
        while last.i > first.i and (last.is_punct and last.text not in MARKS):
            last = doc[last.i - 1]
        start, end = first.idx, last.idx + len(last.text)
        if not _has_words(text, start, end, 3) or taken.overlaps((start, end)):
            continue
        kind: QuoteKind = "mixed" if _has_mark(text, start, end) else "indirect"
        if quoted_only and kind != "mixed":
            continue
        if kind == "mixed":
            end = _extend_to_close(text, start, end)
        out.append(_verb_quote(text, (start, end), kind, tok, subj, 0.4))
    return out


def _is_source(subj: Token) -> bool:
    return (
        subj.ent_type_ in ("PERSON", "ORG", "NORP")
        or (subj.pos_ == "PROPN" and not subj.ent_type_)
        or subj.lower_ in PRONOUNS
    )


def _verb_quote(
    text: str,
    span: tuple[int, int],
    kind: QuoteKind,
    verb: Token,
    subj: Token,
    conf: float,
    with_text: bool = True,
) -> Quote:
    """A quote whose content is a cue verb's complement, spoken by its subject."""
    return Quote(
        id="",
        span=span,
        text=text[span[0] : span[1]] if with_text else "",
        kind=kind,
        cue=_cue(verb),
        speaker=_speaker(subj),
        confidence=conf,
    )


def _extend_to_close(text: str, start: int, end: int) -> int:
    """Include a closing mark that ends the clause (the gold spans keep it)."""
    j = end
    while j < len(text) and text[j] in ",.":
        j += 1
    if j < len(text) and text[j] in CLOSERS + STRAIGHT:
        return j + 1
    return end


def _according_to(idx: _Index, taken: _Spans) -> list[Quote]:
    doc = idx.doc
    text = doc_text(doc)
    out: list[Quote] = []
    for tok in doc:
        found = _according(tok)
        if found is None or taken.holds(tok.idx):
            continue
        src, (start, end) = found
        if not _has_words(text, start, end, 3):
            continue
        s, e = mention_span(src)
        out.append(
            Quote(
                id="",
                span=(start, end),
                text=text[start:end],
                kind="indirect",
                cue=_according_cue(tok),
                speaker=SpeakerRef(span=(s, e), text=text[s:e]),
                confidence=0.75,
            )
        )
    return out


def _according(tok: Token) -> tuple[Token, tuple[int, int]] | None:
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


def _according_cue(tok: Token) -> Cue:
    to = tok.doc[tok.i + 1]
    return Cue(span=(tok.idx, to.idx + len(to.text)), text="according to", lemma="according to")


def model_content(tok: Token, para: tuple[int, int]) -> tuple[int, int] | None:
    """The content a model cue attributes: the clausal complement ('X warned that ...'),
    the host clause of a parenthetical ('..., X said, ...'), the rest of the sentence
    ('according to X'), else the complements after the cue ('X accused Y of lying',
    'the criticism of the law'). None when the cue governs nothing."""
    according = _according(tok)
    if according is not None:
        return according[1]
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    if comps:
        comp = max(comps, key=lambda c: len(list(c.subtree)))
        return _clause_span(comp, para, tok)
    if tok.dep_ == "parataxis" and tok.head.i != tok.i:
        return _clause_span(tok.head, para, tok)
    deps: dict[str, Token] = {}
    for c in tok.children:
        deps.setdefault(c.dep_, c)
    after = {c.dep_: c for c in reversed(list(tok.children)) if c.i > tok.i}
    if "nsubjpass" in deps and "xcomp" not in deps:
        # "Obama was briefed on the situation" / "The plan was approved by ...".
        if "prep" in after:
            return _edges(after["prep"], after["prep"].right_edge, para)
        subj = deps["nsubjpass"]
        return _edges(subj.left_edge, subj.right_edge, para)
    if tok.lemma_ in _RAISING and "xcomp" in deps and "nsubj" in deps:
        # "The relationship appears to be alive": the whole clause.
        return _edges(deps["nsubj"].left_edge, deps["xcomp"].right_edge, para)
    comps = [c for c in tok.children if c.dep_ in _CONTENT_DEPS and c.i > tok.i]
    # Complements up to a comma: "focused on Trump, trying to ..." -> "on Trump".
    comma = next((c.i for c in tok.children if c.i > tok.i and c.text == ","), None)
    if comma is not None and comps and comps[0].i < comma:
        comps = [c for c in comps if c.i < comma]
    if comps:
        return _edges(comps[0].left_edge, comps[-1].right_edge, para)
    if tok.dep_ in ("relcl", "acl") and tok.head.i < tok.i:
        # "an offer the leadership rebuffed": the noun the clause modifies.
        return _edges(tok.head.left_edge, tok.head, para)
    return None


_CONTENT_DEPS = (*_COMPLEMENTS, "advcl", "npadvmod", "acl", "relcl", "pobj")
_RAISING = frozenset({"appear", "seem", "look", "sound"})


def _edges(first: Token, last: Token, para: tuple[int, int]) -> tuple[int, int] | None:
    """Characters from `first` to `last`, edge punctuation and spaces trimmed."""
    doc = first.doc
    while last.i > first.i and ((last.is_punct and last.text not in MARKS) or last.is_space):
        last = doc[last.i - 1]
    while first.i < last.i and (first.is_punct or first.is_space):
        first = doc[first.i + 1]
    start, end = max(first.idx, para[0]), min(last.idx + len(last.text), para[1])
    return (start, end) if end > start else None


def model_source(tok: Token) -> Token | None:
    """Who a model cue attributes to: 'according to X', the passive 'by X', a
    possessor ('Trump's criticism'), else the verb's subject."""
    according = _according(tok)
    if according is not None:
        return according[0]
    for c in tok.children:
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    if tok.pos_ != "VERB":
        owners = [c for c in tok.children if c.dep_ == "poss"]
        return owners[0] if owners else None
    if tok.dep_ == "acl" and tok.head.i < tok.i:
        # "a statement saying ...", "emails showing ...": the noun speaks; a bare
        # participle ("Kyle, seen as ...") names no source.
        return tok.head if tok.tag_ == "VBG" else None
    if tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in tok.children):
        return None  # passive without "by X": "X is seen as ...", "was named"
    if tok.lemma_ in _RAISING:
        # "he seems to feel ...": a person seems; "the plan appears to ..." has no source.
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        return subj if subj is not None and _is_source(subj) else None
    verb = tok
    if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ in ("VERB", "AUX"):
        verb = tok.head.head  # "X angered voters by saying ...": X
    elif tok.dep_ == "xcomp" and tok.head.dep_ == "acomp":
        verb = tok.head.head  # "X is likely to support ...": X
    subj = _subject(verb)
    if subj is None or subj.lower_ in ("it", "there") or subj.dep_ == "nsubjpass":
        return None
    return subj


def _model_quotes(
    idx: _Index,
    quotes: list[Quote],
    paragraphs: list[tuple[int, int]],
    floor: int,
    model: CueModel,
) -> list[Quote]:
    """Attributions the rules missed, from the trained cue model: every candidate whose
    probability reaches the model's threshold, whose content no quote holds yet and
    that names a source (letting sourceless ones in raised polnear_dev quote F1 but
    lowered speaker accuracy and attributed F1). Highest probability first;
    confidence is the probability."""
    threshold = model.threshold
    doc = idx.doc
    text = doc_text(doc)
    taken = _Spans(q.span for q in quotes)
    para_set = _Spans(paragraphs)
    para_starts = [s for s, _ in paragraphs]
    cues = {q.cue.span[0] for q in quotes if q.cue is not None}
    out: list[Quote] = []
    scored = sorted(model.score(doc).items(), key=lambda ip: (-ip[1], ip[0]))
    for i, p in scored:
        tok = doc[i]
        if p < threshold or tok.idx < floor or tok.idx in cues or taken.holds(tok.idx):
            continue
        if not para_set.holds(tok.idx):
            continue
        span = model_content(tok, _para_of(paragraphs, tok.idx, para_starts))
        if span is None:
            continue
        start, end = max(span[0], floor), span[1]
        if end - start < 2 or taken.overlaps((start, end)):
            continue
        src = model_source(tok)
        if src is None or (tok.lemma_ not in _RAISING and start <= src.idx < end):
            continue
        speaker = _speaker(src)
        kind: QuoteKind = "mixed" if _has_mark(text, start, end) else "indirect"
        cue = _according_cue(tok) if tok.lower_ == "according" else _cue(tok)
        conf = round(p, 3)
        out.append(Quote("", (start, end), text[start:end], kind, cue, speaker, conf))
        taken.add((start, end))
    return out


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


def _transcript_quotes(article: Article, doc: Doc, quotes: list[Quote]) -> list[Quote]:
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
    spans = _Spans(q.span for q in lines)
    kept = [q for q in quotes if not spans.overlaps(q.span)]
    return kept + lines


def headline_quote(article: Article) -> Quote | None:
    """ "Official: Liberation of X should ..." -> an indirect quote by "Official"."""
    if not article.headline or not article.headline_span:
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
    base = article.headline_span[0] + (len(article.headline) - len(article.headline.lstrip()))
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


def extract_quotes(
    article: Article, doc: Doc, stances: bool = False, cue_model: CueModel | None = None
) -> list[Quote]:
    """All quotes of an article in text order, ids q1, q2, ...; with `stances`,
    also stances, intentions and beliefs ("vowed to ...", "called for ...",
    "feared that ..."), and the attributions `cue_model` finds (default: the
    shipped model)."""
    marks = sum(article.text.count(m) for m in MARKS) + article.text.count("''")
    if marks > MAX_QUOTE_MARKS:
        raise TooManyQuoteMarks(
            f"{marks:,} quotation marks, more than the {MAX_QUOTE_MARKS:,} "
            "the quote finder takes in one article"
        )
    idx = _Index(doc)
    paragraphs = article.paragraphs or [(0, len(article.text))]
    body_paras = [p for p in paragraphs if p[0] >= article.body_span[0]] or paragraphs
    art = article if body_paras is paragraphs else replace(article, paragraphs=body_paras)
    pieces = find_pieces(_double_apostrophes(article.text), body_paras)
    direct = _direct_quotes(idx, art, pieces)
    indirect, absorbed = _indirect_quotes(idx, direct, pieces, body_paras, article, beliefs=stances)
    quotes = [q for k, (q, _) in enumerate(direct) if k not in absorbed]
    for q in _dedupe(indirect):
        q.text = doc_text(doc)[q.span[0] : q.span[1]]
        quotes.append(q)
    taken = _Spans(q.span for q in quotes)
    quotes.extend(q for q in _according_to(idx, taken) if not taken.overlaps(q.span))
    floor = article.dateline.span[1] if article.dateline and article.dateline.span else 0
    if stances:
        quotes.extend(_stance_quotes(idx, _Spans(q.span for q in quotes), floor))
        model = cue_model if cue_model is not None else shipped_model()
        quotes.extend(_model_quotes(idx, quotes, body_paras, floor, model))
    else:
        # 'calling it a "global takeover"': words put in quotation marks by a source.
        taken = _Spans(q.span for q in quotes)
        quotes.extend(_stance_quotes(idx, taken, floor, NAMING_VERBS, quoted_only=True))
    quotes = _transcript_quotes(art, doc, quotes)
    head = headline_quote(article)
    if head is not None:
        quotes.append(head)
    breaks = [m.start() for m in re.finditer("\n", article.text)]
    quotes = [q for q in quotes if not _in_teaser(article.text, q.span[0], breaks)]
    quotes.sort(key=lambda q: q.span)
    _clip_speakers(quotes, article)
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


def _clip_speakers(quotes: list[Quote], article: Article) -> None:
    """A speaker mention never starts inside the dateline ("IRNA)- Iran's ...")."""
    dl = article.dateline
    if not dl or not dl.span:
        return
    floor = dl.span[1]
    text = article.text
    for q in quotes:
        spk = q.speaker
        if spk is not None and spk.span[0] < floor < spk.span[1]:
            start = floor
            while start < spk.span[1] and not text[start].isalnum():
                start += 1
            spk.span = (start, spk.span[1])
            spk.text = text[start : spk.span[1]]


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    """Nested complements ("said that X believes that Y") keep the outer quote."""
    quotes = sorted(quotes, key=lambda q: (q.span[0], -q.span[1]))
    out: list[Quote] = []
    for q in quotes:
        if out and q.span[0] >= out[-1].span[0] and q.span[1] <= out[-1].span[1]:
            continue
        out.append(q)
    return out
