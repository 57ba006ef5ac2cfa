"""Speakers named by name: a surname seen before, a person named in the mention, a
new name; and an unnamed speaker ("a judge") named just after."""

from __future__ import annotations

from wirescope.extract.attribution.context import NAMED_AFTER, Resolver, SpeakerMention
from wirescope.extract.attribution.organisations import overlapping
from wirescope.extract.lexicon import (
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    PERSON_NOUNS,
    fold,
)
from wirescope.extract.mentions import (
    APPOSITION,
    POSSESSIVE,
    add_role,
    head_noun,
    mention_person,
    split_honorifics,
    trailing_name,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Entity, Quote


def known_person(res: Resolver, text: str, pos: int) -> str | None:
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


def resolve_known(m: SpeakerMention, res: Resolver) -> bool:
    """A name-like mention of a person already in the story."""
    spk, pos = m.spk, m.pos
    known = known_person(res, spk.text, pos)
    if known is None:
        return False
    # A surname the NER typed as an organisation ("Vickers said").
    spk.mention_type = "name"
    spk.entity = known
    res.mentions.append((spk.span, known))
    res.note(pos, known, strong=not res.subordinate(pos))
    return True


def resolve_named(m: SpeakerMention, res: Resolver) -> bool:
    """A mention holding a person's name: that person, or the office they own."""
    spk, head, pos, text = m.spk, m.head, m.pos, m.text
    pid = mention_person(spk.span, res.mentions)
    # "Trudeau's office said": the office speaks, not Trudeau ("Foster's book" is
    # Foster's words, though: a document speaks for its author).
    inside = [
        (s, e) for (s, e), pid_ in res.mentions if pid_ == pid and spk.span[0] <= s < spk.span[1]
    ]
    owned = head not in DOCUMENT_NOUNS and any(
        text[e : e + 2] in ("'s", "’s") or POSSESSIVE.search(text[s:e]) for s, e in inside
    )
    # "The Berg team", "the team of Anna Berg", "a spokesman for Anna Berg": the name
    # only modifies the noun that heads the mention, and that noun speaks.
    root = m.root
    modifies = (
        root is not None
        and root.pos_ == "NOUN"
        and root.lower_ == head
        and not any(s <= root.idx < e for s, e in inside)
    )
    speaks = head in ORG_NOUNS or head in PERSON_NOUNS or head == "staff"
    if pid is not None and (owned or modifies) and speaks and head not in DOCUMENT_NOUNS:
        spk.mention_type = "org" if head in ORG_NOUNS else "nominal"
        spk.entity = res.group(spk.text, pos).id
        return True
    if pid is not None:
        spk.mention_type = "name"
        spk.entity = pid
        res.note(pos, pid, strong=not res.subordinate(pos))
        return True
    return False


def resolve_new_name(m: SpeakerMention, res: Resolver) -> bool:
    """A name met for the first time as a speaker: a new person."""
    spk, pos = m.spk, m.pos
    name_text = trailing_name(spk.text)
    if m.root is not None and m.root.tag_ == "NNS" and len(m.words) == 1:
        return False  # "Allies suggested ...": a plural noun opening a sentence, a group
    if name_text and m.head not in ORG_NOUNS:
        _, name_words = split_honorifics(name_text.split())
        name_words = [POSSESSIVE.sub("", w) for w in name_words if w]
        if name_words:
            person = res.people.add(name_words, pos)
            person.mentions.append(spk.span)
            spk.mention_type = "name"
            spk.entity = person.id
            res.mentions.append((spk.span, person.id))
            res.note(pos, person.id)
            return True
    return False


def name_the_unnamed(res: Resolver, quotes: list[Quote]) -> None:
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
        if first - at > NAMED_AFTER or not res.is_subject(first):
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


def named_org(res: Resolver, name: str | None) -> Entity | None:
    """The organisation a one-word name denotes elsewhere ("Facebook")."""
    if not name or " " in name.strip() or known_person(res, name, 10**9):
        return None
    folded = fold(POSSESSIVE.sub("", name.strip()))
    return next((e for e in res.others if e.type == "ORG" and fold(e.name) == folded), None)


def resolve_org_name(m: SpeakerMention, res: Resolver) -> bool:
    """A mention naming an organisation: one named inside it, or a one-word name
    that is an organisation's elsewhere."""
    spk = m.spk
    org = overlapping(spk.span, res.others, at_end=True)
    if org is None:
        org = named_org(res, trailing_name(spk.text))
    if org is None:
        return False
    spk.mention_type = "org"
    spk.entity = org.id
    return True
