"""Hostile text from the data through every output: nothing leaks.

One record carries, in every free-text field, terminal escapes (CSI, OSC 8 links, OSC titles), C1
controls, BEL, bidi overrides, rich markup, Markdown and HTML, and ``javascript:`` addresses. Each
command's every output is checked: no ESC, BEL or C1 byte reaches it; rich markup prints as
written; the Markdown (brief, diff) parses with no HTML and no link but http(s); JSON parses and
gives the text back; GitHub annotations escape their properties. Archived-document paths with
``..`` or a symbolic link leading out of the dataset root are refused with a located problem.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import world
from world import git, write_commented, write_dataset
from world.hostile import AS_OF, HOSTILE, LEAKS, QUOTE, hostile_records
from world.markdown import check_markdown, inline_text


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A valid hostile record in a git repository; HEAD lacks the ordinance (so ``diff`` shows
    Japan's change, names and titles included)."""
    root = tmp_path / "record"
    actors, statements, ordinance = hostile_records()
    data = write_dataset(root, statements, [], actors=actors)
    (root / "seeds" / "doc.txt").write_text(f"He said {QUOTE} plainly.\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "hostile record")
    write_dataset(root, statements, [ordinance], actors=actors)
    return data


def invoke(*args: str) -> object:
    result = world.run(*args, env={"COLUMNS": "400"})
    for out in (result.stdout, result.stderr):
        leak = LEAKS.search(out)
        assert leak is None, (args, leak, out[max(0, leak.start() - 80) : leak.end() + 80])
    return result


# --- every output on the hostile record ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--as-of", AS_OF],
        ["explain", "jp", "--as-of", AS_OF],
        ["timeline", "--as-of", AS_OF],
    ],
)
def test_terminal_outputs_show_text_never_escapes_or_markup(hostile, command):
    r = invoke(*command, "--data", hostile)
    assert r.exit_code == 0, r.output
    assert "\\x1b[31mred" in r.stdout and "\\x9b2J" in r.stdout and "\\u202e" in r.stdout
    assert "[bold red]x[/]" in r.stdout and "[link=http://evil]y[/link]" in r.stdout
    assert "<script>alert(1)</script>" in r.stdout  # a terminal shows HTML as the text it is


def test_explain_shows_the_quote_and_publisher_as_text(hostile):
    out = invoke("explain", "jp", "--as-of", AS_OF, "--data", hostile).stdout
    assert f"“{QUOTE}”" in out
    assert "[jp-reservation] Pub \\x1b[31mred" in out


@pytest.mark.parametrize("command", [["status", "--json"], ["timeline", "--json"]])
def test_json_outputs_parse_and_give_the_text_back(hostile, command):
    r = invoke(*command, "--as-of", AS_OF, "--data", hostile)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["allies"][0]["name"] == f"Japan {HOSTILE}"


def test_brief_markdown_has_no_html_and_no_unsafe_link(hostile, tmp_path):
    r = invoke("brief", "--as-of", AS_OF, "--since", "2023-01-01", "--data", hostile)
    assert r.exit_code == 0, r.output
    tokens = check_markdown(r.stdout)
    text = inline_text(tokens)
    assert "<script>alert(1)</script>" in text and "[bold red]x[/]" in text
    assert "[z](javascript:alert(1))" in text  # the would-be link is text
    headings = [t for t in tokens if t.type == "heading_open"]
    assert all(not tokens[tokens.index(h) + 1].content.startswith("hash") for h in headings)
    # written to a file, the same
    out = tmp_path / "brief.md"
    assert invoke("brief", "--as-of", AS_OF, "-o", out, "--data", hostile).exit_code == 0
    assert LEAKS.search(out.read_text(encoding="utf-8")) is None


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_outputs(hostile, fmt):
    r = invoke("diff", "--format", fmt, "--as-of", AS_OF, "--data", hostile)
    assert r.exit_code == 0, r.output
    assert "jp" in r.stdout
    if fmt == "json":
        doc = json.loads(r.stdout)
        assert doc["allies"][0]["name"] == f"Japan {HOSTILE}"
    elif fmt == "markdown":
        check_markdown(r.stdout)
    else:
        assert "\\x1b[31mred" in r.stdout and "[bold red]x[/]" in r.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_outputs_on_hostile_problems(hostile, fmt):
    # problems whose messages carry the hostile text: an unknown field named with it, a dangling
    # reference to it, a javascript: URL
    path = hostile / "statements.yaml"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["statements"][0][HOSTILE] = 1
    doc["statements"][1]["speaker"] = "x"
    doc["statements"][2]["source"]["url"] = "javascript:alert(1)"
    path.write_text(json.dumps(doc), encoding="utf-8")
    r = invoke("validate", "--format", fmt, "--data", hostile, "--today", AS_OF)
    assert r.exit_code == 1, r.output
    if fmt == "json":
        problems = json.loads(r.stdout)["problems"]
        assert {p["rule"] for p in problems} >= {"unknown-field", "url-scheme"}
        assert any("[bold red]x[/]" in p["message"] for p in problems)
    elif fmt == "text":
        assert "unknown field '\\x1b[31mred" in r.stdout or "[bold red]x[/]" in r.stdout
        assert "[bold red]x[/]" in r.stdout
    else:
        for line in r.stdout.splitlines():
            assert re.match(
                r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+,title=[^,:]+::", line
            ), line


def test_github_annotations_escape_properties_and_message(make_dataset, tmp_path):
    from world import STATEMENTS, replace_once

    root = tmp_path / "a%b:c,d"
    ds = make_dataset(
        statements=replace_once(STATEMENTS, "speaker: kurt-campbell", "speaker: nobody"), root=root
    )
    key = replace_once(
        STATEMENTS,
        "    stance: positive\n",
        '    stance: positive\n    "x%y\\r\\nz:w,v\\e[31m": 1\n',
    )
    ds.write("statements", key)
    r = invoke("validate", "--format", "github", "--data", ds.data, "--today", "2025-01-01")
    assert r.exit_code == 1, r.output
    [line] = r.stdout.splitlines()
    props, message = line[len("::error ") :].split("::", 1)
    assert "a%25b%3Ac%2Cd" in props and props.count(",") == 3 and props.count(":") == 0
    assert "x%25y" in message and "\r" not in line


# --- add's messages -----------------------------------------------------------------------------

ADD = {
    "speaker": "taro-tanaka",
    "date": "2023-01-14",
    "stance": "neutral",
    "summary": None,
    "url": "https://example.org/x",
    "published": "2023-01-14",
}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (["--summary", HOSTILE], 0),
        (["--summary", "s", "--id", HOSTILE], 1),
        (["--summary", "s", "--speaker", HOSTILE], 1),
        (["--summary", "s", "--url", "javascript:alert(1)"], 1),
        (["--summary", "s", "--document", "../outside.txt"], 1),
        (["--summary", "s", "--date", HOSTILE], 1),
        (["--summary", "s", "--signal", HOSTILE], 1),
    ],
)
def test_add_messages_never_leak(tmp_path, change, code):
    hostile = write_commented(tmp_path)
    before = {p.name: p.read_bytes() for p in hostile.iterdir()}
    changes = {o.lstrip("-"): v for o, v in zip(change[::2], change[1::2], strict=True)}
    args = world.add_statement_args(**{**ADD, **changes})
    r = invoke("add", "statement", *args, "--data", hostile, "--today", AS_OF)
    assert r.exit_code == code, r.output
    after = {p.name: p.read_bytes() for p in hostile.iterdir()}
    if code:
        assert after == before
    else:
        assert "added statement" in r.stdout
        shown = invoke("explain", "jp", "--as-of", AS_OF, "--data", hostile)
        assert "\\x1b[31mred" in shown.stdout and "[bold red]x[/]" in shown.stdout


# --- archived documents outside the root --------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        "../outside.txt",
        "seeds/../../outside.txt",
        "seeds/link.txt",
        "seeds/linkdir/outside.txt",
        "/etc/passwd",
    ],
)
def test_documents_outside_the_root_are_refused_and_located(hostile, document):
    root = hostile.parent
    outside = root.parent / "outside.txt"
    outside.write_text(f"He said {QUOTE} plainly.\n", encoding="utf-8")
    (root / "seeds" / "link.txt").symlink_to(outside)
    (root / "seeds" / "linkdir").symlink_to(root.parent, target_is_directory=True)
    path = hostile / "statements.yaml"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["statements"][1]["source"]["document"] = document
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    r = invoke("validate", "--format", "json", "--data", hostile, "--today", AS_OF)
    assert r.exit_code == 1, r.output
    [p] = [p for p in json.loads(r.stdout)["problems"] if p["rule"] == "document-path"]
    lines = path.read_text(encoding="utf-8").splitlines()
    [line] = [n for n, text in enumerate(lines, 1) if f'"document": {json.dumps(document)}' in text]
    column = lines[line - 1].index(json.dumps(document)) + 1
    assert (p["path"].endswith("statements.yaml"), p["line"], p["column"]) == (True, line, column)
    for command in (["status"], ["brief"], ["explain", "jp"]):
        r = invoke(*command, "--as-of", AS_OF, "--data", hostile)
        assert r.exit_code == 1, r.output
        assert f"statements.yaml:{line}:{column}: error document-path" in r.stderr
