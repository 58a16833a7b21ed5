"""The Markdown brief: structure (parsed with markdown-it-py), a snapshot, hostile data, the CLI."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import world
from export_alignment import escape
from export_alignment.brief import (
    build_brief,
    link_target,
    markdown_link,
    markdown_text,
    mermaid_label,
)
from export_alignment.checks import validate
from export_alignment.datadir import shipped_root
from world import REPO, SNAPSHOTS, run, run_process
from world.markdown import md, walk

SHIPPED = REPO / "data"


def invoke(args: list[str], **kwargs):
    return run(*args, **kwargs)


def tables(tokens) -> list[list[list[str]]]:
    """Each table as rows of cell texts (header row first)."""
    out, rows, row, in_cell = [], None, None, False
    for t in tokens:
        if t.type == "table_open":
            rows = []
        elif t.type == "table_close":
            out.append(rows)
            rows = None
        elif t.type == "tr_open":
            row = []
        elif t.type == "tr_close":
            rows.append(row)
        elif t.type in ("th_open", "td_open"):
            in_cell = True
        elif t.type in ("th_close", "td_close"):
            in_cell = False
        elif t.type == "inline" and in_cell:
            row.append(inline_text(t))
    return out


def inline_text(token) -> str:
    return "".join(c.content for c in token.children or () if c.type in ("text", "code_inline"))


def check_safe(tokens) -> None:
    """No raw HTML anywhere and no link but to an http(s) address."""
    for t in walk(tokens):
        assert t.type not in ("html_inline", "html_block"), t
        if t.type == "link_open":
            assert t.attrGet("href").lower().startswith(("http://", "https://")), t.attrs
        assert t.type != "image", t


def check_footnotes(text: str, data_has_brackets: bool = False) -> None:
    """Every footnote referenced is defined, and every one defined is referenced."""
    env: dict = {}
    tokens = md().parse(text, env)
    refs = {t.meta["label"] for t in walk(tokens) if t.type == "footnote_ref"}
    defined = {label.removeprefix(":") for label in env.get("footnotes", {}).get("refs", {})}
    assert refs, "no footnote referenced"
    assert refs == defined
    # a reference to an undefined label would stay text
    assert data_has_brackets or not any("[^" in t.content for t in walk(tokens) if t.type == "text")
    rendered = [t.meta["label"] for t in tokens if t.type == "footnote_open"]
    assert rendered == sorted(rendered, key=int) == [str(i) for i in range(1, len(refs) + 1)]


def check_summary_table(tokens, n_allies: int) -> list[list[str]]:
    table = tables(tokens)[0]
    header, body = table[0], table[1:]
    assert header == ["Ally", "Verdict", "Since", "Flags", "Latest evidence", "Furthest stage"]
    assert len(body) == n_allies
    for row in table:
        assert len(row) == len(header), row
    return table


# --- the shipped record -------------------------------------------------------------------------


AS_OF, SINCE = date(2023, 1, 25), date(2023, 1, 15)


@pytest.fixture(scope="module")
def shipped_dataset():
    data = SHIPPED if SHIPPED.is_dir() else shipped_root() / "data"
    result = validate(data)
    assert result.ok, result.problems
    return result.dataset


@pytest.fixture(scope="module")
def shipped_brief(shipped_dataset) -> str:
    return build_brief(shipped_dataset, world.asked(AS_OF), SINCE)


def test_shipped_brief_structure(shipped_brief, shipped_dataset):
    text = shipped_brief
    tokens = md().parse(text)
    allies = [a.name for a in shipped_dataset.allies()]
    table = check_summary_table(tokens, len(allies))
    assert [row[0] for row in table[1:]] == allies
    rows = {row[0]: row for row in table[1:]}
    assert rows["Japan"][1] == rows["Netherlands"][1] == "negotiating: none of 3 items in force"
    assert rows["Japan"][5] == "negotiating since 4 November 2022"
    # the seed's unnamed Dutch official is the trade minister, named by Reuters: on record, so
    # the Netherlands is contested (from 15 January 2023); Japan has no reservation by then
    assert "contested" in rows["Netherlands"][3]
    assert "contested" not in rows["Japan"][3]
    check_footnotes(text)
    check_safe(tokens)
    fences = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    assert len(fences) == len(allies)
    assert all(f.content.startswith("flowchart LR\n") for f in fences)
    assert '-->|"2023-01-13"|' not in fences[0].content  # Japan negotiated before 13 January
    headings = [
        inline_text(tokens[i + 1])
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and t.tag == "h2"
    ]
    assert headings == ["What changed since 15 January 2023", *allies, "Sources"]


def test_shipped_brief_words(shipped_brief):
    assert shipped_brief.startswith("# Export-control alignment brief as of 25 January 2023\n")
    assert "- Japan: negotiating: none of 3 items in force, since 4 November 2022." in shipped_brief
    # the seed's "senior Dutch trade official" is the trade minister, named by Reuters (2026 record)
    assert "a reservation on 15 January 2023 by Liesje Schreinemacher" in shipped_brief
    # statements that share an event are one event reported by several statements
    assert "one event (biden-kishida-meeting-2023-01-13) reported in" in shipped_brief
    assert "Quote: “extremely fruitful”" in shipped_brief


def test_brief_is_deterministic_across_processes(shipped_dataset):
    """Two processes with different hash seeds (set and dict orders of strings differ between
    them) write the same brief, byte for byte; a hash-order bug shows here and not in one
    process."""
    data = SHIPPED if SHIPPED.is_dir() else shipped_root() / "data"
    args = ["brief", "--as-of", AS_OF.isoformat(), "--since", SINCE.isoformat(), "--data", data]
    outputs = []
    for seed in ("1", "2"):
        done = run_process(*args, env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].decode("utf-8") == build_brief(shipped_dataset, world.asked(AS_OF), SINCE)


def test_partial_dates_count_from_their_last_day(shipped_dataset):
    text = build_brief(shipped_dataset, world.asked(date(2023, 1, 20)))
    assert "22 January 2023" not in text.split("## Sources")[0]


# --- a small fixture: snapshot and features -------------------------------------------------------


SEED_TEXT = 'The minister told reporters the review was "moving at pace" and would finish soon.\n'


def write_brief_world(root: Path, actors=None, statements=None, seed: str = SEED_TEXT) -> Path:
    """The brief's fixture (any part replaced), written by the one dataset writer."""
    return world.write_dataset(
        root,
        FIXTURE_STATEMENTS if statements is None else statements,
        controls=FIXTURE_CONTROLS,
        actors=FIXTURE_ACTORS if actors is None else actors,
        seeds={"doc.txt": seed},
        indent=1,
        ensure_ascii=False,
    )


def source(publisher, published, tier, url=None, document=None, title=None):
    out = {"publisher": publisher, "published": published, "tier": tier}
    if url:
        out["url"] = url
    if document:
        out["document"] = document
    if title:
        out["title"] = title
    return out


def statement(id, day, speaker, about, signal, summary, src, **extra):
    """A statement on the first US rule, through the one statement builder."""
    return world.statement(
        id,
        day,
        signal,
        about=about,
        controls=["us-rule-1"],
        speaker=speaker,
        summary=summary,
        source=src,
        **extra,
    )


FIXTURE_ACTORS = [
    *(state for state in world.STATES if state["role"] != "ally"),  # the US and China
    {"id": "aa", "name": "Atlantis", "kind": "state", "role": "ally"},
    {"id": "bb", "name": "Borduria", "kind": "state", "role": "ally"},
    {"id": "cc", "name": "Carpathia", "kind": "state", "role": "ally"},
    {
        "id": "us-envoy",
        "name": "Ann Envoy",
        "kind": "person",
        "title": "Special Envoy",
        "represents": "us",
    },
    {
        "id": "aa-minister",
        "name": "Bo Minister",
        "kind": "person",
        "title": "Trade Minister of Atlantis",
        "represents": "aa",
    },
    {
        "id": "bb-official",
        "name": "Cy Official",
        "kind": "person",
        "title": "Deputy Trade Minister of Borduria",
        "represents": "bb",
    },
    {"id": "wire", "name": "Wire Service", "kind": "media"},
]
FIXTURE_CONTROLS = [
    {
        "id": "us-rule-1",
        "issuer": "us",
        "title": "Advanced chips rule",
        "kind": "rule",
        "target": "cn",
        "scope": ["advanced-computing-chips", "semiconductor-manufacturing-equipment"],
        "announced": "2022-10-07",
        "published": "2022-10-13",
        "effective": "2022-10-07",
        "source": {
            "url": "https://example.gov/rule-1",
            "title": "Advanced chips rule",
            "citation": "1 FR 100",
            "publisher": "Register",
        },
    },
    {
        "id": "us-rule-2",
        "issuer": "us",
        "title": "Chips rule update",
        "kind": "rule",
        "target": "cn",
        "scope": ["advanced-computing-chips"],
        "announced": "2023-10-17",
        "source": {
            "url": "https://example.gov/rule-2",
            "title": "Chips rule update",
            "publisher": "Register",
        },
    },
    {
        "id": "aa-ordinance",
        "issuer": "aa",
        "title": "Atlantis equipment ordinance",
        "kind": "ordinance",
        "target": "cn",
        "scope": ["semiconductor-manufacturing-equipment"],
        "announced": "2023-03-31",
        "published": "2023-05-23",
        "effective": "2023-07-23",
        "aligns_with": ["us-rule-1"],
        "source": {
            "url": "https://example.aa/ordinance",
            "title": "Ordinance 1",
            "publisher": "Atlantis Gazette",
        },
    },
]
FIXTURE_STATEMENTS = [
    statement(
        "envoy-raises-aa",
        "2022-12-01",
        "us-envoy",
        ["aa"],
        "raised",
        "The envoy pressed Atlantis to match the rule.",
        source("Wire A", "2022-12-01", "on_record", url="https://wire-a.example/1"),
        event="envoy-visit",
    ),
    statement(
        "envoy-raises-aa-b",
        "2022-12-01",
        "us-envoy",
        ["aa"],
        "raised",
        "Second report of the same visit.",
        source("Wire B", "2022-12-02", "on_record", url="https://wire-b.example/2"),
        event="envoy-visit",
    ),
    statement(
        "aa-minister-review",
        "2023-01",
        "aa-minister",
        ["aa"],
        "talks",
        "The minister said Atlantis was reviewing the rule.",
        source("Daily Atlantis", "2023-01", "on_record", document="seeds/doc.txt"),
        quote="moving at pace",
        date_note="The report gives the month only.",
    ),
    statement(
        "bb-talks",
        "2023-01-20",
        "bb-official",
        ["bb"],
        "talks",
        "The deputy minister confirmed talks.",
        source("Wire A", "2023-01-20", "on_record", url="https://wire-a.example/3"),
    ),
    statement(
        "bb-deal-rumour",
        "2023-02-10",
        "wire",
        ["bb"],
        "agreement",
        "People familiar with the talks said a deal had been struck.",
        source("Wire A", "2023-02-10", "anonymous", url="https://wire-a.example/4"),
    ),
    statement(
        "bb-reservation",
        "2023-03-01",
        "bb-official",
        ["bb"],
        "reservation",
        "The deputy minister said Borduria would not copy the rule.",
        source("Wire B", "2023-03-01", "on_record", url="https://wire-b.example/5"),
    ),
]


@pytest.fixture
def fixture_data(tmp_path) -> Path:
    return write_brief_world(tmp_path)


def brief_of(
    data: Path, as_of: date, since: date | None = None, allies: tuple[str, ...] = ()
) -> str:
    result = validate(data, date(2024, 6, 30))
    assert result.ok, [str(p) for p in result.problems]
    return build_brief(result.dataset, world.asked(as_of, *allies), since)


def test_snapshot(fixture_data):
    text = brief_of(fixture_data, date(2024, 6, 30), since=date(2023, 3, 15))
    snapshot = SNAPSHOTS / "brief_fixture.md"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}; run with UPDATE_SNAPSHOTS=1"
    assert text == snapshot.read_text(encoding="utf-8")


def test_fixture_structure(fixture_data):
    text = brief_of(fixture_data, date(2024, 6, 30), since=date(2023, 3, 15))
    tokens = md().parse(text)
    table = check_summary_table(tokens, 3)
    assert [r[:3] + r[5:] for r in table[1:]] == [
        [
            "Atlantis",
            "largely in force: 1 of 2 items",
            "23 July 2023",
            "in_force since 23 July 2023",
        ],
        [
            "Borduria",
            "negotiating: none of 2 items in force",
            "20 January 2023",
            "negotiating since 20 January 2023",
        ],
        ["Carpathia", "no evidence: none of 2 items in force", "—", "none"],
    ]
    assert table[1][3] == "partial"
    # its anonymous report (10 February 2023) is older than the staleness window by then
    assert table[2][3] == "contested, partial, stale"
    check_footnotes(text)
    check_safe(tokens)
    assert len([t for t in tokens if t.type == "fence" and t.info == "mermaid"]) == 3
    # one event, two sources
    assert "one event (envoy-visit) reported in 2 statements from 2 sources" in text
    # caveats name the claimed stage and the partial control
    # (the anonymous claim is shown while within the staleness window: a brief of June 2023)
    within = brief_of(fixture_data, date(2023, 6, 30))
    assert "claims **agreement**" not in within
    assert "an anonymous report on 10 February 2023 claims **agreed**" in within
    assert "an anonymous report on 10 February 2023 claims" not in text
    assert "lower on Chips rule update (none)" in text
    # what changed: three stage changes for Atlantis after 15 March 2023
    changed = text.split("## What changed since 15 March 2023")[1].split("\n## ")[0]
    assert "Stage negotiating → **announced** on 31 March 2023" in changed
    assert "Stage adopted → **in\\_force** on 23 July 2023" in changed
    assert "No stage change and no new evidence; still none." in changed
    assert "Newly flagged: partial, stale" in changed
    assert "No longer flagged: unconfirmed\\_report" in changed


def test_partial_date_in_what_changed(fixture_data):
    text = brief_of(fixture_data, date(2023, 2, 1), since=date(2023, 1, 10))
    assert "New evidence, January 2023, counted from 31 January 2023" in text


def test_brief_for_chosen_allies(fixture_data):
    text = brief_of(fixture_data, date(2024, 6, 30), allies=("bb",))
    tokens = md().parse(text)
    table = check_summary_table(tokens, 1)
    assert table[1][0] == "Borduria"
    check_footnotes(text)


# --- hostile data -------------------------------------------------------------------------------

HOSTILE = (
    "pipes | and\nnewlines <b>bold</b> [bold] <script>alert(1)</script> `code` "
    "*em* _u_ ~~s~~ ![img](javascript:alert(1)) [link](javascript:alert(1)) "
    "<https://evil.example> https://bare.example www.evil.example a@b.example "
    "&amp; &#124; \\| [^1] $x$ @someone"
)
HOSTILE_LEADING = [
    "# heading",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. item",
    "2) item",
    "    code",
    "```",
    "~~~",
    "---",
    "===",
    "<div>",
    "| a | b |",
    "[^1]: x",
]


@pytest.mark.parametrize("text", [HOSTILE, *HOSTILE_LEADING, "a\n\n# b\n> c", "\x1b[31mred"])
def test_markdown_text_renders_as_text(text):
    escaped = markdown_text(text)
    assert "\n" not in escaped
    tokens = md().parse(escaped)
    check_safe(tokens)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    expected = " ".join(text.split()).replace("\x1b", "\\x1b")
    assert inline_text(tokens[1]) == expected
    # text, but an "@" after a word is a code span (no e-mail autolink on GitHub: issue 15, F14)
    assert all(
        c.type == "text" or (c.type == "code_inline" and c.content == "@")
        for c in tokens[1].children
    )


PLAIN = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\`*_{}[]()#+-.!~$@<>&|:;/'\"=^%?,\n\t \r")),
        st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")).filter(
            lambda c: escape.one_line(c) == c  # invisible ones are shown as escapes
        ),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(PLAIN)
def test_markdown_text_property(text):
    """Whatever the text, it renders as one paragraph of exactly that text (whitespace folded),
    or as nothing when it is blank; and as one table cell, the table keeps its columns."""
    expected = " ".join(re.split(r"[ \t\n\r\f\v]+", text)).strip()
    escaped = markdown_text(text)
    tokens = md().parse(escaped)
    check_safe(tokens)
    if not expected:
        assert tokens == []
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == expected
    cells = tables(md().parse(f"| a | b |\n| --- | --- |\n| {escaped} | z |\n"))
    assert cells == [[["a", "b"], [expected, "z"]]]


@pytest.mark.parametrize("text", [HOSTILE, "a | b | c", "x\\|y", "\\", "|"])
def test_markdown_text_keeps_table_columns(text):
    cell = markdown_text(text)
    tokens = md().parse(f"| h1 | h2 |\n| --- | --- |\n| {cell} | end |\n")
    check_safe(tokens)
    assert tables(tokens) == [[["h1", "h2"], [" ".join(text.split()), "end"]]]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "/relative",
        "//host/x",
        "http:/x",
        "https://",
        "https://a.example/\nx",
        "",
        None,
        3,
    ],
)
def test_only_web_urls_become_links(url):
    assert link_target(url) is None
    text = markdown_link("label", url)
    tokens = md().parse(text)
    check_safe(tokens)
    assert not [t for t in walk(tokens) if t.type == "link_open"]


def test_link_target_encodes():
    url = 'https://example.com/a(b)<c>"d"\\e|f&lt;é'
    text = markdown_link("[x]", url)
    links = [t for t in walk(md().parse(text)) if t.type == "link_open"]
    assert len(links) == 1
    assert (
        links[0].attrGet("href") == "https://example.com/a%28b%29%3Cc%3E%22d%22%5Ce%7Cf&lt;%C3%A9"
    )


def test_an_address_with_white_space_is_not_linked():
    # the one web-address test (escape.is_web_address), as the url-scheme rule
    text = markdown_link("x", "https://example.com/a b")
    assert not [t for t in walk(md().parse(text)) if t.type == "link_open"]


def test_mermaid_label_keeps_only_safe_characters():
    assert mermaid_label('in_force"] --> x[<b>') == '"in_force -- xb"'
    assert mermaid_label("2023-01-13") == '"2023-01-13"'


HOSTILE_QUOTE = "<script>alert(1)</script> | [bold] *x*"


def test_hostile_dataset(tmp_path):
    actors = [dict(a) for a in FIXTURE_ACTORS]
    actors[2]["name"] = "Atl|antis <b>x</b>\n# Heading"
    actors[3]["name"] = "[bold]Bor*duria* | `x`"
    actors[6]["name"] = "> Bo\n- Minister <script>alert(1)</script>"
    actors[6]["title"] = "Trade | Minister\n\n<img src=x onerror=alert(1)>"
    statements = [dict(s) for s in FIXTURE_STATEMENTS]
    statements[2] = dict(
        statements[2],
        summary=HOSTILE,
        quote=HOSTILE_QUOTE,
        date_note="line one\n> quoted\n| a | b |",
    )
    statements[2]["source"] = dict(
        statements[2]["source"], publisher="Pub | <i>lish</i> [x]", title="T ](javascript:alert(1))"
    )
    statements[3] = dict(statements[3], summary="Talks | <b>confirmed</b>\n| x | y |")
    statements[5] = dict(statements[5], summary="Reservation | <b>no</b>\n| x | y | [bold]")
    statements[3]["source"] = dict(statements[3]["source"], url='https://example.com/a_(b)<c>"d"')
    data = write_brief_world(tmp_path, actors, statements, seed=SEED_TEXT + HOSTILE_QUOTE + "\n")
    text = brief_of(data, date(2024, 6, 30), since=date(2022, 11, 1))
    tokens = md().parse(text)
    check_safe(tokens)
    check_footnotes(text, data_has_brackets=True)
    table = check_summary_table(tokens, 3)
    assert table[1][0] == "Atl|antis <b>x</b> # Heading"
    assert table[2][0] == "[bold]Bor*duria* | `x`"
    assert "Reservation | <b>no</b> | x | y | [bold]" in table[2][4]
    # the hostile summary renders as exactly its text (newlines as spaces)
    paragraphs = [inline_text(t) for t in tokens if t.type == "inline"]
    assert " ".join(HOSTILE.split()) in paragraphs
    assert "Talks | <b>confirmed</b> | x | y |" in paragraphs
    assert f"Quote: “{HOSTILE_QUOTE}”" in paragraphs
    # only the fixed headings: no heading smuggled in by a name or note
    headings = [
        inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    assert "Heading" not in headings
    assert headings.count("Atl|antis <b>x</b> # Heading") == 2  # what changed + section
    # the URL with brackets and quotes is still one link to the same address
    hrefs = [t.attrGet("href") for t in walk(tokens) if t.type == "link_open"]
    assert "https://example.com/a_%28b%29%3Cc%3E%22d%22" in hrefs
    assert "<script" not in md().render(text)
    assert "<b>" not in md().render(text)
    mermaid = "".join(t.content for t in tokens if t.type == "fence")
    assert "<" not in mermaid and "|" not in mermaid.replace('-->|"', "").replace('"|', "")


# --- the command --------------------------------------------------------------------------------


def test_cli_stdout(fixture_data):
    r = invoke(["brief", "--as-of", "2024-06-30", "--data", str(fixture_data)])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("# Export-control alignment brief as of 30 June 2024\n")
    assert "What changed" not in r.stdout
    check_footnotes(r.stdout)


def test_cli_since(fixture_data):
    r = invoke(
        ["brief", "--as-of", "2024-06-30", "--since", "2023-03-15", "--data", str(fixture_data)],
    )
    assert r.exit_code == 0, r.output
    assert "## What changed since 15 March 2023" in r.stdout
    assert r.stdout == brief_of(fixture_data, date(2024, 6, 30), since=date(2023, 3, 15))


def test_cli_output_file(fixture_data, tmp_path):
    target = tmp_path / "out" / "brief.md"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    r = invoke(
        [
            "brief",
            "--as-of",
            "2024-06-30",
            "-o",
            str(target),
            "--data",
            str(fixture_data),
            "--ally",
            "aa",
            "--ally",
            "bb",
        ],
    )
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "wrote brief to" in r.stderr
    written = target.read_text(encoding="utf-8")
    assert written == brief_of(fixture_data, date(2024, 6, 30), allies=("aa", "bb"))
    assert sorted(p.name for p in target.parent.iterdir()) == ["brief.md"]  # no temp file left
    assert target.stat().st_mode & 0o777 == 0o640  # the replaced file keeps its mode


def test_cli_output_relative_path(fixture_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = invoke(["brief", "--as-of", "2024-06-30", "-o", "brief.md", "--data", str(fixture_data)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "brief.md").read_text(encoding="utf-8").startswith("# Export-control")


def test_cli_stale_days(fixture_data):
    r = invoke(
        ["brief", "--as-of", "2024-06-30", "--stale-days", "5000", "--data", str(fixture_data)]
    )
    assert r.exit_code == 0, r.output
    assert "stale" not in r.stdout.split("## What changed")[0].split("## Atlantis")[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "2024-13-01"], "--as-of"),
        (["--as-of", "yesterday"], "--as-of"),
        (["--as-of", "2024-06-30", "--since", "2023-02-30"], "--since"),
        (["--as-of", "2023-01-01", "--since", "2023-06-01"], "after --as-of"),
        (["--as-of", "2024-06-30", "--ally", "zz"], "no ally 'zz'"),
        (["--as-of", "2024-06-30", "--ally", "us"], "no ally 'us'"),
    ],
)
def test_cli_usage_errors(fixture_data, args, message):
    r = invoke(["brief", *args, "--data", str(fixture_data)])
    assert r.exit_code == 2, r.output
    assert message in r.stderr
    assert r.stdout == ""


def test_cli_unwritable_output(fixture_data, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")  # a missing folder is created (issue 13)
    r = invoke(
        [
            "brief",
            "--as-of",
            "2024-06-30",
            "--data",
            str(fixture_data),
            "-o",
            str(tmp_path / "a-file" / "brief.md"),
        ],
    )
    assert r.exit_code == 2, r.output
    assert "cannot write" in r.stderr
    r = invoke(["brief", "--as-of", "2024-06-30", "--data", str(fixture_data), "-o", str(tmp_path)])
    assert r.exit_code == 2, r.output


def test_cli_invalid_data(tmp_path):
    statements = [dict(s) for s in FIXTURE_STATEMENTS]
    statements[0] = dict(statements[0], speaker="nobody")
    data = write_brief_world(tmp_path, statements=statements)
    target = tmp_path / "brief.md"
    r = invoke(["brief", "--as-of", "2024-06-30", "--data", str(data), "-o", str(target)])
    assert r.exit_code == 1, r.output
    assert "statements.yaml:" in r.stderr
    assert "dangling-reference" in r.stderr
    assert not target.exists()


def test_cli_shipped_data(shipped_dataset):
    r = invoke(["brief", "--as-of", "2023-02-01"])
    assert r.exit_code == 0, r.output
    check_summary_table(md().parse(r.stdout), len(shipped_dataset.allies()))
