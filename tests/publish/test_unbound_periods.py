"""Where a control did not bind: scoring's ``unbound_periods`` agrees with ``control_state`` on
every day, and the site draws those stretches over the control's band and says them in the
chart's text."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from export_alignment.checks import validate
from export_alignment.scoring import control_state, unbound_periods
from world import REPO, run
from world.scoped import CHIPS, LIFECYCLE_CONTROLS, event, rule, write

ROOT = REPO
UNTIL = date(2026, 12, 31)

CONTROLS = [
    *LIFECYCLE_CONTROLS,
    rule(
        "c5",
        [CHIPS],
        first="2024-01-01",
        lifecycle=[
            event("suspended", "2024-06-01"),
            event("resumed", "2024-09-01"),
            event("suspended", "2025-02-01", until="2025-04-01"),
            event("rescinded", "2025-03-01"),
        ],
    ),
    # a partial first date: the control exists from the year's last day, already suspended
    rule(
        "c6",
        [CHIPS],
        first="2024",
        date_note="only the year is known",
        lifecycle=[event("suspended", "2024-06-01")],
    ),
]


def days(start: date, end: date):
    while start <= end:
        yield start
        start += timedelta(days=1)


def test_the_periods_are_the_days_the_control_exists_and_does_not_bind(tmp_path):
    dataset = validate(write(tmp_path, CONTROLS), UNTIL).dataset
    for control in dataset.initiator_controls():
        periods = unbound_periods(control, UNTIL)
        for day in days(date(2023, 12, 1), UNTIL):
            state = control_state(control, day)
            inside = [p for p in periods if p.start <= day and (p.end is None or day < p.end)]
            assert len(inside) == (state.exists and not state.live), (control.id, day)
            if inside:
                assert inside[0].status == state.status, (control.id, day)
    c5 = next(c for c in dataset.initiator_controls() if c.id == "c5")
    assert [(str(p.start), str(p.end), p.status) for p in unbound_periods(c5, UNTIL)] == [
        ("2024-06-01", "2024-09-01", "suspended"),
        ("2025-02-01", "2025-03-01", "suspended"),
        ("2025-03-01", "None", "rescinded"),  # rescinded during a suspension: it never returns
    ]
    c6 = next(c for c in dataset.initiator_controls() if c.id == "c6")
    assert [(str(p.start), p.end, p.status) for p in unbound_periods(c6, UNTIL)] == [
        ("2024-12-31", None, "suspended")  # from the day it exists, not from the as-of date
    ]


@pytest.fixture(scope="module")
def japan(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("site") / "site"
    run("site", "-o", out, "--data", ROOT / "data", "--as-of", "2026-11-28", code=0)
    return (out / "allies" / "jp.html").read_text(encoding="utf-8")


def test_the_site_shades_where_a_control_did_not_bind(japan):
    gaps = re.findall(
        r'<rect class="gap" x="([\d.]+)" [^>]*width="([\d.]+)"[^>]*><title>([^<]*)', japan
    )
    titles = [t for _, _, t in gaps]
    assert len(gaps) == 3, titles
    # the AI diffusion rule: announced non-enforcement, not a printed rescission
    assert "not enforced from 13 May 2025, not binding" in titles[0]
    assert "rescinded" not in titles[0]
    assert "suspended from 10 November 2025 until 10 November 2026, not binding" in titles[1]
    # nothing is recorded after the suspension's end: from then its status is unknown
    assert "unknown from 10 November 2026, not binding" in titles[2]
    right = max(float(x) + float(w) for x, w, _ in gaps)
    suspended_end = float(gaps[1][0]) + float(gaps[1][1])
    # the suspension ends before the as-of date; the non-enforcement does not
    assert suspended_end < right
    assert float(gaps[2][0]) == suspended_end
    # not live on the as-of date: the band's note says what happened, the unknown in words
    assert (
        "suspended on 10 November 2025 until 10 November 2026; the record does not say whether "
        "it binds again after 10 November 2026" in japan
    )
    assert "a grey shade, where it did not bind" in japan
