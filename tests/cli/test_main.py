"""The CLI's edge: an unexpected error is one line, or its traceback with --debug; the
library's warnings reach the terminal as one line each."""

from __future__ import annotations

import logging

import pytest

from wirescope.cli import main as cli_main


def _boom(args: object) -> int:
    raise RuntimeError("a bug")


def test_unexpected_error_is_one_line_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_main, "_extract", _boom)
    assert cli_main.main(["extract", "x.txt"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "wirescope: error: RuntimeError: a bug (run with --debug for the traceback)"
    ]


def test_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_main, "_extract", _boom)
    assert cli_main.main(["--debug", "extract", "x.txt"]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "in _boom" in err


def test_library_warnings_print_as_warning_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def warns(args: object) -> int:
        logging.getLogger("wirescope.ingest.local").warning("%s: %s", "a.txt", "repaired")
        return 0

    monkeypatch.setattr(cli_main, "_extract", warns)
    assert cli_main.main(["extract", "x.txt"]) == 0
    assert capsys.readouterr().err == "wirescope: warning: a.txt: repaired\n"
