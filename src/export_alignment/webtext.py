"""Record text and addresses as the web outputs write them: shared by the site's pages and its
Atom feeds (so neither imports the other) and the calendar.

Text from the record is made reader text (``escape.reader_text``), one line, with control and
bidirectional-override characters shown as visible escapes; an address becomes a link only when
it is http(s).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from export_alignment import escape
from export_alignment.dates import PartialDate
from export_alignment.escape import is_web_address

_SPACES = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x85]+")
_URL_SAFE = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;=%"
)


def text(value: object) -> str:
    """Record text for a page: reader text (``escape.reader_text``: without the curator's
    scaffolding, as every reader-facing output), one line, control and bidi characters as
    visible escapes."""
    if (
        type(value) is str
        and value.isascii()
        and value.isprintable()
        and "  " not in value
        and "escriptive" not in value.lower()
    ):  # no scaffolding, no control to show, its only white space single spaces: most text
        return value.strip(" ")
    return escape.one_line(_SPACES.sub(" ", escape.reader_text(value)).strip())


def web_url(url: object) -> str | None:
    """An http(s) address fit for an ``href`` (characters outside the URL set percent-encoded),
    or None for anything else: ``javascript:``, ``data:``, relative paths, user-info tricks,
    control characters."""
    if not is_web_address(url):
        return None
    assert isinstance(url, str)
    return _encoded(url)


@lru_cache(maxsize=16384)
def _encoded(url: str) -> str:
    """``url`` with every character outside the URL set percent-encoded (remembered: the pages
    link the same sources many times)."""
    if _URL_SAFE.issuperset(url):
        return url
    return "".join(
        ch if ch in _URL_SAFE else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in url
    )


def human(value: object) -> str:
    """``2023-01-13`` as '13 January 2023', ``2022-11`` as 'November 2022'."""
    if value is None:
        return "—"
    if type(value) is str:
        return _human_of(value)
    try:
        return PartialDate.parse(value if isinstance(value, date) else str(value)).human()
    except ValueError:
        return text(value)


@lru_cache(maxsize=8192)
def _human_of(value: str) -> str:
    """``human`` of one string, remembered: the pages repeat the same dates many times."""
    try:
        return PartialDate.parse(value).human()
    except ValueError:
        return text(value)
