"""What counts as evidence for an ally on an initiator control, and from which date.

Statements by their signal and scope; the ally's own measures that align with the control (a
bloc's for its members, ``via`` the bloc); each dated by the one date rule (``counted_from``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.models import (
    Actor,
    ActorKind,
    Control,
    ControlSource,
    Dataset,
    Statement,
    StatementSource,
    Tier,
)
from export_alignment.scoring.vocabulary import MEASURE_STAGE, SIGNAL_STAGE, Stage

_Day = date
"""``date``, for a class whose own field is named ``date``."""


@dataclass(frozen=True)
class Evidence:
    """One dated piece of evidence for a (ally, control) pair."""

    id: str
    """The statement's id, or the ally measure's id."""
    date: PartialDate
    """The date it counts from (for a measure ahead of the control: the control's first date)."""
    tier: Tier
    stage: Stage | None
    """The stage it supports, or None (reservation, refusal)."""
    signal: str
    """The statement's signal, or ``measure-announced`` / ``measure-published`` /
    ``measure-effective``."""
    record: Statement | Control
    speaker: Actor | None = None
    items: frozenset[str] = frozenset()
    """The control's scope items it counts for."""
    via: str | None = None
    """The bloc a member ally is reached through (a bloc's own measure)."""
    recorded: PartialDate | None = None
    """For evidence ahead of the control it concerns: its own date (``date`` is the control's
    first date, ``counted_from``)."""
    day: _Day = field(init=False, repr=False, compare=False)
    """``date``'s last possible day: the day it counts from (kept, for the sweeps)."""
    order: tuple[_Day, int] = field(init=False, repr=False, compare=False)
    """``date.sort_key`` (kept, for the sweeps)."""
    ref: tuple[str, str] = field(init=False, repr=False, compare=False)
    """(id, signal): the key of its role in a row (kept: every score's roles are keyed by it)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", self.date.sort_key)
        object.__setattr__(self, "day", self.order[0])
        object.__setattr__(self, "ref", (self.id, self.signal))

    @property
    def ahead(self) -> bool:
        """Evidence (a measure or a statement) dated before the initiator control it concerns."""
        return self.recorded is not None

    @property
    def counts(self) -> bool:
        """Whether it can move a stage."""
        return self.tier is not Tier.ANONYMOUS and self.stage is not None

    @property
    def summary(self) -> str:
        if isinstance(self.record, Statement):
            return self.record.summary
        field_name = self.signal.removeprefix("measure-")
        return f"{self.record.title} ({field_name})"

    @property
    def sources(self) -> tuple[StatementSource | ControlSource, ...]:
        """Every source cited for it (a measure has one)."""
        if isinstance(self.record, Statement):
            return self.record.cited
        return (self.record.source,)

    @property
    def key(self) -> tuple[tuple[_Day, int], int, str, str]:
        rank = self.stage.rank if self.stage is not None else -1
        return (self.order, -rank, self.id, self.signal)


def counted_from(day: PartialDate, control: Control) -> tuple[PartialDate, PartialDate | None]:
    """The one date rule for evidence on an initiator control: (the date it counts from, its
    own date when that differs). Evidence certainly dated before the control's first date (a
    measure or statement ahead of the control) counts from the control's first date, in every
    output (status, explain, timeline, brief, site, feed); its own date is kept for the text."""
    start = control.first_date
    if start is not None and day.latest < start.latest:
        return start, day
    return day, None


def speaks_for(speaker: Actor | None, ally: Actor) -> bool:
    return speaker is not None and (speaker.id == ally.id or speaker.represents == ally.id)


def _reach(dataset: Dataset, issuer: Actor | None, issuer_id: str) -> list[tuple[str, str | None]]:
    """(ally id, via) for a measure's issuer: itself, and a bloc's members through the bloc."""
    out: list[tuple[str, str | None]] = [(issuer_id, None)]
    if issuer is not None and issuer.kind is ActorKind.BLOC:
        out += [(m, issuer_id) for m in dict.fromkeys(issuer.members) if m != issuer_id]
    return out


def evidence_by_pair(
    dataset: Dataset, initiator_controls: list[Control]
) -> dict[tuple[str, str], list[Evidence]]:
    """Every piece of evidence, by (ally id, initiator control id), in key order (so in order
    of the day each counts from): statements and the measures that align with a control."""
    initiator = {c.id: c for c in initiator_controls}
    by_pair: dict[tuple[str, str], list[Evidence]] = {}
    for s in dataset.statements:
        stage = SIGNAL_STAGE.get(s.signal)
        speaker = dataset.actor(s.speaker)
        tier = s.tier
        for control_id in dict.fromkeys(s.controls):
            control = initiator.get(control_id)
            if control is None:
                continue
            items = frozenset(s.scope or control.scope) & frozenset(control.scope)
            if not items:
                continue
            counts_from, recorded = counted_from(s.date, control)
            for ally in dict.fromkeys(s.about):
                by_pair.setdefault((ally, control_id), []).append(
                    Evidence(
                        s.id,
                        counts_from,
                        tier,
                        stage,
                        str(s.signal),
                        s,
                        speaker,
                        items,
                        recorded=recorded,
                    )
                )
    for c in dataset.controls:
        issuer = dataset.actor(c.issuer)
        for target_id in dict.fromkeys(c.aligns_with):
            target = initiator.get(target_id)
            if target is None:
                continue
            items = frozenset(c.scope) & frozenset(target.scope)
            if not items:
                continue
            for name, stage in MEASURE_STAGE.items():
                value = getattr(c, name)
                if value is None:
                    continue
                counts_from, recorded = counted_from(value, target)
                for ally, via in _reach(dataset, issuer, c.issuer):
                    by_pair.setdefault((ally, target_id), []).append(
                        Evidence(
                            c.id,
                            counts_from,
                            Tier.OFFICIAL_TEXT,
                            stage,
                            f"measure-{name}",
                            c,
                            issuer,
                            items,
                            via,
                            recorded,
                        )
                    )
    for evidence in by_pair.values():
        evidence.sort(key=lambda e: e.key)
    return by_pair
