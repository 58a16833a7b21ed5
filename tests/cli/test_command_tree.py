"""The command tree is built one command at a time: a run builds only the command it
runs, while the app's help still lists every command with its short help, each command's help
and options work, and an unknown command is refused (exit 2) with the same suggestion."""

from __future__ import annotations

import typer
import typer.main

from export_alignment.cli.app import DECLARED, app
from world import run, shipped


def test_running_status_builds_status_alone():
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    assert group.get_command(ctx, "status") is not None
    assert sorted(group.commands) == ["add", "sources", "status"]  # type: ignore[attr-defined]
    assert not group.commands["sources"].commands  # type: ignore[attr-defined]  # (built on use)
    # and the command built is the one that runs: its options parse as declared
    sub = group.get_command(ctx, "status")
    assert sub is not None
    names = {opt for param in sub.params for opt in param.opts}
    assert {"--data", "--as-of", "--ally", "--json", "--matrix", "--stale-days"} <= names


def test_status_runs_with_its_options():
    result = run("status", "--data", shipped(), "--as-of", "2024-12-31", "--ally", "jp", "--json")
    assert result.exit_code == 0, result.output
    assert '"as_of": "2024-12-31"' in result.output


def test_app_help_lists_every_command_with_its_short_help_in_order():
    result = run("--help", code=0)
    listed = [
        line.split()[0]
        for line in result.output.split("Commands:")[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ")
    ]
    assert listed == [*DECLARED, "add", "sources"]
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.startswith("  ")}
    for name in listed:
        command = group.get_command(ctx, name)
        assert command is not None, name
        words = command.get_short_help_str(limit=1000).split()[:3]
        assert words and " ".join(words) in lines[name], name


def test_every_command_shows_its_own_help():
    for name in DECLARED:
        result = run(name, "--help", code=0)
        assert f"Usage: export-alignment {name}" in " ".join(result.output.split()), name


def test_an_unknown_command_is_a_usage_error_with_a_suggestion():
    result = run("statsu", code=2)
    assert "No such command 'statsu'. Did you mean 'status'?" in result.output


def test_an_unknown_command_with_no_close_name_is_refused_plainly():
    result = run("zzz", code=2)
    assert "No such command 'zzz'." in result.output
    assert "Did you mean" not in result.output
