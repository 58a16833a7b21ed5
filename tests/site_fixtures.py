"""Records and helpers for the site, feed and export tests.

``hostile_data`` writes a valid record whose every free-text field carries terminal escapes,
markup, HTML, Markdown and ``javascript:`` text (the records of ``test_output_safety``), plus a
second US control, a Dutch statement and a source address built to break out of an attribute.
``Page`` parses a built HTML page with the standard library's parser into its elements,
attributes, links and text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from test_output_safety import HOSTILE, hostile_records
from world import initiator_control, statement, write_dataset

AS_OF = "2023-06-01"
EVIL_URL = 'https://example.org/x"onmouseover="alert(1)"<script>alert(2)</script>'

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


def hostile_data(root: Path) -> Path:
    actors, statements, ordinance = hostile_records()
    statements = [
        *statements,
        statement(
            "nl-raised",
            "2023-02-10",
            "raised",
            about=["nl"],
            controls=["us-c1", "us-c2"],
            speaker="us-official",
            summary=f"Pressed {HOSTILE}",
            source={
                "url": EVIL_URL,
                "publisher": f"Wire {HOSTILE}",
                "title": f"<img src=x onerror=alert(1)> {HOSTILE}",
                "published": "2023-02-10",
                "tier": "on_record",
            },
        ),
    ]
    controls = [
        initiator_control(),
        initiator_control(
            "us-c2",
            announced="2023-01-05",
            published=None,
            effective="2023-01-05",
            title=f"Second rule {HOSTILE}",
            date_note=f"Note {HOSTILE}",
        ),
    ]
    data = write_dataset(root, statements, [ordinance], controls=controls, actors=actors)
    (root / "seeds" / "doc.txt").write_text(
        "He said [bold red]x[/] [link=http://evil]y[/link] <script>alert(1)</script> <b>b</b> | "
        "pipe | # hash > quote `tick` [z](javascript:alert(1)) plainly.\n",
        encoding="utf-8",
    )
    return data


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
