"""Events: who did what to whom, where and when.  STUB."""

from __future__ import annotations

from spacy.tokens import Doc

from wirescope.models import Article, DateMention, Entity, Event, Quote


def extract_events(
    article: Article,
    doc: Doc,
    entities: list[Entity],
    dates: list[DateMention],
    quotes: list[Quote],
) -> list[Event]:
    return []
