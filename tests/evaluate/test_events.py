"""The events scorer: TimeML gold, TLINK anchors, relaxed trigger matching, halves."""

from __future__ import annotations

from wirescope.evaluate.events import (
    _gold_doc,
    half_of,
    match,
    score,
    select_half,
    when_matches,
)
from wirescope.record.models import Event

ROW = {
    "id": "doc1",
    "text": "Troops attacked the town on Monday and the mayor said it burned.",
    "published": "1998-02-06",
    "timex": [{"start": 28, "end": 34, "type": "DATE", "value": "1998-02-02", "tid": "t1"}],
    "dct_tid": "t0",
    "events": [
        {"start": 7, "end": 15, "class": "OCCURRENCE", "tense": "PAST", "aspect": "NONE",
         "polarity": "POS", "eiids": ["ei1"]},
        {"start": 49, "end": 53, "class": "REPORTING", "tense": "PAST", "aspect": "NONE",
         "polarity": "POS", "eiids": ["ei2"]},
        {"start": 57, "end": 63, "class": "OCCURRENCE", "tense": "PAST", "aspect": "NONE",
         "polarity": "POS", "eiids": ["ei3"]},
    ],
    "tlinks": [
        {"lid": "l1", "relType": "IS_INCLUDED", "eventInstanceID": "ei1", "relatedToTime": "t1"},
        {"lid": "l2", "relType": "INCLUDES", "timeID": "t0", "relatedToEventInstance": "ei2"},
        {"lid": "l3", "relType": "BEFORE", "eventInstanceID": "ei3", "relatedToTime": "t0"},
    ],
}  # fmt: skip


def test_anchors_read_both_directions_and_the_creation_time() -> None:
    gold = _gold_doc(ROW)
    assert [e.text for e in gold.events] == ["attacked", "said", "burned"]
    assert [e.anchors for e in gold.events] == [("1998-02-02",), ("1998-02-06",), ()]


def test_when_is_judged_at_the_gold_granularity() -> None:
    assert when_matches("1998-02", "1998-02-06")  # a day inside the gold month
    assert not when_matches("1998-02-06", "1998-02")  # coarser than the gold
    assert when_matches("1998-W06", "1998-02-06")
    assert not when_matches("1998-02-02", None)


def test_relaxed_matching_and_scores() -> None:
    gold = _gold_doc(ROW)
    attacked = Event(id="e1", span=(0, 40), trigger="attacked", trigger_span=(7, 15),
                     event_class="OCCURRENCE", tense="PAST", when="1998-02-02")  # fmt: skip
    said = Event(id="e2", span=(39, 53), trigger="said", trigger_span=(49, 53),
                 event_class="OCCURRENCE", tense="PAST", when="1998-02-05")  # fmt: skip
    spurious = Event(id="e3", span=(20, 24), trigger="town", trigger_span=(20, 24))
    assert match(gold.events, [attacked, said, spurious]) == [(0, 0), (1, 1)]
    s = score([gold], [[attacked, said, spurious]])
    assert (s.triggers.gold, s.triggers.pred, s.triggers.tp_gold) == (3, 3, 2)
    assert (s.cls.right, s.cls.total) == (1, 2)  # "said" is REPORTING in the gold
    assert (s.anchored, s.when_covered, s.when_right) == (2, 2, 1)


def test_halves_are_stable_and_split_the_documents() -> None:
    ids = [f"doc{i}" for i in range(40)]
    assert [half_of(i) for i in ids] == [half_of(i) for i in ids]
    assert {half_of(i) for i in ids} == {"A", "B"}
    gold = [_gold_doc(ROW | {"id": i}) for i in ids]
    a, b = select_half(gold, "A"), select_half(gold, "b")
    assert len(a) + len(b) == 40 and not {g.id for g in a} & {g.id for g in b}
