"""The command tree is built one command at a time: a run imports the module of the command it
runs and builds that command alone, while the app's help still lists every command with its
short help, each command's help and options work, and an unknown command is refused (exit 2)
with the same suggestion."""

from __future__ import annotations

import typer
import typer.main

from export_alignment.cli.app import FAMILIES, GROUPS, LAZY, app, command_name, family
from world import run, shipped


def test_running_status_builds_status_alone():
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    assert group.get_command(ctx, "status") is not None
    assert sorted(group.commands) == ["status"]  # type: ignore[attr-defined]
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
    assert listed == [*LAZY] == [*(n for names in FAMILIES.values() for n in names), *GROUPS]
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.startswith("  ")}
    for name in listed:
        command = group.get_command(ctx, name)
        assert command is not None, name
        words = command.get_short_help_str(limit=1000).split()[:3]
        assert words and " ".join(words) in lines[name], name


def test_every_command_shows_its_own_help():
    for name in LAZY:
        result = run(name, "--help", code=0)
        assert f"Usage: export-alignment {name}" in " ".join(result.output.split()), name


def test_an_unknown_command_is_a_usage_error_with_a_suggestion():
    result = run("statsu", code=2)
    assert "No such command 'statsu'. Did you mean 'status'?" in result.output


def test_an_unknown_command_with_no_close_name_is_refused_plainly():
    result = run("zzz", code=2)
    assert "No such command 'zzz'." in result.output
    assert "Did you mean" not in result.output


def test_the_table_of_commands_is_what_each_family_declares():
    for module, names in FAMILIES.items():
        declared = family(module).commands.registered_commands
        assert tuple(command_name(info) for info in declared) == names, module
    for name, (module, attribute) in GROUPS.items():
        assert isinstance(getattr(family(module), attribute), typer.Typer), name


def test_a_group_is_built_on_first_use_with_its_own_commands():
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    sources = group.get_command(ctx, "sources")
    assert sorted(group.commands) == ["sources"]  # type: ignore[attr-defined]
    assert not sources.commands  # type: ignore[attr-defined]  # (its commands built on use)
    assert "check" in sources.list_commands(typer.Context(sources))  # type: ignore[attr-defined]
