"""Running the health checks: selection, one transaction, a savepoint per check, caps."""

from __future__ import annotations

import time

import asyncpg
from pydantic import Field

from ..database import Database
from ..errors import InvalidInput
from ..plumbing import CompactModel, read_only, shrink_lists
from . import indexes, overflow, server_state, sessions, settings, tables, wraparound
from .base import Check, CheckContext, Finding, Thresholds

__all__ = ["ALL_CHECKS", "CheckError", "HealthReport", "check_ids", "health_check"]

ALL_CHECKS: tuple[Check, ...] = (
    *indexes.CHECKS,
    *tables.CHECKS,
    *wraparound.CHECKS,
    *overflow.CHECKS,
    *sessions.CHECKS,
    *server_state.CHECKS,
    *settings.CHECKS,
)
_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


class CheckError(CompactModel):
    check: str
    error: str


class HealthReport(CompactModel):
    server_version_num: int
    checks_run: list[str]
    summary: dict[str, int]
    findings: list[Finding]
    errors: list[CheckError] = Field(default_factory=list)
    # Findings left out per check because of the caps (at least this many: queries stop at 200 rows).
    omitted: dict[str, int] = Field(default_factory=dict)
    truncated: bool = False
    elapsed_ms: int


def check_ids() -> list[str]:
    """Every name `checks=` accepts: check ids and the extra finding ids they emit."""
    names: list[str] = []
    for c in ALL_CHECKS:
        names.append(c.id)
        names.extend(c.emits)
    return names


def _select(checks: list[str] | None) -> list[Check]:
    if not checks:
        return list(ALL_CHECKS)
    by_name = {c.id: c for c in ALL_CHECKS} | {e: c for c in ALL_CHECKS for e in c.emits}
    unknown = list(dict.fromkeys(name for name in checks if name not in by_name))
    if unknown:
        # Deduplicated, and each name shortened: the error must stay small whatever the caller sent.
        shown = [name[:60] for name in unknown[:10]] + ([f"... {len(unknown) - 10} more"] if len(unknown) > 10 else [])
        raise InvalidInput(f"Unknown check(s) {shown}; choose from: {', '.join(check_ids())}.")
    chosen: list[Check] = []
    for name in checks:
        if by_name[name] not in chosen:
            chosen.append(by_name[name])
    return chosen


async def health_check(
    db: Database,
    checks: list[str] | None = None,
    thresholds: Thresholds | None = None,
    max_findings_per_check: int = 50,
    max_findings: int = 200,
    max_bytes: int = 64_000,
) -> HealthReport:
    """Run the chosen checks (all by default) and return findings, most severe first."""
    selected = _select(checks)
    wanted = set(checks or [])
    version = await db.server_version_num()
    ctx = CheckContext(version=version, thresholds=thresholds or Thresholds())
    started = time.perf_counter()

    omitted: dict[str, int] = {}

    async def work(conn: asyncpg.Connection) -> tuple[list[Finding], list[CheckError], bool]:
        findings: list[Finding] = []
        errors: list[CheckError] = []
        truncated = False
        for check in selected:
            # A savepoint per check, always rolled back: a failing query (a missing privilege, a catalog
            # difference) must not abort the transaction the other checks need, and rolling back releases
            # the locks a check took (reading 10,000 sequences takes 10,000 locks) before the next one.
            await conn.execute("SAVEPOINT pgsage_check")
            try:
                found = await check.run(conn, ctx)
            except asyncpg.PostgresError as exc:
                errors.append(CheckError(check=check.id, error=db.scrub(f"{exc.sqlstate}: {exc}")))
                continue
            finally:
                await conn.execute("ROLLBACK TO SAVEPOINT pgsage_check; RELEASE SAVEPOINT pgsage_check")
            if wanted and check.id not in wanted:
                # The caller named only some of the finding ids this check emits.
                found = [f for f in found if f.check in wanted]
            if len(found) > max_findings_per_check:
                omitted[check.id] = len(found) - max_findings_per_check
                found, truncated = found[:max_findings_per_check], True
            findings.extend(found)
        return findings, errors, truncated

    findings, errors, truncated = await read_only(db, work)
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    if len(findings) > max_findings:
        findings, truncated = findings[:max_findings], True
    summary = {s: sum(1 for f in findings if f.severity == s) for s in _SEVERITY_ORDER}
    report = HealthReport(
        server_version_num=version,
        checks_run=[c.id for c in selected],
        # Counted before any byte cap, so the agent knows how much it did not see.
        summary={k: v for k, v in summary.items() if v},
        findings=findings,
        errors=errors,
        omitted=omitted,
        truncated=truncated,
        elapsed_ms=round((time.perf_counter() - started) * 1000),
    )
    if shrink_lists(report, ("findings",), max_bytes):
        report.truncated = True
    return report
