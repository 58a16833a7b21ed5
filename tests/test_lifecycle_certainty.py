"""Lifecycle events that say how sure they are: a non-enforcement announcement stops a control
binding without being a printed rescission; a suspension whose ``until`` has passed with nothing
recorded after it leaves the control's status unknown."""

from __future__ import annotations

from datetime import date

from export_alignment.scoring import Evaluator, control_state, unbound_periods
from world import initiator_control, load, statement, write_dataset


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
    ds = load(data)
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
    c = load(write_dataset(tmp_path, controls=[control])).control("us-c1")
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
    c = load(write_dataset(tmp_path, controls=[control])).control("us-c1")
    assert control_state(c, date(2025, 9, 1)).live
