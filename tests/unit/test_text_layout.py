"""The terminal's text layout (``textlayout``) and console policy (``console``) on their own:
folded lines never pass the width, never split a word and are never padded; a table folds its
columns in their turn and picks the layout with the fewest lines; a console made by the tool
prints markup as text and never draws wider than ``MAX_WIDTH``."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from export_alignment import console as consoles
from export_alignment.textlayout import (
    Column,
    Layout,
    Row,
    best_table,
    column_lines,
    column_widths,
    shorten_words,
    split_parts,
    wrapped_lines,
)

WORD = st.text(alphabet="abcdefghij界", min_size=1, max_size=30)


@given(
    words=st.lists(WORD, min_size=1, max_size=30),
    width=st.integers(min_value=1, max_value=120),
    indent=st.integers(min_value=0, max_value=8),
)
def test_folded_lines_keep_every_word_whole_within_the_width(words, width, indent):
    lines = wrapped_lines(Text(" ".join(words), style="bold"), width, indent)
    assert [w for line in lines for w in line.plain.split()] == words
    for i, line in enumerate(lines):
        assert line.plain == line.plain.rstrip()  # never padded
        if i:
            assert line.plain.startswith(" " * indent)  # the hanging indent
        if len(line.plain.split()) > 1:  # a line of one word may be that word, too long
            assert cell_len(line.plain) <= max(width, 20)
        assert all(span.style == "bold" for span in line.spans)  # styles follow the words


def test_a_cell_splits_between_its_parts_with_their_styles():
    cell = Text("partly in force: 5 of 11 items", style="cyan")
    head, tail = split_parts(cell, ": ")
    assert (head.plain, tail.plain) == ("partly in force:", "5 of 11 items")
    assert head.style == tail.style == "cyan"
    assert [p.plain for p in split_parts(Text("no separator"), ": ")] == ["no separator"]


def test_a_summary_is_cut_at_a_word_boundary():
    assert shorten_words("the council adopted the measure", 21) == "the council adopted…"
    assert shorten_words("short", 20) == "short"
    assert shorten_words("aaa bbb ccc", 8) == "aaa bbb…"  # a word ending at the room stays
    assert shorten_words("aaa bbbb ccc", 8) == "aaa…"
    assert shorten_words("Außenwirtschaftsverordnung amended", 10) == "Außenwirtschaftsverordnung…"


def _rows(*cells: tuple[str, str]) -> list[Row]:
    return [Row([Text(a), Text(b)]) for a, b in cells]


def test_columns_fold_in_their_turn_and_only_as_far_as_needed():
    columns = [Column("Name", folds=2), Column("Words", folds=1)]
    rows = _rows(("South Korea", "one two three four"))
    assert column_widths(columns, rows, 80) == [11, 18]  # room enough: nothing folds
    # 2 + 11 + 2 + 18 = 33 cells; at 30 the second column gives up 3 cells first
    assert column_widths(columns, rows, 30) == [11, 15]
    # the second column cannot go below its longest word ("three"), then the first folds
    assert column_widths(columns, rows, 15) == [6, 5]
    assert column_widths(columns, rows, 10) is None  # even folded it does not fit


def test_the_layout_with_the_fewest_lines_plus_cost_wins_and_a_last_column_only_if_it_fits():
    rows = _rows(("Japan", "in force"), ("Netherlands", "partly in force"))
    wide = (0, lambda: Layout([Column("Ally"), Column("Verdict")], rows))
    narrow = (1, lambda: Layout([Column("Ally", folds=1), Column("Verdict", folds=2)], rows))
    evidence = [Text("ordinance · 2023-07-23"), Text("regulation · 2023-09-01")]
    table = best_table([wide, narrow], 80, evidence, "Decisive evidence")
    assert table is not None
    lines, left_out = table
    assert not left_out
    assert lines[0].plain == "  Ally         Verdict          Decisive evidence"
    assert lines[2].plain == "  Japan        in force         ordinance · 2023-07-23"
    lines, left_out = best_table([wide, narrow], 40, evidence, "Decisive evidence") or ([], None)
    assert left_out is True  # no room for the evidence: the caller shows it below
    assert [line.plain for line in lines][2:] == [
        "  Japan        in force",
        "  Netherlands  partly in force",
    ]
    assert best_table([wide], 12, evidence, "Decisive evidence") is None


def test_a_console_prints_markup_as_text_and_caps_its_width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "5000")
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    console = consoles.stdout_console()
    assert console.width == consoles.MAX_WIDTH
    console.print("[bold]not bold[/bold] :smile:")
    console.file.flush()
    assert out.getvalue() == "[bold]not bold[/bold] :smile:\n"


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", [30, 80])
def test_laid_out_lines_print_as_a_line_at_a_time_does(colour, width, monkeypatch):
    rows = [
        ["a-1", "2023-01-13", "a summary long enough to fold over several lines at thirty cells"],
        ["b-22", "2024", "short"],
        ["c", "—", "x  y z é 漢字 " * 4],  # cells come escaped: no tab, no control character
    ]
    lines = column_lines(rows, width)

    def printed(each_line: bool) -> str:
        out = io.StringIO()
        console = Console(
            file=out,
            width=width,
            force_terminal=colour,
            color_system="standard" if colour else None,
        )
        if each_line:
            for line in lines:
                console.print(line, soft_wrap=True, crop=False)
        else:
            consoles.print_lines(console, lines)
        return out.getvalue()

    monkeypatch.setattr(consoles, "PRINT_AT_ONCE", 2)
    assert printed(each_line=False) == printed(each_line=True)
    assert ("\x1b[" in printed(each_line=False)) is colour
