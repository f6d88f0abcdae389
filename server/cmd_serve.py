"""`pgsage serve`: run the MCP server over stdio (default) or streamable HTTP."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from .config import Config

__all__ = ["add_parser", "config_from_args", "run"]

_log = logging.getLogger("pgsage")

_EPILOG = """\
Every flag has an environment variable; flags win. Defaults in brackets.
  --dsn                     PGSAGE_DATABASE_URL or DATABASE_URL      [none: knowledge tools only]
  --sandbox                 PGSAGE_SANDBOX                           [off]
  --access-mode             PGSAGE_ACCESS_MODE                       [read-only]
  --statement-timeout-ms    PGSAGE_STATEMENT_TIMEOUT_MS              [15000]
  --lock-timeout-ms         PGSAGE_LOCK_TIMEOUT_MS                   [2000]
  --max-rows / --max-bytes  PGSAGE_MAX_ROWS / PGSAGE_MAX_BYTES       [200 / 64000]
  --pool-min / --pool-max   PGSAGE_POOL_MIN / PGSAGE_POOL_MAX        [0 / 4]
  --tenant-column           PGSAGE_TENANT_COLUMN                     [project_id]
  --safe-functions          PGSAGE_SAFE_FUNCTIONS (comma list)       [none]
  --data-dir                PGSAGE_DATA_DIR                          [user cache dir/pgsage]
  --knowledge-dsn           PGSAGE_KNOWLEDGE_DSN                     [none: local SQLite index]
  --scratch-dsn             PGSAGE_SCRATCH_DSN                       [none: dry runs use the sandbox]
  --no-ingest               PGSAGE_ALLOW_INGEST=false                [ingest allowed]
  --ingest-roots            PGSAGE_INGEST_ROOTS (comma list)         [any folder over stdio, none over HTTP]
  --auth-token              PGSAGE_AUTH_TOKEN (HTTP only)            [none]
  embeddings (optional)     PGSAGE_EMBEDDINGS_URL, PGSAGE_EMBEDDINGS_MODEL, PGSAGE_EMBEDDINGS_KEY
The password of a DSN is never printed or logged."""


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Database and output options shared by the commands that talk to PostgreSQL."""
    parser.add_argument("--dsn", help="PostgreSQL connection string of the database to inspect")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        default=None,
        help="start the embedded PostgreSQL 18 + pgvector and use it",
    )
    parser.add_argument(
        "--access-mode",
        choices=["read-only", "write"],
        help="read-only (default) or write: lets execute_sql run writes",
    )
    parser.add_argument("--statement-timeout-ms", type=int)
    parser.add_argument("--lock-timeout-ms", type=int)
    parser.add_argument("--max-rows", type=int, help="row cap of any result")
    parser.add_argument("--max-bytes", type=int, help="byte cap of any result")
    parser.add_argument("--pool-min", type=int)
    parser.add_argument("--pool-max", type=int)
    parser.add_argument("--tenant-column", help="tenant key column checked by the schema review")
    parser.add_argument("--safe-functions", help="comma-separated extra functions the read-only guard allows")
    parser.add_argument("--data-dir", help="where the index, sandbox and ingested docs live")
    parser.add_argument("--knowledge-dsn", help="PostgreSQL database holding a shared knowledge store")
    parser.add_argument("--scratch-dsn", help="scratch database dry runs use instead of the embedded sandbox")
    parser.add_argument("--ingest-roots", help="comma-separated folders rag_add_source may read")
    parser.add_argument(
        "--no-ingest", dest="allow_ingest", action="store_false", default=None, help="disable rag_add_source"
    )


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "serve",
        help="run the MCP server (stdio by default)",
        description="Run the pgsage MCP server.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--transport", choices=["stdio", "http"], help="stdio (default) or streamable HTTP")
    parser.add_argument("--host", help="HTTP bind address [127.0.0.1]")
    parser.add_argument("--port", type=int, help="HTTP port [8000]")
    parser.add_argument("--auth-token", help="bearer token HTTP clients must send")
    add_common_options(parser)
    parser.set_defaults(func=run)


_FIELDS = (
    "dsn",
    "sandbox",
    "access_mode",
    "statement_timeout_ms",
    "lock_timeout_ms",
    "max_rows",
    "max_bytes",
    "pool_min",
    "pool_max",
    "tenant_column",
    "safe_functions",
    "data_dir",
    "knowledge_dsn",
    "scratch_dsn",
    "allow_ingest",
    "ingest_roots",
    "transport",
    "host",
    "port",
    "auth_token",
)


_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def config_from_args(args: argparse.Namespace) -> Config:
    overrides: dict[str, Any] = {field: getattr(args, field, None) for field in _FIELDS}
    return Config.load(overrides)


def run(args: argparse.Namespace) -> int:
    from pydantic import SecretStr, ValidationError

    try:
        config = config_from_args(args)
    except ValidationError as exc:
        print(f"pgsage: invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    if config.transport == "http" and not config.auth_token and config.host not in _LOOPBACK_HOSTS:
        # DNS-rebinding protection checks the Host header, which a non-browser client sets at will: without a
        # token every tool (execute_sql in write mode, dry runs) would be open to anyone who can reach the port.
        print(
            f"pgsage: refusing to serve HTTP on {config.host} without authentication: set --auth-token "
            "(or PGSAGE_AUTH_TOKEN), or bind to 127.0.0.1 and use an authenticating proxy",
            file=sys.stderr,
        )
        return 2
    sandbox = None
    if config.sandbox:
        from pgsage.tools.errors import PgsageError
        from pgsage.tools.sandbox import start_sandbox

        try:
            sandbox = start_sandbox(config.data_dir)
        except PgsageError as exc:
            print(f"pgsage: {exc}", file=sys.stderr)
            return 2
        config = config.model_copy(update={"dsn": SecretStr(sandbox.dsn)})
        _log.info("sandbox PostgreSQL 18 running at %s", config.display_dsn)
    try:
        serve(config)
    except KeyboardInterrupt:
        pass
    finally:
        if sandbox is not None:
            sandbox.stop()
    return 0


def serve(config: Config) -> None:
    from .app import build_server

    server = build_server(config)
    if config.transport == "http":
        from .http import serve_http

        token = config.auth_token.get_secret_value() if config.auth_token else None
        serve_http(server, host=config.host, port=config.port, auth_token=token)
    else:
        server.run("stdio")
