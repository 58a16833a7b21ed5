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
  serialise instead of losing an update; a writer waits for it at most
  ``$EXPORT_ALIGNMENT_LOCK_WAIT`` seconds (default 30), then stops with a message naming the
  folder, having written nothing;
- no file inside the installed package's record is written, whatever symlink leads there;
- an output folder (the site) is built in a hidden sibling folder and swapped in whole
  (``replace_folder``): nothing in the old folder is followed or written through, and an
  interrupted build leaves the old folder or none;
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import NoReturn

from export_alignment.errors import ExitStatus, ExportAlignmentError, UsageError

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


LOCK_WAIT_ENV = "EXPORT_ALIGNMENT_LOCK_WAIT"
"""Seconds a writer waits for another process's lock on a folder before it gives up."""
DEFAULT_LOCK_WAIT = 30.0


class EditConflict(ExportAlignmentError):
    """The file changed on disk between reading it and writing it; nothing was written."""

    exit_status = ExitStatus.USAGE_ERROR  # a refused write, not a problem in the data


class Refused(ExportAlignmentError):
    """The file cannot be read or replaced safely (not a regular file, too large, read-only,
    hard-linked); ``rule`` names why, in the rule ids the loader uses. As an exit, an output
    refusal: status 2, whichever command wrote."""

    exit_status = ExitStatus.USAGE_ERROR

    def __init__(self, message: str, rule: str = "file-unreadable", size: int | None = None):
        super().__init__(message)
        self.rule = rule
        self.size = size
        """For ``limit-file-size``: the file's size in bytes (at least, when it grew while read)."""


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
                f"{name} is {st.st_size:,} bytes; the limit is {max_bytes:,}",
                "limit-file-size",
                st.st_size,
            )
        raw = f.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise Refused(
                f"{name} is larger than the limit of {max_bytes:,} bytes",
                "limit-file-size",
                len(raw),
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


def _new_file_mode(base: int = 0o666) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


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
        wait = lock_wait()
        try:
            fd = os.open(key, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            _flock_within(fd, wait)
        except _LockBusy:
            os.close(fd)  # type: ignore[arg-type]
            raise Refused(
                f"another process is writing in {key} (it holds the folder's lock); waited "
                f"{wait:g} s and wrote nothing. Run the command again once it has finished, or "
                f"set {LOCK_WAIT_ENV} to wait longer"
            ) from None
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


class _LockBusy(Exception):
    pass


def lock_wait() -> float:
    """``$EXPORT_ALIGNMENT_LOCK_WAIT`` in seconds (default 30; 0: do not wait)."""
    raw = os.environ.get(LOCK_WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_WAIT
    try:
        wait = float(raw)
    except ValueError:
        wait = -1.0
    if not 0 <= wait <= 86400:
        raise UsageError(
            f"${LOCK_WAIT_ENV}: {raw[:40]!r} is not a number of seconds from 0 to 86400"
        )
    return wait


def _flock_within(fd: int, wait: float) -> None:
    """Take the lock, trying again until ``wait`` seconds have passed (then ``_LockBusy``)."""
    deadline = time.monotonic() + wait
    pause = 0.01
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _LockBusy from None
            time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 2, 0.25)


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


def _raise_interrupted(signum: int, frame: FrameType | None) -> NoReturn:  # noqa: ARG001
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


def _guard_package(target: Path, shown: str) -> None:
    """Refuse a file whose real place (every symlink resolved) is inside the record shipped
    with the installed package: a reinstall would silently undo the write."""
    from export_alignment.datadir import installed_root

    root = installed_root()
    if root is None:
        return
    real = Path(os.path.realpath(target.parent)) / target.name
    if real.is_symlink():
        real = Path(os.path.realpath(real))
    if real.is_relative_to(os.path.realpath(root)):
        raise Refused(
            f"{shown} is inside the record shipped with the installed package ({real}); a "
            "reinstall would lose the change, so nothing was written"
        )


def write_atomic(
    path: Path,
    data: bytes,
    expected: Snapshot | None = None,
    shown: str | None = None,
    *,
    follow_symlinks: bool = True,
) -> Path:
    """Replace the file at ``path`` (through symlinks) with ``data``, atomically; returns the
    file actually written (the symlink's target when ``path`` is one). With
    ``follow_symlinks=False`` (a file in an output folder) a symlink at ``path`` is itself
    replaced by the new file and its target is never touched.

    With ``expected``, refuses (``EditConflict``, nothing written) when the file no longer
    matches it just before the rename; the check and the rename run under the folder's lock.
    ``shown`` is the path as messages name it. Refuses (``Refused``) a target that is not a
    regular file, is read-only or has several hard links. A failure at any point leaves the old
    file and no temporary file behind; an OSError is raised for the caller to word."""
    target = target_of(path) if follow_symlinks else path
    name = shown or str(path)
    if target != path:
        name = f"{name} (the target of the symlink, {target})"
    _guard_package(target, name)
    folder = target.parent
    with locked(folder), _signals_raise():
        old = None if target.is_symlink() else _check_replaceable(target, name)
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


# --- output folders -----------------------------------------------------------------------------

BUILD_INFIX = ".build-"
OLD_INFIX = ".old-"


@dataclass(frozen=True)
class FolderWrite:
    """What ``replace_folder`` did: the files written and, when it replaced an incomplete
    folder an interrupted build had left, a note saying so."""

    paths: list[Path]
    note: str | None = None


def clean_name(name: str) -> bool:
    """A file name fit for an output folder: relative, ``/``-separated, no empty, ``.`` or
    ``..`` part, no backslash or control character."""
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and all(p not in ("", ".", "..") for p in parts)
        and not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name)
    )


def _read_manifest(folder: Path, manifest: str) -> set[str] | None:
    """The names a manifest lists (only clean ones); None when there is no manifest, or what is
    there is not a regular file (a planted symlink is no manifest)."""
    try:
        st = os.lstat(folder / manifest)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    snap = snapshot(folder / manifest, 16 * 1024 * 1024)
    lines = snap.raw.decode("utf-8", "replace").splitlines()
    return {line for line in lines if clean_name(line)}


def _all_ours(folder: Path, ours: Callable[[str], bool]) -> bool:
    """Whether every entry under ``folder`` is a regular file or folder with a name ``ours``
    accepts (what an interrupted build of ours leaves), symlinks never."""
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                return False
            relative = (rel / name).as_posix()
            if name in filenames and not (
                path.is_file() and (ours(relative) or _is_temporary(name))
            ):
                return False
    return True


def _is_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(TEMP_SUFFIX) and "._w" in name


def _carry(old: Path, new: Path, skip: set[str], rel: str = "") -> None:
    """Copy into ``new`` what the user keeps in ``old`` (names not in ``skip``): files as hard
    links where the system allows (else copies), symlinks as symlinks (never followed),
    folders recursively; anything the new build writes wins."""
    import shutil

    for entry in os.scandir(old / rel if rel else old):
        name = f"{rel}/{entry.name}" if rel else entry.name
        if name in skip or _is_temporary(entry.name):
            continue
        dest = new / name
        if entry.is_symlink():
            if not os.path.lexists(dest):
                os.symlink(os.readlink(entry.path), dest)
        elif entry.is_dir(follow_symlinks=False):
            if not os.path.lexists(dest):
                os.mkdir(dest)
            elif not dest.is_dir() or dest.is_symlink():
                continue
            _carry(old, new, skip, name)
        elif entry.is_file(follow_symlinks=False) and not os.path.lexists(dest):
            try:
                os.link(entry.path, dest, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry.path, dest, follow_symlinks=False)


def _restore_or_clear(parent: Path, name: str, real: Path) -> None:
    """Under the parent's lock: what killed builds left beside ``real``. A half-built sibling
    is removed; a swapped-out old folder whose successor never arrived is put back (it is the
    last complete site, user files included); older ones are removed."""
    import shutil

    olds = []
    for entry in os.scandir(parent):
        if not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith(f".{name}{BUILD_INFIX}"):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif entry.name.startswith(f".{name}{OLD_INFIX}"):
            olds.append(entry)
    for entry in olds:
        inner = Path(entry.path) / "site"
        if not os.path.lexists(real) and inner.is_dir() and not inner.is_symlink():
            os.rename(inner, real)
        shutil.rmtree(entry.path, ignore_errors=True)


def replace_folder(
    out: Path,
    files: dict[str, bytes],
    manifest: str,
    ours: Callable[[str], bool],
    *,
    shown: str | None = None,
) -> FolderWrite:
    """Write ``files`` (relative name -> bytes) as the whole content of the output folder
    ``out``, with ``manifest`` listing them; ``ours(name)`` says whether a file name is one a
    build writes (to recognise what an interrupted build left).

    The folder is built in a new hidden sibling (``.NAME.build-*``), then swapped in by two
    renames: a reader, a deploy step or an interruption sees the old folder, the new one, or
    (between the renames) none, never a mix. Nothing in the old folder is followed or written
    through: files the old manifest does not list (the user's own, a ``CNAME``, a ``.git``) are
    carried into the new folder as they are (links stay links), everything else goes with the
    old folder. ``out`` must be empty, a folder this function built (its manifest), or hold
    only files a build writes (an interrupted first build: replaced, and the note says so);
    anything else is refused. Raises ``Refused``, or OSError for the caller to word."""
    import shutil

    label = shown or str(out)
    bad = [name for name in files if not clean_name(name)]
    if bad or manifest in files:
        raise ValueError(f"not a file name for an output folder: {(bad or [manifest])[0]!r}")
    real = Path(os.path.realpath(out))  # a symlink to a folder: the folder is replaced
    parent = real.parent
    with contextlib.suppress(OSError):
        if Path.cwd().resolve().is_relative_to(real):
            raise Refused(
                f"{label} is the working folder (or holds it); the folder is replaced whole, "
                "which would leave you in a removed folder: run the command from outside it "
                "(nothing was written)"
            )
    parent.mkdir(parents=True, exist_ok=True)
    note = None
    with locked(parent), _signals_raise():
        _restore_or_clear(parent, real.name, real)
        listed: set[str] = set()
        if os.path.lexists(real):
            if not real.is_dir():
                raise Refused(f"{label} exists and is not a folder; nothing was written")
            found = _read_manifest(real, manifest)
            if found is not None:
                listed = found | {manifest}
            elif any(real.iterdir()):
                if not _all_ours(real, ours):
                    raise Refused(
                        f"{label} is not empty and holds no site built by export-alignment; "
                        "give an empty or new folder (nothing was written)"
                    )
                listed = {
                    (Path(d).relative_to(real) / f).as_posix()
                    for d, _, names in os.walk(real)
                    for f in names
                }
                note = (
                    f"{label} held part of a site (an interrupted build left it, with no "
                    "manifest); it was replaced whole"
                )
        build = Path(tempfile.mkdtemp(prefix=f".{real.name}{BUILD_INFIX}", dir=parent))
        try:
            for name, data in sorted(files.items()):
                path = build / name
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, data, follow_symlinks=False)
            index = ("\n".join(sorted(files)) + "\n").encode("utf-8")
            write_atomic(build / manifest, index, follow_symlinks=False)
            if real.is_dir():
                _carry(real, build, listed | set(files) | {manifest})
                os.chmod(build, stat.S_IMODE(os.stat(real).st_mode))
            else:
                os.chmod(build, _new_file_mode(0o777))
            if os.path.lexists(real):
                old = Path(tempfile.mkdtemp(prefix=f".{real.name}{OLD_INFIX}", dir=parent))
                os.rename(real, old / "site")  # mkdtemp made a private name; the site goes in
                os.rename(build, real)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(build, real)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
    return FolderWrite([out / name for name in sorted(files)], note)
