"""The one rebuild-or-stale report that `wirescope people` and `quotations` share."""

from __future__ import annotations

import pytest

from wirescope.cli.render import regrouped_or_stale


def _never() -> int:
    raise AssertionError("regrouped without --rebuild")


def test_rebuild_regroups_and_says_over_how_many_articles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    regrouped_or_stale(True, lambda: 7, lambda: True, "quotations", "grouped")
    assert capsys.readouterr().err == "wirescope: quotations grouped again over 7 articles\n"


def test_stale_groups_are_an_error_line_naming_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    regrouped_or_stale(False, _never, lambda: True, "people", "matched")
    assert capsys.readouterr().err == (
        "wirescope: error: people are out of date (an ingest --cluster did not finish):"
        " run `wirescope people --rebuild`\n"
    )
    regrouped_or_stale(False, _never, lambda: False, "people", "matched")
    assert capsys.readouterr().err == ""
