"""What a command costs before its work starts: ``status`` parses its options with our own
code (no pydantic adapter per option) and never looks up pydantic plugins in the installed
packages' metadata, while the record's models still validate as before."""

from __future__ import annotations

from world import run_process, shipped


def _imported(stderr: str) -> set[str]:
    """The modules a process imported, from Python's own import-time report."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_status_imports_neither_type_adapters_nor_package_metadata():
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
    assert "Japan" in done.stdout


def test_a_bad_option_value_is_still_worded_by_the_tool():
    done = run_process("status", "--data", shipped(), "--stale-days", "x", "--no-cache", text=True)
    assert done.returncode == 2, done.stderr
    assert "--stale-days: 'x' is not a whole number of days (e.g. 90)" in done.stderr
