"""The `pgsage` command: serve, demo, lint."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from . import cmd_demo, cmd_lint, cmd_serve
from .version import __version__

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pgsage",
        description="pgsage: an MCP server that makes an AI agent a PostgreSQL specialist.",
    )
    parser.add_argument("--version", action="version", version=f"pgsage {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in (cmd_serve, cmd_demo, cmd_lint):
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # stdout belongs to the MCP protocol under stdio: logs go to stderr only.
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return int(func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
