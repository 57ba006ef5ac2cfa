"""The corpus commands end to end: a small corpus (the fixture through the real
pipeline, plus hand-made records) written with Store.write_batch, then queried
through wirescope.cli.main.main as a user would."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from wirescope.cli.main import main
from wirescope.pipeline.build import process_one
from wirescope.record.models import Cue, Entity, Failure, Quote, RawDocument, Record, SpeakerRef
from wirescope.store import ArticleKey, open_store

if TYPE_CHECKING:  # the fixture's type, for readers: tests/conftest.py
    from tests.conftest import Example


def later_article() -> Record:
    """Two days later, another outlet spells him Rezaei."""
    text = (
        "TEHRAN (FNA)- Mohsen Rezaei said sanctions will fail. "
        '"Sanctions on Iran will fail," Rezaei told reporters in Tehran.'
    )
    q1 = "sanctions will fail"
    q2 = "Sanctions on Iran will fail,"
    s1, s2 = text.index(q1), text.index(q2)
    spk = text.index("Rezaei told")
    return Record(
        id="feedbeef00000001",
        source={"path": "later.txt", "format": "text"},
        text=text,
        headline="Rezaei: sanctions will fail",
        published=datetime(2021, 3, 3, 10, 0),
        quotes=[
            Quote(
                "q1",
                (s1, s1 + len(q1)),
                q1,
                "indirect",
                Cue((0, 1), "said", "say"),
                SpeakerRef((14, 27), "Mohsen Rezaei", "name", "p1", "Mohsen Rezaei"),
                0.9,
            ),
            Quote(
                "q2",
                (s2, s2 + len(q2)),
                q2,
                "direct",
                Cue((0, 1), "told", "tell"),
                SpeakerRef((spk, spk + 6), "Rezaei", "name", "p1", "Mohsen Rezaei"),
                0.9,
            ),
        ],
        entities=[
            Entity(
                "p1",
                "PERSON",
                "Mohsen Rezaei",
                mentions=[(14, 27), (spk, spk + 6)],
                roles=["Secretary of the Expediency Council"],
                quotes=["q1", "q2"],
            )
        ],
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, example: Example) -> str:
    path = str(tmp_path_factory.mktemp("corpus") / "corpus.db")
    fixture = process_one(RawDocument(example.text, str(example.path), "text"))
    store = open_store(path)
    store.write_batch(
        [(ArticleKey(str(example.path)), fixture), (ArticleKey("later.txt"), later_article())],
        [Failure("broken.html", "read failed: not UTF-8")],
    )
    store.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fixture_id(db: str) -> str:
    store = open_store(db)
    (rid,) = [r.id for r in store.iter_records() if r.source["path"] != "later.txt"]
    store.close()
    return rid


def test_quotes_by_speaker_variant_finds_the_fixture_quotes(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "quotes", "--db", db, "--speaker", "Rezaei", "--format", "json")
    assert code == 0
    hits = json.loads(out)
    from_fixture = [h for h in hits if h["article_id"] != "feedbeef00000001"]
    assert len(from_fixture) == 7  # the gold count for Mohsen Rezayee
    assert len(hits) == 9  # plus the later article's Rezaei
    assert {h["speaker"] for h in hits} == {"Mohsen Rezayee"}
    assert hits[0]["published"].startswith("2021-03-03")  # newest first


def test_quotes_table_and_csv(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quotes", "--db", db, "--speaker", "Mohsen Rezaie")
    assert code == 0
    assert out.splitlines()[0].split(" | ")[:3] == ["date      ", "speaker       ", "kind    "]
    assert "Sanctions on Iran will fail," in out
    code, out, _ = run(
        capsys, "quotes", "--db", db, "--about", "sanctions", "--format", "csv", "--kind", "direct"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["text"] for r in rows] == ["Sanctions on Iran will fail,"]
    assert json.loads(rows[0]["span"])[1] > json.loads(rows[0]["span"])[0]


def test_quotes_filters(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    def count(*args: str) -> int:
        code, out, _ = run(capsys, "quotes", "--db", db, "--format", "json", *args)
        assert code == 0
        return len(json.loads(out))

    assert count("--since", "2021-03-02") == 2
    assert count("--until", "2021-03-01", "--speaker", "Rezayee") == 7
    assert count("--limit", "1") == 1
    assert count("--about", "Stepanakert") >= 1  # alias of a place named in a quote
    assert count("--speaker", "Nobody Known") == 0


def test_people(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "people", "--db", db, "--format", "json")
    assert code == 0
    people = {p["name"]: p for p in json.loads(out)}
    rez = people["Mohsen Rezayee"]
    assert (rez["quotes"], rez["articles"]) == (9, 2)
    assert (rez["first_seen"], rez["last_seen"]) == ("2021-03-01", "2021-03-03")
    assert "Mohsen Rezaei" in rez["variants"]
    assert {"role": "Secretary of the Expediency Council", "as_of": "2021-03-03"}.items() <= {
        **next(r for r in rez["roles"] if "the Expediency" in r["role"])
    }.items()
    code, out, _ = run(capsys, "people", "--db", db, "--role", "expediency council")
    assert "Mohsen Rezayee" in out and "Arafi" not in out
    code, out, _ = run(capsys, "people", "--db", db, "--format", "csv")
    assert next(csv.reader(io.StringIO(out)))[:2] == ["person_id", "name"]


def test_search(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "--db", db, "sanctions", "--format", "json")
    assert code == 0
    hits = json.loads(out)
    assert hits and all("[[" in h["snippet"] for h in hits)
    assert {h["type"] for h in hits} == {"article", "quote"}
    code, out, _ = run(capsys, "search", "--db", db, "U.S. -- Iran's")
    assert code == 0
    code, out, _ = run(capsys, "search", "--db", db, "Karabakh", "--format", "csv")
    assert next(csv.reader(io.StringIO(out)))[:2] == ["type", "article_id"]
    code, out, _ = run(capsys, "search", "--db", db, "Karabakh")
    assert "[[Karabakh]]" in out  # not a tty: plain markers


def test_show(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    rid = fixture_id(db)
    code, out, _ = run(capsys, "show", "--db", db, rid[:8])
    assert code == 0
    assert "[[Armenia must also hand over the remaining territories.]]" in out
    assert "Mohsen Rezayee (Rezayee)" in out
    code, out, _ = run(capsys, "show", "--db", db, rid, "--format", "json")
    record = json.loads(out)
    assert record["id"] == rid and record["schema"] == "wirescope/1"
    assert "Mohsen Rezayee" in {s["name"] for s in record["speakers"].values()}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export(db: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "export", "--db", db, "--format", fmt, str(out_dir))
    assert code == 0 and f"quotes: {out_dir / ('quotes.' + fmt)}" in out
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == sorted(f"{t}.{fmt}" for t in ["articles", "quotes", "people", "places"])
    if fmt == "jsonl":
        quotes = [json.loads(line) for line in (out_dir / "quotes.jsonl").open()]
        people = [json.loads(line) for line in (out_dir / "people.jsonl").open()]
        assert isinstance(people[0]["roles"], list)
    elif fmt == "csv":
        quotes = list(csv.DictReader((out_dir / "quotes.csv").open(encoding="utf-8")))
    else:
        import pyarrow.parquet as pq

        quotes = pq.read_table(out_dir / "quotes.parquet").to_pylist()
        assert pq.read_table(out_dir / "articles.parquet").num_rows == 2
    assert sum(q["speaker"] == "Mohsen Rezayee" for q in quotes) == 9


def test_failures(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "failures", "--db", db)
    assert code == 0 and "broken.html" in out and "not UTF-8" in out
    code, out, _ = run(capsys, "failures", "--db", db, "--format", "json")
    assert json.loads(out) == [
        {"path": "broken.html", "input_id": None, "reason": "read failed: not UTF-8"}
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["quotes", "--db", "{tmp}/missing.db"], "no such database: {tmp}/missing.db"),
        (["people", "--db", "{tmp}/missing.db"], "run `wirescope ingest` first"),
        (["show", "--db", "{db}", "0000nothere"], "no article with id '0000nothere'"),
        (["show", "--db", "{db}", ""], "no article with id ''"),
        (["search", "--db", "postgresql://nobody@127.0.0.1:1/x", "a"], "cannot connect"),
    ],
)
def test_errors_are_one_line(
    db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    fill = {"tmp": str(tmp_path), "db": db}
    code, out, err = run(capsys, *(a.format(**fill) for a in argv))
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("wirescope: error: ")
    assert message.format(**fill) in err
    assert not (tmp_path / "missing.db").exists()  # a query never creates a database


def test_bad_arguments_are_rejected_by_the_parser(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["--since", "yesterday"], ["--kind", "rumour"], ["--limit", "0"]):
        with pytest.raises(SystemExit) as exc:
            main(["quotes", "--db", db, *argv])
        assert exc.value.code == 2
        assert "Traceback" not in capsys.readouterr().err
