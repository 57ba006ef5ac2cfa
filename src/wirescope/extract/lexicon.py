"""Word lists the extractors read, loaded once from resources/ (rules as data)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("wirescope.resources").joinpath(name).read_text(encoding="utf-8")
    )
    return data


_ATTR = _load("attribution.json")
_CUES = _load("cues.json")

# cue lemma -> precision as a cue when it governs a clause (mined from PolNeAR train)
_STOP = set(_ATTR["cue_stoplist"])
CUES: dict[str, float] = {
    lemma: float(v["p"])
    for lemma, v in _CUES["verbs"].items()
    if lemma not in _STOP and float(v["p"]) >= _ATTR["cue_min_precision"]
}
for _lemma in _CUES["floor"]:
    CUES[_lemma] = max(CUES.get(_lemma, 0.0), 0.6)

PRONOUNS: dict[str, str | None] = _ATTR["pronouns"]
NOMINAL_GENDER: dict[str, str] = _ATTR["nominal_gender"]
PERSON_NOUNS: frozenset[str] = frozenset(_ATTR["person_nouns"])
ORG_NOUNS: frozenset[str] = frozenset(_ATTR["org_nouns"])
HONORIFICS: frozenset[str] = frozenset(_ATTR["honorifics"])
HONORIFIC_GENDER: dict[str, str | None] = _ATTR["honorific_gender"]
ROLE_CONNECTORS: frozenset[str] = frozenset(_ATTR["role_connectors"])
HEADLINE_ROLES: frozenset[str] = frozenset(_ATTR["headline_speaker_roles"])
INTENT_VERBS: frozenset[str] = frozenset(_ATTR["intent_verbs"])
BELIEF_VERBS: frozenset[str] = frozenset(_ATTR["belief_verbs"])
EVIDENCE_NOUNS: frozenset[str] = frozenset(_ATTR["evidence_nouns"])
NAMING_VERBS: frozenset[str] = frozenset(_ATTR["naming_verbs"])
PEOPLE_GROUPS: frozenset[str] = frozenset(_ATTR["people_groups"])
NAME_PARTICLES: frozenset[str] = frozenset(_ATTR["name_particles"])
