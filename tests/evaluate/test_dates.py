"""TempEval-3 scoring of date mentions, and `wirescope evaluate` choosing it by gold format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirescope.cli.evaluate import gold_format
from wirescope.cli.main import main
from wirescope.evaluate.dates import GoldDoc, GoldTimex, load_gold, match, score
from wirescope.record.models import DateMention

TEXT = "The board met on Tuesday and will vote in the third quarter, for 90 days."


def _gold() -> GoldDoc:
    def t(s: str, typ: str, value: str) -> GoldTimex:
        start = TEXT.index(s)
        return GoldTimex((start, start + len(s)), s, typ, value)

    return GoldDoc(
        "doc1",
        TEXT,
        None,
        (
            t("Tuesday", "DATE", "2021-03-02"),
            t("the third quarter", "DATE", "2021-Q3"),
            t("90 days", "DURATION", "P90D"),
        ),
    )


def _pred(s: str, value: str, typ: str = "DATE", cut: int = 0) -> DateMention:
    start = TEXT.index(s) + cut
    return DateMention((start, start + len(s) - cut), s[cut:], value, None, type=typ)  # type: ignore[arg-type]


def test_strict_relaxed_value_and_type_measures() -> None:
    gold = _gold()
    preds = [
        _pred("Tuesday", "2021-03-02"),  # strict, value right
        _pred("the third quarter", "2021-Q2", cut=4),  # relaxed only, value wrong
        _pred("board", "PRESENT_REF"),  # spurious
    ]
    s = score([gold], [preds])
    assert (s.strict.tp_gold, s.relaxed.tp_gold, s.relaxed.gold, s.relaxed.pred) == (1, 2, 3, 3)
    assert s.value_acc == pytest.approx(0.5)
    assert s.value_f1 == pytest.approx(s.relaxed.f1 * 0.5)
    assert s.by_type["DURATION"].recall == 0.0 and s.by_type["DATE"].recall == 1.0
    assert s.by_type["DATE"].precision == pytest.approx(2 / 3)


def test_matching_is_one_to_one() -> None:
    gold = _gold()
    preds = [_pred("Tuesday", "x"), _pred("Tuesday", "y", cut=2)]
    assert len(match(gold.timex, preds)) == 1


def _write_gold(tmp_path: Path) -> Path:
    path = tmp_path / "dates.jsonl"
    timex = [
        {"start": TEXT.index(s), "end": TEXT.index(s) + len(s), "type": typ, "value": value}
        for s, typ, value in (
            ("Tuesday", "DATE", "2021-03-02"),
            ("the third quarter", "DATE", "2021-Q3"),
            ("90 days", "DURATION", "P90D"),
        )
    ]
    row = {"id": "d1", "text": TEXT, "published": "2021-03-03", "timex": timex}
    path.write_text(json.dumps(row) + "\n", "utf-8")
    return path


def test_evaluate_dispatches_on_gold_format(tmp_path: Path) -> None:
    path = _write_gold(tmp_path)
    assert gold_format(str(path)) == "wirescope.evaluate.dates"
    quotes = tmp_path / "q.jsonl"
    quotes.write_text(json.dumps({"id": "q", "text": "x", "quotes": []}) + "\n", "utf-8")
    assert gold_format(str(quotes)) == "wirescope.evaluate.quotes"
    assert load_gold(path)[0].published is not None


def test_evaluate_cli_prints_tempeval_measures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_gold(tmp_path)
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    for label in ("strict", "relaxed", "value F1", "DURATION"):
        assert label in out
    assert main(["evaluate", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["relaxed"]["f1"] == 1.0 and figures["value_accuracy"] == 1.0


def test_bad_gold_line_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "x", "timex": [{"start": 0}]}\n', "utf-8")
    assert main(["evaluate", str(path)]) == 1
    assert "cannot read gold file" in capsys.readouterr().err
