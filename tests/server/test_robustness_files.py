"""`files` arguments are paths chosen by an agent: only regular .sql (lint: .sql/.py) files, bounded.

Refused before anything is opened: system files (/etc/passwd, /proc/self/environ), devices (/dev/zero),
FIFOs (which would block the reading thread forever), symlink loops, the filesystem root and huge
folders; binary and oversized files are errors that name the file, never a hang or a crash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import mcp
import pytest

from pgsage.server.app import build_server
from pgsage.server.config import Config
from pgsage.tools.errors import InvalidInput, NotFound
from pgsage.tools.source_files import MAX_FILE_BYTES, expand_paths, read_text_file

FILE_TOOLS = ("lint_migration", "review_schema", "plan_changes")


def _args(tool: str, files: list[str]) -> dict[str, Any]:
    return {"files": files, "feature": "users", "tables": ["users"]} if tool == "plan_changes" else {"files": files}


def _text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile")
    os.mkfifo(root / "fifo.sql")
    (root / "loop1.sql").symlink_to(root / "loop2.sql")
    (root / "loop2.sql").symlink_to(root / "loop1.sql")
    (root / "binary.sql").write_bytes(b"CREATE TABLE x (id int);\x00\xff\xfe" * 10)
    (root / "latin1.sql").write_bytes("CREATE TABLE caf\xe9 (id int);".encode("latin-1"))
    with (root / "huge.sql").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    many = root / "many"
    many.mkdir()
    for number in range(10_000):
        (many / f"{number:05}.sql").touch()
    (root / "cycle").mkdir()
    (root / "cycle" / "up").symlink_to(root / "cycle")
    return {
        "passwd": "/etc/passwd",
        "environ": "/proc/self/environ",
        "zero": "/dev/zero",
        "fifo": str(root / "fifo.sql"),
        "loop": str(root / "loop1.sql"),
        "binary": str(root / "binary.sql"),
        "latin1": str(root / "latin1.sql"),
        "huge": str(root / "huge.sql"),
        "many": str(many),
        "cycle": str(root / "cycle"),
        "root": "/",
        "empty": "",
        "blank": "   ",
        "nul": "a\x00b.sql",
        "long": "x" * 5_000 + ".sql",
    }


# what each hostile path must produce: (expected words in the error, or None when the lint report lists it)
EXPECTED = {
    "passwd": "only .sql files",
    "environ": "only .sql files",
    "zero": "only .sql files",
    "fifo": "not a regular file",
    "loop": "cannot be read",
    "binary": "binary file",
    "latin1": "not UTF-8",
    "huge": f"larger than {MAX_FILE_BYTES} bytes",
    "many": "more than 2000",
    "cycle": "no .sql",
    "root": "files and folders",
    "empty": "empty path",
    "blank": "empty path",
    "nul": "not a usable path",
    "long": "not a usable path",
}


@pytest.mark.parametrize("tool", FILE_TOOLS)
@pytest.mark.parametrize("case", sorted(EXPECTED))
async def test_hostile_files_are_refused_with_a_reason(tool: str, case: str, hostile: dict[str, str]) -> None:
    async with mcp.Client(build_server(Config.load(env={}))) as client:
        result = await client.call_tool(tool, _args(tool, [hostile[case]]))
        text = _text(result)
        if tool == "lint_migration" and case in ("binary", "latin1", "huge"):
            # The linter reports an unreadable file in `errors` and lints the others.
            assert not result.is_error and EXPECTED[case] in str(result.structured_content["errors"])
        else:
            assert result.is_error and EXPECTED[case] in text, text[:300]
        assert "root:x:0:0" not in text and "PATH=" not in text  # nothing of a system file leaks
        status = await client.call_tool("server_status", {})
        assert not status.is_error


def test_the_reader_refuses_what_is_not_a_regular_text_file(hostile: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_text_file(Path(hostile["fifo"]))  # would block forever without O_NONBLOCK + fstat
    with pytest.raises(InvalidInput, match="not a regular file"):
        read_text_file(Path("/dev/zero"))
    with pytest.raises(NotFound):
        read_text_file(tmp_path / "missing.sql")
    good = tmp_path / "ok.sql"
    good.write_text("SELECT 1;")
    assert read_text_file(good) == "SELECT 1;"
    assert expand_paths([tmp_path], (".sql",)) == [(good, False)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    secret = tmp_path / "secret.sql"
    secret.write_text("SELECT 1;")
    secret.chmod(0)
    with pytest.raises(InvalidInput, match="cannot be read"):
        read_text_file(secret)
