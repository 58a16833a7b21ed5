"""An initiator control's life: whether it exists and binds on a date, and its events.

Suspension, non-enforcement, rescission and the ``unknown`` status (``control_state``), the
stretches it did not bind (``unbound_periods``), its events for the timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from export_alignment.dates import PartialDate
from export_alignment.models import Control, Dataset, LifecycleEvent, LifecycleKind
from export_alignment.question import in_question


class ControlStatus(StrEnum):
    """What an initiator control is on a date (``ControlState.status``)."""

    LIVE = "live"
    NOT_YET_ISSUED = "not yet issued"
    RESCINDED = "rescinded"
    SUSPENDED = "suspended"
    NON_ENFORCEMENT = "non_enforcement"
    UNKNOWN = "unknown"


CONTROL_STATUSES: dict[ControlStatus, str] = {
    ControlStatus.LIVE: "it binds: issued, and neither withdrawn, suspended nor unenforced",
    ControlStatus.NOT_YET_ISSUED: "not yet announced, published or in effect",
    ControlStatus.RESCINDED: "the initiator withdrew it; it no longer binds",
    ControlStatus.SUSPENDED: "the initiator suspended it; it does not bind meanwhile",
    ControlStatus.NON_ENFORCEMENT: "the initiator said it will not enforce it, pending "
    "rescission; it does not bind (not a printed rescission)",
    ControlStatus.UNKNOWN: "a suspension's end date has passed and no later event is recorded: "
    "the record does not say whether it binds again after that date; not counted as live",
}


@dataclass(frozen=True)
class ControlState:
    """An initiator control on a date: whether it exists and binds, and what happened to it."""

    exists: bool
    live: bool
    events: tuple[LifecycleEvent, ...] = ()
    """Its lifecycle events that happened by the date, in date order."""
    unknown_after: PartialDate | None = None
    """When the status is ``unknown``: the end (``until``) of the suspension that passed with no
    later event recorded."""

    @property
    def status(self) -> str:
        """A ``ControlStatus`` value: ``live``, ``not yet issued``, ``rescinded``,
        ``suspended``, ``non_enforcement`` or ``unknown``."""
        if not self.exists:
            return str(ControlStatus.NOT_YET_ISSUED)
        if self.live:
            return str(ControlStatus.LIVE)
        if self.unknown_after is not None:
            return str(ControlStatus.UNKNOWN)
        last = next(e for e in reversed(self.events) if e.event in UNBINDING)
        return str(last.event)

    @property
    def phrase(self) -> str:
        """What happened, in words: "rescinded on 13 May 2025; relaxed on 15 January 2026"."""
        return self.phrase_with(PartialDate.human)

    def phrase_with(self, day: Callable[[PartialDate], str]) -> str:
        """``phrase`` with dates written by ``day`` (the terminal writes them as ISO dates)."""
        parts = []
        for e in self.events:
            text = f"{e.event} {'in' if e.date.is_partial else 'on'} {day(e.date)}"
            if e.until is not None:
                text += f" until {day(e.until)}"
            parts.append(text)
        if self.unknown_after is not None:
            parts.append(unknown_words(self.unknown_after, day))
        return "; ".join(parts)


def unknown_words(after: PartialDate, day: Callable[[PartialDate], str] = PartialDate.human) -> str:
    """The one wording of an ``unknown`` status."""
    return f"the record does not say whether it binds again after {day(after)}"


UNBINDING = (LifecycleKind.RESCINDED, LifecycleKind.SUSPENDED, LifecycleKind.NON_ENFORCEMENT)
"""Lifecycle events after which a control does not bind (a suspension only until its ``until``)."""


def control_dates(control: Control) -> list[PartialDate]:
    """The dates on which ``control_state`` can answer differently: the control's first date,
    each lifecycle event's date and each suspension's ``until``."""
    dates = [control.first_date] if control.first_date is not None else []
    for event in control.lifecycle:
        dates.append(event.date)
        if event.until is not None:
            dates.append(event.until)
    return dates


def in_record_by(control: Control, as_of: date) -> bool:
    """Whether the control is in the record by ``as_of``: it has no first date, or that date
    (its last possible day) has come."""
    start = control.first_date
    return start is None or start.latest <= as_of


def control_state(control: Control, day: date) -> ControlState:
    """Whether the control exists and binds on ``day`` (an event counts from its last possible
    day). A suspension ends on its ``until`` date, when that has certainly come, into the
    ``unknown`` status unless a later event says what happened: the next lifecycle event decides
    from its own date (``resumed`` or ``relaxed``: it binds; the others: it does not)."""
    exists = in_record_by(control, day)
    events = tuple(
        sorted(
            (e for e in control.lifecycle if e.date.latest <= day), key=lambda e: e.date.sort_key
        )
    )
    live = exists
    unknown: PartialDate | None = None
    for e in events:
        if unknown is not None and e.date.latest >= unknown.latest:
            unknown = None  # a later event says what happened after the suspension
            live = e.event in (LifecycleKind.RESUMED, LifecycleKind.RELAXED)
        if e.event is LifecycleKind.RESCINDED:
            live, unknown = False, None
            break
        if e.event is LifecycleKind.SUSPENDED:
            live = False
            if e.until is not None and e.until.latest <= day:
                unknown = e.until
        elif e.event is LifecycleKind.NON_ENFORCEMENT:
            live = False
        elif e.event is LifecycleKind.RESUMED:
            live = True
    return ControlState(exists, live and exists, events, unknown if exists else None)


@dataclass(frozen=True)
class Unbound:
    """A stretch of days on which an issued control did not bind (``control_state``)."""

    start: date
    end: date | None
    """The first day it bound again, or None when it had not by the date asked."""
    status: str
    """``rescinded``, ``suspended``, ``non_enforcement`` or ``unknown``, as
    ``ControlState.status`` says on ``start``."""


def unbound_periods(control: Control, until: date) -> list[Unbound]:
    """The stretches up to ``until`` on which the control existed but did not bind: the days
    ``control_state`` answers ``exists and not live``, found by asking it on each day the
    answer can change (``control_dates``)."""
    days = sorted({d.latest for d in control_dates(control)} | {until})
    out: list[Unbound] = []
    for day in (d for d in days if d <= until):
        state = control_state(control, day)
        open_ = bool(out) and out[-1].end is None
        off = state.exists and not state.live
        if open_ and (not off or out[-1].status != state.status):
            out[-1] = Unbound(out[-1].start, day, out[-1].status)
            open_ = False
        if off and not open_:
            out.append(Unbound(day, None, state.status))
    return out


@dataclass(frozen=True)
class LifecycleChange:
    """An event in an initiator control's life, for the timeline."""

    control: Control
    event: LifecycleEvent


def lifecycle_changes(
    dataset: Dataset, until: date, control: str | None = None, scope: str | None = None
) -> list[LifecycleChange]:
    """Every lifecycle event of the initiator's controls in the question (``in_question``: the
    one ``control`` asked about, those covering the ``scope`` item, or all) up to ``until``, in
    date order."""
    out = [
        LifecycleChange(c, e)
        for c in dataset.initiator_controls()
        if in_question(c, control, scope)
        for e in c.lifecycle
        if e.date.latest <= until
    ]
    return sorted(out, key=lambda ch: (ch.event.date.sort_key, ch.control.id))
