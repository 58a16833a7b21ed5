"""Untrusted text (everything from the data files) made safe for each place it is shown.

A terminal gets text, never markup: control characters (C0, C1, DEL) and bidirectional overrides
become visible escapes, so no ESC/CSI/OSC sequence, bell or reordering reaches it. GitHub
workflow commands get their own escaping; Markdown has its own in ``brief``.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + r"\u2028\u2029]")
_UNSAFE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _BIDI + r"\u2028\u2029]")


def _visible(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object) -> str:
    """Text for a terminal: every control character but newline and tab shown as an escape."""
    return _UNSAFE.sub(_visible, str(text))


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
