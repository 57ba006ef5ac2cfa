"""`wirescope ingest --cluster SPEC`: connect, say where the dashboard is, run, summarise.

Imported only when --cluster is given, so the rest of the CLI works without Dask."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from wirescope.ingest.cluster import connect, ingest_on_cluster
from wirescope.pipeline.stages import Stages


def _say(text: str) -> None:
    print(f"wirescope: {text}", file=sys.stderr, flush=True)


def run_cluster_ingest(
    args: argparse.Namespace, paths: list[str], stages: Stages, display: Any
) -> int:
    """Ingest `paths` on the cluster `args.cluster` names; exit status 1 if anything failed."""
    client, cluster = connect(args.cluster)
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        _say(f"Dask cluster {args.cluster} ({workers} workers); dashboard: {client.dashboard_link}")

        def rebuilt(n: int) -> None:
            if n % 10_000 < 256:
                _say(f"matching people: {n} articles")

        stats = ingest_on_cluster(
            paths,
            args.db,
            client,
            batch_size=args.batch_size,
            partition_bytes=args.partition_size,
            progress=display,
            rebuild_progress=rebuilt,
            stages=stages,
            published=args.published,
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    _say(stats.summary())
    return 1 if stats.failed else 0
