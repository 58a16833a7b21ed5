"""Markdown text helpers: text from the data as inert Markdown, http(s) links, Mermaid labels.

Every string that comes from the data goes through ``markdown_text`` (or ``link_target`` for a
URL) before it reaches the page: Markdown punctuation is backslash-escaped, ``<``, ``>``, ``&``
and ``|`` become HTML entities (so ``<script>`` is text and a pipe cannot split a table cell),
newlines become spaces, control characters become visible escapes. Links are made only for
http(s) URLs; a Mermaid label keeps letters, digits, spaces and ``_:-`` only.
"""

from __future__ import annotations

import re

from export_alignment.escape import is_web_address, reader_text
from export_alignment.escape import markdown as _markdown


def markdown_text(value: object) -> str:
    """Text from the data as inert inline Markdown, without the curator's scaffolding."""
    return _markdown(reader_text(value))


_URL_ENCODE = frozenset(' "<>()\\`{}|^')


def link_target(url: object) -> str | None:
    """An http(s) URL as a Markdown link destination, or None for anything else (``javascript:``,
    ``data:``, relative paths, control characters).

    Spaces, parentheses, angle brackets and other characters that could end or bend the
    destination are percent-encoded (non-ASCII as UTF-8); ``&`` becomes ``&amp;`` so no entity
    in the URL is decoded.
    """
    if not is_web_address(url):
        return None
    assert isinstance(url, str)
    out: list[str] = []
    for ch in url:
        if ch == "&":
            out.append("&amp;")
        elif ch in _URL_ENCODE or ord(ch) > 0x7E:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def markdown_link(label: object, url: object) -> str:
    """``[label](url)`` for an http(s) URL; otherwise the label and the address as inert text."""
    target = link_target(url)
    if target is None:
        return f"{markdown_text(label)} (address not linked: {markdown_text(url)})"
    return f"[{markdown_text(label)}]({target})"


_MERMAID_SAFE = re.compile(r"[^A-Za-z0-9 _:-]")


def mermaid_label(value: object) -> str:
    """A quoted Mermaid label holding only letters, digits, spaces, ``_``, ``:`` and ``-``."""
    return '"' + _MERMAID_SAFE.sub("", str(value)) + '"'
