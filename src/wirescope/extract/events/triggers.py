"""TimeML event triggers: a learned classifier over spaCy features, and the tense, aspect,
polarity and modality of a trigger read from its auxiliaries.

The classifier is multinomial logistic regression (scripts/train_event_model.py, scikit-
learn, trained on half A of TBAQ by document hash), shipped as a weight per (feature,
class) in resources/event_model.json.gz and applied here in numpy: every candidate token
of an article is scored in one gather-and-sum, so the stage costs a few milliseconds.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from spacy.tokens import Doc, Token

from wirescope.nlp.tokens import tokens as doc_tokens

# The parts of speech a TimeML event can take here: verbs, nouns ("the attack", "talks")
# and adjectives of states ("dead", "available"); the model decides which of them is one.
CANDIDATE_POS = frozenset(("VERB", "NOUN", "ADJ", "AUX", "PROPN"))
NONE_CLASS = "O"
MODEL_RESOURCE = "event_model.json.gz"


def doc_words(doc: Doc) -> tuple[list[str], list[str]]:
    """Every token's lower-case form and tag, read once per article: neighbours are
    looked up here, not through a new Token each time."""
    lowers: list[str] = []
    tags: list[str] = []
    for t in doc_tokens(doc):
        lowers.append(t.lower_)
        tags.append(t.tag_)
    return lowers, tags


def token_features(tok: Token, words: tuple[list[str], list[str]]) -> list[str]:
    """The features of one candidate token (the same at training and at run time);
    `words` is doc_words(tok.doc)."""
    lowers, tags = words
    n = len(lowers)
    i = tok.i
    lemma = tok.lemma_.lower()
    lower = tok.lower_
    head = tok.head
    hl = head.lemma_.lower()
    pos, tag, dep = tok.pos_, tok.tag_, tok.dep_
    feats = [
        "l=" + lemma,
        "w=" + lower,
        "p=" + pos,
        "t=" + tag,
        "d=" + dep,
        "lp=" + lemma + "|" + pos,
        "ld=" + lemma + "|" + dep,
        "hl=" + hl,
        "hd=" + dep + "|" + head.pos_,
        "hld=" + hl + "|" + dep,
        "s3=" + lower[-3:],
        "s4=" + lower[-4:],
        "e=" + tok.ent_type_,
        "pw=" + (lowers[i - 1] if i > 0 else "<s>"),
        "nw=" + (lowers[i + 1] if i + 1 < n else "</s>"),
        "pt=" + (tags[i - 1] if i > 0 else "<s>"),
        "nt=" + (tags[i + 1] if i + 1 < n else "</s>"),
    ]
    for c in tok.children:
        cd = c.dep_
        feats.append("c=" + cd)
        if cd in ("aux", "auxpass", "neg", "det", "prep", "case", "poss"):
            feats.append("cw=" + cd + "|" + c.lower_)
    if tok.is_title and not tok.is_sent_start:
        feats.append("cap")
    return feats


@dataclass(frozen=True)
class TriggerModel:
    """Weights of a multinomial logistic regression: classes[0] is "no event"."""

    classes: tuple[str, ...]
    index: dict[str, int]  # feature -> row of weights
    weights: np.ndarray  # (features + 1, classes); the last row is the bias
    lemma_classes: dict[str, str]  # a lemma's usual class, when the model is unsure

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TriggerModel:
        features = list(data["features"])
        rows = [*data["weights"], data["bias"]]
        return cls(
            classes=tuple(data["classes"]),
            index={f: i for i, f in enumerate(features)},
            weights=np.asarray(rows, dtype=np.float32) / float(data.get("scale", 1)),
            lemma_classes=dict(data.get("lemma_classes", {})),
        )

    def classify(self, tokens: list[Token]) -> list[str]:
        """The class of each token ("O" for no event), all tokens in one numpy pass."""
        if not tokens:
            return []
        words = doc_words(tokens[0].doc)
        bias = len(self.weights) - 1
        flat: list[int] = []
        starts: list[int] = []
        get = self.index.get
        for tok in tokens:
            starts.append(len(flat))
            flat.append(bias)
            for f in token_features(tok, words):
                j = get(f)
                if j is not None:
                    flat.append(j)
        scores = np.add.reduceat(self.weights[np.asarray(flat)], np.asarray(starts), axis=0)
        best = scores.argmax(axis=1)
        return [self.classes[k] for k in best.tolist()]


@lru_cache(maxsize=1)
def shipped_model() -> TriggerModel:
    """The model in resources/, read once per process."""
    raw = resources.files("wirescope.resources").joinpath(MODEL_RESOURCE).read_bytes()
    return TriggerModel.from_json(json.loads(gzip.decompress(raw)))


def candidates(doc: Doc, start: int = 0) -> list[Token]:
    """Tokens that may be an event's trigger, from char offset `start` on."""
    return [
        t
        for t in doc_tokens(doc)
        if t.idx >= start and t.pos_ in CANDIDATE_POS and t.is_alpha and len(t.text) > 1
    ]


# --------------------------------------------------------------- tense, aspect, polarity

FUTURE_AUX = frozenset(("will", "'ll", "shall", "wo"))
MODAL_AUX = frozenset(("would", "could", "should", "must", "can", "may", "might", "ca", "ought"))
NEGATIONS = frozenset(("not", "n't", "never", "no", "neither", "nor"))
_PAST_TAGS = frozenset(("VBD",))
_PRESENT_TAGS = frozenset(("VBZ", "VBP"))


def _verb_group(tok: Token) -> Token:
    """The token whose auxiliaries tell the trigger's tense: the verb itself, or the copula
    or verb a predicative noun or adjective hangs on ("was dead", "is a threat")."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    if tok.dep_ in ("acomp", "attr") and tok.head.pos_ in ("AUX", "VERB"):
        return tok.head
    return tok


@dataclass(frozen=True)
class Grammar:
    tense: str
    aspect: str
    polarity: str
    modality: str | None


def grammar(tok: Token) -> Grammar:
    """TimeML's tense (PAST, PRESENT, FUTURE, INFINITIVE, PRESPART, PASTPART, NONE), aspect
    (PROGRESSIVE, PERFECTIVE, PERFECTIVE_PROGRESSIVE, NONE), polarity and modal of a trigger."""
    verb = _verb_group(tok)
    nominal = verb is tok and tok.pos_ not in ("VERB", "AUX")
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    negated = any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in verb.children if c.i < verb.i)
    if not negated and tok is not verb:
        negated = any(c.dep_ == "neg" for c in tok.children)
    if nominal:
        neg_det = any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
        return Grammar("NONE", "NONE", "NEG" if neg_det else "POS", None)
    modality: str | None = None
    future = False
    perfect = progressive = False
    to_inf = False
    for a in auxes:
        lw = a.lower_
        if lw in FUTURE_AUX:
            future = True
        elif lw in MODAL_AUX:
            modality = "would" if lw == "ca" else lw
        elif a.lemma_ == "have":
            perfect = True
        elif a.tag_ == "TO":
            to_inf = True
    if verb.tag_ == "VBG" and any(a.lemma_ == "be" for a in auxes if a.dep_ == "aux"):
        progressive = True
    aspect = (
        "PERFECTIVE_PROGRESSIVE"
        if perfect and progressive
        else "PERFECTIVE"
        if perfect
        else "PROGRESSIVE"
        if progressive
        else "NONE"
    )
    finite = [a for a in auxes if a.tag_ in ("VBD", "VBZ", "VBP", "MD")]
    first = finite[0] if finite else None
    if future or (first is not None and first.lower_ in FUTURE_AUX):
        tense = "FUTURE"
    elif modality is not None:
        tense = "NONE"
    elif first is not None:
        tense = "PAST" if first.tag_ in _PAST_TAGS else "PRESENT"
    elif to_inf:
        tense = "INFINITIVE"
    elif verb.tag_ in _PAST_TAGS:
        tense = "PAST"
    elif verb.tag_ in _PRESENT_TAGS:
        tense = "PRESENT"
    elif verb.tag_ == "VBG":
        tense = "PRESPART"
    elif verb.tag_ == "VBN":
        tense = "PASTPART"
    elif verb.tag_ == "VB":
        tense = "INFINITIVE" if verb.dep_ in ("xcomp", "ccomp", "advcl") else "NONE"
    else:
        tense = "NONE"
    return Grammar(tense, aspect, "NEG" if negated else "POS", modality)
