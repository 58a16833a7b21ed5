"""Lifecycle events that say how sure they are: a non-enforcement announcement stops a control
binding without being a printed rescission; a suspension whose ``until`` has passed with nothing
recorded after it leaves the control's status unknown."""

from __future__ import annotations

from datetime import date

from export_alignment.checks import validate
from export_alignment.scoring import Evaluator, control_state, unbound_periods
from world import initiator_control, load, statement, write_dataset

TODAY = date(2026, 12, 7)


def lifecycle_event(kind: str, day: str, **extra) -> dict:
    return {
        "event": kind,
        "date": day,
        "summary": f"{kind} on {day}",
        "source": {"url": f"https://example.gov/{kind}", "title": kind, "kind": "government"},
        **extra,
    }


def test_non_enforcement_stops_the_control_binding_from_its_date(tmp_path):
    control = initiator_control(lifecycle=[lifecycle_event("non_enforcement", "2025-05-13")])
    data = write_dataset(
        tmp_path, [statement("force", "2024-06-01", "entry_into_force")], controls=[control]
    )
    ds = load(data, TODAY)
    c = ds.control("us-c1")
    before, after = control_state(c, date(2025, 5, 12)), control_state(c, date(2025, 5, 13))
    assert (before.live, before.status) == (True, "live")
    assert (after.live, after.status) == (False, "non_enforcement")
    assert after.phrase == "non_enforcement on 13 May 2025"
    # not binding: the headline no longer rests on it, the row keeps its stage
    score = Evaluator(ds).ally(ds.actor("jp"), date(2025, 6, 1))
    assert str(score.stage) == "none" and [str(p.stage) for p in score.controls] == ["in_force"]
    assert [(u.start, u.end, u.status) for u in unbound_periods(c, date(2026, 1, 1))] == [
        (date(2025, 5, 13), None, "non_enforcement")
    ]


def test_a_rescission_after_non_enforcement_is_reported_as_the_rescission(tmp_path):
    control = initiator_control(
        lifecycle=[
            lifecycle_event("non_enforcement", "2025-05-13"),
            lifecycle_event("rescinded", "2025-09-01"),
        ]
    )
    c = load(write_dataset(tmp_path, controls=[control]), TODAY).control("us-c1")
    assert control_state(c, date(2025, 9, 1)).status == "rescinded"
    assert [(u.start, u.end, u.status) for u in unbound_periods(c, date(2026, 1, 1))] == [
        (date(2025, 5, 13), date(2025, 9, 1), "non_enforcement"),
        (date(2025, 9, 1), None, "rescinded"),
    ]


def test_resumed_after_non_enforcement_binds_again(tmp_path):
    control = initiator_control(
        lifecycle=[
            lifecycle_event("non_enforcement", "2025-05-13"),
            lifecycle_event("resumed", "2025-09-01"),
        ]
    )
    c = load(write_dataset(tmp_path, controls=[control]), TODAY).control("us-c1")
    assert control_state(c, date(2025, 9, 1)).live


def suspended_for_a_year(*later: dict) -> dict:
    return initiator_control(
        lifecycle=[lifecycle_event("suspended", "2025-11-10", until="2026-11-10"), *later]
    )


def test_a_suspension_past_its_end_with_nothing_recorded_after_leaves_the_status_unknown(
    tmp_path,
):
    data = write_dataset(
        tmp_path,
        [statement("force", "2024-06-01", "entry_into_force")],
        controls=[suspended_for_a_year()],
    )
    ds = load(data, TODAY)
    c = ds.control("us-c1")
    during, after = control_state(c, date(2026, 11, 9)), control_state(c, date(2026, 11, 10))
    assert (during.live, during.status) == (False, "suspended")
    assert (after.live, after.status) == (False, "unknown")
    assert after.phrase == (
        "suspended on 10 November 2025 until 10 November 2026; "
        "the record does not say whether it binds again after 10 November 2026"
    )
    # not live: no headline or coverage rests on it, and it is told apart from a suspension
    score = Evaluator(ds).ally(ds.actor("jp"), date(2026, 12, 1))
    assert (str(score.stage), score.coverage.total) == ("none", 0)
    assert [(u.start, u.end, u.status) for u in unbound_periods(c, date(2026, 12, 1))] == [
        (date(2025, 11, 10), date(2026, 11, 10), "suspended"),
        (date(2026, 11, 10), None, "unknown"),
    ]
    # validate asks a curator to look, once the end has passed (relative to today)
    warned = [
        p for p in validate(data, date(2026, 12, 1)).problems if p.rule == "suspension-end-unknown"
    ]
    assert [(p.level.value, "2026-11-10" in p.message) for p in warned] == [("warning", True)]
    assert not [
        p for p in validate(data, date(2026, 11, 9)).problems if p.rule == "suspension-end-unknown"
    ]


def test_a_later_event_says_what_happened_after_the_suspension(tmp_path):
    relaxed = suspended_for_a_year(lifecycle_event("relaxed", "2026-11-20"))
    data = write_dataset(
        tmp_path,
        [statement("force", "2024-06-01", "entry_into_force")],
        controls=[relaxed],
    )
    ds = load(data, TODAY)
    c = ds.control("us-c1")
    # unknown until the later event, which says it binds (relaxed: it still binds)
    assert control_state(c, date(2026, 11, 19)).status == "unknown"
    assert control_state(c, date(2026, 11, 20)).live
    assert str(Evaluator(ds).ally(ds.actor("jp"), date(2026, 12, 1)).stage) == "in_force"
    assert not [
        p for p in validate(data, date(2026, 12, 1)).problems if p.rule == "suspension-end-unknown"
    ]


def test_a_resumption_on_the_day_the_suspension_ends_binds_from_that_day(tmp_path):
    resumed = suspended_for_a_year(lifecycle_event("resumed", "2026-11-10"))
    c = load(write_dataset(tmp_path, controls=[resumed]), TODAY).control("us-c1")
    assert control_state(c, date(2026, 11, 10)).live
