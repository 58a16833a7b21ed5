"""Writing a file so that no reader ever sees half of it, and no edit overwrites a change made
meanwhile: ``add``, ``brief -o`` and ``schema -o`` all write through ``write_atomic``."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from export_alignment.errors import ExportAlignmentError


class EditConflict(ExportAlignmentError):
    """The file changed on disk between reading it and writing it; nothing was written."""


@dataclass(frozen=True)
class Snapshot:
    """A file as read: its bytes and the stat values that say whether it changed since."""

    raw: bytes
    mtime_ns: int
    size: int
    inode: int


def snapshot(path: Path) -> Snapshot:
    """Read a file together with what ``write_atomic`` needs to notice a later change."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        raw = f.read()
    return Snapshot(raw, st.st_mtime_ns, st.st_size, st.st_ino)


def _unchanged(path: Path, snap: Snapshot) -> bool:
    try:
        st = os.stat(path)
        if (st.st_mtime_ns, st.st_size, st.st_ino) != (snap.mtime_ns, snap.size, snap.inode):
            return False
        return path.read_bytes() == snap.raw
    except OSError:
        return False


def _mode_for(path: Path) -> int:
    """The old file's mode, or the usual one for a new file (mkstemp makes files 0600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(
    path: Path, data: bytes, expected: Snapshot | None = None, shown: str | None = None
) -> None:
    """Replace ``path`` with ``data``: written to a temporary file in the same folder, flushed and
    fsynced, then renamed over the file. With ``expected``, refuses (``EditConflict``, nothing
    written) when the file no longer matches it just before the rename; ``shown`` is the path
    as the message names it. A failure at any point leaves the old file and no temporary file
    behind; an OSError is raised for the caller to word."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, _mode_for(path))
        if expected is not None and not _unchanged(path, expected):
            raise EditConflict(
                f"{shown or path} changed on disk since it was read; nothing "
                "was written (run the command again)"
            )
        os.replace(tmp, path)
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
