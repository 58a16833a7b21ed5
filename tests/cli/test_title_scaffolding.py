"""Curator scaffolding on titles ("(descriptive title)") stays in the record, out of what
readers see in the status, as in the brief."""

from __future__ import annotations

import pytest

import world
from export_alignment.escape import reader_text
from world import REPO

DATA = REPO / "data"


def test_reader_text_drops_only_the_curators_note():
    assert reader_text("October 2023 rules (descriptive title)") == "October 2023 rules"
    assert (
        reader_text("List update (601 entities; descriptive title)") == "List update (601 entities)"
    )
    assert reader_text("Regulation (EU) 2025/2003 (title partly descriptive)") == (
        "Regulation (EU) 2025/2003"
    )
    assert reader_text("A title (descriptive of the rule)") == "A title (descriptive of the rule)"


@pytest.mark.parametrize("width", ["80", "120", "200"])
def test_status_shows_no_curator_scaffolding(width):
    assert "descriptive title" in (DATA / "controls.yaml").read_text(encoding="utf-8")
    result = world.run("status", "--data", DATA, env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    assert "descriptive title" not in result.output
    assert "partly descriptive" not in result.output
