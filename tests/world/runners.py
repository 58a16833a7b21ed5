"""The one way tests run the CLI: in process (``run``, typer's runner) or as a process
(``run_process``, ``python -m export_alignment``), each with one environment policy; and git as a
test author."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner, Result

from export_alignment.cli.app import app

SCRUBBED = (
    "GITHUB_ACTIONS",
    "NO_COLOR",
    "FORCE_COLOR",
    "EXPORT_ALIGNMENT_DATA",
    "COLUMNS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "EXPORT_ALIGNMENT_NO_CACHE",
    "EXPORT_ALIGNMENT_SAFE_DIRECTORY",
    "EXPORT_ALIGNMENT_LOCK_WAIT",
    "EXPORT_ALIGNMENT_SOURCES_DELAY",
)
"""Variables that change what the CLI prints or reads; every run starts without them (what a
pipe in a clean shell gets) and a test sets the ones it means to, through ``env``."""


def run(
    *args: object, env: dict | None = None, code: int | None = None, cli=app, **kwargs
) -> Result:
    """The CLI, as a user runs it: never a traceback; with ``code``, that exit code. ``cli`` is
    the app to run: the export-alignment command unless a test builds a probe of its parts."""
    result = CliRunner().invoke(
        cli, [str(a) for a in args], env={**dict.fromkeys(SCRUBBED), **(env or {})}, **kwargs
    )
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if code is not None:
        assert result.exit_code == code, result.output
    return result


def git(root: Path, *args: str) -> None:
    """Run git in ``root`` as a test author (no signing, no user config needed)."""
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )


def commit_all(root: Path, message: str) -> None:
    """Make ``root`` a git repository (if it is not one) and commit everything in it."""
    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


PROCESS_CACHE = tempfile.mkdtemp(prefix="export-alignment-tests-cache-")
"""The user cache folder of every CLI process the tests start (the answer cache, watch's HTTP
cache): one for the session, never the real one."""


def process_env(env: dict | None = None) -> dict[str, str]:
    """The environment of a CLI process: this one's without ``SCRUBBED``, in a UTF-8 locale, with
    the session's cache folder, and ``env`` on top (a value of None removes a variable)."""
    base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    merged = {**base, "LC_ALL": "C.UTF-8", "XDG_CACHE_HOME": PROCESS_CACHE, **(env or {})}
    return {k: v for k, v in merged.items() if v is not None}


def command(*args: object) -> list[str]:
    """The command line that runs the CLI as a process: ``python -m export_alignment ARGS``."""
    return [sys.executable, "-m", "export_alignment", *map(str, args)]


def run_process(
    *args: object,
    env: dict | None = None,
    code: int | None = None,
    timeout: float = 60,
    **kwargs,
) -> subprocess.CompletedProcess:
    """The CLI in its own process (what a user or CI runs), with ``process_env`` and a timeout:
    never a traceback; with ``code``, that exit code. Output is bytes unless ``text=True``."""
    done = subprocess.run(
        command(*args), capture_output=True, timeout=timeout, env=process_env(env), **kwargs
    )
    stderr = done.stderr if isinstance(done.stderr, str) else done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    if code is not None:
        assert done.returncode == code, stderr
    return done
