"""``explain`` and ``timeline`` at common widths: folded lines hang under their own
text, no id is stranded on a line of its own, nothing is padded, one date style."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from export_alignment import console
from world import run, shipped

AS_OF = "2026-11-28"
HEADS = re.compile(
    r"^(\S[^:]*: |Rule: |Flags:|Evidence on |What would move it:|\d{4}(-\d\d){0,2}\*?  |\* )"
)
MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}"
)


def render(*args: str, columns: int) -> list[str]:
    env = {"COLUMNS": str(columns)}
    r = run(*args, "--as-of", AS_OF, "--data", shipped(), env=env, code=0)
    return r.stdout.splitlines()


@pytest.mark.parametrize("columns", [60, 80, 120])
@pytest.mark.parametrize("ally", ["jp", "nl", "kr"])
def test_explain_folds_with_hanging_indents(columns, ally):
    lines = render("explain", ally, columns=columns)
    for line in lines:
        assert line == line.rstrip(), repr(line)
        if not line:
            continue
        assert line.startswith(" ") or HEADS.match(line), line  # a fold never starts at column 0
        if "://" not in line:  # a long address stands whole on its line
            assert cell_len(line) <= columns, line


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_explain_speaks_one_date_style_in_its_headline(columns):
    head = " ".join(" ".join(render("explain", "jp", columns=columns)[:2]).split())
    assert "since 2023-07-23 (as of 2026-11-28)" in head
    assert not MONTHS.search(head)


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_timeline_keeps_each_id_with_its_change(columns):
    lines = render("timeline", columns=columns)
    changes = [line for line in lines if re.match(r"^  \d{4}(-\d\d){0,2}\s+\w+ -> \w+$", line)]
    assert changes
    for line in changes:
        after = lines[lines.index(line) + 1]
        assert re.match(r"^ +\[[a-z0-9-]+\] \S", after), after  # the id opens the evidence
    for line in lines:
        assert line == line.rstrip(), repr(line)
        assert not re.fullmatch(r"\s*\[[a-z0-9-]+\]", line), line  # never stranded
        assert cell_len(line) <= columns, line


def test_explain_writes_control_lifecycle_dates_in_its_own_iso_style():
    text = "\n".join(render("explain", "jp", columns=120))
    assert "relaxed on 2023-10-17" in text
    assert "relaxed on 17 October 2023" not in text


@pytest.mark.parametrize("colour", [{}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"}])
@pytest.mark.parametrize("args", [["explain", "nl"], ["timeline"], ["status", "--controls"]])
def test_a_long_output_printed_a_part_at_a_time_is_the_same_bytes(args, colour, monkeypatch):
    env = {"COLUMNS": "80", **colour}
    whole = run(*args, "--as-of", AS_OF, "--data", shipped(), env=env, code=0).stdout
    assert len(whole.splitlines()) > 7
    monkeypatch.setattr(console, "PRINT_AT_ONCE", 3)  # several parts, a part boundary mid-table
    parts = run(*args, "--as-of", AS_OF, "--data", shipped(), env=env, code=0).stdout
    assert parts == whole
