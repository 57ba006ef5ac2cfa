"""Corpus-level identity of people across articles.

Wire services transliterate the same Persian, Arabic or Russian name many ways
(Rezayee / Rezaei / Rezaie, Araqchi / Araghchi, Lavrov / Lavroff). `name_key`
folds those spellings onto one key; `PersonIndex` decides, per mention, whether
it is a person already known to the corpus or a new one. Everything here is
pure Python with no database, so the stores and the tests share one behaviour.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from wirescope.extract.lexicon import NAME_PARTICLES, TITLES_BEFORE_NAMES, strip_accents


def _words(text: str) -> list[str]:
    return text.split()


# Given names whose spellings differ in a way the generic rules do not fold
# (a vs e in the last syllable).
GIVEN_NAMES = {
    **dict.fromkeys(
        _words(
            "mohammad muhammad mohammed mohamed muhammed mohamad mohammad mohamud mouhamed "
            "muhamad mohd"
        ),
        "muhammad",
    ),
    **dict.fromkeys(_words("ahmad ahmed ahmet"), "ahmad"),
    **dict.fromkeys(_words("yusuf yousef youssef yusef yousof yossef"), "yusuf"),
    **dict.fromkeys(_words("mahmoud mahmud mahmood"), "mahmud"),
}

# Arabic article prefixes of surnames: al-Assad / Assad / el-Sisi / Sisi.
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ul|as|ad|ash|ar)-(?=\w{3})")
_VOWELS = set("aeiouy")
_CONSONANT_RULES = [
    ("sch", "sh"),
    ("kh", "k"),
    ("gh", "g"),
    ("q", "g"),
    ("dh", "z"),
    ("tz", "ts"),
    ("ph", "f"),
    ("ck", "k"),
    ("w", "v"),
    ("dj", "j"),
]
_SIMILAR = 0.85  # SequenceMatcher ratio above which two keys are the same name


def _fold_vowels(word: str) -> str:
    """Each run of vowels becomes one letter: i if it holds i/e/y, else u if o/u, else a.

    This folds ee/ei/ie/ai/ay -> i and ou/oo/u/o -> u, the usual Persian and
    Russian transliteration swaps. A word-initial y is a consonant (Yusuf).
    """
    out: list[str] = []
    run = ""
    for i, ch in enumerate(word):
        if ch in _VOWELS and not (ch == "y" and i == 0):
            run += ch
            continue
        if run:
            out.append(_vowel_class(run))
            run = ""
        out.append(ch)
    if run:
        out.append(_vowel_class(run))
    return "".join(out)


def _vowel_class(run: str) -> str:
    if any(c in "iey" for c in run):
        return "i"
    if any(c in "ou" for c in run):
        return "u"
    return "a"


def token_key(token: str) -> str:
    """The transliteration-independent key of one name token."""
    word = strip_accents(token).lower()
    word = _ARTICLE_PREFIX.sub("", word)
    word = re.sub(r"[^a-z]", "", word)
    if not word:
        return ""
    word = GIVEN_NAMES.get(word, word)
    if word.endswith("off"):
        word = word[:-3] + "ov"
    for src, dst in _CONSONANT_RULES:
        word = word.replace(src, dst)
    word = re.sub(r"([^aeiouy])\1+", r"\1", word)  # double consonants
    return _fold_vowels(word)


@dataclass(frozen=True)
class ParsedName:
    """A person name split into given-name keys and a surname key."""

    given: tuple[str, ...]
    surname: str

    @property
    def bare(self) -> bool:
        return not self.given

    @property
    def key(self) -> str:
        return " ".join([*self.given, self.surname])


def parse_name(name: str) -> ParsedName:
    """Drop leading honorifics; the last token is the surname, the rest given names."""
    tokens = name.split()
    if not tokens:
        return ParsedName((), "")
    # Only leading titles: "Ayatollah Seyed Ali Khamenei", but "Amir Hatami" keeps Amir.
    while len(tokens) > 1 and tokens[0].lower().strip(".,") in TITLES_BEFORE_NAMES:
        tokens = tokens[1:]
    # "Ali-Akbar" = "Ali Akbar"; a surname keeps its hyphen for the al- prefix rule.
    surname = token_key(tokens[-1])
    given = tuple(k for t in tokens[:-1] for part in t.split("-") if (k := token_key(part)))
    return ParsedName(given, surname)


def name_key(name: str) -> str:
    """The normalized key of a whole name: 'Mohsen Rezaei' -> 'muhsin rizi'."""
    return parse_name(name).key


@lru_cache(maxsize=65536)
def _letters(key: str) -> tuple[int, ...]:
    """How often each of a-z occurs in key, then all other characters together (which
    can only overstate what two keys share: the bound below stays a bound)."""
    counts = [0] * 27
    for ch in key:
        i = ord(ch) - 97
        counts[i if 0 <= i < 26 else 26] += 1
    return tuple(counts)


def _similar(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b or a[0] != b[0] or min(len(a), len(b)) < 4:
        return 0.0
    # The ratio is 2 x matched / total, and no more characters match than the two
    # share: a bound that rules out most keys cheaply (a query name is compared with
    # thousands of keys of the same initial and length: 350 -> 50 ms).
    if 2 * sum(map(min, _letters(a), _letters(b))) < _SIMILAR * (len(a) + len(b)):
        return 0.0
    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= _SIMILAR else 0.0


def similar_keys(a: str, b: str) -> bool:
    """Whether two surname keys are close enough to be one name (a typo, a rarer spelling)."""
    return bool(_similar(a, b))


def _given_score(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How well two given-name sequences agree; 0 blocks a merge."""
    ja, jb = "".join(a), "".join(b)
    if ja == jb:
        return 1.0
    # An initial ("M. Rezayee") agrees with any given name that starts with it.
    if (len(a[0]) == 1 and b[0].startswith(a[0])) or (len(b[0]) == 1 and a[0].startswith(b[0])):
        return 0.6
    if sim := _similar(ja, jb):
        return sim
    # "Ali Akbar Velayati" vs "Ali Velayati": the first given names agree.
    if a[0] == b[0] and (len(a) > 1 or len(b) > 1):
        return 0.7
    return 0.0


def similar_lengths(key: str) -> range:
    """Lengths of the surname keys that `_similar` may accept against `key` (they share
    its first letter too), so a store can fetch just those instead of every key."""
    n = len(key)
    if n < 4:
        return range(0)
    # ratio = 2 * matches / (n + m) and matches <= min(n, m).
    ok = [m for m in range(4, 2 * n + 1) if 2 * min(n, m) / (n + m) >= _SIMILAR]
    return range(ok[0], ok[-1] + 1) if ok else range(0)


def name_score(a: ParsedName, b: ParsedName) -> float:
    """Similarity of two names with given names; 0.0 = different people.

    Different given names block a merge even when the surnames agree
    (Ali Khamenei vs Mojtaba Khamenei). Bare surnames are handled by the index.
    """
    sur = _similar(a.surname, b.surname)
    if not sur:
        return 0.0
    if a.bare or b.bare:
        return sur
    given = _given_score(a.given, b.given)
    return sur + given if given else 0.0


def is_unnamed(name: str) -> bool:
    """A source the article names only by role ("justice official", "Freedom Mobile
    spokesperson", "official with Animal Protection Services"): the extractor keeps
    the role as the name. A person's name ends in a capitalised surname and starts
    with a capital or a surname particle ("van Gogh", "al-Assad")."""
    words = name.split()
    if not words:
        return False
    first = words[0]
    starts_lower = first[:1].islower() and "-" not in first and first not in NAME_PARTICLES
    return words[-1].split("-")[-1][:1].islower() or starts_lower


def normalize_role(role: str) -> str:
    text = strip_accents(role).lower().replace("’", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class CorpusPerson:
    """A corpus-level person: one row of the people table (an article's person is an
    Entity of its record; extract.mentions clusters its mentions)."""

    person_id: str
    name: str
    variants: list[str] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)  # role, as_of, last_as_of
    first_seen: str | None = None
    last_seen: str | None = None
    cooccur: set[str] = field(default_factory=set)  # person ids seen in the same articles

    _parsed: list[ParsedName] | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def parsed(self) -> list[ParsedName]:
        """The parsed display name and variants (cached: matching calls it per mention)."""
        if self._parsed is None:
            self._parsed = [parse_name(v) for v in [self.name, *self.variants]]
        return self._parsed

    @property
    def bare(self) -> bool:
        return self.parsed[0].bare

    @property
    def surname_key(self) -> str:
        return self.parsed[0].surname

    def surname_keys(self) -> set[str]:
        """The surname keys this person is found by (display name and variants);
        none for an unnamed source, who is never the same person in another article."""
        if is_unnamed(self.name):
            return set()
        return {p.surname for p in self.parsed if p.surname}

    def role_keys(self) -> set[str]:
        return {normalize_role(r["role"]) for r in self.roles}

    def add_variant(self, name: str) -> None:
        name = " ".join(name.split())
        if name != self.name and name not in self.variants:
            self.variants.append(name)
            self._parsed = None
        # The display name is the fullest spelling seen first.
        if len(parse_name(name).given) > len(parse_name(self.name).given):
            self.variants = [v for v in [self.name, *self.variants] if v != name]
            self.name = name
            self._parsed = None

    def add_roles(self, roles: Iterable[str], as_of: str | None) -> None:
        """Keep each role once, with the first and last date it was reported as held."""
        for role in roles:
            norm = normalize_role(role)
            for held in self.roles:
                if normalize_role(held["role"]) == norm:
                    if as_of and (not held.get("as_of") or as_of < held["as_of"]):
                        held["as_of"] = as_of
                    if as_of and (not held.get("last_as_of") or as_of > held["last_as_of"]):
                        held["last_as_of"] = as_of
                    break
            else:
                self.roles.append({"role": role, "as_of": as_of, "last_as_of": as_of})
        self.roles.sort(key=lambda r: (r.get("as_of") or "", r["role"]))

    def seen(self, day: str | None) -> None:
        if not day:
            return
        if not self.first_seen or day < self.first_seen:
            self.first_seen = day
        if not self.last_seen or day > self.last_seen:
            self.last_seen = day


@dataclass
class Mention:
    """A person as one article names them, to be resolved against the corpus."""

    name: str
    roles: list[str] = field(default_factory=list)


class PersonIndex:
    """Known people in memory; resolves mentions and records what it learns.

    A store does not hold every person: per batch it builds an index of just the
    people whose surname keys equal or resemble those of the batch's mentions,
    which are all that `_candidates` can return, so the outcome is the same.

    `resolve_article` is the only writer: it returns the person id of each
    mention and leaves the ids of people it created or changed in `dirty`, so a
    store can persist just those in the same transaction as the article.
    """

    def __init__(
        self, people: Iterable[CorpusPerson] = (), taken: Callable[[str], bool] | None = None
    ) -> None:
        """taken: whether a person id is in use beyond `people` (a store's other people)."""
        self.people: dict[str, CorpusPerson] = {}
        self._by_surname: dict[str, set[str]] = {}
        self._taken = taken
        self.dirty: set[str] = set()
        for person in people:
            self._add(person)

    def _add(self, person: CorpusPerson) -> None:
        self.people[person.person_id] = person
        self._index(person)

    def _index(self, person: CorpusPerson) -> None:
        for key in person.surname_keys():
            self._by_surname.setdefault(key, set()).add(person.person_id)

    def _candidates(
        self, parsed: ParsedName, fuzzy: bool = True
    ) -> list[tuple[float, CorpusPerson]]:
        """Known people whose surname agrees with `parsed`, with their best name score.

        fuzzy: fall back to similar surname keys (a typo or a rarer transliteration).
        """
        ids: set[str] = set(self._by_surname.get(parsed.surname, ()))
        if not ids and fuzzy:
            ids = {
                pid
                for sur, pids in self._by_surname.items()
                if _similar(sur, parsed.surname)
                for pid in pids
            }
        out = []
        for pid in sorted(ids):  # set order varies with the hash seed; ties must not
            person = self.people[pid]
            names = person.parsed
            if not parsed.bare:
                # Someone known by given name is matched by given name: a bare
                # "Trudeau" among Justin Trudeau's variants must not let Sophie in.
                names = [p for p in names if not p.bare] or names
            score = max(name_score(parsed, p) for p in names)
            if score:
                out.append((score, person))
        return out

    def lookup(self, name: str) -> list[str]:
        """Every person a query name may mean (a bare surname matches all who bear it)."""
        parsed = parse_name(name)
        if not parsed.surname:
            return []
        cands = self._candidates(parsed)
        if parsed.bare:
            return sorted(p.person_id for _, p in cands)
        full = [p.person_id for _, p in cands if not p.bare]
        return sorted(full or [p.person_id for _, p in cands])

    def match(
        self,
        mention: Mention,
        context: AbstractSet[str] = frozenset(),
        co_people: AbstractSet[str] = frozenset(),
    ) -> CorpusPerson | None:
        """The known person this mention names, or None for a new person.

        `context`: people already resolved in the same article (preferred for a
        bare surname); `co_people`: every person id of the article, for the
        co-occurrence preference.
        """
        parsed = parse_name(mention.name)
        if not parsed.surname or is_unnamed(mention.name):
            return None
        # A similar surname alone is no evidence ("Poulter" is not Luke Potter); with
        # a given name that agrees too, it is a spelling variant ("Ali Larigani").
        cands = self._candidates(parsed, fuzzy=not parsed.bare)
        if not parsed.bare:
            full = [(s, p) for s, p in cands if not p.bare]
            if full:
                return _best(full, context)
            # A person so far known only by surname gets their given name now,
            # but only when that surname is not ambiguous.
            bare = [p for _, p in cands if p.bare]
            return bare[0] if len(bare) == 1 else None
        if not cands:
            return None
        people = [p for _, p in cands]
        if len(people) == 1:
            return people[0]
        roles = {normalize_role(r) for r in mention.roles}
        # In order: named in the same article, holding the same role, seen with the same people.
        for chosen in (
            [p for p in people if p.person_id in context],
            [p for p in people if roles & p.role_keys()],
            [p for p in people if co_people & p.cooccur],
        ):
            if len(chosen) == 1:
                return chosen[0]
        # Ambiguous: fall back to the bucket of people known only by this surname.
        bare = [p for p in people if p.bare and p.surname_key == parsed.surname]
        return bare[0] if bare else None

    def resolve_article(
        self, mentions: dict[str, Mention], published: str | None
    ) -> dict[str, str]:
        """Resolve one article's person mentions (local id -> Mention) to person ids."""
        # Full names first, so that a bare surname can prefer someone named in full here.
        order = sorted(mentions, key=lambda k: (parse_name(mentions[k].name).bare, k))
        result: dict[str, str] = {}
        for local in order:
            mention = mentions[local]
            here = set(result.values())
            person = self.match(mention, here, here)
            if person is None:
                person = self._create(mention.name)
            else:
                person.add_variant(mention.name)
                self._index(person)
            person.add_roles(mention.roles, published)
            person.seen(published)
            result[local] = person.person_id
            self.dirty.add(person.person_id)
        ids = set(result.values())
        for pid in ids:
            self.people[pid].cooccur |= ids - {pid}
        return result

    def _create(self, name: str) -> CorpusPerson:
        name = " ".join(name.split())
        key = name_key(name)
        base = "p" + hashlib.sha1(key.encode()).hexdigest()[:10]
        pid, n = base, 1
        while pid in self.people or (self._taken is not None and self._taken(pid)):
            n += 1
            pid = f"{base}-{n}"
        person = CorpusPerson(pid, name)
        self._add(person)
        return person


def _best(cands: list[tuple[float, CorpusPerson]], context: AbstractSet[str]) -> CorpusPerson:
    return max(cands, key=lambda sp: (sp[0], sp[1].person_id in context, -len(sp[1].person_id)))[1]
