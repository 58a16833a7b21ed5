"""The baseline dataset: its texts, written line for line, and the builders over them.

The dataset is
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
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from export_alignment.checks import validate
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


TANAKA = {
    "date": "2023-02-01",
    "speaker": "taro-tanaka",
    "stance": "neutral",
    "summary": "Tanaka said a decision would come soon.",
    "url": "https://example.org/a",
    "publisher": "Example Wire",
    "published": "2023-02-02",
}
"""The new statement these tests add: Tanaka's, about the small dataset."""


def new_statement_args(**changes: str | None) -> list[str]:
    """The new statement's options with ``changes`` (``None`` drops one)."""
    return add_statement_args(**{**TANAKA, **changes})


NEW_STATEMENT = new_statement_args()
"""The options that add Tanaka's statement."""


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
