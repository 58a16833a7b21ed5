"""One pass: a record's independent problems come out in one run (a bad date does not
hide a dangling reference), and a dangling reference suggests the closest existing ids."""

from __future__ import annotations

from world import STATEMENTS, replace_once, run, where

BOTH = replace_once(
    replace_once(STATEMENTS, "date: 2023-01-13", "date: 2023-02-30"),
    "speaker: kurt-campbell",
    "speaker: kurt-cambell",
)


def test_a_bad_date_does_not_hide_a_dangling_reference(make_dataset):
    ds = make_dataset(statements=BOTH)
    problems = ds.problems()
    assert [where(p) for p in problems] == [
        ("statements.yaml", 3, 11, "error", "schema"),
        ("statements.yaml", 4, 14, "error", "dangling-reference"),
    ]
    assert "did you mean 'kurt-campbell'?" in problems[1].message


def test_the_cli_reports_both_in_one_run(make_dataset):
    ds = make_dataset(statements=BOTH)
    r = run("validate", "--data", ds.data, "--format", "text", "--today", "2025-01-01", code=1)
    assert "statements.yaml:3:11: error schema" in r.stdout
    assert (
        "statements.yaml:4:14: error dangling-reference speaker: no record has the id "
        "'kurt-cambell'; did you mean 'kurt-campbell'?"
    ) in r.stdout


def test_list_references_of_a_broken_record_are_checked_too(make_dataset):
    text = replace_once(STATEMENTS, "date: 2023-01-13", "date: someday")
    text = replace_once(text, "about: [jp]", "about: [jp, nll]")
    problems = make_dataset(statements=text).problems()
    dangling = [p for p in problems if p.rule == "dangling-reference"]
    assert [(p.line, p.message) for p in dangling] == [
        (5, "about: no record has the id 'nll'; did you mean 'nl'?")
    ]


def test_no_suggestion_when_nothing_is_close(make_dataset):
    text = replace_once(STATEMENTS, "speaker: kurt-campbell", "speaker: zzzzzz")
    (p,) = [p for p in make_dataset(statements=text).problems() if p.rule == "dangling-reference"]
    assert p.message == "speaker: no record has the id 'zzzzzz'"
