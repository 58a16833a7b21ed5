"""Problems rendered as text, JSON or GitHub Actions workflow commands; one type, every format."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from export_alignment import escape
from export_alignment.escape import dumps
from export_alignment.problems import Level, Problem


def problems_json(problems: Sequence[Problem]) -> str:
    ok = not any(p.is_error for p in problems)
    return dumps({"ok": ok, "problems": [p.as_dict() for p in problems]})


def problems_github(problems: Sequence[Problem]) -> str:
    lines = []
    for p in problems:
        command = "error" if p.level is Level.ERROR else "warning"
        props = (
            f"file={escape.github_property(p.path)},line={p.line},col={p.column},"
            f"title={escape.github_property(p.rule)}"
        )
        lines.append(f"::{command} {props}::{escape.github_data(p.message)}")
    return "\n".join(lines)


def problem_line(p: Problem) -> Text:
    """``path:line:col: level rule-id message`` as text (never markup), coloured on a terminal."""
    text = Text()
    text.append(f"{escape.one_line(p.path)}:{p.line}:{p.column}:", style="bold")
    text.append(" ")
    text.append(str(p.level), style="red" if p.level is Level.ERROR else "yellow")
    text.append(" ")
    text.append(p.rule, style="cyan")
    text.append(" ")
    text.append(escape.one_line(p.message))
    return text


def print_problems(console: Console, problems: Sequence[Problem]) -> None:
    for p in problems:
        console.print(problem_line(p), soft_wrap=True, highlight=False)


def summary_line(problems: Sequence[Problem], records: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"ok: {records} records, no problems"
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {records} valid records"
    )
