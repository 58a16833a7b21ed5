"""Untrusted text (everything from the data files) made safe for each place it is shown.

A terminal gets text, never markup: control characters (C0, C1, DEL) and bidirectional overrides
become visible escapes, so no ESC/CSI/OSC sequence, bell or reordering reaches it. GitHub
workflow commands get their own escaping, and Markdown (the brief, pull-request comments) its
own: ``markdown`` renders any text as exactly that text.
"""

from __future__ import annotations

import json
import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _BIDI + r"\u2028\u2029]")


def _visible(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: object) -> str:
    """Text for one line of a terminal or log: newlines and tabs too become escapes."""
    return _UNSAFE_LINE.sub(_visible, str(text))


def github_data(text: object) -> str:
    """A workflow command's message (GitHub escapes %, CR and LF there)."""
    escaped = str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def github_property(text: object) -> str:
    """A workflow command's property value (also ``:`` and ``,``)."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


_SPACES = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")
_BACKSLASHED = frozenset("\\`*_[]#~$@")
"""Backslash-escaped everywhere: CommonMark/GFM punctuation that acts inside a line (emphasis,
code, links and images, strikethrough), ``#`` (headings; issue references in comments), plus
``$`` (GitHub math) and ``@`` (mentions, e-mail autolinks). ``( ) ! { }`` act only next to an
unescaped ``[``/``]`` and are left alone."""
_AT_START = frozenset("+-=>.)")
"""Escaped only where they could open a block: a list marker (``-``, ``+``, ``1.``, ``1)``), a
setext underline or a quote at the start of the text."""
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
"""Made inert as entities: raw HTML and autolinks need ``<``; an entity cannot start one. A pipe
as an entity is never a table-cell boundary, however many backslashes precede it."""


def markdown(value: object) -> str:
    """Any text from the data as inline Markdown that renders as exactly that text.

    Whitespace runs (newlines included) become one space, so the text cannot open a new block or
    split a table row; control and bidi characters become visible escapes; every Markdown
    punctuation character is backslash-escaped; ``< > & |`` become entities; ``://`` is broken
    with an escape so GitHub does not autolink a bare address.
    """
    text = one_line(_SPACES.sub(" ", str(value)).strip())  # strip(): any Unicode space
    digits = len(text) - len(text.lstrip("0123456789"))
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif (
            ch in _BACKSLASHED
            or (ch == ":" and text.startswith("//", i + 1))
            or (ch in _AT_START and i == digits and (i == 0 or ch in ".)"))
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(value: dict) -> str:
    """JSON for a terminal or a file: UTF-8 text, but C1 controls and bidirectional overrides
    written as \\u escapes (JSON already escapes C0 controls), so none reaches a terminal raw."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
