"""Output folders are written only inside themselves: a rebuild of the site trusts nothing it finds
in the old folder (manifest names, symlinks), builds beside it and swaps the new site in whole,
so an interruption leaves the old site or none; ``export --format csv -o DIR`` replaces a planted
symlink instead of writing through it; and no file of the installed package's record is written,
whatever symlink leads there."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

import world
from export_alignment import atomic, datadir
from export_alignment.site import MANIFEST

AS_OF = "2024-01-01"


@pytest.fixture
def data(tmp_path) -> Path:
    return world.write_world(tmp_path / "r").data


def site(data: Path, out: Path, code: int = 0, **kwargs):
    return world.run("site", "--data", data, "-o", out, "--as-of", AS_OF, code=code, **kwargs)


def victim(tmp_path: Path, name: str = "victim.txt") -> Path:
    path = tmp_path / "outside" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("precious\n", encoding="utf-8")
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# --- a rebuild trusts nothing in the old folder ---------------------------------------------------


def test_an_absolute_name_in_the_manifest_deletes_nothing_outside(data, tmp_path):
    out = tmp_path / "site"
    site(data, out)
    target = victim(tmp_path)
    with (out / MANIFEST).open("a", encoding="utf-8") as f:
        f.write(f"{target}\n../outside/victim.txt\n")
    site(data, out)
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert str(target) not in (out / MANIFEST).read_text(encoding="utf-8")


def test_a_symlinked_sub_folder_is_neither_written_through_nor_emptied(data, tmp_path):
    out = tmp_path / "site"
    site(data, out)
    elsewhere = victim(tmp_path, "old.html").parent
    for page in (out / "allies").iterdir():
        page.unlink()
    (out / "allies").rmdir()
    (out / "allies").symlink_to(elsewhere)
    with (out / MANIFEST).open("a", encoding="utf-8") as f:
        f.write("allies/old.html\n")
    site(data, out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["old.html"]
    assert (elsewhere / "old.html").read_text(encoding="utf-8") == "precious\n"
    assert (out / "allies").is_dir() and not (out / "allies").is_symlink()
    assert (out / "allies" / "jp.html").is_file()


def test_a_planted_symlink_is_replaced_not_followed(data, tmp_path):
    out = tmp_path / "site"
    site(data, out)
    target = victim(tmp_path)
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(target)
    (out / "feed.xml").unlink()
    (out / "feed.xml").symlink_to(target)
    site(data, out)
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert not (out / "index.html").is_symlink()
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_a_rebuild_keeps_the_users_files_and_drops_its_own_old_pages(data, tmp_path):
    out = tmp_path / "site"
    site(data, out)
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    (out / "notes").symlink_to(victim(tmp_path))
    (out / "allies" / "gone.html").write_text("ours once", encoding="utf-8")
    with (out / MANIFEST).open("a", encoding="utf-8") as f:
        f.write("allies/gone.html\n")
    site(data, out)
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8").startswith("ref:")
    assert (out / "notes").is_symlink()
    assert not (out / "allies" / "gone.html").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_export_csv_replaces_a_planted_symlink_instead_of_writing_through_it(data, tmp_path):
    out = tmp_path / "csv"
    out.mkdir()
    target = victim(tmp_path)
    names = []
    world.run("export", "--data", data, "-f", "csv", "-o", out, "--as-of", AS_OF, code=0)
    for path in out.iterdir():
        names.append(path.name)
        path.unlink()
        path.symlink_to(target)
    world.run("export", "--data", data, "-f", "csv", "-o", out, "--as-of", AS_OF, code=0)
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert names and all(not (out / n).is_symlink() for n in names)


# --- an interrupted build -------------------------------------------------------------------------


def test_a_half_site_left_without_a_manifest_is_replaced_and_said_so(data, tmp_path):
    out = tmp_path / "site"
    site(data, out)
    (out / MANIFEST).unlink()  # what a build killed before its last write left
    (out / "sources.html").unlink()
    (out / ".index.html._w1234.tmp").write_text("half", encoding="utf-8")
    r = site(data, out)
    assert "interrupted build" in r.stderr
    assert (out / MANIFEST).is_file() and (out / "sources.html").is_file()
    assert not list(out.glob("*.tmp"))


def test_a_folder_with_anything_else_is_still_refused(data, tmp_path):
    out = tmp_path / "site"
    site(data, out)
    (out / MANIFEST).unlink()
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    r = site(data, out, code=2)
    assert "not empty" in r.stderr
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_build_interrupted_midway_leaves_the_old_site_whole(data, tmp_path, monkeypatch):
    out = tmp_path / "site"
    site(data, out)
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    before = tree(out)
    real = atomic.write_atomic
    calls = []

    def disk_full_on_the_fifth(path, data, *args, **kwargs):
        calls.append(path)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, *args, **kwargs)

    monkeypatch.setattr(atomic, "write_atomic", disk_full_on_the_fifth)
    r = site(data, out, code=2)
    assert "No space left on device" in r.stderr
    assert tree(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_a_swap_interrupted_between_its_renames_gives_the_old_site_back(
    data, tmp_path, monkeypatch
):
    out = tmp_path / "site"
    site(data, out)
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    before = tree(out)
    real = os.rename
    renames = []

    def fails_on_the_second(src, dst, *args, **kwargs):
        renames.append(dst)
        if len(renames) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "rename", fails_on_the_second)
    site(data, out, code=2)
    monkeypatch.setattr(atomic.os, "rename", real)
    assert not out.exists()  # none: never half of one
    site(data, out)  # the old site is put back first, then rebuilt
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert tree(out) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]


# --- the installed package's record ---------------------------------------------------------------


def test_add_refuses_a_file_symlinked_into_the_installed_package(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "export_alignment" / "_dataset"
    world.write_world(package)
    monkeypatch.setattr(datadir, "installed_root", lambda: package)
    data = world.write_world(tmp_path / "mine").data
    shipped = package / "data" / "statements.yaml"
    (data / "statements.yaml").unlink()
    (data / "statements.yaml").symlink_to(shipped)
    before = shipped.read_bytes()
    r = world.run("add", "statement", "--data", data, "--id", "x", *world.add_statement_args())
    assert r.exit_code == 2, r.output
    assert "installed package" in r.output and "nothing was written" in r.output
    assert shipped.read_bytes() == before


def test_no_output_is_written_into_the_installed_package(tmp_path, monkeypatch, data):
    package = tmp_path / "pkg" / "_dataset"
    (package / "data").mkdir(parents=True)
    monkeypatch.setattr(datadir, "installed_root", lambda: package)
    link = tmp_path / "brief.md"
    link.symlink_to(package / "data" / "brief.md")
    r = world.run("brief", "--data", data, "--as-of", AS_OF, "-o", link, code=2)
    assert "installed package" in r.output
    assert not (package / "data" / "brief.md").exists()


def test_the_working_folder_is_not_swapped_from_under_the_user(data, tmp_path, monkeypatch):
    out = tmp_path / "site"
    site(data, out)
    monkeypatch.chdir(out / "allies")
    r = world.run("site", "--data", data, "-o", "..", "--as-of", AS_OF, code=2)
    assert "working folder" in r.stderr and "nothing was written" in r.stderr
    assert (out / "allies").is_dir() and Path.cwd().exists()


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2, 1.5])
def test_a_build_killed_at_any_moment_leaves_the_old_site_or_none(data, tmp_path, delay):
    """SIGKILL (no clean-up runs) at some moment of a real build: the folder holds the old site
    byte for byte (or the new one, when the build finished first); the next build clears what
    the killed one left and keeps the user's files."""
    out = tmp_path / "site"
    site(data, out)
    (out / "CNAME").write_text("example.org\n", encoding="utf-8")
    before = tree(out)
    env = world.process_env(
        {atomic.DELAY_ENV: "0.05"}
    )  # each write takes a while: killed mid-build
    args = ["site", "--data", data, "-o", out, "--as-of", "2024-06-01"]
    p = subprocess.Popen(world.command(*args), env=env)
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    now = tree(out)
    assert now == before or (p.returncode == 0 and now["CNAME"] == before["CNAME"])
    killed_mid_build = p.returncode == -signal.SIGKILL
    assert killed_mid_build or delay > 1.0
    site(data, out)
    assert (out / "CNAME").read_text(encoding="utf-8") == "example.org\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
