"""The shipped record: it validates, and the stages it derives for Japan and the Netherlands on
the October 2022 US rule change exactly where the allies' own measures say, not a day earlier."""

from datetime import date, timedelta

import pytest

from export_alignment.checks import validate
from export_alignment.scoring import Evaluator
from world import REPO

DATA = REPO / "data"
OCT_2022 = "us-2022-10-advanced-computing-sme"


@pytest.fixture(scope="module")
def record():
    result = validate(DATA)
    assert result.ok, [p for p in result.problems if p.is_error]
    # no warnings either, but for the source-kind warnings: they point at the pages the record
    # job replaces with the originals (a law firm's summary or a copy where the gazette exists),
    # and a suspension whose end passed with nothing recorded after it (no stored page says what
    # became of the affiliates rule on 10 November 2026: the warning asks a curator to look)
    source_warnings = {"official-text-source", "lone-copy-source", "suspension-end-unknown"}
    assert [p for p in result.problems if p.rule not in source_warnings] == [], result.problems
    return result.dataset


@pytest.fixture(scope="module")
def evaluator(record):
    return Evaluator(record)


def stage_on(evaluator, record, ally: str, day: date) -> str:
    pair = evaluator.pair(record.actor(ally), record.control(OCT_2022), day)
    return str(pair.stage)


# (ally, its measure answering the October 2022 rule, the date field, the stage from that day,
#  the stage the day before)
CHANGES = [
    ("jp", "jp-2023-sme-ordinance", "announced", date(2023, 3, 31), "announced", "agreed"),
    ("jp", "jp-2023-sme-ordinance", "published", date(2023, 5, 23), "adopted", "announced"),
    ("jp", "jp-2023-sme-ordinance", "effective", date(2023, 7, 23), "in_force", "adopted"),
    ("nl", "nl-2023-sme-regulation", "announced", date(2023, 3, 8), "announced", "agreed"),
    ("nl", "nl-2023-sme-regulation", "published", date(2023, 6, 30), "adopted", "announced"),
    ("nl", "nl-2023-sme-regulation", "effective", date(2023, 9, 1), "in_force", "adopted"),
]


@pytest.mark.parametrize(("ally", "measure", "field", "day", "after", "before"), CHANGES)
def test_stage_changes_on_the_measure_dates(
    record, evaluator, ally, measure, field, day, after, before
):
    control = record.control(measure)
    assert control is not None and OCT_2022 in control.aligns_with
    assert getattr(control, field).latest == day  # the record's date is the one pinned here
    assert stage_on(evaluator, record, ally, day) == after
    assert stage_on(evaluator, record, ally, day - timedelta(days=1)) == before


@pytest.mark.parametrize(
    ("ally", "day", "stage"),
    [
        ("jp", date(2022, 10, 26), "none"),
        ("jp", date(2022, 10, 27), "raised"),  # Estevez at CNAS
        ("jp", date(2022, 11, 4), "negotiating"),  # Nishimura weighs the US rules
        ("jp", date(2023, 1, 31), "agreed"),  # Graves acknowledges the deal on record
        ("nl", date(2022, 11, 17), "raised"),
        ("nl", date(2022, 11, 18), "negotiating"),  # the NRC interview: talks with Washington
        ("nl", date(2022, 11, 30), "negotiating"),
        ("nl", date(2023, 1, 30), "negotiating"),  # anonymous deal reports do not move it
        ("nl", date(2023, 1, 31), "agreed"),
    ],
)
def test_stages_before_the_allies_own_measures(record, evaluator, ally, day, stage):
    assert stage_on(evaluator, record, ally, day) == stage


def test_later_packages_are_scored_separately(record, evaluator):
    nl = evaluator.ally(record.actor("nl"), date(2025, 6, 30))
    packages = {
        OCT_2022,
        "us-2023-10-advanced-computing-sme-update",
        "us-2024-09-advanced-technologies-partners",
        "us-2024-12-sme-hbm-fdpr",
    }
    stages = {p.control.id: str(p.stage) for p in nl.controls if p.control.id in packages}
    assert stages == {
        OCT_2022: "in_force",
        "us-2023-10-advanced-computing-sme-update": "in_force",
        "us-2024-09-advanced-technologies-partners": "in_force",
        "us-2024-12-sme-hbm-fdpr": "in_force",
    }
    jp = evaluator.ally(record.actor("jp"), date(2025, 6, 30))
    assert str(jp.stage) == "in_force" and "partial" in jp.flag_names
