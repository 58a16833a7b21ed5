"""JSON Schemas (draft-07, as the YAML language server reads them) generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from export_alignment.atomic import write_atomic
from export_alignment.models import FILE_MODELS
from export_alignment.shape import DATA_FILES

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _retarget(node):
    if isinstance(node, dict):
        return {
            k: (v.replace("#/$defs/", "#/definitions/") if k == "$ref" else _retarget(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_retarget(v) for v in node]
    return node


def file_schema(name: str) -> dict:
    """The schema of one data file (``actors``, ``controls`` or ``statements``)."""
    schema = FILE_MODELS[name].model_json_schema()
    defs = schema.pop("$defs", {})
    out = {
        "$schema": DRAFT_07,
        "$id": f"{name}.schema.json",
        "title": f"export-alignment {name}.yaml",
    }
    out.update(_retarget(schema))
    if defs:
        out["definitions"] = _retarget(defs)
    return out


def render(name: str) -> str:
    return json.dumps(file_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write ``<name>.schema.json`` for each data file; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DATA_FILES:
        target = out_dir / f"{name}.schema.json"
        write_atomic(target, render(name).encode("utf-8"))
        written.append(target)
    return written
