"""Partial dates: 2022-11 counts from 2022-11-30, 2023 from 2023-12-31."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from export_alignment.dates import PartialDate, parse_day


def d(text: str) -> PartialDate:
    return PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "latest"),
    [
        ("2022-11", date(2022, 11, 30)),
        ("2023-01", date(2023, 1, 31)),
        ("2024-02", date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 28)),
        ("2023", date(2023, 12, 31)),
        ("2023-01-13", date(2023, 1, 13)),
    ],
)
def test_a_date_counts_from_the_last_day_it_could_mean(text, latest):
    assert d(text).latest == latest


def test_month_counts_from_its_last_day_not_its_first():
    # a brief as of 10 November must not count what may only have happened on the 25th
    as_of = date(2022, 11, 10)
    assert not d("2022-11").latest <= as_of
    assert d("2022-11").latest <= date(2022, 11, 30)
    assert d("2022-11").earliest == date(2022, 11, 1)


def test_partial_dates_sort_by_their_last_day_full_date_first_on_a_tie():
    dates = [
        d(t)
        for t in (
            "2023",
            "2022-11",
            "2022-11-30",
            "2022-12-01",
            "2022-11-10",
            "2023-12-31",
            "2023-12",
        )
    ]
    ordered = [str(x) for x in sorted(dates, key=lambda x: x.sort_key)]
    assert ordered == [
        "2022-11-10",
        "2022-11-30",
        "2022-11",
        "2022-12-01",
        "2023-12-31",
        "2023-12",
        "2023",
    ]


@pytest.mark.parametrize(
    ("a", "b", "before"),
    [
        ("2022-10", "2022-11-01", True),
        ("2022-11", "2022-11-30", False),  # may be the same day
        ("2022-11-05", "2022-11", False),  # November could mean the 5th
        ("2022-10-31", "2022-11", True),
        ("2022", "2023-01-01", True),
        ("2023-01", "2023", False),
    ],
)
def test_certainly_before(a, b, before):
    assert d(a).certainly_before(d(b)) is before


def test_is_partial():
    assert d("2022-11").is_partial and d("2022").is_partial
    assert not d("2022-11-30").is_partial


@pytest.mark.parametrize(
    "value",
    [
        "2022-13",
        "2022-00",
        "2023-02-29",
        "2022-1-5",
        "22-01-01",
        "2022-01-01T10:00",
        "",
        True,
        999,
        10000,
        2022.5,
        None,
    ],
)
def test_not_a_date(value):
    with pytest.raises(ValueError):
        PartialDate.parse(value)


def test_accepted_forms():
    assert PartialDate.parse(2023) == PartialDate(2023)
    assert PartialDate.parse(date(2023, 1, 13)) == PartialDate(2023, 1, 13)
    assert PartialDate.parse("2024-02-29") == PartialDate(2024, 2, 29)


def test_human():
    assert d("2023-01-13").human() == "13 January 2023"
    assert d("2022-11").human() == "November 2022"
    assert d("2023").human() == "2023"


@given(
    st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
)
def test_text_round_trips(day, precision):
    value = {
        "day": PartialDate(day.year, day.month, day.day),
        "month": PartialDate(day.year, day.month),
        "year": PartialDate(day.year),
    }[precision]
    assert PartialDate.parse(str(value)) == value
    assert value.earliest <= day <= value.latest


def test_parse_day_wants_a_full_date():
    assert parse_day("2025-01-01") == date(2025, 1, 1)
    for bad in ("2025-01", "tomorrow", "2025-02-30"):
        with pytest.raises(ValueError):
            parse_day(bad)
