"""Speakers that are organisations or their documents: "the company" is the latest
(or most mentioned) organisation named by that noun, "the statement" its author,
"the officials" the group met before, "the city" the latest city's government."""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Token

from wirescope.extract.attribution.context import Resolver, SpeakerMention
from wirescope.extract.entity_types import EntTuple
from wirescope.extract.lexicon import (
    CUES,
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    PEOPLE_GROUPS,
    PRONOUNS,
    ROLE_CONNECTORS,
    fold,
)
from wirescope.extract.mentions import (
    Span,
    is_outlet,
    mention_person,
)
from wirescope.extract.quote_base import mention_span
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Entity, Quote

_ORG_NEAR = 600  # "the company" right after an organisation spoke or acted means it


INSTITUTION_NOUNS = ORG_NOUNS - DOCUMENT_NOUNS

# "The military said": the country's forces, not the latest organisation named
# (a company, a place the NER typed ORG), unless one is named by that noun.
_STATE_FORCES = frozenset(["military", "army", "police", "navy", "government"])


_NEXT_CAPITALIZED = re.compile(r"[ \t]+[A-Z]")


def org_string_mentions(res: Resolver, ents: list[EntTuple]) -> None:
    """Later occurrences of an organisation's name the NER left untagged ("In a
    statement, Facebook said ... The company noted"): "the company" looks for the
    latest organisation named, so a missed mention hands it to an older one. Never
    inside another entity or a longer name, nor a name that is a person's surname."""
    text = doc_text(res.doc)
    surnames = res.person_surnames()
    by_name: dict[str, Entity] = {}
    for ent in res.others:
        named = ent.type == "ORG" and len(ent.name) > 2 and ent.name[:1].isupper()
        if named and fold(ent.name) not in surnames:
            by_name.setdefault(ent.name, ent)
    if not by_name:
        return
    pat = re.compile(
        r"\b(?:" + "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True)) + r")\b"
    )
    taken = sorted([(s, e) for s, e, _ in ents] + [m for e in res.others for m in e.mentions])
    starts = [s for s, _ in taken]
    grown: dict[int, Entity] = {}
    for mo in pat.finditer(text):
        s, e = mo.span()
        k = bisect_right(starts, e - 1)
        if any(a < e and s < b for a, b in taken[max(0, k - 8) : k]):
            continue
        if _NEXT_CAPITALIZED.match(text, e):
            continue  # part of a longer name ("Supreme" in "Supreme Leader")
        ent = by_name[mo.group()]
        ent.mentions.append((s, e))
        grown[id(ent)] = ent
    for ent in grown.values():  # in text order again, once each
        ent.mentions.sort()


# "the city's report", "this company's Annual Review": an institution's document.
NAMED_DOCUMENTS = DOCUMENT_NOUNS | {"assessment", "review", "audit", "census", "index"}
OWNED_DOCUMENT = re.compile(r"(?:[Tt]he|[Tt]his) ([a-z]+)(?:'s|’s)\s+")


POLLS = frozenset(["poll", "polls", "survey", "surveys"])


def _latest_poll(res: Resolver, pos: int) -> str | None:
    """The speaking group last named as a poll or survey before `pos`."""
    best: tuple[int, str] | None = None
    for g in res.groups:
        if g.name.lower().split()[-1:] and g.name.lower().split()[-1] in POLLS:
            for s, _ in g.mentions:
                if s < pos and (best is None or s > best[0]):
                    best = (s, g.id)
    return best[1] if best else None


def _previous_speaker(res: Resolver, q: Quote, pos: int) -> str | None:
    """'The statement said' / 'the report found': the author last quoted nearby."""
    best = res.last_speaker
    if best is not None and 0 <= pos - best[0] < 1500:
        return best[1]
    return _latest_org(res, pos, None)


def _latest_org(
    res: Resolver,
    pos: int,
    head: str | None,
    named_only: bool = False,
    modifiers: list[str] | None = None,
) -> str | None:
    """'The company said': the latest organisation named before, preferring one
    whose name holds the noun ('the ministry' -> 'Foreign Ministry'). A modified
    noun ('the paramedics union') only names an organisation with those words."""
    surnames = res.person_surnames()
    best: tuple[int, int, int, str] | None = None
    recent: tuple[int, str] | None = None  # (position, id) of the latest org subject
    for ent in res.others:
        if ent.type != "ORG" or fold(ent.name) in surnames:
            continue  # "McCallum" typed ORG is a person, not "the agency"
        if is_outlet(ent.name):
            continue  # the outlet reporting ("Reuters") is not "the military"
        if modifiers and not all(m in ent.name.lower() for m in modifiers):
            continue
        named = int(head is not None and head in ent.name.lower())
        if named_only and not named:
            continue
        # A place in the dateline the NER typed ORG ("ALBANY, N.Y. —") is no antecedent.
        before = [s for s, _ in ent.mentions if res.floor <= s < pos]
        if not before or pos - before[-1] > 3000:
            continue
        # The organisation the story is about (most mentioned) beats one named in passing.
        key = (named, len(before), before[-1], ent.id)
        if best is None or key[:3] > best[:3]:
            best = key
        for s in before:
            if pos - s <= _ORG_NEAR and (recent is None or s > recent[0]) and res.is_subject(s):
                recent = (s, ent.id)
    if res.last_speaker is not None and not named_only:
        at, pid = res.last_speaker
        # "Facebook said ... The company noted": the organisation just quoted.
        just_spoke = any(e.id == pid and e.type == "ORG" for e in res.others)
        if just_spoke and pos - at <= _ORG_NEAR and (recent is None or recent[0] < at):
            return pid
    if recent is not None and not named_only:
        return recent[1]
    return best[3] if best else None


def document_author(res: Resolver, noun: Token) -> str | None:
    """'A statement e-mailed to The Globe by Reagan Ruslim said': the agent of the
    document noun's own phrase ("by X", "from X") wrote it."""
    for tok in noun.subtree:
        if tok.lower_ not in ("by", "from") or tok.dep_ not in ("agent", "prep"):
            continue
        if tok.head.lemma_.lower() in _RECEIVING_VERBS:
            continue  # "a memo obtained by The Globe": the Globe did not write it
        for obj in tok.children:
            if obj.dep_ != "pobj":
                continue
            span = (obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text))
            org = overlapping(span, res.others, at_end=True)
            found = mention_person(span, res.mentions) or (org.id if org else None)
            if found:
                return found
    return None


# Names for one piece of research: a story calls the same study "the report".
_RESEARCH = frozenset(["report", "study", "survey", "analysis", "findings", "paper"])


# Verbs whose subject wrote or put out the document they govern ("X wrote in a memo",
# "X released a report", "X stated in a blog post").
_AUTHORING_VERBS = frozenset(
    ["release", "publish", "issue", "send", "post", "write", "sign", "file", "author", "put"]
)


# "A memo obtained by X": X holds the document, it did not write it.
_RECEIVING_VERBS = frozenset(
    ["obtain", "see", "review", "receive", "get", "read", "acquire", "leak", "cite", "quote"]
)


def _earlier_author(res: Resolver, head: str, pos: int) -> str | None:
    """'Jason Brooks wrote in a blog post that ... The post said': the author of the
    latest document named before by the same noun (or, for research, a synonym: "A
    study by X found ... the report said"): its "by X"/"from X", the subject of the
    verb that put it out or spoke in it, or its possessor ("Talos's report")."""
    doc = res.doc
    same = {head} | (_RESEARCH if head in _RESEARCH else set())
    for tok in reversed(doc[: bisect_right([t.idx for t in doc], pos - 1)]):
        if pos - tok.idx > 3000:
            break
        if tok.pos_ != "NOUN" or not ({tok.lower_, tok.lemma_.lower()} & same):
            continue
        if tok.idx >= pos - 1 or any(a <= tok.idx < b for a, b in res.reported):
            continue
        found = document_author(res, tok)
        if found:
            return found
        verb = tok.head
        if tok.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head
        elif tok.dep_ not in ("dobj", "nsubjpass"):
            verb = tok
        if verb is not tok and verb.pos_ == "VERB" and _authoring(verb):
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.lower_ not in PRONOUNS:
                found = _entity_of(res, subj)
                if found:
                    return found
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is not None and owner.lower_ not in PRONOUNS:
            return _entity_of(res, owner)
        return None  # the latest such document has no author we know
    return None


def _authoring(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    return lemma in _AUTHORING_VERBS or lemma in CUES


def _entity_of(res: Resolver, tok: Token) -> str | None:
    """The person or organisation a noun phrase's head names."""
    span = mention_span(tok)
    found = mention_person(span, res.mentions)
    if found is not None:
        return found
    org = overlapping(span, res.others, at_end=True)
    return org.id if org is not None else None


def overlapping(span: Span, ents: list[Entity], at_end: bool = False) -> Entity | None:
    """An organisation named inside the mention; with `at_end`, one that heads it
    ("China's Xinhua News Agency", not the "Vern" the NER cut from "Vern Sparkes")."""
    for ent in ents:
        if ent.type != "ORG":
            continue
        for s, e in ent.mentions:
            if s < span[1] and span[0] < e and (not at_end or e >= span[1] - 2):
                return ent
    return None


def resolve_org_noun(m: SpeakerMention, res: Resolver) -> bool:
    """'The company', 'the statement', 'the officials', 'the city': the
    organisation, author or group the noun means here."""
    spk, root, head, words, det, pos, q = m.spk, m.root, m.head, m.words, m.det, m.pos, m.quote
    # "A group representing rural counties": an indefinite institution is met
    # here for the first time, not one named before (a document is still its author's).
    indefinite = det in ("a", "an") and head not in DOCUMENT_NOUNS
    speaks_for = head in ORG_NOUNS or head in DOCUMENT_NOUNS  # "the memo said": its author
    if not (det in ("the", "this", "its", "a", "an") and speaks_for and not indefinite):
        return False
    spk.mention_type = "org"
    modifiers = [w for w in words[1:-1] if w not in ROLE_CONNECTORS]
    target: str | None
    if head in POLLS:
        # "According to a Harbor Times/Ipsos poll": the poll speaks for those it asked,
        # not for the outlet that paid for it; "the poll" is the latest poll met.
        earlier = _latest_poll(res, pos) if det in ("the", "this", "its") else None
        target = earlier or res.group(spk.text, pos).id
    elif head in DOCUMENT_NOUNS:
        # "A statement from the EU": the author is named inside the mention.
        inner = overlapping(spk.span, res.others)
        named = mention_person(spk.span, res.mentions)
        target = (
            (inner.id if inner else named)
            or (document_author(res, root) if root is not None else None)
            or (_earlier_author(res, head, pos) if det in ("the", "this", "its") else None)
            or _previous_speaker(res, q, pos)
        )
    elif head in PEOPLE_GROUPS and det in ("the", "this"):
        # "the officials said": the officials met before, not an institution.
        target = res.group(spk.text, pos).id
    elif head == "city" and len(words) == 2:
        # "the city said": the city government of the latest city named.
        city = res.latest_place(pos, "city")
        target = city.id if city is not None else None
    else:
        # A bare "the company" is the latest company; "the government of X" is not.
        named_only = len(words) > 3 or head in _STATE_FORCES
        target = _latest_org(res, pos, head, named_only=named_only, modifiers=modifiers)
        if len(words) <= 3:
            target = res.rank_org(pos, head, modifiers, q.span, target)
    if target is None:
        return False
    spk.entity = target
    if target in res.people.by_id:
        res.note(pos, target)  # the author of a statement is who "he" means next
    return True
