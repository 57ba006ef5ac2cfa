"""Bytes to text: byte-order marks, UTF-16 without one, the encoding an HTML or XML
page declares, legacy 8-bit encodings told apart, binary refused, newlines made one.

Every problem is a ReadFailure with a one-line reason (reading/read.py turns it into a
ReadError).
"""

from __future__ import annotations

import codecs
import re
from collections import Counter

from wirescope.errors import ReadFailure

# Magic numbers of common binary formats that may lack NULs in their first bytes.
_MAGIC = (
    b"\x89PNG",
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"\x7fELF",
)
# cp1252 leaves these five bytes undefined; latin-1 maps them to C1 controls.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?")
SNIFF_BYTES = 8192


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the NUL pattern says so (mostly-ASCII UTF-16)."""
    sample = data[:SNIFF_BYTES]
    if len(sample) < 4 or len(sample) % 2:
        return None
    half = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return _utf16_one_script(sample)


def _utf16_one_script(sample: bytes) -> str | None:
    """UTF-16 without BOM in one non-Latin alphabet (Cyrillic, Greek, Arabic...):
    few NULs (only spaces and punctuation have a zero high byte), but the high
    bytes take two or three values (0x04 and 0x00 for Russian) while the low ones
    vary. Accepted when it then decodes to printable text."""
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        counts = Counter(high)
        top = sum(n for _, n in counts.most_common(3))
        if top < 0.95 * len(high) or 0 not in counts or len(counts) < 2:
            continue
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        shown = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
        if shown >= 0.98 * len(text) and sum(ch.isalpha() for ch in text) > 0.5 * len(text):
            return enc
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:SNIFF_BYTES]
    return sample.startswith(_MAGIC) or b"\x00" in sample


def _legacy_encoding(data: bytes, err: UnicodeDecodeError, offset: int = 0) -> str:
    """The 8-bit or East Asian encoding of bytes that are not UTF-8; raise if no
    decoding is honest. `offset`: where `data` starts in the file (after a
    byte-order mark), so that the byte blamed is the file's, not one inside a valid
    character before it."""
    high = sum(1 for b in data if b >= 0x80)
    utf8_bytes = sum(len(m.group()) for m in _UTF8_MULTIBYTE.finditer(data))
    # Mostly valid UTF-8 sequences with a few bad bytes is broken UTF-8: decoding it
    # as cp1252 would turn every accent into mojibake, so refuse instead.
    if utf8_bytes * 2 > high:
        raise ReadFailure(
            f"undecodable bytes: invalid UTF-8 at byte {err.start + offset}"
            f" (0x{data[err.start]:02X})"
        )
    other = _other_alphabet(data)
    if other is not None:
        return other
    return _western_encoding(data)


# Detection is trusted for another alphabet when its text reads as a language this
# much (charset-normalizer's coherence, 0-1: real Russian, Arabic, Greek prose scores
# 0.5-0.8, the wrong Cyrillic code page of it near 0) with no mess in it.
_SURE_COHERENCE = 0.2
_SURE_CHAOS = 0.1
# Three letters in a row outside ASCII: Cyrillic or Arabic read as latin-1 ("ÌÎÑÊÂÀ"),
# rare in Western text, whose accents sit one by one inside ASCII words ("São").
_MULTIBYTE = frozenset(
    {"cp932", "shift_jis", "euc_jp", "iso2022_jp", "gb18030", "gb2312", "gbk", "big5",
     "big5hkscs", "cp950", "euc_kr", "cp949", "johab"}
)  # fmt: skip
_MOJIBAKE_RUN = re.compile(r"[^\W\d_\x00-\x7f]{3}")


def _other_alphabet(data: bytes) -> str | None:
    """The encoding of text in an alphabet other than Latin (charset-normalizer's
    best guess, when it is sure); None for Latin text. ReadFailure when the bytes
    look like another alphabet but the guess is unsure."""
    from charset_normalizer import from_bytes  # imported here: it loads tables

    best = from_bytes(data).best()
    western = data.decode("latin-1")
    if best is not None and not _latin_letters(str(best)):
        # Multi-byte East Asian encodings rarely decode by chance; their coherence is
        # not measured (always 0), so a text without mess in them is taken.
        coherent = best.coherence >= _SURE_COHERENCE or best.encoding in _MULTIBYTE
        if coherent and best.chaos <= _SURE_CHAOS:
            return str(codecs.lookup(best.encoding).name)
    if not _MOJIBAKE_RUN.search(western):
        return None  # reads as Western text: cp1252 or latin-1 decide
    guess = f" (perhaps {best.encoding}, {best.language})" if best is not None else ""
    raise ReadFailure(
        "undecodable bytes: not UTF-8, and its legacy encoding cannot be told for sure"
        f"{guess}; convert it to UTF-8, or declare it (<meta charset>)"
    )


def _latin_letters(text: str) -> bool:
    """Whether the letters outside ASCII in `text` are (nearly) all Latin ones."""
    import unicodedata

    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    if not letters:
        return True
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    return latin >= 0.9 * len(letters)


def _western_encoding(data: bytes) -> str:
    """cp1252 or latin-1 for Western European bytes; raise if neither is honest."""
    c1 = {b for b in data if 0x80 <= b <= 0x9F}
    if not c1:
        return "latin-1"
    bad = c1 & _CP1252_UNDEFINED
    if bad:
        pos = min(data.index(bytes([b])) for b in bad)
        raise ReadFailure(
            f"undecodable bytes: not UTF-8, and byte 0x{data[pos]:02X} at {pos} is not valid cp1252"
        )
    return "cp1252"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole source to (text, encoding); raise ReadFailure if not honest text
    (decode_source says how the encoding was decided too)."""
    text, encoding, _ = decode_source(data)
    return text, encoding


# How a source's encoding was decided (the record's source.encoding_from).
BY_BOM, BY_DECLARATION, BY_UTF8, BY_DETECTION = "bom", "declared", "utf-8", "detected"

# <meta charset=...>, <meta http-equiv="Content-Type" content="...; charset=...">, and
# <?xml ... encoding="..."?>: where a page names its encoding (in its first bytes).
_DECLARED = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{2,40})"
    rb"|<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{2,40})",
    re.I,
)
_DECLARATION_BYTES = 4096
# Declared names that mean "Western European, 8 bits": decided as undeclared text is
# (cp1252 when its bytes fit, else latin-1), as browsers read iso-8859-1 as cp1252.
_LATIN_FAMILY = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252", "iso8859-15"})


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML or XML source declares in its first bytes (a Python codec
    name), or None: no declaration, an unknown name, or one of UTF-16/32 (an 8-bit
    page that says so is wrong; real UTF-16 is recognized from its bytes)."""
    m = _DECLARED.search(data, 0, _DECLARATION_BYTES)
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def decode_source(data: bytes) -> tuple[str, str, str]:
    """(text, encoding, how it was decided) of a whole source; ReadFailure if it is
    not honest text.

    In this order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one,
    from its NUL pattern; the encoding an HTML/XML page declares (`<meta charset>`,
    `http-equiv`, `<?xml encoding?>`), unless the bytes are UTF-8 with non-ASCII
    characters (a page saved as UTF-8 keeps its old declaration); UTF-8; else a
    legacy encoding detected by charset-normalizer when the text is in another
    alphabet (Cyrillic, Arabic, Greek, CJK...) and the detector is sure, else
    cp1252 when bytes 0x80-0x9F are all defined there, else latin-1. Where a
    non-Latin text cannot be told apart for sure, the source fails: a guess would
    store mojibake with exit 0.
    """
    if not data:
        raise ReadFailure("empty file")
    encoding: str | None = None
    body = data
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = utf16_without_bom(data)
    if encoding in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        try:
            wide = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ReadFailure(
                f"undecodable bytes: invalid {encoding} at byte {exc.start}"
            ) from None
        wide = wide.removeprefix("\ufeff")
        if "\x00" in wide:
            raise ReadFailure("binary file, not text")
        how = BY_BOM if encoding in ("utf-16", "utf-32") else BY_DETECTION
        return _check_controls(wide), encoding, how
    if looks_binary(body):
        raise ReadFailure("binary file, not text")
    if encoding == "utf-8-sig":
        try:
            return _check_controls(body.decode("utf-8")), encoding, BY_BOM
        except UnicodeDecodeError as exc:
            legacy = _legacy_encoding(body, exc, len(data) - len(body))
            return _check_controls(body.decode(legacy)), legacy, BY_DETECTION
    declared = declared_encoding(body)
    try:
        text: str | None = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        text, utf8_error = None, exc
    if text is not None and (declared in (None, "utf-8", *_LATIN_FAMILY) or not text.isascii()):
        how = BY_DECLARATION if declared == "utf-8" else BY_UTF8
        return _check_controls(text), "utf-8", how
    if declared is not None and declared != "utf-8" and declared not in _LATIN_FAMILY:
        # (ASCII-only bytes land here too: ISO-2022-JP, say, is 7-bit)
        try:
            return _check_controls(body.decode(declared)), declared, BY_DECLARATION
        except UnicodeDecodeError as exc:
            raise ReadFailure(
                f"undecodable bytes: the page declares {declared}, but byte {exc.start}"
                f" (0x{body[exc.start]:02X}) is not valid there"
            ) from None
    legacy = _legacy_encoding(body, utf8_error, len(data) - len(body))
    latin = legacy in ("cp1252", "latin-1")
    how = BY_DECLARATION if latin and declared in _LATIN_FAMILY else BY_DETECTION
    return _check_controls(body.decode(legacy)), legacy, how


def _check_controls(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise ReadFailure("binary file, not text")
    return text


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` -> ``\\n``."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text
