"""Quotes: direct, indirect and mixed, with their cue and speaker mention.  STUB."""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.models import Article, Quote


def extract_quotes(article: Article, doc: Doc) -> list[Quote]:
    return []
