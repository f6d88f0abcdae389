"""The index follows the corpus by itself: rebuilt when a page changes, untouched otherwise, safe when
several processes start together, and a rebuild keeps the ingested sources."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.tools.errors import FeatureUnavailable

from .conftest import FIXTURE_PAGES  # type: ignore[import-not-found]

NEW_PAGE = """+++
id = "brin-indexes"
title = "BRIN indexes for append-only tables"
source = "indexing"
urls = ["https://www.postgresql.org/docs/current/brin.html"]
pg_versions = [13, 18]
tags = ["brin"]
+++
# BRIN indexes for append-only tables

A BRIN index stores summaries per block range: tiny, and good for naturally ordered timestamps.
"""


async def _open(pages: Path, data: Path, backend: dict[str, Any]) -> KnowledgeBase:
    return await KnowledgeBase(data_dir=data, pages_dir=pages, **backend).ready()


async def test_rebuilt_when_the_corpus_changes(corpus_copy: Path, tmp_path: Path, backend: dict[str, Any]) -> None:
    data = tmp_path / "data"
    first = await _open(corpus_copy, data, backend)
    assert not (await first.search("brin block range")).results
    digest = await first.store.shipped_digest()
    await first.aclose()

    (corpus_copy / "indexing" / "brin.md").write_text(NEW_PAGE, encoding="utf-8")
    (corpus_copy / "postgresql" / "merge-before-15.md").unlink()
    second = await _open(corpus_copy, data, backend)
    try:
        assert await second.store.shipped_digest() != digest
        assert (await second.search("brin block range")).results[0].page_id == "brin-indexes"
        assert "merge-before-15" not in {p.page_id for p in (await second.list_pages("postgresql")).pages}
    finally:
        await second.aclose()


async def test_unchanged_corpus_is_not_rebuilt(corpus_copy: Path, tmp_path: Path, backend: dict[str, Any]) -> None:
    data = tmp_path / "data"
    first = await _open(corpus_copy, data, backend)
    await first.aclose()
    second = KnowledgeBase(data_dir=data, pages_dir=corpus_copy, **backend)
    calls: list[str] = []
    original = second.store.sync_shipped

    async def spy(*args: Any) -> bool:
        calls.append("sync")
        return bool(await original(*args))

    second.store.sync_shipped = spy
    await second.ready()
    try:
        assert calls == []
        assert (await second.search("jsonb_path_ops")).results
    finally:
        await second.aclose()


_RACER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from pgsage.knowledge.engine import KnowledgeBase

    async def main():
        dsn = sys.argv[3] or None
        kb = KnowledgeBase(data_dir=Path(sys.argv[1]), pages_dir=Path(sys.argv[2]), dsn=dsn)
        await kb.ready()
        print(await kb.store.count_chunks())
        await kb.aclose()

    asyncio.run(main())
    """
)


async def test_two_processes_starting_together(corpus_copy: Path, tmp_path: Path, backend: dict[str, Any]) -> None:
    data = tmp_path / "data"
    args = [sys.executable, "-c", _RACER, str(data), str(corpus_copy), backend.get("dsn", "")]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0], [err for _, err in outputs]
    counts = {int(out.strip()) for out, _ in outputs}
    kb = await _open(corpus_copy, data, backend)
    try:
        expected = await kb.store.count_chunks()
    finally:
        await kb.aclose()
    assert counts == {expected}  # nobody saw a half-built or doubled index
    assert expected > 10


async def test_ingested_sources_survive_a_rebuild(
    corpus_copy: Path, tmp_path: Path, backend: dict[str, Any]
) -> None:
    docs = tmp_path / "team-docs"
    docs.mkdir()
    (docs / "runbook.md").write_text("# Failover runbook\n\nPromote the zygomorph replica.\n", encoding="utf-8")
    data = tmp_path / "data"
    first = await _open(corpus_copy, data, backend)
    await first.add_source(str(docs), source_id="team")
    await first.aclose()
    (corpus_copy / "indexing" / "brin.md").write_text(NEW_PAGE, encoding="utf-8")
    second = await _open(corpus_copy, data, backend)
    try:
        assert (await second.search("zygomorph replica")).results[0].source_id == "team"
        assert (await second.search("brin")).results[0].page_id == "brin-indexes"
    finally:
        await second.aclose()


async def test_unusable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    kb = KnowledgeBase(data_dir=blocker, pages_dir=FIXTURE_PAGES)
    with pytest.raises(FeatureUnavailable, match="PGSAGE_DATA_DIR"):
        await kb.search("jsonb")
    await kb.aclose()
