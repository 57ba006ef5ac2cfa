"""Ingest on a Dask LocalCluster beside ingest's own process pool, same corpus, one run.

Not a test: prints figures. Each configuration runs `wirescope ingest` as a command,
into its own fresh PostgreSQL schema, and is timed whole (start, model loads, people
matched, exit) and by its own summary line (articles/s from the first batch on).
Beside the clock it counts CPU seconds per article: of every process the command
starts (exact: this process adopts and reaps them all) and of the PostgreSQL
backends serving it (sampled by application_name), which still says what a path
costs when the machine is shared and wall-clock ratios are noise.

    .venv/bin/python benchmarks/cluster.py [--articles 400] [--dsn postgresql://...]

Targets (issue 12): LocalCluster of 2 workers >= 1.6 x 1 worker, and >= 0.9 x
`ingest --workers 2` (the engine's overhead). The corpus is benchmarks/throughput.py's:
gensim's Lee corpus, then the texts of ../shared/data. The machine's load average is
printed before and after: on a shared machine the figures mean little when it is high.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import write_corpus

TARGET_SCALE = 1.6  # LocalCluster 2 workers / 1 worker
TARGET_ENGINE = 0.9  # LocalCluster 2 workers / ingest --workers 2
SRC = Path(__file__).resolve().parents[1] / "src"
TICK = os.sysconf("SC_CLK_TCK")
_PR_SET_CHILD_SUBREAPER = 36


def _cpu_of(pid: int) -> float | None:
    """utime + stime of a live process, in seconds."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(stat[11]) + int(stat[12])) / TICK


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


@dataclass
class Cpu:
    """CPU seconds of one command: `total` over all its processes (exact), and a
    sampled split by role; `postgres` over the backends that served it."""

    total: float = 0.0
    roles: dict[str, float] = field(default_factory=dict)
    postgres: float = 0.0

    @property
    def all(self) -> float:
        return self.total + self.postgres


class CpuSampler(threading.Thread):
    """Samples, every `every` seconds, the CPU time of each process under this one
    (by role: the command itself, workers, helpers) and of the PostgreSQL backends
    whose application_name is `app`. A process's last sample stands for its total,
    so the split can miss up to `every` seconds per process; Cpu.total does not."""

    def __init__(self, dsn: str, app: str, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.dsn, self.app, self.every = dsn, app, every
        self.procs: dict[int, tuple[str, float]] = {}
        self.backends: dict[int, float] = {}
        self._halt = threading.Event()

    def _sample(self, conn: psycopg.Connection[Any]) -> None:
        import psutil

        me = psutil.Process()
        for proc in me.children(recursive=True):
            cpu = _cpu_of(proc.pid)
            if cpu is None:
                continue
            with contextlib.suppress(psutil.Error):
                role = self.procs.get(proc.pid, ("", 0.0))[0] or _role(proc)
                self.procs[proc.pid] = (role, cpu)
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (self.app,)
        ).fetchall()
        for (pid,) in rows:
            cpu = _cpu_of(pid)
            if cpu is not None:
                self.backends[pid] = max(cpu, self.backends.get(pid, 0.0))

    def run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self._halt.wait(self.every):
                self._sample(conn)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _role(proc: Any) -> str:
    cmd = " ".join(proc.cmdline())
    if "wirescope" in cmd and "ingest" in cmd:
        return "command"
    parent = proc.parent()
    if parent is not None and "forkserver" in " ".join(parent.cmdline()):
        return "workers"  # pool workers: forked by the forkserver, with its command line
    if "forkserver" in cmd or "resource_tracker" in cmd:
        return "helpers"
    if "spawn_main" in cmd:  # Dask workers, spawned by their nanny
        return "workers"
    return "helpers"


def _reap_all(deadline: float) -> None:
    """Wait for every process adopted from the command (forkserver, resource tracker,
    workers outliving their parent), so that RUSAGE_CHILDREN holds their CPU time."""
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)
    print("  (some processes of the command outlived it by 60 s: CPU total is short)")


def run_counted(cmd: list[str], env: dict[str, str], dsn: str) -> tuple[float, Cpu, Any]:
    """Run `cmd`: (wall seconds, CPU seconds, CompletedProcess-like result)."""
    # Orphans (the forkserver once ingest exits, a worker outliving its nanny) come
    # to this process, which reaps them: then RUSAGE_CHILDREN counts every process.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    app = f"wsbench{uuid.uuid4().hex[:8]}"
    sampler = CpuSampler(dsn, app)
    before = _children_cpu()
    sampler.start()
    t = time.perf_counter()
    done = subprocess.run(
        cmd, env={**env, "PGAPPNAME": app}, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    _reap_all(time.monotonic() + 60)
    sampler.stop()
    cpu = Cpu(total=_children_cpu() - before, postgres=sum(sampler.backends.values()))
    for role, seconds in sampler.procs.values():
        cpu.roles[role] = cpu.roles.get(role, 0.0) + seconds
    return wall, cpu, done


def run(
    paths: list[str], dsn: str, extra: list[str], quiet: bool = False
) -> tuple[float, float, str, Cpu]:
    """(wall seconds, articles/s from the summary line, summary line, CPU seconds) of
    one ingest; after a cluster ingest, `people --rebuild` is timed too (printed
    unless quiet)."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    db = f"{dsn}?options={quote(f'-csearch_path={schema}')}"
    cmd = [sys.executable, "-m", "wirescope", "ingest", *paths, "--db", db, *extra]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    try:
        wall, cpu, done = run_counted(cmd, env, dsn)
        if "--cluster" in extra and done.returncode == 0 and not quiet:
            t = time.perf_counter()
            rebuilt = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "wirescope",
                    "people",
                    "--rebuild",
                    "--db",
                    db,
                    "--limit",
                    "1",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            print(
                f"  people --rebuild after `ingest {' '.join(extra)}`:"
                f" {time.perf_counter() - t:.1f} s wall"
                f" [{rebuilt.stderr.strip().splitlines()[-1] if rebuilt.stderr else ''}]"
            )
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')  # type: ignore[arg-type]
    summary = next(
        (ln for ln in done.stderr.splitlines() if ln.startswith("wirescope: ingested")), ""
    )
    if done.returncode != 0 or not summary:
        raise SystemExit(f"{' '.join(extra)} failed:\n{done.stderr[-2000:]}")
    rate = float(re.search(r"\(([\d.]+) articles/s\)", summary).group(1))  # type: ignore[union-attr]
    return wall, rate, summary.removeprefix("wirescope: "), cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--dsn", default=os.environ.get("WIRESCOPE_TEST_PG"))
    ap.add_argument(
        "--baseline",
        type=int,
        default=64,
        metavar="N",
        help="also run each configuration on the first N articles, to count CPU per article"
        " beyond start-up (model loads, the cluster's start) as the difference; 0: don't",
    )
    ap.add_argument(
        "--only",
        nargs="+",
        metavar="CONFIG",
        help="run just these (e.g. 'workers 2' 'cluster local:2'); no ratios are printed",
    )
    args = ap.parse_args()
    if not args.dsn:
        raise SystemExit("give --dsn postgresql://... or set WIRESCOPE_TEST_PG")
    configs = {
        "ingest --workers 1": ["--workers", "1"],
        "ingest --workers 2": ["--workers", "2"],
        "ingest --cluster local:1": ["--cluster", "local:1"],
        "ingest --cluster local:2": ["--cluster", "local:2"],
    }
    if args.only:
        configs = {k: v for k, v in configs.items() if any(k.endswith(o) for o in args.only)}
    n, b = args.articles, args.baseline
    if not 0 <= b < n:
        raise SystemExit("--baseline must be at least 0 and less than --articles")
    with tempfile.TemporaryDirectory() as tmp:
        paths, words = write_corpus(n, Path(tmp) / "full")
        base = write_corpus(b, Path(tmp) / "base")[0] if b else []
        print(f"corpus: {n} articles, {words:,} words, {len(paths)} JSONL files")
        print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
        results = {}
        cpus: dict[str, tuple[float, float | None]] = {}  # per article: whole, beyond start
        for label, extra in configs.items():
            if b:  # the first b articles alone: start-up and the first batches
                cpu_b = run(base, args.dsn, extra + _ranges(base, label), quiet=True)[3]
            wall, rate, summary, cpu = run(paths, args.dsn, extra + _ranges(paths, label))
            results[label] = (wall, rate)
            print(
                f"{label:26} {wall:7.1f} s wall  {n / wall:6.2f} articles/s wall"
                f"  {rate:6.2f} articles/s by its summary   [{summary}]",
                flush=True,
            )
            split = ", ".join(f"{k} {v / n:.3f}" for k, v in sorted(cpu.roles.items()))
            beyond = (cpu.all - cpu_b.all) / (n - b) if b else None
            cpus[label] = (cpu.all / n, beyond)
            print(
                f"{'':26} CPU s/article {cpu.all / n:.3f} = processes {cpu.total / n:.3f}"
                f" ({split}; sampled) + postgres {cpu.postgres / n:.3f}"
                + (
                    f"; beyond start-up {beyond:.3f} (the {n - b} after the first {b})"
                    if beyond is not None
                    else ""
                ),
                flush=True,
            )
        print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")
    if args.only:
        return 0
    for basis in (0, 1):  # wall clock, then the summaries' rates
        name = "wall" if basis == 0 else "summary rate"

        def speed(label: str, basis: int = basis) -> float:
            wall, rate = results[label]
            return n / wall if basis == 0 else rate

        c2, c1 = speed("ingest --cluster local:2"), speed("ingest --cluster local:1")
        w2 = speed("ingest --workers 2")
        print(
            f"{name:13} local:2 / local:1 = {c2 / c1:.2f} (target >= {TARGET_SCALE}),"
            f" local:2 / --workers 2 = {c2 / w2:.2f} (target >= {TARGET_ENGINE})"
        )
    for k, name in ((0, "whole run"), (1, "beyond start-up")):
        per = {label: figures[k] for label, figures in cpus.items()}
        d2, p2 = per["ingest --cluster local:2"], per["ingest --workers 2"]
        d1, p1 = per["ingest --cluster local:1"], per["ingest --workers 1"]
        if d2 is None or p2 is None or d1 is None or p1 is None:
            continue  # --baseline 0
        print(
            f"CPU s/article, {name}: local:2 / --workers 2 = {d2 / p2:.2f},"
            f" local:1 / --workers 1 = {d1 / p1:.2f} (the engine's overhead; 1.00: none)"
        )
    return 0


def _ranges(paths: list[str], label: str) -> list[str]:
    """A cluster's --partition-size: ranges of 1/16 of the corpus, so that every worker
    gets partitions (at the default 8 MB the benchmark's corpus would be one)."""
    if "--cluster" not in label:
        return []
    return ["--partition-size", str(max(4096, sum(Path(p).stat().st_size for p in paths) // 16))]


if __name__ == "__main__":
    sys.exit(main())
