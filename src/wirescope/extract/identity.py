"""One entity per name in a record, of one type.

The people (mentions.py, attribution/) and the organisations (places/) are found by
different readers of the same typed entities, so one name can come out twice: "Trump"
typed an organisation in one sentence beside the person Donald Trump, "Diego
Schwartzman" read as a person inside an organisation span the model gave, "The White
House" a speaker taken for a person beside the organisation "White House". This step
decides once, from all the evidence the record holds, what each name is, and merges
the entries into one: a person's surname or full name as an organisation joins the
person; a "person" whose name is an organisation's (an organisation word, "The ...",
an acronym, no given name) joins the organisation. Quotes follow their speaker.
"""

from __future__ import annotations

import re
from dataclasses import replace

from wirescope.extract.dates.words import MONTHS, WEEKDAYS
from wirescope.extract.entity_types import ORG_WORDS
from wirescope.extract.gazetteer import demonyms, get_gazetteer, normalize
from wirescope.extract.lexicon import (
    BODY_WORDS,
    DOCUMENT_NOUNS,
    EVIDENCE_NOUNS,
    HONORIFICS,
    ORG_NOUNS,
    PEOPLE_GROUPS,
    PERSON_NOUNS,
    TITLES,
    WORK_WORDS,
    fold,
)
from wirescope.extract.mentions import first_name_gender
from wirescope.record.models import Entity, Quote

_LEGAL = re.compile(r",?\s+(?:Inc|Corp|Co|Ltd|LLC|plc|PLC|SA|AG|NV|LP)\.?$")


def _key(name: str) -> str:
    words = [fold(w) for w in re.findall(r"[\w'’-]+", name)]
    words = [w.removesuffix("'s").removesuffix("’s") for w in words]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(w for w in words if w)


def _body_like(name: str) -> bool:
    """Does the name read as an organisation's rather than a person's?"""
    words = re.findall(r"[\w'’.-]+", name)
    if not words:
        return True
    low = {fold(w) for w in words}
    if words[0].lower() == "the" or low & (ORG_WORDS | ORG_NOUNS | BODY_WORDS):
        return True
    first = words[0]
    if first.isupper() and len(first) <= 5 and first_name_gender(first.capitalize()) is None:
        return True  # "UN Habitat", "NATO": an acronym, not a given name
    return (
        len(words) > 1
        and first_name_gender(first, likely=True) is None
        and (len(words) > 3 or not all(w[:1].isupper() for w in words))
    )


# Credit lines name the people who made the story, not people in it: a line that opens
# with a credit ("(Reporting by Jane Doe; Editing by John Roe)") or a short one holding
# one ("Jane Doe contributed to this report", "Stella Kim reported from Seoul") — a body
# paragraph with "data compiled by Bloomberg" in it is none.
_OPENS = (
    r"(?:(?:additional\s+)?reporting\s+by|writing\s+by|editing\s+by|edited\s+by|compiled\s+by"
    r"|to\s+contact\s+the\s+(?:reporter|editor)s?|contributing\s*:|disclaimer\s*:"
    r"|with\s+(?:files|reports|reporting)\s+from|copyright\b|©)"
)
_INLINE = r"(?:contributed\s+(?:to\s+)?(?:this\s+)?report|reported\s+from|reporting\s+by)"
_CREDIT_LINE = re.compile(
    r"(?im)^[ \t(\[]*(?:" + _OPENS + r"[^\n]*|[^\n]{0,100}\b" + _INLINE + r"[^\n]{0,100}"
    r"|\(?end\)?[ \t]*)$"  # Yonhap's "(END)"
)


def _credit_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CREDIT_LINE.finditer(text)]


def _in_credits(e: Entity, credits: list[tuple[int, int]]) -> bool:
    return bool(e.mentions) and all(any(a <= s < b for a, b in credits) for s, _ in e.mentions)


def _drop_credit_places(entities: list[Entity], credits: list[tuple[int, int]]) -> list[Entity]:
    """A place named only where the story credits its reporters ("Jane Doe in SYDNEY")
    is none of the story's; the bodies that named it forget it."""
    gone = {e.id for e in entities if e.type == "PLACE" and _in_credits(e, credits)}
    if not gone:
        return entities
    for e in entities:
        e.places = [p for p in e.places if p not in gone]
    return [e for e in entities if e.id not in gone]


def _family(e: Entity, text: str) -> bool:
    """A surname in the plural after "the" at every mention ("the Obamas", "the
    Kellys'"): a family."""
    words = e.name.split()
    if e.quotes or e.honorifics or len(words) != 1 or not e.mentions:
        return False
    word = words[0].removesuffix("'").removesuffix("’")
    if not (word[:1].isupper() and word.endswith("s") and not word.endswith("ss")):
        return False
    return all(text[max(0, a - 4) : a].lower() == "the " for a, _ in e.mentions)


def _lower_in_text(word: str, text: str) -> bool:
    """Is the word used in lower case in the story (a common word, not a name)?"""
    low = word.lower()
    return (
        low != word and re.search(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", text) is not None
    )


_CAP_BEFORE = re.compile(
    r"(?:^|(?<=[^\n.!?:;\"“”]))\s([A-Z][\w’'&]*(?:-[A-Z][\w’'&]*)*)(\s+of)?\s+$"
)
_CAP_AFTER = re.compile(r"^(?:\s+(?:of\s+(?:the\s+)?)?(?:[A-Z][a-z]|[A-Z]\b|\d)|-[a-z]{1,3}-[A-Z])")


def _name_fragment(text: str, start: int, end: int, titles: bool = False) -> bool:
    """Is the name at text[start:end] a piece of a longer capitalized name ("Strait of
    Hormuz", "Rest of World", "Justice Department", "Court 12", "Tehrik-e-Taliban")? A
    possessive before it ("Arsenal's Saka") does not count, nor a sentence's first
    word, nor (unless `titles`: a body is no person) a title ("Coach Smith")."""
    before = _CAP_BEFORE.search(text[max(0, start - 40) : start])
    if before is not None:
        word = before.group(1)
        low = fold(word)
        # "US Delta Force", "The Associated Press": a place or an article in front
        place = get_gazetteer().is_strong(word) or normalize(word) in demonyms()
        # "Secretary of Expediency Council": after "of", a name with a body's word is one
        name = text[start:end]
        own = before.group(2) is not None and " " in name and _named_body(name)
        if not (word.endswith(("'s", "’s")) or low == "the" or place or own) and (
            titles or not (low in TITLES or low in PERSON_NOUNS)
        ):
            return True
    after = _CAP_AFTER.match(text[end : end + 30])
    if after is None:
        return False
    # "Islamic Seminaries Ayatollah Arafi", "Expediency Council Mohsen Rezaei": a body's
    # name, then a title or a person's name
    nxt = re.match(r"\s+([A-Z][\w.]*)", text[end : end + 30])
    word = nxt.group(1) if nxt else ""
    return not (word in HONORIFICS or first_name_gender(word))


def _shouted(words: list[str]) -> bool:
    """A run of capitals that is no acronym: a heading or a slogan."""
    caps = [w for w in words if w.isalpha() and w.isupper()]
    return len(caps) == len(words) and (len(words) >= 3 or any(len(w) > 6 for w in caps))


def _not_a_name(e: Entity, text: str, credits: list[tuple[int, int]]) -> bool:
    """A "person" or "organisation" that is none: a byline's, a heading's or a common
    word typed as a name, a title alone, the name of a law or a report."""
    if e.quotes:
        return False  # a speaker is somebody, whatever the name looks like
    if _in_credits(e, credits):
        return True  # "Reporting by Jane Doe; Editing by John Roe"
    words = re.findall(r"[\w'’.-]+", e.name)
    if not words or not any(w[:1].isupper() for w in words):
        return e.type == "ORG"  # "jargon", "the": no name at all
    last = fold(words[-1]).removesuffix("'s").removesuffix("’s")
    if e.type == "ORG":
        if e.mentions and all(_name_fragment(text, a, b, titles=True) for a, b in e.mentions):
            return True  # "Department" of "Justice Department", "Court" of "Court 12"
        if _shouted(words):
            return True  # "JETSETTER TO CONVICT", "MAKE AMERICA RICH AGAIN": a heading
        # "Genocide Convention"; "Rear Admiral", "Lindi Municipal Director": a title
        low = {fold(w) for w in words}
        title = last in TITLES or last in PERSON_NOUNS
        return last in WORK_WORDS or (title and not low & (ORG_WORDS | BODY_WORDS | {"of"}))
    if re.fullmatch(r"[RDI]-[A-Z][\w.]*", e.name):
        return True  # "R-Neb.": a lawmaker's party-and-state tag
    if e.honorifics or e.roles:
        return False
    if any(ch.isdigit() for ch in e.name) or not e.name[:1].isalpha():
        return True  # "Horus 4", "- Playoff": a heading or a score line
    if len(words) == 1:
        if e.mentions and all(_name_fragment(text, a, b) for a, b in e.mentions):
            return True  # "Hormuz", "Electric", "Rest": always a word of a longer name
        return last in MONTHS or last in WEEKDAYS or _lower_in_text(words[0], text)
    # "Spotty Recovery", "Hourly Earnings": a heading, unless a given name leads it
    return _lower_in_text(words[-1], text) and first_name_gender(words[0], likely=True) is None


# What a document or a body of evidence is called: "court records", "Labor Department
# data", "Moody's Analytics' forecast" speak for their author, and are nobody themselves.
_MORE_PAPERS = """
    papers tally tallies forecast forecasts investigation investigations records research
    reporting filings statements
"""
_PAPERS = DOCUMENT_NOUNS | EVIDENCE_NOUNS | frozenset(_MORE_PAPERS.split())
_POLLS = frozenset({"poll", "polls", "survey", "surveys"})
_JOIN = frozenset({"of", "and", "&", "for", "the", "de"})
# Endings of nouns for people: a lower-case "group" with such a head is somebody.
_AGENT_ENDINGS = """
    er ers or ors ist ists ian ians ant ants ent ents man men people friend friends source
    sources family families child children staff crew police public
"""
_AGENTS = tuple(_AGENT_ENDINGS.split())


def _plural_of(word: str, nouns: frozenset[str]) -> bool:
    return word in nouns or word.removesuffix("s") in nouns or word.removesuffix("es") in nouns


def _document_author(name: str) -> str | None:
    """The author a document's name gives ("Labor Department data": "Labor Department"),
    or None when it names none ("court records", "Palestinian tallies")."""
    words = name.split()[:-1]
    if words and words[0].lower() == "the":
        words = words[1:]
    if words:
        words[-1] = re.sub(r"(?:['’]s|['’])$", "", words[-1])
    if not words or not all(w[:1].isupper() or w in _JOIN for w in words):
        return None
    if len(words) == 1 and normalize(words[0]) in demonyms():
        return None  # "Palestinian tallies"
    return " ".join(words)


def _no_body(e: Entity) -> str | None:
    """A "group" that is no body of people: a document's name becomes its author's
    (returned); a common noun that names no people ("methods", "plan") gives ""."""
    words = re.findall(r"[\w'’.&-]+", e.name)
    if not words:
        return ""
    head = fold(words[-1])
    if head in _POLLS:
        return None  # "a Harbor Times/Ipsos poll" speaks as itself (attribution's rule)
    if head in _PAPERS:
        return _document_author(e.name) or ""
    # "the men in the car", "one of the survivors": a word of it names people
    people = PERSON_NOUNS | PEOPLE_GROUPS | ORG_NOUNS | BODY_WORDS
    if e.name.islower() and not any(
        _plural_of(w, people) or w in TITLES or w.endswith(_AGENTS) for w in map(fold, words)
    ):
        return ""
    return None


def _named_body(name: str) -> bool:
    """A name with a body's word in it, or "The ..." ("The Korea Times")."""
    words = re.findall(r"[\w'’.-]+", name)
    low = {fold(w) for w in words}
    return bool(words) and (words[0] == "The" or bool(low & (ORG_WORDS | ORG_NOUNS | BODY_WORDS)))


def _absorb(into: Entity, other: Entity) -> None:
    into.mentions = sorted(set(into.mentions) | set(other.mentions))
    for q in other.quotes:
        if q not in into.quotes:
            into.quotes.append(q)
    for name in [other.name, *other.aliases]:
        if _key(name) != _key(into.name) and name not in into.aliases:
            into.aliases.append(name)
    for role in other.roles:
        if role not in into.roles:
            into.roles.append(role)
    for h in other.honorifics:
        if h not in into.honorifics:
            into.honorifics.append(h)
    for pid in other.places:
        if pid not in into.places:
            into.places.append(pid)


def _person_parts(people: list[Entity]) -> dict[str, list[Entity]]:
    """Each tail of a multi-word person name ("kisla", "el saife") and each given name,
    with the people who bear it."""
    parts: dict[str, list[Entity]] = {}
    for p in people:
        words = _key(p.name).split()
        if len(words) < 2:
            continue
        for k in range(1, len(words)):
            parts.setdefault(" ".join(words[k:]), []).append(p)
        parts.setdefault(words[0], []).append(p)
    return parts


def _genders(e: Entity) -> set[str]:
    """The genders an entry's honorifics and given name state ("Mrs" f, "Emmanuel" m)."""
    out = {e.gender} if e.gender else set()
    words = e.name.split()
    if len(words) > 1 and (g := first_name_gender(words[0])) is not None:
        out.add(g)
    return out


def _persons_typed_as_bodies(bodies: list[Entity], people: list[Entity]) -> list[Entity]:
    """ "Montell Figgins" typed an organisation, with no person of that name: a given
    name and a surname, or a one-word person's name and a surname ("Herumanto" beside
    "Herumanto Tanus"), is a person. Returns the bodies retyped."""
    single = {_key(p.name) for p in people if " " not in _key(p.name)}
    out = []
    for e in bodies:
        words = e.name.split()
        if e.type != "ORG" or len(words) != 2 or _body_like(e.name) or _named_body(e.name):
            continue
        if not all(w[:1].isupper() and w.isalpha() for w in words):
            continue
        if first_name_gender(words[0]) is not None or _key(words[0]) in single:
            e.type = "PERSON"
            out.append(e)
    return out


def _merge_name_parts(people: list[Entity], gone: dict[str, Entity]) -> None:
    """ "Figgins", "Hawk Sawyer", "Herumanto", "Yoon Suk" beside "Montell Figgins",
    "Kathleen Hawk Sawyer", "Herumanto Tanus", "Yoon Suk Yeol": one person, when exactly
    one fuller name holds the part (as its tail, its given name or its opening words) and
    nothing says they differ — a "Mrs Macron" beside Emmanuel Macron stays apart."""
    full = [p for p in people if len(_key(p.name).split()) > 1 and p.id not in gone]
    for p in people:
        if p.id in gone:
            continue
        words = _key(p.name).split()
        bearers = []
        for q in full:
            qw = _key(q.name).split()
            if q is p or len(qw) <= len(words):
                continue
            tail, head = qw[-len(words) :] == words, qw[: len(words)] == words
            if tail or (head and (len(words) > 1 or first_name_gender(p.name) is not None)):
                bearers.append(q)
        if len(bearers) != 1:
            continue
        q = bearers[0]
        if len(_genders(p) | _genders(q)) > 1:
            continue  # a spouse or a relative sharing the surname
        if p.honorifics and q.honorifics and not set(p.honorifics) & set(q.honorifics):
            continue  # "Insp Jones" beside "Dr Mary Jones": titles of different people
        _absorb(q, p)
        gone[p.id] = q


def _merge_qualified_bodies(bodies: list[Entity], gone: dict[str, Entity]) -> None:
    """ "Montana Freedom Caucus" and "Freedom Caucus", "Afghan Taliban" and "Taliban",
    "federal Bureau of Prisons" and "Bureau of Prisons": one body, when the longer name
    only adds a place, a people's adjective or lower-case words in front."""
    by_key: dict[str, Entity] = {}
    for b in bodies:
        if b.id not in gone:
            by_key.setdefault(_key(b.name), b)
    for b in bodies:
        if b.id in gone:
            continue
        words = re.findall(r"[\w'’.&-]+", b.name)
        for k in range(1, len(words)):
            lead, rest = words[:k], _key(" ".join(words[k:]))
            short = by_key.get(rest)
            if short is None or short is b or short.id in gone or not rest:
                continue
            said = " ".join(lead)
            qualifier = all(w.islower() for w in lead) or (
                get_gazetteer().lookup(said.removesuffix("'s").removesuffix("’s")) is not None
                or normalize(said) in demonyms()
            )
            if qualifier:
                _absorb(short, b)
                gone[b.id] = short
                break


def one_entity_per_name(
    entities: list[Entity], quotes: list[Quote], text: str = ""
) -> tuple[list[Entity], list[Quote]]:
    """The record's people and bodies with each name under one entry of one type, none
    that names nobody (see _not_a_name); quotes whose speaker was a merged entry point
    to the one kept. `text`: the article's."""
    credits = _credit_spans(text)
    entities = _drop_credit_places(entities, credits)
    for e in entities:
        if e.type == "PERSON" and _family(e, text):
            e.type = "GROUP"  # "the Obamas": a family, not a person
        # "University of Alabama", "The White House" read as a person: a body
        if e.type == "PERSON" and not (e.roles or e.honorifics) and _named_body(e.name):
            e.type = "ORG"
    entities = [
        e for e in entities if e.type not in ("PERSON", "ORG") or not _not_a_name(e, text, credits)
    ]
    nobody: set[str] = set()  # ids of entries that name no one: their quotes keep no entity
    for e in entities:
        author = _no_body(e) if e.type == "GROUP" else None
        if author == "":
            nobody.add(e.id)
        elif author:
            e.name, e.type = author, "ORG"  # joins the author's own entry below
    entities = [e for e in entities if e.id not in nobody]
    people = [e for e in entities if e.type == "PERSON"]
    named = {_key(p.name) for p in people}
    people += _persons_typed_as_bodies(
        [e for e in entities if e.type == "ORG" and _key(e.name) not in named], people
    )
    bodies = [e for e in entities if e.type == "ORG"]
    gone: dict[str, Entity] = {}  # merged id -> the entity kept
    by_key: dict[str, Entity] = {}
    for p in people:
        by_key.setdefault(_key(p.name), p)
    parts = _person_parts(people)
    first_body: dict[str, Entity] = {}
    for org in bodies:  # "Harbour Sports" twice, once read as a person
        same = first_body.setdefault(_key(org.name), org)
        if same is not org:
            _absorb(same, org)
            gone[org.id] = same
    for org in bodies:
        key = _key(org.name)
        if not key or org.id in gone:
            continue
        keys = [key, *(_key(a) for a in org.aliases)]
        person = next((by_key[k] for k in keys if k in by_key), None)
        if person is not None and person.id not in gone:
            body = _body_like(org.name) or _body_like(person.name)
            if body and not person.roles and not person.honorifics:
                _absorb(org, person)  # "Sky Sports", "The White House": a body
                gone[person.id] = org
            elif not body:
                _absorb(person, org)  # "Diego Schwartzman" typed ORG once: the person
                gone[org.id] = person
            continue
        bearers = parts.get(key, [])
        if len(bearers) == 1 and not _body_like(org.name) and bearers[0].id not in gone:
            _absorb(bearers[0], org)  # "Kisla", "El Saife": the person's surname
            gone[org.id] = bearers[0]
    # "Durand Jirga" beside "Durand Jirga, Inc.": one body, under its full name
    names = {_key(_LEGAL.sub("", o.name)): o for o in bodies if _LEGAL.search(o.name)}
    for org in bodies:
        full = names.get(_key(org.name))
        if full is not None and full is not org and org.id not in gone and full.id not in gone:
            _absorb(full, org)
            gone[org.id] = full
    _merge_name_parts(people, gone)
    _merge_qualified_bodies([e for e in entities if e.type in ("ORG", "GROUP")], gone)
    if not gone and not nobody:
        return entities, quotes

    def kept(eid: str) -> Entity:
        ent = gone[eid]
        while ent.id in gone:
            ent = gone[ent.id]
        return ent

    out_quotes = []
    for q in quotes:
        spk = q.speaker
        if spk is not None and spk.entity in gone:
            ent = kept(spk.entity)
            q = replace(q, speaker=replace(spk, entity=ent.id, name=ent.name))
        elif spk is not None and spk.entity in nobody:
            q = replace(q, speaker=replace(spk, entity=None))
        out_quotes.append(q)
    return [e for e in entities if e.id not in gone], out_quotes
