"""Asking the record: ``status`` (each ally's verdict), ``explain`` (one ally's evidence chain),
``timeline`` (stage changes over time), ``list`` (the ids to ask about) and ``diff`` (what an
edit changes), each as text, JSON or CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from export_alignment import escape, history_report, terminal
from export_alignment.cli import output, params
from export_alignment.cli.params import (
    AlliesArgument,
    AllyOption,
    AnswerCacheOption,
    AsOfOption,
    ControlOption,
    DataOption,
    JsonOption,
    ScopeOption,
    StaleOption,
    format_option,
)
from export_alignment.datadir import Located, resolve_data_dir
from export_alignment.errors import UsageError
from export_alignment.question import Question, ally_ids, check_scope
from export_alignment.scoring import (
    STAGES,
    VERDICTS,
    Scores,
    lifecycle_changes,
    score,
    timelines,
)
from export_alignment.views import shapes
from export_alignment.views.listing import KINDS as LIST_KINDS
from export_alignment.views.values import VERDICT_WORDS

commands = params.Commands(rich_markup_mode=None)
"""This family's commands, in the order of the app's help."""

VERDICT_HELP = (
    "Verdicts, highest first: "
    + "; ".join(f"{VERDICT_WORDS[v]}: {d}" for v, d in VERDICTS.items())
    + "."
)
STAGE_HELP = "Stages, lowest first: " + "; ".join(f"{s}: {d}" for s, d in STAGES.items()) + "."


def _scored(data: Path | None, asked: Question) -> tuple[Located, Scores]:
    """The validated record scored for the question the options ask."""
    located, dataset, asked = params.asked_of(data, asked)
    return located, score(dataset, asked)


SCORE_FORMATS: dict[str, Callable[[Located, Scores], None]] = {
    "text": lambda located, scores: terminal.print_status(output.stdout(), scores),
    "json": lambda located, scores: output.json_out(shapes.status_dict(scores), located),
    "csv": lambda located, scores: output.csv_out(shapes.status_rows(scores)),
}
"""How ``status`` writes the scores (``--json`` picks json)."""

TIMELINE_FORMATS: dict[str, Callable[[Located, date, list[Any], list[Any]], None]] = {
    "text": lambda located, day, rows, changes: terminal.timeline(output.stdout(), rows, changes),
    "json": lambda located, day, rows, changes: output.json_out(
        shapes.timeline_dict(day, rows, changes), located
    ),
    "csv": lambda located, day, rows, changes: output.csv_out(shapes.timeline_rows(rows)),
}
"""How ``timeline`` writes the transitions and the controls' later life (``--json`` picks
json)."""

EXPLAIN_FORMATS: dict[str, Callable[[Located, Scores], None]] = {
    "text": lambda located, scores: terminal.print_explain(
        output.stdout(), terminal.explain(scores.allies[0], scores.as_of, scores.question)
    ),
    "json": lambda located, scores: output.json_out(shapes.explain_dict(scores), located),
}
"""How ``explain`` writes the evidence chain."""


@commands.command(
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
    fmt: format_option(SCORE_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
    stale_days: StaleOption = params.STALE_DEFAULT,
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
    fmt = params.pick(fmt, as_json, SCORE_FORMATS)
    asked = params.question(as_of, params.allies(allies, ally), stale_days, control, scope)
    located, scores = _scored(data, asked)
    if fmt == "text":
        output.name_dataset(located)
    if matrix and fmt == "text":
        terminal.print_matrix(output.stdout(), scores)
    elif fmt == "text":
        terminal.print_status(output.stdout(), scores, controls)
    else:
        SCORE_FORMATS[fmt](located, scores)


@commands.command(
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
    stale_days: StaleOption = params.STALE_DEFAULT,
    control: ControlOption = None,
    scope: ScopeOption = None,
    fmt: format_option(EXPLAIN_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
) -> None:
    fmt = params.pick(fmt, as_json, EXPLAIN_FORMATS)
    wanted = params.allies([ally] if ally else None, [ally_option] if ally_option else None)
    if not wanted:
        raise UsageError("explain needs an ally: 'explain jp', 'explain Japan' or --ally jp")
    asked = params.question(as_of, wanted, stale_days, control, scope)
    located, dataset, asked = params.asked_of(data, asked)
    if len(asked.allies or ()) != 1:
        raise UsageError("explain takes one ally; use 'status --ally' for several")
    scores = score(dataset, asked)
    if fmt == "text":
        output.name_dataset(located)
    EXPLAIN_FORMATS[fmt](located, scores)


@commands.command(
    "timeline",
    short_help="Each ally's stage transitions over time.",
    help="Each ally's stage transitions over time: date, from -> to, and "
    "the evidence that moved it.",
)
def timeline_command(
    allies: AlliesArgument = None,
    ally: AllyOption = None,
    fmt: format_option(TIMELINE_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
    as_of: AsOfOption = None,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
    control: ControlOption = None,
    scope: ScopeOption = None,
) -> None:
    fmt = params.pick(fmt, as_json, TIMELINE_FORMATS)
    asked = params.question(
        as_of, params.allies(allies, ally), params.STALE_DEFAULT, control=control, scope=scope
    )
    located, dataset, asked = params.asked_of(data, asked)
    rows = timelines(dataset, asked)
    changes = lifecycle_changes(dataset, asked.as_of, asked.control, asked.scope)
    if fmt == "text":
        output.name_dataset(located)
    TIMELINE_FORMATS[fmt](located, asked.as_of, rows, changes)


LIST_FORMATS: dict[str, Callable[[Located, str, list[dict[str, Any]]], None]] = {
    "text": lambda located, kind, rows: terminal.print_listing(output.stdout(), kind, rows),
    "json": lambda located, kind, rows: output.json_out({"kind": kind, kind: rows}, located),
    "csv": lambda located, kind, rows: output.csv_out(rows),
}
"""How ``list`` writes the rows."""


@commands.command(
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
    fmt: format_option(LIST_FORMATS) = "text",  # type: ignore[valid-type]
    as_json: JsonOption = False,
    data: DataOption = None,
    no_cache: AnswerCacheOption = False,
) -> None:
    from export_alignment.views import listing

    fmt = params.pick(fmt, as_json, LIST_FORMATS)
    wanted = {k: k for k in LIST_KINDS} | {"scope_items": "scope", "items": "scope"}
    kind = kind.lower().replace("-", "_")
    if kind not in wanted:
        raise UsageError(f"list: {escape.one_line(kind)!r} is not one of {', '.join(LIST_KINDS)}")
    kind = wanted[kind]
    start = None if since is None else params.since_day(since)
    end = None if until is None else params.day(until, "--until")
    located, dataset = params.located_valid(data)
    check_scope(dataset, control, None)
    rows = listing.rows(dataset, kind, ally_ids(dataset, ally), control, start, end)
    if fmt == "text":
        output.name_dataset(located)
    LIST_FORMATS[fmt](located, kind, rows)


@commands.command(
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

    params.choose(fmt, history_report.RENDERERS)
    asked = params.question(as_of)
    with terminal.progress(f"comparing with {escape.one_line(rev)}"):
        comparison = history.compare(resolve_data_dir(data), rev, asked, to=to)
    output.write(
        history_report.RENDERERS[fmt](comparison).rstrip("\n") + "\n", json_text=fmt == "json"
    )
