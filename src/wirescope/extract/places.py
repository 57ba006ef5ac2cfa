"""Places (resolved in the gazetteer) and organisations, with all their mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from wirescope.extract.entity_types import DIRECTIONS, EntTuple
from wirescope.extract.gazetteer import PlaceMatch, get_gazetteer, normalize
from wirescope.extract.lexicon import TITLES
from wirescope.record.models import Article, Entity, Span

_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z&.\-]{1,9})\)")
_ADMIN_PREFIX = re.compile(r"(?:City|Town|Village|Province|County|District) of (?P<name>.+)")
_ADMIN_SUFFIX = re.compile(r"(?P<name>.+) (?:City|Town|County|Province|District)$")
_MAX_GAZ_ALIASES = 5  # GeoNames aliases beyond a handful are noise in a record


@dataclass
class _Group:
    name: str
    match: PlaceMatch | None
    mentions: list[Span] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from a span."""
    piece = text[start:end]
    m = _LEADING_THE.match(piece)
    if m:
        start += m.end()
    piece = text[start:end]
    p = _POSSESSIVE.search(piece)
    if p and p.start() > 0:
        end = start + p.start()
    return start, end


def _resolve_span(
    text: str, start: int, end: int, bias: frozenset[str]
) -> tuple[int, int, PlaceMatch | None]:
    gz = get_gazetteer()
    m = gz.lookup(text[start:end], bias)
    if m is not None:
        return start, end, m
    # "Central Iran", "northern Syria": the base place, the direction left out of the span.
    first, _, rest = text[start:end].partition(" ")
    if rest and first.lower() in DIRECTIONS:
        m = gz.lookup(rest, bias)
        if m is not None:
            return end - len(rest), end, m
    # "City of Surrey", "Langley City": the administrative word is not part of the name.
    mo = _ADMIN_PREFIX.match(text, start, end) or _ADMIN_SUFFIX.search(text, start, end)
    if mo is not None and mo.group("name"):
        m = gz.lookup(mo.group("name"), bias)
        if m is not None:
            return mo.start("name"), mo.end("name"), m
    return start, end, None


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
        kind=m.kind if m else None,
        resolved=m is not None,
        also_called=[{"name": n, "used_by": u} for n, u in m.also_called] if m else [],
    )


def _dateline_span(article: Article) -> Span | None:
    """Where the dateline's place is written, if the article parser found one."""
    dl = article.dateline
    if dl is None or not dl.place:
        return None
    text = article.text
    lo, hi = dl.span if dl.span else (0, min(len(text), 400))
    i = text.lower().find(dl.place.lower(), lo, hi)
    return (i, i + len(dl.place)) if i >= 0 else None


def _add_string_mentions(
    text: str, groups: dict[str, _Group], taken: list[Span], key_of: dict[str, str]
) -> None:
    """Occurrences of a known place's surface form that NER missed elsewhere in the text."""
    forms = sorted({text[s:e] for g in groups.values() for s, e in g.mentions}, key=len)
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


def extract_places_orgs(article: Article, doc: Doc, ents: list[EntTuple]) -> list[Entity]:
    """PLACE entities (g1..) resolved in the gazetteer and ORG entities (o1..), from
    the typed entities (entity_types.corrected_ents)."""
    text = article.text
    place_spans = [_trim(text, s, e) for s, e, label in ents if label == "PLACE"]
    dl = _dateline_span(article)
    if dl is not None and not any(a < dl[1] and dl[0] < b for a, b in place_spans):
        place_spans.append(dl)
    place_spans.sort()

    gz = get_gazetteer()
    # The article's countries bias ambiguous names ("Tehran" the capital, not a village).
    bias = frozenset(
        m.country
        for s, e in place_spans
        if (m := gz.lookup(text[s:e])) is not None
        and m.kind in ("country", "state", "province", "region")
        and m.country
    )

    groups: dict[str, _Group] = {}
    key_of: dict[str, str] = {}  # surface form -> group key
    for s0, e0 in place_spans:
        s, e, m = _resolve_span(text, s0, e0, bias)
        surface = text[s:e]
        if not surface.strip():
            continue
        key = f"gn:{m.geonames_id}:{m.name}" if m is not None else f"u:{normalize(surface)}"
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(name=m.name if m else " ".join(surface.split()), match=m)
        g.mentions.append((s, e))
        if normalize(surface) != normalize(g.name) and surface not in g.variants:
            g.variants.append(" ".join(surface.split()))
        key_of[surface] = key

    other = [(s, e) for s, e, label in ents if label != "PLACE"]
    taken = other + [m for g in groups.values() for m in g.mentions]
    _add_string_mentions(text, groups, taken, key_of)

    ordered = sorted(groups.values(), key=lambda g: min(g.mentions))
    places = [_place_entity(i, g) for i, g in enumerate(ordered, 1)]
    return places + _orgs(text, ents)


def _initials(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w[:1].isupper()]
    return "".join(w[0] for w in words)


def _merge_initialisms(groups: dict[str, Entity], order: list[str]) -> list[str]:
    """'the PBO' with no "(PBO)" defined: an all-capitals name equal to the initials
    of another organisation's name ("Parliamentary Budget Officer") is that one."""
    kept: list[str] = []
    for key in order:
        ent = groups[key]
        acr = ent.name.removeprefix("the ").removeprefix("The ")
        full = None
        if 2 <= len(acr) <= 6 and acr.isalpha() and acr.isupper():
            full = next((k for k in order if k != key and _initials(groups[k].name) == acr), None)
        if full is None:
            kept.append(key)
            continue
        target = groups[full]
        target.mentions.extend(ent.mentions)
        for alias in [acr, *ent.aliases]:
            if alias not in target.aliases:
                target.aliases.append(alias)
    return kept


def _orgs(text: str, ents: list[tuple[int, int, str]]) -> list[Entity]:
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
