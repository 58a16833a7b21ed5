"""The test world: one baseline dataset, its builders, and the one way tests run the CLI.

A plain module (tests import it; conftest only turns it into fixtures). The dataset is
``ROOT/data/{actors,controls,statements}.yaml`` with ``ROOT/seeds/`` beside ``data/``. The texts
below are the baseline (ACTORS generated from STATES and CAMPBELL, line for line as it reads);
a test replaces one file's text (or one line of it) and asserts the exact
line and column of the problem it introduced. Line numbers are those of the texts as written here.

Builders, one of each: ``write_world`` (the baseline texts, any file replaced), ``write_commented``
(the same states as a person writes them, with comments, in two layouts), ``write_dataset`` (the
world record by record, with ``statement``, ``measure`` and ``initiator_control``), and
``add_statement_args``/``add_control_args`` (``add`` options, keyword overrides). All write through
``write_files``.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typer.testing import CliRunner, Result

from export_alignment import models
from export_alignment.checks import validate
from export_alignment.cli import app
from export_alignment.problems import Problem

TODAY = date(2025, 1, 1)

STATES: list[dict] = [
    {"id": "us", "name": "United States", "kind": "state", "role": "initiator"},
    {"id": "jp", "name": "Japan", "kind": "state", "role": "ally"},
    {"id": "nl", "name": "Netherlands", "kind": "state", "role": "ally"},
    {"id": "cn", "name": "China", "kind": "state", "role": "target"},
]
"""The states of the world: the initiator, its two allies and the target (in every dataset)."""

CAMPBELL = {
    "id": "kurt-campbell",
    "name": "Kurt Campbell",
    "kind": "person",
    "title": "White House Indo-Pacific coordinator",
    "represents": "us",
}


def block_list(key: str, records: list[dict]) -> str:
    """``key:`` and its flat records as a block list (two-space dashes), a field a line."""
    lines = [f"{key}:"]
    for record in records:
        for i, (field, value) in enumerate(record.items()):
            lines.append(("  - " if i == 0 else "    ") + f"{field}: {value}")
    return "\n".join(lines) + "\n"


ACTORS = block_list("actors", [*STATES, CAMPBELL])

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
    return _options({**STATEMENT_OPTIONS, **changes})


MEASURE_OPTIONS = {
    "issuer": "jp",
    "title": "Ministerial ordinance",
    "kind": "ordinance",
    "target": "cn",
    "scope": "semiconductor-manufacturing-equipment",
    "announced": "2023-03-31",
    "published": "2023-05-23",
    "effective": "2023-07-23",
    "aligns_with": "us-rule",
    "source_title": "METI",
    "url": "https://example.org/meti",
}
"""Japan's ordinance answering the US rule, as ``add control`` options."""


def add_control_args(**changes: object) -> list[str]:
    """``add control`` options: MEASURE_OPTIONS with ``changes``, as ``add_statement_args``."""
    return _options({**MEASURE_OPTIONS, **changes})


def _options(values: dict) -> list[str]:
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


# --- the commented variant: the same states, written as a person would (comments, quoting, two
# layouts), for the tests of what ``add`` and ``diff`` keep of a file ----------------------------

SEED = "seeds/doc.txt"
SEED_TEXT = (
    "Minister Tanaka said the talks were “going well” and that Japan would decide soon. "
    "A spokesman said: no automatic acceptance.\n"
)

COMMENTED_ACTORS = """\
# Actors in the test record.
actors:
  - id: us  # the initiator
    name: United States
    kind: state
    role: initiator
  - id: jp
    name: Japan
    kind: state
    role: ally
  # the Netherlands, also asked to align
  - id: nl
    name: 'Netherlands'
    kind: state
    role: ally
  - id: cn
    name: China
    kind: state
    role: target
  - id: taro-tanaka
    name: Taro Tanaka
    kind: person
    title: Minister
    represents: jp
# end of actors
"""

COMMENTED_CONTROLS = """\
# Controls.
controls:
  - id: us-rule
    issuer: us
    title: The US rule
    kind: rule
    target: cn
    scope:
      - semiconductor-manufacturing-equipment
    announced: 2022-10-07
    effective: 2022-10-07
    source:
      url: https://example.org/us-rule
      title: "The US rule"  # double-quoted on purpose
"""

COMMENTED_STATEMENTS = """\
# Statements.
#   Summaries are our own words.
statements:
  - id: tanaka-2023-01-10
    date: 2023-01-10
    speaker: taro-tanaka
    about: [jp]
    controls: [us-rule]
    signal: talks
    stance: positive
    summary: >-
      Tanaka said the talks were going well.
    quote: going well
    source:
      document: seeds/doc.txt
      publisher: Example Wire
      published: 2023-01
      tier: on_record
"""


def _reindent(text: str) -> str:
    """The same files with 4-space mappings, dashes flush with their parent key, block lists."""
    out = []
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        depth = len(line) - len(stripped)
        if depth == 0:
            out.append(line)
            continue
        # 2 (item) -> dash at 0, keys at 2; 4 -> 2; 6 (nested) -> 6
        if stripped.startswith("- ") and depth == 2:
            out.append(stripped)
        elif depth == 4:
            out.append("  " + stripped)
        elif depth == 6:
            out.append("      " + stripped)
        else:
            out.append(line)
    text = "\n".join(out) + "\n"
    return text.replace("about: [jp]", "about:\n  - jp").replace(
        "controls: [us-rule]", "controls:\n  - us-rule"
    )


LAYOUTS = ("default", "flush")


def write_commented(root: Path, layout: str = "default") -> Path:
    """Write the commented variant under ``root`` in ``layout``; returns the data folder."""
    texts = {
        "actors": COMMENTED_ACTORS,
        "controls": COMMENTED_CONTROLS,
        "statements": COMMENTED_STATEMENTS,
    }
    if layout == "flush":
        texts = {name: _reindent(text) for name, text in texts.items()}
    return write_files(root, dict(texts), {SEED.removeprefix("seeds/"): SEED_TEXT})


# --- records: the same world built record by record, for scoring, publication, export, site ----
# ``write_dataset`` writes ``root/data/{actors,controls,statements}.yaml`` (with ``seeds/`` beside
# ``data/``) from a list of statement dicts and a list of ally measures; every other record is
# fixed: the baseline states, the US control ``us-c1`` (announced and effective 2022-10-07,
# published 2022-10-13) and a named official of each state. ``statement`` and ``measure`` build
# the records with sensible defaults, so a test shows only what matters to it. The files are
# written as JSON, which is YAML, so any text (markup, control characters) reaches the loader
# exactly as given.

RECORDS_TODAY = date(2026, 1, 1)
"""Validation's "today" for library-level tests (every record date lies before it)."""

US_C1 = "us-c1"

US_OFFICIAL = {
    "id": "us-official",
    "name": "Ann Example",
    "kind": "person",
    "title": "Under Secretary",
    "represents": "us",
}
WIRE = {"id": "wire", "name": "Example Wire", "kind": "media"}

ACTOR_RECORDS: list[dict] = [
    *STATES,
    US_OFFICIAL,
    {
        "id": "jp-minister",
        "name": "Taro Example",
        "kind": "person",
        "title": "Trade Minister of Japan",
        "represents": "jp",
    },
    {
        "id": "nl-minister",
        "name": "Lies Example",
        "kind": "person",
        "title": "Trade Minister of the Netherlands",
        "represents": "nl",
    },
    WIRE,
]


def initiator_control(
    control_id: str = US_C1,
    announced: str | None = "2022-10-07",
    published: str | None = "2022-10-13",
    effective: str | None = "2022-10-07",
    **extra,
) -> dict:
    """A US control (``aligns_with`` none); pass ``None`` to leave a date out."""
    record = {
        "id": control_id,
        "issuer": "us",
        "title": f"US rule {control_id}",
        "kind": "rule",
        "target": "cn",
        "scope": ["semiconductor-manufacturing-equipment"],
        "announced": announced,
        "published": published,
        "effective": effective,
        "source": {"citation": f"FR {control_id}", "title": f"US rule {control_id}"},
    }
    record.update(extra)
    return {k: v for k, v in record.items() if v is not None}


def measure(
    measure_id: str,
    issuer: str = "jp",
    *,
    announced: str | None = None,
    published: str | None = None,
    effective: str | None = None,
    aligns_with: list[str] | None = None,
    **extra,
) -> dict:
    """An ally's own measure answering ``aligns_with`` (default: the baseline US control)."""
    record = {
        "id": measure_id,
        "issuer": issuer,
        "title": f"Ordinance {measure_id}",
        "kind": "ordinance",
        "target": "cn",
        "scope": ["semiconductor-manufacturing-equipment"],
        "announced": announced,
        "published": published,
        "effective": effective,
        "aligns_with": aligns_with if aligns_with is not None else [US_C1],
        "source": {"url": f"https://example.org/{measure_id}", "title": f"Gazette {measure_id}"},
    }
    record.update(extra)
    if any(d is not None and len(d) < 10 for d in (announced, published, effective)):
        record.setdefault("date_note", "only the month or year is known")
    return {k: v for k, v in record.items() if v is not None}


SPEAKERS = {"jp": "jp-minister", "nl": "nl-minister"}


def statement(
    statement_id: str,
    day: str,
    signal: str,
    tier: str = "on_record",
    *,
    about: list[str] | None = None,
    controls: list[str] | None = None,
    speaker: str | None = None,
    summary: str | None = None,
    **extra,
) -> dict:
    """A statement about ``about`` (default Japan) on ``controls`` (default the US control).

    The speaker defaults to the ally's minister, or to the wire for anonymous reports.
    """
    about = about or ["jp"]
    if speaker is None:
        speaker = "wire" if tier == "anonymous" else SPEAKERS.get(about[0], "us-official")
    record = {
        "id": statement_id,
        "date": day,
        "speaker": speaker,
        "about": about,
        "controls": controls or [US_C1],
        "signal": signal,
        "stance": "neutral",
        "summary": summary or f"{signal} reported on {day}",
        "source": {
            "url": f"https://example.org/{statement_id}",
            "publisher": "Example",
            "published": day,
            "tier": tier,
        },
    }
    if len(day) < 10:
        record["date_note"] = "only the month or year is known"
    record.update(extra)
    return record


def write_dataset(
    root: Path,
    statements: list[dict] = (),
    measures: list[dict] = (),
    *,
    controls: list[dict] | None = None,
    actors: list[dict] | None = None,
    seeds: dict[str, str] | None = None,
    **dumps,
) -> Path:
    """Write a dataset under ``root`` and return its ``data/`` folder.

    ``controls`` replaces the initiator's controls (default: ``us-c1`` alone); ``measures`` are
    the allies' own; ``actors`` replaces the baseline actors; ``seeds`` are documents written in
    ``seeds/``; ``dumps`` are ``json.dumps`` options (default: an indent of 2).
    """
    initiator = controls if controls is not None else [initiator_control()]
    files = {
        "actors": actors if actors is not None else ACTOR_RECORDS,
        "controls": [*initiator, *measures],
        "statements": list(statements),
    }
    dumps = {"indent": 2, **dumps}
    texts = {name: json_file(name, records, **dumps) for name, records in files.items()}
    return write_files(root, dict(texts), seeds)


def load(data: Path, today: date = RECORDS_TODAY) -> models.Dataset:
    """The validated dataset; fails the test when the fixture itself is invalid."""
    result = validate(data, today)
    errors = [p for p in result.problems if p.is_error]
    assert not errors, errors
    return result.dataset


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
