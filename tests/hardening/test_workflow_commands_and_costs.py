"""Outputs a CI log or a Markdown reader could misread, and what scoring and quote checking cost:
no workflow command, invisible character or e-mail autolink in any output of any command on a
hostile record (findings F6, F13, F14); the transitions' sweep equals a full rescore per date
(F16); an archived document over its size limit is refused unread (F17)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import world
from export_alignment import escape
from export_alignment.checks import MAX_DOCUMENT_BYTES, validate
from export_alignment.datadir import shipped_root
from export_alignment.scoring import Evaluator, Stage, Transition
from world.hostile import legacy_command, workflow_commands

HOSTILE = "::error file=a.yaml::x ##[add-mask]SECRET ##[error]y tag\U000e0041\ufff9 me@evil.example"


@pytest.fixture
def hostile(tmp_path) -> Path:
    actors = world.ACTORS.replace("name: Japan", f"name: {json.dumps(HOSTILE, ensure_ascii=False)}")
    return world.write_world(tmp_path, actors=actors).data


REPORTS = [
    ["status"],
    ["status", "--json"],
    ["status", "--matrix"],
    ["explain", "jp"],
    ["timeline"],
    ["timeline", "--json"],
    ["brief"],
    ["brief", "--since", "2022-01-01"],
]


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_f6_f13_no_report_carries_a_command_or_an_invisible_character(hostile, args):
    r = world.run(*args, "--data", hostile, "--as-of", "2024-01-01", code=0)
    assert workflow_commands(r.output) == []
    assert not re.search("[\U000e0000-\U000e007f\ufff9-\ufffb]", r.output)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_f6_diff_carries_no_command(hostile, fmt):
    root = hostile.parent
    world.commit_all(root, "hostile")
    statements = hostile / "statements.yaml"
    statements.write_text(
        statements.read_text(encoding="utf-8").replace("jp", "nl"), encoding="utf-8"
    )
    r = world.run("diff", "--data", hostile, "--format", fmt, "--as-of", "2024-01-01")
    assert r.exit_code in (0, 1), r.output
    assert workflow_commands(r.output) == []
    if fmt == "json":
        json.loads(r.output)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_f6_problem_lists_carry_no_command_but_their_own(tmp_path, fmt):
    statements = world.STATEMENTS.replace("statements:\n", "statements:\n", 1) + (
        '"##[add-mask]KEY": 1\n"::error::x": 2\n'
    )
    data = world.write_world(tmp_path, statements=statements).data
    r = world.run("validate", "--data", data, "--format", fmt, "--today", "2025-01-01", code=1)
    found = workflow_commands(r.output)
    if fmt == "github":  # one annotation per problem, and nothing else
        assert found and set(found) <= {"error", "warning", "notice"}
        assert all(legacy_command(line) is None for line in r.output.splitlines())
    else:
        assert found == []
    r = world.run("status", "--data", data, code=1)
    assert workflow_commands(r.output) == []


def test_f14_markdown_makes_no_email_or_xmpp_autolink():
    cmarkgfm = pytest.importorskip("cmarkgfm")
    for text in ("write to me@evil.example", "xmpp:me@evil.example", "mailto:a@b.example"):
        html = cmarkgfm.github_flavored_markdown_to_html(escape.markdown(text))
        assert "<a " not in html, html


def test_f14_the_brief_links_no_email_address(hostile):
    cmarkgfm = pytest.importorskip("cmarkgfm")
    r = world.run("brief", "--data", hostile, "--as-of", "2024-01-01", code=0)
    html = cmarkgfm.github_flavored_markdown_to_html(r.output)
    assert "mailto:" not in html and "xmpp:" not in html


def test_json_keeps_the_data_while_escaping_it():
    value = {"a": "##[x] \U000e0041 \u200b ::y"}
    assert json.loads(escape.dumps(value)) == value
    assert "##[" not in escape.dumps(value)


# --- F16: transitions in one sweep ----------------------------------------------------------


def rescored(ev: Evaluator, ally, until, control=None, scope=None) -> list[Transition]:
    """The old way: a full rescore on every distinct date (the reference the sweep must equal)."""
    pairs = ev.ally(ally, until, control=control, scope=scope).controls
    recorded = [e.date for p in pairs for e in p.evidence if e.counts]
    recorded += [start for p in pairs if (start := p.control.first_date) is not None]
    for p in pairs:
        for event in p.control.lifecycle:
            recorded.append(event.date)
            if event.until is not None:
                recorded.append(event.until)
    recorded = [d for d in recorded if d.latest <= until]
    when = {}
    for value in sorted(recorded, key=lambda d: d.sort_key, reverse=True):
        when[value.latest] = value
    out, current = [], Stage.NONE
    for day in sorted(when):
        score = ev.ally(ally, day, control=control, scope=scope)
        if score.stage is not current:
            out.append(Transition(day, current, score.stage, score.decisive, when[day]))
            current = score.stage
    return out


def test_f16_the_sweep_equals_a_rescore_per_date_on_the_shipped_record():
    from datetime import date

    dataset = validate(shipped_root() / "data").dataset
    ev = Evaluator(dataset)
    until = date(2026, 6, 1)
    questions = [(None, None)] + [(c.id, None) for c in ev.initiator_controls]
    questions += [(None, item) for item in {i for c in ev.initiator_controls for i in c.scope}]
    for ally in dataset.allies():
        for control, scope in questions:
            assert ev.transitions(ally, until, control, scope) == rescored(
                ev, ally, until, control, scope
            )


def test_f16_transitions_score_in_full_only_where_the_stage_changes(tmp_path, monkeypatch):
    """The old way scored the ally in full once per distinct date (distinct dates x evidence);
    the sweep does so once for the headline and once per change."""
    from datetime import date, timedelta

    lines = ["statements:"]
    for n in range(60):
        day = date(2022, 11, 1) + timedelta(days=7 * n)
        lines += [
            f"  - id: s{n}",
            f"    date: {day.isoformat()}",
            "    speaker: kurt-campbell",
            "    about: [jp]",
            "    controls: [us-rule]",
            "    signal: talks",
            "    stance: neutral",
            "    summary: Talks went on.",
            "    source:",
            "      url: https://example.org/x",
            "      publisher: Example",
            "      published: 2025-01-01",
            "      tier: on_record",
        ]
    data = world.write_world(tmp_path, statements="\n".join(lines) + "\n").data
    dataset = validate(data, date(2026, 1, 1)).dataset
    assert len(dataset.statements) == 60
    ev = Evaluator(dataset)
    calls = [0]
    full = Evaluator.ally

    def counted(self, *args, **kwargs):
        calls[0] += 1
        return full(self, *args, **kwargs)

    monkeypatch.setattr(Evaluator, "ally", counted)
    jp = dataset.actor("jp")
    changes = ev.transitions(jp, date(2025, 1, 1))
    assert [c.after for c in changes] == [Stage.NEGOTIATING]
    assert calls[0] <= len(changes) + 1


SIGNALS = ["raised", "talks", "agreement", "announcement", "adoption", "entry_into_force"]
SIGNALS += ["enforcement", "reservation", "refusal"]


def random_statements(seed: int, count: int = 40) -> str:
    """A valid statements.yaml for the test world: random dates (some only a month), allies,
    signals and tiers."""
    from datetime import date, timedelta

    rnd = random.Random(seed)
    lines = ["statements:"]
    for n in range(count):
        day = date(2022, 10, 8) + timedelta(days=rnd.randrange(800))
        when = day.isoformat() if rnd.random() < 0.7 else day.isoformat()[:7]
        lines += [
            f"  - id: s{n}",
            f"    date: '{when}'",
            "    speaker: kurt-campbell",
            f"    about: [{rnd.choice(['jp', 'nl'])}]",
            "    controls: [us-rule]",
            f"    signal: {rnd.choice(SIGNALS)}",
            "    stance: neutral",
            "    summary: A random statement.",
            "    source:",
            "      url: https://example.org/x",
            "      publisher: Example",
            "      published: 2025-01-01",
            f"      tier: {rnd.choice(['official_text', 'on_record', 'anonymous'])}",
        ]
        if len(when) == 7:
            lines.append("    date_note: only the month is known")
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_f16_the_sweep_equals_a_rescore_per_date_on_random_records(tmp_path_factory, seed):
    from datetime import date

    root = tmp_path_factory.mktemp("random")
    data = world.write_world(root, statements=random_statements(seed)).data
    result = validate(data, date(2026, 1, 1))
    assert len(result.dataset.statements) == 40, result.problems  # every statement is valid
    ev = Evaluator(result.dataset)
    for ally in result.dataset.allies():
        for until in (date(2023, 3, 1), date(2025, 6, 1)):
            swept = ev.transitions(ally, until)
            assert swept == rescored(ev, ally, until)
            CHANGES.append(len(swept))


CHANGES: list[int] = []


def test_f16_the_random_records_had_stage_changes_to_compare():
    """The property above compared something: most random records move a stage."""
    if CHANGES:  # run after the property (file order)
        assert sum(1 for n in CHANGES if n) > len(CHANGES) // 4, CHANGES


# --- F17: archived documents' size ----------------------------------------------------------


def test_f17_an_archived_document_over_the_limit_is_refused_unread(tmp_path):
    w = world.write_world(tmp_path)
    with open(tmp_path / "seeds" / "article.txt", "r+b") as f:
        f.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: costs nothing to make
    r = world.run("validate", "--data", w.data, "--format", "json", "--today", "2025-01-01")
    rules = {p["rule"] for p in json.loads(r.output)["problems"]}
    assert "document-path" in rules, r.output
