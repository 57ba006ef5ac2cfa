"""Dates normalized against the article's publication time.  STUB."""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.models import Article, DateMention


def extract_dates(article: Article, doc: Doc) -> list[DateMention]:
    return []
