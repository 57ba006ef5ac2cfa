"""Array versions of the model's attribute_ruler and lemmatizer: same output, less CPU.

spaCy runs both from Python token by token: a Matcher over the ruler's 180
patterns, then one Token object, one MorphAnalysis and one lemma lookup per token.
On wire text that was about a fifth of all parsing time. Here the ruler's patterns
become numpy masks over a whole Doc, applied in the ruler's own order (a later
rule wins), and lemmas are looked up per (orth, pos, morph) in the lemmatizer's
own cache, calling its own rules on a miss. tests/nlp/test_fast_rules.py checks that
every token's tag, pos, dep, morph and lemma equal the stock components' output.

Both read only what the tagger and parser set, and the NER reads neither their
output nor theirs its own, so they can run after the whole model pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Token

# What one token's pattern may test: the Doc attributes the stock ruler reads.
_READABLE = {"TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS", "NORM"}
_WRITABLE = (POS, TAG, DEP, MORPH, LEMMA)


class Unsupported(ValueError):
    """A pattern or component this module cannot reproduce exactly."""


@dataclass(frozen=True)
class _Test:
    column: int  # index into the columns read from the Doc
    op: str  # "eq" | "in" | "not_in" | "regex"
    values: tuple[int, ...] = ()  # string hashes (or 0/1 for a flag)
    regex: re.Pattern[str] | None = None


@dataclass(frozen=True)
class _Rule:
    patterns: tuple[tuple[tuple[_Test, ...], ...], ...]  # alternatives, tokens, tests
    index: int  # the token of a match that gets the attributes
    sets: tuple[tuple[int, int], ...]  # (column in _WRITABLE, value)


class ArrayAttributeRuler:
    """The stock AttributeRuler's effect on a Doc, computed on arrays."""

    def __init__(self, ruler: AttributeRuler) -> None:
        strings = ruler.vocab.strings
        self.read: list[str] = []
        rules: list[_Rule] = []
        specs: list[dict[str, Any]] = list(ruler.patterns)
        for i, spec in enumerate(specs):
            attrs = ruler.attrs[i]
            if any(a not in _WRITABLE for a in attrs):
                raise Unsupported(f"attribute ruler sets {sorted(attrs)}")
            patterns = tuple(
                tuple(self._token_tests(tok, strings) for tok in pattern)
                for pattern in spec["patterns"]
            )
            sets = tuple((_WRITABLE.index(a), int(v)) for a, v in attrs.items())
            rules.append(_Rule(patterns, ruler.indices[i], sets))
        self.rules = rules
        self.read_ids = [IDS[name] for name in self.read]

    def _column(self, name: str) -> int:
        if name not in _READABLE:
            raise Unsupported(f"attribute ruler pattern reads {name}")
        if name not in self.read:
            self.read.append(name)
        return self.read.index(name)

    def _token_tests(self, tok: dict[str, Any], strings: Any) -> tuple[_Test, ...]:
        tests = []
        for name, value in tok.items():
            col = self._column(name)
            if isinstance(value, bool):
                tests.append(_Test(col, "eq", (int(value),)))
            elif isinstance(value, str):
                tests.append(_Test(col, "eq", (strings.add(value),)))
            elif isinstance(value, dict) and len(value) == 1:
                ((op, arg),) = value.items()
                if op in ("IN", "NOT_IN") and all(isinstance(v, str) for v in arg):
                    tests.append(_Test(col, op.lower(), tuple(strings.add(v) for v in arg)))
                elif op == "REGEX" and isinstance(arg, str):
                    tests.append(_Test(col, "regex", regex=re.compile(arg)))
                else:
                    raise Unsupported(f"attribute ruler predicate {value!r}")
            else:
                raise Unsupported(f"attribute ruler predicate {value!r}")
        return tuple(tests)

    def __call__(self, doc: Doc, breaks: Sequence[int] = ()) -> Doc:
        """Apply the rules; `breaks`: token indices where a joined Doc's parts begin,
        which a pattern of several tokens must not span (the stock ruler ran per part)."""
        self.many([doc], [breaks])
        return doc

    def many(self, docs: Sequence[Doc], breaks: Sequence[Sequence[int]]) -> None:
        """Apply the rules to each Doc, on the arrays of all of them at once: each rule
        costs a few numpy calls per call of this, whatever the number of tokens, so
        a short article alone paid them all (a pattern never spans two Docs)."""
        kept = [(doc, parts) for doc, parts in zip(docs, breaks, strict=True) if len(doc)]
        if not kept:
            return
        docs, breaks = [doc for doc, _ in kept], [parts for _, parts in kept]
        sizes = [len(doc) for doc in docs]
        n = sum(sizes)
        cols = np.concatenate([doc.to_array(self.read_ids).reshape(len(doc), -1) for doc in docs])
        out: Any = np.concatenate([doc.to_array(list(_WRITABLE)) for doc in docs])
        starts = np.zeros(n, dtype=bool)
        offset = 0
        for size, parts in zip(sizes, breaks, strict=True):
            starts[[offset + b for b in (0, *parts) if b < size]] = True
            offset += size
        strings = docs[0].vocab.strings
        memo: dict[_Test, np.ndarray[Any, Any]] = {}  # rules share tests ("TAG": "VBZ")

        def mask(test: _Test) -> np.ndarray[Any, Any]:
            if test not in memo:
                col = cols[:, test.column]
                if test.op == "eq":
                    memo[test] = col == test.values[0]
                elif test.op in ("in", "not_in"):
                    hit = np.isin(col, np.array(test.values, dtype=np.uint64))
                    memo[test] = hit if test.op == "in" else ~hit
                else:
                    assert test.regex is not None
                    rx = test.regex
                    found = [h for h in np.unique(col).tolist() if rx.search(strings[h])]
                    memo[test] = np.isin(col, np.array(found, dtype=np.uint64))
            return memo[test]

        for rule in self.rules:
            for pattern in rule.patterns:
                width = len(pattern)
                if width > n:
                    continue
                hit = np.ones(n - width + 1, dtype=bool)
                for k, tests in enumerate(pattern):
                    for test in tests:
                        hit &= mask(test)[k : k + n - width + 1]
                    if k:  # no match across the seam of two joined parts, or two Docs
                        hit &= ~starts[k : k + n - width + 1]
                at = np.flatnonzero(hit) + (rule.index % width)
                for column, value in rule.sets:
                    out[at, column] = value
        offset = 0
        for doc, size in zip(docs, sizes, strict=True):
            doc.from_array(list(_WRITABLE), out[offset : offset + size])
            offset += size


class ArrayLemmatizer:
    """The stock rule lemmatizer's effect, computed by its own rules.

    Its lemma depends only on the token's (orth, pos, morph), so each such key is
    lemmatized once. The stock cache misses every base form ("the", "said" as a
    past tense aside), which it recomputes from a MorphAnalysis each time.
    """

    # Keys kept; past this the memo and the stock cache are both cleared, so that
    # neither grows with the vocabulary of a long ingest.
    MEMO_LIMIT = 50_000

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise Unsupported(f"lemmatizer {lemmatizer.mode!r}, overwrite={lemmatizer.overwrite}")
        self.lemmatizer = lemmatizer
        # Lemma strings, not their hashes: a string added inside an nlp.memory_zone()
        # is gone from the StringStore after it, so each use adds it again.
        self.memo: dict[tuple[int, int, int], str] = {}
        # The lemma index per part of speech as a set: the stock rules test each
        # candidate form against a list (57,000 nouns), a third of their time.
        self._index: dict[str, frozenset[str]] = {}

    def rule_lemma(self, token: Token) -> str:
        """The stock Lemmatizer.rule_lemmatize(token)[0], its index looked up in sets."""
        lem = self.lemmatizer
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space") or lem.is_base_form(token):
            return str(lem.rule_lemmatize(token)[0])  # no table read: the stock code
        lookups = lem.lookups
        rules = lookups.get_table("lemma_rules", {}).get(univ_pos, {})
        exceptions = lookups.get_table("lemma_exc", {}).get(univ_pos, {})
        listed = lookups.get_table("lemma_index", {}).get(univ_pos, {})
        if not (listed or exceptions or rules):
            return token.text if univ_pos == "propn" else token.text.lower()
        index = self._index.get(univ_pos)
        if index is None:
            index = self._index[univ_pos] = frozenset(listed)
        string = token.text.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules:  # the stock loop, line for line
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        return forms[0] if forms else oov_forms[0] if oov_forms else token.text

    def __call__(self, doc: Doc) -> Doc:
        lem = self.lemmatizer
        if not lem._validated:  # the stock call checks its lookup tables once
            return lem(doc)
        arr: Any = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo = self.memo
        if len(memo) > self.MEMO_LIMIT:
            memo.clear()
            lem.cache.clear()
        add = doc.vocab.strings.add
        lemmas = arr[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma:  # set by the attribute ruler; the stock lemmatizer keeps it
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = self.rule_lemma(doc[i])
            lemmas[i] = add(found)
        doc.from_array([LEMMA], lemmas)
        return doc


@dataclass
class ArrayRules:
    ruler: ArrayAttributeRuler
    lemmatizer: ArrayLemmatizer
    names: tuple[str, ...] = ("attribute_ruler", "lemmatizer")  # the stock ones replaced

    def __call__(self, doc: Doc, breaks: Sequence[int] = ()) -> Doc:
        return self.lemmatizer(self.ruler(doc, breaks))

    def many(self, docs: Sequence[Doc], breaks: Sequence[Sequence[int]]) -> None:
        """Both on several Docs (breaks: each Doc's, as for __call__)."""
        self.ruler.many(docs, breaks)
        for doc in docs:
            self.lemmatizer(doc)


def array_rules(nlp: Language) -> ArrayRules | None:
    """Array versions of the pipeline's attribute_ruler and lemmatizer, or None
    when the pipeline differs from what they reproduce (then run the stock ones)."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return None
    # Everything after the ruler but the lemmatizer must not read what they set.
    after = names[names.index("attribute_ruler") + 1 :]
    if [n for n in after if n not in ("lemmatizer", "ner")]:
        return None
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    if not isinstance(ruler, AttributeRuler) or not isinstance(lemmatizer, Lemmatizer):
        return None
    try:
        return ArrayRules(ArrayAttributeRuler(ruler), ArrayLemmatizer(lemmatizer))
    except Unsupported:
        return None
