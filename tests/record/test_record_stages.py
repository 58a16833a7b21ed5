"""What the shipped record to 2026 says, through `status --json` (the public surface): the facts
the record to 2026 pins, each at its date and the day before."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache

import pytest

import world
from export_alignment.checks import validate
from world import REPO

DATA = REPO / "data"
OCT_2022 = "us-2022-10-advanced-computing-sme"
SEPT_2024 = "us-2024-09-advanced-technologies-partners"
AI_DIFFUSION = "us-2025-01-ai-diffusion"
AFFILIATES = "us-2025-09-affiliates-rule"
EU_LIST = "eu-2025-2003-dual-use-list-update"


@cache
def status(day: str) -> dict:
    result = world.run("status", "--json", "--as-of", day, "--data", DATA)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@cache
def shipped_statements() -> tuple:
    result = validate(DATA)
    assert result.ok
    return tuple(result.dataset.statements)


def ally(day: str, ally_id: str) -> dict:
    return next(a for a in status(day)["allies"] if a["id"] == ally_id)


def control(day: str, ally_id: str, control_id: str) -> dict:
    return next(c for c in ally(day, ally_id)["controls"] if c["id"] == control_id)


def before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def test_netherlands_contested_from_15_january_2023_and_not_before():
    assert "contested" in ally("2023-01-15", "nl")["flags"]
    assert "contested" not in ally("2023-01-14", "nl")["flags"]


def test_japan_at_least_announced_on_the_september_2024_rule_by_the_end_of_2024():
    row = control("2024-12-31", "jp", SEPT_2024)
    assert row["stage"] in ("announced", "adopted", "in_force"), row["stage"]


@pytest.mark.parametrize(
    "day", ["2022-12-31", "2023-12-31", "2024-07-23", "2024-12-31", "2025-11-15", "2025-12-31"]
)
def test_germany_is_never_in_force_on_the_october_2022_rule_and_its_coverage_shows(day):
    row = control(day, "de", OCT_2022)
    assert row["stage"] != "in_force"
    assert row["coverage"]["in_force"] < row["coverage"]["total"]
    headline = ally(day, "de")["coverage"]
    assert (
        headline["total"] > 0
        and headline["in_force"] + len(headline["missing"]) == (headline["total"])
    )


def test_germany_moved_ahead_of_the_september_2024_rule_and_counts_from_its_first_date():
    # the rule was announced on 5 September 2024; Germany's list took effect on 23 July 2024
    assert SEPT_2024 not in [c["id"] for c in ally("2024-09-04", "de")["controls"]]
    row = control("2024-09-05", "de", SEPT_2024)
    assert row["stage"] == "in_force"
    ahead = [r for r in ally("2024-09-05", "de")["roles"] if r["ahead"]]
    assert ahead and all(r["via"] is None for r in ahead)


def test_the_ai_diffusion_rule_does_not_bind_from_its_non_enforcement_and_is_not_rescinded():
    assert control("2025-05-12", "jp", AI_DIFFUSION)["live"] is True
    for day in ("2025-05-13", "2025-12-31", "2026-05-28", date.today().isoformat()):
        for ally_id in ("jp", "nl", "kr"):
            row = control(day, ally_id, AI_DIFFUSION)
            assert (row["live"], row["status"]) == (False, "non_enforcement"), (day, ally_id)
            assert "rescinded" not in json.dumps(row["lifecycle"]).lower()


def test_the_affiliates_rule_is_not_live_during_its_suspension():
    assert control("2025-11-09", "nl", AFFILIATES)["live"] is True
    for day in ("2025-11-10", "2026-06-30", "2026-11-09"):
        row = control(day, "nl", AFFILIATES)
        assert (row["live"], row["status"]) == (False, "suspended")


@pytest.mark.parametrize("ally_id", ["nl", "de"])
def test_the_eu_list_reaches_the_netherlands_and_germany_from_15_november_2025(ally_id):
    def via_eu(day: str) -> list[dict]:
        return [
            r
            for r in ally(day, ally_id)["roles"]
            if r["id"] == EU_LIST and r["via"] == "eu" and r["role"] != "not_counted"
        ]

    assert via_eu("2025-11-15")
    row = control("2025-11-15", ally_id, SEPT_2024)
    assert row["stage"] == "in_force"
    in_force_items = {i["item"] for i in row["items"] if i["stage"] == "in_force"}
    assert "quantum-technology" in in_force_items
    assert not [r for r in via_eu("2025-11-14") if r["role"] == "sets"]


def test_no_headline_rests_on_a_control_that_is_not_live():
    for day in ("2025-06-30", "2025-12-31", date.today().isoformat()):
        for a in status(day)["allies"]:
            if a["stage"] == "none":
                continue
            live = [c for c in a["controls"] if c["live"]]
            assert any(c["stage"] == a["stage"] for c in live), (day, a["id"])


def test_every_ally_says_when_it_was_last_reviewed():
    for a in status(date.today().isoformat())["allies"]:
        assert a["reviewed"], a["id"]
        assert "stale" not in a["flags"], a["id"]


def test_korea_contested_from_9_january_2023_and_not_on_the_8th():
    # the trade ministry said Seoul was not in talks to join the US curbs (Bloomberg, 9 January)
    assert "contested" in ally("2023-01-09", "kr")["flags"]
    assert "contested" not in ally("2023-01-08", "kr")["flags"]
    assert "kr-motie-not-in-talks-to-join-us-curbs" in ally("2023-01-09", "kr")["evidence"]


def test_frances_may_2025_list_puts_the_quantum_item_in_force_from_1_may_2025():
    def via_update(day: str) -> list[dict]:
        return [
            r
            for r in ally(day, "fr")["roles"]
            if r["id"] == "fr-2025-05-quantum-list-update" and r["reason"] == "in_force"
        ]

    assert not via_update("2025-04-30")
    (role,) = via_update("2025-05-01")
    assert role["items"] == ["quantum-technology"]
    items = {i["item"]: i["stage"] for i in control("2025-05-01", "fr", SEPT_2024)["items"]}
    assert items["quantum-technology"] == "in_force"


def test_taiwans_newest_evidence_is_no_older_than_december_2025():
    evidence = set(ally(date.today().isoformat(), "tw")["evidence"])
    dates = {s.id: s.date.latest for s in shipped_statements() if s.id in evidence}
    assert max(dates.values()) >= date(2025, 12, 1), dates


def test_the_affiliates_rule_status_is_unknown_from_10_november_2026():
    # the suspension ran to 10 November 2026 and no stored page says what followed
    assert control("2026-11-09", "nl", AFFILIATES)["status"] == "suspended"
    for day in ("2026-11-10", "2026-12-07"):
        for ally_id in ("nl", "jp", "tw"):
            row = control(day, ally_id, AFFILIATES)
            assert (row["live"], row["status"]) == (False, "unknown"), (day, ally_id)
