"""Problems rendered as text, JSON or GitHub Actions workflow commands; one type, every format."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from export_alignment import escape
from export_alignment.console import print_lines
from export_alignment.escape import dumps
from export_alignment.problems import Level, Problem


def problems_json(problems: Sequence[Problem]) -> str:
    ok = not any(p.is_error for p in problems)
    return dumps({"ok": ok, "problems": [p.as_dict() for p in problems]})


GITHUB_ANNOTATIONS = 10
"""How many annotations of one kind (error, warning) GitHub shows for a step; the rest are
listed in the log but never shown on the pull request."""


def _github_command(p: Problem) -> str:
    command = "error" if p.level is Level.ERROR else "warning"
    props = (
        f"file={escape.github_property(p.path)},line={p.line},col={p.column},"
        f"title={escape.github_property(p.rule)}"
    )
    return f"::{command} {props}::{escape.github_data(p.message)}"


def problems_github(problems: Sequence[Problem], first: Sequence[str] = ()) -> str:
    """The problems as workflow commands, the ones GitHub will show first: errors, then
    warnings in the files ``first`` names (the changed files, when the caller knows them), then
    the other warnings, each kind up to ``GITHUB_ANNOTATIONS``; what is left is summarised in
    one ``::notice`` so it is never silently dropped."""
    wanted = {_norm(f) for f in first}
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    warnings.sort(key=lambda p: _norm(p.path) not in wanted)  # stable: by position within
    shown = errors[:GITHUB_ANNOTATIONS] + warnings[:GITHUB_ANNOTATIONS]
    lines = [_github_command(p) for p in shown]
    left_errors = len(errors) - len(errors[:GITHUB_ANNOTATIONS])
    left_warnings = len(warnings) - len(warnings[:GITHUB_ANNOTATIONS])
    if left_errors or left_warnings:
        parts = []
        if left_errors:
            parts.append(f"{left_errors} more error{'s' * (left_errors != 1)}")
        if left_warnings:
            parts.append(f"{left_warnings} more warning{'s' * (left_warnings != 1)}")
        lines.append(
            f"::notice title=validate::{' and '.join(parts)} not annotated (GitHub shows "
            f"{GITHUB_ANNOTATIONS} of each kind per step); listed below in the step's log"
        )
        rest = errors[GITHUB_ANNOTATIONS:] + warnings[GITHUB_ANNOTATIONS:]
        lines += [problem_line(p).plain for p in rest]
    return "\n".join(lines)


def _norm(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def only_files(problems: Sequence[Problem], files: Sequence[str]) -> list[Problem]:
    """The problems located in the files named (a file is named by any path to it)."""
    wanted = {_norm(f) for f in files}
    return [p for p in problems if _norm(p.path) in wanted]


def without_warnings(problems: Sequence[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


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
    """One line per problem, printed as laid-out lines are (``console.print_lines``: a print
    per line costs the console's whole rendering each time)."""
    print_lines(console, [problem_line(p) for p in problems])


def summary_line(problems: Sequence[Problem], records: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"ok: {records} records, no problems"
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {records} valid records"
    )
