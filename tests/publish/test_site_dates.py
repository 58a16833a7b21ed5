"""The site's charts start on 1 January of the year before their last day: an as-of date that
leaves no such day is a usage error in our words, never a traceback."""

from __future__ import annotations

import pytest

import world


@pytest.mark.parametrize("day", ["0001-01-01", "0001-12-31", "0001"])
def test_a_date_that_cannot_be_charted_is_a_usage_error(tmp_path, day):
    data = world.write_world(tmp_path / "r").data
    r = world.run("site", "--data", data, "-o", tmp_path / "site", "--as-of", day, code=2)
    assert "--as-of 0001-" in r.stderr and "0002-01-01 or later" in r.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("day", ["0002-01-01", "9999-12-31"])
def test_the_first_and_last_chartable_dates_build(tmp_path, day):
    data = world.write_world(tmp_path / "r").data
    world.run("site", "--data", data, "-o", tmp_path / "site", "--as-of", day, code=0)
    assert (tmp_path / "site" / "index.html").is_file()
