"""Quotations and reprints in the store, on every backend: grouping at ingest equals a
rebuild, reprints make the story's origin the first seen, and a quotation keeps its
id through re-ingest, --reprocess and deletions."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from wirescope.record.models import Record
from wirescope.store.base import ArticleKey, Store

from .conftest import make_record

# A wire story (our own words), its reprint, and another story quoting the same
# minister saying something else with shared phrases.
STORY = (
    "OTTAWA (Wire) - The federal government will spend four billion dollars on new "
    "rail lines across the prairies over the next decade, the transport minister said "
    "on Tuesday. "
    '"We are building the railway this country needs for the next hundred years, and '
    'we will not let the provinces stand in the way of it," Amara Okafor said. '
    "Farmers have waited years for better freight links, and grain shippers welcomed the "
    "plan, though critics said the money would arrive too slowly to help this harvest. "
    '"The money is there," Okafor said.'
)
QUOTE = (
    "We are building the railway this country needs for the next hundred years, and "
    "we will not let the provinces stand in the way of it,"
)
SHORT = "The money is there,"
# The reprint: an outlet's line on top, the quote trimmed and its marks changed.
REPRINT = "Daily Courier staff. " + STORY.replace(
    QUOTE, "We are building the railway this country needs for the next hundred years..."
).replace('"We are', "“We are")
TRIMMED = "We are building the railway this country needs for the next hundred years..."
OTHER = (
    "REGINA (Herald) - The transport minister answered her critics at a town hall. "
    '"We are building the railway this country needs, but we will pay for it with '
    'tolls on trucks and not with the taxes of farmers," Amara Okafor said, adding '
    "that the tolls would be reviewed every year by an independent board of shippers."
)
OTHER_QUOTE = (
    "We are building the railway this country needs, but we will pay for it with "
    "tolls on trucks and not with the taxes of farmers,"
)
MINISTER = [{"id": "p1", "name": "Amara Okafor", "mention": "Amara Okafor"}]


def wire(rid: str, text: str, quote: str, published: str | None, site: str) -> Record:
    quotes: list[dict[str, Any]] = [{"text": quote, "speaker": "p1", "speaker_text": "Okafor"}]
    if SHORT in text:
        quotes.append({"text": SHORT, "speaker": "p1", "speaker_text": "Okafor"})
    r = make_record(rid, text, published=published, people=MINISTER, quotes=quotes)
    r.source["site_name"] = site
    return r


def corpus() -> list[Record]:
    return [
        wire("origin", STORY, QUOTE, "2024-05-07T10:00:00", "Wire"),
        wire("reprint", REPRINT, TRIMMED, "2024-05-07T13:30:00", "Daily Courier"),
        wire("other", OTHER, OTHER_QUOTE, "2024-05-09T09:00:00", "Herald"),
    ]


def write(store: Store, records: list[Record], fingerprint: str | None = None) -> None:
    for r in records:
        store.write_batch([(ArticleKey(r.source["path"]), r)], [], fingerprint=fingerprint)


def snapshot(store: Any) -> tuple[Any, ...]:
    rows = store.quotations(limit=1000)
    return (store.quotation_members(), store.story_members(), [vars(r) for r in rows])


def test_a_reprinted_quote_is_one_quotation_first_seen_at_the_origin(store: Any) -> None:
    origin, reprint, other = corpus()
    write(store, [reprint, other, origin])  # the reprint is ingested first
    members = store.quotation_members()
    assert members[("origin", "q1")] == members[("reprint", "q1")]
    assert members[("other", "q1")] != members[("origin", "q1")]
    # The short quote is grouped within the story only.
    assert members[("origin", "q2")] == members[("reprint", "q2")]
    stories = store.story_members()
    assert stories["origin"] == stories["reprint"] == "origin"
    assert stories["other"] == "other"
    q = store.quotation(members[("origin", "q1")])
    assert q.first_seen.article_id == "origin"
    assert q.first_seen.outlet == "Wire"
    assert [o.article_id for o in q.occurrences] == ["origin", "reprint"]
    assert q.outlets == 2 and not q.disputed
    assert [(s.person, s.count) for s in q.speakers] == [("Amara Okafor", 2)]
    assert q.text.startswith("We are building") and q.text.endswith("stand in the way of it,")
    trimmed = next(v for v in q.variants if v.text == TRIMMED)
    assert ("-", "and we will not let the provinces stand in the way of it,") in trimmed.diff
    links = store.quote_links("reprint")
    assert links["q1"].first_article == "origin" and links["q1"].articles == 1


def test_a_different_speaker_makes_a_quotation_disputed(store: Any) -> None:
    origin, reprint, _ = corpus()
    text = reprint.text.replace("Okafor said", "Bernard Lutz said", 1)
    moved = make_record(
        "reprint",
        text,
        published="2024-05-07T13:30:00",
        people=[{"id": "p9", "name": "Bernard Lutz", "mention": "Bernard Lutz"}],
        quotes=[{"text": TRIMMED, "speaker": "p9", "speaker_text": "Bernard Lutz"}],
    )
    write(store, [origin, moved])
    (row,) = [r for r in store.quotations(limit=10) if r.occurrences == 2 and r.articles == 2]
    assert row.disputed
    assert {s["person"] for s in row.speakers} == {"Amara Okafor", "Bernard Lutz"}
    assert [r.id for r in store.quotations(disputed=True)] == [row.id]
    assert store.quotations(min_outlets=3) == []


def test_incremental_grouping_equals_a_rebuild_in_any_order(open_fresh: Any) -> None:
    records = corpus()
    store = open_fresh()
    write(store, records)
    first = snapshot(store)
    store.rebuild_quotations()
    assert snapshot(store) == first
    # Another order, in batches of two, gives the same groups and ids.
    shuffled = records[:]
    random.Random(3).shuffle(shuffled)
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in shuffled[:2]], [])
    assert snapshot(store) == first
    for r in records:
        store.delete(r.id)
    assert store.quotation_members() == {} and store.quotations() == []
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in shuffled[:2]], [])
    store.write_batch([(ArticleKey(r.source["path"]), r) for r in shuffled[2:]], [])
    assert snapshot(store) == first


def test_quotations_survive_reingest_and_reprocess(store: Any) -> None:
    records = corpus()
    write(store, records, fingerprint="v1")
    before = snapshot(store)
    write(store, records, fingerprint="v1")  # skipped: the same text and extractor
    assert snapshot(store) == before
    write(store, records, fingerprint="v2")  # --reprocess: each article made again
    assert snapshot(store) == before


def test_deleting_the_origin_splits_what_it_joined(store: Any) -> None:
    origin, reprint, other = corpus()
    write(store, [origin, reprint, other])
    store.delete("origin")
    after = snapshot(store)
    store.rebuild_quotations()
    assert snapshot(store) == after
    assert store.story_members() == {"reprint": "reprint", "other": "other"}


def test_people_rebuild_and_concurrent_writers_keep_quotations(store: Any) -> None:
    records = corpus()
    write(store, records)
    before = snapshot(store)
    store.rebuild_people()
    assert snapshot(store) == before
    # Cluster writers (write_unresolved) leave quotations to one rebuild at the end.
    changed = replace(records[2], id="other2", text=records[2].text + " More.")
    store.write_unresolved([(ArticleKey("/corpus/other2.txt"), changed)], [])
    assert store.quotations_pending()
    store.rebuild_people()
    store.rebuild_quotations()
    assert not store.quotations_stale() and not store.quotations_pending()
    assert store.quotation_members()[("other2", "q1")] == store.quotation_members()[("other", "q1")]


def test_a_short_quote_said_twice_in_a_story_is_two_quotations(store: Any) -> None:
    text = (
        STORY + ' Asked about the deadline, Okafor said "No comment" and, later, about the '
        'tolls, "No comment" again, before she left the room.'
    )
    origin = make_record(
        "twice", text, people=MINISTER, quotes=[{"text": "No comment", "speaker": "p1"}]
    )
    second = text.index("No comment", text.index("No comment") + 1)
    quote = replace(origin.quotes[0], id="q2", span=(second, second + len("No comment")))
    origin.quotes.append(quote)
    copy = replace(origin, id="twice-copy", text="Courier. " + text)
    copy.quotes = [replace(q, span=(q.span[0] + 9, q.span[1] + 9)) for q in origin.quotes]
    copy.source = {**origin.source, "path": "/corpus/twice-copy.txt"}
    write(store, [copy, origin])
    members = store.quotation_members()
    assert members[("twice", "q1")] == members[("twice-copy", "q1")]
    assert members[("twice", "q2")] == members[("twice-copy", "q2")]
    assert members[("twice", "q1")] != members[("twice", "q2")]


def test_articles_written_unresolved_are_grouped_as_ingest_groups_them(store: Any) -> None:
    # Cluster workers write without grouping; the end of the run groups only what they
    # wrote, into what was grouped before, and that equals a rebuild of everything.
    origin, reprint, other = corpus()
    write(store, [other])
    store.write_unresolved([(ArticleKey(r.source["path"]), r) for r in (reprint, origin)], [])
    assert store.quotations_pending() and not store.quotations_stale()
    assert store.group_pending_quotations() == 2
    assert not store.quotations_pending()
    members = store.quotation_members()
    assert members[("origin", "q1")] == members[("reprint", "q1")]
    grouped = snapshot(store)
    store.rebuild_quotations()
    assert snapshot(store) == grouped


def test_an_article_replaced_unresolved_regroups_everything(store: Any) -> None:
    origin, reprint, other = corpus()
    write(store, [origin, reprint, other])
    changed = replace(reprint, id="reprint-v2", text=reprint.text + " A late correction.")
    store.write_unresolved([(ArticleKey(reprint.source["path"]), changed)], [])
    assert store.quotations_stale()  # what the old reprint joined must be split again
    store.group_pending_quotations()
    assert not store.quotations_stale() and not store.quotations_pending()


STATEMENTS = [
    "The council will vote on the new harbour budget before the end of the summer session",
    "Our nurses have worked double shifts for months and the hospital cannot go on like this",
    "We have asked the ministry three times for the flood maps and we are still waiting",
    "Nobody on this team thinks the season is over, not after the way we played tonight",
    "The new bridge will carry trucks from the port to the highway without crossing the town",
    "Teachers want smaller classes more than they want a raise, and the survey shows it",
]
VOCABULARY = str.split(
    "city union province harbour council budget ferry bridge school nurse river road"
    " market winter summer village mayor clinic station tunnel farm mill court library"
)


def test_a_rebuild_in_batches_groups_a_larger_corpus_as_ingest_did(
    open_fresh: Any, monkeypatch: Any
) -> None:
    # Stories of two statements each, reprinted with trims, a changed word and another
    # speaker: the rebuild verifies candidates a few at a time (BATCH), yet makes the
    # groups, ids and summaries that ingest made, in any order of arrival.
    from wirescope.store import quotations

    rng = random.Random(11)
    records = []
    for s in range(6):
        a, b = STATEMENTS[s], STATEMENTS[(s + 1) % len(STATEMENTS)]
        body = " ".join(rng.choice(VOCABULARY) for _ in range(60)) + ". "
        for copy in range(3):
            qa = a if copy == 0 else " ".join(a.split()[rng.randint(0, 2) :])
            qb = b.replace("the", "a", 1) if copy == 2 else b
            text = (
                f"Outlet {copy} reports. {body}Story {s} begins here. "
                f'"{qa}," Amara Okafor said. {body}"{qb}," she added.'
            )
            r = make_record(
                f"s{s}c{copy}",
                text,
                published=f"2024-05-{10 + s:02d}T{8 + copy:02d}:00:00",
                people=MINISTER,
                quotes=[
                    {"text": qa, "speaker": "p1", "speaker_text": "Okafor"},
                    {"text": qb, "speaker": "p1" if copy else None, "speaker_text": "she"},
                ],
            )
            r.source["site_name"] = f"Outlet {copy}"
            records.append(r)
    rng.shuffle(records)
    store = open_fresh()
    for i in range(0, len(records), 4):
        store.write_batch([(ArticleKey(r.source["path"]), r) for r in records[i : i + 4]], [])
    ingested = snapshot(store)
    assert len({q for q in ingested[0].values()}) < len(ingested[0])  # some grouped
    assert len(set(ingested[1].values())) == 6  # six stories
    monkeypatch.setattr(quotations._Rebuild, "BATCH", 3)
    assert store.rebuild_quotations(chunk=5) == len(records)
    assert snapshot(store) == ingested
    for q in store.quotations(limit=100):
        assert store.quotation(q.id) is not None
