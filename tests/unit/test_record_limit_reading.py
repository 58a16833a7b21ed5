"""The record-count limit is enforced while the file is read, before any record is typed."""

from __future__ import annotations

import time

import pytest

from export_alignment.loader import DEFAULT_LIMITS, Limits, load_text
from world import run


def test_the_reader_stops_at_the_first_record_over_the_limit():
    loaded = load_text(
        "statements: [0, 0, 0]\n", "statements.yaml", "statements", Limits(max_records=2)
    )
    assert loaded.data is None
    (problem,) = loaded.problems
    assert (problem.line, problem.column, problem.rule) == (1, 13, "limit-records")
    assert problem.message == "more than 2 records; the limit is 2"


def test_other_lists_are_not_records():
    loaded = load_text(
        "statements: []\nnotes: [0, 0, 0]\n", "statements.yaml", "statements", Limits(max_records=2)
    )
    assert loaded.problems == []


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "status"])
def test_a_million_items_fail_fast(make_dataset, command):
    count = 1_000_000
    assert count > DEFAULT_LIMITS.max_records
    ds = make_dataset(statements="statements: [" + "0, " * count + "0]\n")
    start = time.perf_counter()
    r = run(command, "--data", ds.data, *(["--format", "json"] if command == "validate" else []))
    elapsed = time.perf_counter() - start
    assert r.exit_code == 1
    assert "limit-records" in r.output
    assert elapsed < 15, elapsed
