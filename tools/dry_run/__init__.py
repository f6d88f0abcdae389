"""Dry-run a migration on a scratch copy of the schema and report what really happened."""

from .run import DryRunReport, StatementOutcome, dry_run_migration

__all__ = ["DryRunReport", "StatementOutcome", "dry_run_migration"]
