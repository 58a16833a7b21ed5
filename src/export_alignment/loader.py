"""Files to plain data with positions.

Each data file is read safely: YAML events are turned into dicts, lists and scalars by this module
(no tag is ever constructed into an object), every value's 1-based line and column is kept, and
every limit is enforced while reading, so a hostile file costs little. A file yields its data or
its problems, never an exception: one run reports every file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.reader import ReaderError

from export_alignment.problems import Level, Problem
from export_alignment.shape import DATA_FILES

try:  # the libyaml parser, fast and position-keeping
    from _ruamel_yaml import CParser as _Parser
except ImportError:  # pragma: no cover - pure-Python fallback where the C extension is missing
    _Parser = None


@dataclass(frozen=True)
class Limits:
    """Bounds on what one data file may hold; generous for real records, cheap for hostile ones."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 5_000_000
    """Nodes in a file, counting every alias as the size of what it stands for."""
    max_scalar_chars: int = 100_000
    max_records: int = 200_000


DEFAULT_LIMITS = Limits()

LIMIT_RULES = {
    "max_file_bytes": ("limit-file-size", "bytes in one data file"),
    "max_depth": ("limit-depth", "levels of nesting in one file"),
    "max_nodes": (
        "limit-nodes, limit-aliases",
        "values in one file, each alias counted as the values it stands for",
    ),
    "max_scalar_chars": ("limit-string", "characters in one text value"),
    "max_records": ("limit-records", "records in one file"),
}
"""Each limit's rule id and what it bounds (shown in the README)."""


@dataclass
class LoadedFile:
    """One file's plain data (None when it could not be read) and where each value stands."""

    path: str
    data: Any = None
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, keypath: tuple, *, key: bool = False) -> tuple[int, int]:
        """The position of the value at ``keypath`` (of its key with ``key=True``); a path that is
        not in the file (a missing field) falls back to its nearest parent that is."""
        if key and keypath in self.key_positions:
            return self.key_positions[keypath]
        p = tuple(keypath)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), (1, 1))


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")
"""First characters with which a plain scalar may resolve to null, a boolean or a number (the
empty scalar is null too); any other plain scalar is text."""
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq"))


def _plain(value: str) -> Any:
    """YAML 1.2 core schema resolution of a plain scalar; dates stay strings."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
    if _FLOAT.match(value):
        return float(value)
    if value.lower() in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[value.lower()]
    return value


def _tagged(value: str, tag: str) -> Any:
    kind = tag[len(_CORE) :]
    if kind == "str":
        return value
    if kind == "null":
        return None
    if kind in ("map", "seq"):
        raise ValueError(f"tag '!!{kind}' does not fit a plain value")
    resolved = _plain(value)
    expected = {"int": int, "float": (int, float), "bool": bool}[kind]
    if isinstance(resolved, bool) and kind != "bool" or not isinstance(resolved, expected):
        raise ValueError(f"{value!r} is not a valid !!{kind}")
    return float(resolved) if kind == "float" else resolved


def _line_col(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _printable(s: str) -> str:
    return s.encode("unicode_escape").decode("ascii") if not s.isprintable() else s


def parse_text(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    """Parse one YAML document into plain data with positions; problems instead of exceptions."""
    out = LoadedFile(path)

    def problem(rule: str, line: int, col: int, message: str) -> Problem:
        return Problem(path, line, col, rule, Level.ERROR, message)

    if _Parser is None:  # pragma: no cover
        raise RuntimeError("ruamel.yaml.clib is required")
    parser = _Parser(text)
    positions = out.positions
    key_positions = out.key_positions
    anchors: dict[str, tuple[Any, int]] = {}
    # a frame: [container, keypath, is_mapping, pending_key, key_mark, seen_keys, anchor,
    #           start_count]
    stack: list[list] = []
    get_event = parser.get_event
    max_nodes, max_scalar = limits.max_nodes, limits.max_scalar_chars
    nodes = 0
    root: Any = None
    documents = 0
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                pass  # the common case goes straight on
            elif kind is StreamEndEvent:
                break
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    m = event.start_mark
                    raise _Abort(
                        problem(
                            "yaml-syntax",
                            m.line + 1,
                            m.column + 1,
                            "a data file holds one YAML document; found another",
                        )
                    )
                continue
            elif kind is StreamStartEvent or kind is DocumentEndEvent:
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = frame[0]
                if frame[6] is not None:
                    anchors[frame[6]] = (value, nodes - frame[7])
                _attach(value, frame[1], stack)
                if not stack:
                    root = value
                continue

            m = event.start_mark
            line, col = m.line + 1, m.column + 1
            # where this node goes
            if stack:
                top = stack[-1]
                if top[2] and top[3] is None:  # a mapping key
                    if kind is not ScalarEvent:
                        raise _Abort(
                            problem("yaml-key", line, col, "mapping keys must be plain text")
                        )
                    key = event.value
                    if key in top[5]:
                        first = top[5][key]
                        out.problems.append(
                            problem(
                                "duplicate-key",
                                line,
                                col,
                                f"duplicate key {_printable(key)!r} (first at line {first[0]}, "
                                f"column {first[1]})",
                            )
                        )
                        key = _Duplicate(key)
                    else:
                        top[5][key] = (line, col)
                        key_positions[top[1] + (key,)] = (line, col)
                    top[3] = key
                    continue
                keypath = top[1] + ((top[3],) if top[2] else (len(top[0]),))
            else:
                keypath = ()
            nodes += 1
            if nodes > max_nodes:
                raise _Abort(
                    problem(
                        "limit-nodes",
                        line,
                        col,
                        f"more than {limits.max_nodes:,} values (aliases count as "
                        f"what they stand for)",
                    )
                )
            if kind is AliasEvent:
                if event.anchor not in anchors:
                    raise _Abort(
                        problem(
                            "yaml-alias",
                            line,
                            col,
                            f"alias *{_printable(event.anchor)} refers to no finished anchor",
                        )
                    )
                value, size = anchors[event.anchor]
                nodes += size
                if nodes > limits.max_nodes:
                    raise _Abort(
                        problem(
                            "limit-aliases",
                            line,
                            col,
                            f"aliases expand to more than {limits.max_nodes:,} values",
                        )
                    )
                positions[keypath] = (line, col)
                _attach(value, keypath, stack)
                continue
            tag = event.tag
            if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
                raise _Abort(
                    problem(
                        "yaml-tag",
                        line,
                        col,
                        f"tag {_printable(tag)!r} is not allowed in data files",
                    )
                )
            positions[keypath] = (line, col)
            if kind is ScalarEvent:
                raw = event.value
                if len(raw) > max_scalar:
                    raise _Abort(
                        problem(
                            "limit-string",
                            line,
                            col,
                            f"a text of {len(raw):,} characters; the limit is "
                            f"{limits.max_scalar_chars:,}",
                        )
                    )
                if tag in _ALLOWED_TAGS:
                    try:
                        value = _tagged(raw, tag)
                    except ValueError as exc:
                        raise _Abort(problem("yaml-tag", line, col, str(exc))) from None
                elif not event.style and event.implicit[0]:
                    try:
                        value = _plain(raw) if not raw or raw[0] in _MAYBE_NOT_TEXT else raw
                    except ValueError:  # an integer longer than Python converts
                        raise _Abort(
                            problem(
                                "limit-number",
                                line,
                                col,
                                f"a number of {len(raw):,} digits is too long to read",
                            )
                        ) from None
                else:
                    value = raw
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                _attach(value, keypath, stack)
                if not stack:
                    root = value
                continue
            is_map = kind is MappingStartEvent
            if len(stack) >= limits.max_depth:
                raise _Abort(
                    problem(
                        "limit-depth", line, col, f"nested deeper than {limits.max_depth} levels"
                    )
                )
            if tag is not None and tag != "!" and tag != _CORE + ("map" if is_map else "seq"):
                raise _Abort(
                    problem("yaml-tag", line, col, f"tag {_printable(tag)!r} does not fit the node")
                )
            stack.append(
                [{} if is_map else [], keypath, is_map, None, None, {}, event.anchor, nodes]
            )
    except _Abort as abort:
        out.problems.append(abort.problem)
        return out
    except ReaderError as exc:
        line, col = _line_col(text, exc.position if isinstance(exc.position, int) else 0)
        out.problems.append(problem("yaml-syntax", line, col, _reader_message(exc)))
        return out
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        out.problems.append(problem("yaml-syntax", line, col, message))
        return out
    except YAMLError as exc:  # any other parser complaint
        out.problems.append(problem("yaml-syntax", 1, 1, str(exc).splitlines()[0]))
        return out
    out.data = root
    return out


class _Duplicate:
    """A repeated key; its value is dropped (the first one stays) and the problem reported."""

    __slots__ = ("key",)

    def __init__(self, key: str):
        self.key = key


def _attach(value: Any, keypath: tuple, stack: list[list]) -> None:
    if not stack:
        return
    top = stack[-1]
    if top[2]:
        key = top[3]
        if not isinstance(key, _Duplicate):
            top[0][key] = value
        top[3] = None
    else:
        top[0].append(value)


def _reader_message(exc: ReaderError) -> str:
    ch = exc.character
    if isinstance(ch, int):
        ch = f"#x{ch:04x}"
    return f"character {ch} is not allowed in YAML: {exc.reason}"


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
    if st.st_size > limits.max_file_bytes:  # before reading it
        return _failed(shown, "limit-file-size", _too_big(st.st_size, limits))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return _failed(shown, "file-unreadable", f"cannot read the file ({exc.strerror})")
    return load_bytes(raw, shown, name or path.stem, limits)


def load_bytes(raw: bytes, display: str, name: str, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    """A data file's bytes (from disk, from a git revision) to its data or its problems."""
    if len(raw) > limits.max_file_bytes:
        return _failed(display, "limit-file-size", _too_big(len(raw), limits))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})"
        return _failed(display, "encoding", message, line, col)
    return load_text(text, display, name, limits)


def load_text(text: str, display: str, name: str, limits: Limits = DEFAULT_LIMITS) -> LoadedFile:
    """A data file's text to its data or its problems: the one path every file takes (``validate``
    from disk, ``diff`` from a git revision, ``add`` as it would write the file). ``name`` is the
    file's top-level key (``statements``); a leading byte-order mark is dropped."""
    loaded = parse_text(text.removeprefix("\ufeff"), display, limits)
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
    out = LoadedFile(display)
    out.problems.append(Problem(display, line, col, rule, Level.ERROR, message))
    return out


def _too_big(size: int, limits: Limits) -> str:
    return f"the file is {size:,} bytes; the limit is {limits.max_file_bytes:,}"


def _kind_name(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "text" if isinstance(value, str) else type(value).__name__


# --- where the data is --------------------------------------------------------------------------


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
