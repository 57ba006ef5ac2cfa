"""A learned second opinion on what a name is: person, organisation, place or neither.

entity_types.corrected_ents types each spaCy entity by rules. Rules written while
reading a few news pages did not carry over to other pages, so this model, learned
from GUM's hand-typed mentions (scripts/train_name_types.py), reads the same evidence
the rules read — the rules' and the model's label, the name's words (given names,
organisation words, acronyms, "the"), the gazetteer, the words around each mention
("in X", "X said", "Mr X", "X's") — pooled over every mention of the name in the
story, and may overrule the rules where it is confident. A multinomial logistic
regression over sparse binary features; the weights ship as JSON in resources/.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc

from wirescope.extract.gazetteer import demonyms, get_gazetteer, normalize
from wirescope.extract.lexicon import (
    BODY_WORDS,
    HONORIFICS,
    ORG_NOUNS,
    PERSON_NOUNS,
    SPEECH_VERBS,
    TITLES,
    fold,
)
from wirescope.extract.mentions import first_name_gender, is_outlet

MODEL_FILE = "name_type_model.json"
CLASSES = ("PERSON", "ORG", "PLACE", "OTHER")
# Labels the model may give a name the rules typed PERSON, ORG or PLACE.
TYPED = frozenset({"PERSON", "ORG", "PLACE"})
# The rules' labels of names (the model reads every name, acts on TYPED ones only).
NAME_LABELS = TYPED | frozenset({"NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})

Features = dict[str, float]
Piece = tuple[int, int, str]  # token start, token end, label


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PLACE_PREPS = _words("in at from to near into across outside around inside toward")
_PLACE_NOUNS = _words(
    "city town village capital province region state country district county island"
)
_ORG_WORDS = _words(
    """
    council ministry party army court committee union government office agency university
    college assembly parliament senate congress bank company corporation association
    organization organisation foundation institute center centre department police service
    church news times post club team fc inc ltd corp llc plc group network airlines league
    """
)
_HUMAN_VERBS = _words(
    "say tell add explain note ask write believe think want know feel recall admit"
)
# Lower-case words inside people's names ("Botic van de Zandschulp", "Abu al-Hassan").
_PARTICLES = _words("the of and van de der den von da di du la le el al bin bint ibn dos das del")


def _key(doc: Doc, s: int, e: int) -> str:
    words = [t.lower_ for t in doc[s:e] if not t.is_punct and t.lower_ not in ("'s", "’s")]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _mention_features(doc: Doc, s: int, e: int) -> set[str]:
    """What one mention's words and surroundings say (binary features)."""
    out: set[str] = set()
    span = doc[s:e]
    words = [t.text for t in span if not t.is_punct]
    if words and words[0].lower() == "the":
        words = words[1:]
        out.add("the_inside")
    if not words:
        return {"empty"}
    low = [fold(w).removesuffix("'s").removesuffix("’s") for w in words]
    n = len(words)
    out.add(f"len={min(n, 4)}")
    prev = doc[s - 1] if s > 0 else None
    nxt = doc[e] if e < len(doc) else None
    if prev is not None:
        pl = prev.lower_.rstrip(".")
        if prev.lower_ == "the":
            out.add("the_before")
        if pl in TITLES and prev.text[:1].isupper():
            out.add("title_before")
        if pl in PERSON_NOUNS:
            out.add("person_noun_before")
        if prev.lower_ in _PLACE_PREPS:
            out.add(f"prep_before={prev.lower_}")
        if prev.lower_ == "of" and s > 1 and doc[s - 2].lower_ in _PLACE_NOUNS:
            out.add("place_noun_of")
        if prev.lower_ == "of" and s > 1 and doc[s - 2].lower_ in PERSON_NOUNS:
            out.add("person_noun_of")
        if prev.pos_ == "PROPN" and prev.text[:1].isupper() and prev.whitespace_:
            out.add("cap_before")
        if prev.text in (",",) and s > 1 and doc[s - 2].pos_ == "PROPN":
            out.add("comma_name_before")
    if nxt is not None:
        if nxt.lower_ in ("'s", "’s", "'", "’"):
            out.add("possessive")
        if nxt.pos_ == "PROPN" and nxt.text[:1].isupper():
            out.add("cap_after")
        if nxt.text == "," and e + 1 < len(doc):
            after = doc[e + 1]
            if after.lower_ in ("a", "an", "the", "who", "which", "where", "whose"):
                out.add(f"appos_after={after.lower_}")
            if after.pos_ == "PROPN" and get_gazetteer().lookup(after.text) is not None:
                out.add("comma_place_after")
        if nxt.pos_ == "NOUN":
            out.add("noun_after")
    if first_name_gender(words[0], likely=True) is not None and n > 1:
        out.add("given_name")
    if first_name_gender(words[0]) is not None and n == 1:
        out.add("given_name_alone")
    if fold(words[0]).rstrip(".") in TITLES or words[0] in HONORIFICS:
        out.add("title_inside")
    if set(low) & (_ORG_WORDS | ORG_NOUNS | BODY_WORDS):
        out.add("org_word")
    if low[-1] in (_ORG_WORDS | ORG_NOUNS | BODY_WORDS):
        out.add("org_word_last")
    if words[0].isupper() and len(words[0]) > 1 and n == 1:
        out.add("acronym")
    if any(ch.isdigit() for w in words for ch in w):
        out.add("digit")
    if not all(w[:1].isupper() for w in words if w.isalpha() and w not in _PARTICLES):
        out.add("lowercase_word")
    elif all(
        w.isalpha() and ((w[:1].isupper() and w[1:].islower()) or w in _PARTICLES) for w in words
    ):
        out.add("titlecase_words")  # "Botic van de Zandschulp", not "NATO" or "iPhone"
    if n == 1 and low[0].endswith("s") and not low[0].endswith("ss"):
        out.add("ends_s")
    if low[-1].endswith(("ian", "ese", "ish", "an")) and normalize(words[-1]) in demonyms():
        out.add("demonym")
    if is_outlet(" ".join(words)):
        out.add("outlet_word")
    name = " ".join(words)
    m = get_gazetteer().lookup(name)
    if m is not None:
        out.add(f"gaz={m.kind}")
        if get_gazetteer().is_strong(name):
            out.add("gaz_strong")
        if m.population >= 100_000:
            out.add("gaz_big")
    elif n > 1 and get_gazetteer().lookup(words[-1]) is not None:
        out.add("gaz_last_word")
    root = span.root
    dep = (
        root.dep_
        if root.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "compound", "poss", "appos", "conj")
        else "other"
    )
    out.add(f"dep={dep}")
    if root.dep_ in ("nsubj", "nsubjpass"):
        if root.head.lemma_ in SPEECH_VERBS:
            out.add("speech_subject")
        elif root.head.lemma_ in _HUMAN_VERBS:
            out.add("human_verb_subject")
    if root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
        out.add("pobj_place_prep")
    if root.dep_ == "compound" and root.head.pos_ == "NOUN":
        out.add("compound_of_noun")
    if all(t.pos_ == "PROPN" for t in span if not t.is_punct and t.lower_ not in _PARTICLES):
        out.add("all_propn")
    return out


def name_features(doc: Doc, pieces: Sequence[Piece]) -> list[Features]:
    """Features for each typed piece: its own mention's, and those pooled over every
    piece of the same name in the story ("any_*"), plus the rules' label (not spaCy's:
    where the rules overrode it, they had the story's reasons)."""
    mention = [_mention_features(doc, s, e) for s, e, _ in pieces]
    keys = [_key(doc, s, e) for s, e, _ in pieces]
    pooled: dict[str, set[str]] = {}
    labels: dict[str, set[str]] = {}
    for k, f, (_, _, lab) in zip(keys, mention, pieces, strict=True):
        pooled.setdefault(k, set()).update(f)
        labels.setdefault(k, set()).add(lab)
    # The surname or given name of a person the story names in full
    full_parts: set[str] = set()
    for k, (_, _, lab) in zip(keys, pieces, strict=True):
        words = k.split()
        if lab == "PERSON" and len(words) > 1:
            full_parts.update((words[0], words[-1]))
    out: list[Features] = []
    for (_s, _e, lab), k, f in zip(pieces, keys, mention, strict=True):
        feats: Features = {"bias": 1.0, f"rule={_coarse(lab)}": 1.0}
        for name in f:
            feats[name] = 1.0
        for name in pooled[k] - f:
            feats[f"any_{name}"] = 1.0
        for other in labels[k] - {lab}:
            feats[f"also={_coarse(other)}"] = 1.0
        if len(k.split()) == 1 and k in full_parts:
            feats["part_of_full_person"] = 1.0
        out.append(feats)
    return out


def _coarse(label: str) -> str:
    return label if label in ("PERSON", "ORG", "PLACE", "NORP") else "OTHERLAB"


@dataclass
class NameTypeModel:
    weights: dict[str, list[float]]  # feature -> one weight per class of CLASSES
    meta: dict[str, Any] = field(default_factory=dict)

    def probs(self, feats: Features) -> list[float]:
        z = [0.0] * len(CLASSES)
        for name, v in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for c in range(len(CLASSES)):
                    z[c] += w[c] * v
        top = max(z)
        ex = [math.exp(x - top) for x in z]
        total = sum(ex)
        return [x / total for x in ex]

    @property
    def threshold(self) -> float:
        return float(self.meta.get("threshold", 0.9))

    def relabel(self, label: str, feats: Features) -> str:
        """The model's label where it is at least `threshold` sure and differs from the
        rules' (PERSON, ORG, PLACE, or OTHER: no name of these kinds); else `label`."""
        if label not in TYPED:
            return label
        p = self.probs(feats)
        best = max(range(len(CLASSES)), key=p.__getitem__)
        to = CLASSES[best]
        moves = self.meta.get("moves")
        if moves is not None and f"{label}->{to}" not in moves:
            return label
        if any(name in feats for name in self.meta.get("keep_if", ())):
            return label  # the rules' evidence the model saw too seldom to weigh
        if to != label and p[best] >= self.threshold:
            return to
        return label

    def to_json(self) -> str:
        return json.dumps({"classes": CLASSES, "weights": self.weights, "meta": self.meta})


@lru_cache(maxsize=1)
def shipped_model() -> NameTypeModel | None:
    """The packaged weights, or None when none ship (typing then stays the rules')."""
    try:
        raw = resources.files("wirescope.resources").joinpath(MODEL_FILE).read_text("utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(raw)
    return NameTypeModel(weights=data["weights"], meta=data.get("meta", {}))
