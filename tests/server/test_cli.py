import subprocess
import sys

from pgsage.server.cli import main


def test_serve_help_documents_every_setting_and_its_environment_variable(capsys) -> None:
    try:
        main(["serve", "--help"])
    except SystemExit as exc:
        assert exc.code == 0
    text = capsys.readouterr().out
    for needle in ("--dsn", "PGSAGE_DATABASE_URL", "DATABASE_URL", "--transport", "--auth-token",
                   "PGSAGE_AUTH_TOKEN", "--access-mode", "PGSAGE_MAX_ROWS", "PGSAGE_TENANT_COLUMN",
                   "PGSAGE_KNOWLEDGE_DSN", "PGSAGE_EMBEDDINGS_URL"):
        assert needle in text, needle


def test_invalid_configuration_exits_2_with_a_message() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pgsage.server", "serve", "--max-rows", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "max_rows" in proc.stderr


def test_no_command_prints_help() -> None:
    assert main([]) == 2
