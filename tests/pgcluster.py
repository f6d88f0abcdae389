"""Start (or find) the throwaway PostgreSQL 15 cluster the tests run against.

Used by `.ci/run` and by the test fixtures, so a developer can just run pytest: the cluster lives in
PGSAGE_TEST_PGDATA (default /tmp/pgsage-test-pg15), listens on 127.0.0.1:PGSAGE_TEST_PGPORT (54315)
only, trusts loopback (it holds nothing but test data), and preloads pg_stat_statements.

    python tests/pgcluster.py start   # prints the DSN
    python tests/pgcluster.py stop
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

PORT = int(os.environ.get("PGSAGE_TEST_PGPORT", "54315"))
PGDATA = Path(os.environ.get("PGSAGE_TEST_PGDATA", "/tmp/pgsage-test-pg15"))
DSN = f"postgresql://postgres@127.0.0.1:{PORT}/postgres"


def _bindir() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    preferred = [c for c in candidates if "/15/" in c] or candidates
    if preferred:
        return Path(preferred[0]).parent
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package creates the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _listening() -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", PORT)) == 0


def start() -> str:
    if _listening():
        return DSN
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL server binaries not found: apt-get install postgresql-15 (see .ci/run)"
        )
    if not (PGDATA / "PG_VERSION").exists():
        PGDATA.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(PGDATA, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(PGDATA),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    options = (
        f"-p {PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
        "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all "
        "-c track_io_timing=on -c max_connections=200 -c fsync=off -c full_page_writes=off "
        "-c synchronous_commit=off"
    )
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(PGDATA),
                "-l",
                str(PGDATA / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if _listening():
            return DSN
        time.sleep(0.1)
    raise RuntimeError(f"PostgreSQL did not start; see {PGDATA / 'server.log'}")


def stop() -> None:
    bindir = _bindir()
    if bindir and (PGDATA / "postmaster.pid").exists():
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(PGDATA), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    else:
        sys.exit("usage: pgcluster.py start|stop")
