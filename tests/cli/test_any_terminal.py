"""Any terminal: on a stream that cannot encode the tool's glyphs (a cp1252 or ASCII
console) the reports degrade to ASCII stand-ins, never a traceback, and exit as they would."""

from __future__ import annotations

import subprocess

import pytest

from world import run_process, shipped

AS_OF = "2026-11-28"


def cli(*args: str, encoding: str, columns: int = 100) -> subprocess.CompletedProcess:
    env = {"PYTHONIOENCODING": encoding, "COLUMNS": str(columns)}
    return run_process(*args, "--data", shipped(), env=env)


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize(
    "command",
    [
        ["status", "--as-of", AS_OF],
        ["explain", "jp", "--as-of", AS_OF],
        ["brief", "--as-of", AS_OF],
        ["timeline", "--as-of", AS_OF],
        ["status", "--matrix", "--as-of", AS_OF],
    ],
)
def test_reports_degrade_to_ascii_without_a_traceback(command, encoding):
    r = cli(*command, encoding=encoding)
    assert r.returncode == 0, r.stderr.decode(encoding, "replace")
    assert b"Traceback" not in r.stderr
    text = r.stdout.decode(encoding)  # every byte is in the stream's encoding
    assert "Japan" in text


def test_the_ladder_reads_in_ascii():
    text = cli("explain", "jp", "--as-of", AS_OF, encoding="cp1252", columns=120).stdout
    assert "###### in_force" in text.decode("cp1252")
    text = cli("status", "--controls", "--as-of", AS_OF, encoding="cp1252", columns=120).stdout
    text = text.decode("cp1252")
    assert "` US rule 2022-10-07" in text
    assert "?" not in text.split("Decisive evidence")[0]  # the table has no unprintable glyph


def test_a_data_error_still_exits_1_on_such_a_stream(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "actors.yaml").write_text("actors: [\n", encoding="utf-8")
    r = run_process("validate", "--data", tmp_path / "data", env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 1, r.stderr
    assert b"Traceback" not in r.stderr
