"""What every source of quotes shares: the quotation marks, a token index over
the parsed Doc, the cue verb and its subject, the speaker mention, span sets.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from itertools import islice

from spacy.tokens import Doc, Span, Token

from wirescope.extract.lexicon import (
    CUES,
    DOCUMENT_NOUNS,
    FRAMING_VERBS,
    NAMING_VERBS,
)
from wirescope.nlp.parse import doc_text
from wirescope.nlp.tokens import heads as head_indices
from wirescope.nlp.tokens import tokens
from wirescope.record.models import Cue, Quote, SpeakerRef

OPENERS = "“„«"


CLOSERS = "”»"


STRAIGHT = '"'


MARKS = OPENERS + CLOSERS + STRAIGHT


SENT_END = set(".!?")


class TokenIndex:
    """Char offset -> token lookups over one Doc, and per-token tables built once
    so that each cue costs about the same whatever the sentence or quote count."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in tokens(doc)]
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
        toks = tokens(doc)
        heads = head_indices(doc)
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
        lead = [(t.dep_ == "mark" and t.lower_ != "that") or t.is_punct or t.is_space for t in toks]
        trail = [(t.is_punct and t.text not in MARKS) or t.is_space for t in toks]
        self.next_lead_ok = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            self.next_lead_ok[i] = self.next_lead_ok[i + 1] if lead[i] else i
        self.prev_trail_ok = [-1] * n
        for i in range(n):
            self.prev_trail_ok[i] = (self.prev_trail_ok[i - 1] if i else -1) if trail[i] else i
        self.sent_starts = [t.i for t in toks if t.is_sent_start]
        self.n = n
        # ", adding that ...": where a clause is cut before a nested attribution.
        self.adding = [t.i for t in toks if reports_aside(t)]
        # ', adding', or ',” claiming' after a quoted fragment: the index of the comma
        # (or of the closing mark after it) that the clause is cut before.
        self.comma_adding = [i for i in self.adding if i > 0 and after_comma(doc, i)]

    def sentence(self, i: int) -> tuple[int, int]:
        """Token.sent's (start, end) for token i: from the last sentence start at
        or before i to the next one after it."""
        k = bisect_right(self.sent_starts, i)
        start = self.sent_starts[k - 1] if k else 0
        end = self.sent_starts[k] if k < len(self.sent_starts) else self.n
        return start, end


def after_comma(doc: Doc, i: int) -> bool:
    """Token i follows a comma, or a closing quotation mark after one."""
    prev = doc[i - 1].text
    return prev == "," or (prev in CLOSERS + STRAIGHT and i > 1 and doc[i - 2].text == ",")


def cue_subject(verb: Token) -> Token | None:
    """The verb's subject, inherited up a chain of participles and conjuncts
    ("he said, adding, ..." gives "adding" the subject of "said")."""
    quoted = _quoted_as_saying(verb)
    if quoted is not None:
        return quoted
    if verb.tag_ == "VBG" and verb.dep_ == "acl" and verb.head.lemma_.lower() in DOCUMENT_NOUNS:
        return _document_source(verb.head)
    if verb.tag_ == "VBG" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "X said the plan failed, adding that ...": the adder is the sayer, not "plan".
        for anc in verb.ancestors:
            if is_cue_token(anc):
                return cue_subject(anc)
    if (
        verb.dep_ == "conj"
        and verb.head.dep_ == "ccomp"
        and is_cue_token(verb.head.head)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    ):
        # "X admitted that A but insisted that B": the parser hangs "insisted" inside
        # the first report; its speaker is the first report's, not A's subject.
        return cue_subject(verb.head.head)
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
        elif tok.dep_ == "pcomp" and tok.tag_ == "VBG":
            # "In addition to stating that ...", "X angered voters by saying ...": the
            # gerund's speaker is the subject of the verb its phrase modifies.
            tok = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        else:
            break
    return _name_before(verb)


# Verbs whose subject puts out the document they govern ("X issued a statement").
_PUTTING_OUT = frozenset(["release", "publish", "issue", "send", "post", "put", "file", "sign"])


def _document_source(noun: Token) -> Token:
    """'The ministry issued a statement saying ...', 'the party released a statement
    casting itself as ...': whoever put the document out speaks through it; else the
    document itself ('a report warning that ...'), whose author attribution finds."""
    verb = noun.head
    if noun.dep_ == "dobj" and verb.lemma_.lower() in _PUTTING_OUT:
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.tag_ not in ("WP", "WDT"):
            return subj
    return noun


_QUOTING = frozenset(["quote", "cite"])


def _quoted_as_saying(verb: Token) -> Token | None:
    """'The paper quoted Mayor Ann Lee as saying ...', 'state media cited an official as
    saying ...': the one quoted says it, not the paper that quotes."""
    if verb.tag_ != "VBG" or verb.dep_ != "pcomp" or verb.head.lower_ != "as":
        return None
    quoting = verb.head.head
    if quoting.lemma_.lower() not in _QUOTING:
        return None
    return next((c for c in quoting.children if c.dep_ == "dobj"), None)


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
    # "Parents, teachers and local officials said": the commas of a coordination
    # with "and"/"or" stay inside, up to its last conjunct.
    last_conj = coordinated(head)
    for tok in head.doc[head.i + 1 : head.right_edge.i + 1]:
        if last_conj is not None and tok.i <= last_conj.i:
            if not tok.is_punct:
                right = tok
            continue
        if tok.is_punct or tok.dep_ in ("relcl", "appos", "acl") or tok.lower_ in ("who", "which"):
            break
        if tok.tag_ == "_SP":
            break  # a run of spacing ("Ana Ruiz\u200b said") is not part of the name
        if tok.ent_type_ in ("DATE", "TIME") and tok.head.dep_ == "prep" and tok.head.i > head.i:
            right = head.doc[tok.head.i - 1] if tok.head.i - 1 > head.i else head
            break  # "the campaign on Tuesday said": the date is not the speaker's
        if tok.lower_ == "but":
            break  # "a person familiar with the talks but not authorized to speak"
        right = tok
    return left.idx, right.idx + len(right.text)


def coordinated(head: Token) -> Token | None:
    """The last conjunct of a coordination headed by `head` ("A, B and C": C), when
    an "and" or "or" joins it; None for a lone noun phrase."""
    conjs = [c for c in head.children if c.dep_ == "conj" and c.i > head.i]
    if not conjs:
        return None
    last = conjs[-1]
    while True:  # "A, B and C" may chain: A -> B -> C
        more = [c for c in last.children if c.dep_ == "conj" and c.i > last.i]
        if not more:
            break
        last = more[-1]
    joined = any(
        t.dep_ == "cc" and t.lower_ in ("and", "or", "&") for t in head.doc[head.i : last.i]
    )
    return last if joined else None


def is_cue_token(tok: Token) -> bool:
    if tok.lemma_.lower() not in CUES or tok.pos_ not in ("VERB", "AUX"):
        return False
    # "Asked what he would do, X said": a bare participle is no attribution.
    return not (tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children))


# "..., calling it a provocation", "..., denouncing it as unacceptable": a participle
# that names or frames what was reported is the source's aside, not the content.
_ASIDE_VERBS = NAMING_VERBS | FRAMING_VERBS


def reports_aside(tok: Token) -> bool:
    """A participle that reports speech ("adding", "insisting") or the source's own
    framing of it ("calling", "denouncing", "describing")."""
    if tok.tag_ != "VBG":
        return False
    return is_cue_token(tok) or (tok.pos_ == "VERB" and tok.lemma_.lower() in _ASIDE_VERBS)


def make_cue(tok: Token) -> Cue:
    end = tok.idx + len(tok.text)
    for child in tok.children:  # phrasal verbs: "pointed out"
        if child.dep_ == "prt" and child.i == tok.i + 1:
            end = child.idx + len(child.text)
    return Cue(span=(tok.idx, end), text=doc_text(tok.doc)[tok.idx : end], lemma=tok.lemma_.lower())


def speaker_ref(tok: Token) -> SpeakerRef:
    # "DeLaet's agent, Danny Fritz, said": the apposed name is the speaker's mention.
    if tok.pos_ == "NOUN":
        for child in tok.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i > tok.i:
                tok = child
                break
    s, e = mention_span(tok)
    return SpeakerRef(span=(s, e), text=doc_text(tok.doc)[s:e])


def has_mark(text: str, start: int, end: int) -> bool:
    return any(text.find(m, start, end) >= 0 for m in MARKS)


MODALS = frozenset(["will", "'ll", "wo", "would", "could", "might", "may", "should", "must"])


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


def is_title(body: str) -> bool:
    """A short capitalized run such as a film's or a show's name, not a sentence."""
    words = re.findall(r"[A-Za-z][\w'’-]*", body)
    if not words or len(words) > 10:
        return False
    major = [w for w in words if w.lower() not in _MINOR_WORDS or w == words[0]]
    return len(major) >= 2 and all(w[:1].isupper() for w in major)


def para_of(
    paragraphs: list[tuple[int, int]], pos: int, starts: list[int] | None = None
) -> tuple[int, int]:
    if starts is None:
        starts = [s for s, _ in paragraphs]
    i = bisect_right(starts, pos) - 1
    return paragraphs[i] if i >= 0 else (0, pos + 1)


class SpanSet:
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


def union_spans(runs: list[tuple[int, int]]) -> set[int]:
    """The integers in any of the half-open runs, each counted once."""
    out: set[int] = set()
    reach = 0
    for a, b in sorted(runs):
        out.update(range(max(a, reach), b))
        reach = max(reach, b)
    return out


def has_words(text: str, start: int, end: int, n: int) -> bool:
    """len(text[start:end].split()) >= n, reading no further than the n-th word."""
    return sum(1 for _ in islice(_WORD.finditer(text, start, end), n)) >= n


_WORD = re.compile(r"\S+")


def dedupe(quotes: list[Quote]) -> list[Quote]:
    """Nested complements ("said that X believes that Y") keep the outer quote."""
    quotes = sorted(quotes, key=lambda q: (q.span[0], -q.span[1]))
    out: list[Quote] = []
    for q in quotes:
        if out and q.span[0] >= out[-1].span[0] and q.span[1] <= out[-1].span[1]:
            continue
        out.append(q)
    return out
