"""Quote provenance: one quotation across articles and outlets.

A quotation is a group of quote occurrences that say the same words: equal after
normalisation (case, quotation marks, apostrophes, dashes, whitespace, ellipses), or
near-duplicates (trimmed at either end, an ellipsis cut, a word or two changed, a
sentence dropped). Candidates come from MinHash LSH on word shingles (datasketch: the
signatures and the banding for a Jaccard threshold); each candidate pair is then
verified by word-level alignment, so that two statements of one speaker that share a
phrase stay apart. In copies of one story, quotes are also matched by their place in
it (align()): a piece of one quote, cut off by a moved attribution, that a neighbouring
quote or a later statement also holds is matched to its own quote only; and two places
of one article are one quotation only in the same words. Groups are the connected
components of the verified pairs (each decided by the two quotes and their two
articles alone): they
do not depend on the order quotes arrive in, so assigning quotes as the corpus grows
gives the same groups as regrouping everything at once.

Reprints are found the same way at article level (word 4-gram shingles, verified by
containment): the articles that copy one story form a story whose origin is its
earliest dated article.

Everything here is pure: the store keeps the band keys and the groups (store/quotations.py).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash, MinHashLSH

Words = tuple[str, ...]

# Shorter quotes ("a takeover", "Not today!") are everywhere, said by anyone: they form
# a quotation of their own, never grouped with another.
MIN_WORDS = 4
# Wordings shorter than this group only when equal: four words leave too little to
# align ("our nation is in danger" against "our nation is safe").
NEAR_WORDS = 5
# Near-duplicates: the shorter wording's words aligned with the longer one, in runs of
# at least ALIGN_RUN words (scattered common words count for nothing), must cover this
# share of it.
CONTAINMENT = 0.85
STORY_CONTAINMENT_QUOTES = 0.75  # between copies of one story
ALIGN_RUN = 2
# MinHash LSH: candidates are pairs whose word-bigram sets likely have at least this
# Jaccard similarity (a quote trimmed to half of its words still does).
QUOTE_THRESHOLD = 0.35
QUOTE_PERM = 32
ENDS = 4  # words at either end of a wording that make a key of their own
# Reprints: articles whose word 4-gram sets overlap by at least STORY_CONTAINMENT of
# the smaller one; articles under STORY_MIN_WORDS words are never linked.
STORY_THRESHOLD = 0.4
STORY_PERM = 64
STORY_CONTAINMENT = 0.5
# ... and candidates whose first or last LEDE_WORDS words likely overlap this much.
LEDE_WORDS = 60
LEDE_THRESHOLD = 0.5
LEDE_PERM = 32
STORY_MIN_WORDS = 40
SHINGLE = 4

_QUOTE_MARKS = "\"'`´“”„‟«»‹›「」『』〝〞＂"
_APOSTROPHES = "’‘ʼ′‛＇"
_DASHES = "‐‑‒–—―−﹘﹣－"
_WORD = re.compile(r"\w+(?:'\w+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "into",
        "about",
        "than",
        "then",
        "so",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "it",
        "its",
        "it's",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "him",
        "her",
        "us",
        "them",
        "my",
        "your",
        "his",
        "our",
        "their",
        "what",
        "which",
        "who",
        "whom",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "some",
        "very",
        "just",
        "also",
        "too",
        "up",
        "out",
        "over",
        "more",
        "most",
    ]
)
_PRONOUNS = frozenset(
    ["i", "you", "he", "she", "it", "we", "they", "me", "him", "her", "us", "them", "one"]
)


# Apostrophes become one; other quotation marks, dashes and ellipses a space.
_TABLE = str.maketrans(
    {
        **{c: "'" for c in _APOSTROPHES},
        **{c: " " for c in _QUOTE_MARKS.replace("'", "") + _DASHES + "…_"},
    }
)
_LONE_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")


def normalize(text: str) -> Words:
    """The words of a wording, compared as quotations are: lower case, quotation marks,
    dashes, ellipses and other punctuation gone, apostrophes all alike."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.lower().translate(_TABLE)
    # An apostrophe inside a word stays (don't, Iran's); any other one goes.
    if "'" in text:
        text = _LONE_APOSTROPHE.sub(" ", text)
    return tuple(_WORD.findall(text))


def same_quotation(a: Words, b: Words, containment: float = CONTAINMENT) -> bool:
    """Whether two normalised wordings are one quotation: equal, or the shorter one's
    words, aligned in order with the longer's in runs of ALIGN_RUN words or more, cover
    CONTAINMENT of it. Symmetric."""
    if a == b:
        return len(a) >= MIN_WORDS
    # Which is the shorter must not depend on the argument order (equal lengths: the
    # lesser wording), or grouping would depend on the order quotes arrive in.
    short, long = sorted((a, b), key=lambda w: (len(w), w))
    if len(short) < NEAR_WORDS:
        return False
    # A cheap necessary condition first (the candidates that share only a common key
    # fail it): a run of s >= ALIGN_RUN aligned words holds s - 1 word pairs of both,
    # at places of its own, so the runs that cover the share hold at least this many
    # pairs in common (counted with repeats).
    common = Counter(itertools.pairwise(short)) & Counter(itertools.pairwise(long))
    if sum(common.values()) < containment * len(short) * (ALIGN_RUN - 1) / ALIGN_RUN:
        return False
    matcher = SequenceMatcher(None, short, long, autojunk=False)
    runs = [m for m in matcher.get_matching_blocks() if m.size >= ALIGN_RUN]
    covered = sum(m.size for m in runs)
    if covered < containment * len(short):
        return False
    # The words that carry the meaning must be shared too, not only "it has been a".
    content = [w for w in short if w not in _STOP]
    kept = sum(1 for m in runs for w in short[m.a : m.a + m.size] if w not in _STOP)
    return len(content) >= 2 and kept >= containment * len(content)


def verify_pair(
    a: Words,
    b: Words,
    story_a: str | None,
    story_b: str | None,
    rank_a: int = 0,
    rank_b: int = 0,
    aligned: bool | None = None,
) -> bool:
    """Whether two occurrences are one quotation, given their articles' stories (and
    ranks, see story_key). `aligned`: for two articles of one story, whether the two
    quotes stand at one place of it (see align()); None for two quotes of one article
    (one story, no `aligned`) or of two stories. In copies of one story equal words
    always are one quotation, and near-duplicates need less of the shorter wording
    covered than elsewhere, where two statements that share a long phrase are likelier;
    but only quotes at one place of the story: a piece of one quote that another quote
    of the story shares is not that other quote."""
    if story_a is not None and story_a == story_b and aligned is not None:
        if not aligned:
            return False
        if a == b and 0 < len(a) < MIN_WORDS:
            return rank_a == rank_b
        return (a == b and bool(a)) or same_quotation(a, b, STORY_CONTAINMENT_QUOTES)
    if story_a is not None and story_a == story_b:
        # One article: two places of it are one quotation only in the same words (a
        # quote said again); a piece of one quote inside another is not that quote.
        if a == b and 0 < len(a) < MIN_WORDS:
            return rank_a == rank_b
        return a == b and len(a) >= MIN_WORDS
    return same_quotation(a, b, CONTAINMENT)


def _bigrams(w: Words) -> frozenset[tuple[str, str]]:
    return frozenset(itertools.pairwise(w))


def _may_match(a: Words, b: Words, ga: frozenset[Any], gb: frozenset[Any]) -> bool:
    # A cheap bound before the alignment: the shorter wording's words covered in runs
    # of ALIGN_RUN or more share at least half as many word pairs with the longer one.
    if a == b:
        return bool(a)
    n = min(len(a), len(b))
    return n >= NEAR_WORDS and len(ga & gb) >= STORY_CONTAINMENT_QUOTES * n / 2 - 0.5


def align(a: Sequence[Words], b: Sequence[Words]) -> set[tuple[int, int]]:
    """Which quotes of two copies of one story stand at one place of it: the quotes of
    each in text order, matched in order (a reprint cuts, adds and edits quotes, and may
    split one in two around a moved attribution, but does not reorder them). The
    heaviest chain of pairs (i, j) that are one quotation by their words, i and j never
    decreasing along it; a pair may share a quote with its neighbours on one side only
    (a split quote: a[i] with b[j] and b[j+1]), never on both (a piece of a[i] matched
    to b[j], then to b[j+1] in its place, is a piece of another quote). Each pair
    weighs 1 (0 where it shares a quote with the pair before it), plus less than 1 in
    all: how much of the longer wording the shorter one is (of two quotes that hold a
    piece, the tighter fit). Deterministic; callers pass the two articles in a fixed
    order."""
    m, n = len(a), len(b)
    ga, gb = [_bigrams(w) for w in a], [_bigrams(w) for w in b]
    tie = 1.0 / (m + n + 1)
    weight: dict[tuple[int, int], float] = {}
    for i in range(m):
        for j in range(n):
            if _may_match(a[i], b[j], ga[i], gb[j]) and (
                a[i] == b[j] or same_quotation(a[i], b[j], STORY_CONTAINMENT_QUOTES)
            ):
                short, long = sorted((len(a[i]), len(b[j])))
                weight[(i, j)] = 1.0 + tie * short / max(1, long)
    if not weight:
        return set()
    # Chains ending at (i, j) in state 0 (its predecessor is below and left of it),
    # 1 (shares i with it) or 2 (shares j). A chain in state 1 may go on sharing i, in
    # state 2 sharing j; in state 0 either.
    Best = tuple[float, tuple[int, int, int] | None]
    best: dict[tuple[int, int, int], Best] = {}
    none: Best = (0.0, None)
    upto = [[none] * (n + 1) for _ in range(m + 1)]  # any state, a[:i] x b[:j]
    col: list[Best] = [none] * n  # states 0 and 2 in column j, rows so far
    for i in range(m):
        row: Best = none  # states 0 and 1 in row i, columns so far
        for j in range(n):
            here: list[tuple[Best, int]] = []
            w = weight.get((i, j))
            if w is not None:
                # Pieces are shorter than the quote they are cut from: a[i] is shared
                # (state 1) only with pieces b[j], b[j] only with pieces a[i].
                piece_of_a, piece_of_b = len(b[j]) < len(a[i]), len(a[i]) < len(b[j])
                for state, (value, key) in enumerate((upto[i][j], row, col[j])):
                    if (state == 1 and not piece_of_a) or (state == 2 and not piece_of_b):
                        continue
                    # A shared quote adds only its fit: a split is the likelier reading
                    # only where nothing else is at stake.
                    entry = (value + (w if state == 0 else w - 1.0), key)
                    best[(i, j, state)] = entry
                    here.append((entry, state))
                if piece_of_a:
                    row = max([row, *[(v, (i, j, st)) for (v, _), st in here if st in (0, 1)]],
                              key=lambda e: e[0])  # fmt: skip
                if piece_of_b:
                    col[j] = max([col[j], *[(v, (i, j, st)) for (v, _), st in here if st != 1]],
                                 key=lambda e: e[0])  # fmt: skip
            cands = [upto[i][j + 1], upto[i + 1][j], *[(v, (i, j, st)) for (v, _), st in here]]
            upto[i + 1][j + 1] = max(cands, key=lambda e: e[0])
    out: set[tuple[int, int]] = set()
    key = upto[m][n][1]
    while key is not None:
        out.add((key[0], key[1]))
        key = best[key][1]
    return out


class Aligner:
    """align() for pairs of articles of one story, on demand and remembered:
    `quotes(article)` gives an article's quotes in text order as (key, words)."""

    def __init__(self, quotes: Callable[[str], Sequence[tuple[Hashable, Words]]]) -> None:
        self._quotes = quotes
        self._pairs: dict[tuple[str, str], set[tuple[Hashable, Hashable]]] = {}

    def aligned(self, article_a: str, key_a: Hashable, article_b: str, key_b: Hashable) -> bool:
        if article_a > article_b:
            article_a, key_a, article_b, key_b = article_b, key_b, article_a, key_a
        pairs = self._pairs.get((article_a, article_b))
        if pairs is None:
            qa, qb = self._quotes(article_a), self._quotes(article_b)
            found = align([w for _, w in qa], [w for _, w in qb])
            pairs = {(qa[i][0], qb[j][0]) for i, j in found}
            self._pairs[(article_a, article_b)] = pairs
        return (key_a, key_b) in pairs


def _signed64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


class Bander:
    """MinHash signatures and their LSH band keys (ints that fit a BIGINT column):
    two sets likely share a band key when their Jaccard similarity reaches
    `threshold`. The banding (how many bands of how many rows) is datasketch's
    MinHashLSH optimum for that threshold."""

    def __init__(self, threshold: float, num_perm: int, tag: bytes) -> None:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.ranges: list[tuple[int, int]] = [(int(s), int(e)) for s, e in lsh.hashranges]
        self.num_perm = num_perm
        self.tag = tag
        self._perms = MinHash(num_perm=num_perm).permutations

    def bands(self, shingles: Iterable[bytes]) -> list[int]:
        return self.bands_many([list(shingles)])[0]

    def bands_many(self, sets: Sequence[Sequence[bytes]]) -> list[list[int]]:
        """bands() of many sets at once, the same keys: datasketch's MinHash (affine32
        scheme: MurmurHash3's finaliser, then h -> a * h + b mod 2^32, the least value
        per permutation) done in one numpy pass over the shingles of many sets, where
        a MinHash object each costs more than its arithmetic (a store's rebuild makes
        millions)."""
        return self.bands_hashed([[zlib.crc32(x) for x in s] for s in sets])

    def bands_hashed(self, sets: Sequence[Sequence[int]]) -> list[list[int]]:
        """bands_many() of sets given as the CRC-32s of their shingles."""
        out: list[list[int]] = [[] for _ in sets]
        todo = [i for i, s in enumerate(sets) if s]
        a, b = (np.asarray(p, dtype=np.uint32) for p in self._perms)
        at = 0
        while at < len(todo):
            # Slices of a few MiB of permuted values (cache-sized: faster than one pass).
            part: list[int] = []
            n = 0
            while at < len(todo) and (not part or n + len(sets[todo[at]]) <= _SLICE):
                part.append(todo[at])
                n += len(sets[todo[at]])
                at += 1
            hv = np.fromiter(
                itertools.chain.from_iterable(sets[i] for i in part), dtype=np.uint32, count=n
            )
            phv = np.multiply.outer(_fmix32(hv), a)
            phv += b
            starts = np.cumsum([0, *(len(sets[i]) for i in part[:-1])])
            mins = np.minimum.reduceat(phv, starts, axis=0)
            for i, row in zip(part, mins, strict=True):
                raw = row.tobytes()
                out[i] = [
                    _signed64(self.tag + bytes([k]) + raw[4 * s : 4 * e])
                    for k, (s, e) in enumerate(self.ranges)
                ]
        return out


_SLICE = 1 << 14  # shingles hashed in one numpy pass (x num_perm x 4 bytes)
_M1, _M2 = np.uint32(0x85EBCA6B), np.uint32(0xC2B2AE35)


def _gram_hashes(words: Words, n: int) -> list[int]:
    """The CRC-32 of each run of n words joined by spaces, as
    zlib.crc32(" ".join(words[i : i + n]).encode()), from one buffer of the words (no
    string per shingle: a rebuild hashes hundreds of millions)."""
    if len(words) < n:
        return []
    encoded = [w.encode() for w in words]
    view = memoryview(b" ".join(encoded))
    ends = list(itertools.accumulate(len(e) + 1 for e in encoded))  # past each word's space
    starts = [0, *ends[:-1]]
    crc = zlib.crc32
    return [crc(view[starts[i] : ends[i + n - 1] - 1]) for i in range(len(words) - n + 1)]


def _fmix32(h: np.ndarray) -> np.ndarray:
    # MurmurHash3's 32-bit finaliser (datasketch's _fmix for the affine32 scheme);
    # uint32 products wrap, as intended.
    h = h ^ (h >> np.uint32(16))
    h = h * _M1
    h = h ^ (h >> np.uint32(13))
    h = h * _M2
    out: np.ndarray = h ^ (h >> np.uint32(16))
    return out


@lru_cache(maxsize=1)
def quote_bander() -> Bander:
    return Bander(QUOTE_THRESHOLD, QUOTE_PERM, b"q")


@lru_cache(maxsize=1)
def story_bander() -> Bander:
    return Bander(STORY_THRESHOLD, STORY_PERM, b"s")


def story_key(words: Words, story: str | None, rank: int = 0) -> list[int]:
    """The key that groups a wording too short to group anywhere else with its equals in
    copies of one story (in a reprint, "a veto" is the original's "a veto"). rank: how
    many equal wordings come before it in its article: under MIN_WORDS, the second
    "Machado" of a story is not its first."""
    if story is None or not words or len(words) >= NEAR_WORDS:
        return []
    nth = str(rank if len(words) < MIN_WORDS else 0)
    return [
        _signed64(b"s" + story.encode() + b"\n" + nth.encode() + b"\n" + " ".join(words).encode())
    ]


def ranks(wordings: Sequence[Words]) -> list[int]:
    """For an article's quotes in text order: how many equal wordings precede each."""
    seen: dict[Words, int] = {}
    out = []
    for w in wordings:
        out.append(seen.get(w, 0))
        seen[w] = out[-1] + 1
    return out


def quote_bands(words: Words) -> list[int]:
    """The LSH band keys of one normalised wording, plus keys of the exact words (so
    equal wordings always meet) and of its ends; none for wordings too short to group
    (see story_key)."""
    return quote_bands_many([words])[0]


def quote_bands_many(wordings: Sequence[Words]) -> list[list[int]]:
    """quote_bands() of many wordings, their MinHashes in one pass (Bander.bands_many)."""
    grams = [_gram_hashes(w, 2) if len(w) >= MIN_WORDS else [] for w in wordings]
    lsh = quote_bander().bands_hashed(grams)
    out: list[list[int]] = []
    for words, bands in zip(wordings, lsh, strict=True):
        if len(words) < MIN_WORDS:
            out.append([])
            continue
        keys = [_signed64(b"x" + " ".join(words).encode())]
        if len(words) >= NEAR_WORDS:
            # A wording trimmed at one end keeps the other: its first or last words meet
            # the full one's even where too little of it is left for the bands to.
            keys += [
                _signed64(b"h" + " ".join(words[:ENDS]).encode()),
                _signed64(b"t" + " ".join(words[-ENDS:]).encode()),
            ]
        out.append([*keys, *bands])
    return out


def story_shingles(text: str) -> frozenset[bytes]:
    words = normalize(text)
    if len(words) < STORY_MIN_WORDS:
        return frozenset()
    return frozenset(
        " ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)
    )


@lru_cache(maxsize=2)
def end_bander(tag: bytes) -> Bander:
    return Bander(LEDE_THRESHOLD, LEDE_PERM, tag)


def story_bands(text: str, shingles: frozenset[bytes]) -> list[int]:
    """The band keys of an article (its 4-gram shingles), and of its first and last
    LEDE_WORDS words: an outlet that cuts a wire story to its first paragraphs, or a
    running story that grows at the top ("The Latest"), keeps too little of the whole
    for the bands of all of it to meet, but one end of it is the story's."""
    if not shingles:
        return []
    return story_bands_many([text])[0]


def story_bands_many(texts: Sequence[str]) -> list[list[int]]:
    """story_bands(text, story_shingles(text)) of many texts, their MinHashes in one
    pass each (Bander.bands_many)."""
    whole: list[list[int]] = []
    first: list[list[int]] = []
    last: list[list[int]] = []
    keep = LEDE_WORDS - SHINGLE + 1  # the 4-grams of LEDE_WORDS words
    for text in texts:
        words = normalize(text)
        grams = _gram_hashes(words, SHINGLE) if len(words) >= STORY_MIN_WORDS else []
        # The whole text's 4-grams as a set (story_shingles), its ends' as they come:
        # a repeated shingle changes no least value.
        whole.append(grams)
        first.append(grams[:keep])
        last.append(grams[-keep:])
    keys = story_bander().bands_hashed(whole)
    leads = end_bander(b"l").bands_hashed(first)
    ends = end_bander(b"e").bands_hashed(last)
    return [[*k, *f, *e] for k, f, e in zip(keys, leads, ends, strict=True)]


def same_story(a: frozenset[bytes], b: frozenset[bytes]) -> bool:
    """Whether two articles are copies of one story: their 4-gram sets overlap by at
    least STORY_CONTAINMENT of the smaller one."""
    if not a or not b:
        return False
    return len(a & b) >= STORY_CONTAINMENT * min(len(a), len(b))


# -- groups as connected components -------------------------------------------

K = TypeVar("K", bound=Hashable)


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def components(bands: Mapping[K, Sequence[int]], verify: Callable[[K, K], bool]) -> list[list[K]]:
    """Connected components of the pairs that share a band key and pass `verify`,
    each sorted, in order of their first member. Pairs already connected are not
    verified again: the components are the same, whatever order they come in."""
    uf = UnionFind()
    by_band: dict[int, list[K]] = {}
    for key in sorted(bands, key=repr):
        uf.find(key)
        for band in bands[key]:
            for other in by_band.get(band, ()):
                if uf.find(other) != uf.find(key) and verify(key, other):
                    uf.union(key, other)
            by_band.setdefault(band, []).append(key)
    groups: dict[Any, list[K]] = {}
    for key in bands:
        groups.setdefault(uf.find(key), []).append(key)
    out = [sorted(g, key=repr) for g in groups.values()]
    return sorted(out, key=lambda g: repr(g[0]))


# -- what a quotation knows ------------------------------------------------------


def anchor_key(published: str | None, article_id: str, start: int) -> tuple[int, str, str, int]:
    """The order that names a group (its id comes from its least member): dated before
    undated, then by date, article id and offset. It depends on the members only, so
    the name is the same whatever order they were grouped in."""
    return (published is None, published or "", article_id, start)


def quotation_id(article_id: str, words: Words, rank: int = 0) -> str:
    """A quotation's id: from its anchor occurrence's article, words and rank (see
    ranks(): an article may quote "Mrs. Clinton" three times, three quotations), so it
    stays when the corpus is regrouped or that article extracted again."""
    key = f"{article_id}\n{' '.join(words)}" + (f"\n{rank}" if rank else "")
    return "Q" + hashlib.sha1(key.encode()).hexdigest()[:15]


def outlet_of(source: dict[str, Any], agency: str | None) -> str | None:
    """Who published an article: its site's name, else its URL's host, else the wire
    agency of its dateline."""
    site = source.get("site_name")
    if isinstance(site, str) and site.strip():
        return site.strip()
    url = source.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return agency or None


def _speaker_name(name: str | None) -> str | None:
    """A speaker that names someone: not a bare pronoun nor a lower-case description."""
    if not name or not name.strip():
        return None
    name = name.strip()
    if name.lower() in _PRONOUNS or not name[0].isupper():
        return None
    return name


@dataclass
class Occurrence:
    article_id: str
    quote_id: str
    text: str
    span: tuple[int, int]
    published: str | None
    outlet: str | None = None
    speaker: str | None = None  # as attributed there (corpus-level name when resolved)
    person_id: str | None = None
    headline: str | None = None
    order: tuple[int, int, int] = (0, 0, 0)  # ingest run, position, write sequence
    origin: bool = True  # its article is its story's origin (or no reprint)
    story_id: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        """Time order: earliest published first, undated last; on a tie the story's
        origin before its reprints, then the order of ingest."""
        return (
            self.published is None,
            self.published or "",
            not self.origin,
            self.order,
            self.article_id,
            self.span[0],
        )


@dataclass
class SpeakerCount:
    person: str
    count: int
    person_id: str | None = None


@dataclass
class Variant:
    """One wording of a quotation and how it differs from the first-seen wording:
    segments ("=", text) kept, ("-", text) dropped, ("+", text) added."""

    text: str
    occurrences: int
    diff: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Quotation:
    id: str
    text: str  # the fullest wording
    first_seen: Occurrence
    occurrences: list[Occurrence]  # in time order
    speakers: list[SpeakerCount]
    disputed: bool
    outlets: int
    variants: list[Variant] = field(default_factory=list)

    @property
    def undated(self) -> int:
        return sum(o.published is None for o in self.occurrences)

    @property
    def articles(self) -> int:
        return len({o.article_id for o in self.occurrences})


def _speaker_key(name: str, person_id: str | None) -> str:
    # The surname, so that "Trump" and "Donald Trump" never dispute each other when
    # one of them went unresolved.
    return name.split()[-1].lower()


def speakers_of(occurrences: Sequence[Occurrence]) -> tuple[list[SpeakerCount], bool]:
    """Who the occurrences attribute the words to, with counts (most first), and whether
    they name different people (a disputed speaker: a possible misattribution)."""
    counts: dict[str, SpeakerCount] = {}
    keys: set[str] = set()
    for o in occurrences:
        name = _speaker_name(o.speaker)
        if name is None:
            continue
        key = o.person_id or name.lower()
        if key not in counts:
            counts[key] = SpeakerCount(name, 0, o.person_id)
        counts[key].count += 1
        keys.add(_speaker_key(name, o.person_id))
    people = sorted(counts.values(), key=lambda s: (-s.count, s.person))
    return people, len(keys) > 1


def word_diff(base: str, text: str) -> list[tuple[str, str]]:
    """Word-level difference of `text` from `base`, words compared as normalised (so a
    changed quote mark or capital is no change): ("=", kept), ("-", dropped), ("+", added)."""
    a, b = base.split(), text.split()
    ka = [" ".join(normalize(w)) for w in a]
    kb = [" ".join(normalize(w)) for w in b]
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return out


def summarize(
    quotation: str, occurrences: Sequence[Occurrence], variants: bool = True
) -> Quotation:
    """Everything a quotation knows, from its occurrences (at least one); variants=False
    leaves out the wordings' differences (a list needs none)."""
    ordered = sorted(occurrences, key=Occurrence.sort_key)
    first = ordered[0]
    fullest = max(ordered, key=lambda o: (len(normalize(o.text)), len(o.text)))
    speakers, disputed = speakers_of(ordered)
    outlets = {o.outlet or f"article:{o.article_id}" for o in ordered}
    wordings: dict[Words, list[Occurrence]] = {}
    for o in ordered if variants else ():
        wordings.setdefault(normalize(o.text), []).append(o)
    base = first.text.strip()
    found = [
        Variant(g[0].text.strip(), len(g), word_diff(base, g[0].text.strip()))
        for g in wordings.values()
    ]
    return Quotation(
        id=quotation,
        text=fullest.text.strip(),
        first_seen=first,
        occurrences=ordered,
        speakers=speakers,
        disputed=disputed,
        outlets=len(outlets),
        variants=found,
    )


def group_quotes(
    texts: dict[K, str],
    stories: dict[K, str] | None = None,
    rank: dict[K, int] | None = None,
    articles: dict[K, tuple[str, int]] | None = None,
) -> list[list[K]]:
    """Quotations among wordings (in memory, for one batch or a benchmark); `stories`:
    the story of each wording's article, where reprints are known; `rank`: see ranks();
    `articles`: each wording's article and offset in it (copies of one story are then
    aligned, see align())."""
    story = stories or {}
    nth = rank or {}
    where = articles or {}
    words = {k: normalize(t) for k, t in texts.items()}
    bands = {
        k: quote_bands(w) + story_key(w, story.get(k), nth.get(k, 0)) for k, w in words.items()
    }
    in_article: dict[str, list[tuple[int, str, K]]] = {}
    for k, (article, start) in where.items():
        in_article.setdefault(article, []).append((start, repr(k), k))
    aligner = Aligner(lambda a: [(k, words[k]) for _, _, k in sorted(in_article[a])])

    def verify(a: K, b: K) -> bool:
        aligned = None
        if a in where and b in where and where[a][0] != where[b][0]:
            aligned = aligner.aligned(where[a][0], a, where[b][0], b)
        return verify_pair(
            words[a], words[b], story.get(a), story.get(b), nth.get(a, 0), nth.get(b, 0), aligned
        )

    return components(bands, verify)


def group_stories(texts: dict[K, str]) -> list[list[K]]:
    """Stories (reprints of one text) among article texts (in memory)."""
    shingles = {k: story_shingles(t) for k, t in texts.items()}
    bands = {k: story_bands(texts[k], s) for k, s in shingles.items()}
    return components(bands, lambda a, b: same_story(shingles[a], shingles[b]))


# -- JSON (CLI --format json, the API) ------------------------------------------------


def occurrence_dict(o: Occurrence) -> dict[str, Any]:
    return {
        "article": o.article_id,
        "quote": o.quote_id,
        "outlet": o.outlet,
        "published": o.published,
        "speaker": o.speaker,
        "person_id": o.person_id,
        "headline": o.headline,
        "text": o.text,
        "span": list(o.span),
        "story": o.story_id,
        "reprint": not o.origin,
    }


def quotation_dict(q: Quotation) -> dict[str, Any]:
    """A quotation as JSON: id, text (the fullest wording), first_seen, occurrences
    (in time order), speakers, disputed, outlets, and the variants where computed."""
    f = q.first_seen
    return {
        "id": q.id,
        "text": q.text,
        "first_seen": {
            "article": f.article_id,
            "quote": f.quote_id,
            "outlet": f.outlet,
            "published": f.published,
            "undated": f.published is None,
        },
        "occurrences": [occurrence_dict(o) for o in q.occurrences],
        "speakers": [{"person": s.person, "count": s.count} for s in q.speakers],
        "disputed": q.disputed,
        "outlets": q.outlets,
        "articles": q.articles,
        "undated": q.undated,
        "variants": [
            {
                "text": v.text,
                "occurrences": v.occurrences,
                "diff": [{"op": op, "text": t} for op, t in v.diff],
            }
            for v in q.variants
        ],
    }
