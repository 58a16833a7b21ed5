"""A generated corpus of YAML hazards, one group per category of the official YAML test suite
(our own cases, written here; nothing is taken from the suite), each as a whole data file and
as the value of a record's field, through ``validate`` (json by default; every format and
``status`` with ``--run-slow``).

The property, for every case: exit 0 or 1, no traceback; every problem located on a line the
file has; JSON that parses; no line a CI runner reads as a workflow command (but ``--format
github``'s own annotations)."""

from __future__ import annotations

import json

import pytest

import world
from world.hostile import workflow_commands

# category -> YAML fragments that stand where a value goes (one line or several, indented
# relative to the key they follow); each is also tried as the whole file
HAZARDS: dict[str, list[str]] = {
    "alias": ["*nothing", "&a x\n    other: *a", "[&a 1, *a, *a]", "*a *b"],
    "anchor": ["&a", "&a &b x", "&  x", "&a [1, &a 2]"],
    "comment": ["x #c", "x#not a comment", "# only a comment", "'a' #c\n    # more"],
    "complex-key": ["{? [a, b] : c}", "? - a\n    : b", "{[1]: 2}", "? {a: b}\n    : c"],
    "directive": ["%YAML 1.2", "%TAG ! tag:x,2000:", "%FOO bar", "%YAML 1.1\n---\nx: 1"],
    "document": ["---", "...", "--- x\n--- y", "x\n...\n---\ny: 2"],
    "double": ['"a\\x41\\u263a"', '"\\q"', '"a\n    b"', '"\\U0010ffff \\0 \\e \\N \\_"'],
    "edge": ["-", ":", "- - - -", "{: }", "[,]", "x: y: z"],
    "empty": ["", "''", '""', "[]", "{}", "~"],
    "empty-key": ["{: v}", ": v", "? \n    : v", "{a: , : b}"],
    "explicit-key": ["? a\n    : b", "? a", "? |\n      lit\n    : v", "?\n    :"],
    "flow": ["[a, [b, {c: d}]]", "{a: [b, c], d: e}", "[a: b, c]", "{a, b, c}", "[a, b"],
    "folded": [">\n      folded\n      text", ">-\n      x", ">+\n      x\n\n", ">2\n       x"],
    "footer": ["x\n...", "x\n... # c", "x\n...\n# trailing", "x\n...\n...\n"],
    "header": ["--- !!map\n{}", "--- |\n  x", "--- # c\nx", "--- >\n x"],
    "indent": ["\n  - a\n - b", "\n\t- a", "\n     a: 1\n   b: 2", "- a\n   - b"],
    "literal": ["|\n      lit\n      text", "|-\n      x", "|+\n      x\n\n", "|1\n      x"],
    "local-tag": ["!local x", "!<!local> x", "!e!tag x", "!! x"],
    "mapping": ["{a: 1, a: 2}", "a: 1\n    a: 2", "{a: {b: {c: {d: e}}}}", "{? a}"],
    "sequence": ["[1, 2, 3]", "- a\n    - b", "[[[[[[[[]]]]]]]]", "- - - x"],
    "simple": ["x", "1", "true", "null", "0o17", "0x1F", "-.inf", ".NaN", "1e400"],
    "single": ["'it''s'", "'a\n    b'", "''''", "'unterminated"],
    "spec": ["!!str 1", "!!int '1'", "!!float 1", "!!bool yes", "!!binary aGk="],
    "tag": ["!!python/object:os.system x", "!<tag:yaml.org,2002:str> x", "!!set {a}", "!x [1]"],
    "whitespace": ["x \t", "\u00a0x", "x\u2028y", "\ufeffx", "a\r\n    b: c"],
    "error": ["[", "{", "'", '"', "a: b: c", "- a\n  b: c", "\x00", "@x", "`x"],
}


def cases() -> list[tuple[str, str, str]]:
    """(id, where, yaml text) for every hazard: as a whole file, and as a field's value."""
    out = []
    for category, fragments in HAZARDS.items():
        for n, fragment in enumerate(fragments):
            out.append((f"{category}-{n}-file", "file", fragment + "\n"))
            record = world.STATEMENTS.replace("summary: ", "summary: " + fragment + "\n    x: ", 1)
            out.append((f"{category}-{n}-value", "value", record))
    return out


CASES = cases()


def check(result, text: str, fmt: str, name: str = "statements") -> None:
    assert result.exit_code in (0, 1), result.output
    lines = text.count("\n") + 1
    if fmt == "json":
        for p in json.loads(result.output)["problems"]:
            assert p["line"] >= 1 and p["column"] >= 1, p
            if p["path"].endswith(f"{name}.yaml"):  # the file the hazard is in
                assert p["line"] <= lines + 1, (p, text)
    found = workflow_commands(result.output)
    if fmt == "github":
        assert set(found) <= {"error", "warning", "notice"}, found
    else:
        assert found == [], found


@pytest.mark.parametrize(("case", "where", "text"), CASES, ids=[c[0] for c in CASES])
def test_yaml_hazard(tmp_path, case, where, text):
    data = world.write_world(tmp_path, statements=text).data
    r = world.run("validate", "--data", data, "--format", "json", "--today", "2025-01-01")
    check(r, text, "json")


@pytest.mark.slow
@pytest.mark.parametrize(("case", "where", "text"), CASES, ids=[c[0] for c in CASES])
def test_yaml_hazard_every_format(tmp_path, case, where, text):
    for name in ("statements", "actors"):
        data = world.write_world(tmp_path / name, **{name: text}).data
        for fmt in ("text", "github", "json"):
            r = world.run("validate", "--data", data, "--format", fmt, "--today", "2025-01-01")
            check(r, text, fmt, name)
        r = world.run("status", "--data", data, "--as-of", "2024-01-01")
        check(r, text, "text", name)


def test_the_corpus_covers_every_category():
    assert len(HAZARDS) == 26
    assert len(CASES) == 2 * sum(map(len, HAZARDS.values()))
