"""Where a command's output goes: the two consoles, the one writer of JSON, CSV rows and text to
standard output, the dataset line, the exit, and the one policy for an ``-o`` path."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.text import Text

from export_alignment import escape
from export_alignment.console import stderr_console, stdout_console
from export_alignment.datadir import Located
from export_alignment.errors import ExitStatus, OutputNotWritable

# The consoles and their width are the console policy's (``console``), read here under the names
# the commands use.
stdout = stdout_console
stderr = stderr_console


def write(text: str, *, json_text: bool = False, commands: bool = False) -> None:
    """Text the command wrote itself (JSON, Markdown, workflow commands) to stdout, safe for
    a CI log (``escape.log_safe``); JSON is escaped already by ``escape.dumps``."""
    if not json_text:
        text = escape.log_safe(text, commands=commands)
    sys.stdout.write(text)


def json_out(value: Mapping[str, Any], located: Located | None = None) -> None:
    """A JSON answer, with the ``dataset`` it read when given."""
    if located is not None:
        value = {**value, "dataset": located.as_dict()}
    write(escape.dumps(dict(value)) + "\n", json_text=True)


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


def not_the_record(path: Path, located: Located) -> None:
    """Refuse an ``-o`` that names a file of the record being read: one of its data files, an
    archived document under ``seeds/`` or ``seeds/`` itself (the output would replace the
    evidence it came from)."""
    from export_alignment.checks import dataset_root
    from export_alignment.shape import DATA_FILES

    target = path.resolve()
    data_dir = located.path.resolve()
    seeds = (dataset_root(located.path) / "seeds").resolve()
    if target in {data_dir / f"{name}.yaml" for name in DATA_FILES} or target.is_relative_to(seeds):
        raise OutputNotWritable(str(path), "is part of the record being read")


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
