"""The README's exit-code table is what every command does: the table names every command, and
each cell it fills is run here (a cause that gives that code), while a cell marked ``—`` has no
such cause. Data problems exit 1; usage errors and refused outputs exit 2, whichever command."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

import world
from export_alignment.cli.app import LAZY
from world import REPO

README = REPO / "README.md"
AS_OF = ("--as-of", "2024-01-01")
INVALID = world.STATEMENTS + "oops: 1\n"


def table() -> dict[str, dict[int, str]]:
    """The README's exit-code table: command -> {code: cause} (``—``: never that code)."""
    text = README.read_text(encoding="utf-8")
    head = text.index("| command | `0` | `1` | `2` | `3` |")
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


FEED_URL = "https://example.org/feed.xml"
CITED = "https://www.federalregister.gov/d/2022-21658"  # the test world's one cited address


def feed(*links: str) -> str:
    """An RSS feed with one item per link."""
    items = "".join(
        f"<item><title>Rule {i}</title><link>{link}</link>"
        "<pubDate>Mon, 02 Dec 2024 00:00:00 GMT</pubDate></item>"
        for i, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )


def saved(tmp: Path, answers: list[dict]) -> Path:
    """A folder of saved responses for ``--offline`` (an address not in it fails as if offline)."""
    folder = tmp / "saved"
    folder.mkdir(exist_ok=True)
    (folder / "responses.json").write_text(json.dumps(answers), encoding="utf-8")
    return folder


def closed_address() -> str:
    """An address on 127.0.0.1 where nothing listens (a port bound, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


def cited_closed(tmp: Path) -> Path:
    """The test world whose one cited address is on a closed local port."""
    data = valid(tmp)
    for path in data.glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(CITED, closed_address()))
    return data


def watch_args(tmp: Path, body: str | None, url: str = FEED_URL) -> list:
    """``watch`` of one feed at ``url``, replayed with ``body`` (``None``: asked of the network)."""
    listed = tmp / "watch.yaml"
    listed.write_text(
        f"watch:\n  - id: f\n    name: F\n    kind: feed\n    concerns: nl\n    url: {url}\n",
        encoding="utf-8",
    )
    args = ["--data", valid(tmp), "--list", listed, "--since", "2024-01-01"]
    if body is None:
        return args
    return [*args, "--offline", saved(tmp, [{"url": url, "status": 200, "body": body}])]


def sources_args(tmp: Path, status: int | None) -> list:
    """``sources check`` of the test world's one address, answered ``status`` (``None``: not at
    all); no archived copy is found."""
    answers = [] if status is None else [{"url": CITED, "status": status, "body": "page"}]
    return ["check", "--data", valid(tmp), "--offline", saved(tmp, answers)]


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
    ("watch", 0): [lambda t: watch_args(t, feed())],
    ("watch", 1): [lambda t: watch_args(t, feed("https://example.org/new-rule"))],
    ("watch", 2): [lambda t: ["--data", valid(t), "--list", t / "missing.yaml"]],
    ("watch", 3): [lambda t: watch_args(t, None, url=closed_address())],
    ("sources", 0): [lambda t: sources_args(t, 200)],
    ("sources", 1): [lambda t: sources_args(t, 410)],
    ("sources", 2): [lambda t: ["check", "--data", valid(t), "--format", "nonsense"]],
    ("sources", 3): [lambda t: ["check", "--data", cited_closed(t)]],
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
    assert sorted(table()) == sorted(LAZY)


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
