"""A real `wirescope serve` (uvicorn in a subprocess, on a free loopback port) over a
store built by a real `wirescope ingest`: `server` of the seed article and ggt_dev;
`corpus_server` (the browser tests') of those, polnear_dev and the realnews_dev pages
(162 articles: the corpus issue 25's tasks were tried on). WIRESCOPE_WEB_DB names such
a store already built (its ingest takes minutes)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLE_NAME, SHARED

pytest.importorskip("fastapi", reason="the web extra is not installed")

SRC = Path(__file__).resolve().parents[2] / "src"
SEED = SHARED / "fixtures" / f"{EXAMPLE_NAME}.txt"
GGT_DEV = SHARED / "data" / "ggt_dev.jsonl"
POLNEAR_DEV = SHARED / "data" / "polnear_dev.jsonl"
REALNEWS_DEV = SHARED / "data" / "realnews_dev" / "pages"
CORPUS = [SEED, GGT_DEV, POLNEAR_DEV, REALNEWS_DEV]
TOKEN = "test-write-token-0123456789"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("WIRESCOPE_WRITE_TOKEN", None)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(self, db: str, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "wirescope", "serve", "--db", db, "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [*cmd, *extra], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                out = self.proc.stdout.read().decode() if self.proc.stdout else ""
                raise RuntimeError(f"wirescope serve exited: {out}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("wirescope serve did not start in 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def server_class() -> type[Server]:
    """Server(db, *serve_options): for tests that need a server of their own."""
    return Server


def _ingest(db: str, inputs: list[Path]) -> str:
    subprocess.run(
        [sys.executable, "-m", "wirescope", "ingest", *map(str, inputs), "--db", db],
        env=_env(),
        check=True,
        capture_output=True,
    )
    return db


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not SEED.exists() or not GGT_DEV.exists():
        pytest.skip("needs ../shared: the seed fixture and ggt_dev.jsonl")
    return _ingest(str(tmp_path_factory.mktemp("web") / "seed.db"), [SEED, GGT_DEV])


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    built = os.environ.get("WIRESCOPE_WEB_DB")
    if built:
        return built
    if not all(p.exists() for p in CORPUS):
        pytest.skip("needs ../shared: the seed fixture, ggt_dev, polnear_dev, realnews_dev")
    return _ingest(str(tmp_path_factory.mktemp("web") / "corpus.db"), CORPUS)


@pytest.fixture(scope="session")
def corpus_server(corpus_db: str) -> Iterator[Server]:
    srv = Server(corpus_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def server(seed_db: str) -> Iterator[Server]:
    """Read-only, as `wirescope serve` starts by default."""
    srv = Server(seed_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def seed_id(server: Server) -> str:
    hits = httpx.get(server.url + "/quotes.json", params={"speaker": "Alireza Arafi"}).json()
    article_id: str = hits["data"][0]["article_id"]
    return article_id
