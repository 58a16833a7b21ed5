"""Markdown read back as GitHub and markdown-it-py read it: tokens, links, and the check that a
rendered text holds no HTML and no link but an http(s) one."""

from __future__ import annotations

import re

import cmarkgfm
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin


def md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(footnote_plugin)


def walk(tokens):
    for t in tokens:
        yield t
        if t.children:
            yield from walk(t.children)


def check_markdown(text: str) -> list:
    tokens = list(walk(md().parse(text)))
    assert not [t for t in tokens if t.type in ("html_inline", "html_block")]
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert all(re.match(r"^https?://", str(h)) for h in hrefs), hrefs
    rendered = md().render(text)
    assert "<script" not in rendered and "<b>" not in rendered
    assert 'href="javascript' not in rendered
    return tokens


def inline_text(tokens) -> str:
    return " ".join(t.content for t in tokens if t.type == "text")


def markdown_links(markdown: str) -> list[str]:
    """The addresses GitHub links in this Markdown: rendered by cmark-gfm (GitHub's renderer,
    with its autolink extension), every ``href``; and, as a second opinion, any bare ``www.``
    or ``http(s)://`` address where the GFM autolink extension starts one."""
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    found = re.findall(r'href="([^"]*)"', html)
    found += re.findall(r"(?:^|[\s*_~(])((?:www\.|https?://)[^\s<]+)", markdown, re.MULTILINE)
    return found
