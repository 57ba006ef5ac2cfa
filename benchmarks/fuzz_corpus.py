"""Fuzzing campaign over real articles: mutate them, run every mutant through the
reader, the article parser and the quote finder (a share through the whole
pipeline), and count what comes out.

Not a unit test (tests/fuzz/test_corpus_fuzz.py runs it, slow-marked, and
asserts): prints inputs tried, records, failures by reason, tracebacks (must be
none), the slowest mutant and its time, and peak memory.

    PYTHONPATH=src .venv/bin/python benchmarks/fuzz_corpus.py [--mutants 10000]
        [--seed 15] [--full-every 20] [--window 1500]

Mutants come from the texts of ../shared/data/*.jsonl: a window of up to
`--window` (600) characters of an article, cut at a paragraph break (whole articles
average 12 KB, and parsing 10,000 of them would take CI's whole half hour), then
1 to 3 mutations: byte flips and insertions (NUL, invalid UTF-8, truncated
sequences), quote-mark soups, one-line texts, lone surrogates, control and
bidirectional characters, long words, UTF-16 / cp1252 / latin-1 encodings,
deeply nested HTML, JSONL with duplicate, missing or odd ids. Each stage of each
mutant runs under a time budget, so a hang shows as a named failure.
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import random
import re
import resource
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
if not SHARED_DATA.is_dir():  # a worktree sits one level deeper than the checkout
    SHARED_DATA = Path("/work/shared/data")

MARKS = ["\u201c", "\u201d", '"', "\u201e", "\u00ab", "\u00bb", "''", "'", "\u2018", "\u2019"]
ODD = [
    "\x00", "\x07", "\x1b[31m", "\u200b", "\u200e", "\u202e", "\ufeff", "\ufffd", "\u2028",
    "\U0001f600", "\u0301\u0301\u0301", "\u4e2d\u6587", "\u0416\u0438\u0442\u044c", "\t\t",
]  # fmt: skip
STAGE_BUDGET = 20.0  # seconds per stage per mutant: past it, a named failure


@dataclass
class Figures:
    tried: int = 0
    records: int = 0  # mutants that passed every stage they were sent to
    full: int = 0  # of which through the whole pipeline
    failures: Counter[str] = field(default_factory=Counter)
    tracebacks: list[str] = field(default_factory=list)
    silent: int = 0  # inputs that gave neither a record nor a failure (must be none)
    slowest: tuple[float, str] = (0.0, "")
    peak_mb: float = 0.0
    seconds: float = 0.0

    def report(self) -> str:
        lines = [
            f"inputs tried      {self.tried}",
            f"records           {self.records} ({self.full} through the full pipeline)",
            f"named failures    {sum(self.failures.values())}",
        ]
        lines += [f"  {n:6d}  {reason}" for reason, n in self.failures.most_common()]
        lines += [
            f"tracebacks        {len(self.tracebacks)}",
            f"silent inputs     {self.silent}",
            f"slowest mutant    {self.slowest[0]:.2f} s  ({self.slowest[1]})",
            f"peak memory       {self.peak_mb:.0f} MB (max RSS of this process)",
            f"wall time         {self.seconds:.0f} s",
        ]
        return "\n".join(lines)


def source_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(SHARED_DATA.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def window(rng: random.Random, text: str, size: int) -> str:
    if len(text) <= size:
        return text
    breaks = [m.end() for m in re.finditer(r"\n+", text)] or [0]
    start = rng.choice([b for b in breaks if b < len(text) - 50] or [0])
    end = text.rfind("\n", start, start + size)
    return text[start : end if end > start + size // 3 else start + size]


def _mutate_text(rng: random.Random, text: str) -> str:
    kind = rng.randrange(9)
    at = rng.randrange(len(text) + 1)
    if kind == 0:  # a soup of quotation marks
        soup = "".join(rng.choice([*MARKS, " ", "a ", "said "]) for _ in range(rng.randrange(300)))
        return text[:at] + soup + text[at:]
    if kind == 1:  # one long line
        return text.replace("\n", " ")
    if kind == 2:  # odd characters
        bits = [rng.choice(ODD) for _ in range(rng.randrange(1, 30))]
        for b in bits:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + b + text[at:]
        return text
    if kind == 3:  # a very long word
        return text[:at] + "x" * rng.randrange(1000, 20_000) + text[at:]
    if kind == 4:  # many short paragraphs / empty lines
        return re.sub(r"(?<=[.,]) ", lambda m: "\n" * rng.randrange(1, 4), text)
    if kind == 5:  # cut anywhere
        return text[:at]
    if kind == 6:  # a duplicated stretch
        b = rng.randrange(at, len(text) + 1)
        return text[:b] + text[at:b] * rng.randrange(2, 6) + text[b:]
    if kind == 7:  # nested complements
        return text[:at] + "He said \u201c" * rng.randrange(50, 300) + text[at:]
    return text  # unchanged text: a control


def _encode(rng: random.Random, text: str) -> bytes:
    kind = rng.randrange(10)
    if kind == 0:
        return text.encode("utf-16-le", "surrogatepass")
    if kind == 1:
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass")
    if kind == 2:
        return text.encode("cp1252", "replace")
    if kind == 3:
        return text.encode("latin-1", "replace")
    if kind == 4:  # HTML, nested deep
        depth = rng.choice([1, 10, 500, 5000])
        body = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
        html = f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
        return html.encode("utf-8", "surrogatepass")
    if kind == 5:  # JSONL: the text as a record, ids that collide or are odd
        recs = [{"id": rng.choice(["a", "a", 7, None, "\ud800x"]), "text": text}]
        if rng.random() < 0.3:
            recs.append({"id": recs[0]["id"], "text": text[::-1]})
        if rng.random() < 0.2:
            recs.append({"id": "z", "text": 5})
        lines = [json.dumps(r) for r in recs]
        if rng.random() < 0.2:
            lines.append("{broken")
        return ("\n".join(lines) + "\n").encode()
    return text.encode("utf-8", "surrogatepass")  # lone surrogates become bad UTF-8


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randrange(1, 8)):
        if not buf:
            break
        at = rng.randrange(len(buf))
        op = rng.randrange(4)
        if op == 0:
            buf[at] = rng.randrange(256)
        elif op == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5)))
        elif op == 2:
            buf[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80"])
        else:
            del buf[at : at + rng.randrange(1, 5)]
    return bytes(buf)


def mutants(n: int, seed: int, size: int) -> Iterator[tuple[str, bytes]]:
    """(label, bytes) of n mutants, the same for the same seed."""
    rng = random.Random(seed)
    texts = source_texts()
    for i in range(n):
        src = rng.randrange(len(texts))
        text = window(rng, texts[src], size)
        for _ in range(rng.randrange(1, 4)):
            text = _mutate_text(rng, text)
        data = _encode(rng, text)
        if rng.random() < 0.25:
            data = _mutate_bytes(rng, data)
        if rng.random() < 0.01:
            data = rng.choice([b"", b" \n ", b"\x00" * 64, bytes(range(256))])
        yield f"mutant {i} (article {src})", data


def _reason(text: str) -> str:
    """A failure reason without its numbers, offsets or quoted values."""
    text = re.sub(r" \(0x[0-9A-F]{2}\)", "", text)  # the byte's value
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"\d[\d,.]*", "N", text)
    return text[:90]


def campaign(
    n: int = 10_000,
    seed: int = 15,
    full_every: int = 20,
    size: int = 600,
    progress: Callable[[Figures], None] | None = None,
) -> Figures:
    from wirescope.extract.quotes import extract_quotes
    from wirescope.nlp.parse import parse_many
    from wirescope.pipeline.build import deadline, process
    from wirescope.reading.article import parse_article
    from wirescope.reading.read import read_stdin
    from wirescope.record.models import Article, Failure, RawDocument, ReadError

    fig = Figures()
    t_start = time.perf_counter()
    batch: list[tuple[str, Article, float]] = []

    def finish(items: list[tuple[str, Article, float]]) -> None:
        docs = parse_many([a.text for _, a, _ in items])
        for (label, article, spent), doc in zip(items, docs, strict=True):
            t0 = time.perf_counter()
            try:
                with deadline(STAGE_BUDGET):
                    quotes = extract_quotes(article, doc)
                text = article.text
                assert all(q.text == text[q.span[0] : q.span[1]] for q in quotes), "offsets"
                fig.records += 1
            except Exception as exc:
                _failed(label, "quote finder", exc)
            spent += time.perf_counter() - t0
            if spent > fig.slowest[0]:
                fig.slowest = (spent, label)

    def _failed(label: str, stage: str, exc: BaseException) -> None:
        if type(exc).__name__ in ("ArticleTimeout", "TooManyQuoteMarks"):
            fig.failures[f"{stage}: {type(exc).__name__}"] += 1
        else:  # anything else is a bug: a traceback the user would have seen
            fig.tracebacks.append(f"{label}: {stage}: {traceback.format_exc(limit=6)}")

    for i, (label, data) in enumerate(mutants(n, seed, size)):
        fig.tried += 1
        t0 = time.perf_counter()
        try:
            with deadline(STAGE_BUDGET):
                items = list(read_stdin(io.BytesIO(data)))
        except Exception as exc:
            _failed(label, "reader", exc)
            continue
        if not items:
            fig.silent += 1
        raws: list[RawDocument] = []
        for item in items:
            if isinstance(item, ReadError):
                fig.failures[f"read: {_reason(item.reason)}"] += 1
            else:
                raws.append(item)
        if i % full_every == 0:  # the whole pipeline, as extract runs it
            for result in process(raws, article_timeout=STAGE_BUDGET):
                if isinstance(result, Failure):
                    if "Error" in result.reason and "Timeout" not in result.reason:
                        fig.tracebacks.append(f"{label}: {result.reason}")
                    else:
                        fig.failures[_reason(result.reason)] += 1
                else:
                    fig.records += 1
                    fig.full += 1
            spent = time.perf_counter() - t0
            if spent > fig.slowest[0]:
                fig.slowest = (spent, label + ", full pipeline")
            continue
        for raw in raws:
            try:
                with deadline(STAGE_BUDGET):
                    article = parse_article(raw)
            except Exception as exc:
                _failed(label, "article parser", exc)
                continue
            batch.append((label, article, time.perf_counter() - t0))
        if len(batch) >= 32:
            finish(batch)
            batch = []
        if progress and fig.tried % 500 == 0:
            progress(fig)
    if batch:
        finish(batch)
    fig.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fig.seconds = time.perf_counter() - t_start
    return fig


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutants", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--full-every", type=int, default=20)
    ap.add_argument("--window", type=int, default=600)
    args = ap.parse_args()

    def tick(fig: Figures) -> None:
        print(f"... {fig.tried} tried, {time.perf_counter():.0f}", file=sys.stderr, flush=True)

    fig = campaign(args.mutants, args.seed, args.full_every, args.window, tick)
    print(fig.report())
    for tb in fig.tracebacks[:5]:
        print("\n" + tb)


if __name__ == "__main__":
    main()
