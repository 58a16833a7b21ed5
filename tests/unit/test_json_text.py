"""Indented JSON (``jsontext.indented``): the very text ``json.dumps(indent=2,
ensure_ascii=False)`` writes, for every value JSON can hold, so the JSON outputs and the site's
downloads keep their bytes while the C encoder writes them."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from export_alignment.jsontext import indented


class Word(StrEnum):
    A = "a\u2028b"


class Count(IntEnum):
    THREE = 3


def reference(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        (),
        {"a": [], "b": {}, "c": [[], [{}]]},
        {"x": 1.5, "nan": float("nan"), "inf": float("inf"), "-inf": -float("inf"), "z": -0.0},
        {2: 2, 2.5: 3, True: 4, False: 0, None: 5, "k": [1, (2, 3), {"q": None}]},
        {'é\x00\n"\\': "ü\u2028\x7f\ud800", "emoji": "\U0001f600"},
        {Word.A: Word.A, "count": Count.THREE, "mixed": [Count.THREE, Word.A, False]},
        [[[[1]]], {"a": {"b": {"c": [{"d": []}, {}]}}}],
        {"big": 10**30, "tiny": 1e-300, "rows": [{"id": "s1", "tags": ["x", "y"], "n": None}]},
        "text",
        1,
        None,
        True,
    ],
)
def test_indented_json_is_what_json_dumps_writes(value):
    assert indented(value) == reference(value)


_leaf = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_keys = st.text() | st.integers() | st.booleans() | st.floats()
_tree = st.recursive(
    _leaf,
    lambda inner: st.lists(inner) | st.dictionaries(_keys, inner),
    max_leaves=40,
)


@settings(max_examples=300)
@given(_tree)
def test_any_json_value_is_indented_as_json_dumps_does(value):
    assert indented(value) == reference(value)


def test_a_value_json_cannot_write_is_refused_as_json_refuses_it():
    with pytest.raises(TypeError):
        indented({"when": object()})
    with pytest.raises(TypeError):
        indented({"rows": [{"when": object()}, [1]]})
