"""The record's shape is declared once (``shape``) and everything that needs it reads it there."""

from __future__ import annotations

from export_alignment import editing, loader, records, schema, scoring, shape
from export_alignment.checks import validate
from export_alignment.models import FILE_MODELS, Control


def test_every_file_has_one_model_and_one_kind():
    assert tuple(FILE_MODELS) == shape.DATA_FILES
    assert loader.DATA_FILES is shape.DATA_FILES
    assert records.RECORD_MODELS is shape.RECORD_MODELS
    assert editing.KINDS is shape.KINDS
    for kind in shape.RECORD_KINDS:
        item_model = FILE_MODELS[kind.file].model_fields[kind.file].annotation
        assert item_model == list[kind.model]


def test_every_reference_is_a_field_of_its_model_and_an_add_option():
    for (file, field), target in shape.REFERENCES.items():
        assert field in shape.RECORD_MODELS[file].model_fields
        assert target is shape.TARGETS[target.name]
    for kind, file in shape.KINDS.items():
        declared = {
            spec.path[0]: spec.refers_to for spec in editing.FIELDS[kind] if len(spec.path) == 1
        }
        for (ref_file, field), target in shape.REFERENCES.items():
            if ref_file == file:
                assert declared[field] == target.name


def test_measure_dates_are_the_control_dates_scoring_reads():
    assert all(d in Control.model_fields for d in shape.MEASURE_DATES)
    assert tuple(scoring.MEASURE_STAGE) == shape.MEASURE_DATES


def test_schema_files_follow_the_declared_order(tmp_path):
    written = schema.write_schemas(tmp_path)
    records = [p.name for p in written if p.parent == tmp_path]
    assert records == [f"{f}.schema.json" for f in shape.DATA_FILES]


def test_what_add_offers_for_a_reference_is_what_validate_accepts(make_dataset):
    """Each target's prompt choices pass the ``reference-kind`` rule: add and validate agree
    on "a state or bloc" (add used to offer any actor with a role)."""
    ds = make_dataset()
    dataset = validate(ds.data).dataset
    for target in shape.TARGETS.values():
        choices = target.choices(dataset)
        assert choices, target.name
        for ref in choices:
            assert target.accepts(dataset._index()[ref], dataset), (target.name, ref)
    assert shape.TARGETS["state-or-bloc"].choices(dataset) == ["us", "jp", "nl", "cn"]
    assert shape.TARGETS["ally"].choices(dataset) == ["jp", "nl"]
