"""A minimal valid dataset in tmp_path, and helpers to break one thing in it.

The dataset is ``tmp_path/data/{actors,controls,statements}.yaml`` with ``tmp_path/seeds/`` beside
``data/``. The texts below are the baseline; a test replaces one file's text (or one line of it)
and asserts the exact line and column of the problem it introduced. Line numbers are those of
the texts as written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

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


@pytest.fixture
def make_dataset(tmp_path):
    """``make_dataset(actors=..., controls=..., statements=...)`` writes the minimal valid dataset
    with any file's text replaced; ``None`` for a text leaves that file out. Calling it again
    rewrites the same dataset (or writes another one under ``root``)."""

    def make(
        actors: str | bytes | None = ACTORS,
        controls: str | bytes | None = CONTROLS,
        statements: str | bytes | None = STATEMENTS,
        article: str = ARTICLE,
        root: Path | None = None,
    ) -> Dataset:
        ds = Dataset(root or tmp_path)
        ds.root.mkdir(parents=True, exist_ok=True)
        ds.data.mkdir(exist_ok=True)
        ds.seeds.mkdir(exist_ok=True)
        (ds.seeds / "article.txt").write_text(article, encoding="utf-8")
        for name, text in (("actors", actors), ("controls", controls), ("statements", statements)):
            if text is not None:
                ds.write(name, text)
            else:
                (ds.data / f"{name}.yaml").unlink(missing_ok=True)
        return ds

    return make


@pytest.fixture
def dataset(make_dataset) -> Dataset:
    return make_dataset()


def only(problems: list[Problem], rule: str) -> Problem:
    """The one problem with ``rule``; fails when there are others (nothing else went wrong)."""
    assert [p.rule for p in problems] == [rule], problems
    return problems[0]


def where(problem: Problem) -> tuple[str, int, int, str, str]:
    """(file name, line, column, level, rule) of a problem."""
    return (Path(problem.path).name, problem.line, problem.column, str(problem.level), problem.rule)


def run(*args: str, env: dict | None = None):
    """The CLI, as a user runs it; never a traceback."""
    base = {"GITHUB_ACTIONS": None, "NO_COLOR": None, "EXPORT_ALIGNMENT_DATA": None}
    result = CliRunner().invoke(app, list(args), env={**base, **(env or {})})
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# --- the slow marker ------------------------------------------------------------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=False,
        help="run the tests marked slow (the long fuzz run)",
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` are skipped (shown as skipped, never as passed) unless ``--run-slow``
    is given or ``-m`` selects them."""
    if config.getoption("--run-slow") or "slow" in (config.getoption("-m") or "").replace(
        "not slow", ""
    ):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (or -m slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
