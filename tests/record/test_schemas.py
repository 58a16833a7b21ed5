"""The committed JSON Schemas match the models, and the data files may point editors at them."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from export_alignment import schema
from export_alignment.checks import validate
from export_alignment.loader import DATA_FILES, parse_text
from world import REPO, run

ROOT = REPO
SCHEMAS = ROOT / "schemas"


def modeline(name: str) -> str:
    """The first line each shipped data file carries (editors with the YAML language server then
    complete and check fields as you type)."""
    return f"# yaml-language-server: $schema=../schemas/{name}.schema.json\n"


@pytest.mark.parametrize("name", DATA_FILES)
def test_committed_schema_matches_the_models(name):
    committed = (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema.render(name), (
        f"schemas/{name}.schema.json is out of date: run "
        "'export-alignment schema -o schemas' and commit the result"
    )


def test_schemas_are_draft_07_with_local_definitions():
    for name in DATA_FILES:
        doc = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert doc["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert "$defs" not in json.dumps(doc)
        assert name in doc["properties"]


def test_schema_command_writes_what_is_committed(tmp_path):
    r = run("schema", "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    for name in DATA_FILES:
        assert (tmp_path / "out" / f"{name}.schema.json").read_bytes() == (
            SCHEMAS / f"{name}.schema.json"
        ).read_bytes()


@pytest.mark.parametrize("name", DATA_FILES)
def test_the_modeline_is_an_ordinary_comment(name):
    text = (ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8")
    plain = parse_text(text, "x")
    marked = parse_text(modeline(name) + text, "x")
    assert marked.problems == [] and marked.data == plain.data
    assert (SCHEMAS / f"{name}.schema.json").is_file()  # where the modeline points


def test_data_with_modelines_validates(tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    for name in DATA_FILES:
        path = tmp_path / "data" / f"{name}.yaml"
        path.write_text(modeline(name) + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = validate(tmp_path / "data")
    assert result.ok, result.problems


# --- the JSON outputs' schemas (schemas/output/), generated from the views' types ---------------


@pytest.mark.parametrize("name", schema.OUTPUT_NAMES)
def test_committed_output_schema_matches_the_code(name):
    committed = (SCHEMAS / "output" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema.render_output(name), (
        f"schemas/output/{name}.schema.json is out of date: run "
        "'export-alignment schema -o schemas' and commit the result"
    )


OUTPUT_RUNS = {
    "status": [
        ["status", "--json"],
        ["status", "--json", "--control", "us-2024-09-advanced-technologies-partners"],
    ],
    "explain": [["explain", ally, "--format", "json"] for ally in ("jp", "nl", "de", "eu")],
    "timeline": [["timeline", "--json"]],
    "list": [
        ["list", kind, "--json"] for kind in ("allies", "actors", "controls", "scope", "statements")
    ],
    "export": [["export", "-f", "json", "-o", "-"]],
}


@pytest.mark.parametrize("day", ["2023-12-31", "2025-12-31", "2026-12-07"])
@pytest.mark.parametrize("name", schema.OUTPUT_NAMES)
def test_every_json_output_of_the_shipped_record_matches_its_schema(name, day):
    validator = jsonschema.Draft7Validator(schema.output_schema(name))
    for args in OUTPUT_RUNS[name]:
        dated = [] if args[0] == "list" else ["--as-of", day]
        r = run(*args, *dated, "--data", ROOT / "data")
        assert r.exit_code == 0, r.output
        errors = [
            f"{list(e.absolute_path)}: {e.message}"
            for e in validator.iter_errors(json.loads(r.stdout))
        ]
        assert not errors, (args, errors[:5])


def test_the_committed_site_api_schema_is_the_one_the_site_publishes():
    committed = (SCHEMAS / "output" / schema.SITE_API_SCHEMA).read_text(encoding="utf-8")
    assert committed == schema.render_site_api(), (
        f"schemas/output/{schema.SITE_API_SCHEMA} is out of date: run "
        "export-alignment schema -o schemas"
    )
