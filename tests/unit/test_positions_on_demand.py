"""Positions are read on demand (one record's lines, or the whole file) and always agree with
a full reading of the file: every value and key of every record, whatever the file's style."""

from __future__ import annotations

import pytest

from export_alignment.loader import load_text
from world import STATEMENTS

RECORD = STATEMENTS.split("\n", 1)[1]
"""One record of the baseline statements, as written in the file."""

TEXTS = [
    pytest.param(STATEMENTS + RECORD.replace("campbell-talks", "second"), id="block"),
    pytest.param(
        (STATEMENTS + RECORD.replace("campbell-talks", "second")).replace("\n", "\r\n"), id="crlf"
    ),
    pytest.param(
        "statements:\n  - {id: a, about: [jp], quote: x}\n  - {id: b, about: [nl]}\n", id="flow"
    ),
    pytest.param("statements: [{id: a}, {id: b, about: [jp]}]\n", id="one-line"),
    pytest.param(
        "statements:\n  - &s\n    id: a\n    source: {tier: x}\n  - id: b\n    copy: *s\n",
        id="alias-to-an-earlier-record",
    ),
    pytest.param(
        "statements:\n  # a note\u2028still the note\n  - id: a\n    summary: 'x\u2029y'\n"
        "  - id: b\n    date: 2023-01-01\nnotes: [1, 2]\n",
        id="separators-and-a-later-key",
    ),
    pytest.param(
        "statements:\n- id: a\n  about:\n  - jp\n- id: b\n  about: [nl]\n", id="not-indented"
    ),
    pytest.param("statements:\n  -\n    id: a\n  -\n    id: b\n", id="item-on-its-own-line"),
]


def _all_paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _all_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _all_paths(v, (*path, i))


@pytest.mark.parametrize("text", TEXTS)
def test_on_demand_positions_agree_with_a_full_reading(text):
    full = load_text(text, "statements.yaml", "statements")
    assert full.problems == []
    assert full.positions  # read the whole file now: ``full`` answers from it
    paths = [p for p in _all_paths(full.data) if len(p) >= 2]
    for path in paths:
        lazy = load_text(text, "statements.yaml", "statements")  # nothing read yet
        assert lazy.locate(path) == full.locate(path), path
        assert lazy.locate(path, key=True) == full.locate(path, key=True), path
        assert lazy.locate((*path, "missing")) == full.locate(path), path


def test_one_loaded_file_answers_many_records():
    text = STATEMENTS + RECORD.replace("campbell-talks", "second")
    full = load_text(text, "statements.yaml", "statements").positions
    lazy = load_text(text, "statements.yaml", "statements")
    for path in (("statements", 1, "source", "tier"), ("statements", 0, "about", 0)):
        assert lazy.locate(path) == full[path]
    assert lazy._positions is None  # answered from the two records' lines alone
    assert lazy.locate(("statements",)) == full[("statements",)]  # outside a record: the file
