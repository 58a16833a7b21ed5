"""Bounded reports: at most 100 problems of one rule in one file, the rest counted in one more
("and N more"), and a problem about a top-level key located from the one reading of the file,
whatever that file holds under the key or beside it."""

from __future__ import annotations

import json

import pytest

import world
from export_alignment import loader
from export_alignment.checks import validate
from export_alignment.problems import MAX_PER_FILE_AND_RULE, Level, Problem, capped, more


def unknown_keys(count: int) -> str:
    return world.STATEMENTS + "".join(f"k{i}: 1\n" for i in range(count))


def test_thousands_of_unknown_keys_are_100_problems_and_a_count(tmp_path):
    data = world.write_world(tmp_path, statements=unknown_keys(5000)).data
    r = world.run("validate", "--data", data, "--format", "json", "--today", "2025-01-01", code=1)
    problems = json.loads(r.output)["problems"]
    assert len(problems) == MAX_PER_FILE_AND_RULE + 1
    assert {p["rule"] for p in problems} == {"unknown-field"}
    first_line = world.STATEMENTS.count("\n") + 1
    assert problems[0]["line"] == first_line and "'k0'" in problems[0]["message"]
    assert problems[-1]["line"] == first_line + 100  # where the first unlisted key stands
    assert problems[-1]["message"] == (
        "and 4,900 more unknown-field problems in this file (only the first 100 are listed)"
    )


def test_status_refuses_with_the_same_bounded_list(tmp_path):
    data = world.write_world(tmp_path, statements=unknown_keys(5000)).data
    r = world.run("status", "--data", data, code=1)
    lines = [line for line in r.output.splitlines() if ": error unknown-field " in line]
    assert len(lines) == MAX_PER_FILE_AND_RULE + 1
    assert "and 4,900 more" in lines[-1]


def test_a_cross_file_rule_is_capped_per_file_too(tmp_path):
    records = [
        world.statement(f"s{i}", "2023-01-13", "talks", speaker=f"nobody-{i}") for i in range(150)
    ]
    data = world.write_dataset(tmp_path, records)
    problems = validate(data, world.RECORDS_TODAY).problems
    dangling = [p for p in problems if p.path.endswith("statements.yaml") and "more" in p.message]
    by_rule = {}
    for p in problems:
        by_rule.setdefault((p.path, p.rule), []).append(p)
    assert all(len(group) <= MAX_PER_FILE_AND_RULE + 1 for group in by_rule.values())
    assert dangling and all(p.message.startswith("and 50 more ") for p in dangling)


def test_a_top_level_key_is_located_without_reading_the_file_again(tmp_path, monkeypatch):
    items = "".join(f"  - {{id: s{i}, x: {i}}}\n" for i in range(20_000))
    text = world.STATEMENTS + "statments:\n" + items  # the records list misspelt, in full
    data = world.write_world(tmp_path, statements=text).data

    def no_second_reading(self):
        raise AssertionError("the whole file was read again for positions")

    monkeypatch.setattr(loader.LoadedFile, "_read_positions", no_second_reading)
    problems = validate(data, world.TODAY).problems
    assert [(p.rule, p.line, p.column) for p in problems] == [
        ("unknown-field", world.STATEMENTS.count("\n") + 1, 1)
    ]


def test_capped_counts_a_summary_as_what_it_stands_for():
    p = Problem("a.yaml", 3, 1, "unknown-field", Level.ERROR, "unknown field 'x'")
    warn = Problem("a.yaml", 4, 1, "unknown-field", Level.WARNING, "odd")
    many = [p] * 150 + [more(p, 1000)] + [warn] * 3
    out = capped(many)
    assert out.count(p) == 100 and out.count(warn) == 3
    assert [x.message for x in out if x.message.startswith("and")] == [
        "and 1,050 more unknown-field problems in this file (only the first 100 are listed)"
    ]
    assert capped(out) == out  # capping twice changes nothing


@pytest.mark.parametrize("value", ["1", "0", "007", "12345678901234567890"])
def test_plain_numbers_read_as_numbers_on_every_path(value):
    text = f"statements: []\nn: {value}\nm: [{value}]\n"
    loaded = loader.load_text(text, "x.yaml", "statements")
    assert loaded.data == {"statements": [], "n": int(value), "m": [int(value)]}
