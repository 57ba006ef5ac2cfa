"""Speakers named by a description of a person: "the official" is the person
holding that role here, "Austria's interior minister" whoever holds that office,
"another diplomat, former envoy Kurt Volker" the name in the apposition, "a
justice official" someone new whom a later "the official" means."""

from __future__ import annotations

import re

from spacy.tokens import Token

from wirescope.extract.attribution.context import Resolver, SpeakerMention
from wirescope.extract.lexicon import (
    NOMINAL_GENDER,
)
from wirescope.extract.mentions import (
    POSSESSIVE,
    add_role,
    mention_person,
)

NOMINAL_DETS = ("the", "this", "that", "a", "an", "one", "another")


_NAMED_AS = re.compile(
    r",?\s+(?:named|called|identified as)\s+([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})"
)


def _appositive_person(root: Token, res: Resolver) -> str | None:
    """A person named inside the apposition of a speaker mention's head."""
    for child in root.children:
        if child.dep_ != "appos":
            continue
        end = child.right_edge.idx + len(child.right_edge.text)
        found = mention_person((child.left_edge.idx, end), res.mentions)
        if found is not None:
            return found
    return None


def possessor(tok: Token) -> bool:
    """'The Governor's Office': the governor owns the office, which speaks."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.dep_ == "poss" or (nxt is not None and nxt.lower_ in ("'s", "’s"))


def resolve_definite(m: SpeakerMention, res: Resolver) -> bool:
    """'The official', 'Austria's interior minister', 'another diplomat, former
    special envoy Kurt Volker': the person the description means, when known."""
    spk, root, head, words, det, pos = m.spk, m.root, m.head, m.words, m.det, m.pos
    if not m.nominal or root is None:
        return False
    # "Another diplomat, former special envoy Kurt Volker, said": the name in
    # the apposition is who speaks.
    named_in = _appositive_person(root, res)
    if named_in is not None:
        spk.mention_type = "nominal"
        spk.entity = named_in
        res.note(pos, named_in)
        return True
    if POSSESSIVE.search(det) and len(words) > 1:
        # "Austria's interior minister said": whoever holds that office in the story,
        # named before or just after.
        holder = res.role_holder(pos, head, words[1:-1])
        if holder is not None:
            spk.mention_type = "nominal"
            spk.entity = holder
            res.note(pos, holder)
            return True
    if det in ("the", "this", "that"):
        # "the official", "the lawyer for X": the person holding that role here.
        spk.mention_type = "nominal"
        role = "year-old" if "year-old" in head else head
        spk.entity = res.rank(
            "nominal",
            pos,
            NOMINAL_GENDER.get(role),
            role,
            m.quote.span,
            res.resolve_nominal(
                pos, role, words[words.index(head) + 1 :] if head in words else None
            ),
        )
        if spk.entity:
            res.note(pos, spk.entity)
            return True
    return False


def resolve_indefinite(m: SpeakerMention, res: Resolver) -> bool:
    """'A justice official said': someone new (named at once if "named X" follows)."""
    spk, pos = m.spk, m.pos
    if not (m.nominal and m.det in ("a", "an", "one", "another")):
        return False
    spk.mention_type = "nominal"
    named_as = _NAMED_AS.match(m.text, spk.span[1])
    if named_as:
        # "An agency official named Jhony told reporters": Jhony, with that role.
        person = res.people.add(named_as.group(1).split(), named_as.start(1))
        person.mentions.append((named_as.start(1), named_as.end(1)))
        add_role(person, " ".join(spk.text.split()[1:]))
        spk.entity = person.id
        res.note(pos, person.id)
        return True
    # "a justice official": someone new; a later "the official" refers back.
    spk.entity = res.anonymous(spk.text, pos).id
    return True
