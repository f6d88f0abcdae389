"""`pgsage lint PATH...`: lint migration files for zero-downtime safety (filled in by the linter issue)."""

from __future__ import annotations

import argparse

__all__ = ["add_parser"]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the `lint` subcommand; its `func` takes the parsed args and returns an exit code."""
