"""`pgsage demo`: the main job on the embedded default, no database of the user's needed."""

from __future__ import annotations

import argparse
from pathlib import Path

from .config import default_data_dir

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "demo",
        help="run pgsage against a sample schema in the embedded PostgreSQL 18",
        description="Start the embedded PostgreSQL 18 + pgvector, load a sample RAG/chat schema with "
        "realistic flaws and a workload, then drive the real server over stdio through its headline tools.",
    )
    parser.add_argument("--data-dir", type=Path, help="where the sandbox lives [user cache dir/pgsage]")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pgsage.tools.errors import PgsageError

    from .demo.run import main

    try:
        return main(args.data_dir or default_data_dir())
    except PgsageError as exc:
        print(f"pgsage demo: {exc}")
        return 2
