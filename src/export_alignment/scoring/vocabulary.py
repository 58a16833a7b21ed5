"""The scoring vocabulary, defined once: stages, verdicts, flags, roles, thresholds.

Each with its one description (``STAGES``, ``VERDICTS``, ``FLAGS``, ``ROLES``); the verdict's
thresholds are ``verdict_of``'s; what evidence moves an ally to the next stage (``next_step``).
"""

from __future__ import annotations

from enum import StrEnum

from export_alignment.models import Signal
from export_alignment.question import DEFAULT_STALE_DAYS as DEFAULT_STALE_DAYS  # re-exported


class Stage(StrEnum):
    NONE = "none"
    RAISED = "raised"
    NEGOTIATING = "negotiating"
    AGREED = "agreed"
    ANNOUNCED = "announced"
    ADOPTED = "adopted"
    IN_FORCE = "in_force"

    @property
    def rank(self) -> int:
        return _RANK[self]


LADDER: list[Stage] = list(Stage)
"""The stages in order, lowest first."""
_RANK = {stage: n for n, stage in enumerate(LADDER)}

STAGES: dict[Stage, str] = {
    Stage.NONE: "no evidence that the ally has been pressed or has acted",
    Stage.RAISED: "the initiator has pressed the ally, on record",
    Stage.NEGOTIATING: "the ally is in talks or reviewing, on record (either side may say so)",
    Stage.AGREED: "an agreement in principle, confirmed on record by a named official of either "
    "side",
    Stage.ANNOUNCED: "the ally has announced its own measures (a draft ordinance, a letter to "
    "parliament)",
    Stage.ADOPTED: "the ally's legal text is published but not yet in effect",
    Stage.IN_FORCE: "the ally's measures are in effect or being enforced",
}

SIGNAL_STAGE: dict[Signal, Stage] = {
    Signal.RAISED: Stage.RAISED,
    Signal.TALKS: Stage.NEGOTIATING,
    Signal.AGREEMENT: Stage.AGREED,
    Signal.ANNOUNCEMENT: Stage.ANNOUNCED,
    Signal.ADOPTION: Stage.ADOPTED,
    Signal.ENTRY_INTO_FORCE: Stage.IN_FORCE,
    Signal.ENFORCEMENT: Stage.IN_FORCE,
}
"""Which stage a statement's signal supports; reservation and refusal support none (they flag)."""


class Verdict(StrEnum):
    """What coverage of the live items says, highest first in ``VERDICTS``."""

    NONE = "none"
    RAISED = "raised"
    NEGOTIATING = "negotiating"
    COMMITTED = "committed"
    PARTLY_IN_FORCE = "partly_in_force"
    LARGELY_IN_FORCE = "largely_in_force"
    IN_FORCE = "in_force"

    @property
    def rank(self) -> int:
        return list(Verdict).index(self)


VERDICTS: dict[Verdict, str] = {
    Verdict.IN_FORCE: "every live item in force",
    Verdict.LARGELY_IN_FORCE: "at least half of the live items in force, not all",
    Verdict.PARTLY_IN_FORCE: "at least one live item in force, fewer than half",
    Verdict.COMMITTED: "no live item in force; some item agreed, announced or adopted",
    Verdict.NEGOTIATING: "the furthest stage on any live item is negotiating",
    Verdict.RAISED: "the furthest stage on any live item is raised",
    Verdict.NONE: "no live item has reached any stage (or there is no live item)",
}
"""The verdict vocabulary, highest first: one description each (the thresholds are
``verdict_of``'s)."""

_BELOW_AGREED = {
    Stage.NONE: Verdict.NONE,
    Stage.RAISED: Verdict.RAISED,
    Stage.NEGOTIATING: Verdict.NEGOTIATING,
}


def verdict_of(in_force: int, total: int, furthest: Stage) -> Verdict:
    """The verdict from coverage: ``in_force`` of ``total`` live items in force, and the
    furthest stage on any of them. The thresholds, defined here only: all items -> in_force;
    at least half (2 * in_force >= total) -> largely_in_force; at least one -> partly_in_force;
    none in force but the furthest stage agreed or beyond -> committed; otherwise the furthest
    stage (negotiating, raised, none)."""
    if total and in_force == total:
        return Verdict.IN_FORCE
    if in_force and 2 * in_force >= total:
        return Verdict.LARGELY_IN_FORCE
    if in_force:
        return Verdict.PARTLY_IN_FORCE
    if furthest.rank >= Stage.AGREED.rank:
        return Verdict.COMMITTED
    return _BELOW_AGREED[furthest]


STAGE_GLYPH: dict[Stage, str] = {
    Stage.NONE: "·",
    Stage.RAISED: "○",
    Stage.NEGOTIATING: "◔",
    Stage.AGREED: "◑",
    Stage.ANNOUNCED: "◕",
    Stage.ADOPTED: "◉",
    Stage.IN_FORCE: "●",
}
"""One glyph per stage for the coverage matrix (always printed with the stage name)."""

FLAG_SIGNALS = (Signal.RESERVATION, Signal.REFUSAL)
"""Signals that flag a stage instead of supporting one."""

MEASURE_STAGE: dict[str, Stage] = {
    "announced": Stage.ANNOUNCED,
    "published": Stage.ADOPTED,
    "effective": Stage.IN_FORCE,
}
"""Which stage each date of an ally's own measure supports."""


class Flag(StrEnum):
    CONTESTED = "contested"
    DECLINED = "declined"
    UNCONFIRMED_REPORT = "unconfirmed_report"
    ONE_SIDED = "one_sided"
    STALE = "stale"
    PARTIAL = "partial"


FLAGS: dict[Flag, str] = {
    Flag.CONTESTED: "a reservation was voiced on record after the stage was reached (it does not "
    "lower it)",
    Flag.DECLINED: "a refusal was voiced on record after the stage was reached (it does not "
    "lower it)",
    Flag.UNCONFIRMED_REPORT: "an anonymous report claims a higher stage than the evidence on "
    "record supports, or reports a reservation or refusal; it moves nothing; the flag ends "
    "once later on-record evidence answers it, or once the report is older than the age "
    "threshold",
    Flag.ONE_SIDED: "agreed only on the initiator's word: no official of the ally confirmed the "
    "agreement on record",
    Flag.STALE: "the newest evidence (or the last review, if later) is older than the staleness "
    "threshold",
    Flag.PARTIAL: "some item of a live initiator control is at a lower stage than the headline",
}


class Role(StrEnum):
    """What one piece of evidence does to a stage."""

    SETS = "sets"
    SUPPORTS = "supports"
    FLAGS = "flags"
    NOT_COUNTED = "not_counted"


ROLES: dict[Role, str] = {
    Role.SETS: "sets the stage: the first evidence on record to reach it",
    Role.SUPPORTS: "supports the stage or a lower one; it counts but did not set the stage",
    Role.FLAGS: "raises a flag (a reservation or refusal on record); it never lowers the stage",
    Role.NOT_COUNTED: "does not count",
}


def next_step(stage: Stage) -> str | None:
    """What evidence would move an ally from ``stage`` to the next one."""
    if stage is Stage.IN_FORCE:
        return None
    target = LADDER[stage.rank + 1]
    signals = [str(s) for s, st in SIGNAL_STAGE.items() if st is target]
    text = (
        f"{target}: {STAGES[target]}. Record a statement with signal "
        f"{' or '.join(signals)} from an official_text or on_record source"
    )
    measure = [name for name, st in MEASURE_STAGE.items() if st is target]
    if measure:
        text += f", or an ally measure that aligns_with the control and has its {measure[0]} date"
    return text + ". Anonymous reports do not count."
