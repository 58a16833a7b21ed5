"""Keeping the record current: ``watch`` (new documents the record does not cite yet, from the
watch list) and ``sources check`` (every cited address: dead, moved, changed; archived copies),
both over the network or replayed from saved responses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.text import Text

from export_alignment import escape, terminal
from export_alignment.cli import output, params
from export_alignment.cli.params import DataOption, JsonOption, LazyGroup, TodayOption
from export_alignment.datadir import writable
from export_alignment.errors import DataError, ExitStatus, UsageError

if TYPE_CHECKING:
    from export_alignment.web import Client

commands = params.Commands(rich_markup_mode=None)
"""This family's commands, in the order of the app's help."""

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
WATCH_FORMATS = dict.fromkeys(("text", "markdown", "json"))
"""The formats of ``watch`` and ``sources check`` (the renderers are in ``watch_report``)."""
InboxFormatOption = Annotated[
    str,
    typer.Option("--format", "-f", metavar="FORMAT", help="text, markdown (an issue body) or json"),
]
"""The --format of ``watch`` and ``sources check``: what their inbox is written as."""


def _client(offline: Path | None, no_cache: bool, timeout: float = 30.0) -> Client:
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
        output.exit_with(ExitStatus.NETWORK_FAILURE)
    output.exit_with(ExitStatus.DATA_ERROR if to_act_on else ExitStatus.OK)


@commands.command(
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

    fmt = params.pick(fmt, as_json, WATCH_FORMATS)
    day = params.day(today, "--today", partial=False)
    start = None if since is None else params.day(since, "--since", partial=False)
    located, dataset = params.located_valid(data)
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
    since_of: Callable[[watch.WatchSource], date] = (
        (lambda s: start) if start is not None else (lambda s: watch.default_since(s, state, day))
    )
    with (
        _client(offline, no_cache, timeout) as client,
        terminal.progress_bar("watching", len(sources), output.stderr()) as advance,
    ):
        inbox = watch.run_watch(client, sources, dataset, since_of, advance)
    if cache is not None and start is None:
        cache.save_state("watch-state", watch.finished_state(inbox, state, day))
    if fmt != "json":
        output.name_dataset(located)
    if fmt == "json":
        output.json_out(watch_report.inbox_json(inbox), located)
    elif fmt == "markdown":
        output.write(watch_report.inbox_markdown(inbox))
    else:
        output.write(watch_report.inbox_text(inbox))
    output.stderr().print(Text(watch_report.inbox_summary(inbox)))
    _act_exit(bool(inbox.items or inbox.failed), inbox.all_network_failures)


class SourcesGroup(LazyGroup):
    """``sources``: its commands are built only when it is invoked or its help shown."""

    def build(self) -> typer.Typer:
        return sources_commands


sources_commands = params.Commands(rich_markup_mode=None)
sources_app = typer.Typer(
    cls=SourcesGroup,
    help="The addresses the record cites.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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

    fmt = params.pick(fmt, as_json, WATCH_FORMATS)
    if write_archive and no_archive:
        raise UsageError("--write-archive needs the archive (drop --no-archive)")
    day = params.day(today, "--today", partial=False)
    data_dir = writable(data) if write_archive else None
    located, dataset = params.located_valid(data_dir or data)
    urls = sources_check.cited_urls(dataset)
    cache = None if (offline is not None or no_cache) else web.Cache(web.cache_folder())
    previous = cache.state("pages") if cache is not None else {}
    polite = sources_check.Politeness(workers, per_host, delay)
    with (
        _client(offline, no_cache, timeout) as client,
        terminal.progress_bar("checking", len(urls), output.stderr()) as advance,
    ):
        checked = sources_check.check_links(
            client, urls, previous, polite, None if no_archive else archive_api, advance
        )
    if cache is not None:
        cache.save_state("pages", checked.hashes)
    if fmt != "json":
        output.name_dataset(located)
    written: list[str] = []
    if write_archive:
        from export_alignment import editing

        assert data_dir is not None
        for name, edits in sources_check.archive_edits(checked).items():
            done = editing.insert_fields(data_dir, name, edits, day)
            written += [f"{done.path}: {'.'.join(map(str, e.keypath))}" for e in done.written]
            for edit, why in done.skipped:
                output.stderr().print(
                    Text(f"not written: {'.'.join(map(str, edit.keypath))}: {why}")
                )
    if fmt == "json":
        output.json_out(watch_report.links_json(checked, written), located)
    elif fmt == "markdown":
        output.write(watch_report.links_markdown(checked, everything))
    else:
        output.write(watch_report.links_text(checked, everything))
    summary = watch_report.links_summary(checked)
    if write_archive:
        summary += f"; {len(written)} archive_url written"
    output.stderr().print(Text(summary))
    _act_exit(any(r.to_act_on for r in checked.results), checked.all_network_failures)
