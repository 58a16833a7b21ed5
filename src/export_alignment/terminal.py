"""Scores rendered for a terminal: the status table, the explained evidence chain, the timeline.

Also the coverage matrix and the ``list`` listing. The layout (folding, tables) is
``textlayout``'s and the console policy (no markup, untrusted text escaped, laid-out lines printed
once) is ``console``'s: every string from the data goes in as rich ``Text`` through ``safe_text``
or ``escape``, so a ``[bold]`` in a summary prints as ``[bold]`` and no control character reaches
the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from rich.console import Console, Group
from rich.text import Text

from export_alignment import escape
from export_alignment.console import ascii_fallback as ascii_fallback  # re-exported for cli
from export_alignment.console import print_lines, safe_text
from export_alignment.console import progress as progress  # re-exported for cli
from export_alignment.console import progress_bar as progress_bar  # re-exported for cli
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
    PairScore,
    Role,
    RoleNote,
    Scores,
    Stage,
    Transition,
    Verdict,
    VerdictChange,
    next_step,
)
from export_alignment.textlayout import (
    MARGIN,
    Column,
    Layout,
    Row,
    best_table,
    column_lines,
    grid_lines,
    hanging_lines,
    join_texts,
    join_units,
    shorten,
    shorten_words,
    split_parts,
    wrapped_lines,
)
from export_alignment.views.listing import TERMINAL_COLUMNS, ListingRow
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


def verdict_text(holder: AllyScore | PairScore) -> Text:
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


def who(e: Evidence) -> str:
    if e.speaker is None:
        return e.record.id
    return e.speaker.name


def evidence_line(e: Evidence | None, width: int = 60) -> Text:
    if e is None:
        return Text("—", style="dim")
    text = safe_text(who(e), "bold")
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
# The table is laid out by hand (``textlayout``) rather than by rich's Table: every line is built
# to fit the width, words (and flag names) are never split, and no line carries trailing padding.
# Each variant in LAYOUTS is tried, the decisive evidence in a last column when each ally's fits
# on one line (otherwise below the table); the one with the fewest lines plus its cost wins, and
# when none fits, one block per ally.


@dataclass(frozen=True)
class _StatusRow:
    """A row of the status table: an ally, or (``control``) one of its controls."""

    holder: AllyScore | PairScore
    name: Text
    flags: list[str]
    control: bool = False


def _status_rows(scores: Scores, controls: bool = False) -> list[_StatusRow]:
    """The table's rows: the ally, then (with ``controls``) one per control."""
    rows = []
    for ally in scores.allies:
        rows.append(_StatusRow(ally, safe_text(ally.ally.name, "bold"), ally.flag_names))
        if controls:
            for pair in ally.controls:
                flags = list(pair.flag_names)
                if not pair.state.live:
                    flags.insert(0, str(pair.state.status))
                name = Text("└ ", style="dim") + safe_text(control_label(pair.control), "cyan")
                rows.append(_StatusRow(pair, name, flags, control=True))
    return rows


@dataclass(frozen=True)
class Variant:
    """One way to lay the status table out: with or without the evidence counts, the flags in a
    column or on a line under their row."""

    counts: bool = True
    flags_column: bool = True

    def columns(self, rows: list[_StatusRow]) -> list[Column]:
        """The columns; the first says "Ally / control" only when control rows are shown. The
        verdict folds first (between the verdict and its coverage first), then the flags (a flag
        name is never split), then the ally / control names; others never fold."""
        first = "Ally / control" if any(r.control for r in rows) else "Ally"
        columns = [Column(first, folds=3), Column("Verdict", folds=1, parts=": "), Column("Since")]
        if self.flags_column:
            columns.append(Column("Flags", folds=2))
        if self.counts:
            columns.append(Column("Evidence"))
        return columns

    def layout(self, rows: list[_StatusRow]) -> Layout:
        """The table's columns and cells; control rows sit two cells under their ally (and fold
        two further in); without a flags column, a row's flags go on a line under it."""
        table = []
        for row in rows:
            holder = row.holder
            cells = [row.name, verdict_text(holder), safe_text(holder.verdict_since or "—")]
            note = None
            if self.flags_column:
                cells.append(_flags(row.flags))
            elif row.flags:
                note = Text("flags: ") + _flags(row.flags)
            if self.counts:
                cells.append(_counts(holder.evidence))
            table.append(Row(cells, indent=2 if row.control else 0, note=note))
        return Layout(self.columns(rows), table)


def _block_lines(rows: list[_StatusRow], width: int) -> list[Text]:
    """One line per ally and per control when no table fits, each field labelled and kept
    whole; a line that does not fit folds between fields, under its name."""
    lines: list[Text] = []
    for row in rows:
        holder = row.holder
        units = [row.name, *split_parts(verdict_text(holder), ": ")]
        if holder.verdict_since:
            units.append(Text(f"since {holder.verdict_since}"))
        units.append(Text("evidence ") + _counts(holder.evidence))
        units += [Text(f, style="magenta") for f in row.flags]
        indent = len(MARGIN) + (2 if row.control else 0)
        lines += join_texts(units, width, indent, " · ", 4)
    return lines


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
    layouts = [(cost, partial(v.layout, rows)) for v, cost in LAYOUTS.items()]
    evidence = [evidence_line(r.holder.decisive, 10_000) for r in rows]
    table = best_table(layouts, width, evidence, "Decisive evidence")
    return table if table is not None else (_block_lines(rows, width), True)


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
        out.extend(wrapped_lines(text, console.width, indent))

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
            line = Text("  ") + safe_text(ally.ally.name, "bold")
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
    print_lines(console, out)


ITEM_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""The short names the matrix gives scope items, in the order they first appear (named in its
legend); past Z, two letters."""


def _code(i: int) -> str:
    if i < len(ITEM_CODES):
        return ITEM_CODES[i]
    return ITEM_CODES[i // len(ITEM_CODES) - 1] + ITEM_CODES[i % len(ITEM_CODES)]


def _glyph(stage: Stage | None) -> tuple[str, str]:
    """A matrix cell: the stage's glyph and style; ``-`` where the item is in no control."""
    return ("-", "dim") if stage is None else (STAGE_GLYPH[stage], STAGE_STYLE[stage])


def matrix_lines(scores: Scores, width: int) -> list[Text]:
    """Allies x scope items at ``width``: one row per ally (its name whole), one narrow column
    per item, headed by a letter that the legend below names, each cell the stage's glyph (the
    glyphs named in the legend); items that do not fit the width go to a further block of the
    same rows. No line is wider than ``width`` (where the longest name allows), none padded."""
    items: list[str] = []
    for ally in scores.allies:
        items += [i.item for i in ally.items if i.item not in items]
    codes = [_code(i) for i in range(len(items))]
    stages = [{i.item: i.stage for i in ally.items} for ally in scores.allies]
    cells = [[_glyph(held.get(item)) for item in items] for held in stages]
    names = [escape.one_line(a.ally.name) for a in scores.allies]
    title = f"Stage per scope item as of {scores.as_of} ({escape.one_line(scores.question)})"
    out = wrapped_lines(Text(title, style="bold"), width, 2)
    out += grid_lines("Ally", names, codes, cells, width)
    out.append(Text())
    for k, item in enumerate(items):
        out += wrapped_lines(Text(f"  {codes[k]}: {escape.one_line(item)}", style="dim"), width, 6)
    units = [f"{STAGE_GLYPH[s]} {s}" for s in LADDER]
    units.append("-: the item is in no control scored here")
    out += [Text(line, style="dim") for line in join_units(units, width, "  ", "; ")]
    return out


def print_matrix(console: Console, scores: Scores) -> None:
    """The coverage matrix at the console's width, laid out once and printed once."""
    if not scores.allies:
        console.print(Text("No allies in the record."))
        return
    print_lines(console, matrix_lines(scores, max(console.width, 20)))


def _evidence_block(e: Evidence, role: RoleNote | None = None) -> Text:
    """One piece of evidence: date, tier, signal and the stage it supports; what it does; who;
    what; items; every source."""
    line = safe_text(e.date, "bold")
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


def _verdict_head(holder: AllyScore | PairScore) -> Text:
    """The verdict first, with its coverage and since, then the furthest stage on the ladder."""
    head = verdict_text(holder)
    head.stylize("bold")
    if holder.verdict_since:
        head.append(f" since {holder.verdict_since}")
    return head


def explain(score: AllyScore, as_of: date, question: str = "every live initiator control") -> Group:
    """Why the ally stands where it does: the verdict and the furthest stage with their
    definitions, the rule that set the stage, the flags, the evidence on each control with what
    each piece does, and what would move the verdict."""
    parts: list[Text] = []
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
            parts.append(safe_text("  " + pair.state.phrase_with(str), "magenta"))
        if not pair.state.live:
            parts.append(
                Text("  it does not bind now: not counted in the headline", style="magenta")
            )
        if pair.coverage.missing:
            parts.append(safe_text("  not in force: " + ", ".join(pair.coverage.missing), "dim"))
        if pair.evidence:
            parts.extend(_evidence_block(e, pair.role_of(e)) for e in pair.evidence)
        else:
            parts.append(Text("  no evidence", style="dim"))
    parts.append(Text("\nWhat would move it:", style="bold"))
    if score.verdict is not Verdict.IN_FORCE and score.coverage.missing:
        parts.append(
            safe_text("  the items not yet in force: " + ", ".join(score.coverage.missing))
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


def explain_lines(explained: Group, width: int) -> list[Text]:
    """The evidence chain folded to ``width``, each line with a hanging indent (two cells past
    its own indent), never padded."""
    parts = explained.renderables
    return hanging_lines([p if isinstance(p, Text) else Text(str(p)) for p in parts], width)


def print_explain(console: Console, explained: Group) -> None:
    """The evidence chain laid out once for the console's width and printed once."""
    print_lines(console, explain_lines(explained, console.width))


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
    changes: Sequence[LifecycleChange] = (),
) -> None:
    """Each change on one line (date, change), stage and verdict changes in date order, the
    evidence under a stage change, its id first (so an id never stands alone on a line), with a
    hanging indent; the summary cut at a word boundary to the width. Laid out once, printed
    once."""
    width = max(console.width, 40)
    out: list[Text] = []

    def wrapped(text: Text, indent: int) -> None:
        out.extend(wrapped_lines(text, console.width, indent))

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
        out.append(safe_text(score.ally.name, "bold"))
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
                said.append_text(safe_text(who(e), "bold"))
                if e.ahead:
                    said.append(f" (dated {e.recorded}, before the control; counts from {e.date})")
                room = width - said.cell_len - 2
                said.append(
                    ": "
                    + escape.one_line(shorten_words(escape.reader_text(e.summary), max(room, 20)))
                )
                wrapped(said, under + 2)
    print_lines(console, out)


def print_listing(console: Console, kind: str, rows: list[ListingRow]) -> None:
    """The ids of a listing, one line each, the id first; the last column folds with a hanging
    indent under itself, never past the width."""
    if not rows:
        console.print(Text(f"no {kind} match"))
        return
    columns = TERMINAL_COLUMNS[kind]
    cells = [
        [escape.one_line(row.get(c) or "—") for c in columns[:-1]]
        + [escape.one_line(escape.reader_text(row.get(columns[-1]) or "—"))]
        for row in rows
    ]
    print_lines(console, column_lines(cells, console.width))
