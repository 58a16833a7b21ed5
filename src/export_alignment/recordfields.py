"""The fields a command line may set on a new record, derived from the models (``FIELDS``): every
field of a record is an option named after it; a source's fields are named after the source
field, with a ``source-`` prefix where the record has a field of the same name
(``--source-notes``). And the values given for them: normalised, the required ones missing, an
id suggested, the ids a reference may name, the record as plain data (``editing`` adds it)."""

from __future__ import annotations

import enum
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from export_alignment.dates import PartialDate
from export_alignment.errors import UsageError
from export_alignment.models import Dataset
from export_alignment.shape import (
    KINDS,
    MEASURE_DATES,
    RECORD_MODELS,
    REFERENCES,
    TARGETS,
)


@dataclass(frozen=True)
class FieldSpec:
    """One field a command line may set."""

    option: str
    """The option, e.g. ``--date-note`` or ``--source-notes``."""
    path: tuple[str, ...]
    """Where the value goes in the record: ``("date_note",)``, ``("source", "notes")``."""
    required: bool
    many: bool
    """A list field: comma-separated values or the option repeated."""
    choices: tuple[str, ...] | None
    """The vocabulary, for fields that take one."""
    is_date: bool
    refers_to: str | None
    """``actor``, ``ally``, ``initiator-control`` or ``state-or-bloc`` for references."""
    help: str

    @property
    def param(self) -> str:
        """The option as a Python identifier (``date_note``, ``source_notes``)."""
        return self.option.lstrip("-").replace("-", "_")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and Annotated metadata, and whether it is a list."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            inner, _ = _unwrap(typing.get_args(annotation)[0])
            return inner, True
        else:
            return annotation, False


def _specs(
    file: str,
    model: type[BaseModel],
    prefix: tuple[str, ...] = (),
    taken: frozenset[str] = frozenset(),
) -> list[FieldSpec]:
    out: list[FieldSpec] = []
    names = frozenset(model.model_fields)
    for name, info in model.model_fields.items():
        base, many = _unwrap(info.annotation)
        if isinstance(base, type) and issubclass(base, BaseModel):
            if many:  # a list of records (sources, lifecycle) is written in the file, not here
                continue
            out.extend(_specs(file, base, prefix + (name,), names))
            continue
        option_name = name.replace("_", "-")
        if prefix and name in taken:
            option_name = f"{prefix[-1]}-{option_name}"
        choices = None
        if isinstance(base, type) and issubclass(base, enum.Enum):
            choices = tuple(str(m.value) for m in base)
        description = info.description or ""
        if many:
            description = (
                description + "; " if description else ""
            ) + "comma-separated, or repeat the option"
        out.append(
            FieldSpec(
                option=f"--{option_name}",
                path=prefix + (name,),
                required=info.is_required(),
                many=many,
                choices=choices,
                is_date=base is PartialDate,
                refers_to=None if prefix else _target_name(file, name),
                help=description,
            )
        )
    return out


def _target_name(file: str, name: str) -> str | None:
    target = REFERENCES.get((file, name))
    return None if target is None else target.name


FIELDS: dict[str, list[FieldSpec]] = {
    kind: _specs(file, RECORD_MODELS[file]) for kind, file in KINDS.items()
}
"""Every settable field of each record kind, in the model's (and the file's) key order."""


def file_for(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError(f"a record is one of {', '.join(KINDS)}, not {kind!r}")
    return KINDS[kind]


# --- values from the command line -----------------------------------------------------------


def normalise(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Option values by parameter name -> values by parameter name, absent ones dropped: list
    fields split on commas (``--about jp,nl`` is ``--about jp --about nl``)."""
    out: dict[str, Any] = {}
    file_for(kind)
    for spec in FIELDS[kind]:
        value = raw.get(spec.param)
        if value is None:
            continue
        if spec.many:
            items = [value] if isinstance(value, str) else list(value)
            parts = [p.strip() for item in items for p in str(item).split(",")]
            parts = [p for p in parts if p]
            if parts:
                out[spec.param] = parts
        else:
            out[spec.param] = str(value)
    return out


def missing(kind: str, values: Mapping[str, Any], *, with_id: bool = False) -> list[FieldSpec]:
    """The required fields not given (the id only with ``with_id``: it can be suggested)."""
    return [
        s
        for s in FIELDS[kind]
        if s.required and s.param not in values and (with_id or s.param != "id")
    ]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def suggest_id(kind: str, values: Mapping[str, Any], taken: Iterable[str]) -> str | None:
    """An id for the new record, unique among ``taken``: a statement's from the speaker's last
    name part and the date (``kishida-2023-01-13`` for ``fumio-kishida`` on that day), a
    control's from the issuer and its first date, an actor's from its name. None when the
    fields it is made of are missing."""
    taken = set(taken)
    if kind == "statement":
        speaker, day = values.get("speaker"), values.get("date")
        if not speaker or not day:
            return None
        base = f"{_slug(speaker).rsplit('-', 1)[-1]}-{_slug(day)}"
    elif kind == "control":
        issuer = values.get("issuer")
        day = next((values[d] for d in MEASURE_DATES if values.get(d)), None)
        if not issuer:
            return None
        base = "-".join(
            p for p in (_slug(issuer), _slug(day or ""), _slug(values.get("kind") or "")) if p
        )
    else:
        base = _slug(values.get("name") or "")
    base = base[:90].strip("-")
    if not base:
        return None
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def reference_choices(spec: FieldSpec, dataset: Dataset) -> list[str]:
    """The ids a reference field may name in this dataset (for prompts and completion)."""
    return [] if spec.refers_to is None else TARGETS[spec.refers_to].choices(dataset)


def reference_names(spec: FieldSpec, dataset: Dataset) -> dict[str, str]:
    """The ids a reference field may name, by the record's name (an actor's ``name``), for
    prompts that take a name as well as an id."""
    ids = set(reference_choices(spec, dataset))
    return {a.name: a.id for a in dataset.actors if a.id in ids and a.name}


def record_from(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The record as plain data, keys in the model's order, from values by parameter name."""
    record: dict[str, Any] = {}
    for spec in FIELDS[kind]:
        if spec.param not in values:
            continue
        node = record
        for part in spec.path[:-1]:
            node = node.setdefault(part, {})
        node[spec.path[-1]] = values[spec.param]
    return record
