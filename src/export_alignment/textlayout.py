"""Text laid out in terminal cells: styled lines, words folded to a width, tables that fold.

Pure layout: the functions take rich ``Text`` and widths and give lines back; what is printed,
where and in which colours is decided by ``console`` and the renderers in ``terminal``. A line is
never padded at its end, a word is never split (a word longer than the room stands alone on its
line), a table column folds at word boundaries, and widths are counted in terminal cells (a wide
character takes two).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.control import strip_control_codes
from rich.style import Style
from rich.text import Span, Text

GAP = "  "
"""Between two table columns."""
MARGIN = "  "
"""Before a table's first column."""

_WORD = re.compile(r"(\s*)(\S+)")


class Line:
    """A line of styled text built from plain pieces and made a rich ``Text`` once. Appending
    lays the styles out exactly as ``Text.append`` and ``Text.append_text`` would (a text's own
    style first, then its spans), without a ``Text`` per piece."""

    __slots__ = ("_parts", "_spans", "_length")

    def __init__(self, text: str = "") -> None:
        self._parts = [text] if text else []
        self._spans: list[Span] = []
        self._length = len(text)

    @property
    def plain(self) -> str:
        return "".join(self._parts)

    @property
    def cell_len(self) -> int:
        return cell_len(self.plain)

    def append(self, text: str, style: str = "") -> Line:
        if text:
            text = strip_control_codes(text)
            if style:
                self._spans.append(Span(self._length, self._length + len(text), style))
            self._parts.append(text)
            self._length += len(text)
        return self

    def append_text(self, text: Text | Line, start: int = 0, end: int | None = None) -> Line:
        """Append ``text`` (or the part of it from ``start`` to ``end``, with its styles cut as
        ``Text.divide`` cuts them)."""
        style: str | Style
        spans: Sequence[Span]
        if isinstance(text, Line):
            plain, style, spans = text.plain, "", text._spans
        else:
            plain, style, spans = text.plain, text.style, text.spans
        if end is None:
            end = len(plain)
        if end <= start:
            return self
        shift = self._length - start
        if style:
            self._spans.append(Span(self._length, self._length + end - start, style))
        for s in spans:
            if s.end > start and s.start < end:
                self._spans.append(
                    Span(max(s.start, start) + shift, min(s.end, end) + shift, s.style)
                )
        self._parts.append(plain[start:end] if start or end < len(plain) else plain)
        self._length += end - start
        return self

    def text(self, rstrip: bool = True) -> Text:
        """The line as a rich ``Text`` (trailing spaces dropped, as ``Text.rstrip`` drops
        them, unless ``rstrip`` is false)."""
        plain = self.plain
        spans = self._spans
        if rstrip:
            plain = plain.rstrip()
            n = len(plain)
            if n < self._length:
                spans = [
                    s if s.end < n else Span(s.start, min(n, s.end), s.style)
                    for s in spans
                    if s.start < n
                ]
        return Text(plain, spans=list(spans))


# --- words folded to a width ----------------------------------------------------------------------


def fold(text: Text, width: int, indent: int = 0) -> list[Line]:
    """``wrap_text``'s lines before they are made ``Text``."""
    plain = text.plain
    lines: list[Line] = []
    current = Line()
    started = False
    for match in _WORD.finditer(plain):
        spaces = len(match.group(1))
        start, end = match.span(2)
        room = width - (indent if lines else 0)
        if started and current.cell_len + spaces + cell_len(match.group(2)) > room:
            lines.append(current)
            current, started = Line(), False
        if started or not lines:
            current.append(" " * spaces)
        current.append_text(text, start, end)
        started = True
    if started or not lines:
        lines.append(current)
    return [lines[0]] + [Line(" " * indent).append_text(line) for line in lines[1:]]


def wrap_text(text: Text, width: int, indent: int = 0) -> list[Text]:
    """``text`` broken at spaces into lines of at most ``width`` cells; lines after the first
    are indented by ``indent`` (a hanging indent). A word longer than the room stands alone on
    its line rather than being split; the spacing between words on a line is kept."""
    return [line.text(rstrip=False) for line in fold(text, width, indent)]


def wrapped_lines(text: Text, width: int, indent: int) -> list[Text]:
    """``text`` folded to ``width`` (at least 20) with a hanging indent, never padded."""
    return [line.text() for line in fold(text, max(width, 20), indent)]


def longest_word(text: Text) -> int:
    """The cells of the widest word in ``text``: the narrowest it can be folded."""
    return max((cell_len(match.group(2)) for match in _WORD.finditer(text.plain)), default=0)


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` (a longer word stands alone)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def join_units(units: list[str], width: int, lead: str, sep: str) -> list[str]:
    """``units`` joined by ``sep`` into lines of at most ``width`` cells, broken only between
    units (a unit longer than the room stands alone on its line)."""
    lines: list[str] = []
    line = lead
    for unit in units:
        piece = unit + sep.rstrip() if unit is not units[-1] else unit
        if line.strip() and cell_len(line) + 1 + cell_len(piece) > width:
            lines.append(line.rstrip())
            line = lead + "  "
        line += ("" if not line.strip() else " ") + piece
    lines.append(line.rstrip())
    return lines


def join_texts(units: Sequence[Text], width: int, indent: int, sep: str, hang: int) -> list[Text]:
    """Styled ``units`` joined by ``sep`` on lines of at most ``width`` cells, starting
    ``indent`` cells in, broken only between units (lines after the first ``hang`` cells
    further in); each unit is kept whole."""
    lines: list[Text] = []
    line = Text(" " * indent)
    for i, unit in enumerate(units):
        between = "" if i == 0 else sep
        if i and line.cell_len + len(between) + unit.cell_len > width:
            line.rstrip()
            lines.append(line)
            line = Text(" " * (indent + hang))
            between = ""
        line.append(between)
        line.append_text(unit)
    line.rstrip()
    lines.append(line)
    return lines


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis when longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def shorten_words(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``width`` cells with an ellipsis
    (never inside a word; a first word longer than the room stands whole)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    room = max(width - 1, 0)  # a cell for the ellipsis
    cut = text[:room]
    if text[room] != " ":  # the cut falls inside a word: back to the space before it
        cut = cut[: cut.rindex(" ")] if " " in cut else text.split(" ", 1)[0]
    return cut.rstrip(" ,;:·") + "…"


def split_parts(cell: Text, sep: str) -> list[Text]:
    """``cell`` cut in two at the first ``sep`` (the separator's text up to its spaces stays
    with the first part), or the whole cell when it holds none."""
    head, found, _ = cell.plain.partition(sep)
    if not found:
        return [cell]
    return [cell[: len(head) + len(sep.rstrip())], cell[len(head) + len(sep) :]]


# --- tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a table: its header, whether and when it folds, and where its cells cut.

    ``folds`` is the column's turn to give up room when the table is too wide (1 first), folding
    its cells at word boundaries; None: its cells never fold. A column with ``parts`` folds a
    cell that does not fit between its two parts (``split_parts``) before within them, and is
    never narrower than its widest part."""

    header: str
    folds: int | None = None
    parts: str | None = None

    def least(self, cell: Text) -> int:
        """The narrowest this column can fold ``cell``."""
        if self.parts is not None:
            return max(part.cell_len for part in split_parts(cell, self.parts))
        return longest_word(cell)


@dataclass(frozen=True)
class Row:
    """A table row: its cells, how far its first cell stands in within its column (a row
    nested under another; it folds as far again), and a note on a line under it."""

    cells: list[Text]
    indent: int = 0
    note: Text | None = None

    def indent_of(self, column: int) -> int:
        return self.indent if column == 0 else 0


def table_width(widths: Sequence[int]) -> int:
    """The cells a table of columns this wide takes, its margin included."""
    return len(MARGIN) + sum(widths) + len(GAP) * (len(widths) - 1)


def column_widths(columns: Sequence[Column], rows: Sequence[Row], width: int) -> list[int] | None:
    """Column widths that fit ``width``: each column as wide as its widest cell, then the folding
    columns, in their turn, only as narrow as needed (None when even folded they do not fit)."""
    widths = [
        max([len(col.header)] + [r.indent_of(c) + r.cells[c].cell_len for r in rows])
        for c, col in enumerate(columns)
    ]
    folding = sorted(
        (c for c, col in enumerate(columns) if col.folds is not None),
        key=lambda c: columns[c].folds or 0,
    )
    for c in folding:
        over = table_width(widths) - width
        if over <= 0:
            break
        least = max(
            [len(columns[c].header)]
            + [2 * r.indent_of(c) + columns[c].least(r.cells[c]) for r in rows]
        )
        widths[c] = max(least, widths[c] - over)
    return widths if table_width(widths) <= width else None


def fold_cell(column: Column, cell: Text, width: int, pad: int) -> list[Line]:
    """A cell's lines in a column ``width`` cells wide, ``pad`` cells in (folded lines as far
    again)."""
    if column.folds is None:
        return [Line(" " * pad).append_text(cell)]
    if column.parts is not None and cell.cell_len > width - pad:
        return [
            Line(" " * pad).append_text(piece)
            for part in split_parts(cell, column.parts)
            for piece in fold(part, width - pad, pad)
        ]
    return [Line(" " * pad).append_text(piece) for piece in fold(cell, width - pad, pad)]


def table_head(headers: Sequence[str], widths: Sequence[int], last: int = 0) -> list[Text]:
    """A table's header line and the rule under it; with ``last``, one header more than widths,
    for a last column ``last`` cells wide that never folds."""
    header = Text(MARGIN)
    for c, name in enumerate(headers):
        header.append(name.ljust(widths[c]) if c < len(widths) else name, style="bold")
        header.append(GAP)
    header.rstrip()
    rule = sum(widths) + len(GAP) * (len(widths) - 1) + (len(GAP) + last if last else 0)
    return [header, Text(MARGIN + "─" * rule, style="dim")]


def row_lines(
    columns: Sequence[Column], row: Row, widths: Sequence[int], last: Text | None = None
) -> list[Text]:
    """A row's lines: each cell folded into its column, side by side; ``last`` (one line)
    after the last column."""
    cells: list[list[Line] | list[Text]] = [
        fold_cell(columns[c], cell, widths[c], row.indent_of(c)) for c, cell in enumerate(row.cells)
    ]
    if last is not None:
        cells.append([last])
    lines: list[Text] = []
    for i in range(max(len(col) for col in cells)):
        line = Line(MARGIN)
        for c, col in enumerate(cells):
            used = 0
            if i < len(col):
                line.append_text(col[i])
                used = col[i].cell_len
            if c < len(cells) - 1:
                line.append(" " * (widths[c] - used) + GAP)
        lines.append(line.text())
    return lines


@dataclass(frozen=True)
class Layout:
    """One way to lay a table out: its columns and its rows."""

    columns: list[Column]
    rows: list[Row]


def _layout_lines(
    layout: Layout, widths: list[int], width: int, last: Sequence[Text], room: int, header: str
) -> list[Text]:
    headers = [c.header for c in layout.columns] + ([header] if room else [])
    lines = table_head(headers, widths, room)
    for i, row in enumerate(layout.rows):
        lines += row_lines(layout.columns, row, widths, last[i] if room else None)
        if row.note is not None:
            under = len(MARGIN) + row.indent + 2
            lines += wrap_text(Text(" " * under) + row.note, width, under + 2)
    return lines


def best_table(
    layouts: Iterable[tuple[int, Callable[[], Layout]]],
    width: int,
    last: Sequence[Text],
    header: str,
    least: int = 24,
) -> tuple[list[Text], bool] | None:
    """The table's lines in the layout with the fewest lines plus cost that fits ``width``,
    with ``last`` (one line a row, never folded) in a last column headed ``header`` when every
    row's fits the room left, at least ``least`` cells; and whether ``last`` was left out. None
    when no layout fits. ``layouts`` are each one's cost, in lines against the others, and how
    to build it: a layout is built only when it could win."""
    best: tuple[int, list[Text], bool] | None = None
    for cost, build in layouts:
        if best is not None and 2 + len(last) + cost >= best[0]:
            continue  # a header, a rule and a line per row could not beat the best so far
        layout = build()
        widths = column_widths(layout.columns, layout.rows, width)
        if widths is None:
            continue
        room = width - table_width(widths) - len(GAP)
        if room < least or any(text.cell_len > room for text in last):
            room = 0
        lines = _layout_lines(layout, widths, width, last, room, header)
        if best is None or len(lines) + cost < best[0]:
            best = (len(lines) + cost, lines, not room)
    return None if best is None else (best[1], best[2])


def grid_lines(
    corner: str,
    names: Sequence[str],
    heads: Sequence[str],
    cells: Sequence[Sequence[tuple[str, str]]],
    width: int,
) -> list[Text]:
    """A grid of short styled cells (text, style): one row per name (bold, kept whole), one
    narrow column per head, right-aligned; the columns that do not fit ``width`` go to a further
    block of the same rows. Each block comes after a blank line; no line is padded."""
    cell = max([len(h) for h in heads] + [1]) + 1
    name_width = max(cell_len(n) for n in [*names, corner])
    per_block = max(1, (width - len(MARGIN) - name_width - 1) // (cell + 1))
    out: list[Text] = []
    for start in range(0, len(heads), per_block):
        block = range(start, min(start + per_block, len(heads)))
        out.append(Text())
        head = Line(MARGIN).append(corner.ljust(name_width) + " ", "bold")
        for k in block:
            head.append(" " + heads[k].rjust(cell), "bold")
        out.append(head.text())
        for name, row in zip(names, cells, strict=True):
            line = Line(MARGIN).append(name, "bold").append(" " * (name_width - cell_len(name) + 1))
            for k in block:
                text, style = row[k]
                line.append(" " + text.rjust(cell), style)
            out.append(line.text())
    return out


def column_lines(rows: Sequence[Sequence[str]], width: int) -> list[Text]:
    """Rows of plain cells, a line each: every cell but the last padded to its column's widest
    (the first bold), the last folded at spaces under itself, with at least 20 cells of room."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]) - 1)] if rows else []
    indent = sum(w + 2 for w in widths)
    width = max(width, indent + 20)
    lines: list[Text] = []
    for row in rows:
        head = "".join(cell.ljust(w + 2) for cell, w in zip(row, widths, strict=False))
        for i, piece in enumerate(wrap_words(row[-1], width - indent) or [""]):
            line = Text((head if i == 0 else " " * indent) + piece)
            line.stylize("bold", 0, len(row[0]) if i == 0 else 0)
            lines.append(line)
    return lines


def hanging_lines(texts: Sequence[Text], width: int) -> list[Text]:
    """Each text cut at its newlines and every line folded to ``width`` with a hanging indent
    two cells past its own indent; a line of spaces becomes an empty line."""
    out: list[Text] = []
    for text in texts:
        for line in text.split("\n", allow_blank=True):
            lead = len(line.plain) - len(line.plain.lstrip(" "))
            if not line.plain.strip():
                out.append(Text())
                continue
            out.extend(wrapped_lines(line, width, lead + 2))
    return out
