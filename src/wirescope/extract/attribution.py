"""Speaker attribution: which person, group or organisation each quote's speaker
mention means.

Pronouns and nominals ("the official") resolve to the most salient compatible
person at that point of the text (the latest speaker or subject whose gender
agrees); organisations and groups to the latest one named. `resolve_speakers`
returns its assignments and leaves the quotes and entities it is given alone.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from wirescope.extract.entity_types import EntTuple
from wirescope.extract.lexicon import (
    CUES,
    NOMINAL_GENDER,
    ORG_NOUNS,
    PEOPLE_GROUPS,
    PERSON_NOUNS,
    PRONOUNS,
    ROLE_CONNECTORS,
    fold,
)
from wirescope.extract.mentions import (
    APPOSITION,
    POSSESSIVE,
    Person,
    Salient,
    Span,
    add_role,
    collect_people,
    head_noun,
    is_name,
    is_outlet,
    main_subject,
    mention_person,
    split_honorifics,
    subordinate,
    trailing_name,
)
from wirescope.extract.quote_base import mention_span
from wirescope.extract.speaker_model import Candidate, Decision, SpeakerModel
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Entity, Quote, SpeakerRef

_DETERMINERS = ("the ", "a ", "an ", "this ", "that ", "its ", "his ", "her ", "their ")
_SALIENCE_WINDOW = 6000  # characters a pronoun looks back for its antecedent
_NAMED_AFTER = 400  # characters after an unnamed speaker in which a new name names it
_ROLE_AFTER = 1500  # characters after a role-only mention in which its holder is named
_ORG_NEAR = 600  # "the company" right after an organisation spoke or acted means it


class _Resolver:
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
        if not self.record and not (self.model and self.model.weights):
            return rule  # the rules decide and nobody asked for the candidates
        cands = self.candidates(kind, pos, gender, role, content, rule)
        if not cands:
            return rule
        decision = Decision(quote=self.current, kind=kind, candidates=cands, chosen=rule)
        self.decisions.append(decision)
        if self.model is not None and self.model.weights:
            best = self.model.best(cands)
            if best is not None:
                decision.chosen = best.entity
        return decision.chosen

    def rank_org(
        self, pos: int, head: str, modifiers: list[str], content: Span, rule: str | None
    ) -> str | None:
        """'The company said': the organisation the model ranks first among those
        named before (else the rules' pick)."""
        if not self.record and not (self.model and self.model.weights):
            return rule
        cands = self.org_candidates(pos, head, modifiers, content, rule)
        if not cands:
            return rule
        decision = Decision(quote=self.current, kind="org", candidates=cands, chosen=rule)
        self.decisions.append(decision)
        if self.model is not None and self.model.weights:
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
            before = [s for s, _ in ent.mentions if s < pos and pos - s <= 3000]
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
                if pos < s <= pos + _NAMED_AFTER and self.paragraph_of(s) == para:
                    after.setdefault(pid, s)
        ids = sorted(set(last) | set(after) | ({rule} if rule else set()))
        by_recency = sorted(last, key=lambda e: -last[e])
        by_strong = sorted(last_strong, key=lambda e: -last_strong[e])
        first_person = min(
            self.people.people, key=lambda p: min(p.mentions, default=(10**9, 0)), default=None
        )
        sent = self.sentence_of(pos)
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

    def resolve_nominal(self, pos: int, head: str) -> str | None:
        for s in reversed([s for s in self.salience if s.pos < pos]):
            person = self.people.by_id.get(s.entity)
            if person and any(head in r.lower().split() for r in person.roles):
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
        return span.root if span is not None else None

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


@dataclass(frozen=True)
class Attribution:
    """What `resolve_speakers` found: each quote's resolved speaker (aligned with
    the quotes it was given), the people and speaking groups, and copies of the
    given places and organisations with the quotes and mentions they gained."""

    speakers: list[SpeakerRef | None]
    people: list[Entity]
    others: list[Entity]
    decisions: list[Decision] = field(default_factory=list)  # the ranked mentions

    def apply(self, quotes: list[Quote]) -> list[Quote]:
        """The quotes with their resolved speakers (new objects; the given stay)."""
        return [replace(q, speaker=s) for q, s in zip(quotes, self.speakers, strict=True)]


def _copy_quote(q: Quote) -> Quote:
    return replace(q, speaker=replace(q.speaker) if q.speaker else None)


def _copy_entity(e: Entity) -> Entity:
    return replace(e, mentions=list(e.mentions), quotes=list(e.quotes))


def resolve_speakers(
    article: Article,
    doc: Doc,
    given: list[Quote],
    given_others: list[Entity],
    ents: list[EntTuple],
    model: SpeakerModel | None = None,
    record: bool = False,
) -> Attribution:
    """Resolve every quote's speaker to a person, group or organisation; the
    quotes and entities given are read, never changed. ents: the typed entities
    (entity_types.corrected_ents), where the people are found. With `model`, pronoun
    and nominal mentions go to the candidate it ranks first, else to the rules' pick;
    with `record`, each such decision and its candidates come back too (training)."""
    # The resolution below fills in speakers and mentions as it reads the story:
    # it works on copies, and what it made is handed back as the result.
    quotes = [_copy_quote(q) for q in given]
    others = [_copy_entity(e) for e in given_others]
    dl = article.dateline
    reported = [q.span for q in quotes]
    floor = dl.span[1] if dl and dl.span else 0
    res = _Resolver(doc, ents, others, floor, reported, article.paragraphs, model, record)
    _org_string_mentions(res, ents)
    people = res.people
    text = doc_text(doc)
    headline: list[Quote] = []
    last: Quote | None = None
    order = sorted(range(len(quotes)), key=lambda k: quotes[k].span[0])
    for k in order:
        q = quotes[k]
        res.current = k
        if article.headline_span and q.span[1] <= article.headline_span[1]:
            headline.append(q)
            continue
        spk = q.speaker
        if spk is None:
            _inherit(q, last, res)
        else:
            _resolve_mention(q, spk, res, text)
        if q.speaker is not None and q.speaker.entity:
            last = q
            res.last_speaker = (q.span[1], q.speaker.entity)
            res.quote_count[q.speaker.entity] = res.quote_count.get(q.speaker.entity, 0) + 1
    _name_the_unnamed(res, quotes)
    for q in headline:
        _resolve_headline(q, quotes, res)
    entities: list[Entity] = []
    by_id: dict[str, Entity] = {}
    for p in people.people:
        ent = Entity(
            id=p.id,
            type="PERSON",
            name=p.name,
            honorifics=p.honorifics,
            roles=p.roles,
            gender=p.gender,
            mentions=sorted(set(p.mentions)),
        )
        entities.append(ent)
        by_id[p.id] = ent
    for g in res.groups:
        entities.append(g)
        by_id[g.id] = g
    for o in others:
        by_id.setdefault(o.id, o)
    for q in quotes:
        if q.speaker and q.speaker.entity in by_id:
            ent = by_id[q.speaker.entity]
            q.speaker.name = ent.name
            ent.quotes.append(q.id)
            if q.speaker.mention_type != "none" and q.speaker.span not in ent.mentions:
                ent.mentions.append(q.speaker.span)
                ent.mentions.sort()
    return Attribution(
        speakers=[q.speaker for q in quotes],
        people=entities,
        others=others,
        decisions=res.decisions,
    )


_DOCUMENT_NOUNS = frozenset(
    [
        "statement",
        "report",
        "tweet",
        "post",
        "memo",
        "study",
        "release",
        "letter",
        "email",
        "e-mail",
        "document",
        "documents",
        "filing",
        "website",
        "survey",
        "poll",
        "findings",
        "analysis",
        "message",
        "notice",
    ]
)


_INSTITUTION_NOUNS = ORG_NOUNS - _DOCUMENT_NOUNS

# "The military said": the country's forces, not the latest organisation named
# (a company, a place the NER typed ORG), unless one is named by that noun.
_STATE_FORCES = frozenset(["military", "army", "police", "navy", "government"])


def _appositive_person(root: Token, res: _Resolver) -> str | None:
    """A person named inside the apposition of a speaker mention's head."""
    for child in root.children:
        if child.dep_ != "appos":
            continue
        end = child.right_edge.idx + len(child.right_edge.text)
        found = mention_person((child.left_edge.idx, end), res.mentions)
        if found is not None:
            return found
    return None


def _possessor(tok: Token) -> bool:
    """'The Governor's Office': the governor owns the office, which speaks."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.dep_ == "poss" or (nxt is not None and nxt.lower_ in ("'s", "’s"))


def _resolve_mention(q: Quote, spk: SpeakerRef, res: _Resolver, text: str) -> None:
    low = spk.text.lower().strip()
    words = low.split()
    det = words[0] if words else ""
    span = res.doc.char_span(spk.span[0], spk.span[1], alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    head = root.lower_ if root is not None else head_noun(spk.text)
    if det in _NOMINAL_DETS and span is not None:
        # "The former sergeant-at-arms of the House of Commons": the role word
        # before the first preposition heads the mention, whatever the parse says.
        for tok in span[1:]:
            if tok.dep_ == "prep" and tok.whitespace_ and tok.i > span.start + 1:
                break
            if tok.lower_ in PERSON_NOUNS and not _possessor(tok):
                head = tok.lower_
    pos = spk.span[0]
    if low in PRONOUNS:
        _resolve_pronoun(spk, res, low, q.span)
        return
    owner = _OWNED_DOCUMENT.match(spk.text)
    if owner and owner.group(1).lower() in _INSTITUTION_NOUNS:
        rest = spk.text[owner.end() :]
        if head in _DOCUMENT_NOUNS or head_noun(rest) in _NAMED_DOCUMENTS:
            # "According to the city's Street Needs Assessment": the city speaks.
            by = SpeakerRef(span=(pos, pos + owner.end(1)), text=spk.text[: owner.end(1)])
            _resolve_mention(q, by, res, text)
            if by.entity is not None:
                spk.mention_type, spk.entity = "org", by.entity
                return
    known = _known_person(res, spk.text, pos)
    if known is not None:
        # A surname the NER typed as an organisation ("Vickers said").
        spk.mention_type = "name"
        spk.entity = known
        res.mentions.append((spk.span, known))
        res.note(pos, known, strong=not res.subordinate(pos))
        return
    # The tagger calls "the minister" PROPN at times: the word list decides.
    nominal = root is not None and (head in PERSON_NOUNS or "year-old" in low)
    if nominal and root is not None:
        # "Another diplomat, former special envoy Kurt Volker, said": the name in
        # the apposition is who speaks.
        named_in = _appositive_person(root, res)
        if named_in is not None:
            spk.mention_type = "nominal"
            spk.entity = named_in
            res.note(pos, named_in)
            return
    if nominal and POSSESSIVE.search(det) and len(words) > 1:
        # "Austria's interior minister said": whoever holds that office in the story,
        # named before or just after.
        holder = res.role_holder(pos, head, words[1:-1])
        if holder is not None:
            spk.mention_type = "nominal"
            spk.entity = holder
            res.note(pos, holder)
            return
    if nominal and det in ("the", "this", "that"):
        # "the official", "the lawyer for X": the person holding that role here.
        spk.mention_type = "nominal"
        role = "year-old" if "year-old" in head else head
        spk.entity = res.rank(
            "nominal", pos, NOMINAL_GENDER.get(role), role, q.span, res.resolve_nominal(pos, role)
        )
        if spk.entity:
            res.note(pos, spk.entity)
            return
    pid = mention_person(spk.span, res.mentions)
    # "Trudeau's office said": the office speaks, not Trudeau ("Foster's book" is
    # Foster's words, though: a document speaks for its author).
    owned = head not in _DOCUMENT_NOUNS and any(
        pid_ == pid and spk.span[0] <= s < spk.span[1] and text[e : e + 2] in ("'s", "’s")
        for (s, e), pid_ in res.mentions
    )
    speaks = head in ORG_NOUNS or head in PERSON_NOUNS or head == "staff"
    if pid is not None and owned and speaks:
        spk.mention_type = "org" if head in ORG_NOUNS else "nominal"
        spk.entity = res.group(spk.text, pos).id
        return
    if pid is not None:
        spk.mention_type = "name"
        spk.entity = pid
        res.note(pos, pid, strong=not res.subordinate(pos))
        return
    if nominal and det in ("a", "an", "one", "another"):
        spk.mention_type = "nominal"
        named_as = _NAMED_AS.match(text, spk.span[1])
        if named_as:
            # "An agency official named Jhony told reporters": Jhony, with that role.
            person = res.people.add(named_as.group(1).split(), named_as.start(1))
            person.mentions.append((named_as.start(1), named_as.end(1)))
            add_role(person, " ".join(spk.text.split()[1:]))
            spk.entity = person.id
            res.note(pos, person.id)
            return
        # "a justice official": someone new; a later "the official" refers back.
        spk.entity = res.anonymous(spk.text, pos).id
        return
    # "A group representing rural counties": an indefinite institution is met
    # here for the first time, not one named before (a document is still its author's).
    indefinite = det in ("a", "an") and head not in _DOCUMENT_NOUNS
    speaks_for = head in ORG_NOUNS or head in _DOCUMENT_NOUNS  # "the memo said": its author
    if det in ("the", "this", "its", "a", "an") and speaks_for and not indefinite:
        spk.mention_type = "org"
        modifiers = [w for w in words[1:-1] if w not in ROLE_CONNECTORS]
        if head in _DOCUMENT_NOUNS:
            # "A statement from the EU": the author is named inside the mention.
            inner = _overlapping(spk.span, res.others)
            named = mention_person(spk.span, res.mentions)
            target = (
                (inner.id if inner else named)
                or (_document_author(res, root) if root is not None else None)
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
        if target is not None:
            spk.entity = target
            if target in res.people.by_id:
                res.note(pos, target)  # the author of a statement is who "he" means next
            return
    org = _overlapping(spk.span, res.others, at_end=True)
    if org is not None:
        spk.mention_type = "org"
        spk.entity = org.id
        return
    name_text = trailing_name(spk.text)
    org = _named_org(res, name_text)
    if org is not None:
        spk.mention_type = "org"
        spk.entity = org.id
        return
    if name_text and head not in ORG_NOUNS:
        _, name_words = split_honorifics(name_text.split())
        name_words = [POSSESSIVE.sub("", w) for w in name_words if w]
        if name_words:
            person = res.people.add(name_words, pos)
            person.mentions.append(spk.span)
            spk.mention_type = "name"
            spk.entity = person.id
            res.mentions.append((spk.span, person.id))
            res.note(pos, person.id)
            return
    spk.mention_type = "org" if head in ORG_NOUNS or is_name(spk.text) else "nominal"
    spk.entity = res.group(spk.text, pos).id


_NEXT_CAPITALIZED = re.compile(r"[ \t]+[A-Z]")


def _org_string_mentions(res: _Resolver, ents: list[EntTuple]) -> None:
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
_NAMED_DOCUMENTS = _DOCUMENT_NOUNS | {"assessment", "review", "audit", "census", "index"}
_OWNED_DOCUMENT = re.compile(r"(?:[Tt]he|[Tt]his) ([a-z]+)(?:'s|’s)\s+")


_NOMINAL_DETS = ("the", "this", "that", "a", "an", "one", "another")


_NAMED_AS = re.compile(
    r",?\s+(?:named|called|identified as)\s+([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})"
)


def _known_person(res: _Resolver, text: str, pos: int) -> str | None:
    """A name-like mention whose words name a person already in the article."""
    name = trailing_name(text)
    if not name or len(name.split()) > 4 or head_noun(name) in ORG_NOUNS:
        return None
    words = [fold(POSSESSIVE.sub("", w)) for w in name.split()]
    best: tuple[int, str] | None = None
    for person in res.people.people:
        if not person.folded or not (
            words == person.folded or (len(words) == 1 and words[0] == person.folded[-1])
        ):
            continue
        # Only people already named at this point; the latest named wins.
        seen = [m[0] for m in person.mentions if m[0] < pos]
        if seen and (best is None or max(seen) > best[0]):
            best = (max(seen), person.id)
    return best[1] if best else None


def _resolve_pronoun(spk: SpeakerRef, res: _Resolver, low: str, content: Span) -> None:
    spk.mention_type = "pronoun"
    gender = PRONOUNS[low]
    pos = spk.span[0]
    if low in ("they", "we", "it"):
        prev = _latest_group_speaker(res, pos)
        if low == "they":
            # "The Conservatives believe ...; they say": the nearer of the two.
            plural = _plural_subject(res, pos)
            if plural is not None and (
                prev is None or res.mention_pos(plural, pos) > res.mention_pos(prev, pos)
            ):
                prev = plural
        if prev is not None:
            spk.entity = prev
            return
        if low == "they":
            return  # never a single person
    # "Macharia hid under a desk, he said": a person named in the words is not "he".
    named = frozenset(pid for (s, _), pid in res.mentions if content[0] <= s < content[1])
    spk.entity = res.rank("pronoun", pos, gender, None, content, res.salient(pos, gender, named))
    person = res.people.by_id.get(spk.entity or "")
    if person is not None:
        if person.gender is None and gender:
            person.gender = gender
        res.note(pos, person.id)


def _previous_speaker(res: _Resolver, q: Quote, pos: int) -> str | None:
    """'The statement said' / 'the report found': the author last quoted nearby."""
    best = res.last_speaker
    if best is not None and 0 <= pos - best[0] < 1500:
        return best[1]
    return _latest_org(res, pos, None)


def _latest_org(
    res: _Resolver,
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
        before = [s for s, _ in ent.mentions if s < pos]
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


def _plural_subject(res: _Resolver, pos: int) -> str | None:
    """'The Conservatives ... they said': the latest plural subject before `they`."""
    doc = res.doc
    text = doc_text(doc)
    k = bisect_right([t.idx for t in doc], pos - 1)
    for tok in reversed(doc[:k]):
        if pos - tok.idx > 1500:
            break
        if any(s <= tok.idx < e for s, e in res.reported):
            continue  # a subject inside the reported words is not who speaks
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NNS", "NNPS"):
            start = tok.left_edge.idx
            if "," in text[start : tok.idx]:
                start = tok.idx
            return res.group(text[start : tok.idx + len(tok.text)], tok.idx).id
    return None


def _latest_group_speaker(res: _Resolver, pos: int) -> str | None:
    best: tuple[int, str] | None = None
    surnames = res.person_surnames()
    for ent in [*res.groups, *res.others]:
        if is_outlet(ent.name):
            continue  # the outlet reporting is not "they"
        if ent.type == "ORG" and fold(ent.name) in surnames:
            continue  # "Trump" typed ORG is a person, never "they"
        for s, _ in ent.mentions:
            if any(a <= s < b for a, b in res.reported):
                continue  # named inside someone's words: not who "it" is
            if s < pos and (best is None or s > best[0]) and ent.type in ("GROUP", "ORG"):
                best = (s, ent.id)
    return best[1] if best and pos - best[0] < 1500 else None


def _document_author(res: _Resolver, noun: Token) -> str | None:
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
            org = _overlapping(span, res.others, at_end=True)
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


def _earlier_author(res: _Resolver, head: str, pos: int) -> str | None:
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
        found = _document_author(res, tok)
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


def _entity_of(res: _Resolver, tok: Token) -> str | None:
    """The person or organisation a noun phrase's head names."""
    span = mention_span(tok)
    found = mention_person(span, res.mentions)
    if found is not None:
        return found
    org = _overlapping(span, res.others, at_end=True)
    return org.id if org is not None else None


def _name_the_unnamed(res: _Resolver, quotes: list[Quote]) -> None:
    """'A Superior Court judge chastised the station ... Justice Sean Dunphy
    directed ...': an unnamed speaker is the person newly named as the subject
    right after, unless that person is given another role."""
    people = res.people
    text = doc_text(res.doc)
    for uid in res.unnamed:
        anon = people.by_id[uid]
        at = anon.mentions[0][1]
        head = head_noun(anon.roles[0]) if anon.roles else ""
        # The first mention of each named person first named after the unnamed one.
        firsts = [
            (min(p.mentions), p)
            for p in people.people
            if p.mentions and p.id != uid and p.id not in res.unnamed
        ]
        new = [(m, p) for m, p in firsts if m[0] > at]
        if not new:
            continue
        (first, end), named = min(new, key=lambda mp: mp[0])
        if first - at > _NAMED_AFTER or not res.is_subject(first):
            continue
        own = [q for q in quotes if q.speaker is not None and q.speaker.entity == uid]
        if len(own) > 1 and any(at < q.span[0] < first for q in own):
            continue  # the story went on quoting the unnamed speaker: someone else
        appos = APPOSITION.match(text, end)
        titles = " ".join(
            [*named.roles, *named.honorifics, appos.group(1) if appos else ""]
        ).lower()
        if titles.strip() and head not in titles and not _same_office(head, titles):
            continue  # "A police officer said ... John Smith, a neighbour, said"
        for q in quotes:
            if q.speaker is not None and q.speaker.entity == uid:
                q.speaker.entity = named.id
        for r in anon.roles:
            add_role(named, r)
        named.mentions.extend(anon.mentions)
        people.people.remove(anon)
        del people.by_id[uid]


def _same_office(head: str, titles: str) -> bool:
    return head == "judge" and "justice" in titles.split()


def _named_org(res: _Resolver, name: str | None) -> Entity | None:
    """The organisation a one-word name denotes elsewhere ("Facebook")."""
    if not name or " " in name.strip() or _known_person(res, name, 10**9):
        return None
    folded = fold(POSSESSIVE.sub("", name.strip()))
    return next((e for e in res.others if e.type == "ORG" and fold(e.name) == folded), None)


def _overlapping(span: Span, ents: list[Entity], at_end: bool = False) -> Entity | None:
    """An organisation named inside the mention; with `at_end`, one that heads it
    ("China's Xinhua News Agency", not the "Vern" the NER cut from "Vern Sparkes")."""
    for ent in ents:
        if ent.type != "ORG":
            continue
        for s, e in ent.mentions:
            if s < span[1] and span[0] < e and (not at_end or e >= span[1] - 2):
                return ent
    return None


def _inherit(q: Quote, last: Quote | None, res: _Resolver) -> None:
    """A direct quote with no attribution of its own continues the previous speaker;
    a reported claim with no source ("it is feared that ...") has none."""
    if q.kind != "direct":
        return
    if last is not None and last.speaker is not None and q.span[0] - last.span[1] < 2500:
        src = last.speaker
        q.speaker = SpeakerRef(span=src.span, text=src.text, mention_type="none", entity=src.entity)
        return
    pid = res.salient(q.span[0], None)
    if pid is not None:
        person = res.people.by_id[pid]
        span = max((m for m in person.mentions if m[0] < q.span[0]), default=person.mentions[0])
        q.speaker = SpeakerRef(
            span=span, text=doc_text(res.doc)[span[0] : span[1]], mention_type="none", entity=pid
        )


def _resolve_headline(q: Quote, quotes: list[Quote], res: _Resolver) -> None:
    """'Official: ...' names the story's lead speaker; a name names that person."""
    spk = q.speaker
    if spk is None:
        return
    if is_name(spk.text) and head_noun(spk.text) not in PERSON_NOUNS:
        folded = [fold(w) for w in spk.text.split()]
        for p in res.people.people:
            if p.folded[-1] == folded[-1]:
                spk.entity, spk.mention_type = p.id, "name"
                return
    body = [x for x in quotes if x is not q and x.speaker and x.speaker.entity]
    if body:
        lead = min(body, key=lambda x: x.span[0])
        assert lead.speaker is not None
        spk.entity = lead.speaker.entity
