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
from wirescope.evaluate.realnews import Totals as RealnewsTotals
from wirescope.record.models import Failure

G = TypeVar("G")  # a gold article, of whichever format

# Gold formats `evaluate` reads: a key of the gold file's first row -> the module whose
# scorer reads it; a file with none of these keys is quote gold.
EVALUATORS: dict[str, str] = {
    "timex": "wirescope.evaluate.dates",
    "toponyms": "wirescope.evaluate.places",
}


def gold_format(path: str) -> str:
    """The evaluate module for a gold file: graded real-news pages (a JSON array), else
    chosen by the first JSONL row's keys."""
    from wirescope.evaluate.realnews import is_graded_file

    if is_graded_file(path):
        return "wirescope.evaluate.realnews"
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
    lo_r, hi_r = a.by_resolved, b.by_resolved
    r_rows = [
        [k, str(lo_r[k].total), _fmt(lo_r[k].value), str(hi_r[k].total), _fmt(hi_r[k].value)]
        for k in lo_r
    ]
    r_headers = ["resolved mention", f"found@{lo}", f"spk@{lo}", f"found@{hi}", f"spk@{hi}"]
    notes = (
        "figures in %; P by predicted kind, R by gold kind; spk = speaker accuracy among "
        "matched pairs;\naP/aR/aF1 = attributed (quote matched AND speaker right); "
        "mention type = the gold speaker's mention (none = implicit or no source);\n"
        "resolved mention = the mention the tool resolved the speaker from (description: "
        '"the minister",\n"the company"; none: continues the previous speaker, or none)'
    )
    return "\n\n".join(
        [
            table_rows(headers, rows, figures=True),
            table_rows(m_headers, m_rows, figures=True),
            table_rows(r_headers, r_rows, figures=True),
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


# -- real news pages ----------------------------------------------------------


def _realnews(args: argparse.Namespace) -> int:
    """`wirescope evaluate graded.json [--errors] [--limit N] [--json]`: extracts the
    graded pages (their HTML beside the graded file) and prints what the data set's
    score.py prints, plus speaker accuracy by the kind of mention resolved."""
    from wirescope.evaluate.realnews import load_graded, page_paths, predict, score

    pages = _read_gold(args, load_graded)
    if pages is None:
        return 1
    failures: list[Failure] = []
    start = time.perf_counter()
    records = predict(page_paths(args.gold, pages), on_failure=failures.append)
    seconds = time.perf_counter() - start
    for f in failures:
        error(f"{f.path}: {f.reason}")
    totals = score(pages, records)
    if args.json:
        payload = {"gold_file": str(args.gold), "seconds": round(seconds, 3)}
        print(json.dumps({**payload, **totals.figures()}, indent=2))
        return 0
    print(format_realnews(totals, details=args.errors))
    print()
    print(f"{len(pages) / seconds if seconds else 0:.2f} pages/s ({seconds:.1f} s incl. parsing)")
    return 0


def format_realnews(totals: RealnewsTotals, details: bool = False) -> str:
    """score.py's page table and totals line, then accuracy by resolved mention kind."""
    yn = {True: "ok", False: "NO", None: "-"}
    lines = [
        f"{'article':34} {'gold':>4} {'found':>5} {'miss':>4} {'spur':>4} {'frag':>4} "
        f"{'spk+':>4} {'spk-':>4}  head pub  dateline"
    ]
    for r in totals.pages:
        c = r.checks
        name = r.article + ("" if r.has_record else " (no record)")
        lines.append(
            f"{name:34} {r.gold:4} {r.found:5} {r.missed:4} {r.spurious:4} {r.fragments:4} "
            f"{r.speaker_right:4} {r.speaker_wrong:4}  {yn[c.get('headline')]:4} "
            f"{yn[c.get('published')]:4} {yn[c.get('dateline')]}"
        )
        if details:
            for q in r.quotes:
                if q.pred_id is None:
                    lines.append(f"    missed  {q.gold[:90]!r} ({q.gold_speaker})")
                elif not q.speaker_ok:
                    lines.append(
                        f"    speaker {q.pred_id} {q.pred_speaker!r}, gold {q.gold_speaker!r}: "
                        f"{q.gold[:60]!r}"
                    )
            for qid, text, spk in r.spurious_quotes:
                lines.append(f"    spurious {qid} {text[:90]!r} ({spk})")
            for qid, text, spk in r.neutral_quotes:
                lines.append(f"    neutral {qid} {text[:90]!r} ({spk})")
    t = totals.figures()
    lines.append(
        f"{'TOTAL':34} {t['gold']:4} {t['found']:5} {t['missed']:4} {t['spurious']:4} "
        f"{t['fragments']:4} {t['speaker_right']:4} {t['speaker_wrong']:4}  "
        f"{t['headline']:4} {t['published']:4} {t['dateline']}"
    )
    missing = t["missing_records"]
    lines.append(
        f"quote P {t['precision']} R {t['recall']} F1 {t['f1']} | speaker acc "
        f"{t['speaker_acc']} | attributed P {t['attributed_precision']} "
        f"R {t['attributed_recall']}"
        + (f" | no record: {', '.join(missing)}" if missing else "")
        + f" | neutral {t['neutral']}"
    )
    rows = [
        [kind, str(row.found), str(row.right), _fmt(row.right / row.found if row.found else 0.0)]
        for kind, row in totals.by_kind.items()
    ]
    lines.append("")
    lines.append(table_rows(["resolved mention", "found", "spk+", "spk %"], rows, figures=True))
    lines.append(
        "resolved mention = how the tool named the speaker of each matched quote: a name, a "
        'pronoun,\na description ("the minister", "the company") or none (a quote that '
        "continues the\nprevious speaker, or no speaker)"
    )
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
    "wirescope.evaluate.realnews": _realnews,
}
