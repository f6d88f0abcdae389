"""lint_migration over MCP and `pgsage lint` on the command line: results, errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import mcp
import pytest

from pgsage.server.app import build_server
from pgsage.server.config import Config

FIXTURES = Path(__file__).parents[1] / "tools" / "lint" / "fixtures"
ALEMBIC = Path(__file__).parents[1] / "tools" / "lint" / "alembic"
UNSAFE = "BEGIN;\nALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);\nCOMMIT;\n"
CLEAN = (
    "SET lock_timeout = '2s';\nSET statement_timeout = '1min';\nALTER TABLE users ADD COLUMN IF NOT EXISTS nick text;\n"
)


def _server(dsn: str | None = None):
    return build_server(Config.load({"dsn": dsn}, env={}))


async def _call(args: dict, dsn: str | None = None):
    async with mcp.Client(_server(dsn)) as client:
        return await client.call_tool("lint_migration", args)


async def test_tool_is_listed_read_only() -> None:
    async with mcp.Client(_server()) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    tool = tools["lint_migration"]
    assert tool.annotations is not None and tool.annotations.read_only_hint is True
    assert tool.output_schema is not None


async def test_sql_is_linted_with_structured_findings() -> None:
    result = await _call({"sql": UNSAFE, "pg_version": 16, "exclude": ["require-timeout-settings"]})
    assert not result.is_error
    report = result.structured_content
    assert report["pg_version"] == 16 and report["pg_version_source"] == "argument"
    assert report["statements"] == 3 and report["rules_excluded"] == ["require-timeout-settings"]
    assert len(report["rules_run"]) == 28
    (finding,) = report["findings"]
    assert finding["rule"] == "adding-foreign-key-constraint"
    assert (finding["line"], finding["column"], finding["lock"]) == (2, 23, "SHARE ROW EXCLUSIVE")
    assert "NOT VALID" in finding["safe_sql"] and "VALIDATE CONSTRAINT users_org_fk" in finding["safe_sql"]
    assert finding["citations"][0]["page"] == "adding-foreign-key-constraint"
    assert finding["citations"][0]["url"].startswith("https://")


async def test_files_and_folders_are_linted() -> None:
    result = await _call({"files": [str(ALEMBIC)], "pg_version": 15})
    assert not result.is_error
    report = result.structured_content
    assert len(report["files"]) == 2 and report["notes"]
    assert {f["rule"] for f in report["findings"]} >= {"adding-required-field", "renaming-column"}


async def test_pg_version_defaults_to_the_connected_server(pg15_dsn: str) -> None:
    result = await _call({"sql": "ALTER TABLE t ADD COLUMN a int DEFAULT 0;"}, dsn=pg15_dsn)
    assert result.structured_content["pg_version"] == 15
    assert result.structured_content["pg_version_source"] == "database"
    result = await _call({"sql": "ALTER TABLE t ADD COLUMN a int DEFAULT 0;"})
    assert (result.structured_content["pg_version"], result.structured_content["pg_version_source"]) == (18, "default")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"sql": "ALTER TABLE t ADDD COLUMN x int;"}, 'line 1:15: syntax error at or near "ADDD"'),
        ({"sql": "   "}, "empty"),
        ({}, "exactly one of"),
        ({"sql": "SELECT 1;", "files": ["a.sql"]}, "exactly one of"),
        ({"files": ["/nonexistent/migration.sql"]}, "no such file"),
        ({"sql": "SELECT 1;", "exclude": ["nope"]}, "unknown rule id"),
        ({"sql": "SELECT 1;", "pg_version": 3}, "pg_version"),
    ],
)
async def test_bad_input_is_a_tool_error(args: dict, message: str) -> None:
    result = await _call(args)
    assert result.is_error
    assert message in " ".join(getattr(c, "text", "") for c in result.content)


# --- the CLI -------------------------------------------------------------------------------------------


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pgsage.server", "lint", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def test_cli_exit_codes(tmp_path: Path) -> None:
    unsafe = tmp_path / "001.sql"
    unsafe.write_text(UNSAFE)
    clean = tmp_path / "002.sql"
    clean.write_text(CLEAN)
    broken = tmp_path / "003.sql"
    broken.write_text("ALTER TABLE t ADDD x;")
    assert _cli(str(clean)).returncode == 0
    assert _cli(str(unsafe)).returncode == 1
    proc = _cli(str(broken))
    assert proc.returncode == 2 and "003.sql:1:15: error: syntax error" in proc.stdout
    proc = _cli(str(tmp_path / "missing.sql"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    assert (
        _cli(
            str(unsafe),
            "--exclude",
            "adding-foreign-key-constraint,constraint-missing-not-valid,require-timeout-settings",
        ).returncode
        == 0
    )
    assert _cli(str(unsafe), "--exclude", "bogus").returncode == 2
    assert _cli(str(unsafe), "--format", "yaml").returncode == 2  # argparse usage error


def test_cli_text_format_names_lock_fix_and_summary(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text(UNSAFE)
    out = _cli(str(path), "--pg-version", "14").stdout
    assert f"{path}:2:23: error adding-foreign-key-constraint:" in out
    assert "lock: SHARE ROW EXCLUSIVE (blocks INSERT, UPDATE, DELETE and DDL" in out
    assert "      ALTER TABLE users VALIDATE CONSTRAINT users_org_fk;" in out
    assert out.rstrip().splitlines()[-1].startswith("2 finding(s) (1 error, 1 warning, 0 info) in 1 file(s)")
    assert "PostgreSQL 14" in out


def test_cli_json_format_is_the_report(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text(UNSAFE)
    report = json.loads(_cli(str(path), "--format", "json").stdout)
    assert [f["rule"] for f in report["findings"]] == ["require-timeout-settings", "adding-foreign-key-constraint"]
    assert report["files"] == [str(path)] and report["statements"] == 3


def test_cli_github_format_annotates_files(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text(UNSAFE)
    lines = _cli(str(path), "--format", "github").stdout.splitlines()
    assert lines[0].startswith(f"::warning file={path},line=2,col=1,title=require-timeout-settings::")
    assert lines[1].startswith(f"::error file={path},line=2,col=23,title=adding-foreign-key-constraint::")
    assert "%0AInstead:%0A" in lines[1] and len(lines) == 2


def test_cli_reads_standard_input() -> None:
    proc = _cli("-", "--format", "json", stdin="DROP DATABASE prod;")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["findings"][0]["file"] == "<stdin>"


def test_cli_lints_alembic_revisions() -> None:
    proc = _cli(str(ALEMBIC / "a1b2_unsafe_changes.py"))
    assert proc.returncode == 1
    assert "a1b2_unsafe_changes.py:15:5: error adding-required-field" in proc.stdout
    assert "note: op.execute with SQL that is not a string literal" in proc.stdout


def test_cli_assume_in_transaction(tmp_path: Path) -> None:
    path = tmp_path / "m.sql"
    path.write_text("SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n")
    assert _cli(str(path)).returncode == 0
    proc = _cli(str(path), "--assume-in-transaction")
    assert proc.returncode == 1 and "ban-concurrent-index-creation-in-transaction" in proc.stdout
