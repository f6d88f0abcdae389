"""Collecting a team's own documents: a local file or folder, or a URL (page, sitemap.xml, llms.txt).

Only what the user named is fetched: the URL itself and, for a sitemap or llms.txt, the pages it lists on
the same host. Every response is capped while streaming, so a 20 MB page cannot fill memory. Anything
unusable inside a folder or a list is skipped and reported; a bad top-level location is an error.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from pgsage.tools.errors import InvalidInput, NotFound, WritesDisabled

from .convert import html_to_markdown, markdown_title, rst_to_markdown, strip_front_matter
from .corpus import ANY_VERSION
from .page import Page, PageFormatError, parse_page

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES_LIMIT",
    "Collected",
    "Skipped",
    "collect",
    "default_source_id",
    "make_page",
]

MAX_BYTES = 5_000_000  # per document
MAX_PAGES_LIMIT = 2_000
MAX_REDIRECTS = 5
TEXT_SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".mdx": "md",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
    ".rst": "rst",
}
USER_AGENT = "pgsage-ingest"

Progress = Callable[[float, float | None, str], Awaitable[None]]


@dataclass
class Skipped:
    location: str
    reason: str


@dataclass
class Collected:
    pages: list[tuple[Page, str]] = field(default_factory=list)  # (page, raw Markdown with front matter)
    skipped: list[Skipped] = field(default_factory=list)
    title: str = ""
    summary: str = ""
    home: str = ""
    truncated: bool = False
    _ids: set[str] = field(default_factory=set)

    def unique_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self._ids:
            candidate, n = f"{base}-{n}", n + 1
        self._ids.add(candidate)
        return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "page"


def default_source_id(location: str) -> str:
    if location.startswith(("http://", "https://")):
        parts = urlsplit(location)
        path = re.sub(r"(/index\.html?|/llms(-full)?\.txt|/sitemap[^/]*\.xml)$", "", parts.path)
        return _slug(f"{parts.hostname or 'web'}{path}")[:63]
    path = Path(location.removeprefix("file://")).expanduser()
    return _slug(path.stem if path.suffix else path.name)[:63] or "docs"


def make_page(source_id: str, page_id: str, kind: str, text: str, url: str, fallback_title: str) -> tuple[Page, str]:
    """Build a page in the shipped format (so chunking and code extraction are the same) from a document."""
    if kind == "html":
        title, body = html_to_markdown(text)
    elif kind == "rst":
        title, body = rst_to_markdown(text)
    else:
        title, body = strip_front_matter(text)
        title = title or (markdown_title(body) if kind == "md" else "")
        if kind == "text":
            # Plain text has no syntax: fence nothing, but keep stray fence markers from breaking parsing.
            body = body.replace("```", "'''")
    title = " ".join((title or fallback_title).split())[:200] or page_id
    front = "\n".join(
        [
            f"id = {json.dumps(page_id)}",
            f"title = {json.dumps(title)}",
            f"source = {json.dumps(source_id)}",
            f"urls = [{json.dumps(url)}]",
            f"pg_versions = [{ANY_VERSION[0]}, {ANY_VERSION[1]}]",
            "tags = []",
        ]
    )
    raw = f"+++\n{front}\n+++\n{body.strip()}\n"
    try:
        return parse_page(raw), raw
    except PageFormatError:
        # An unclosed fence in someone's notes: close it rather than lose the document.
        raw = raw + "```\n"
        return parse_page(raw), raw


async def collect(
    location: str,
    source_id: str,
    *,
    max_pages: int,
    progress: Progress | None = None,
    local_roots: list[Path] | None = None,
) -> Collected:
    if location.startswith(("http://", "https://")):
        return await _collect_web(location, source_id, max_pages, progress)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", location) and not location.startswith("file://"):
        raise InvalidInput(f"Unsupported location {location!r}: give a local path or an http(s) URL.")
    path = Path(location.removeprefix("file://")).expanduser()
    if local_roots is not None and not any(path.resolve().is_relative_to(r.resolve()) for r in local_roots):
        allowed = ", ".join(str(r) for r in local_roots) or "none"
        raise WritesDisabled(
            f"Reading local files from {str(path)!r} is not allowed on this server (allowed folders: {allowed}). "
            "The operator can allow folders with PGSAGE_INGEST_ROOTS; URLs work as usual."
        )
    if not path.exists():
        raise NotFound(f"No file or folder at {str(path)!r}.")
    return await _collect_local(path, source_id, max_pages, progress)


# -- local ------------------------------------------------------------------------------------------
def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB ({size:,} bytes)")
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        raise ValueError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None


async def _collect_local(root: Path, source_id: str, max_pages: int, progress: Progress | None) -> Collected:
    found = Collected(home=root.resolve().as_uri())
    if root.is_file():
        files = [root]
        found.title = root.stem
    else:
        found.title = root.name
        files = []
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            try:
                if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES:
                    files.append(path)
            except OSError as exc:
                found.skipped.append(Skipped(str(rel), f"unreadable: {exc.strerror or exc}"))
    if root.is_file() and root.suffix.lower() not in TEXT_SUFFIXES:
        raise InvalidInput(
            f"{root.name!r} is not a supported document type; use Markdown, HTML, text or reStructuredText "
            f"({', '.join(sorted(TEXT_SUFFIXES))})."
        )
    if len(files) > max_pages:
        found.truncated = True
        files = files[:max_pages]
    base = root if root.is_dir() else root.parent
    for n, path in enumerate(files, start=1):
        rel = path.relative_to(base).as_posix()
        try:
            text = _read_text(path)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            found.skipped.append(Skipped(rel, f"unreadable: {reason}"))
            continue
        page_id = found.unique_id(f"{source_id}:{_slug(rel.rsplit('.', 1)[0])}")
        page, raw = make_page(
            source_id, page_id, TEXT_SUFFIXES[path.suffix.lower()], text, path.resolve().as_uri(), path.stem
        )
        found.pages.append((page, raw))
        if progress is not None:
            await progress(n, len(files), f"read {rel}")
    return found


# -- web --------------------------------------------------------------------------------------------
class _FetchError(Exception):
    pass


async def _fetch(client: httpx.AsyncClient, url: str) -> tuple[str, str, str]:
    """(final url, media type, text) of one URL, refusing non-text and anything over MAX_BYTES."""
    try:
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise _FetchError(f"HTTP {response.status_code}")
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if media and not (media.startswith("text/") or media in ("application/xhtml+xml", "application/xml")):
                raise _FetchError(f"not a text document ({media})")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise _FetchError(f"larger than {MAX_BYTES // 1_000_000} MB ({int(declared):,} bytes)")
            data = bytearray()
            async for piece in response.aiter_bytes():
                data += piece
                if len(data) > MAX_BYTES:
                    raise _FetchError(f"larger than {MAX_BYTES // 1_000_000} MB")
            if b"\0" in data[:8192]:
                raise _FetchError("binary content, not text")
            text = bytes(data).decode(response.encoding or "utf-8", errors="replace")
            return str(response.url), media, text
    except httpx.TooManyRedirects:
        raise _FetchError(f"too many redirects (more than {MAX_REDIRECTS}; a redirect loop?)") from None
    except httpx.HTTPError as exc:
        raise _FetchError(f"unreachable ({type(exc).__name__}: {exc})") from None


def _kind(url: str, media: str, text: str) -> str:
    path = urlsplit(url).path.lower()
    if media in ("text/html", "application/xhtml+xml") or path.endswith((".html", ".htm")):
        return "html"
    if path.endswith(".rst") or media == "text/x-rst":
        return "rst"
    if path.endswith((".md", ".markdown", ".mdx")) or media == "text/markdown":
        return "md"
    if text.lstrip().lower().startswith(("<!doctype html", "<html")):
        return "html"
    return "md" if re.search(r"^#{1,6} ", text, re.MULTILINE) else "text"


def _sitemap_urls(text: str) -> tuple[list[str], bool]:
    """(<loc> URLs, whether it is a sitemap index)."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise _FetchError(f"not a valid sitemap ({exc})") from None
    locs = [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]
    return locs, root.tag.endswith("sitemapindex")


def _llms_links(text: str, base: str) -> list[str]:
    links = re.findall(r"\[[^\]]*\]\(\s*([^)\s]+)[^)]*\)", text)
    return list(dict.fromkeys(urljoin(base, link) for link in links))


async def _collect_web(url: str, source_id: str, max_pages: int, progress: Progress | None) -> Collected:
    host = urlsplit(url).hostname
    found = Collected(home=url)
    async with httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(20.0, connect=10.0),
        headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/markdown, text/plain, application/xml"},
    ) as client:
        try:
            final, media, text = await _fetch(client, url)
        except _FetchError as exc:
            raise InvalidInput(f"Cannot ingest {url}: {exc}.") from None
        path = urlsplit(final).path.lower()
        listed: list[str] | None = None
        if path.endswith("llms.txt"):
            listed = _llms_links(text, final)
            found.title = markdown_title(text)
            summary = re.search(r"^>\s*(.+)$", text, re.MULTILINE)
            found.summary = summary.group(1).strip() if summary else ""
        elif media in ("application/xml", "text/xml") or path.endswith(".xml"):
            try:
                listed, is_index = _sitemap_urls(text)
                if is_index:
                    children, listed = listed, []
                    for child in children[:20]:
                        if urlsplit(child).hostname != host:
                            found.skipped.append(Skipped(child, "on another host; not fetched"))
                            continue
                        try:
                            listed += _sitemap_urls((await _fetch(client, child))[2])[0]
                        except _FetchError as exc:
                            found.skipped.append(Skipped(child, str(exc)))
            except _FetchError as exc:
                raise InvalidInput(f"Cannot ingest {url}: {exc}.") from None
            if not listed:
                raise InvalidInput(f"The sitemap {url} lists no pages on {host}.")
        if not listed:  # a single page, or an llms.txt without links (then it is the document)
            page_id = found.unique_id(f"{source_id}:{_slug(urlsplit(final).path) or 'index'}")
            page, raw = make_page(source_id, page_id, _kind(final, media, text), text, final, host or final)
            found.pages.append((page, raw))
            found.title = found.title or page.title
            if progress is not None:
                await progress(1, 1, f"fetched {final}")
            return found
        if len(listed) > max_pages:
            found.truncated = True
            listed = listed[:max_pages]
        for n, link in enumerate(listed, start=1):
            if urlsplit(link).hostname != host or urlsplit(link).scheme not in ("http", "https"):
                found.skipped.append(Skipped(link, "on another host; not fetched"))
                continue
            try:
                page_url, page_media, page_text = await _fetch(client, link)
            except _FetchError as exc:
                found.skipped.append(Skipped(link, str(exc)))
                continue
            page_id = found.unique_id(f"{source_id}:{_slug(urlsplit(page_url).path) or 'index'}")
            page, raw = make_page(
                source_id, page_id, _kind(page_url, page_media, page_text), page_text, page_url, page_url
            )
            found.pages.append((page, raw))
            if progress is not None:
                await progress(n, len(listed), f"fetched {page_url}")
    found.title = found.title or (host or url)
    return found
