"""The red team's character sets through every output: a workflow command behind any Unicode white
space never reaches a CI log as a command, and no character XML 1.0 forbids reaches the Atom feed.

The runner's parser is modelled as the Actions runner has it: lines split on LF only, each trimmed
with .NET's ``String.Trim`` (every Unicode white space), a command when it then starts with ``::``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

import world
from export_alignment import escape

WHITE_SPACE = [
    "\u00a0",
    "\u1680",
    *(chr(c) for c in range(0x2000, 0x200B)),
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "\ufeff",
]
"""The red team's set: NBSP, OGHAM SPACE MARK, U+2000-200A, the line and paragraph separators,
NARROW NBSP, MEDIUM MATHEMATICAL SPACE, IDEOGRAPHIC SPACE and the byte-order mark."""

XML_FORBIDDEN = [
    *(chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"),
    "\ufffe",
    "\uffff",
]
"""What XML 1.0 forbids that a YAML double-quoted escape can still carry (lone surrogates cannot
reach a data file: YAML refuses them; ``xml_text`` is tested with them directly)."""

_NET_WHITE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) + "\ufeff"


def runner_commands(output: str) -> list[str]:
    """What the Actions runner reads as workflow commands in ``output``: v2 (``::`` at the start
    of a trimmed line) and legacy (``##[`` anywhere)."""
    found = []
    for line in output.split("\n"):
        trimmed = line.strip(_NET_WHITE)
        if trimmed.startswith("::") and trimmed.find("::", 2) > 2:
            found.append(trimmed[2 : trimmed.find("::", 2)].split(" ")[0])
        if "##[" in line:
            found.append("legacy")
    return found


def hostile_world(root: Path, name: str) -> Path:
    actors = world.ACTORS.replace("name: Japan", f"name: {json.dumps(name)}")
    return world.write_world(root, actors=actors).data


@pytest.mark.parametrize("space", WHITE_SPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_command_behind_unicode_white_space_reaches_no_log(tmp_path, space):
    name = f"Japan\n{space}::error file=x.yaml::pwned\n{space * 3}::add-mask::SECRET"
    data = hostile_world(tmp_path, name)
    for args in (
        ["status"],
        ["status", "--json"],
        ["explain", "jp"],
        ["timeline"],
        ["brief"],
    ):
        r = world.run(*args, "--data", data, "--as-of", "2024-01-01", code=0)
        assert runner_commands(r.output) == [], (args, r.output)
    r = world.run("list", "actors", "--json", "--data", data, code=0)
    assert runner_commands(r.output) == [], r.output


@pytest.mark.parametrize("space", WHITE_SPACE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_problem_list_carries_only_its_own_commands(tmp_path, space):
    statements = world.STATEMENTS + json.dumps(f"{space}::error::x") + ": 1\n"
    data = world.write_world(tmp_path, statements=statements).data
    for fmt in ("text", "json"):
        r = world.run("validate", "--data", data, "--format", fmt, "--today", "2025-01-01", code=1)
        assert runner_commands(r.output) == [], r.output
    r = world.run("validate", "--data", data, "--format", "github", "--today", "2025-01-01", code=1)
    assert set(runner_commands(r.output)) == {"error"}
    assert len(runner_commands(r.output)) == len(r.output.strip().split("\n"))


def test_the_log_sanitiser_breaks_a_command_behind_every_white_space():
    for space in [*WHITE_SPACE, " ", "\t", "\v", "\f", "\r", "\x85"]:
        text = f"{space}::error::x\nok\n{space}{space}::warning::y"
        assert runner_commands(escape.log_safe(text)) == [], repr(space)
        assert runner_commands(escape.log_safe(text, json_text=True)) == [], repr(space)


@pytest.mark.parametrize("char", XML_FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_the_feed_stays_well_formed_xml_whatever_the_record_holds(tmp_path, char):
    data = hostile_world(tmp_path, f"Jap{char}an")
    out = tmp_path / "site"
    world.run("site", "--data", data, "-o", out, "--as-of", "2024-01-01", code=0)
    raw = (out / "feed.xml").read_bytes()
    root = ET.fromstring(raw)  # expat: refuses any character XML forbids
    parsed = feedparser.parse(raw)  # a feed reader's parser (strict first, as readers are)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    titles = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert any("Jap" in t for t in titles), titles
    assert char not in raw.decode("utf-8")


def test_xml_text_escapes_what_xml_forbids_and_keeps_the_rest():
    bad = "".join(XML_FORBIDDEN) + "\ud800\udfff"
    out = escape.xml_text(f"a\tb\nc\rd{bad}é€\U0001f600")
    ET.fromstring(f"<x a='{out}'>{out}</x>".encode("utf-8", "strict"))
    assert out.startswith("a\tb\nc\rd\\x00") and out.endswith("é€\U0001f600")
