"""The one CSV writer: every CSV the tool writes (``status``, ``timeline`` and ``list`` on
standard output, the export's files) goes through ``csv_text``.

One cell policy: an empty value is an empty cell, a boolean ``true``/``false``, a list its items
joined by ``; ``; text keeps its newlines (in a quoted cell) but a carriage return becomes a
newline, so no row can split where a reader does not expect it, and every other control,
bidirectional or invisible character becomes a visible escape (``\\x1b``), so nothing reaches a
terminal as a command; a cell a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading ``'``. Rows end with CRLF (RFC 4180).
What is written to standard output is also made safe for a CI log by the CLI
(``escape.log_safe``: no workflow command).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

from export_alignment.escape import visible_controls

LIST_SEPARATOR = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CR = re.compile(r"\r\n?")


def cell(value: object) -> object:
    """One value as a CSV cell (see the module's policy)."""
    if type(value) is str and value.isascii() and value.isprintable():  # most cells: as they are
        return "'" + value if value.startswith(FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return visible_controls(_CR.sub("\n", value), keep="\n\t")


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """A header row and one row per dict (its values in ``columns``' order), as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return buf.getvalue()
