"""The PLACE entities (g1..) of a story, grouped from its resolved mentions, and its ORG
entities (o1..) with the places their names hold."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc

from wirescope.extract.entity_types import (
    ORG_WORDS,
    EntTuple,
    corrected_ents,
)
from wirescope.extract.gazetteer import (
    PlaceMatch,
    normalize,
)
from wirescope.extract.lexicon import TITLES
from wirescope.extract.places.recognize import (
    _ACRONYM_AFTER,
    _MAX_GAZ_ALIASES,
    INSTITUTION_WORDS,
    _mentions,
    _trim,
    home_country,
)
from wirescope.extract.places.resolve import _resolve
from wirescope.record.models import Article, Entity, Span


@dataclass
class _Group:
    name: str
    match: PlaceMatch | None
    mentions: list[Span] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    kind: str | None = None  # for a place the gazetteer lacks: "street"
    incidental: bool = True  # until a mention names it as a place (see _in_passing)


def _place_entity(idx: int, g: _Group) -> Entity:
    m = g.match
    aliases: list[str] = []
    seen = {normalize(g.name)}
    extra = list(m.aliases) if m is not None and (m.curated or m.kind == "country") else []
    if m is not None and not extra:
        extra = [a for a in m.aliases if a.isascii()][:_MAX_GAZ_ALIASES]
    for a in [*g.variants, *extra]:
        k = normalize(a)
        if k and k not in seen:
            seen.add(k)
            aliases.append(a)
    return Entity(
        id=f"g{idx}",
        type="PLACE",
        name=g.name,
        mentions=sorted(g.mentions),
        aliases=aliases,
        country=m.country if m else None,
        lat=m.lat if m else None,
        lon=m.lon if m else None,
        geonames_id=m.geonames_id if m else None,
        kind=m.kind if m else g.kind,
        resolved=m is not None,
        also_called=[{"name": n, "used_by": u} for n, u in m.also_called] if m else [],
        incidental=g.incidental,
    )


# Capitalized words that make the place name before them part of an institution's name
# ("Supreme Court", "Labor Department", "Delta Force", "The Korea Times").
_HEADS = """
    force forces fc united city airlines bank exchange office institute agency ministry
    department council commission authority guard corps
"""
# ... but not the words that also make a place's own name ("New York City", "Washington
# State", "Orange County").
_OWN = "state city county district region province island islands"
_NAME_HEADS = (INSTITUTION_WORDS | ORG_WORDS | frozenset(_HEADS.split())) - frozenset(_OWN.split())
# spaCy labels of names that may hold a place name without meaning the place
_NAME_LABELS = frozenset({"ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})


def _name_spans(doc: Doc, ents: list[EntTuple]) -> list[Span]:
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _NAME_LABELS]
    spans += [(s, e) for s, e, label in ents if label == "ORG"]
    return spans


def _in_passing(text: str, span: Span, names: list[Span], demonym: bool) -> bool:
    """Is this mention of a place no mention of it as a place: an adjective ("British
    players"), or a word of a longer name ("Federal Reserve Bank of Dallas", "Supreme
    Court")? Such places are kept but marked `incidental`."""
    if demonym:
        return True
    s, e = span
    for a, b in names:
        # a longer name with a capitalized word of its own ("Chile 3-0" tagged FAC is none)
        if a <= s and e <= b and (a, b) != (s, e):
            rest = text[a:s] + " " + text[e:b]
            if re.search(r"\b[A-Z][a-z]", rest.replace("The ", "")):
                return True
    nxt = re.match(r" ([A-Z][a-z]+)\b", text[e : e + 30])
    if nxt is not None and nxt.group(1).lower() in _NAME_HEADS:
        return True
    # "the Federal Reserve Bank of Dallas", "the Southern District of New York": the model
    # stops the name before "of"
    prev = re.search(r"\b([A-Z][a-z]+) of $", text[max(0, s - 30) : s])
    return prev is not None and prev.group(1).lower() in _NAME_HEADS | {"district"}


def _add_string_mentions(
    text: str,
    groups: dict[str, _Group],
    taken: list[Span],
    key_of: dict[str, str],
    names: list[Span],
) -> None:
    """Occurrences of a known place's surface form that NER missed elsewhere in the text,
    inside organisation names too ("the Cairns police force"), never in a person's name."""
    forms = sorted(key_of, key=len)
    forms = [f for f in forms if len(f) > 2 and f[:1].isupper()]
    if not forms:
        return
    pat = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in reversed(forms)) + r")\b")
    spans = sorted(taken)
    for mo in pat.finditer(text):
        s, e = mo.span()
        if any(a < e and s < b for a, b in spans):
            continue
        key = key_of.get(mo.group())
        if key is not None:
            groups[key].mentions.append((s, e))
            spans.append((s, e))
            if not _in_passing(text, (s, e), names, False):
                groups[key].incidental = False


def extract_places_orgs(
    article: Article, doc: Doc, ents: list[EntTuple] | None = None
) -> list[Entity]:
    """PLACE entities (g1..) resolved in context and ORG entities (o1..); an ORG's
    `places` lists the places its name holds ("Winnipeg Police Service": Winnipeg).
    ents: the typed entities (entity_types.corrected_ents; build_record passes them)."""
    text = article.text
    if ents is None:
        ents = corrected_ents(doc)
    mentions = _mentions(article, doc, ents)
    choice = _resolve(mentions, home_country(article))

    groups: dict[str, _Group] = {}
    key_of: dict[str, str] = {}  # surface form -> group key
    org_places: dict[Span, list[str]] = defaultdict(list)
    names = _name_spans(doc, ents)
    for mn in mentions:
        if mn.dropped:
            continue
        m = mn.fixed if mn.fixed is not None else choice.get(mn.key)
        s, e = mn.span
        surface = text[s:e]
        key = f"gn:{m.geonames_id}:{m.name}" if m is not None else f"u:{normalize(surface)}"
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(
                name=m.name if m else " ".join(surface.split()), match=m, kind=mn.kind
            )
        g.mentions.append((s, e))
        demonym = mn.fixed is not None and normalize(surface) != normalize(m.name if m else "")
        if mn.org is None and not _in_passing(text, (s, e), names, demonym and not mn.dateline):
            g.incidental = False
        if not demonym and normalize(surface) != normalize(g.name) and surface not in g.variants:
            g.variants.append(" ".join(surface.split()))
        if mn.fixed is None:
            key_of[surface] = key
        if mn.org is not None:
            org_places[mn.org].append(key)

    # The small model tags a place it knows elsewhere as PRODUCT, DATE or ORG at times
    # ("a Winnipeg jail"): only a person's name keeps a known place name out.
    people = [(s, e) for s, e, label in ents if label == "PERSON"]
    taken = people + [m for g in groups.values() for m in g.mentions]
    _add_string_mentions(text, groups, taken, key_of, names)

    ordered = sorted(groups.values(), key=lambda g: min(g.mentions))
    places = [_place_entity(i, g) for i, g in enumerate(ordered, 1)]
    ids = {id(g): p.id for g, p in zip(ordered, places, strict=True)}
    place_of_org = {
        span: sorted({ids[id(groups[k])] for k in keys}) for span, keys in org_places.items()
    }
    streets = {mn.span for mn in mentions if mn.kind == "street"}
    orgs = [(s, e, label) for s, e, label in ents if _trim(text, s, e) not in streets]
    return places + _orgs(text, orgs, place_of_org)


def _initials(name: str) -> set[str]:
    """The acronyms a name may go by: its capitalized words' first letters, a short
    all-capitals word counting whole ("UN Relief and Works Agency": URWA, UNRWA)."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w[:1].isupper()]
    short = "".join(w if w.isupper() and len(w) <= 3 else w[0] for w in words)
    return {"".join(w[0] for w in words), short}


def _merge_initialisms(groups: dict[str, Entity], order: list[str]) -> list[str]:
    """'the PBO' with no "(PBO)" defined: an all-capitals name equal to the initials
    of another organisation's name ("Parliamentary Budget Officer") is that one."""
    kept: list[str] = []
    for key in order:
        ent = groups[key]
        acr = ent.name.removeprefix("the ").removeprefix("The ")
        full = None
        # "Nato" as the Guardian and the BBC write NATO
        if 2 <= len(acr) <= 6 and acr.isalpha() and (acr.isupper() or acr.istitle()):
            up = acr.upper()
            full = next((k for k in order if k != key and up in _initials(groups[k].name)), None)
        if full is None:
            kept.append(key)
            continue
        target = groups[full]
        target.mentions.extend(ent.mentions)
        for alias in [acr, *ent.aliases]:
            if alias not in target.aliases:
                target.aliases.append(alias)
    return kept


def _orgs(
    text: str, ents: list[tuple[int, int, str]], place_of_org: dict[Span, list[str]]
) -> list[Entity]:
    groups: dict[str, Entity] = {}
    alias_key: dict[str, str] = {}
    order: list[str] = []
    for s0, e0, label in ents:
        if label != "ORG":
            continue
        s, e = _trim(text, s0, e0)
        name = " ".join(text[s:e].split())
        k = normalize(name)
        if len(k) < 2 or k in TITLES:
            continue
        key = alias_key.get(k, k)
        ent = groups.get(key)
        if ent is None:
            ent = groups[key] = Entity(id="", type="ORG", name=name)
            order.append(key)
        ent.mentions.append((s, e))
        for pid in place_of_org.get((s0, e0), []):
            if pid not in ent.places:
                ent.places.append(pid)
        # "Assembly of First Nations (AFN)": the acronym names the same org later on.
        acr = _ACRONYM_AFTER.match(text, e0)
        if acr and acr.group(1) not in ent.aliases:
            ent.aliases.append(acr.group(1))
            alias_key[normalize(acr.group(1))] = key
            ent.mentions.append(acr.span(1))
    order = _merge_initialisms(groups, order)
    out = []
    for i, key in enumerate(order, 1):
        ent = groups[key]
        ent.id = f"o{i}"
        ent.mentions = sorted(set(ent.mentions))
        out.append(ent)
    return out
