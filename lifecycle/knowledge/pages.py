"""The shop's policy and help pages as passages: Markdown or HTML files in `data/shop/pages/`.

A file is named `<page>.<language>.md` or `.html` ("warranty-claims.en.md"). A Markdown page may
start with front matter (`title:`, `url:`); an HTML page gives them in `<title>` and
`<link rel="canonical">`. Each heading starts a passage, so an answer quotes the part of the
page that says it and links the page. Scripts, styles, navigation and footers are dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from lifecycle.shop.language import LANGUAGES

PAGES = "pages"
MAX_PAGE_BYTES = 1_000_000  # a policy page is a few kB; more is an export of something else
_NAME = re.compile(r"^(?P<page>[a-z0-9][a-z0-9_-]{0,63})\.(?P<language>[a-z]{2})\.(?P<kind>md|html?)$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_FRONT = re.compile(r"^---\n(.*?)\n---\n", re.DOTALL)
_LINK = re.compile(r"^https?://[^\s<>\"']{1,2000}$")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Passage:
    page: str  # the file's name before its language: "warranty-claims"
    language: str
    title: str  # the page's title
    heading: str  # the passage's own heading, "" for text before the first one
    text: str
    url: str | None


def read_pages(folder: Path) -> list[Passage]:
    """Every passage of the folder's pages. A file with a wrong name, too big, or empty is logged
    and skipped: one bad page must not silence the others."""
    passages: list[Passage] = []
    if not folder.is_dir():
        return passages
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        named = _NAME.match(path.name)
        if named is None or named["language"] not in LANGUAGES:
            logger.warning("%s: skipped; name a page <page>.<language>.md or .html, with language one of %s",
                           path, ", ".join(LANGUAGES))
            continue
        if path.stat().st_size > MAX_PAGE_BYTES:
            logger.warning("%s: skipped; a page may have at most %d bytes", path, MAX_PAGE_BYTES)
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            logger.warning("%s: skipped; not readable UTF-8 text (%s)", path, error)
            continue
        reader = _markdown if named["kind"] == "md" else _html
        title, url, sections = reader(text)
        found = [Passage(named["page"], named["language"], title or named["page"], heading, body, url)
                 for heading, body in sections if body]
        if not found:
            logger.warning("%s: skipped; no text in it", path)
        passages += found
    return passages


def _url(value: str | None) -> str | None:
    return value if value and _LINK.match(value.strip()) else None


def _markdown(text: str) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    meta: dict[str, str] = {}
    if front := _FRONT.match(text):
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[front.end():]
    sections: list[tuple[str, list[str]]] = [("", [])]
    title = meta.get("title")
    for line in text.splitlines():
        if heading := _HEADING.match(line):
            sections.append((_plain(heading.group(1)), []))
            title = title or sections[-1][0]
        else:
            sections[-1][1].append(_plain(line))
    return title, _url(meta.get("url")), [(h, " ".join(" ".join(lines).split())) for h, lines in sections]


def _plain(line: str) -> str:
    """Markdown's marks off: links keep their words, emphasis and code marks go."""
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return re.sub(r"[*_`>|]+", " ", line).strip(" -")


class _Page(HTMLParser):
    _HIDDEN = {"script", "style", "template", "nav", "footer", "header", "noscript", "svg", "head"}
    _HEADINGS = {"h1", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.url: str | None = None
        self.sections: list[tuple[str, list[str]]] = [("", [])]
        self._hidden = 0
        self._in_title = False
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "link" and (found.get("rel") or "").lower() == "canonical":
            self.url = found.get("href")
        elif tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._HEADINGS and not self._hidden:
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._HEADINGS and self._heading is not None:
            self.sections.append((" ".join("".join(self._heading).split()), []))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data.strip()
        elif self._hidden:
            return
        elif self._heading is not None:
            self._heading.append(data)
        else:
            self.sections[-1][1].append(data)


def _html(text: str) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    parser = _Page()
    parser.feed(text)
    parser.close()
    return parser.title, _url(parser.url), [(h, " ".join(" ".join(parts).split())) for h, parts in parser.sections]
