"""The GitHub Pages guide (docs/github-pages.md) works as written: its workflow is valid YAML and
its validate and site steps are commands the tool accepts, with the address Pages reports."""

from __future__ import annotations

import re
import shlex

from ruamel.yaml import YAML

from world import REPO, run

ROOT = REPO
GUIDE = ROOT / "docs" / "github-pages.md"
PAGES_URL = "https://owner.github.io/repo"  # what actions/configure-pages reports as base_url


def _steps() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    workflow = YAML(typ="safe").load(blocks[0])
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _commands() -> list[list[str]]:
    runs = [s["run"] for s in _steps() if str(s.get("run", "")).startswith("export-alignment")]
    expression = "${{ steps.pages.outputs.base_url }}"
    return [shlex.split(r.replace(expression, PAGES_URL)) for r in runs]


def test_the_workflow_configures_pages_before_building():
    uses = [s.get("uses", "") for s in _steps()]
    ids = [s.get("id") for s in _steps()]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert "pages" in ids
    assert [c[1] for c in _commands()] == ["validate", "site"]


def test_its_commands_run_on_the_shipped_record(tmp_path):
    for command in _commands():
        args = command[1:]
        if args[0] == "site":
            args = [a if a != "_site" else str(tmp_path / "_site") for a in args]
            args += ["--as-of", "2026-11-28"]
        run(*args, "--data", ROOT / "data", code=0)
    feed = (tmp_path / "_site" / "feed.xml").read_text(encoding="utf-8")
    assert f'rel="self" type="application/atom+xml" href="{PAGES_URL}/feed.xml"' in feed
