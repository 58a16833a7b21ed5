"""A record appended to a file read once (``LoadedFile.with_record_appended``, what ``add``
uses) reads exactly as the new file read whole: the same data, the same record boundaries and
positions; where the one reading cannot show that, it answers None and the caller reads the file
whole. The wrapped texts' lines noted in the one reading give the same width as walking the
file again."""

from __future__ import annotations

import pytest

from export_alignment.loader import load_text
from export_alignment.yamlwriter import _wrapped_width
from world import STATEMENTS

NEW = "  - id: added\n    summary: a new one\n"
"""The appended item, at the baseline's columns."""


def _appended(text: str, item: str = NEW) -> tuple[str, int, int]:
    """``text`` with ``item`` at its end (a line break added first when it has none)."""
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    item = item.replace("\n", newline)
    head = text if text.endswith(("\n", "\r")) else text + newline
    return head + item, len(head), len(head) + len(item)


def _read_both(text: str, item: str = NEW):
    old = load_text(text, "statements.yaml", "statements")
    assert old.problems == []
    new_text, start, end = _appended(text, item)
    return old.with_record_appended(new_text, start, end), load_text(
        new_text, "statements.yaml", "statements"
    )


SHOWN = [
    pytest.param(STATEMENTS, id="baseline"),
    pytest.param(STATEMENTS.replace("\n", "\r\n"), id="crlf"),
    pytest.param(STATEMENTS.replace("\n", "\r"), id="cr-only"),
    pytest.param(STATEMENTS + "# a closing comment\n\n", id="trailing-comment"),
    pytest.param(STATEMENTS.rstrip("\n"), id="no-final-line-break"),
    pytest.param("statements:\n  - id: a\n    summary: >\n      folded\n      text\n", id="folded"),
]


@pytest.mark.parametrize("text", SHOWN)
def test_appended_record_reads_as_the_whole_new_file(text):
    appended, whole = _read_both(text)
    assert appended is not None  # these files take the one-reading path
    assert appended.data == whole.data
    assert appended.data["statements"][-1] == {"id": "added", "summary": "a new one"}
    count = len(whole.data["statements"])
    for index in range(count):
        for key in ("id", "summary"):
            path = ("statements", index, key)
            assert appended.locate(path) == whole.locate(path), path
            assert appended.locate(path, key=True) == whole.locate(path, key=True), path


NOT_SHOWN = [
    pytest.param("statements:\n  - id: a\nnotes: x\n", id="a-later-top-level-key"),
    pytest.param("statements: [{id: a}]\n", id="flow-list"),
    pytest.param("statements:\n  -\n    id: a\n", id="item-on-its-own-line"),
    pytest.param("statements:\n- id: a\n", id="other-columns"),
]


@pytest.mark.parametrize("text", NOT_SHOWN)
def test_appended_record_is_read_whole_when_the_file_is_not_a_plain_block_list(text):
    appended, _ = _read_both(text)
    assert appended is None


@pytest.mark.parametrize("chomping", ["|", "|+", ">"])
def test_a_last_text_the_new_line_break_would_change_is_read_whole(chomping):
    text = f"statements:\n  - id: a\n    summary: {chomping}\n      the last line"
    appended, whole = _read_both(text)
    assert appended is None
    # why: the line break put before the new record becomes part of the old record's text
    assert (
        whole.data["statements"][0] != load_text(text, "s.yaml", "statements").data["statements"][0]
    )


def test_a_kept_block_ending_in_a_line_break_reads_the_same_either_way():
    appended, whole = _read_both("statements:\n  - id: a\n    summary: |+\n      kept\n")
    assert appended is not None
    assert appended.data == whole.data
    assert appended.data["statements"][0]["summary"] == "kept\n"


def test_an_item_that_would_not_join_the_list_is_not_taken():
    appended, whole = _read_both("statements:\n  - id: a\n", "- id: added\n")
    assert appended is None
    assert whole.problems


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(STATEMENTS, id="baseline"),
        pytest.param(
            "statements:\n  - id: a\n    summary: >\n      folded over\n      two lines\n"
            "    notes: 'quoted and\n      wrapped'\n    quote: |\n      a literal block with a "
            "long line\n      second\n",
            id="folded-quoted-literal",
        ),
        pytest.param(
            "statements:\n  - id: a\n    summary: plain text\n      over two lines\n",
            id="plain",
        ),
    ],
)
def test_width_from_the_one_reading_equals_walking_the_file(text):
    loaded = load_text(text, "statements.yaml", "statements", spans=True)
    assert loaded.wrapped_spans is not None
    assert _wrapped_width(text, loaded.wrapped_spans) == _wrapped_width(text)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_width_of_a_file_larger_than_one_piece_counts_its_lines_right(newline):
    """The lines are split a piece at a time (a large file is never a list of all its lines):
    a wrapped text past the first piece is still measured on its own lines."""
    filler = "".join(f"  - id: s{i}\n    summary: short\n" for i in range(40_000))
    folded = "  - id: last\n    summary: >\n      " + "w" * 70 + "\n      end\n"
    text = ("statements:\n" + filler + folded).replace("\n", newline)
    assert len(text) > 1 << 20
    loaded = load_text(text, "statements.yaml", "statements", spans=True)
    assert _wrapped_width(text, loaded.wrapped_spans) == 6 + 70 == _wrapped_width(text)
