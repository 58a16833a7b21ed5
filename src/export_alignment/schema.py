"""JSON Schemas (draft-07, as the YAML language server reads them) generated from the models, and
the schemas of the JSON outputs (``output/``) generated from the views' types."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypeAlias, overload

from export_alignment.atomic import write_atomic
from export_alignment.models import FILE_MODELS
from export_alignment.shape import DATA_FILES

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

JsonValue: TypeAlias = (
    "None | bool | int | float | str | Sequence[JsonValue] | Mapping[str, JsonValue]"
)
"""A JSON value, as a schema document holds them."""
Schema: TypeAlias = dict[str, JsonValue]
"""A JSON Schema document (or one of its nodes)."""


@overload
def _retarget(node: Mapping[str, JsonValue]) -> Schema: ...
@overload
def _retarget(node: JsonValue) -> JsonValue: ...
def _retarget(node: JsonValue) -> JsonValue:
    """``node`` with its ``$ref``s to ``#/$defs/`` pointing to ``#/definitions/`` (draft-07)."""
    if isinstance(node, Mapping):
        return {
            k: (
                v.replace("#/$defs/", "#/definitions/")
                if k == "$ref" and isinstance(v, str)
                else _retarget(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_retarget(v) for v in node]
    return node


def file_schema(name: str) -> Schema:
    """The schema of one data file (``actors``, ``controls`` or ``statements``)."""
    schema = FILE_MODELS[name].model_json_schema()
    defs = schema.pop("$defs", {})
    out: Schema = {
        "$schema": DRAFT_07,
        "$id": f"{name}.schema.json",
        "title": f"export-alignment {name}.yaml",
    }
    out.update(_retarget(schema))
    if defs:
        out["definitions"] = _retarget(defs)
    return out


def render(name: str) -> str:
    return _dumps(file_schema(name))


def _dumps(doc: Schema) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


OUTPUT_NAMES = ("status", "explain", "timeline", "list", "export")
"""The commands whose JSON output has a published schema (``schemas/output/<name>.schema.json``)."""

_CELL: dict[type, Schema] = {
    str: {"type": ["string", "null"]},
    int: {"type": ["integer", "null"]},
    bool: {"type": ["boolean", "null"]},
    list: {"type": "array", "items": {"type": "string"}},
}


def output_schema(name: str) -> Schema:
    """The schema of one command's JSON output, generated from the views' types (``status``,
    ``explain``, ``timeline``), the list kinds and the export's tables."""
    from pydantic import TypeAdapter

    from export_alignment.export import FORMAT_VERSION, TABLES
    from export_alignment.views.outputs import OUTPUTS, DatasetJson

    head: Schema = {
        "$schema": DRAFT_07,
        "$id": f"output/{name}.schema.json",
        "title": f"export-alignment {name} JSON output",
    }
    if name in OUTPUTS:
        schema = _closed(TypeAdapter(OUTPUTS[name]).json_schema())
        defs = schema.pop("$defs", {})
        head.update(_retarget(schema))
        if defs:
            head["definitions"] = _retarget(defs)
        return head
    if name == "list":
        from export_alignment.views.listing import KINDS

        row: Schema = {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
        head.update(
            type="object",
            required=["kind"],
            properties={
                "kind": {"enum": list(KINDS)},
                "dataset": _closed(TypeAdapter(DatasetJson).json_schema()),
                **{kind: {"type": "array", "items": row} for kind in KINDS},
            },
            additionalProperties=False,
        )
        return head
    tables: Schema = {
        table: {
            "type": "array",
            "items": {
                "type": "object",
                "required": list(columns),
                "properties": {c: _CELL[t] for c, t in columns.items()},
                "additionalProperties": False,
            },
        }
        for table, (columns, *_rest) in TABLES.items()
    }
    head.update(
        type="object",
        required=["format", "as_of", *TABLES],
        properties={
            "format": {"const": FORMAT_VERSION},
            "as_of": {"type": "string"},
            **tables,
        },
        additionalProperties=False,
    )
    return head


@overload
def _closed(node: Mapping[str, JsonValue]) -> Schema: ...
@overload
def _closed(node: JsonValue) -> JsonValue: ...
def _closed(node: JsonValue) -> JsonValue:
    """Every object with declared keys allows no other (a key added to an output without its
    type in ``views.outputs`` fails the schema test)."""
    if isinstance(node, Mapping):
        out = {k: _closed(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


def render_output(name: str) -> str:
    return _dumps(output_schema(name))


def write_schemas(out_dir: Path) -> list[Path]:
    """Write ``<name>.schema.json`` for each data file; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DATA_FILES:
        target = out_dir / f"{name}.schema.json"
        write_atomic(target, render(name).encode("utf-8"))
        written.append(target)
    (out_dir / "output").mkdir(exist_ok=True)
    for name in OUTPUT_NAMES:
        target = out_dir / "output" / f"{name}.schema.json"
        write_atomic(target, render_output(name).encode("utf-8"))
        written.append(target)
    target = out_dir / "output" / SITE_API_SCHEMA
    write_atomic(target, render_site_api().encode("utf-8"))
    written.append(target)
    return written


SITE_API_SCHEMA = "site-api.schema.json"
"""The schema of the site's static JSON API (``site`` writes it as ``api/schema.json`` too)."""


def render_site_api() -> str:
    from export_alignment.webdata import api_schema

    return _dumps(api_schema())
