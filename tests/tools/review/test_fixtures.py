"""Fixture schemas with known flaws: the exact findings, and the same findings from the live database and
from the SQL files (the parity the issue requires)."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from pgsage.tools.review import ReviewReport, review
from pgsage.tools.schema_model import SchemaModel, load_model_from_connection, load_model_from_sql

FIXTURES = Path(__file__).parent / "fixtures"

TENANT_APP = [
    ("error", "tenant-column-not-null", "public.comments.project_id"),
    ("error", "tenant-rls", "public.comments"),
    ("warning", "duplicate-index", "public.comments_body_idx1"),
    ("warning", "fk-without-index", "public.comments.comments_document_id_fkey"),
    ("warning", "fk-without-index", "public.projects.projects_owner_id_fkey"),
    ("warning", "prefer-identity-bigint", "public.comments.id"),
    ("warning", "table-without-primary-key", "public.audit_log"),
    ("warning", "tenant-foreign-key", "public.comments.project_id"),
    ("warning", "tenant-index", "public.comments.project_id"),
    ("warning", "tenant-rls", "public.audit_log"),
    ("warning", "timestamp-without-time-zone", "public.comments.posted"),
    ("info", "jsonb-without-gin", "public.audit_log.payload"),
    ("info", "missing-timestamps", "public.audit_log.created_at"),
    ("info", "missing-timestamps", "public.audit_log.updated_at"),
    ("info", "missing-timestamps", "public.comments.updated_at"),
    ("info", "naming-convention", "public.comments.authorName"),
    ("info", "naming-convention", "public.doc_title"),
    ("info", "prefer-text", "public.comments.body"),
    ("info", "redundant-index", "public.audit_log_project_id_idx"),
]

TENANT_QUERIES = [
    "SELECT id FROM documents d WHERE d.project_id = $1 AND d.meta ? 'draft'",
    "SELECT a.action FROM audit_log a JOIN documents USING (project_id) WHERE '{\"k\": 1}' <@ a.payload",
    'SELECT id FROM documents WHERE meta @> \'{"lang": "en"}\'',
]
# With a workload, jsonb columns are judged by the operators the queries use: documents.meta has a
# jsonb_path_ops index, which cannot serve `?`; audit_log.payload is searched by containment with no GIN.
TENANT_APP_WITH_QUERIES = sorted(
    [f for f in TENANT_APP if f[1] != "jsonb-without-gin"]
    + [
        ("warning", "jsonb-without-gin", "public.audit_log.payload"),
        ("warning", "jsonb-without-gin", "public.documents.meta"),
    ],
    key=lambda f: ({"error": 0, "warning": 1, "info": 2}[f[0]], f[1], f[2]),
)

VECTORS = [
    ("warning", "vector-without-index", "public.chunks.embedding"),
    ("warning", "vector-without-index", "public.images.wide"),
]
VECTOR_QUERIES = [
    "SELECT id FROM chunks ORDER BY embedding <=> $1 LIMIT 5",
    "SELECT c.id FROM chunks c ORDER BY c.summary_embedding <=> '[1,2,3]' LIMIT 5",
    "SELECT id FROM images WHERE clip <#> $1 < -0.5 ORDER BY clip <#> $1 LIMIT 10",
]
VECTORS_WITH_QUERIES = [
    ("warning", "vector-opclass-mismatch", "public.chunks.summary_embedding"),
    *VECTORS,
]


def triples(report: ReviewReport) -> list[tuple[str, str, str]]:
    return [(f.severity, f.rule, f.object) for f in report.findings]


async def live_model(dsn: str) -> SchemaModel:
    conn = await asyncpg.connect(dsn)
    try:
        return await load_model_from_connection(conn, ["public"])
    finally:
        await conn.close()


def sql_model(name: str) -> SchemaModel:
    return load_model_from_sql(FIXTURES / name)


def test_tenant_app_from_sql_gives_the_exact_findings() -> None:
    report = review(sql_model("tenant_app.sql"))
    assert triples(report) == TENANT_APP
    assert report.notes == []
    assert report.counts == {"error": 2, "warning": 9, "info": 8}
    assert report.tenancy is not None
    assert report.tenancy.tenant_table == "public.projects"
    # users and projects lack project_id: not tenant-owned, never flagged by tenant rules
    assert report.tenancy.owned_tables == ["public.audit_log", "public.comments", "public.documents"]


def test_tenant_app_with_queries_judges_jsonb_by_the_operators_used() -> None:
    report = review(sql_model("tenant_app.sql"), queries=TENANT_QUERIES)
    assert triples(report) == TENANT_APP_WITH_QUERIES
    meta = next(f for f in report.findings if f.object == "public.documents.meta")
    assert "?" in meta.why and "jsonb_ops" in meta.why
    assert meta.fix == (
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_meta_idx1 ON public.documents USING gin (meta);"
    )
    payload = next(f for f in report.findings if f.object == "public.audit_log.payload")
    assert "jsonb_path_ops" in (payload.fix or "")


async def test_tenant_app_live_database_and_sql_give_the_same_findings(make_db) -> None:
    sql = (FIXTURES / "tenant_app.sql").read_text()
    dsn = make_db(sql, extensions=("pgcrypto",))
    live = await live_model(dsn)
    parsed = sql_model("tenant_app.sql")
    for queries in (None, TENANT_QUERIES):
        from_db = review(live, queries=queries)
        from_sql = review(parsed, queries=queries)
        assert triples(from_db) == triples(from_sql)
        assert triples(from_db) == (TENANT_APP if queries is None else TENANT_APP_WITH_QUERIES)
        # Fixes are built from the model, so they agree too where no expression text is involved.
        for a, b in zip(from_db.findings, from_sql.findings, strict=True):
            if a.rule != "tenant-rls":
                assert a.fix == b.fix, a.rule


async def test_fixes_run_on_the_live_database_and_clear_their_findings(make_db) -> None:
    """Apply every fix that needs no data decisions; the review must then find none of those issues."""
    dsn = make_db((FIXTURES / "tenant_app.sql").read_text(), extensions=("pgcrypto",))
    before = review(await live_model(dsn))
    runnable = {
        "fk-without-index",
        "duplicate-index",
        "redundant-index",
        "tenant-index",
        "tenant-rls",
        "tenant-foreign-key",
        "tenant-column-not-null",
        "timestamp-without-time-zone",
        "prefer-text",
        "prefer-identity-bigint",
        "missing-timestamps",
    }
    conn = await asyncpg.connect(dsn)
    try:
        for finding in before.findings:
            if finding.rule in runnable and finding.fix:
                await conn.execute(finding.fix)
    finally:
        await conn.close()
    after = review(await live_model(dsn))
    left = {f[1] for f in triples(after)}
    assert not (left & runnable), triples(after)


@pytest.mark.pg18
async def test_vectors_live_pg18_and_sql_agree(make_db18) -> None:
    sql = (FIXTURES / "vectors.sql").read_text()
    dsn = make_db18(sql)
    live = await live_model(dsn)
    parsed = sql_model("vectors.sql")
    assert triples(review(parsed)) == VECTORS
    assert triples(review(live)) == VECTORS
    assert triples(review(parsed, queries=VECTOR_QUERIES)) == VECTORS_WITH_QUERIES
    assert triples(review(live, queries=VECTOR_QUERIES)) == VECTORS_WITH_QUERIES


@pytest.mark.pg18
async def test_vector_fixes_create_indexes_pgvector_accepts_and_that_clear_the_findings(make_db18) -> None:
    dsn = make_db18((FIXTURES / "vectors.sql").read_text())
    report = review(await live_model(dsn), queries=VECTOR_QUERIES)
    fixes = {f.object: f.fix for f in report.findings}
    assert fixes["public.images.wide"] == (
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS images_wide_idx ON public.images "
        "USING hnsw ((wide::halfvec(3072)) halfvec_cosine_ops);"
    )
    assert "vector_cosine_ops" in fixes["public.chunks.summary_embedding"]
    conn = await asyncpg.connect(dsn)
    try:
        for fix in fixes.values():
            await conn.execute(fix)
    finally:
        await conn.close()
    assert review(await live_model(dsn), queries=VECTOR_QUERIES).findings == []
