"""Copy a live database's schema (never its data) into a scratch database with the bundled pg_dump."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..dsn import dsn_password, scrub
from ..errors import DatabaseUnavailable

__all__ = ["copy_schema"]

_KEYWORD_PASSWORD = re.compile(r"\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def _without_password(dsn: str) -> str:
    """The DSN for argv (visible to every local user in ps): the password goes through PGPASSWORD instead."""
    if "://" not in dsn:
        return _KEYWORD_PASSWORD.sub("", dsn).strip()
    parts = urlsplit(dsn)
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("password="))
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, hostinfo = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{hostinfo}"
    return urlunsplit(parts._replace(netloc=netloc, query=query))


async def _run(argv: list[str], env: dict[str, str], timeout: float) -> tuple[int, bytes, bytes]:
    proc = await asyncio.create_subprocess_exec(
        *argv, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode or 0, out, err


async def copy_schema(source_dsn: str, target_dsn: str, bin_dir: Path, *, timeout: float = 120) -> list[str]:
    """Dump the source schema and load it into the target; returns the load's warnings (e.g. a missing
    extension in the scratch server), one line each. The password travels in PGPASSWORD, not in argv."""
    password = dsn_password(source_dsn)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password:
        env["PGPASSWORD"] = password
    try:
        code, dump, err = await _run(
            [
                str(bin_dir / "pg_dump"),
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                _without_password(source_dsn),
            ],
            env,
            timeout,
        )
    except TimeoutError:
        raise DatabaseUnavailable(
            f"pg_dump --schema-only of the live database did not finish within {timeout:.0f} s (a lock held on "
            "the catalog, or a very large schema): check the activity tool, or pass a scratch dsn."
        ) from None
    if code != 0:
        message = scrub(err.decode(errors="replace").strip(), password, source_dsn)
        raise DatabaseUnavailable(f"pg_dump --schema-only of the live database failed: {message}")
    load_env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    proc = await asyncio.create_subprocess_exec(
        str(bin_dir / "psql"),
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=0",
        "--dbname",
        target_dsn,
        env=load_env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, load_err = await asyncio.wait_for(proc.communicate(dump), timeout=timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise DatabaseUnavailable(
            f"Loading the live schema into the sandbox did not finish within {timeout:.0f} s; retry, or pass a "
            "scratch dsn."
        ) from None
    return [
        line.split("ERROR:", 1)[1].strip()
        for line in load_err.decode(errors="replace").splitlines()
        if "ERROR:" in line
    ]
