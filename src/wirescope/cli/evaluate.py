"""`wirescope evaluate`: reads a gold file, runs its scorer (wirescope.evaluate), prints
the figures. The scorers compute; the text made of their figures is made here."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from wirescope.cli.render import error, table_rows
from wirescope.evaluate.dates import Scores as DateScores
from wirescope.evaluate.entities import Scores as EntityScores
from wirescope.evaluate.quotes import KINDS, MENTION_TYPES, ArticleErrors
from wirescope.evaluate.quotes import Scores as QuoteScores
from wirescope.record.models import Failure

G = TypeVar("G")  # a gold article, of whichever format

# Gold formats `evaluate` reads: a key of the gold file's first row -> the module whose
# scorer reads it; a file with none of these keys is quote gold.
EVALUATORS: dict[str, str] = {
    "timex": "wirescope.evaluate.dates",
    "toponyms": "wirescope.evaluate.places",
}


def gold_format(path: str) -> str:
    """The evaluate module for a gold JSONL file, chosen by its first row's keys."""
    try:
        with open(path, encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
        row = json.loads(first) if first else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        row = {}  # the quotes reader reports the unreadable file
    keys = row if isinstance(row, dict) else {}
    if not any(key in keys for key in EVALUATORS) and path.endswith(".json"):
        # one JSON object, page name -> {people, places}: the entities gold
        from wirescope.evaluate.entities import is_entities_gold

        try:
            with open(path, encoding="utf-8") as fh:
                if is_entities_gold(json.load(fh)):
                    return "wirescope.evaluate.entities"
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            pass  # the quotes reader reports the unreadable file
    return next(
        (mod for key, mod in EVALUATORS.items() if key in keys), "wirescope.evaluate.quotes"
    )


def run(args: argparse.Namespace) -> int:
    """`wirescope evaluate GOLD.jsonl`: the scorer its gold format asks for."""
    return RUNNERS[gold_format(args.gold)](args)


def _read_gold(args: argparse.Namespace, load: Callable[..., list[G]]) -> list[G] | None:
    """The gold file's articles, or None after one error line naming it."""
    try:
        return load(args.gold, limit=args.limit)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        error(f"cannot read gold file {args.gold}: {reason}")
        return None


def _fmt(x: float) -> str:
    """A fraction as a percentage, five characters wide."""
    return f"{100 * x:5.1f}"


# -- quotes -------------------------------------------------------------------


def _quotes(args: argparse.Namespace) -> int:
    """`wirescope evaluate GOLD.jsonl [--errors] [--limit N] [--json]`."""
    from wirescope.evaluate.quotes import THRESHOLDS, find_errors, load_gold, predict, score

    gold = _read_gold(args, load_gold)
    if gold is None:
        return 1
    failures: list[Failure] = []
    start = time.perf_counter()
    predicted = predict(gold, on_failure=failures.append, stances=args.stances)
    seconds = time.perf_counter() - start
    for f in failures:
        error(f"{f.input_id or f.path}: {f.reason}")
    scores = score(gold, predicted)
    rate = len(gold) / seconds if seconds > 0 else 0.0
    if args.json:
        payload = {
            "gold_file": str(args.gold),
            "seconds": round(seconds, 3),
            "articles_per_s": round(rate, 2),
            "failures": len(failures),
            **scores.to_dict(),
        }
        print(json.dumps(payload, indent=2))
        return 0
    if args.errors:
        print(format_quote_errors(find_errors(gold, predicted)))
        print()
    n_gold = scores.at[THRESHOLDS[0]].quotes["overall"].gold
    print(f"{args.gold}: {len(gold)} articles, {n_gold} gold quotes, {len(failures)} failed")
    print()
    print(format_quote_scores(scores))
    print()
    print(f"{rate:.2f} articles/s ({seconds:.1f} s, pipeline incl. parsing)")
    return 0


def format_quote_scores(scores: QuoteScores) -> str:
    """The kind table (figures in %) and the mention-type table."""
    lo, hi = sorted(scores.at)[0], sorted(scores.at)[-1]
    a, b = scores.at[lo], scores.at[hi]
    headers = [
        "kind",
        f"P@{lo}",
        f"R@{lo}",
        f"F1@{lo}",
        f"P@{hi}",
        f"R@{hi}",
        f"F1@{hi}",
        f"spk@{lo}",
        f"spk@{hi}",
        f"aP@{lo}",
        f"aR@{lo}",
        f"aF1@{lo}",
        f"aF1@{hi}",
        "gold",
        "pred",
    ]
    rows = []
    for k in KINDS:
        qa, qb, at = a.quotes[k], b.quotes[k], a.attributed[k]
        rows.append(
            [
                k,
                *(_fmt(x) for x in (qa.precision, qa.recall, qa.f1)),
                *(_fmt(x) for x in (qb.precision, qb.recall, qb.f1)),
                _fmt(a.speaker[k].value),
                _fmt(b.speaker[k].value),
                *(_fmt(x) for x in (at.precision, at.recall, at.f1)),
                _fmt(b.attributed[k].f1),
                str(qa.gold),
                str(qa.pred),
            ]
        )
    m_headers = [
        "gold speaker",
        "gold",
        f"R@{lo}",
        f"spk@{lo}",
        f"aR@{lo}",
        f"R@{hi}",
        f"spk@{hi}",
        f"aR@{hi}",
    ]
    m_rows = []
    for m in MENTION_TYPES:
        ma, mb = a.by_mention[m], b.by_mention[m]
        m_rows.append(
            [
                m,
                str(ma.gold),
                _fmt(ma.recall),
                _fmt(ma.speaker_acc),
                _fmt(ma.attributed_recall),
                _fmt(mb.recall),
                _fmt(mb.speaker_acc),
                _fmt(mb.attributed_recall),
            ]
        )
    notes = (
        "figures in %; P by predicted kind, R by gold kind; spk = speaker accuracy among "
        "matched pairs;\naP/aR/aF1 = attributed (quote matched AND speaker right); "
        "mention type = the gold speaker's mention (none = implicit or no source)"
    )
    return "\n\n".join(
        [
            table_rows(headers, rows, figures=True),
            table_rows(m_headers, m_rows, figures=True),
            notes,
        ]
    )


def format_quote_errors(errors: Sequence[ArticleErrors]) -> str:
    lines: list[str] = []
    for art in errors:
        lines.append(f"\n== {art.id}  ({len(art.items)} errors)")
        for it in art.items:
            lines.append(f"  {it.what.upper():<13} [{it.span[0]}:{it.span[1]}]  {it.context}")
            if it.what == "wrong speaker":
                lines.append(f"  {'':<13} gold: {it.gold_speaker}   predicted: {it.pred_speaker}")
            elif it.what == "missed":
                lines.append(f"  {'':<13} gold speaker: {it.gold_speaker}")
            else:
                lines.append(f"  {'':<13} predicted speaker: {it.pred_speaker}")
    return "\n".join(lines)


# -- dates --------------------------------------------------------------------


def _dates(args: argparse.Namespace) -> int:
    """`wirescope evaluate DATES_GOLD.jsonl [--errors] [--limit N] [--json]`."""
    from wirescope.evaluate.dates import find_errors, load_gold, predict, score

    gold = _read_gold(args, load_gold)
    if gold is None:
        return 1
    start = time.perf_counter()
    predicted = predict(gold)
    seconds = time.perf_counter() - start
    scores = score(gold, predicted)
    if args.json:
        payload = {"gold_file": str(args.gold), "documents": len(gold), **scores.to_dict()}
        print(json.dumps(payload, indent=2))
        return 0
    if args.errors:
        print("\n".join(find_errors(gold, predicted)))
        print()
    n = sum(len(g.timex) for g in gold)
    print(f"{args.gold}: {len(gold)} documents, {n} gold TIMEX3 (TempEval-3 measures, %)")
    print()
    print(format_date_scores(scores))
    print()
    print(
        f"{len(gold) / seconds if seconds else 0:.2f} documents/s ({seconds:.1f} s incl. parsing)"
    )
    return 0


def format_date_scores(s: DateScores) -> str:
    rows = [
        ["strict", _fmt(s.strict.precision), _fmt(s.strict.recall), _fmt(s.strict.f1), "", ""],
        [
            "relaxed",
            _fmt(s.relaxed.precision),
            _fmt(s.relaxed.recall),
            _fmt(s.relaxed.f1),
            _fmt(s.value_acc),
            _fmt(s.value_f1),
        ],
    ]
    for t, c in s.by_type.items():
        rows.append(
            [
                f"  {t} ({c.gold})",
                _fmt(c.precision),
                _fmt(c.recall),
                _fmt(c.f1),
                _fmt(c.value_acc),
                _fmt(c.f1 * c.value_acc),
            ]
        )
    headers = ["match", "P", "R", "F1", "value acc", "value F1"]
    lines = [table_rows(headers, rows, figures=True)]
    lines.append(f"type accuracy (relaxed matches): {_fmt(s.type_acc).strip()}")
    return "\n".join(lines)


def _places(args: argparse.Namespace) -> int:
    """`wirescope evaluate TOPONYMS.jsonl [--errors] [--limit N] [--json]`."""
    from wirescope.evaluate import places

    try:
        gold = places.load_gold(args.gold, limit=args.limit)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        error(f"cannot read gold file {args.gold}: {reason}")
        return 1
    failures: list[Failure] = []
    start = time.perf_counter()
    predicted = places.predict(gold, on_failure=failures.append)
    seconds = time.perf_counter() - start
    for f in failures:
        error(f"{f.input_id or f.path}: {f.reason}")
    sc = places.score(gold, predicted)
    if args.json:
        payload = {"gold_file": str(args.gold), "failures": len(failures), **sc.to_dict()}
        print(json.dumps(payload, indent=2))
        return 1 if failures else 0
    if args.errors:
        print(places.format_errors(gold, predicted))
        print()
    print(f"{args.gold}: {len(gold)} articles, {sc.gold} gold toponyms, {len(failures)} failed")
    print()
    print(places.format_scores(sc))
    print()
    print(f"{len(gold) / seconds if seconds else 0:.2f} articles/s ({seconds:.1f} s)")
    return 1 if failures else 0


# -- people, bodies, roles, places --------------------------------------------


def _entities(args: argparse.Namespace) -> int:
    """`wirescope evaluate realnews_dev/entities.json [--errors] [--limit N] [--json]`."""
    from wirescope.evaluate.entities import load_gold, predict, score

    gold = _read_gold(args, load_gold)
    if gold is None:
        return 1
    start = time.perf_counter()
    predicted = predict(gold, args.gold)
    seconds = time.perf_counter() - start
    scores, errors = score(gold, predicted)
    if args.json:
        payload = {"gold_file": str(args.gold), **scores.to_dict()}
        print(json.dumps(payload, indent=2))
        return 0
    if args.errors:
        for page in errors:
            if page.lines:
                print(page.file)
                print("\n".join(page.lines))
        print()
    print(f"{args.gold}: {scores.pages} pages ({scores.failed} failed)")
    print()
    print(format_entity_scores(scores))
    print()
    print(f"{scores.pages / seconds if seconds else 0:.2f} pages/s ({seconds:.1f} s)")
    return 0


def format_entity_scores(s: EntityScores) -> str:
    rows = []
    for label, c in (
        ("people and bodies", s.bodies),
        ("  persons", s.persons),
        ("  organisations, groups", s.organisations),
        ("roles (persons)", s.roles),
        ("places", s.places),
    ):
        rows.append([label, str(c.gold), str(c.pred), _fmt(c.precision), _fmt(c.recall)])
    lines = [table_rows(["", "gold", "predicted", "P", "R"], rows, figures=True)]
    lines.append(f"duplicate entries (people and bodies): {s.duplicates}")
    lines.append(
        f"places acc@161 km: {_fmt(s.acc161).strip()} "
        f"({s.places_near} of {s.places_scored} matched places with a gold point; "
        f"by distance only {_fmt(s.acc161_km).strip()}: a country's or state's gold "
        "point is its centre, the gazetteer's another)"
    )
    return "\n".join(lines)


RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "wirescope.evaluate.entities": _entities,
    "wirescope.evaluate.quotes": _quotes,
    "wirescope.evaluate.dates": _dates,
    "wirescope.evaluate.places": _places,
}
