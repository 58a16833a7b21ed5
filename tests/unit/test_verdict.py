"""The verdict: what coverage of the live items says, with its thresholds, its since, the one
date rule for evidence ahead of its control, flags that expire, and an ally's history in one
sweep that agrees with rescoring on every day."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export_alignment.checks import validate
from export_alignment.scoring import (
    Coverage,
    Evaluator,
    Stage,
    Verdict,
    verdict_of,
)
from world import REPO, asked, initiator_control, load, measure, statement, write_dataset

TODAY = date(2026, 12, 7)
ITEMS = ["chips", "tools", "memory", "servicing"]
SHIPPED = REPO / "data"


def four_items(**extra) -> dict:
    return initiator_control(scope=ITEMS, **extra)


def in_force(mid: str, items: list[str], day: str = "2023-07-23") -> dict:
    return measure(mid, effective=day, scope=items)


def japan(tmp_path, statements=(), measures=(), controls=None, today=TODAY):
    ds = load(
        write_dataset(
            tmp_path, list(statements), list(measures), controls=controls or [four_items()]
        ),
        today,
    )
    return ds, Evaluator(ds), ds.actor("jp")


# --- thresholds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_force_items", "verdict"),
    [
        ([], Verdict.COMMITTED),  # 0 in force, an item agreed
        (ITEMS[:1], Verdict.PARTLY_IN_FORCE),  # 1 (= half minus one, of four)
        (ITEMS[:2], Verdict.LARGELY_IN_FORCE),  # half
        (ITEMS[:3], Verdict.LARGELY_IN_FORCE),
        (ITEMS, Verdict.IN_FORCE),  # all
    ],
)
def test_the_verdict_at_each_threshold_of_coverage(tmp_path, in_force_items, verdict):
    measures = [in_force("jp-m", in_force_items)] if in_force_items else []
    ds, ev, jp = japan(tmp_path, [statement("agreed", "2023-01-27", "agreement")], measures)
    score = ev.ally(jp, TODAY)
    assert (score.coverage.in_force, score.coverage.total) == (len(in_force_items), 4)
    assert score.verdict is verdict
    # the furthest stage stays available, and the row says the same over the same items
    assert score.furthest is score.stage
    assert score.stage is (Stage.IN_FORCE if in_force_items else Stage.AGREED)
    assert [p.verdict for p in score.controls] == [verdict]


def test_half_of_an_odd_number_of_items_rounds_up():
    # of 5 items, 2 are fewer than half and 3 are at least half
    assert verdict_of(2, 5, Stage.IN_FORCE) is Verdict.PARTLY_IN_FORCE
    assert verdict_of(3, 5, Stage.IN_FORCE) is Verdict.LARGELY_IN_FORCE
    assert verdict_of(1, 2, Stage.IN_FORCE) is Verdict.LARGELY_IN_FORCE


@pytest.mark.parametrize(
    ("signal", "verdict"),
    [
        (None, Verdict.NONE),
        ("raised", Verdict.RAISED),
        ("talks", Verdict.NEGOTIATING),
        ("agreement", Verdict.COMMITTED),
        ("announcement", Verdict.COMMITTED),
        ("adoption", Verdict.COMMITTED),
    ],
)
def test_below_in_force_the_verdict_is_committed_or_the_furthest_stage(tmp_path, signal, verdict):
    said = [statement("s", "2023-01-27", signal)] if signal else []
    ds, ev, jp = japan(tmp_path, said)
    score = ev.ally(jp, TODAY)
    assert score.verdict is verdict
    assert (score.verdict_since is None) is (verdict is Verdict.NONE)


def test_no_live_item_is_none():
    assert verdict_of(0, 0, Stage.NONE) is Verdict.NONE


# --- since --------------------------------------------------------------------------------------


def test_the_verdict_since_is_the_first_day_of_its_continuous_run(tmp_path):
    measures = [
        in_force("jp-a", ITEMS[:1], "2023-03-01"),
        in_force("jp-b", ITEMS[1:2], "2023-06-01"),  # 2 of 4: largely
        in_force("jp-c", ITEMS[2:3], "2023-09-01"),  # 3 of 4: still largely
    ]
    ds, ev, jp = japan(tmp_path, measures=measures)
    score = ev.ally(jp, TODAY)
    assert (score.verdict, str(score.verdict_since)) == (Verdict.LARGELY_IN_FORCE, "2023-06-01")
    assert str(score.since) == "2023-03-01"  # the furthest stage was reached first
    assert [
        (str(c.recorded), c.before, c.after, c.in_force) for c in ev.verdict_changes(jp, TODAY)
    ] == [
        ("2023-03-01", Verdict.NONE, Verdict.PARTLY_IN_FORCE, 1),
        ("2023-06-01", Verdict.PARTLY_IN_FORCE, Verdict.LARGELY_IN_FORCE, 2),
    ]
    assert str(ev.ally(jp, date(2023, 5, 31)).verdict_since) == "2023-03-01"


# --- ahead --------------------------------------------------------------------------------------


def test_evidence_ahead_of_its_control_counts_from_the_controls_date_everywhere(tmp_path):
    control = four_items(announced="2024-09-05", published="2024-09-06", effective="2024-09-05")
    measures = [in_force("jp-m", ITEMS[:1], "2024-07-23")]
    said = [statement("jp-force", "2024-07-23", "entry_into_force", scope=ITEMS[1:2])]
    ds, ev, jp = japan(tmp_path, said, measures, controls=[control])
    score = ev.ally(jp, TODAY)
    [transition] = ev.transitions(jp, TODAY)
    assert str(score.since) == str(transition.recorded) == "2024-09-05"
    assert str(score.verdict_since) == "2024-09-05"
    assert str(score.controls[0].since) == "2024-09-05"
    ahead = [(e.id, str(e.date), str(e.recorded)) for e in score.evidence if e.ahead]
    assert ahead == [("jp-force", "2024-09-05", "2024-07-23"), ("jp-m", "2024-09-05", "2024-07-23")]


# --- flags that expire --------------------------------------------------------------------------


def test_an_anonymous_reservation_flags_until_on_record_evidence_on_its_item_answers_it(tmp_path):
    said = [
        statement("force", "2023-07-23", "entry_into_force"),
        statement("uneasy", "2023-07-24", "reservation", "anonymous", scope=ITEMS[:1]),
        statement("talks", "2023-08-18", "talks", scope=ITEMS[:1]),
    ]
    ds, ev, jp = japan(tmp_path, said)
    before = ev.ally(jp, date(2023, 8, 17)).controls[0]
    [flag] = [f for f in before.flags if str(f.flag) == "unconfirmed_report"]
    assert flag.until == date(2024, 7, 23)
    assert "no on-record evidence on chips since" in flag.shown_because
    assert "2024-07-23" in flag.shown_because
    after = ev.ally(jp, date(2023, 8, 18))
    assert "unconfirmed_report" not in after.flag_names
    assert "unconfirmed_report" not in after.controls[0].flag_names


def test_an_anonymous_claim_flags_no_longer_than_the_staleness_window(tmp_path):
    said = [
        statement("talks", "2023-01-10", "talks"),
        statement("deal", "2023-01-27", "agreement", "anonymous"),
    ]
    ds, ev, jp = japan(tmp_path, said)
    last = date(2023, 1, 27) + timedelta(days=365)
    assert "unconfirmed_report" in ev.ally(jp, last).flag_names
    assert "unconfirmed_report" not in ev.ally(jp, last + timedelta(days=1)).flag_names
    # a shorter window ends it sooner
    assert "unconfirmed_report" not in ev.ally(jp, date(2023, 3, 1), stale_days=30).flag_names
    # the history clears it on the first day after the window
    history = ev.history(jp, TODAY)
    assert "unconfirmed_report" in state_on(history, last)[2]
    assert "unconfirmed_report" not in state_on(history, last + timedelta(days=1))[2]


def test_an_anonymous_claim_is_answered_when_on_record_evidence_reaches_it(tmp_path):
    said = [
        statement("talks", "2023-01-10", "talks"),
        statement("deal", "2023-01-27", "agreement", "anonymous"),
        statement("agreed", "2023-03-01", "agreement"),
    ]
    ds, ev, jp = japan(tmp_path, said)
    assert "unconfirmed_report" in ev.ally(jp, date(2023, 2, 28)).flag_names
    assert "unconfirmed_report" not in ev.ally(jp, date(2023, 3, 1)).controls[0].flag_names


# --- one sweep ----------------------------------------------------------------------------------


def state_on(history, day: date):
    """What the history says for a day: stage, verdict, flags, coverage."""
    stage = next((t.after for t in reversed(history.transitions) if t.date <= day), Stage.NONE)
    verdict = next((v.after for v in reversed(history.verdicts) if v.date <= day), Verdict.NONE)
    flags = next((f for d, f in reversed(history.flag_sets) if d <= day), frozenset())
    coverage = next((c for d, c in reversed(history.coverage) if d <= day), Coverage(0, 0, ()))
    return stage, verdict, flags, coverage


def rescored(ev, ally, day: date, stale_days: int = 365):
    score = ev.ally(ally, day, stale_days)
    return score.stage, score.verdict, frozenset(score.flag_names), score.coverage


def days_to_check(history_days: list[date], start: date, end: date, every: int) -> list[date]:
    """Each change day, the day before it, and every ``every``-th day between."""
    days = {d for c in history_days for d in (c, c - timedelta(days=1)) if start <= d <= end}
    day = start
    while day <= end:
        days.add(day)
        day += timedelta(days=every)
    return sorted(days)


def test_the_history_agrees_with_a_rescore_on_every_day_of_a_small_world(tmp_path):
    controls = [
        four_items(
            lifecycle=[
                {
                    "event": "suspended",
                    "date": "2024-03-01",
                    "until": "2024-09-01",
                    "summary": "paused",
                    "source": {"url": "https://example.gov/s", "title": "s", "kind": "government"},
                },
                {
                    "event": "relaxed",
                    "date": "2024-12-01",
                    "summary": "loosened",
                    "source": {"url": "https://example.gov/r", "title": "r", "kind": "government"},
                },
            ]
        ),
        initiator_control("us-c2", "2023-10-17", None, "2023-11-17", scope=["memory"]),
    ]
    said = [
        statement("raised", "2022-11", "raised", speaker="us-official"),
        statement("talks", "2023-01-10", "talks"),
        statement("deal", "2023-01-27", "agreement", "anonymous"),
        statement("uneasy", "2023-08-01", "reservation", "anonymous", scope=ITEMS[:1]),
        statement("refuse", "2024-02-01", "refusal", controls=["us-c2"]),
        statement("agreed", "2024-05-01", "agreement", controls=["us-c1", "us-c2"]),
    ]
    measures = [
        in_force("jp-a", ITEMS[:1], "2023-07-23"),
        in_force("jp-b", ITEMS[1:3], "2025-02"),
        measure("jp-c", announced="2023-09-01", scope=["memory"], aligns_with=["us-c2"]),
    ]
    ds, ev, jp = japan(tmp_path, said, measures, controls=controls)
    for stale_days in (365, 90):
        history = ev.history(jp, TODAY, stale_days)
        assert history.transitions == ev.transitions(jp, TODAY)
        assert [(v.date, v.after) for v in history.verdicts] == [
            (v.date, v.after) for v in ev.verdict_changes(jp, TODAY)
        ]
        day = date(2022, 10, 1)
        while day <= TODAY:
            assert state_on(history, day) == rescored(ev, jp, day, stale_days), day
            day += timedelta(days=1)
    assert {v.after for v in history.verdicts} >= {Verdict.COMMITTED, Verdict.PARTLY_IN_FORCE}


@pytest.fixture(scope="module")
def shipped():
    ds = validate(SHIPPED, TODAY).dataset
    return ds, Evaluator(ds)


def test_the_history_agrees_with_a_rescore_on_the_shipped_record(shipped):
    ds, ev = shipped
    for ally in ds.allies():
        history = ev.history(ally, TODAY)
        assert history.transitions == ev.transitions(ally, TODAY)
        changes = ev.change_days(ally, TODAY)
        for day in days_to_check(changes, date(2022, 9, 1), TODAY, 29):
            assert state_on(history, day) == rescored(ev, ally, day), (ally.id, day)


def test_the_shipped_record_has_no_ally_fully_in_force_today(shipped):
    ds, ev = shipped
    verdicts = {s.ally.id: s.verdict for s in ev.score(asked(TODAY)).allies}
    assert Verdict.IN_FORCE not in verdicts.values()
    for ally in ("tw", "de", "uk", "fr"):  # in force on a few items only
        assert verdicts[ally] is Verdict.PARTLY_IN_FORCE, ally
    for s in ev.score(asked(TODAY)).allies:  # the furthest stage is kept beside the verdict
        assert s.furthest is s.stage


def test_status_and_timeline_give_germany_the_same_date_on_the_shipped_record(shipped):
    ds, ev = shipped
    de = ds.actor("de")
    score = ev.ally(de, TODAY)
    last = ev.transitions(de, TODAY)[-1]
    assert (str(score.since), str(last.recorded), last.after) == (
        "2024-09-05",
        "2024-09-05",
        Stage.IN_FORCE,
    )


SIGNALS = ["raised", "talks", "agreement", "announcement", "adoption", "entry_into_force"]
SIGNALS += ["enforcement", "reservation", "refusal"]
TIERS = ["on_record", "official_text", "anonymous"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_the_history_agrees_with_a_rescore_on_random_records(tmp_path_factory, seed):
    rng = random.Random(seed)
    said = []
    for n in range(25):
        day = date(2022, 10, 1) + timedelta(days=rng.randrange(0, 1400))
        when = day.isoformat()[: rng.choice([10, 10, 10, 7])]
        items = rng.sample(ITEMS, rng.randint(1, 4))
        said.append(
            statement(f"s{n}", when, rng.choice(SIGNALS), rng.choice(TIERS), scope=sorted(items))
        )
    measures = [
        in_force(
            f"m{n}", rng.sample(ITEMS, rng.randint(1, 2)), f"202{rng.randint(3, 5)}-0{n + 1}-15"
        )
        for n in range(rng.randint(0, 3))
    ]
    suspended = {
        "event": "suspended",
        "date": "2024-06-01",
        "until": rng.choice(["2024-12-01", "2026-06-01"]),
        "summary": "paused",
        "source": {"url": "https://example.gov/s", "title": "s", "kind": "government"},
    }
    control = four_items(lifecycle=[suspended] if rng.random() < 0.5 else [])
    root = tmp_path_factory.mktemp("random")
    ds, ev, jp = japan(root, said, measures, controls=[control])
    stale_days = rng.choice([90, 365])
    history = ev.history(jp, TODAY, stale_days)
    for day in days_to_check(ev.change_days(jp, TODAY, stale_days), date(2022, 9, 1), TODAY, 61):
        assert state_on(history, day) == rescored(ev, jp, day, stale_days), (seed, day)
