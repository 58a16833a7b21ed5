"""Publishing the record: ``brief`` (a Markdown brief to send), ``site`` (a static website with
feeds and downloads) and ``export`` (JSON, CSV or SQLite)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from export_alignment import escape, terminal
from export_alignment.cli import output, params
from export_alignment.cli.params import (
    AlliesArgument,
    AllyOption,
    AsOfOption,
    ControlOption,
    DataOption,
    ScopeOption,
    StaleOption,
)
from export_alignment.errors import UsageError
from export_alignment.guards import require_window
from export_alignment.models import Dataset
from export_alignment.question import Question

commands = params.Commands(rich_markup_mode=None)
"""This family's commands, in the order of the app's help."""


@commands.command(
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
    out: Annotated[
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
    stale_days: StaleOption = params.STALE_DEFAULT,
    control: ControlOption = None,
    scope: ScopeOption = None,
) -> None:
    asked = params.question(as_of, params.allies(allies, ally), stale_days, control, scope)
    start = None if since is None else params.since_day(since)
    require_window(start, asked.as_of)
    located, dataset, asked = params.asked_of(data, asked)
    from export_alignment.brief import build_brief

    with terminal.progress("building the brief"):
        text = build_brief(dataset, asked, start, summary=summary)
    text = escape.log_safe(text)
    output.name_dataset(located)
    if out is None or str(out) == "-":
        output.write(text)
        return
    output.not_the_record(out, located)
    written = output.write_file(out, text)
    shown = escape.one_line(out)
    if written != out:
        shown += f" (the target of the symlink, {escape.one_line(written)})"
    output.stderr().print(Text(f"wrote brief to {shown}"))


def _to_publish(
    data: Path | None, as_of: str | None, stale_days: str, out: Path
) -> tuple[Question, Dataset]:
    """``site`` and ``export``: the question their options ask (a day and a stale threshold),
    then the validated record (its dataset named on stderr); ``out`` never one of its files."""
    located, dataset, asked = params.asked_of(data, params.question(as_of, stale_days=stale_days))
    output.name_dataset(located)
    if str(out) != "-":
        output.not_the_record(out, located)
    return asked, dataset


@commands.command(
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
    out: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="Folder to write the site into")
    ],
    as_of: AsOfOption = None,
    data: DataOption = None,
    stale_days: StaleOption = params.STALE_DEFAULT,
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
    asked, dataset = _to_publish(data, as_of, stale_days, out)
    with terminal.progress("building the site"):
        written = write_site(dataset, asked, out, base)
    output.stderr().print(Text(f"wrote {len(written)} files to {escape.one_line(out)}"))


@commands.command(
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
    out: Annotated[
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
    stale_days: StaleOption = params.STALE_DEFAULT,
) -> None:
    from export_alignment.export import write_export

    asked, dataset = _to_publish(data, as_of, stale_days, out)
    if str(out) == "-":
        if fmt != "json":
            raise UsageError("-o - (standard output) takes --format json only")
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "export.json"
            with terminal.progress("writing the json export"):
                write_export(dataset, fmt, target, asked)
            output.write(target.read_text(encoding="utf-8"), json_text=True)
        return
    output.output_parent(out)
    with terminal.progress(f"writing the {escape.one_line(fmt)} export"):
        written = write_export(dataset, fmt, out, asked)
    for path in written:
        output.stderr().print(Text(f"wrote {escape.one_line(path)}"))
