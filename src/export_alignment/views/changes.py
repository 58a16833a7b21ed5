"""What ``diff`` compares, as plain values: a row's verdict (with its coverage, in the words every
output uses), stage, since when, flags and coverage as of the comparison date, built once from
scoring's results for both revisions."""

from __future__ import annotations

from dataclasses import dataclass

from typing_extensions import TypedDict

from export_alignment.scoring import AllyScore, PairScore
from export_alignment.views.values import verdict_words


class StageStateJson(TypedDict):
    """A ``StageState`` in ``diff --json``."""

    stage: str
    since: str | None
    flags: list[str]
    coverage: str | None
    verdict: str | None
    headline: str | None


@dataclass(frozen=True)
class StageState:
    """A stage as of the comparison date: the stage, since when, and the flags."""

    stage: str
    since: str | None
    flags: tuple[str, ...]
    coverage: str | None = None
    """"in force on 3 of 11 items"; with the control's status when it no longer binds."""
    verdict: str | None = None
    """The verdict (scoring's ``Verdict``)."""
    headline: str | None = None
    """The verdict with its coverage, as every output says it ("partly in force: 3 of 11
    items")."""

    def as_dict(self) -> StageStateJson:
        return {
            "stage": self.stage,
            "since": self.since,
            "flags": list(self.flags),
            "coverage": self.coverage,
            "verdict": self.verdict,
            "headline": self.headline,
        }


def stage_state(s: AllyScore | PairScore) -> StageState:
    """A headline's or a pair's state for the comparison (with the control's status when it no
    longer binds)."""
    coverage = s.coverage.phrase
    if isinstance(s, PairScore) and not s.state.live:
        coverage += f"; {s.state.status}"
    return StageState(
        str(s.stage),
        None if s.since is None else str(s.since),
        tuple(s.flag_names),
        coverage,
        str(s.verdict),
        verdict_words(s.verdict, s.coverage.in_force, s.coverage.total),
    )
