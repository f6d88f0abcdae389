"""The shipped knowledge corpus: every page's front matter is valid and every example runs.

Each page under knowledge/pages/<source>/<id>.md gets:
- a front-matter test (fields, kebab-case id equal to the file name, known source, official https URLs,
  versions within 13..18, tags, at least one SQL or Python example, well-formed block flags);
- an example test: a fresh database (PostgreSQL 15 from `make_db`, or the embedded PostgreSQL 18 + pgvector
  from `make_db18` when the page says `test_on = "pg18"`) with the page's `requires` extensions created,
  then its blocks in order on one connection. SQL blocks are split into statements with pglast and each
  statement runs on its own (autocommit unless the page opens a transaction, so CONCURRENTLY works).
  `sql error: SQLSTATE` blocks must fail with exactly that SQLSTATE (the statements after the failing one
  are not run; an aborted transaction is rolled back and the page goes on). `sql norun: reason` blocks are
  skipped and counted. `python` blocks are exec'd with a global `dsn`; an `async def main(dsn)` is awaited
  (do not call `asyncio.run` at the top level of an example: it already runs inside an event loop).

Print the corpus counts without a database: `python tests/knowledge/test_corpus.py [source_id ...]`.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pgsage.knowledge.page import CodeBlock, Page, PageFormatError, read_page

__all__ = ["ALLOWED_URL_PREFIXES", "corpus_summary", "load_corpus"]

ROOT = Path(__file__).resolve().parents[2]

PAGES_DIR = ROOT / "knowledge" / "pages"
SOURCES = set(tomllib.loads((ROOT / "knowledge" / "sources.toml").read_text(encoding="utf-8")))
MIN_PG, MAX_PG = 13, 18
MAX_NORUN_SHARE = 0.10
STATEMENT_TIMEOUT_S = 60.0
PYTHON_TIMEOUT_S = 120.0

# Official documentation only. postgresql.org URLs are checked more strictly below (docs version segment).
ALLOWED_URL_PREFIXES = (
    "https://www.postgresql.org/docs/",
    "https://github.com/pgvector/",
    "https://magicstack.github.io/asyncpg/",
    "https://github.com/MagicStack/asyncpg",
    "https://www.psycopg.org/",
    "https://docs.sqlalchemy.org/",
    "https://alembic.sqlalchemy.org/",
    "https://supabase.com/docs/",
    "https://supabase.github.io/",
    "https://github.com/supabase/",
    "https://www.pgbouncer.org/",
    "https://github.com/pgbouncer/",
    "https://hypopg.readthedocs.io/",
    "https://github.com/HypoPG/",
    "https://pglast.readthedocs.io/",
    "https://docs.python.org/3/",
    "https://docs.pydantic.dev/",
    "https://modelcontextprotocol.io/",
)
_PG_DOCS = re.compile(
    r"^https://www\.postgresql\.org/docs/(?:(?:current|1[3-8])/[a-z0-9][a-z0-9._-]*\.html(?:#[\w.-]+)?"
    r"|release/\d+\.\d+/?(?:#[\w.-]+)?)$"
)
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "see `page-id`" / "(see `a`, `b` and `c`)" in prose are links to other pages; code blocks are ignored.
_SEE = re.compile(r"\b[Ss]ee ((?:`[^`]+`(?:,\s*|\s+and\s+|\s+or\s+)?)+)")
_SEE_ID = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`")
_FENCED = re.compile(r"^(```+|~~~+).*?^\1\s*$", re.DOTALL | re.MULTILINE)
_SQLSTATE = re.compile(r"^[0-9A-Z]{5}$")
KNOWN_KEYS = {
    "id", "title", "source", "urls", "pg_versions", "tags", "requires", "test_on",
    "pgvector_versions", "summary", "aliases",
}  # fmt: skip
TARGETS = {"pg15": 15, "pg18": 18}
PG18_EXTENSIONS = {"plpgsql", "vector"}  # all the embedded PostgreSQL 18 ships
# Pages the planning recommendations cite by id.
REQUIRED_IDS = (
    "fk-indexes", "duplicate-and-redundant-indexes", "timestamptz-vs-timestamp", "identity-and-bigint-keys",
    "text-vs-varchar", "primary-keys", "naming-conventions", "multicolumn-index-order", "partial-indexes",
    "covering-indexes", "trigram-indexes", "explain-buffers", "pg-stat-statements", "extended-statistics",
    "upsert-on-conflict", "merge", "skip-locked-queues",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    path: Path
    page: Page | None
    error: str | None

    @property
    def key(self) -> str:
        return self.page.id if self.page else str(self.path.relative_to(PAGES_DIR))


def load_corpus() -> list[Entry]:
    entries = []
    for path in sorted(PAGES_DIR.glob("**/*.md")):
        try:
            entries.append(Entry(path, read_page(path), None))
        except (PageFormatError, OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            entries.append(Entry(path, None, str(exc)))
    return entries


def target(page: Page) -> str:
    return str(page.meta.get("test_on", "pg15"))


def _examples(page: Page) -> list[CodeBlock]:
    return [block for block in page.code_blocks if block.language in ("sql", "python")]


def front_matter_problems(page: Page, path: Path) -> list[str]:
    problems: list[str] = []
    meta = page.meta
    if not _KEBAB.match(page.id):
        problems.append(f"id {page.id!r} is not kebab-case")
    if path.stem != page.id:
        problems.append(f"file name {path.name!r} differs from id {page.id!r}")
    if page.source not in SOURCES:
        problems.append(f"source {page.source!r} is not in knowledge/sources.toml")
    if path.parent.name != page.source:
        problems.append(f"page lives in {path.parent.name}/ but its source is {page.source!r}")
    if not isinstance(meta.get("title"), str) or not page.title.strip():
        problems.append("title must be a non-empty string")
    unknown = set(meta) - KNOWN_KEYS
    if unknown:
        problems.append(f"unknown front matter keys {sorted(unknown)} (known: {sorted(KNOWN_KEYS)})")
    urls = meta.get("urls")
    if not isinstance(urls, list) or not urls:
        problems.append("urls must be a non-empty list")
    else:
        for url in page.urls:
            if not url.startswith(ALLOWED_URL_PREFIXES):
                problems.append(f"url {url!r} is not https official documentation (see ALLOWED_URL_PREFIXES)")
            elif url.startswith("https://www.postgresql.org/") and not _PG_DOCS.match(url):
                problems.append(
                    f"url {url!r}: use https://www.postgresql.org/docs/<current|13..18>/<page>.html[#anchor] "
                    "or /docs/release/<major.minor>/"
                )
        if len(set(page.urls)) != len(page.urls):
            problems.append("urls has duplicates")
    first, last = page.pg_versions
    if not (MIN_PG <= first <= last <= MAX_PG):
        problems.append(f"pg_versions {list(page.pg_versions)} need {MIN_PG} <= first <= last <= {MAX_PG}")
    tags = meta.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
        problems.append("tags must be a non-empty list of non-empty strings")
    requires = meta.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(r, str) and r for r in requires):
        problems.append("requires must be a list of extension names")
    test_on = meta.get("test_on", "pg15")
    if test_on not in TARGETS:
        problems.append(f"test_on {test_on!r} must be one of {sorted(TARGETS)}")
    else:
        if first > TARGETS[test_on] or (test_on == "pg18" and last < MAX_PG):
            problems.append(f"pg_versions {list(page.pg_versions)} do not include the test target {test_on}")
        if test_on == "pg18" and not set(page.requires) <= PG18_EXTENSIONS:
            problems.append(f"the embedded PostgreSQL 18 only has {sorted(PG18_EXTENSIONS)} extensions")
    examples = _examples(page)
    if not examples:
        problems.append("no ```sql or ```python example")
    for block in page.code_blocks:
        if block.expect_error is not None and not _SQLSTATE.match(block.expect_error):
            problems.append(f"line {block.line}: `sql error:` needs a five-character SQLSTATE")
        if block.expect_error is not None and block.language != "sql":
            problems.append(f"line {block.line}: only sql blocks can expect an error")
        if block.norun == "not runnable":
            problems.append(f"line {block.line}: `norun:` needs a reason")
        if block.runnable and not block.code.strip():
            problems.append(f"line {block.line}: empty example")
    return problems


CORPUS = load_corpus()


def _params(entries: list[Entry]) -> list[pytest.param]:
    return [pytest.param(entry, id=entry.key) for entry in entries]


@pytest.mark.parametrize("entry", _params(CORPUS))
def test_page_front_matter(entry: Entry) -> None:
    assert entry.page is not None, f"{entry.path}: {entry.error}"
    problems = front_matter_problems(entry.page, entry.path)
    assert not problems, f"{entry.path}:\n  " + "\n  ".join(problems)


def test_page_ids_are_unique() -> None:
    where: dict[str, list[str]] = {}
    for entry in CORPUS:
        if entry.page:
            where.setdefault(entry.page.id, []).append(str(entry.path.relative_to(PAGES_DIR)))
    duplicates = {page_id: paths for page_id, paths in where.items() if len(paths) > 1}
    assert not duplicates, f"duplicate page ids: {duplicates}"


def test_see_references_name_existing_pages() -> None:
    ids = {entry.page.id for entry in CORPUS if entry.page}
    broken = []
    for entry in CORPUS:
        if entry.page is None:
            continue
        prose = _FENCED.sub("", entry.page.body)
        for match in _SEE.finditer(prose):
            broken += [
                f"{entry.path.relative_to(PAGES_DIR)}: see `{ref}`"
                for ref in _SEE_ID.findall(match.group(1))
                if ref not in ids
            ]
    assert not broken, "references to pages that do not exist:\n  " + "\n  ".join(broken)


def test_cited_pages_exist() -> None:
    ids = {entry.page.id for entry in CORPUS if entry.page}
    missing = [page_id for page_id in REQUIRED_IDS if page_id not in ids]
    assert not missing, f"pages the advisors cite are missing: {missing}"


# --- running the examples ---------------------------------------------------------------------------


def _split_sql(code: str) -> list[str]:
    import pglast

    try:
        return [s for s in pglast.split(code) if s.strip()]
    except pglast.parser.ParseError:
        # Syntax newer than pglast's parser: fall back to the scanner, which only needs tokens.
        return [s for s in pglast.split(code, with_parser=False) if s.strip()]


def _where(path: Path, block: CodeBlock, code: str, statement: str) -> str:
    offset = code.find(statement)
    line = block.line + 1 + (code[:offset].count("\n") if offset >= 0 else 0)
    rel = path.relative_to(ROOT)
    return f"{rel}:{line} (block at line {block.line}, section {block.section!r})"


async def _run_sql_block(conn, path: Path, block: CodeBlock) -> None:
    import asyncpg

    statements = _split_sql(block.code)
    assert statements, f"{path.relative_to(ROOT)}:{block.line}: no SQL statements"
    for statement in statements:
        try:
            await conn.execute(statement, timeout=STATEMENT_TIMEOUT_S)
        except asyncpg.PostgresError as exc:
            where = _where(path, block, block.code, statement)
            if block.expect_error is None:
                pytest.fail(f"{where}: {exc.sqlstate} {exc}\n  statement: {statement[:300]}")
            if exc.sqlstate != block.expect_error:
                pytest.fail(
                    f"{where}: expected SQLSTATE {block.expect_error}, got {exc.sqlstate} {exc}\n"
                    f"  statement: {statement[:300]}"
                )
            if conn.is_in_transaction():
                await conn.execute("ROLLBACK")
            return
    if block.expect_error is not None:
        pytest.fail(
            f"{path.relative_to(ROOT)}:{block.line}: expected SQLSTATE {block.expect_error} "
            "but every statement succeeded"
        )


async def _run_python_block(dsn: str, path: Path, block: CodeBlock) -> None:
    where = f"{path.relative_to(ROOT)}:{block.line}"
    namespace: dict[str, object] = {"dsn": dsn, "__name__": "__knowledge_example__"}
    try:
        exec(compile(block.code, where, "exec"), namespace)
        main = namespace.get("main")
        if inspect.iscoroutinefunction(main):
            await asyncio.wait_for(main(dsn), PYTHON_TIMEOUT_S)
    except Exception as exc:
        pytest.fail(f"{where}: python example raised {type(exc).__name__}: {exc}")


async def _run_page(page: Page, dsn: str) -> None:
    import asyncpg

    assert page.path is not None
    conn = await asyncpg.connect(dsn)
    try:
        for block in page.code_blocks:
            if not block.runnable:
                continue
            if block.language == "sql":
                await _run_sql_block(conn, page.path, block)
            else:
                await _run_python_block(dsn, page.path, block)
    finally:
        await conn.close(timeout=10)


_RUNNABLE = [e for e in CORPUS if e.page and any(b.runnable for b in e.page.code_blocks)]


@pytest.mark.parametrize("entry", _params(_RUNNABLE))
def test_page_examples_run(entry: Entry, request: pytest.FixtureRequest) -> None:
    page = entry.page
    assert page is not None
    factory_name = "make_db18" if target(page) == "pg18" else "make_db"
    make: Callable[..., str] = request.getfixturevalue(factory_name)
    dsn = make(extensions=tuple(page.requires))
    asyncio.run(_run_page(page, dsn))


# --- counts for the closing note -------------------------------------------------------------


def corpus_summary(entries: list[Entry]) -> dict[str, object]:
    pages = [e.page for e in entries if e.page]
    per_source = Counter(p.source for p in pages)
    run_per_target: Counter[str] = Counter()
    norun = expect_error = python = 0
    for page in pages:
        for block in _examples(page):
            if block.norun is not None:
                norun += 1
                continue
            run_per_target[target(page)] += 1
            expect_error += block.expect_error is not None
            python += block.language == "python"
    total = sum(run_per_target.values()) + norun
    return {
        "pages": len(pages),
        "unparsable_pages": len(entries) - len(pages),
        "pages_per_source": dict(sorted(per_source.items())),
        "examples_run_per_version": {f"PG{TARGETS[t]}": n for t, n in sorted(run_per_target.items())},
        "examples_expecting_an_error": expect_error,
        "python_examples": python,
        "examples_not_runnable": norun,
        "examples_total": total,
        "norun_share": round(norun / total, 4) if total else 0.0,
    }


def _print_summary(summary: dict[str, object]) -> None:
    for key, value in summary.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for name, count in value.items():
                print(f"  {name}: {count}")
        else:
            print(f"{key}: {value}")


def test_corpus_summary() -> None:
    summary = corpus_summary(CORPUS)
    _print_summary(summary)  # visible with -s or -rP
    assert summary["norun_share"] <= MAX_NORUN_SHARE, (
        f"{summary['examples_not_runnable']} of {summary['examples_total']} examples are marked norun "
        f"(more than {MAX_NORUN_SHARE:.0%})"
    )


if __name__ == "__main__":
    import sys

    wanted = set(sys.argv[1:])  # optional source ids to restrict the counts to
    _print_summary(corpus_summary([e for e in load_corpus() if not wanted or (e.page and e.page.source in wanted)]))
