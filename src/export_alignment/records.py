"""Plain data with positions to typed records, each schema error located in its file."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from export_alignment.loader import LoadedFile
from export_alignment.models import FILE_MODELS, FILE_SECTIONS, Origin
from export_alignment.problems import Level, Problem
from export_alignment.shape import RECORD_MODELS


def keypath_text(loc: tuple) -> str:
    """A key path as a reader writes it: ``lifecycle[0].date``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems_from(exc: ValidationError, loaded: LoadedFile, base: tuple) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        full = base + loc
        kind = err["type"]
        field = keypath_text(loc) or "record"
        if kind == "missing":
            line, col = loaded.locate(full[:-1])
            rule, message = "missing-field", f"missing required field {field!r}"
        elif kind == "extra_forbidden":
            line, col = loaded.locate(full, key=True)
            rule, message = "unknown-field", f"unknown field {field!r}"
        else:
            line, col = loaded.locate(full)
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            rule, message = "schema", f"{field}: {msg[:1].lower()}{msg[1:]}"
        problems.append(Problem(loaded.path, line, col, rule, Level.ERROR, message))
    return problems


def build_records(name: str, loaded: LoadedFile) -> tuple[list, list[Problem]]:
    """Validate each record of one file on its own, so one bad record hides no other problem."""
    data = loaded.data
    if data is None:
        return [], []
    problems: list[Problem] = []
    for key in data:
        if key != name and key not in FILE_SECTIONS.get(name, {}):
            line, col = loaded.locate((key,), key=True)
            problems.append(
                Problem(
                    loaded.path,
                    line,
                    col,
                    "unknown-field",
                    Level.ERROR,
                    f"unknown top-level key {str(key)!r}; this file holds '{name}: [...]'",
                )
            )
    return _build_list(name, RECORD_MODELS[name], loaded, problems)


def build_section(name: str, key: str, loaded: LoadedFile) -> tuple[list, list[Problem]]:
    """The records of a section a file holds beside its own (``scope_items`` in controls)."""
    if not isinstance(loaded.data, dict) or key not in loaded.data:
        return [], []
    return _build_list(key, FILE_SECTIONS[name][key], loaded, [])


def _build_list(
    name: str, model: Any, loaded: LoadedFile, problems: list[Problem]
) -> tuple[list, list[Problem]]:
    data = loaded.data
    assert isinstance(data, dict)
    items: Any = data.get(name, [])
    if items is None:
        items = []
    if not isinstance(items, list):
        line, col = loaded.locate((name,))
        problems.append(
            Problem(
                loaded.path,
                line,
                col,
                "schema",
                Level.ERROR,
                f"{name}: should be a list of records",
            )
        )
        return [], problems
    records = []
    for i, item in enumerate(items):
        base = (name, i)
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            problems.extend(_problems_from(exc, loaded, base))
            continue
        record._origin = Origin(loaded.path, base)
        records.append(record)
    return records, problems


__all__ = ["build_records", "build_section", "FILE_MODELS"]
