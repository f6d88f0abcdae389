"""EXPLAIN a statement the guard accepts, optionally with ANALYZE or with HypoPG hypothetical indexes.

Everything happens in a READ ONLY transaction that is rolled back, with the guard's timeouts. ANALYZE
runs the statement, so it is allowed only for reads; a plain EXPLAIN (plan only) also accepts
INSERT/UPDATE/DELETE/MERGE because nothing is executed. HypoPG's indexes only exist for the planner,
so they apply to plain EXPLAIN: combined with analyze=True, analyze is dropped and a note says so.

`explain` and `plan_cost` are the domain API the index advisor reuses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Literal

import asyncpg

from ..database import Database, query_failed
from ..errors import GuardRejected, InvalidInput, QueryFailed
from ..guard import check_readonly, parse_one
from ..query import QueryLimits, apply_local_timeouts, begin, bind_params, client_timeout, end
from .hypothetical import (
    create_hypothetical_indexes,
    hypopg_schema,
    reset_hypothetical_indexes,
    validate_index_statement,
)
from .summary import PlanSummary, relations_in, summarize_plan

__all__ = ["PLANNER_SETTINGS", "explain", "plan_cost"]

# Settings explain may change for one plan (transaction-local, rolled back): planner knobs only.
PLANNER_SETTINGS: frozenset[str] = frozenset(
    {
        "work_mem", "hash_mem_multiplier", "random_page_cost", "seq_page_cost", "effective_cache_size",
        "cpu_tuple_cost", "cpu_index_tuple_cost", "cpu_operator_cost", "parallel_setup_cost",
        "parallel_tuple_cost", "min_parallel_table_scan_size", "min_parallel_index_scan_size",
        "max_parallel_workers_per_gather", "join_collapse_limit", "from_collapse_limit", "geqo",
        "geqo_threshold", "plan_cache_mode", "jit", "jit_above_cost", "constraint_exclusion",
        "cursor_tuple_fraction", "default_statistics_target", "effective_io_concurrency",
        "recursive_worktable_factor",
    }
)  # fmt: skip

_TABLE_ROWS_SQL = resources.files(__package__).joinpath("sql/table_rows.sql").read_text()


def _check_settings(settings: Mapping[str, Any] | None) -> dict[str, str]:
    checked: dict[str, str] = {}
    for name, value in (settings or {}).items():
        key = str(name).strip().lower()
        if not (key.startswith("enable_") or key in PLANNER_SETTINGS):
            raise InvalidInput(
                f"Setting {name!r} cannot be changed for a plan: only planner settings (enable_*, work_mem, "
                "random_page_cost, ...) are accepted."
            )
        checked[key] = "on" if value is True else "off" if value is False else str(value)
    return checked


# EXPLAIN ANALYZE runs the statement: with work_mem raised to terabytes, one hash join could exhaust the
# database server's memory. Estimated plans (analyze=False) may use any value.
_MEMORY_SETTINGS = frozenset({"work_mem", "hash_mem_multiplier"})
_MAX_ANALYZE_HASH_MEM = 1 << 30


async def _check_analyze_memory(conn: asyncpg.Connection) -> None:
    hash_mem = await conn.fetchval(
        "SELECT pg_size_bytes(current_setting('work_mem')) * current_setting('hash_mem_multiplier')::float8"
    )
    if hash_mem > _MAX_ANALYZE_HASH_MEM:
        raise InvalidInput(
            f"work_mem x hash_mem_multiplier is {hash_mem / (1 << 20):.0f} MB per sort/hash node; with analyze=True "
            f"it may be at most {_MAX_ANALYZE_HASH_MEM >> 20} MB because the statement really runs. Use a smaller "
            "value, or analyze=False for the estimated plan."
        )


def _explain_sql(sql: str, *, analyze: bool) -> str:
    options = "FORMAT JSON, VERBOSE, ANALYZE, BUFFERS" if analyze else "FORMAT JSON, VERBOSE"
    # A newline keeps a trailing line comment in `sql` from swallowing anything we add; the prefix
    # cannot change what `sql` means, and the combined text is checked again below.
    return f"EXPLAIN ({options})\n{sql}"


def _guard(sql: str, analyze: bool, extra_safe: Sequence[str]) -> str:
    """The statement kind if the guard accepts `sql` for this kind of EXPLAIN; raises otherwise."""
    verdict = check_readonly(sql, extra_safe, plan_only=not analyze)
    if not verdict.allowed:
        if verdict.rule in ("syntax", "empty", "too-long"):
            raise InvalidInput(verdict.reason or "The SQL could not be parsed.")
        hint = ""
        if analyze and verdict.rule in ("statement-kind", "data-modifying-cte", "locking-clause"):
            hint = " analyze=True runs the statement, so only reads can be analyzed; use analyze=False for the plan."
        raise GuardRejected(f"Rejected by the read-only guard: {verdict.reason}{hint}")
    if verdict.tree is not None and next(iter(verdict.tree)) == "ExplainStmt":
        raise InvalidInput("Pass the statement itself, without EXPLAIN: explain_query adds the options.")
    if verdict.tree is not None and next(iter(verdict.tree)) == "VariableShowStmt":
        raise InvalidInput("SHOW has no plan: run it with execute_sql, or pass a SELECT, VALUES, TABLE or DML.")
    try:
        wrapped = next(iter(parse_one(_explain_sql(sql, analyze=analyze))))
    except Exception:  # the guard's parse error for a statement EXPLAIN does not take
        wrapped = None
    if wrapped != "ExplainStmt":
        raise InvalidInput("The statement cannot be explained: pass a SELECT, VALUES, TABLE or DML statement.")
    return verdict.statement_kind or "statement"


async def _table_rows(conn: asyncpg.Connection, raw_plan: dict[str, Any]) -> dict[tuple[str, str], float]:
    relations = relations_in(raw_plan)
    if not relations:
        return {}
    rows = await conn.fetch(_TABLE_ROWS_SQL, [s for s, _ in relations], [t for _, t in relations])
    return {(r["schema"], r["name"]): float(r["rows"]) for r in rows}


async def _plan_document(
    conn: asyncpg.Connection, explain_sql: str, params: Sequence[Any], limits: QueryLimits
) -> list[Any]:
    stmt = await conn.prepare(explain_sql, timeout=limits.client_timeout_s)
    value = await stmt.fetchval(*bind_params(stmt, params), timeout=limits.client_timeout_s)
    document = json.loads(value) if isinstance(value, str) else value
    if not isinstance(document, list) or not document:
        raise QueryFailed("EXPLAIN returned no plan.")
    return document


async def explain(
    db: Database,
    sql: str,
    *,
    analyze: bool = False,
    hypothetical_indexes: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
    params: Sequence[Any] | None = None,
    format: Literal["summary", "json"] = "summary",
    limits: QueryLimits | None = None,
) -> PlanSummary:
    """The plan of `sql` as a PlanSummary (plus EXPLAIN's JSON when format='json')."""
    limits = limits or QueryLimits()
    if format not in ("summary", "json"):
        raise InvalidInput("format must be 'summary' or 'json'.")
    notes: list[str] = []
    hypothetical = [validate_index_statement(s) for s in hypothetical_indexes or ()]
    if hypothetical and analyze:
        analyze = False
        notes.append(
            "analyze=True was ignored: hypothetical indexes exist only for the planner, so EXPLAIN ANALYZE "
            "cannot use them. This is the estimated plan; run again without hypothetical_indexes to analyze."
        )
    kind = _guard(sql, analyze, limits.safe_functions)
    planner_settings = _check_settings(settings)
    explain_sql = _explain_sql(sql, analyze=analyze)

    async def work(conn: asyncpg.Connection) -> PlanSummary:
        clean = False
        schema: str | None = None
        names: list[str] = []
        await begin(conn, limits, readonly=True)
        try:
            for name, value in planner_settings.items():
                await conn.execute("SELECT set_config($1, $2, true)", name, value)
            if analyze and planner_settings.keys() & _MEMORY_SETTINGS:
                await _check_analyze_memory(conn)
            if hypothetical:
                schema = await hypopg_schema(conn)
                names = [h.name for h in await create_hypothetical_indexes(conn, schema, hypothetical)]
            document = await _plan_document(conn, explain_sql, list(params or []), limits)
            table_rows = await _table_rows(conn, document[0]["Plan"])
            if schema is not None:
                await reset_hypothetical_indexes(conn, schema)
            await end(conn)
            clean = True
        except asyncpg.PostgresError as exc:
            if exc.sqlstate == "57014" and analyze:
                raise QueryFailed(
                    f"EXPLAIN ANALYZE runs the statement and it was cancelled after statement_timeout "
                    f"({limits.statement_timeout_ms} ms): use analyze=False for the estimated plan, or add filters. "
                    f"{query_failed(exc)}",
                    sqlstate=exc.sqlstate,
                ) from None
            raise query_failed(exc) from None
        except TimeoutError:
            raise client_timeout(limits) from None
        finally:
            if not clean:
                # Hypothetical indexes (and anything unclear after an error) live in the session.
                conn.terminate()
        if planner_settings:
            notes.append(
                "Planner settings for this plan: " + ", ".join(f"{k}={v}" for k, v in planner_settings.items())
            )
        summary = summarize_plan(
            document,
            statement_kind=kind,
            analyzed=analyze,
            table_rows=table_rows,
            hypothetical=names,
            include_raw=format == "json",
        )
        summary.notes.extend(notes)
        if summary.raw is not None and len(json.dumps(summary.raw)) > limits.max_bytes:
            summary.raw = None
            summary.truncated = True
            summary.notes.append(
                f"The raw EXPLAIN JSON is larger than the byte cap ({limits.max_bytes}); use the summary."
            )
        if names and not summary.hypothetical_indexes_used:
            summary.notes.append("The planner did not use any of the hypothetical indexes for this statement.")
        return summary

    return await db.run(work)


async def plan_cost(
    conn: asyncpg.Connection,
    sql: str,
    hypothetical_indexes: Sequence[str] = (),
    *,
    limits: QueryLimits | None = None,
) -> float:
    """The planner's total cost of `sql` (plain EXPLAIN), optionally with hypothetical indexes.

    Runs on the caller's connection in a read-only transaction (a savepoint if one is open) that is
    rolled back; hypothetical indexes are reset before returning. For the index advisor.
    """
    limits = limits or QueryLimits()
    _guard(sql, False, limits.safe_functions)
    hypothetical = [validate_index_statement(s) for s in hypothetical_indexes]
    schema: str | None = None
    transaction = conn.transaction(readonly=True) if not conn.is_in_transaction() else conn.transaction()
    await transaction.start()
    try:
        await apply_local_timeouts(conn, limits)
        if hypothetical:
            schema = await hypopg_schema(conn)
            await create_hypothetical_indexes(conn, schema, hypothetical)
        document = await _plan_document(conn, _explain_sql(sql, analyze=False), [], limits)
    finally:
        await transaction.rollback()
        if schema is not None:
            # Not transactional: the rollback above left them in place.
            await reset_hypothetical_indexes(conn, schema)
    return float(document[0]["Plan"]["Total Cost"])
