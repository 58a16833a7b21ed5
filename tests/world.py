"""The test world: one baseline dataset, its builders, and the one way tests run the CLI.

A plain module (tests import it; conftest only turns it into fixtures). The dataset is
``ROOT/data/{actors,controls,statements}.yaml`` with ``ROOT/seeds/`` beside ``data/``. The texts
below are the baseline; a test replaces one file's text (or one line of it) and asserts the exact
line and column of the problem it introduced. Line numbers are those of the texts as written here.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typer.testing import CliRunner, Result

from export_alignment.checks import validate
from export_alignment.cli import app
from export_alignment.problems import Problem

TODAY = date(2025, 1, 1)

ACTORS = """\
actors:
  - id: us
    name: United States
    kind: state
    role: initiator
  - id: jp
    name: Japan
    kind: state
    role: ally
  - id: nl
    name: Netherlands
    kind: state
    role: ally
  - id: cn
    name: China
    kind: state
    role: target
  - id: kurt-campbell
    name: Kurt Campbell
    kind: person
    title: White House Indo-Pacific coordinator
    represents: us
"""

CONTROLS = """\
controls:
  - id: us-rule
    issuer: us
    title: Advanced computing and semiconductor manufacturing items
    kind: rule
    target: cn
    scope: [advanced-computing-chips]
    announced: 2022-10-07
    published: 2022-10-13
    effective: 2022-10-07
    source:
      url: https://www.federalregister.gov/d/2022-21658
      title: Implementation of Additional Export Controls
      citation: 87 FR 62186
"""

STATEMENTS = """\
statements:
  - id: campbell-talks
    date: 2023-01-13
    speaker: kurt-campbell
    about: [jp]
    controls: [us-rule]
    signal: talks
    stance: positive
    summary: Campbell called the talks with Japan productive.
    quote: extremely fruitful
    source:
      document: seeds/article.txt
      publisher: Seed article
      published: 2023-01-17
      tier: on_record
"""

ARTICLE = (
    "Campbell said the talks had been \u201cextremely fruitful\u201d and that the allies\n"
    "were   \u2018looking at\n  the question\u2019 \u2014 closely.\n"
)


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with its one occurrence of ``old`` replaced (fails if there is not exactly one,
    so a fixture never silently stays unchanged)."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


@dataclass
class Dataset:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.data / f"{name}.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def problems(self, today: date = TODAY, **kwargs) -> list[Problem]:
        return validate(self.data, today, **kwargs).problems


def write_files(
    root: Path, texts: dict[str, str | bytes | None], seeds: dict[str, str] | None = None
) -> Path:
    """The one dataset writer every builder uses: ``root/data/<name>.yaml`` for each text (None:
    the file is removed) and ``root/seeds/<file>`` for each seed document. Returns ``data/``."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    for relative, text in (seeds or {}).items():
        (root / "seeds" / relative).write_text(text, encoding="utf-8")
    for name, content in texts.items():
        path = data / f"{name}.yaml"
        if content is None:
            path.unlink(missing_ok=True)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return data


def json_file(name: str, records: list, **dumps) -> str:
    """A data file's text as JSON (which is YAML), so any text reaches the loader as given."""
    return json.dumps({name: list(records)}, **dumps) + "\n"


def write_world(
    root: Path,
    actors: str | bytes | None = ACTORS,
    controls: str | bytes | None = CONTROLS,
    statements: str | bytes | None = STATEMENTS,
    article: str = ARTICLE,
) -> Dataset:
    """Write the baseline dataset under ``root`` with any file's text replaced; ``None`` for a
    text leaves that file out. Writing again over the same root rewrites it."""
    texts = {"actors": actors, "controls": controls, "statements": statements}
    write_files(root, texts, {"article.txt": article})
    return Dataset(root)


STATEMENT_OPTIONS = {
    "date": "2024-01-13",
    "speaker": "kurt-campbell",
    "about": "jp",
    "controls": "us-rule",
    "signal": "talks",
    "stance": "positive",
    "summary": "Campbell spoke again.",
    "url": "https://example.org/again",
    "publisher": "Example",
    "published": "2024-01-14",
    "tier": "on_record",
}
"""A complete new statement about the baseline world, as ``add statement`` options."""


def add_statement_args(**changes: object) -> list[str]:
    """``add statement`` options: STATEMENT_OPTIONS with ``changes`` (keys are parameter names,
    ``None`` leaves an option out; new keys are added)."""
    values = {**STATEMENT_OPTIONS, **changes}
    return [
        x for k, v in values.items() if v is not None for x in ("--" + k.replace("_", "-"), str(v))
    ]


def only(problems: list[Problem], rule: str) -> Problem:
    """The one problem with ``rule``; fails when there are others (nothing else went wrong)."""
    assert [p.rule for p in problems] == [rule], problems
    return problems[0]


def where(problem: Problem) -> tuple[str, int, int, str, str]:
    """(file name, line, column, level, rule) of a problem."""
    return (Path(problem.path).name, problem.line, problem.column, str(problem.level), problem.rule)


# --- running the CLI: one helper, one environment policy --------------------------------------

SCRUBBED = (
    "GITHUB_ACTIONS",
    "NO_COLOR",
    "FORCE_COLOR",
    "EXPORT_ALIGNMENT_DATA",
    "COLUMNS",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)
"""Variables that change what the CLI prints or reads; every run starts without them (what a
pipe in a clean shell gets) and a test sets the ones it means to, through ``env``."""


def run(*args: object, env: dict | None = None, code: int | None = None, **kwargs) -> Result:
    """The CLI, as a user runs it: never a traceback; with ``code``, that exit code."""
    result = CliRunner().invoke(
        app, [str(a) for a in args], env={**dict.fromkeys(SCRUBBED), **(env or {})}, **kwargs
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
