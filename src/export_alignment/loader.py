"""Files to plain data with positions: each data file read from disk (or from bytes, or a text)
within its limits, decoded and handed to the YAML reader (``reader``), the three files of a data
folder loaded together. A file yields its data or its problems, never an exception: one run
reports every file.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from export_alignment.problems import Level, Problem
from export_alignment.reader import (
    DEFAULT_LIMITS,
    LIMIT_RULES,
    Limits,
    LoadedFile,
    file_size_problem,
    parse_text,
)
from export_alignment.shape import DATA_FILES


def load_file(
    path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> LoadedFile:
    """Read one data file from disk: its data, or problems saying why it could not be read."""
    shown = display or str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return _failed(shown, "file-missing", "the file does not exist")
    except OSError as exc:
        return _failed(shown, "file-unreadable", f"cannot read the file ({exc.strerror})")
    if not path.is_file():
        return _failed(
            shown,
            "file-unreadable",
            "a directory (or other non-file) stands where the file should be",
        )
    too_big = file_size_problem(st.st_size, shown, limits)  # before reading it
    if too_big is not None:
        return _failed_with(too_big)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _failed(shown, "file-unreadable", f"cannot read the file ({exc.strerror})")
    text = _decode(raw, shown, limits)
    del raw  # not held while the text is read
    if isinstance(text, LoadedFile):
        return text
    return load_text(text, shown, name or path.stem, limits)


def load_bytes(
    raw: bytes, display: str, name: str, limits: Limits = DEFAULT_LIMITS, *, spans: bool = False
) -> LoadedFile:
    """A data file's bytes (from disk, from a git revision) to its data or its problems; with
    ``spans``, the lines of its wrapped texts noted too (see ``parse_text``)."""
    text = _decode(raw, display, limits)
    if isinstance(text, LoadedFile):
        return text
    return load_text(text, display, name, limits, spans=spans)


def _decode(raw: bytes, display: str, limits: Limits) -> str | LoadedFile:
    """The bytes as text, or the file's problem (too big, not UTF-8)."""
    too_big = file_size_problem(len(raw), display, limits)
    if too_big is not None:
        return _failed_with(too_big)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        return _failed(display, "encoding", message, line, col)


def load_text(
    text: str, display: str, name: str, limits: Limits = DEFAULT_LIMITS, *, spans: bool = False
) -> LoadedFile:
    """A data file's text to its data or its problems: the one path every file takes (``validate``
    from disk, ``diff`` from a git revision, ``add`` as it would write the file). ``name`` is the
    file's top-level key (``statements``); a leading byte-order mark is dropped."""
    loaded = parse_text(text.removeprefix("\ufeff"), display, limits, name, spans=spans)
    if loaded.problems and loaded.data is None:
        return loaded
    if loaded.data is None:
        return _failed(
            display, "file-empty", f"the file is empty; it should hold a mapping '{name}: [...]'"
        )
    if not isinstance(loaded.data, dict):
        line, col = loaded.positions.get((), (1, 1))
        loaded.problems.append(
            Problem(
                display,
                line,
                col,
                "file-not-mapping",
                Level.ERROR,
                f"the file should hold a mapping '{name}: [...]', not a {_kind_name(loaded.data)}",
            )
        )
        loaded.data = None
    return loaded


def _failed(display: str, rule: str, message: str, line: int = 1, col: int = 1) -> LoadedFile:
    return _failed_with(Problem(display, line, col, rule, Level.ERROR, message))


def _failed_with(problem: Problem) -> LoadedFile:
    """A file that could not be read, for ``problem``."""
    out = LoadedFile(problem.path)
    out.problems.append(problem)
    return out


def _kind_name(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "text" if isinstance(value, str) else type(value).__name__


# --- where the data is --------------------------------------------------------------------------


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a record is read and typed: it makes hundreds of
    thousands of small acyclic objects, and each full collection walks all of them (a fifth of
    the time at 100,000 statements). Collection resumes, if it was on, when the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working folder when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # not below it, or a symlink loop
        return str(path)


def load_dataset_files(data_dir: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, LoadedFile]:
    """Load the three data files of a folder; each yields data or problems."""
    return {
        name: load_file(
            data_dir / f"{name}.yaml", display_path(data_dir / f"{name}.yaml"), limits, name
        )
        for name in DATA_FILES
    }


__all__ = [
    "DATA_FILES",
    "DEFAULT_LIMITS",
    "LIMIT_RULES",
    "Limits",
    "LoadedFile",
    "display_path",
    "file_size_problem",
    "gc_paused",
    "load_bytes",
    "load_dataset_files",
    "load_file",
    "load_text",
    "parse_text",
]
