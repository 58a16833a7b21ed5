"""Scoring by scope item: coverage, live controls, blocs, ahead,
several sources, source kinds, anonymous reservations, one_sided, reviewed; each rule pinned on a
small dataset written in ``tmp_path`` that shows one thing."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from export_alignment.checks import validate
from export_alignment.scoring import Evaluator, Flag, Role, Stage, lifecycle_changes
from world import REPO, asked
from world.scoped import (
    ACTORS,
    CHIPS,
    HBM,
    LIFECYCLE_CONTROLS,
    SME,
    ally,
    cli,
    event,
    items,
    load,
    measure,
    problems,
    rule,
    said,
    source,
    write,
)

# --- scope items ---------------------------------------------------------------------------------


def test_measure_counts_only_for_items_it_shares_with_the_control(tmp_path):
    ds = load(
        write(
            tmp_path,
            [
                rule("c1", [CHIPS, SME]),
                measure("jp-m", "jp", ["c1"], [SME, "quantum-technology"], effective="2023-07-23"),
            ],
        )
    )
    s = ally(ds, "2023-08-01")
    (row,) = s.controls
    assert {i.item: str(i.stage) for i in row.items} == {CHIPS: "none", SME: "in_force"}
    assert (row.coverage.in_force, row.coverage.total, row.coverage.missing) == (1, 2, (CHIPS,))
    assert str(s.stage) == "in_force" and "partial" in s.flag_names
    assert s.coverage.phrase == "in force on 1 of 2 items"


def test_measure_sharing_no_item_with_its_control_is_an_error(tmp_path):
    data = write(tmp_path, [rule("c1", [CHIPS]), measure("jp-m", "jp", ["c1"], [SME])])
    assert ("measure-scope", "error") in problems(data)


def test_statement_counts_for_all_items_by_default_and_for_its_scope_when_given(tmp_path):
    controls = [rule("c1", [CHIPS, SME])]
    everything = load(write(tmp_path / "a", controls, [said("talks", "2023-01-10", "talks")]))
    assert items(ally(everything, "2023-02-01")) == {CHIPS: "negotiating", SME: "negotiating"}
    narrowed = load(
        write(tmp_path / "b", controls, [said("talks", "2023-01-10", "talks", scope=[SME])])
    )
    assert items(ally(narrowed, "2023-02-01")) == {CHIPS: "none", SME: "negotiating"}


def test_statement_scope_outside_its_controls_is_an_error(tmp_path):
    data = write(
        tmp_path, [rule("c1", [CHIPS])], [said("talks", "2023-01-10", "talks", scope=[HBM])]
    )
    assert ("statement-scope", "error") in problems(data)


def test_scope_slug_outside_the_vocabulary_is_an_error_only_when_one_is_declared(tmp_path):
    controls = [rule("c1", ["made-up-item"])]
    assert ("scope-item", "error") in problems(write(tmp_path / "a", controls))
    assert problems(write(tmp_path / "b", controls, vocabulary=False)) == []


def test_headline_coverage_counts_distinct_items_of_live_controls(tmp_path):
    ds = load(
        write(
            tmp_path,
            [
                rule("c1", [CHIPS, SME]),
                rule("c2", [SME, HBM], first="2023-10-17"),
                measure("jp-m", "jp", ["c1"], [SME], effective="2023-07-23"),
            ],
        )
    )
    s = ally(ds, "2024-01-01")
    assert items(s) == {CHIPS: "none", SME: "in_force", HBM: "none"}
    assert (s.coverage.in_force, s.coverage.total) == (1, 3)
    partial = next(f for f in s.flags if f.flag is Flag.PARTIAL)
    # partial names every control with an item below the headline: c2 has not matched SME
    assert partial.evidence == ("c1", "c2") and set(partial.scope) == {CHIPS, SME, HBM}
    assert s.coverage.missing == (CHIPS, HBM)


# --- narrowing ----------------------------------------------------------------------------------


def test_control_and_scope_narrow_the_headline(tmp_path):
    ds = load(
        write(
            tmp_path,
            [
                rule("c1", [CHIPS, SME]),
                rule("c2", [HBM], first="2023-10-17"),
                measure("jp-m", "jp", ["c1"], [SME], effective="2023-07-23"),
            ],
        )
    )
    on_c2 = ally(ds, "2024-01-01", control="c2")
    assert (str(on_c2.stage), on_c2.coverage.total) == ("none", 1)
    on_sme = ally(ds, "2024-01-01", scope=SME)
    assert (str(on_sme.stage), on_sme.flag_names, on_sme.coverage.phrase) == (
        "in_force",
        [],
        "in force on 1 of 1 item",
    )
    assert [p.control.id for p in on_sme.controls] == ["c1"]


def test_control_and_scope_narrow_the_lifecycle_events(tmp_path):
    ds = load(write(tmp_path, LIFECYCLE_CONTROLS))
    until = date(2026, 6, 1)

    def events(**asked) -> list[tuple[str, str]]:
        return [
            (ch.control.id, str(ch.event.event)) for ch in lifecycle_changes(ds, until, **asked)
        ]

    assert events() == [("c3", "rescinded"), ("c2", "suspended"), ("c4", "relaxed")]
    assert events(control="c3") == [("c3", "rescinded")]
    assert events(scope=SME) == [("c2", "suspended")]
    assert events(control="c1") == [] and events(control="c3", scope=SME) == []


def test_cli_control_scope_and_matrix(tmp_path):
    data = write(
        tmp_path,
        [rule("c1", [CHIPS, SME]), measure("jp-m", "jp", ["c1"], [SME], effective="2023-07-23")],
    )
    doc = json.loads(
        cli("status", "--json", "--scope", SME, "--as-of", "2024-01-01", "--data", data).stdout
    )
    assert (doc["scope"], doc["allies"][0]["stage"], doc["allies"][0]["coverage"]["total"]) == (
        SME,
        "in_force",
        1,
    )
    matrix = cli("status", "--matrix", "--as-of", "2024-01-01", "--data", data).stdout
    assert "● in_force" in matrix and "· none" in matrix
    brief = cli("brief", "--as-of", "2024-01-01", "--data", data).stdout
    assert "### Coverage by scope item" in brief and "● in\\_force" in brief
    explain = cli("explain", "jp", "--control", "c1", "--as-of", "2024-01-01", "--data", data)
    assert "in force on 1 of 2 items, measured over control c1" in explain.stdout
    r = cli("status", "--control", "nope", "--data", data, code=2)
    assert "no initiator control 'nope'" in r.output
    r = cli("timeline", "--scope", HBM, "--data", data, code=2)
    assert "is not an item" in r.output


# --- controls that change -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "live"),
    [
        ("2025-05-12", {"c1", "c2", "c3", "c4"}),
        ("2025-05-13", {"c1", "c2", "c4"}),  # rescinded from its date
        ("2025-11-09", {"c1", "c2", "c4"}),
        ("2025-11-10", {"c1", "c4"}),  # suspended from its date
        ("2026-01-15", {"c1", "c4"}),  # relaxed: still binding
        ("2026-11-09", {"c1", "c4"}),
        # the suspension's `until` passed with no later event recorded: status unknown, not live
        ("2026-11-10", {"c1", "c4"}),
    ],
)
def test_live_controls_on_and_around_their_lifecycle_dates(tmp_path, day, live):
    ds = load(write(tmp_path, LIFECYCLE_CONTROLS))
    s = ally(ds, day)
    assert {p.control.id for p in s.live} == live
    assert {p.control.id for p in s.controls} == {"c1", "c2", "c3", "c4"}  # rows are kept
    assert {i.item for i in s.items} == {
        c["scope"][0] for c in LIFECYCLE_CONTROLS if c["id"] in live
    }


def test_resumed_control_binds_again(tmp_path):
    c = rule(
        "c1", [CHIPS], lifecycle=[event("suspended", "2025-01-01"), event("resumed", "2025-03-01")]
    )
    ds = load(write(tmp_path, [c]))
    assert [p.state.status for p in ally(ds, "2025-02-01").controls] == ["suspended"]
    assert [p.state.live for p in ally(ds, "2025-03-01").controls] == [True]


def test_no_headline_rests_on_a_rescinded_control(tmp_path):
    ds = load(
        write(
            tmp_path,
            [rule("c1", [CHIPS]), *LIFECYCLE_CONTROLS[2:3]],
            [said("force", "2024-06-01", "entry_into_force", controls=["c3"])],
        )
    )
    assert str(ally(ds, "2025-05-12").stage) == "in_force"
    after = ally(ds, "2025-05-13")
    assert str(after.stage) == "none" and after.flag_names == []
    row = next(p for p in after.controls if p.control.id == "c3")
    assert (str(row.stage), row.state.status, row.state.phrase) == (
        "in_force",
        "rescinded",
        "rescinded on 13 May 2025",
    )
    # the role says why the evidence no longer counts for the headline
    note = after.role_of(row.evidence[0])
    assert note.role is Role.NOT_COUNTED and "rescinded" in note.reason
    # explain and timeline say it in words
    data = tmp_path / "data"
    assert (
        "rescinded on 2025-05-13"  # the terminal's ISO dates (issue 13)
        in cli("explain", "jp", "--as-of", "2025-06-01", "--data", data).stdout
    )
    timeline = cli("timeline", "--as-of", "2025-06-01", "--data", data).stdout
    assert re.search(r"2025-05-13\s+rescinded\s+c3", timeline)
    assert re.search(r"2025-05-13\s+in_force -> none", timeline)
    brief = cli("brief", "--as-of", "2025-06-01", "--data", data).stdout
    assert "rescinded on 13 May 2025" in brief and "It no longer binds" in brief


def test_lifecycle_only_on_initiator_controls_and_until_only_on_suspensions(tmp_path):
    m = measure("jp-m", "jp", ["c1"], [CHIPS], effective="2023-07-23")
    m["lifecycle"] = [event("rescinded", "2024-01-01")]
    assert ("lifecycle-initiator", "error") in problems(
        write(tmp_path / "a", [rule("c1", [CHIPS]), m])
    )
    bad = rule("c1", [CHIPS], lifecycle=[event("rescinded", "2024-01-01", until="2025-01-01")])
    assert ("schema", "error") in problems(write(tmp_path / "b", [bad]))


# --- blocs and ahead ----------------------------------------------------------------------------


def test_a_blocs_measure_reaches_each_member_ally(tmp_path):
    ds = load(
        write(
            tmp_path,
            [rule("c1", [CHIPS]), measure("eu-m", "eu", ["c1"], [CHIPS], effective="2025-11-15")],
        )
    )
    nl = ally(ds, "2025-12-01", who="nl")
    assert str(nl.stage) == "in_force"
    assert nl.decisive.via == "eu" and nl.decisive.id == "eu-m"
    assert str(ally(ds, "2025-12-01", who="jp").stage) == "none"  # not a member
    out = cli("explain", "nl", "--as-of", "2025-12-01", "--data", tmp_path / "data").stdout
    assert "via eu" in out


def test_a_measure_older_than_the_control_counts_from_the_control_and_is_ahead(tmp_path):
    ds = load(
        write(
            tmp_path,
            [
                rule("c1", ["quantum-technology"], first="2024-09-06"),
                measure("jp-m", "jp", ["c1"], ["quantum-technology"], effective="2024-04-01"),
            ],
        )
    )
    s = ally(ds, "2024-10-01")
    assert str(s.stage) == "in_force" and str(s.since) == "2024-09-06"
    assert s.decisive.ahead and str(s.decisive.recorded) == "2024-04-01"
    assert str(ally(ds, "2024-09-05").stage) == "none"  # the control did not exist yet


# --- several sources, source kinds --------------------------------------------------------------


def test_a_statements_tier_is_its_best_sources(tmp_path):
    sources = [source("anonymous"), source("on_record", kind="news-agency")]
    ds = load(
        write(
            tmp_path,
            [rule("c1", [CHIPS])],
            [said("talks", "2023-01-10", "talks", "anonymous", sources=sources)],
        )
    )
    s = ally(ds, "2023-02-01")
    assert (str(s.stage), str(s.decisive.tier), len(s.decisive.sources)) == (
        "negotiating",
        "on_record",
        2,
    )
    brief = cli("brief", "--as-of", "2023-02-01", "--data", tmp_path / "data").stdout
    assert len(re.findall(r"^\[\^\d+\]: Example", brief, re.MULTILINE)) == 2  # both cited


def test_source_and_sources_together_or_neither_are_errors(tmp_path):
    both = said("talks", "2023-01-10", "talks")
    both["sources"] = [source()]
    assert ("schema", "error") in problems(write(tmp_path / "a", [rule("c1", [CHIPS])], [both]))
    neither = said("talks", "2023-01-10", "talks")
    del neither["source"]
    assert ("missing-field", "error") in problems(
        write(tmp_path / "b", [rule("c1", [CHIPS])], [neither])
    )


@pytest.mark.parametrize(
    ("sources", "warned"),
    [
        ([source("official_text", kind="law-firm")], {"official-text-source"}),
        ([source("official_text", kind="gazette")], set()),
        (
            [source("official_text", kind="law-firm"), source("official_text", kind="legislature")],
            set(),
        ),
        ([source("official_text")], set()),  # no kind: not judged
        ([source(kind="copy", copy_of="Reuters")], {"lone-copy-source"}),
        ([source(kind="copy", copy_of="Reuters"), source(kind="news-agency")], set()),
    ],
)
def test_source_kind_warnings(tmp_path, sources, warned):
    data = write(
        tmp_path, [rule("c1", [CHIPS])], [said("s", "2023-01-10", "talks", sources=sources)]
    )
    assert {r for r, level in problems(data) if level == "warning"} == warned


def test_copy_needs_copy_of(tmp_path):
    data = write(
        tmp_path,
        [rule("c1", [CHIPS])],
        [said("s", "2023-01-10", "talks", source=source(kind="copy"))],
    )
    assert ("schema", "error") in problems(data)


# --- anonymous reservations, one_sided, reviewed -------------------------------------------------


@pytest.mark.parametrize("signal", ["reservation", "refusal"])
def test_anonymous_reservation_or_refusal_is_an_unconfirmed_report(tmp_path, signal):
    ds = load(
        write(
            tmp_path,
            [rule("c1", [CHIPS])],
            [said("talks", "2023-01-10", "talks"), said("no", "2023-01-20", signal, "anonymous")],
        )
    )
    s = ally(ds, "2023-02-01")
    assert s.flag_names == ["unconfirmed_report"]
    note = s.flags[0]
    assert note.claimed is None and signal in note.reason
    brief = cli("brief", "--summary", "--as-of", "2023-02-01", "--data", tmp_path / "data").stdout
    caveats = brief.split("## Caveats")[1]
    assert (
        f"- Japan: An anonymous report on 20 January 2023 tells of a {signal}, not con" in caveats
    )


def test_agreed_on_the_initiators_word_alone_is_one_sided(tmp_path):
    us_word = [said("deal", "2023-01-31", "agreement", speaker="us-official")]
    ds = load(write(tmp_path / "a", [rule("c1", [CHIPS])], us_word))
    s = ally(ds, "2023-02-01")
    assert (str(s.stage), s.flag_names) == ("agreed", ["one_sided"])
    both = [*us_word, said("confirm", "2023-02-02", "agreement")]
    ds = load(write(tmp_path / "b", [rule("c1", [CHIPS])], both))
    assert ally(ds, "2023-02-03").flag_names == []
    # once the ally acts on its own, the agreement is no longer the question
    later = [*us_word, said("announce", "2023-03-01", "announcement")]
    ds = load(write(tmp_path / "c", [rule("c1", [CHIPS])], later))
    assert ally(ds, "2023-03-02").flag_names == []


def test_review_date_postpones_staleness(tmp_path):
    actors = [dict(a, reviewed="2026-10-01") if a["id"] == "jp" else a for a in ACTORS]
    statements = [said("talks", "2023-01-10", "talks")]
    ds = load(write(tmp_path / "a", [rule("c1", [CHIPS])], statements, actors=actors))
    assert "stale" not in ally(ds, "2026-11-01").flag_names
    assert str(ally(ds, "2026-11-01").reviewed) == "2026-10-01"
    # a review after the as-of date is not used for that date
    assert "stale" in ally(ds, "2025-01-01").flag_names
    plain = load(write(tmp_path / "b", [rule("c1", [CHIPS])], statements))
    assert "stale" in ally(plain, "2026-11-01").flag_names
    out = cli("status", "--as-of", "2026-11-01", "--data", tmp_path / "a" / "data").stdout
    assert "Japan: record last reviewed 2026-10-01" in out
    assert "Netherlands: no review date recorded" in out


def test_reviewed_only_on_allies_and_members_only_on_blocs(tmp_path):
    actors = [dict(a, reviewed="2026-10-01") if a["id"] == "us" else a for a in ACTORS]
    assert ("actor-scope-fields", "error") in problems(
        write(tmp_path / "a", [rule("c1", [CHIPS])], actors=actors)
    )
    actors = [dict(a, members=["jp"]) if a["id"] == "nl" else a for a in ACTORS]
    assert ("actor-scope-fields", "error") in problems(
        write(tmp_path / "b", [rule("c1", [CHIPS])], actors=actors)
    )
    actors = [dict(a, members=["wire"]) if a["id"] == "eu" else a for a in ACTORS]
    assert ("reference-kind", "error") in problems(
        write(tmp_path / "c", [rule("c1", [CHIPS])], actors=actors)
    )


# --- the shipped record -------------------------------------------------------------------------


SHIPPED = REPO / "data"


def test_shipped_record_has_a_kind_on_every_source_and_a_scope_vocabulary():
    ds = validate(SHIPPED).dataset
    assert len(ds.scope_items) >= 12
    known = {i.id for i in ds.scope_items}
    assert all(set(c.scope) <= known for c in ds.controls)
    for s in ds.statements:
        assert all(src.kind is not None for src in s.cited), s.id
    for c in ds.controls:
        assert c.source.kind is not None, c.id


@pytest.mark.parametrize(
    "day", ["2022-12-01", "2023-09-01", "2024-12-31", "2025-06-30", "2026-11-28"]
)
def test_shipped_headlines_rest_on_live_controls_only(day):
    ds = validate(SHIPPED).dataset
    for s in Evaluator(ds).score(asked(day)).allies:
        assert s.stage.rank == max((p.stage.rank for p in s.live), default=0)
        assert s.decisive is None or any(p.decisive is s.decisive for p in s.live)
        assert Stage.NONE.rank <= s.stage.rank


def test_a_reservation_before_the_stage_was_reached_flags_nothing_once_it_is(tmp_path):
    """As for on-record reservations: one voiced before ``since`` is history, not a flag."""
    ds = load(
        write(
            tmp_path,
            [rule("c1", [CHIPS])],
            [
                said("no", "2023-01-05", "reservation", "anonymous"),
                said("t", "2023-01-10", "talks"),
            ],
        )
    )
    s = ally(ds, "2023-02-01")
    assert (str(s.stage), s.flag_names) == ("negotiating", [])
    assert s.role_of(s.evidence[0]).role is Role.NOT_COUNTED
    assert ally(ds, "2023-01-07").flag_names == ["unconfirmed_report"]
