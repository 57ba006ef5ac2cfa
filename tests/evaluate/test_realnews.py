"""wirescope.evaluate.realnews: graded real-news pages scored the way the data set's
score.py scores them, on our own small pages and records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wirescope.cli.evaluate import format_realnews, gold_format
from wirescope.cli.main import main
from wirescope.errors import GoldFormatError
from wirescope.evaluate.quotes import resolved_kind
from wirescope.evaluate.realnews import (
    cover,
    is_graded_file,
    is_match,
    load_graded,
    same_speaker_any,
    score,
    score_page,
    tokens,
)


def page(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "file": "pages/ours.html",
        "expected": {
            "headline": ["Council votes to close the old bridge"],
            "published": ["2024-03-05T10:00:00+00:00"],
            "dateline": {"place": "Albany", "agency": None},
        },
        "quotes_gold": [
            {
                "text": "the bridge is no longer safe for heavy trucks",
                "speaker": "Maria Lopez",
                "kind": "indirect",
            },
            {
                "text": "We have waited far too long for a decision on the crossing",
                "speaker": "Residents of the east bank",
                "kind": "direct",
                "aliases": ["residents"],
            },
        ],
        "quotes_neutral": [{"text": "why the repairs were never funded by the state"}],
    }
    base.update(over)
    return base


def record(quotes: list[dict[str, Any]], **over: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "source": {"path": "/x/pages/ours.html"},
        "headline": "Council votes to close the old bridge",
        "published": "2024-03-05T06:00:00-04:00",
        "dateline": {"place": "Albany", "agency": None},
        "entities": [{"id": "p1", "name": "Maria Lopez"}, {"id": "c1", "name": "residents"}],
        "quotes": quotes,
    }
    rec.update(over)
    return rec


def q(qid: str, text: str, entity: str | None, mention: str = "name", said: str = "") -> Any:
    spk = {"entity": entity, "mention_type": mention, "text": said or "x"} if entity else None
    return {"id": qid, "text": text, "speaker": spk}


def test_tokens_drop_quote_marks_and_case() -> None:
    assert tokens("“He’s OK,” she said…") == ["hes", "ok", "she", "said"]


def test_a_cut_gold_matches_the_full_prediction() -> None:
    gold = tokens("the bridge is no longer safe ... for heavy trucks")
    pred = tokens("the bridge is no longer safe for heavy trucks or buses, she added")
    assert is_match(cover(gold, pred))


def test_two_unrelated_sentences_do_not_match_on_function_words() -> None:
    gold = tokens("as part of the plan the mayor will resign")
    pred = tokens("as part of the deal the union accepted pay cuts")
    assert not is_match(cover(gold, pred))


def test_found_spurious_fragment_and_neutral_are_told_apart() -> None:
    preds = [
        q("q1", "the bridge is no longer safe for heavy trucks", "p1"),
        q("q2", "We have waited far too long", "c1", "nominal", "residents"),
        q("q3", "a decision on the crossing, they added, we have waited", "c1"),
        q("q4", "why the repairs were never funded by the state", "p1"),
        q("q5", "the weather will turn cold by the weekend", "p1"),
    ]
    r = score_page(page(), record(preds))
    assert (r.found, r.spurious, r.fragments, r.neutral) == (2, 1, 1, 1)
    assert r.speaker_right == 2
    assert r.checks == {"headline": True, "published": True, "dateline": True}


def test_speaker_agreement_by_surname_initial_acronym_and_alias() -> None:
    assert same_speaker_any("Lopez", "Maria Lopez")
    assert same_speaker_any("M. Lopez", "Maria Lopez")
    assert same_speaker_any("WHO", "World Health Organization")
    assert same_speaker_any("residents", "Residents of the east bank", ["residents"])
    assert not same_speaker_any("Juan Perez", "Maria Lopez")
    assert same_speaker_any("Ana Ruiz", "Ana Ruiz and Tom Bell")  # either of two named


def test_a_page_without_record_counts_every_gold_missed_and_every_check_failed() -> None:
    totals = score([page()], {})
    t = totals.figures()
    assert (t["found"], t["missed"], t["missing_records"]) == (0, 2, ["ours.html"])
    assert t["dateline"] == "0/1"


def test_dateline_agency_must_match_when_expected() -> None:
    exp = {"dateline": {"place": "Amman", "agency": "Reuters"}}
    got = record([], dateline={"place": "Amman", "agency": None})
    assert score_page(page(expected=exp), got).checks["dateline"] is False
    got = record([], dateline={"place": "Amman", "agency": "Reuters"})
    assert score_page(page(expected=exp), got).checks["dateline"] is True


def test_resolved_kind_separates_named_organisations_from_descriptions() -> None:
    assert resolved_kind("org", "Facebook") == "name"
    assert resolved_kind("org", "the company") == "description"
    assert resolved_kind("nominal", "the minister") == "description"
    assert resolved_kind("pronoun", "she") == "pronoun"
    assert resolved_kind("none", "Lopez") == "none"


def test_accuracy_by_resolved_kind_counts_matched_quotes() -> None:
    preds = [
        q("q1", "the bridge is no longer safe for heavy trucks", "p1", "pronoun", "she"),
        q("q2", "We have waited far too long for a decision", "p1", "nominal", "the mayor"),
    ]
    totals = score([page()], {"ours.html": record(preds)})
    assert (totals.by_kind["pronoun"].found, totals.by_kind["pronoun"].right) == (1, 1)
    assert (totals.by_kind["description"].found, totals.by_kind["description"].right) == (1, 0)
    text = format_realnews(totals)
    assert "quote P 1.0 R 1.0" in text and "speaker acc 0.5" in text


def test_graded_files_are_told_from_jsonl_gold(tmp_path: Path) -> None:
    graded = tmp_path / "graded.json"
    graded.write_text(json.dumps([page()], indent=1), encoding="utf-8")
    jsonl = tmp_path / "gold.jsonl"
    jsonl.write_text(json.dumps({"id": "a", "text": "t", "quotes": []}) + "\n", encoding="utf-8")
    assert is_graded_file(graded) and not is_graded_file(jsonl)
    assert gold_format(str(graded)) == "wirescope.evaluate.realnews"
    assert gold_format(str(jsonl)) == "wirescope.evaluate.quotes"


def test_a_malformed_graded_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "graded.json"
    bad.write_text(json.dumps([{"file": "a.html", "quotes_gold": [{"speaker": "X"}]}]))
    with pytest.raises(GoldFormatError, match=r"graded\.json: page 0"):
        load_graded(bad)


PAGE = """<html><head><title>Council votes to close the old bridge</title>
<meta property="article:published_time" content="2024-03-05T10:00:00+00:00"></head>
<body><article><h1>Council votes to close the old bridge</h1>
<p>ALBANY, N.Y. — The city council voted on Monday to close the old bridge.</p>
<p>Maria Lopez, the city engineer, said the bridge is no longer safe for heavy trucks.</p>
<p>“We have waited far too long for a decision on the crossing,” said Tom Bell, who
lives on the east bank.</p></article></body></html>"""


def test_evaluate_command_extracts_the_pages_and_prints_the_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "ours.html").write_text(PAGE, encoding="utf-8")
    graded = tmp_path / "graded.json"
    gold = page()
    gold["quotes_gold"][1]["speaker"] = "Tom Bell"
    graded.write_text(json.dumps([gold]), encoding="utf-8")
    assert main(["evaluate", str(graded)]) == 0
    out = capsys.readouterr().out
    assert "ours.html" in out and "resolved mention" in out
    assert "quote P 1.0 R 1.0 F1 1.0 | speaker acc 1.0" in out
