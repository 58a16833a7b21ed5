"""Editing the record: ``add statement|control|actor``, one option per record field (derived
from the models by ``editing``), missing required fields prompted for on a terminal."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from export_alignment import escape, report
from export_alignment.cli import output, params
from export_alignment.cli.params import DataOption, LazyGroup, TodayOption
from export_alignment.datadir import writable
from export_alignment.errors import UsageError
from export_alignment.shape import all_records

if TYPE_CHECKING:
    from export_alignment.editing import FieldSpec


class AddGroup(LazyGroup):
    """``add``: its commands (an option for every record field, derived by ``editing`` from the
    models) are built only when ``add`` is invoked or its help shown."""

    def build(self) -> typer.Typer:
        return _add_commands()


add_app = typer.Typer(
    cls=AddGroup,
    help="Add a record (statement, control or actor) to its data file. It is validated with the "
    "whole record first; on any error nothing is written (exit 1). The rest of the file is kept "
    "byte for byte. On a terminal, missing required fields are prompted for; otherwise they are "
    "a usage error (exit 2). Without --id an id is suggested from the other fields.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _terminal_prompts() -> tuple[Callable[[str], str], Callable[[str], None]]:
    """``ask`` and ``say`` on the terminal (questions and notes on stderr)."""
    from rich.prompt import Prompt

    console = output.stderr()

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


def _complete_values(kind: str, values: dict[str, Any], data_dir: Path) -> dict[str, Any]:
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

            suggested = Prompt.ask(Text("id"), default=suggested, console=output.stderr())
        if not suggested:
            raise UsageError(f"a new {kind} needs --id")
        values["id"] = suggested.strip()
    return values


def _add_command(kind: str) -> Callable[..., None]:
    from export_alignment import editing

    specs = editing.FIELDS[kind]

    def command(**options: Any) -> None:
        data, today = options.pop("data"), options.pop("today")
        allow_duplicate = bool(options.pop("allow_duplicate", False))
        data_dir = writable(data)
        day = params.day(today, "--today", partial=False)
        values = _complete_values(kind, editing.normalise(kind, options), data_dir)
        added = editing.add_record(data_dir, kind, values, day, allow_duplicate)
        if added.warnings:
            report.print_problems(output.stderr(), added.warnings)
        output.stdout().print(
            Text(
                f"added {kind} {escape.one_line(added.id)} at "
                f"{escape.one_line(added.path)}:{added.line}"
            ),
            soft_wrap=True,
        )

    fields = []
    for spec in specs:
        hint = spec.help
        if spec.choices:
            hint = (hint + "; " if hint else "") + "one of: " + ", ".join(spec.choices)
        if spec.required:
            hint += " [required]" if spec.param != "id" else " [default: suggested]"
        annotation: Any = list[str] | None if spec.many else str | None
        metavar = (
            "ID"
            if spec.refers_to or spec.param == "id"
            else ("DATE" if spec.is_date else "CHOICE" if spec.choices else "TEXT")
        )
        fields.append(
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
    fields.append(
        inspect.Parameter(
            "data", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DataOption
        )
    )
    fields.append(
        inspect.Parameter(
            "today", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=TodayOption
        )
    )
    if kind == "statement":
        fields.append(
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
    command.__signature__ = inspect.Signature(fields)  # type: ignore[attr-defined]
    command.__name__ = f"add_{kind}"
    return command


def _add_commands() -> typer.Typer:
    """The ``add`` commands, one per kind of record (built on first use, see ``AddGroup``)."""
    from export_alignment import editing

    commands = params.Commands(rich_markup_mode=None)
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
