"""The `serve` subcommand: argument parsing only; the app is in wirescope.web.app.
FastAPI and uvicorn are imported when the command runs, so the rest of the CLI works
without the `web` extra."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import Any

from wirescope.store import DEFAULT_DB, StoreError

TOKEN_ENV = "WIRESCOPE_WRITE_TOKEN"


def register_serve(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="browse and query a store over HTTP (JSON API and HTML pages)",
        description="Serve a store: HTML pages, a JSON API (OpenAPI at /docs). Read-only "
        f"unless --write-token or ${TOKEN_ENV} is set.",
    )
    p.add_argument(
        "--db", default=DEFAULT_DB, help=f"SQLite file or postgresql:// URL ({DEFAULT_DB})"
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--write-token",
        metavar="TOKEN",
        help="allow POST /articles and DELETE /articles/ID with"
        f" `Authorization: Bearer TOKEN` (or ${TOKEN_ENV})",
    )
    p.add_argument(
        "--max-body", type=int, default=1_000_000, metavar="BYTES", help="largest request body"
    )
    p.add_argument(
        "--show-paths",
        action="store_true",
        help="show the server's file paths (records, /failures) to clients on other machines",
    )
    p.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let pages of this origin (https://example.org) read the API; repeatable",
    )
    p.add_argument(
        "--article-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="/extract, /try and POST /articles answer 504 past this (default 60)",
    )
    p.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from wirescope.cli.render import error

    try:
        import uvicorn

        from wirescope.web.app import Settings, create_app
    except ImportError as exc:
        error(f"serve needs the web extra ({exc.name} is missing): pip install 'wirescope[web]'")
        return 2
    token = args.write_token or os.environ.get(TOKEN_ENV) or None
    if token is not None and len(token) < 16:
        error("the write token must be at least 16 characters")
        return 2
    if args.max_body < 1:
        error("--max-body must be positive")
        return 2
    try:
        from wirescope import query

        query.open_corpus(args.db).close()  # a missing store is one line here, not a traceback
    except StoreError as exc:
        error(str(exc))
        return 1
    if args.article_timeout <= 0:
        error("--article-timeout must be positive")
        return 2
    public = not _loopback(args.host)
    if public:
        print(
            f"wirescope: warning: serving on {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    settings = Settings(
        db=args.db,
        write_token=token,
        max_body=args.max_body,
        public=public,
        show_paths=args.show_paths,
        cors_origins=tuple(args.cors_origin),
        extract_timeout=args.article_timeout,
    )
    app = create_app(settings)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
