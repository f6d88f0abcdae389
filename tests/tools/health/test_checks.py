"""Every health check: a fixture schema that triggers it with the exact finding expected, and a clean
schema where it stays quiet, on PostgreSQL 15 and on the embedded PostgreSQL 18.

Checks that depend on server state a test cannot create (replication lag, prepared transactions when
max_prepared_transactions is 0) run their SQL on both versions and must report nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import pytest

from pgsage.tools.health import Finding, HealthReport, Thresholds, health_check

FLUSH = "SELECT pg_stat_force_next_flush()"


@pytest.fixture(params=["pg15", "pg18"])
def new_db(request: pytest.FixtureRequest) -> Callable[..., str]:
    return request.getfixturevalue("make_db" if request.param == "pg15" else "make_db18")


async def _report(db, checks: list[str], **thresholds: Any) -> HealthReport:
    report = await health_check(db, checks=checks, thresholds=Thresholds(**thresholds))
    assert report.errors == [], report.errors
    return report


def _only(report: HealthReport, check: str, obj: str) -> Finding:
    matches = [f for f in report.findings if f.check == check and f.object == obj]
    assert len(matches) == 1, [f.model_dump() for f in report.findings]
    return matches[0]


def _absent(report: HealthReport, check: str, obj: str | None = None) -> None:
    found = [f for f in report.findings if f.check == check and (obj is None or f.object == obj)]
    assert found == [], [f.model_dump() for f in found]


async def _execute_each(dsn: str, *statements: str, ignore_errors: bool = False) -> None:
    """Statements that cannot run in a transaction block (CREATE INDEX CONCURRENTLY), one by one."""
    conn = await asyncpg.connect(dsn)
    try:
        for sql in statements:
            if ignore_errors:
                with contextlib.suppress(asyncpg.PostgresError):
                    await conn.execute(sql)
            else:
                await conn.execute(sql)
    finally:
        await conn.close()


@dataclass
class Case:
    check: str
    obj: str
    bad: str
    good: str
    evidence: dict[str, Any] = field(default_factory=dict)
    safe_fix: str | None = None
    severity: str = "warning"
    citations: tuple[str, ...] = ()
    thresholds: dict[str, Any] = field(default_factory=dict)


BLOAT = """
CREATE TABLE b (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO b SELECT g, repeat('x', 100) FROM generate_series(1, 50000) g;
CREATE INDEX b_id ON b (id);
"""

CASES = {
    "duplicate": Case(
        "duplicate-indexes",
        "public.t_a2",
        bad="CREATE TABLE t (a int, b int); CREATE INDEX t_a1 ON t (a); CREATE INDEX t_a2 ON t (a)",
        good="CREATE TABLE t (a int, b int); CREATE INDEX t_a1 ON t (a); CREATE INDEX t_b ON t (b)",
        evidence={"covered_by": "t_a1", "table": "t"},
        safe_fix="DROP INDEX CONCURRENTLY IF EXISTS public.t_a2;",
        citations=("duplicate-and-redundant-indexes",),
    ),
    "duplicate-of-primary-key": Case(
        "duplicate-indexes",
        "public.u_id",
        bad="CREATE TABLE u (id int PRIMARY KEY); CREATE UNIQUE INDEX u_id ON u (id)",
        good="CREATE TABLE u (id int PRIMARY KEY, v int); CREATE UNIQUE INDEX u_v ON u (v)",
        evidence={"covered_by": "u_pkey"},
        safe_fix="DROP INDEX CONCURRENTLY IF EXISTS public.u_id;",
    ),
    "redundant-prefix": Case(
        "redundant-indexes",
        "public.t_a",
        bad="CREATE TABLE t (a int, b int); CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b)",
        # A unique index on the prefix enforces something, and (b, a) does not start with a.
        good="CREATE TABLE t (a int, b int); CREATE UNIQUE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b);"
        " CREATE INDEX t_b ON t (b); CREATE INDEX t_ba ON t (b, a) WHERE a > 0",
        evidence={"covered_by": "t_ab"},
        safe_fix="DROP INDEX CONCURRENTLY IF EXISTS public.t_a;",
    ),
    "unused": Case(
        "unused-indexes",
        "public.t_v",
        bad="CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, g FROM generate_series(1, 20000) g;"
        " CREATE INDEX t_v ON t (v)",
        good="CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, g FROM generate_series(1, 20000) g;"
        f" CREATE INDEX t_v ON t (v); ANALYZE t; SELECT count(*) FROM t WHERE v = 5; {FLUSH}",
        evidence={"scans": 0, "table": "t"},
        safe_fix="DROP INDEX CONCURRENTLY IF EXISTS public.t_v;",
        thresholds={"unused_index_min_bytes": 100_000},
    ),
    "fk": Case(
        "fk-without-index",
        "public.child (parent_id)",
        bad="CREATE TABLE parent (id int PRIMARY KEY);"
        " CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE)",
        good="CREATE TABLE parent (id int PRIMARY KEY);"
        " CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent ON DELETE CASCADE);"
        " CREATE INDEX child_parent_id_id ON child (parent_id, id)",
        evidence={"references": "parent", "on_delete": "CASCADE", "constraint": "child_parent_id_fkey"},
        safe_fix="CREATE INDEX CONCURRENTLY IF NOT EXISTS child_parent_id_idx ON public.child (parent_id);",
        severity="info",
        citations=("fk-indexes", "require-concurrent-index-creation"),
    ),
    "fk-quoted": Case(
        "fk-without-index",
        'public."Order Lines" (Order Id, sku)',
        bad='CREATE TABLE "Orders" (id int, sku text, PRIMARY KEY (id, sku));'
        ' CREATE TABLE "Order Lines" ("Order Id" int, sku text, FOREIGN KEY ("Order Id", sku) REFERENCES "Orders");'
        ' CREATE INDEX ON "Order Lines" (sku)',
        good='CREATE TABLE "Orders" (id int, sku text, PRIMARY KEY (id, sku));'
        ' CREATE TABLE "Order Lines" ("Order Id" int, sku text, FOREIGN KEY ("Order Id", sku) REFERENCES "Orders");'
        ' CREATE INDEX ON "Order Lines" (sku, "Order Id")',
        safe_fix='CREATE INDEX CONCURRENTLY IF NOT EXISTS "Order Lines_Order Id_sku_idx" ON public."Order Lines"'
        ' ("Order Id", sku);',
        severity="info",
    ),
    "invalid": Case(
        "invalid-indexes",
        "public.t_v_key",
        bad="CREATE TABLE t (v int); INSERT INTO t VALUES (1), (1)",
        good="CREATE TABLE t (v int); INSERT INTO t VALUES (1), (2)",
        safe_fix="DROP INDEX CONCURRENTLY IF EXISTS public.t_v_key;",
        citations=("require-concurrent-index-creation",),
    ),
    "primary-key": Case(
        "missing-primary-key",
        "public.logs",
        bad="CREATE TABLE logs (at timestamptz, msg text)",
        good="CREATE TABLE logs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, msg text);"
        " CREATE TABLE p (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);"
        " CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        evidence={"has_unique_index": False},
        citations=("primary-keys", "identity-and-bigint-keys"),
    ),
    "not-valid": Case(
        "not-valid-constraints",
        "public.t t_v_positive",
        bad="CREATE TABLE t (v int); ALTER TABLE t ADD CONSTRAINT t_v_positive CHECK (v > 0) NOT VALID",
        good="CREATE TABLE t (v int); ALTER TABLE t ADD CONSTRAINT t_v_positive CHECK (v > 0) NOT VALID;"
        " ALTER TABLE t VALIDATE CONSTRAINT t_v_positive",
        evidence={"type": "check"},
        safe_fix="ALTER TABLE public.t VALIDATE CONSTRAINT t_v_positive;",
        severity="info",
        citations=("constraint-missing-not-valid",),
    ),
    "table-bloat": Case(
        "table-bloat",
        "public.b",
        bad=BLOAT + "DELETE FROM b WHERE id % 10 <> 0; ANALYZE b",
        good=BLOAT + "ANALYZE b",
        thresholds={"bloat_min_bytes": 1_000_000},
        citations=("table-bloat", "autovacuum-tuning"),
    ),
    "index-bloat": Case(
        "index-bloat",
        "public.b_id",
        bad=BLOAT + "DELETE FROM b WHERE id % 10 <> 0; ANALYZE b",
        good=BLOAT + "ANALYZE b",
        thresholds={"bloat_min_bytes": 500_000},
        safe_fix="REINDEX INDEX CONCURRENTLY public.b_id;",
    ),
    "vacuum-lag": Case(
        "vacuum-lag",
        "public.v",
        bad="CREATE TABLE v (id int) WITH (autovacuum_enabled = false);"
        f" INSERT INTO v SELECT generate_series(1, 20000); DELETE FROM v WHERE id > 5000; {FLUSH}",
        good=f"CREATE TABLE v (id int); INSERT INTO v SELECT generate_series(1, 20000); {FLUSH}",
        evidence={"n_dead_tup": 15000, "autovacuum_enabled": False},
        safe_fix="VACUUM (ANALYZE) public.v;",
        thresholds={"dead_tuples_min": 1000},
        citations=("autovacuum-tuning", "table-bloat"),
    ),
    "autovacuum-disabled": Case(
        "autovacuum-disabled",
        "public.q",
        bad="CREATE TABLE q (id int, body text) WITH (autovacuum_enabled = off, toast.autovacuum_enabled = false)",
        good="CREATE TABLE q (id int, body text) WITH (autovacuum_vacuum_scale_factor = 0.01)",
        evidence={"option": "autovacuum_enabled=off, toast.autovacuum_enabled=false"},
        safe_fix="ALTER TABLE public.q RESET (autovacuum_enabled, toast.autovacuum_enabled);",
        citations=("autovacuum-tuning",),
    ),
    "sequence-overflow": Case(
        "sequence-overflow",
        "public.s_seq",
        bad="CREATE TABLE s (id bigint PRIMARY KEY); CREATE SEQUENCE s_seq AS integer OWNED BY s.id;"
        " ALTER TABLE s ALTER id SET DEFAULT nextval('s_seq'); SELECT setval('s_seq', 2000000000)",
        good="CREATE TABLE s (id bigint PRIMARY KEY); CREATE SEQUENCE s_seq AS integer OWNED BY s.id;"
        " ALTER TABLE s ALTER id SET DEFAULT nextval('s_seq'); SELECT setval('s_seq', 2000)",
        evidence={"last_value": 2000000000, "limit": 2147483647, "column": "public.s.id", "sequence_type": "integer"},
        safe_fix="ALTER SEQUENCE public.s_seq AS bigint;",
        severity="critical",
        citations=("sequence-exhaustion", "identity-and-bigint-keys"),
    ),
    "serial-overflow": Case(
        "integer-key-overflow",
        "public.k.id",
        bad="CREATE TABLE k (id serial PRIMARY KEY); SELECT setval('k_id_seq', 1700000000)",
        good="CREATE TABLE k (id bigserial PRIMARY KEY); SELECT setval('k_id_seq', 1700000000)",
        evidence={"column_type": "integer", "sequence": "public.k_id_seq", "last_value": 1700000000},
    ),
    "integer-key-stats": Case(
        "integer-key-overflow",
        "public.h.id",
        bad="CREATE TABLE h (id int PRIMARY KEY);"
        " INSERT INTO h SELECT 2100000000 + g FROM generate_series(1, 1000) g; ANALYZE h",
        good="CREATE TABLE h (id int PRIMARY KEY); INSERT INTO h SELECT g FROM generate_series(1, 1000) g; ANALYZE h",
        evidence={"column_type": "integer", "max_seen": 2100001000, "constraint": "h_pkey"},
        severity="critical",
    ),
}


@pytest.mark.parametrize("case_id", list(CASES))
async def test_check_fires_on_the_bad_schema(case_id: str, new_db, connect) -> None:
    case = CASES[case_id]
    dsn = new_db(case.bad)
    if case_id == "invalid":
        await _execute_each(dsn, "CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)", ignore_errors=True)
    report = await _report(connect(dsn), [case.check], **case.thresholds)
    finding = _only(report, case.check, case.obj)
    assert finding.severity == case.severity
    for key, value in case.evidence.items():
        assert finding.evidence[key] == value, (key, finding.evidence)
    assert finding.safe_fix == case.safe_fix
    if case.citations:
        assert finding.citations == list(case.citations)
    assert finding.recommendation


@pytest.mark.parametrize("case_id", list(CASES))
async def test_check_is_quiet_on_the_clean_schema(case_id: str, new_db, connect) -> None:
    case = CASES[case_id]
    dsn = new_db(case.good)
    if case_id == "invalid":
        await _execute_each(dsn, "CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v)")
    report = await _report(connect(dsn), [case.check], **case.thresholds)
    _absent(report, case.check)


async def test_bloat_estimate_numbers(make_db, connect) -> None:
    db = connect(make_db(BLOAT + "DELETE FROM b WHERE id % 10 <> 0; ANALYZE b"))
    report = await _report(db, ["table-bloat"], bloat_min_bytes=1_000_000)
    ev = _only(report, "table-bloat", "public.b").evidence
    assert ev["row_estimate"] == pytest.approx(5000, rel=0.1)
    assert 0.8 <= ev["wasted_fraction"] <= 0.95
    assert ev["expected_pages"] < ev["pages"] / 5


async def test_wraparound_reports_against_thresholds(new_db, connect) -> None:
    dsn = new_db()
    db = connect(dsn)
    name = dsn.split("?")[0].rsplit("/", 1)[1]
    quiet = await _report(db, ["xid-wraparound"])
    _absent(quiet, "xid-wraparound")
    _absent(quiet, "multixact-wraparound")
    loud = await _report(db, ["xid-wraparound"], wraparound_warn_fraction=0.0, wraparound_critical_fraction=0.9)
    finding = _only(loud, "xid-wraparound", f"database {name}")
    assert finding.severity == "warning" and finding.evidence["age"] >= 0
    assert finding.citations == ["transaction-id-wraparound"]
    # Selecting one emitted id keeps only that kind of finding.
    multi = await _report(db, ["multixact-wraparound"], wraparound_warn_fraction=0.0)
    assert {f.check for f in multi.findings} == {"multixact-wraparound"}


async def test_connections_headroom(new_db, connect) -> None:
    db = connect(new_db())
    _absent(await _report(db, ["connections"]), "connections")
    finding = _only(await _report(db, ["connections"], connections_warn_fraction=0.0), "connections", "server")
    assert finding.evidence["connections"] >= 1 and finding.evidence["usable_slots"] > 0


async def test_idle_in_transaction_session(new_db, connect) -> None:
    dsn = new_db()
    idle = await asyncpg.connect(dsn)
    try:
        await idle.execute("BEGIN; SELECT 1")
        await asyncio.sleep(0.3)
        pid = idle.get_server_pid()
        db = connect(dsn)
        _absent(await _report(db, ["idle-in-transaction"]), "idle-in-transaction", f"pid {pid}")
        finding = _only(
            await _report(db, ["idle-in-transaction"], idle_in_transaction_seconds=0.1),
            "idle-in-transaction",
            f"pid {pid}",
        )
        assert finding.evidence["state"] == "idle in transaction" and finding.evidence["idle_seconds"] >= 0.1
        assert finding.citations == ["idle-in-transaction"]
    finally:
        await idle.close()


async def test_long_running_and_blocked_queries(new_db, connect) -> None:
    dsn = new_db("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)")
    holder = await asyncpg.connect(dsn)
    waiter = await asyncpg.connect(dsn)
    sleeper = await asyncpg.connect(dsn)
    try:
        sleeping = asyncio.create_task(sleeper.execute("SELECT pg_sleep(2)"))
        await holder.execute("BEGIN; UPDATE t SET id = 1 WHERE id = 1")
        blocked = asyncio.create_task(waiter.execute("UPDATE t SET id = 2 WHERE id = 1"))
        await asyncio.sleep(0.5)
        db = connect(dsn)
        quiet = await _report(db, ["long-running-queries", "blocked-queries"])
        _absent(quiet, "long-running-queries", f"pid {sleeper.get_server_pid()}")
        _absent(quiet, "blocked-queries", f"pid {waiter.get_server_pid()}")
        loud = await _report(
            db, ["long-running-queries", "blocked-queries"], long_query_seconds=0.2, blocked_seconds=0.2
        )
        slow = _only(loud, "long-running-queries", f"pid {sleeper.get_server_pid()}")
        assert "pg_sleep" in slow.evidence["query"] and slow.evidence["query_seconds"] >= 0.2
        stuck = _only(loud, "blocked-queries", f"pid {waiter.get_server_pid()}")
        assert stuck.evidence["blocked_by"] == [holder.get_server_pid()]
        assert stuck.evidence["blockers"][0]["state"] == "idle in transaction"
        assert stuck.citations == ["blocking-locks"]
        await holder.execute("ROLLBACK")
        await blocked
        await sleeping
    finally:
        for conn in (holder, waiter, sleeper):
            await conn.close()


async def test_cache_hit_ratio_on_pg15(make_db, connect) -> None:
    # On PostgreSQL 15 extending a new table counts as block reads, which gives a ratio below 1.
    db = connect(make_db(f"CREATE TABLE c AS SELECT g AS id FROM generate_series(1, 50000) g; {FLUSH}"))
    _absent(await _report(db, ["cache-hit-ratio"]), "cache-hit-ratio")
    finding = _only(
        await _report(db, ["cache-hit-ratio"], cache_min_blocks=1, cache_min_ratio=1.0),
        "cache-hit-ratio",
        "tables of this database",
    )
    assert finding.evidence["blocks_read"] > 0 and finding.evidence["hit_ratio"] < 1


async def test_cache_hit_ratio_sql_on_pg18(make_db18, connect) -> None:
    _absent(await _report(connect(make_db18()), ["cache-hit-ratio"]), "cache-hit-ratio")


async def test_inactive_replication_slot(new_db, connect, request) -> None:
    dsn = new_db()
    slot = f"pgsage_test_{request.node.callspec.id}_{id(dsn) % 100000}"
    db = connect(dsn)
    _absent(await _report(db, ["replication-slots"]), "replication-slots", f"slot {slot}")
    await _execute_each(dsn, f"SELECT pg_create_physical_replication_slot('{slot}', true)")
    try:
        finding = _only(await _report(db, ["replication-slots"]), "replication-slots", f"slot {slot}")
        assert finding.evidence["active"] is False and finding.evidence["type"] == "physical"
        assert finding.evidence["retained_bytes"] >= 0
        assert "pg_drop_replication_slot" in finding.recommendation
    finally:
        await _execute_each(dsn, f"SELECT pg_drop_replication_slot('{slot}')")


async def test_checks_without_a_reachable_state_run_cleanly(new_db, connect) -> None:
    # No standby and no prepared transactions can be made here: the SQL must still run and stay quiet.
    report = await _report(connect(new_db()), ["replication-lag", "prepared-transactions"])
    assert report.findings == []


async def test_settings_rules_and_workload(make_db, connect) -> None:
    bad = make_db(
        "CREATE TABLE s AS SELECT g FROM generate_series(1, 200000) g;"
        f" SET work_mem = '64kB'; SELECT count(*) FROM (SELECT g FROM s ORDER BY g DESC) x; {FLUSH}"
    )
    report = await _report(connect(bad), ["settings"], temp_bytes_warning=1)
    rpc = _only(report, "settings", "random_page_cost")
    assert rpc.evidence == {"value": "4", "source": "default"}
    assert rpc.safe_fix == "ALTER SYSTEM SET random_page_cost = 1.1; SELECT pg_reload_conf();"
    spill = _only(report, "settings", "work_mem")
    assert spill.evidence["temp_files"] >= 1 and spill.evidence["temp_bytes"] > 0
    good = make_db(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database()); END $$"
    )
    clean = await _report(connect(good), ["settings"])
    _absent(clean, "settings", "random_page_cost")
    _absent(clean, "settings", "work_mem")


async def test_settings_sql_runs_on_pg18(make_db18, connect) -> None:
    # PostgreSQL 17 moved checkpoint counters to pg_stat_checkpointer; the check picks the view by version.
    report = await _report(
        connect(make_db18()), ["settings"], checkpoint_min_total=0, checkpoint_requested_fraction=-1.0
    )
    wal = _only(report, "settings", "max_wal_size")
    assert "checkpoints_timed" in wal.evidence
