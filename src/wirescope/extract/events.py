"""Events: who did what to whom, where and when, from the dependency parse.

One event per clause headed by an action verb with at least one argument
(subject, agent or object).  Speech acts are quotes, not events: cue verbs and
verbs inside direct quotes are skipped, as are modal, future and negated
clauses (not things that happened).  `where` comes from an "in/at X" in the
clause, then the sentence, then the latest region or city mentioned before,
then the article's main place; `when` from a date in the clause or in the
clause that governs it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from wirescope.extract.entity_types import PLACE_NOUNS
from wirescope.extract.lexicon import CUE_FLOOR, RELATIVE_PRONOUNS, REPORTING_VERBS
from wirescope.record.models import Article, DateMention, Entity, Event, Quote


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that carry no event of their own ("made the remarks", "include", "call X Y").
WEAK_LEMMAS = _words(
    "be have do make get become seem appear include call remain mean let want need like "
    "know see look feel find consider touch mention base"
)
MODALS = _words("should must can could would may might will shall 'll ought")
WHERE_PREPS = _words("in at near inside outside across throughout within into around")
PATIENT_PREPS = _words("from against with to for over on upon")
# Dependents that head a clause of their own: their words are not this clause's.
CLAUSE_DEPS = _words("ccomp advcl relcl conj parataxis csubj")
SKIP_DEPS = _words("aux auxpass amod acl prep pobj dobj nsubj nsubjpass compound pcomp")
HYPHEN_PREFIXES = _words("re co pre un over counter mis out de")
_NUM_WORDS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "hundred": 100}
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def speech_lemmas() -> frozenset[str]:
    """Speech verbs plus the cue lexicon's floor: speech acts are left to quotes.

    Only the floor: the wider cue list ("agree", "continue", "order") holds event verbs too.
    """
    return REPORTING_VERBS | CUE_FLOOR


class _Index:
    """Char offset -> entity id, and date mentions, for one article."""

    def __init__(self, entities: list[Entity], dates: list[DateMention]) -> None:
        self.mentions = sorted((s, e, ent.id) for ent in entities for s, e in ent.mentions)
        self.starts = [m[0] for m in self.mentions]
        self.places = {ent.id: ent for ent in entities if ent.type == "PLACE"}
        # A point or stretch of calendar time; durations, sets and "now" date no event.
        points = [d for d in dates if d.type in ("DATE", "TIME") and not d.value_is_ref]
        self.dates = sorted(points, key=lambda d: d.span)

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity with a mention overlapping [start, end) (bisect: runs per token)."""
        i = bisect_right(self.starts, start)
        for j in range(i - 1, max(-1, i - 4), -1):  # mentions starting at or before start
            if start < self.mentions[j][1]:
                return self.mentions[j][2]
        if i < len(self.mentions) and self.mentions[i][0] < end:  # one inside the token
            return self.mentions[i][2]
        return None

    def place_at(self, start: int, end: int) -> str | None:
        eid = self.entity_at(start, end)
        return eid if eid in self.places else None

    def date_in(self, start: int, end: int) -> DateMention | None:
        """The date mention overlapping [start, end)."""
        for d in self.dates:
            if d.span[0] < end and start < d.span[1]:
                return d
        return None


def _trigger_tokens(verb: Token) -> list[Token]:
    toks = [verb, *(c for c in verb.children if c.dep_ == "prt")]
    doc = verb.doc
    # "re-erupted" split as re(VERB) -(VERB) erupted(VERB, conj): one trigger.
    if verb.lower_ in HYPHEN_PREFIXES and verb.i + 2 < len(doc) and doc[verb.i + 1].text == "-":
        toks += [doc[verb.i + 1], doc[verb.i + 2]]
    return sorted(toks, key=lambda t: t.i)


def _merged_away(tok: Token) -> bool:
    """The second half of a split hyphenated verb, or its hyphen."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in HYPHEN_PREFIXES


def _clause_tokens(verb: Token, trig: list[Token]) -> list[Token]:
    """The verb's own clause: its subtree without the clauses nested in it (xcomp stays)."""
    out: list[Token] = []
    stack = list(trig)
    seen: set[int] = set()
    while stack:
        tok = stack.pop()
        if tok.i in seen:
            continue
        seen.add(tok.i)
        out.append(tok)
        for child in tok.children:
            nested = child.dep_ in CLAUSE_DEPS and child.pos_ in ("VERB", "AUX")
            if nested and child not in trig and not _merged_away(child):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def _args(verb: Token, trig: list[Token]) -> tuple[list[Token], list[Token]]:
    """(actor tokens, patient tokens) from the dependency parse."""
    actors: list[Token] = []
    patients: list[Token] = []
    heads = [verb, *(c for c in verb.children if c.dep_ == "xcomp"), *trig]
    for h in heads:
        for c in h.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj") and h in trig:
                actors.append(c)
            elif c.dep_ == "agent":
                actors.extend(p for p in c.children if p.dep_ == "pobj")
            elif c.dep_ in ("dobj", "attr", "oprd"):
                patients.append(c)
            elif c.dep_ == "prep" and c.lower_ in PATIENT_PREPS:
                patients.extend(p for p in c.children if p.dep_ == "pobj")
    if not actors and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        actors = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    # "a war that killed": the relative pronoun stands for the noun the clause modifies.
    actors = [a.head.head if a.lower_ in RELATIVE_PRONOUNS and a.head.dep_ == "relcl" else a
              for a in actors]  # fmt: skip
    return _with_conj(actors), _with_conj(patients)


def _with_conj(toks: list[Token]) -> list[Token]:
    out = list(toks)
    for t in toks:
        out.extend(c for c in t.conjuncts if c not in out)
    return out


def _ids(tokens: list[Token], idx: _Index) -> list[str]:
    ids: list[str] = []
    for t in tokens:
        eid = idx.entity_at(t.idx, t.idx + len(t.text))
        if eid is None:
            # "the separatist government of the region": the head's compounds/possessors.
            for c in t.children:
                if c.dep_ in ("compound", "poss"):
                    eid = idx.entity_at(c.idx, c.idx + len(c.text))
                    if eid:
                        break
        if eid and eid not in ids:
            ids.append(eid)
    return ids


# Left dependents that belong to a noun phrase as written ("the separatist government").
_NP_LEFT_SKIP = _words("punct cc preconj conj appos relcl acl advcl")
PERSONAL_PLURAL = _words("they them")
_ARG_DEPS = _words("nsubj nsubjpass dobj pobj conj appos attr")


def _phrase(tok: Token) -> str:
    """The noun phrase a token heads, as written: its left modifiers and "of ..." phrases,
    without relative clauses, appositions, participle phrases or conjuncts."""
    doc = tok.doc
    lo = hi = tok.i
    for c in tok.children:
        if c.i < tok.i and c.dep_ not in _NP_LEFT_SKIP:
            lo = min(lo, c.left_edge.i)
        elif c.i > tok.i and c.dep_ == "prep" and c.lower_ == "of":
            hi = max(hi, c.right_edge.i)
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return " ".join(doc[lo : hi + 1].text.split())


def _antecedent(tok: Token) -> Token | None:
    """A pronoun's antecedent: the subject of the clause that governs its own ("the
    government acknowledged that it had lost"), else, for "they"/"them", the nearest
    plural noun before it, in its sentence or the one before."""
    plural = tok.lower_ in PERSONAL_PLURAL
    if not plural and tok.lower_ != "it":
        return None
    verb = tok.head
    if verb.dep_ in ("ccomp", "conj", "advcl") and verb.head.i != verb.i:
        for c in verb.head.children:
            subject = c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")
            if subject and (c.tag_ in ("NNS", "NNPS")) == plural:
                return c
    if not plural:
        return None
    sent = tok.sent
    start = sent.start
    if start > 0:
        start = tok.doc[start - 1].sent.start
    for i in range(tok.i - 1, start - 1, -1):
        cand = tok.doc[i]
        if cand.tag_ in ("NNS", "NNPS") and cand.dep_ in _ARG_DEPS:
            return cand
    return None


def _actors(tokens: list[Token], idx: _Index) -> tuple[list[str], list[str]]:
    """(entity ids, noun phrases as written for the actors that are no entity)."""
    ids: list[str] = []
    texts: list[str] = []
    for t in tokens:
        ante = _antecedent(t) if t.pos_ == "PRON" else None
        target = ante if ante is not None else t
        found = _ids([target], idx)
        if found:
            ids.extend(i for i in found if i not in ids)
            continue
        phrase = _phrase(target)
        if phrase and phrase not in texts:
            texts.append(phrase)
    return ids, texts


def _place_of(tok: Token, idx: _Index, depth: int = 0) -> str | None:
    """The place a prepositional object names: "Qom", "the holy city of Qom"."""
    pid = idx.place_at(tok.idx, tok.idx + len(tok.text))
    if pid or depth > 2:
        return pid
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj" and (found := _place_of(p, idx, depth + 1)):
                    return found
        if c.dep_ in ("appos", "conj") and (found := _place_of(c, idx, depth + 1)):
            return found
    return None


def _clause_where(clause: list[Token], idx: _Index, exclude: set[str]) -> str | None:
    for tok in clause:
        if tok.dep_ == "prep" and tok.lower_ in WHERE_PREPS:
            for p in tok.children:
                if p.dep_ == "pobj" and (pid := _place_of(p, idx)) and pid not in exclude:
                    return pid
    # "lost control of the ... city of Shusha": a place named as a place.
    for tok in clause:
        if tok.lemma_ in PLACE_NOUNS:
            pid = _place_of(tok, idx)
            if pid and pid not in exclude:
                return pid
    return None


def _sentence_where(sent: Span, idx: _Index, exclude: set[str]) -> str | None:
    clause = list(sent)
    pid = _clause_where(clause, idx, exclude)
    if pid:
        return pid
    return _first_region(idx, sent.start_char, sent.end_char, exclude)


def _first_region(idx: _Index, start: int, end: int, exclude: set[str]) -> str | None:
    for s, _e, eid in idx.mentions:
        place = idx.places.get(eid)
        if (
            start <= s < end
            and place is not None
            and eid not in exclude
            and place.kind != "country"
        ):
            return eid
    return None


def _latest_region_before(idx: _Index, pos: int) -> str | None:
    best: str | None = None
    for s, _e, eid in idx.mentions:
        if s >= pos:
            break
        if eid in idx.places and idx.places[eid].kind != "country":
            best = eid
    return best


def _main_place(idx: _Index, article: Article) -> str | None:
    counts: dict[str, int] = {}
    for _s, _e, eid in idx.mentions:
        if eid in idx.places and idx.places[eid].kind != "country":
            counts[eid] = counts.get(eid, 0) + 1
    if counts:
        return max(counts, key=lambda k: counts[k])
    return None


def _calendar(value: str) -> str:
    """A TIMEX3 value as an ISO date: "2021-03-01TMO" (Monday morning) -> "2021-03-01"."""
    return re.sub(r"T(?:MO|AF|EV|NI|DT)$", "", value)


def _when(verb: Token, idx: _Index, clauses: dict[int, list[Token]], depth: int = 0) -> str | None:
    clause = clauses.get(verb.i) or _clause_tokens(verb, _trigger_tokens(verb))
    for tok in clause:
        d = idx.date_in(tok.idx, tok.idx + len(tok.text))
        if d is not None and d.value:
            return _calendar(d.value)
    if depth > 3:
        return None
    head = verb.head
    if head.i == verb.i:  # spaCy makes a new Token per access: compare indexes
        return None
    # "since 1992, when they broke away": the clause modifies the date itself.
    d = idx.date_in(head.idx, head.idx + len(head.text))
    if d is not None and d.value and verb.dep_ == "relcl":
        return _calendar(d.value)
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    if head.pos_ in ("VERB", "AUX") and head.i != verb.i:
        return _when(head, idx, clauses, depth + 1)
    return None


def _number_value(text: str) -> float | None:
    m = _DIGITS.search(text)
    if not m:
        return None
    value = float(m.group().replace(",", ""))
    for word, mult in _NUM_WORDS.items():
        if word in text.lower():
            value *= mult
    return value


_NUMBER_LABELS = frozenset(("CARDINAL", "QUANTITY", "MONEY", "PERCENT"))


def _number_span(tok: Token) -> Span:
    """The number entity holding `tok` ("3,000", "$5 million"), else the token alone.

    Walks the token's own IOB tags: doc.ents builds a Span for every entity of
    the article, and this runs once per number of every event.
    """
    doc = tok.doc
    if tok.ent_type_ not in _NUMBER_LABELS:
        return doc[tok.i : tok.i + 1]
    start = tok.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _numbers(clause: list[Token], trigger: str, idx: _Index) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for tok in clause:
        if tok.dep_ != "nummod" or not tok.like_num:
            continue
        if idx.date_in(tok.idx, tok.idx + len(tok.text)):
            continue
        span = _number_span(tok)
        value = _number_value(span.text)
        if value is None:
            continue
        out.append(
            {
                "value": int(value) if value.is_integer() else value,
                "text": span.text,
                "counts": tok.head.text,
                "verb": trigger,
            }
        )
    return out


def _contiguous(clause: list[Token], verb: Token) -> tuple[int, int]:
    """Char span of the unbroken run of clause tokens around the verb (nested clauses cut it)."""
    ids = {t.i for t in clause}
    lo = hi = verb.i
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    doc = verb.doc
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space or doc[hi].dep_ == "cc"):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _is_candidate(tok: Token, speech: frozenset[str], cue_starts: set[int]) -> bool:
    if tok.pos_ != "VERB" or tok.dep_ in SKIP_DEPS or _merged_away(tok):
        return False
    if not tok.is_alpha or (tok.is_upper and len(tok.text) > 1):
        return False  # "’s", "WATCH": tagger slips on clitics and all-caps labels
    if tok.lemma_ in speech or tok.lemma_ in WEAK_LEMMAS or tok.idx in cue_starts:
        return False
    if tok.dep_ == "xcomp":  # "agreed to end": part of the governing verb's event
        return False
    has_subject = False
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in ("aux", "auxpass") and c.lower_ in MODALS):
            return False
        if c.dep_ == "aux" and c.tag_ == "TO":
            return False  # "to foment": purpose or intent, not a happening
        has_subject = has_subject or c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass")
    # A bare participle ("ensuring the safety", "becoming the worst") describes, not reports.
    return not (tok.tag_ == "VBG" and not has_subject)


def extract_events(
    article: Article,
    doc: Doc,
    entities: list[Entity],
    dates: list[DateMention],
    quotes: list[Quote],
) -> list[Event]:
    """One event per action clause with an actor; speech acts are left to quotes."""
    text = article.text
    idx = _Index(entities, dates)
    speech = speech_lemmas()
    cue_starts: set[int] = set()
    for q in quotes:
        if q.cue is not None:
            cue_starts.update(range(q.cue.span[0], q.cue.span[1]))
    direct = [q.span for q in quotes if q.kind == "direct"]
    body_start = article.body_span[0] if article.body_span != (0, 0) else 0
    main_place = _main_place(idx, article)

    clauses: dict[int, list[Token]] = {}
    events: list[Event] = []
    for tok in doc:
        if tok.idx < body_start or not _is_candidate(tok, speech, cue_starts):
            continue
        if any(s <= tok.idx < e for s, e in direct):
            continue  # quoted words are speech, not reported fact
        trig = _trigger_tokens(tok)
        actors_t, patients_t = _args(tok, trig)
        if not actors_t and not patients_t:
            continue
        clause = _clause_tokens(tok, trig)
        clauses[tok.i] = clause
        actors, actor_texts = _actors(actors_t, idx)
        patients = [p for p in _ids(patients_t, idx) if p not in actors]
        trigger = " ".join(t.text for t in trig).replace(" - ", "-")
        # A country acting ("Armenia and Azerbaijan agreed") is not where it happened;
        # a region or city that is the subject ("Karabakh is held") is.
        exclude = {
            e for e in (*actors, *patients) if e in idx.places and idx.places[e].kind == "country"
        }
        where = (
            _clause_where(clause, idx, exclude)
            or _sentence_where(tok.sent, idx, exclude)
            or _latest_region_before(idx, tok.sent.start_char)
            or main_place
        )
        start, end = _contiguous(clause, tok)
        events.append(
            Event(
                id=f"e{len(events) + 1}",
                span=(start, end),
                trigger=trigger,
                trigger_span=(trig[0].idx, trig[-1].idx + len(trig[-1].text)),
                actors=actors,
                actor_texts=actor_texts,
                patients=patients,
                where=where,
                when=_when(tok, idx, clauses),
                numbers=_numbers(clause, trigger, idx),
                text=" ".join(text[start:end].split()),
            )
        )
    return events
