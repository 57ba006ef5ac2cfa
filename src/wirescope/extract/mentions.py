"""Person mentions in an article: names clustered into people, with honorifics,
roles (pre-name titles and appositions) and salience (who is a narrative subject).

Coreference is ours (no coreference package loads offline): names cluster by
their words (a surname joins the full name); attribution/ resolves pronouns,
nominals and organisations over these people.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

import gender_guesser.detector as gender_detector
from spacy.tokens import Doc, Token

from wirescope.extract.lexicon import (
    CUES,
    HONORIFIC_GENDER,
    HONORIFICS,
    NAME_PARTICLES,
    ORG_NOUNS,
    PERSON_NOUNS,
    ROLE_CONNECTORS,
    ROLE_NOUNS,
    fold,
)
from wirescope.extract.roles import stated_roles
from wirescope.nlp.parse import doc_text

Span = tuple[int, int]
APPOSITION = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?([^,.;:()\"“”]{3,90}?)\s*(?:,|\.|;|$)")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

# entity_types.EntTuple (not imported: entity_types' name model reads this module)
EntTuple = tuple[int, int, str]


class _Detector(gender_detector.Detector):  # type: ignore[misc]
    """gender_guesser's Detector, its name list read at once: the stock one reads it
    line by line through codecs.open, a third of a second per process."""

    def _parse(self, filename: str) -> None:
        self.names: dict[str, dict[str, str]] = {}
        with open(filename, encoding="utf-8") as f:
            text = f.read()
        for line in text.splitlines():  # the line ends codecs' readline splits on
            self._eat_name_line(line.strip())


@lru_cache(maxsize=1)
def _gender_detector() -> gender_detector.Detector:
    return _Detector(case_sensitive=False)


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


_KOREAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")


def given_name(words: list[str]) -> str:
    """The word that carries a name's gender: the first, except in Korean names,
    where the family name leads ("Kim Jong-un", "Ri Sol-ju": "Kim" says nothing)."""
    if len(words) > 1 and _KOREAN_GIVEN.match(words[-1]):
        return ""
    return words[0]


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
        return (
            first_name_gender(given_name(self.words), likely=True) if len(self.words) > 1 else None
        )

    folded: list[str] = field(init=False, repr=False)  # words in comparison form

    def __post_init__(self) -> None:
        self.rename(self.words)

    def rename(self, words: list[str]) -> None:
        """Set the name; its folded form is kept with it (matching reads it per mention)."""
        self.words = list(words)
        self.folded = [fold(w) for w in self.words]


@dataclass
class Salient:
    pos: int
    entity: str
    strong: bool  # a subject or a speaker, not just any mention


class People:
    """The article's people, clustered as their mentions are read in order."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.by_id: dict[str, Person] = {}

    def add(self, words: list[str], pos: int, gender: str | None = None) -> Person:
        """The person these name words mention; `gender`: what the honorifics said
        ("Mrs Macron" is not Emmanuel Macron)."""
        folded = [fold(w) for w in words]
        match = self._match(folded, pos, gender)
        if match is None:
            match = Person(id=f"p{len(self.people) + 1}", words=list(words))
            self.people.append(match)
            self.by_id[match.id] = match
            if len(words) > 1:
                match.gender = first_name_gender(given_name(words))
        elif len(words) > len(match.words) and folded[-len(match.words) :] == match.folded:
            # "Arafi" seen first, "Alireza Arafi" later: the fuller name wins.
            match.rename(words)
            match.gender = match.gender or first_name_gender(given_name(words))
        return match

    def _match(self, folded: list[str], pos: int, gender: str | None = None) -> Person | None:
        exact = [p for p in self.people if p.folded == folded]
        if exact:
            return exact[-1]
        if len(folded) == 1:
            # A lone surname (or first name) joins the latest person bearing it, of the
            # same gender where the honorific tells ("Mrs Macron": not Emmanuel's entry).
            word = folded[0]
            named = [p for p in self.people if p.folded[-1] == word]
            named = named or [p for p in self.people if word in p.folded]
            if gender is not None:
                named = [p for p in named if p.gender in (None, gender)]
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


def split_honorifics(words: list[str]) -> tuple[list[str], list[str]]:
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


def _apposition_role(text: str, end: int, names: list[Span]) -> str | None:
    m = APPOSITION.match(text, end)
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


def add_role(person: Person, role: str) -> None:
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
    while last + 3 <= len(words) and words[last + 1].lower() in ROLE_NOUNS:
        last += 1  # "Striker Tomas Brevik": a role word the model took into the name
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


def is_outlet(name: str) -> bool:
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
    r"|\(\s*[A-Z][A-Z .'’-]*\b(?:PHOTO|IMAGE)S?\s*\)"  # "( THE CANADIAN PRESS FILE PHOTO )"
)


def _in_caption(text: str, pos: int) -> bool:
    """Photo captions ("Ryan Remiorz / The Canadian Press Kevin Vickers, right, ...")
    name people posing, not the person the story is following."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    return bool(_CREDIT.search(line))


def main_subject(root: Token, reported: list[Span]) -> bool:
    """A subject of the narrative, not someone named inside reported speech:
    what a later "he" most likely points back to."""
    if any(s <= root.idx < e for s, e in reported):
        return False
    if root.dep_ in ("compound", "flat"):
        root = root.head
    if root.dep_ == "appos":
        subject = _appositive_subject(root)
        root = subject if subject is not None else root.head
    if root.dep_ == "attr" and _clefted(root):
        return not subordinate(root.head)
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = root.head
    if subordinate(verb):
        return False  # "Although Trump has tweeted ...": a subordinate clause's subject
    return verb.dep_ in ("ROOT", "conj") or verb.lemma_.lower() in CUES


def _clefted(name: Token) -> bool:
    """'It was Katie Boulter who got the ball rolling': the cleft puts its person in
    focus as the subject of the relative clause; the story is about them now."""
    verb = name.head
    if verb.lemma_.lower() != "be" or not any(
        c.dep_ == "nsubj" and c.lower_ == "it" for c in verb.children
    ):
        return False
    return any(
        c.dep_ == "relcl"
        and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)
        for c in name.children
    )


def _appositive_subject(name: Token) -> Token | None:
    """'The director of security at Symantec, Kevin Haley, agreed': the parse may
    hang the name on "Symantec", yet a name set off by commas right before the verb
    of a subject it sits inside names that subject."""
    doc = name.doc
    end = name.right_edge.i
    start = name.left_edge.i
    if start == 0 or end + 2 >= len(doc) or doc[start - 1].text != "," or doc[end + 1].text != ",":
        return None
    verb = doc[end + 2]
    while verb.dep_ in ("aux", "auxpass", "advmod", "neg") and verb.head.i > verb.i:
        verb = verb.head  # "Kevin Haley, also agreed", "..., has said"
    for child in verb.children:
        if (
            child.dep_ in ("nsubj", "nsubjpass")
            and child.left_edge.i <= name.i <= child.right_edge.i
        ):
            return child
    return None


def subordinate(verb: Token) -> bool:
    """A verb heading a subordinate clause ("although ...", "when ..."; "that" is not)."""
    return any(c.dep_ == "mark" and c.lower_ != "that" for c in verb.children)


def collect_people(
    doc: Doc,
    ents: list[EntTuple],
    floor: int,
    reported: list[Span],
    places: frozenset[str] = frozenset(),
    orgs: frozenset[str] = frozenset(),
) -> tuple[People, list[tuple[Span, str]], list[Salient]]:
    """Person mentions from the typed entities (entity_types.corrected_ents), clustered,
    with roles and honorifics; returns the clusters, each mention's entity and salience
    events."""
    people = People()
    mentions: list[tuple[Span, str]] = []
    salience: list[Salient] = []
    text = doc_text(doc)
    names: list[Span] = []
    for s, e, label in ents:
        if label == "PERSON":
            names.append((s, e))
        elif label == "ORG":
            found = _person_inside_org(text, s, e)
            if found is not None:
                names.append(found)
    names = _drop_org_names(text, names, orgs)
    names = [(s, e) for s, e in names if POSSESSIVE.sub("", text[s:e]).strip() not in places]
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
        raw = POSSESSIVE.sub("", text[start:end]).strip()
        hon, words = split_honorifics(raw.split())
        words = _after_titles(words)
        while len(words) > 1 and any(c.isdigit() for c in words[-1]):
            words = words[:-1]  # "Lars Eriksen 6-4": a score glued to the name
        if len(words) > 2 and POSSESSIVE.sub("", words[0]) in places:
            words = words[1:]  # "Vancouver Bo Horvat": the NER swallowed a place
        if " ".join(words) in places:
            continue  # "Nova Scotia" typed PERSON
        if not words or not any(w[:1].isupper() for w in words):
            continue
        before, _ = _leading_honorifics(doc, span.start)
        said = next((HONORIFIC_GENDER[h] for h in [*before, *hon] if HONORIFIC_GENDER.get(h)), None)
        person = people.add(words, start, said)
        person.mentions.append((start, end))
        for h in [*before, *hon]:
            if h not in person.honorifics:
                person.honorifics.append(h)
            if person.gender is None and HONORIFIC_GENDER.get(h):
                person.gender = HONORIFIC_GENDER[h]
        own = set(range(span.start, span.end))
        for role in stated_roles(doc, span.start, span.end, name_tokens - own, floor):
            add_role(person, role)
        mentions.append(((start, end), person.id))
        strong = main_subject(span.root, reported) and not _in_caption(text, start)
        salience.append(Salient(start, person.id, strong))
    return people, mentions, salience


def _drop_org_names(text: str, names: list[Span], orgs: frozenset[str]) -> list[Span]:
    """A one-word "person" the NER types as an organisation elsewhere in the story
    ("Facebook said") is that organisation, unless it is a named person's surname."""
    surnames = set()
    for s, e in names:
        words = text[s:e].split()
        if len(words) > 1:
            surnames.add(fold(POSSESSIVE.sub("", words[-1])))
    kept = []
    for s, e in names:
        word = fold(POSSESSIVE.sub("", text[s:e].strip()))
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
        words = POSSESSIVE.sub("", text[s:e]).split()
        if len(words) > 1 and words[-1][:1].isupper():
            surnames.add(fold(words[-1]))
    if not surnames:
        return []
    taken = sorted(names)
    starts = [s for s, _ in taken]
    found: list[Span] = []
    for tok in doc:
        if not tok.text[:1].isupper() or fold(tok.text) not in surnames:
            continue
        if tok.pos_ != "PROPN" and not _bare_subject(tok):
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


def _bare_subject(tok: Token) -> bool:
    """'Draper meanwhile wrapped up his win': the tagger took the surname for the common
    noun, yet a singular common noun with no determiner is no subject; a name is."""
    return (
        tok.tag_ == "NN"
        and tok.dep_ in ("nsubj", "nsubjpass")
        and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in tok.children)
    )


def head_noun(text: str) -> str:
    words = re.findall(r"[\w'’-]+", text.lower())
    return words[-1] if words else ""


def mention_person(span: Span, mentions: list[tuple[Span, str]]) -> str | None:
    """The person whose name lies inside a speaker mention (the last one wins:
    "Secretary of X Mohsen Rezayee" names Rezayee, not the country)."""
    found = None
    for (s, e), pid in mentions:
        if (s >= span[0] and e <= span[1]) or s <= span[0] < e:
            found = pid
    return found


def trailing_name(text: str) -> str | None:
    """The capitalized run that ends a mention ("farmer Hugo Blanc" -> "Hugo Blanc")."""
    words = text.split()
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper():
        k -= 1
    run = words[k:]
    if not run or (k > 0 and words[k - 1].lower() in ROLE_CONNECTORS):
        return None  # "the minister of Health" is a role, not a name
    return " ".join(run)


def is_name(text: str) -> bool:
    words = [w for w in re.findall(r"[\w'’.-]+", text) if w.lower() not in ROLE_CONNECTORS]
    return bool(words) and all(w[:1].isupper() for w in words)
