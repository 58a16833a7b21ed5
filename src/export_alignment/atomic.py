"""The one writer: every file the command writes (``add``, ``brief -o``, ``schema -o``, the site
and the exports) goes through ``write_atomic``, and every file it reads to edit through
``snapshot``.

What it promises:

- only regular files are read or replaced: a FIFO, a device or a folder is refused before it is
  opened for reading (opening is non-blocking), and a file is read only up to the size limit;
- a symlink is written through: its target gets the new content (the link stays a link), and the
  caller learns which file that was (``write_atomic`` returns it);
- the new file keeps the old one's mode and, where the operating system lets us, its owner and
  group; a read-only file, or one with several hard links (a rename would break the sharing), is
  refused with a message saying so, and nothing is written;
- the new content goes to a temporary file in the same folder, flushed and fsynced, then renamed
  over the old file, so a reader never sees half of it and a full disk leaves the old file whole;
- an advisory lock (``fcntl.flock``) on the folder is held across the "unchanged on disk" check
  and the rename, and ``add`` holds it across its whole read-check-write, so concurrent writers
  serialise instead of losing an update;
- a catchable signal (SIGINT, SIGTERM, SIGHUP) during a write removes the temporary file before the
  process ends, and temporary files a killed writer left behind (they start with ``.`` and end in
  ``.tmp``) are removed by the next writer in that folder, under the lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from export_alignment.errors import ExportAlignmentError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
"""The most a file read to be edited may hold (the loader's file-size limit)."""

DELAY_ENV = "EXPORT_ALIGNMENT_TEST_RENAME_DELAY"
"""Seconds to wait between the "unchanged on disk" check and the rename: a hook for the tests
that race two writers, never set otherwise."""

TEMP_SUFFIX = ".tmp"


class EditConflict(ExportAlignmentError):
    """The file changed on disk between reading it and writing it; nothing was written."""


class Refused(ExportAlignmentError):
    """The file cannot be read or replaced safely (not a regular file, too large, read-only,
    hard-linked); ``rule`` names why, in the rule ids the loader uses."""

    def __init__(self, message: str, rule: str = "file-unreadable"):
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class Snapshot:
    """A file as read: its bytes and the stat values that say whether it changed since."""

    raw: bytes
    mtime_ns: int
    size: int
    inode: int


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def snapshot(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, shown: str | None = None) -> Snapshot:
    """Read a regular file (through symlinks) together with what ``write_atomic`` needs to
    notice a later change. Refuses (``Refused``) what is not a regular file before reading a
    byte, and a file larger than ``max_bytes``; OSError for a file that cannot be opened."""
    name = shown or str(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise Refused(
                f"{name} is {_kind(st.st_mode)}, not a regular file; nothing was read or written",
                "file-unreadable",
            )
        if st.st_size > max_bytes:
            raise Refused(
                f"{name} is {st.st_size:,} bytes; the limit is {max_bytes:,}", "limit-file-size"
            )
        raw = f.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise Refused(
                f"{name} is larger than the limit of {max_bytes:,} bytes", "limit-file-size"
            )
    return Snapshot(raw, st.st_mtime_ns, st.st_size, st.st_ino)


def target_of(path: Path) -> Path:
    """The file a write to ``path`` changes: ``path`` itself, or the end of its symlink chain."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _unchanged(path: Path, snap: Snapshot) -> bool:
    try:
        st = os.stat(path)
        if (st.st_mtime_ns, st.st_size, st.st_ino) != (snap.mtime_ns, snap.size, snap.inode):
            return False
        return snapshot(path, max(snap.size, 1)).raw == snap.raw
    except (OSError, Refused):
        return False


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# --- the folder lock ----------------------------------------------------------------------------

_held: dict[str, int] = {}
"""Folders this process holds the lock of, and how many times (the lock is re-entrant within
a process: ``add`` holds it while ``write_atomic`` takes it again)."""


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the advisory lock of ``folder`` (``flock`` on the folder itself): every writer of
    this module takes it, so writes to one folder serialise across processes. Where the folder
    cannot be locked (no fcntl, a file system without flock), writes go on unlocked."""
    key = os.path.realpath(folder)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    fd = None
    if fcntl is not None:
        try:
            fd = os.open(key, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    _held[key] = 1
    try:
        _remove_stale_temporaries(Path(key))
        yield
    finally:
        del _held[key]
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the lock


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary files a killed writer left (every live writer holds the lock we now hold)."""
    if fcntl is None:
        return
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            name = entry.name
            if name.startswith(".") and name.endswith(TEMP_SUFFIX) and "._w" in name:
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)


# --- signals ------------------------------------------------------------------------------------


class _Interrupted(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum, frame):  # noqa: ARG001 - a signal handler's signature
    raise _Interrupted(signum)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise (as SIGINT already does), so the ``finally``
    clauses that remove the temporary file run; afterwards the signal takes its usual course."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    old = {}
    for s in wanted:
        with contextlib.suppress(ValueError, OSError):
            old[s] = signal.signal(s, _raise_interrupted)
    try:
        yield
    except _Interrupted as exc:
        for s, handler in old.items():
            signal.signal(s, handler)
        old = {}
        os.kill(os.getpid(), exc.signum)  # the signal's own effect, now nothing is left behind
        raise SystemExit(128 + exc.signum) from None
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


# --- writing ------------------------------------------------------------------------------------


def _check_replaceable(target: Path, shown: str) -> os.stat_result | None:
    """The target's stat (None when it does not exist yet), or ``Refused``."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"{shown} is {_kind(st.st_mode)}, not a regular file; nothing was written")
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise Refused(f"{shown} is read-only; nothing was written (make it writable first)")
    if st.st_nlink > 1:
        raise Refused(
            f"{shown} has {st.st_nlink} hard links; replacing it would split them, so nothing "
            "was written (write to a copy, or remove the other links)"
        )
    return st


def write_atomic(
    path: Path, data: bytes, expected: Snapshot | None = None, shown: str | None = None
) -> Path:
    """Replace the file at ``path`` (through symlinks) with ``data``, atomically; returns the
    file actually written (the symlink's target when ``path`` is one).

    With ``expected``, refuses (``EditConflict``, nothing written) when the file no longer
    matches it just before the rename; the check and the rename run under the folder's lock.
    ``shown`` is the path as messages name it. Refuses (``Refused``) a target that is not a
    regular file, is read-only or has several hard links. A failure at any point leaves the old
    file and no temporary file behind; an OSError is raised for the caller to word."""
    target = target_of(path)
    name = shown or str(path)
    if target != path:
        name = f"{name} (the target of the symlink, {target})"
    folder = target.parent
    with locked(folder), _signals_raise():
        old = _check_replaceable(target, name)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}._w", suffix=TEMP_SUFFIX, dir=folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, stat.S_IMODE(old.st_mode) if old else _new_file_mode())
            if old is not None:
                _keep_owner(tmp, old)
            if expected is not None and not _unchanged(target, expected):
                raise EditConflict(
                    f"{shown or path} changed on disk since it was read; nothing "
                    "was written (run the command again)"
                )
            delay = os.environ.get(DELAY_ENV)
            if delay:
                time.sleep(float(delay))
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the OS allows
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target


def _keep_owner(tmp: Path, old: os.stat_result) -> None:
    """The old file's owner and group where we may set them (root may; others keep the group
    when they belong to it)."""
    if not hasattr(os, "chown"):  # pragma: no cover
        return
    try:
        os.chown(tmp, old.st_uid, old.st_gid)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EACCES):
            raise
        with contextlib.suppress(OSError):
            os.chown(tmp, -1, old.st_gid)
