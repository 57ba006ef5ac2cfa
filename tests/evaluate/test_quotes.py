"""Scoring rules of wirescope.evaluate.quotes, one behaviour per test, on synthetic records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirescope.cli.evaluate import format_quote_errors
from wirescope.cli.main import main
from wirescope.evaluate.quotes import (
    GoldArticle,
    GoldQuote,
    find_errors,
    load_gold,
    match_quotes,
    mention_type,
    names_match,
    score,
    speaker_right,
)
from wirescope.record.models import Quote, QuoteKind, Record, Span, SpeakerRef

TEXT = "x" * 1000  # offsets are all that scoring reads


def gq(
    span: Span,
    kind: QuoteKind = "direct",
    canonical: str | None = None,
    speaker_span: Span | None = None,
    speaker_text: str | None = None,
    pieces: tuple[Span, ...] = (),
) -> GoldQuote:
    return GoldQuote(
        span=span,
        text=TEXT[span[0] : span[1]],
        kind=kind,
        pieces=pieces or (span,),
        speaker_span=speaker_span,
        speaker_spans=(speaker_span,) if speaker_span else (),
        speaker_text=speaker_text,
        speaker_canonical=canonical,
    )


def pq(
    span: Span,
    kind: QuoteKind = "direct",
    speaker: str | None = None,
    name: str | None = None,
    speaker_span: Span = (900, 905),
) -> Quote:
    ref = SpeakerRef(span=speaker_span, text=speaker, name=name) if speaker else None
    return Quote(id=f"q{span[0]}", span=span, text=TEXT[span[0] : span[1]], kind=kind, speaker=ref)


def rec(quotes: list[Quote], doc_id: str = "a1") -> Record:
    return Record(id="h", source={}, text=TEXT, quotes=quotes, input_id=doc_id)


def art(quotes: list[GoldQuote], doc_id: str = "a1") -> GoldArticle:
    return GoldArticle(id=doc_id, text=TEXT, quotes=quotes)


# ---------------------------------------------------------------- matching


def test_overlap_exactly_at_threshold_matches() -> None:
    # gold 0-100, pred 70-100: 30 shared of the longer 100 -> exactly 0.3
    assert match_quotes([gq((0, 100))], [(70, 100)], 0.3) == [(0, 0)]


def test_overlap_one_char_below_threshold_does_not_match() -> None:
    assert match_quotes([gq((0, 100))], [(71, 100)], 0.3) == []


def test_overlap_is_a_fraction_of_the_longer_span() -> None:
    # pred 0-20 lies inside gold 0-100: 20 shared / 100 (gold is longer) < 0.3
    assert match_quotes([gq((0, 100))], [(0, 20)], 0.3) == []
    # gold 0-20 inside pred 0-100: same, the longer span is the predicted one
    assert match_quotes([gq((0, 20))], [(0, 100)], 0.3) == []


def test_strict_threshold_boundary() -> None:
    assert match_quotes([gq((0, 100))], [(0, 80)], 0.8) == [(0, 0)]
    assert match_quotes([gq((0, 100))], [(0, 79)], 0.8) == []


def test_matching_is_one_to_one_best_overlap_first() -> None:
    gold = [gq((0, 100))]
    # both overlap enough; the better one (0-95) takes the gold quote
    assert match_quotes(gold, [(0, 60), (0, 95)], 0.3) == [(0, 1)]


def test_one_prediction_covers_two_gold_quotes_matches_only_one() -> None:
    gold = [gq((0, 50)), gq((50, 100))]
    # 0-100 overlaps each gold by 50 of 100 = 0.5; only one pair survives
    assert len(match_quotes(gold, [(0, 100)], 0.3)) == 1


def test_greedy_leaves_room_for_the_next_best_pair() -> None:
    gold = [gq((0, 100)), gq((100, 200))]
    pairs = match_quotes(gold, [(0, 100), (60, 190)], 0.3)
    assert pairs == [(0, 0), (1, 1)]


def test_discontinuous_gold_is_measured_on_its_pieces() -> None:
    # '"...", he said, "..."': pieces 0-40 and 60-100; the interruption is not quote
    g = gq((0, 100), pieces=((0, 40), (60, 100)))
    assert match_quotes([g], [(0, 100)], 0.8) == [(0, 0)]  # 80 shared / 100
    assert match_quotes([g], [(0, 40)], 0.3) == [(0, 0)]  # 40 / 80 gold chars
    assert match_quotes([g], [(40, 60)], 0.3) == []  # only the interruption


# ---------------------------------------------------------------- speakers


def test_names_match_ignores_case() -> None:
    assert names_match("justin TRUDEAU", "Justin Trudeau")


def test_names_match_surname() -> None:
    assert names_match("Trudeau", "Justin Trudeau")
    assert names_match("Mr. Trudeau", "Justin Trudeau")


def test_names_match_whole_token_containment() -> None:
    assert names_match("Prime Minister Justin Trudeau", "Justin Trudeau")
    assert names_match("Justin Trudeau", "Justin")  # contained as a token
    assert not names_match("Justine", "Justin Trudeau")  # not a whole token


def test_names_match_different_people() -> None:
    assert not names_match("Andrew Scheer", "Justin Trudeau")
    assert not names_match("he", "Justin Trudeau")
    assert not names_match("", "Justin Trudeau")


def test_speaker_uses_resolved_name_before_text() -> None:
    g = gq((0, 100), canonical="Jane Doe", speaker_text="she")
    assert speaker_right(g, pq((0, 100), speaker="she", name="Jane Doe"))
    assert not speaker_right(g, pq((0, 100), speaker="she"))  # unresolved pronoun


def test_speaker_falls_back_to_text_when_unresolved() -> None:
    g = gq((0, 100), canonical="Jane Doe", speaker_text="Doe")
    assert speaker_right(g, pq((0, 100), speaker="Doe"))


def test_speaker_canonical_ignores_span() -> None:
    # GGT: right name at another mention of the same person is still right
    g = gq((0, 100), canonical="Jane Doe", speaker_span=(200, 203))
    assert speaker_right(g, pq((0, 100), speaker="Doe", speaker_span=(500, 503)))


def test_speaker_span_overlap_without_canonical() -> None:
    g = gq((0, 100), speaker_span=(200, 210), speaker_text="the mayor")
    assert speaker_right(g, pq((0, 100), speaker="mayor", speaker_span=(204, 209)))
    assert not speaker_right(g, pq((0, 100), speaker="mayor", speaker_span=(210, 215)))


def test_speaker_any_gold_speaker_span_counts() -> None:
    g = GoldQuote(
        span=(0, 100),
        text="",
        kind="indirect",
        pieces=((0, 100),),
        speaker_span=(200, 210),
        speaker_spans=((200, 210), (300, 310)),
        speaker_text="x",
    )
    assert speaker_right(g, pq((0, 100), speaker="y", speaker_span=(305, 308)))


def test_gold_without_source_wants_no_speaker() -> None:
    g = gq((0, 100), kind="indirect")  # PolNeAR has_source: false
    assert speaker_right(g, pq((0, 100)))
    assert not speaker_right(g, pq((0, 100), speaker="officials", speaker_span=(0, 5)))


def test_missing_predicted_speaker_is_wrong() -> None:
    assert not speaker_right(gq((0, 100), canonical="Jane Doe"), pq((0, 100)))


# ---------------------------------------------------------------- mention types


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he", "pronoun"),
        ("She", "pronoun"),
        ("Trudeau", "name"),
        ("Mr. Obama", "name"),
        ("The New York Post", "name"),
        ("al-Shabaab", "name"),
        ("the mayor", "nominal"),
        ("the Canadian minister", "nominal"),
        ("officials", "nominal"),
        (None, "none"),
    ],
)
def test_mention_type(text: str | None, expected: str) -> None:
    assert mention_type(text) == expected


# ---------------------------------------------------------------- scores


def test_scores_precision_recall_f1_and_attributed() -> None:
    gold = [
        art(
            [
                gq((0, 100), canonical="Jane Doe", speaker_text="Doe"),
                gq((200, 300), canonical="John Roe", speaker_text="he"),
                gq((400, 500), canonical="John Roe", speaker_text="Roe"),
            ]
        )
    ]
    pred = [
        rec(
            [
                pq((0, 100), speaker="Doe", name="Jane Doe"),  # match, right
                pq((200, 300), speaker="he", name="Jane Doe"),  # match, wrong
                pq((600, 700), speaker="Roe"),  # spurious
            ]
        )
    ]
    s = score(gold, pred)
    q = s.at[0.3].quotes["overall"]
    assert (q.gold, q.pred, q.tp_gold, q.tp_pred) == (3, 3, 2, 2)
    assert q.precision == pytest.approx(2 / 3)
    assert q.recall == pytest.approx(2 / 3)
    assert q.f1 == pytest.approx(2 / 3)
    assert s.at[0.3].speaker["overall"].value == pytest.approx(0.5)
    a = s.at[0.3].attributed["overall"]
    assert a.precision == pytest.approx(1 / 3)
    assert a.recall == pytest.approx(1 / 3)
    summary = s.summary()
    assert summary["quote_f1_03"] == pytest.approx(2 / 3)
    assert summary["attributed_f1_03"] == pytest.approx(1 / 3)
    assert summary["speaker_acc_08"] == pytest.approx(0.5)


def test_by_kind_recall_uses_gold_kind_precision_uses_predicted_kind() -> None:
    gold = [art([gq((0, 100), kind="direct")])]
    pred = [rec([pq((0, 100), kind="indirect")])]
    s = score(gold, pred).at[0.3].quotes
    assert s["direct"].recall == 1.0  # the gold direct quote was found
    assert s["direct"].pred == 0
    assert s["indirect"].precision == 1.0  # our indirect prediction was right
    assert s["indirect"].gold == 0
    assert s["mixed"].f1 == 0.0


def test_strict_threshold_scored_separately() -> None:
    gold = [art([gq((0, 100))])]
    pred = [rec([pq((0, 50))])]
    s = score(gold, pred)
    assert s.at[0.3].quotes["overall"].f1 == 1.0
    assert s.at[0.8].quotes["overall"].f1 == 0.0


def test_by_mention_type_rows() -> None:
    gold = [
        art(
            [
                gq((0, 100), canonical="Jane Doe", speaker_text="she"),
                gq((200, 300), canonical="Jane Doe", speaker_text="Doe"),
                gq((400, 500), canonical="Jane Doe"),  # implicit speaker
            ]
        )
    ]
    pred = [rec([pq((0, 100), speaker="she"), pq((200, 300), speaker="Doe")])]
    rows = score(gold, pred).at[0.3].by_mention
    assert (rows["pronoun"].gold, rows["pronoun"].matched, rows["pronoun"].speaker_right) == (
        1,
        1,
        0,
    )
    assert rows["name"].speaker_acc == 1.0
    assert rows["none"].gold == 1 and rows["none"].recall == 0.0


def test_articles_are_paired_by_input_id_and_missing_ones_count() -> None:
    gold = [art([gq((0, 100))], "a1"), art([gq((0, 100))], "a2")]
    pred = [rec([pq((0, 100))], "a2")]
    s = score(gold, pred)
    assert s.missing == 1
    assert s.at[0.3].quotes["overall"].recall == 0.5


def test_no_predictions_scores_zero_without_dividing_by_zero() -> None:
    s = score([art([gq((0, 100))])], [rec([])])
    assert s.summary() == {
        "quote_f1_03": 0.0,
        "speaker_acc_03": 0.0,
        "attributed_f1_03": 0.0,
        "quote_f1_08": 0.0,
        "speaker_acc_08": 0.0,
        "attributed_f1_08": 0.0,
    }


def test_find_errors_lists_missed_spurious_and_wrong_speaker() -> None:
    gold = [
        art(
            [
                gq((0, 100), canonical="Jane Doe", speaker_text="Doe"),
                gq((200, 300), canonical="John Roe", speaker_text="Roe"),
            ]
        )
    ]
    pred = [rec([pq((0, 100), speaker="Smith"), pq((600, 700), speaker="Roe")])]
    (errs,) = find_errors(gold, pred)
    assert [i.what for i in errs.items] == ["wrong speaker", "missed", "spurious"]
    assert errs.items[0].gold_speaker == "Doe = Jane Doe"
    assert errs.items[0].pred_speaker == "Smith"
    out = format_quote_errors([errs])
    assert "== a1" in out and "MISSED" in out and "SPURIOUS" in out


# ---------------------------------------------------------------- gold file + CLI

STORY = (
    'Mayor Ada Pell opened the new bridge on Tuesday. "It took ten years, but we did it," '
    "Pell said. She added that the toll would be dropped next spring."
)


def _gold_line(doc_id: str) -> str:
    direct = '"It took ten years, but we did it,"'
    q1 = STORY.index(direct)
    s1 = STORY.index("Pell said")
    ind = "that the toll would be dropped next spring"
    q2 = STORY.index(ind)
    quotes = [
        {
            "quote_start": q1,
            "quote_end": q1 + len(direct),
            "quote_text": direct,
            "speaker_start": s1,
            "speaker_end": s1 + 4,
            "speaker_text": "Pell",
            "speaker_canonical": "Ada Pell",
            "kind": "direct",
        },
        {
            "quote_start": q2,
            "quote_end": q2 + len(ind),
            "quote_text": ind,
            "speaker_start": STORY.index("She"),
            "speaker_end": STORY.index("She") + 3,
            "speaker_text": "She",
            "speaker_canonical": "Ada Pell",
            "kind": "indirect",
        },
    ]
    return json.dumps({"id": doc_id, "text": STORY, "quotes": quotes, "meta": {}})


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text(_gold_line("t1") + "\n" + _gold_line("t2") + "\n", encoding="utf-8")
    return path


def test_load_gold_reads_spans(gold_file: Path) -> None:
    a, _ = load_gold(gold_file)
    assert a.id == "t1" and len(a.quotes) == 2
    q = a.quotes[0]
    assert a.text[q.span[0] : q.span[1]] == q.text
    assert q.speaker_canonical == "Ada Pell" and q.mention_type == "name"
    assert a.quotes[1].mention_type == "pronoun"
    assert len(load_gold(gold_file, limit=1)) == 1


def test_cli_prints_table_rows(gold_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(gold_file)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    for row in ("overall", "direct", "indirect", "mixed", "name", "pronoun", "nominal"):
        assert any(line.startswith(row) for line in lines), row
    assert "F1@0.3" in out and "F1@0.8" in out and "articles/s" in out
    assert "2 articles, 4 gold quotes" in out


def test_cli_json(gold_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(gold_file), "--json", "--limit", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 1
    assert set(data["summary"]) >= {"quote_f1_03", "quote_f1_08", "attributed_f1_03"}
    assert data["thresholds"]["0.3"]["quotes"]["overall"]["gold"] == 2


def test_cli_errors_flag(gold_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(gold_file), "--errors"]) == 0
    assert "overall" in capsys.readouterr().out


def test_cli_unreadable_gold_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.jsonl"
    assert main(["evaluate", str(missing)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(missing) in err


def test_cli_malformed_gold_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 1
    assert f"{bad}:1" in capsys.readouterr().err
