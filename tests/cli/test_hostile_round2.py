"""Issue 21, hostile input second round, through the commands a user runs: one bad
input is one named failure, the good ones around it are still stored."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest

from wirescope.cli.main import main

DEEP = "[" * 1000 + "]" * 1000


def _story(n: int) -> str:
    return (
        f"2024-May-{n % 28 + 1:02d} 09:15\n\nHarbour Story {n}\n\n"
        f"VALMORA (WNA)- The head of the port, Ines Carvalho, said on Thursday that "
        f"berth {n} would reopen to cargo ships next week.\n\n"
        f'"We have repaired berth {n}," Carvalho told reporters.\n'
    )


def _keys(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return sorted(k for (k,) in conn.execute("SELECT source_key FROM articles"))


def _failures(db: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.execute("SELECT path, reason FROM failures ORDER BY path"))


def _ingest(db: Path, *args: str) -> int:
    return main(["ingest", "--db", str(db), "--workers", "1", *args])


# -- 1. deeply nested JSON ---------------------------------------------------------


def test_a_nested_json_file_among_good_files_is_one_named_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A JSONL line, a .json file and an HTML page's JSON-LD nested 1,000 levels deep
    raised an uncaught RecursionError: exit 2, nothing stored, no file named."""
    (tmp_path / "a.txt").write_text(_story(1), encoding="utf-8")
    lines = [
        json.dumps({"id": "ok", "text": _story(2)}),
        f'{{"id": "deep", "text": "x", "m": {DEEP}}}',
    ]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "c.json").write_text(f'{{"text": "x", "m": {DEEP}}}', encoding="utf-8")
    page = (
        f'<html><head><script type="application/ld+json">{{"a": {DEEP}}}</script></head>'
        f"<body><p>{_story(3)}</p></body></html>"
    )
    (tmp_path / "d.html").write_text(page, encoding="utf-8")
    db = tmp_path / "x.db"
    paths = [str(tmp_path / n) for n in ("a.txt", "b.jsonl", "c.json", "d.html")]
    assert _ingest(db, *paths) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RecursionError" not in err
    keys = _keys(db)
    assert len(keys) == 3  # a.txt, b.jsonl#ok and d.html (its JSON-LD ignored)
    assert any(k.endswith("b.jsonl#ok") for k in keys)
    assert any(k.endswith("d.html") for k in keys)
    reasons = dict(_failures(db))
    assert set(reasons) == {str(tmp_path / "b.jsonl") + ":line 2", str(tmp_path / "c.json")}
    assert all("nested" in r for r in reasons.values())


# -- 2. key collisions -------------------------------------------------------------


def test_an_id_like_a_line_key_and_an_id_less_record_are_both_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Id "line2" and the id-less record on line 2 got one key: the store deleted the
    first article mid-batch (FOREIGN KEY constraint failed) and rolled back the run."""
    recs = [
        {"id": "line2", "text": _story(1)},
        {"text": _story(2)},
        {"id": "content:x", "text": _story(3)},
        {"id": "id:line2", "text": _story(4)},
        {"id": "after", "text": _story(5)},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert _ingest(db, str(src)) == 0, capsys.readouterr().err
    assert len(_keys(db)) == 5
    assert _ingest(db, str(src)) == 0  # a re-run finds every one stored
    assert "skipped 5" in capsys.readouterr().err


def test_ids_of_other_types_are_named_failures_and_the_rest_is_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Object, list and bool ids were stored as Python reprs ("{'a': 1}", "True")."""
    recs = [
        {"id": 7, "text": _story(1)},
        {"id": "7", "text": _story(2)},
        {"id": {"a": 1}, "text": _story(3)},
        {"id": [1], "text": _story(4)},
        {"id": True, "text": _story(5)},
        {"id": 1.5, "text": _story(6)},
        {"id": "z", "text": _story(7)},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert _ingest(db, str(src)) == 1
    assert [k.rsplit("#", 1)[1] for k in _keys(db)] == ["7", "z"]
    reasons = [r for _, r in _failures(db)]
    assert "duplicate id '7'" in reasons[0]  # 7 and "7" name one record
    assert [r.rsplit(", not ", 1)[1] for r in reasons[1:]] == [
        "an object",
        "an array",
        "true/false",
        "a number with a fraction",
    ]


# -- 3. far-off years --------------------------------------------------------------

PLACEHOLDER_PAGE = """<html><head><script type="application/ld+json">
{{"@type": "NewsArticle", "datePublished": "{stamp}"}}</script></head><body>
<p>"We will open the new bridge next year," Mayor Anna Petrova said on Monday.</p>
<p>Work on it began three days ago, she added.</p></body></html>"""


@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00Z", "9999-12-31", "1970-01-01"])
def test_a_placeholder_stamp_is_no_stamp_and_the_quotes_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stamp: str
) -> None:
    """0001-01-01 / 9999-12-31 in JSON-LD with a relative date in the text failed the
    article (OverflowError / ValueError: year out of range), losing all its quotes."""
    page = tmp_path / "p.html"
    page.write_text(PLACEHOLDER_PAGE.format(stamp=stamp), encoding="utf-8")
    assert main(["extract", str(page), "--format", "jsonl"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["published"] is None
    assert any("new bridge" in q["text"] for q in record["quotes"])


def test_a_placeholder_stamp_line_does_not_fail_the_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "a.txt"
    src.write_text(
        '9999-12-31\n\n"We will finish it tomorrow," Mayor Anna Petrova said yesterday.\n',
        encoding="utf-8",
    )
    assert main(["extract", str(src), "--format", "jsonl"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["published"] is None and len(record["quotes"]) == 1


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1970-01-01"])
def test_published_placeholder_is_refused_when_the_arguments_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """`--published 9999-12-31` passed argument checking and then failed every article."""
    src = tmp_path / "a.txt"
    src.write_text(_story(1), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(src), "--published", value])
    assert exit_.value.code == 2
    assert "placeholder" in capsys.readouterr().err


# -- 6. limits ---------------------------------------------------------------------


def test_a_ten_megabyte_record_is_refused_in_under_five_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 10 MB record ran 7 min 25 s and took 2.7 GB before it was refused."""
    import time

    src = tmp_path / "big.jsonl"
    big = "The minister said the port would reopen next week. " * 200_000
    lines = [json.dumps({"id": "big", "text": big}), json.dumps({"id": "ok", "text": _story(1)})]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert src.stat().st_size > 10_000_000
    (tmp_path / "warm.txt").write_text(_story(2), encoding="utf-8")
    main(["extract", str(tmp_path / "warm.txt")])  # the model loaded: not what is timed
    capsys.readouterr()
    start = time.perf_counter()
    assert main(["extract", str(src), "--format", "jsonl"]) == 1
    assert time.perf_counter() - start < 5
    out, err = capsys.readouterr()
    assert [json.loads(line)["input_id"] for line in out.splitlines()] == ["ok"]
    assert "line 1: article too large (10,200,000 characters > the 1,000,000 limit)" in err


def test_ingest_gives_each_article_the_time_budget_parse_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ingest had no per-article limit at all."""
    long_story = _story(1) + "The minister said the port would reopen next week. " * 12_000
    recs = [{"id": "long", "text": long_story}, {"id": "ok", "text": _story(2)}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    # 2 s: the long story's parse takes about 8 s on an idle core, the short one's well
    # under a second even on a loaded machine (0.5 s failed it there too).
    assert _ingest(db, str(src), "--article-timeout", "2") == 1
    assert [k.rsplit("#", 1)[1] for k in _keys(db)] == ["ok"]
    ((_, reason),) = _failures(db)
    assert "ArticleTimeout: took longer than its 2 s budget" in reason


def test_more_workers_than_the_machine_holds_are_capped_with_a_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--workers 1000` was accepted (ten workers for ten batches took 1.9 GB)."""
    from wirescope.cli.corpus import _workers
    from wirescope.ingest.local import worker_cap

    cap, _ = worker_cap()
    assert 1 <= cap <= (os.cpu_count() or 1)
    assert _workers(1000) == cap
    assert f"--workers 1000 is more than this machine holds: {cap} (" in capsys.readouterr().err
    assert _workers(1) == 1 and _workers(None) == cap


# -- 8. minor ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "-1", "inf", "soon"])
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_a_time_limit_that_means_nothing_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, command: str
) -> None:
    """`--article-timeout nan` or `-1` silently meant no limit."""
    with pytest.raises(SystemExit) as exit_:
        main([command, str(tmp_path / "a.txt"), "--article-timeout", value])
    assert exit_.value.code == 2
    assert "expected a number of seconds" in capsys.readouterr().err


# -- 7. terminal and display injection ---------------------------------------------

INJECTED = (
    '2024-May-02 09:15\n\nPort Story\n\nVALMORA (WNA)- "We will reopen the port'
    ' \x1b[2J\x1b]0;pwned\x07 soon," said Ali \u202eieazeR, the harbour master.\n'
)
RAW_CONTROLS = ("\x1b", "\x07", "\u202e", "\x9b")


def test_escape_sequences_and_bidi_overrides_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Table output printed article text raw: a quote cleared the screen and set the
    window title; "\\u202eieazeR" displayed as "Rezaei"."""
    src = tmp_path / "a.txt"
    src.write_text(INJECTED, encoding="utf-8")
    db = tmp_path / "x.db"
    assert _ingest(db, str(src)) == 0
    outputs = []
    for argv in (
        ["extract", str(src)],
        ["extract", str(src), "--format", "json"],
        ["quotes", "--db", str(db)],
        ["quotes", "--db", str(db), "--format", "json"],
        ["people", "--db", str(db)],
        ["show", str(src), "--db", str(db)],
        ["show", str(src), "--db", str(db), "--format", "json"],
        ["search", "port", "--db", str(db)],
    ):
        capsys.readouterr()
        assert main(argv) == 0, argv
        out = capsys.readouterr().out
        outputs.append(out)
        assert not any(c in out for c in RAW_CONTROLS), (argv, out)
    assert "\\x1b[2J" in outputs[0] and "\\u202eieazeR" in outputs[5]
    # JSON output holds the same values: the escapes are JSON's own
    (record,) = json.loads(outputs[1])
    assert "\x1b[2J" in record["text"] and record["text"] == INJECTED


def test_render_escapes_every_cell_but_keeps_the_text_offsets() -> None:
    from wirescope.cli.render import json_text, mark_quotes, table_rows
    from wirescope.pipeline.build import extract_text

    record = extract_text(INJECTED)
    assert record.text == INJECTED and record.quotes
    q = record.quotes[0]
    assert record.text[q.span[0] : q.span[1]] == q.text and "\x1b" in q.text
    shown = mark_quotes(record, {q.id: "Ali \u202eieazeR"})
    assert not any(c in shown for c in RAW_CONTROLS) and shown.count("\n") == INJECTED.count("\n")
    assert "\\u202e" in table_rows(["name"], [["\u202eieazeR"]])
    assert json.loads(json_text({"a": "\u202e\x9b"})) == {"a": "\u202e\x9b"}


def test_format_characters_are_no_letters_when_names_are_compared() -> None:
    from wirescope.extract.lexicon import fold

    assert fold("Reza\u202eei") == fold("Re\u200bzaei") == fold("Rezaei")
    assert fold("\u202eieazeR") != fold("Rezaei")


def test_a_cr_only_jsonl_text_keeps_its_headline_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CR-only JSONL text lost its headline and date (CRLF worked)."""
    src = tmp_path / "a.jsonl"
    text = _story(3).replace("\n", "\r")
    src.write_text(json.dumps({"id": "cr", "text": text}) + "\n", encoding="utf-8")
    assert main(["extract", str(src), "--format", "jsonl"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["text"] == text  # kept exactly as the record holds it
    assert record["headline"] == "Harbour Story 3"
    assert record["published"] == "2024-05-04T09:15:00"
    assert record["dateline"]["place"] == "Valmora"


def test_an_extract_failure_names_the_jsonl_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """extract's failure line for a JSONL record omitted the record's id."""
    src = tmp_path / "a.jsonl"
    recs = [{"id": "bomb-7", "text": 'He said "' * 25_000}, {"id": "ok", "text": _story(1)}]
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    assert main(["extract", str(src), "--format", "jsonl"]) == 1
    assert f"{src}#bomb-7: extract failed: TooManyQuoteMarks" in capsys.readouterr().err


def test_show_of_a_jsonl_path_and_a_directory_as_db_say_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`show PATH` of a JSONL file returned the record with id ""; `quotes --db
    DIRECTORY` said "run ingest first"."""
    src = tmp_path / "a.jsonl"
    recs = [{"id": "", "text": _story(1)}, {"id": "b", "text": _story(2)}]
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert _ingest(db, str(src)) == 0
    assert [k.rsplit("#", 1)[1] for k in _keys(db)] == ["b", "line1"]  # "" names no record
    capsys.readouterr()
    assert main(["show", str(src), "--db", str(db)]) == 1
    assert f"name one as {src}#ID" in capsys.readouterr().err
    assert main(["show", f"{src}#line1", "--db", str(db)]) == 0
    assert "Harbour Story 1" in capsys.readouterr().out
    assert main(["quotes", "--db", str(tmp_path)]) == 1
    assert f"database {tmp_path} is a directory" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="no SIGTERM")
def test_sigterm_says_so_and_leaks_nothing(tmp_path: Path) -> None:
    """SIGTERM printed nothing, and the resource tracker reported a leaked semaphore."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(300):
        (folder / f"{n:03d}.txt").write_text(_story(n) * 3)
    db = tmp_path / "x.db"
    import wirescope  # the package under test, wherever it is imported from

    env = {**os.environ, "PYTHONPATH": str(Path(wirescope.__file__).parents[1])}
    cmd = [sys.executable, "-m", "wirescope", "ingest", str(folder), "--db", str(db)]
    cmd += ["--workers", "2", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            with suppress(sqlite3.Error):  # the schema may not be there yet
                if db.exists() and _keys(db):
                    break
            time.sleep(0.5)
        assert proc.poll() is None, "ingest ended before it could be stopped"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = err.decode()
    assert proc.returncode == 143
    assert "wirescope: error: terminated (SIGTERM)" in text
    assert "leaked" not in text and "Traceback" not in text
    assert _keys(db)  # what was written stays
