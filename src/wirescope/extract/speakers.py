"""Speaker resolution and people entities.  STUB."""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.models import Article, Entity, Quote


def resolve_speakers(
    article: Article, doc: Doc, quotes: list[Quote], others: list[Entity]
) -> list[Entity]:
    return []
