"""rag_add_source's engine: local folders and files, and URLs served by a local test website."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from pgsage.knowledge.engine import KnowledgeBase
from pgsage.tools.errors import InvalidInput, NotFound, WritesDisabled

Site = Any  # the docs_site fixture (conftest.Site)


def _team_docs(root: Path) -> Path:
    docs = root / "team-docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides" / "billing.md").write_text(
        "# Billing schema\n\nInvoices reference the ledgerbook table.\n\n## Indexes\n\n"
        "Index the ledgerbook by account:\n\n```sql\nCREATE INDEX ON ledgerbook (account_id);\n```\n",
        encoding="utf-8",
    )
    (docs / "arch.html").write_text(
        "<html><head><title>Architecture</title></head><body><nav>menu</nav><h1>Architecture</h1>"
        "<p>The flumph service writes events.</p><pre><code class='language-python'>print('flumph')</code></pre>"
        "</body></html>",
        encoding="utf-8",
    )
    (docs / "ops.rst").write_text(
        "Operations\n==========\n\nRestart the grommet worker.\n\nCommands\n--------\n\n"
        ".. code-block:: bash\n\n   systemctl restart grommet\n",
        encoding="utf-8",
    )
    (docs / "notes.txt").write_text("Plain notes about the quibble cache.\n", encoding="utf-8")
    (docs / "latin1.md").write_bytes("caf\xe9 notes".encode("latin-1"))
    (docs / "binary.md").write_bytes(b"\x00\x01\x02binary")
    (docs / "image.png").write_bytes(b"\x89PNG")
    (docs / ".git").mkdir()
    (docs / ".git" / "HEAD.md").write_text("# hidden\n", encoding="utf-8")
    return docs


async def test_ingest_a_local_folder(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = _team_docs(tmp_path)
    seen: list[tuple[float, float | None, str]] = []

    async def progress(done: float, total: float | None, message: str) -> None:
        seen.append((done, total, message))

    result = await kb.add_source(str(docs), title="Team docs", progress=progress)
    assert result.source_id == "team-docs"
    assert result.title == "Team docs"
    assert result.replaced is False
    assert result.pages == 4
    assert result.code_examples == 3
    assert sorted(s.location for s in result.skipped) == ["binary.md", "latin1.md"]
    assert all("unreadable" in s.reason for s in result.skipped)
    assert seen and seen[-1][1] == 6  # progress counted every candidate file

    assert (await kb.search("ledgerbook")).results[0].title == "Billing schema"
    html = (await kb.search("flumph service")).results[0]
    assert html.title == "Architecture"
    assert "menu" not in html.content
    assert (await kb.search("grommet worker")).results[0].section == "Operations"
    assert (await kb.search("quibble cache")).results[0].source_id == "team-docs"
    code = (await kb.search_code("restart grommet", source_id="team-docs")).results[0]
    assert (code.language, code.code) == ("bash", "systemctl restart grommet")
    python = (await kb.search_code("flumph", source_id="team-docs")).results[0]
    assert python.language == "python"
    assert python.url.startswith("file://")

    source = {s.source_id: s for s in (await kb.sources()).sources}["team-docs"]
    assert (source.origin, source.pages, source.pg_versions) == ("ingested", 4, None)
    page = await kb.read_page(page_id=(await kb.search("ledgerbook")).results[0].page_id)
    assert page.pg_versions is None
    assert "```sql" in page.content


async def test_reingest_updates_in_place(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = _team_docs(tmp_path)
    await kb.add_source(str(docs), source_id="team")
    (docs / "notes.txt").unlink()
    (docs / "guides" / "billing.md").write_text("# Billing schema\n\nNow uses the coinpurse table.\n")
    again = await kb.add_source(str(docs), source_id="team")
    assert again.replaced is True
    assert again.pages == 3
    assert not (await kb.search("quibble cache")).results
    assert not [h for h in (await kb.search("ledgerbook")).results if h.source_id == "team"]
    assert (await kb.search("coinpurse")).results[0].source_id == "team"
    assert len((await kb.list_pages("team")).pages) == 3


async def test_ingest_a_single_file(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = _team_docs(tmp_path)
    result = await kb.add_source(str(docs / "ops.rst"))
    assert (result.source_id, result.pages) == ("ops", 1)
    with pytest.raises(InvalidInput, match="not a supported document type"):
        await kb.add_source(str(docs / "image.png"))


async def test_bad_locations_change_nothing(kb: KnowledgeBase, tmp_path: Path, closed_port_url: str) -> None:
    before = (await kb.sources()).sources
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotFound, match="No file or folder"):
        await kb.add_source(str(tmp_path / "missing"))
    with pytest.raises(InvalidInput, match="Nothing to ingest"):
        await kb.add_source(str(empty))
    with pytest.raises(InvalidInput, match="unreachable"):
        await kb.add_source(closed_port_url)
    with pytest.raises(InvalidInput, match="Unsupported location"):
        await kb.add_source("ftp://127.0.0.1/docs")
    with pytest.raises(InvalidInput, match="shipped source"):
        await kb.add_source(str(_team_docs(tmp_path)), source_id="postgresql")
    with pytest.raises(InvalidInput, match="source_id"):
        await kb.add_source(str(empty), source_id="Bad Id!")
    with pytest.raises(InvalidInput, match="max_pages"):
        await kb.add_source(str(empty), max_pages=0)
    assert (await kb.sources()).sources == before


async def test_ingest_disabled(tmp_path: Path) -> None:
    kb = KnowledgeBase(data_dir=tmp_path, pages_dir=Path(__file__).parent / "fixtures" / "corpus" / "pages",
                       allow_ingest=False)
    with pytest.raises(WritesDisabled, match="disabled"):
        await kb.add_source(str(tmp_path))
    await kb.aclose()


async def test_unreadable_file_is_skipped(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = _team_docs(tmp_path)
    if os.geteuid() == 0:
        # root reads any file whatever its mode; /proc/self/mem is a regular file whose read fails (EIO).
        (docs / "unreadable.md").symlink_to("/proc/self/mem")
    else:
        (docs / "unreadable.md").write_text("# secret\n", encoding="utf-8")
        (docs / "unreadable.md").chmod(0)
    result = await kb.add_source(str(docs))
    skipped = {s.location: s.reason for s in result.skipped}
    assert skipped["unreadable.md"].startswith("unreadable:")
    assert result.pages == 4  # the readable files still went in


async def test_ingest_a_web_page(kb: KnowledgeBase, docs_site: Site) -> None:
    result = await kb.add_source(f"{docs_site.url}/docs/widgets.html", source_id="widgets")
    assert (result.pages, result.code_examples) == (1, 1)
    hit = (await kb.search("frobnication")).results[0]
    assert hit.url == f"{docs_site.url}/docs/widgets.html"
    assert hit.title == "Widget tables"
    assert "var x" not in (await kb.read_page(page_id=hit.page_id)).content
    assert docs_site.log == ["/docs/widgets.html"]  # nothing else was fetched


async def test_ingest_llms_txt_fetches_only_listed_pages_on_its_host(kb: KnowledgeBase, docs_site: Site) -> None:
    result = await kb.add_source(f"{docs_site.url}/llms.txt")
    assert result.title == "Acme docs"
    assert result.pages == 2
    reasons = {s.location: s.reason for s in result.skipped}
    assert reasons["https://example.invalid/other.html"] == "on another host; not fetched"
    assert reasons[f"{docs_site.url}/docs/missing.html"] == "HTTP 404"
    assert sorted(docs_site.log) == ["/docs/gadgets.md", "/docs/missing.html", "/docs/widgets.html", "/llms.txt"]
    assert (await kb.search("zorblax")).results[0].section == "Gadget sharding"
    summary = {s.source_id: s for s in (await kb.sources()).sources}[result.source_id].summary
    assert summary == "Internal docs of the Acme platform."


async def test_ingest_a_sitemap(kb: KnowledgeBase, docs_site: Site) -> None:
    result = await kb.add_source(f"{docs_site.url}/sitemap.xml", source_id="acme", max_pages=10)
    assert result.pages == 2
    assert {s.reason for s in result.skipped} == {"not a text document (image/png)"}
    assert (await kb.search("quux nightly")).results[0].source_id == "acme"
    capped = await kb.add_source(f"{docs_site.url}/sitemap.xml", source_id="acme", max_pages=1)
    assert (capped.pages, capped.truncated, capped.replaced) == (1, True, True)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/loop", "redirect"),
        ("/huge.html", "larger than 5 MB"),
        ("/image.png", "not a text document"),
        ("/nothing-here", "HTTP 404"),
        ("/empty-sitemap.xml", "lists no pages"),
    ],
)
async def test_bad_urls_are_clear_errors(kb: KnowledgeBase, docs_site: Site, path: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        await kb.add_source(docs_site.url + path, source_id="bad")
    assert "bad" not in {s.source_id for s in (await kb.sources()).sources}


async def test_search_works_while_an_ingest_runs(kb: KnowledgeBase, docs_site: Site) -> None:
    docs_site.set_delay(0.3)
    ingest = asyncio.create_task(kb.add_source(f"{docs_site.url}/llms.txt", source_id="slow"))
    await asyncio.sleep(0.1)
    for _ in range(5):
        assert (await kb.search("jsonb_path_ops")).results[0].page_id == "jsonb-gin-opclasses"
    assert not ingest.done()
    result = await ingest
    assert result.pages == 2


async def test_other_scripts_and_giant_tokens(kb: KnowledgeBase, tmp_path: Path) -> None:
    docs = tmp_path / "intl"
    docs.mkdir()
    blob = "A" * 5_000
    (docs / "de.md").write_text(f"# Größenänderung\n\nSpalten über Kundendaten.\n\n{blob}\n", encoding="utf-8")
    result = await kb.add_source(str(docs))
    assert result.pages == 1
    assert (await kb.search("Kundendaten")).results[0].title == "Größenänderung"


async def test_default_source_ids() -> None:
    from pgsage.knowledge.ingest import default_source_id

    assert default_source_id("https://docs.acme.dev/platform/llms.txt") == "docs-acme-dev-platform"
    assert default_source_id("/srv/Team Docs/") == "team-docs"
    assert default_source_id("notes/runbook.md") == "runbook"




async def test_local_paths_outside_the_allowed_roots_are_refused(tmp_path) -> None:
    from pgsage.knowledge.ingest import collect
    from pgsage.tools.errors import WritesDisabled

    allowed = tmp_path / "docs"
    allowed.mkdir()
    (allowed / "a.md").write_text("# A\n\nhello\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for agents")
    found = await collect(str(allowed), "team", max_pages=10, local_roots=[allowed])
    assert len(found.pages) == 1
    for location in (str(secret), str(allowed / ".." / "secret.txt")):
        with pytest.raises(WritesDisabled, match="PGSAGE_INGEST_ROOTS"):
            await collect(location, "team", max_pages=10, local_roots=[allowed])
    with pytest.raises(WritesDisabled):
        await collect(str(allowed), "team", max_pages=10, local_roots=[])


def test_an_http_server_reads_no_local_files_unless_allowed(tmp_path) -> None:
    from pgsage.knowledge.engine import KnowledgeBase
    from pgsage.server.config import Config

    http = KnowledgeBase.from_config(Config.load({"transport": "http", "data_dir": str(tmp_path)}, env={}))
    assert http.local_roots == []
    stdio = KnowledgeBase.from_config(Config.load({"data_dir": str(tmp_path)}, env={}))
    assert stdio.local_roots is None
    rooted = KnowledgeBase.from_config(
        Config.load({"transport": "http", "data_dir": str(tmp_path), "ingest_roots": f"{tmp_path}"}, env={})
    )
    assert rooted.local_roots == [tmp_path]
