"""Scores rendered for a terminal: the status table, the explained evidence chain, the timeline.

Every string from the data goes in as rich ``Text`` (never markup) after ``escape``, so a ``[bold]``
in a summary prints as ``[bold]`` and no control character reaches the terminal.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len
from rich.console import Console, Group
from rich.control import strip_control_codes
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

from export_alignment import escape
from export_alignment.scoring import (
    FLAGS,
    LADDER,
    STAGE_GLYPH,
    STAGES,
    VERDICTS,
    AllyScore,
    Evidence,
    Flag,
    LifecycleChange,
    Role,
    RoleNote,
    Scores,
    Stage,
    Transition,
    Verdict,
    VerdictChange,
    next_step,
)
from export_alignment.views.values import (
    VERDICT_WORDS,
    anonymous_count,
    control_label,
    evidence_count,
    verdict_words,
)

STAGE_STYLE = {
    Stage.NONE: "dim",
    Stage.RAISED: "yellow",
    Stage.NEGOTIATING: "yellow",
    Stage.AGREED: "cyan",
    Stage.ANNOUNCED: "cyan",
    Stage.ADOPTED: "green",
    Stage.IN_FORCE: "bold green",
}


VERDICT_STYLE = {
    Verdict.NONE: "dim",
    Verdict.RAISED: "yellow",
    Verdict.NEGOTIATING: "yellow",
    Verdict.COMMITTED: "cyan",
    Verdict.PARTLY_IN_FORCE: "cyan",
    Verdict.LARGELY_IN_FORCE: "green",
    Verdict.IN_FORCE: "bold green",
}


def verdict_text(holder) -> Text:
    """A row's verdict with its coverage beside it (``views.values.verdict_words``)."""
    c = holder.coverage
    return Text(
        verdict_words(holder.verdict, c.in_force, c.total), style=VERDICT_STYLE[holder.verdict]
    )


def ladder(stage: Stage) -> Text:
    """The stage drawn on the ladder: filled steps up to it, then its name."""
    steps = len(LADDER) - 1
    text = Text("■" * stage.rank, style=STAGE_STYLE[stage])
    text.append("□" * (steps - stage.rank), style="dim")
    text.append(f" {stage}", style=STAGE_STYLE[stage])
    return text


def _t(value: object, style: str = "") -> Text:
    return Text(escape.one_line(value), style=style)


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def who(e: Evidence) -> str:
    if e.speaker is None:
        return e.record.id
    return e.speaker.name


def evidence_line(e: Evidence | None, width: int = 60) -> Text:
    if e is None:
        return Text("—", style="dim")
    text = _t(who(e), "bold")
    text.append(f" · {e.date} · ", style="dim")
    if e.ahead:
        text.append(f"dated {e.recorded}, before the control · ", style="dim")
    text.append(escape.one_line(shorten(escape.reader_text(e.summary), width)))
    return text


def _flags(names: list[str]) -> Text:
    if not names:
        return Text("—", style="dim")
    return Text(", ".join(names), style="magenta")


def _counts(evidence: list[Evidence]) -> Text:
    """How many records are evidence (``views.values.evidence_count``: a measure's three dates
    count once), and how many of them are anonymous."""
    text = Text(str(evidence_count(evidence)))
    anonymous = anonymous_count(evidence)
    if anonymous:
        text.append(f" ({anonymous} anon.)", style="dim")
    return text


def reviewed_line(score: AllyScore) -> str:
    """When the curator last checked the public record for the ally."""
    if score.reviewed is None:
        return f"{score.ally.name}: no review date recorded"
    return f"{score.ally.name}: record last reviewed {score.reviewed}"


def role_text(note: RoleNote) -> Text:
    style = {Role.SETS: "bold", Role.FLAGS: "magenta", Role.NOT_COUNTED: "dim"}.get(note.role, "")
    return Text(escape.one_line(note.text), style=style)


# --- the status at any width ----------------------------------------------------------------------
#
# The table is laid out by hand rather than by rich's Table: every line is built to fit the width,
# words (and flag names) are never split, and no line carries trailing padding. The layouts are
# tried widest first: the full table (evidence in a column when each ally's fits on one line,
# otherwise below the table), the table with the wrappable columns folded at word boundaries,
# the table without the ladder glyphs, and at last one block per ally.

GAP = "  "
MARGIN = "  "


_WORD = re.compile(r"(\s*)(\S+)")


class _Line:
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

    def append(self, text: str, style: str = "") -> _Line:
        if text:
            text = strip_control_codes(text)
            if style:
                self._spans.append(Span(self._length, self._length + len(text), style))
            self._parts.append(text)
            self._length += len(text)
        return self

    def append_text(self, text: Text | _Line, start: int = 0, end: int | None = None) -> _Line:
        """Append ``text`` (or the part of it from ``start`` to ``end``, with its styles cut as
        ``Text.divide`` cuts them)."""
        style: str | Style
        if isinstance(text, _Line):
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


def _wrap(text: Text, width: int, indent: int = 0) -> list[_Line]:
    """``wrap_text``'s lines before they are made ``Text``."""
    plain = text.plain
    lines: list[_Line] = []
    current = _Line()
    started = False
    for match in _WORD.finditer(plain):
        spaces = len(match.group(1))
        start, end = match.span(2)
        room = width - (indent if lines else 0)
        if started and current.cell_len + spaces + cell_len(match.group(2)) > room:
            lines.append(current)
            current, started = _Line(), False
        if started or not lines:
            current.append(" " * spaces)
        current.append_text(text, start, end)
        started = True
    if started or not lines:
        lines.append(current)
    return [lines[0]] + [_Line(" " * indent).append_text(line) for line in lines[1:]]


def wrap_text(text: Text, width: int, indent: int = 0) -> list[Text]:
    """``text`` broken at spaces into lines of at most ``width`` cells; lines after the first
    are indented by ``indent`` (a hanging indent). A word longer than the room stands alone on
    its line rather than being split; the spacing between words on a line is kept."""
    return [line.text(rstrip=False) for line in _wrap(text, width, indent)]


def _longest_word(text: Text) -> int:
    return max((cell_len(match.group(2)) for match in _WORD.finditer(text.plain)), default=0)


def _wrapped_lines(text: Text, width: int, indent: int) -> list[Text]:
    """``text`` folded to ``width`` (at least 20) with a hanging indent, never padded."""
    return [line.text() for line in _wrap(text, max(width, 20), indent)]


def print_wrapped(console: Console, text: Text, indent: int = 4) -> None:
    """Print ``text`` folded to the console's width with a hanging indent, never padded."""
    _print_lines(console, _wrapped_lines(text, console.width, indent))


def _status_rows(scores: Scores, controls: bool = False) -> list[dict]:
    """One dict of cells per table row: the ally, then (with ``controls``) one per control."""
    rows = []
    for ally in scores.allies:
        rows.append({"holder": ally, "name": _t(ally.ally.name, "bold"), "flags": ally.flag_names})
        if controls:
            for pair in ally.controls:
                flags = list(pair.flag_names)
                if not pair.state.live:
                    flags.insert(0, str(pair.state.status))
                name = Text("└ ", style="dim") + _t(control_label(pair.control), "cyan")
                rows.append({"holder": pair, "name": name, "flags": flags, "control": True})
    return rows


@dataclass(frozen=True)
class Variant:
    """One way to lay the status table out: with or without the evidence counts, the flags in a
    column or on a line under their row."""

    counts: bool = True
    flags_column: bool = True

    @property
    def folding(self) -> tuple[int, ...]:
        """The columns that fold at word boundaries, in the order they give up room: the verdict
        (between the verdict and its coverage first), the flags (a flag name is never split),
        then the ally / control names. Others never wrap."""
        return (1, 3, 0) if self.flags_column else (1, 0)


def _cells(row: dict, v: Variant) -> list[Text]:
    holder = row["holder"]
    cells = [row["name"], verdict_text(holder), _t(holder.verdict_since or "—")]
    if v.flags_column:
        cells.append(_flags(row["flags"]))
    if v.counts:
        cells.append(_counts(holder.evidence))
    return cells


def _headers(v: Variant, rows: list[dict]) -> list[str]:
    """The column names; the first says "Ally / control" only when control rows are shown."""
    first = "Ally / control" if any(r.get("control") for r in rows) else "Ally"
    return (
        [first, "Verdict", "Since"]
        + (["Flags"] if v.flags_column else [])
        + (["Evidence"] if v.counts else [])
    )


def _indent(row: dict, column: int) -> int:
    """Where a cell starts within its column: control rows sit two cells under their ally (and
    fold two further in)."""
    return 2 if column == 0 and row.get("control") else 0


def _fold(row: dict, column: int, cell: Text, width: int, v: Variant) -> list[_Line]:
    pad = _indent(row, column)
    if column not in v.folding:
        return [_Line(" " * pad).append_text(cell)]
    if column == VERDICT_COLUMN and cell.cell_len > width - pad:
        return [
            _Line(" " * pad).append_text(piece)
            for unit in _halves(cell)
            for piece in _wrap(unit, width - pad, pad)
        ]
    return [_Line(" " * pad).append_text(piece) for piece in _wrap(cell, width - pad, pad)]


VERDICT_COLUMN = 1


def _halves(cell: Text) -> list[Text]:
    """A verdict cell's two halves, the verdict and its coverage, to fold between them."""
    head, sep, _ = cell.plain.partition(": ")
    if not sep:
        return [cell]
    return [cell[: len(head) + 1], cell[len(head) + 2 :]]


def _least(cell: Text, column: int) -> int:
    """The narrowest a folding cell can be: its longest word, or for the verdict its longest
    half (the verdict and its coverage are folded apart, never within)."""
    if column == VERDICT_COLUMN:
        return max(h.cell_len for h in _halves(cell))
    return _longest_word(cell)


def _layout(rows: list[dict], cells: list[list[Text]], width: int, v: Variant) -> list[int] | None:
    """Column widths that fit ``width``, folding the flags and then the names only as far as
    needed (None when even folded they do not fit)."""
    headers = _headers(v, rows)
    widths = [
        max([len(h)] + [_indent(r, c) + cs[c].cell_len for r, cs in zip(rows, cells, strict=True)])
        for c, h in enumerate(headers)
    ]
    for c in v.folding:
        over = len(MARGIN) + sum(widths) + len(GAP) * (len(widths) - 1) - width
        if over <= 0:
            break
        least = max(
            [len(headers[c])]
            + [2 * _indent(r, c) + _least(cs[c], c) for r, cs in zip(rows, cells, strict=True)]
        )
        widths[c] = max(least, widths[c] - over)
    total = len(MARGIN) + sum(widths) + len(GAP) * (len(widths) - 1)
    return widths if total <= width else None


def _table_lines(
    rows: list[dict],
    cells: list[list[Text]],
    widths: list[int],
    v: Variant,
    evidence: int,
    width: int,
) -> list[Text]:
    names = _headers(v, rows) + (["Decisive evidence"] if evidence else [])
    header = Text(MARGIN)
    for c, name in enumerate(names):
        header.append(name.ljust(widths[c]) if c < len(widths) else name, style="bold")
        header.append(GAP)
    header.rstrip()
    rule = sum(widths) + len(GAP) * (len(widths) - 1) + (len(GAP) + evidence if evidence else 0)
    lines = [header, Text(MARGIN + "─" * rule, style="dim")]
    for row, row_cells in zip(rows, cells, strict=True):
        columns: list[list] = [
            _fold(row, c, cell, widths[c], v) for c, cell in enumerate(row_cells)
        ]
        if evidence:
            columns.append([evidence_line(row["holder"].decisive, 10_000)])
        for i in range(max(len(col) for col in columns)):
            line = _Line(MARGIN)
            for c, col in enumerate(columns):
                used = 0
                if i < len(col):
                    line.append_text(col[i])
                    used = col[i].cell_len
                if c < len(columns) - 1:
                    line.append(" " * (widths[c] - used) + GAP)
            lines.append(line.text())
        if not v.flags_column and row["flags"]:
            under = len(MARGIN) + _indent(row, 0) + 2
            flags = Text(" " * under + "flags: ") + _flags(row["flags"])
            lines += wrap_text(flags, width, under + 2)
    return lines


def _evidence_fits(rows: list[dict], room: int) -> bool:
    return room >= 24 and all(
        evidence_line(r["holder"].decisive, 10_000).cell_len <= room for r in rows
    )


def _block_lines(rows: list[dict], width: int) -> list[Text]:
    """One line per ally and per control when no table fits, each field labelled and kept
    whole; a line that does not fit folds between fields, under its name."""
    lines: list[Text] = []
    for row in rows:
        holder = row["holder"]
        units = [row["name"], *_halves(verdict_text(holder))]
        if holder.verdict_since:
            units.append(Text(f"since {holder.verdict_since}"))
        units.append(Text("evidence ") + _counts(holder.evidence))
        units += [Text(f, style="magenta") for f in row["flags"]]
        indent = len(MARGIN) + (2 if row.get("control") else 0)
        line = Text(" " * indent)
        for i, unit in enumerate(units):
            sep = "" if i == 0 else " · "
            if i and line.cell_len + len(sep) + unit.cell_len > width:
                line.rstrip()
                lines.append(line)
                line = Text(" " * (indent + 4))
                sep = ""
            line.append(sep)
            line.append_text(unit)
        line.rstrip()
        lines.append(line)
    return lines


class _Lines:
    """Lines that are laid out already (no tab, no trailing space), rendered as they are:
    what rich renders for them one by one, without its wrapping pass, which would only split
    them and join them again."""

    def __init__(self, lines: list[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: object) -> Iterator[Segment]:
        yield from Text("\n").join(self.lines).render(console, end="\n")


def _print_lines(console: Console, lines: list[Text]) -> None:
    """Print laid-out lines in one call (the same output as a call per line)."""
    if lines:
        console.print(_Lines(lines), crop=False)


LAYOUTS = {
    Variant(): 0,
    Variant(flags_column=False): 6,
    Variant(counts=False): 20,
    Variant(counts=False, flags_column=False): 30,
}
"""The table variants and what each costs, in lines, against the full table: the variant with
the fewest lines plus cost wins, so a table moves the flags under their rows, then drops the
counts only to save real length (or to fit at all)."""


def status_lines(scores: Scores, width: int, controls: bool = False) -> tuple[list[Text], bool]:
    """The status table's lines for ``width`` cells, and whether the decisive evidence goes
    below it."""
    rows = _status_rows(scores, controls)
    best: tuple[int, list[Text], bool] | None = None
    for v, cost in LAYOUTS.items():
        if best is not None and 2 + len(rows) + cost >= best[0]:
            continue  # a header, a rule and a line per row could not beat the best so far
        cells = [_cells(r, v) for r in rows]
        widths = _layout(rows, cells, width, v)
        if widths is None:
            continue
        used = len(MARGIN) + sum(widths) + len(GAP) * len(widths)
        evidence = width - used if _evidence_fits(rows, width - used) else 0
        lines = _table_lines(rows, cells, widths, v, evidence, width)
        if best is None or len(lines) + cost < best[0]:
            best = (len(lines) + cost, lines, not evidence)
    if best is None:
        return _block_lines(rows, width), True
    return best[1], best[2]


def print_status(console: Console, scores: Scores, controls: bool = False) -> None:
    """The status at the console's width: one row per ally (and, with ``controls``, one per
    ally and control), verdict first with its coverage; no line past the width, none padded,
    no word or flag name split; the decisive evidence in the table when each ally's fits on one
    line, else below."""
    if not scores.allies:
        console.print(Text("No allies in the record."))
        return
    width = max(console.width, 40)
    out: list[Text] = []

    def wrapped(text: Text, indent: int = 4) -> None:
        out.extend(_wrapped_lines(text, console.width, indent))

    title = Text(f"Alignment with the initiator's controls as of {scores.as_of}")
    if scores.control or scores.scope:
        title.append(f" ({escape.one_line(scores.question)})")
    wrapped(title, 2)
    out.append(Text())
    lines, below = status_lines(scores, width, controls)
    out += lines
    if below:
        out += [Text(), Text("Decisive evidence", style="bold")]
        for ally in scores.allies:
            line = Text("  ") + _t(ally.ally.name, "bold")
            line.append(": ")
            line.append_text(evidence_line(ally.decisive, 10_000))
            wrapped(line, 4)
    out.append(Text())
    shown = {a.verdict for a in scores.allies}
    if controls:
        shown |= {p.verdict for a in scores.allies for p in a.controls}
    for verdict in (v for v in VERDICTS if v in shown):
        wrapped(Text(f"  {VERDICT_WORDS[verdict]}: {VERDICTS[verdict]}", style="dim"))
    used = sorted({f for a in scores.allies for f in a.flag_names})
    for name in used:
        wrapped(Text(f"  {name}: {FLAGS[Flag(name)]}", style="dim"))
    wrapped(
        Text(
            f"  Items: the items of {escape.one_line(scores.question)}; since: the day the "
            "verdict was first reached ('explain ALLY' names the items not in force).",
            style="dim",
        ),
    )
    if controls:
        wrapped(
            Text(
                "  └ rows: the ally's verdict on each initiator control (issuer, kind, "
                "first date); 'explain ALLY' shows their ids and evidence.",
                style="dim",
            ),
        )
    else:
        wrapped(Text("  --controls adds a row per ally and initiator control.", style="dim"))
    for ally in scores.allies:
        wrapped(Text("  " + escape.one_line(reviewed_line(ally)), style="dim"))
    _print_lines(console, out)


ITEM_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""The short names the matrix gives scope items, in the order they first appear (named in its
legend); past Z, two letters."""


def _code(i: int) -> str:
    if i < len(ITEM_CODES):
        return ITEM_CODES[i]
    return ITEM_CODES[i // len(ITEM_CODES) - 1] + ITEM_CODES[i % len(ITEM_CODES)]


def matrix_lines(scores: Scores, width: int) -> list[Text]:
    """Allies x scope items at ``width``: one row per ally (its name whole), one narrow column
    per item, headed by a letter that the legend below names, each cell the stage's glyph (the
    glyphs named in the legend); items that do not fit the width go to a further block of the
    same rows. No line is wider than ``width`` (where the longest name allows), none padded."""
    items: list[str] = []
    for ally in scores.allies:
        items += [i.item for i in ally.items if i.item not in items]
    codes = [_code(i) for i in range(len(items))]
    cell = max([len(c) for c in codes] + [1]) + 1
    names = [escape.one_line(a.ally.name) for a in scores.allies]
    name_width = max(cell_len(n) for n in names + ["Ally"])
    per_block = max(1, (width - len(MARGIN) - name_width - 1) // (cell + 1))
    stages = [{i.item: i.stage for i in ally.items} for ally in scores.allies]
    out: list[Text] = []
    out += _wrapped_lines(
        Text(
            f"Stage per scope item as of {scores.as_of} ({escape.one_line(scores.question)})",
            style="bold",
        ),
        width,
        2,
    )
    for start in range(0, len(items), per_block):
        block = range(start, min(start + per_block, len(items)))
        out.append(Text())
        head = _Line(MARGIN).append("Ally".ljust(name_width) + " ", "bold")
        for k in block:
            head.append(" " + codes[k].rjust(cell), "bold")
        out.append(head.text())
        for name, held in zip(names, stages, strict=True):
            line = (
                _Line(MARGIN).append(name, "bold").append(" " * (name_width - cell_len(name) + 1))
            )
            for k in block:
                stage = held.get(items[k])
                glyph = "-" if stage is None else STAGE_GLYPH[stage]
                line.append(" " + glyph.rjust(cell), "dim" if stage is None else STAGE_STYLE[stage])
            out.append(line.text())
    out.append(Text())
    for k, item in enumerate(items):
        out += _wrapped_lines(Text(f"  {codes[k]}: {escape.one_line(item)}", style="dim"), width, 6)
    units = [f"{STAGE_GLYPH[s]} {s}" for s in LADDER]
    units.append("-: the item is in no control scored here")
    out += [Text(line, style="dim") for line in _units(units, width, "  ", "; ")]
    return out


def _units(units: list[str], width: int, lead: str, sep: str) -> list[str]:
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


def print_matrix(console: Console, scores: Scores) -> None:
    """The coverage matrix at the console's width, laid out once and printed once."""
    if not scores.allies:
        console.print(Text("No allies in the record."))
        return
    _print_lines(console, matrix_lines(scores, max(console.width, 20)))


def _evidence_block(e: Evidence, role: RoleNote | None = None) -> Text:
    """One piece of evidence: date, tier, signal and the stage it supports; what it does; who;
    what; items; every source."""
    line = _t(e.date, "bold")
    if getattr(e.record, "date_note", None):
        line.append("*", style="dim")
    line.append(f"  {e.tier}  {e.signal}")
    if e.stage is not None:  # what it does is its role's, on the line below
        line.append(f" -> {e.stage}", style=STAGE_STYLE[e.stage] if e.counts else "dim")
    if role is not None:
        line.append("\n    ")
        line.append_text(role_text(role))
    if e.ahead:
        line.append(
            f"\n    ahead: dated {e.recorded}, before the control; counts from {e.date}",
            style="cyan",
        )
    if e.via:
        line.append(f"\n    via {escape.one_line(e.via)}", style="cyan")
    line.append("\n    ")
    line.append(escape.one_line(who(e)), style="bold")
    title = getattr(e.speaker, "title", None)
    if title:
        line.append(f", {escape.one_line(title)}")
    line.append("\n    " + escape.one_line(escape.reader_text(e.summary)))
    quote = getattr(e.record, "quote", None)
    if quote:
        line.append("\n    “" + escape.one_line(quote) + "”", style="italic")
    line.append(f"\n    items: {escape.one_line(', '.join(sorted(e.items)))}", style="dim")
    cited = []
    for source in e.sources:
        text = getattr(source, "publisher", None) or getattr(source, "title", "") or ""
        published = getattr(source, "published", None)
        if published is not None:
            text += f", {published}"
        tier = getattr(source, "tier", None)  # a statement's source; a measure's has none
        if tier is not None and len(e.sources) > 1:
            text += f", {tier}"
        if source.kind is not None:
            text += f" ({source.kind}" + (f" of {source.copy_of}" if source.copy_of else "") + ")"
        cited.append(text)
    line.append(
        f"\n    [{escape.one_line(e.id)}] " + escape.one_line("; ".join(cited)), style="dim"
    )
    for source in e.sources:
        url = getattr(source, "url", None)
        document = getattr(source, "document", None)
        if url:
            line.append("\n      " + escape.one_line(url), style="blue")
        if document:
            line.append("\n      archived: " + escape.one_line(document), style="dim")
    return line


def _verdict_head(holder) -> Text:
    """The verdict first, with its coverage and since, then the furthest stage on the ladder."""
    head = verdict_text(holder)
    head.stylize("bold")
    if holder.verdict_since:
        head.append(f" since {holder.verdict_since}")
    return head


def explain(score: AllyScore, as_of, question: str = "every live initiator control") -> Group:
    parts: list = []
    head = Text()
    head.append(escape.one_line(score.ally.name), style="bold")
    head.append(": ")
    head.append_text(_verdict_head(score))
    head.append(f" (as of {as_of})", style="dim")
    parts.append(head)
    parts.append(Text(f"  {VERDICT_WORDS[score.verdict]}: {VERDICTS[score.verdict]}", style="dim"))
    furthest = Text("  furthest stage: ")
    furthest.append_text(ladder(score.stage))
    furthest.append(f" since {score.since}" if score.since else "")
    parts.append(furthest)
    parts.append(Text(f"  {score.stage}: {STAGES[score.stage]}", style="dim"))
    cover = score.coverage
    line = Text(f"  {cover.phrase}, measured over {escape.one_line(question)}")
    if cover.missing:
        line.append("; not in force: " + escape.one_line(", ".join(cover.missing)))
    parts.append(line)
    parts.append(Text("  " + escape.one_line(reviewed_line(score)), style="dim"))
    rule = Text("\nRule: ", style="bold")
    if score.decisive is not None:
        e = score.decisive
        rule.append(
            f"the highest stage supported by official_text or on_record evidence is "
            f"{score.stage}, first reached on {e.date} by "
        )
        rule.append(escape.one_line(e.id), style="cyan")
        rule.append(f" ({escape.one_line(who(e))}, {e.tier})")
        if e.ahead:
            rule.append(f"; the measure is dated {e.recorded}, before the control it answers")
        if e.record.date_note if hasattr(e.record, "date_note") else False:
            rule.append(f"\n  date note: {escape.one_line(e.record.date_note)}", style="dim")
    else:
        rule.append("no official_text or on_record evidence moves this ally off 'none'.")
    parts.append(rule)
    if score.flags:
        parts.append(Text("\nFlags:", style="bold"))
        for f in score.flags:
            line = Text(f"  {f.flag}", style="magenta")
            line.append(f": {FLAGS[f.flag]} — {escape.one_line(f.reason)}")
            if f.shown_because:
                line.append(f"\n    shown because {escape.one_line(f.shown_because)}")
            parts.append(line)
    for pair in score.controls:
        title = Text("\nEvidence on ", style="bold")
        title.append(escape.one_line(pair.control.id), style="bold cyan")
        title.append(" — ")
        title.append_text(_verdict_head(pair))
        title.append("; furthest ")
        title.append_text(ladder(pair.stage))
        if pair.since:
            title.append(f" since {pair.since}")
        parts.append(title)
        if pair.state.events or pair.state.unknown_after is not None:
            parts.append(Text("  " + escape.one_line(pair.state.phrase_with(str)), style="magenta"))
        if not pair.state.live:
            parts.append(
                Text("  it does not bind now: not counted in the headline", style="magenta")
            )
        if pair.coverage.missing:
            parts.append(
                Text(
                    "  not in force: " + escape.one_line(", ".join(pair.coverage.missing)),
                    style="dim",
                )
            )
        if pair.evidence:
            parts.extend(_evidence_block(e, pair.role_of(e)) for e in pair.evidence)
        else:
            parts.append(Text("  no evidence", style="dim"))
    parts.append(Text("\nWhat would move it:", style="bold"))
    if score.verdict is not Verdict.IN_FORCE and score.coverage.missing:
        parts.append(
            Text(
                "  the items not yet in force: "
                + escape.one_line(", ".join(score.coverage.missing))
            )
        )
    step = next_step(score.stage)
    if step:
        parts.append(Text(f"  the next stage: {step}"))
    if score.verdict is Verdict.IN_FORCE:
        parts.append(Text(f"  nothing: every item is {VERDICT_WORDS[Verdict.IN_FORCE]}."))
    if any(getattr(e.record, "date_note", None) for e in score.evidence):
        parts.append(
            Text("* the date carries a note (inferred or partial); see the record.", style="dim")
        )
    return Group(*parts)


def shorten_words(text: str, width: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``width`` cells with an ellipsis
    (never inside a word; a first word longer than the room stands whole)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 0)]
    cut = cut[: cut.rindex(" ")] if " " in cut else text.split(" ", 1)[0]
    return cut.rstrip(" ,;:·") + "…"


def explain_lines(explained: Group, width: int) -> list[Text]:
    """The evidence chain folded to ``width``, each line with a hanging indent (two cells past
    its own indent), never padded."""
    out: list[Text] = []
    for part in explained.renderables:
        text = part if isinstance(part, Text) else Text(str(part))
        for line in text.split("\n", allow_blank=True):
            lead = len(line.plain) - len(line.plain.lstrip(" "))
            if not line.plain.strip():
                out.append(Text())
                continue
            out.extend(_wrapped_lines(line, width, lead + 2))
    return out


def print_explain(console: Console, explained: Group) -> None:
    """The evidence chain laid out once for the console's width and printed once."""
    _print_lines(console, explain_lines(explained, console.width))


def _verdict_change_line(v: VerdictChange) -> Text:
    line = Text(f"  {str(v.recorded):10}  ")
    line.append(
        f"verdict {VERDICT_WORDS[v.before]} -> {verdict_words(v.after, v.in_force, v.total)}",
        style=VERDICT_STYLE[v.after],
    )
    return line


def timeline(
    console: Console,
    rows: list[tuple[AllyScore, list[Transition], list[VerdictChange]]],
    changes: list[LifecycleChange] = (),  # type: ignore[assignment]
) -> None:
    """Each change on one line (date, change), stage and verdict changes in date order, the
    evidence under a stage change, its id first (so an id never stands alone on a line), with a
    hanging indent; the summary cut at a word boundary to the width. Laid out once, printed
    once."""
    width = max(console.width, 40)
    out: list[Text] = []

    def wrapped(text: Text, indent: int) -> None:
        out.extend(_wrapped_lines(text, console.width, indent))

    if changes:
        out.append(Text("Initiator controls", style="bold"))
        for ch in changes:
            line = Text(f"  {str(ch.event.date):10}  ")
            line.append(f"{ch.event.event}", style="magenta")
            line.append(f" {escape.one_line(ch.control.id)}", style="cyan")
            if ch.event.until is not None:
                line.append(f" until {ch.event.until}")
            wrapped(line, 14)
            summary = escape.one_line(
                shorten_words(escape.reader_text(ch.event.summary), 2 * (width - 14))
            )
            wrapped(Text(" " * 14 + summary, style="dim"), 14)
    for score, transitions, verdicts in rows:
        out.append(_t(score.ally.name, "bold"))
        now = Text("  now ")
        now.append_text(verdict_text(score))
        if score.verdict_since:
            now.append(f" since {score.verdict_since}")
        now.append(f"; furthest stage {score.stage}; ")
        now.append(escape.one_line(reviewed_line(score).split(": ", 1)[1]))
        now.stylize("dim")
        wrapped(now, 4)
        if not transitions and not verdicts:
            out.append(Text("  no stage or verdict change on record", style="dim"))
        events: list[tuple[date, int, Transition | VerdictChange]] = [
            (t.date, 0, t) for t in transitions
        ]
        events += [(v.date, 1, v) for v in verdicts]
        for _, _, tr in sorted(events, key=lambda e: (e[0], e[1])):
            if isinstance(tr, VerdictChange):
                wrapped(_verdict_change_line(tr), 14)
                continue
            line = Text(f"  {str(tr.recorded):10}  ")
            line.append(f"{tr.before} -> {tr.after}", style=STAGE_STYLE[tr.after])
            wrapped(line, 14)
            if tr.evidence is not None:
                e = tr.evidence
                under = 14 if width >= 80 else 4
                said = Text(" " * under + f"[{escape.one_line(e.id)}] ", style="dim")
                said.append_text(_t(who(e), "bold"))
                if e.ahead:
                    said.append(f" (dated {e.recorded}, before the control; counts from {e.date})")
                room = width - said.cell_len - 2
                said.append(
                    ": "
                    + escape.one_line(shorten_words(escape.reader_text(e.summary), max(room, 20)))
                )
                wrapped(said, under + 2)
    _print_lines(console, out)


LISTING_COLUMNS = {
    "allies": ("id", "name", "reviewed"),
    "actors": ("id", "name", "kind", "role"),
    "controls": ("id", "issuer", "kind", "date", "title"),
    "scope": ("id", "name"),
    "statements": ("id", "date", "speaker", "about", "signal", "summary"),
}
"""The columns ``list`` shows on a terminal (the JSON and CSV carry every field)."""


def print_listing(console: Console, kind: str, rows: list[dict]) -> None:
    """The ids of a listing, one line each, the id first; the last column folds with a hanging
    indent under itself, never past the width."""
    if not rows:
        console.print(Text(f"no {kind} match"))
        return
    columns = LISTING_COLUMNS[kind]
    widths = [max(len(escape.one_line(r.get(c) or "—")) for r in rows) for c in columns[:-1]]
    indent = sum(w + 2 for w in widths)
    for row in rows:
        head = "".join(
            escape.one_line(row.get(c) or "—").ljust(w + 2)
            for c, w in zip(columns, widths, strict=False)
        )
        last = escape.one_line(escape.reader_text(row.get(columns[-1]) or "—"))
        width = max(console.width, indent + 20)
        for i, piece in enumerate(wrap_words(last, width - indent) or [""]):
            line = Text((head if i == 0 else " " * indent) + piece)
            line.stylize("bold", 0, len(escape.one_line(row["id"])) if i == 0 else 0)
            console.print(line, soft_wrap=True, crop=False)


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


# --- any terminal ---------------------------------------------------------------------------------

ASCII = {
    "■": "#",
    "□": ".",
    "└": "`",
    "─": "-",
    "—": "-",
    "–": "-",
    "·": "-",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "→": "->",
    "×": "x",
    "✓": "v",
    "●": "*",
    "○": "o",
    "◐": "~",
}
"""The tool's glyphs and their ASCII stand-ins, for a stream that cannot encode them."""

FALLBACK = "export_alignment_ascii"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(ASCII.get(ch, "?") for ch in bad), error.end


def ascii_fallback(*streams) -> None:
    """Let each text stream that cannot encode every character write the tool's glyphs as ASCII
    (and anything else it cannot encode as ``?``) instead of failing: a cp1252 or ASCII console
    gets a readable table, never a UnicodeEncodeError."""
    import codecs

    try:
        codecs.lookup_error(FALLBACK)
    except LookupError:
        codecs.register_error(FALLBACK, _fallback)
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding.startswith("utf") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors=FALLBACK)
        except (AttributeError, ValueError, OSError):
            continue


# --- progress -------------------------------------------------------------------------------------


@contextmanager
def progress(label: str, console: Console | None = None, delay: float = 1.0) -> Iterator[None]:
    """A spinner with ``label`` on stderr while the block runs, shown only when it has run for
    ``delay`` seconds, and only on a terminal: never in a pipe, a log or CI (``$CI`` set)."""
    console = console or Console(stderr=True)
    if not console.is_terminal or os.environ.get("CI"):
        yield
        return
    status = console.status(Text(label), spinner="line")
    lock = threading.Lock()
    state = {"done": False}

    def show() -> None:
        with lock:
            if not state["done"]:
                status.start()

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            status.stop()


@contextmanager
def progress_bar(
    label: str, total: int, console: Console | None = None
) -> Iterator[Callable[[str], None]]:
    """A bar with counts (``label  12/139``) on stderr while the block runs, advanced by the
    function it yields; only on a terminal, never in a pipe, a log or CI (``$CI`` set)."""
    console = console or Console(stderr=True)
    if not console.is_terminal or os.environ.get("CI") or total <= 0:
        yield lambda name: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task(label, total=total)
    lock = threading.Lock()

    def advance(name: str) -> None:  # noqa: ARG001 - the item's name, unused by the bar
        with lock:
            bar.advance(task)

    with bar:
        yield advance
