"""The adapter between scoring and the site, feed and exports: its stage histories agree with
``Evaluator.transitions`` (what ``timeline`` reports) and with the scores as of each date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from export_alignment.checks import validate
from export_alignment.scoring import Evaluator
from export_alignment.views.publication import publish
from world import REPO, asked, initiator_control, load, measure, statement, write_dataset

ROOT = REPO


def shipped():
    return validate(ROOT / "data", date(2026, 11, 28)).dataset


def partial_dates(tmp_path):
    statements = [
        statement("jp-raised", "2022-11", "raised", speaker="us-official"),
        statement("jp-talks", "2022-11-30", "talks"),
        statement("jp-anon", "2023-01", "agreement", "anonymous"),
        statement("jp-no", "2023-02-02", "reservation"),
        statement("nl-talks", "2023", "talks", about=["nl"]),
    ]
    controls = [initiator_control(), initiator_control("us-c2", "2023-10", None, None)]
    data = write_dataset(
        tmp_path,
        statements,
        [measure("jp-m", announced="2023-03-31", effective="2023-07-23")],
        controls=controls,
    )
    return load(data)


@pytest.mark.parametrize("which", ["shipped", "partial"])
@pytest.mark.parametrize("as_of", [date(2023, 1, 25), date(2024, 6, 1), date(2026, 11, 28)])
def test_headline_steps_are_the_timeline(which, as_of, tmp_path):
    dataset = shipped() if which == "shipped" else partial_dates(tmp_path)
    ev = Evaluator(dataset)
    pub = publish(dataset, asked(as_of))
    for ally in pub.allies:
        expected = [
            (
                t.date,
                str(t.recorded),
                str(t.before),
                str(t.after),
                t.evidence.id if t.evidence else None,
            )
            for t in ev.transitions(dataset.actor(ally.id), as_of)
        ]
        assert [(s.date, s.recorded, s.before, s.stage, s.evidence) for s in ally.steps] == expected


def test_bands_replay_to_the_stage_on_each_day(tmp_path):
    dataset = partial_dates(tmp_path)
    as_of = date(2024, 6, 1)
    ev = Evaluator(dataset)
    pub = publish(dataset, asked(as_of))
    for ally in pub.allies:
        actor = dataset.actor(ally.id)
        day = date(2022, 10, 1)
        while day <= as_of:
            score = ev.ally(actor, day)
            for pair in score.controls:
                steps = [s for s in ally.bands[pair.control.id] if s.date <= day]
                assert (steps[-1].stage if steps else "none") == str(pair.stage), (ally.id, day)
            day += timedelta(days=9)
