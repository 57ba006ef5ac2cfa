"""Property tests over the readers, the article parser and the quote finder:
random Unicode, quotation-mark soups, long lines, nested HTML and random bytes
give a document or a named failure, never an exception, and every span indexes
the text. Fixed seed (derandomize) and bounded examples, so CI runs the same
cases every time."""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirescope.extract.quotes import extract_quotes, find_pieces
from wirescope.nlp.parse import parse_many
from wirescope.reading.article import parse_article, split_paragraphs
from wirescope.reading.decode import decode_bytes
from wirescope.reading.read import read_stdin
from wirescope.record.models import RawDocument, ReadError


def fixed(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


MARKS = "\u201c\u201d\u201e\u00ab\u00bb\"'\u2018\u2019"
soup = st.text(alphabet=MARKS + " \nab.,:", max_size=300)
unicode_text = st.text(max_size=400)  # any code point, lone surrogates included
WORDS = ["He", "said", "the", "minister", "told", "that", "\u201c", "\u201d", '"', ","]
WORDS += [".", "\n", "Ali", "according", "to", "added:"]
wire_words = st.lists(st.sampled_from(WORDS), max_size=120).map(" ".join)


def _outcomes(data: bytes) -> list[RawDocument | ReadError]:
    items = list(read_stdin(io.BytesIO(data)))
    assert items, "an input vanished: neither a document nor a failure"
    for item in items:
        if isinstance(item, RawDocument):
            item.text.encode("utf-8")  # storable: no lone surrogates
            assert "\x00" not in item.text
        else:
            assert item.reason and "\n" not in item.reason
    return items


@fixed(300)
@given(st.binary(max_size=2000))
def test_random_bytes_give_a_document_or_a_named_failure(data: bytes) -> None:
    _outcomes(data)


@fixed(200)
@given(unicode_text, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
def test_random_unicode_in_any_encoding(text: str, encoding: str) -> None:
    _outcomes(text.encode(encoding, "replace"))


@fixed(150)
@given(st.lists(st.one_of(unicode_text, st.integers(), st.none()), min_size=1, max_size=4))
def test_jsonl_records_with_odd_texts_and_ids(values: list[object]) -> None:
    lines = [json.dumps({"id": v if i % 2 else "same", "text": v}) for i, v in enumerate(values)]
    items = _outcomes(("\n".join(lines) + "\n").encode())
    ids = [i.id for i in items if isinstance(i, RawDocument) and i.id is not None]
    assert len(ids) == len(set(ids))  # a duplicate id is a failure, never two records


@fixed(60)
@given(st.integers(1, 3000), st.text(alphabet="abc \u201c\u201d", min_size=1, max_size=80))
def test_nested_html_keeps_its_paragraph(depth: int, words: str) -> None:
    body = f"The minister spoke {words} to reporters at the port today."
    html = f"<html><body>{'<div>' * depth}<p>{body}</p>{'</div>' * depth}</body></html>"
    (item,) = _outcomes(html.encode())
    assert isinstance(item, RawDocument), item
    assert "The minister spoke" in item.text


@fixed(300)
@given(st.one_of(unicode_text, soup, wire_words))
def test_article_parser_spans_index_the_text(text: str) -> None:
    article = parse_article(RawDocument(text=text, path="<fuzz>", format="text"))
    n = len(text)
    for s, e in article.paragraphs:
        assert 0 <= s <= e <= n
    if article.headline_span:
        s, e = article.headline_span
        assert 0 <= s <= e <= n
    assert 0 <= article.body_span[0] <= article.body_span[1] <= n


@fixed(300)
@given(soup)
def test_quote_pieces_lie_inside_their_marks(text: str) -> None:
    paras = split_paragraphs(text)
    for p in find_pieces(text, paras):
        assert 0 <= p.open_at <= p.start <= p.end <= len(text)
        assert p.continues_prev or p.open_at < p.start  # a continuation has no opening mark
        if p.close_at is not None:
            assert p.end <= p.close_at


@fixed(80)
@given(st.one_of(soup, wire_words, st.text(alphabet=MARKS + "x ", min_size=2000, max_size=6000)))
def test_quote_finder_on_soups_and_long_lines(text: str) -> None:
    if not text.strip():
        return
    article = parse_article(RawDocument(text=text, path="<fuzz>", format="text"))
    (doc,) = parse_many([article.text])
    for q in extract_quotes(article, doc):
        assert q.text == text[q.span[0] : q.span[1]]
        if q.speaker is not None:
            assert q.speaker.text == text[q.speaker.span[0] : q.speaker.span[1]]


def test_decode_never_raises_anything_but_a_read_failure() -> None:
    """A sweep the property tests cannot reach by chance: every single byte."""
    from wirescope.reading.read import ReadFailure

    for b in range(256):
        for data in (bytes([b]) * 3, b"ok " + bytes([b]) + b" text"):
            try:
                text, _ = decode_bytes(data)
            except ReadFailure:
                continue
            assert isinstance(text, str)
