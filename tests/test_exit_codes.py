"""The README's exit-code table is what every command does: the table names every command, and
each cell it fills is run here (a cause that gives that code), while a cell marked ``—`` has no
such cause. Data problems exit 1; usage errors and refused outputs exit 2, whichever command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import world
from export_alignment.cli import DECLARED, app

README = Path(__file__).resolve().parents[1] / "README.md"
AS_OF = ("--as-of", "2024-01-01")
INVALID = world.STATEMENTS + "oops: 1\n"


def table() -> dict[str, dict[int, str]]:
    """The README's exit-code table: command -> {code: cause} (``—``: never that code)."""
    text = README.read_text(encoding="utf-8")
    head = text.index("| command | `0` | `1` | `2` |")
    rows: dict[str, dict[int, str]] = {}
    for line in text[head:].splitlines()[2:]:
        if not line.startswith("| `"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = dict(enumerate(cells[1:]))
    return rows


def valid(tmp: Path) -> Path:
    return world.write_world(tmp / "r").data


def invalid(tmp: Path) -> Path:
    return world.write_world(tmp / "r", statements=INVALID).data


def read_only(path: Path) -> Path:
    """``path`` made read-only (written first when it does not exist)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("old\n", encoding="utf-8")
    path.chmod(0o444)
    return path


def in_git(tmp: Path, statements: str) -> Path:
    data = valid(tmp)
    world.commit_all(data.parent, "record")
    (data / "statements.yaml").write_text(statements, encoding="utf-8")
    return data


Scenario = Callable[[Path], list]
SCENARIOS: dict[tuple[str, int], list[Scenario]] = {
    ("validate", 0): [lambda t: ["--data", valid(t), "--today", "2025-01-01"]],
    ("validate", 1): [lambda t: ["--data", invalid(t), "--today", "2025-01-01"]],
    ("validate", 2): [
        lambda t: ["--data", valid(t), "--format", "yaml"],
        lambda t: ["--data", t / "nowhere"],
    ],
    ("schema", 0): [lambda t: ["-o", t / "schemas"]],
    ("schema", 2): [
        lambda t: ["-o", read_only(t / "file")],
        lambda t: ["-o", read_only(t / "s" / "actors.schema.json").parent],
    ],
    ("status", 0): [lambda t: ["--data", valid(t), *AS_OF]],
    ("status", 1): [lambda t: ["--data", invalid(t), *AS_OF]],
    ("status", 2): [
        lambda t: ["--data", valid(t), "--ally", "zz"],
        lambda t: ["--data", valid(t), "--as-of", "2024-02-30"],
    ],
    ("explain", 0): [lambda t: ["jp", "--data", valid(t), *AS_OF]],
    ("explain", 1): [lambda t: ["jp", "--data", invalid(t), *AS_OF]],
    ("explain", 2): [lambda t: ["zz", "--data", valid(t), *AS_OF]],
    ("timeline", 0): [lambda t: ["--data", valid(t), *AS_OF]],
    ("timeline", 1): [lambda t: ["--data", invalid(t), *AS_OF]],
    ("timeline", 2): [lambda t: ["--data", valid(t), "--as-of", "soon"]],
    ("list", 0): [lambda t: ["actors", "--data", valid(t)]],
    ("list", 1): [lambda t: ["actors", "--data", invalid(t)]],
    ("list", 2): [lambda t: ["people", "--data", valid(t)]],
    ("diff", 0): [lambda t: ["--data", in_git(t, world.STATEMENTS), *AS_OF]],
    ("diff", 1): [lambda t: ["--data", in_git(t, INVALID), *AS_OF]],
    ("diff", 2): [
        lambda t: ["--data", valid(t), *AS_OF],  # not a git repository
        lambda t: ["no-such-rev", "--data", in_git(t, world.STATEMENTS), *AS_OF],
    ],
    ("brief", 0): [lambda t: ["--data", valid(t), *AS_OF, "-o", t / "brief.md"]],
    ("brief", 1): [lambda t: ["--data", invalid(t), *AS_OF]],
    ("brief", 2): [
        lambda t: ["--data", valid(t), *AS_OF, "-o", t],
        lambda t: ["--data", valid(t), *AS_OF, "-o", read_only(t / "brief.md")],
    ],
    ("site", 0): [lambda t: ["--data", valid(t), *AS_OF, "-o", t / "site"]],
    ("site", 1): [lambda t: ["--data", invalid(t), *AS_OF, "-o", t / "site"]],
    ("site", 2): [
        lambda t: ["--data", valid(t), *AS_OF, "-o", read_only(t / "file")],
        lambda t: ["--data", valid(t), *AS_OF, "-o", read_only(t / "mine" / "notes.txt").parent],
        lambda t: ["--data", valid(t), "--as-of", "0001-06-01", "-o", t / "site"],
    ],
    ("export", 0): [lambda t: ["--data", valid(t), *AS_OF, "-f", "json", "-o", t / "x.json"]],
    ("export", 1): [lambda t: ["--data", invalid(t), *AS_OF, "-f", "json", "-o", t / "x.json"]],
    ("export", 2): [
        lambda t: ["--data", valid(t), *AS_OF, "-f", "json", "-o", read_only(t / "x.json")],
        lambda t: [
            "--data",
            valid(t),
            *AS_OF,
            "-f",
            "csv",
            "-o",
            read_only(t / "c" / "actors.csv").parent,
        ],
        lambda t: ["--data", valid(t), *AS_OF, "-f", "xml", "-o", t / "x.xml"],
    ],
    ("add", 0): [
        lambda t: ["statement", "--data", valid(t), "--id", "n", *world.add_statement_args()]
    ],
    ("add", 1): [
        lambda t: [
            "statement",
            "--data",
            valid(t),
            "--id",
            "n",
            *world.add_statement_args(speaker="nobody"),
        ]
    ],
    ("add", 2): [
        lambda t: ["statement", "--data", valid(t), "--id", "n"],  # fields missing, no terminal
        lambda t: [
            "statement",
            "--data",
            read_only(valid(t) / "statements.yaml").parent,
            "--id",
            "n",
            *world.add_statement_args(),
        ],
    ],
}


def test_the_table_names_every_command():
    commands = [*DECLARED, *(group.name for group in app.registered_groups)]
    assert sorted(table()) == sorted(commands)


def test_every_filled_cell_has_a_cause_and_every_dash_has_none():
    for command, cells in table().items():
        for code, cause in cells.items():
            assert ((command, code) in SCENARIOS) == (cause != "—"), (command, code, cause)


CELLS = [
    (command, code, i)
    for (command, code), scenarios in SCENARIOS.items()
    for i in range(len(scenarios))
]


@pytest.mark.parametrize(("command", "code", "index"), CELLS)
def test_each_cause_exits_with_its_code(tmp_path, monkeypatch, command, code, index):
    monkeypatch.chdir(tmp_path)
    args = SCENARIOS[command, code][index](tmp_path)
    r = world.run(command, *args)
    assert r.exit_code == code, (command, args, r.output)
    assert "Traceback" not in r.output
    if code == 2:
        assert "error:" in r.output or "Error:" in r.output
