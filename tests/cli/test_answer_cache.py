"""The answer cache: ``status``, ``explain``, ``timeline`` and ``list`` asked the same question of
the same record print the kept answer, byte for byte what a fresh run prints; any edit to the
data, a changed seed document or another version answers afresh; an unreadable entry is
ignored; ``--no-cache`` and ``EXPORT_ALIGNMENT_NO_CACHE=1`` neither read nor write it. Each run
is the console script's own process (``python -m export_alignment``), as a user runs it."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

from export_alignment import answer_cache
from world import REPO, command, process_env

DATES = [
    "2019-01-01",
    "2020-06-30",
    "2021-12-31",
    "2022-10-07",
    "2023-03-15",
    "2023-07-23",
    "2024-01-01",
    "2024-12-02",
    "2025-06-30",
    "2026-11-28",
]


def record_copy(tmp_path: Path) -> Path:
    root = tmp_path / "record"
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root / "data"


def cli(tmp_path: Path, *args: object, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(*args),
        capture_output=True,
        env=process_env({"XDG_CACHE_HOME": str(tmp_path / "cache"), **(env or {})}),
        cwd=tmp_path,
    )


def entries(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cache" / "export-alignment" / "answers"
    return sorted(folder.glob("*.json")) if folder.exists() else []


def plant(entry: Path, text: bytes) -> None:
    """Replace what an entry prints (to show that a run answered from it)."""
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["output"] = [["out", base64.b64encode(text).decode("ascii")]]
    entry.write_text(json.dumps(kept), encoding="utf-8")


def test_status_json_at_ten_dates_is_byte_identical_with_and_without_the_cache(tmp_path):
    data = record_copy(tmp_path)
    for day in DATES:
        args = ("status", "--json", "--as-of", day, "--data", data)
        fresh = cli(tmp_path, *args, "--no-cache")
        kept = cli(tmp_path, *args)  # answers and keeps the answer
        again = cli(tmp_path, *args)  # answers from the cache
        assert fresh.returncode == kept.returncode == again.returncode == 0, fresh.stderr
        assert fresh.stdout == kept.stdout == again.stdout, day
        assert fresh.stderr == kept.stderr == again.stderr, day
        assert json.loads(again.stdout)["as_of"] == day
    assert len(entries(tmp_path)) == len(DATES)


def test_a_kept_answer_is_printed_without_running_the_command(tmp_path):
    data = record_copy(tmp_path)
    first = cli(tmp_path, "explain", "jp", "--data", data)
    assert first.returncode == 0, first.stderr
    (entry,) = entries(tmp_path)
    plant(entry, b"kept answer\n")
    again = cli(tmp_path, "explain", "jp", "--data", data)
    assert again.returncode == 0
    assert again.stdout == b"kept answer\n"
    other = cli(tmp_path, "explain", "kr", "--data", data)  # another question
    assert other.returncode == 0 and b"South Korea" in other.stdout


def test_any_edit_to_the_data_answers_afresh(tmp_path):
    data = record_copy(tmp_path)
    assert cli(tmp_path, "list", "allies", "--data", data).returncode == 0
    (entry,) = entries(tmp_path)
    plant(entry, b"stale\n")
    actors = data / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    edited = cli(tmp_path, "list", "allies", "--data", data)
    assert edited.returncode == 0
    assert edited.stdout != b"stale\n" and b"jp" in edited.stdout
    assert edited.stdout == cli(tmp_path, "list", "allies", "--data", data, "--no-cache").stdout


def test_a_changed_or_new_seed_document_answers_afresh(tmp_path):
    data = record_copy(tmp_path)
    assert cli(tmp_path, "status", "--data", data).returncode == 0
    (entry,) = entries(tmp_path)
    seed = next(p for p in (data.parent / "seeds").rglob("*") if p.is_file())
    for change in (
        lambda: seed.write_bytes(seed.read_bytes() + b"\n"),
        lambda: (data.parent / "seeds" / "new-document.txt").write_text("new", encoding="utf-8"),
    ):
        plant(entry, b"stale\n")
        change()
        answered = cli(tmp_path, "status", "--data", data)
        assert answered.returncode == 0
        assert answered.stdout != b"stale\n" and b"Japan" in answered.stdout


def test_another_version_or_command_line_is_another_question(monkeypatch):
    argv = ["status", "--json"]
    before = answer_cache.question(argv)
    assert answer_cache.question([*argv, "--as-of", "2024-01-01"]) != before
    monkeypatch.setattr(answer_cache, "__version__", "99.0.0")
    assert answer_cache.question(argv) != before


def test_an_unreadable_entry_is_ignored_and_replaced(tmp_path):
    data = record_copy(tmp_path)
    args = ("timeline", "--data", data)
    first = cli(tmp_path, *args)
    assert first.returncode == 0, first.stderr
    (entry,) = entries(tmp_path)
    for garbage in (b"\x00\xff not json", b'{"record": 1}', b"[]"):
        entry.write_bytes(garbage)
        again = cli(tmp_path, *args)
        assert again.returncode == 0, again.stderr
        assert again.stdout == first.stdout
        assert json.loads(entry.read_text(encoding="utf-8"))["code"] == 0  # written anew


def test_no_cache_and_the_environment_switch_neither_read_nor_write(tmp_path):
    data = record_copy(tmp_path)
    assert cli(tmp_path, "status", "--data", data, "--no-cache").returncode == 0
    off = {answer_cache.DISABLE_ENV: "1"}
    assert cli(tmp_path, "status", "--data", data, env=off).returncode == 0
    assert entries(tmp_path) == []
    assert cli(tmp_path, "status", "--data", data).returncode == 0
    (entry,) = entries(tmp_path)
    plant(entry, b"kept\n")
    assert cli(tmp_path, "status", "--data", data, env=off).stdout != b"kept\n"
    assert cli(tmp_path, "status", "--data", data, "--no-cache").stdout != b"kept\n"


def test_a_data_error_is_answered_with_its_exit_code_each_time(tmp_path):
    data = record_copy(tmp_path)
    statements = data / "statements.yaml"
    text = statements.read_text(encoding="utf-8")
    statements.write_text(text.replace("speaker: ", "speaker: nobody-", 1), encoding="utf-8")
    first = cli(tmp_path, "status", "--data", data)
    again = cli(tmp_path, "status", "--data", data)
    assert first.returncode == again.returncode == 1
    assert first.stderr == again.stderr and b"nobody-" in again.stderr
