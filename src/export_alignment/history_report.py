"""A comparison (``history.compare``) rendered as plain text, Markdown for a pull-request comment,
or JSON. Every string from the data is escaped for where it goes: ``escape.one_line`` for text,
``markdown_text`` for Markdown; JSON is JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from export_alignment import escape
from export_alignment.escape import dumps
from export_alignment.report import problem_line

if TYPE_CHECKING:  # annotations only: ``diff`` imports history itself
    from export_alignment.history import Comparison, StageChange
    from export_alignment.problems import Problem
    from export_alignment.views.changes import StageState

markdown_text = escape.markdown


def _stage(state: StageState | None, with_coverage: bool = True) -> str:
    if state is None:
        return "absent"
    since = f" since {state.since}" if state.since else ""
    coverage = f" ({state.coverage})" if state.coverage and with_coverage else ""
    return state.stage + since + coverage


def _headline(state: StageState | None) -> str:
    """The verdict with its coverage (the headline every output leads with)."""
    if state is None:
        return "absent"
    return state.headline or state.stage


def _flag_delta(change: StageChange) -> str:
    parts = [f"+{f}" for f in change.flags_added] + [f"-{f}" for f in change.flags_removed]
    return " ".join(parts)


def _heading(c: Comparison) -> str:
    to = "working tree" if c.to is None else f"{c.to} ({(c.to_commit or '')[:12]})"
    return f"{c.rev} ({c.commit[:12]}) -> {to}, as of {c.as_of.isoformat()}"


def text(c: Comparison) -> str:
    """Plain lines for a terminal or a log."""
    lines = [f"Stages: {escape.one_line(_heading(c))}"]
    if not c.allies:
        lines.append("  no verdict, coverage, stage or flag changes")
    for a in c.allies:
        lines.append(_text_line(a.ally, "  ", named=True))
        lines.extend(_text_line(p, "      ") for p in a.controls)
    lines.append("Records:")
    if not any(c.records.values()):
        lines.append("  no records added, removed or changed")
    for name, r in c.records.items():
        for label, ids in (("added", r.added), ("removed", r.removed), ("changed", r.changed)):
            if ids:
                lines.append(f"  {name} {label}: {escape.one_line(', '.join(ids))}")
    if c.old_problems:
        lines.append(
            f"note: the data at {escape.one_line(c.rev)} has {len(c.old_problems)} "
            "error(s); its stages come from its valid records only"
        )
        shown, more = _old_problems(c)
        lines += [f"  {problem_line(p).plain}" for p in shown]
        if more:
            lines.append(f"  and {more} more")
    return "\n".join(lines)


OLD_PROBLEMS_SHOWN = 5
"""The revision's errors a text or Markdown comparison lists (JSON lists them all)."""


def _old_problems(c: Comparison) -> tuple[list[Problem], int]:
    """The revision's errors to list (each as ``validate`` writes it) and how many are left."""
    shown = c.old_problems[:OLD_PROBLEMS_SHOWN]
    return shown, len(c.old_problems) - len(shown)


def _text_line(change: StageChange, indent: str, named: bool = False) -> str:
    """The verdict and coverage first (before -> after, or unchanged), then the stage."""
    line = f"{indent}{change.id}" + (f" ({change.name})" if named else "") + ": "
    if change.headline_changed:
        line += f"{_headline(change.before)} -> {_headline(change.after)}"
    else:
        line += f"{_headline(change.after)} (unchanged)" if change.after else "absent"
    if change.stage_changed:
        line += f"; stage {_stage(change.before, False)} -> {_stage(change.after, False)}"
    elif change.after:
        line += f"; stage {_stage(change.after, False)} (unchanged)"
    if delta := _flag_delta(change):
        line += f"; flags {delta}"
    return escape.one_line(line)


def markdown(c: Comparison) -> str:
    """A pull-request comment: a table of ally changes, per-control rows, and records."""
    md = markdown_text
    lines = [
        "### Export alignment: what this change does to the verdicts and stages",
        "",
        f"Compared with {md(c.rev)} ({md(c.commit[:12])}), as of {md(c.as_of.isoformat())}.",
        "",
    ]
    if not c.allies:
        lines += ["No verdict, coverage, stage or flag changes.", ""]
    else:
        lines += [
            "| Ally | Control | Before | After | Flags | Stage |",
            "|---|---|---|---|---|---|",
        ]
        for a in c.allies:
            lines.append(
                _md_row(f"**{md(a.ally.name)}** ({md(a.ally.id)})", "all (headline)", a.ally)
            )
            for p in a.controls:
                lines.append(_md_row("", md(p.id), p))
        lines.append("")
    changed = [(name, r) for name, r in c.records.items() if r]
    if not changed:
        lines.append("No records added, removed or changed.")
    else:
        lines += ["| File | Added | Removed | Changed |", "|---|---|---|---|"]
        for name, r in changed:
            lines.append(
                f"| {md(name)} | {_ids(r.added)} | {_ids(r.removed)} | {_ids(r.changed)} |"
            )
    if c.old_problems:
        lines += [
            "",
            f"Note: the data at {md(c.rev)} has {len(c.old_problems)} error(s); its "
            "stages come from its valid records only.",
            "",
        ]
        shown, more = _old_problems(c)
        lines += [f"- {md(problem_line(p).plain)}" for p in shown]
        if more:
            lines.append(f"- and {more} more")
    return "\n".join(lines) + "\n"


def _ids(ids: list[str]) -> str:
    return ", ".join(markdown_text(i) for i in ids) or "—"


def _md_row(ally: str, control: str, change: StageChange) -> str:
    """Before and after: the verdict with its coverage; the stage in its own column."""
    before = markdown_text(_headline(change.before))
    after = markdown_text(_headline(change.after))
    if change.headline_changed:
        after = f"**{after}**"
    flags = markdown_text(_flag_delta(change)) or "—"
    return f"| {ally} | {control} | {before} | {after} | {flags} | {_stage_cell(change)} |"


def _stage_cell(change: StageChange) -> str:
    before = markdown_text(_stage(change.before, False))
    after = markdown_text(_stage(change.after, False))
    return f"{before} → {after}" if change.stage_changed else f"{after} (unchanged)"


def to_json(c: Comparison) -> str:
    """JSON as ``escape.dumps`` writes it: C1 controls and bidi overrides as \\u escapes."""
    return dumps(c.as_dict())


RENDERERS = {"text": text, "markdown": markdown, "json": to_json}
