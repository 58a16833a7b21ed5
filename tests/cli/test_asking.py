"""Precise asking and listing: ``list``, explain's links and JSON, one ``--format``
on every reporting command, ``--ally`` lists and names, partial ``--as-of``, option errors in the
tool's words, ``-o -`` and missing folders."""

from __future__ import annotations

import csv
import io
import json

import pytest

from world import STATEMENTS, replace_once, run

LINKED = replace_once(
    STATEMENTS,
    "      document: seeds/article.txt\n",
    "      document: seeds/article.txt\n      url: https://example.org/talks\n",
)


@pytest.fixture
def data(make_dataset):
    return make_dataset(statements=LINKED).data


# --- list -------------------------------------------------------------------------------------


def test_list_allies_as_text_json_and_csv(data):
    r = run("list", "allies", "--data", data, code=0)
    assert [line.split()[:2] for line in r.stdout.splitlines()] == [
        ["jp", "Japan"],
        ["nl", "Netherlands"],
    ]
    doc = json.loads(run("list", "allies", "--format", "json", "--data", data, code=0).stdout)
    assert [a["id"] for a in doc["allies"]] == ["jp", "nl"]
    assert doc["dataset"]["found_by"] == "option"
    rows = list(
        csv.DictReader(io.StringIO(run("list", "allies", "-f", "csv", "--data", data).stdout))
    )
    assert [(r["id"], r["name"]) for r in rows] == [("jp", "Japan"), ("nl", "Netherlands")]


@pytest.mark.parametrize(
    ("kind", "ids"),
    [
        ("actors", ["us", "jp", "nl", "cn", "kurt-campbell"]),
        ("controls", ["us-rule"]),
        ("statements", ["campbell-talks"]),
    ],
)
def test_list_each_kind_gives_its_ids(data, kind, ids):
    doc = json.loads(run("list", kind, "--json", "--data", data, code=0).stdout)
    assert [r["id"] for r in doc[kind]] == ids


def test_list_statements_filters_by_ally_control_and_dates(data):
    def ids(*args):
        doc = json.loads(run("list", "statements", "--json", *args, "--data", data, code=0).stdout)
        return [s["id"] for s in doc["statements"]]

    assert ids("--ally", "Japan") == ["campbell-talks"]
    assert ids("--ally", "nl") == []
    assert ids("--control", "us-rule") == ["campbell-talks"]
    assert ids("--since", "2023-01") == ["campbell-talks"]
    assert ids("--since", "2023-02") == []
    assert ids("--until", "2022") == []
    assert ids("--since", "2023", "--until", "2023-01") == ["campbell-talks"]


def test_list_refuses_an_unknown_kind_in_its_own_words(data):
    r = run("list", "bananas", "--data", data, code=2)
    assert "'bananas' is not one of allies, actors, controls, scope, statements" in r.stderr


# --- explain: links and JSON ------------------------------------------------------------------


def test_explain_shows_each_sources_address_and_archived_copy(data):
    r = run("explain", "jp", "--as-of", "2024-01-01", "--data", data, env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "https://example.org/talks" in r.stdout
    assert "archived: seeds/article.txt" in r.stdout


@pytest.mark.parametrize("flag", [["--json"], ["--format", "json"], ["-f", "json"]])
def test_explain_json_carries_the_chain_and_its_sources(data, flag):
    r = run("explain", "jp", *flag, "--as-of", "2024-01-01", "--data", data, code=0)
    doc = json.loads(r.stdout)
    assert doc["ally"]["id"] == "jp" and doc["ally"]["stage"] == "negotiating"
    (pair,) = doc["ally"]["controls"]
    (evidence,) = pair["evidence"]
    assert evidence["id"] == "campbell-talks"
    assert evidence["sources"][0]["url"] == "https://example.org/talks"
    assert evidence["sources"][0]["document"] == "seeds/article.txt"


# --- one --format ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["status", "--as-of", "2024-01-01"], ["timeline"], ["explain", "jp"], ["list", "scope"]],
)
def test_every_reporting_command_takes_format_json(data, command):
    r = run(*command, "--format", "json", "--data", data, code=0)
    assert json.loads(r.stdout)["dataset"]["found_by"] == "option"


def test_status_and_timeline_as_csv(data):
    r = run("status", "--format", "csv", "--as-of", "2024-01-01", "--data", data, code=0)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(r["ally"], r["stage"]) for r in rows if not r["control"]] == [
        ("jp", "negotiating"),
        ("nl", "none"),
    ]
    r = run("timeline", "-f", "csv", "--as-of", "2024-01-01", "--data", data, code=0)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(r["ally"], r["change"], r["to"], r["evidence"]) for r in rows] == [
        ("jp", "stage", "negotiating", "campbell-talks"),
        ("jp", "verdict", "negotiating", ""),  # the verdict's change, the same day
    ]


@pytest.mark.parametrize("command", [["status"], ["timeline"], ["explain", "jp"], ["list"]])
def test_an_unknown_format_is_refused_in_the_tools_words(data, command):
    r = run(*command, "--format", "yaml", "--data", data, code=2)
    assert "--format must be one of" in r.stderr


# --- --ally -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["--ally", "jp,nl"], ["--ally", "JP", "--ally", "Netherlands"], ["--ally", " japan , NL "]],
)
def test_ally_takes_comma_lists_and_names_in_any_case(data, args):
    doc = json.loads(run("status", "--json", *args, "--data", data, code=0).stdout)
    assert [a["id"] for a in doc["allies"]] == ["jp", "nl"]


def test_explain_takes_an_allys_name(data):
    r = run("explain", "Japan", "--as-of", "2024-01-01", "--data", data, code=0)
    assert r.stdout.startswith("Japan: ")


@pytest.mark.parametrize(
    "args",
    [
        ["status", "japan", "--json"],
        ["status", "--ally", "JP", "--json"],
        ["explain", "--ally", "japan", "--format", "json"],
        ["explain", "JP", "--format", "json"],
        ["timeline", "Japan", "--json"],
        ["timeline", "--ally", "jp", "--json"],
    ],
    ids=" ".join,
)
def test_one_ally_convention_positional_or_option_ids_or_names(data, args):
    doc = json.loads(run(*args, "--data", data, code=0).stdout)
    ids = [doc["ally"]["id"]] if "ally" in doc else [a["id"] for a in doc["allies"]]
    assert ids == ["jp"]


def test_brief_takes_the_ally_as_an_argument_too(data):
    r = run("brief", "Japan", "--summary", "--data", data, code=0)
    assert "- Japan: " in r.stdout and "- Netherlands: " not in r.stdout


def test_explain_without_an_ally_says_how_to_name_one(data):
    r = run("explain", "--data", data, code=2)
    assert "explain needs an ally" in r.stderr


def test_a_misspelt_ally_gets_a_suggestion(data):
    r = run("status", "--ally", "japn", "--data", data, code=2)
    assert "no ally 'japn' in the record (did you mean jp?)" in r.stderr


# --- dates and numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "day"), [("2023-01", "2023-01-31"), ("2023", "2023-12-31")])
def test_as_of_takes_partial_dates_from_their_last_day(data, value, day):
    doc = json.loads(run("status", "--json", "--as-of", value, "--data", data, code=0).stdout)
    assert doc["as_of"] == day
    assert doc["allies"][0]["stage"] == "negotiating"  # the talks of 2023-01-13 count


def test_a_partial_as_of_counts_only_what_certainly_happened(data):
    doc = json.loads(run("status", "--json", "--as-of", "2022-12", "--data", data, code=0).stdout)
    assert doc["allies"][0]["stage"] == "none"


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "-3"])
def test_stale_days_errors_are_in_the_tools_words(data, value):
    r = run("status", "--stale-days", value, "--data", data, code=2)
    assert "--stale-days:" in r.stderr
    assert "Input should be" not in r.output  # not pydantic's wording


# --- -o -------------------------------------------------------------------------------------


def test_brief_dash_o_dash_writes_to_stdout(data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("brief", "--as-of", "2024-01-01", "-o", "-", "--data", data, code=0)
    assert r.stdout.startswith("# ")
    assert not (tmp_path / "-").exists()


def test_brief_o_creates_missing_folders_like_schema(data, tmp_path):
    target = tmp_path / "new" / "deeper" / "brief.md"
    run("brief", "--as-of", "2024-01-01", "-o", target, "--data", data, code=0)
    assert target.read_text(encoding="utf-8").startswith("# ")
    run("schema", "-o", tmp_path / "other" / "schemas", code=0)
    assert (tmp_path / "other" / "schemas").is_dir()


def test_export_o_dash_writes_json_to_stdout_and_o_creates_folders(data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("export", "-f", "json", "-o", "-", "--as-of", "2024-01-01", "--data", data, code=0)
    assert json.loads(r.stdout)["as_of"] == "2024-01-01"
    assert not (tmp_path / "-").exists()
    run("export", "-f", "csv", "-o", "-", "--data", data, code=2)
    target = tmp_path / "new" / "deeper" / "record.json"
    run("export", "-f", "json", "-o", target, "--as-of", "2024-01-01", "--data", data, code=0)
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == "2024-01-01"
