"""The story as attribution reads it: the people met so far, how salient each is at
a point of the text, the groups and organisations named, and the candidates a
pronoun or description may mean (with their features, for the learned ranker)."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from wirescope.extract.entity_types import EntTuple
from wirescope.extract.lexicon import (
    CUES,
    NOMINAL_GENDER,
    ROLE_CONNECTORS,
    fold,
)
from wirescope.extract.mentions import (
    Person,
    Salient,
    Span,
    collect_people,
    is_outlet,
    main_subject,
    subordinate,
)
from wirescope.extract.speaker_model import Candidate, Decision, Features, SpeakerModel
from wirescope.record.models import Entity, Quote, SpeakerRef

_DETERMINERS = ("the ", "a ", "an ", "this ", "that ", "its ", "his ", "her ", "their ")
_SALIENCE_WINDOW = 6000  # characters a pronoun looks back for its antecedent
NAMED_AFTER = 400  # characters after an unnamed speaker in which a new name names it
_ROLE_AFTER = 1500  # characters after a role-only mention in which its holder is named


@dataclass
class SpeakerMention:
    """One quote's speaker mention as the resolution reads it: its words, its
    determiner, its syntactic root and head noun, where it starts."""

    quote: Quote
    spk: SpeakerRef
    low: str
    words: list[str]
    det: str
    root: Token | None
    head: str
    nominal: bool  # a person noun heads it ("the minister", "a 34-year-old")
    pos: int
    text: str  # the article's text


def _role_fits(role: str, head: str, after: list[str] | None) -> bool:
    words = role.lower().split()
    if head not in words:
        return False
    tail = words[words.index(head) + 1 :]
    return not (after and tail and tail != after)


class Resolver:
    def __init__(
        self,
        doc: Doc,
        ents: list[EntTuple],
        others: list[Entity],
        floor: int,
        reported: list[Span],
        paragraphs: list[Span] | None = None,
        model: SpeakerModel | None = None,
        record: bool = False,
    ) -> None:
        self.doc = doc
        self.floor = floor  # the dateline's end: nothing before it is a speaker
        self.model = model
        self.record = record  # keep every ranked decision (training data)
        self.paragraphs = paragraphs or []
        self.decisions: list[Decision] = []
        self.current = -1  # index of the quote being resolved
        self.quote_count: dict[str, int] = {}  # quotes attributed so far, per entity
        self._sent_starts: list[int] | None = None
        places = frozenset(e.name for e in others if e.type == "PLACE")
        orgs = frozenset(fold(e.name) for e in others if e.type == "ORG")
        self.people, self.mentions, self.salience = collect_people(
            doc, ents, floor, reported, places, orgs
        )
        self.salience.sort(key=lambda s: s.pos)
        self.others = others
        self.reported = reported
        self.unnamed: list[str] = []  # ids of people known only by a role so far
        self.groups: list[Entity] = []
        self.last_speaker: tuple[int, str] | None = None  # (position, entity id)
        self.last_mention: Span | None = None  # the mention that named the last speaker

    def _candidates(
        self,
        pos: int,
        gender: str | None,
        strong_only: bool,
        soft: bool,
        exclude: frozenset[str] = frozenset(),
    ) -> str | None:
        keys = [s.pos for s in self.salience]
        i = bisect_right(keys, pos - 1)
        while i > 0:
            i -= 1
            s = self.salience[i]
            if pos - s.pos > _SALIENCE_WINDOW:
                break
            if strong_only and not s.strong:
                continue
            person = self.people.by_id.get(s.entity)
            if person is None or person.id in exclude:
                continue
            if gender and person.gender and person.gender != gender:
                continue
            if soft and gender and person.likely_gender not in (None, gender):
                continue
            return person.id
        return None

    def salient(
        self, pos: int, gender: str | None, exclude: frozenset[str] = frozenset()
    ) -> str | None:
        """Latest compatible subject or speaker; a name's likely gender ("Erin" is
        mostly female) is a preference, pronouns and honorifics are rules."""
        for strong, soft in ((True, True), (True, False), (False, True), (False, False)):
            found = self._candidates(pos, gender, strong, soft, exclude)
            if found and soft and gender:
                found = self._likely_only(pos, gender, strong, exclude, found)
            if found:
                return found
        return None

    def _likely_only(
        self, pos: int, gender: str, strong: bool, exclude: frozenset[str], found: str
    ) -> str:
        """A name's likely gender is a preference that yields to nearness: a man
        named Reagan ("mostly female") who just spoke is the next "he", not a man
        named paragraphs back."""
        nearest = self._candidates(pos, gender, strong, False, exclude)
        if nearest is None or nearest == found:
            return found
        at = max(s.pos for s in self.salience if s.entity == nearest and s.pos < pos)
        # Named in this sentence or the one before: nearness wins.
        return nearest if self.sentence_of(pos) - self.sentence_of(at) <= 1 else found

    def sentence_of(self, pos: int) -> int:
        if self._sent_starts is None:
            self._sent_starts = [s.start_char for s in self.doc.sents]
        return bisect_right(self._sent_starts, pos)

    def paragraph_of(self, pos: int) -> int:
        return bisect_right([s for s, _ in self.paragraphs], pos)

    def rank(
        self,
        kind: str,
        pos: int,
        gender: str | None,
        role: str | None,
        content: Span,
        rule: str | None,
    ) -> str | None:
        """The person a pronoun or nominal at `pos` means: the model's first
        candidate, else the rules' pick (`rule`). Each decision is kept."""
        use = self.model is not None and self.model.ranks(kind)
        if not self.record and not use:
            return rule  # the rules decide and nobody asked for the candidates
        cands = self.candidates(kind, pos, gender, role, content, rule)
        return self._decide(kind, cands, rule, use)

    def rank_org(
        self, pos: int, head: str, modifiers: list[str], content: Span, rule: str | None
    ) -> str | None:
        """'The company said': the organisation the model ranks first among those
        named before (else the rules' pick)."""
        use = self.model is not None and self.model.ranks("org")
        if not self.record and not use:
            return rule
        cands = self.org_candidates(pos, head, modifiers, content, rule)
        return self._decide("org", cands, rule, use)

    def _decide(self, kind: str, cands: list[Candidate], rule: str | None, use: bool) -> str | None:
        """The model's pick among `cands` when `use`d, else the rules'; each decision
        with its candidates kept for training (`record`)."""
        if not cands:
            return rule
        decision = Decision(quote=self.current, kind=kind, candidates=cands, chosen=rule)
        self.decisions.append(decision)
        if use and self.model is not None:
            best = self.model.best(cands)
            if best is not None:
                decision.chosen = best.entity
        return decision.chosen

    def org_candidates(
        self, pos: int, head: str, modifiers: list[str], content: Span, rule: str | None
    ) -> list[Candidate]:
        surnames = self.person_surnames()
        last: dict[str, int] = {}
        ents: dict[str, Entity] = {}
        for ent in self.others:
            if ent.type != "ORG" or fold(ent.name) in surnames or is_outlet(ent.name):
                continue
            before = [s for s, _ in ent.mentions if self.floor <= s < pos and pos - s <= 3000]
            if before or ent.id == rule:
                ents[ent.id] = ent
                if before:
                    last[ent.id] = before[-1]
        by_recency = sorted(last, key=lambda e: -last[e])
        para = self.paragraph_of(pos)
        sent = self.sentence_of(pos)
        out: list[Candidate] = []
        for eid, ent in ents.items():
            name = ent.name.lower()
            f: dict[str, float] = {"o_rule": float(eid == rule)}
            f["o_head_in_name"] = float(head in name.split() or head in name)
            if modifiers:
                f["o_modifiers"] = float(all(m in name for m in modifiers))
            if eid in last:
                at = last[eid]
                f[f"o_recent_{min(by_recency.index(eid), 3)}"] = 1.0
                f["o_log_dist"] = math.log1p((pos - at) / 100)
                f[f"o_sent_{min(sent - self.sentence_of(at), 3)}"] = 1.0
                f["o_same_para"] = float(self.paragraph_of(at) == para)
                f["o_subject"] = float(self.is_subject(at))
            n = sum(1 for s, _ in ent.mentions if s < pos)
            f["o_mentions"] = math.log1p(n)
            f["o_last_speaker"] = float(
                self.last_speaker is not None and self.last_speaker[1] == eid
            )
            f["o_quotes"] = math.log1p(self.quote_count.get(eid, 0))
            f["o_in_quote"] = float(any(content[0] <= s < content[1] for s, _ in ent.mentions))
            out.append(Candidate(entity=eid, features=f))
        return out

    def candidates(
        self,
        kind: str,
        pos: int,
        gender: str | None,
        role: str | None,
        content: Span,
        rule: str | None,
    ) -> list[Candidate]:
        """People met in the window before `pos` (for a nominal, also those first
        named just after it in its paragraph), with their features."""
        last: dict[str, int] = {}
        last_strong: dict[str, int] = {}
        for ev in self.salience:
            if ev.pos >= pos:
                break
            if pos - ev.pos > _SALIENCE_WINDOW or ev.entity not in self.people.by_id:
                continue
            last[ev.entity] = ev.pos
            if ev.strong:
                last_strong[ev.entity] = ev.pos
        para = self.paragraph_of(pos)
        after: dict[str, int] = {}
        if kind == "nominal":
            for (s, _), pid in self.mentions:
                if pos < s <= pos + NAMED_AFTER and self.paragraph_of(s) == para:
                    after.setdefault(pid, s)
        ids = sorted(set(last) | set(after) | ({rule} if rule else set()))
        by_recency = sorted(last, key=lambda e: -last[e])
        by_strong = sorted(last_strong, key=lambda e: -last_strong[e])
        first_person = min(
            self.people.people, key=lambda p: min(p.mentions, default=(10**9, 0)), default=None
        )
        sent = self.sentence_of(pos)
        # Nearness among the people the gender allows: what the rules read first.
        agreeing = [e for e in by_recency if self._gender_fits(e, gender)]
        anaphor = self._token_at(pos)
        out: list[Candidate] = []
        for eid in ids:
            person = self.people.by_id.get(eid)
            if person is None:
                continue
            f: dict[str, float] = {"rule": float(eid == rule)}
            if eid in last:
                at = last[eid]
                rank = by_recency.index(eid)
                f[f"recent_{min(rank, 4)}"] = 1.0
                f["log_dist"] = math.log1p((pos - at) / 100)
                gap = sent - self.sentence_of(at)
                f[f"sent_{min(gap, 3)}"] = 1.0
                f["same_para"] = float(self.paragraph_of(at) == para)
                if eid in agreeing:
                    f[f"agree_{min(agreeing.index(eid), 2)}"] = 1.0
                f.update(_syntax(self._token_at(at), anaphor, self.reported, at))
            else:
                f["after"] = 1.0
                f["after_dist"] = math.log1p((after.get(eid, pos) - pos) / 100)
            if eid in last_strong:
                f[f"strong_{min(by_strong.index(eid), 3)}"] = 1.0
            f["last_speaker"] = float(self.last_speaker is not None and self.last_speaker[1] == eid)
            f["quotes"] = math.log1p(self.quote_count.get(eid, 0))
            before = [m for m in person.mentions if m[0] < pos]
            f["mentions"] = math.log1p(len(before))
            f["reported_only"] = float(
                bool(before) and all(any(a <= m[0] < b for a, b in self.reported) for m in before)
            )
            f["in_quote"] = float(any(content[0] <= m[0] < content[1] for m in person.mentions))
            if gender:
                if person.gender:
                    f["gender_agree" if person.gender == gender else "gender_clash"] = 1.0
                elif person.likely_gender:
                    f["likely_agree" if person.likely_gender == gender else "likely_clash"] = 1.0
            roles = " ".join(person.roles).lower().split()
            f["has_role"] = float(bool(roles))
            if role:
                f["role_match"] = float(role in roles)
                f["role_clash"] = float(bool(roles) and role not in roles)
            f["unnamed"] = float(eid in self.unnamed)
            f["first_person"] = float(person is first_person)
            if kind == "nominal":
                f = {**f, **{f"n_{k}": v for k, v in f.items()}}
            out.append(Candidate(entity=eid, features=f))
        return out

    def _gender_fits(self, eid: str, gender: str | None) -> bool:
        person = self.people.by_id.get(eid)
        if person is None or not gender:
            return person is not None
        return person.likely_gender in (None, gender)

    def resolve_nominal(self, pos: int, head: str, after: list[str] | None = None) -> str | None:
        """'The official': the latest person holding that role, else the most salient
        person. `after`: the words after the head ("the mother of four": "of four"),
        which a role with other words there ("a mother of two") contradicts."""
        for s in reversed([s for s in self.salience if s.pos < pos]):
            person = self.people.by_id.get(s.entity)
            if person and any(_role_fits(r, head, after) for r in person.roles):
                return person.id
        return self.salient(pos, NOMINAL_GENDER.get(head))

    def role_holder(self, pos: int, head: str, modifiers: list[str]) -> str | None:
        """The person whose role has `head` and every modifier ("interior minister"):
        the latest named before `pos`, else the first named within _ROLE_AFTER after."""
        want = [w for w in modifiers if w not in ROLE_CONNECTORS]

        def holds(person: Person) -> bool:
            return any(
                head in r.lower().split() and all(w in r.lower().split() for w in want)
                for r in person.roles
            )

        for s in reversed([s for s in self.salience if s.pos < pos]):
            person = self.people.by_id.get(s.entity)
            if person is not None and pos - s.pos <= _SALIENCE_WINDOW and holds(person):
                return person.id
        later = [
            (min(m for m in p.mentions if m[0] > pos), p)
            for p in self.people.people
            if any(pos < m[0] <= pos + _ROLE_AFTER for m in p.mentions) and holds(p)
        ]
        return min(later, key=lambda mp: mp[0])[1].id if later else None

    def anonymous(self, text: str, pos: int) -> Person:
        """An unnamed speaker ("a justice official"), findable by its role later."""
        words = text.split()
        if words and words[0].lower() in ("a", "an", "one", "another"):
            words = words[1:]
        person = Person(id=f"p{len(self.people.people) + 1}", words=words)
        person.roles.append(" ".join(words))
        person.mentions.append((pos, pos + len(text)))
        self.people.people.append(person)
        self.people.by_id[person.id] = person
        self.unnamed.append(person.id)
        # Weak: a later "he" more likely means the named person the story follows.
        self.note(pos, person.id, strong=False)
        return person

    def mention_pos(self, eid: str, pos: int) -> int:
        """Where the group or organisation `eid` was last mentioned before `pos`."""
        for ent in [*self.groups, *self.others]:
            if ent.id == eid:
                return max((s for s, _ in ent.mentions if s < pos), default=-1)
        return -1

    def _token_at(self, pos: int) -> Token | None:
        span = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def subordinate(self, pos: int) -> bool:
        """Whether the mention at `pos` is the subject of a subordinate clause
        ("Although Trump has tweeted that ..."): less salient for a later "he"."""
        tok = self._token_at(pos)
        if tok is None:
            return False
        while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
            tok = tok.head
        return subordinate(tok.head)

    def is_subject(self, pos: int) -> bool:
        """Whether the mention at `pos` is a narrative subject (not inside a quote)."""
        tok = self._token_at(pos)
        return tok is not None and main_subject(tok, self.reported)

    def person_surnames(self) -> set[str]:
        """Folded surnames of the article's people: an ORG-typed one is a person."""
        return {p.folded[-1] for p in self.people.people if p.folded}

    def note(self, pos: int, pid: str, strong: bool = True) -> None:
        keys = [s.pos for s in self.salience]
        self.salience.insert(bisect_right(keys, pos), Salient(pos, pid, strong))

    def group(self, text: str, pos: int) -> Entity:
        name = self._org_name(text, pos)
        span = (pos, pos + len(text))
        for ent in [*self.others, *self.groups]:
            if ent.type in ("ORG", "GROUP") and fold(ent.name) == fold(name):
                break
        else:
            ent = Entity(id=f"c{len(self.groups) + 1}", type="GROUP", name=name)
            self.groups.append(ent)
        if span not in ent.mentions:
            ent.mentions.append(span)
            ent.mentions.sort()
        return ent

    def _org_name(self, text: str, pos: int) -> str:
        """'the separatist government of the region' -> '... of Karabakh': a
        'the region/country/city' inside resolves to the latest such place."""
        name = text.strip()
        low = name.lower()
        for det in _DETERMINERS:
            if low.startswith(det):
                name = name[len(det) :]
                break
        for kind in ("region", "country", "city"):
            phrase = f"the {kind}"
            if phrase in name.lower():
                place = self.latest_place(pos, kind)
                if place is not None:
                    k = name.lower().index(phrase)
                    name = name[:k] + place.name + name[k + len(phrase) :]
        return name

    def latest_place(self, pos: int, kind: str) -> Entity | None:
        """The place of that kind named last before `pos`."""
        best: tuple[int, Entity] | None = None
        for ent in self.others:
            if ent.type != "PLACE":
                continue
            ok = ent.kind == kind or (kind == "region" and ent.kind in ("region", "state"))
            if not ok:
                continue
            for s, _ in ent.mentions:
                if s < pos and (best is None or s > best[0]):
                    best = (s, ent)
        return best[1] if best else None


_OBJECTS = ("dobj", "pobj", "iobj", "dative", "attr", "oprd")


def _syntax(cand: Token | None, anaphor: Token | None, reported: list[Span], at: int) -> Features:
    """The grammatical role of a candidate's latest mention and how it stands to the
    anaphor: a subject (of a speech verb), an object, a possessor; inside reported
    words; the same clause as the anaphor (binding: "Smith saw him" is not Smith);
    both subjects (parallel roles)."""
    f: Features = {"last_in_reported": float(any(a <= at < b for a, b in reported))}
    if cand is None:
        return f
    while cand.dep_ in ("compound", "flat") and cand.head.i != cand.i:
        cand = cand.head
    dep = cand.dep_
    subject = dep in ("nsubj", "nsubjpass")
    f["last_subj"] = float(subject)
    f["last_obj"] = float(dep in _OBJECTS)
    f["last_poss"] = float(dep == "poss")
    f["last_speech_subj"] = float(subject and cand.head.lemma_.lower() in CUES)
    if anaphor is not None:
        f["same_clause"] = float(cand.head.i == anaphor.head.i and cand.i != anaphor.i)
        f["both_subj"] = float(subject and anaphor.dep_ in ("nsubj", "nsubjpass"))
    return f
