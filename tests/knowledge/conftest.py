"""Fixtures of the knowledge tests: the fixture corpus, both backends, a real local embeddings endpoint and
a local docs website. Servers listen on 127.0.0.1 only and stop with the test."""

from __future__ import annotations

import http.server
import json
import math
import re
import shutil
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pgsage.knowledge.engine import KnowledgeBase

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PAGES = FIXTURES / "corpus" / "pages"
EMBED_DIM = 64


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> dict[str, Any]:
    """KnowledgeBase keyword arguments for each backend: embedded SQLite, or PostgreSQL 15 (tsvector)."""
    if request.param == "sqlite":
        return {}
    make_db = request.getfixturevalue("make_db")
    return {"dsn": make_db()}


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus; returns its pages folder."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus", target)
    return target / "pages"


@pytest.fixture
async def kb(backend: dict[str, Any], tmp_path: Path) -> AsyncIterator[KnowledgeBase]:
    base = KnowledgeBase(data_dir=tmp_path / "data", pages_dir=FIXTURE_PAGES, **backend)
    await base.ready()
    try:
        yield base
    finally:
        await base.aclose()


# -- a small, real embeddings endpoint ------------------------------------------------------------------
def hashed_embedding(text: str) -> list[float]:
    """A deterministic hashed bag of words: texts sharing words get similar vectors."""
    vec = [0.0] * EMBED_DIM
    for word in re.findall(r"[a-z0-9_]+", text.lower()):
        vec[zlib.crc32(word.encode()) % EMBED_DIM] += 1.0
    norm = math.sqrt(sum(x * x for x in vec)) or 1.0
    return [x / norm for x in vec]


@dataclass
class LocalServer:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)


class _EmbeddingsHandler(http.server.BaseHTTPRequestHandler):
    server: Any

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.log.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        data = [{"index": i, "embedding": hashed_embedding(t)} for i, t in enumerate(body["input"])]
        payload = json.dumps({"object": "list", "data": data, "model": body["model"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[tuple[Any, str]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.log = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def embeddings_server() -> Iterator[LocalServer]:
    for server, url in _serve(_EmbeddingsHandler):
        yield LocalServer(url + "/v1", server.log)


# -- a local documentation website ------------------------------------------------------------------------
SITE_PAGES: dict[str, tuple[str, bytes]] = {
    "/docs/widgets.html": (
        "text/html; charset=utf-8",
        b"<html><head><title>Widget tables</title><script>var x = 1;</script></head><body>"
        b"<nav>Home | About</nav><h1>Widget tables</h1><p>Widgets live in the <code>widget</code> table, "
        b"partitioned by <b>frobnication</b> date.</p><h2>Creating one</h2><p>Create the widget table:</p>"
        b"<pre><code class=\"language-sql\">CREATE TABLE widget (id bigint PRIMARY KEY);</code></pre>"
        b"<footer>copyright</footer></body></html>",
    ),
    "/docs/gadgets.md": (
        "text/markdown",
        b"# Gadget sharding\n\nGadgets are sharded by zorblax key.\n\n## Routing\n\nRoute by tenant.\n",
    ),
    "/docs/notes.txt": ("text/plain", b"Quuxification notes\n\nThe quux job runs nightly.\n"),
    "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
}


def _site_index(base: str) -> dict[str, tuple[str, bytes]]:
    return {
        "/llms.txt": (
            "text/plain",
            (
                b"# Acme docs\n\n> Internal docs of the Acme platform.\n\n"
                b"- [Widgets](/docs/widgets.html): widget tables\n"
                b"- [Gadgets](docs/gadgets.md)\n"
                b"- [Elsewhere](https://example.invalid/other.html)\n"
                b"- [Missing](/docs/missing.html)\n"
            ),
        ),
        "/empty-sitemap.xml": ("application/xml", b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>'),
        "/sitemap.xml": (
            "application/xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{base}/docs/widgets.html</loc></url>"
                f"<url><loc>{base}/docs/notes.txt</loc></url>"
                f"<url><loc>{base}/image.png</loc></url>"
                "</urlset>"
            ).encode(),
        ),
    }


class _SiteHandler(http.server.BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        self.server.log.append(self.path)
        delay = self.server.delay
        if delay:
            time.sleep(delay)
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/huge.html":
            # 20 MB, streamed without a Content-Length: the reader must stop on its own.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_533 + b"</p>"
            try:
                for _ in range(20 * 16):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        pages = {**SITE_PAGES, **_site_index(self.server.base)}
        found = pages.get(self.path)
        if found is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        media, body = found
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@dataclass
class Site:
    url: str
    log: list[str]
    set_delay: Callable[[float], None]


@pytest.fixture
def docs_site() -> Iterator[Site]:
    for server, url in _serve(_SiteHandler):
        server.base = url
        server.delay = 0.0
        yield Site(url, server.log, lambda seconds, target=server: setattr(target, "delay", seconds))


@pytest.fixture
def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/docs/"
