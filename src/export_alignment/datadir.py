"""Where the data is: the folder a command reads, chosen from the option, the environment, the
working folder and the record shipped with the package, in that order.

An explicit choice (``--data``, ``$EXPORT_ALIGNMENT_DATA``) must exist or the command stops with a
usage error. The implicit places are tried in ``IMPLICIT`` order and the first that holds a data
folder wins; a new place (an upward search for a folder holding ``data/actors.yaml``, say) is one
more finder in that tuple.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from export_alignment.errors import UsageError

ENV_VAR = "EXPORT_ALIGNMENT_DATA"


def shipped_root() -> Path | None:
    """The dataset installed with the package, or (in a source checkout) the repository's."""
    installed = Path(__file__).resolve().parent / "_dataset"
    if (installed / "data").is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "data" / "actors.yaml").is_file() and (checkout / "pyproject.toml").is_file():
        return checkout
    return None


def _working_folder() -> Path | None:
    local = Path("data")
    return local if local.is_dir() else None


def _shipped() -> Path | None:
    root = shipped_root()
    return None if root is None else root / "data"


IMPLICIT: tuple[Callable[[], Path | None], ...] = (_working_folder, _shipped)
"""Where to look when no folder is named, in order; each finder returns a folder or None."""


def _explicit(option: str | os.PathLike | None) -> Path | None:
    chosen = option if option not in (None, "") else os.environ.get(ENV_VAR) or None
    return None if chosen is None else Path(chosen)


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


def resolve_data_dir(option: str | os.PathLike | None) -> Path:
    """The data folder: the option, else $EXPORT_ALIGNMENT_DATA, else the first of ``IMPLICIT``
    that finds one (./data, then the shipped dataset). Raises UsageError when the named folder
    does not exist or none is found."""
    explicit = _explicit(option)
    if explicit is not None:
        return _checked(explicit)
    for find in IMPLICIT:
        found = find()
        if found is not None:
            return found
    raise UsageError(f"no data folder: pass --data DIR or set {ENV_VAR}")
