"""Shared folders: a dataset found without being named (``./data``, the upward search) that is
not the user's is named with a warning when read and refused for writing, as git refuses a
repository it does not trust; and a writer waits a bounded time for another process's lock."""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

import pytest

import world
from export_alignment import datadir

OTHER_USER = 4242


@pytest.fixture
def planted(tmp_path, monkeypatch) -> Path:
    """A dataset someone else put in a shared parent (``shared/data``), and the victim working
    in a folder of their own below it (``shared/work``)."""
    shared = tmp_path / "shared"
    world.write_world(shared)
    (shared / "work").mkdir()
    monkeypatch.chdir(shared / "work")
    return shared / "data"


def as_another_user(monkeypatch) -> None:
    monkeypatch.setattr(datadir, "_current_uid", lambda: os.getuid() + OTHER_USER)


def test_add_refuses_a_dataset_another_user_planted_above(planted, monkeypatch):
    as_another_user(monkeypatch)
    before = (planted / "statements.yaml").read_bytes()
    r = world.run("add", "statement", "--id", "secret", *world.add_statement_args(), code=2)
    assert "owned by another user" in r.output and "--data" in r.output
    assert (planted / "statements.yaml").read_bytes() == before


def test_reading_a_planted_dataset_names_it_with_a_warning(planted, monkeypatch):
    as_another_user(monkeypatch)
    r = world.run("status", "--as-of", "2024-01-01", code=0)
    assert "warning: this dataset is owned by another user" in r.stderr
    assert str(planted.resolve()) in r.stderr
    r = world.run("status", "--json", "--as-of", "2024-01-01", code=0)
    dataset = json.loads(r.stdout)["dataset"]
    assert dataset["found_by"] == "upward_search" and "another user" in dataset["warning"]


def test_a_world_writable_shared_parent_is_not_trusted(planted, monkeypatch):
    shared = planted.parent
    shared.chmod(0o1777)  # like /tmp
    monkeypatch.setattr(datadir, "_current_uid", lambda: os.stat(planted).st_uid)
    real_stat, shared_path = os.stat, os.path.realpath(shared)

    def shared_is_roots(path, *args, **kwargs):  # the shared folder is not the user's
        st = real_stat(path, *args, **kwargs)
        if os.fspath(path) == shared_path:
            return os.stat_result((st.st_mode, *st[1:4], st.st_uid + OTHER_USER, *st[5:]))
        return st

    monkeypatch.setattr(datadir.os, "stat", shared_is_roots)
    r = world.run("add", "statement", "--id", "x", *world.add_statement_args(), code=2)
    assert "world-writable folder that is not yours" in r.output


def test_naming_the_dataset_or_listing_it_trusts_it(planted, monkeypatch):
    as_another_user(monkeypatch)
    args = world.add_statement_args()
    world.run("add", "statement", "--id", "named", "--data", planted, *args, code=0)
    env = {datadir.TRUST_ENV: str(planted.parent)}
    world.run("add", "statement", "--id", "listed", *args, "--allow-duplicate", env=env, code=0)
    r = world.run("status", "--as-of", "2024-01-01", env=env, code=0)
    assert "warning" not in r.stderr


def test_the_users_own_dataset_is_trusted(planted):
    r = world.run("status", "--as-of", "2024-01-01", code=0)
    assert "warning" not in r.stderr
    world.run("add", "statement", "--id", "mine", *world.add_statement_args(), code=0)


# --- the folder lock ------------------------------------------------------------------------------


def cli(*args: object, env: dict, timeout: float = 60):
    return world.run_process(*args, env=env, timeout=timeout)


def test_a_writer_waits_a_bounded_time_for_a_held_lock_and_says_why(tmp_path):
    data = world.write_world(tmp_path).data
    before = (data / "statements.yaml").read_bytes()
    fd = os.open(data, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another writer, mid-write
    try:
        start = time.monotonic()
        r = cli(
            "add",
            "statement",
            "--data",
            data,
            "--id",
            "waits",
            *world.add_statement_args(),
            env={"EXPORT_ALIGNMENT_LOCK_WAIT": "0.5"},
            timeout=30,
        )
        took = time.monotonic() - start
    finally:
        os.close(fd)
    assert r.returncode == 2, r.stderr
    err = r.stderr.decode()
    assert "another process is writing in" in err and "EXPORT_ALIGNMENT_LOCK_WAIT" in err
    assert str(data.resolve()) in err.replace("\n", "")
    assert 0.5 <= took < 20
    assert (data / "statements.yaml").read_bytes() == before


def test_the_lock_wait_must_be_a_number_of_seconds(tmp_path):
    data = world.write_world(tmp_path).data
    env = {"EXPORT_ALIGNMENT_LOCK_WAIT": "soon"}
    r = world.run(
        "add", "statement", "--data", data, "--id", "x", *world.add_statement_args(), env=env
    )
    assert r.exit_code == 2, r.output
    assert "EXPORT_ALIGNMENT_LOCK_WAIT" in r.output and "'soon'" in r.output
