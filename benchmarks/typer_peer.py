"""The typer peer of ``export-alignment status``: a do-nothing typer app whose ``status`` command
declares the same options, with the same names and annotation types, as ours, and prints one line.

    python benchmarks/typer_peer.py status --data data

Run cold by ``bench_status.py``, it shows what the fixed stack costs before any work: importing
typer, building its click tree and parsing the nine options (typer coerces each through a
pydantic adapter). It imports nothing else (no rich table, no ruamel.yaml, no pydantic models).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="typer-peer",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root() -> None:
    """A group, as ours is, so that ``status`` is a subcommand."""


@app.command("status")
def status(
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE")] = None,
    ally: Annotated[list[str] | None, typer.Option("--ally", metavar="ALLY")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT")] = "text",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data: Annotated[Path | None, typer.Option("--data", metavar="DIR")] = None,
    stale_days: Annotated[str, typer.Option("--stale-days", metavar="DAYS")] = "365",
    control: Annotated[str | None, typer.Option("--control", metavar="ID")] = None,
    scope: Annotated[str | None, typer.Option("--scope", metavar="ITEM")] = None,
    matrix: Annotated[bool, typer.Option("--matrix")] = False,
) -> None:
    print(f"status of {data} as of {as_of or 'today'} in {'json' if as_json else fmt}")


if __name__ == "__main__":
    app()
