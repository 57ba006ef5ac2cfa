"""The one lexicon: every word list wirescope reads, loaded once from resources/*.json
(rules as data). Extractors, evaluation and the store all take their words from here.

Honorifics, speech verbs and pronouns are each defined once in lexicon.json, with the
views (uses) a word belongs to; the views below are those named subsets."""

from __future__ import annotations

import json
import unicodedata
from importlib import resources
from typing import Any


def strip_accents(text: str) -> str:
    """Diacritics removed (NFKD, combining marks dropped): "Rezāʾī" -> "Rezaʾi"; and
    invisible format characters (bidirectional controls, zero-width marks) dropped,
    as no letter of a name: "Reza\u202eei" compares as "Rezaei"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )


def fold(word: str) -> str:
    """Lowercase, no diacritics, no dots: the form names are compared in (the store's
    transliteration keys, people.token_key, start from the same strip_accents)."""
    return strip_accents(word).lower().strip(".")


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("wirescope.resources").joinpath(name).read_text(encoding="utf-8")
    )
    return data


_ATTR = _load("attribution.json")
_CUES = _load("cues.json")
_LEX = _load("lexicon.json")


def _view(table: str, view: str) -> frozenset[str]:
    """The words of one table of lexicon.json that belong to one view."""
    return frozenset(
        w for w, e in _LEX[table].items() if view in (e if isinstance(e, list) else e["views"])
    )


# cue lemma -> precision as a cue when it governs a clause (mined from PolNeAR train)
_STOP = set(_ATTR["cue_stoplist"])
CUES: dict[str, float] = {
    lemma: float(v["p"])
    for lemma, v in _CUES["verbs"].items()
    if lemma not in _STOP and float(v["p"]) >= _ATTR["cue_min_precision"]
}
# Cues kept whatever their mined precision: speech verbs proper.
CUE_FLOOR: frozenset[str] = frozenset(str(v) for v in _CUES["floor"])
for _lemma in _CUES["floor"]:
    CUES[_lemma] = max(CUES.get(_lemma, 0.0), 0.6)

# Pronouns a speaker mention may be, with the gender each asks of its antecedent.
PRONOUNS: dict[str, str | None] = {
    w: e.get("gender") for w, e in _LEX["pronouns"].items() if "speaker" in e["views"]
}
# Any pronoun, for classing a gold speaker mention; relative pronouns, for events.
ANY_PRONOUNS = _view("pronouns", "any")
RELATIVE_PRONOUNS = _view("pronouns", "relative")
NOMINAL_GENDER: dict[str, str] = _ATTR["nominal_gender"]
PERSON_NOUNS: frozenset[str] = frozenset(_ATTR["person_nouns"])
ORG_NOUNS: frozenset[str] = frozenset(_ATTR["org_nouns"])
_MENTION_HONORIFICS = [e for e in _LEX["honorifics"].values() if "mention" in e["views"]]
# Honorifics as a speaker mention spells them (case and final dot kept), and the
# gender a form implies (only for the forms that imply one, or None: "Rabbi").
HONORIFICS: frozenset[str] = frozenset(f for e in _MENTION_HONORIFICS for f in e["forms"])
HONORIFIC_GENDER: dict[str, str | None] = {
    f: g[f] if isinstance(g, dict) else g
    for e in _MENTION_HONORIFICS
    if "gender" in e
    for g in [e["gender"]]
    for f in e["forms"]
    if not isinstance(g, dict) or f in g
}
# Lowercase, without a final dot: forms of address inside a person's name span
# (spaCy's convention; entity typing), and titles or honorifics that precede a name
# without being part of it (the store's name keys).
NAME_SPAN_HONORIFICS = _view("honorifics", "name_span")
# Words naming an office or a form of address: what follows them is a person.
TITLES = _view("honorifics", "title")
TITLES_BEFORE_NAMES = _view("honorifics", "before_name")
# Lemmas of verbs that report speech: whose subject is a speaker (entity typing);
# speech acts events leave to quotes; verbs of reported speech for date tense.
SPEECH_VERBS = _view("speech_verbs", "typing")
REPORTING_VERBS = _view("speech_verbs", "events")
SAY_VERBS = _view("speech_verbs", "tense")
ROLE_CONNECTORS: frozenset[str] = frozenset(_ATTR["role_connectors"])
HEADLINE_ROLES: frozenset[str] = frozenset(_ATTR["headline_speaker_roles"])
INTENT_VERBS: frozenset[str] = frozenset(_ATTR["intent_verbs"])
BELIEF_VERBS: frozenset[str] = frozenset(_ATTR["belief_verbs"])
EVIDENCE_NOUNS: frozenset[str] = frozenset(_ATTR["evidence_nouns"])
NAMING_VERBS: frozenset[str] = frozenset(_ATTR["naming_verbs"])
FRAMING_VERBS: frozenset[str] = frozenset(_ATTR["framing_verbs"])
PEOPLE_GROUPS: frozenset[str] = frozenset(_ATTR["people_groups"])
DOCUMENT_NOUNS: frozenset[str] = frozenset(_ATTR["document_nouns"])
NAME_PARTICLES: frozenset[str] = frozenset(_ATTR["name_particles"])
# Roles as articles state them (names.json): the nouns that head one, the forms of
# address that never are one, and agent-like words that name no person; words of
# bodies' names and of works' names (identity.py).
_ROLES = _load("names.json")
ROLE_NOUNS: frozenset[str] = PERSON_NOUNS | TITLES | frozenset(_ROLES["role_nouns"])
COURTESY_TITLES: frozenset[str] = frozenset(_ROLES["courtesy"])
NOT_AGENT_NOUNS: frozenset[str] = frozenset(_ROLES["not_agents"])
BODY_WORDS: frozenset[str] = frozenset(_ROLES["body_words"])
WORK_WORDS: frozenset[str] = frozenset(_ROLES["work_words"])
NOT_PLACES: frozenset[str] = frozenset(_ROLES["not_places"])
