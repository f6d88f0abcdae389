"""Loading a corpus (pages + sources) and cutting it into what the index stores: chunks and code examples.

A corpus is a folder of `<source_id>/<page_id>.md` pages (knowledge/page.py format) and a sources file.
The shipped one is `pgsage.knowledge`'s `pages/` and `sources.toml`; tests pass their own folder.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .page import Page, PageFormatError, read_page

__all__ = [
    "ANY_VERSION",
    "Chunk",
    "Corpus",
    "Example",
    "Source",
    "chunk_page",
    "corpus_hash",
    "extract_examples",
    "load_corpus",
    "shipped_paths",
]

# Pages that name no PostgreSQL versions (ingested docs) are stored as applying to every version.
ANY_VERSION = (0, 999)
CHUNK_CHARS = 2_000  # sections longer than this are cut at paragraph boundaries
SUMMARY_CHARS = 200


@dataclass(frozen=True)
class Source:
    source_id: str
    title: str
    summary: str
    url: str
    origin: str = "shipped"  # or "ingested"


@dataclass(frozen=True)
class Chunk:
    page_id: str
    source_id: str
    ordinal: int
    section: str
    content: str


@dataclass(frozen=True)
class Example:
    page_id: str
    source_id: str
    ordinal: int
    section: str
    language: str
    summary: str
    code: str


@dataclass
class Corpus:
    sources: list[Source]
    pages: list[Page]
    problems: list[str] = field(default_factory=list)  # pages skipped, and why
    digest: str = ""


def shipped_paths() -> tuple[Path, Path]:
    """The shipped pages folder and sources file."""
    root = Path(str(importlib.resources.files("pgsage.knowledge")))
    return root / "pages", root / "sources.toml"


def load_sources(path: Path) -> list[Source]:
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return [
        Source(sid, str(v.get("title", sid)), str(v.get("summary", "")), str(v.get("url", "")))
        for sid, v in data.items()
        if isinstance(v, dict)
    ]


def corpus_hash(pages_dir: Path, sources_file: Path) -> str:
    """A content hash of the corpus: the index is rebuilt when it changes."""
    digest = hashlib.sha256()
    named = [("sources.toml", sources_file)]
    if pages_dir.is_dir():
        named += [(path.relative_to(pages_dir).as_posix(), path) for path in sorted(pages_dir.rglob("*.md"))]
    for name, path in named:
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_corpus(pages_dir: Path, sources_file: Path) -> Corpus:
    """Every parseable page; a broken or duplicate page is skipped and named in `problems`."""
    sources = load_sources(sources_file)
    known = {s.source_id for s in sources}
    corpus = Corpus(sources=sources, pages=[], digest=corpus_hash(pages_dir, sources_file))
    seen: set[str] = set()
    for path in sorted(pages_dir.rglob("*.md")) if pages_dir.is_dir() else []:
        try:
            page = read_page(path)
        except (PageFormatError, OSError, UnicodeDecodeError) as exc:
            corpus.problems.append(f"{path.name}: {exc}")
            continue
        if page.id in seen:
            corpus.problems.append(f"{path.name}: duplicate page id {page.id}")
            continue
        if page.source not in known:
            # The page is still useful; give it a source entry rather than hide it.
            known.add(page.source)
            sources.append(Source(page.source, page.source, "", page.url))
        seen.add(page.id)
        corpus.pages.append(page)
    return corpus


_FENCE_LINE = re.compile(r"^\s*(```+|~~~+)")


def _split_long(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Cut at blank lines outside code fences into pieces of at most about `limit` characters."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    in_fence = False
    for line in text.split("\n"):
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
        if not in_fence and not line.strip() and size >= limit * 0.6:
            pieces.append("\n".join(current).strip())
            current, size = [], 0
            continue
        current.append(line)
        size += len(line) + 1
        if size >= limit * 2 and not in_fence:  # one enormous paragraph
            pieces.append("\n".join(current).strip())
            current, size = [], 0
    if current:
        pieces.append("\n".join(current).strip())
    return [p for p in pieces if p]


def chunk_page(page: Page) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in page.sections:
        if not section.text.strip():
            continue
        heading = section.heading or page.title
        for piece in _split_long(section.text):
            chunks.append(Chunk(page.id, page.source, len(chunks), heading, piece))
    return chunks


_CODE_FENCE_BLOCK = re.compile(r"^(```+|~~~+)[^\n]*\n.*?^\1\s*$", re.DOTALL | re.MULTILINE)
_MD_NOISE = re.compile(r"[*`]+|^\s*[>#]+|\[([^\]]*)\]\([^)]*\)", re.MULTILINE)


def _plain(text: str) -> str:
    text = _MD_NOISE.sub(lambda m: m.group(1) or "", text)
    return re.sub(r"\s+", " ", text).strip()


def _summary(before: str, fallback: str) -> str:
    """The last prose paragraph before a code block, first sentence or two, capped."""
    prose = _CODE_FENCE_BLOCK.sub("\n\n", before)
    paragraphs = [p for p in re.split(r"\n\s*\n", prose) if p.strip() and not _FENCE_LINE.match(p)]
    text = _plain(paragraphs[-1]) if paragraphs else ""
    text = text.rstrip(":").strip()
    if not text:
        return fallback
    if len(text) > SUMMARY_CHARS:
        cut = text[:SUMMARY_CHARS]
        stop = cut.rfind(". ")
        text = cut[: stop + 1] if stop > 60 else cut.rstrip() + "…"
    return text


def extract_examples(page: Page) -> list[Example]:
    examples: list[Example] = []
    texts = {s.heading: s.text for s in page.sections}
    cursor: dict[str, int] = {}
    for block in page.code_blocks:
        if not block.code.strip():
            continue
        text = texts.get(block.section, "")
        at = text.find(block.code, cursor.get(block.section, 0))
        if at < 0:
            at = 0
        else:
            cursor[block.section] = at + len(block.code)
        heading = block.section or page.title
        summary = _summary(text[:at], f"{page.title}: {heading}" if block.section else page.title)
        examples.append(
            Example(page.id, page.source, len(examples), heading, block.language or "text", summary, block.code)
        )
    return examples
