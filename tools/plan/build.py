"""Assemble a /plan report: knowledge search on the feature, the review of the tables involved, measured
index advice for the queries given, and proposed DDL that lints clean and, where possible, dry-runs clean."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pglast.parser import ParseError, parse_sql_json

from pgsage.knowledge.citations import Citation, cite, page_title

from ..advisor import IndexAdvice, recommend_indexes
from ..advisor.workload import parse_query
from ..database import Database
from ..dry_run import dry_run_migration
from ..dry_run.run import split_statements
from ..errors import InvalidInput, NotFound, PgsageError
from ..lint import lint_sql
from ..review import Finding, review
from ..sandbox import Sandbox
from ..schema_model import SchemaModel, Table, load_model_from_db, load_model_from_sql
from ..source_files import expand_paths, read_text_file
from .report import (
    IndexPlan,
    JsonbStrategy,
    MigrationPlan,
    PlanReport,
    QueryPattern,
    ResearchSource,
    TablePlan,
    TriggerPlan,
    render_markdown,
)

__all__ = ["KnowledgeHit", "plan_changes"]

KnowledgeHit = tuple[str, str, str, str]  # page_id, title, url, content
Search = Callable[[str, int], Awaitable[list[KnowledgeHit]]]

_PRELUDE = "SET lock_timeout = '5s';\nSET statement_timeout = '30min';\n"
_MAX_FEATURE = 2_000


def _wanted(model: SchemaModel, tables: Sequence[str] | None) -> list[Table]:
    if not tables:
        return list(model.tables)
    picked = []
    for name in tables:
        schema, _, table = name.rpartition(".")
        found = model.table(table, schema or None)
        if found is not None:
            picked.append(found)
    return picked


def _missing(model: SchemaModel | None, tables: Sequence[str] | None) -> list[str]:
    if not tables:
        return []
    if model is None:
        return list(tables)
    return [n for n in tables if model.table(n.rpartition(".")[2], n.rpartition(".")[0] or None) is None]


def _as_citations(items: list) -> list[Citation]:  # type: ignore[type-arg]
    return cite(*[c.page for c in items])


def _statements(sql: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    """(text, {node type: fields}) per statement; nothing for SQL that does not parse."""
    try:
        return [(stmt.text, {stmt.kind: stmt.tree}) for stmt in split_statements(sql)]
    except InvalidInput:
        return []


def _project_refs(files: Sequence[str], names: set[str]) -> list[ResearchSource]:
    refs: list[ResearchSource] = []
    for file, _ in expand_paths(files, (".sql",)):
        try:
            text = read_text_file(file)
            tree = json.loads(parse_sql_json(text))
        except (PgsageError, ParseError):
            continue
        for item in tree.get("stmts", []):
            ((kind, node),) = item["stmt"].items()
            relation = node.get("relation") or {}
            name = relation.get("relname")
            if name in names and kind in ("CreateStmt", "AlterTableStmt", "IndexStmt", "CreatePolicyStmt"):
                line = text[: item.get("stmt_location", 0)].count("\n") + 1
                if text[item.get("stmt_location", 0) :].startswith("\n"):
                    line += 1
                what = {
                    "CreateStmt": "CREATE TABLE",
                    "AlterTableStmt": "ALTER TABLE",
                    "IndexStmt": "CREATE INDEX",
                    "CreatePolicyStmt": "CREATE POLICY",
                }[kind]
                refs.append(ResearchSource(kind="project", ref=f"{file}:{line}", title=f"{what} {name}"))
    return refs[:30]


def _table_plans(tables: list[Table], findings: list[Finding], missing: list[str], tenant: str) -> list[TablePlan]:
    plans = []
    for table in tables:
        own = [f for f in findings if f.object == table.qualified or f.object.startswith(table.qualified + ".")]
        if not own:
            continue
        plans.append(
            TablePlan(
                table=table.qualified,
                purpose=table.comment or "existing table used by the feature",
                changes=[f"{f.rule}: {f.fix.splitlines()[0] if f.fix else f.evidence}" for f in own][:12],
                rationale=list(dict.fromkeys(f.why for f in own))[:8],
                citations=_as_citations([c for f in own for c in f.citations]),
            )
        )
    for name in missing:
        plans.append(
            TablePlan(
                table=name,
                purpose="new table for the feature",
                changes=[
                    "primary key: bigint GENERATED ALWAYS AS IDENTITY (or uuid if ids are made by clients)",
                    f"{tenant} NOT NULL REFERENCES the tenant table ON DELETE CASCADE, with an index led by it",
                    "created_at/updated_at timestamptz NOT NULL DEFAULT now()",
                    "known fields as typed columns; a jsonb meta column (DEFAULT '{}') only for open-ended attributes",
                ],
                rationale=["follows the conventions the schema review checks"],
                citations=cite("identity-and-bigint-keys", "tenant-isolation-schema", "timestamptz-vs-timestamp"),
            )
        )
    return plans


def _index_key(text: str) -> str:
    """What makes two CREATE INDEX statements the same index: table, method, keys, predicate."""
    stmts = _statements(text)
    if not stmts or "IndexStmt" not in stmts[0][1]:
        return text
    node = {k: v for k, v in stmts[0][1]["IndexStmt"].items() if k not in ("idxname", "concurrent", "if_not_exists")}
    return json.dumps(_without_locations(node), sort_keys=True)


def _without_locations(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {k: _without_locations(v) for k, v in tree.items() if k != "location"}
    if isinstance(tree, list):
        return [_without_locations(v) for v in tree]
    return tree


def _index_plans(advice: IndexAdvice | None, findings: list[Finding]) -> list[IndexPlan]:
    plans: dict[str, IndexPlan] = {}
    for rec in advice.recommendations if advice else []:
        stmts = _statements(rec.statement)
        node = stmts[0][1].get("IndexStmt", {}) if stmts else {}
        columns = rec.statement[rec.statement.find("(") :]
        plans[_index_key(rec.statement)] = IndexPlan(
            name=node.get("idxname") or rec.table,
            type=rec.method,
            columns=columns,
            purpose=rec.why,
            rationale=rec.evidence,
            statement=rec.statement,
            measured=rec.measured,
        )
    for finding in findings:
        for text, node in _statements(finding.fix or ""):
            if "IndexStmt" in node and _index_key(text) not in plans:
                plans[_index_key(text)] = IndexPlan(
                    name=node["IndexStmt"].get("idxname") or finding.object,
                    type=node["IndexStmt"].get("accessMethod", "btree"),
                    columns=text[text.find("(") :],
                    purpose=finding.why,
                    rationale=finding.evidence,
                    statement=text + ";" if not text.endswith(";") else text,
                    measured=False,
                )
    return list(plans.values())[:15]


def _jsonb(tables: list[Table], queries: Sequence[str]) -> JsonbStrategy:
    strategy = JsonbStrategy()
    filtered_keys: dict[str, set[str]] = {}
    containment: set[str] = set()
    for sql in queries:
        try:
            shape = parse_query(sql)
        except ValueError:
            continue
        for ref, use in shape.uses:
            for col, key in use.json_key_eq:
                filtered_keys.setdefault(f"{ref.name}.{col}", set()).add(key.strip("'"))
            containment.update(f"{ref.name}.{col}" for col in use.jsonb)
    for table in tables:
        for column in table.columns:
            if column.type != "jsonb":
                continue
            label = f"{table.name}.{column.name}"
            keys = filtered_keys.get(label, set())
            for key in sorted(keys):
                strategy.known_fields.append(
                    f"{key}: filtered on as {column.name}->>'{key}' -> promote to a typed column (or an expression "
                    "index) so the planner has statistics for it"
                )
            use = "queried with @> (GIN jsonb_path_ops)" if label in containment else "not filtered on"
            strategy.flexible_fields.append(f"{label}: open-ended attributes, {use}")
            strategy.validation.append(
                f"CHECK (jsonb_typeof({column.name}) = 'object') on {table.name}; pg_jsonschema's "
                "json_matches_schema() only where that extension is installed (e.g. Supabase)"
            )
    return strategy


def _safe_ddl(blocks: list[str], pg_version: int | None) -> tuple[list[str], list[str]]:
    """Blocks that lint clean with the timeout prelude, and the others with the reason."""
    kept, held = [], []
    for block in blocks:
        try:
            report = lint_sql(_PRELUDE + block, pg_version=pg_version)
        except PgsageError as exc:
            held.append(f"{block.splitlines()[0]} ({exc})")
            continue
        if report.findings:
            held.append(f"{block.splitlines()[0]} ({report.findings[0].rule}: {report.findings[0].message})")
        else:
            kept.append(block)
    return kept, held


def _rollback_and_locks(ddl: str) -> tuple[list[str], list[str]]:
    rollback, notes = [], []
    for _text, node in _statements(ddl):
        ((kind, body),) = node.items()
        if kind == "IndexStmt" and body.get("idxname"):
            schema = body["relation"].get("schemaname")
            name = f"{schema}.{body['idxname']}" if schema else body["idxname"]
            rollback.append(f"DROP INDEX CONCURRENTLY IF EXISTS {name};")
            if body.get("concurrent"):
                notes.append(
                    f"{body['idxname']}: built CONCURRENTLY (SHARE UPDATE EXCLUSIVE: reads and writes "
                    "continue); run it outside a transaction block and check indisvalid afterwards"
                )
        elif kind == "AlterTableStmt":
            table = body["relation"]["relname"]
            for cmd in body.get("cmds", []):
                sub = cmd.get("AlterTableCmd", {})
                constraint = (sub.get("def") or {}).get("Constraint", {})
                if sub.get("subtype") == "AT_AddConstraint" and constraint.get("conname"):
                    rollback.append(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {constraint['conname']};")
                    if constraint.get("skip_validation"):
                        notes.append(
                            f"{constraint['conname']}: added NOT VALID (brief lock), validated later "
                            "under SHARE UPDATE EXCLUSIVE"
                        )
    return rollback, notes


async def plan_changes(
    feature: str,
    *,
    tables: Sequence[str] | None = None,
    queries: Sequence[str] | None = None,
    files: Sequence[str] | None = None,
    db: Database | None = None,
    search: Search | None = None,
    tenant_column: str = "project_id",
    sandbox: Callable[[], Awaitable[Sandbox]] | None = None,
) -> PlanReport:
    feature = (feature or "").strip()
    if not feature:
        raise InvalidInput("Describe the feature to plan, e.g. 'per-user chat history search'.")
    if len(feature) > _MAX_FEATURE:
        raise InvalidInput(f"Keep the feature description under {_MAX_FEATURE} characters.")
    queries = [q for q in (queries or []) if q and q.strip()]
    notes: list[str] = []
    live = db is not None and db.configured

    hits: list[KnowledgeHit] = await search(feature, 6) if search else []
    model: SchemaModel | None = None
    if files:
        # Validated here, not as SQL strings: an empty name must not mean "the current folder".
        sql_files = [path for path, _ in expand_paths(files, (".sql",))]
        if not sql_files:
            raise NotFound(f"no .sql files found in {', '.join(map(str, files))}: name the schema files or folder")
        model = load_model_from_sql(sql_files)
    elif live:
        try:
            model = await load_model_from_db(db)  # type: ignore[arg-type]
        except PgsageError as exc:
            notes.append(f"Live schema not read: {exc}")
    else:
        notes.append("No database and no schema files: the plan rests on the knowledge base only.")

    involved = _wanted(model, tables) if model else []
    missing = _missing(model, tables)
    findings: list[Finding] = []
    if model is not None and involved:
        report = review(model, tenant_column=tenant_column, queries=list(queries) or None)
        names = {t.qualified for t in involved}
        findings = [f for f in report.findings if any(f.object == n or f.object.startswith(n + ".") for n in names)]

    advice: IndexAdvice | None = None
    if live and queries:
        try:
            advice = await recommend_indexes(db, queries=queries, from_pg_stat_statements=False)  # type: ignore[arg-type]
        except PgsageError as exc:
            notes.append(f"Index advice unavailable: {exc}")

    index_plans = _index_plans(advice, findings)
    blocks = [p.statement for p in index_plans]
    blocks += [
        f.fix
        for f in findings
        if f.fix
        and not any(f.fix.strip() == b.strip() for b in blocks)
        and not f.fix.lstrip().upper().startswith("CREATE INDEX")
    ]
    blocks = [b.strip().rstrip(";") + ";" for b in blocks]
    kept, held = _safe_ddl(list(dict.fromkeys(blocks)), None)
    ddl = _PRELUDE + "\n".join(kept) if kept else "-- no schema change needed"
    final_lint = lint_sql(ddl).findings if kept else []
    dry = None
    if kept and live and sandbox is not None:
        try:
            outcome = await dry_run_migration(ddl, live=db, sandbox=sandbox)
            failed = [s for s in outcome.statements if not s.ok]
            dry = f"dry run on the sandbox copy: {len(outcome.statements)} statements, {len(failed)} failed"
            held += [f"{s.statement} (dry run: {s.error})" for s in failed]
        except PgsageError as exc:
            notes.append(f"Dry run skipped: {exc}")
    rollback, zero_downtime = _rollback_and_locks(ddl)
    zero_downtime.insert(
        0,
        "lock_timeout 5s: a statement that cannot get its lock fails fast instead of queueing "
        "every query behind it; retry it",
    )

    functions = [
        TriggerPlan(
            name=f"{t.name}_set_updated_at",
            purpose=f"keep {t.name}.updated_at current",
            approach="BEFORE UPDATE row trigger setting NEW.updated_at = now() (statement-level "
            "triggers cannot touch the row)",
            called_by="trigger",
        )
        for t in involved
        if t.column("updated_at") is not None
    ][:5]
    patterns = []
    for q in advice.queries if advice else []:
        perf = (
            f"estimated cost {q.cost_before} -> {q.cost_after}"
            if q.cost_before is not None
            else (q.error or "not measured")
        )
        patterns.append(
            QueryPattern(
                name=f"Query {q.query}", sql=q.sql, index_usage=q.plan_after or q.plan_before or "n/a", performance=perf
            )
        )
    if not patterns:
        patterns = [
            QueryPattern(
                name=f"Query {n}",
                sql=" ".join(q.split())[:200],
                index_usage="not measured (no database)",
                performance="n/a",
            )
            for n, q in enumerate(queries, 1)
        ]
    performance = [f"{title}: {' '.join(content.split())[:160]}" for _, title, _, content in hits[:4]]
    if index_plans:
        performance.append(
            f"{len(index_plans)} new index(es) add write and vacuum cost; drop unused ones later "
            "(pg_stat_user_indexes.idx_scan)"
        )

    sources: dict[str, ResearchSource] = {}
    for page_id, title, url, _ in hits:
        sources.setdefault(page_id, ResearchSource(kind="knowledge", ref=page_id, title=title, url=url))
    cited = [c for f in findings for c in f.citations] + [
        c for r in (advice.recommendations if advice else []) for c in r.citations
    ]
    for c in _as_citations(cited):
        sources.setdefault(c.page, ResearchSource(kind="knowledge", ref=c.page, title=page_title(c.page), url=c.url))
    project = _project_refs(files or [], {t.name for t in involved}) if files else []

    plan = PlanReport(
        feature=feature,
        tables=_table_plans(involved, findings, missing, tenant_column),
        indexes=index_plans,
        functions=functions,
        jsonb=_jsonb(involved, queries),
        queries=patterns,
        performance=performance,
        migration=MigrationPlan(
            ddl=ddl,
            lint_clean=not final_lint,
            lint_findings=[f.rule for f in final_lint],
            dry_run=dry,
            zero_downtime=zero_downtime,
            rollback=rollback,
            held_back=held,
        ),
        research_sources=[*sources.values(), *project],
        notes=notes,
    )
    plan.markdown = render_markdown(plan)
    return plan
