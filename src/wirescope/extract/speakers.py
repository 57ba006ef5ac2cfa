"""People and speaker resolution: one entity per person per article.

Coreference is ours (no coreference package loads offline): names cluster by
their words (a surname joins the full name), honorifics and roles are read from
pre-name titles and appositions, and pronouns and nominals ("the official")
resolve to the most salient compatible person at that point of the text: the
latest speaker or subject whose gender agrees.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import gender_guesser.detector as gender_detector
from spacy.tokens import Doc, Token

from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.lexicon import (
    CUES,
    HONORIFIC_GENDER,
    HONORIFICS,
    NAME_PARTICLES,
    NOMINAL_GENDER,
    ORG_NOUNS,
    PEOPLE_GROUPS,
    PERSON_NOUNS,
    PRONOUNS,
    ROLE_CONNECTORS,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Article, Entity, Quote, SpeakerRef

Span = tuple[int, int]
_DETERMINERS = ("the ", "a ", "an ", "this ", "that ", "its ", "his ", "her ", "their ")
_APPOSITION = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?([^,.;:()\"“”]{3,90}?)\s*(?:,|\.|;|$)")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_SALIENCE_WINDOW = 6000  # characters a pronoun looks back for its antecedent
_NAMED_AFTER = 400  # characters after an unnamed speaker in which a new name names it
_ORG_NEAR = 600  # "the company" right after an organisation spoke or acted means it


def _fold(word: str) -> str:
    """Lowercase, no diacritics, no dots: the form names are compared in."""
    nfkd = unicodedata.normalize("NFKD", word)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower().strip(".")


@lru_cache(maxsize=1)
def _gender_detector() -> gender_detector.Detector:
    return gender_detector.Detector(case_sensitive=False)


def first_name_gender(first: str, likely: bool = False) -> str | None:
    """'m' or 'f' for a confident guess; with `likely`, also for 'mostly_' ones."""
    if not first[:1].isalpha() or first.lower() in NAME_PARTICLES:
        return None  # "Al Basha", "Van Horne": a surname particle, not a first name
    guess = str(_gender_detector().get_gender(first))
    if likely:
        guess = guess.removeprefix("mostly_")
    # Only confident guesses are rules: "Darian" is "mostly_male" yet Darian is "she".
    found: str | None = {"male": "m", "female": "f"}.get(guess)
    return found


@dataclass
class Person:
    id: str
    words: list[str]  # the name as written, honorifics removed
    honorifics: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    gender: str | None = None
    mentions: list[Span] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(self.words)

    @property
    def likely_gender(self) -> str | None:
        if self.gender:
            return self.gender
        return first_name_gender(self.words[0], likely=True) if len(self.words) > 1 else None

    folded: list[str] = field(init=False, repr=False)  # words in comparison form

    def __post_init__(self) -> None:
        self.rename(self.words)

    def rename(self, words: list[str]) -> None:
        """Set the name; its folded form is kept with it (matching reads it per mention)."""
        self.words = list(words)
        self.folded = [_fold(w) for w in self.words]


@dataclass
class _Salient:
    pos: int
    entity: str
    strong: bool  # a subject or a speaker, not just any mention


class _People:
    """The article's people, clustered as their mentions are read in order."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.by_id: dict[str, Person] = {}

    def add(self, words: list[str], pos: int) -> Person:
        folded = [_fold(w) for w in words]
        match = self._match(folded, pos)
        if match is None:
            match = Person(id=f"p{len(self.people) + 1}", words=list(words))
            self.people.append(match)
            self.by_id[match.id] = match
            if len(words) > 1:
                match.gender = first_name_gender(words[0])
        elif len(words) > len(match.words) and folded[-len(match.words) :] == match.folded:
            # "Arafi" seen first, "Alireza Arafi" later: the fuller name wins.
            match.rename(words)
            match.gender = match.gender or first_name_gender(words[0])
        return match

    def _match(self, folded: list[str], pos: int) -> Person | None:
        exact = [p for p in self.people if p.folded == folded]
        if exact:
            return exact[-1]
        if len(folded) == 1:
            # A lone surname (or first name) joins the latest person bearing it.
            word = folded[0]
            named = [p for p in self.people if p.folded[-1] == word]
            named = named or [p for p in self.people if word in p.folded]
            return max(named, key=lambda p: p.mentions[-1][0] if p.mentions else 0, default=None)
        if folded[0] in NAME_PARTICLES:
            # "Al Hashish" is the surname of "Fouzia Al Hashish", not a first name.
            n = len(folded)
            named = [p for p in self.people if len(p.folded) > n and p.folded[-n:] == folded]
            if named:
                return max(named, key=lambda p: p.mentions[-1][0] if p.mentions else 0)
        # A fuller name joins a lone-surname person, never one with other first names.
        for p in self.people:
            n = len(p.folded)
            if p.folded[0] in NAME_PARTICLES and len(folded) > n and folded[-n:] == p.folded:
                return p
            if len(p.folded) == 1 and p.folded[0] == folded[-1]:
                return p
            if len(p.folded) > 1 and p.folded[-1] == folded[-1] and p.folded[0] == folded[0]:
                return p
        return None


def _split_honorifics(words: list[str]) -> tuple[list[str], list[str]]:
    hon: list[str] = []
    while len(words) > 1:
        two = " ".join(words[:2])
        if two in HONORIFICS:
            hon.append(two)
            words = words[2:]
        elif words[0] in HONORIFICS or words[0].rstrip(".") + "." in HONORIFICS:
            hon.append(words[0])
            words = words[1:]
        else:
            break
    return hon, words


def _leading_honorifics(doc: Doc, start_tok: int) -> tuple[list[str], int]:
    """Honorific tokens just before a name ("Ayatollah Seyed | Ali Khamenei")."""
    hon: list[str] = []
    i = start_tok
    while i > 0 and doc[i - 1].text in HONORIFICS:
        hon.insert(0, doc[i - 1].text)
        i -= 1
    return hon, i


def _title_before(doc: Doc, tok_i: int, stop: set[int], floor: int) -> str | None:
    """A pre-name title: the capitalized run before the name, with its connectors
    ("Head of Iran's Islamic Seminaries", "Iran's Deputy Foreign Minister").
    The walk stops at another person's name (a list: "X and Senior Advisor Y")
    and at the dateline."""
    i = tok_i - 1
    sent_start = doc[tok_i].sent.start if tok_i < len(doc) else 0
    first = tok_i
    while i >= sent_start and i not in stop and doc[i].idx >= floor:
        tok = doc[i]
        text = tok.text
        # Lowercase titles count when a role noun touches the name:
        # "Kazakhstan's deputy ecology minister Aigerim Tulegenova".
        lower_title = tok.pos_ in ("NOUN", "ADJ") and doc[tok_i - 1].lower_ in PERSON_NOUNS
        if (
            text[:1].isupper()
            or text in ROLE_CONNECTORS
            or text.lower() in ROLE_CONNECTORS
            or lower_title
        ):
            if not text.replace("-", "").replace("&", "").replace("'", "").replace("’", ""):
                pass
            elif (
                not text.replace("-", "")
                .replace(".", "")
                .replace("'", "")
                .replace("’", "")
                .isalnum()
            ):
                break
            first = i
            i -= 1
            continue
        break
    words = [t for t in doc[first:tok_i]]
    while words and (words[0].lower_ in ROLE_CONNECTORS or words[0].is_punct):
        words.pop(0)
    if not words or not any(w.lower_ in PERSON_NOUNS or w.lower_ == "head" for w in words):
        return None
    return doc_text(doc)[words[0].idx : words[-1].idx + len(words[-1].text)]


def _apposition_role(text: str, end: int, names: list[Span]) -> str | None:
    m = _APPOSITION.match(text, end)
    if not m or any(s < m.end(1) and m.start(1) < e for s, e in names):
        return None  # a list of people, not an apposition
    role = m.group(1).strip()
    words = role.lower().replace("’", "'").split()
    if not words or words[0].isdigit() or not any(w.strip("'s") in PERSON_NOUNS for w in words):
        return None
    # An apposition is a noun phrase: ", has been commended for ..." is a predicate.
    starts_np = text[m.start(1) - 4 : m.start(1)].strip().lower() in ("the", "a", "an")
    if not (starts_np or role[:1].isupper() or words[0] in PERSON_NOUNS):
        return None
    return role


def _norm_role(role: str) -> str:
    return " ".join(role.replace("’", "'").split())


def _add_role(person: Person, role: str) -> None:
    role = _norm_role(role)
    key = set(role.lower().split())
    for k, old in enumerate(person.roles):
        old_key = set(old.lower().split())
        if key <= old_key:
            return
        if old_key <= key:
            person.roles[k] = role
            return
    person.roles.append(role)


def _after_titles(words: list[str]) -> list[str]:
    """The name after any title inside an entity ("Yellowhead MP Jim Eglinski" ->
    "Jim Eglinski"); nothing when the entity is only a title ("Liberal MLA")."""
    last = max((k for k, w in enumerate(words) if w.lower().strip(".") in PERSON_NOUNS), default=-1)
    return words[last + 1 :]


def _person_inside_org(text: str, start: int, end: int) -> Span | None:
    """The small model types "Agriculture Reza Mohammadkhani" (the tail of
    "Minister of Agriculture Reza Mohammadkhani") as an organisation: a known first
    name followed by capitalized words, with no institution word, is a person."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for k, m in enumerate(words[:-1]):
        tail = [w.group() for w in words[k:]]
        if not all(w[:1].isupper() for w in tail) or len(tail) > 4:
            continue
        if any(w.lower() in ORG_NOUNS or w.lower() in PERSON_NOUNS for w in tail):
            continue
        if str(_gender_detector().get_gender(tail[0])) != "unknown":
            return start + m.start(), end
    return None


_MEDIA_WORDS = frozenset(
    ["press", "news", "agency", "images", "photo", "photos", "reuters", "getty"]
)


_MEDIA_NAMES = frozenset(
    ["reuters", "ap", "afp", "cbc", "ctv", "cnn", "bbc", "globe", "times", "post", "xinhua"]
)


def _is_outlet(name: str) -> bool:
    """A news outlet or photo agency ("Reuters", "The Canadian Press")."""
    return any(w in _MEDIA_WORDS or w in _MEDIA_NAMES for w in name.lower().split())


def _is_credit(text: str, start: int, end: int) -> bool:
    """Photo credits and bylines ("Evan Vucci/Associated Press", "J.P. MOCZULSKI",
    "The Canadian Press") name people who say nothing in the story."""
    near = text[max(0, start - 3) : end + 3]
    name = text[start:end]
    media = any(w.lower() in _MEDIA_WORDS for w in name.split())
    return "/" in near or (name.isupper() and len(name) > 3) or media


_CREDIT = re.compile(
    r"\w / \w|\w/\w+ ?\)|\((?:Photo|Image|File)|Getty Images|/ ?(?:AP|AFP|Reuters)\b"
)


def _in_caption(text: str, pos: int) -> bool:
    """Photo captions ("Ryan Remiorz / The Canadian Press Kevin Vickers, right, ...")
    name people posing, not the person the story is following."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    return bool(_CREDIT.search(line))


def _main_subject(root: Token, reported: list[Span]) -> bool:
    """A subject of the narrative, not someone named inside reported speech:
    what a later "he" most likely points back to."""
    if any(s <= root.idx < e for s, e in reported):
        return False
    if root.dep_ in ("compound", "appos", "flat"):
        root = root.head
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = root.head
    if _subordinate(verb):
        return False  # "Although Trump has tweeted ...": a subordinate clause's subject
    return verb.dep_ in ("ROOT", "conj") or verb.lemma_.lower() in CUES


def _subordinate(verb: Token) -> bool:
    """A verb heading a subordinate clause ("although ...", "when ..."; "that" is not)."""
    return any(c.dep_ == "mark" and c.lower_ != "that" for c in verb.children)


def _collect_people(
    doc: Doc,
    floor: int,
    reported: list[Span],
    places: frozenset[str] = frozenset(),
    orgs: frozenset[str] = frozenset(),
) -> tuple[_People, list[tuple[Span, str]], list[_Salient]]:
    """Person mentions from the corrected entities, clustered, with roles and
    honorifics; returns the clusters, each mention's entity and salience events."""
    people = _People()
    mentions: list[tuple[Span, str]] = []
    salience: list[_Salient] = []
    text = doc_text(doc)
    names: list[Span] = []
    for s, e, label in corrected_ents(doc):
        if label == "PERSON":
            names.append((s, e))
        elif label == "ORG":
            found = _person_inside_org(text, s, e)
            if found is not None:
                names.append(found)
    names = _drop_org_names(text, names, orgs)
    names = [(s, e) for s, e in names if _POSSESSIVE.sub("", text[s:e]).strip() not in places]
    names = sorted(set(names) | set(_appositive_names(doc, names)))
    names = sorted(set(names) | set(_surname_mentions(doc, names)))
    name_tokens: set[int] = set()
    for s, e in names:
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is not None:
            name_tokens.update(range(sp.start, sp.end))
    for start, end in names:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or _is_credit(text, start, end):
            continue
        raw = _POSSESSIVE.sub("", text[start:end]).strip()
        hon, words = _split_honorifics(raw.split())
        words = _after_titles(words)
        if len(words) > 2 and _POSSESSIVE.sub("", words[0]) in places:
            words = words[1:]  # "Vancouver Bo Horvat": the NER swallowed a place
        if " ".join(words) in places:
            continue  # "Nova Scotia" typed PERSON
        if not words or not any(w[:1].isupper() for w in words):
            continue
        before, first_i = _leading_honorifics(doc, span.start)
        person = people.add(words, start)
        person.mentions.append((start, end))
        for h in [*before, *hon]:
            if h not in person.honorifics:
                person.honorifics.append(h)
            if person.gender is None and HONORIFIC_GENDER.get(h):
                person.gender = HONORIFIC_GENDER[h]
        role = _title_before(doc, first_i, name_tokens, floor) or _apposition_role(text, end, names)
        if role:
            _add_role(person, role)
        mentions.append(((start, end), person.id))
        strong = _main_subject(span.root, reported) and not _in_caption(text, start)
        salience.append(_Salient(start, person.id, strong))
    return people, mentions, salience


def _drop_org_names(text: str, names: list[Span], orgs: frozenset[str]) -> list[Span]:
    """A one-word "person" the NER types as an organisation elsewhere in the story
    ("Facebook said") is that organisation, unless it is a named person's surname."""
    surnames = set()
    for s, e in names:
        words = text[s:e].split()
        if len(words) > 1:
            surnames.add(_fold(_POSSESSIVE.sub("", words[-1])))
    kept = []
    for s, e in names:
        word = _fold(_POSSESSIVE.sub("", text[s:e].strip()))
        if " " not in word and word in orgs and word not in surnames:
            continue
        kept.append((s, e))
    return kept


def _appositive_names(doc: Doc, names: list[Span]) -> list[Span]:
    """Names the NER missed or typed as an organisation but an apposition shows
    are people: "Roman, a resident of the area who operates tours, said"."""
    text = doc_text(doc)
    found: list[Span] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper():
            j += 1
        start, end = tok.idx, doc[j].idx + len(doc[j].text)
        i = j + 1
        if j - tok.i > 2 or any(s < end and start < e for s, e in names):
            continue
        if "." in text[start:end] or (tok.i > 0 and doc[tok.i - 1].lower_ == "the"):
            continue  # "D-Calif.", "the Nova Scotia ...": not a person's name
        if any(t.ent_type_ in ("GPE", "LOC", "FAC", "NORP") for t in doc[tok.i : j + 1]):
            continue
        if any(t.lower_ in ORG_NOUNS or t.lower_ in PERSON_NOUNS for t in doc[tok.i : j + 1]):
            continue
        if text[end : end + 1] == "," and _apposition_role(text, end, names):
            found.append((start, end))
    return found


def _surname_mentions(doc: Doc, names: list[Span]) -> list[Span]:
    """Later bare surnames the NER missed ("Lametti expressed concern" after "David
    Lametti"): a capitalized proper-noun token equal to a named person's surname.
    A surname modifying a common noun ("the Trudeau government") is not a mention."""
    text = doc_text(doc)
    surnames: set[str] = set()
    for s, e in names:
        words = _POSSESSIVE.sub("", text[s:e]).split()
        if len(words) > 1 and words[-1][:1].isupper():
            surnames.add(_fold(words[-1]))
    if not surnames:
        return []
    taken = sorted(names)
    starts = [s for s, _ in taken]
    found: list[Span] = []
    for tok in doc:
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or _fold(tok.text) not in surnames:
            continue
        k = bisect_right(starts, tok.idx) - 1
        if k >= 0 and taken[k][0] <= tok.idx < taken[k][1]:
            continue  # already inside a name
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            continue
        if tok.ent_type_ in ("GPE", "LOC", "FAC"):
            continue
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if tok.ent_iob_ == "I" or (tok.ent_iob_ == "B" and nxt is not None and nxt.ent_iob_ == "I"):
            continue  # part of a longer name ("Nova Scotia Health Authority")
        found.append((tok.idx, tok.idx + len(tok.text)))
    return found


def _head_noun(text: str) -> str:
    words = re.findall(r"[\w'’-]+", text.lower())
    return words[-1] if words else ""


def _mention_person(span: Span, mentions: list[tuple[Span, str]]) -> str | None:
    """The person whose name lies inside a speaker mention (the last one wins:
    "Secretary of X Mohsen Rezayee" names Rezayee, not the country)."""
    found = None
    for (s, e), pid in mentions:
        if (s >= span[0] and e <= span[1]) or s <= span[0] < e:
            found = pid
    return found


class _Resolver:
    def __init__(self, doc: Doc, others: list[Entity], floor: int, reported: list[Span]) -> None:
        self.doc = doc
        places = frozenset(e.name for e in others if e.type == "PLACE")
        orgs = frozenset(_fold(e.name) for e in others if e.type == "ORG")
        self.people, self.mentions, self.salience = _collect_people(
            doc, floor, reported, places, orgs
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
            if found:
                return found
        return None

    def resolve_nominal(self, pos: int, head: str) -> str | None:
        for s in reversed([s for s in self.salience if s.pos < pos]):
            person = self.people.by_id.get(s.entity)
            if person and any(head in r.lower().split() for r in person.roles):
                return person.id
        return self.salient(pos, NOMINAL_GENDER.get(head))

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
        return _subordinate(tok.head)

    def is_subject(self, pos: int) -> bool:
        """Whether the mention at `pos` is a narrative subject (not inside a quote)."""
        tok = self._token_at(pos)
        return tok is not None and _main_subject(tok, self.reported)

    def person_surnames(self) -> set[str]:
        """Folded surnames of the article's people: an ORG-typed one is a person."""
        return {p.folded[-1] for p in self.people.people if p.folded}

    def note(self, pos: int, pid: str, strong: bool = True) -> None:
        keys = [s.pos for s in self.salience]
        self.salience.insert(bisect_right(keys, pos), _Salient(pos, pid, strong))

    def group(self, text: str, pos: int) -> Entity:
        name = self._org_name(text, pos)
        span = (pos, pos + len(text))
        for ent in [*self.others, *self.groups]:
            if ent.type in ("ORG", "GROUP") and _fold(ent.name) == _fold(name):
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


def _trailing_name(text: str) -> str | None:
    """The capitalized run that ends a mention ("farmer Hugo Blanc" -> "Hugo Blanc")."""
    words = text.split()
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper():
        k -= 1
    run = words[k:]
    if not run or (k > 0 and words[k - 1].lower() in ROLE_CONNECTORS):
        return None  # "the minister of Health" is a role, not a name
    return " ".join(run)


def _is_name(text: str) -> bool:
    words = [w for w in re.findall(r"[\w'’.-]+", text) if w.lower() not in ROLE_CONNECTORS]
    return bool(words) and all(w[:1].isupper() for w in words)


def resolve_speakers(
    article: Article, doc: Doc, quotes: list[Quote], others: list[Entity]
) -> list[Entity]:
    """Resolve every quote's speaker; return the people (and speaking groups)."""
    dl = article.dateline
    reported = [q.span for q in quotes]
    res = _Resolver(doc, others, dl.span[1] if dl and dl.span else 0, reported)
    people = res.people
    text = doc_text(doc)
    headline: list[Quote] = []
    last: Quote | None = None
    for q in sorted(quotes, key=lambda q: q.span[0]):
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
    return entities


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


def _resolve_mention(q: Quote, spk: SpeakerRef, res: _Resolver, text: str) -> None:
    low = spk.text.lower().strip()
    words = low.split()
    det = words[0] if words else ""
    span = res.doc.char_span(spk.span[0], spk.span[1], alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    head = root.lower_ if root is not None else _head_noun(spk.text)
    if det in _NOMINAL_DETS and span is not None:
        # "The former sergeant-at-arms of the House of Commons": the role word
        # before the first preposition heads the mention, whatever the parse says.
        for tok in span[1:]:
            if tok.dep_ == "prep" and tok.whitespace_ and tok.i > span.start + 1:
                break
            if tok.lower_ in PERSON_NOUNS:
                head = tok.lower_
    pos = spk.span[0]
    if low in PRONOUNS:
        _resolve_pronoun(spk, res, low, q.span)
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
    if nominal and det in ("the", "this", "that"):
        # "the official", "the lawyer for X": the person holding that role here.
        spk.mention_type = "nominal"
        spk.entity = res.resolve_nominal(pos, "year-old" if "year-old" in head else head)
        if spk.entity:
            res.note(pos, spk.entity)
            return
    pid = _mention_person(spk.span, res.mentions)
    # "Trudeau's office said": the office speaks, not Trudeau ("Foster's book" is
    # Foster's words, though: a document speaks for its author).
    owned = head not in _DOCUMENT_NOUNS and any(
        pid_ == pid and spk.span[0] <= s < spk.span[1] and text[e : e + 2] in ("'s", "’s")
        for (s, e), pid_ in res.mentions
    )
    if pid is not None and owned and (head in ORG_NOUNS or head in PERSON_NOUNS):
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
            _add_role(person, " ".join(spk.text.split()[1:]))
            spk.entity = person.id
            res.note(pos, person.id)
            return
        # "a justice official": someone new; a later "the official" refers back.
        spk.entity = res.anonymous(spk.text, pos).id
        return
    if det in ("the", "this", "its", "a", "an") and head in ORG_NOUNS:
        spk.mention_type = "org"
        modifiers = [w for w in words[1:-1] if w not in ROLE_CONNECTORS]
        if head in _DOCUMENT_NOUNS:
            # "A statement from the EU": the author is named inside the mention.
            inner = _overlapping(spk.span, res.others)
            named = _mention_person(spk.span, res.mentions)
            target = (
                (inner.id if inner else named)
                or (_document_author(res, root) if root is not None else None)
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
            target = _latest_org(res, pos, head, named_only=len(words) > 3, modifiers=modifiers)
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
    name_text = _trailing_name(spk.text)
    org = _named_org(res, name_text)
    if org is not None:
        spk.mention_type = "org"
        spk.entity = org.id
        return
    if name_text and head not in ORG_NOUNS:
        _, name_words = _split_honorifics(name_text.split())
        name_words = [_POSSESSIVE.sub("", w) for w in name_words if w]
        if name_words:
            person = res.people.add(name_words, pos)
            person.mentions.append(spk.span)
            spk.mention_type = "name"
            spk.entity = person.id
            res.mentions.append((spk.span, person.id))
            res.note(pos, person.id)
            return
    spk.mention_type = "org" if head in ORG_NOUNS or _is_name(spk.text) else "nominal"
    spk.entity = res.group(spk.text, pos).id


_NOMINAL_DETS = ("the", "this", "that", "a", "an", "one", "another")
_NAMED_AS = re.compile(
    r",?\s+(?:named|called|identified as)\s+([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})"
)


def _known_person(res: _Resolver, text: str, pos: int) -> str | None:
    """A name-like mention whose words name a person already in the article."""
    name = _trailing_name(text)
    if not name or len(name.split()) > 4 or _head_noun(name) in ORG_NOUNS:
        return None
    words = [_fold(_POSSESSIVE.sub("", w)) for w in name.split()]
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
    spk.entity = res.salient(pos, gender, named)
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
        if ent.type != "ORG" or _fold(ent.name) in surnames:
            continue  # "McCallum" typed ORG is a person, not "the agency"
        if _is_outlet(ent.name):
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
        if _is_outlet(ent.name):
            continue  # the outlet reporting is not "they"
        if ent.type == "ORG" and _fold(ent.name) in surnames:
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
        for obj in tok.children:
            if obj.dep_ != "pobj":
                continue
            span = (obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text))
            org = _overlapping(span, res.others, at_end=True)
            found = _mention_person(span, res.mentions) or (org.id if org else None)
            if found:
                return found
    return None


def _name_the_unnamed(res: _Resolver, quotes: list[Quote]) -> None:
    """'A Superior Court judge chastised the station ... Justice Sean Dunphy
    directed ...': an unnamed speaker is the person newly named as the subject
    right after, unless that person is given another role."""
    people = res.people
    text = doc_text(res.doc)
    for uid in res.unnamed:
        anon = people.by_id[uid]
        at = anon.mentions[0][1]
        head = _head_noun(anon.roles[0]) if anon.roles else ""
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
        appos = _APPOSITION.match(text, end)
        titles = " ".join(
            [*named.roles, *named.honorifics, appos.group(1) if appos else ""]
        ).lower()
        if titles.strip() and head not in titles and not _same_office(head, titles):
            continue  # "A police officer said ... John Smith, a neighbour, said"
        for q in quotes:
            if q.speaker is not None and q.speaker.entity == uid:
                q.speaker.entity = named.id
        for r in anon.roles:
            _add_role(named, r)
        named.mentions.extend(anon.mentions)
        people.people.remove(anon)
        del people.by_id[uid]


def _same_office(head: str, titles: str) -> bool:
    return head == "judge" and "justice" in titles.split()


def _named_org(res: _Resolver, name: str | None) -> Entity | None:
    """The organisation a one-word name denotes elsewhere ("Facebook")."""
    if not name or " " in name.strip() or _known_person(res, name, 10**9):
        return None
    folded = _fold(_POSSESSIVE.sub("", name.strip()))
    return next((e for e in res.others if e.type == "ORG" and _fold(e.name) == folded), None)


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
    if _is_name(spk.text) and _head_noun(spk.text) not in PERSON_NOUNS:
        folded = [_fold(w) for w in spk.text.split()]
        for p in res.people.people:
            if p.folded[-1] == folded[-1]:
                spk.entity, spk.mention_type = p.id, "name"
                return
    body = [x for x in quotes if x is not q and x.speaker and x.speaker.entity]
    if body:
        lead = min(body, key=lambda x: x.span[0])
        assert lead.speaker is not None
        spk.entity = lead.speaker.entity
