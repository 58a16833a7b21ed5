"""The package's exception root and its exit statuses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
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


# --- typed usage errors: the library says what is wrong and keeps the values; the command line
# (``cli.app.words``) words each one in terms of its options. ---------------------------------


class UnknownAlly(UsageError):
    """A name or id (``wanted``, as given) that matches no ally of the record; ``close``: the
    nearest allies' ids, ``allies``: every ally's id."""

    def __init__(self, wanted: str, close: list[str], allies: list[str]):
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        super().__init__(
            f"no ally {wanted!r} in the record{hint}; allies: {', '.join(allies) or 'none'}"
        )
        self.wanted, self.close, self.allies = wanted, close, allies


class UnknownControl(UsageError):
    """An id (``control``) that names no initiator control of the record (``controls``)."""

    def __init__(self, control: str, controls: list[str]):
        super().__init__(
            f"no initiator control {control!r}; controls: {', '.join(controls) or 'none'}"
        )
        self.control, self.controls = control, controls


class UnknownScope(UsageError):
    """A scope item that no initiator control covers, or not ``control`` when one is asked
    about; ``items``: the items there are."""

    def __init__(self, scope: str, control: str | None, items: list[str]):
        pool = f"control {control}" if control else "any initiator control"
        super().__init__(f"{scope!r} is not an item of {pool}; items: {', '.join(items) or 'none'}")
        self.scope, self.control, self.items = scope, control, items


class TooFewDays(UsageError):
    """A number of days below the least that makes sense (1)."""

    def __init__(self, days: int):
        super().__init__(f"{days} is not at least 1 day")
        self.days = days


class TooManyDays(UsageError):
    """A number of days above the most that makes sense (``most``: a century)."""

    def __init__(self, days: int, most: int):
        super().__init__(f"{days} is more than {most} days (a century)")
        self.days, self.most = days, most


class WindowReversed(UsageError):
    """A window that ends before it starts: ``since`` after ``as_of``."""

    def __init__(self, since: date, as_of: date):
        super().__init__(f"the window starts ({since}) after it ends ({as_of})")
        self.since, self.as_of = since, as_of


class UnknownFormat(UsageError):
    """A format (``fmt``, as given) that is not one of ``formats``."""

    def __init__(self, fmt: str, formats: Iterable[str]):
        self.fmt, self.formats = fmt, list(formats)
        super().__init__(f"must be one of {', '.join(self.formats)}, not {fmt!r}")


class OutputNotWritable(UsageError):
    """An output path that cannot be written. ``problem`` says what is wrong: ``"is a folder"``
    or ``"exists and is not a folder"`` (the path is the wrong kind), ``"cannot write to"`` or
    ``"cannot create"`` (the system refused; ``reason`` is its word for why)."""

    def __init__(self, path: str, problem: str, reason: str | None = None):
        refused = problem.startswith("cannot")
        text = f"{problem} {path!r}: {reason}" if refused else f"{path!r} {problem}"
        super().__init__(text)
        self.path, self.problem, self.reason = path, problem, reason


class NoDataFolder(UsageError):
    """No data folder was named and none was found where one is looked for (``env_var``: the
    environment variable that names one)."""

    def __init__(self, env_var: str):
        super().__init__(f"no data folder (none named, none found; ${env_var} is not set)")
        self.env_var = env_var


class WriteRefused(UsageError):
    """A writing command refused a data folder (``path``, resolved). ``distrusted`` says why a
    folder found without being named is not trusted; None: it is the record shipped inside the
    installed package, which a reinstall would replace."""

    def __init__(self, path: str, distrusted: str | None):
        what = "the record shipped inside the installed package" if distrusted is None else path
        super().__init__(f"refusing to write into {what}")
        self.path, self.distrusted = path, distrusted


class NotAWebAddress(UsageError):
    """A value (``value``, as given) that cannot be the http(s) address asked for: ``problem``
    says why (``"is not an http(s) address"``, ``"contains spaces or control characters"``)."""

    def __init__(self, value: str, problem: str):
        super().__init__(f"{value!r} {problem}")
        self.value, self.problem = value, problem


class DayTooEarly(UsageError):
    """A day before the first one an output can show (``first``); ``why`` says why, in a
    clause (``"the site's charts start on 1 January of the year before their last day"``);
    ``since`` when the day is where a window starts (else it is the day asked about)."""

    def __init__(self, day: date, first: date, why: str, *, since: bool = False):
        super().__init__(f"{day.isoformat()}: {why}, so the date must be {first} or later")
        self.day, self.first, self.why, self.since = day, first, why, since
