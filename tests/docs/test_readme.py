"""The README stays true: its generated sections match the code, and CI runs its test command."""

import re
import subprocess
import sys

from world import REPO

ROOT = REPO


def test_readme_generated_sections_match_the_code():
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci


def test_readme_install_command_runs_the_main_job():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```sh\n(.+?)\n```", readme)[0]
    assert "pip install ." in first and first.endswith("export-alignment status")
