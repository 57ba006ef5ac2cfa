"""Readers: formats, decodings and bad inputs, one behaviour per test."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from wirescope.reading import read
from wirescope.reading.decode import decode_bytes
from wirescope.reading.read import read_paths, read_stdin, sniff_format
from wirescope.record.models import RawDocument, ReadError

WIRE = (
    "2021-March-1\u00a0\u00a016:17\n\nHeadline Here\n\n"
    "TEHRAN (FNA)- Body \u201cquoted\u201d text.\n"
)


def read_all(*paths: Path | str) -> list[RawDocument | ReadError]:
    return list(read_paths([str(p) for p in paths]))


def one_doc(path: Path) -> RawDocument:
    (item,) = read_all(path)
    assert isinstance(item, RawDocument), item
    return item


def one_error(path: Path) -> ReadError:
    (item,) = read_all(path)
    assert isinstance(item, ReadError), item
    return item


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- plain text + decodings


def test_utf8_text_is_kept_exactly(tmp_path: Path) -> None:
    doc = one_doc(write(tmp_path, "a.txt", WIRE.encode()))
    assert doc.text == WIRE
    assert (doc.format, doc.encoding, doc.path) == ("text", "utf-8", str(tmp_path / "a.txt"))


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    doc = one_doc(write(tmp_path, "a.txt", b"\xef\xbb\xbf" + WIRE.encode()))
    assert doc.text == WIRE
    assert doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    bom = "\ufeff".encode(codec)
    doc = one_doc(write(tmp_path, "a.txt", bom + WIRE.encode(codec)))
    assert doc.text == WIRE
    assert doc.encoding == "utf-16"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected_by_nul_pattern(tmp_path: Path, codec: str) -> None:
    doc = one_doc(write(tmp_path, "a.txt", WIRE.encode(codec)))
    assert doc.text == WIRE
    assert doc.encoding == codec


def test_cp1252_detected_from_smart_quotes(tmp_path: Path) -> None:
    text = "He said \u201cno\u201d \u2014 twice.\n"
    doc = one_doc(write(tmp_path, "a.txt", text.encode("cp1252")))
    assert doc.text == text
    assert doc.encoding == "cp1252"


def test_latin1_when_no_c1_bytes(tmp_path: Path) -> None:
    text = "Caf\u00e9 in S\u00e3o Paulo, se\u00f1or.\n"
    doc = one_doc(write(tmp_path, "a.txt", text.encode("latin-1")))
    assert doc.text == text
    assert doc.encoding == "latin-1"


def test_bytes_undefined_in_cp1252_are_undecodable(tmp_path: Path) -> None:
    err = one_error(write(tmp_path, "a.txt", b"abc \x81\x8d def \xe9\n"))
    assert err.reason.startswith("undecodable bytes")
    assert "0x81" in err.reason


def test_broken_utf8_is_not_mangled_into_cp1252(tmp_path: Path) -> None:
    data = "Caf\u00e9 \u2014 na\u00efve \u201cquote\u201d ".encode() + b"\xff bad\n"
    err = one_error(write(tmp_path, "a.txt", data))
    assert err.reason.startswith("undecodable bytes: invalid UTF-8 at byte")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(b"a\r\nb\r\n", "a\nb\n"), (b"a\rb\r", "a\nb\n"), (b"a\r\n\r\nb", "a\n\nb")],
)
def test_newlines_are_normalized(tmp_path: Path, raw: bytes, expected: str) -> None:
    assert one_doc(write(tmp_path, "a.txt", raw)).text == expected


def test_decode_bytes_reports_encoding() -> None:
    assert decode_bytes(b"plain") == ("plain", "utf-8")


def test_unknown_extension_that_decodes_is_text(tmp_path: Path) -> None:
    doc = one_doc(write(tmp_path, "article.wire", WIRE.encode()))
    assert doc.format == "text"
    assert doc.text == WIRE


# ---------------------------------------------------------------- bad inputs


def test_missing_file(tmp_path: Path) -> None:
    err = one_error(tmp_path / "nope.txt")
    assert err.reason == "no such file or directory"
    assert err.path == str(tmp_path / "nope.txt")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied(tmp_path: Path) -> None:
    p = write(tmp_path, "secret.txt", b"text")
    p.chmod(0)
    try:
        assert one_error(p).reason == "permission denied"
    finally:
        p.chmod(0o644)


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write(tmp_path, "a.txt", b"text")

    def deny(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", deny)  # the reader opens with os.open (no FIFO waits)
    assert one_error(p).reason == "permission denied"


def test_empty_file(tmp_path: Path) -> None:
    assert one_error(write(tmp_path, "a.txt", b"")).reason == "empty file"


def test_whitespace_only_file_has_no_text(tmp_path: Path) -> None:
    assert one_error(write(tmp_path, "a.txt", b" \n\t\n\xc2\xa0\n")).reason == "no text"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        b"\x1f\x8b\x08\x00" + bytes(range(1, 200)),
        b"text\x00with\x00nul bytes here and there\x00\x01\x02",
        bytes(range(1, 9)) * 200,
    ],
    ids=["png", "gzip", "nuls", "control-chars"],
)
def test_binary_file(tmp_path: Path, data: bytes) -> None:
    assert one_error(write(tmp_path, "a.txt", data)).reason == "binary file, not text"


def test_huge_file_is_refused_quickly_without_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: no 100 MB actually written
    start = time.perf_counter()
    err = one_error(p)
    assert err.reason == "file too large (100.0 MB > 20 MB limit)"
    assert time.perf_counter() - start < 1.0


def test_size_cap_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 10)
    err = one_error(write(tmp_path, "a.txt", b"x" * 2 * 1024 * 1024))
    assert err.reason.startswith("file too large (2.0 MB >")


# ---------------------------------------------------------------- HTML


HTML = """<!DOCTYPE html><html><head><title>Minister Visits Port</title></head>
<body><nav>Home | World | Sport</nav><article><h1>Minister Visits Port</h1>
<p>TEHRAN (FNA)- The minister visited the southern port on Monday and spoke to
workers about the new cranes that arrived from abroad last month.</p>
<p>\u201cThe port will double its capacity within two years,\u201d he said, adding
that more investment would follow in the coming months for the region.</p>
<p>The official said that exports through the port rose sharply this year.</p>
</article><footer>Copyright notice and links</footer></body></html>"""


def test_html_main_text_and_title(tmp_path: Path) -> None:
    doc = one_doc(write(tmp_path, "a.html", HTML.encode()))
    assert doc.format == "html"
    assert "The port will double its capacity" in doc.text
    assert "Copyright notice" not in doc.text
    assert doc.meta["title"] == "Minister Visits Port"


def test_html_sniffed_for_unknown_extension(tmp_path: Path) -> None:
    doc = one_doc(write(tmp_path, "page.php", HTML.encode()))
    assert doc.format == "html"


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    err = one_error(write(tmp_path, "a.htm", b"<html><body><script>x=1</script></body></html>"))
    assert err.reason == "no text"


# ---------------------------------------------------------------- JSONL / JSON


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_jsonl_one_document_per_line(tmp_path: Path) -> None:
    rec = {"id": "a1", "text": "Line one.\r\nLine two.", "meta": {"title": "T"}, "lang": "en"}
    items = read_all(write(tmp_path, "c.jsonl", jsonl(rec, {"id": 7, "text": "Second."})))
    first, second = items
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.text == "Line one.\r\nLine two."  # record text kept exactly
    assert (first.id, first.format) == ("a1", "jsonl")
    assert first.meta["lang"] == "en"
    assert first.meta["title"] == "T"  # nested meta is lifted
    assert first.meta["line"] == 1
    assert second.id == "7"


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    good = jsonl({"id": "a", "text": "One."}), jsonl({"id": "c", "text": "Three."})
    data = good[0] + b"{not json\n" + good[1]
    p = write(tmp_path, "c.jsonl", data)
    items = read_all(p)
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError", "RawDocument"]
    err = items[1]
    assert isinstance(err, ReadError)
    assert err.path == f"{p}:line 2"
    assert err.reason.startswith("invalid JSON")


@pytest.mark.parametrize(
    ("record", "reason"),
    [({"id": "x"}, "no 'text' string field"), ({"text": "  "}, "no text"), ([1], "expected")],
)
def test_jsonl_record_errors(tmp_path: Path, record: object, reason: str) -> None:
    err = one_error(write(tmp_path, "c.jsonl", jsonl(record)))
    assert err.path.endswith(":line 1")
    assert err.reason.startswith(reason)


def test_jsonl_blank_lines_are_skipped(tmp_path: Path) -> None:
    items = read_all(write(tmp_path, "c.jsonl", b"\n" + jsonl({"text": "A."}) + b"\n\n"))
    assert len(items) == 1 and isinstance(items[0], RawDocument)


def test_jsonl_line_over_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    big = jsonl({"id": "big", "text": "x" * 500})
    p = write(tmp_path, "c.jsonl", jsonl({"text": "ok"}) + big + jsonl({"text": "after"}))
    items = read_all(p)
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError", "RawDocument"]
    assert isinstance(items[1], ReadError) and items[1].reason.startswith("line too large")
    assert isinstance(items[2], RawDocument) and items[2].text == "after"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\n \n", "no records"),
        (b"\x1f\x8b\x08\x00\x00", "binary file, not text"),
    ],
)
def test_jsonl_whole_file_errors(tmp_path: Path, data: bytes, reason: str) -> None:
    assert one_error(write(tmp_path, "c.jsonl", data)).reason == reason


def test_jsonl_utf16(tmp_path: Path) -> None:
    data = "\ufeff".encode("utf-16-le") + jsonl({"text": "A\u00e9."}).decode().encode("utf-16-le")
    doc = one_doc(write(tmp_path, "c.jsonl", data))
    assert doc.text == "A\u00e9."


def test_jsonl_with_bom(tmp_path: Path) -> None:
    doc = one_doc(write(tmp_path, "c.jsonl", b"\xef\xbb\xbf" + jsonl({"text": "A."})))
    assert doc.text == "A."


def test_jsonl_sniffed_for_unknown_extension(tmp_path: Path) -> None:
    items = read_all(write(tmp_path, "c.data", jsonl({"text": "A."}, {"text": "B."})))
    assert [getattr(i, "text", None) for i in items] == ["A.", "B."]


def test_json_file_with_a_list_of_records(tmp_path: Path) -> None:
    p = write(tmp_path, "c.json", json.dumps([{"text": "A."}, {"nope": 1}]).encode())
    ok, bad = read_all(p)
    assert isinstance(ok, RawDocument) and ok.text == "A."
    assert isinstance(bad, ReadError) and bad.path == f"{p}:record 2"


# ---------------------------------------------------------------- directories


def test_directory_recursive_sorted_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    write(tmp_path, "b.txt", b"B text")
    write(tmp_path / "sub", "a.txt", b"A text")
    write(tmp_path, "a.txt", b"top A")
    write(tmp_path, ".hidden.txt", b"hidden")
    write(tmp_path / ".git", "x.txt", b"hidden")
    write(tmp_path, "notes.md", b"skipped")
    write(tmp_path, "answers.gold.json", b'{"text": "skipped"}')
    texts = [getattr(i, "text", None) for i in read_all(tmp_path)]
    assert texts == ["top A", "B text", "A text"]


def test_directory_with_one_bad_file_among_good_ones(tmp_path: Path) -> None:
    write(tmp_path, "1.txt", b"good one")
    write(tmp_path, "2.txt", b"")
    write(tmp_path, "3.txt", b"good three")
    items = read_all(tmp_path)
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError", "RawDocument"]
    assert items[1] == ReadError(str(tmp_path / "2.txt"), "empty file")


def test_empty_directory(tmp_path: Path) -> None:
    err = one_error(tmp_path)
    assert err.reason.startswith("no article files in directory")


# ---------------------------------------------------------------- stdin


def stdin_items(data: bytes) -> list[RawDocument | ReadError]:
    return list(read_stdin(io.BytesIO(data)))


def test_stdin_text() -> None:
    (doc,) = stdin_items(WIRE.encode())
    assert isinstance(doc, RawDocument)
    assert (doc.text, doc.path, doc.format) == (WIRE, "<stdin>", "text")


def test_stdin_jsonl() -> None:
    items = stdin_items(jsonl({"id": "a", "text": "A."}) + b"oops\n" + jsonl({"text": "B."}))
    assert [type(i).__name__ for i in items] == ["RawDocument", "ReadError", "RawDocument"]
    assert isinstance(items[1], ReadError) and items[1].path == "<stdin>:line 2"


def test_stdin_html() -> None:
    (doc,) = stdin_items(HTML.encode())
    assert isinstance(doc, RawDocument) and doc.format == "html"


def test_stdin_empty() -> None:
    assert stdin_items(b"") == [ReadError("<stdin>", "empty input")]


def test_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(b"from stdin")

    monkeypatch.setattr("sys.stdin", FakeStdin())
    (doc,) = read_paths(["-"])
    assert isinstance(doc, RawDocument) and doc.text == "from stdin"


@pytest.mark.parametrize(
    ("data", "fmt"),
    [(b'{"text": "a"}\n', "jsonl"), (b"<!doctype html><p>x", "html"), (b"{ not json", "text")],
)
def test_sniff_format(data: bytes, fmt: str) -> None:
    assert sniff_format(data) == fmt
