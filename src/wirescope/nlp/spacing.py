"""Odd spacing between words, parsed as a plain space.

Wire text carries tabs, no-break spaces, double spaces and zero-width spaces between
words. spaCy makes each such run a token of its own, and the tagger, parser and
entity recognizer, trained on single spaces, then misread the words around it
("Reza Mohammadkhani\u00a0said" loses its PERSON and its subject). A line holding such
a run is parsed with every run as one space; the Doc built from that parse is then
laid back over the line as written, each run a whitespace token attached to the
word before it (spaCy's own convention), so every offset into the text holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import cast

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.symbols import SPACE
from spacy.tokens import Doc
from thinc.types import Ints2d

# After a visible character: a run of whitespace that is not exactly one space (two
# spaces, a tab, a no-break space), or that holds an invisible character (zero-width
# space, word joiner, BOM).
_ODD = "\t\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
_RUN = re.compile(rf"(?<=\S)(?: (?=[ {_ODD}])|[{_ODD}])[ {_ODD}]*")
# One no-break space before a capital glues a title or a name together: left as
# written (what breaks the parse is one before a verb: "Ruiz\u00a0said").
_GLUE = ("\u00a0", "\u202f")
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
_H, _IOB, _TYPE = 5, 6, 7  # columns of HEAD, ENT_IOB, ENT_TYPE in _ATTRS


def odd_runs(line: str) -> list[tuple[int, int]]:
    """The spans of `line` parsed as one space: runs between visible characters."""
    out: list[tuple[int, int]] = []
    for m in _RUN.finditer(line):
        s, e = m.span()
        if e >= len(line) or line[e].isspace():
            continue  # before a line break: spaCy's way
        if m.group() in _GLUE and line[e].isupper():
            continue  # "Ayatollah\u00a0Alireza\u00a0Arafi": a name glued on purpose
        out.append((s, e))
    return out


def compact(line: str, runs: list[tuple[int, int]]) -> str:
    """`line` with each run made one space."""
    parts: list[str] = []
    at = 0
    for s, e in runs:
        parts.append(line[at:s])
        parts.append(" ")
        at = e
    parts.append(line[at:])
    return "".join(parts)


def restore(parsed: Doc, line: str, runs: list[tuple[int, int]]) -> Doc:
    """A Doc of `line` as written carrying the annotation of `parsed` (the parse of
    compact(line, runs)): each run becomes a whitespace token after its word."""
    # Offsets in the compact text -> offsets in the line: past each run, the line
    # is ahead by the run's length less one.
    shift = [0]
    for s, e in runs:
        shift.append(shift[-1] + e - s - 1)
    at = [s - shift[k] for k, (s, _) in enumerate(runs)]  # each run's place, compacted

    def to_line(pos: int) -> int:
        return pos + shift[bisect_right(at, pos)]

    words: list[str] = []
    spaces: list[bool] = []
    source: list[int] = []  # index in `parsed` of each token, -1 for an inserted run
    for tok in parsed:
        a = to_line(tok.idx)
        b = a + len(tok.text)
        words.append(line[a:b])
        source.append(tok.i)
        nxt = to_line(tok.idx + len(tok.text) + len(tok.whitespace_))
        gap = line[b:nxt]
        if gap in ("", " "):
            spaces.append(gap == " ")
        else:
            spaces.append(False)
            words.append(gap)
            spaces.append(False)
            source.append(-1)
    doc = Doc(parsed.vocab, words=words, spaces=spaces)
    arr = parsed.to_array(_ATTRS)
    heads = arr[:, _H].view("int64")  # HEAD is stored relative, negatives wrapped
    new_index = {old: new for new, old in enumerate(source) if old >= 0}
    out = np.zeros((len(words), len(_ATTRS)), dtype="uint64")
    strings = parsed.vocab.strings
    sp_tag, sp_dep = strings.add("_SP"), strings.add("dep")
    for new, old in enumerate(source):
        if old >= 0:
            out[new] = arr[old]
            out[new, _H] = np.int64(new_index[old + int(heads[old])] - new).view("uint64")
            continue
        following = source[new + 1] if new + 1 < len(source) else -1
        inside = following >= 0 and int(arr[following, _IOB]) == 1  # the entity goes on
        out[new, :_H] = [sp_tag, SPACE, 0, doc[new].orth, sp_dep]
        out[new, _H] = np.int64(-1).view("uint64")  # attached to the word before
        out[new, _IOB] = 1 if inside else 2
        out[new, _TYPE] = out[new - 1, _TYPE] if inside else 0
    doc.from_array(_ATTRS, cast(Ints2d, out))
    tensor = parsed.tensor
    if tensor is not None and len(tensor.shape) == 2 and tensor.shape[0] == len(parsed):
        rows = np.zeros((len(words), tensor.shape[1]), dtype=tensor.dtype)
        keep = [new for new, old in enumerate(source) if old >= 0]
        rows[keep] = tensor  # Doc.from_docs joins the tensors of its parts
        doc.tensor = rows
    return doc
