"""Positions as editors, git and GitHub count lines: only LF, CRLF and CR end a line.

libyaml (YAML 1.1) also breaks lines at U+0085, U+2028 and U+2029; a problem reported after one
of them must still point at the line a curator sees in the editor."""

from __future__ import annotations

import pytest

from world import STATEMENTS, only, replace_once, run, where

NOT_BREAKS = [
    pytest.param("\u2028", id="line-separator"),
    pytest.param("\u2029", id="paragraph-separator"),
    pytest.param("\x85", id="next-line"),
]


def _statements(char: str) -> str:
    text = replace_once(
        STATEMENTS, "  - id: campbell-talks\n", f"  # seen{char}twice\n  - id: campbell-talks\n"
    )
    text = replace_once(
        text,
        "summary: Campbell called the talks with Japan productive.",
        f'summary: "Campbell called{char}the talks productive."',
    )
    return replace_once(text, "    stance: positive\n", "    stance: sideways\n")


@pytest.mark.parametrize("char", NOT_BREAKS)
def test_a_separator_in_a_comment_and_a_string_moves_no_line(make_dataset, char):
    ds = make_dataset(statements=_statements(char))
    problem = only(ds.problems(), "schema")
    # the comment adds one line above the record: stance is on line 9, its value at column 13
    assert where(problem) == ("statements.yaml", 9, 13, "error", "schema")


@pytest.mark.parametrize("char", NOT_BREAKS)
def test_a_separator_before_a_syntax_error_moves_no_line(make_dataset, char):
    text = replace_once(_statements(char), "    stance: sideways\n", "    stance: [a, b\n")
    ds = make_dataset(statements=text)
    problem = only(ds.problems(), "yaml-syntax")
    assert (problem.line, problem.column) == (10, 12)


@pytest.mark.parametrize("char", NOT_BREAKS)
def test_a_separator_in_a_string_is_kept_in_the_value(make_dataset, char):
    text = replace_once(_statements(char), "    stance: sideways\n", "    stance: positive\n")
    ds = make_dataset(statements=text)
    assert ds.problems() == []
    r = run("validate", "--data", str(ds.data), "--format", "github", "--today", "2025-01-01")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("char", NOT_BREAKS)
def test_the_cli_reports_the_editor_line(make_dataset, char):
    ds = make_dataset(statements=_statements(char))
    r = run("validate", "--data", str(ds.data), "--format", "json", "--today", "2025-01-01")
    assert r.exit_code == 1
    assert '"line": 9' in r.stdout and '"column": 13' in r.stdout, r.stdout
