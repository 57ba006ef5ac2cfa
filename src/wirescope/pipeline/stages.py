"""Which stages run, and the fingerprint of what made a record.

Kept apart from pipeline.py so that the store and the cluster can compute a
fingerprint without importing spaCy or the extractors.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple, dataclass, fields
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

from wirescope.nlp.model import MODEL_DIST  # a new release of it changes records
from wirescope.version import __version__


@dataclass(frozen=True)
class Stages:
    """Which of the optional extraction stages run (quotes and speakers always do).

    `places` finds places and organizations (speakers then resolve without them:
    an org named as a speaker may come out as a person or group), `dates`
    normalizes dates, `events` needs neither but is poorer without them.
    """

    places: bool = True
    dates: bool = True
    events: bool = True
    # Stances and intentions ("vowed to cut taxes", "called for a repeal") as
    # quotes too: what PolNeAR-style attribution counts; speech only by default.
    stances: bool = False

    def names(self) -> list[str]:
        """The stages switched on, by field name ("places", ..., "stances")."""
        return [f.name for f, on in zip(fields(self), astuple(self), strict=True) if on]


FULL = Stages()
"""Every stage: who said what, about whom, when and where."""
QUOTES_ONLY = Stages(places=False, dates=False, events=False)
"""Who said what: quotes and speakers only, no places/orgs, dates or events."""
ATTRIBUTIONS = Stages(stances=True)
"""Every stage, with stances and intentions counted as attributions."""


@lru_cache(maxsize=1)
def resources_version() -> str:
    """A hash over the rule and model files in wirescope/resources (names and bytes).

    Computed once per process (the cue model is half a megabyte: about a millisecond).
    """
    digest = hashlib.sha256()
    root = resources.files("wirescope.resources")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_file() and not entry.name.endswith((".py", ".pyc")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def _dist_version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


@lru_cache(maxsize=8)
def fingerprint(stages: Stages = FULL) -> str:
    """What makes a record: package version, resources, spaCy and its model, stages.

    A short canonical JSON text, equal for two runs exactly when they would make
    the same records from the same text (as far as versions can tell: a change of
    the code that does not bump the version is not seen; `ingest --reprocess`
    re-extracts regardless). Stores keep it per article, and `ingest` skips an
    article only when its text hash and this fingerprint both match.
    """
    made_by = {
        "wirescope": __version__,
        "resources": resources_version(),
        "model": f"{MODEL_DIST} {_dist_version(MODEL_DIST)}",
        "spacy": _dist_version("spacy"),
        "stages": stages.names(),
    }
    return json.dumps(made_by, sort_keys=True, separators=(",", ":"))


def stages_of(fingerprint_text: str) -> Stages:
    """The Stages a fingerprint names (what `--stances` and friends chose)."""
    on = set(json.loads(fingerprint_text)["stages"])
    return Stages(**{f.name: f.name in on for f in fields(Stages)})
