"""Events: who did what to whom, where and when (TimeML's events, issue 24).

Triggers: every verb, noun or adjective the trigger classifier (triggers.py) takes for a
TimeML event, with its class, tense, aspect, polarity and modality; a quote's cue is its
REPORTING event, and an event inside a quote names that quote (its speaker claims it).
Actors and patients come from the parse (subjects, "by" agents, objects, passive
subjects, relative pronouns, conjuncts, a nominal event's possessor and "on/against/of"
phrase) as entity ids, else as the noun phrase written. `where` comes only from the
event's own clause or noun phrase ("in/at/near X", "X's", "the city of X", an "X-based"
subject), and from the dateline only for the lead's own happening; `when` from a date in
the event's own clause ("anchored"), else the creation time by tense ("inferred").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from wirescope.extract.entity_types import PLACE_NOUNS
from wirescope.extract.events.triggers import (
    NONE_CLASS,
    Grammar,
    TriggerModel,
    candidates,
    grammar,
    shipped_model,
)
from wirescope.extract.lexicon import CUE_FLOOR, RELATIVE_PRONOUNS, REPORTING_VERBS
from wirescope.nlp.parse import doc_text
from wirescope.nlp.tokens import tokens
from wirescope.record.models import Article, DateMention, Entity, Event, Quote
from wirescope.record.models import Span as Chars

# (span, word) -> the entity a personal pronoun there means, or None.
Referent = Callable[[Chars, str], str | None]


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
        self.date_starts = [d.span[0] for d in self.dates]
        self._date_cache: dict[tuple[int, int], DateMention | None] = {}

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
        """The date mention overlapping [start, end) (bisect, cached: runs per token of
        every event's clause)."""
        key = (start, end)
        if key in self._date_cache:
            return self._date_cache[key]
        found = None
        i = bisect_right(self.date_starts, end - 1)  # dates starting before `end`
        for j in range(i - 1, max(-1, i - 3), -1):
            if start < self.dates[j].span[1]:
                found = self.dates[j]
                break
        self._date_cache[key] = found
        return found


def _trigger_tokens(verb: Token) -> list[Token]:
    toks = [verb, *(c for c in verb.children if c.dep_ == "prt")]
    doc = verb.doc
    # "re-erupted" split as re(VERB) -(VERB) erupted(VERB, conj): one trigger.
    if verb.lower_ in HYPHEN_PREFIXES and verb.i + 2 < len(doc) and doc[verb.i + 1].text == "-":
        toks += [doc[verb.i + 1], doc[verb.i + 2]]
    return sorted(toks, key=lambda t: t.i)


def _merged_away(tok: Token) -> bool:
    """The second half of a split hyphenated verb, or its hyphen."""
    toks = tokens(tok.doc)
    return tok.i >= 2 and toks[tok.i - 1].text == "-" and toks[tok.i - 2].lower_ in HYPHEN_PREFIXES


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
    """(actor tokens, patient tokens) of a verbal event from the dependency parse: the
    passive subject is the patient, the "by" phrase the actor."""
    actors: list[Token] = []
    patients: list[Token] = []
    heads = [verb, *(c for c in verb.children if c.dep_ == "xcomp"), *trig]
    for h in heads:
        for c in h.children:
            if c.dep_ in ("nsubj", "csubj") and h in trig:
                actors.append(c)
            elif c.dep_ == "nsubjpass" and h in trig:
                patients.append(c)
            elif c.dep_ == "agent":
                actors.extend(p for p in c.children if p.dep_ == "pobj")
            elif c.dep_ in ("dobj", "attr", "oprd"):
                patients.append(c)
            elif c.dep_ == "prep" and c.lower_ in PATIENT_PREPS:
                patients.extend(p for p in c.children if p.dep_ == "pobj")
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        # "The army shelled and captured the town": conjuncts share subject and object;
        # "renamed X, offered Y, and enacted Z": the first of the chain has them.
        first = verb.head
        while (
            first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX") and first.head.i != first.i
        ):
            first = first.head
        if not actors and not any(c.dep_ == "nsubjpass" for c in verb.children):
            actors = [c for c in first.children if c.dep_ == "nsubj"]
            actors += [p for c in first.children if c.dep_ == "agent" for p in c.children]
        if not patients:
            patients = [c for c in first.children if c.dep_ == "nsubjpass"]
            patients += [c for c in verb.children if c.dep_ == "dobj"]
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        patients.append(verb.head)  # "the village shelled by the army"
    elif verb.dep_ == "acl" and verb.tag_ == "VBG" and not actors:
        actors.append(verb.head)  # "troops guarding the border"
    # "a war that killed", "the town, which was shelled": the relative pronoun stands for
    # the noun the clause modifies.
    actors = [_relative(a) for a in actors]
    patients = [_relative(p) for p in patients]
    return _with_conj(actors), _with_conj(patients)


def _relative(tok: Token) -> Token:
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


NOMINAL_AGENT_PREPS = _words("by from")
NOMINAL_PATIENT_PREPS = _words("on against of to into over with")


def _noun_args(noun: Token) -> tuple[list[Token], list[Token]]:
    """(actor, patient) tokens of a nominal event: "the army's attack on the town", "the
    Israeli strikes", "the killing of three soldiers by rebels"; a predicative one ("the
    move was a provocation") takes the copula's subject as its patient."""
    actors: list[Token] = []
    patients: list[Token] = []
    for c in noun.children:
        if (
            c.dep_ == "poss"
            or (c.dep_ == "compound" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON"))
            or (c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE"))
        ):
            actors.append(c)
        elif c.dep_ == "prep" and c.lower_ in NOMINAL_AGENT_PREPS | NOMINAL_PATIENT_PREPS:
            objs = [p for p in c.children if p.dep_ == "pobj"]
            (actors if c.lower_ in NOMINAL_AGENT_PREPS else patients).extend(objs)
    if noun.dep_ in ("attr", "acomp") and noun.head.pos_ in ("AUX", "VERB"):
        patients.extend(c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass"))
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
    toks = tokens(doc)
    while hi > lo and (toks[hi].is_punct or toks[hi].is_space):
        hi -= 1
    while lo < hi and (toks[lo].is_punct or toks[lo].is_space):
        lo += 1
    last = toks[hi]  # the text of doc[lo : hi + 1], cut from the Doc's (no Span walk)
    return " ".join(doc_text(doc)[toks[lo].idx : last.idx + len(last.text)].split())


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


def _actors(
    tokens: list[Token], idx: _Index, pronoun: Referent | None = None
) -> tuple[list[str], list[str]]:
    """(entity ids, noun phrases as written for the actors that are no entity).
    pronoun: who a "he", "she" or "they" with no antecedent in its sentence means, by
    the speaker resolution's reading of the story."""
    ids: list[str] = []
    texts: list[str] = []
    for t in tokens:
        if idx.date_in(t.idx, t.idx + len(t.text)) is not None:
            continue  # "kicked off on Monday": a time, not a participant
        ante = _antecedent(t) if t.pos_ == "PRON" else None
        target = ante if ante is not None else t
        found = _ids([target], idx)
        if not found and ante is None and pronoun is not None and t.pos_ == "PRON":
            eid = pronoun((t.idx, t.idx + len(t.text)), t.text)
            found = [eid] if eid is not None else []
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


def _calendar(value: str) -> str:
    """A TIMEX3 value as an ISO date: "2021-03-01TMO" (Monday morning) -> "2021-03-01"."""
    return re.sub(r"T(?:MO|AF|EV|NI|DT)$", "", value)


def _clause_date(clause: list[Token], idx: _Index) -> DateMention | None:
    """The first calendar date written inside the event's own clause or noun phrase."""
    for tok in clause:
        d = idx.date_in(tok.idx, tok.idx + len(tok.text))
        if d is not None and d.value:
            return d
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


def _np_tokens(noun: Token) -> list[Token]:
    """A nominal event's own noun phrase: its subtree without the clauses nested in it."""
    out: list[Token] = []
    stack = [noun]
    while stack:
        tok = stack.pop()
        out.append(tok)
        for child in tok.children:
            if child.dep_ in ("relcl", "acl", "advcl", "ccomp", "conj", "appos"):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


_BASED = re.compile(r"-based$", re.IGNORECASE)


def _based_where(tokens: list[Token], idx: _Index) -> str | None:
    """ "the Paris-based group attacked": a place the subject is based in."""
    for t in tokens:
        for c in t.children:
            if c.dep_ in ("amod", "compound") and _BASED.search(c.text):
                for g in (c, *c.children):
                    pid = idx.place_at(g.idx, g.idx + len(g.text))
                    if pid:
                        return pid
            if (
                c.text.lower() == "based"
                and c.i > 0
                and (pid := idx.place_at(c.doc[c.i - 2].idx, c.doc[c.i - 1].idx))
            ):
                return pid
    return None


def _possessive_where(noun: Token, idx: _Index) -> str | None:
    """ "Gaza's reconstruction", "the Kabul bombing": a place that owns a nominal event."""
    for c in noun.children:
        if c.dep_ in ("poss", "compound"):
            pid = idx.place_at(c.idx, c.idx + len(c.text))
            if pid:
                return pid
    return None


# Verbs whose complement is planned, demanded or possible, not (yet) a fact (TimeML's
# I_ACTION/I_STATE heads, by the reading a news analyst needs).
PLAN_LEMMAS = _words(
    "plan intend aim prepare schedule expect hope seek try attempt propose vow promise "
    "threaten decide agree"
)
DEMAND_LEMMAS = _words("demand urge call ask order require request insist press force")
POSSIBLE_MODALS = _words("may might could can would")
DEMAND_MODALS = _words("must should ought")


def _modality(tok: Token, gram: Grammar, reported: bool) -> str | None:
    """None for an asserted event; else "planned", "demanded", "possible" or "reported"."""
    if gram.modality in POSSIBLE_MODALS:
        return "possible"
    if gram.modality in DEMAND_MODALS:
        return "demanded"
    if gram.tense == "FUTURE":
        return "planned"
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ != "for":
        return "reported" if reported else None  # "asked about the decision": no demand
    if tok.dep_ in ("xcomp", "ccomp", "pobj", "dobj") and head.i != tok.i:
        governor = head.head if tok.dep_ == "pobj" else head
        if governor.lemma_ in DEMAND_LEMMAS:
            return "demanded"
        if governor.lemma_ in PLAN_LEMMAS:
            return "planned"
    return "reported" if reported else None


def _quote_at(quotes: list[Quote], pos: int) -> Quote | None:
    """The innermost quote whose words hold the offset."""
    best: Quote | None = None
    for q in quotes:
        if q.span[0] <= pos < q.span[1] and (best is None or q.span[0] >= best.span[0]):
            best = q
    return best


def _governing_date(tok: Token, idx: _Index, clauses: dict[int, list[Token]]) -> DateMention | None:
    """The date of the clause that governs the event's own ("said on Monday that troops
    had withdrawn"; "since 1992, when they broke away"): its reference time."""
    node = tok
    for _ in range(3):
        head = node.head
        if head.i == node.i:  # spaCy makes a new Token per access: compare indexes
            return None
        d = idx.date_in(head.idx, head.idx + len(head.text))
        if d is not None and d.value and node.dep_ in ("relcl", "pobj"):
            return d
        while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        if head.pos_ not in ("VERB", "AUX") or head.i == node.i:
            return None
        clause = clauses.get(head.i)
        if clause is None:
            clause = clauses[head.i] = _clause_tokens(head, _trigger_tokens(head))
        found = _clause_date(clause, idx)
        if found is not None:
            return found
        node = head
    return None


def _reference_when(gram: Grammar, cls: str, pub: str | None) -> str | None:
    """The reference time of an event with no date in its sentence, by tense: what is
    now or has just been so (present, present perfect) is on the creation day, and so is
    a past report ("said") in a wire story."""
    if pub is None or gram.tense in ("FUTURE", "INFINITIVE") or gram.modality is not None:
        return None
    if gram.tense == "PRESENT" or (gram.aspect == "PERFECTIVE" and gram.tense != "PAST"):
        return pub
    if cls == "REPORTING" and gram.tense == "PAST":
        return pub
    return None


def _setting_tokens(tok: Token) -> list[Token]:
    """The event's subtree without its complement clauses: what is said, believed or
    wanted ("said the army attacked the town in X") is another event's setting."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ not in ("ccomp", "parataxis"))
    return sorted(out, key=lambda t: t.i)


def _governing_where(tok: Token, idx: _Index, exclude: set[str]) -> str | None:
    """A city or region that the clauses governing the event's own are about ("Karabakh
    has been held since 1992, when they broke away"): its subject or object."""
    node = tok
    for _ in range(12):  # up through the words between clauses ("since 1992, when")
        head = node.head
        if head.i == node.i:
            return None
        if head.pos_ in ("VERB", "AUX"):
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.i != node.i:
                    arg = (_antecedent(c) if c.pos_ == "PRON" else None) or c
                    pid = idx.place_at(arg.idx, arg.idx + len(arg.text))
                    if pid and pid not in exclude and idx.places[pid].kind != "country":
                        return pid
        node = head
    return None


_REFERRING_DETS = _words("the this that")


def _referred_where(clause: list[Token], idx: _Index, exclude: set[str]) -> str | None:
    """ "the worst fighting in the region": the place a "the region"/"the city" of the
    event's clause refers to, the latest of that kind named before it (never a country
    for a region or city, only a country for "the country")."""
    for tok in clause:
        if (
            tok.dep_ != "pobj"
            or tok.lemma_ not in PLACE_NOUNS
            or tok.head.lower_ not in WHERE_PREPS
        ):
            continue
        if not any(c.dep_ == "det" and c.lower_ in _REFERRING_DETS for c in tok.children):
            continue
        if any(c.dep_ == "prep" for c in tok.children):
            continue  # "the city of Qom" names its place itself
        want_country = tok.lemma_ == "country"
        best: str | None = None
        for s, _e, eid in idx.mentions:
            if s >= tok.idx:
                break
            place = idx.places.get(eid)
            if (
                place is not None
                and eid not in exclude
                and (place.kind == "country") == want_country
            ):
                best = eid
        return best
    return None


def _dateline_place(article: Article, idx: _Index) -> str | None:
    dl = article.dateline
    if dl is None or dl.span is None:
        return None
    for s, e, eid in idx.mentions:
        if s < dl.span[1] and dl.span[0] < e and eid in idx.places:
            return eid
    return None


def extract_events(
    article: Article,
    doc: Doc,
    entities: list[Entity],
    dates: list[DateMention],
    quotes: list[Quote],
    model: TriggerModel | None = None,
    pronoun: Referent | None = None,
) -> list[Event]:
    """Every TimeML event of the article's body, with its arguments, place and time.
    pronoun: (span, word) -> the entity id a personal pronoun there means (the speaker
    resolution's answer, Attribution.pronoun mapped to `entities`), for pronoun agents
    and patients that their own sentence does not name."""
    text = article.text
    idx = _Index(entities, dates)
    model = model or shipped_model()
    cue_quote: dict[int, Quote] = {}
    for q in quotes:
        if q.cue is not None:
            for i in range(q.cue.span[0], q.cue.span[1]):
                cue_quote[i] = q
    body_start = article.body_span[0] if article.body_span != (0, 0) else 0
    pub = article.published.date().isoformat() if article.published else None
    home = _dateline_place(article, idx)
    lead = next((s for s in doc.sents if s.start_char >= body_start and s.text.strip()), None)

    toks = [t for t in candidates(doc, body_start) if not _merged_away(t)]
    clauses: dict[int, list[Token]] = {}  # a verb's own clause, by token index
    classes = model.classify(toks)
    events: list[Event] = []
    for tok, cls in zip(toks, classes, strict=True):
        cue_of = cue_quote.get(tok.idx)
        if cue_of is not None and tok.pos_ in ("VERB", "AUX", "NOUN"):
            cls = "REPORTING"  # a quote's cue is its reporting event
        if cls == NONE_CLASS:
            continue
        verbal = tok.pos_ in ("VERB", "AUX")
        trig = _trigger_tokens(tok) if verbal else [tok]
        gram = grammar(tok)
        if verbal:
            actors_t, patients_t = _args(tok, trig)
            clause = clauses.get(tok.i) or _clause_tokens(tok, trig)
            clauses[tok.i] = clause
        else:
            actors_t, patients_t = _noun_args(tok)
            clause = _np_tokens(tok)
        actors, actor_texts = _actors(actors_t, idx, pronoun)
        patients, patient_texts = _actors(patients_t, idx, pronoun)
        patients = [p for p in patients if p not in actors]
        speaker = cue_of.speaker.entity if cue_of is not None and cue_of.speaker else None
        if speaker and not actors and all(t.pos_ == "PRON" for t in actors_t):
            actors, actor_texts = [speaker], []  # "he said": the quote's resolved speaker
        quote = None if cue_of is not None else _quote_at(quotes, tok.idx)
        # A country acting ("Armenia and Azerbaijan agreed") is not where it happened.
        exclude = {
            e for e in (*actors, *patients) if e in idx.places and idx.places[e].kind == "country"
        }
        where = _clause_where(clause, idx, exclude)
        if where is None and not verbal:
            where = _possessive_where(tok, idx)
        if where is None:
            where = _based_where(actors_t, idx)
        if where is None and quote is None and cls != "REPORTING":
            setting = _setting_tokens(tok) if verbal else clause
            where = (
                _referred_where(setting, idx, exclude)
                or (_clause_where(setting, idx, exclude) if verbal else None)
                or _governing_where(tok, idx, exclude)
            )
        if (
            where is None
            and home is not None
            and lead is not None
            and verbal
            and cls != "REPORTING"
            and tok.i == lead.root.i
            and quote is None
            and not exclude  # "Russia attacked ..." under a KYIV dateline: not local
        ):
            where = home  # the lead's own happening takes place at the dateline
        date = _clause_date(clause, idx)
        when = _calendar(date.value) if date is not None and date.value else None
        when_source = "anchored" if when else None
        if when is None:
            # What is planned or only possible has no time of its own yet.
            unreal = gram.tense == "FUTURE" or gram.modality is not None
            ref = None if unreal else _governing_date(tok, idx, clauses)
            when = _calendar(ref.value) if ref is not None and ref.value else None
            when = when or _reference_when(gram, cls, pub)
            when_source = "inferred" if when else None
        start, end = _contiguous(clause, tok)
        trigger = " ".join(t.text for t in trig).replace(" - ", "-")
        events.append(
            Event(
                id=f"e{len(events) + 1}",
                span=(start, end),
                trigger=trigger,
                trigger_span=(trig[0].idx, trig[-1].idx + len(trig[-1].text)),
                actors=actors,
                actor_texts=actor_texts,
                patients=patients,
                patient_texts=patient_texts,
                where=where,
                when=when,
                when_source=when_source,
                numbers=_numbers(clause, trigger, idx) if verbal else [],
                text=" ".join(text[start:end].split()),
                event_class=cls,
                pos="VERB" if verbal else "ADJ" if tok.pos_ == "ADJ" else "NOUN",
                tense=gram.tense,
                aspect=gram.aspect,
                polarity=gram.polarity,
                modality=_modality(tok, gram, quote is not None),
                quote=quote.id if quote is not None else None,
            )
        )
    return events
