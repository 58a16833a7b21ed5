"""Where a command's output goes: the two consoles, the one writer of JSON, CSV rows and text to
standard output, the dataset line, the exit, and the one policy for an ``-o`` path."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO, Any, NoReturn, cast

import typer
from rich.console import Console
from rich.text import Text

from export_alignment import escape
from export_alignment.datadir import Located
from export_alignment.errors import ExitStatus, OutputNotWritable

MAX_WIDTH = 1000
"""The widest layout drawn, whatever COLUMNS says (a huge width costs time and memory)."""


def stdout() -> Console:
    """The console of the command's answer (tables, text)."""
    console = Console(
        highlight=False, emoji=False, file=cast(IO[str], escape.LogSafeWriter(sys.stdout))
    )
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = terminal_width()
    console.width = max(1, min(console.width, MAX_WIDTH))
    return console


def terminal_width() -> int:
    """The width of the terminal the output goes through when there is one (stdout piped, but
    stderr or stdin still a terminal), else 80."""
    for stream in (sys.stderr, sys.stdin):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            continue
    return 80


def stderr() -> Console:
    """The console of everything but the answer: errors, warnings, progress, what was written."""
    console = Console(
        soft_wrap=True,
        highlight=False,
        emoji=False,
        file=cast(IO[str], escape.LogSafeWriter(sys.stderr)),
    )
    console.width = max(1, min(console.width, MAX_WIDTH))
    return console


def write(text: str, *, json_text: bool = False, commands: bool = False) -> None:
    """Text the command wrote itself (JSON, Markdown, workflow commands) to stdout, safe for
    a CI log (``escape.log_safe``); JSON is escaped already by ``escape.dumps``."""
    if not json_text:
        text = escape.log_safe(text, commands=commands)
    sys.stdout.write(text)


def json_out(value: dict[str, Any], located: Located | None = None) -> None:
    """A JSON answer, with the ``dataset`` it read when given."""
    if located is not None:
        value = {**value, "dataset": located.as_dict()}
    write(escape.dumps(value) + "\n", json_text=True)


def csv_out(rows: list[dict[str, Any]]) -> None:
    """Rows as CSV (the one CSV writer, ``views.table``), headed by the first row's keys."""
    from export_alignment.views.table import csv_text

    if rows:
        write(csv_text(list(rows[0]), rows))


def name_dataset(located: Located) -> None:
    """Say on stderr which dataset a text report read, unless ``--data`` named it on the command
    line (the JSON outputs always carry it as ``dataset``)."""
    if located.how != "option":
        stderr().print(Text(f"dataset: {escape.one_line(located.label)}", style="dim"))


def exit_with(status: ExitStatus) -> NoReturn:
    """End the command with ``status``."""
    raise typer.Exit(int(status))


# --- the -o policy: what an output path may be, and how writing to it fails ---------------------


def output_file(path: Path) -> Path:
    """An ``-o FILE``: refused when it is a folder; missing folders above it are created."""
    if path.is_dir():
        raise OutputNotWritable(str(path), "is a folder")
    output_parent(path, "cannot write to", path)
    return path


def output_parent(path: Path, problem: str = "cannot create", shown: Path | None = None) -> None:
    """Create the folders above an output path (``problem`` and ``shown`` say the refusal)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputNotWritable(str(shown or path.parent), problem, exc.strerror) from None


def write_file(path: Path, text: str) -> Path:
    """Write ``text`` to an ``-o FILE`` so that a reader never sees half of it; returns the file
    written (a symlink's target)."""
    from export_alignment.atomic import write_atomic

    output_file(path)
    try:
        return write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise OutputNotWritable(str(path), "cannot write to", exc.strerror) from None
