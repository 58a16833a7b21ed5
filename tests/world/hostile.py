"""Hostile and broken input: text that carries terminal escapes, C1 controls, bidi overrides, rich
markup, Markdown, HTML and ``javascript:`` addresses (``HOSTILE``) in every free-text field of a
valid record (``hostile_records``, ``hostile_data``); YAML that no loader should accept
(``BAD_STATEMENTS``, ``BILLION_LAUGHS``); and the two parsers a CI runner reads workflow commands
with (``workflow_commands``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from world.baseline import STATEMENTS, replace_once
from world.records import ACTOR_RECORDS, initiator_control, measure, statement, write_dataset

ESCAPES = (
    "\x1b[31mred\x1b[0m \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x1b]0;title\x07 \x9b2J bell\x07"
)
MARKUP = "[bold red]x[/] [link=http://evil]y[/link]"
MARKDOWN = (
    "<script>alert(1)</script> <b>b</b> | pipe | # hash > quote `tick` [z](javascript:alert(1))"
)
BIDI = "\u202eevil\u202c"
HOSTILE = f"{ESCAPES} {MARKUP} {MARKDOWN} javascript:alert(1) {BIDI}"
QUOTE = f"{MARKUP} {MARKDOWN}"
LEAKS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
AS_OF = "2023-06-01"
"""The as-of date the hostile record is read at."""


def hostile_records():
    actors = [dict(a) for a in ACTOR_RECORDS]
    for a in actors:
        if a["id"] in ("jp", "jp-minister"):
            a["name"] = f"{a['name']} {HOSTILE}"
        if a["id"] == "jp-minister":
            a["title"] = f"Minister {HOSTILE}"
            a["notes"] = HOSTILE
    statements = [
        statement(
            "jp-talks",
            "2023-01-13",
            "talks",
            summary=f"Talks {HOSTILE}",
            date_note=f"note {HOSTILE}",
        ),
        statement(
            "jp-reservation",
            "2023-01-20",
            "reservation",
            summary=f"No {HOSTILE}",
            quote=QUOTE,
            notes=HOSTILE,
            source={
                "document": "seeds/doc.txt",
                "publisher": f"Pub {HOSTILE}",
                "title": f"T {HOSTILE}",
                "published": "2023-01-20",
                "tier": "on_record",
                "notes": HOSTILE,
            },
        ),
        statement("jp-anon", "2023-02-01", "agreement", "anonymous", summary=f"Anon {HOSTILE}"),
    ]
    ordinance = measure(
        "jp-ordinance",
        announced="2023-03-31",
        title=f"Ordinance {HOSTILE}",
        notes=HOSTILE,
        source={
            "url": "https://example.org/a_(b)<c>",
            "title": f"G {HOSTILE}",
            "citation": f"C {HOSTILE}",
            "publisher": f"P {HOSTILE}",
        },
    )
    return actors, statements, ordinance


EVIL_URL = 'https://example.org/x"onmouseover="alert(1)"<script>alert(2)</script>'


def hostile_data(root: Path) -> Path:
    actors, statements, ordinance = hostile_records()
    statements = [
        *statements,
        statement(
            "nl-raised",
            "2023-02-10",
            "raised",
            about=["nl"],
            controls=["us-c1", "us-c2"],
            speaker="us-official",
            summary=f"Pressed {HOSTILE}",
            source={
                "url": EVIL_URL,
                "publisher": f"Wire {HOSTILE}",
                "title": f"<img src=x onerror=alert(1)> {HOSTILE}",
                "published": "2023-02-10",
                "tier": "on_record",
            },
        ),
    ]
    controls = [
        initiator_control(),
        initiator_control(
            "us-c2",
            announced="2023-01-05",
            published=None,
            effective="2023-01-05",
            title=f"Second rule {HOSTILE}",
            date_note=f"Note {HOSTILE}",
        ),
    ]
    data = write_dataset(root, statements, [ordinance], controls=controls, actors=actors)
    (root / "seeds" / "doc.txt").write_text(
        "He said [bold red]x[/] [link=http://evil]y[/link] <script>alert(1)</script> <b>b</b> | "
        "pipe | # hash > quote `tick` [z](javascript:alert(1)) plainly.\n",
        encoding="utf-8",
    )
    return data


BILLION_LAUGHS = """\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

SUMMARY = "summary: Campbell called the talks with Japan productive."

# (statements.yaml text, expected (line, column, rule))

BAD_STATEMENTS = [
    pytest.param("statements:\n  - id: a: b\n", (2, 10, "yaml-syntax"), id="invalid-yaml"),
    pytest.param(
        'statements:\n  - summary: "abc\n', (3, 1, "yaml-syntax"), id="invalid-yaml-unclosed-quote"
    ),
    pytest.param(
        "statements:\n  - id: a\n   name: b\n", (3, 4, "yaml-syntax"), id="invalid-yaml-indentation"
    ),
    pytest.param("statements:\n\t- id: a\n", (2, 1, "yaml-syntax"), id="tab-indentation"),
    pytest.param(
        replace_once(STATEMENTS, "    date: 2023", "\tdate: 2023"),
        (3, 1, "yaml-syntax"),
        id="tab-inside-a-record",
    ),
    pytest.param(
        replace_once(
            STATEMENTS, "    stance: positive\n", "    stance: positive\n    stance: neutral\n"
        ),
        (9, 5, "duplicate-key"),
        id="duplicate-key",
    ),
    pytest.param(
        "statements: []\nstatements: []\n", (2, 1, "duplicate-key"), id="duplicate-top-level-key"
    ),
    pytest.param("", (1, 1, "file-empty"), id="empty-file"),
    pytest.param("# nothing yet\n\n", (1, 1, "file-empty"), id="comments-only"),
    pytest.param("# a list\n- a\n- b\n", (2, 1, "file-not-mapping"), id="list-not-mapping"),
    pytest.param("just some text\n", (1, 1, "file-not-mapping"), id="text-not-mapping"),
    pytest.param(
        "statements:\n  - !!python/object:os.system {}\n",
        (2, 5, "yaml-tag"),
        id="python-object-tag",
    ),
    pytest.param(
        'statements:\n  - !!python/object/apply:os.system ["touch pwned"]\n',
        (2, 5, "yaml-tag"),
        id="python-object-apply-tag",
    ),
    pytest.param(
        "statements: !!python/name:os.system\n", (1, 13, "yaml-tag"), id="python-name-tag"
    ),
    pytest.param("statements: !local abc\n", (1, 13, "yaml-tag"), id="local-tag"),
    pytest.param("statements: !!int abc\n", (1, 13, "yaml-tag"), id="core-tag-wrong-value"),
    pytest.param("statements: !!str {a: 1}\n", (1, 13, "yaml-tag"), id="scalar-tag-on-mapping"),
    pytest.param("statements: !!seq abc\n", (1, 13, "yaml-tag"), id="seq-tag-on-scalar"),
    pytest.param("statements: !!map abc\n", (1, 13, "yaml-tag"), id="map-tag-on-scalar"),
    pytest.param(BILLION_LAUGHS, (7, 17, "limit-aliases"), id="alias-bomb"),
    pytest.param("statements: *nowhere\n", (1, 13, "yaml-alias"), id="undefined-alias"),
    pytest.param("? [a]\n: 1\n", (1, 3, "yaml-key"), id="complex-key"),
    pytest.param(
        "statements: " + "[" * 20_000 + "]" * 20_000 + "\n",
        (1, 76, "limit-depth"),
        id="deep-flow-nesting",
    ),
    pytest.param(
        "statements: " + "[" * 20_000 + "\n",
        (1, 76, "limit-depth"),
        id="deep-flow-nesting-unclosed",
    ),
    pytest.param(
        "statements:\n  " + "- " * 20_000 + "x\n", (2, 129, "limit-depth"), id="deep-block-nesting"
    ),
    pytest.param(
        "statements:\n" + "".join("  " * i + "-\n" for i in range(1, 100)),
        (65, 129, "limit-depth"),
        id="deep-block-nesting-indented",
    ),
    pytest.param(STATEMENTS + "---\nstatements: []\n", (16, 1, "yaml-syntax"), id="two-documents"),
    pytest.param(
        replace_once(STATEMENTS, "Campbell called", "Campbell\x1b[31m called"),
        (9, 22, "yaml-syntax"),
        id="control-character",
    ),
    pytest.param(
        replace_once(STATEMENTS, "Campbell called", "Campbell\x00called"),
        (9, 22, "yaml-syntax"),
        id="nul-character",
    ),
    pytest.param(
        replace_once(STATEMENTS, SUMMARY, "summary: " + "1" * 5000),
        (9, 14, "limit-number"),
        id="integer-too-long-to-convert",
    ),
    pytest.param("statements: 5\n", (1, 13, "schema"), id="records-not-a-list"),
    pytest.param("statement: []\n", (1, 1, "unknown-field"), id="misspelt-top-level-key"),
]


def v2_command(line: str) -> str | None:
    """The runner's v2 parser: a line that, after leading whitespace, starts with ``::`` and
    has a second ``::`` ending the command."""
    stripped = line.lstrip()
    if not stripped.startswith("::"):
        return None
    end = stripped.find("::", 2)
    return stripped[2:end].split(" ")[0] if end > 2 else None


def legacy_command(line: str) -> str | None:
    """The runner's legacy parser: ``##[`` anywhere, then a ``]`` ending the command."""
    start = line.find("##[")
    if start < 0:
        return None
    end = line.find("]", start)
    return line[start + 3 : end].split(" ")[0] if end > start else None


def workflow_commands(output: str) -> list[str]:
    """Every workflow command a GitHub Actions runner would read in ``output``, by either parser."""
    found = []
    for line in output.splitlines():
        for parser in (v2_command, legacy_command):
            if (cmd := parser(line)) is not None:
                found.append(cmd)
    return found
