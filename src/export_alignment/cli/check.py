"""Checking the record: ``validate`` (YAML, schema and cross-file rules, as text, JSON or GitHub
workflow commands) and ``schema`` (the JSON Schemas editors check the data files with)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from export_alignment import console, escape, report
from export_alignment.checks import Validation, validate
from export_alignment.cli import output, params
from export_alignment.cli.params import DataOption, TodayOption
from export_alignment.datadir import Located, locate
from export_alignment.errors import ExitStatus, UsageError
from export_alignment.problems import Problem

commands = params.Commands(rich_markup_mode=None)
"""This family's commands, in the order of the app's help."""


@dataclass(frozen=True)
class Findings:
    """What ``validate`` reports: the validation, the problems chosen to show (a file's, errors
    only), where the record was found, and the files named first (for GitHub's order)."""

    result: Validation
    problems: list[Problem]
    located: Located
    first: list[str]

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def _problems_text(found: Findings) -> None:
    output.name_dataset(found.located)
    report.print_problems(output.stdout(), found.problems)
    ds = found.result.dataset
    records = len(ds.actors) + len(ds.controls) + len(ds.statements)
    output.stderr().print(Text(report.summary_line(found.problems, records)))


def _problems_json(found: Findings) -> None:
    text = report.problems_json(found.problems)
    text = escape.dumps({**json.loads(text), "dataset": found.located.as_dict()})
    output.write(text + "\n", json_text=True)


def _problems_github(found: Findings) -> None:
    if found.problems:
        output.write(report.problems_github(found.problems, found.first) + "\n", commands=True)


PROBLEM_FORMATS: dict[str, Callable[[Findings], None]] = {
    "text": _problems_text,
    "json": _problems_json,
    "github": _problems_github,
}
"""How ``validate`` writes the problems, by ``--format``; ``auto`` picks github or text."""


@commands.command("validate", short_help="Check the record: YAML, schema and cross-file rules.")
def validate_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...",
            show_default=False,
            help="Report only these files' problems (each still checked against the whole "
            "record); a file under seeds/ checks the record that cites it",
        ),
    ] = None,
    data: DataOption = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{', '.join(PROBLEM_FORMATS)} (text: path:line:col: level rule message; "
            "github: workflow commands, errors first, then warnings in the FILEs named, the rest "
            "summarised in one notice), or auto: github when GITHUB_ACTIONS is set, text "
            "otherwise",
        ),
    ] = "auto",
    no_warnings: Annotated[bool, typer.Option("--no-warnings", help="Report errors only.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings as errors: exit 1 on any warning.")
    ] = False,
    today: TodayOption = None,
) -> None:
    """Check the record: YAML, schema and cross-file rules. Exit 0 when there are no errors
    (warnings allowed, unless --strict), 1 when the data has errors, 2 on a usage error."""
    fmt = params.auto_format() if fmt == "auto" else params.choose(fmt, PROBLEM_FORMATS)
    named = [str(f) for f in files or []]
    for f in files or []:
        if not f.is_file():
            raise UsageError(f"{escape.one_line(f)!r} is not a file")
    located = locate(data if data is not None or not files else _data_of(files[0]))
    day = params.day(today, "--today", partial=False)
    with console.progress("validating the record"):
        result = validate(located.path, day)
    problems = list(result.problems)
    if files and not any(_in_seeds(f) for f in files):
        problems = report.only_files(problems, named)  # a seed is checked through the record
    if no_warnings:
        problems = report.without_warnings(problems)
    found = Findings(result, problems, located, named)
    PROBLEM_FORMATS[fmt](found)
    failed = not found.ok or (strict and bool(problems))
    output.exit_with(ExitStatus.DATA_ERROR if failed else ExitStatus.OK)


def _in_seeds(path: Path) -> bool:
    return "seeds" in Path(os.path.abspath(path)).parts


def _data_of(file: Path) -> Path | None:
    """The data folder a FILE belongs to: its own folder when that holds actors.yaml, the
    ``data/`` beside ``seeds/`` for an archived document, else the usual search."""
    folder = Path(os.path.abspath(file)).parent
    if (folder / "actors.yaml").is_file():
        return folder
    parts = Path(os.path.abspath(file)).parts
    if "seeds" in parts:
        root = Path(*parts[: parts.index("seeds")])
        if (root / "data" / "actors.yaml").is_file():
            return root / "data"
    return None


@commands.command(
    "schema", short_help="Write JSON Schemas for the data files and the JSON outputs."
)
def schema_command(
    out: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Folder to write <file>.schema.json into (and output/<command>.schema.json)",
        ),
    ],
) -> None:
    """Write JSON Schemas (draft-07) for the three data files, generated from the models, and
    for the JSON outputs of status, explain, timeline, list and export (in output/), generated
    from the presentation layer's types."""
    from export_alignment.schema import write_schemas

    if out.exists() and not out.is_dir():
        raise UsageError(f"{escape.one_line(out)!r} exists and is not a folder")
    try:
        written = write_schemas(out)
    except OSError as exc:
        raise UsageError(f"cannot write to {escape.one_line(out)!r}: {exc.strerror}") from None
    for path in written:
        output.stdout().print(Text(f"wrote {escape.one_line(path)}"), soft_wrap=True)
