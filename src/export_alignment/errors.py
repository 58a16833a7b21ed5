"""The package's exception root and its exit statuses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # problems is a layer of its own; errors import nothing at run time
    from export_alignment.problems import Problem


class ExitStatus(IntEnum):
    """Every exit code the command uses."""

    OK = 0
    """Nothing wrong (warnings allowed)."""
    DATA_ERROR = 1
    """The data has errors, or an edit was refused because of them."""
    USAGE_ERROR = 2
    """A bad flag, a missing data folder or another mistake in how the command was called."""
    NETWORK_FAILURE = 3
    """``watch`` and ``sources check``: every source or address failed on the network (no
    answer at all), so nothing was learnt; ``1`` there means something to act on (new items,
    dead links, failed sources)."""


class ExportAlignmentError(Exception):
    """Root of every error this package raises on purpose."""

    exit_status = ExitStatus.DATA_ERROR


class UsageError(ExportAlignmentError):
    """The user called something the wrong way (bad option value, missing folder)."""

    exit_status = ExitStatus.USAGE_ERROR


class DataError(ExportAlignmentError):
    """The data cannot be used; ``problems`` says where and why."""

    exit_status = ExitStatus.DATA_ERROR

    def __init__(self, problems: Iterable[Problem], message: str = "the data has errors"):
        super().__init__(message)
        self.problems = list(problems)
