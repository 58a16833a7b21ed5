"""The refusals every command shares, each written once: invalid data, an ally that is not in
the record, and a ``--since`` after ``--as-of``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from export_alignment import escape
from export_alignment.checks import Validation, validate
from export_alignment.errors import DataError, UsageError
from export_alignment.models import Dataset


def require_valid(data_dir: Path, today: date | None = None) -> Validation:
    """The validated record, or a DataError carrying its problems (reporting commands refuse
    invalid data the way ``validate`` reports it)."""
    result = validate(data_dir, today)
    if not result.ok:
        raise DataError(result.problems, "the data has errors; run 'export-alignment validate'")
    return result


def require_allies(dataset: Dataset, wanted: list[str] | None) -> list[str] | None:
    """``wanted`` when every id in it is an ally of the record (None: every ally), else a
    UsageError naming the first unknown one and the allies there are."""
    if not wanted:
        return None
    known = [a.id for a in dataset.allies()]
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise UsageError(
            f"no ally {escape.one_line(unknown[0])!r} in the record; allies: "
            f"{', '.join(known) or 'none'}"
        )
    return wanted


def require_window(since: date | None, as_of: date) -> None:
    """A UsageError when ``since`` lies after ``as_of`` (a window that ends before it starts)."""
    if since is not None and since > as_of:
        raise UsageError(f"--since ({since}) is after --as-of ({as_of})")
