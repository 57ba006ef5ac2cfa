"""Entity-type accuracy on gold person speakers, and the cost of the where/when stages.

    .venv/bin/python benchmarks/entities.py                  # ../shared/data, --limit 80
    .venv/bin/python benchmarks/entities.py --limit 20 --skip-accuracy

(a) For every distinct person `speaker_canonical` of an article in ggt_dev.jsonl (a name of
2+ capitalized tokens; where the article's gold `meta.people` list exists, the name must be
in it), does that article's record hold a PERSON entity of the same name (case-insensitive,
exact)? Surname-only matches are counted apart; misses are listed with what we have instead.

(b) Articles/s of `wirescope.pipeline.build.process` over ggt_dev + polnear_dev texts with the
stages off (`QUOTES_ONLY`) and on (`FULL`), interleaved, each run twice; best of each.

Prints figures only: not a test. The data stays in shared/, never in the repo.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirescope.nlp.parse import get_nlp
from wirescope.pipeline.build import FULL, QUOTES_ONLY, Stages, process
from wirescope.record.models import Entity, RawDocument, Record

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GGT = DATA / "ggt_dev.jsonl"
POLNEAR = DATA / "polnear_dev.jsonl"
MAX_MISSES = 30


def _load(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _raw(d: dict[str, Any]) -> RawDocument:
    return RawDocument(text=d["text"], path=f"gold:{d['id']}", format="jsonl", id=str(d["id"]))


def _people(meta: dict[str, Any]) -> set[str] | None:
    value = meta.get("people")
    if not value:
        return None
    try:
        names = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return None
    return {str(n).strip().lower() for n in names} if isinstance(names, list) else None


def _is_person_name(name: str, people: set[str] | None) -> bool:
    tokens = name.split()
    if len(tokens) < 2 or not all(t[:1].isupper() for t in tokens):
        return False
    return people is None or name.lower() in people


@dataclass
class Accuracy:
    total: int = 0
    exact: int = 0
    surname: int = 0
    without_people_list: int = 0
    misses: list[str] = field(default_factory=list)


def _names(e: Entity) -> list[str]:
    return [e.name.lower(), *(a.lower() for a in e.aliases)]


def _instead(name: str, record: Record) -> str:
    """What the record has where a PERSON named `name` was expected."""
    low = name.lower()
    surname = low.split()[-1]
    same = [e for e in record.entities if low in _names(e)]
    if same:
        return "typed " + "/".join(sorted({e.type for e in same}))
    near = [e for e in record.entities if any(surname in n.split() for n in _names(e))]
    if near:
        return "; ".join(f"{e.name!r} ({e.type})" for e in near[:3])
    if low in record.text.lower():
        return "absent (name is in the text)"
    return "absent (name not in the text as such)"


def entity_accuracy(gold: list[dict[str, Any]], records: dict[str, Record]) -> Accuracy:
    acc = Accuracy()
    for d in gold:
        record = records.get(str(d["id"]))
        people = _people(d.get("meta") or {})
        canon = {
            str(q["speaker_canonical"]).strip() for q in d["quotes"] if q.get("speaker_canonical")
        }
        for name in sorted(c for c in canon if _is_person_name(c, people)):
            acc.total += 1
            acc.without_people_list += people is None
            if record is None:
                acc.misses.append(f"{name} -> article failed")
                continue
            persons = [e for e in record.entities if e.type == "PERSON"]
            if any(name.lower() == e.name.lower() for e in persons):
                acc.exact += 1
                continue
            surname = name.split()[-1].lower()
            if any(e.name.split()[-1].lower() == surname for e in persons if e.name.split()):
                acc.surname += 1
                have = [e.name for e in persons if e.name.split()[-1].lower() == surname]
                acc.misses.append(f"{name} -> surname only: {have[0]!r} (PERSON)")
                continue
            acc.misses.append(f"{name} -> {_instead(name, record)}")
    return acc


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else "n/a"


def _run(docs: list[RawDocument], stages: Stages) -> tuple[float, int]:
    t0 = time.perf_counter()
    ok = sum(isinstance(r, Record) for r in process(docs, stages=stages))
    return time.perf_counter() - t0, ok


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--limit", type=int, default=80, help="articles for throughput (default 80)")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each config (default 2)")
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args(argv)

    ggt = _load(GGT)
    get_nlp()  # model load is not part of either figure

    if not args.skip_accuracy:
        records = {
            r.input_id or "": r for r in process(_raw(d) for d in ggt) if isinstance(r, Record)
        }
        acc = entity_accuracy(ggt, records)
        print(f"(a) PERSON entities for gold person speakers, {GGT.name} ({len(ggt)} articles)")
        print(f"  gold person speakers (distinct per article): {acc.total}"
              f"  ({acc.without_people_list} judged without a meta.people list)")  # fmt: skip
        print(f"  exact PERSON name match : {acc.exact:4d}  {_pct(acc.exact, acc.total)}")
        print(f"  surname-only match      : {acc.surname:4d}  {_pct(acc.surname, acc.total)}")
        both = acc.exact + acc.surname
        print(f"  exact or surname        : {both:4d}  {_pct(both, acc.total)}")
        print(f"  misses (surname-only included): {len(acc.misses)}")
        for line in acc.misses[:MAX_MISSES]:
            print(f"    {line}")
        if len(acc.misses) > MAX_MISSES:
            print(f"    ... {len(acc.misses) - MAX_MISSES} more")

    if not args.skip_throughput:
        texts = ggt + _load(POLNEAR)
        docs = [_raw(d) for d in texts[: args.limit]]
        words = sum(len(d.text.split()) for d in docs)
        list(process(docs[:2]))  # warm caches (gazetteer, lexicons) outside the timings
        best: dict[str, float] = {}
        configs = (("stages off (QUOTES_ONLY)", QUOTES_ONLY), ("stages on (FULL)", FULL))
        print(f"(b) throughput over {len(docs)} articles ({words} words), "
              f"ggt_dev + polnear_dev, best of {args.repeat}")  # fmt: skip
        for rep in range(args.repeat):
            for name, stages in configs if rep % 2 == 0 else configs[::-1]:
                secs, ok = _run(docs, stages)
                best[name] = min(best.get(name, secs), secs)
                print(f"  run {rep + 1} {name:26s} {secs:7.2f} s  {len(docs) / secs:6.2f} art/s"
                      f"  ({ok} records)")  # fmt: skip
        off, on = (best[name] for name, _ in configs)
        for name, _ in configs:
            secs = best[name]
            print(f"  best {name:26s} {len(docs) / secs:6.2f} art/s  {words / secs:8.0f} words/s")
        share, extra = 100 * (on - off) / on, 100 * (on / off - 1)
        print(f"  cost of places/orgs + dates + events: {share:.1f} % of the full run's time "
              f"({extra:.1f} % more time than quotes only)")  # fmt: skip


if __name__ == "__main__":
    main()
