"""health_check as a whole: selection, full runs on both versions, privileges, caps and the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgsage.tools.errors import InvalidInput
from pgsage.tools.health import ALL_CHECKS, check_ids, health_check
from pgsage.tools.health.base import Thresholds

CITED_PAGES = {
    "fk-indexes",
    "duplicate-and-redundant-indexes",
    "unused-indexes",
    "table-bloat",
    "autovacuum-tuning",
    "transaction-id-wraparound",
    "sequence-exhaustion",
    "idle-in-transaction",
    "blocking-locks",
    "primary-keys",
    "pg-stat-statements",
    "require-concurrent-index-creation",
    "constraint-missing-not-valid",
    "identity-and-bigint-keys",
}
MESSY = """
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (parent_id int REFERENCES parent);
CREATE INDEX child_a ON child (parent_id) WHERE parent_id > 0;
CREATE TABLE t (a int, b int);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_ab ON t (a, b);
ALTER TABLE t ADD CONSTRAINT t_a_pos CHECK (a > 0) NOT VALID;
"""


def test_registry_ids_are_unique_kebab_case_and_cite_known_pages() -> None:
    ids = check_ids()
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i and "_" not in i for i in ids)
    for check in ALL_CHECKS:
        assert set(check.citations) <= CITED_PAGES, check.id
    sql_dir = Path(__file__).parents[3] / "tools" / "health" / "sql"
    assert len(list(sql_dir.glob("*.sql"))) >= 20


@pytest.mark.parametrize("factory", ["make_db", "make_db18"])
async def test_full_run_without_errors_on_both_versions(factory: str, request, connect) -> None:
    dsn = request.getfixturevalue(factory)(MESSY)
    report = await health_check(connect(dsn))
    assert report.errors == []
    assert report.checks_run == [c.id for c in ALL_CHECKS]
    found = {(f.check, f.object) for f in report.findings}
    assert ("fk-without-index", "public.child (parent_id)") in found  # a partial index does not count
    assert ("redundant-indexes", "public.t_a") in found
    assert ("missing-primary-key", "public.child") in found
    assert ("not-valid-constraints", "public.t t_a_pos") in found
    severities = [f.severity for f in report.findings]
    order = {"critical": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)
    assert sum(report.summary.values()) == len(report.findings)
    for f in report.findings:
        assert set(f.citations) <= CITED_PAGES


async def test_unknown_check_is_rejected_with_the_valid_names(make_db, connect) -> None:
    with pytest.raises(InvalidInput, match="unused-indexes"):
        await health_check(connect(make_db()), checks=["unused-idx"])


async def test_an_emitted_id_selects_only_its_findings(make_db, connect) -> None:
    db = connect(
        make_db(
            "CREATE TABLE t (a int, b int); CREATE INDEX t_a ON t (a); CREATE INDEX t_ab ON t (a, b);"
            " CREATE INDEX t_b1 ON t (b); CREATE INDEX t_b2 ON t (b)"
        )
    )
    both = await health_check(db, checks=["duplicate-indexes"])
    assert {f.check for f in both.findings} == {"duplicate-indexes", "redundant-indexes"}
    redundant = await health_check(db, checks=["redundant-indexes"])
    assert [(f.check, f.object) for f in redundant.findings] == [("redundant-indexes", "public.t_a")]


async def test_caps_findings_and_says_truncated(make_db, connect) -> None:
    tables = "; ".join(f"CREATE TABLE nopk_{i} (v int)" for i in range(12))
    db = connect(make_db(tables))
    report = await health_check(db, checks=["missing-primary-key"], max_findings_per_check=5)
    assert len(report.findings) == 5 and report.truncated
    assert report.omitted == {"missing-primary-key": 7}
    assert not (await health_check(db, checks=["missing-primary-key"])).truncated


async def test_unprivileged_role_gets_answers_not_crashes(make_db, connect) -> None:
    dsn = make_db(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgsage_reader') THEN "
        "CREATE ROLE pgsage_reader LOGIN; END IF; END $$;"
        "CREATE TABLE secret (id int); CREATE SEQUENCE hidden_seq; SELECT setval('hidden_seq', 9e18::bigint)"
    )
    report = await health_check(connect(dsn.replace("postgres@", "pgsage_reader@")), thresholds=Thresholds())
    # Every check ran; what the role cannot see is simply not reported.
    assert report.errors == []
    assert not [f for f in report.findings if f.object == "public.hidden_seq"]


async def test_byte_cap_trims_findings(make_db, connect) -> None:
    tables = "; ".join(f"CREATE TABLE nopk_{i} (v int)" for i in range(30))
    report = await health_check(connect(make_db(tables)), checks=["missing-primary-key"], max_bytes=3_000)
    assert report.truncated and len(report.model_dump_json()) <= 3_000
    assert report.summary["warning"] == 30 and 0 < len(report.findings) < 30
