"""The options: each declared once (name, metavar, help) and parsed by our own code into typed
values (dates, days, formats, allies), so that every command reads them alike."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_args, get_origin

import typer
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from export_alignment import console, escape
from export_alignment.cli import output
from export_alignment.datadir import Located, locate
from export_alignment.dates import PartialDate, parse_day
from export_alignment.errors import UnknownFormat, UsageError
from export_alignment.guards import require_valid
from export_alignment.question import DEFAULT_STALE_DAYS, Question

if TYPE_CHECKING:
    from export_alignment.models import Dataset

# --- options every command family shares ---------------------------------------------------------

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


def format_option(formats: dict[str, Any]) -> Any:
    """``--format``/``-f``, its help listing ``formats`` (a command's registry)."""
    return Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{', '.join(formats)} (--json is the same as --format json)",
        ),
    ]


# --- parsing: our own code, our own words --------------------------------------------------------


def day(value: str | None, option: str, partial: bool = True) -> date:
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


def as_of(value: str | None) -> date:
    """``--as-of``: a day after today is allowed (the record may date things ahead, such as an
    effective date), but said on stderr, since nothing after today is known yet."""
    asked = day(value, "--as-of")
    if asked > date.today():
        output.stderr().print(
            Text(
                f"warning: --as-of {asked} is after today ({date.today()}): the record can only "
                "say what was known or scheduled by today",
                style="yellow",
            )
        )
    return asked


def since_day(value: str) -> date:
    """A ``--since``: YYYY-MM-DD, or the first day of YYYY-MM / YYYY (every command); an
    ``--as-of`` or ``--until`` counts from the period's last day (``day``)."""
    try:
        return PartialDate.parse(value.strip()).earliest
    except ValueError as exc:
        raise UsageError(f"--since: {escape.one_line(exc)}") from None


def days(value: str, option: str = "--stale-days") -> int:
    """A whole number of days, in the tool's own words when it is not (at least 1: the
    ``Question``'s rule)."""
    try:
        return int(value.strip())
    except (AttributeError, ValueError):
        raise UsageError(
            f"{option}: {escape.one_line(value)!r} is not a whole number of days (e.g. 90)"
        ) from None


def allies(positional: list[str] | None, option: list[str] | None) -> list[str] | None:
    """The allies asked for, as an argument or with --ally (or both): one convention for every
    command."""
    wanted = [*(positional or []), *(option or [])]
    return wanted or None


def choose(fmt: str, formats: dict[str, Any]) -> str:
    """The format asked for, checked against a registry (``UnknownFormat``: the value is
    printed escaped, where click's own choice check would echo it raw)."""
    if fmt not in formats:
        raise UnknownFormat(fmt, formats)
    return fmt


def pick(fmt: str, as_json: bool, formats: dict[str, Any]) -> str:
    """``--format``, or json with ``--json``."""
    return "json" if as_json else choose(fmt, formats)


def auto_format() -> str:
    """``validate --format auto``: github in a GitHub Actions run, text otherwise."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


# --- the parse result: the question the options ask, and the record it is asked of --------------


def question(
    as_of_value: str | None,
    wanted: list[str] | None = None,
    stale_days: str = STALE_DEFAULT,
    control: str | None = None,
    scope: str | None = None,
) -> Question:
    """The question the options ask, parsed (``--as-of``, ``--stale-days``) but not yet held
    against a record: what no record could answer (fewer than one stale day) is refused now,
    before the record is read."""
    return Question(
        as_of=as_of(as_of_value),
        allies=tuple(wanted) if wanted else None,
        stale_days=days(stale_days),
        control=control,
        scope=scope,
    )


def located_valid(data: Path | None) -> tuple[Located, Dataset]:
    """The dataset's place and its validated record."""
    located = locate(data)
    with console.progress("reading the record"):
        return located, require_valid(located.path).dataset


def asked_of(data: Path | None, asked: Question) -> tuple[Located, Dataset, Question]:
    """The validated record and the question checked against it (its allies now ids)."""
    located, dataset = located_valid(data)
    return located, dataset, asked.checked(dataset)


# --- options taken as given: no pydantic on the way to our parsers -------------------------------


def _plain(annotation: Any) -> tuple[bool, type[Any]] | None:
    """``(many, kind)`` for an option of strings or paths (or a list of them), the options our
    own parsers read; None for anything else (numbers with a range, say)."""
    many = get_origin(annotation) is list
    kind = get_args(annotation)[0] if many else annotation
    return (many, kind) if kind in (str, Path, bool) else None


# Typer (0.2x) coerces every option through a pydantic TypeAdapter it builds on each run, and its
# public API has no way around it: ``parser=`` is itself wrapped in an adapter, and ``click_type=``
# is gone. So ``_AsGiven`` stands in for typer's private per-option coercion (``typer._coercion``,
# new in typer 0.29; pyproject.toml keeps typer below 0.30), and any sign that those internals
# moved (an import, the class, installing it, or a run-time failure that is not a bad value)
# leaves typer's own coercion in charge, which parses our options to the same values, only
# slower (tests/cli/test_option_coercion.py holds the two equal).

try:
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path

    @dataclass(frozen=True)
    class _AsGiven(RuntimeParam):
        """Typer's runtime coercion for a plain option: a string as given, a path as a
        ``Path`` with typer's own checks (readable, ...), which need no adapter, a flag as the
        bool it is. Anything else going wrong (a typer whose internals moved) is handed to
        typer's own coercion, built as typer builds it."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                plain = _plain(self.annotation)
                assert plain is not None
                many, kind = plain
                values = (
                    (value if isinstance(value, list | tuple) else [value]) if many else [value]
                )
                taken = [self._one(kind, v, param, ctx) for v in values]
                return taken if many else taken[0]
            except typer.BadParameter:
                raise
            except Exception:
                return typer_own(param)._coerce_value(value, param, ctx)

        def _one(self, kind: type[Any], value: Any, param: Any, ctx: Any) -> Any:
            if kind is str:
                return value if isinstance(value, str) else str(value)
            if kind is bool:  # a flag's value in words ("yes"): typer's rule
                return (
                    value
                    if isinstance(value, bool)
                    else typer_own(param)._coerce_value(value, param, ctx)
                )
            path = value if isinstance(value, Path) else Path(value)
            return coerce_cli_path(path, self.parameter_info, path_type=Path, param=param, ctx=ctx)

    def typer_own(param: Any) -> Any:
        """Typer's own coercion for ``param``, as typer itself builds it, kept on the option
        for the rest of the run."""
        own = build_runtime_param(param.type_descriptor)
        param._runtime_param = own
        return own

except Exception:  # pragma: no cover  (a typer without these internals: its own coercion)
    _AsGiven = None  # type: ignore[assignment,misc]


def taken_as_given(command: Any, ctx: Any) -> None:
    """``command``'s string, path, flag and list options (its help option too) taken as given,
    for our own parsers (``day``, ``days``, ``choose``...) to read: typer would otherwise build
    a pydantic TypeAdapter for each option on every run (about 15 ms of ``status``'s
    start-up). Should anything fail on the way, no option is changed: typer coerces them all
    itself."""
    if _AsGiven is None:
        return
    try:
        chosen = [
            (
                param,
                _AsGiven(param.type_descriptor.parameter_info, param.type_descriptor.annotation),
            )
            for param in command.get_params(ctx)
            if _takes_as_given(param)
        ]
    except Exception:
        return
    for param, as_given in chosen:
        param._runtime_param = as_given


def _takes_as_given(param: Any) -> bool:
    """Whether ``param`` is an option of ours typer has not yet built a coercion for: one of
    strings, paths or flags (or a list of them) with no parser of its own."""
    descriptor = getattr(param, "type_descriptor", None)
    return (
        descriptor is not None
        and getattr(param, "_runtime_param", True) is None
        and descriptor.parameter_info.parser is None
        and _plain(descriptor.annotation) is not None
    )


class _ParsedAsGiven:
    """Parsing that takes the plain options as given (``taken_as_given``) first."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        taken_as_given(self, ctx)
        rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        return rest


class Command(_ParsedAsGiven, TyperCommand):
    """A command whose plain options are taken as given."""


class Group(_ParsedAsGiven, TyperGroup):
    """A group whose plain options are taken as given."""


_F = TypeVar("_F", bound=Callable[..., Any])


class Commands(typer.Typer):
    """A family's commands: each made a ``Command`` unless it names its own class."""

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Callable[[_F], _F]:
        decorate: Callable[[_F], _F] = super().command(*args, cls=cls or Command, **kwargs)
        return decorate


# --- command groups built on first use -----------------------------------------------------------


class LazyGroup(Group):
    """A group whose commands are built only when it is invoked or its help shown, so that no
    other command pays for them (``build`` returns them)."""

    def build(self) -> typer.Typer:
        raise NotImplementedError

    def _load(self) -> None:
        if not self.commands:
            self.commands.update(typer.main.get_group(self.build()).commands)

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        self._load()
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx):  # type: ignore[no-untyped-def]
        self._load()
        return super().list_commands(ctx)

    def get_command(self, ctx, cmd_name):  # type: ignore[no-untyped-def]
        self._load()
        return super().get_command(ctx, cmd_name)
