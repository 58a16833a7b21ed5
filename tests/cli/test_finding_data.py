"""Finding the data: from anywhere inside a checkout the commands read that checkout's
record, say which dataset they read, and ``add`` never writes into the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from export_alignment import datadir
from world import REPO, TODAY, add_statement_args, run, write_world

ADD = (
    "add",
    "statement",
    "--id",
    "campbell-again",
    *add_statement_args(),
    "--today",
    str(TODAY),
)


@pytest.fixture
def checkout(tmp_path):
    """A checkout of a small record (7 records; the shipped one has far more), with src/ and a
    deep subfolder, and an unrelated folder beside it."""
    root = tmp_path / "checkout"
    write_world(root)
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "docs" / "a" / "b").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    return root


@pytest.mark.parametrize("where", ["data", "src", "src/pkg", "docs/a/b", "."])
def test_validate_from_anywhere_in_a_checkout_reads_and_names_that_checkout(
    checkout, monkeypatch, where
):
    monkeypatch.chdir(checkout / where)
    r = run("validate", "--format", "text", "--today", TODAY, code=0)
    assert "ok: 7 records, no problems" in r.stderr
    named = r.stderr.splitlines()[0]
    assert named.startswith(f"dataset: {checkout.resolve() / 'data'} ")
    assert ("(./data)" if where == "." else "(found above the working folder)") in named


def test_status_json_names_the_dataset_found_above(checkout, monkeypatch):
    monkeypatch.chdir(checkout / "src")
    doc = json.loads(run("status", "--json", "--as-of", "2024-01-01", code=0).stdout)
    assert doc["dataset"] == {"path": str(checkout.resolve() / "data"), "found_by": "upward_search"}
    assert [a["id"] for a in doc["allies"]] == ["jp", "nl"]


def test_an_unrelated_folder_falls_back_to_the_shipped_record_and_says_so(checkout, monkeypatch):
    monkeypatch.chdir(checkout.parent / "elsewhere")
    r = run("status", "--as-of", "2024-01-01", code=0)
    assert r.stderr.startswith("dataset: ")
    assert "(the record shipped with the package)" in r.stderr.splitlines()[0]
    doc = json.loads(run("status", "--json", "--as-of", "2024-01-01", code=0).stdout)
    assert doc["dataset"]["found_by"] == "shipped"


def test_the_option_and_the_environment_win_over_the_upward_search(checkout, tmp_path, monkeypatch):
    other = write_world(tmp_path / "other", statements="statements: []\n")
    monkeypatch.chdir(checkout / "src")
    r = run("validate", "--data", other.data, "--format", "json", "--today", TODAY, code=0)
    assert json.loads(r.stdout)["dataset"]["found_by"] == "option"
    r = run("validate", "--today", TODAY, env={datadir.ENV_VAR: str(other.data)}, code=0)
    assert "ok: 6 records" in r.stderr
    assert "($EXPORT_ALIGNMENT_DATA)" in r.stderr.splitlines()[0]


def test_add_from_a_subfolder_writes_into_that_checkout(checkout, monkeypatch):
    monkeypatch.chdir(checkout / "docs" / "a")
    run(*ADD, code=0)
    assert "campbell-again" in (checkout / "data" / "statements.yaml").read_text()


def test_add_refuses_the_record_inside_the_installed_package(checkout, monkeypatch):
    installed = checkout  # stands for site-packages/export_alignment/_dataset
    monkeypatch.setattr(datadir, "installed_root", lambda: installed)
    monkeypatch.setattr(datadir, "shipped_root", lambda: installed)
    monkeypatch.chdir(checkout.parent / "elsewhere")
    before = (checkout / "data" / "statements.yaml").read_text()
    r = run(*ADD, code=2)
    assert "refusing to write into the record shipped inside the installed package" in r.stderr
    assert "--data DIR" in r.stderr
    assert (checkout / "data" / "statements.yaml").read_text() == before


def test_a_real_install_reads_the_checkout_and_never_writes_into_itself(checkout, tmp_path):
    """``pip install .`` into a new virtual environment (its dependencies taken from this one),
    then the installed command from the checkout's data/, and from an unrelated folder."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_parent_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    repo = REPO
    pip = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(repo)],
        capture_output=True,
        text=True,
    )
    assert pip.returncode == 0, pip.stderr
    command = str(bindir / "export-alignment")
    env = {k: v for k, v in os.environ.items() if k not in ("EXPORT_ALIGNMENT_DATA", "COLUMNS")}

    def cli(*args, cwd):
        return subprocess.run(
            [command, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env
        )

    r = cli("validate", "--today", TODAY, cwd=checkout / "data")
    assert r.returncode == 0, r.stderr
    assert "ok: 7 records" in r.stderr
    assert f"dataset: {checkout.resolve() / 'data'} (found above" in r.stderr

    r = cli("validate", cwd=checkout.parent / "elsewhere")
    assert r.returncode == 0, r.stderr
    assert "(the record shipped with the package)" in r.stderr
    assert str(Path(site).resolve()) in r.stderr  # the installed copy, not this checkout

    shipped = Path(site) / "export_alignment" / "_dataset" / "data" / "statements.yaml"
    before = shipped.read_bytes()
    r = cli(*ADD, cwd=checkout.parent / "elsewhere")
    assert r.returncode == 2, r.stderr
    assert "refusing to write into the record shipped" in r.stderr
    assert "Traceback" not in r.stderr
    assert shipped.read_bytes() == before

    r = cli(*ADD, cwd=checkout / "src")
    assert r.returncode == 0, r.stderr
    assert "campbell-again" in (checkout / "data" / "statements.yaml").read_text()


@pytest.mark.parametrize(
    "args", [("site", "-o", "{out}"), ("export", "--format", "json", "-o", "{out}/data.json")]
)
def test_publishing_commands_read_and_name_the_checkout_found_above(
    checkout, monkeypatch, tmp_path, args
):
    monkeypatch.chdir(checkout / "src")
    r = run(*(a.format(out=tmp_path / "published") for a in args), code=0)
    named = r.stderr.splitlines()[0]
    assert named.startswith(f"dataset: {checkout.resolve() / 'data'} ")
    assert "(found above the working folder)" in named
