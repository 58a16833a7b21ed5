"""Untrusted text (everything from the data files) made safe for each place it is shown.

A terminal gets text, never markup: control characters (C0, C1, DEL) and bidirectional overrides
become visible escapes, so no ESC/CSI/OSC sequence, bell or reordering reaches it. GitHub
workflow commands get their own escaping, and Markdown (the brief, pull-request comments) its
own: ``markdown`` renders any text as exactly that text.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from export_alignment.jsontext import indented

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff0-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
)
"""Characters that show nothing (or something else) where they stand: the format characters
(Unicode category Cf: soft hyphen, zero-width spaces and joiners, word joiner, invisible
operators, interlinear annotation U+FFF9-FFFB, the tag characters U+E0000-E007F), Hangul
fillers, variation selectors, lone surrogates (how Python carries the bytes of a file name
that is not valid UTF-8), and the noncharacters U+FDD0-FDEF, U+FFFE and U+FFFF (XML 1.0 forbids
the last two and the surrogates outright, so an Atom feed holding one is not XML)."""
_UNSAFE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f" + _BIDI + r"\u2028\u2029" + _INVISIBLE + "]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: object) -> str:
    """Text for one line of a terminal or log: newlines and tabs too become escapes."""
    return _UNSAFE_LINE.sub(_visible, str(text))


def visible_controls(text: str, keep: str = "") -> str:
    """``one_line`` but for the characters in ``keep`` (a CSV cell keeps its newlines)."""
    return _UNSAFE_LINE.sub(lambda m: m.group() if m.group() in keep else _visible(m), text)


_WEB_ADDRESS = re.compile(r"^https?://[^\s/?#\\@]+(?:[/?#]\S*)?$", re.IGNORECASE)


def is_web_address(value: object) -> bool:
    """Whether a value is an http(s) address: a scheme, a host with no user name, no white
    space and no control character anywhere. The one test the validation rule (``url-scheme``),
    the brief's and the site's links and the interactive prompt all use; nothing else ever
    becomes a link."""
    return isinstance(value, str) and bool(_WEB_ADDRESS.match(value)) and value.isprintable()


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


_BROKEN_AT = "`@`"
"""An ``@`` after a word, which would end an e-mail or XMPP address's local part, as a code span:
GitHub's renderer (cmark-gfm) finds those autolinks in the text after escapes and entities are
decoded, so only another node between the local part and the domain stops it, and a code span is
one that is neither raw HTML nor a link."""


def markdown(value: object) -> str:
    """Any text from the data as inline Markdown that renders as exactly that text.

    Whitespace runs (newlines included) become one space, so the text cannot open a new block or
    split a table row; control and bidi characters become visible escapes; every Markdown
    punctuation character is backslash-escaped; ``< > & |`` become entities; ``://`` and
    ``www.`` are broken with an escape so GitHub does not autolink a bare address, and an
    ``@`` after a word character is a code span, so no e-mail or XMPP address becomes a link.
    """
    text = one_line(_SPACES.sub(" ", str(value)).strip())  # strip(): any Unicode space
    digits = len(text) - len(text.lstrip("0123456789"))
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif ch == "@" and i and (text[i - 1].isalnum() or text[i - 1] in "._+-"):
            out.append(_BROKEN_AT)
        elif (
            ch in _BACKSLASHED
            or (ch == ":" and text.startswith("//", i + 1))
            or (ch == "." and text[max(0, i - 3) : i].casefold() == "www")
            or (ch in _AT_START and i == digits and (i == 0 or ch in ".)"))
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029" + _BIDI + _INVISIBLE + "]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a surrogate pair, as JSON writes characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def dumps(value: dict[str, Any]) -> str:
    """JSON for a terminal, a log or a file: UTF-8 text, but C1 controls, bidirectional
    overrides, invisible characters and lone surrogates written as \\u escapes (JSON already
    escapes C0 controls), and workflow commands broken, so none reaches a terminal or a CI log
    raw. The escapes keep the data: the JSON decodes to the same values."""
    text = indented(value)  # json.dumps(value, indent=2, ensure_ascii=False), faster
    if not text.isascii() or "\x7f" in text:  # ASCII text has nothing to escape but DEL
        text = _JSON_UNSAFE.sub(_json_escape, text)
    return log_safe(text, json_text=True)


# --- XML: the Atom feed ------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""What XML 1.0 forbids even as a character reference: the C0 controls but tab, LF and CR, the
surrogates and U+FFFE, U+FFFF."""


def xml_text(value: object) -> str:
    """Text for an XML document (an element's text or an attribute): every character XML 1.0
    forbids shown as a visible escape, so the document stays well-formed whatever the record
    holds. (Record text reaches the feed through ``one_line`` already; this is the last word on
    what the XML writer is given.)"""
    return _NOT_XML.sub(_visible, str(value))


# --- logs: GitHub Actions workflow commands -------------------------------------------------------

UNICODE_SPACES = (
    "\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
"""Every character a runner may trim from a line's start: the ASCII and Unicode white space
(.NET's ``String.Trim``, which the Actions runner calls: NBSP, U+1680, U+2000-200A, the line and
paragraph separators, U+202F, U+205F, U+3000) and the byte-order mark, which older .NET trimmed."""
_COMMAND_LINE = re.compile("^([" + UNICODE_SPACES + "]*)::", re.MULTILINE)
"""A line the runner's v2 parser reads as a command: ``::`` after any leading white space."""
_LEGACY_COMMAND = "##["
"""What the runner's legacy parser looks for anywhere in a line."""


def log_safe(text: str, *, json_text: bool = False, commands: bool = False) -> str:
    """Any output made safe for a CI log: no line the Actions runner reads as a workflow command.

    ``##[`` anywhere becomes ``#\\#[`` (in JSON ``#\\u0023[``, the same string once decoded),
    a line that starts with ``::`` after its indentation gets a backslash first (in Markdown
    ``\\:`` renders as ``:``, so the rendered text is unchanged), and invisible characters and
    lone surrogates become visible escapes. ``commands=True`` keeps the leading ``::`` of the
    lines a ``--format github`` writes on purpose (their messages are escaped already)."""
    text = text.replace(_LEGACY_COMMAND, "#\\u0023[" if json_text else "#\\#[")
    if not commands and "::" in text:
        text = _COMMAND_LINE.sub(lambda m: m.group(1) + "\\::", text)
    if not json_text and not text.isascii():  # the invisible characters are none of ASCII
        text = _INVISIBLE_RE.sub(_visible, text)
    return text


_INVISIBLE_RE = re.compile("[" + _INVISIBLE + "]")


class LogSafeWriter:
    """A text stream that passes on only log-safe lines (``log_safe``): what a rich Console
    writes to stdout or stderr. A line is held until it ends (or the stream is flushed), so a
    command cannot be split across two writes."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        cut = self._pending.rfind("\n") + 1
        if cut:
            self._stream.write(log_safe(self._pending[:cut]))
            self._pending = self._pending[cut:]
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(log_safe(self._pending))
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", "utf-8")


_SCAFFOLDING = re.compile(
    r"\s*\((?:descriptive title|title partly descriptive)\)"
    r"|;\s*(?:descriptive title|title partly descriptive)(?=\))",
    re.IGNORECASE,
)
"""The curator's notes on a title ("(descriptive title)", "; title partly descriptive"): true
for the record, noise for a reader."""


def reader_text(value: object) -> str:
    """Text from the data without the curator's scaffolding (for reader-facing summaries)."""
    return _SCAFFOLDING.sub("", str(value))
