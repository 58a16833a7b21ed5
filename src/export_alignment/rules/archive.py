"""The archive of source documents (``seeds/`` beside ``data/``): where a cited document may be
read from, its text normalised as quotes are, and whether a quote stands in it as whole words.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")


def normalise_quote(text: str) -> str:
    """Whitespace folded, typographic quotes and dashes made plain; nothing else changes."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTE_MAP)).strip()


def printed_in(quote: str, text: str) -> bool:
    """Whether the (normalised) quote stands in the (normalised) text as whole words: a
    fragment such as ``xtremely fruit`` of "extremely fruitful" does not count. The first place
    the text prints the quote settles most cases (nowhere, or there as whole words) without a
    pattern of its own; otherwise one search through the text, in the regular-expression
    engine: however often the quote's letters occur inside other words, no occurrence costs a
    step of Python."""
    at = text.find(quote)
    if at < 0:
        return False
    cut_before = quote[:1].isalnum() and at > 0 and _ALNUM_AT(text, at - 1) is not None
    cut_after = quote[-1:].isalnum() and _ALNUM_AT(text, at + len(quote)) is not None
    if not cut_before and not cut_after:
        return True
    return _whole_words(quote).search(text) is not None


_ALNUM = r"[^\W_]"
"""A letter or digit (``str.isalnum``'s characters: ``\\w`` but ``_``)."""

_ALNUM_AT = re.compile(_ALNUM).match
"""Whether a letter or digit stands at an index (the character ``_whole_words`` looks at)."""


def _whole_words(quote: str) -> re.Pattern[str]:
    """The quote as a pattern that matches it only where it does not cut a word: no letter or
    digit just before it when it starts with one, none just after it when it ends with one.
    The quote comes first (the look-behind checks the character before it afterwards), so the
    engine finds each candidate by its fast literal search."""
    literal = re.escape(quote)
    head = f"(?<!{_ALNUM}{literal})" if quote[:1].isalnum() else ""
    tail = f"(?!{_ALNUM})" if quote[-1:].isalnum() else ""
    return re.compile(literal + head + tail)


ARCHIVE = "seeds"
"""The folder of archived source documents, beside ``data/``."""

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""The largest archived document read to check quotes (an article or a gazette is far smaller);
a larger one is refused by ``document-path`` before it is read."""


def resolve_document(root: Path, relative: str) -> Path | str:
    """The archived document's path inside the dataset root, or why it is refused."""
    if "\x00" in relative:
        return "the path holds a NUL character"
    candidate = Path(relative)
    if (
        candidate.is_absolute()
        or relative.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", relative)
    ):
        return "an absolute path; write it relative to the dataset root (seeds/...)"
    if ".." in candidate.parts:
        return "the path leaves the dataset root ('..')"
    try:
        real_root = root.resolve()
        real = (root / candidate).resolve()
    except (OSError, RuntimeError):
        return "the path cannot be resolved"
    if real != real_root and real_root not in real.parents:
        return "the path leads outside the dataset root (through a link)"
    seeds = real_root / ARCHIVE
    if seeds not in real.parents:
        return f"archived documents live under {ARCHIVE}/"
    try:
        if not real.is_file():
            return "no such file in the dataset"
        size = real.stat().st_size
    except OSError:  # a name too long for the system, say
        return "no such file in the dataset"
    if size > MAX_DOCUMENT_BYTES:  # before a byte of it is read
        return f"a document of {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}"
    return real


def read_document(resolved: Path) -> str | None:
    """The archived document's text, normalised as quotes are (None when unreadable)."""
    try:
        with open(resolved, "rb") as f:  # the limit again: the file may have grown
            raw = f.read(MAX_DOCUMENT_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_DOCUMENT_BYTES:
        return None
    return normalise_quote(raw.decode("utf-8", errors="replace"))
