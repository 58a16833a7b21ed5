"""The reader's fast path reads a plain word as the YAML 1.2 core schema does: null
and the booleans are not text, every other word is, whatever letter it starts with; a tag still
decides. The fast reading must equal the general one that keeps positions."""

from __future__ import annotations

import pytest

from export_alignment.loader import DEFAULT_LIMITS, load_text
from export_alignment.reader import _read, parse_text

WORDS = {
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "nl": "nl",
    "neutral": "neutral",
    "negative": "negative",
    "nULL": "nULL",
    "nullx": "nullx",
    "tw": "tw",
    "Trueish": "Trueish",
    "fr": "fr",
    "f": "f",
    "n": "n",
    "t1": "t1",
    "ñandu": "ñandu",
    "NaN": "NaN",
    "nan": "nan",
    "inf": "inf",
}


@pytest.mark.parametrize(("word", "value"), list(WORDS.items()))
def test_a_plain_word_resolves_as_the_core_schema_says(word, value):
    text = f"statements:\n  - id: a\n    word: {word}\n    words: [{word}, x]\n"
    data = load_text(text, "statements.yaml", "statements").data
    record = data["statements"][0]
    assert record["word"] == value and type(record["word"]) is type(value)
    assert record["words"][0] == value and type(record["words"][0]) is type(value)


@pytest.mark.parametrize("word", list(WORDS))
def test_the_fast_reading_equals_the_one_that_keeps_positions(word):
    text = f"statements:\n  - id: a\n    word: {word}\n    words: [{word}, x]\n    n: {word}\n"
    fast = parse_text(text, "statements.yaml", records_key="statements").data
    general, ok = _read(text, "statements.yaml", DEFAULT_LIMITS, "statements", keep_positions=True)
    assert ok and fast == general.root


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("!!str null", "null"),
        ("!!str true", "true"),
        ("!!null null", None),
        ("!!bool false", False),
    ],
)
def test_a_tag_still_decides(written, value):
    text = f"statements:\n  - id: a\n    word: {written}\n"
    record = load_text(text, "statements.yaml", "statements").data["statements"][0]
    assert record["word"] == value and type(record["word"]) is type(value)
