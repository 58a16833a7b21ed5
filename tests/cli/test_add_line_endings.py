"""``add`` writes the new record in the file's own line endings: LF, CRLF, or CR alone (a file
saved by an old Mac editor), and every existing byte stays as it was."""

from __future__ import annotations

import pytest

import world


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_add_keeps_the_files_line_endings(tmp_path, newline):
    data = world.write_world(tmp_path).data
    path = data / "statements.yaml"
    raw = path.read_bytes().replace(b"\n", newline.encode())
    path.write_bytes(raw)
    world.run(
        "add", "statement", "--data", data, "--id", "ends", *world.add_statement_args(), code=0
    )
    new = path.read_bytes()
    assert new.startswith(raw)
    added = new[len(raw) :].decode()
    assert "- id: ends" in added
    others = {"\n", "\r\n", "\r"} - {newline}
    rest = added.replace(newline, "")
    assert not any(o in rest for o in others), repr(added)
    assert added.endswith(newline)
    world.run("validate", "--data", data, "--today", "2025-01-01", code=0)
