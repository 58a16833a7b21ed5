"""Each loader limit through the reporting commands: a clear, located error and exit 1, never a
traceback or a hang; and a record of 20,000 statements still validates.

``test_bad_input`` covers each limit through ``validate`` and the library (with custom limits);
here the defaults are hit through ``status``, ``brief``, ``explain`` and ``add``.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import pytest

from export_alignment.history import compare
from export_alignment.loader import DEFAULT_LIMITS
from world import STATEMENTS, add_statement_args, asked, commit_all, replace_once, run
from world.hostile import BILLION_LAUGHS

SUMMARY = "summary: Campbell called the talks with Japan productive."
COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["explain", "jp"],
    ["timeline"],
    ["brief", "--as-of", "2025-01-01"],
]
ADD = [
    "add",
    "statement",
    "--id",
    "new-one",
    *add_statement_args(
        date="2023-01-14",
        stance="neutral",
        summary="s",
        url="https://example.org/x",
        publisher="P",
        published="2023-01-14",
    ),
    "--today",
    "2025-01-01",
]


def _refused_everywhere(ds, monkeypatch, expected: str) -> None:
    """Every reporting command exits 1 with the located problem first; add writes nothing."""
    monkeypatch.chdir(ds.root)
    for command in COMMANDS:
        r = run(*command, "--data", "data")
        assert r.exit_code == 1, (command, r.output)
        assert r.stderr.startswith(expected), (command, r.stderr[:300])
        assert r.stderr.rstrip().endswith("run 'export-alignment validate'")
    before = {
        p.name: p.read_bytes() if p.stat().st_size < 1_000_000 else p.stat().st_size
        for p in ds.data.iterdir()
    }
    r = run(*ADD, "--data", "data")
    assert r.exit_code == 1, r.output
    assert expected.split(" ")[0].split(":")[0] in r.stderr
    after = {
        p.name: p.read_bytes() if p.stat().st_size < 1_000_000 else p.stat().st_size
        for p in ds.data.iterdir()
    }
    assert after == before


def test_file_size_limit(make_dataset, monkeypatch):
    ds = make_dataset()
    path = ds.data / "statements.yaml"
    with open(path, "r+b") as f:  # a sparse file just over the limit: nothing is read
        f.truncate(DEFAULT_LIMITS.max_file_bytes + 1)
    _refused_everywhere(
        ds,
        monkeypatch,
        "data/statements.yaml:1:1: error limit-file-size the "
        f"file is {DEFAULT_LIMITS.max_file_bytes + 1:,} bytes; the limit is "
        f"{DEFAULT_LIMITS.max_file_bytes:,}\n",
    )


def test_depth_limit(make_dataset, monkeypatch):
    text = replace_once(STATEMENTS, "about: [jp]", "about: " + "[" * 100 + "jp" + "]" * 100)
    ds = make_dataset(statements=text)
    _refused_everywhere(
        ds,
        monkeypatch,
        "data/statements.yaml:5:73: error limit-depth nested deeper than 64 levels\n",
    )


def test_alias_limit(make_dataset, monkeypatch):
    ds = make_dataset(actors=BILLION_LAUGHS)
    _refused_everywhere(
        ds,
        monkeypatch,
        "data/actors.yaml:7:17: error limit-aliases aliases expand to more than 5,000,000 values\n",
    )


def test_string_limit(make_dataset, monkeypatch):
    chars = DEFAULT_LIMITS.max_scalar_chars + 1
    ds = make_dataset(statements=replace_once(STATEMENTS, SUMMARY, "summary: " + "x" * chars))
    _refused_everywhere(
        ds,
        monkeypatch,
        f"data/statements.yaml:9:14: error limit-string a text "
        f"of {chars:,} characters; the limit is 100,000\n",
    )


def test_a_string_at_the_limit_is_accepted(make_dataset):
    text = replace_once(STATEMENTS, SUMMARY, "summary: " + "x" * DEFAULT_LIMITS.max_scalar_chars)
    ds = make_dataset(statements=text)
    assert run("status", "--data", str(ds.data)).exit_code == 0


@pytest.mark.slow
def test_node_limit_without_aliases(make_dataset, monkeypatch):
    # 5,000,001 plain values (10 MB): refused, but reading them costs tens of seconds and
    # gigabytes (about 9 microseconds and 400 bytes a value), so one command only
    values = DEFAULT_LIMITS.max_nodes
    ds = make_dataset(controls="controls: []\nextra: [" + "0," * values + "0]\n")
    monkeypatch.chdir(ds.root)
    r = run("status", "--data", "data")
    assert r.exit_code == 1, r.output[-2000:]
    assert r.stderr.startswith("data/controls.yaml:2:"), r.stderr[:300]
    assert "error limit-nodes more than 5,000,000 values" in r.stderr


@pytest.mark.slow
def test_record_limit(make_dataset, monkeypatch):
    count = DEFAULT_LIMITS.max_records + 1
    ds = make_dataset(controls="controls:\n" + "  - 0\n" * count)
    monkeypatch.chdir(ds.root)
    start = time.perf_counter()
    r = run("validate", "--data", "data", "--format", "json")
    assert r.exit_code == 1
    assert '"rule": "limit-records"' in r.stdout
    assert time.perf_counter() - start < 60


# --- a big real record --------------------------------------------------------------------------


def _statements(count: int) -> str:
    body = STATEMENTS.split("\n", 1)[1]
    return "statements:\n" + "".join(
        replace_once(body, "id: campbell-talks", f"id: talks-{i}") for i in range(count)
    )


@pytest.mark.slow
def test_twenty_thousand_statements_validate_and_report(make_dataset, monkeypatch):
    ds = make_dataset(statements=_statements(20_000))
    monkeypatch.chdir(ds.root)
    start = time.perf_counter()
    r = run("validate", "--data", "data", "--format", "text", "--today", "2025-01-01")
    elapsed = time.perf_counter() - start
    assert r.exit_code == 0, r.output[-2000:]
    assert r.stderr.startswith("ok: 20006 records, no problems")
    assert elapsed < float(os.environ.get("BIG_RECORD_SECONDS", "30")), elapsed
    for command in (["status", "--json"], ["brief", "--as-of", "2025-01-01"]):
        r = run(*command, "--data", "data")
        assert r.exit_code == 0, r.output[-2000:]


def test_every_reader_refuses_an_oversized_file_with_the_same_message(make_dataset, monkeypatch):
    """``validate``, ``status`` and ``add`` on the file on disk, and ``diff`` on a file at a git
    revision: each refuses a file over the size limit, unread, with one and the same message
    (``diff`` goes on with the revision's valid records and counts the refused file among its
    errors)."""
    ds = make_dataset()
    monkeypatch.chdir(ds.root)
    path = ds.data / "statements.yaml"
    valid = path.read_bytes()
    size = DEFAULT_LIMITS.max_file_bytes + 1
    message = f"the file is {size:,} bytes; the limit is {DEFAULT_LIMITS.max_file_bytes:,}"
    with open(path, "r+b") as f:  # sparse: nothing is read, and git stores it compressed
        f.truncate(size)
    commit_all(ds.root, "a statements file over the limit")
    for command in (["validate"], ["status"], ADD):
        r = run(*command, "--data", "data")
        assert r.exit_code == 1, (command, r.output[-500:])
        line = f"data/statements.yaml:1:1: error limit-file-size {message}\n"
        assert line in r.output, (command, r.output[:500])
    path.write_bytes(valid)  # the working tree is fine again; the revision is not
    r = run("diff", "HEAD", "--data", "data", "--as-of", "2025-01-01", "--format", "json")
    assert r.exit_code == 0, r.output[-500:]
    assert json.loads(r.output)["old_errors"] == 1
    refused = compare(Path("data"), "HEAD", asked(date(2025, 1, 1))).old_problems
    assert [(p.line, p.column, p.rule, p.message) for p in refused] == [
        (1, 1, "limit-file-size", message)
    ]
    assert refused[0].path.endswith(":statements.yaml")
