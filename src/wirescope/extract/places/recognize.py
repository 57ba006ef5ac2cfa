"""Place recognition: the mentions of places an article has, each with every sense the
gazetteer gives its name (NER's places, the dateline, demonyms, abbreviations, places
inside organisation names, streets, "City, Region")."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from wirescope.extract.entity_types import (
    DIRECTIONS,
    ORG_WORDS,
)
from wirescope.extract.gazetteer import (
    PlaceMatch,
    demonyms,
    division_abbreviations,
    get_gazetteer,
    normalize,
    outlet_countries,
    tld_countries,
)
from wirescope.extract.lexicon import NOT_PLACES
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Span

_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z&.\-]{1,9})\)")
_COMMA = re.compile(r"\s*,\s*")
_ADMIN_WORD_AFTER = re.compile(r" (?:County|Parish|Township|Borough|District)\b")
_TOWN_OF = re.compile(r"\b(?:[Cc]ity|[Tt]own|[Vv]illage) of\s+$")
_STATE_OF = re.compile(r"\b[Ss]tate of\s+$")
_STATE_AFTER = re.compile(  # "New York state", "New York Gov. Andrew Cuomo"
    r"\s+(?:[Ss]tate\b|Gov\.|Governor\b|Legislature\b|State\s+Senate\b|Attorney\s+General\b)"
)
_MAX_GAZ_ALIASES = 5  # GeoNames aliases beyond a handful are noise in a record

REGION_KINDS = frozenset({"country", "state", "province", "division", "region", "continent"})
DIVISION_KINDS = frozenset({"state", "province", "division"})
LOCAL_KINDS = frozenset({"city", "county"})
# Words after a city's name that make the name an institution's place ("Mansfield
# Police Department", "Winnipeg Free Press"), or before "of" ("University of Manitoba").
_INSTITUTION = """
    police department dept fire county city council school schools board university college
    hospital health public community transit airport zoo library court district regional
    municipal metropolitan free press herald times post star sun journal news tribune gazette
    chronicle examiner courier citizen daily chamber museum art gallery club sheriff
    state partnership partnerships center centre symphony opera rcmp emergency
    transportation water utilities housing parks recreation catholic mayor
"""
INSTITUTION_WORDS = frozenset(_INSTITUTION.split())
# "University of Manitoba", "City of Edmonton": the heads after which "of X" is a place.
_OF_HEADS = """
    university city town county government mayor province state district village port
    municipality diocese archdiocese hospital people kingdom republic region
"""
OF_PLACE_HEADS = frozenset(_OF_HEADS.split())
# Words of an organisation's name that are no place there, whatever a gazetteer says
# ("University School of Law", "Department of Justice", "Centre for Trade").
_NOT_IN_ORG = "law justice federal trust national international united royal general central"
_NOT_PLACE_IN_ORG = INSTITUTION_WORDS | ORG_WORDS | frozenset(_NOT_IN_ORG.split())
_JOINERS = frozenset({"the", "of", "and", "for", "&"})
_STREETS = "Road Street Avenue Lane Close Crescent Boulevard Highway Drive Way Square Park Bridge"
STREET_WORDS = frozenset(_STREETS.split())
_PLACE_PREPS = frozenset({"in", "near", "outside", "from", "at"})
_DIRECTION_WORDS = DIRECTIONS | {"far", "deep", "mid"}


@dataclass
class _Mention:
    span: Span
    key: str  # the normalized name looked up
    senses: tuple[PlaceMatch, ...]
    fixed: PlaceMatch | None = None  # a demonym or an abbreviation: the sense is known
    within: list[PlaceMatch] | None = None  # "City, Region": the senses inside the region
    dateline: bool = False
    actor: bool = False
    org: Span | None = None  # the organisation whose name holds this place
    # Found inside another name ("Lakes" in an org, "Falcon" in a brand): kept only if
    # it means a country or a place in one of the story's countries.
    weak: bool = False
    dropped: bool = False
    kind: str | None = None  # what the name says it is when no sense does ("street")


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


_SUFFIX_KINDS = {
    "city": LOCAL_KINDS,
    "town": LOCAL_KINDS,
    "village": LOCAL_KINDS,
    "province": DIVISION_KINDS,
    "state": DIVISION_KINDS,
    "region": DIVISION_KINDS | {"region"},
    "county": frozenset({"county"}) | DIVISION_KINDS,
    "district": frozenset({"county"}) | DIVISION_KINDS,
}
_ADMIN_PREFIX = re.compile(
    r"(?P<word>City|Town|Village|Province|County|District|State) of (?P<name>.+)"
)
_ADMIN_SUFFIX = re.compile(
    r"(?P<name>.+) (?P<word>[Cc]ity|[Tt]own|[Cc]ounty|[Pp]rovince|[Dd]istrict|[Ss]tate|[Rr]egion)$"
)


def _senses_for(text: str, start: int, end: int) -> tuple[int, int, tuple[PlaceMatch, ...]]:
    """The span the name is read from and every sense the gazetteer has for it."""
    gz = get_gazetteer()
    name = text[start:end]
    senses = gz.senses(name)
    if senses:
        return start, end, senses
    # "Central Iran", "northern Syria", "Far North Queensland": the base place, the
    # direction words left out of the span.
    rest = name
    for _ in range(2):
        first, _, rest = rest.partition(" ")
        if not rest or first.lower() not in _DIRECTION_WORDS:
            break
        senses = gz.senses(rest)
        if senses:
            return end - len(rest), end, senses
    # "City of Surrey", "Sichuan province": the administrative word says which kind.
    mo = _ADMIN_PREFIX.match(text, start, end) or _ADMIN_SUFFIX.search(text, start, end)
    if mo is not None and mo.group("name"):
        senses = gz.senses(mo.group("name"))
        kinds = _SUFFIX_KINDS.get(mo.group("word").lower(), frozenset())
        senses = tuple(m for m in senses if m.kind in kinds) or senses
        if senses:
            return mo.start("name"), mo.end("name"), senses
    return start, end, ()


def _dateline_span(article: Article) -> Span | None:
    """Where the dateline's place is written, if the article parser found one."""
    dl = article.dateline
    if dl is None or not dl.place:
        return None
    text = article.text
    lo, hi = dl.span if dl.span else (0, min(len(text), 400))
    i = text.lower().find(dl.place.lower(), lo, hi)
    return (i, i + len(dl.place)) if i >= 0 else None


# Broadcast call signs in a dateline ("EDMONTON, Ky (WBKO)"): K/W are American, CF-CK
# Canadian (ITU prefixes).
_US_CALL_SIGN = re.compile(r"[KW][A-Z]{2,3}(?:-(?:TV|DT|FM|AM))?")
_CA_CALL_SIGN = re.compile(r"C[FHIJK][A-Z]{2}(?:-(?:TV|DT|FM|AM))?")
_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/:?#]+)", re.IGNORECASE)


def home_country(article: Article) -> str | None:
    """The outlet's country, where the article says: its dateline's agency or broadcast
    call sign, else its URL's country-code domain (".ca", ".co.uk")."""
    dl = article.dateline
    if dl is not None and dl.agency:
        cc = outlet_countries().get(dl.agency)
        if cc is None and _US_CALL_SIGN.fullmatch(dl.agency):
            cc = "US"
        if cc is None and _CA_CALL_SIGN.fullmatch(dl.agency):
            cc = "CA"
        if cc is not None:
            return cc
    url = article.raw.meta.get("url")
    host = _HOST.match(url) if isinstance(url, str) else None
    if host is not None:
        return tld_countries().get(host.group(1).rstrip(".").rsplit(".", 1)[-1].lower())
    return None


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in spans)


@lru_cache(maxsize=1)
def _undotted() -> dict[str, str]:
    """ "Ky" for "Ky.", "Ont" for "Ont.": datelines drop the dot ("EDMONTON, Ky (WBKO)")."""
    table = division_abbreviations()
    out = {}
    for a in table:
        bare = a.replace(".", "")
        if a.endswith(".") and "." not in a[:-1] and bare not in table and bare[:1].isupper():
            out[bare] = a
    return out


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> re.Pattern[str]:
    """ ", Ky." / ", KY" / ", B.C." right after a place: the abbreviation of its division;
    undotted ("Ky") only where a clause or a dateline ends after it ("Pa" is no word)."""
    alts = sorted(division_abbreviations(), key=len, reverse=True)
    body = "|".join(re.escape(a) for a in alts)
    bare = "|".join(re.escape(a) for a in sorted(_undotted(), key=len, reverse=True))
    return re.compile(
        rf"\s*,\s*(?:(?P<abbr>{body})(?![\w])|(?P<bare>{bare})(?=\s*(?:[,;:()\-—–]|$)))",
        re.MULTILINE,
    )


def _division_sense(cc: str, name: str) -> PlaceMatch | None:
    for m in get_gazetteer().senses(name):
        if m.country == cc and m.kind in DIVISION_KINDS:
            return m
    return None


def _demonym_sense(word: str) -> PlaceMatch | None:
    code = demonyms().get(normalize(word))
    if code is None:
        return None
    gz = get_gazetteer()
    if len(code) == 2:
        return gz.country(code)
    return next((m for m in gz.senses(code) if m.kind == "continent"), None)


def _is_actor(doc: Doc, span: Span) -> bool:
    """The name is the subject of a verb: "Washington sent a warship"."""
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or len(sp) == 0:
        return False
    root = sp.root
    return root.dep_ == "nsubj" and root.head.pos_ in ("VERB", "AUX")


def _demonym_mentions(text: str, doc: Doc, ents: list[tuple[int, int, str]]) -> list[_Mention]:
    """NORP adjectives that name a country or continent ("French", "Asian"), not a
    language ("in Turkish") and not people ("Americans" is not in the table)."""
    out = []
    for s, e, label in ents:
        if label != "NORP":
            continue
        sense = _demonym_sense(text[s:e])
        if sense is None:
            # "Punjab" tagged NORP: a division or country by its own name is a place.
            gz = get_gazetteer()
            senses = gz.senses(text[s:e])
            if senses and senses[0].primary and gz.is_strong(text[s:e]):
                weak = senses[0].kind == "city"  # "Punjab" is sure, "Aleppo" needs the story
                out.append(_Mention((s, e), normalize(text[s:e]), senses, weak=weak))
            continue
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is not None and sp.root.dep_ == "pobj" and sp.root.head.lower_ == "in":
            continue
        out.append(_Mention((s, e), normalize(sense.name), (sense,), fixed=sense))
    return out


def _org_places(doc: Doc, ents: list[tuple[int, int, str]]) -> list[_Mention]:
    """Places named inside an organisation's name: "Environment Canada", "University of
    Manitoba", "Texas A&M", "Mansfield Police Department", "Winnipeg Free Press"."""
    gz = get_gazetteer()
    out: list[_Mention] = []
    for s, e, label in ents:
        if label not in ("ORG", "FAC"):
            continue
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is None or len(sp) < 2:
            continue
        i = sp.start
        while i < sp.end:
            hit = 0
            for size in (3, 2, 1):
                j = i + size
                if j > sp.end or (i, j) == (sp.start, sp.end):
                    continue
                part = doc[i:j]
                if not all(t.text[:1].isupper() for t in part if t.is_alpha):
                    continue
                if part[0].lower_ in _JOINERS or part[-1].lower_ in _JOINERS:
                    continue
                if len(part) == 1 and part[0].lower_ in _NOT_PLACE_IN_ORG:
                    continue
                if all(t.lower_ in _DIRECTION_WORDS for t in part):
                    continue  # "Far North" of "Far North Queensland": Cameroon's region
                senses = gz.senses(part.text)
                if not senses:
                    continue
                best = senses[0]
                after = doc[j].lower_ if j < sp.end else ""
                before = doc[i - 1].lower_ if i > sp.start else ""
                first = i == sp.start or (i == sp.start + 1 and before in _JOINERS)
                head = doc[i - 2].lower_ if i - 2 >= sp.start else ""
                regional = best.kind in REGION_KINDS and best.kind != "continent"
                local = best.kind in LOCAL_KINDS and (
                    (first and after in INSTITUTION_WORDS)
                    or (before == "of" and head in OF_PLACE_HEADS)
                )
                if regional or local:
                    ps, pe = _trim(doc_text(doc), part.start_char, part.end_char)  # "Iran’s"
                    # "The Canadian Press": the country, not Canadian, Texas.
                    dem = _demonym_sense(part.text) if local else None
                    out.append(
                        _Mention(
                            (ps, pe),
                            normalize(dem.name) if dem else normalize(part.text),
                            (dem,) if dem else senses,
                            fixed=dem,
                            org=(s, e) if label == "ORG" else None,
                            # "Mansfield Police Department" says it is a place; a
                            # division's name anywhere in an org ("Lakes") does not.
                            weak=not local and not gz.is_strong(part.text),
                        )
                    )
                    hit = size
                    break
            i += hit or 1
    return out


def _streets(text: str, ents: list[tuple[int, int, str]]) -> list[_Mention]:
    """ "Hertford Road", "Dufferin Street", "Penn Park": a thoroughfare or a park the
    model called a facility or an organisation is a place (not in the gazetteer)."""
    out = []
    for s, e, label in ents:
        if label not in ("FAC", "ORG", "LOC"):
            continue
        s, e = _trim(text, s, e)
        words = text[s:e].split()
        if len(words) >= 2 and words[-1] in STREET_WORDS and words[0][:1].isupper():
            out.append(_Mention((s, e), normalize(text[s:e]), (), kind="street"))
    return out


def _hyphen_parts(doc: Doc) -> list[_Mention]:
    """ "U.S.-led", "Toronto-based", "Russia-Turkey": a well-known place glued to a word."""
    gz = get_gazetteer()
    out = []
    for tok in doc:
        if "-" not in tok.text[1:-1] or not tok.text[:1].isupper():
            continue
        pos = tok.idx
        for part in tok.text.split("-"):
            if len(part) > 1 and part[:1].isupper() and gz.is_strong(part):
                senses = gz.senses(part)
                if senses and senses[0].primary:
                    weak = senses[0].kind == "city"
                    out.append(_Mention((pos, pos + len(part)), normalize(part), senses, weak=weak))
            pos += len(part) + 1
    return out


def _prep_places(doc: Doc, ents: list[tuple[int, int, str]]) -> list[_Mention]:
    """ "in Red Deer", "from Churchill": a name the gazetteer knows after a place
    preposition, where the model tagged nothing (kept only if the story's countries agree)."""
    gz = get_gazetteer()
    covered = [False] * len(doc)
    people: set[str] = set()
    for s, e, label in ents:
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is None:
            continue
        for k in range(sp.start, sp.end):
            covered[k] = True
        if label == "PERSON":
            people.update(t.lower_ for t in sp)
    out = []
    for i in range(1, len(doc)):
        tok = doc[i]
        if covered[i] or doc[i - 1].lower_ not in _PLACE_PREPS or tok.pos_ != "PROPN":
            continue
        if not tok.text[:1].isupper() or tok.lower_ in people:
            continue
        j = i
        while j < len(doc) and j - i < 3 and doc[j].pos_ == "PROPN" and not covered[j]:
            j += 1
        if j < len(doc) and doc[j].pos_ == "PROPN":
            continue  # part of a longer name
        for end in range(j, i, -1):
            part = doc[i:end]
            senses = gz.senses(part.text)
            if senses and senses[0].primary and senses[0].kind != "county":
                out.append(
                    _Mention(
                        (part.start_char, part.end_char), normalize(part.text), senses, weak=True
                    )
                )
                break
    return out


def _inside(m: PlaceMatch, region: PlaceMatch) -> bool:
    """Is sense `m` a place within `region` (a country or a first-level division)?"""
    if m is region or m.country is None or m.country != region.country:
        return False
    if region.kind == "country":
        return m.kind != "country"
    if region.kind in DIVISION_KINDS:
        return (
            region.division is not None
            and m.division == region.division
            and m.kind in (LOCAL_KINDS)
        )
    return False


def _mentions(article: Article, doc: Doc, ents: list[tuple[int, int, str]]) -> list[_Mention]:
    """Every place mention the article has, recognized, with its senses."""
    text = article.text
    out: list[_Mention] = []
    table = division_abbreviations()
    starts = {s for s, _, label in ents if label == "PLACE"}
    for s0, e0, label in ents:
        if label != "PLACE":
            continue
        # "Far North" + "Queensland" as two entities: the directions are no place.
        if e0 + 1 in starts and all(w.lower() in _DIRECTION_WORDS for w in text[s0:e0].split()):
            continue
        s, e = _trim(text, s0, e0)
        # "Metcalfe County Coroner's Office": the model stops before the admin word.
        mo = _ADMIN_WORD_AFTER.match(text, e)
        if mo is not None and get_gazetteer().senses(text[s : mo.end()]):
            e = mo.end()
        s, e, senses = _senses_for(text, s, e)
        if not text[s:e].strip():
            continue
        # "Ky.", "B.C." alone: a dotted abbreviation is its division, not a town "Mo".
        abbr = table.get(text[s:e]) if "." in text[s:e] else None
        fixed = _division_sense(*abbr) if abbr else None
        # "Canadian" tagged as a place: the country, not Canadian, Texas; a name that is
        # a region's own ("Punjab") stays that region.
        if fixed is None and not any(x.primary and x.kind in REGION_KINDS for x in senses):
            fixed = _demonym_sense(text[s:e])
        if fixed is not None:
            out.append(_Mention((s, e), normalize(fixed.name), (fixed,), fixed=fixed))
        else:
            out.append(_Mention((s, e), normalize(text[s:e]), senses))
    dl = _dateline_span(article)
    if dl is not None:
        hit = next((m for m in out if _overlaps(m.span, [dl])), None)
        if hit is None:
            s, e, senses = _senses_for(text, *dl)
            hit = _Mention((s, e), normalize(text[s:e]), senses)
            out.append(hit)
        hit.dateline = True
    elif out:
        # "WASHINGTON Christopher Steele, who ...": a place in capitals that opens the
        # story (or the line after its headline) is a dateline the reader did not mark.
        first = min(out, key=lambda m: m.span)
        surface = text[first.span[0] : first.span[1]]
        body = article.headline_span[1] if article.headline_span else 0
        if (
            len(surface) >= 3
            and surface.isupper()
            and first.senses
            and not text[body : first.span[0]].strip()
        ):
            first.dateline = True
    taken = [m.span for m in out]
    extra = [
        *_streets(text, ents),
        *_demonym_mentions(text, doc, ents),
        *_org_places(doc, ents),
        *_hyphen_parts(doc),
        *_prep_places(doc, ents),
    ]
    for m in extra:
        if not _overlaps(m.span, taken):
            out.append(m)
            taken.append(m.span)
    # "Alexandria, La.": the abbreviation is a mention of its division.
    pattern = _abbreviation_pattern()
    for m in list(out):
        mo = pattern.match(text, m.span[1])
        group = "abbr" if mo is not None and mo.group("abbr") else "bare"
        if mo is None or _overlaps(mo.span(group), taken):
            continue
        written = mo.group(group)
        sense = _division_sense(*table[_undotted().get(written, written)])
        if sense is not None:
            out.append(_Mention(mo.span(group), normalize(sense.name), (sense,), fixed=sense))
            taken.append(mo.span(group))
    for m in out:
        if m.fixed is None and any(x.capital for x in m.senses):
            m.actor = _is_actor(doc, m.span)
        # "the city of Turkey" (Texas): a settlement, whatever else the name means, in
        # every mention of it (one sense per document).
        if m.fixed is None and _TOWN_OF.search(text, max(0, m.span[0] - 20), m.span[0]):
            m.within = [x for x in m.senses if x.kind == "city"] or None
        # "Washington state", "the state of New York", "New York Gov.": the division
        elif m.fixed is None and (
            _STATE_OF.search(text, max(0, m.span[0] - 20), m.span[0])
            or _STATE_AFTER.match(text, m.span[1])
        ):
            m.within = [x for x in m.senses if x.kind in DIVISION_KINDS] or None
    out = [
        m
        for m in out
        if (m.fixed is not None or m.key not in NOT_PLACES) and not _era(text, m.span)
    ]
    out.sort(key=lambda m: m.span)
    _pin_containers(text, out)
    return out


_ERAS = frozenset({"BC", "AD", "BCE", "CE"})
_NUMBER_BEFORE = re.compile(r"\d[\d,]*\s+$")


def _era(text: str, span: Span) -> bool:
    """ "500 BC", "1200 AD": an era after a number, no place ("$45,000 US" stays one)."""
    word = text[span[0] : span[1]].replace(".", "")
    return word in _ERAS and _NUMBER_BEFORE.search(text[: span[0]][-12:]) is not None


def _pin_containers(text: str, mentions: list[_Mention]) -> None:
    """ "City, Region": keep the city's senses inside the region, and fix the region."""
    for a, b in itertools.pairwise(mentions):
        if not a.senses or _COMMA.fullmatch(text, a.span[1], b.span[0]) is None:
            continue
        regions = [b.fixed] if b.fixed else [x for x in b.senses if x.kind in REGION_KINDS]
        for region in regions:
            inside = [x for x in a.senses if _inside(x, region)]
            if inside:
                a.within = inside
                b.fixed = region
                break
