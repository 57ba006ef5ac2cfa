"""Article structure without NLP: timestamps, headline, dateline, paragraphs.

STUB: to be replaced by the article parser.
"""

from __future__ import annotations

import re

from wirescope.models import Article, RawDocument


def split_paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        if m.group().strip():
            spans.append((start + m.start(), start + m.end()))
    return spans


def parse_article(raw: RawDocument) -> Article:
    paras = split_paragraphs(raw.text)
    return Article(raw=raw, body_span=(0, len(raw.text)), paragraphs=paras)
