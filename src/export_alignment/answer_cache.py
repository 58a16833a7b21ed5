"""The answer cache: a read-only command asked again of the same record answers from its last run.

``status``, ``explain``, ``timeline`` and ``list`` read the record, check it, score it and print.
Most of their time is start-up (importing typer, rich and pydantic, building the command and the
record's models), not the answer; asked the same question of the same record they print the
same bytes. So each run of one of them keeps what it printed (stdout and stderr, in the order
written) and its exit code, and the next identical run prints that instead of running, before
any of those libraries is imported.

"Identical" is decided by two things, both checked on every run:

- the **question**, hashed into the entry's file name: the package version, the command line,
  the working folder, today's date (the default ``--as-of``), the environment variables the
  tool or its libraries read (``EXPORT_ALIGNMENT_*``, colour, terminal size, locale, time zone),
  whether each output is a terminal, its size and encoding, and the user;
- the **record**, compared with what the entry holds: a SHA-256 of every file in the data
  folder and under ``seeds/`` (names included, so a new or removed seed counts), the data
  folder's and its parent's owner and mode (they decide the shared-folder warning), and the
  size and modification time of every file of the installed package (a changed install, not
  only a new version number, answers afresh).

Any edit, a changed seed document or a new version therefore runs the command again, and that
run's answer replaces the entry. Entries are plain JSON (no pickle), written atomically (a
temporary file renamed), in ``$XDG_CACHE_HOME/export-alignment/answers`` (else
``~/.cache/export-alignment/answers``); one that cannot be read or does not parse is ignored.
Only exit codes 0 and 1 are kept (an answer about the data, not a usage error or a bug).
``--no-cache`` on the command line or ``EXPORT_ALIGNMENT_NO_CACHE=1`` neither reads nor writes
the cache. The newest 200 entries are kept.

This module is the first the console script runs: it imports nothing of the tool but
``datadir`` (to find the data folder exactly as the command would) and nothing outside the
standard library.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from export_alignment import __version__

COMMANDS = frozenset({"status", "explain", "timeline", "list"})
"""The commands answered from the cache: they only read, and print to stdout and stderr."""
DISABLE_ENV = "EXPORT_ALIGNMENT_NO_CACHE"
OPTION = "--no-cache"
KEPT_CODES = (0, 1)
MAX_ENTRIES = 200
_ENV_PREFIXES = ("EXPORT_ALIGNMENT_", "LC_")
_ENV_NAMES = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "LANG",
    "TZ",
    "CI",
    "GITHUB_ACTIONS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "HOME",
    "XDG_CACHE_HOME",
)
_PACKAGE = Path(__file__).resolve().parent


def folder() -> Path:
    """Where the entries are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "export-alignment" / "answers"


def enabled(argv: list[str]) -> bool:
    """Whether this command line may be answered from (and kept in) the cache."""
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return False
    if not argv or argv[0] not in COMMANDS:
        return False
    return not any(a in (OPTION, "--help", "-h") for a in argv[1:])


def _data_option(argv: list[str]) -> str | None:
    """``--data``'s value as the command line gives it (the last one wins, as click reads it)."""
    value = None
    for n, arg in enumerate(argv):
        if arg == "--data" and n + 1 < len(argv):
            value = argv[n + 1]
        elif arg.startswith("--data="):
            value = arg[len("--data=") :]
    return value


def _stream(stream: Any) -> list[Any]:
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError, OSError):
        tty = False
    size = None
    if tty:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            size = tuple(os.get_terminal_size(stream.fileno()))
    return [tty, size, getattr(stream, "encoding", None), getattr(stream, "errors", None)]


def question(argv: list[str]) -> str:
    """The hash naming the entry: everything but the record that can change the answer."""
    env = {k: v for k, v in os.environ.items() if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES}
    env.pop(DISABLE_ENV, None)
    uid = os.getuid() if hasattr(os, "getuid") else None
    parts = [
        __version__,
        argv,
        os.getcwd(),
        datetime.date.today().isoformat(),
        sorted(env.items()),
        _stream(sys.stdout),
        _stream(sys.stderr),
        uid,
        sys.version,
    ]
    import hashlib  # here and below: imported by the commands the cache answers, not the others

    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _hash_tree(root: Path, out: dict[str, str], prefix: str, recurse: bool) -> None:
    import hashlib

    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = f"{prefix}{entry.name}"
        if entry.is_dir(follow_symlinks=True):
            if recurse:
                _hash_tree(Path(entry.path), out, name + "/", recurse)
            continue
        try:
            out[name] = hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
        except OSError:
            out[name] = "unreadable"


def _owner(path: Path) -> list[int | None]:
    try:
        st = path.stat()
    except OSError:
        return [None, None]
    return [st.st_uid, st.st_mode]


def record(data: Path) -> dict[str, Any]:
    """What the answer read: the data folder's and the seeds' contents, the folders' owners and
    modes, and the installed package's files (size and modification time)."""
    files: dict[str, str] = {}
    _hash_tree(data, files, "data/", recurse=False)
    root = Path(os.path.abspath(data)).parent
    _hash_tree(root / "seeds", files, "seeds/", recurse=True)
    package = []
    for dirpath, dirnames, filenames in os.walk(_PACKAGE):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(dirpath, name))
                package.append([os.path.join(dirpath, name), st.st_size, st.st_mtime_ns])
    return {
        "data": os.path.abspath(data),
        "files": files,
        "owners": [_owner(Path(os.path.abspath(data))), _owner(root)],
        "package": package,
    }


def _located(argv: list[str]) -> Path | None:
    """The data folder the command will read, found as it finds it (None: let it say why)."""
    from export_alignment.datadir import locate
    from export_alignment.errors import ExportAlignmentError

    try:
        return locate(_data_option(argv)).path
    except (ExportAlignmentError, OSError, ValueError):
        return None


_measured: dict[str, Any] = {}
"""What ``replay`` found of its command line (its data folder, the entry's name and, when an
entry was there to compare, the record), for the ``Recorder`` of the same run to reuse."""


def replay(argv: list[str]) -> int | None:
    """Print the kept answer to this command line and return its exit code, or None when there
    is none (or it no longer holds: the record, the package or the question changed)."""
    if not enabled(argv):
        return None
    data = _located(argv)
    if data is None:
        return None
    name = question(argv)
    _measured.update(argv=argv, data=data, name=name)
    try:
        entry = json.loads((folder() / f"{name}.json").read_text(encoding="utf-8"))
        now = _measured["record"] = record(data)
        if entry["record"] != now or entry["code"] not in KEPT_CODES:
            return None
        import base64

        chunks = [(which, base64.b64decode(text)) for which, text in entry["output"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, unreadable or not ours: answer afresh
    if not all(hasattr(s, "buffer") for s in (sys.stdout, sys.stderr)):
        return None
    for which, raw in chunks:
        stream = sys.stdout if which == "out" else sys.stderr
        stream.flush()
        stream.buffer.write(raw)
        stream.buffer.flush()
    return int(entry["code"])


class _Tee(io.RawIOBase):
    """A stream's bytes, passed on to it and kept in order with the other stream's."""

    def __init__(self, which: str, target: IO[bytes], kept: list[tuple[str, bytes]], real: Any):
        self.which, self.target, self.kept, self.real = which, target, kept, real

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.target.write(data)
        self.target.flush()
        self.kept.append((self.which, data))
        return len(data)

    def isatty(self) -> bool:
        return bool(self.real.isatty())

    def fileno(self) -> int:
        return int(self.real.fileno())


class Recorder:
    """Keeps what one run prints (``start`` before the command, ``finish`` with its exit code)
    and stores it as the entry for its command line."""

    def __init__(self, argv: list[str]):
        self.argv = argv
        self.kept: list[tuple[str, bytes]] = []
        self.saved: tuple[Any, Any] | None = None
        seen = _measured if _measured.get("argv") == argv else {}
        self.data: Path | None = seen["data"] if "data" in seen else _located(argv)
        self.before = seen.get("record") or (record(self.data) if self.data is not None else None)
        self.name: str = seen.get("name") or question(argv)

    def start(self) -> None:
        if self.before is None or not all(hasattr(s, "buffer") for s in (sys.stdout, sys.stderr)):
            return
        self.saved = (sys.stdout, sys.stderr)
        sys.stdout = self._wrap("out", sys.stdout)
        sys.stderr = self._wrap("err", sys.stderr)

    def _wrap(self, which: str, stream: Any) -> io.TextIOWrapper:
        stream.flush()
        tee = _Tee(which, stream.buffer, self.kept, stream)
        return io.TextIOWrapper(
            tee,  # type: ignore[arg-type]  # a raw stream, as the protocol wants but for its name
            encoding=stream.encoding,
            errors=stream.errors,
            line_buffering=stream.line_buffering,
            write_through=True,
        )

    def finish(self, code: int) -> None:
        if self.saved is None:
            return
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError, OSError):
                stream.flush()
        sys.stdout, sys.stderr = self.saved
        self.saved = None
        if code not in KEPT_CODES or self.data is None or record(self.data) != self.before:
            return  # a usage error or a bug, or the record changed while it was read
        import base64

        entry = {
            "version": __version__,
            "argv": self.argv,
            "record": self.before,
            "code": code,
            "output": [[w, base64.b64encode(raw).decode("ascii")] for w, raw in self.kept],
        }
        target = folder() / f"{self.name}.json"
        with contextlib.suppress(OSError):
            replaced = target.exists()
            _write_atomic(target, json.dumps(entry))
            if not replaced:  # one entry more: perhaps one too many
                _prune(folder())


def _prune(where: Path) -> None:
    """Keep the newest ``MAX_ENTRIES`` entries (one per question: a new day is a new one)."""
    found = [(e.stat().st_mtime, e.path) for e in os.scandir(where) if e.name.endswith(".json")]
    for _, path in sorted(found, reverse=True)[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _write_atomic(path: Path, text: str) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def exit_code(exc: SystemExit) -> int:
    """The process exit code a ``SystemExit`` gives."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    return 1
