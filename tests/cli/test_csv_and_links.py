"""CSV on standard output and bare web addresses: record text in ``list``, ``status`` and
``timeline --format csv`` goes through the one CSV writer (no escape sequence or bell reaches
the terminal, a carriage return never splits a row, no formula cell, no workflow command), and a
``www.`` address in record text never becomes a link in the brief or the pull-request comment
(``diff --format markdown``); only http(s) source links do."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

import world
from world.markdown import markdown_links

NASTY = '=HYPERLINK("x")\x1b[31mred\x07 bell\r::error file=a::pwned\rsee www.evil.example/x'
"""A name that is a formula, carries an escape sequence, a bell, bare carriage returns that hide
a workflow command, and a bare ``www.`` address."""


def _nasty_world(tmp_path):
    actors = world.ACTORS.replace("name: Japan", f"name: {json.dumps(NASTY)}")
    statements = world.STATEMENTS.replace(
        "summary: Campbell called the talks with Japan productive.",
        f"summary: {json.dumps('Campbell: ' + NASTY)}",
    )
    return world.write_world(tmp_path, actors=actors, statements=statements).data


def _v2_command(line: str) -> bool:
    return line.lstrip().startswith("::") and "::" in line.lstrip()[2:]


@pytest.mark.parametrize(
    "args",
    [
        ["list", "allies"],
        ["list", "statements"],
        ["status", "--as-of", "2024-01-01"],
        ["timeline", "--as-of", "2024-01-01"],
    ],
)
def test_csv_on_standard_output_is_sanitised(tmp_path, args):
    data = _nasty_world(tmp_path)
    r = world.run(*args, "--format", "csv", "--data", data, code=0)
    out = r.stdout
    assert "\x1b" not in out and "\x07" not in out
    # a carriage return only ever ends a row (CRLF): none inside a cell
    assert "\r" not in out.replace("\r\n", "")
    # no line, however a reader splits it, is a workflow command
    assert not [line for line in re.split(r"\r\n|\r|\n", out) if _v2_command(line)]
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows and len({len(row) for row in rows}) == 1  # no row split
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    text = "\n".join(cell for row in rows for cell in row)
    if args[0] == "list":
        assert "\\x1b[31mred\\x07" in text  # kept, visibly
    if args[:2] == ["list", "allies"]:
        assert "'=HYPERLINK" in text


def test_a_www_address_in_record_text_is_never_a_link_in_the_brief(tmp_path):
    data = _nasty_world(tmp_path)
    out = world.run("brief", "--as-of", "2024-01-01", "--data", data, code=0).stdout
    assert "evil" in out
    assert not [u for u in markdown_links(out) if "evil" in u]


def test_a_www_address_in_record_text_is_never_a_link_in_the_pull_request_comment(tmp_path):
    data = _nasty_world(tmp_path)
    root = data.parent
    world.commit_all(root, "record")
    (data / "statements.yaml").write_text("statements: []\n", encoding="utf-8")
    r = world.run(
        "diff", "HEAD", "--format", "markdown", "--as-of", "2024-01-01", "--data", data, code=0
    )
    assert "evil" in r.stdout, r.stdout
    assert not [u for u in markdown_links(r.stdout) if "evil" in u]
