"""The console entry ends the process without a last walk of the collector over the
record; what it prints and the exit status are the command's, valid data or not."""

from __future__ import annotations

import json
import subprocess

from world import STATEMENTS, replace_once, run_process


def _run(*args: str) -> subprocess.CompletedProcess:
    return run_process(*args, text=True)


def test_valid_data_exits_0_with_its_report(make_dataset):
    ds = make_dataset()
    r = _run("validate", "--data", str(ds.data), "--format", "json", "--today", "2025-01-01")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["problems"] == []


def test_a_dangling_reference_exits_1_with_every_problem_printed(make_dataset):
    ds = make_dataset(
        statements=replace_once(STATEMENTS, "speaker: kurt-campbell", "speaker: kurt-cambell")
    )
    r = _run("validate", "--data", str(ds.data), "--format", "json", "--today", "2025-01-01")
    assert r.returncode == 1, r.stderr
    [problem] = json.loads(r.stdout)["problems"]
    assert problem["rule"] == "dangling-reference"
    assert "did you mean 'kurt-campbell'?" in problem["message"]


def test_a_usage_error_exits_2():
    r = _run("validate", "--format", "yaml")
    assert r.returncode == 2
    assert "--format must be one of" in r.stderr
