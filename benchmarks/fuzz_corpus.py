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
deeply nested HTML, JSONL with duplicate, missing or odd ids; and (issue 21) JSON
nested past the parser's depth, ids that collide with derived keys ("line2", 7 and
"7", objects, booleans, ""), far-off and placeholder stamps (0001-01-01, 9999-12-31)
in header lines, JSON-LD and metadata, cp1251 / KOI8-R / cp1256 / Shift-JIS text
(some declared by <meta charset>), XML declarations, CR-only line breaks, terminal
escape and bidirectional controls. A good record sent among hostile siblings must
come out ("good records ... lost" must be 0). Each stage of each
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
    "\x1b]0;title\x07", "\x9b2J", "\u2066", "\u202a", "\u061c", "\r",
]  # fmt: skip
# Far-off and placeholder stamps, as header lines, JSON-LD and JSONL metadata.
FAR_STAMPS = ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00",
              "1970-01-01", "1900-01-01T00:00:00", "0000-00-00", "2024-13-45"]  # fmt: skip
# Words of other alphabets spliced into texts sent in legacy encodings.
FOREIGN = {
    "cp1251": "\u041c\u043e\u0441\u043a\u0432\u0430 \u0437\u0430\u044f\u0432\u0438\u043b\u0430",
    "koi8-r": "\u041f\u0440\u0435\u0437\u0438\u0434\u0435\u043d\u0442"
    " \u0441\u043a\u0430\u0437\u0430\u043b",
    "cp1256": "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646",
    "shift_jis": "\u9996\u76f8\u306f\u8ff0\u3079\u305f",
}
STAGE_BUDGET = 20.0  # seconds per stage per mutant: past it, a named failure


@dataclass
class Figures:
    tried: int = 0
    records: int = 0  # mutants that passed every stage they were sent to
    full: int = 0  # of which through the whole pipeline
    failures: Counter[str] = field(default_factory=Counter)
    tracebacks: list[str] = field(default_factory=list)
    silent: int = 0  # inputs that gave neither a record nor a failure (must be none)
    good: int = 0  # good records sent among hostile siblings
    lost_good: int = 0  # of which not read as an article (must be none)
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
            f"good records      {self.good} among hostile siblings, {self.lost_good} lost",
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


def _nested(rng: random.Random) -> str:
    depth = rng.choice([10, 70, 1000, 50_000])
    return rng.choice(["[", '{"a":']) * depth  # closed or not: both must be refused


def _hostile_siblings(rng: random.Random, text: str, i: int) -> bytes:
    """A good record (id "good-I") among records that once sank a whole run: deep
    nesting, ids that collide with derived keys or are of odd types, far-off stamps,
    duplicate keys. The good one must come out."""
    lines = [json.dumps({"id": f"good-{i}", "text": text})]
    for _ in range(rng.randrange(1, 5)):
        kind = rng.randrange(5)
        if kind == 0:
            lines.append('{"id": "n", "text": "x", "meta": ' + _nested(rng) + "}")
        elif kind == 1:
            rid = rng.choice(["line1", "line2", "line3", 7, "7", {"a": 1}, [1], True, "", 1.5])
            lines.append(json.dumps({"id": rid, "text": text[: rng.randrange(1, 400)] or "x"}))
        elif kind == 2:
            lines.append(json.dumps({"text": text[::-1] or "x"}))  # id-less: keyed by line
        elif kind == 3:
            stamp = rng.choice(FAR_STAMPS)
            body = f"{stamp}\n\n{text}\nTalks resume tomorrow, he said three days ago."
            lines.append(json.dumps({"id": f"far-{stamp}", "published": stamp, "text": body}))
        else:
            lines.append('{"id": "dup", "text": "A.", "text": "B said \\"yes\\"."}')
    rng.shuffle(lines[1:])
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def _encode(rng: random.Random, text: str, i: int = 0) -> bytes:
    kind = rng.randrange(15)
    if kind == 10:  # a legacy encoding, with words of its alphabet
        codec = rng.choice(list(FOREIGN))
        at = rng.randrange(len(text) + 1)
        spliced = text[:at] + " " + FOREIGN[codec] + " " + text[at:]
        if rng.random() < 0.3:  # an HTML page that declares it
            spliced = (
                f'<html><head><meta charset="{codec}"></head><body><p>{spliced}</p></body></html>'
            )
        return spliced.encode(codec, "replace")
    if kind == 11:  # HTML with far-off stamps and deep JSON-LD
        far = {"@type": "NewsArticle", "datePublished": rng.choice(FAR_STAMPS)}
        ld = rng.choice([json.dumps(far), '{"a": ' + _nested(rng) + "}"])
        decl = rng.choice(["", '<?xml version="1.0" encoding="utf-8"?>\n'])
        body = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
        head = f'<head><script type="application/ld+json">{ld}</script></head>'
        return f"{decl}<html>{head}<body>{body}</body></html>".encode("utf-8", "surrogatepass")
    if kind == 12:  # a far-off stamp heading a wire text
        return (rng.choice(FAR_STAMPS) + "\n\n" + text).encode("utf-8", "surrogatepass")
    if kind == 13:
        return _hostile_siblings(rng, text, i)
    if kind == 14:  # line breaks as a lone CR
        return text.replace("\n", "\r").encode("utf-8", "surrogatepass")
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
        data = _encode(rng, text, i)
        if rng.random() < 0.25 and b'"good-' not in data:  # a good record stays good
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
        if m := re.search(rb'"id": "(good-\d+)"', data):
            fig.good += 1
            good_id = m.group(1).decode()
            if not any(isinstance(it, RawDocument) and it.id == good_id for it in items):
                fig.lost_good += 1
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
