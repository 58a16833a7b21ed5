"""The CI guide in docs/github-actions.md works as written: its pre-commit snippet runs the hook
from a clone of this repository at a pinned commit, and the shipped `.yamllint` passes the data."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from world import REPO

ROOT = REPO
GUIDE = ROOT / "docs" / "github-actions.md"


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


def _precommit_snippet() -> str:
    blocks = [b for b in _yaml_blocks(GUIDE.read_text()) if "export-alignment-validate" in b]
    assert len(blocks) == 1, "the guide has one pre-commit snippet"
    return blocks[0]


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize("guide", ["github-actions.md", "github-pages.md", "watch.md"])
def test_guide_installs_from_git_at_a_pinned_commit_not_from_an_index(guide):
    """No guide installs the tool from an index (it is on none): a data repository installs
    it from git at a pinned commit; the tool's own repository installs itself (``.``)."""
    text = (GUIDE.parent / guide).read_text()
    installs = re.findall(r"pip install (.+?)[`\n]", text)
    assert installs, "the guide installs the tool"
    for line in installs:
        assert line.strip() == "." or "git+https://github.com/OWNER/export-alignment@COMMIT" in line


def test_the_hook_runs_when_a_data_file_or_an_archived_document_changes():
    from ruamel.yaml import YAML

    (hook,) = YAML(typ="safe").load((GUIDE.parents[1] / ".pre-commit-hooks.yaml").read_text())
    files = re.compile(hook["files"])
    for path in ("data/statements.yaml", "data/actors.yml", "seeds/000_ad66c9f837e24f7c.txt"):
        assert files.search(path), path
    for path in ("README.md", "src/export_alignment/cli/app.py", "docs/data-format.md"):
        assert not files.search(path), path


def test_the_precommit_snippet_pins_a_commit_not_a_tag():
    assert "rev: COMMIT" in _precommit_snippet()
    assert "rev: v0.1.0" not in GUIDE.read_text(), "no tag has been published"


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout of the tool")
def test_precommit_snippet_runs_the_hook_from_a_local_clone(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is needed to exercise the pre-commit snippet")
    clone = tmp_path / "tool"
    _git("clone", "--quiet", str(ROOT), str(clone), cwd=tmp_path)
    commit = _git("rev-parse", "HEAD", cwd=clone)
    config = (
        _precommit_snippet()
        .replace("https://github.com/OWNER/export-alignment", clone.as_uri())
        .replace("COMMIT", commit)
    )
    repo = tmp_path / "record"
    shutil.copytree(clone / "data", repo / "data")
    shutil.copytree(clone / "seeds", repo / "seeds")
    (repo / ".pre-commit-config.yaml").write_text(config)
    _git("init", "--quiet", cwd=repo)
    _git("add", "-A", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("EXPORT_ALIGNMENT_DATA", None)

    def run_hook() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    passed = run_hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"export-alignment validate\.+Passed", passed.stdout), passed.stdout

    statements = repo / "data" / "statements.yaml"
    statements.write_text(statements.read_text() + "  - id: [broken\n")
    _git("add", "-A", cwd=repo)
    failed = run_hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"export-alignment validate\.+Failed", failed.stdout), failed.stdout
    assert "statements.yaml:" in failed.stdout, "the hook names the file and line"


def test_shipped_data_passes_yamllint_with_the_shipped_config():
    done = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", "-c", str(ROOT / ".yamllint"), "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
