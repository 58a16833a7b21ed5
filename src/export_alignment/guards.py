"""The refusals every command shares, each written once: invalid data, an ally that is not in
the record, and a ``--since`` after ``--as-of``."""

from __future__ import annotations

import difflib
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
    """The ally ids ``wanted`` names (None: every ally). Each value may hold several, comma-
    separated; each matches an ally's id or name, ignoring case. A UsageError names the first
    that matches none, with the closest allies and the allies there are."""
    if not wanted:
        return None
    allies = dataset.allies()
    by_key: dict[str, str] = {}
    for a in allies:
        by_key.setdefault(a.id.casefold(), a.id)
        by_key.setdefault(" ".join(a.name.split()).casefold(), a.id)
    chosen: list[str] = []
    for value in wanted:
        for part in value.split(","):
            key = " ".join(part.split()).casefold()
            if not key:
                continue
            if key not in by_key:
                close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
                named = list(dict.fromkeys(by_key[c] for c in close))
                hint = f" (did you mean {', '.join(named)}?)" if named else ""
                raise UsageError(
                    f"no ally {escape.one_line(part.strip())!r} in the record{hint}; allies: "
                    f"{', '.join(a.id for a in allies) or 'none'}"
                )
            if by_key[key] not in chosen:
                chosen.append(by_key[key])
    return chosen or None


def require_window(since: date | None, as_of: date) -> None:
    """A UsageError when ``since`` lies after ``as_of`` (a window that ends before it starts)."""
    if since is not None and since > as_of:
        raise UsageError(f"--since ({since}) is after --as-of ({as_of})")
