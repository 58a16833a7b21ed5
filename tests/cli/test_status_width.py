"""The status at any width: for the shipped record at 60, 80, 100, 120, 160 and 200 columns and
in a pipe, ``status``, ``status --controls`` and ``status --matrix`` have no line wider than the
terminal or padded, no word cut and no ally name split; no flag name is split, and every ally's
decisive evidence is there in full (in the table or below it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from export_alignment import escape
from export_alignment.scoring import FLAGS
from world import asked, command, process_env, run, shipped

AS_OF = "2026-11-28"
WIDTHS = [60, 80, 100, 120, 160, 200]


def status(columns: int | None, *more: str) -> str:
    env = {} if columns is None else {"COLUMNS": str(columns)}
    return run("status", *more, "--as-of", AS_OF, "--data", shipped(), env=env, code=0).stdout


@pytest.fixture(scope="module")
def doc() -> dict:
    return json.loads(run("status", "--json", "--as-of", AS_OF, "--data", shipped()).stdout)


def flat(text: str) -> str:
    return " ".join(text.split())


MODES = {"status": (), "controls": ("--controls",), "matrix": ("--matrix",)}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("columns", [*WIDTHS, None], ids=[*map(str, WIDTHS), "pipe"])
def test_no_line_is_wider_than_the_terminal_or_padded(columns, mode):
    text = status(columns, *MODES[mode])
    width = columns or 80  # a pipe with no terminal is laid out at 80
    for line in text.splitlines():
        assert cell_len(line) <= width, line
        assert line == line.rstrip(), repr(line)


@pytest.fixture(scope="module")
def unfolded() -> dict[str, set[str]]:
    """Each mode's words laid out at 1000 columns, where nothing folds."""
    return {mode: set(status(1000, *more).split()) for mode, more in MODES.items()}


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("columns", WIDTHS)
def test_no_word_or_ally_name_is_cut(columns, mode, unfolded, doc):
    text = status(columns, *MODES[mode])
    labels = {"flags:"}  # the label of flags moved under their row when the column has no room
    cut = {w for w in set(text.split()) - unfolded[mode] - labels if set(w) != {"─"}}
    assert not cut, cut  # every word folded whole is a word of the unfolded layout
    lines = text.splitlines()
    for ally in doc["allies"]:
        assert any(ally["name"] in line for line in lines), ally["name"]


@pytest.mark.parametrize("columns", [60, 80])
def test_the_matrix_fits_80_columns_with_a_legend_for_every_item(columns, doc):
    text = status(columns, "--matrix")
    items = {i["item"] for a in doc["allies"] for i in a["items"]}
    legend = dict(re.findall(r"^  ([A-Z]{1,2}): (\S+)$", text, re.M))
    assert set(legend.values()) == items
    header = next(line for line in text.splitlines() if line.lstrip().startswith("Ally "))
    assert header.split()[1:] == sorted(legend, key=lambda c: (len(c), c))  # one block
    assert "● in_force" in text and "· none" in text


def _piped(stderr_columns: int | None) -> str:
    """``status`` with stdout piped, and stderr on a pseudo-terminal of that many columns (or
    piped too), with no COLUMNS set: what ``export-alignment status | less`` does."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    env = process_env({"COLUMNS": None, "LINES": None})
    args = command("status", "--as-of", AS_OF, "--data", shipped())
    if stderr_columns is None:
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
        return done.stdout
    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, stderr_columns, 0, 0))
        done = subprocess.run(
            args,
            stdout=subprocess.PIPE,
            stderr=follower,
            stdin=subprocess.DEVNULL,
            env=env,
            text=True,
            check=True,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout


@pytest.mark.parametrize("columns", [60, 200])
def test_piped_output_uses_the_terminal_width_when_there_is_one(columns):
    text = _piped(columns)
    widest = max(cell_len(line) for line in text.splitlines())
    assert widest <= columns
    assert widest > 80 if columns > 80 else True  # the room is used, not a fixed width


def test_piped_output_without_a_terminal_is_80_columns():
    text = _piped(None)
    assert 70 < max(cell_len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("columns", [*WIDTHS, None], ids=[*map(str, WIDTHS), "pipe"])
def test_flag_names_are_never_split(columns, doc):
    words = re.findall(r"[\w-]+", status(columns, "--controls"))
    for flag in FLAGS:
        expected = sum(
            holder["flags"].count(str(flag))
            for ally in doc["allies"]
            for holder in [ally, *ally["controls"]]
        )
        shown = words.count(str(flag))
        assert shown >= expected, (flag, shown, expected)
    fragments = {str(f)[:k] for f in FLAGS for k in range(3, len(str(f)))} - {str(f) for f in FLAGS}
    assert not fragments & set(words) - {"partial", "contest", "stale", "one"}


@pytest.mark.parametrize("columns", [*WIDTHS, None], ids=[*map(str, WIDTHS), "pipe"])
def test_every_decisive_evidence_summary_is_shown_whole(columns):

    from export_alignment.checks import validate
    from export_alignment.scoring import score

    dataset = validate(Path(shipped())).dataset
    scores = score(dataset, asked(AS_OF))
    text = flat(status(columns))
    for ally in scores.allies:
        assert ally.ally.name in text
        assert ally.decisive is not None
        summary = escape.reader_text(ally.decisive.summary)  # without curator scaffolding
        assert flat(escape.one_line(summary)) in text, (ally.ally.id, columns)
    assert "…" not in text  # nothing shortened


def test_a_wide_table_is_one_line_per_row(doc):
    lines = status(120).splitlines()
    rows = len(doc["allies"])  # one row per ally by default
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    end = lines.index("", start)
    assert end - start - 1 == rows  # no row wraps at 120 columns


@pytest.mark.parametrize("columns", WIDTHS)
def test_control_labels_are_whole(columns):
    lines = status(columns, "--controls").splitlines()
    if columns >= 80:
        assert any("└ US rule 2022-10-07" in line for line in lines)
    # a label folds at a space, under itself, never inside a word
    for word, day in (("rule", "2022-10-07"), ("entity-listing", "2025-09-29")):
        at = next(i for i, line in enumerate(lines) if word in line.split())
        assert day in lines[at] or lines[at + 1].lstrip().startswith(day)
