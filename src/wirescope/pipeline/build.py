"""Runs the stages over documents; a failure in one article never stops a batch."""

from __future__ import annotations

import hashlib
import re
import signal
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from spacy.tokens import Doc

from wirescope.errors import ArticleTimeout, ExtractError, TooManyQuoteMarks
from wirescope.extract.attribution import Attribution, resolve_speakers
from wirescope.extract.dates import extract_dates
from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.events import Referent, extract_events
from wirescope.extract.identity import one_entity_per_name
from wirescope.extract.places import extract_places_orgs
from wirescope.extract.quotes import check_quote_marks, extract_quotes
from wirescope.extract.roles import roles_at_every_name
from wirescope.nlp.parse import BATCH_SIZE, GROUP_CHARS, batched, parse_many
from wirescope.pipeline.resources import Resources
from wirescope.pipeline.stages import ATTRIBUTIONS, FULL, QUOTES_ONLY, Stages, fingerprint
from wirescope.reading.article import parse_article
from wirescope.reading.read import too_large
from wirescope.record.models import (
    Article,
    Entity,
    Failure,
    Quote,
    RawDocument,
    ReadError,
    Record,
    Result,
    Span,
)

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


def outlet_names(article: Article) -> list[str]:
    """The names the publisher goes by: the page's site name, the dateline's agency."""
    names = [article.raw.meta.get("sitename")]
    if article.dateline is not None:
        names += [article.dateline.agency, article.dateline.agency_name]
    return [n.strip() for n in names if isinstance(n, str) and n.strip()]


def attribute(
    article: Article,
    doc: Doc,
    stages: Stages,
    resources: Resources,
    *,
    record: bool = False,
) -> tuple[list[Quote], Attribution]:
    """Who said what: entity typing, places and organisations (the speakers' candidates),
    quotes and their speakers, in the order build_record runs them; also what training
    the speaker model reads (`record`: keep each ranked decision)."""
    ents = corrected_ents(doc, outlet_names(article))  # places and speakers read its result
    places_orgs = extract_places_orgs(article, doc, ents) if stages.places else []
    quotes = extract_quotes(article, doc, stances=stages.stances, cue_model=resources.cue_model)
    attribution = resolve_speakers(
        article, doc, quotes, places_orgs, ents, resources.speaker_model, record=record
    )
    return quotes, attribution


# The speaker's own "I" in their words.
FIRST_PERSON = frozenset({"i", "me", "my", "myself"})


def _referent(
    attribution: Attribution, found: list[Entity], entities: list[Entity], quotes: list[Quote]
) -> Referent:
    """Attribution.pronoun, its answer among the record's entities: one merged into
    another (identity.py) is found by a mention it brought. "I" in a direct quote's
    words is its speaker."""
    kept = {e.id for e in entities}
    before = {e.id: e for e in found}

    def referent(span: Span, word: str) -> str | None:
        quote = next((q for q in quotes if q.span[0] <= span[0] < q.span[1]), None)
        if word.lower() in FIRST_PERSON:
            if quote is None or quote.kind != "direct" or quote.speaker is None:
                return None
            return quote.speaker.entity
        eid = attribution.pronoun(span, word, quote.span if quote is not None else None)
        if eid is None or eid in kept:
            return eid
        ent = before.get(eid)
        if ent is None or not ent.mentions:
            return None
        first = ent.mentions[0]
        return next((e.id for e in entities if first in e.mentions), None)

    return referent


def build_record(
    article: Article,
    doc: Doc,
    *,
    stages: Stages = FULL,
    resources: Resources | None = None,
) -> Record:
    """The extraction stages chosen by `stages` (default all) over one parsed article,
    with `resources`' models (default: the shipped ones, loaded once per process)."""
    raw = article.raw
    resources = resources or Resources.shipped()
    quotes, attribution = attribute(article, doc, stages, resources)
    quotes = attribution.apply(quotes)
    # one entry of one type per name, whichever reader found it (identity.py)
    found = attribution.people + attribution.others
    entities, quotes = one_entity_per_name(found, quotes, article.text)
    dl = article.dateline
    roles_at_every_name(doc, entities, dl.span[1] if dl and dl.span else 0)
    dates = extract_dates(article, doc) if stages.dates else []
    events = (
        extract_events(
            article,
            doc,
            entities,
            dates,
            quotes,
            model=resources.event_model,
            pronoun=_referent(attribution, found, entities, quotes),
        )
        if stages.events
        else []
    )
    source = {
        "path": raw.path,
        "format": raw.format,
        "encoding": raw.encoding,
        "encoding_from": raw.encoding_from,
    }
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


def over_budget(seconds: float) -> ArticleTimeout:
    """The failure of an article past its time budget, however the budget was read."""
    return ArticleTimeout(f"took longer than its {seconds:g} s budget")


@contextmanager
def deadline(seconds: float | None, budget: float | None = None) -> Iterator[None]:
    """Raise ArticleTimeout inside the block once `seconds` have passed (the failure
    names `budget`, the article's whole budget, when this is what is left of it).

    A real-time alarm signal, so only in the main thread of a process where the
    platform has one (elsewhere the block runs without a limit). The alarm
    interrupts Python code, not a call inside C: it lands once spaCy's parser
    returns from the piece it is on (pieces of at most 10,000 characters).
    """
    if seconds is None or not alarm_usable(seconds):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise over_budget(seconds if budget is None else budget)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def alarm_usable(seconds: float | None) -> bool:
    """Whether deadline(seconds) can limit anything here (see deadline)."""
    return (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


def process(
    docs: Iterable[RawDocument | ReadError],
    batch_size: int = BATCH_SIZE,
    *,
    stages: Stages = FULL,
    article_timeout: float | None = None,
    resources: Resources | None = None,
) -> Iterator[Result]:
    """Yield one Record or Failure per input item, in input order: read_paths' output
    goes in as it is, a ReadError comes out as a Failure.

    article_timeout: seconds each article's extraction may take before it becomes
    a failure ("extract failed: ArticleTimeout: ..."); None for no limit.
    resources: the pipeline and models (default: the shipped ones, loaded once).
    """
    res = resources or Resources.shipped()
    for batch in batched(docs, batch_size):
        yield from _process_batch(batch, stages, article_timeout, res)


def _refused(raw: RawDocument) -> Failure | None:
    """A Failure for a document refused before any parsing, by size or quote marks
    (the readers refuse an oversized text already; this guards other callers)."""
    if reason := too_large(raw.text):
        return Failure(path=raw.path, reason=READ_FAILED + reason, input_id=raw.id)
    try:
        check_quote_marks(raw.text)
    except TooManyQuoteMarks as exc:
        return _failure(raw, "extract", exc)
    return None


def _process_batch(
    batch: list[RawDocument | ReadError],
    stages: Stages,
    article_timeout: float | None,
    resources: Resources,
) -> Iterator[Result]:
    if article_timeout is not None and alarm_usable(article_timeout):
        yield from _process_timed_batch(batch, stages, article_timeout, resources)
        return
    articles: list[Article | Failure] = []
    for raw in batch:
        if isinstance(raw, ReadError):
            articles.append(read_failure(raw))
            continue
        if refused := _refused(raw):
            articles.append(refused)
            continue
        try:
            articles.append(parse_article(raw))
        except Exception as exc:  # one article never stops the batch
            articles.append(_failure(raw, "parse", exc))
    parsed = [a for a in articles if isinstance(a, Article)]
    texts = [a.text for a in parsed]
    nlp, rules = resources.nlp, resources.array_rules
    docs = iter(parse_many(texts, len(texts), nlp=nlp, rules=rules) if texts else ())
    for item in articles:
        if isinstance(item, Failure):
            yield item
            continue
        doc = next(docs)
        try:
            record = build_record(item, doc, stages=stages, resources=resources)
        except Exception as exc:  # one article never stops the batch
            yield _failure(item.raw, "extract", exc)
            continue
        yield record


# Short articles are parsed together up to this many characters under a time budget:
# one nlp.pipe call over them all (nlp/parse.py), so the budget is read on the clock
# after at most one such call; a call per article cost a tenth more CPU.
TIMED_GROUP_CHARS = GROUP_CHARS


def _process_timed_batch(
    batch: list[RawDocument | ReadError], stages: Stages, seconds: float, resources: Resources
) -> Iterator[Result]:
    """Each article under its own time budget, short ones parsed by spaCy together.

    A group's parse is charged in full to each of its articles (no article gets more
    than its budget); if the group's parse fails or runs out of time, each of its
    articles runs again alone, so only the one at fault fails."""
    group: list[tuple[RawDocument, Article, float]] = []
    size = 0
    for raw in batch:
        if isinstance(raw, ReadError):
            item: Result | tuple[RawDocument, Article, float] = read_failure(raw)
        elif len(raw.text) > TIMED_GROUP_CHARS:  # its pieces are timed one by one
            item = _process_timed(raw, stages, seconds, resources)
        else:
            item = _read_timed(raw, seconds)
        if not isinstance(item, tuple):  # a failure, or a long text's result: in order
            yield from _timed_group(group, stages, seconds, resources)
            group, size = [], 0
            yield item
            continue
        if group and size + len(item[1].text) > TIMED_GROUP_CHARS:
            yield from _timed_group(group, stages, seconds, resources)
            group, size = [], 0
        group.append(item)
        size += len(item[1].text)
    yield from _timed_group(group, stages, seconds, resources)


def _read_timed(raw: RawDocument, seconds: float) -> Failure | tuple[RawDocument, Article, float]:
    """The article parser's result under the budget, with the seconds it took."""
    if refused := _refused(raw):
        return refused
    start = time.monotonic()
    try:
        with deadline(seconds):
            article = parse_article(raw)
    except Exception as exc:  # one article never stops the batch
        return _failure(raw, "parse", exc)
    return raw, article, time.monotonic() - start


def _timed_group(
    group: list[tuple[RawDocument, Article, float]],
    stages: Stages,
    seconds: float,
    resources: Resources,
) -> Iterator[Result]:
    if not group:
        return
    start = time.monotonic()
    left = seconds - max(spent for _, _, spent in group)  # the budget its tightest article has
    end = start + left

    def in_budget() -> None:
        # The alarm's exception can be swallowed where Python ignores errors (a gc
        # callback, a __del__): the clock, read between spaCy's pieces, cannot be.
        if time.monotonic() > end:
            raise over_budget(seconds)

    texts = [article.text for _, article, _ in group]
    nlp, rules = resources.nlp, resources.array_rules
    try:
        if left <= 0:
            raise over_budget(seconds)
        with deadline(left, budget=seconds):
            docs = list(parse_many(texts, len(texts), nlp=nlp, rules=rules, between=in_budget))
    except Exception as exc:  # one article never stops the batch
        if len(group) == 1:
            yield _failure(group[0][0], "extract", exc)
            return
        # Each alone again, under its own budget: only the one at fault fails.
        for raw, _, _ in group:
            yield _process_timed(raw, stages, seconds, resources)
        return
    parsed = time.monotonic() - start
    for (raw, article, spent), doc in zip(group, docs, strict=True):
        yield _build_timed(raw, article, doc, seconds, seconds - spent - parsed, stages, resources)


def _build_timed(
    raw: RawDocument,
    article: Article,
    doc: Doc,
    seconds: float,
    left: float,
    stages: Stages,
    resources: Resources,
) -> Result:
    """build_record in the `left` seconds of an article's budget of `seconds`."""
    try:
        if left <= 0:
            raise over_budget(seconds)
        with deadline(left, budget=seconds):
            return build_record(article, doc, stages=stages, resources=resources)
    except Exception as exc:  # one article never stops the batch
        return _failure(raw, "extract", exc)


def _process_timed(
    raw: RawDocument | ReadError, stages: Stages, seconds: float, resources: Resources
) -> Result:
    """One article under its time budget, from the article parser through spaCy's
    parse to the record: the alarm lands between the pieces spaCy parses one by one
    (nlp/parse.py cuts a text into pieces of at most 10,000 characters), so a
    long text no longer runs for minutes before the budget is looked at."""
    if isinstance(raw, ReadError):
        return read_failure(raw)
    if refused := _refused(raw):
        return refused
    stage = "parse"
    end = time.monotonic() + seconds

    def in_budget() -> None:
        # The alarm's exception can be swallowed where Python ignores errors (a gc
        # callback, a __del__): the clock, read between spaCy's pieces, cannot be.
        if time.monotonic() > end:
            raise over_budget(seconds)

    try:
        with deadline(seconds):
            article = parse_article(raw)
            stage = "extract"
            nlp, rules = resources.nlp, resources.array_rules
            (doc,) = parse_many(
                [article.text], batch_size=1, nlp=nlp, rules=rules, between=in_budget
            )
            in_budget()
            return build_record(article, doc, stages=stages, resources=resources)
    except Exception as exc:  # one article never stops the batch
        return _failure(raw, stage, exc)


def process_one(
    raw: RawDocument, *, stages: Stages = FULL, resources: Resources | None = None
) -> Record:
    """Process a single document, raising on failure (library convenience)."""
    (result,) = list(process([raw], stages=stages, resources=resources))
    if isinstance(result, Failure):
        raise ExtractError(f"{result.path}: {result.reason}")
    return result


def extract_text(
    text: str,
    path: str = "<string>",
    *,
    stages: Stages = FULL,
    resources: Resources | None = None,
) -> Record:
    """The whole pipeline (or the `stages` chosen) over a string of wire text."""
    raw = RawDocument(text=text, path=path, format="text")
    return process_one(raw, stages=stages, resources=resources)
