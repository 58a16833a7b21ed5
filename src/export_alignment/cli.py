"""The ``export-alignment`` command: each command parses its options, calls one library function
and turns the result into output and an exit code."""

from __future__ import annotations

import inspect
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.text import Text
from typer.core import TyperGroup

from export_alignment import __version__, escape, history_report, report, terminal
from export_alignment.checks import Validation, validate
from export_alignment.console import stderr_console as _stderr
from export_alignment.console import stdout_console as _stdout
from export_alignment.datadir import Located, locate, resolve_data_dir, writable
from export_alignment.dates import PartialDate, parse_day
from export_alignment.errors import DataError, ExitStatus, ExportAlignmentError, UsageError
from export_alignment.guards import require_allies, require_valid, require_window
from export_alignment.problems import Problem
from export_alignment.scoring import (
    DEFAULT_STALE_DAYS,
    STAGES,
    VERDICTS,
    Scores,
    check_question,
    lifecycle_changes,
    score,
    timelines,
)
from export_alignment.shape import all_records
from export_alignment.views import shapes
from export_alignment.views.listing import KINDS as listing_kinds
from export_alignment.views.values import VERDICT_WORDS, in_question

if TYPE_CHECKING:
    from export_alignment.editing import FieldSpec


class _Boundary(TyperGroup):
    """The one error boundary: an ExportAlignmentError raised by any command is printed (with
    its problems) and ends the command with its exit status; anything else is a bug.

    Its commands are made from their declarations (``DECLARED``) when first asked for, so a run
    builds only the command it runs (typer makes each option through ``inspect`` and a pydantic
    adapter); the app's help and an unknown command's suggestions ask for them all."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ExportAlignmentError as err:
            _fail(err)

    def list_commands(self, ctx):
        return [*DECLARED, *(name for name in super().list_commands(ctx) if name not in DECLARED)]

    def get_command(self, ctx, cmd_name):
        if cmd_name in DECLARED and cmd_name not in self.commands:
            self.commands[cmd_name] = typer.main.get_command_from_info(
                DECLARED[cmd_name],
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx, args):
        if args and args[0] not in DECLARED:  # typer suggests names from every command built
            for name in DECLARED:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_Boundary,
    name="export-alignment",
    help="Has ally X aligned with the US semiconductor export controls on China yet, since "
    "when, and how do we know? Reads a curated, sourced record (actors, controls, statements) "
    "and answers from the evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        metavar="DIR",
        show_default=False,
        help="Folder holding actors.yaml, controls.yaml and statements.yaml "
        "[default: $EXPORT_ALIGNMENT_DATA, else ./data, else the nearest folder above "
        "holding data/actors.yaml, else the shipped record]",
    ),
]
AnswerCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Answer afresh: neither read nor keep this answer in the answer cache "
        "($EXPORT_ALIGNMENT_NO_CACHE=1 does the same; see answer_cache)",
    ),
]
"""Read by ``answer_cache`` before the command runs; declared here for --help and parsing."""
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today",
        metavar="DATE",
        show_default=False,
        help="Date (YYYY-MM-DD) after which no record may be dated [default: today]",
    ),
]


def _write(text: str, *, json_text: bool = False, commands: bool = False) -> None:
    """Text the command wrote itself (JSON, Markdown, workflow commands) to stdout, safe for
    a CI log (``escape.log_safe``); JSON is escaped already by ``escape.dumps``."""
    if not json_text:
        text = escape.log_safe(text, commands=commands)
    sys.stdout.write(text)


def _exit(status: ExitStatus) -> NoReturn:
    raise typer.Exit(int(status))


def _fail(err: ExportAlignmentError) -> NoReturn:
    console = _stderr()
    if isinstance(err, DataError):
        report.print_problems(console, err.problems)
    console.print(Text(f"error: {escape.one_line(err)}", style="red"))
    _exit(err.exit_status)


def _day(value: str | None, option: str, partial: bool = True) -> date:
    """A date option: YYYY-MM-DD, or (``partial``) YYYY-MM / YYYY counting from the period's
    last day, as the record counts partial dates."""
    if value is None:
        return date.today()
    try:
        if not partial:
            return parse_day(value)
        return PartialDate.parse(value.strip()).latest
    except ValueError as exc:
        raise UsageError(f"{option}: {escape.one_line(exc)}") from None


def _as_of(value: str | None) -> date:
    """``--as-of``: a day after today is allowed (the record may date things ahead, such as an
    effective date), but said on stderr, since nothing after today is known yet."""
    day = _day(value, "--as-of")
    if day > date.today():
        _stderr().print(
            Text(
                f"warning: --as-of {day} is after today ({date.today()}): the record can only "
                "say what was known or scheduled by today",
                style="yellow",
            )
        )
    return day


def _days(value: str, option: str = "--stale-days") -> int:
    """A whole number of days, at least 1, in the tool's own words when it is not."""
    try:
        days = int(value.strip())
    except (AttributeError, ValueError):
        raise UsageError(
            f"{option}: {escape.one_line(value)!r} is not a whole number of days (e.g. 90)"
        ) from None
    if days < 1:
        raise UsageError(f"{option}: {days} is not at least 1 day")
    return days


def _name_dataset(located: Located) -> None:
    """Say on stderr which dataset a text report read, unless ``--data`` named it on the command
    line (the JSON outputs always carry it as ``dataset``)."""
    if located.how != "option":
        _stderr().print(Text(f"dataset: {escape.one_line(located.label)}", style="dim"))


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"export-alignment {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Has ally X aligned with the US semiconductor export controls on China yet, since when,
    and how do we know?"""
    terminal.ascii_fallback(sys.stdout, sys.stderr)


def _choose(fmt: str, formats: dict[str, Any]) -> str:
    """The format asked for, checked against a registry (the value is printed escaped: click's
    own choice check would echo it raw)."""
    if fmt not in formats:
        raise UsageError(
            f"--format must be one of {', '.join(formats)}, not {escape.one_line(fmt)!r}"
        )
    return fmt


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
    _name_dataset(found.located)
    report.print_problems(_stdout(), found.problems)
    ds = found.result.dataset
    records = len(ds.actors) + len(ds.controls) + len(ds.statements)
    _stderr().print(Text(report.summary_line(found.problems, records)))


def _problems_json(found: Findings) -> None:
    text = report.problems_json(found.problems)
    text = escape.dumps({**json.loads(text), "dataset": found.located.as_dict()})
    _write(text + "\n", json_text=True)


def _problems_github(found: Findings) -> None:
    if found.problems:
        _write(report.problems_github(found.problems, found.first) + "\n", commands=True)


PROBLEM_FORMATS: dict[str, Callable[[Findings], None]] = {
    "text": _problems_text,
    "json": _problems_json,
    "github": _problems_github,
}
"""How ``validate`` writes the problems, by ``--format``; ``auto`` picks github or text."""


def _auto_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


@app.command("validate", short_help="Check the record: YAML, schema and cross-file rules.")
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
    fmt = _auto_format() if fmt == "auto" else _choose(fmt, PROBLEM_FORMATS)
    named = [str(f) for f in files or []]
    for f in files or []:
        if not f.is_file():
            raise UsageError(f"{escape.one_line(f)!r} is not a file")
    located = locate(data if data is not None or not files else _data_of(files[0]))
    day = _day(today, "--today", partial=False)
    with terminal.progress("validating the record"):
        result = validate(located.path, day)
    problems = list(result.problems)
    if files and not any(_in_seeds(f) for f in files):
        problems = report.only_files(problems, named)  # a seed is checked through the record
    if no_warnings:
        problems = report.without_warnings(problems)
    found = Findings(result, problems, located, named)
    PROBLEM_FORMATS[fmt](found)
    failed = not found.ok or (strict and bool(problems))
    _exit(ExitStatus.DATA_ERROR if failed else ExitStatus.OK)


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


@app.command("schema", short_help="Write JSON Schemas for the data files and the JSON outputs.")
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
        _stdout().print(Text(f"wrote {escape.one_line(path)}"), soft_wrap=True)


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        show_default=False,
        help="Count only evidence that certainly happened by this date (YYYY-MM-DD; YYYY-MM or "
        "YYYY count from the period's last day) [default: today]",
    ),
]
AllyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ally",
        metavar="ALLY",
        show_default=False,
        help="Only these allies: ids or names, any case, comma-separated or the option "
        "repeated (e.g. jp,nl or Japan) [default: every ally]",
    ),
]
AlliesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[ALLY]...",
        show_default=False,
        help="Only these allies (the same as --ally): ids or names, any case, e.g. jp or Japan",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="The same as --format json.")]


def _allies(positional: list[str] | None, option: list[str] | None) -> list[str] | None:
    """The allies asked for, as an argument or with --ally (or both): one convention for every
    command."""
    wanted = [*(positional or []), *(option or [])]
    return wanted or None


ControlOption = Annotated[
    str | None,
    typer.Option(
        "--control",
        metavar="ID",
        show_default=False,
        help="Measure against this initiator control only (live or not) "
        "[default: every live initiator control]",
    ),
]
ScopeOption = Annotated[
    str | None,
    typer.Option(
        "--scope",
        metavar="ITEM",
        show_default=False,
        help="Measure on this scope item only, e.g. equipment-servicing [default: every item]",
    ),
]
StaleOption = Annotated[
    str,
    typer.Option(
        "--stale-days",
        metavar="DAYS",
        help="Flag as stale when the newest evidence is older than this many days",
    ),
]
STALE_DEFAULT = str(DEFAULT_STALE_DAYS)


def _format_option(formats: dict[str, Any]) -> Any:
    return Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{', '.join(formats)} (--json is the same as --format json)",
        ),
    ]


VERDICT_HELP = (
    "Verdicts, highest first: "
    + "; ".join(f"{VERDICT_WORDS[v]}: {d}" for v, d in VERDICTS.items())
    + "."
)
STAGE_HELP = "Stages, lowest first: " + "; ".join(f"{s}: {d}" for s, d in STAGES.items()) + "."


def _located_valid(data: Path | None):
    """The dataset's place (named on stderr) and its validated record."""
    located = locate(data)
    with terminal.progress("reading the record"):
        return located, require_valid(located.path).dataset


def _scored(
    data: Path | None,
    as_of: str | None,
    allies: list[str] | None,
    stale_days: str,
    control: str | None = None,
    scope: str | None = None,
) -> tuple[Located, Scores]:
    """The validated record scored as of ``--as-of`` (over one control or item, if asked)."""
    day = _as_of(as_of)
    stale = _days(stale_days)
    located, dataset = _located_valid(data)
    check_question(dataset, control, scope)
    scores = score(dataset, day, require_allies(dataset, allies), stale, control, scope)
    return located, scores


def _json_out(value: Mapping[str, Any], located: Located | None = None) -> None:
    out = dict(value)  # a shape from views.shapes (a TypedDict) or a plain dict
    if located is not None:
        out["dataset"] = located.as_dict()
    _write(escape.dumps(out) + "\n", json_text=True)


def _csv_out(rows: list[dict]) -> None:
    from export_alignment.views.table import csv_text

    if rows:
        _write(csv_text(list(rows[0]), rows))


def _pick(fmt: str, as_json: bool, formats: dict[str, Any]) -> str:
    return "json" if as_json else _choose(fmt, formats)


SCORE_FORMATS: dict[str, Callable[[Located, Scores], None]] = {
    "text": lambda located, scores: terminal.print_status(_stdout(), scores),
    "json": lambda located, scores: _json_out(shapes.status_dict(scores), located),
    "csv": lambda located, scores: _csv_out(shapes.status_rows(scores)),
}
"""How ``status`` writes the scores (``--json`` picks json)."""

TIMELINE_FORMATS: dict[str, Callable[[Located, date, list, list], None]] = {
    "text": lambda located, day, rows, changes: terminal.timeline(_stdout(), rows, changes),
    "json": lambda located, day, rows, changes: _json_out(
        shapes.timeline_dict(day, rows, changes), located
    ),
    "csv": lambda located, day, rows, changes: _csv_out(shapes.timeline_rows(rows)),
}
"""How ``timeline`` writes the transitions and the controls' later life (``--json`` picks
json)."""

EXPLAIN_FORMATS: dict[str, Callable[[Located, Scores], None]] = {
    "text": lambda located, scores: terminal.print_explain(
        _stdout(), terminal.explain(scores.allies[0], scores.as_of, scores.question)
    ),
    "json": lambda located, scores: _json_out(shapes.explain_dict(scores), located),
}
"""How ``explain`` writes the evidence chain."""


@app.command(
    "status",
    short_help="Each ally's verdict, since when, flags and evidence.",
    help="One row per ally (and with --controls one per ally and initiator control): the "
    "verdict with its coverage (items in force, of the items in question), since when, flags, "
    "evidence counts and the decisive evidence. " + VERDICT_HELP + " " + STAGE_HELP,
)
def status_command(
    allies: AlliesArgument = None,
    as_of: AsOfOption = None,
    ally: AllyOption = None,
    fmt: _format_option(SCORE_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
    stale_days: StaleOption = STALE_DEFAULT,
    control: ControlOption = None,
    scope: ScopeOption = None,
    matrix: Annotated[
        bool,
        typer.Option(
            "--matrix", help="Show the coverage matrix: allies x scope items, stage in each cell."
        ),
    ] = False,
    controls: Annotated[
        bool,
        typer.Option(
            "--controls", help="Add a row per ally and initiator control under each ally's row."
        ),
    ] = False,
) -> None:
    fmt = _pick(fmt, as_json, SCORE_FORMATS)
    located, scores = _scored(data, as_of, _allies(allies, ally), stale_days, control, scope)
    if fmt == "text":
        _name_dataset(located)
    if matrix and fmt == "text":
        terminal.print_matrix(_stdout(), scores)
    elif fmt == "text":
        terminal.print_status(_stdout(), scores, controls)
    else:
        SCORE_FORMATS[fmt](located, scores)


@app.command(
    "explain",
    short_help="The evidence chain behind one ally's stage.",
    help="The evidence chain behind one ally's stage, in date order, with "
    "the tier and the stage each piece supports, the rule that set the stage, each "
    "flag, every source's address and archived copy, and what evidence would move the ally "
    "to the next stage.",
)
def explain_command(
    ally: Annotated[
        str | None,
        typer.Argument(
            metavar="ALLY",
            show_default=False,
            help="The ally's id or name, any case, e.g. jp or Japan (or give --ally)",
        ),
    ] = None,
    ally_option: Annotated[
        str | None,
        typer.Option(
            "--ally", metavar="ALLY", show_default=False, help="The same as the ALLY argument"
        ),
    ] = None,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
    stale_days: StaleOption = STALE_DEFAULT,
    control: ControlOption = None,
    scope: ScopeOption = None,
    fmt: _format_option(EXPLAIN_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
) -> None:
    fmt = _pick(fmt, as_json, EXPLAIN_FORMATS)
    wanted = _allies([ally] if ally else None, [ally_option] if ally_option else None)
    if not wanted:
        raise UsageError("explain needs an ally: 'explain jp', 'explain Japan' or --ally jp")
    located, scores = _scored(data, as_of, wanted, stale_days, control, scope)
    if len(scores.allies) != 1:
        raise UsageError("explain takes one ally; use 'status --ally' for several")
    if fmt == "text":
        _name_dataset(located)
    EXPLAIN_FORMATS[fmt](located, scores)


@app.command(
    "timeline",
    short_help="Each ally's stage transitions over time.",
    help="Each ally's stage transitions over time: date, from -> to, and "
    "the evidence that moved it.",
)
def timeline_command(
    allies: AlliesArgument = None,
    ally: AllyOption = None,
    fmt: _format_option(TIMELINE_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
    control: ControlOption = None,
    scope: ScopeOption = None,
) -> None:
    fmt = _pick(fmt, as_json, TIMELINE_FORMATS)
    day = _as_of(as_of)
    located, dataset = _located_valid(data)
    check_question(dataset, control, scope)
    rows = timelines(dataset, day, require_allies(dataset, _allies(allies, ally)), control, scope)
    changes = [
        ch
        for ch in lifecycle_changes(dataset, day)
        if in_question(ch.control.id, control) and (scope is None or scope in ch.control.scope)
    ]
    if fmt == "text":
        _name_dataset(located)
    TIMELINE_FORMATS[fmt](located, day, rows, changes)


LIST_KINDS = listing_kinds

LIST_FORMATS: dict[str, Callable[[Located, str, list[dict]], None]] = {
    "text": lambda located, kind, rows: terminal.print_listing(_stdout(), kind, rows),
    "json": lambda located, kind, rows: _json_out({"kind": kind, kind: rows}, located),
    "csv": lambda located, kind, rows: _csv_out(rows),
}
"""How ``list`` writes the rows."""


@app.command(
    "list",
    short_help="List the ids to ask about: allies, actors, controls, scope items, statements.",
    help="List the record's allies, actors, controls, scope items or statements with their ids "
    "(the values --ally, --control, --scope and 'add statement --speaker/--controls' take). "
    "Statements can be narrowed by ally, control and date range.",
)
def list_command(
    kind: Annotated[
        str, typer.Argument(metavar="WHAT", help=" | ".join(LIST_KINDS) + " [default: allies]")
    ] = "allies",
    ally: AllyOption = None,
    control: ControlOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            show_default=False,
            help="Only statements dated on or after this date (YYYY-MM-DD; YYYY-MM or YYYY from "
            "the period's first day)",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            show_default=False,
            help="Only statements dated on or before this date (YYYY-MM-DD; YYYY-MM or YYYY to "
            "the period's last day)",
        ),
    ] = None,
    fmt: _format_option(LIST_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
) -> None:
    from export_alignment.views import listing

    fmt = _pick(fmt, as_json, LIST_FORMATS)
    wanted = {k: k for k in LIST_KINDS} | {"scope_items": "scope", "items": "scope"}
    kind = kind.lower().replace("-", "_")
    if kind not in wanted:
        raise UsageError(f"list: {escape.one_line(kind)!r} is not one of {', '.join(LIST_KINDS)}")
    kind = wanted[kind]
    start = None if since is None else _since_day(since)
    end = None if until is None else _day(until, "--until")
    located, dataset = _located_valid(data)
    if control is not None:
        check_question(dataset, control, None)
    rows = listing.rows(dataset, kind, require_allies(dataset, ally), control, start, end)
    if fmt == "text":
        _name_dataset(located)
    LIST_FORMATS[fmt](located, kind, rows)


def _since_day(value: str) -> date:
    """A ``--since``: YYYY-MM-DD, or the first day of YYYY-MM / YYYY (every command); an
    ``--as-of`` or ``--until`` counts from the period's last day (``_day``)."""
    try:
        return PartialDate.parse(value.strip()).earliest
    except ValueError as exc:
        raise UsageError(f"--since: {escape.one_line(exc)}") from None


# --- editing: add, diff -------------------------------------------------------------------------


class _AddGroup(TyperGroup):
    """``add``: its commands (an option for every record field, derived by ``editing`` from the
    models) are built only when ``add`` is invoked or its help shown, so that no other command
    pays for them."""

    def _load(self) -> None:
        if not self.commands:
            self.commands.update(typer.main.get_group(_add_commands()).commands)

    def make_context(self, info_name, args, parent=None, **extra):
        self._load()
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx):
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx, cmd_name):
        self._load()
        return super().get_command(ctx, cmd_name)


add_app = typer.Typer(
    cls=_AddGroup,
    help="Add a record (statement, control or actor) to its data file. It is validated with the "
    "whole record first; on any error nothing is written (exit 1). The rest of the file is kept "
    "byte for byte. On a terminal, missing required fields are prompted for; otherwise they are "
    "a usage error (exit 2). Without --id an id is suggested from the other fields.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(add_app, name="add")


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _terminal_prompts():
    """``ask`` and ``say`` on the terminal (questions and notes on stderr)."""
    from rich.prompt import Prompt

    console = _stderr()

    def ask(question: str) -> str:
        return Prompt.ask(Text(question), console=console)

    def say(line: str) -> None:
        console.print(Text(line), soft_wrap=True)

    return ask, say


def _prompt_field(
    spec: FieldSpec, choices: list[str], names: dict[str, str] | None = None
) -> str | list[str]:
    """Ask for one field on the terminal until the answer is good."""
    from export_alignment import prompts

    ask, say = _terminal_prompts()
    return prompts.ask_field(spec, choices, ask, say, names)


def _complete_values(kind: str, values: dict, data_dir: Path) -> dict:
    """Prompt for the required fields still missing (on a terminal), each checked as typed,
    then settle the id."""
    from export_alignment import editing, prompts

    needed = editing.missing(kind, values)
    one_of = prompts.missing_one_of(kind, editing.FIELDS[kind], values)
    if (needed or one_of) and not _interactive():
        wanted = [s.option for s in needed] + one_of
        raise UsageError(
            f"a new {kind} needs {', '.join(wanted)} (missing; prompted for only on a terminal)"
        )
    if needed or one_of or ("id" not in values and _interactive()):
        ask, say = _terminal_prompts()
        dataset = editing.current(data_dir).dataset
        for spec in needed:
            choices = list(spec.choices or ()) or editing.reference_choices(spec, dataset)
            names = editing.reference_names(spec, dataset)
            values[spec.param] = _prompt_field(spec, choices, names)
        prompts.ask_one_of(kind, editing.FIELDS[kind], values, ask, say)
    if "id" not in values:
        dataset = editing.current(data_dir).dataset
        taken = [r.id for r in all_records(dataset)]
        suggested = editing.suggest_id(kind, values, taken)
        if _interactive():
            from rich.prompt import Prompt

            suggested = Prompt.ask(Text("id"), default=suggested, console=_stderr())
        if not suggested:
            raise UsageError(f"a new {kind} needs --id")
        values["id"] = suggested.strip()
    return values


def _add_command(kind: str):
    from export_alignment import editing

    specs = editing.FIELDS[kind]

    def command(**options) -> None:
        data, today = options.pop("data"), options.pop("today")
        allow_duplicate = bool(options.pop("allow_duplicate", False))
        data_dir = writable(data)
        day = _day(today, "--today", partial=False)
        values = _complete_values(kind, editing.normalise(kind, options), data_dir)
        added = editing.add_record(data_dir, kind, values, day, allow_duplicate)
        if added.warnings:
            report.print_problems(_stderr(), added.warnings)
        _stdout().print(
            Text(
                f"added {kind} {escape.one_line(added.id)} at "
                f"{escape.one_line(added.path)}:{added.line}"
            ),
            soft_wrap=True,
        )

    params = []
    for spec in specs:
        hint = spec.help
        if spec.choices:
            hint = (hint + "; " if hint else "") + "one of: " + ", ".join(spec.choices)
        if spec.required:
            hint += " [required]" if spec.param != "id" else " [default: suggested]"
        annotation = list[str] | None if spec.many else str | None
        metavar = (
            "ID"
            if spec.refers_to or spec.param == "id"
            else ("DATE" if spec.is_date else "CHOICE" if spec.choices else "TEXT")
        )
        params.append(
            inspect.Parameter(
                spec.param,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[
                    annotation,
                    typer.Option(spec.option, metavar=metavar, show_default=False, help=hint),
                ],
            )
        )
    params.append(
        inspect.Parameter(
            "data", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DataOption
        )
    )
    params.append(
        inspect.Parameter(
            "today", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=TodayOption
        )
    )
    if kind == "statement":
        params.append(
            inspect.Parameter(
                "allow_duplicate",
                inspect.Parameter.KEYWORD_ONLY,
                default=False,
                annotation=Annotated[
                    bool,
                    typer.Option(
                        "--allow-duplicate",
                        help="Add it even when a statement on record has the same speaker, "
                        "date and source address",
                    ),
                ],
            )
        )
    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__name__ = f"add_{kind}"
    return command


def _add_commands() -> typer.Typer:
    """The ``add`` commands, one per kind of record (built on first use, see ``_AddGroup``)."""
    from export_alignment import editing

    commands = typer.Typer(rich_markup_mode=None)
    for kind, file in editing.KINDS.items():
        article = "an" if kind[0] in "aeiou" else "a"
        commands.command(
            kind,
            short_help=f"Add {article} {kind}.",
            help=f"Add {article} {kind} to data/{file}.yaml: every field "
            "is an option named after it; list fields take comma-separated values or "
            "the option repeated.",
        )(_add_command(kind))
    return commands


@app.command(
    "diff",
    short_help="Verdict and stage changes between two git revisions or one and the working tree.",
    help="Compare the verdicts and stages derived from the record at a git revision "
    "(default HEAD) with the working tree, or with a second revision (diff A B), both as of "
    "one date: verdict and coverage changes (with or without a stage change), stage and flag "
    "changes per ally and per control, and the records added, removed and changed. Markdown "
    "fits a pull-request comment. Exit 0 when compared, 1 when the working tree's data "
    "has errors, 2 on a usage error (not a git repository, unknown revision).",
)
def diff_command(
    rev: Annotated[str, typer.Argument(metavar="REV", help="A git revision")] = "HEAD",
    to: Annotated[
        str | None,
        typer.Argument(
            metavar="[REV2]",
            show_default=False,
            help="A second revision [default: the working tree]",
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help=", ".join(history_report.RENDERERS)),
    ] = "text",
    data: DataOption = None,
    as_of: AsOfOption = None,
) -> None:
    from export_alignment import history

    _choose(fmt, history_report.RENDERERS)
    day = _as_of(as_of)
    with terminal.progress(f"comparing with {escape.one_line(rev)}"):
        comparison = history.compare(resolve_data_dir(data), rev, day, to=to)
    _write(history_report.RENDERERS[fmt](comparison).rstrip("\n") + "\n", json_text=fmt == "json")


def _write_atomically(path: Path, text: str) -> Path:
    """Write the brief so that a reader never sees half of it; returns the file written (a
    symlink's target)."""
    from export_alignment.atomic import write_atomic

    if path.is_dir():
        raise UsageError(f"-o: {escape.one_line(path)!r} is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"-o: cannot write to {escape.one_line(path)!r}: {exc.strerror}") from None


@app.command(
    "brief",
    help="A Markdown brief to send: a summary in plain words, a table of the "
    "allies' stages, each ally's evidence chain with caveats and what would move it, "
    "Mermaid diagrams of the stage transitions, what changed since --since, and "
    "numbered sources. Deterministic: the only dates are the ones given.",
)
def brief_command(
    allies: AlliesArgument = None,
    as_of: AsOfOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            show_default=False,
            help="Add 'What changed': stage changes and evidence from this date on (YYYY-MM-DD; "
            "YYYY-MM or YYYY from the period's first day) and by --as-of",
        ),
    ] = None,
    ally: AllyOption = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="The one-page form: the summary, the table with coverage, the caveats and "
            "the sources they cite",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            show_default=False,
            help="Write the brief to FILE (atomically; missing folders are created); - means "
            "standard output [default: standard output]",
        ),
    ] = None,
    data: DataOption = None,
    stale_days: StaleOption = STALE_DEFAULT,
    control: ControlOption = None,
    scope: ScopeOption = None,
) -> None:
    day = _as_of(as_of)
    start = None if since is None else _since_day(since)
    require_window(start, day)
    located, dataset = _located_valid(data)
    from export_alignment.brief import build_brief

    check_question(dataset, control, scope)
    allies, stale = require_allies(dataset, _allies(allies, ally)), _days(stale_days)
    with terminal.progress("building the brief"):
        text = build_brief(
            dataset, day, start, allies, stale, control=control, scope=scope, summary=summary
        )
    text = escape.log_safe(text)
    _name_dataset(located)
    if output is None or str(output) == "-":
        _write(text)
        return
    written = _write_atomically(output, text)
    shown = escape.one_line(output)
    if written != output:
        shown += f" (the target of the symlink, {escape.one_line(written)})"
    _stderr().print(Text(f"wrote brief to {shown}"))


# --- publishing: site, export -------------------------------------------------------------------


def _to_publish(data: Path | None, as_of: str | None, stale_days: str):
    """``site`` and ``export``: the as-of day and stale threshold from their options, then the
    validated record (its dataset named on stderr)."""
    day = _as_of(as_of)
    stale = _days(stale_days)
    located, dataset = _located_valid(data)
    _name_dataset(located)
    return day, stale, dataset


@app.command(
    "site",
    short_help="Write a static website of the record, with a feed and downloads.",
    help="Write a static website into DIR: the allies x live controls and allies x scope items "
    "matrices with coverage, a page per ally (stage charts, evidence chain, flags, what would "
    "move it) and per initiator control (live or not), the sources, feed.xml (an Atom feed of "
    "every stage and flag change) and the downloads (JSON, CSV, SQLite). It works from file:// "
    "and any static host and loads nothing from elsewhere. DIR must be new, empty or a site "
    "built before (its old pages are replaced).",
)
def site_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="Folder to write the site into")
    ],
    as_of: AsOfOption = None,
    data: DataOption = None,
    stale_days: StaleOption = STALE_DEFAULT,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            show_default=False,
            help="The address the site will be published at (e.g. "
            "https://example.org/alignment/): the feed then links to its pages absolutely and "
            "names its own address, as feed readers expect [default: links relative to the "
            "feed]",
        ),
    ] = None,
) -> None:
    from export_alignment.site import public_base, write_site

    base = public_base(base_url) if base_url is not None else None
    day, stale, dataset = _to_publish(data, as_of, stale_days)
    with terminal.progress("building the site"):
        written = write_site(dataset, day, output, stale, base)
    _stderr().print(Text(f"wrote {len(written)} files to {escape.one_line(output)}"))


@app.command(
    "export",
    short_help="Write the record and its stages as JSON, CSV or SQLite.",
    help="Write the record (actors, scope items, controls and their later life, statements, "
    "sources) and each ally's stages (the changes by ally, control, scope item and date; the "
    "status and coverage as of the date) as one JSON file, a folder of "
    "CSV files (one per table) or a SQLite database with keys and full-text search, ready for "
    "'datasette PATH'. The layout is documented in docs/export.md.",
)
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="json, csv or sqlite")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File to write (a folder for csv; missing folders are created); - writes json "
            "to standard output",
        ),
    ],
    as_of: AsOfOption = None,
    data: DataOption = None,
    stale_days: StaleOption = STALE_DEFAULT,
) -> None:
    from export_alignment.export import write_export

    day, stale, dataset = _to_publish(data, as_of, stale_days)
    if str(output) == "-":
        if fmt != "json":
            raise UsageError("-o - (standard output) takes --format json only")
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "export.json"
            with terminal.progress("writing the json export"):
                write_export(dataset, fmt, target, day, stale)
            _write(target.read_text(encoding="utf-8"), json_text=True)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"-o: cannot create {escape.one_line(output.parent)!r}: {exc.strerror}"
        ) from None
    with terminal.progress(f"writing the {escape.one_line(fmt)} export"):
        written = write_export(dataset, fmt, output, day, stale)
    for path in written:
        _stderr().print(Text(f"wrote {escape.one_line(path)}"))


# --- keeping the record current: watch, sources check -----------------------------------------

OfflineOption = Annotated[
    Path | None,
    typer.Option(
        "--offline",
        metavar="DIR",
        show_default=False,
        help="Fetch nothing: replay the saved responses in DIR/responses.json (no cache used)",
    ),
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Neither read nor write the cache ($XDG_CACHE_HOME/export-alignment, else "
        "~/.cache/export-alignment): no conditional requests, no memory of the last run",
    ),
]
WATCH_EXITS = (
    "Exit 0 when nothing needs acting on; 1 when something does (new items, failed sources, "
    "dead or moved links, changed pages) or the record or the watch list has errors; 2 on a "
    "usage error; 3 when every source failed on the network (no answer at all)."
)


TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=0.1,
        max=600.0,
        help="Wait at most this long for a server to connect or to send more of its answer",
    ),
]


def _client(offline: Path | None, no_cache: bool, timeout: float = 30.0):
    """The HTTP client of a watch or check run (its cache, or the saved responses)."""
    from export_alignment import web

    if offline is None:
        limits = web.WebLimits(connect_timeout=min(timeout, 10.0), read_timeout=timeout)
        cache = None if no_cache else web.Cache(web.cache_folder())
        return web.Client(limits, cache=cache)
    try:
        return web.Client(offline=web.Replay(offline))
    except ValueError as exc:
        raise UsageError(f"--offline: {escape.one_line(exc)}") from None


def _act_exit(to_act_on: bool, network_down: bool) -> NoReturn:
    if network_down:
        _exit(ExitStatus.NETWORK_FAILURE)
    _exit(ExitStatus.DATA_ERROR if to_act_on else ExitStatus.OK)


WATCH_FORMATS = dict.fromkeys(("text", "markdown", "json"))
"""The formats of ``watch`` and ``sources check`` (the renderers are in ``watch_report``)."""


InboxFormatOption = Annotated[
    str,
    typer.Option("--format", "-f", metavar="FORMAT", help="text, markdown (an issue body) or json"),
]
"""The --format of ``watch`` and ``sources check``: what their inbox is written as."""


@app.command(
    "watch",
    short_help="New documents the record does not cite yet, from the watch list.",
    help="Read the watch list (data/watch.yaml: Federal Register searches and Atom/RSS feeds, "
    "each with the actor it concerns), fetch what each printed since the last run (else since "
    "its own 'since', else 30 days back) and list the items the record does not cite yet "
    "(matched by address, Federal Register document number or citation, or title), newest "
    "first, each with a draft 'add' command. Nothing is written to the record. " + WATCH_EXITS,
)
def watch_command(
    fmt: InboxFormatOption = "text",
    as_json: JsonOption = False,
    watch_list: Annotated[
        Path | None,
        typer.Option(
            "--list",
            metavar="FILE",
            show_default=False,
            help="The watch list [default: watch.yaml in the data folder]",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            metavar="ID",
            show_default=False,
            help="Only these watched sources (ids, comma-separated or repeated) [default: all]",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            show_default=False,
            help="Look back to this date (YYYY-MM-DD) for every source [default: each "
            "source's last run]",
        ),
    ] = None,
    offline: OfflineOption = None,
    no_cache: NoCacheOption = False,
    timeout: TimeoutOption = 30.0,
    data: DataOption = None,
    today: TodayOption = None,
) -> None:
    from export_alignment import watch, watch_report, web

    fmt = _pick(fmt, as_json, WATCH_FORMATS)
    day = _day(today, "--today", partial=False)
    start = None if since is None else _day(since, "--since", partial=False)
    located, dataset = _located_valid(data)
    path = watch_list or located.path / "watch.yaml"
    if not path.exists():
        raise UsageError(
            f"no watch list at {escape.one_line(path)}: write one (see docs/watch.md) or name "
            "it with --list"
        )
    listed = watch.load_watch_list(path, dataset)
    if listed.problems:
        raise DataError(
            listed.problems, f"the watch list {escape.one_line(listed.path)} has errors"
        )
    sources = listed.sources
    if only:
        wanted = [w.strip() for o in only for w in o.split(",") if w.strip()]
        known = {s.id for s in sources}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            raise UsageError(
                f"--source: no watched source {escape.one_line(unknown[0])!r} "
                f"(the list has {escape.one_line(', '.join(sorted(known)) or 'none')})"
            )
        sources = [s for s in sources if s.id in wanted]
    cache = None if (offline is not None or no_cache) else web.Cache(web.cache_folder())
    state = cache.state("watch-state") if cache is not None else {}
    with (
        _client(offline, no_cache, timeout) as client,
        terminal.progress_bar("watching", len(sources), _stderr()) as advance,
    ):
        inbox = watch.run_watch(
            client,
            sources,
            dataset,
            (lambda s: start)
            if start is not None
            else (lambda s: watch.default_since(s, state, day)),
            advance,
        )
    if cache is not None and start is None:
        cache.save_state("watch-state", watch.finished_state(inbox, state, day))
    if fmt != "json":
        _name_dataset(located)
    if fmt == "json":
        _json_out(watch_report.inbox_json(inbox), located)
    elif fmt == "markdown":
        _write(watch_report.inbox_markdown(inbox))
    else:
        _write(watch_report.inbox_text(inbox))
    _stderr().print(Text(watch_report.inbox_summary(inbox)))
    _act_exit(bool(inbox.items or inbox.failed), inbox.all_network_failures)


class _SourcesGroup(_AddGroup):
    """``sources``: its commands are built only when it is invoked or its help shown."""

    def _load(self) -> None:
        if not self.commands:
            self.commands.update(typer.main.get_group(sources_commands).commands)


sources_commands = typer.Typer(rich_markup_mode=None)
sources_app = typer.Typer(
    cls=_SourcesGroup,
    help="The addresses the record cites.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(sources_app, name="sources")


@sources_commands.command(
    "check",
    short_help="Check every cited address: dead, moved, changed; archived copies.",
    help="Fetch every address the record cites (concurrently, at most --per-host at once to "
    "one host, --delay seconds apart) and report dead links (404, 410), redirects, errors, "
    "timeouts and pages whose content changed since the last check, each with the Internet "
    "Archive's closest snapshot (its availability API). --write-archive records that snapshot "
    "as archive_url on every source citing the address that has none (validated with the whole "
    "record first, written as 'add' writes). " + WATCH_EXITS,
)
def sources_check_command(
    fmt: InboxFormatOption = "text",
    as_json: JsonOption = False,
    everything: Annotated[
        bool, typer.Option("--all", help="List every address, not only those to act on")
    ] = False,
    write_archive: Annotated[
        bool,
        typer.Option(
            "--write-archive", help="Record each snapshot found as the source's archive_url"
        ),
    ] = False,
    no_archive: Annotated[
        bool, typer.Option("--no-archive", help="Do not ask the Internet Archive")
    ] = False,
    archive_api: Annotated[
        str,
        typer.Option(
            "--archive-api",
            metavar="URL",
            envvar="EXPORT_ALIGNMENT_ARCHIVE_API",
            help="The Wayback Machine availability API",
        ),
    ] = "https://archive.org/wayback/available",
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", min=1, max=64, help="Requests at once")
    ] = 8,
    per_host: Annotated[
        int,
        typer.Option("--per-host", metavar="N", min=1, max=16, help="Requests at once to one host"),
    ] = 2,
    delay: Annotated[
        float,
        typer.Option(
            "--delay",
            metavar="SECONDS",
            min=0.0,
            max=60.0,
            envvar="EXPORT_ALIGNMENT_SOURCES_DELAY",
            help="Between two requests to one host",
        ),
    ] = 0.25,
    offline: OfflineOption = None,
    no_cache: NoCacheOption = False,
    timeout: TimeoutOption = 30.0,
    data: DataOption = None,
    today: TodayOption = None,
) -> None:
    from export_alignment import sources_check, watch_report, web

    fmt = _pick(fmt, as_json, WATCH_FORMATS)
    if write_archive and no_archive:
        raise UsageError("--write-archive needs the archive (drop --no-archive)")
    day = _day(today, "--today", partial=False)
    data_dir = writable(data) if write_archive else None
    located, dataset = _located_valid(data_dir or data)
    urls = sources_check.cited_urls(dataset)
    cache = None if (offline is not None or no_cache) else web.Cache(web.cache_folder())
    previous = cache.state("pages") if cache is not None else {}
    polite = sources_check.Politeness(workers, per_host, delay)
    with (
        _client(offline, no_cache, timeout) as client,
        terminal.progress_bar("checking", len(urls), _stderr()) as advance,
    ):
        checked = sources_check.check_links(
            client, urls, previous, polite, None if no_archive else archive_api, advance
        )
    if cache is not None:
        cache.save_state("pages", checked.hashes)
    if fmt != "json":
        _name_dataset(located)
    written: list[str] = []
    if write_archive:
        from export_alignment import editing

        assert data_dir is not None
        for name, edits in sources_check.archive_edits(checked).items():
            done = editing.insert_fields(data_dir, name, edits, day)
            written += [f"{done.path}: {'.'.join(map(str, e.keypath))}" for e in done.written]
            for edit, why in done.skipped:
                _stderr().print(Text(f"not written: {'.'.join(map(str, edit.keypath))}: {why}"))
    if fmt == "json":
        _json_out(watch_report.links_json(checked, written), located)
    elif fmt == "markdown":
        _write(watch_report.links_markdown(checked, everything))
    else:
        _write(watch_report.links_text(checked, everything))
    summary = watch_report.links_summary(checked)
    if write_archive:
        summary += f"; {len(written)} archive_url written"
    _stderr().print(Text(summary))
    _act_exit(any(r.to_act_on for r in checked.results), checked.all_network_failures)


DECLARED = {
    info.name or typer.main.get_command_name(info.callback.__name__): info  # type: ignore[union-attr]
    for info in app.registered_commands
}
"""The commands declared above, by name, in the order of the app's help. They are taken out of
typer's list, which would have them all built for every run, and made one at a time by
``_Boundary.get_command``."""
app.registered_commands.clear()


def main() -> None:
    """Entry point for the console script and ``python -m export_alignment``."""
    app()
