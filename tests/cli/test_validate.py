"""``export-alignment validate`` and ``schema`` through the CLI: output formats, exit codes,
where the data comes from, and untrusted text kept away from the terminal."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from export_alignment.problems import Level, Problem
from export_alignment.report import print_problems, problems_github
from world import ACTORS, REPO, STATEMENTS, replace_once, run, run_process

TODAY = ("--today", "2025-01-01")
DANGLING = replace_once(STATEMENTS, "speaker: kurt-campbell", "speaker: kurt-cambell")
PARTIAL = replace_once(STATEMENTS, "date: 2023-01-13", "date: 2023-01")


@pytest.fixture
def in_root(monkeypatch):
    """Run from the dataset's root, so paths show as data/<file>.yaml."""

    def chdir(ds):
        monkeypatch.chdir(ds.root)
        return ds

    return chdir


# --- text -----------------------------------------------------------------------------------


def test_text_clean_exits_0(dataset, in_root):
    in_root(dataset)
    r = run("validate", "--data", "data", "--format", "text", *TODAY)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert r.stderr == "ok: 7 records, no problems\n"


def test_text_error_line_and_exit_1(make_dataset, in_root):
    in_root(make_dataset(statements=DANGLING))
    r = run("validate", "--data", "data", "--format", "text", *TODAY)
    assert r.exit_code == 1, r.output
    assert r.stdout == (
        "data/statements.yaml:4:14: error dangling-reference speaker: no record "
        "has the id 'kurt-cambell'; did you mean 'kurt-campbell'?\n"
    )
    assert r.stderr == "1 error, 0 warnings in 7 valid records\n"


def test_text_warning_only_exits_0(make_dataset, in_root):
    in_root(make_dataset(statements=PARTIAL))
    r = run("validate", "--data", "data", "--format", "text", *TODAY)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(
        "data/statements.yaml:3:11: warning partial-date-note date 2023-01 is partial"
    )


def test_text_problems_are_sorted_by_file_and_position(make_dataset, in_root):
    in_root(
        make_dataset(
            actors=replace_once(ACTORS, "represents: us", "represents: usa"),
            statements=replace_once(DANGLING, "about: [jp]", "about: [jp, xx]"),
        )
    )
    r = run("validate", "--data", "data", "--format", "text", *TODAY)
    assert r.exit_code == 1, r.output
    assert [line.split(": ")[0] for line in r.stdout.splitlines()] == [
        "data/actors.yaml:22:17",
        "data/statements.yaml:4:14",
        "data/statements.yaml:5:17",
    ]


def test_text_has_no_colour_off_a_terminal(make_dataset):
    ds = make_dataset(statements=DANGLING)
    r = run("validate", "--data", str(ds.data), "--format", "text", *TODAY)
    assert r.exit_code == 1, r.output
    assert "\x1b" not in r.output


def test_no_color_wins_on_a_terminal(make_dataset):
    ds = make_dataset(statements=DANGLING)
    args = ("validate", "--data", str(ds.data), "--format", "text", *TODAY)
    coloured = run(*args, env={"FORCE_COLOR": "1"})
    assert coloured.exit_code == 1, coloured.output
    assert "\x1b[31m" in coloured.stdout  # the terminal case really is coloured
    plain = run(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert plain.exit_code == 1, plain.output
    assert "\x1b[31m" not in plain.stdout and "\x1b[36m" not in plain.stdout


# --- json -----------------------------------------------------------------------------------


def test_json_shape(make_dataset, in_root):
    in_root(make_dataset(statements=DANGLING))
    r = run("validate", "--data", "data", "--format", "json", *TODAY)
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    assert doc.pop("dataset")["found_by"] == "option"  # added by issue 13: the dataset used
    assert doc == {
        "ok": False,
        "problems": [
            {
                "path": "data/statements.yaml",
                "line": 4,
                "column": 14,
                "level": "error",
                "rule": "dangling-reference",
                "message": "speaker: no record has the id 'kurt-cambell'; did you mean "
                "'kurt-campbell'?",
            }
        ],
    }


def test_json_clean(dataset):
    r = run("validate", "--data", str(dataset.data), "--format", "json", *TODAY)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc.pop("dataset") == {"path": str(dataset.data.resolve()), "found_by": "option"}
    assert doc == {"ok": True, "problems": []}


def test_json_warnings_only_is_ok(make_dataset):
    ds = make_dataset(statements=PARTIAL)
    r = run("validate", "--data", str(ds.data), "--format", "json", *TODAY)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] is True
    assert [(p["level"], p["rule"]) for p in out["problems"]] == [("warning", "partial-date-note")]


def test_json_reports_every_file_sorted_and_never_coloured(make_dataset):
    ds = make_dataset(actors="actors: [\n", controls=None, statements="- a\n")
    r = run(
        "validate", "--data", str(ds.data), "--format", "json", *TODAY, env={"FORCE_COLOR": "1"}
    )
    assert r.exit_code == 1, r.output
    assert "\x1b" not in r.stdout
    problems = json.loads(r.stdout)["problems"]
    assert [(Path(p["path"]).name, p["line"], p["column"], p["rule"]) for p in problems] == [
        ("actors.yaml", 2, 1, "yaml-syntax"),
        ("controls.yaml", 1, 1, "file-missing"),
        ("statements.yaml", 1, 1, "file-not-mapping"),
    ]


# --- github ---------------------------------------------------------------------------------


def test_github_error_and_warning(make_dataset, in_root):
    in_root(make_dataset(statements=replace_once(DANGLING, "date: 2023-01-13", "date: 2023-01")))
    r = run("validate", "--data", "data", "--format", "github", *TODAY)
    assert r.exit_code == 1, r.output
    assert r.stdout.splitlines() == [  # errors first: GitHub shows only 10 of each kind
        "::error file=data/statements.yaml,line=4,col=14,title=dangling-reference::speaker: no "
        "record has the id 'kurt-cambell'; did you mean 'kurt-campbell'?",
        "::warning file=data/statements.yaml,line=3,col=11,title=partial-date-note::date 2023-01 "
        "is partial; say how it was arrived at in date_note",
    ]


def test_github_clean_prints_nothing(dataset):
    r = run("validate", "--data", str(dataset.data), "--format", "github", *TODAY)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""


def test_github_escapes_properties_from_the_path(make_dataset, tmp_path):
    ds = make_dataset(statements=DANGLING, root=tmp_path / "a:b,c")
    r = run("validate", "--data", str(ds.data), "--format", "github", *TODAY)
    assert r.exit_code == 1, r.output
    (line,) = r.stdout.splitlines()
    props = line.split("::")[1]
    assert "a%3Ab%2Cc" in props
    assert props.endswith("/statements.yaml,line=4,col=14,title=dangling-reference")


def test_github_escapes_percent_in_a_message_from_the_data(make_dataset):
    ds = make_dataset(
        statements=replace_once(
            STATEMENTS, "    stance: positive\n", '    stance: positive\n    "100%": 1\n'
        )
    )
    r = run("validate", "--data", str(ds.data), "--format", "github", *TODAY)
    assert r.exit_code == 1, r.output
    assert r.stdout.rstrip("\n").endswith("::unknown field '100%25'")


def test_github_escaping_of_percent_cr_lf_colon_comma():
    problem = Problem("dir:1,x/s.yaml", 3, 4, "rule:a,b", Level.ERROR, "50% done\r\nnext: a,b")
    assert problems_github([problem]) == (
        "::error file=dir%3A1%2Cx/s.yaml,line=3,col=4,title=rule%3Aa%2Cb::50%25 done%0D%0Anext: a,b"
    )


def test_github_annotates_errors_then_the_named_files_warnings_and_summarises_the_rest():
    """GitHub shows 10 annotations of each kind per step: errors come first, then warnings in
    the files named (the changed ones), and one notice counts what was not annotated; those are
    still listed, as plain lines, in the log."""
    old = [Problem("data/controls.yaml", i, 1, "r", Level.WARNING, f"old {i}") for i in range(12)]
    new = [Problem("data/statements.yaml", 5, 1, "r", Level.WARNING, "new")]
    errors = [Problem("data/actors.yaml", 2, 1, "e", Level.ERROR, "bad")]
    lines = problems_github([*old, *new, *errors], ["data/statements.yaml"]).splitlines()
    assert lines[0].startswith("::error file=data/actors.yaml,line=2")
    assert lines[1].startswith("::warning file=data/statements.yaml,line=5")
    warnings = [line for line in lines if line.startswith("::warning")]
    assert len(warnings) == 10
    (notice,) = [line for line in lines if line.startswith("::notice")]
    assert "3 more warnings not annotated" in notice
    assert lines[-3:] == [f"data/controls.yaml:{i}:1: warning r old {i}" for i in (9, 10, 11)]


def test_no_warnings_reports_errors_only(make_dataset, in_root):
    in_root(make_dataset(statements=PARTIAL))
    r = run("validate", "--data", "data", "--format", "text", "--no-warnings", *TODAY)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    in_root(make_dataset(statements=replace_once(DANGLING, "date: 2023-01-13", "date: 2023-01")))
    r = run("validate", "--data", "data", "--format", "text", "--no-warnings", *TODAY)
    assert r.exit_code == 1, r.output
    assert [line.split()[1] for line in r.stdout.splitlines()] == ["error"]


def test_strict_fails_on_a_warning(make_dataset, in_root):
    in_root(make_dataset(statements=PARTIAL))
    r = run("validate", "--data", "data", "--format", "text", "--strict", *TODAY)
    assert r.exit_code == 1, r.output
    assert "warning partial-date-note" in r.stdout
    r = run("validate", "--data", "data", "--format", "json", "--strict", *TODAY)
    assert r.exit_code == 1, r.output
    in_root(make_dataset())
    r = run("validate", "--data", "data", "--strict", *TODAY)
    assert r.exit_code == 0, r.output


def test_a_file_argument_reports_that_files_problems_against_the_whole_record(
    make_dataset, in_root
):
    in_root(make_dataset(statements=DANGLING))
    r = run("validate", "data/actors.yaml", "--format", "text", *TODAY)
    assert r.exit_code == 0, r.output  # the error is in another file
    assert r.stdout == ""
    r = run("validate", "data/statements.yaml", "--format", "text", *TODAY)
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("data/statements.yaml:4:14: error dangling-reference ")
    # the whole record is read: the speaker it misses is defined in actors.yaml
    assert "did you mean 'kurt-campbell'" in r.stdout
    r = run("validate", "data/no-such.yaml", *TODAY)
    assert r.exit_code == 2, r.output
    assert "is not a file" in r.stderr


def test_format_auto_picks_github_on_github_actions(make_dataset, in_root):
    in_root(make_dataset(statements=DANGLING))
    r = run("validate", "--data", "data", *TODAY, env={"GITHUB_ACTIONS": "true"})
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("::error file=data/statements.yaml,line=4,col=14,")


@pytest.mark.parametrize("env", [{}, {"GITHUB_ACTIONS": "false"}])
def test_format_auto_is_text_elsewhere(make_dataset, in_root, env):
    in_root(make_dataset(statements=DANGLING))
    r = run("validate", "--data", "data", "--format", "auto", *TODAY, env=env)
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("data/statements.yaml:4:14: error dangling-reference")


# --- exit 2: usage errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--format", "xml"], id="bad-format"),
        pytest.param(["--format", "JSON"], id="format-is-case-sensitive"),
        pytest.param(["--today", "2025-13-01"], id="bad-today-month"),
        pytest.param(["--today", "yesterday"], id="bad-today-word"),
        pytest.param(["--today", "2025-01"], id="partial-today"),
        pytest.param(["--format"], id="format-without-value"),
        pytest.param(["--no-such-flag"], id="unknown-flag"),
    ],
)
def test_usage_errors_exit_2(dataset, args):
    r = run("validate", "--data", str(dataset.data), *args)
    assert r.exit_code == 2, r.output
    assert r.stdout == ""


def test_bad_format_says_which_are_allowed(dataset):
    r = run("validate", "--data", str(dataset.data), "--format", "xml")
    assert r.exit_code == 2, r.output
    assert "text, json, github" in r.stderr


def test_data_folder_missing_exits_2(tmp_path):
    r = run("validate", "--data", str(tmp_path / "nowhere"))
    assert r.exit_code == 2, r.output
    assert "does not exist" in r.stderr


def test_data_is_a_file_exits_2(dataset):
    r = run("validate", "--data", str(dataset.data / "actors.yaml"))
    assert r.exit_code == 2, r.output
    assert "not a folder" in r.stderr


def test_data_name_too_long_exits_2(tmp_path):
    r = run("validate", "--data", str(tmp_path / ("x" * 300)))
    assert r.exit_code == 2, r.output


def test_env_var_pointing_nowhere_exits_2(tmp_path):
    r = run("validate", env={"EXPORT_ALIGNMENT_DATA": str(tmp_path / "nowhere")})
    assert r.exit_code == 2, r.output


def test_empty_data_folder_exits_1_with_three_missing_files(tmp_path):
    (tmp_path / "data").mkdir()
    r = run("validate", "--data", str(tmp_path / "data"), "--format", "json")
    assert r.exit_code == 1, r.output
    assert [p["rule"] for p in json.loads(r.stdout)["problems"]] == ["file-missing"] * 3


def test_today_moves_the_future(make_dataset):
    ds = make_dataset(
        statements=replace_once(STATEMENTS, "published: 2023-01-17", "published: 2030-06-01")
    )
    before = run("validate", "--data", str(ds.data), "--today", "2030-05-31", "-f", "json")
    assert before.exit_code == 1, before.output
    assert [p["rule"] for p in json.loads(before.stdout)["problems"]] == ["future-date"]
    on_the_day = run("validate", "--data", str(ds.data), "--today", "2030-06-01")
    assert on_the_day.exit_code == 0, on_the_day.output


def test_today_defaults_to_the_real_today(make_dataset):
    ds = make_dataset(
        statements=replace_once(STATEMENTS, "published: 2023-01-17", "published: 2999-01-01")
    )
    r = run("validate", "--data", str(ds.data), "--format", "text")
    assert r.exit_code == 1, r.output
    assert "future-date" in r.stdout


# --- where the data comes from --------------------------------------------------------------


def test_env_var_beats_local_data_and_option_beats_env_var(make_dataset, tmp_path, monkeypatch):
    clean = make_dataset()
    broken = make_dataset(statements=DANGLING, root=tmp_path / "other")
    monkeypatch.chdir(clean.root)
    env = {"EXPORT_ALIGNMENT_DATA": str(broken.data)}
    r = run("validate", *TODAY, env=env)
    assert r.exit_code == 1, r.output
    assert "dangling-reference" in r.stdout
    r = run("validate", "--data", "data", *TODAY, env=env)
    assert r.exit_code == 0, r.output


def test_local_data_folder_is_the_default(make_dataset, monkeypatch):
    ds = make_dataset(statements=DANGLING)
    monkeypatch.chdir(ds.root)
    r = run("validate", "--format", "text", *TODAY)
    assert r.exit_code == 1, r.output
    assert r.stdout.startswith("data/statements.yaml:4:14: error dangling-reference")


def test_shipped_dataset_when_there_is_no_local_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("validate", "--format", "text")
    assert r.exit_code == 0, r.output
    named, summary = r.stderr.splitlines()[:2]
    assert named.startswith("dataset: ") and named.endswith("(the record shipped with the package)")
    assert summary.startswith("0 errors, ")  # the source-kind warnings (see below)
    assert "in 0 valid records" not in r.stderr


def test_shipped_data_validates():
    r = run("validate", "--data", str(REPO / "data"), "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] is True
    # the only warnings are the source-kind ones, left for the record job to act on, and the
    # affiliates rule's suspension, whose end passed with nothing recorded after it
    assert {p["rule"] for p in out["problems"]} <= {
        "official-text-source",
        "lone-copy-source",
        "suspension-end-unknown",
    }


def test_module_entry_point_runs_in_a_real_process():
    r = run_process(
        "validate", "--data", REPO / "data", "--format", "text", env={"NO_COLOR": "1"}, text=True
    )
    assert r.returncode == 0, r.stderr
    assert "error" not in r.stdout
    assert r.stderr.startswith("0 errors, ")


def test_version():
    r = run("--version")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("export-alignment ")


# --- untrusted text -------------------------------------------------------------------------

HOSTILE_KEY = replace_once(
    STATEMENTS,
    "    stance: positive\n",
    '    stance: positive\n    "[bold]\\e[2J\\e]0;owned\\a\\u202e": 1\n',
)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_hostile_key_never_reaches_the_terminal_raw(make_dataset, fmt):
    ds = make_dataset(statements=HOSTILE_KEY)
    r = run("validate", "--data", str(ds.data), "--format", fmt, *TODAY)
    assert r.exit_code == 1, r.output
    for raw in ("\x1b", "\x07", "\u202e"):
        assert raw not in r.output
    if fmt == "json":
        message = json.loads(r.stdout)["problems"][0]["message"]
        assert message.startswith("unknown field '[bold]")
    else:
        assert "unknown field '[bold]\\x1b[2J" in r.stdout  # markup printed as text


def test_hostile_summary_and_id(make_dataset):
    text = replace_once(
        STATEMENTS,
        "summary: Campbell called the talks with Japan productive.",
        'summary: "[bold red]loud[/] \\e[31m\\x9b2J"',
    )
    text = replace_once(text, "id: campbell-talks", 'id: "[blink]\\e[5m"')
    ds = make_dataset(statements=text)
    r = run("validate", "--data", str(ds.data), "--format", "text", *TODAY)
    assert r.exit_code == 1, r.output
    assert "\x1b" not in r.output and "\x9b" not in r.output
    assert r.stdout.startswith(f"{ds.data / 'statements.yaml'}:2:9: error schema id:")


def test_hostile_folder_name_is_escaped(make_dataset, tmp_path):
    ds = make_dataset(statements=DANGLING, root=tmp_path / "x\x1b[2Jy")
    for fmt in ("text", "github", "json"):
        r = run("validate", "--data", str(ds.data), "--format", fmt, *TODAY)
        assert r.exit_code == 1, r.output
        assert "\x1b" not in r.output


def test_hostile_usage_error_is_escaped(tmp_path):
    r = run("validate", "--data", str(tmp_path / "no\x1b[2Jwhere"), "--format", "[bold]\x1b")
    assert r.exit_code == 2, r.output
    assert "\x1b" not in r.output
    assert "[bold]" in r.stderr


def test_text_reporter_escapes_control_characters_and_markup_in_any_message():
    # messages quote data with repr() today; the reporter must not rely on that
    console = Console(file=io.StringIO(), force_terminal=False, width=200)
    problem = Problem("s\x1b.yaml", 1, 2, "rule", Level.ERROR, "[bold]x[/bold]\x1b[2J\x9b\n\u202e")
    print_problems(console, [problem])
    assert console.file.getvalue() == (
        "s\\x1b.yaml:1:2: error rule [bold]x[/bold]\\x1b[2J\\x9b\\x0a\\u202e\n"
    )


# --- schema ---------------------------------------------------------------------------------


def test_schema_writes_three_draft_07_files_and_the_output_schemas(tmp_path):
    out = tmp_path / "schemas"
    r = run("schema", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "actors.schema.json",
        "controls.schema.json",
        "output",
        "statements.schema.json",
    ]
    assert sorted(p.name for p in (out / "output").iterdir()) == [
        f"{name}.schema.json"
        for name in ("explain", "export", "list", "site-api", "status", "timeline")
    ]
    for name in ("actors", "controls", "statements"):
        schema = json.loads((out / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert schema["type"] == "object"
        assert name in schema["properties"]
        assert set(schema["properties"]) <= {name, "scope_items"}
        assert schema["additionalProperties"] is False
        assert "$defs" not in json.dumps(schema)  # draft-07 keeps them under definitions
        assert f"{name}.schema.json" in r.stdout


def test_schema_validates_shipped_data(tmp_path):
    import jsonschema  # in the test extra

    from export_alignment.loader import load_file

    r = run("schema", "-o", str(tmp_path))
    assert r.exit_code == 0, r.output
    for name in ("actors", "controls", "statements"):
        schema = json.loads((tmp_path / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        validator = jsonschema.Draft7Validator(schema)
        data = load_file(REPO / "data" / f"{name}.yaml").data
        assert list(validator.iter_errors(data)) == []
        first = dict(data[name][0], unexpected="x")
        assert not validator.is_valid({name: [first]})


def test_schema_into_a_file_exits_2(tmp_path):
    target = tmp_path / "taken"
    target.write_text("", encoding="utf-8")
    r = run("schema", "-o", str(target))
    assert r.exit_code == 2, r.output
    assert "not a folder" in r.stderr


def test_schema_without_output_exits_2():
    r = run("schema")
    assert r.exit_code == 2, r.output
