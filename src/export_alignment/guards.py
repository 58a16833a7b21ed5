"""The refusals every command shares, each written once: invalid data and a window that ends
before it starts (an ally, control or scope item not in the record: ``question``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from export_alignment.checks import Validation, validate
from export_alignment.errors import DataError, WindowReversed


def require_valid(data_dir: Path, today: date | None = None) -> Validation:
    """The validated record, or a DataError carrying its problems (reporting commands refuse
    invalid data the way ``validate`` reports it: errors and warnings). A valid record's
    warnings are not looked for: no caller shows them."""
    result = validate(data_dir, today, warnings=False)
    if not result.ok:
        raise DataError(result.problems, "the data has errors; run 'export-alignment validate'")
    return result


def require_window(since: date | None, as_of: date) -> None:
    """A ``WindowReversed`` when ``since`` lies after ``as_of`` (a window that ends before it
    starts)."""
    if since is not None and since > as_of:
        raise WindowReversed(since, as_of)
