"""The knowledge page format: Markdown with TOML front matter, sections and fenced code blocks.

    +++
    id = "pgvector-hnsw"                  # stable, unique, kebab-case
    title = "HNSW indexes in pgvector"
    source = "pgvector"                   # a source_id from knowledge/sources.toml
    urls = ["https://github.com/pgvector/pgvector#hnsw"]   # official docs it rests on (first = citation)
    pg_versions = [13, 18]                # first and last major version it applies to
    tags = ["hnsw", "vector", "index"]
    requires = ["vector"]                 # extensions its examples need (optional)
    test_on = "pg18"                      # run the examples on PostgreSQL 18 + pgvector (optional; else 15)
    +++
    # HNSW indexes in pgvector
    ...

A fenced block's info string is `LANG [FLAGS]`:
    ```sql                      runs in the tests (blocks of a page share one fresh database, in order)
    ```sql error: 25001         runs and must fail with that SQLSTATE (showing what goes wrong)
    ```sql norun: <reason>      shown but not run (needs Supabase, a replica, superuser...)
    ```python                   runs with `dsn` defined; if it defines `async def main(dsn)`, that is awaited
Other languages (text, ini, bash...) are illustrations and are not run.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CodeBlock", "Page", "PageFormatError", "Section", "parse_page", "read_page"]

_FRONT = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*\n", re.DOTALL)
_FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<info>[^\n`]*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


class PageFormatError(ValueError):
    pass


@dataclass(frozen=True)
class CodeBlock:
    language: str
    code: str
    line: int  # 1-based line of the opening fence in the file
    section: str
    norun: str | None = None  # the reason it is not run
    expect_error: str | None = None  # SQLSTATE it must fail with

    @property
    def runnable(self) -> bool:
        return self.norun is None and self.language in ("sql", "python")


@dataclass(frozen=True)
class Section:
    heading: str  # "" for text before the first heading
    level: int
    text: str  # Markdown of the section, heading line excluded
    line: int


@dataclass
class Page:
    id: str
    title: str
    source: str
    urls: list[str]
    pg_versions: tuple[int, int]
    tags: list[str]
    body: str
    path: Path | None = None
    requires: list[str] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.urls[0] if self.urls else ""

    def applies_to(self, major: int) -> bool:
        return self.pg_versions[0] <= major <= self.pg_versions[1]


def _parse_info(info: str) -> tuple[str, str | None, str | None]:
    info = info.strip()
    language, _, rest = info.partition(" ")
    rest = rest.strip()
    norun = expect = None
    if rest.startswith("norun"):
        norun = rest.partition(":")[2].strip() or "not runnable"
    elif rest.startswith("error"):
        expect = rest.partition(":")[2].strip() or None
    return language.lower(), norun, expect


def _split_body(body: str, first_line: int) -> tuple[list[Section], list[CodeBlock]]:
    sections: list[Section] = []
    blocks: list[CodeBlock] = []
    heading, level, start, buf = "", 0, first_line, []
    fence: str | None = None
    info = ""
    code: list[str] = []
    code_line = 0
    for offset, line in enumerate(body.split("\n")):
        lineno = first_line + offset
        if fence is not None:
            if line.strip() == fence:
                lang, norun, expect = _parse_info(info)
                blocks.append(CodeBlock(lang, "\n".join(code).strip("\n"), code_line, heading, norun, expect))
                fence = None
            else:
                code.append(line)
            buf.append(line)
            continue
        match = _FENCE.match(line.strip())
        if match:
            fence, info, code, code_line = match.group("fence"), match.group("info"), [], lineno
            buf.append(line)
            continue
        heading_match = _HEADING.match(line)
        if heading_match:
            if (buf and any(part.strip() for part in buf)) or heading:
                sections.append(Section(heading, level, "\n".join(buf).strip(), start))
            heading, level, start, buf = heading_match.group(2), len(heading_match.group(1)), lineno, []
            continue
        buf.append(line)
    if fence is not None:
        raise PageFormatError(f"unclosed code fence opened at line {code_line}")
    if buf or heading:
        sections.append(Section(heading, level, "\n".join(buf).strip(), start))
    return sections, blocks


def parse_page(text: str, path: Path | None = None) -> Page:
    """Parse one page; raises PageFormatError naming what is wrong."""
    where = f"{path}: " if path else ""
    match = _FRONT.match(text)
    if not match:
        raise PageFormatError(f"{where}missing +++ TOML front matter")
    try:
        meta = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise PageFormatError(f"{where}bad front matter: {exc}") from None
    missing = [key for key in ("id", "title", "source", "urls", "pg_versions", "tags") if key not in meta]
    if missing:
        raise PageFormatError(f"{where}front matter lacks {', '.join(missing)}")
    versions = meta["pg_versions"]
    if not (isinstance(versions, list) and len(versions) == 2 and all(isinstance(v, int) for v in versions)):
        raise PageFormatError(f"{where}pg_versions must be [first, last], e.g. [13, 18]")
    body = text[match.end() :]
    first_line = text[: match.end()].count("\n") + 1
    sections, blocks = _split_body(body, first_line)
    return Page(
        id=str(meta["id"]),
        title=str(meta["title"]),
        source=str(meta["source"]),
        urls=[str(u) for u in meta["urls"]],
        pg_versions=(versions[0], versions[1]),
        tags=[str(t) for t in meta["tags"]],
        requires=[str(r) for r in meta.get("requires", [])],
        body=body,
        path=path,
        meta=meta,
        sections=sections,
        code_blocks=blocks,
    )


def read_page(path: Path) -> Page:
    return parse_page(path.read_text(encoding="utf-8"), path)
