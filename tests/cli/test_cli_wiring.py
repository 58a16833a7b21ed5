"""The CLI only wires: formats come from registries, one boundary maps errors to exit codes, and
the data folder, the refusals and atomic writes are library code of their own."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from export_alignment import datadir, escape, guards, loader
from export_alignment.atomic import EditConflict, snapshot, write_atomic
from export_alignment.cli import check
from export_alignment.cli.app import words
from export_alignment.errors import (
    DataError,
    DayTooEarly,
    NotAWebAddress,
    OutputNotWritable,
    TooFewDays,
    TooManyDays,
    UnknownAlly,
    UnknownControl,
    UnknownScope,
    UsageError,
    WindowReversed,
)
from export_alignment.question import Question
from world import run

# --- formats ------------------------------------------------------------------------------------


def test_validate_formats_are_the_registry(dataset, monkeypatch):
    r = run("validate", "--help")
    assert r.exit_code == 0
    assert ", ".join(check.PROBLEM_FORMATS) in " ".join(r.stdout.split())
    seen = []
    monkeypatch.setitem(check.PROBLEM_FORMATS, "count", lambda result: seen.append(result))
    r = run("validate", "--data", str(dataset.data), "--format", "count", "--today", "2025-01-01")
    assert r.exit_code == 0, r.output
    assert len(seen) == 1 and seen[0].ok


def test_an_unknown_format_lists_the_registry(dataset):
    r = run("validate", "--data", str(dataset.data), "--format", "xml")
    assert r.exit_code == 2, r.output
    assert f"must be one of {', '.join(check.PROBLEM_FORMATS)}" in r.stderr


# --- one error boundary -------------------------------------------------------------------------

COMMANDS = [
    ["validate"],
    ["status"],
    ["explain", "jp"],
    ["timeline"],
    ["brief"],
    ["diff"],
    ["add", "actor", "--id", "x", "--name", "X", "--kind", "media"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_maps_a_usage_error_to_exit_2(tmp_path, command):
    r = run(*command, "--data", str(tmp_path / "nowhere"))
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("error: data folder") and "does not exist" in r.stderr


@pytest.mark.parametrize("command", COMMANDS[1:5], ids=lambda c: c[0])
def test_every_reporting_command_refuses_invalid_data_with_exit_1(make_dataset, command):
    ds = make_dataset(statements="statements: 5\n")
    r = run(*command, "--data", str(ds.data))
    assert r.exit_code == 1, r.output
    assert "error schema" in r.stderr and "run 'export-alignment validate'" in r.stderr


# --- the data folder ----------------------------------------------------------------------------


def test_data_folder_resolution_lives_outside_the_loader():
    assert not hasattr(loader, "resolve_data_dir")
    assert "UsageError" not in Path(loader.__file__).read_text()


def test_option_then_environment_then_implicit_places(tmp_path, monkeypatch):
    for name in ("opt", "env", "cwd/data"):
        (tmp_path / name).mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv(datadir.ENV_VAR, str(tmp_path / "env"))
    assert datadir.resolve_data_dir(tmp_path / "opt") == tmp_path / "opt"
    assert datadir.resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv(datadir.ENV_VAR)
    assert datadir.resolve_data_dir(None) == Path("data")
    monkeypatch.chdir(tmp_path)
    shipped = datadir.shipped_root()
    assert shipped is not None and datadir.resolve_data_dir(None) == shipped / "data"


def test_a_new_implicit_place_is_one_more_finder(tmp_path, monkeypatch):
    monkeypatch.delenv(datadir.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    found = tmp_path / "found"
    monkeypatch.setattr(datadir, "IMPLICIT", (lambda: None, lambda: found))
    assert datadir.resolve_data_dir(None) == found
    monkeypatch.setattr(datadir, "IMPLICIT", ())
    with pytest.raises(UsageError, match="no data folder"):
        datadir.resolve_data_dir(None)


# --- the refusals -------------------------------------------------------------------------------


def test_since_after_as_of_is_refused_once_for_every_caller():
    guards.require_window(None, date(2023, 1, 1))
    guards.require_window(date(2023, 1, 1), date(2023, 1, 1))
    with pytest.raises(WindowReversed) as refused:
        guards.require_window(date(2023, 2, 1), date(2023, 1, 1))
    assert (refused.value.since, refused.value.as_of) == (date(2023, 2, 1), date(2023, 1, 1))
    assert refused.value.exit_status == 2


def test_invalid_data_is_refused_with_its_problems(make_dataset):
    ds = make_dataset(statements="statements: 5\n")
    with pytest.raises(DataError) as refused:
        guards.require_valid(ds.data, date(2025, 1, 1))
    assert [p.rule for p in refused.value.problems] == ["schema"]


# --- atomic writes and JSON ---------------------------------------------------------------------


def test_schema_output_is_written_atomically(tmp_path):
    r = run("schema", "-o", str(tmp_path / "schemas"))
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == [
        "actors.schema.json",
        "controls.schema.json",
        "output",
        "statements.schema.json",
    ]
    json.loads((tmp_path / "schemas" / "actors.schema.json").read_text())
    assert not [p for p in (tmp_path / "schemas").rglob("*") if p.name.startswith(".")]


def test_write_atomic_refuses_a_file_changed_meanwhile(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("one")
    snap = snapshot(path)
    path.write_text("two, changed")
    with pytest.raises(EditConflict, match="f.txt changed on disk"):
        write_atomic(path, b"three", snap, "f.txt")
    assert path.read_text() == "two, changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]
    write_atomic(path, b"four")
    assert path.read_text() == "four"


def test_dumps_escapes_c1_controls_and_bidi_overrides():
    text = escape.dumps({"a": "x\x9b\u202ey"})
    assert "\x9b" not in text and "\u202e" not in text
    assert json.loads(text) == {"a": "x\x9b\u202ey"}


# --- the library's typed errors, worded by the command line alone -------------------------------


def _error_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["status", "--control", "nope"],
            "error: --control: no initiator control 'nope'; controls: us-rule",
        ),
        (
            ["status", "--scope", "nope"],
            "error: --scope: 'nope' is not an item of any initiator control; items: "
            "advanced-computing-chips",
        ),
        (
            ["timeline", "--control", "us-rule", "--scope", "nope"],
            "error: --scope: 'nope' is not an item of control us-rule; items: "
            "advanced-computing-chips",
        ),
        (["status", "--stale-days", "0"], "error: --stale-days: 0 is not at least 1 day"),
        (["explain", "--stale-days", "-5", "jp"], "error: --stale-days: -5 is not at least 1 day"),
        (
            ["brief", "--since", "2023-02-01", "--as-of", "2023-01-31"],
            "error: --since (2023-02-01) is after --as-of (2023-01-31)",
        ),
        (
            ["status", "--ally", "zz\x1b[2J"],
            "error: no ally 'zz\\\\x1b[2J' in the record; allies: jp, nl",
        ),
        (
            ["status", "--format", "xml"],
            "error: --format must be one of text, json, csv, not 'xml'",
        ),
    ],
    ids=lambda v: v[0] if isinstance(v, list) else "",
)
def test_typed_errors_are_worded_as_options(dataset, args, said):
    r = run(*args, "--data", dataset.data)
    assert r.exit_code == 2, r.output
    assert _error_line(r) == said


def test_an_output_that_is_a_folder_is_refused_in_terms_of_o(dataset, tmp_path):
    (tmp_path / "taken").mkdir()
    r = run("brief", "--as-of", "2024-06-30", "-o", tmp_path / "taken", "--data", dataset.data)
    assert r.exit_code == 2, r.output
    assert _error_line(r) == f"error: -o: {str(tmp_path / 'taken')!r} is a folder"


def test_the_library_names_no_option(dataset):
    """The same refusals raised by the library keep the values and word no option."""
    ds = guards.require_valid(dataset.data, date(2025, 1, 1)).dataset
    asked = Question(as_of=date(2025, 1, 1), allies=("Japan", "NL,jp"), stale_days=30)
    assert asked.checked(ds).allies == ("jp", "nl")
    refusals = [
        (lambda: Question(as_of=date(2025, 1, 1), stale_days=0), TooFewDays),
        (lambda: replace(asked, allies=("japn",)).checked(ds), UnknownAlly),
        (lambda: replace(asked, control="nope").checked(ds), UnknownControl),
        (lambda: replace(asked, scope="nope").checked(ds), UnknownScope),
    ]
    for ask, kind in refusals:
        with pytest.raises(kind) as refused:
            ask()
        assert refused.value.exit_status == 2
        assert "--" not in str(refused.value), str(refused.value)
    with pytest.raises(UnknownAlly) as refused:
        replace(asked, allies=("japn",)).checked(ds)
    assert (refused.value.wanted, refused.value.close) == ("japn", ["jp"])


def test_the_site_refusals_are_worded_as_its_options():
    """``site``'s own refusals, typed, say the option as the command has always said it."""
    assert (
        words(NotAWebAddress("ftp://x\n", "is not an http(s) address"))
        == "--base-url: 'ftp://x\\\\x0a' is not an http(s) address"
    )
    why = "the site's charts start on 1 January of the year before their last day"
    assert words(DayTooEarly(date(2020, 5, 1), date(2021, 1, 1), why)) == (
        f"--as-of 2020-05-01: {why}, so the date must be 2021-01-01 or later"
    )
    assert words(OutputNotWritable("out", "cannot write to", "Permission denied")) == (
        "-o: cannot write to 'out': Permission denied"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["export", "-f", "xml", "-o", "{tmp}/x"],
            "error: --format must be one of json, csv, sqlite, not 'xml'",
        ),
        (["export", "-f", "json", "-o", "{tmp}/folder"], "error: -o: '{tmp}/folder' is a folder"),
        (
            ["export", "-f", "csv", "-o", "{tmp}/a-file"],
            "error: -o: '{tmp}/a-file' exists and is not a folder",
        ),
        (["site", "-o", "{tmp}/a-file"], "error: -o: '{tmp}/a-file' exists and is not a folder"),
        (
            ["site", "-o", "{tmp}/site", "--base-url", "ftp://example.org/"],
            "error: --base-url: 'ftp://example.org/' is not an absolute http(s) address, e.g. "
            "https://example.org/alignment/",
        ),
        (
            ["site", "-o", "{tmp}/site", "--as-of", "0001-06-01"],
            "error: --as-of 0001-06-01: the site's charts start on 1 January of the year before "
            "their last day, so the date must be 0002-01-01 or later",
        ),
    ],
    ids=lambda v: " ".join(v[:3]) if isinstance(v, list) else "",
)
def test_site_and_export_refusals_are_worded_as_their_options(dataset, tmp_path, args, said):
    """What the site and the export refuse, typed in the library, reads as their options."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    r = run(*(a.format(tmp=tmp_path) for a in args), "--data", dataset.data)
    assert r.exit_code == 2, r.output
    assert _error_line(r) == said.format(tmp=tmp_path)
    assert not (tmp_path / "site").exists() and not (tmp_path / "x").exists()
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "-o", "{data}/controls.yaml"],
        ["export", "-f", "sqlite", "-o", "{data}/actors.yaml"],
        ["export", "-f", "json", "-o", "{data}/../data/statements.yaml"],
        ["site", "-o", "{data}/statements.yaml"],
        ["brief", "-o", "{seeds}/new.txt"],
        ["export", "-f", "csv", "-o", "{seeds}"],
    ],
    ids=lambda v: " ".join(v),
)
def test_an_output_never_replaces_a_file_of_the_record_it_reads(dataset, args):
    """``-o`` naming a data file or a place under ``seeds/`` is refused before anything is
    written: the output would replace the evidence it was made from."""
    dataset.seeds.mkdir(exist_ok=True)
    before = {p: p.read_bytes() for p in dataset.root.rglob("*") if p.is_file()}
    shown = [a.format(data=dataset.data, seeds=dataset.seeds) for a in args]
    r = run(*shown, "--data", dataset.data)
    assert r.exit_code == 2, r.output
    assert _error_line(r) == f"error: -o: {shown[-1]!r} is part of the record being read"
    assert {p: p.read_bytes() for p in dataset.root.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["status", "--stale-days", "99999999999999999999"],
            "error: --stale-days: 99999999999999999999 is more than 36500 days (a century)",
        ),
        (
            ["brief", "--stale-days", "36501"],
            "error: --stale-days: 36501 is more than 36500 days (a century)",
        ),
        (
            ["brief", "--since", "0001", "--as-of", "2024-01-01"],
            "error: --since 0001-01-01: a brief compares with the day before it, so the date "
            "must be 0001-01-02 or later",
        ),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_days_off_the_calendar_are_usage_errors(dataset, args, said):
    """A staleness threshold or a window start the calendar cannot hold is refused in words
    (exit 2), never a traceback."""
    r = run(*args, "--data", dataset.data)
    assert r.exit_code == 2, r.output
    assert _error_line(r) == said


def test_a_century_is_the_longest_staleness_threshold():
    """The longest threshold is accepted; one day more is ``TooManyDays``."""
    assert Question(as_of=date(2024, 1, 1), stale_days=36_500).stale_days == 36_500
    with pytest.raises(TooManyDays):
        Question(as_of=date(2024, 1, 1), stale_days=36_501)
