"""The index says how fresh the record is across allies: one review date when all agree, else
the span, and how many allies have none (not just the latest, which would overstate it)."""

from __future__ import annotations

import re
from pathlib import Path

from world import ACTOR_RECORDS, REPO, run, statement, write_dataset

ROOT = REPO


def sentence(site: Path) -> str:
    text = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(
        r"(The (?:record was|allies' records were) last reviewed[^<]*|No review[^<]*)", text
    )
    assert found, text[:2000]
    return found.group(1)


def test_the_shipped_index_gives_the_one_review_date_all_allies_share(tmp_path):
    # the third edition's search (7 December 2026) reached that day for every ally
    run("site", "-o", tmp_path / "s", "--data", ROOT / "data", "--as-of", "2026-12-07", code=0)
    expected = "The record was last reviewed on 7 December 2026 for every ally."
    assert sentence(tmp_path / "s") == expected


def test_one_date_and_the_allies_without_one(tmp_path):
    def actors(**reviewed):
        return [
            {**a, "reviewed": reviewed[a["id"]]} if a["id"] in reviewed else a
            for a in ACTOR_RECORDS
        ]

    cases = [
        (
            {"jp": "2026-01-02", "nl": "2026-01-02"},
            "The record was last reviewed on 2 January 2026 for every ally.",
        ),
        (
            {"jp": "2026-01-02"},
            "The record was last reviewed on 2 January 2026; 1 ally without a review date.",
        ),
        ({}, "No review date is recorded."),
    ]
    for i, (reviewed, expected) in enumerate(cases):
        data = write_dataset(
            tmp_path / f"r{i}",
            [statement("jp-talks", "2023-01-13", "talks")],
            actors=actors(**reviewed),
        )
        run("site", "-o", tmp_path / f"s{i}", "--data", data, "--as-of", "2026-06-01", code=0)
        assert sentence(tmp_path / f"s{i}") == expected
