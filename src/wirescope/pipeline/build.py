"""Runs the stages over documents; a failure in one article never stops a batch."""

from __future__ import annotations

import hashlib
import re
import signal
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from spacy.tokens import Doc

from wirescope.errors import ExtractError
from wirescope.extract.attribution import resolve_speakers
from wirescope.extract.cue_model import CueModel
from wirescope.extract.cue_model import shipped_model as shipped_cue_model
from wirescope.extract.dates import extract_dates
from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.events import extract_events
from wirescope.extract.places import extract_places_orgs
from wirescope.extract.quotes import extract_quotes
from wirescope.extract.speaker_model import SpeakerModel, shipped_model
from wirescope.nlp.parse import BATCH_SIZE, batched, parse_many
from wirescope.pipeline.stages import ATTRIBUTIONS, FULL, QUOTES_ONLY, Stages, fingerprint
from wirescope.reading.article import parse_article
from wirescope.record.models import Article, Failure, RawDocument, ReadError, Record, Result

__all__ = [
    "ATTRIBUTIONS",
    "FULL",
    "QUOTES_ONLY",
    "Stages",
    "build_record",
    "content_id",
    "extract_text",
    "fingerprint",
    "process",
    "process_one",
    "read_failure",
]

_WS = re.compile(r"\s+")


def content_id(text: str) -> str:
    """Stable id: a hash of the text with Unicode and whitespace normalized."""
    norm = _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def source_meta(article: Article) -> dict[str, str]:
    """Who published it: author or byline, site name and URL, where the input says."""
    meta = article.raw.meta
    out = {}
    author = meta.get("author") or article.byline
    for key, value in (("author", author), ("site_name", meta.get("sitename")),
                       ("url", meta.get("url"))):  # fmt: skip
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def build_record(
    article: Article,
    doc: Doc,
    *,
    stages: Stages = FULL,
    speaker_model: SpeakerModel | None = None,
    cue_model: CueModel | None = None,
) -> Record:
    """The extraction stages chosen by `stages` (default all) over one parsed article;
    `speaker_model` ranks pronoun and nominal speakers, `cue_model` adds attributions
    (in the default scope only speech verbs reporting a clause; in the stances scope
    every attribution it finds), default for each: the shipped one, loaded once."""
    raw = article.raw
    ents = corrected_ents(doc)  # entity typing: places and speakers read its result
    places_orgs = extract_places_orgs(article, doc, ents) if stages.places else []
    cues = cue_model or shipped_cue_model()
    quotes = extract_quotes(article, doc, stances=stages.stances, cue_model=cues)
    model = speaker_model or shipped_model()
    attribution = resolve_speakers(article, doc, quotes, places_orgs, ents, model)
    quotes = attribution.apply(quotes)
    entities = attribution.people + attribution.others
    dates = extract_dates(article, doc) if stages.dates else []
    events = extract_events(article, doc, entities, dates, quotes) if stages.events else []
    source = {"path": raw.path, "format": raw.format, "encoding": raw.encoding}
    source.update(source_meta(article))
    return Record(
        id=content_id(raw.text),
        input_id=raw.id,
        source=source,
        text=raw.text,
        headline=article.headline,
        published=article.published,
        updated=article.updated,
        dateline=article.dateline,
        quotes=quotes,
        entities=entities,
        dates=dates,
        events=events,
    )


def _failure(raw: RawDocument, stage: str, exc: BaseException) -> Failure:
    reason = f"{stage} failed: {type(exc).__name__}: {exc}"
    return Failure(path=raw.path, reason=reason, input_id=raw.id)


READ_FAILED = "read failed: "  # the stage a read error's Failure names


def read_failure(error: ReadError) -> Failure:
    """A source that could not be read, as the Failure every front end reports."""
    return Failure(path=error.path, reason=READ_FAILED + error.reason)


# Seconds one article's extraction stages may take (`extract --article-timeout`).
# A 20,000-word story takes about 2 s on one core; 60 leaves room for a slow machine.
ARTICLE_TIMEOUT = 60.0


class ArticleTimeout(Exception):
    """An article's extraction ran past its time budget."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ArticleTimeout inside the block once `seconds` have passed.

    A real-time alarm signal, so only in the main thread of a process where the
    platform has one (elsewhere the block runs without a limit). The alarm
    interrupts Python code, not a call inside C (spaCy's parser), which is why it
    guards the extraction stages, whose time is all Python.
    """
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def expire(signum: int, frame: object) -> None:
        raise ArticleTimeout(f"took longer than its {seconds:g} s budget")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(
    docs: Iterable[RawDocument | ReadError],
    batch_size: int = BATCH_SIZE,
    *,
    stages: Stages = FULL,
    article_timeout: float | None = None,
) -> Iterator[Result]:
    """Yield one Record or Failure per input item, in input order: read_paths' output
    goes in as it is, a ReadError comes out as a Failure.

    article_timeout: seconds each article's extraction may take before it becomes
    a failure ("extract failed: ArticleTimeout: ..."); None for no limit.
    """
    for batch in batched(docs, batch_size):
        yield from _process_batch(batch, stages, article_timeout)


def _process_batch(
    batch: list[RawDocument | ReadError],
    stages: Stages = FULL,
    article_timeout: float | None = None,
) -> Iterator[Result]:
    articles: list[Article | Failure] = []
    for raw in batch:
        if isinstance(raw, ReadError):
            articles.append(read_failure(raw))
            continue
        try:
            articles.append(parse_article(raw))
        except Exception as exc:  # one article never stops the batch
            articles.append(_failure(raw, "parse", exc))
    parsed = [a for a in articles if isinstance(a, Article)]
    docs = iter(parse_many([a.text for a in parsed], batch_size=len(parsed) or 1))
    for item in articles:
        if isinstance(item, Failure):
            yield item
            continue
        doc = next(docs)
        try:
            with deadline(article_timeout):
                record = build_record(item, doc, stages=stages)
        except Exception as exc:  # one article never stops the batch
            yield _failure(item.raw, "extract", exc)
            continue
        yield record


def process_one(raw: RawDocument, *, stages: Stages = FULL) -> Record:
    """Process a single document, raising on failure (library convenience)."""
    (result,) = list(process([raw], stages=stages))
    if isinstance(result, Failure):
        raise ExtractError(f"{result.path}: {result.reason}")
    return result


def extract_text(text: str, path: str = "<string>", *, stages: Stages = FULL) -> Record:
    """The whole pipeline (or the `stages` chosen) over a string of wire text."""
    return process_one(RawDocument(text=text, path=path, format="text"), stages=stages)
