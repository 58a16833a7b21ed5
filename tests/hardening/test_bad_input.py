"""Bad input gets a located problem, never a traceback: every case the data layer promises."""

from __future__ import annotations

import time

import pytest

from export_alignment.loader import DEFAULT_LIMITS, Limits, parse_text
from world import STATEMENTS, only, replace_once, run, where
from world.hostile import BAD_STATEMENTS, BILLION_LAUGHS, SUMMARY


@pytest.mark.parametrize(("text", "expected"), BAD_STATEMENTS)
def test_bad_file_is_reported_at_its_position(make_dataset, text, expected):
    ds = make_dataset(statements=text)
    problem = only(ds.problems(), expected[-1])
    assert where(problem) == ("statements.yaml", *expected[:2], "error", expected[-1])


@pytest.mark.parametrize(("text", "expected"), BAD_STATEMENTS)
def test_bad_file_exits_1_with_a_located_line_and_no_traceback(
    make_dataset, monkeypatch, text, expected
):
    ds = make_dataset(statements=text)
    monkeypatch.chdir(ds.root)
    r = run("validate", "--data", "data", "--format", "text", "--today", "2025-01-01")
    assert r.exit_code == 1, r.output
    line, col, rule = expected
    assert r.stdout.startswith(f"data/statements.yaml:{line}:{col}: error {rule} ")


def test_duplicate_key_names_the_first_and_keeps_it(make_dataset):
    text = replace_once(
        STATEMENTS, "    stance: positive\n", "    stance: positive\n    stance: sideways\n"
    )
    problem = only(make_dataset(statements=text).problems(), "duplicate-key")
    assert problem.message == "duplicate key 'stance' (first at line 8, column 5)"


def test_python_tag_is_never_constructed(make_dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ds = make_dataset(
        statements='statements:\n  - !!python/object/apply:os.system ["touch pwned"]\n'
    )
    ds.problems()
    assert not (tmp_path / "pwned").exists()


def test_alias_bomb_is_refused():
    loaded = parse_text(BILLION_LAUGHS, "bomb.yaml")
    assert loaded.data is None
    assert [p.rule for p in loaded.problems] == ["limit-aliases"]


@pytest.mark.slow
def test_alias_bomb_is_cheap():
    start = time.perf_counter()
    loaded = parse_text(BILLION_LAUGHS, "bomb.yaml")
    assert time.perf_counter() - start < 2
    assert [p.rule for p in loaded.problems] == ["limit-aliases"]


def test_small_aliases_are_allowed_and_expanded():
    loaded = parse_text("a: &x [1, 2]\nb: *x\n", "ok.yaml")
    assert loaded.problems == []
    assert loaded.data == {"a": [1, 2], "b": [1, 2]}


def test_missing_file(make_dataset):
    ds = make_dataset(statements=None)
    assert where(only(ds.problems(), "file-missing")) == (
        "statements.yaml",
        1,
        1,
        "error",
        "file-missing",
    )


def test_directory_where_a_file_should_be(make_dataset):
    ds = make_dataset(statements=None)
    (ds.data / "statements.yaml").mkdir()
    problem = only(ds.problems(), "file-unreadable")
    assert where(problem) == ("statements.yaml", 1, 1, "error", "file-unreadable")
    assert "directory" in problem.message


def test_symlink_loop_where_a_file_should_be(make_dataset):
    ds = make_dataset(statements=None)
    (ds.data / "statements.yaml").symlink_to("statements.yaml")
    assert where(only(ds.problems(), "file-unreadable"))[1:3] == (1, 1)


def test_invalid_utf8_is_located_at_its_byte(make_dataset):
    text = replace_once(STATEMENTS, "Campbell called", "Campbell\udcff called")
    ds = make_dataset(statements=text.encode("utf-8", "surrogateescape"))
    problem = only(ds.problems(), "encoding")
    assert where(problem) == ("statements.yaml", 9, 22, "error", "encoding")
    assert "0xff" in problem.message


def test_byte_order_mark_is_accepted(make_dataset):
    assert make_dataset(statements="\ufeff" + STATEMENTS).problems() == []


def test_one_document_with_explicit_markers_is_accepted(make_dataset):
    assert make_dataset(statements="---\n" + STATEMENTS + "...\n").problems() == []


def test_every_file_is_reported_in_one_run(make_dataset):
    ds = make_dataset(actors="actors: [\n", controls=None, statements="- a\n")
    assert [where(p) for p in ds.problems()] == [
        ("actors.yaml", 2, 1, "error", "yaml-syntax"),
        ("controls.yaml", 1, 1, "error", "file-missing"),
        ("statements.yaml", 1, 1, "error", "file-not-mapping"),
    ]


def test_cross_file_rules_wait_for_every_file(make_dataset):
    # with actors unreadable, statements' references are not reported as dangling
    ds = make_dataset(actors="actors: [\n")
    assert [p.rule for p in ds.problems()] == ["yaml-syntax"]


def _big_statements(count: int, summary_chars: int) -> str:
    body = STATEMENTS.split("\n", 1)[1]
    summary = "summary: " + ("talks " * (summary_chars // 6)).strip()
    record = body.replace(SUMMARY, summary)
    return "statements:\n" + "".join(
        record.replace("id: campbell-talks", f"id: talks-{i}") for i in range(count)
    )


def test_multi_megabyte_file_loads(make_dataset):
    text = _big_statements(600, 6_000)
    assert len(text.encode()) > 3_000_000
    ds = make_dataset(statements=text)
    assert ds.problems() == []


@pytest.mark.slow
def test_multi_megabyte_file_loads_quickly(make_dataset):
    ds = make_dataset(statements=_big_statements(600, 6_000))
    start = time.perf_counter()
    assert ds.problems() == []
    assert time.perf_counter() - start < 5


def test_file_over_the_size_limit(make_dataset):
    text = _big_statements(10, 1_000)
    ds = make_dataset(statements=text)
    problems = ds.problems(limits=Limits(max_file_bytes=len(text) - 1))
    problem = only(problems, "limit-file-size")
    assert where(problem) == ("statements.yaml", 1, 1, "error", "limit-file-size")
    assert ds.problems(limits=Limits(max_file_bytes=len(text))) == []


def test_default_limits_are_generous():
    assert DEFAULT_LIMITS.max_file_bytes >= 32 * 1024 * 1024
    assert DEFAULT_LIMITS.max_depth >= 16


@pytest.mark.parametrize(
    ("limits", "expected"),
    [
        pytest.param(Limits(max_scalar_chars=40), (9, 14, "limit-string"), id="long-text"),
        pytest.param(Limits(max_nodes=12), (9, 14, "limit-nodes"), id="too-many-values"),
        pytest.param(Limits(max_depth=3), (5, 12, "limit-depth"), id="too-deep"),
        pytest.param(Limits(max_records=0), (2, 3, "limit-records"), id="too-many-records"),
    ],
)
def test_custom_limits(make_dataset, limits, expected):
    ds = make_dataset()
    problems = [p for p in ds.problems(limits=limits) if p.path.endswith("statements.yaml")]
    assert where(only(problems, expected[-1])) == (
        "statements.yaml",
        *expected[:2],
        "error",
        expected[-1],
    )


def test_a_scalar_tag_on_a_sequence_is_refused(make_dataset):
    ds = make_dataset(controls="controls: !!str [a, b]\n")
    (problem,) = [p for p in ds.problems() if p.path.endswith("controls.yaml")]
    assert (problem.line, problem.column, problem.rule) == (1, 11, "yaml-tag")
