"""The typer app: the command tree (each command's module imported, and the command built, when
first asked for) and the one error boundary, where an error the library raised on purpose is
worded for the command line."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from rich.text import Text
from typer.models import CommandInfo, DefaultPlaceholder, TyperInfo

from export_alignment import __version__, console, datadir, escape, report
from export_alignment.cli import output, params
from export_alignment.errors import (
    DataError,
    DayTooEarly,
    ExportAlignmentError,
    NoDataFolder,
    NotAWebAddress,
    OutputNotWritable,
    TooFewDays,
    TooManyDays,
    UnknownAlly,
    UnknownControl,
    UnknownFormat,
    UnknownScope,
    WindowReversed,
    WriteRefused,
)

FAMILIES: dict[str, tuple[str, ...]] = {
    "check": ("validate", "schema"),
    "ask": ("status", "explain", "timeline", "list", "diff"),
    "publish": ("brief", "site", "export"),
    "watch": ("watch",),
}
"""The command families (modules of ``export_alignment.cli``) and the commands each declares, in
the order of the app's help. A run imports only the module of the command it runs, so that (say)
``validate`` never imports scoring or the terminal views; ``tests/cli/test_command_tree.py``
holds this table to what the modules declare."""

GROUPS: dict[str, tuple[str, str]] = {
    "add": ("edit", "add_app"),
    "sources": ("watch", "sources_app"),
}
"""The command groups, after the commands in the app's help: name -> (module, its typer app)."""


class Boundary(params.Group):
    """The one error boundary: an ExportAlignmentError raised by any command is printed (with
    its problems) and ends the command with its exit status; anything else is a bug.

    Its commands are made from their declarations when first asked for (``FAMILIES``, ``GROUPS``:
    the module imported, the command built), so a run imports and builds only the command it runs
    (typer makes each option through ``inspect``, and ``params.Command`` spares it a pydantic
    adapter per option); the app's help and an unknown command's suggestions ask for them all."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ExportAlignmentError as err:
            fail(err)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*LAZY, *(name for name in super().list_commands(ctx) if name not in LAZY)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in LAZY and cmd_name not in self.commands:
            self.commands[cmd_name] = _build(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in LAZY:  # typer suggests names from every command built
            for name in LAZY:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


def fail(err: ExportAlignmentError) -> NoReturn:
    """Print an error (a DataError's problems first) on stderr and exit with its status."""
    console = output.stderr()
    if isinstance(err, DataError):
        report.print_problems(console, err.problems)
    console.print(Text(f"error: {escape.one_line(words(err))}", style="red"))
    output.exit_with(err.exit_status)


def words(err: ExportAlignmentError) -> str:
    """What the command line says of an error: a typed one in terms of the option that asked
    for it, any other as the library said it."""
    for kind in type(err).__mro__:
        if kind in WORDS:
            return WORDS[kind](err)
    return str(err)


def _ally(err: UnknownAlly) -> str:
    hint = f" (did you mean {', '.join(err.close)}?)" if err.close else ""
    allies = ", ".join(err.allies) or "none"
    return f"no ally {escape.one_line(err.wanted)!r} in the record{hint}; allies: {allies}"


def _output(err: OutputNotWritable) -> str:
    shown = repr(escape.one_line(err.path))
    if err.problem.startswith("cannot"):
        return f"-o: {err.problem} {shown}: {err.reason}"
    return f"-o: {shown} {err.problem}"


def _refused(err: WriteRefused) -> str:
    if err.distrusted is None:
        return (
            "refusing to write into the record shipped inside the installed package (a "
            "reinstall would lose the change); run from a checkout of the record (or a folder "
            f"holding data/actors.yaml), or pass --data DIR or set {datadir.ENV_VAR}"
        )
    return (
        f"refusing to write into {err.path}, found without being named: it is "
        f"{err.distrusted}. Pass --data {err.path} (or list it in ${datadir.TRUST_ENV}) if it "
        "is the record you mean"
    )


WORDS: dict[type[Any], Callable[[Any], str]] = {
    UnknownAlly: _ally,
    UnknownControl: lambda err: f"--control: {err}",
    UnknownScope: lambda err: f"--scope: {err}",
    TooFewDays: lambda err: f"--stale-days: {err}",
    TooManyDays: lambda err: f"--stale-days: {err}",
    WindowReversed: lambda err: f"--since ({err.since}) is after --as-of ({err.as_of})",
    UnknownFormat: lambda err: (
        f"--format must be one of {', '.join(err.formats)}, not {escape.one_line(err.fmt)!r}"
    ),
    OutputNotWritable: _output,
    NoDataFolder: lambda err: f"no data folder: pass --data DIR or set {err.env_var}",
    NotAWebAddress: lambda err: f"--base-url: {escape.one_line(err.value)!r} {err.problem}",
    DayTooEarly: lambda err: (
        f"{'--since' if err.since else '--as-of'} {err.day.isoformat()}: {err.why}, so the "
        f"date must be {err.first.isoformat()} or later"
    ),
    WriteRefused: _refused,
}
"""How the command line words each typed error (by its class; a subclass takes its parent's)."""


app = typer.Typer(
    cls=Boundary,
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
    console.ascii_fallback(sys.stdout, sys.stderr)


LAZY: dict[str, str] = {
    **{name: family for family, names in FAMILIES.items() for name in names},
    **{name: module for name, (module, _) in GROUPS.items()},
}
"""Every command and group by name, in the order of the app's help, with the module declaring
it. They are kept out of typer's list, which would have them all imported and built for every
run, and made one at a time by ``Boundary.get_command``."""


def family(module: str) -> Any:
    """A family's module (``export_alignment.cli.check``, ...), imported on first use (by the
    import statement's own machinery, which ``-X importtime`` reports; ``importlib``'s is not).
    As ``__main__`` does for start-up, the collector is off while it and its libraries are
    imported, and what they built is set aside (``gc.freeze``) from later collections; only
    where start-up did so (a command-line run), not in a process that imports the app."""
    name = f"export_alignment.cli.{module}"
    if name in sys.modules or not (gc.isenabled() and gc.get_freeze_count()):
        return __import__(name, fromlist=["commands"])
    gc.disable()
    try:
        return __import__(name, fromlist=["commands"])
    finally:
        gc.freeze()
        gc.enable()


def command_name(info: CommandInfo) -> str:
    """The name a family's declared command answers to."""
    assert info.callback is not None
    return info.name or typer.main.get_command_name(info.callback.__name__)


def _build(name: str) -> Any:
    """The click command (or group) ``name``, its module imported and the command made as typer
    makes it from ``app``."""
    if name in GROUPS:
        module, attribute = GROUPS[name]
        metavar = app.info.options_metavar  # as ``add_typer`` hands it down: the app's own
        if isinstance(metavar, DefaultPlaceholder):
            metavar = metavar.value
        return typer.main.get_group_from_info(
            TyperInfo(
                getattr(family(module), attribute),
                name=name,
                options_metavar=metavar,
            ),
            pretty_exceptions_short=app.pretty_exceptions_short,
            suggest_commands=app.suggest_commands,
            rich_markup_mode=app.rich_markup_mode,
        )
    declared = family(LAZY[name]).commands.registered_commands
    (info,) = (info for info in declared if command_name(info) == name)
    return typer.main.get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


def main() -> None:
    """Entry point for the console script and ``python -m export_alignment``."""
    app()
