"""Plain data with positions to typed records, each schema error located in its file."""

from __future__ import annotations

import functools
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from export_alignment.loader import LoadedFile
from export_alignment.models import FILE_MODELS, FILE_SECTIONS, Origin, set_origin
from export_alignment.problems import MAX_PER_FILE_AND_RULE, Level, Problem, more
from export_alignment.reader import KeyPath, keypath_text
from export_alignment.rules.did_you_mean import close_words, hint
from export_alignment.shape import RECORD_MODELS


def schema_problems(
    exc: ValidationError, model: type[BaseModel], loaded: LoadedFile, base: KeyPath
) -> list[Problem]:
    """The problems of a record of ``model`` at ``base`` in a file that failed its schema:
    a missing field at its parent, an unknown one at its key (with the closest known field),
    a wrong value at the value."""
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
            rule, message = "unknown-field", f"unknown field {field!r}{_did_you_mean(model, loc)}"
        else:
            line, col = loaded.locate(full)
            msg = err["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            rule, message = "schema", f"{field}: {msg[:1].lower()}{msg[1:]}"
        problems.append(Problem(loaded.path, line, col, rule, Level.ERROR, message))
    return problems


def _did_you_mean(model: type[BaseModel], loc: KeyPath) -> str:
    """``; did you mean 'summary'?``: the known fields, where the unknown one stands, closest to
    it (``sumary`` in a statement, ``titel`` in its source)."""
    word = loc[-1] if loc else None
    if not isinstance(word, str):
        return ""
    parent = tuple(part for part in loc[:-1] if isinstance(part, str))
    return hint(close_words(word, _fields_at(model, parent)))


@functools.cache
def _fields_at(model: type[BaseModel], path: tuple[str, ...]) -> frozenset[str]:
    """The field names of the models found by following ``path`` (field names; list indexes
    left out) from ``model``; none when the path leaves the declared shape."""
    models = [model]
    for part in path:
        models = [
            inner
            for m in models
            if (info := m.model_fields.get(part)) is not None
            for inner in _models_in(info.annotation)
        ]
    return frozenset(name for m in models for name in m.model_fields)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation holds (``Source | None``, ``list[LifecycleEvent]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def _share_fields_set(model: BaseModel, shared: dict[frozenset[str], set[str]]) -> None:
    """Give a typed record (and the models it holds) the one set of given field names that
    every record with the same fields holds: pydantic keeps a set per instance, the largest part
    of a small record, and frozen records never change theirs."""
    fields = model.__pydantic_fields_set__
    one = shared.setdefault(frozenset(fields), fields)
    if one is not fields:
        object.__setattr__(model, "__pydantic_fields_set__", one)
    values = model.__dict__
    for name in _parts(type(model)):
        value = values[name]
        if isinstance(value, BaseModel):
            _share_fields_set(value, shared)
        elif isinstance(value, list):
            for part in value:
                if isinstance(part, BaseModel):
                    _share_fields_set(part, shared)


@functools.cache
def _parts(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that may hold models (a source, a list of lifecycle events)."""
    return tuple(name for name, info in model.model_fields.items() if _holds_model(info.annotation))


def _holds_model(annotation: Any) -> bool:
    return bool(_models_in(annotation))


def build_records(
    name: str, loaded: LoadedFile, release: bool = False
) -> tuple[list[Any], list[Problem]]:
    """Validate each record of one file on its own, so one bad record hides no other problem.
    With ``release``, each record's plain data is dropped from ``loaded.data`` once typed (its
    list keeps its length; records that failed their schema stay, for the reference checks), so
    a big file is not held twice."""
    data = loaded.data
    if data is None:
        return [], []
    problems: list[Problem] = []
    known = FILE_SECTIONS.get(name, {})
    unknown = [key for key in data if key != name and key not in known]
    for key in unknown[: MAX_PER_FILE_AND_RULE + 1]:  # the last: where "and N more" stands
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
    if len(unknown) > MAX_PER_FILE_AND_RULE:
        problems[-1] = more(problems[-1], len(unknown) - MAX_PER_FILE_AND_RULE)
    return _build_list(name, RECORD_MODELS[name], loaded, problems, release)


def build_section(name: str, key: str, loaded: LoadedFile) -> tuple[list[Any], list[Problem]]:
    """The records of a section a file holds beside its own (``scope_items`` in controls)."""
    if not isinstance(loaded.data, dict) or key not in loaded.data:
        return [], []
    return _build_list(key, FILE_SECTIONS[name][key], loaded, [])


def _build_list(
    name: str, model: Any, loaded: LoadedFile, problems: list[Problem], release: bool = False
) -> tuple[list[Any], list[Problem]]:
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
    validate = model.model_validate
    path = loaded.path
    shared: dict[frozenset[str], set[str]] = {}
    for i, item in enumerate(items):
        base = (name, i)
        try:
            record = validate(item)
        except ValidationError as exc:
            # kept: the references of a record that failed its schema are still checked
            problems.extend(schema_problems(exc, model, loaded, base))
            continue
        if release:
            items[i] = None
        set_origin(record, Origin(path, base))
        _share_fields_set(record, shared)
        records.append(record)
    return records, problems


__all__ = ["build_records", "build_section", "FILE_MODELS"]
