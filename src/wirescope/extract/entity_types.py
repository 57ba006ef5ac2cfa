"""Fix the small spaCy model's entity types from context and the gazetteer.

en_core_web_sm tags "Stepanakert" as PERSON, "Velayati" as GPE, "Armenia" as
ORG and folds "Ayatollah Alireza Arafi" into an ORG.  `corrected_ents` returns
the repaired entity list: build_record runs it once, as a step of its own, and
hands the result to places code (which spans are places) and speaker code (which
are persons).  It is pure (a function of
the Doc) and cheap: a few set look-ups per entity, gazetteer look-ups cached.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from wirescope.extract.gazetteer import PlaceMatch, get_gazetteer
from wirescope.extract.lexicon import NAME_SPAN_HONORIFICS, SPEECH_VERBS, TITLES
from wirescope.extract.name_types import NAME_LABELS, name_features, shipped_model

EntTuple = tuple[int, int, str]  # char start, char end, label


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Before a place: "in Qom", "city of Qom".
PLACE_PREPS = _words("in at from to near into across outside around inside toward towards")
PLACE_NOUNS = _words(
    "city town village capital province region state country district county enclave "
    "port island republic area suburb municipality"
)
# Institution words: a capitalized run containing one is not a given name.
NON_NAME_WORDS = _words(
    """
    revolution council ministry republic party army force forces court committee union state
    government office agency leader seminaries seminary university college assembly
    parliament senate congress bank company corporation association organization
    organisation foundation institute center centre department police service guard
    guards front movement church mosque news times post
    """
)
NOUN_SUFFIXES = ("tion", "ment", "ity", "ism", "ance", "ence", "ship", "ness", "ies")
DIRECTIONS = _words(
    "central northern southern eastern western north south east west northeastern "
    "northwestern southeastern southwestern northeast northwest southeast southwest "
    "upper lower greater"
)
ORG_WORDS = NON_NAME_WORDS | _words(
    "ministry airlines air airways times club team fc inc ltd corp llc plc group network"
)
_LABEL_MAP = {"GPE": "PLACE", "LOC": "PLACE"}


def _low(tok: Token) -> str:
    return tok.text.lower().rstrip(".")


def _is_title(tok: Token) -> bool:
    return _low(tok) in TITLES and tok.text[:1].isupper()


def _name_unit_before(doc: Doc, i: int) -> int:
    """Start of a given-name unit ("Ali-Akbar", "Abbas") ending just before token i, or i."""
    j = i - 1
    start = i
    units = 0
    while j >= 0 and units < 2:
        tok = doc[j]
        if tok.text in ("-", "‐") and j > 0 and doc[j - 1].pos_ == "PROPN":
            j -= 1
            continue
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.ent_type_ in ("GPE", "NORP"):
            break
        low = tok.text.lower()
        if low in NON_NAME_WORDS or low in TITLES or low.endswith(NOUN_SUFFIXES):
            break
        if tok.is_upper and len(tok.text) > 1:
            break
        start = j
        units += 1
        hyphenated = j > 0 and doc[j - 1].text in ("-", "‐")
        j -= 1
        if not hyphenated and j >= 0 and doc[j].whitespace_ == "":
            break
    return start


def _speech_subject(span: Span) -> bool:
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in SPEECH_VERBS


def _title_before(doc: Doc, start: int) -> bool:
    return start > 0 and _is_title(doc[start - 1])


def _place_context(doc: Doc, start: int) -> bool:
    if start == 0:
        return False
    prev = doc[start - 1]
    if prev.lower_ in PLACE_PREPS:
        return True
    return prev.lower_ == "of" and start > 1 and doc[start - 2].lower_ in PLACE_NOUNS


def _resolve(text: str) -> PlaceMatch | None:
    return get_gazetteer().lookup(text)


def _strong(m: PlaceMatch | None, text: str) -> bool:
    """A gazetteer hit good enough to override the model without other evidence."""
    if m is None:
        return False
    return m.kind in ("country", "region", "state") or m.curated or get_gazetteer().is_strong(text)


def _split_person(doc: Doc, ent: Span) -> list[tuple[int, int, str]] | None:
    """ "Islamic Seminaries Ayatollah Alireza Arafi" (ORG) -> ORG + PERSON, in token offsets."""
    for k in range(ent.start, ent.end - 1):
        tok = doc[k]
        if _is_title(tok) and doc[k + 1].pos_ == "PROPN":
            pstart = k if _low(tok) in NAME_SPAN_HONORIFICS else k + 1
            parts = []
            if k > ent.start:
                parts.append((ent.start, k, ent.label_))
            parts.append((pstart, ent.end, "PERSON"))
            return parts
    return None


def _fix(doc: Doc, ent: Span, names: _StoryNames) -> list[tuple[int, int, str]]:
    """The corrected (token start, token end, label) pieces of one spaCy entity."""
    label = ent.label_
    text = ent.text
    if label in ("GPE", "LOC"):
        if not any(t.text.replace(".", "").isalpha() and t.text[0].isupper() for t in ent):
            return []  # "n’t" tagged GPE: a place name has a capitalized word
        if ent.end - ent.start == 1 and doc[ent.start].lower_ in DIRECTIONS:
            return []  # a bare "Central": an adjective, not a place
        m = _resolve(text)
        if m is None:
            if _title_before(doc, ent.start) or _speech_subject(ent):
                return [(ent.start, ent.end, "PERSON")]
            left = _name_unit_before(doc, ent.start)
            if left < ent.start:
                return [(left, ent.end, "PERSON")]
        elif _title_before(doc, ent.start) and doc[ent.start - 1].lower_ not in PLACE_NOUNS:
            return [(ent.start, ent.end, "PERSON")]
        # "Georgia began skating" after "Georgia Stevens": a name of the story's people,
        # not a place, unless the sentence puts it as one ("in Georgia").
        if names.name_part(ent) and not _place_context(doc, ent.start):
            return [(ent.start, ent.end, "PERSON")]
        return [(ent.start, ent.end, "PLACE")]
    if label == "PERSON":
        end = ent.end
        while end - ent.start > 1 and (doc[end - 1].is_punct or doc[end - 1].like_num):
            end -= 1  # "Botic van de Zandschulp 6-2": a score glued to the name
        if end < ent.end:
            ent = doc[ent.start : end]
            text = ent.text
        if _title_before(doc, ent.start) or _speech_subject(ent) or names.surname(ent):
            return [(ent.start, ent.end, label)]
        m = _resolve(text)
        if m is not None and (_strong(m, text) or _place_context(doc, ent.start)):
            return [(ent.start, ent.end, "PLACE")]
        return [(ent.start, ent.end, label)]
    if label == "ORG":
        split = _split_person(doc, ent)
        if split:
            return split
        words = {t.lower_ for t in ent}
        if not words & ORG_WORDS:
            m = _resolve(text)
            if m is not None and _strong(m, text):
                return [(ent.start, ent.end, "PLACE")]
        return [(ent.start, ent.end, label)]
    return [(ent.start, ent.end, _LABEL_MAP.get(label, label))]


@dataclass(frozen=True)
class _StoryNames:
    """First and last words of the people the story names in full, read once per doc."""

    first: frozenset[str]
    last: frozenset[str]

    @classmethod
    def of(cls, doc: Doc) -> _StoryNames:
        full = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        return cls(frozenset(e[0].lower_ for e in full), frozenset(e[-1].lower_ for e in full))

    def name_part(self, ent: Span) -> bool:
        """A one-word entity that is the first or last name of such a person ("Henry"
        after "Tom Henry", "Georgia" after "Georgia Stevens")."""
        return len(ent) == 1 and (ent[0].lower_ in self.first or ent[0].lower_ in self.last)

    def surname(self, ent: Span) -> bool:
        """'Foster' after 'Cecil Foster' is the person, whatever the gazetteer knows."""
        return len(ent) == 1 and ent[0].lower_ in self.last


def _name_key(doc: Doc, s: int, e: int) -> tuple[str, ...]:
    """A name's words for comparison: no leading "the", no possessive, lower case."""
    words = [
        t.lower_.rstrip(".") for t in doc[s:e] if not t.is_punct and t.lower_ not in ("'s", "’s")
    ]
    if words and words[0] == "the":
        words = words[1:]
    return tuple(words)


def _one_type_per_name(doc: Doc, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One type per name for the whole story: a name the model types as an organisation
    in one sentence and as a person in another ("Trump said" beside "Donald Trump"), or
    the surname or given name of a person the story names in full, is that person,
    unless the name itself holds an organisation word or follows "the"; a "person"
    whose name ends in an organisation word ("The Washington Times") is none."""
    full: set[tuple[str, ...]] = set()
    parts: set[str] = set()
    for s, e, label in pieces:
        if label != "PERSON":
            continue
        key = _name_key(doc, s, e)
        if len(key) > 1 and not set(key) & ORG_WORDS:
            full.add(key)
            parts.update(w for w in (key[0], key[-1]) if w not in TITLES)
    out = []
    for s, e, label in pieces:
        if label == "PERSON" and not _title_before(doc, s):
            key = _name_key(doc, s, e)
            if len(key) > 1 and key[-1] in ORG_WORDS:  # "The Washington Times", "X Corp."
                label = "ORG"
        elif label == "ORG":
            key = _name_key(doc, s, e)
            after_the = doc[s].lower_ == "the" or (s > 0 and doc[s - 1].lower_ == "the")
            person = key in full or (len(key) == 1 and key[0] in parts)
            if person and not after_the and not set(key) & ORG_WORDS:
                label = "PERSON"
        out.append((s, e, label))
    return out


def _title_case_sentence(tok: Token) -> bool:
    words = [t for t in tok.sent if t.is_alpha and len(t.text) > 3]
    return len(words) >= 3 and sum(t.text[:1].isupper() for t in words) / len(words) > 0.6


def _missed_places(doc: Doc, covered: list[bool]) -> list[tuple[int, int, str]]:
    """Countries, regions and big cities the model did not tag ("TEHRAN (FNA)-", headlines)."""
    gz = get_gazetteer()
    out: list[tuple[int, int, str]] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if covered[i] or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            i += 1
            continue
        hit = 0
        for size in (3, 2, 1):
            j = i + size
            if j > n or any(covered[i:j]):
                continue
            if gz.is_strong(doc[i:j].text):
                hit = size
                break
        if hit:
            j = i + hit
            before = doc[i - 1] if i > 0 else None
            after = doc[j] if j < n else None
            # Part of a longer name ("Georgia Tech", "Jordan Peterson") unless a headline.
            inside = (before is not None and before.pos_ == "PROPN" and before.whitespace_) or (
                after is not None and after.pos_ == "PROPN"
            )
            if not inside or _title_case_sentence(tok):
                out.append((i, j, "PLACE"))
            i = j
        else:
            i += 1
    return out


def typed_pieces(doc: Doc) -> list[tuple[int, int, str]]:
    """The rules' typing: (token start, token end, label), sorted (see corrected_ents)."""
    names = _StoryNames.of(doc)
    pieces: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        pieces.extend(_fix(doc, ent, names))
    pieces = _one_type_per_name(doc, pieces)
    covered = [False] * len(doc)
    for s, e, _ in pieces:
        for k in range(s, e):
            covered[k] = True
    for ent in doc.ents:  # tokens the model tagged, even if dropped, are not re-added
        for k in range(ent.start, ent.end):
            covered[k] = True
    pieces.extend(_missed_places(doc, covered))
    return _and_countries(doc, sorted(pieces))


_NAME_AND_NAME = re.compile(r"\b[A-Z][\w'’.-]*\s+(and)\s+(?:the\s+)?[A-Z]")


def _and_countries(doc: Doc, pieces: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """ "Trinidad and Tobago", "Bosnia and Herzegovina", "Saint Vincent and the
    Grenadines": a country whose name holds "and" is one place, not its first half (a
    town elsewhere) beside an organisation or a person."""
    out = list(pieces)
    for hit in _NAME_AND_NAME.finditer(doc.text):  # most "and"s join no names: no look-up
        word = doc.char_span(hit.start(1), hit.end(1))
        if word is None or not 0 < word.start < len(doc) - 1:
            continue
        tok = word[0]
        for s in range(tok.i - 1, max(-1, tok.i - 4), -1):
            found = None
            for e in range(tok.i + 2, min(len(doc), tok.i + 5) + 1):
                span = doc[s:e]
                if not (span[0].text[:1].isupper() and span[-1].text[:1].isupper()):
                    continue
                m = get_gazetteer().lookup(span.text)
                if m is not None and m.kind == "country" and " and " in m.name.lower():
                    found = (s, e)
            if found is not None:
                a, b = found
                out = [p for p in out if p[1] <= a or p[0] >= b]  # pieces inside it go
                out.append((a, b, "PLACE"))
                break
    return sorted(out)


_MEDIA_TAIL = frozenset({"news", "online", "com", ".com", "newspaper", "tv", "radio"})


def _outlet_keys(outlets: Sequence[str]) -> set[tuple[str, ...]]:
    """The outlets' names as name keys, also without a trailing media word ("BBC News":
    "bbc"; "Moneycontrol.com": "moneycontrol")."""
    keys: set[tuple[str, ...]] = set()
    for name in outlets:
        words = [w.lower() for w in re.findall(r"[\w'’&-]+", name.replace(".com", " com"))]
        if words and words[0] == "the":
            words = words[1:]
        while words:
            keys.add(tuple(words))
            if words[-1] not in _MEDIA_TAIL:
                break
            words = words[:-1]
    return keys


def corrected_ents(doc: Doc, outlets: Sequence[str] = ()) -> list[EntTuple]:
    """spaCy's entities with types fixed: (char start, char end, label), sorted.

    Labels are spaCy's, except GPE and LOC become PLACE; a span the model
    missed but the gazetteer knows as a country, region or big city is added.
    `outlets`: the names the article's publisher goes by (site name, dateline
    agency): such a name in the text is the outlet, an organisation, never a person
    or a place. Then, where the learned name-type model (name_types.py) is sure a
    person, organisation or place the rules typed is another of these, or none
    (label OTHER), its label wins.
    """
    pieces = typed_pieces(doc)
    own = _outlet_keys(outlets)
    if own:
        pieces = [
            (s, e, "ORG" if label in ("PERSON", "PLACE") and _name_key(doc, s, e) in own else label)
            for s, e, label in pieces
        ]
    model = shipped_model()
    if model is not None:
        named = [k for k, p in enumerate(pieces) if p[2] in NAME_LABELS]
        feats = name_features(doc, [pieces[k] for k in named])
        for k, f in zip(named, feats, strict=True):
            s, e, label = pieces[k]
            if _name_key(doc, s, e) not in own:
                pieces[k] = (s, e, model.relabel(label, f))
    out = []
    for s, e, label in pieces:
        span = doc[s:e]
        out.append((span.start_char, span.end_char, label))
    return out
