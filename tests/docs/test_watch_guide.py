"""The scheduled-workflow guide (docs/watch.md) works as written: its workflow is valid YAML on a
schedule, and its two run steps, executed by bash as written (a fake ``gh`` on the PATH, the
watch list and every cited address pointing at a local server), write the inbox and open the
issue the first time and update it the next."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

from world import RECORDED, REPO
from world.replay import Answer, ReplayServer, local_copy

ROOT = REPO
GUIDE = ROOT / "docs" / "watch.md"

FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_LOG"
if [ "$1 $2" = "issue list" ] && [ -f "$GH_ISSUE" ]; then cat "$GH_ISSUE"; fi
exit 0
"""


def _workflow() -> dict:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    workflows = [b for b in blocks if "jobs:" in b]
    assert len(workflows) == 1
    return YAML(typ="safe").load(workflows[0])


def _steps() -> list[dict]:
    return [step for job in _workflow()["jobs"].values() for step in job["steps"]]


def test_the_workflow_runs_on_a_schedule_and_may_write_issues_only():
    workflow = _workflow()
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["schedule"][0]["cron"]
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    installs = [s["run"] for s in _steps() if str(s.get("run", "")).startswith("pip install")]
    assert installs == [
        'pip install "export-alignment @ git+https://github.com/OWNER/export-alignment@COMMIT"'
    ]


def _run_step(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """A ``run:`` step as the Actions runner runs it (its default bash options)."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_its_steps_write_the_inbox_and_open_then_update_one_issue(tmp_path):
    runs = {s.get("id") or s.get("name"): s for s in _steps() if "run" in s}
    inbox_step, issue_step = runs["inbox"], runs["Open or update the inbox issue"]
    assert issue_step["if"] == "steps.inbox.outputs.act == 'yes'"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH, encoding="utf-8")
    gh.chmod(gh.stat().st_mode | stat.S_IEXEC)
    tool = Path(sys.executable).parent / "export-alignment"
    assert tool.exists(), "the tool is installed beside the test's Python"
    with ReplayServer(default=Answer(200, "page")) as server:
        server.replay_recorded(RECORDED / "federal-register")
        server.route("/wayback/available", Answer(200, '{"archived_snapshots": {}}'))
        data = local_copy(tmp_path, server.base)
        repo = data.parent
        watch_list = (ROOT / "data" / "watch.yaml").read_text(encoding="utf-8")
        watch_list = watch_list.replace(
            "    agencies:", f"    url: {server.base}/api/v1/documents.json\n    agencies:"
        )
        (data / "watch.yaml").write_text(watch_list, encoding="utf-8")
        env = {
            "PATH": f"{bin_dir}{os.pathsep}{tool.parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
            "HOME": str(tmp_path / "home"),
            "GITHUB_OUTPUT": str(tmp_path / "github_output"),
            "GH_LOG": str(tmp_path / "gh.log"),
            "GH_ISSUE": str(tmp_path / "issue-number"),
            "GH_TOKEN": "unused",
            "EXPORT_ALIGNMENT_ARCHIVE_API": server.url("/wayback/available"),
            # every address is on this one local server: no politeness delay between them
            "EXPORT_ALIGNMENT_SOURCES_DELAY": "0",
            "NO_COLOR": "1",
        }
        first = _run_step(inbox_step["run"], repo, env)
        assert first.returncode == 0, first.stderr
        assert (tmp_path / "github_output").read_text() == "act=yes\n"
        inbox = (repo / "inbox.md").read_text(encoding="utf-8")
        assert inbox.startswith("## Watch inbox: 2 new items from 1 source")
        assert "89 FR 105448" in inbox and "## Source check: " in inbox
        opened = _run_step(issue_step["run"], repo, env)
        assert opened.returncode == 0, opened.stderr
        (tmp_path / "issue-number").write_text("7\n", encoding="utf-8")
        second = _run_step(inbox_step["run"], repo, env)
        assert second.returncode == 0, second.stderr
        updated = _run_step(issue_step["run"], repo, env)
        assert updated.returncode == 0, updated.stderr
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert calls == [
        "issue list --label watch-inbox --state open --json number --jq .[0].number",
        "issue create --title Watch inbox --label watch-inbox --body-file inbox.md",
        "issue list --label watch-inbox --state open --json number --jq .[0].number",
        "issue edit 7 --body-file inbox.md",
    ]
    # the second run started from the day of the first (the cache under $HOME/.cache)
    cache = Path(env["HOME"]) / ".cache" / "export-alignment"
    assert (cache / "watch-state.json").exists()
    shutil.rmtree(cache)
