"""What a command costs before its work starts: ``status`` parses its options with our own
code (no pydantic adapter per option) and never looks up pydantic plugins in the installed
packages' metadata, while the record's models still validate as before; a command imports only
its own family's module and what that uses (``validate`` no scoring, no terminal views)."""

from __future__ import annotations

from world import STATEMENTS, replace_once, run_process, shipped, write_world


def _imported(stderr: str) -> set[str]:
    """The modules a process imported, from Python's own import-time report."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_status_imports_its_own_family_alone_nor_type_adapters_nor_package_metadata():
    done = run_process(
        "status",
        "--data",
        shipped(),
        "--as-of",
        "2024-12-31",
        "--ally",
        "jp",
        "--stale-days",
        "400",
        "--no-cache",
        env={"PYTHONPROFILEIMPORTTIME": "1"},
        code=0,
        text=True,
    )
    imported = _imported(done.stderr)
    assert "export_alignment.models" in imported  # the report is read right
    assert "pydantic.type_adapter" not in imported
    assert "importlib.metadata" not in imported
    assert "export_alignment.scoring" in imported and "export_alignment.terminal" in imported
    assert not {"export_alignment.cli.check", "export_alignment.cli.publish"} & imported
    assert not {"export_alignment.cli.edit", "export_alignment.cli.watch"} & imported
    assert "Japan" in done.stdout


def test_a_bad_option_value_is_still_worded_by_the_tool():
    done = run_process("status", "--data", shipped(), "--stale-days", "x", "--no-cache", text=True)
    assert done.returncode == 2, done.stderr
    assert "--stale-days: 'x' is not a whole number of days (e.g. 90)" in done.stderr


def test_validate_imports_neither_scoring_nor_the_terminal_views(tmp_path):
    broken = replace_once(STATEMENTS, "speaker: kurt-campbell", "speaker: kurt-cambell")
    data = write_world(tmp_path, statements=broken).data
    done = run_process(
        "validate", "--data", data, env={"PYTHONPROFILEIMPORTTIME": "1"}, code=1, text=True
    )
    imported = _imported(done.stderr)
    assert "export_alignment.checks" in imported  # the report is read right
    assert "dangling-reference" in done.stdout  # and the error still found and said
    assert not {m for m in imported if m.startswith("export_alignment.scoring")}
    assert not {m for m in imported if m.startswith("export_alignment.views")}
    assert "export_alignment.terminal" not in imported
    assert "export_alignment.history_report" not in imported
    # nor the other families' modules: only the command that runs is imported
    assert {m for m in imported if m.startswith("export_alignment.cli.")} == {
        "export_alignment.cli.app",
        "export_alignment.cli.check",
        "export_alignment.cli.output",
        "export_alignment.cli.params",
    }
