"""pgsage's migration linter against squawk on bench/migrations: per-file agreement, disagreements, speed.

    python bench/bench_lint.py [--pg-version 16] [--repeat 5]

squawk comes from the `squawk-cli` PyPI package (`pip install squawk-cli`); it is only needed here. Without
it the script still prints pgsage's findings and speed. Rule ids are compared through shared "families",
because the two tools split some checks differently (squawk's require-lock-timeout and
require-statement-timeout are pgsage's require-timeout-settings, for instance).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from pgsage.tools.lint import RULES, lint_paths

CORPUS = Path(__file__).parent / "migrations"

# pgsage rule id -> the families it covers (default: its own id).
PGSAGE_FAMILIES: dict[str, set[str]] = {
    "adding-foreign-key-constraint": {"adding-foreign-key-constraint", "not-valid"},
    "adding-check-constraint": {"not-valid"},
    "constraint-missing-not-valid": {"not-valid"},
}
# squawk rule id -> family; ids not listed and not pgsage ids are squawk-only rules.
SQUAWK_FAMILIES: dict[str, str] = {
    "constraint-missing-not-valid": "not-valid",
    "adding-not-nullable-field": "setting-not-nullable-field",
    "ban-truncate-cascade": "ban-truncate",
    "require-lock-timeout": "require-timeout-settings",
    "require-statement-timeout": "require-timeout-settings",
    "prefer-timestamp-tz": "prefer-timestamptz",
    "prefer-bigint-over-smallint": "prefer-bigint-over-int",
    "prefer-big-int": "prefer-bigint-over-int",
    "adding-serial-primary-key-field": "adding-primary-key-constraint",
    "renaming-object": "enum-value-changes",
}

# Why the tools differ on one file, where the general reason below does not apply.
FILE_EXPLANATIONS: dict[tuple[str, str], str] = {
    ("0001_create_accounts.sql", "require-timeout-settings"): (
        "the only lock-taking statement indexes a table created in the same file, which no running query "
        "can be waiting on; squawk does not track tables created outside an explicit transaction"
    ),
}

# Why the tools differ, by (family, the tool that reports it alone). Checked by reading both outputs.
EXPLANATIONS: dict[tuple[str, str], str] = {
    ("require-timeout-settings", "squawk"): (
        "squawk also wants statement_timeout before CONCURRENTLY operations (pgsage does not: it would cancel "
        "a long build and leave an INVALID index), and timeouts before DROP DATABASE or ALTER TYPE ... ADD "
        "VALUE, which take no table lock queries wait on"
    ),
    ("not-valid", "squawk"): (
        "squawk reports constraint-missing-not-valid for UNIQUE and PRIMARY KEY constraints too, which have "
        "no NOT VALID form; pgsage reports those only as disallowed-unique-constraint / "
        "adding-primary-key-constraint"
    ),
    ("require-concurrent-index-creation", "squawk"): (
        "the table is created earlier in the same file, so it is empty and unseen by running code; squawk "
        "only exempts a table created in the same explicit transaction"
    ),
    ("changing-column-type", "squawk"): (
        "varchar(16) -> varchar(64) is binary coercible (no rewrite) and the table is new in this file; "
        "squawk flags every type change"
    ),
    ("enum-value-changes", "pgsage"): (
        "pgsage flags editing pg_enum to drop a label; squawk has no rule for it (its renaming-object covers "
        "the RENAME VALUE)"
    ),
}


def families(ids: set[str], tool: str) -> set[str]:
    out: set[str] = set()
    for rule in ids:
        if tool == "pgsage":
            out |= PGSAGE_FAMILIES.get(rule, {rule})
        elif rule in SQUAWK_FAMILIES:
            out.add(SQUAWK_FAMILIES[rule])
        elif rule in RULES:
            out.add(rule)
    return out


def squawk_only(ids: set[str]) -> set[str]:
    return {r for r in ids if r not in SQUAWK_FAMILIES and r not in RULES}


def run_pgsage(files: list[Path], pg_version: int, repeat: int) -> tuple[dict[str, set[str]], float]:
    best = float("inf")
    found: dict[str, set[str]] = {}
    for _ in range(repeat):
        start = time.perf_counter()
        for path in files:
            report = lint_paths([path], pg_version=pg_version)
            found[path.name] = {f.rule for f in report.findings}
        best = min(best, time.perf_counter() - start)
    return found, best


def run_cli(files: list[Path], pg_version: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pgsage.server", "lint", "--format", "json", "--pg-version", str(pg_version)]
        + [str(f) for f in files],
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def run_squawk(squawk: str, files: list[Path], pg_version: int, repeat: int) -> tuple[dict[str, set[str]], float]:
    best = float("inf")
    out = ""
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(
            [squawk, "--reporter", "json", f"--pg-version={pg_version}.0"] + [str(f) for f in files],
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        out = proc.stdout
    found: dict[str, set[str]] = defaultdict(set)
    for item in json.loads(out or "[]"):
        found[Path(item["file"]).name].add(item["rule_name"])
    return {f.name: found.get(f.name, set()) for f in files}, best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-version", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*.sql"))
    ours, our_time = run_pgsage(files, args.pg_version, args.repeat)
    cli_time = run_cli(files, args.pg_version)
    print(f"corpus: {len(files)} migrations in {CORPUS} (PostgreSQL {args.pg_version})")
    rate = len(files) / our_time
    print(f"pgsage (in process, best of {args.repeat}): {rate:,.0f} files/s ({our_time * 1000:.1f} ms)")
    print(f"pgsage CLI (one process, all files, incl. Python start-up): {len(files) / cli_time:,.1f} files/s")

    squawk = shutil.which("squawk")
    if squawk is None:
        print("squawk not found: `pip install squawk-cli` to compare. pgsage findings per file:")
        for name, ids in ours.items():
            print(f"  {name}: {', '.join(sorted(ids)) or '-'}")
        return 0
    version = subprocess.run([squawk, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    theirs, their_time = run_squawk(squawk, files, args.pg_version, args.repeat)
    print(f"{version} (one process, all files, best of {args.repeat}): {len(files) / their_time:,.1f} files/s")
    print()

    agree = 0
    family_agree: Counter[str] = Counter()
    family_total: Counter[str] = Counter()
    disagreements: list[str] = []
    unexplained = 0
    only_squawk: Counter[str] = Counter()
    for path in files:
        name = path.name
        mine, other = families(ours[name], "pgsage"), families(theirs[name], "squawk")
        only_squawk.update(squawk_only(theirs[name]))
        for family in mine | other:
            family_total[family] += 1
            family_agree[family] += family in mine and family in other
        status = "agree" if mine == other else "DIFFER"
        agree += mine == other
        print(f"{status:6} {name:45} pgsage: {', '.join(sorted(mine)) or '-'}")
        if mine != other:
            print(f"{'':52} squawk: {', '.join(sorted(other)) or '-'}")
            for family in sorted(mine ^ other):
                who = "pgsage" if family in mine else "squawk"
                why = FILE_EXPLANATIONS.get((name, family)) or EXPLANATIONS.get((family, who))
                unexplained += why is None
                disagreements.append(f"{name}: only {who} reports {family}: {why or 'UNEXPLAINED'}")
    print()
    print(f"per-file agreement on shared rule families: {agree}/{len(files)} ({100 * agree / len(files):.0f}%)")
    shared = sorted(family_total)
    both = sum(family_agree[f] for f in shared)
    total = sum(family_total[f] for f in shared)
    print(f"finding-level agreement (file, family): {both}/{total} ({100 * both / max(total, 1):.0f}%)")
    print()
    print("disagreements:")
    for line in disagreements:
        print(f"  {line}")
    if only_squawk:
        print("squawk rules with no pgsage counterpart (not counted): " + ", ".join(sorted(only_squawk)))
    pg_only = sorted(set(RULES) - {f for ids in theirs.values() for f in families(ids, "squawk")} - {"not-valid"})
    print("pgsage rules squawk never reported on this corpus: " + ", ".join(pg_only))
    print(
        f"speed: pgsage {len(files) / our_time:,.0f} files/s in process vs squawk {len(files) / their_time:,.1f} "
        "files/s as a process"
    )
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
