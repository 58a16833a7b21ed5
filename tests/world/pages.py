"""Built HTML pages, read back: ``Page`` parses a page with the standard library's parser into its
elements, attributes, links and text; ``ELEMENTS`` are the elements a page may hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ELEMENTS = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "link",
        "body",
        "a",
        "header",
        "nav",
        "ul",
        "ol",
        "li",
        "p",
        "time",
        "main",
        "footer",
        "details",
        "summary",
        "h1",
        "h2",
        "h3",
        "div",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "br",
        "section",
        "dl",
        "dt",
        "dd",
        "strong",
        "code",
        "blockquote",
        "figure",
        "figcaption",
        "svg",
        "desc",
        "g",
        "line",
        "text",
        "rect",
    ]
)
"""Every element the templates use; anything else on a page came from the record."""


@dataclass
class Page:
    path: Path
    elements: list[tuple[str, dict]] = field(default_factory=list)
    text: str = ""

    @property
    def links(self) -> list[str]:
        return [a["href"] for tag, a in self.elements if "href" in a]

    def with_class(self, tag: str, cls: str) -> list[dict]:
        return [a for t, a in self.elements if t == tag and cls in (a.get("class") or "").split()]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: (v or "") for k, v in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.parts.append(data)


def parse(path: Path) -> Page:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return Page(path, collector.elements, " ".join(collector.parts))


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
