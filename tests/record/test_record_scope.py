"""The Japanese and Dutch equipment measures count for chipmaking equipment, not for every item
of the October 2022 rule (the curator's scope reading in data/statements.yaml)."""

from __future__ import annotations

import json

import world
from world import REPO

DATA = REPO / "data"
OCT_2022 = "us-2022-10-advanced-computing-sme"


def items(day: str, ally_id: str) -> dict[str, str]:
    result = world.run(
        "status", "--json", "--as-of", day, "--ally", ally_id, "--control", OCT_2022, "--data", DATA
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["allies"][0]["controls"][0]
    return {i["item"]: i["stage"] for i in row["items"]}


def test_the_2023_equipment_measures_put_only_equipment_in_force():
    # Japan from 23 July 2023, the Netherlands from 1 September 2023; neither measure lists
    # advanced-computing chips or supercomputer end uses
    for day, ally_id in (("2023-07-23", "jp"), ("2023-09-01", "nl")):
        stages = items(day, ally_id)
        assert stages["semiconductor-manufacturing-equipment"] == "in_force"
        assert stages["supercomputer-end-use"] != "in_force"
        assert stages["advanced-computing-chips"] != "in_force"
