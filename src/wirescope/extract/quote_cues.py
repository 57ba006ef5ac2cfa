"""Quotes from cue verbs and the trained cue model: indirect and mixed quotes
(a cue verb's clausal complement), stances in the attribution scope, and the
attributions the cue model (cue_model.py) finds that the rules missed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate, pairwise

from spacy.tokens import Token

from wirescope.extract.cue_model import CueModel
from wirescope.extract.lexicon import (
    BELIEF_VERBS,
    CUES,
    DOCUMENT_NOUNS,
    EVIDENCE_NOUNS,
    INTENT_VERBS,
    NAMING_VERBS,
    ORG_NOUNS,
    PEOPLE_GROUPS,
    PERSON_NOUNS,
    PRONOUNS,
    REPORTING_VERBS,
    SPEECH_VERBS,
)
from wirescope.extract.quote_base import (
    CLOSERS,
    MARKS,
    MODALS,
    STRAIGHT,
    SpanSet,
    TokenIndex,
    after_comma,
    cue_subject,
    has_mark,
    has_words,
    is_cue_token,
    make_cue,
    para_of,
    reports_aside,
    speaker_ref,
    union_spans,
)
from wirescope.extract.quote_forms import (
    according_cue,
    according_source,
)
from wirescope.extract.quote_marks import (
    Piece,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Quote, QuoteKind

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
        or subj.lower_ in PEOPLE_GROUPS  # "allies suggested that ..."
        or subj.lemma_.lower() in DOCUMENT_NOUNS  # "the indictment claims that ..."
    )


def _clause_span(
    comp: Token, para: tuple[int, int], cue: Token | None = None, idx: TokenIndex | None = None
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
        if (
            k > 0
            and t.i > comp.i
            and (toks[k - 1].text == "," or (toks[k - 1].i == t.i - 1 and after_comma(t.doc, t.i)))
            and reports_aside(t)
        ):
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
    comp: Token, para: tuple[int, int], cue: Token | None, idx: TokenIndex
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


def _before_second_report(comp: Token, span: tuple[int, int]) -> tuple[int, int]:
    """'admitted that A but insisted that B': the parser hangs the second report on
    the first one's clause; A ends before its "but" (B is a quote of its own)."""
    for c in comp.children:
        if (
            c.dep_ == "conj"
            and c.i > comp.i
            and is_cue_token(c)
            and any(g.dep_ == "ccomp" for g in c.children)
            and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        ):
            cut = c.i
            while cut - 1 > comp.i and (
                comp.doc[cut - 1].dep_ in ("cc", "advmod") or comp.doc[cut - 1].is_punct
            ):
                cut -= 1
            last = comp.doc[cut - 1]
            end = last.idx + len(last.text)
            if span[0] < end < span[1]:
                return span[0], end
    return span


def _sorted_has(items: list[int], x: int) -> bool:
    k = bisect_left(items, x)
    return k < len(items) and items[k] == x


def _to_sentence_end(
    comp: Token, span: tuple[int, int], cue: Token, idx: TokenIndex | None = None
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
        if is_cue_token(t) or t.text in MARKS or t.lower_ == "according":
            return span
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.i != comp.i and t.head.dep_ != "relcl":
            return span
    while rest and (rest[-1].is_punct or rest[-1].is_space):
        rest.pop()
    if not rest:
        return span
    return start, rest[-1].idx + len(rest[-1].text)


def _widened(
    cue: Token, comp: Token, span: tuple[int, int], para: tuple[int, int]
) -> tuple[int, int]:
    """A reported clause after its cue, with the words the parser split off it."""
    span = _with_subject(cue, comp, span, para)
    span = _with_adverbial(cue, comp, span, para)
    return _conjoined(cue, comp, span, para)


_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass")


def _with_subject(
    cue: Token, comp: Token, span: tuple[int, int], para: tuple[int, int]
) -> tuple[int, int]:
    """'He said smaller brewers ... are likely to suffer': the parser made the reported
    clause's subject the cue's object and left the clause without one; the clause
    starts at that object."""
    start, end = span
    if comp.i < cue.i or end <= start:
        return span
    if any(c.dep_ in _SUBJECTS for c in comp.children):
        return span
    objs = [c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < comp.i]
    if not objs:
        return span
    first = objs[-1].left_edge
    if first.idx < para[0] or first.idx >= start:
        return span
    return first.idx, end


def _with_adverbial(
    cue: Token, comp: Token, span: tuple[int, int], para: tuple[int, int]
) -> tuple[int, int]:
    """'Chapman says too often, that's not happening' / 'said at 7:30 p.m., there were
    no units': a modifier between the cue and the clause, set off from the clause
    by a comma only, reads as the clause's own (the spans start at it). A
    parenthetical ('says, however, that ...') stays out."""
    start, end = span
    doc = cue.doc
    j = cue.i + 1
    if j >= len(doc) or doc[j].is_punct or comp.left_edge.i <= j:
        return span
    mods = [c for c in cue.children if c.dep_ in ("advmod", "prep") and cue.i < c.i < comp.i]
    if not mods or mods[0].left_edge.i != j:
        return span
    last = max(m.right_edge.i for m in mods)
    # The comma hangs on the cue or opens the clause's subtree.
    if comp.left_edge.i not in (last + 1, last + 2) or doc[last + 1].text != ",":
        return span
    if any(t.text == "," for t in doc[j : last + 1]):
        return span
    if doc[j].idx < para[0] or doc[j].idx >= start:
        return span
    return doc[j].idx, end


_ADDRESS_VERBS = frozenset(["tell", "inform", "remind", "assure", "warn", "notify", "advise"])


def _told_that(cue: Token) -> list[Token]:
    """'He told NBC's "Today" show on Wednesday that he was not ...': the parser hangs
    the reported clause on the addressee as a relative clause; with "that" and a
    subject of its own it is what was told."""
    if cue.lemma_.lower() not in _ADDRESS_VERBS:
        return []
    for obj in cue.children:
        if obj.dep_ not in ("dobj", "dative") or obj.i < cue.i:
            continue
        for acl in obj.children:
            if (
                acl.dep_ in ("acl", "relcl")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in acl.children)
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in acl.children)
            ):
                return [acl]
    return []


def _conjoined(
    cue: Token, comp: Token, span: tuple[int, int], para: tuple[int, int]
) -> tuple[int, int]:
    """'X said the plan is sound, but it is complex': the parser hangs the clause
    after ", but" on the cue; with a subject of its own and no attribution of its
    own it goes on with what was said (both corpora's spans run to its end). A
    second predicate of the speaker ('X urged ..., and criticized ...') does not."""
    start, end = span
    if comp.i < cue.i or end <= start:
        return span
    doc = cue.doc
    for conj in cue.children:
        if conj.dep_ != "conj" or conj.idx < end or is_cue_token(conj):
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ != "EX" for c in conj.children):
            continue
        between = doc[comp.right_edge.i + 1 : conj.left_edge.i]
        words = [t for t in between if not (t.is_punct or t.is_space)]
        if not words or words[0].lower_ not in ("but", "and") or len(words) > 1:
            continue
        if any(t.text in MARKS for t in between) or any(
            is_cue_token(t) or t.lower_ == "according" for t in conj.subtree
        ):
            continue
        last = conj.right_edge
        while last.i > conj.i and (last.is_punct or last.is_space) and last.text not in MARKS:
            last = doc[last.i - 1]
        new_end = last.idx + len(last.text)
        if new_end <= para[1]:
            end = max(end, new_end)
    return start, end


def indirect_quotes(
    idx: TokenIndex,
    direct: list[tuple[Quote, Piece]],
    pieces: list[Piece],
    paragraphs: list[tuple[int, int]],
    article: Article,
    beliefs: bool = False,
) -> tuple[list[Quote], set[int]]:
    """Cue verbs with a clausal complement. Returns the quotes and the indexes of
    direct quotes absorbed into a mixed quote. A quote's text is left empty: nested
    complements give one quote per level, nearly all dropped by dedupe, and
    slicing each would cost the square of the text ("He said “He said “...")."""
    doc = idx.doc
    text = doc_text(doc)
    direct_spans = [(p.open_at, (p.close_at or p.end) + 1) for _, p in direct]
    covers = _Coverage(direct_spans)
    direct_set = SpanSet(direct_spans)
    para_set = SpanSet(paragraphs)
    para_starts = [s for s, _ in paragraphs]
    marked = _Marked(pieces)
    out: list[Quote] = []
    absorbed_runs: list[tuple[int, int]] = []
    # Nothing before the dateline's end is reported speech.
    floor = article.dateline.span[1] if article.dateline and article.dateline.span else 0
    for tok in doc:
        if (
            not is_cue_token(tok)
            or direct_set.holds(tok.idx)
            or not para_set.holds(tok.idx)
            or (not beliefs and tok.lemma_.lower() in BELIEF_VERBS)
        ):
            continue
        comps = [c for c in tok.children if c.dep_ == "ccomp"] or _told_that(tok)
        if not comps and tok.dep_ == "parataxis" and tok.head.i != tok.i:
            # "The plan, she said, would cost billions": the host clause is the content.
            comps = [tok.head]
        trailing = None if comps else _content_before(tok)
        if not comps and trailing is None:
            continue
        subj = trailing[0] if trailing else cue_subject(tok)
        if subj is None or direct_set.holds(subj.idx):
            continue
        if not _reports(tok, subj):
            continue
        if not beliefs and subj.lower_ in EVIDENCE_NOUNS and tok.lemma_.lower() not in SPEECH_VERBS:
            # "the survey found that ...": evidence, not speech; but "the report says,
            # adds, warns that ...": a document speaks for its authors.
            continue
        if not beliefs and any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children):
            continue  # "they will argue that ...": not said yet
        para = para_of(paragraphs, tok.idx, para_starts)
        spans = [
            _widened(tok, c, _to_sentence_end(c, _clause_span(c, para, tok, idx), tok, idx), para)
            for c in comps
        ]
        spans = [_before_second_report(c, span) for c, span in zip(comps, spans, strict=True)]
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
            if end - start < 12 or not has_words(text, start, end, 3):
                continue
            covered, inner = covers.over(start, end)
            if covered >= 0.7 * (end - start):
                opens = covers.spans[inner[0]][0] if len(inner) else end
                if not has_words(text, start, opens, 1):
                    continue  # the attribution of a direct quote, handled there
            # A quotation opened in the clause and closed after it counts too
            # ('said they were “very pleased. This levels the field ...”').
            has_marks = marked.any_within(start, end + 1) or marked.opens_within(start, end)
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
    return out, union_spans(absorbed_runs)


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

    def opens_within(self, start: int, end: int) -> bool:
        """Whether a closed piece opens in [start, end)."""
        if not self.in_order:
            return any(start <= p.open_at < end and p.close_at is not None for p in self.pieces)
        k = bisect_left(self.opens, start)
        while k < len(self.opens) and self.opens[k] < end:
            if self.pieces[k].close_at is not None:
                return True
            k += 1
        return False

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
    if toks[0].tag_ == "VBN" and toks[0].dep_ == "advcl":
        return None  # "Asked about the deadline, the minister replied ...": a circumstance
    return subj, toks[0].idx, toks[-1].idx + len(toks[-1].text)


_COMPLEMENTS = ("dobj", "xcomp", "prep", "oprd", "attr", "dative", "ccomp", "acomp")


def stance_quotes(
    idx: TokenIndex,
    taken: SpanSet,
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
    # A verb with a clause is the clause rule's case.
    # Words a source put in quotation marks are its words whatever names the source.
    sourced = _sourced_verbs(idx, lemmas, floor, taken, skip_clauses=True, noun_sources=quoted_only)
    for tok, subj in sourced:
        comps = [c for c in tok.children if c.dep_ in _COMPLEMENTS and c.i > tok.i]
        if not comps:
            continue
        first, last = comps[0].left_edge, comps[-1].right_edge
        while last.i > first.i and (last.is_punct and last.text not in MARKS):
            last = doc[last.i - 1]
        start, end = first.idx, last.idx + len(last.text)
        if not has_words(text, start, end, 3) or taken.overlaps((start, end)):
            continue
        kind: QuoteKind = "mixed" if has_mark(text, start, end) else "indirect"
        if quoted_only and kind != "mixed":
            continue
        if kind == "mixed":
            end = _extend_to_close(text, start, end)
        out.append(_verb_quote(text, (start, end), kind, tok, subj, 0.4))
    return out


def _sourced_verbs(
    idx: TokenIndex,
    lemmas: frozenset[str],
    floor: int,
    taken: SpanSet,
    skip_clauses: bool = False,
    noun_sources: bool = False,
) -> Iterator[tuple[Token, Token]]:
    """Verbs with one of `lemmas` after `floor`, outside the quotes taken, whose
    subject before them is a source that reports: (verb, subject). With
    `noun_sources`, a person or institution noun is a source too ("the army")."""
    for tok in idx.doc:
        if (
            tok.lemma_.lower() not in lemmas
            or tok.pos_ != "VERB"
            or tok.idx < floor
            or taken.holds(tok.idx)
            or (skip_clauses and any(c.dep_ == "ccomp" for c in tok.children))
        ):
            continue
        subj = cue_subject(tok)
        if subj is None or subj.i > tok.i or not _reports(tok, subj):
            continue
        if _is_source(subj) or _aside_of_report(tok) or (noun_sources and _source_noun(subj)):
            yield tok, subj


def _aside_of_report(tok: Token) -> bool:
    """'The ministry said the talks failed, calling the offer "an insult"': a participle
    without a subject of its own inside a report; its subject, inherited from the
    speech verb, already spoke, whatever noun names it."""
    if tok.tag_ != "VBG" or any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return False
    return any(is_cue_token(a) for a in tok.ancestors)


def naming_quotes(idx: TokenIndex, taken: SpanSet, floor: int) -> list[Quote]:
    """'They called it a bandage solution', 'Smith, who he calls a great kid': a source
    naming something, the name (the verb's object predicate) as the content; both
    corpora count it. 'called for a ban', 'called Smith on Monday' name nothing."""
    text = doc_text(idx.doc)
    out: list[Quote] = []
    for tok, subj in _sourced_verbs(idx, NAMING_VERBS, floor, taken, noun_sources=True):
        preds = [c for c in tok.children if c.dep_ == "oprd" and c.i > tok.i]
        if not preds or not any(c.dep_ == "dobj" for c in tok.children):
            continue
        span = _edges(preds[0].left_edge, preds[0].right_edge, (0, len(text)))
        if span is None or not has_words(text, span[0], span[1], 2) or taken.overlaps(span):
            continue
        kind: QuoteKind = "mixed" if has_mark(text, *span) else "indirect"
        end = _extend_to_close(text, *span) if kind == "mixed" else span[1]
        out.append(_verb_quote(text, (span[0], end), kind, tok, subj, 0.5))
    return out


def _source_noun(subj: Token) -> bool:
    """'The alliance described the invasion as ...', 'officials called it ...': a noun
    for a person, group or institution names a source as a name does."""
    lemma = subj.lemma_.lower()
    return subj.pos_ == "NOUN" and (
        lemma in PERSON_NOUNS or lemma in ORG_NOUNS or subj.lower_ in PEOPLE_GROUPS
    )


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
        cue=make_cue(verb),
        speaker=speaker_ref(subj),
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


def model_content(tok: Token, para: tuple[int, int]) -> tuple[int, int] | None:
    """The content a model cue attributes: the clausal complement ('X warned that ...'),
    the host clause of a parenthetical ('..., X said, ...'), the rest of the sentence
    ('according to X'), else the complements after the cue ('X accused Y of lying',
    'the criticism of the law'). None when the cue governs nothing."""
    according = according_source(tok)
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
    according = according_source(tok)
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
    subj = cue_subject(verb)
    if subj is None or subj.lower_ in ("it", "there") or subj.dep_ == "nsubjpass":
        return None
    return subj


# Verbs that report speech, not belief: the cue model's candidates in the default scope.
SPEECH_ACTS = (SPEECH_VERBS | REPORTING_VERBS) - BELIEF_VERBS


def _reports_speech(tok: Token) -> bool:
    """A model cue the default scope takes (GGT's notion of a quote): a speech verb
    reporting a clause ("X contended that ...", "..., X stressed", "X urged Y to ...")
    by a source that spoke: not negated, not yet ("will argue"), not a study or
    report ("the survey suggests"). Letting in speech verbs with a noun phrase
    ("announced the plan", "called for a ban") cost ggt_dev more precision than it
    gained recall on either corpus."""
    deps = {c.dep_ for c in tok.children}
    if not ({"ccomp", "xcomp"} & deps or tok.dep_ == "parataxis"):
        return False
    subj = cue_subject(tok)
    if subj is None or not _reports(tok, subj):
        return False
    if subj.lemma_.lower() in EVIDENCE_NOUNS or subj.lower_ in EVIDENCE_NOUNS:
        return False
    return not any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children)


def model_quotes(
    idx: TokenIndex,
    quotes: list[Quote],
    paragraphs: list[tuple[int, int]],
    floor: int,
    model: CueModel,
    speech_only: bool = False,
) -> list[Quote]:
    """Attributions the rules missed, from the trained cue `model`: every candidate whose
    probability reaches the model's threshold, whose content no quote holds yet and
    that names a source (letting sourceless ones in raised polnear_dev quote F1 but
    lowered speaker accuracy and attributed F1). Highest probability first;
    confidence is the probability. `speech_only` (the default scope) keeps the cues
    that report speech: see `_reports_speech`."""
    threshold = model.threshold
    doc = idx.doc
    text = doc_text(doc)
    taken = SpanSet(q.span for q in quotes)
    para_set = SpanSet(paragraphs)
    para_starts = [s for s, _ in paragraphs]
    cues = {q.cue.span[0] for q in quotes if q.cue is not None}
    out: list[Quote] = []
    only = SPEECH_ACTS if speech_only else None
    scored = sorted(model.score(doc, only).items(), key=lambda ip: (-ip[1], ip[0]))
    for i, p in scored:
        tok = doc[i]
        if p < threshold or tok.idx < floor or tok.idx in cues or taken.holds(tok.idx):
            continue
        if speech_only and not _reports_speech(tok):
            continue
        if not para_set.holds(tok.idx):
            continue
        span = model_content(tok, para_of(paragraphs, tok.idx, para_starts))
        if span is None:
            continue
        start, end = max(span[0], floor), span[1]
        if end - start < 2 or taken.overlaps((start, end)):
            continue
        src = model_source(tok)
        if src is None or (tok.lemma_ not in _RAISING and start <= src.idx < end):
            continue
        speaker = speaker_ref(src)
        kind: QuoteKind = "mixed" if has_mark(text, start, end) else "indirect"
        cue = according_cue(tok) if tok.lower_ == "according" else make_cue(tok)
        conf = round(p, 3)
        out.append(Quote("", (start, end), text[start:end], kind, cue, speaker, conf))
        taken.add((start, end))
    return out
