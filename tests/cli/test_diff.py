"""``diff``: the stages at a git revision against the working tree."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt

from export_alignment.history_report import markdown_text
from world import add_control_args, commit_all, git, run, write_commented

MEASURE = add_control_args()


@pytest.fixture
def repo(tmp_path):
    data = write_commented(tmp_path)
    commit_all(tmp_path, "dataset")
    r = run("add", "control", "--data", data, *MEASURE)
    assert r.exit_code == 0, r.output
    git(tmp_path, "commit", "-qam", "Japan's ordinance")
    return data


def diff(data, *args):
    return run("diff", *args, "--data", data, "--as-of", "2023-08-01")


def test_the_last_commit_moves_japan_to_in_force(repo):
    r = diff(repo, "HEAD~1", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["rev"] == "HEAD~1" and len(out["commit"]) == 40 and out["as_of"] == "2023-08-01"
    [jp] = out["allies"]
    assert jp["id"] == "jp" and jp["stage_changed"] is True
    assert jp["headline_changed"] is True
    assert jp["before"] == {
        "stage": "negotiating",
        "since": "2023-01-10",
        "flags": [],
        "coverage": "in force on 0 of 1 item",
        "verdict": "negotiating",
        "headline": "negotiating: none of 1 item in force",
    }
    assert jp["after"] == {
        "stage": "in_force",
        "since": "2023-07-23",
        "flags": [],
        "coverage": "in force on 1 of 1 item",
        "verdict": "in_force",
        "headline": "in force: 1 of 1 item",
    }
    assert out["to"] is None  # the working tree
    assert [c["id"] for c in jp["controls"]] == ["us-rule"]
    assert out["records"]["controls"] == {
        "added": ["jp-2023-03-31-ordinance"],
        "removed": [],
        "changed": [],
    }
    assert out["records"]["statements"] == {"added": [], "removed": [], "changed": []}
    assert out["old_errors"] == 0


def test_text_and_markdown_say_the_same(repo):
    r = diff(repo, "HEAD~1")
    assert r.exit_code == 0, r.output
    assert (
        "jp (Japan): negotiating: none of 1 item in force -> in force: 1 of 1 item; stage "
        "negotiating since 2023-01-10 -> in_force since 2023-07-23" in r.output
    )
    assert "controls added: jp-2023-03-31-ordinance" in r.output
    r = diff(repo, "HEAD~1", "--format", "markdown")
    assert r.exit_code == 0, r.output
    tokens = MarkdownIt("commonmark").enable("table").parse(r.output)
    cells = [t.content for t in tokens if t.type == "inline"]
    plain = [c.replace("\\", "") for c in cells]
    assert "**Japan** (jp)" in cells and "**in force: 1 of 1 item**" in plain
    assert "negotiating since 2023-01-10 → in_force since 2023-07-23" in plain
    html = MarkdownIt("commonmark").enable("table").render(r.output)
    assert "<strong>in force: 1 of 1 item</strong>" in html


def test_no_change_against_head(repo):
    r = diff(repo)
    assert r.exit_code == 0, r.output
    assert "no verdict, coverage, stage or flag changes" in r.output
    assert "no records added, removed or changed" in r.output


def _second_item(repo) -> None:
    """Widen the US rule by an item Japan has nothing on: its stage stays in force, its
    coverage falls to 1 of 2 items and its verdict to largely in force."""
    path = repo / "controls.yaml"
    text = path.read_text()
    sme = "      - semiconductor-manufacturing-equipment\n"
    path.write_text(text.replace(sme, sme + "      - advanced-computing-chips\n", 1))


def test_a_coverage_change_shows_in_every_format_when_the_stage_is_unchanged(repo):
    _second_item(repo)
    r = diff(repo, "--format", "json")
    assert r.exit_code == 0, r.output
    jp = next(a for a in json.loads(r.output)["allies"] if a["id"] == "jp")
    assert (jp["stage_changed"], jp["headline_changed"]) == (False, True)
    assert (jp["before"]["headline"], jp["after"]["headline"]) == (
        "in force: 1 of 1 item",
        "largely in force: 1 of 2 items",
    )
    r = diff(repo)
    assert r.exit_code == 0, r.output
    assert (
        "jp (Japan): in force: 1 of 1 item -> largely in force: 1 of 2 items; stage in_force "
        "since 2023-07-23 (unchanged)" in r.output
    )
    r = diff(repo, "--format", "markdown")
    assert r.exit_code == 0, r.output
    assert "| in force: 1 of 1 item | **largely in force: 1 of 2 items** |" in r.output


def test_two_revisions_are_compared(repo):
    _second_item(repo)
    git(repo.parent, "commit", "-qam", "a second item")
    r = diff(repo, "HEAD~2", "HEAD~1", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["to"] == "HEAD~1"
    jp = next(a for a in out["allies"] if a["id"] == "jp")
    assert (jp["before"]["headline"], jp["after"]["headline"]) == (
        "negotiating: none of 1 item in force",
        "in force: 1 of 1 item",
    )
    r = diff(repo, "HEAD~1", "HEAD")
    assert r.exit_code == 0, r.output
    assert "-> HEAD (" in r.output.splitlines()[0]
    assert "largely in force: 1 of 2 items" in r.output
    r = diff(repo, "HEAD", "no-such-revision")
    assert r.exit_code == 2, r.output


def test_working_tree_edits_count(repo):
    path = repo / "statements.yaml"
    path.write_text(path.read_text().replace("stance: positive", "stance: neutral"))
    r = diff(repo, "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["allies"] == []
    assert out["records"]["statements"]["changed"] == ["tanaka-2023-01-10"]


def test_unknown_revision_and_no_repository_are_usage_errors(repo, tmp_path_factory):
    r = diff(repo, "no-such-branch")
    assert r.exit_code == 2, r.output
    assert "unknown git revision" in r.output
    r = diff(repo, "--upload-pack=evil")
    assert r.exit_code == 2, r.output
    elsewhere = write_commented(tmp_path_factory.mktemp("plain"))
    r = diff(elsewhere)
    assert r.exit_code == 2, r.output
    assert "not inside a git working tree" in r.output
    r = diff(repo, "--format", "html")
    assert r.exit_code == 2, r.output


def test_invalid_working_tree_exits_1(repo):
    path = repo / "statements.yaml"
    path.write_text(path.read_text().replace("speaker: taro-tanaka", "speaker: nobody"))
    r = diff(repo, "HEAD~1")
    assert r.exit_code == 1, r.output
    assert "dangling-reference" in r.output


def test_markdown_escapes_data_strings(repo):
    hostile = "<script>x</script> *b* [l](http://e.x) `c` | d_e_ &amp;"
    path = repo / "actors.yaml"
    path.write_text(path.read_text().replace("name: Japan", f"name: '{hostile}'"))
    r = diff(repo, "HEAD~1", "--format", "markdown")
    assert r.exit_code == 0, r.output
    html = MarkdownIt("commonmark").enable("table").render(r.output)
    assert "<script>" not in html and "<em>" not in html and "<a " not in html
    assert "<code>" not in html
    header_cells = html.count("<th>")
    assert header_cells == 6 + 4  # the table bar inside the name did not add a column
    text = MarkdownIt("commonmark").parse(markdown_text(hostile))
    inline = [t for t in text if t.type == "inline"][0]
    assert "".join(c.content for c in inline.children) == hostile


def test_every_format_names_the_errors_of_the_revision_compared(repo):
    path = repo / "statements.yaml"
    good = path.read_text()
    path.write_text(good.replace("speaker: taro-tanaka", "speaker: taro-tanaka\n    <b>x: y"))
    git(repo.parent, "commit", "-qam", "an unknown field")
    path.write_text(good)  # the working tree is valid again; HEAD is not
    r = diff(repo, "HEAD", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["old_errors"] == 1
    [problem] = out["old_problems"]
    assert (problem["path"], problem["rule"]) == ("HEAD:statements.yaml", "unknown-field")
    assert "'<b>x'" in problem["message"] and problem["line"] > 1
    r = diff(repo, "HEAD")
    assert r.exit_code == 0, r.output
    assert "has 1 error(s)" in r.output
    assert (
        f"  HEAD:statements.yaml:{problem['line']}:{problem['column']}: error unknown-field "
        in r.output
    )
    r = diff(repo, "HEAD", "--format", "markdown")
    assert r.exit_code == 0, r.output
    html = MarkdownIt("commonmark").render(r.output)
    assert "<li>HEAD:statements.yaml:" in html and "unknown-field" in html and "<b>" not in html


def test_a_comparison_lists_at_most_five_of_the_revisions_errors(repo):
    path = repo / "statements.yaml"
    good = path.read_text()
    broken = good.replace("speaker: taro-tanaka", "speaker: nobody")
    broken = broken.replace("about: jp", "about: nowhere")
    path.write_text(broken + "\n".join(f"bad{i}: x" for i in range(6)) + "\n")
    git(repo.parent, "commit", "-qam", "many errors")
    path.write_text(good)
    out = json.loads(diff(repo, "HEAD", "--format", "json").output)
    assert out["old_errors"] == len(out["old_problems"]) > 5
    r = diff(repo, "HEAD")
    assert r.exit_code == 0, r.output
    assert f"  and {len(out['old_problems']) - 5} more" in r.output
