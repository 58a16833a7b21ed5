"""One loading path: a hostile data file gives the same problems to ``validate`` (from disk),
``add`` (the file as it would be written) and ``diff`` (the file at a git revision)."""

from __future__ import annotations

from datetime import date

import pytest

from export_alignment import editing, history
from export_alignment.checks import validate
from export_alignment.errors import DataError
from world import ACTORS, ARTICLE, CONTROLS, STATEMENTS, asked, commit_all
from world.hostile import BAD_STATEMENTS

TODAY = date(2025, 1, 1)

NEW_STATEMENT = {
    "id": "campbell-again",
    "date": "2023-01-20",
    "speaker": "kurt-campbell",
    "about": ["jp"],
    "controls": ["us-rule"],
    "signal": "talks",
    "stance": "positive",
    "summary": "Campbell spoke again.",
    "url": "https://example.org/again",
    "publisher": "Example News",
    "published": "2023-01-21",
    "tier": "on_record",
}


def _write(root, statements: str) -> None:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    for name, text in (("actors", ACTORS), ("controls", CONTROLS), ("statements", statements)):
        (root / "data" / f"{name}.yaml").write_text(text, encoding="utf-8")


def _found(problems) -> list[tuple]:
    """The statements file's errors, without the file's name (each command names it its way)."""
    return sorted(
        (p.line, p.column, p.rule, p.message)
        for p in problems
        if p.path.endswith("statements.yaml") and p.is_error
    )


def through_validate(root) -> list[tuple]:
    return _found(validate(root / "data", TODAY).problems)


def through_add(root) -> list[tuple]:
    with pytest.raises(DataError) as refused:
        editing.add_record(root / "data", "statement", NEW_STATEMENT, TODAY)
    return _found(refused.value.problems)


def through_diff(root) -> list[tuple]:
    commit_all(root, "hostile")
    (root / "data" / "statements.yaml").write_text(STATEMENTS, encoding="utf-8")
    comparison = history.compare(root / "data", "HEAD", asked(TODAY))
    return _found(comparison.old_problems)


# the loader's cases (schema findings on a readable file are the typing layer's, the same code)
LOADER_CASES = [p for p in BAD_STATEMENTS if p.values[1][-1] not in ("schema", "unknown-field")]


@pytest.mark.parametrize(("text", "expected"), LOADER_CASES)
def test_validate_add_and_diff_report_the_same_problems(tmp_path, text, expected):
    roots = {way: tmp_path / way for way in ("validate", "add", "diff")}
    for root in roots.values():
        _write(root, text)
    seen = {
        "validate": through_validate(roots["validate"]),
        "add": through_add(roots["add"]),
        "diff": through_diff(roots["diff"]),
    }
    assert seen["validate"], "the hostile file should have errors"
    assert (seen["validate"][0][0], seen["validate"][0][1], seen["validate"][0][2]) == expected
    assert seen["add"] == seen["validate"]
    assert seen["diff"] == seen["validate"]


def test_invalid_utf8_is_an_encoding_error_through_all_three(tmp_path):
    bad = STATEMENTS.replace("Campbell called", "Campbell\udcff called")
    for way in ("validate", "add", "diff"):
        root = tmp_path / way
        _write(root, STATEMENTS)
        (root / "data" / "statements.yaml").write_bytes(bad.encode("utf-8", "surrogateescape"))
    found = [
        through_validate(tmp_path / "validate"),
        through_add(tmp_path / "add"),
        through_diff(tmp_path / "diff"),
    ]
    assert [[rule for _, _, rule, _ in f] for f in found] == [["encoding"]] * 3
    assert found[0] == found[1] == found[2]
