"""Writes that cannot hang, crash or lose data: ``add``, ``brief -o`` and ``schema`` refuse a FIFO,
a device, a read-only file, a hard link or a full disk, keep line endings, headers, owner and
mode, write through symlinks, serialise concurrent adds and leave no temporary file (each test
named after the finding it reproduces, F1-F5, F7, F9-F12, F18).

Processes that could hang on the old code (a FIFO, /dev/zero, a huge width) run as subprocesses
with a timeout, so a regression fails instead of stalling the suite."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

import world
from export_alignment import atomic
from export_alignment.loader import load_file
from world import NEW_STATEMENT, new_statement_args, write_commented


def cli(*args: object, env: dict | None = None, timeout: float = 60, **kwargs):
    """The command in its own process (what a user or CI runs), with a timeout."""
    return world.run_process(*args, env=env, timeout=timeout, **kwargs)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- F1, F2: what is not a regular file is refused before it is read -------------------------


def test_f1_add_refuses_a_fifo_without_hanging(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    path.unlink()
    os.mkfifo(path)
    r = cli("add", "statement", "--data", data, "--id", "x", *NEW_STATEMENT, timeout=30)
    assert r.returncode == 1, r.stderr
    assert b"FIFO" in r.stderr and b"Traceback" not in r.stderr


def test_f2_add_refuses_a_link_to_a_device(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    path.unlink()
    path.symlink_to("/dev/zero")
    r = cli("add", "statement", "--data", data, "--id", "x", *NEW_STATEMENT, timeout=30)
    assert r.returncode == 1, r.stderr
    assert b"a device" in r.stderr and b"Traceback" not in r.stderr


# --- F3, F4: the file-size limit ------------------------------------------------------------


@pytest.mark.slow
def test_f3_add_refuses_a_record_that_would_pass_the_file_size_limit(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    limit = atomic.DEFAULT_MAX_BYTES
    text = path.read_text(encoding="utf-8")
    pad = limit - len(text.encode()) - 40
    line = "#" + "x" * 998 + "\n"
    rest = pad % len(line)
    path.write_text(text + line * (pad // len(line)) + "#" * (rest - 1) + "\n", encoding="utf-8")
    before = path.read_bytes()
    r = world.run("add", "statement", "--data", data, "--id", "big", *NEW_STATEMENT, code=1)
    assert "limit-file-size" in r.output and "nothing was written" in r.output
    assert path.read_bytes() == before


@pytest.mark.slow
def test_f4_diff_refuses_a_revision_file_over_the_limit_without_reading_it(tmp_path, monkeypatch):
    from export_alignment import history

    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    good = path.read_bytes()
    path.write_bytes(good + b"#" * (atomic.DEFAULT_MAX_BYTES + 10))
    world.commit_all(tmp_path, "huge")
    path.write_bytes(good)
    largest = [0]
    real_git = history._git

    def measured(args, cwd):
        done = real_git(args, cwd)
        largest[0] = max(largest[0], len(done.stdout))
        return done

    monkeypatch.setattr(history, "_git", measured)
    r = world.run("diff", "HEAD", "--data", data, "--format", "json", "--as-of", "2024-01-01")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["old_errors"] == 1  # the revision's file, refused by its size
    assert largest[0] < 1024 * 1024  # and never read into memory


# --- F5: a data folder whose path is not valid UTF-8 ----------------------------------------


@pytest.mark.slow
def test_f5_a_folder_name_that_is_not_utf8_never_crashes(tmp_path):
    root = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xffname"))
    data = write_commented(root)
    for fmt in ("text", "json", "github"):
        r = cli("validate", "--data", data, "--format", fmt, "--today", "2025-01-01")
        assert r.returncode == 0, r.stderr
        assert b"Traceback" not in r.stderr
        r.stdout.decode("utf-8")  # valid UTF-8
        if fmt == "json":
            json.loads(r.stdout)
    # a warning-free dataset prints no paths; an unknown key makes one
    statements = data / "statements.yaml"
    statements.write_text(statements.read_text(encoding="utf-8") + "oops: 1\n", encoding="utf-8")
    for fmt in ("text", "json", "github"):
        r = cli("validate", "--data", data, "--format", fmt, "--today", "2025-01-01")
        assert r.returncode == 1, r.stderr
        out = r.stdout.decode("utf-8")
        assert "name" in out and "Traceback" not in r.stderr.decode("utf-8", "replace")
        if fmt == "json":
            problems = json.loads(out)["problems"]
            assert problems and "\ufffd" in problems[0]["path"] or "\\udcff" in out
    r = cli("schema", "-o", root / "schemas")
    assert r.returncode == 0, r.stderr
    r.stdout.decode("utf-8")


@pytest.mark.slow
def test_f5_add_in_a_folder_that_is_not_utf8_reports_what_it_wrote(tmp_path):
    root = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xffname"))
    data = write_commented(root)
    r = cli("add", "statement", "--data", data, "--id", "fresh", *NEW_STATEMENT)
    assert r.returncode == 0, r.stderr
    assert b"added statement fresh" in r.stdout
    r.stdout.decode("utf-8")
    again = cli("add", "statement", "--data", data, "--id", "fresh", *NEW_STATEMENT)
    assert again.returncode == 1  # a duplicate now: the first add did write, and said so


# --- F7: an append keeps the file's conventions ---------------------------------------------


def test_f7_add_keeps_a_final_document_end_marker_and_every_line(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    old = path.read_text(encoding="utf-8") + "...\n# after the document\n"
    path.write_text(old, encoding="utf-8")
    world.run("add", "statement", "--data", data, "--id", "marked", *NEW_STATEMENT, code=0)
    new = path.read_text(encoding="utf-8")
    body = old[: old.index("...\n")]
    assert new.startswith(body)
    assert new.endswith("...\n# after the document\n")
    assert "- id: marked" in new[len(body) :]


def test_f7_add_keeps_crlf_line_endings(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    old = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(old)
    world.run("add", "statement", "--data", data, "--id", "crlf", *NEW_STATEMENT, code=0)
    new = path.read_bytes()
    assert new.startswith(old) and b"crlf" in new
    assert new.count(b"\n") == new.count(b"\r\n")


def test_f7_add_keeps_yaml_headers(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    old = "%YAML 1.2\n---\n" + path.read_text(encoding="utf-8")
    path.write_text(old, encoding="utf-8")
    world.run("add", "statement", "--data", data, "--id", "headed", *NEW_STATEMENT, code=0)
    new = path.read_text(encoding="utf-8")
    assert new.startswith(old) and "- id: headed" in new[len(old) :]


def test_f7_an_append_that_would_rewrite_other_lines_is_refused(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    records = load_file(path).data["statements"]
    flow = json.dumps({"statements": records}, indent=1) + "\n"
    path.write_text(flow, encoding="utf-8")  # a flow list: no line can be added to it
    before = path.read_bytes()
    r = world.run("add", "statement", "--data", data, "--id", "z", *NEW_STATEMENT, code=1)
    assert "without rewriting other lines" in r.output.replace("\n", " ")
    assert path.read_bytes() == before


# --- F9, F10: links, modes, owners ----------------------------------------------------------


def test_f9_add_writes_through_a_symlink_and_names_the_target(tmp_path):
    data = write_commented(tmp_path / "w")
    elsewhere = tmp_path / "real"
    elsewhere.mkdir()
    target = elsewhere / "statements.yaml"
    (data / "statements.yaml").rename(target)
    (data / "statements.yaml").symlink_to(target)
    r = world.run("add", "statement", "--data", data, "--id", "linked", *NEW_STATEMENT, code=0)
    assert (data / "statements.yaml").is_symlink()
    assert "- id: linked" in target.read_text(encoding="utf-8")
    assert str(target) in r.output.replace("\n", "")


def test_f9_brief_output_writes_through_a_symlink(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "brief.md"
    link.symlink_to(target)
    world.run("brief", "--as-of", "2024-01-01", "-o", link, code=0)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8").startswith("#")


def test_f10_add_refuses_a_read_only_file(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    path.chmod(0o444)
    before = path.read_bytes()
    r = world.run("add", "statement", "--data", data, "--id", "ro", *NEW_STATEMENT, code=2)
    assert "read-only" in r.output
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444


def test_f10_add_refuses_to_break_hard_links(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    twin = tmp_path / "twin.yaml"
    os.link(path, twin)
    r = world.run("add", "statement", "--data", data, "--id", "hl", *NEW_STATEMENT, code=2)
    assert "hard links" in r.output
    assert os.stat(path).st_ino == os.stat(twin).st_ino


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_f10_add_keeps_the_owner_and_mode(tmp_path):
    data = write_commented(tmp_path)
    path = data / "statements.yaml"
    os.chown(path, 4321, 4321)
    path.chmod(0o640)
    world.run("add", "statement", "--data", data, "--id", "owned", *NEW_STATEMENT, code=0)
    st = path.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (4321, 4321, 0o640)


# --- F11: schema -o on a full disk ----------------------------------------------------------


def _small_files(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
def test_f11_schema_on_a_full_disk_keeps_the_old_schemas(tmp_path):
    out = tmp_path / "schemas"
    assert cli("schema", "-o", out).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = cli("schema", "-o", out, preexec_fn=_small_files(100))
    assert r.returncode == 2, r.stderr
    assert b"Traceback" not in r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# --- F12: concurrent adds, signals, stale temporaries ---------------------------------------


@pytest.mark.slow
def test_f12_concurrent_adds_serialise_and_keep_both_records(tmp_path):
    data = write_commented(tmp_path)
    env = {atomic.DELAY_ENV: "1.0"}
    args = ["add", "statement", "--data", str(data)]
    first = subprocess.Popen(
        world.command(*args, "--id", "one", *NEW_STATEMENT),
        env=world.process_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(0.3)
    second = cli(*args, "--id", "two", *new_statement_args(date="2023-01-31"), env=env)
    first.wait(timeout=60)
    assert first.returncode == 0, first.stderr.read()
    assert second.returncode == 0, second.stderr
    text = (data / "statements.yaml").read_text(encoding="utf-8")
    assert "- id: one" in text and "- id: two" in text
    assert leftovers(data) == []


@pytest.mark.slow
def test_f12_a_terminated_add_leaves_no_temporary_file(tmp_path):
    data = write_commented(tmp_path)
    before = (data / "statements.yaml").read_bytes()
    proc = subprocess.Popen(
        world.command("add", "statement", "--data", data, "--id", "killed", *NEW_STATEMENT),
        env=world.process_env({atomic.DELAY_ENV: "5"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not leftovers(data) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert leftovers(data) == []
    assert (data / "statements.yaml").read_bytes() == before


def test_f12_a_stale_temporary_file_is_removed_by_the_next_write(tmp_path):
    data = write_commented(tmp_path)
    stale = data / ".statements.yaml._wdead.tmp"
    stale.write_text("half", encoding="utf-8")
    world.run("add", "statement", "--data", data, "--id", "next", *NEW_STATEMENT, code=0)
    assert leftovers(data) == []


# --- F18: a huge COLUMNS ---------------------------------------------------------------------


def test_f18_a_huge_width_is_clamped(tmp_path):
    r = cli("status", "--as-of", "2024-01-01", env={"COLUMNS": "99999999"}, timeout=60)
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in r.stdout.decode().splitlines()) <= 1000
