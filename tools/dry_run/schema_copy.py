"""Copy a live database's schema (never its data) into a scratch database with the bundled pg_dump."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..dsn import dsn_password, scrub
from ..errors import DatabaseUnavailable

__all__ = ["copy_schema"]


def _without_password(dsn: str) -> str:
    if "://" not in dsn:
        return dsn
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{userinfo.split(':', 1)[0]}@{hostinfo}"))


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
    _, load_err = await asyncio.wait_for(proc.communicate(dump), timeout=timeout)
    return [
        line.split("ERROR:", 1)[1].strip()
        for line in load_err.decode(errors="replace").splitlines()
        if "ERROR:" in line
    ]
