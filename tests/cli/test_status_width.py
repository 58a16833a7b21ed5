"""The status at any width: for the shipped record at 60, 80, 100, 120 and 160 columns
and in a pipe, no line is wider than the terminal or padded, no word is cut, no flag name is
split, and every ally's decisive evidence is there in full (in the table or below it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from export_alignment import escape
from export_alignment.scoring import FLAGS
from world import run, shipped

AS_OF = "2026-11-28"
WIDTHS = [60, 80, 100, 120, 160]


def status(columns: int | None) -> str:
    env = {} if columns is None else {"COLUMNS": str(columns)}
    return run("status", "--as-of", AS_OF, "--data", shipped(), env=env, code=0).stdout


@pytest.fixture(scope="module")
def doc() -> dict:
    return json.loads(run("status", "--json", "--as-of", AS_OF, "--data", shipped()).stdout)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("columns", [*WIDTHS, None], ids=[*map(str, WIDTHS), "pipe"])
def test_no_line_is_wider_than_the_terminal_or_padded(columns):
    text = status(columns)
    width = columns or 120  # a pipe is laid out at 120
    for line in text.splitlines():
        assert cell_len(line) <= width, line
        assert line == line.rstrip(), repr(line)


@pytest.mark.parametrize("columns", [*WIDTHS, None], ids=[*map(str, WIDTHS), "pipe"])
def test_flag_names_are_never_split(columns, doc):
    words = re.findall(r"[\w-]+", status(columns))
    for flag in FLAGS:
        expected = sum(
            holder["flags"].count(str(flag))
            for ally in doc["allies"]
            for holder in [ally, *ally["controls"]]
        )
        shown = words.count(str(flag))
        assert shown >= expected, (flag, shown, expected)
    fragments = {str(f)[:k] for f in FLAGS for k in range(3, len(str(f)))} - {str(f) for f in FLAGS}
    assert not fragments & set(words) - {"partial", "contest", "stale"}


@pytest.mark.parametrize("columns", [*WIDTHS, None], ids=[*map(str, WIDTHS), "pipe"])
def test_every_decisive_evidence_summary_is_shown_whole(columns):
    from datetime import date

    from export_alignment.checks import validate
    from export_alignment.scoring import DEFAULT_STALE_DAYS, score

    dataset = validate(Path(shipped())).dataset
    scores = score(dataset, date.fromisoformat(AS_OF), None, DEFAULT_STALE_DAYS)
    text = flat(status(columns))
    for ally in scores.allies:
        assert ally.ally.name in text
        assert ally.decisive is not None
        summary = escape.reader_text(ally.decisive.summary)  # without curator scaffolding
        assert flat(escape.one_line(summary)) in text, (ally.ally.id, columns)
    assert "…" not in text  # nothing shortened


def test_a_wide_table_is_one_line_per_row(doc):
    lines = status(120).splitlines()
    rows = sum(1 + len(a["controls"]) for a in doc["allies"])
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    end = lines.index("", start)
    assert end - start - 1 == rows  # no row wraps at 120 columns


@pytest.mark.parametrize("columns", WIDTHS)
def test_control_labels_are_whole(columns):
    lines = status(columns).splitlines()
    assert any("└ US rule 2022-10-07" in line for line in lines)
    # a long label folds at a space, under itself, never inside a word
    at = next(i for i, line in enumerate(lines) if "└ US entity-listing" in line)
    assert "2025-09-29" in lines[at] or lines[at + 1].lstrip().startswith("2025-09-29")
