"""The console policy: how consoles are made, how untrusted text and laid-out lines reach them.

- Colour only on a terminal, and ``NO_COLOR`` always wins (rich's own rule, kept by making every
  console here with rich's defaults for colour).
- No markup, highlighting or emoji codes: a console is made with all three off, and every string
  from the data goes in as ``Text`` through ``safe_text`` (``escape.one_line``), so a ``[bold]``
  in a summary prints as ``[bold]`` and no control character reaches the terminal.
- The width is the terminal's (or ``COLUMNS``), the terminal behind a pipe when there is one, at
  most ``MAX_WIDTH``; everything written passes ``escape.LogSafeWriter`` (safe for a CI log).
- A stream that cannot encode the tool's glyphs gets ASCII stand-ins (``ascii_fallback``), and
  progress shows only on a terminal, never in a pipe, a log or CI.
"""

from __future__ import annotations

import codecs
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, cast

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.text import Text

from export_alignment import escape

MAX_WIDTH = 1000
"""The widest layout drawn, whatever COLUMNS says (a huge width costs time and memory)."""


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


def stdout_console() -> Console:
    """The console for a command's report on stdout."""
    console = Console(
        highlight=False,
        emoji=False,
        markup=False,
        file=cast(IO[str], escape.LogSafeWriter(sys.stdout)),
    )
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = terminal_width()
    console.width = max(1, min(console.width, MAX_WIDTH))
    return console


def stderr_console() -> Console:
    """The console for errors, warnings, prompts and progress on stderr (lines never folded)."""
    console = Console(
        soft_wrap=True,
        highlight=False,
        emoji=False,
        markup=False,
        file=cast(IO[str], escape.LogSafeWriter(sys.stderr)),
    )
    console.width = max(1, min(console.width, MAX_WIDTH))
    return console


def safe_text(value: object, style: str = "") -> Text:
    """Untrusted ``value`` as plain ``Text`` on one line (``escape.one_line``), never markup."""
    return Text(escape.one_line(value), style=style)


class Lines:
    """Lines that are laid out already (no tab, no trailing space), rendered as they are:
    what rich renders for them one by one, without its wrapping pass, which would only split
    them and join them again."""

    def __init__(self, lines: list[Text]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        yield from Text("\n").join(self.lines).render(console, end="\n")


PRINT_AT_ONCE = 1_000
"""Laid-out lines printed in one call. Rich holds every segment of a call until it writes
them, so a long output (``explain`` on a large record: some 100,000 lines) is printed that
many lines at a time, the same bytes as one call."""


def print_lines(console: Console, lines: list[Text]) -> None:
    """Print laid-out lines in as few calls as memory allows (the same output as a call per
    line)."""
    for start in range(0, len(lines), PRINT_AT_ONCE):
        console.print(Lines(lines[start : start + PRINT_AT_ONCE]), crop=False)


# --- any terminal ---------------------------------------------------------------------------------

ASCII = {
    "■": "#",
    "□": ".",
    "└": "`",
    "─": "-",
    "—": "-",
    "–": "-",
    "·": "-",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "→": "->",
    "×": "x",
    "✓": "v",
    "●": "*",
    "○": "o",
    "◐": "~",
}
"""The tool's glyphs and their ASCII stand-ins, for a stream that cannot encode them."""

FALLBACK = "export_alignment_ascii"


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(ASCII.get(ch, "?") for ch in bad), error.end


def ascii_fallback(*streams: IO[str]) -> None:
    """Let each text stream that cannot encode every character write the tool's glyphs as ASCII
    (and anything else it cannot encode as ``?``) instead of failing: a cp1252 or ASCII console
    gets a readable table, never a UnicodeEncodeError."""
    try:
        codecs.lookup_error(FALLBACK)
    except LookupError:
        codecs.register_error(FALLBACK, _fallback)
    for stream in streams:
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        reconfigure = getattr(stream, "reconfigure", None)  # a TextIOWrapper's, not IO's
        if encoding.startswith("utf") or reconfigure is None:
            continue
        try:
            reconfigure(errors=FALLBACK)
        except (AttributeError, ValueError, OSError):
            continue


# --- progress -------------------------------------------------------------------------------------


@contextmanager
def progress(label: str, console: Console | None = None, delay: float = 1.0) -> Iterator[None]:
    """A spinner with ``label`` on stderr while the block runs, shown only when it has run for
    ``delay`` seconds, and only on a terminal: never in a pipe, a log or CI (``$CI`` set)."""
    console = console or Console(stderr=True)
    if not console.is_terminal or os.environ.get("CI"):
        yield
        return
    status = console.status(Text(label), spinner="line")
    lock = threading.Lock()
    state = {"done": False}

    def show() -> None:
        with lock:
            if not state["done"]:
                status.start()

    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            status.stop()


@contextmanager
def progress_bar(
    label: str, total: int, console: Console | None = None
) -> Iterator[Callable[[str], None]]:
    """A bar with counts (``label  12/139``) on stderr while the block runs, advanced by the
    function it yields; only on a terminal, never in a pipe, a log or CI (``$CI`` set)."""
    console = console or Console(stderr=True)
    if not console.is_terminal or os.environ.get("CI") or total <= 0:
        yield lambda name: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    task = bar.add_task(label, total=total)
    lock = threading.Lock()

    def advance(name: str) -> None:  # noqa: ARG001 - the item's name, unused by the bar
        with lock:
            bar.advance(task)

    with bar:
        yield advance
