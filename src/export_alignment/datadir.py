"""Where the data is: the folder a command reads, chosen in this order (the first that answers
wins):

1. ``--data DIR``;
2. ``$EXPORT_ALIGNMENT_DATA``;
3. ``./data`` in the working folder;
4. the nearest folder above the working folder that holds ``data/actors.yaml`` (as git finds
   ``.git``), so a command run from ``data/``, ``src/`` or any subfolder of a checkout reads that
   checkout's record;
5. the record shipped with the package (read-only: ``add`` refuses to write there).

An explicit choice (``--data``, ``$EXPORT_ALIGNMENT_DATA``) must exist or the command stops with a
usage error. A folder found without being named (``./data``, the upward search) is trusted only
when it is the user's: one owned by another user, world-writable, or lying directly in a
world-writable folder that is not the user's (a ``data/`` someone planted in ``/tmp``) is named
with a warning when read and refused for writing, as git refuses a repository it does not trust
(``safe.directory``). Naming it (``--data``, ``$EXPORT_ALIGNMENT_DATA``) or listing it in
``$EXPORT_ALIGNMENT_SAFE_DIRECTORY`` trusts it. The implicit places are tried in ``IMPLICIT``
order and the first that holds a data folder wins; a new place is one more finder in that tuple.
``locate`` also says how the folder was found, so every report can name the dataset it used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from export_alignment.errors import NoDataFolder, UsageError, WriteRefused

ENV_VAR = "EXPORT_ALIGNMENT_DATA"
TRUST_ENV = "EXPORT_ALIGNMENT_SAFE_DIRECTORY"
"""Folders (``os.pathsep``-separated; a dataset's root or its ``data/``) trusted although not
the user's, or ``*`` for any."""


def _current_uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def distrust(data: Path) -> str | None:
    """Why a data folder found without being named is not to be trusted (None: it is): owned
    by another user, world-writable, or lying in a world-writable folder that is not the
    user's. Nothing is checked where the system has no owners (Windows)."""
    uid = _current_uid()
    if uid is None:
        return None
    trusted = [t for t in os.environ.get(TRUST_ENV, "").split(os.pathsep) if t]
    try:
        real = Path(os.path.realpath(data))
        if "*" in trusted or any(
            real in (Path(os.path.realpath(t)), Path(os.path.realpath(t)) / "data") for t in trusted
        ):
            return None
        st, up = os.stat(real), os.stat(real.parent)
    except OSError:
        return None
    if st.st_uid != uid:
        return f"owned by another user (uid {st.st_uid})"
    if st.st_mode & 0o002:
        return "writable by every user"
    if up.st_mode & 0o002 and up.st_uid != uid:
        return f"in {real.parent}, a world-writable folder that is not yours"
    return None


def shipped_root() -> Path | None:
    """The dataset installed with the package, or (in a source checkout) the repository's."""
    installed = Path(__file__).resolve().parent / "_dataset"
    if (installed / "data").is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "data" / "actors.yaml").is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    return None


def installed_root() -> Path | None:
    """The dataset inside the installed package (None in a source checkout): never written to."""
    installed = Path(__file__).resolve().parent / "_dataset"
    return installed if (installed / "data").is_dir() else None


def _working_folder() -> Path | None:
    local = Path("data")
    return local if local.is_dir() else None


def _above() -> Path | None:
    """The nearest folder at or above the working folder holding ``data/actors.yaml``."""
    try:
        here = Path.cwd()
    except OSError:  # the working folder was removed
        return None
    for folder in (here, *here.parents):
        try:
            if (folder / "data" / "actors.yaml").is_file():
                return folder / "data"
        except OSError:
            return None
    return None


def _shipped() -> Path | None:
    root = shipped_root()
    return None if root is None else root / "data"


IMPLICIT: tuple[Callable[[], Path | None], ...] = (_working_folder, _above, _shipped)
"""Where to look when no folder is named, in order; each finder returns a folder or None."""

HOW = {
    "option": "--data",
    "environment": f"${ENV_VAR}",
    "_working_folder": "./data",
    "_above": "found above the working folder",
    "_shipped": "the record shipped with the package",
}
"""How each place is named when a report says which dataset it used."""


@dataclass(frozen=True)
class Located:
    """The data folder and how it was chosen (a key of ``HOW``)."""

    path: Path
    how: str
    distrusted: str | None = None
    """Why a folder found without being named is not trusted (``distrust``), or None."""

    @property
    def warning(self) -> str | None:
        """What a report says about a dataset it does not trust."""
        if self.distrusted is None:
            return None
        return (
            f"this dataset is {self.distrusted}; it is read, but nothing is written to it. Pass "
            f"--data to use it knowingly, or list it in ${TRUST_ENV}"
        )

    @property
    def shipped(self) -> bool:
        """True when this is the copy inside the installed package."""
        root = installed_root()
        if root is None:
            return False
        try:
            return self.path.resolve() == (root / "data").resolve()
        except OSError:
            return False

    @property
    def label(self) -> str:
        """``/abs/path/data (found above the working folder)``: the line a report prints."""
        try:
            shown = str(self.path.resolve())
        except OSError:
            shown = str(self.path)
        how = HOW.get(self.how, self.how)
        if self.shipped or self.how == "_shipped":
            how = HOW["_shipped"]
        if self.warning:
            return f"{shown} ({how}); warning: {self.warning}"
        return f"{shown} ({how})"

    def as_dict(self) -> dict[str, str]:
        """The ``dataset`` key of the JSON outputs: ``{"path", "found_by"}``."""
        try:
            shown = str(self.path.resolve())
        except OSError:
            shown = str(self.path)
        found_by = {
            "option": "option",
            "environment": "environment",
            "_working_folder": "working_folder",
            "_above": "upward_search",
            "_shipped": "shipped",
        }.get(self.how, self.how)
        if self.shipped:
            found_by = "shipped"
        out = {"path": shown, "found_by": found_by}
        if self.warning:
            out["warning"] = self.warning
        return out


def _explicit(option: str | os.PathLike[str] | None) -> tuple[Path, str] | None:
    if option is not None and option != "":
        return Path(option), "option"
    env = os.environ.get(ENV_VAR) or None
    return None if env is None else (Path(env), "environment")


def _checked(path: Path) -> Path:
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except OSError as exc:  # a name too long for the system, say
        raise UsageError(f"data folder {str(path)!r} cannot be read ({exc.strerror})") from None
    if not exists:
        raise UsageError(f"data folder {str(path)!r} does not exist")
    if not is_dir:
        raise UsageError(
            f"{str(path)!r} is not a folder (expected the folder holding "
            "actors.yaml, controls.yaml and statements.yaml)"
        )
    return path


def locate(option: str | os.PathLike[str] | None) -> Located:
    """The data folder and how it was found: the option, else $EXPORT_ALIGNMENT_DATA, else the
    first of ``IMPLICIT`` that finds one (./data, the nearest folder above holding
    data/actors.yaml, the shipped dataset). Raises UsageError when the named folder does not
    exist, NoDataFolder when none is found."""
    explicit = _explicit(option)
    if explicit is not None:
        return Located(_checked(explicit[0]), explicit[1])
    for find in IMPLICIT:
        found = find()
        if found is not None:
            how = getattr(find, "__name__", "implicit")
            return Located(found, how, None if find is _shipped else distrust(found))
    raise NoDataFolder(ENV_VAR)


def resolve_data_dir(option: str | os.PathLike[str] | None) -> Path:
    """The data folder ``locate`` chooses."""
    return locate(option).path


def writable(option: str | os.PathLike[str] | None) -> Path:
    """The data folder for a writing command: refused (``WriteRefused``) when it was found
    without being named and is not to be trusted, or is the record shipped inside the installed
    package, which a reinstall would silently replace."""
    located = locate(option)
    if located.distrusted:
        raise WriteRefused(str(located.path.resolve()), located.distrusted)
    if located.shipped:
        raise WriteRefused(str(located.path.resolve()), None)
    return located.path
