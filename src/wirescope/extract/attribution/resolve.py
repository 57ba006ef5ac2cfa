"""Resolve every quote's speaker mention, in the order the story tells them, by the
kind of mention: a pronoun (pronouns.py), a name (names.py), a description of a
person (descriptions.py), an organisation or its document (organisations.py). The
story read so far (who was met, how salient) is context.py's Resolver."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from wirescope.extract.attribution.context import Resolver, SpeakerMention
from wirescope.extract.attribution.descriptions import (
    NOMINAL_DETS,
    possessor,
    resolve_definite,
    resolve_indefinite,
)
from wirescope.extract.attribution.names import (
    name_the_unnamed,
    resolve_known,
    resolve_named,
    resolve_new_name,
    resolve_org_name,
)
from wirescope.extract.attribution.organisations import (
    INSTITUTION_NOUNS,
    NAMED_DOCUMENTS,
    OWNED_DOCUMENT,
    POLLS,
    org_string_mentions,
    resolve_org_noun,
)
from wirescope.extract.attribution.pronouns import pronoun_referent, resolve_pronoun
from wirescope.extract.entity_types import EntTuple
from wirescope.extract.lexicon import (
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PRONOUNS,
    fold,
)
from wirescope.extract.mentions import (
    head_noun,
    is_name,
)
from wirescope.extract.quote_base import coordinated
from wirescope.extract.speaker_model import Decision, SpeakerModel
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Entity, Quote, Span, SpeakerRef


@dataclass(frozen=True)
class Attribution:
    """What `resolve_speakers` found: each quote's resolved speaker (aligned with
    the quotes it was given), the people and speaking groups, and copies of the
    given places and organisations with the quotes and mentions they gained."""

    speakers: list[SpeakerRef | None]
    people: list[Entity]
    others: list[Entity]
    decisions: list[Decision] = field(default_factory=list)  # the ranked mentions
    # The story as the resolution read it, for pronouns that are no speaker (events).
    resolver: Resolver | None = field(default=None, compare=False, repr=False)

    def pronoun(self, span: Span, word: str, within: Span | None = None) -> str | None:
        """The entity id (of `people` or `others`) a pronoun at `span` means, as a
        speaker "he", "she" or "they" there would be resolved; None if nobody.
        within: the span of the quote whose words hold it."""
        if self.resolver is None:
            return None
        return pronoun_referent(self.resolver, span, word, within)

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
    res = Resolver(doc, ents, others, floor, reported, article.paragraphs, model, record)
    org_string_mentions(res, ents)
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
            res.last_mention = q.speaker.span
            res.quote_count[q.speaker.entity] = res.quote_count.get(q.speaker.entity, 0) + 1
    name_the_unnamed(res, quotes)
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
        resolver=res,
    )


def _resolve_mention(q: Quote, spk: SpeakerRef, res: Resolver, text: str) -> None:
    low = spk.text.lower().strip()
    words = low.split()
    det = words[0] if words else ""
    span = res.doc.char_span(spk.span[0], spk.span[1], alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    head = root.lower_ if root is not None else head_noun(spk.text)
    if det in NOMINAL_DETS and span is not None:
        # "The former sergeant-at-arms of the House of Commons": the role word
        # before the first preposition heads the mention, whatever the parse says.
        for tok in span[1:]:
            if tok.dep_ == "prep" and tok.whitespace_ and tok.i > span.start + 1:
                break
            if tok.lower_ in PERSON_NOUNS and not possessor(tok):
                head = tok.lower_
    pos = spk.span[0]
    if low in PRONOUNS:
        resolve_pronoun(spk, res, low, q.span)
        return
    owner = OWNED_DOCUMENT.match(spk.text)
    if owner and owner.group(1).lower() in INSTITUTION_NOUNS and head not in POLLS:
        rest = spk.text[owner.end() :]
        if head in DOCUMENT_NOUNS or head_noun(rest) in NAMED_DOCUMENTS:
            # "According to the city's Street Needs Assessment": the city speaks.
            by = SpeakerRef(span=(pos, pos + owner.end(1)), text=spk.text[: owner.end(1)])
            _resolve_mention(q, by, res, text)
            if by.entity is not None:
                spk.mention_type, spk.entity = "org", by.entity
                return
    if root is not None and coordinated(root) is not None:
        named = {pid for (s, _), pid in res.mentions if spk.span[0] <= s < spk.span[1]}
        if len(named) > 1:
            # "Mayor Ann Lee and Governor Tim Ross said": both speak, not the last named.
            spk.mention_type = "name"
            spk.entity = res.group(spk.text, pos).id
            return
    # The tagger calls "the minister" PROPN at times: the word list decides.
    nominal = root is not None and (head in PERSON_NOUNS or "year-old" in low)
    m = SpeakerMention(q, spk, low, words, det, root, head, nominal, pos, text)
    # The order is the rules' precedence: a known name first, then a description of
    # a known person, a name inside the mention, a new unnamed person, an
    # organisation's noun, an organisation's name, a new name.
    for resolve in (
        resolve_known,
        resolve_definite,
        resolve_named,
        resolve_indefinite,
        resolve_org_noun,
        resolve_org_name,
        resolve_new_name,
    ):
        if resolve(m, res):
            return
    spk.mention_type = "org" if head in ORG_NOUNS or is_name(spk.text) else "nominal"
    spk.entity = res.group(spk.text, pos).id


def _inherit(q: Quote, last: Quote | None, res: Resolver) -> None:
    """A direct quote with no attribution of its own continues the previous speaker;
    a reported claim with no source ("it is feared that ...") has none."""
    if q.kind != "direct":
        return
    narrated = _narrated_subject(q, last, res)
    if narrated is not None:
        # "Draper wrapped up his win ...\n“Definitely ...”": the person the narration
        # just before is about speaks, not the last one quoted paragraphs back.
        at = max(m for m in res.people.by_id[narrated].mentions if m[0] < q.span[0])
        text = doc_text(res.doc)[at[0] : at[1]]
        q.speaker = SpeakerRef(span=at, text=text, mention_type="none", entity=narrated)
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


def _narrated_subject(q: Quote, last: Quote | None, res: Resolver) -> str | None:
    """The person who is the main subject of the narration paragraph right before an
    unattributed quote paragraph, if that paragraph holds no quote of its own. A
    person only named there ("a debate led by Tom Bell") is not: the quote then
    continues the last speaker."""
    k = res.paragraph_of(q.span[0]) - 2  # the paragraph before the quote's
    if k < 0:
        return None
    start, end = res.paragraphs[k]
    if last is not None and last.span[1] > start:
        return None  # the last quote is in that paragraph or after it
    if any(a < end and start < b for a, b in res.reported):
        return None
    subjects = [
        s.entity
        for s in res.salience
        if start <= s.pos < end and s.strong and s.entity in res.people.by_id
    ]
    return subjects[-1] if subjects else None


def _resolve_headline(q: Quote, quotes: list[Quote], res: Resolver) -> None:
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
