"""recommend_indexes: what-if index advice, measured with HypoPG and chosen greedily under a budget."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
from pglast.parser import ParseError, parse_sql_json
from pydantic import BaseModel

from pgsage.knowledge.citations import Citation, cite

from ..database import Database
from ..errors import FeatureUnavailable, InvalidInput
from ..guard import check_readonly
from ..plumbing import CompactModel
from ..stats import recorded_workload
from .candidates import Candidate, generate_candidates
from .catalog import load_tables, sql_text
from .costing import CostSession, PlanCost, cost_session
from .workload import QueryShape, parse_query

__all__ = ["IndexAdvice", "IndexRecommendation", "QueryAdvice", "WorkloadQuery", "recommend_indexes"]

_MAX_QUERIES = 50
_MAX_QUERY_CHARS = 20_000
_MAX_CANDIDATES = 60
_MIN_GAIN_FRACTION = 0.01
_UNMEASURED_LIMIT = 3


class IndexRecommendation(CompactModel):
    table: str
    statement: str  # the safe form: CREATE INDEX CONCURRENTLY
    method: str
    measured: bool  # False: HypoPG cannot simulate this method; advised from the query shape
    severity: str
    why: str
    evidence: str
    estimated_size_mb: float | None = None
    cost_reduction_pct: float | None = None
    queries_helped: list[int] = []
    citations: list[Citation] = []


class QueryAdvice(CompactModel):
    query: int  # 1-based position in the workload
    sql: str
    weight: float
    cost_before: float | None = None
    cost_after: float | None = None
    plan_before: str | None = None
    plan_after: str | None = None
    error: str | None = None


class IndexAdvice(BaseModel):  # reports keep empty lists: 'no findings' is an answer
    recommendations: list[IndexRecommendation]
    queries: list[QueryAdvice]
    total_cost_before: float | None = None
    total_cost_after: float | None = None
    candidates_considered: int = 0
    measured_with: str | None = None
    notes: list[str] = []


@dataclass
class WorkloadQuery:
    sql: str
    weight: float = 1.0


@dataclass
class _Chosen:
    candidate: Candidate
    oid: int
    size_mb: float
    gain: float


def _snippet(sql: str) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= 200 else text[:197] + "..."


async def _from_pg_stat_statements(conn: asyncpg.Connection, limit: int) -> list[WorkloadQuery]:
    """The recorded workload's SELECT/UPDATE/DELETE statements, weighted by their call counts."""
    picked: list[WorkloadQuery] = []
    for statement in await recorded_workload(conn, limit * 3):
        try:
            stmts = json.loads(parse_sql_json(statement.query)).get("stmts", [])
        except ParseError:
            continue
        if len(stmts) == 1 and next(iter(stmts[0]["stmt"])) in ("SelectStmt", "UpdateStmt", "DeleteStmt"):
            picked.append(WorkloadQuery(statement.query, float(statement.calls)))
        if len(picked) >= limit:
            break
    return picked


def _weighted(costs: list[PlanCost | None], weights: list[float]) -> float:
    return sum(c.cost * w for c, w in zip(costs, weights, strict=True) if c is not None)


async def _costs(session: CostSession, shapes: list[QueryShape | None]) -> list[PlanCost | None]:
    out: list[PlanCost | None] = []
    for shape in shapes:
        out.append(None if shape is None else await session.cost(shape))
    return out


async def _widen(
    session: CostSession,
    chosen: list[_Chosen],
    remaining: list[Candidate],
    shapes: list[QueryShape | None],
    weights: list[float],
    total: float,
    max_size_mb: float | None,
) -> float:
    """Swap a chosen index for a wider one that starts with the same keys when that lowers the workload
    cost: greedy rounds pick (a) before they see that (a, b) serves the same queries and more."""
    for pick in chosen:
        wider = [
            c
            for c in remaining
            if (c.schema, c.table, c.method) == (pick.candidate.schema, pick.candidate.table, pick.candidate.method)
            and c.keys[: len(pick.candidate.keys)] == pick.candidate.keys
            and c.keys != pick.candidate.keys
            and not c.where
            and not pick.candidate.where
        ]
        for cand in wider:
            await session.drop(pick.oid)
            oid, size = await session.create(cand.definition(concurrently=False))
            new_total = _weighted(await _costs(session, shapes), weights)
            within_budget = max_size_mb is None or sum(p.size_mb for p in chosen) - pick.size_mb + size <= max_size_mb
            if new_total < total and within_budget:
                remaining.append(pick.candidate)
                remaining.remove(cand)
                pick.gain += total - new_total
                pick.candidate, pick.oid, pick.size_mb, total = cand, oid, size, new_total
            else:
                await session.drop(oid)
                pick.oid, _ = await session.create(pick.candidate.definition(concurrently=False))
    return total


def _severity(fraction: float) -> str:
    return "high" if fraction >= 0.5 else "medium" if fraction >= 0.1 else "low"


async def recommend_indexes(
    db: Database,
    *,
    queries: Sequence[str] | None = None,
    from_pg_stat_statements: bool = True,
    max_indexes: int = 5,
    max_size_mb: float | None = None,
    top_statements: int = 20,
    extra_safe: Sequence[str] = (),
    timeout_ms: int = 30_000,
) -> IndexAdvice:
    """Index advice for the given queries and/or the top statements of pg_stat_statements."""
    if not 1 <= max_indexes <= 20:
        raise InvalidInput("max_indexes must be between 1 and 20.")
    if max_size_mb is not None and max_size_mb <= 0:
        raise InvalidInput("max_size_mb must be positive.")
    given = [q for q in (queries or []) if q and q.strip()]
    if len(given) > _MAX_QUERIES:
        raise InvalidInput(f"Give at most {_MAX_QUERIES} queries.")
    if not given and not from_pg_stat_statements:
        raise InvalidInput("Give queries, or set from_pg_stat_statements=true to use the database's workload.")

    async def work(conn: asyncpg.Connection) -> IndexAdvice:
        ext = await conn.fetchrow(sql_text("extensions.sql"))
        notes: list[str] = []
        workload = [WorkloadQuery(q) for q in given]
        if from_pg_stat_statements:
            try:
                workload += await _from_pg_stat_statements(conn, top_statements)
            except FeatureUnavailable as exc:
                if not given:
                    raise FeatureUnavailable(f"No recorded workload to advise on: {exc} Or pass queries.") from None
                notes.append(f"Only the given queries were analysed: {exc}")
        advice = [QueryAdvice(query=i, sql=_snippet(q.sql), weight=q.weight) for i, q in enumerate(workload, 1)]
        shapes: list[QueryShape | None] = []
        for item, query in zip(advice, workload, strict=True):
            shape = None
            if len(query.sql) > _MAX_QUERY_CHARS:
                item.error = f"longer than {_MAX_QUERY_CHARS} characters"
            else:
                verdict = check_readonly(query.sql, extra_safe, plan_only=True)
                if not verdict.allowed:
                    item.error = f"not analysed: {verdict.reason}"
                else:
                    try:
                        shape = parse_query(query.sql)
                    except ValueError as exc:
                        item.error = str(exc)
            shapes.append(shape)
        if not any(shapes):
            raise InvalidInput("None of the queries can be analysed: " + "; ".join(a.error or "" for a in advice))
        refs = list({ref for s in shapes if s for ref, _ in s.uses})
        tables = await load_tables(conn, refs)
        candidates = generate_candidates([s for s in shapes if s], tables)[:_MAX_CANDIDATES]
        measurable = [c for c in candidates if c.measurable]
        unmeasured = [c for c in candidates if not c.measurable]
        if not ext["pg_trgm"]:
            unmeasured = [c for c in unmeasured if "gin_trgm_ops" not in c.keys[0]] + [
                c for c in unmeasured if "gin_trgm_ops" in c.keys[0]
            ]
        result = IndexAdvice(recommendations=[], queries=advice, candidates_considered=len(candidates), notes=notes)
        weights = [q.weight for q in workload]
        if ext["hypopg"]:
            await _measure(conn, ext, shapes, weights, measurable, result, max_indexes, max_size_mb, timeout_ms)
        else:
            result.notes.append(
                "HypoPG is not installed, so no index could be measured: CREATE EXTENSION hypopg (package "
                "postgresql-NN-hypopg) for costed advice. Shown: the first candidates by query shape."
            )
            for cand in _shape_ranked(measurable, tables)[:max_indexes]:
                result.recommendations.append(_unmeasured(cand, tables))
        for cand in unmeasured[:_UNMEASURED_LIMIT]:
            result.recommendations.append(_unmeasured(cand, tables, trgm_missing=not ext["pg_trgm"]))
        return result

    return await db.run(work)


def _shape_ranked(candidates: list[Candidate], tables: dict) -> list[Candidate]:  # type: ignore[type-arg]
    """Without costs: big tables first, the widest candidate per leading column, no INCLUDE/partial variants."""
    rows = {(t.schema, t.name): t.reltuples for t in tables.values()}
    plain = [c for c in candidates if not c.include and not c.where]
    plain.sort(key=lambda c: (-rows.get((c.schema, c.table), 0.0), -len(c.keys)))
    seen: set[tuple[str, str, str]] = set()
    picked = []
    for cand in plain:
        lead = (cand.schema, cand.table, cand.keys[0])
        if lead not in seen:
            seen.add(lead)
            picked.append(cand)
    return picked


def _unmeasured(cand: Candidate, tables: dict, trgm_missing: bool = False) -> IndexRecommendation:  # type: ignore[type-arg]
    rows = next((t.reltuples for t in tables.values() if t.schema == cand.schema and t.name == cand.table), 0.0)
    evidence = f"{cand.reason}; table has ~{int(rows):,} rows"
    if cand.method in ("gin", "hnsw"):
        evidence += f"; HypoPG cannot simulate {cand.method} indexes, so this is advised from the query shape"
    if trgm_missing and "gin_trgm_ops" in cand.keys[0]:
        evidence += "; needs CREATE EXTENSION pg_trgm"
    return IndexRecommendation(
        table=f"{cand.schema}.{cand.table}",
        statement=cand.definition(concurrently=True, name=cand.index_name()),
        method=cand.method,
        measured=False,
        severity="medium" if rows >= 10_000 else "low",
        why=f"The workload uses {cand.reason}, which this index serves.",
        evidence=evidence,
        citations=cite(*cand.kb, "require-concurrent-index-creation"),
    )


async def _measure(
    conn: asyncpg.Connection,
    ext: asyncpg.Record,
    shapes: list[QueryShape | None],
    weights: list[float],
    candidates: list[Candidate],
    result: IndexAdvice,
    max_indexes: int,
    max_size_mb: float | None,
    timeout_ms: int,
) -> None:
    async with cost_session(conn, ext["hypopg"], ext["version_num"], timeout_ms) as session:
        before: list[PlanCost | None] = []
        for item, shape in zip(result.queries, shapes, strict=True):
            if shape is None:
                before.append(None)
                continue
            try:
                before.append(await session.cost(shape))
            except asyncpg.PostgresError as exc:
                item.error = f"cannot be planned: {exc.sqlstate}: {exc}"
                before.append(None)
        shapes = [s if b is not None else None for s, b in zip(shapes, before, strict=True)]
        base_total = _weighted(before, weights)
        current, current_total = before, base_total
        chosen: list[_Chosen] = []
        used_mb = 0.0
        remaining = list(candidates)
        while len(chosen) < max_indexes and remaining:
            best: tuple[float, Candidate, int, float, list[PlanCost | None]] | None = None
            for cand in remaining:
                oid, size = await session.create(cand.definition(concurrently=False))
                try:
                    if max_size_mb is not None and used_mb + size > max_size_mb:
                        continue
                    costs = await _costs(session, shapes)
                finally:
                    await session.drop(oid)
                gain = current_total - _weighted(costs, weights)
                if best is None or gain > best[0]:
                    best = (gain, cand, oid, size, costs)
            # Stop when the best index no longer moves the workload by 1% of what is left.
            if best is None or best[0] <= max(_MIN_GAIN_FRACTION * current_total, 1e-6):
                break
            gain, cand, _, size, _costs_seen = best
            oid, size = await session.create(cand.definition(concurrently=False))  # keep it for later rounds
            chosen.append(_Chosen(cand, oid, size, gain))
            used_mb += size
            # Re-plan with the kept index so plans name it by its final oid.
            current = await _costs(session, shapes)
            current_total = _weighted(current, weights)
            remaining = [c for c in remaining if c is not cand]
        current_total = await _widen(session, chosen, remaining, shapes, weights, current_total, max_size_mb)
        current = await _costs(session, shapes)
        result.measured_with = "HypoPG hypothetical indexes (planner cost estimates)"
        result.total_cost_before = round(base_total, 2)
        result.total_cost_after = round(current_total, 2)
        for item, b, a in zip(result.queries, before, current, strict=True):
            if b is not None and a is not None:
                item.cost_before, item.cost_after = round(b.cost, 2), round(a.cost, 2)
                item.plan_before = b.plan or None
                item.plan_after = a.plan if a.plan != b.plan else None
        for pick in chosen:
            hypo_name = f"<{pick.oid}>"
            helped = [q.query for q in result.queries if q.plan_after and hypo_name in q.plan_after]
            fraction = pick.gain / base_total if base_total else 0.0
            examples = [q for q in result.queries if q.query in helped][:2]
            evidence = (
                "; ".join(
                    f"query {q.query}: cost {q.cost_before} -> {q.cost_after} ({q.plan_before} -> {q.plan_after})"
                    for q in examples
                )
                or f"lowers the workload's weighted cost by {pick.gain:.1f}"
            )
            result.recommendations.append(
                IndexRecommendation(
                    table=f"{pick.candidate.schema}.{pick.candidate.table}",
                    statement=pick.candidate.definition(concurrently=True, name=pick.candidate.index_name()),
                    method=pick.candidate.method,
                    measured=True,
                    severity=_severity(fraction),
                    why=f"Serves {pick.candidate.reason}; with it the planner's estimated cost of the workload "
                    f"drops by {fraction:.0%}.",
                    evidence=evidence,
                    estimated_size_mb=round(pick.size_mb, 2),
                    cost_reduction_pct=round(100 * fraction, 1),
                    queries_helped=helped,
                    citations=cite(*pick.candidate.kb, "require-concurrent-index-creation"),
                )
            )
