"""Issue 21, the readers' share: legacy encodings decoded right or refused (never
mangled), declarations honoured, XML-declared pages keep their metadata, JSON nesting
bounded, duplicate keys named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirescope.reading import safejson
from wirescope.reading.decode import decode_source
from wirescope.reading.htmlmeta import html_metadata
from wirescope.reading.read import read_paths
from wirescope.record.models import RawDocument, ReadError

RUSSIAN = (
    "МОСКВА, 14 февраля. Министр иностранных дел заявил журналистам, что переговоры"
    " о новом договоре продолжатся на следующей неделе в Женеве.\n"
)
ARABIC = (
    "طهران، 14 فبراير - قال وزير الخارجية إن المحادثات ستستمر الأسبوع المقبل."
    " وأضاف أن الحكومة مستعدة للحوار مع جميع الأطراف.\n"
)


def _read(path: Path) -> RawDocument | ReadError:
    (item,) = read_paths([str(path)])
    return item


# -- 4. legacy encodings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codec"), [(RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (ARABIC, "cp1256")]
)
def test_a_legacy_encoded_text_is_detected_and_decoded_right(
    tmp_path: Path, text: str, codec: str
) -> None:
    """cp1251, KOI8-R and cp1256 text was decoded as latin-1 with exit 0 ("ÌÎÑÊÂÀ")."""
    src = tmp_path / "a.txt"
    src.write_bytes(text.encode(codec))
    doc = _read(src)
    assert isinstance(doc, RawDocument), doc
    assert doc.text == text
    assert (doc.encoding, doc.encoding_from) == (codec, "detected")


@pytest.mark.parametrize("codec", ["cp1251", "koi8-r"])
def test_a_legacy_text_too_short_to_tell_fails_clearly(tmp_path: Path, codec: str) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes("МОСКВА, 14 февраля\n".encode(codec))
    err = _read(src)
    assert isinstance(err, ReadError), err
    assert "cannot be told for sure" in err.reason


def test_a_latin_text_with_a_word_in_another_alphabet_fails_rather_than_mangles(
    tmp_path: Path,
) -> None:
    src = tmp_path / "a.txt"
    src.write_bytes("MOSCOW (TASS) - The daily Izvestia (Известия) said so.\n".encode("cp1251"))
    err = _read(src)
    assert isinstance(err, ReadError) and "cannot be told for sure" in err.reason


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1251">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    ],
)
def test_an_html_charset_declaration_is_honoured(tmp_path: Path, head: str) -> None:
    """An HTML page's <meta charset="windows-1251"> was ignored."""
    page = f"<html><head>{head}</head><body><p>{RUSSIAN}</p></body></html>"
    src = tmp_path / "p.html"
    src.write_bytes(page.encode("cp1251"))
    doc = _read(src)
    assert isinstance(doc, RawDocument), doc
    assert "переговоры" in doc.text
    assert (doc.encoding, doc.encoding_from) == ("cp1251", "declared")


def test_a_page_saved_as_utf8_keeps_utf8_despite_an_old_declaration() -> None:
    page = f'<html><head><meta charset="koi8-r"></head><body><p>{RUSSIAN}</p></body></html>'
    text, encoding, how = decode_source(page.encode("utf-8"))
    assert RUSSIAN in text and (encoding, how) == ("utf-8", "utf-8")


def test_a_declared_encoding_the_bytes_do_not_fit_is_a_clear_failure() -> None:
    from wirescope.errors import ReadFailure

    page = '<html><head><meta charset="shift_jis"></head><body><p>\xff\xff</p></body></html>'
    with pytest.raises(ReadFailure, match="declares shift_jis"):
        decode_source(page.encode("latin-1"))


def test_western_legacy_text_keeps_its_encoding_and_says_how() -> None:
    text = "He said \u201cno\u201d \u2014 twice, in S\u00e3o Paulo.\n"
    assert decode_source(text.encode("cp1252"))[1:] == ("cp1252", "detected")
    assert decode_source(b"\xef\xbb\xbfplain\n")[1:] == ("utf-8-sig", "bom")
    assert decode_source(b"plain\n")[1:] == ("utf-8", "utf-8")


# -- 5. an XML declaration ---------------------------------------------------------

XML_PAGE = """<?xml version="1.0" encoding="{codec}"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta property="article:published_time" content="2023-02-14T10:30:00+03:00"/>
<meta name="author" content="Ivan Petrov"/></head>
<body><p>{body}</p></body></html>"""


@pytest.mark.parametrize(
    ("codec", "body"), [("utf-8", "The minister spoke."), ("windows-1251", RUSSIAN)]
)
def test_an_xml_declared_page_keeps_its_published_time(
    tmp_path: Path, codec: str, body: str
) -> None:
    """lxml refused a str carrying an encoding declaration; the error was swallowed
    and the page lost its published time and zone."""
    src = tmp_path / "p.xhtml"
    src.write_bytes(XML_PAGE.format(codec=codec, body=body).encode(codec))
    doc = _read(src)
    assert isinstance(doc, RawDocument), doc
    assert doc.meta["published"] == "2023-02-14T10:30:00+03:00"
    assert html_metadata(XML_PAGE.format(codec=codec, body=body))["author"] == "Ivan Petrov"


# -- 1 and 8. JSON ----------------------------------------------------------------


def test_nesting_is_measured_before_parsing_and_strings_do_not_count() -> None:
    assert safejson.json_depth('{"a": [[1], {"b": "[[[[{{{{"}]}') == 3
    assert safejson.loads('{"t": "' + "[" * 500 + '"}')[0] == {"t": "[" * 500}
    with pytest.raises(ValueError, match="nested 1000 levels deep"):
        safejson.loads("[" * 1000 + "]" * 1000)
    with pytest.raises(ValueError):  # unclosed, still refused before the parser recurses
        safejson.loads("[" * 100_000)


def test_a_duplicate_key_is_read_and_named(tmp_path: Path) -> None:
    """Duplicate keys in one JSON object silently took the last."""
    src = tmp_path / "a.jsonl"
    src.write_text('{"id": "a", "text": "First.", "text": "Second."}\n', encoding="utf-8")
    doc = _read(src)
    assert isinstance(doc, RawDocument)
    assert doc.text == "Second." and doc.meta["duplicate_keys"] == ["text"]
    assert safejson.loads(json.dumps({"a": 1}))[1] == []


def test_a_jsonl_first_record_longer_than_the_sniffing_window_is_still_jsonl() -> None:
    """Found by the grown fuzz campaign: on stdin, a first record over 8 KB was cut at
    the sniffing window, was no JSON there, and the whole input became one text."""
    import io

    from wirescope.reading.read import read_stdin

    data = (json.dumps({"id": "long", "text": "word " * 5000}) + "\n").encode()
    (doc,) = read_stdin(io.BytesIO(data))
    assert isinstance(doc, RawDocument) and doc.id == "long" and doc.format == "jsonl"
