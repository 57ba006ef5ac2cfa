"""Quotation grouping rules on our own sentences: what is one quotation, what is not."""

from __future__ import annotations

from wirescope.corpus.quotations import (
    Bander,
    Occurrence,
    _signed64,
    align,
    group_quotes,
    group_stories,
    normalize,
    quote_bands,
    quote_bands_many,
    same_quotation,
    speakers_of,
    story_bands,
    story_bands_many,
    story_shingles,
    summarize,
    verify_pair,
    word_diff,
)

FULL = (
    "We will reopen the northern border crossing next month. Trucks carrying food will go "
    "first, and the rest of the traffic will follow once the bridge is repaired."
)


def n(text: str) -> tuple[str, ...]:
    return normalize(text)


def test_normalisation_ignores_case_marks_apostrophes_dashes_and_ellipses() -> None:
    a = n("“We won’t give up — not now…” ")
    b = n('"we won\'t give up - not now..."')
    assert a == b == ("we", "won't", "give", "up", "not", "now")


def test_near_duplicates_are_one_quotation() -> None:
    trimmed = "We will reopen the northern border crossing next month."
    ellipsis = "We will reopen the northern border crossing ... once the bridge is repaired."
    substituted = FULL.replace("Trucks carrying food", "Lorries carrying food")
    dropped = "Trucks carrying food will go first, and the rest of the traffic will follow."
    for variant in (trimmed, ellipsis, substituted, dropped):
        assert same_quotation(n(FULL), n(variant)), variant


def test_two_statements_sharing_phrases_are_not() -> None:
    other = (
        "We will reopen the northern border crossing only when the army says it is safe, "
        "and not a day before."
    )
    assert not same_quotation(n(FULL), n(other))
    # A short common opening is not the statement.
    assert not same_quotation(n("It has been a journey"), n("It has been a very slow climb back"))


def test_short_wordings_group_only_when_equal_and_in_one_story() -> None:
    assert not verify_pair(n("a veto"), n("a veto"), "s1", "s2")
    assert verify_pair(n("a veto"), n("a veto"), "s1", "s1")
    assert not same_quotation(n("a veto"), n("a veto"))


def test_grouping_does_not_depend_on_order() -> None:
    texts = {
        1: FULL,
        2: "We will reopen the northern border crossing next month.",
        3: "Trucks carrying food will go first, and the rest of the traffic will follow once",
        4: "We will never reopen the crossing while smugglers use it, the minister said.",
    }
    groups = group_quotes(texts)
    assert sorted(map(sorted, groups)) == [[1, 2, 3], [4]]
    backwards = group_quotes(dict(reversed(list(texts.items()))))
    assert sorted(map(sorted, backwards)) == sorted(map(sorted, groups))


def test_reprints_are_one_story() -> None:
    story = " ".join(
        f"Paragraph {i} of the wire story says the harbour will close." for i in range(12)
    )
    other = " ".join(
        f"Line {i}: the council met and voted on the new budget today." for i in range(12)
    )
    groups = group_stories({"ap": story, "copy": "Staff report. " + story[:-40], "other": other})
    assert sorted(map(sorted, groups)) == [["ap", "copy"], ["other"]]


def test_word_diff_marks_changed_words_only() -> None:
    diff = word_diff("We will “win” this vote.", "We will surely win this vote...")
    assert diff == [("=", "We will"), ("+", "surely"), ("=", "win this vote...")]


def test_first_seen_disputed_and_fullest() -> None:
    occ = [
        Occurrence("b", "q1", "We will reopen the northern border crossing next month.", (0, 1),
                   "2024-01-02T10:00:00", "Courier", "Lutz", origin=False),
        Occurrence("a", "q1", FULL, (0, 1), "2024-01-02T10:00:00", "Wire", "Ann Okafor"),
        Occurrence("c", "q4", FULL, (0, 1), None, "Herald", "Okafor"),
    ]  # fmt: skip
    q = summarize("Q1", occ)
    assert q.first_seen.article_id == "a"  # the tie goes to the story's origin
    assert q.occurrences[-1].article_id == "c"  # undated last
    assert q.text == FULL and q.outlets == 3 and q.undated == 1
    assert q.disputed  # Lutz is not Okafor; "Okafor" and "Ann Okafor" agree
    people, disputed = speakers_of(occ[1:])
    assert not disputed and {p.person for p in people} == {"Ann Okafor", "Okafor"}


def test_equal_short_wordings_of_one_article_pair_with_their_copies_in_order() -> None:
    texts = {("a", 1): "Machado", ("a", 2): "Machado", ("b", 1): "Machado", ("b", 2): "Machado"}
    stories = dict.fromkeys(texts, "a")
    rank = {k: k[1] - 1 for k in texts}
    groups = group_quotes(texts, stories, rank)
    assert sorted(map(sorted, groups)) == [[("a", 1), ("b", 1)], [("a", 2), ("b", 2)]]


def test_verification_is_symmetric() -> None:
    a = n("Avalos did not seek to have her boyfriend killed.")
    b = n("Avalos new not seek to have her boyfriend killed.")
    assert same_quotation(a, b) == same_quotation(b, a)
    assert verify_pair(a, b, "s", "s") == verify_pair(b, a, "s", "s")


# Two statements of one minister, next to each other in a wire story, that end in the
# same words: a reprint that cuts the first one in two (the attribution moved inside
# it) leaves a piece that the second one holds too.
ROADS = "The new roads will be paid for by the tolls and will last for a generation."
RAIL = "Our railway plan was costed by the treasury and will last for a generation."
PIECE = "and will last for a generation."


def test_copies_of_a_story_pair_quotes_in_their_order() -> None:
    origin = [n(ROADS), n(RAIL)]
    split = [n("The new roads will be paid for by the tolls"), n(PIECE), n(RAIL)]
    pairs = align(origin, split)
    assert pairs == {(0, 0), (0, 1), (1, 2)}  # the piece stays with the roads
    assert (1, 1) not in pairs
    assert align([n("No comment"), n("No comment")], [n("No comment"), n("No comment")]) == {
        (0, 0),
        (1, 1),
    }


def test_a_piece_of_one_quote_held_by_another_quote_of_the_story_joins_neither_wrongly() -> None:
    texts = {
        ("wire", 0): ROADS,
        ("wire", 1): RAIL,
        ("copy", 0): "The new roads will be paid for by the tolls",
        ("copy", 1): PIECE,
        ("copy", 2): RAIL,
    }
    where = {k: (k[0], k[1] * 100) for k in texts}
    stories = dict.fromkeys(texts, "wire")
    groups = group_quotes(texts, stories, articles=where)
    assert sorted(map(sorted, groups)) == [
        [("copy", 0), ("copy", 1), ("wire", 0)],
        [("copy", 2), ("wire", 1)],
    ]
    # The same piece in one article is not either of its quotes.
    alone = {("a", 0): ROADS, ("a", 1): PIECE, ("a", 2): RAIL}
    groups = group_quotes(alone, dict.fromkeys(alone, "a"), articles={k: k for k in alone})
    assert sorted(map(sorted, groups)) == [[("a", 0)], [("a", 1)], [("a", 2)]]


def test_a_new_statement_that_opens_with_a_piece_of_a_quote_stays_apart() -> None:
    # A reprint adds a later statement that begins with the words of a quote's first
    # half; another reprint cuts that quote in two. The cut half matches both.
    new = "The new roads will be paid for by the tolls on lorries from the port, she added."
    texts = {
        ("wire", 0): ROADS,
        ("copy1", 0): "The new roads will be paid for by the tolls",
        ("copy1", 1): PIECE,
        ("copy2", 0): ROADS,
        ("copy2", 1): new,
    }
    where = {k: (k[0], k[1] * 100) for k in texts}
    groups = group_quotes(texts, dict.fromkeys(texts, "wire"), articles=where)
    assert [("copy2", 1)] in groups
    assert [("copy1", 0), ("copy1", 1), ("copy2", 0), ("wire", 0)] in groups


def test_a_quote_said_again_in_one_article_is_one_quotation() -> None:
    texts = {("a", 0): ROADS, ("a", 1): ROADS.upper()}
    groups = group_quotes(texts, dict.fromkeys(texts, "a"), articles={k: k for k in texts})
    assert groups == [[("a", 0), ("a", 1)]]


def test_a_wire_story_cut_to_its_first_paragraphs_is_the_same_story() -> None:
    # A long story and an outlet's brief of its opening: the brief is all in the story,
    # but it is a tenth of it, so the two share few of the story's word 4-grams.
    towns = ["Arden", "Bexley", "Corran", "Dunmore", "Elston", "Farley", "Garron", "Hale"]
    story = " ".join(
        f"In {towns[i % 8]}, item {i} of the council budget sets aside {i * 7} thousand "
        f"dollars for road number {i + 40} and a bridge over creek {i * 3}."
        for i in range(60)
    )
    brief = "Short version. " + story[: len(story) // 10]
    assert len(brief.split()) >= 40
    groups = group_stories({"wire": story, "brief": brief})
    assert sorted(map(sorted, groups)) == [["brief", "wire"]]


def test_band_keys_of_many_sets_at_once_are_datasketch_minhash_bands() -> None:
    # The rebuild computes MinHashes for thousands of sets in one numpy pass; the keys
    # must be those of datasketch's MinHash over the same shingles, or a store grouped
    # by ingest and one rebuilt would not meet.
    import zlib

    import numpy as np
    from datasketch import MinHash

    bander = Bander(0.4, 64, b"s")
    words = [
        "the",
        "harbour",
        "board",
        "voted",
        "on",
        "tuesday",
        "to",
        "close",
        "the",
        "old",
        "pier",
        "to",
        "heavy",
        "trucks",
    ]
    sets = [
        [" ".join(words[i : i + 2]).encode() for i in range(len(words) - 1)],
        [],
        [b"only one shingle"],
        [" ".join(words[i : i + 4]).encode() for i in range(3, len(words) - 3)] * 2,
    ]
    many = bander.bands_many(sets)
    assert many[1] == []
    for items, keys in zip(sets, many, strict=True):
        if not items:
            continue
        m = MinHash(num_perm=64, scheme="affine32", hashfunc=zlib.crc32)
        m.update_batch(items)
        values = np.asarray(m.hashvalues, dtype=np.uint32)
        expected = [
            _signed64(b"s" + bytes([k]) + values[s:e].tobytes())
            for k, (s, e) in enumerate(bander.ranges)
        ]
        assert keys == expected == bander.bands(items)


def test_band_keys_of_many_wordings_and_texts_are_those_of_each_alone() -> None:
    wordings = [
        normalize("We will not let the provinces stand in the way of it"),
        normalize("Not today"),
        normalize("a veto is a veto"),
        (),
    ]
    assert quote_bands_many(wordings) == [quote_bands(w) for w in wordings]
    text = " ".join(f"word{i % 37} and more" for i in range(90))
    texts = [text, "too short to be a story", text[::-1]]
    assert story_bands_many(texts) == [story_bands(t, story_shingles(t)) for t in texts]
    assert story_bands_many(texts)[1] == []
