"""Turning HTML, reStructuredText and plain text into the Markdown the page parser understands."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_to_markdown", "markdown_title", "rst_to_markdown", "strip_front_matter"]

_SKIP = {"script", "style", "nav", "header", "footer", "noscript", "svg", "template", "head", "form", "button"}
_BLOCK = {"p", "div", "section", "article", "main", "table", "tr", "ul", "ol", "dl", "dd", "dt", "blockquote",
          "figure", "br", "hr"}


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._pre: list[str] | None = None
        self._pre_lang = ""
        self._heading: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self._skip += 1
            return
        if self._skip:
            return
        classes = " ".join(v or "" for k, v in attrs if k == "class")
        if tag == "pre":
            self._pre = []
            self._pre_lang = _language(classes)
        elif tag == "code" and self._pre is not None:
            self._pre_lang = self._pre_lang or _language(classes)
        elif tag == "code":
            self.out.append("`")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.out.append("\n\n" + "#" * self._heading + " ")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCK or tag == "td":
            self.out.append("\n\n" if tag in _BLOCK else " | ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag == "pre" and self._pre is not None:
            code = "".join(self._pre).strip("\n")
            fence = "````" if "```" in code else "```"
            self.out.append(f"\n\n{fence}{self._pre_lang}\n{code}\n{fence}\n\n")
            self._pre = None
        elif tag == "code" and self._pre is None:
            self.out.append("`")
        elif self._heading and tag == f"h{self._heading}":
            self._heading = None
            self.out.append("\n\n")
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._skip:
            return
        if self._pre is not None:
            self._pre.append(data)
        elif self._heading:
            self.out.append(" ".join(data.split()))
        else:
            self.out.append(re.sub(r"\s+", " ", data))


def _language(classes: str) -> str:
    match = re.search(r"(?:language|lang|highlight)-([A-Za-z0-9_+-]+)", classes)
    return match.group(1).lower() if match else ""


def html_to_markdown(html: str) -> tuple[str, str]:
    """(title, markdown) of an HTML page, without navigation, scripts or styles."""
    parser = _Html()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    title = " ".join(parser.title.split()) or markdown_title(text) or ""
    return title, text


def markdown_title(text: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
    return match.group(1).strip() if match else ""


_FRONT = re.compile(r"\A(\+\+\+|---)\s*\n(.*?)\n\1\s*\n", re.DOTALL)


def strip_front_matter(text: str) -> tuple[str, str]:
    """(title from the front matter or "", text without it); handles TOML (+++) and YAML (---)."""
    match = _FRONT.match(text)
    if not match:
        return "", text
    title = re.search(r"^title\s*[:=]\s*[\"']?(.*?)[\"']?\s*$", match.group(2), re.MULTILINE)
    return (title.group(1) if title else ""), text[match.end() :]


_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>:._])\1{2,}\s*$")


def rst_to_markdown(text: str) -> tuple[str, str]:
    """A practical subset: section titles, code-block/literal blocks; everything else stays as text."""
    lines = text.split("\n")
    out: list[str] = []
    levels: list[str] = []
    title = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        # An overline, title, underline triple, or a title followed by an underline.
        overline = _RST_UNDERLINE.match(line) and i + 2 < len(lines) and _RST_UNDERLINE.match(lines[i + 2])
        if overline and lines[i + 1].strip():
            line, nxt, i = lines[i + 1], lines[i + 2], i + 1
        if line.strip() and _RST_UNDERLINE.match(nxt) and len(nxt.strip()) >= len(line.strip()) - 1:
            mark = nxt.strip()[0]
            if mark not in levels:
                levels.append(mark)
            level = min(levels.index(mark) + 1, 6)
            title = title or line.strip()
            out.append("#" * level + " " + line.strip())
            i += 2
            continue
        code = re.match(r"^\s*\.\. (?:code-block|code|sourcecode)::\s*(\S*)", line)
        if code or (line.rstrip().endswith("::") and not line.strip().startswith("..")):
            lang = code.group(1).lower() if code else ""
            if not code:
                out.append(line.rstrip()[:-1])
            i += 1
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                if lines[i].strip().startswith(":") and not block:  # code-block options
                    i += 1
                    continue
                block.append(lines[i])
                i += 1
            body = _dedent(block)
            if body:
                out += ["", f"```{lang}", body, "```", ""]
            continue
        out.append(line)
        i += 1
    return title, "\n".join(out).strip()


def _dedent(lines: list[str]) -> str:
    import textwrap

    return textwrap.dedent("\n".join(lines)).strip("\n")
