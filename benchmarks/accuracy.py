"""Quote/speaker accuracy: wirescope beside textacy's direct_quotations, same data, same run.

    .venv/bin/python benchmarks/accuracy.py                 # ../shared/data ggt_dev + polnear_dev
    .venv/bin/python benchmarks/accuracy.py GOLD.jsonl ... --limit 20

Both systems are scored by the same `wirescope.evaluate.quotes.score`, and textacy parses with the
same spaCy model (`wirescope.nlp.parse.get_nlp()`). textacy only extracts direct quotations and
does no coreference: its speaker name is the speaker tokens' text. textacy 0.13 is a dev
extra; without it only our figures are printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wirescope.evaluate.quotes import GoldArticle, Scores, load_gold, mention_type, predict, score
from wirescope.nlp.parse import get_nlp
from wirescope.record.models import Cue, Quote, Record, SpeakerRef

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = [DATA / "ggt_dev.jsonl", DATA / "polnear_dev.jsonl"]


@dataclass
class Run:
    system: str
    scores: Scores
    seconds: float
    note: str = ""


def textacy_extractor() -> Callable[[Any], Any] | None:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    return direct_quotations


def _char_span(tokens: Sequence[Any]) -> tuple[int, int]:
    # speaker tokens may be discontinuous (conjuncts, compounds): take their envelope
    return (min(t.idx for t in tokens), max(t.idx + len(t) for t in tokens))


def textacy_predict(
    gold: Sequence[GoldArticle], extract: Callable[[Any], Any]
) -> tuple[list[Record], int]:
    """Records from textacy's DQTriples; also how many articles textacy gave up on."""
    nlp = get_nlp()
    records: list[Record] = []
    bailed = 0
    for g, doc in zip(gold, nlp.pipe(g.text for g in gold), strict=True):
        quotes: list[Quote] = []
        try:
            triples = list(extract(doc))
        except ValueError:  # odd number of quotation marks: textacy refuses the article
            bailed += 1
            triples = []
        for i, (speaker, cue, content) in enumerate(triples):
            s_span, c_span = _char_span(speaker), _char_span(cue)
            s_text = " ".join(t.text for t in speaker)
            quotes.append(
                Quote(
                    id=f"q{i + 1}",
                    span=(content.start_char, content.end_char),
                    text=content.text,
                    kind="direct",
                    cue=Cue(c_span, doc.text[c_span[0] : c_span[1]], cue[0].lemma_),
                    speaker=SpeakerRef(
                        span=s_span,
                        text=s_text,
                        mention_type=mention_type(s_text),
                        name=s_text,
                    ),
                )
            )
        records.append(Record(id=g.id, source={}, text=g.text, quotes=quotes, input_id=g.id))
    return records, bailed


def _pct(x: float) -> str:
    return f"{100 * x:6.1f}"


def print_table(corpus: str, n_articles: int, n_gold: int, runs: list[Run]) -> None:
    print(f"\n{corpus}: {n_articles} articles, {n_gold} gold quotes (figures in %)")
    head = (
        f"{'system':<12} {'F1@0.3':>6} {'F1@0.8':>6} {'dirF1':>6} {'spk@.3':>6} "
        f"{'aF1@.3':>6} {'pred':>6} {'art/s':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in runs:
        a, b = r.scores.at[0.3], r.scores.at[0.8]
        rate = n_articles / r.seconds if r.seconds > 0 else 0.0
        print(
            f"{r.system:<12} {_pct(a.quotes['overall'].f1)} {_pct(b.quotes['overall'].f1)} "
            f"{_pct(a.quotes['direct'].f1)} {_pct(a.speaker['overall'].value)} "
            f"{_pct(a.attributed['overall'].f1)} {a.quotes['overall'].pred:>6} {rate:7.1f}"
            + (f"  {r.note}" if r.note else "")
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("gold", nargs="*", type=Path, default=DEFAULT, help="gold JSONL files")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each")
    ap.add_argument(
        "--stances",
        action="store_true",
        help="also score wirescope's attribution scope (stances, beliefs, evidence: PolNeAR's)",
    )
    args = ap.parse_args(argv)

    extract = textacy_extractor()
    if extract is None:
        print("textacy is not installed (pip install -e '.[dev]'): printing ours only")
    list(get_nlp().pipe(["Warm up."]))  # load the model outside both timings

    for path in args.gold:
        try:
            gold = load_gold(path, limit=args.limit)
        except (OSError, ValueError) as exc:
            print(f"accuracy: error: cannot read gold file {path}: {exc}", file=sys.stderr)
            return 1
        runs: list[Run] = []
        failures: list[object] = []
        t0 = time.perf_counter()
        ours = predict(gold, on_failure=failures.append)
        note = f"{len(failures)} articles failed" if failures else ""
        runs.append(Run("wirescope", score(gold, ours), time.perf_counter() - t0, note))
        if args.stances:
            t0 = time.perf_counter()
            broad = predict(gold, stances=True)
            runs.append(
                Run("wirescope+st", score(gold, broad), time.perf_counter() - t0, "--stances")
            )
        if extract is not None:
            t0 = time.perf_counter()
            theirs, bailed = textacy_predict(gold, extract)
            note = f"bailed on {bailed} articles (odd quote-mark count)" if bailed else ""
            runs.append(Run("textacy", score(gold, theirs), time.perf_counter() - t0, note))
        n_gold = sum(len(g.quotes) for g in gold)
        print_table(path.stem, len(gold), n_gold, runs)
    print(
        "\nF1 = quote F1 at 30%/80% overlap of the longer span; dirF1 = direct quotes "
        "(R by gold kind, P by predicted kind);\nspk = speaker accuracy among matched pairs; "
        "aF1 = attributed F1 (quote and speaker right); art/s incl. spaCy parsing, one process."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
