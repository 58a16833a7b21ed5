"""The rule catalogue: every rule id the tool can report is registered once, and every rule's
docstring examples run: the passing one keeps the dataset valid, the failing one reports it."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest

import export_alignment
from export_alignment import checks  # noqa: F401  (registers the cross-file rules)
from export_alignment.loader import Limits, parse_text
from export_alignment.models import ControlKind, SourceKind
from export_alignment.problems import Level
from export_alignment.rules import CATALOGUE, EXAMPLE_LIMITS
from export_alignment.shape import DATA_FILES
from world import ACTORS, ARTICLE, CONTROLS, STATEMENTS

TODAY = date(2025, 1, 1)
BASELINE = {"actors": ACTORS, "controls": CONTROLS, "statements": STATEMENTS}

_FILE_CHANGE = re.compile(r"^(?P<file>[a-z]+)\.yaml: (?P<value>.+)$")
_FIELD_CHANGE = re.compile(r"^(?P<file>[a-z]+)\[(?P<index>\d+)\](?P<path>(\.\w+)*): (?P<value>.*)$")
_SECTION_CHANGE = re.compile(r"^(?P<file>[a-z]+)\.(?P<key>\w+): (?P<value>.*)$")
_SPAN = re.compile(r"``(.+?)``(?!`)")


def _is_change(span: str) -> bool:
    return any(p.match(span) for p in (_FILE_CHANGE, _FIELD_CHANGE, _SECTION_CHANGE))


def examples(doc: str) -> dict[str, list[str]]:
    """The changes of the ``Passes:`` and ``Fails:`` paragraphs (prose spans are left out); a
    paragraph runs on over the following lines up to a blank line or the next heading."""
    paragraphs: dict[str, str] = {}
    head = None
    for line in doc.splitlines():
        word, _, rest = line.strip().partition(": ")
        if word in ("Passes", "Fails"):
            head = word
            paragraphs[head] = rest
        elif head is not None and line.strip():
            paragraphs[head] += " " + line.strip()
        else:
            head = None
    return {h: [s for s in _SPAN.findall(text) if _is_change(s)] for h, text in paragraphs.items()}


def _text(expression: str) -> str:
    """``"a" + "b" * 3``: JSON strings, repeated and joined."""
    out = ""
    for term in expression.split(" + "):
        literal, _, times = term.partition(" * ")
        out += json.loads(literal) * (int(times) if times else 1)
    return out


def apply(root: Path, changes: list[str]) -> None:
    data = root / "data"
    data.mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    texts: dict[str, str | None] = dict(BASELINE)
    folders = set()
    for change in changes:
        if m := _FILE_CHANGE.match(change):
            name, value = m["file"], m["value"]
            assert name in DATA_FILES, change
            if value == "absent":
                texts[name] = None
            elif value == "folder":
                texts[name] = None
                folders.add(name)
            else:
                texts[name] = _text(value)
            continue
        if m := _SECTION_CHANGE.match(change):
            name = m["file"]
            text = texts[name]
            assert text is not None
            loaded = parse_text(text, name)
            loaded.data[m["key"]] = parse_text(f"v: {m['value']}\n", "value").data["v"]
            texts[name] = json.dumps(loaded.data, indent=1) + "\n"  # JSON is YAML
            continue
        m = _FIELD_CHANGE.match(change)
        assert m is not None, change
        name = m["file"]
        text = texts[name]
        assert text is not None
        loaded = parse_text(text, name)
        value = parse_text(f"v: {m['value']}\n", "value").data["v"]
        records = loaded.data[name]
        index = int(m["index"])
        if not m["path"]:  # a whole record, replaced or appended
            records[index : index + 1] = [value]
        else:
            node = records[index]
            *parents, last = m["path"].lstrip(".").split(".")
            for key in parents:
                node = node[key]
            if m["value"] == "absent":
                del node[last]
            else:
                node[last] = value
        texts[name] = json.dumps(loaded.data, indent=1) + "\n"  # JSON is YAML
    for name, text in texts.items():
        path = data / f"{name}.yaml"
        if name in folders:
            path.mkdir()
        elif text is not None:
            path.write_bytes(text.encode("utf-8", "surrogateescape"))


def problems(root: Path):
    return checks.validate(root / "data", TODAY, Limits(**EXAMPLE_LIMITS)).problems


def test_the_baseline_is_valid_under_the_example_limits(tmp_path):
    apply(tmp_path, [])
    assert problems(tmp_path) == []


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_each_rule_has_a_passing_and_a_failing_example(rule_id):
    info = CATALOGUE[rule_id]
    found = examples(info.doc)
    assert found.get("Passes") and found.get("Fails"), info.doc
    assert info.summary, rule_id


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_the_passing_example_passes(tmp_path, rule_id):
    apply(tmp_path, examples(CATALOGUE[rule_id].doc)["Passes"])
    found = problems(tmp_path)
    assert rule_id not in {p.rule for p in found}, found
    assert not [p for p in found if p.is_error], found


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_the_failing_example_fails_with_the_rule_at_its_level(tmp_path, rule_id):
    apply(tmp_path, examples(CATALOGUE[rule_id].doc)["Fails"])
    found = [p for p in problems(tmp_path) if p.rule == rule_id]
    assert found, problems(tmp_path)
    assert {p.level for p in found} == {CATALOGUE[rule_id].level}


def test_the_cross_file_rules_are_all_in_the_catalogue():
    assert set(checks.RULES) <= set(CATALOGUE)
    assert CATALOGUE["partial-date-note"].level is Level.WARNING


NOT_RULES = {
    *(kind.value for kind in (*SourceKind, *ControlKind)),
    "cat-file",  # a git command (history.py)
    "entity-listing",
    "export-alignment",
    "initiator-control",
    "state-or-bloc",
    "rev-parse",
    "utf-8",
    "flag-raised",
    "flag-cleared",
    "federal-register",  # a kind of watched source (watch.py)
    "duplicate-statement",  # why `add` refuses a statement (editing.py); the record may hold one
    "content-length",  # HTTP headers (web.py)
    "last-modified",
    "retry-after",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32-le",
    "utf-32-be",
    "tabular-data-package",
    "tabular-data-resource",
    "watch-state",  # a cache file (watch)
}
"""Kebab-case words in the code that are not rule ids (vocabulary, names, git, codecs)."""


def test_every_rule_id_in_the_code_is_registered():
    """A new rule id written anywhere in the package fails here until it is catalogued."""
    pattern = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
    uuid = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
    package = Path(export_alignment.__file__).parent
    seen = set()
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and pattern.match(node.value)
                and not uuid.match(node.value)
            ):
                seen.add(node.value)
    assert seen - NOT_RULES <= set(CATALOGUE), sorted(seen - NOT_RULES - set(CATALOGUE))
    assert {"schema", "encoding"} <= set(CATALOGUE)
