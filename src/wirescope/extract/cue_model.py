"""A trained attribution-cue scorer: how likely a token is the cue of an attribution
("accused", "mocked", "the poll shows", "according to", "called for").

Word lists cover the head of the cue distribution; PolNeAR annotates every attribution
(speech, beliefs, intentions, stances, polls) and its cues are a long tail. This is a
logistic regression over sparse string features of the parse, trained on PolNeAR's
train split by scripts/train_cue_model.py; its weights ship in
resources/cue_model.json.gz.

Candidates: every VERB, plus other tokens whose lemma is in the model's cue vocabulary
(lemmas seen as cue heads in train: "according", "statement", "claim", ...).

Features of a candidate token (see `features`): its lemma, lowercase form, tag and
dependency label; its head's lemma and POS; each child dependency (and lemma x child
dependency for the clause-taking ones: ccomp, xcomp, dobj, agent, nsubjpass, prep),
prepositions it governs ("call for"), a "that" complementizer; the kind of subject
(PERSON/ORG/NORP/GPE entity, pronoun, person noun, organization noun, other noun,
none), crossed with the lemma; negation, modals and auxiliaries; passive voice;
whether the token sits inside quotation marks; the neighbouring lemmas and
punctuation; position in the sentence. Scores are deterministic: plain dict lookups.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token

from wirescope.extract.lexicon import ORG_NOUNS, PERSON_NOUNS, PRONOUNS
from wirescope.nlp.parse import doc_text

MODEL_FILE = "cue_model.json.gz"
_OPEN = "“„«"
_CLOSE = "”»"
_CLAUSE_DEPS = ("ccomp", "xcomp", "dobj", "agent", "nsubjpass", "prep", "advcl", "attr")
_SOURCE_ENTS = ("PERSON", "ORG", "NORP", "GPE")


@dataclass
class CueModel:
    """Weights of the features, a bias, a decision threshold and the candidate lemmas
    that are not verbs."""

    weights: dict[str, float]
    bias: float
    threshold: float
    lemmas: frozenset[str]
    meta: dict[str, Any]

    def is_candidate(self, tok: Token) -> bool:
        if tok.pos_ == "VERB":
            return True
        return tok.lemma_.lower() in self.lemmas and tok.pos_ in ("NOUN", "ADP", "ADJ", "AUX")

    def prob(self, feats: list[str]) -> float:
        w = self.weights
        z = self.bias + sum(w.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def score(self, doc: Doc, lemmas: frozenset[str] | None = None) -> dict[int, float]:
        """Token index -> probability of being an attribution cue, for every candidate
        (only those with one of `lemmas`, when given)."""
        inq = quoted_mask(doc)
        return {
            tok.i: self.prob(features(tok, inq[tok.i]))
            for tok in doc
            if (lemmas is None or tok.lemma_.lower() in lemmas) and self.is_candidate(tok)
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "bias": self.bias,
            "threshold": self.threshold,
            "lemmas": sorted(self.lemmas),
            "meta": self.meta,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CueModel:
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            lemmas=frozenset(data["lemmas"]),
            meta=dict(data.get("meta") or {}),
        )

    def save(self, path: str | Path) -> None:
        raw = json.dumps(self.to_json(), separators=(",", ":"), sort_keys=False)
        # mtime=0: the same weights always give the same bytes.
        with (
            open(path, "wb") as fh,
            gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz,
        ):
            gz.write(raw.encode("utf-8"))


def load_model(path: str | Path) -> CueModel:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return CueModel.from_json(json.load(fh))


@lru_cache(maxsize=1)
def shipped_model() -> CueModel:
    """The model in the package's resources, loaded once per process."""
    ref = resources.files("wirescope.resources").joinpath(MODEL_FILE)
    with ref.open("rb") as fh, gzip.GzipFile(fileobj=fh) as gz:
        return CueModel.from_json(json.loads(gz.read().decode("utf-8")))


def quoted_mask(doc: Doc) -> list[bool]:
    """Per token: inside quotation marks on its line (straight marks toggle)."""
    text = doc_text(doc)
    out = [False] * len(doc)
    depth = 0
    pos = 0
    for tok in doc:
        # Walk the characters between the previous token and this one.
        seg = text[pos : tok.idx]
        if "\n" in seg:
            depth = 0
        out[tok.i] = depth > 0
        t = tok.text
        if t in _OPEN or (t == '"' and depth == 0):
            depth = 1
        elif t in _CLOSE or t == '"':
            depth = 0
        pos = tok.idx
    return out


def subject_of(tok: Token) -> Token | None:
    """The token's own subject, else its governing verb's (conjuncts, xcomp, advcl)."""
    cur: Token = tok
    for _ in range(3):
        for c in cur.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj") and c.tag_ != "EX":
                return c
        if cur.dep_ in ("conj", "xcomp", "advcl") and cur.head.i != cur.i:
            cur = cur.head
        else:
            break
    return None


def subject_kind(subj: Token | None) -> str:
    if subj is None:
        return "none"
    if subj.ent_type_ in _SOURCE_ENTS:
        return subj.ent_type_
    low = subj.lower_
    if low in PRONOUNS or subj.pos_ == "PRON":
        return "it" if low in ("it", "this", "that", "which") else "pron"
    lemma = subj.lemma_.lower()
    if lemma in PERSON_NOUNS:
        return "person"
    if lemma in ORG_NOUNS:
        return "org"
    if subj.pos_ == "PROPN":
        return "propn"
    return "noun"


def features(tok: Token, quoted: bool) -> list[str]:
    """The string features of one candidate token (documented in the module docstring)."""
    doc = tok.doc
    lemma = tok.lemma_.lower()
    head = tok.head
    f = [
        "b",
        "l=" + lemma,
        "w=" + tok.lower_,
        "t=" + tok.tag_,
        "d=" + tok.dep_,
        "ld=" + lemma + "|" + tok.dep_,
        "lt=" + lemma + "|" + tok.tag_,
        "hl=" + head.lemma_.lower(),
        "dhp=" + tok.dep_ + "|" + head.pos_,
        "lhl=" + lemma + "|" + head.lemma_.lower(),
    ]
    passive = False
    neg = False
    for c in tok.children:
        dep = c.dep_
        f.append("cd=" + dep)
        if dep in _CLAUSE_DEPS:
            f.append("lcd=" + lemma + "|" + dep)
        if dep == "prep" or dep == "agent":
            f.append("lp=" + lemma + "|" + c.lower_)
            f.append("p=" + c.lower_)
        elif dep in ("aux", "auxpass"):
            f.append("aux=" + c.lemma_.lower())
            if dep == "auxpass":
                passive = True
        elif dep == "neg":
            neg = True
        elif dep == "ccomp":
            if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
                f.append("that")
                f.append("lthat=" + lemma)
        elif dep == "prt":
            f.append("lprt=" + lemma + "|" + c.lower_)
        elif dep == "dobj":
            f.append("obj=" + subject_kind(c))
            f.append("lo=" + lemma + "|" + c.lemma_.lower())
        elif dep == "poss":
            f.append("poss=" + subject_kind(c))
    if passive:
        f.append("passive")
        f.append("lpass=" + lemma)
    if neg:
        f.append("neg")
    subj = subject_of(tok)
    sk = subject_kind(subj)
    f.append("s=" + sk)
    if subj is not None:
        f.append("sl=" + subj.lemma_.lower())
    f.append("hd=" + head.dep_ + "|" + tok.dep_)
    f.append("ls=" + lemma + "|" + sk)
    f.append("ts=" + tok.tag_ + "|" + sk)
    if quoted:
        f.append("inq")
        f.append("linq=" + lemma)
    i = tok.i
    prev = doc[i - 1] if i > 0 else None
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    f.append("pl=" + (prev.lemma_.lower() if prev is not None else "<s>"))
    f.append("nl=" + (nxt.lemma_.lower() if nxt is not None else "</s>"))
    if nxt is not None:
        f.append("lnl=" + lemma + "|" + nxt.lemma_.lower())
        nxt2 = doc[i + 2] if i + 2 < len(doc) else None
        if nxt2 is not None:
            f.append("nl2=" + nxt2.lemma_.lower())
    if prev is not None and prev.is_punct:
        f.append("pp=" + prev.text)
    if tok.is_sent_start:
        f.append("first")
    if tok.ent_type_:
        f.append("ent=" + tok.ent_type_)
    return f
