"""Each ally's alignment stage, derived from the evidence, with the evidence that set it.

Rules (each pinned by tests, and shown by ``explain``):

* **Per item.** A stage is derived per (ally, initiator control, scope item) as of a date. The items
  are the control's ``scope``. Evidence counts only when it certainly happened by then: a partial
  date counts from the last day it could mean.
* **What evidence covers.** Statements map to stages by their signal (``SIGNAL_STAGE``) and count
  for the items named in their ``scope``, or for every item of the controls they concern. An
  ally's own measure whose ``aligns_with`` names the initiator control is evidence at its own
  dates, tier official_text (announced -> announced, published -> adopted, effective ->
  in_force), for the items in both its own ``scope`` and the control's.
* **Blocs.** A bloc's measure counts for each member state listed in the bloc's ``members`` as it
  does for the bloc, marked as reaching it through the bloc (``via``).
* **Ahead.** Evidence dated before the initiator control it concerns (an ally measure that
  answers it, or a statement about it: the partner moved first) counts from the control's first
  date, for every since, transition and verdict, and is marked ``ahead``; its own date stays
  available (``Evidence.recorded``) for the text (``counted_from``).
* **Tier.** A statement's tier is its best source's. The stage of an item is the highest stage
  supported by official_text or on_record evidence covering it; ``since`` is the date of the
  earliest such evidence that reached it (on a tie, the smaller id is cited).
* **A control's row** shows the furthest stage over its items, since when, and its coverage: how
  many of its items the ally has in force, and which are missing.
* **Anonymous evidence never moves a stage nor sets contested or declined.** When it claims a
  higher stage, or reports a reservation or refusal, the row is flagged ``unconfirmed_report``,
  but only while it is unanswered and recent: no official_text or on_record evidence dated on or
  after it reaches or passes the stage it claims on each of its items (for a reported reservation
  or refusal: no such evidence at all on its items), and no longer than the staleness window
  after its date (``report_ends``). The flag says why it is still shown (``shown_because``).
* **Reservations.** An on-record reservation dated after ``since`` flags ``contested``, a refusal
  ``declined`` (before any stage is reached, any counts). Neither lowers the stage.
* **One-sided.** A row at ``agreed`` whose agreement evidence all comes from speakers other than
  the ally (the initiator's word alone) is flagged ``one_sided``.
* **Live controls.** An initiator control is live on a date when it exists by then (announced,
  published or in effect) and is neither rescinded, suspended nor under non-enforcement on that
  date. A suspension ends on its ``until`` date or at a ``resumed`` event; a non-enforcement
  (the initiator said it will not enforce the rule, pending rescission) lasts until a ``resumed``
  or ``rescinded`` event; ``relaxed`` keeps a control live. A suspension whose ``until`` has
  passed with no later lifecycle event recorded leaves the status ``unknown`` from that day (not
  live; ``ControlStatus``, ``CONTROL_STATUSES``): the next recorded event, if any, decides. A
  control that stopped binding keeps its row and history, marked with what happened.
* **The headline** is the furthest stage over the distinct items of the live controls (an item's
  stage is the furthest on any live control covering it), with coverage over those items ("in
  force on 3 of 11 items"). It is flagged ``partial`` when an item of a live control is below the
  headline stage. Contested, declined and one_sided carry from a live row to the headline, an
  unconfirmed report when it claims more than the headline stage or reports a reservation or
  refusal.
* **The verdict** (``Verdict``, ``VERDICTS``, thresholds in ``verdict_of``) says what the coverage
  of the live items adds up to, for the headline and for each control row (over its items):
  ``in_force`` when every item is in force; ``largely_in_force`` when at least half are
  (2 x in force >= items), not all; ``partly_in_force`` when at least one is, fewer than half;
  ``committed`` when none is but the furthest stage is agreed, announced or adopted; otherwise
  the furthest stage (``negotiating``, ``raised``, ``none``; ``none`` also with no live item).
  Its ``verdict_since`` is the first day of its current continuous run. ``stage`` keeps meaning
  the furthest stage (also ``furthest``).
* **One sweep.** ``Evaluator.sweep`` gives stage, verdict and coverage on each day they change;
  ``transitions``, ``verdict_changes`` and every ``verdict_since`` read it. ``Evaluator.history``
  gives the whole history (stage, verdict, flags, coverage) over ``change_days``, the one list
  of days anything can change, equal to rescoring on each day.
* **Narrowing.** Asked about one control (``--control``) or one scope item (``--scope``), the
  headline and coverage are computed over that control (live or not) or that item only.
* ``stale``: the later of the newest evidence and the ally's ``reviewed`` date (when not after the
  as-of date) is older than the threshold (default 365 days).
* An ally with no evidence is at ``none`` with no since and no flags.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from export_alignment.dates import PartialDate
from export_alignment.errors import UsageError
from export_alignment.models import (
    Actor,
    ActorKind,
    Control,
    Dataset,
    LifecycleEvent,
    LifecycleKind,
    Signal,
    Statement,
    Tier,
)

_Day = date
"""``date``, for a class whose own field is named ``date``."""


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
_BY_RANK = LADDER
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


def verdict_of_items(items: list[ItemScore]) -> Verdict:
    """``verdict_of`` over item stages."""
    in_force = sum(1 for i in items if i.stage is Stage.IN_FORCE)
    furthest = max((i.stage for i in items), key=lambda st: st.rank, default=Stage.NONE)
    return verdict_of(in_force, len(items), furthest)


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

DEFAULT_STALE_DAYS = 365


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
    order: tuple = field(init=False, repr=False, compare=False)
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
    def sources(self) -> tuple:
        """Every source cited for it (a measure has one)."""
        if isinstance(self.record, Statement):
            return self.record.cited
        return (self.record.source,)

    @property
    def key(self) -> tuple:
        rank = self.stage.rank if self.stage is not None else -1
        return (self.order, -rank, self.id, self.signal)


@dataclass(frozen=True)
class RoleNote:
    """What a piece of evidence does on one row, and why."""

    role: Role
    reason: str

    @property
    def text(self) -> str:
        """The role's one description, then the reason."""
        return f"{ROLES[self.role]} ({self.reason})" if self.reason else ROLES[self.role]


_NOTES: dict[tuple[Role, str], RoleNote] = {}


def _note(role: Role, reason: str) -> RoleNote:
    """One ``RoleNote`` per role and reason, shared by every row that gives it (a score holds a
    note for each piece of evidence: at 100,000 statements, hundreds of thousands of them)."""
    note = _NOTES.get((role, reason))
    if note is None:
        note = _NOTES[(role, reason)] = RoleNote(role, reason)
    return note


@dataclass(frozen=True)
class FlagNote:
    flag: Flag
    reason: str
    evidence: tuple[str, ...] = ()
    claimed: Stage | None = None
    items: tuple[Evidence, ...] = ()
    """The evidence behind the flag itself (a measure's id alone does not say which date)."""
    scope: tuple[str, ...] = ()
    """For ``partial``: the scope items below the headline."""
    shown_because: str = ""
    """For ``unconfirmed_report``: why it is (still) shown, in words (for ``explain``)."""
    until: date | None = None
    """For ``unconfirmed_report``: the last day it can be shown (its date plus the staleness
    window), if nothing on record answers it sooner."""


@dataclass(frozen=True)
class ItemScore:
    """The stage on one scope item."""

    item: str
    stage: Stage
    since: PartialDate | None = None
    decisive: Evidence | None = None


@dataclass(frozen=True)
class Coverage:
    """How many items are in force, of how many, and which are not."""

    in_force: int
    total: int
    missing: tuple[str, ...]

    @property
    def phrase(self) -> str:
        return f"in force on {self.in_force} of {self.total} item{'s' * (self.total != 1)}"

    def as_dict(self) -> dict:
        return {"in_force": self.in_force, "total": self.total, "missing": list(self.missing)}


def coverage_of(items: list[ItemScore]) -> Coverage:
    missing = tuple(i.item for i in items if i.stage is not Stage.IN_FORCE)
    return Coverage(len(items) - len(missing), len(items), missing)


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


def control_state(control: Control, day: date) -> ControlState:
    """Whether the control exists and binds on ``day`` (an event counts from its last possible
    day). A suspension ends on its ``until`` date, when that has certainly come, into the
    ``unknown`` status unless a later event says what happened: the next lifecycle event decides
    from its own date (``resumed`` or ``relaxed``: it binds; the others: it does not)."""
    exists = _in_record_by(control, day)
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


@dataclass
class PairScore:
    """The stage of one ally on one initiator control."""

    control: Control
    stage: Stage
    since: PartialDate | None
    decisive: Evidence | None
    evidence: list[Evidence]
    flags: list[FlagNote] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)
    """The stage on each of the control's scope items (or the one asked about)."""
    state: ControlState = field(default_factory=lambda: ControlState(True, True))
    roles: dict[tuple[str, str], RoleNote] = field(default_factory=dict)
    verdict_since: PartialDate | None = None
    """The day the row's current ``verdict`` was first reached (its continuous run), as the
    record gives it; None at ``none``."""

    @property
    def furthest(self) -> Stage:
        """The furthest stage on any of the row's items (``stage`` says the same)."""
        return self.stage

    @property
    def verdict(self) -> Verdict:
        """The row's verdict from the coverage of its items (``verdict_of``)."""
        return verdict_of_items(self.items)

    @property
    def flag_names(self) -> list[str]:
        return sorted({str(f.flag) for f in self.flags})

    @property
    def coverage(self) -> Coverage:
        return coverage_of(self.items)

    def role_of(self, e: Evidence) -> RoleNote | None:
        return self.roles.get(e.ref)


@dataclass
class AllyScore:
    """An ally's headline stage and its stage on each initiator control."""

    ally: Actor
    stage: Stage
    since: PartialDate | None
    decisive: Evidence | None
    controls: list[PairScore]
    flags: list[FlagNote] = field(default_factory=list)
    items: list[ItemScore] = field(default_factory=list)
    """The headline stage on each distinct item of the live controls."""
    reviewed: PartialDate | None = None
    """When the curator last checked the public record for this ally (``reviewed``)."""
    verdict_since: PartialDate | None = None
    """The day the current ``verdict`` was first reached (its continuous run), as the record
    gives it; None at ``none``."""

    @property
    def furthest(self) -> Stage:
        """The furthest stage on any live item: the headline stage (``stage`` says the same)."""
        return self.stage

    @property
    def verdict(self) -> Verdict:
        """The headline verdict from the coverage of the live items (``verdict_of``)."""
        return verdict_of_items(self.items)

    @property
    def flag_names(self) -> list[str]:
        return sorted({str(f.flag) for f in self.flags})

    @property
    def coverage(self) -> Coverage:
        return coverage_of(self.items)

    @property
    def live(self) -> list[PairScore]:
        return [p for p in self.controls if p.state.live]

    @property
    def evidence(self) -> list[Evidence]:
        """Every piece of evidence on any control, in date order, each once."""
        seen: dict[tuple, Evidence] = {}
        for pair in self.controls:
            for e in pair.evidence:
                seen.setdefault(e.ref, e)
        return sorted(seen.values(), key=lambda e: e.key)

    def role_of(self, e: Evidence) -> RoleNote:
        """What the evidence does for the headline: sets it, supports it (naming the row it
        sets, if any), flags, or does not count and why."""
        if self.decisive is not None and e.ref == self.decisive.ref:
            return RoleNote(Role.SETS, f"{self.stage}")
        notes = [(p, n) for p in self.controls if (n := p.role_of(e)) is not None]
        for p, n in notes:
            if n.role is Role.SETS and p.state.live:
                return RoleNote(Role.SUPPORTS, f"sets {p.stage} on {p.control.id}")
        for wanted in (Role.SUPPORTS, Role.FLAGS, Role.SETS, Role.NOT_COUNTED):
            for p, n in notes:
                if n.role is wanted:
                    if n.role is Role.SETS:  # on a control that no longer binds
                        return RoleNote(Role.NOT_COUNTED, f"{p.control.id} is {p.state.status}")
                    return n
        return RoleNote(Role.NOT_COUNTED, "on no row scored here")


@dataclass
class Scores:
    as_of: date
    stale_days: int
    allies: list[AllyScore]
    control: str | None = None
    """The one control asked about (``--control``), or None for all live controls."""
    scope: str | None = None
    """The one scope item asked about (``--scope``), or None for all."""

    @property
    def question(self) -> str:
        """What the headline is measured over, in words."""
        if self.control and self.scope:
            return f"control {self.control}, item {self.scope}"
        if self.control:
            return f"control {self.control}"
        if self.scope:
            return f"item {self.scope}"
        return "every live initiator control"


def counted_from(day: PartialDate, control: Control) -> tuple[PartialDate, PartialDate | None]:
    """The one date rule for evidence on an initiator control: (the date it counts from, its
    own date when that differs). Evidence certainly dated before the control's first date (a
    measure or statement ahead of the control) counts from the control's first date, in every
    output (status, explain, timeline, brief, site, feed); its own date is kept for the text."""
    start = control.first_date
    if start is not None and day.latest < start.latest:
        return start, day
    return day, None


def _in_record_by(control: Control, as_of: date) -> bool:
    start = control.first_date
    return start is None or start.latest <= as_of


def _speaks_for(speaker: Actor | None, ally: Actor) -> bool:
    return speaker is not None and (speaker.id == ally.id or speaker.represents == ally.id)


def _reach(dataset: Dataset, issuer: Actor | None, issuer_id: str) -> list[tuple[str, str | None]]:
    """(ally id, via) for a measure's issuer: itself, and a bloc's members through the bloc."""
    out: list[tuple[str, str | None]] = [(issuer_id, None)]
    if issuer is not None and issuer.kind is ActorKind.BLOC:
        out += [(m, issuer_id) for m in dict.fromkeys(issuer.members) if m != issuer_id]
    return out


class Evaluator:
    """Indexes a dataset once; scores allies as of any date."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.initiator_controls = dataset.initiator_controls()
        initiator = {c.id: c for c in self.initiator_controls}
        self._by_pair: dict[tuple[str, str], list[Evidence]] = {}
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
                    self._by_pair.setdefault((ally, control_id), []).append(
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
                        self._by_pair.setdefault((ally, target_id), []).append(
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
        for evidence in self._by_pair.values():
            evidence.sort(key=lambda e: e.key)
        self._days_by_pair = {  # in key order, so in order of the day each counts from
            pair: [e.day for e in evidence] for pair, evidence in self._by_pair.items()
        }
        self._sweeps: dict[tuple[str, str | None, str | None], Sweep] = {}
        self._answers: dict[tuple[str, str, frozenset[str]], dict[tuple[str, str], date]] = {}

    def evidence(self, ally_id: str, control_id: str, as_of: date) -> list[Evidence]:
        """The pair's evidence dated by ``as_of`` (its last possible day), in key order."""
        days = self._days_by_pair.get((ally_id, control_id))
        if not days:
            return []
        return self._by_pair[(ally_id, control_id)][: bisect.bisect_right(days, as_of)]

    def pair(
        self,
        ally: Actor,
        control: Control,
        as_of: date,
        stale_days: int = DEFAULT_STALE_DAYS,
        scope: str | None = None,
        explain: bool = True,
    ) -> PairScore:
        """The ally's stage on one control (on one of its items, with ``scope``); without
        ``explain``, no evidence roles (``history`` needs none)."""
        items = [scope] if scope is not None and scope in control.scope else list(control.scope)
        wanted = frozenset(items)
        evidence = [e for e in self.evidence(ally.id, control.id, as_of) if e.items & wanted]
        best: dict[str, ItemScore] = {i: ItemScore(i, Stage.NONE) for i in items}
        stage, since, decisive = Stage.NONE, None, None
        for e in evidence:  # date order: the first to reach the highest stage is decisive
            if not e.counts:
                continue
            assert e.stage is not None
            for item in e.items & wanted:
                if e.stage.rank > best[item].stage.rank:
                    best[item] = ItemScore(item, e.stage, e.date, e)
            if e.stage.rank > stage.rank:
                stage, since, decisive = e.stage, e.date, e
        flags: list[FlagNote] = []
        roles: dict[tuple[str, str], RoleNote] = {}
        answered = self._answered(ally.id, control.id, wanted)
        since_order = since.sort_key if since is not None else None
        for e in evidence:
            after_since = since_order is None or e.order > since_order
            if explain:
                roles[e.ref] = self._role(e, decisive, stage, after_since)
            anonymous = e.tier is Tier.ANONYMOUS
            if anonymous and (
                as_of > report_ends(e, stale_days)
                or (e.ref in answered and answered[e.ref] <= as_of)
            ):
                continue  # an unconfirmed report flags only while it is neither answered nor old
            if e.signal in FLAG_SIGNALS and anonymous and after_since:
                flags.append(
                    FlagNote(
                        Flag.UNCONFIRMED_REPORT,
                        f"anonymous report {e.id} ({e.date}) of a {e.signal}",
                        (e.id,),
                        items=(e,),
                        shown_because=_still_shown(e, wanted, stale_days),
                        until=report_ends(e, stale_days),
                    )
                )
            elif e.signal == Signal.RESERVATION and after_since:
                flags.append(
                    FlagNote(Flag.CONTESTED, f"reservation {e.id} ({e.date})", (e.id,), items=(e,))
                )
            elif e.signal == Signal.REFUSAL and after_since:
                flags.append(
                    FlagNote(Flag.DECLINED, f"refusal {e.id} ({e.date})", (e.id,), items=(e,))
                )
            elif anonymous and e.stage is not None and e.stage.rank > stage.rank:
                flags.append(
                    FlagNote(
                        Flag.UNCONFIRMED_REPORT,
                        f"anonymous report {e.id} ({e.date}) claims {e.stage}",
                        (e.id,),
                        claimed=e.stage,
                        items=(e,),
                        shown_because=_still_shown(e, wanted, stale_days),
                        until=report_ends(e, stale_days),
                    )
                )
        if stage is Stage.AGREED:
            agreeing = [e for e in evidence if e.counts and e.stage is Stage.AGREED]
            if not any(_speaks_for(e.speaker, ally) for e in agreeing):
                flags.append(
                    FlagNote(
                        Flag.ONE_SIDED,
                        "agreed on the word of "
                        + ", ".join(
                            dict.fromkeys(e.speaker.name if e.speaker else e.id for e in agreeing)
                        ),
                        tuple(dict.fromkeys(e.id for e in agreeing)),
                        items=tuple(agreeing),
                    )
                )
        stale = _stale(evidence[-1:], ally, as_of, stale_days)  # the newest: key order
        if stale:
            flags.append(stale)
        return PairScore(
            control,
            stage,
            since,
            decisive,
            evidence,
            flags,
            [best[i] for i in items],
            control_state(control, as_of),
            roles,
            self.sweep(ally, control.id, scope).verdict_since(as_of),
        )

    @staticmethod
    def _role(e: Evidence, decisive: Evidence | None, stage: Stage, after_since: bool) -> RoleNote:
        if e.tier is Tier.ANONYMOUS:
            what = f"a {e.signal}" if e.stage is None else f"{e.stage}"
            return _note(Role.NOT_COUNTED, f"anonymous: an unconfirmed report of {what}")
        if e.stage is None and not after_since:
            return _note(Role.NOT_COUNTED, f"a {e.signal} before the stage was reached")
        if e.stage is None:
            return _note(Role.FLAGS, f"{e.signal}")
        if decisive is not None and e.ref == decisive.ref:
            return _note(Role.SETS, f"{stage}")
        return _note(Role.SUPPORTS, f"{e.stage}")

    def ally(
        self,
        ally: Actor,
        as_of: date,
        stale_days: int = DEFAULT_STALE_DAYS,
        control: str | None = None,
        scope: str | None = None,
    ) -> AllyScore:
        """The ally's headline and rows as of a date: over the live initiator controls, or over
        the one ``control`` or ``scope`` item asked about."""
        pairs = [
            self.pair(ally, c, as_of, stale_days, scope)
            for c in self._candidates(control, scope)
            if _in_record_by(c, as_of)
        ]
        return self._assemble(ally, as_of, stale_days, control, scope, pairs)

    def _assemble(
        self,
        ally: Actor,
        as_of: date,
        stale_days: int,
        control: str | None,
        scope: str | None,
        pairs: list[PairScore],
    ) -> AllyScore:
        """The headline from the rows (``ally``; ``history`` reuses the rows that did not
        change)."""
        counted = pairs if control is not None else [p for p in pairs if p.state.live]
        best: PairScore | None = None
        for p in counted:
            if (
                best is None
                or p.stage.rank > best.stage.rank
                or (
                    p.stage is best.stage
                    and p.since is not None
                    and best.since is not None
                    and p.since.sort_key < best.since.sort_key
                )
            ):
                best = p
        stage = best.stage if best else Stage.NONE
        since = best.since if best else None
        decisive = best.decisive if best else None
        headline: dict[str, ItemScore] = {}
        for p in counted:
            for item in p.items:
                held = headline.get(item.item)
                if held is None or item.stage.rank > held.stage.rank:
                    headline[item.item] = item
        flags: list[FlagNote] = []
        for p in counted:  # an unconfirmed report counts for the headline only above it
            flags.extend(
                f
                for f in p.flags
                if f.flag not in (Flag.STALE, Flag.ONE_SIDED)
                and not (
                    f.flag is Flag.UNCONFIRMED_REPORT
                    and f.claimed is not None
                    and f.claimed.rank <= stage.rank
                )
            )
        if stage is Stage.AGREED:
            at_headline = [p for p in counted if p.stage is Stage.AGREED]
            one_sided = [f for p in at_headline for f in p.flags if f.flag is Flag.ONE_SIDED]
            if len(one_sided) == len(at_headline):
                flags.extend(one_sided[:1])
        lagging = [p for p in counted if any(i.stage.rank < stage.rank for i in p.items)]
        if lagging:
            below = tuple(
                dict.fromkeys(i.item for p in lagging for i in p.items if i.stage.rank < stage.rank)
            )
            flags.append(
                FlagNote(
                    Flag.PARTIAL,
                    "lower stage on " + ", ".join(p.control.id for p in lagging),
                    tuple(p.control.id for p in lagging),
                    scope=below,
                )
            )
        newest = [p.evidence[-1] for p in pairs if p.evidence]  # each row's is in key order
        stale = _stale(newest, ally, as_of, stale_days)
        if stale:
            flags.append(stale)
        return AllyScore(
            ally,
            stage,
            since,
            decisive,
            pairs,
            flags,
            sorted(headline.values(), key=lambda i: _item_order(i.item, counted)),
            ally.reviewed,
            self.sweep(ally, control, scope).verdict_since(as_of),
        )

    def score(
        self,
        as_of: date,
        ally_ids: list[str] | None = None,
        stale_days: int = DEFAULT_STALE_DAYS,
        control: str | None = None,
        scope: str | None = None,
    ) -> Scores:
        allies = self.dataset.allies()
        if ally_ids:
            allies = [a for a in allies if a.id in ally_ids]
        return Scores(
            as_of,
            stale_days,
            [self.ally(a, as_of, stale_days, control, scope) for a in allies],
            control,
            scope,
        )

    def transitions(
        self, ally: Actor, until: date, control: str | None = None, scope: str | None = None
    ) -> list[Transition]:
        """The ally's stage changes up to ``until`` (over the live controls, or over the one
        ``control`` or ``scope`` item asked about): read off ``sweep``; the ally is scored in
        full only on a day the stage changes, for the decisive evidence."""
        out: list[Transition] = []
        for point, before in self.sweep(ally, control, scope).changes(until):
            if point.stage is (before.stage if before else Stage.NONE):
                continue
            score = self.ally(ally, point.day, control=control, scope=scope)
            out.append(
                Transition(
                    point.day,
                    before.stage if before else Stage.NONE,
                    score.stage,
                    score.decisive,
                    point.when,
                )
            )
        return out

    def verdict_changes(
        self, ally: Actor, until: date, control: str | None = None, scope: str | None = None
    ) -> list[VerdictChange]:
        """The ally's verdict changes up to ``until``, from the same sweep as ``transitions``
        (for the timeline and the feed)."""
        return [
            VerdictChange(
                point.day,
                before.verdict if before else Verdict.NONE,
                point.verdict,
                point.in_force,
                point.total,
                point.when,
            )
            for point, before in self.sweep(ally, control, scope).changes(until)
            if point.verdict is not (before.verdict if before else Verdict.NONE)
        ]

    def change_days(
        self,
        ally: Actor,
        until: date,
        stale_days: int = DEFAULT_STALE_DAYS,
        control: str | None = None,
        scope: str | None = None,
    ) -> list[date]:
        """Every day up to ``until`` on which anything in the ally's score can change (stage,
        verdict, coverage, flags): the union of ``_row_days`` over the controls asked about,
        and the ally's review day. The one list of "days a flag can change"."""
        days: set[date] = set()
        for c in self._candidates(control, scope):
            days |= self._row_days(ally, c, stale_days)
        if ally.reviewed is not None:
            days.add(ally.reviewed.latest)
        return sorted(d for d in days if d <= until)

    def _answered(
        self, ally_id: str, control_id: str, wanted: frozenset[str]
    ) -> dict[tuple[str, str], date]:
        """``_answer_days`` for a pair's evidence on the items asked about (kept: it does not
        depend on the as-of date)."""
        key = (ally_id, control_id, wanted)
        found = self._answers.get(key)
        if found is None:
            evidence = [e for e in self._by_pair.get((ally_id, control_id), ()) if e.items & wanted]
            found = self._answers[key] = _answer_days(evidence, wanted)
        return found

    def _row_days(self, ally: Actor, control: Control, stale_days: int) -> set[date]:
        """The days a row's score can change: each evidence day (any tier: an anonymous report
        or a reservation flags, on-record evidence answers a report), the control's dates
        (``control_dates``), the day after each anonymous report's window ends
        (``report_ends``), and the day after each evidence day (and the review) turns stale
        (``_stale``)."""
        days = {d.latest for d in control_dates(control)}
        fresh = {ally.reviewed.latest} if ally.reviewed is not None else set()
        for e in self._by_pair.get((ally.id, control.id), ()):
            fresh.add(e.day)
            if e.tier is Tier.ANONYMOUS:
                days.add(report_ends(e, stale_days) + timedelta(days=1))
        days |= fresh
        days |= {d + timedelta(days=stale_days + 1) for d in fresh}
        return days

    def history(
        self,
        ally: Actor,
        until: date,
        stale_days: int = DEFAULT_STALE_DAYS,
        control: str | None = None,
        scope: str | None = None,
    ) -> AllyHistory:
        """The ally's full history up to ``until`` in one sweep over ``change_days``: stage
        transitions, verdict changes, flag sets and coverage, each with its date. On each day
        only the rows whose own days (``_row_days``) include it are scored again, by a
        ``_RowWalk`` that takes in each piece of evidence once (linear in the row's evidence,
        where a rescore with ``pair`` reads the whole row each time); the headline is assembled
        from the rows as ``ally`` does, so every point is what a rescore on that day gives
        (tests hold the two equal)."""
        candidates = self._candidates(control, scope)
        walks = {c.id: _RowWalk(self, ally, c, stale_days, scope) for c in candidates}
        row_days = {c.id: self._row_days(ally, c, stale_days) for c in candidates}
        sweep = self.sweep(ally, control, scope)
        rows: dict[str, PairScore] = {}
        out = AllyHistory(ally)
        last: AllyScore | None = None
        for day in self.change_days(ally, until, stale_days, control, scope):
            pairs = []
            for c in candidates:
                if not _in_record_by(c, day):
                    continue
                if c.id not in rows or day in row_days[c.id]:
                    rows[c.id] = walks[c.id].at(day)
                pairs.append(rows[c.id])
            score = self._assemble(ally, day, stale_days, control, scope, pairs)
            point = sweep.at(day)
            when = point.when if point is not None and point.day == day else None
            if score.stage is not (last.stage if last else Stage.NONE):
                out.transitions.append(
                    Transition(
                        day, last.stage if last else Stage.NONE, score.stage, score.decisive, when
                    )
                )
            if score.verdict is not (last.verdict if last else Verdict.NONE):
                out.verdicts.append(
                    VerdictChange(
                        day,
                        last.verdict if last else Verdict.NONE,
                        score.verdict,
                        score.coverage.in_force,
                        score.coverage.total,
                        when,
                    )
                )
            flags = frozenset(score.flag_names)
            if flags != (frozenset(last.flag_names) if last else frozenset()):
                out.flag_sets.append((day, flags))
            if last is None or score.coverage != last.coverage:
                out.coverage.append((day, score.coverage))
            last = score
        return out

    def sweep(self, ally: Actor, control: str | None = None, scope: str | None = None) -> Sweep:
        """The ally's stage, verdict and coverage on every day they can change, over the whole
        record (computed once per question and kept): each item's stage as of a day is the
        highest stage of the counting evidence covering it dated by then (a running maximum,
        looked up by bisection), over the controls that count that day (live, or the one asked
        about). ``transitions``, ``verdict_changes``, each score's ``verdict_since`` and
        ``history`` read it."""
        key = (ally.id, control, scope)
        found = self._sweeps.get(key)
        if found is not None:
            return found
        candidates = self._candidates(control, scope)
        ladders = [
            (c, item, *self._ladder(ally, c, item))
            for c in candidates
            for item in ([scope] if scope is not None else list(c.scope))
        ]
        recorded = [
            e.date for c in candidates for e in self._by_pair.get((ally.id, c.id), ()) if e.counts
        ]
        # A control entering the record can raise the headline on evidence dated before it,
        # and one that stops (or starts again) binding can lower or raise it.
        recorded += [d for c in candidates for d in control_dates(c)]
        when: dict[date, PartialDate] = {}
        for value in sorted(recorded, key=lambda d: d.sort_key, reverse=True):
            when[value.latest] = value  # the most precise date recorded for that day wins
        points: list[SweepPoint] = []
        for day in sorted(when):
            counted = {
                c.id
                for c in candidates
                if _in_record_by(c, day) and (control is not None or control_state(c, day).live)
            }
            best: dict[str, int] = {}
            for c, item, days, ranks in ladders:
                if c.id not in counted:
                    continue
                n = bisect.bisect_right(days, day)
                rank = ranks[n - 1] if n else Stage.NONE.rank
                if rank > best.get(item, -1):
                    best[item] = rank
            in_force = sum(1 for r in best.values() if r == Stage.IN_FORCE.rank)
            stage = _BY_RANK[max(best.values(), default=Stage.NONE.rank)]
            verdict = verdict_of(in_force, len(best), stage)
            point = SweepPoint(day, when[day], stage, verdict, in_force, len(best))
            if not points or not points[-1].same(point):
                points.append(point)
        found = Sweep(points)
        self._sweeps[key] = found
        return found

    def _candidates(self, control: str | None, scope: str | None) -> list[Control]:
        """The initiator controls an ally is scored over (before the day's record and live
        tests)."""
        return [
            c
            for c in self.initiator_controls
            if (control is None or c.id == control) and (scope is None or scope in c.scope)
        ]

    def _ladder(self, ally: Actor, control: Control, item: str) -> tuple[list[date], list[int]]:
        """One item's stage steps for the ally on a control: the days its counting evidence
        becomes countable, in order, and the highest rank reached by each."""
        steps = sorted(
            (e.day, e.stage.rank)
            for e in self._by_pair.get((ally.id, control.id), ())
            if e.counts and item in e.items and e.stage is not None
        )
        days: list[date] = []
        ranks: list[int] = []
        best = Stage.NONE.rank
        for day, rank in steps:
            best = max(best, rank)
            if days and days[-1] == day:
                ranks[-1] = best
            else:
                days.append(day)
                ranks.append(best)
        return days, ranks


class _RowWalk:
    """One row (an ally on a control) walked forward through time for ``history``: each piece
    of evidence is taken in once, in key order, and the row's score on a later day is read off
    running state rather than rescored from all its evidence (``pair``, whose rules this
    follows and which the tests hold it equal to). It gives what ``_assemble`` and the history
    read: stage, since, decisive, the items, the control's state, the newest evidence and ONE
    flag note for each kind of flag the row raises (``pair`` gives one per piece of evidence;
    the history keeps names only). Days must be asked in increasing order.

    The flags, as ``pair`` raises them: ``contested``/``declined`` for each on-record
    reservation/refusal after ``since`` (counted: ``since`` only moves forward, so those after
    it are a suffix of the evidence in; prefix counts and a bisection give them); an anonymous
    report flags while it is neither old nor answered (``report_ends``, ``_answered``), as an
    unconfirmed reservation/refusal when after ``since``, else as an unconfirmed claim above
    the row's stage (two heaps, each entry dropped for good once it can no longer flag)."""

    def __init__(
        self, ev: Evaluator, ally: Actor, control: Control, stale_days: int, scope: str | None
    ):
        self.ev, self.ally, self.control, self.stale_days = ev, ally, control, stale_days
        self.scope = scope
        items = [scope] if scope is not None and scope in control.scope else list(control.scope)
        self.items = items
        wanted = frozenset(items)
        self.evidence = [e for e in ev._by_pair.get((ally.id, control.id), ()) if e.items & wanted]
        self.days = [e.day for e in self.evidence]
        self.orders = [e.order for e in self.evidence]
        answered = ev._answered(ally.id, control.id, wanted)
        self.n = 0
        self.best: dict[str, ItemScore] = {i: ItemScore(i, Stage.NONE) for i in items}
        self.stage: Stage = Stage.NONE
        self.since: PartialDate | None = None
        self.decisive: Evidence | None = None
        self.contested: list[int] = [0]  # prefix counts of on-record reservations, refusals
        self.declined: list[int] = [0]
        self.first_contested: list[int] = []  # their positions
        self.first_declined: list[int] = []
        self.agreed_by_ally = False
        self.agreeing: list[Evidence] = []
        self.flagging: list[tuple[int, int, Evidence]] = []  # anonymous reservations/refusals
        self.claims: list[tuple[int, int, Evidence]] = []  # anonymous claims of a stage
        self._ends = {
            e.ref: min(
                report_ends(e, stale_days),
                answered[e.ref] - timedelta(days=1) if e.ref in answered else date.max,
            )
            for e in self.evidence
            if e.tier is Tier.ANONYMOUS
        }

    def _take(self, n: int, e: Evidence) -> None:
        if e.counts:
            assert e.stage is not None
            for item in e.items & frozenset(self.items):
                if e.stage.rank > self.best[item].stage.rank:
                    self.best[item] = ItemScore(item, e.stage, e.date, e)
            if e.stage.rank > self.stage.rank:
                self.stage, self.since, self.decisive = e.stage, e.date, e
            if e.stage is Stage.AGREED:
                self.agreeing.append(e)
                self.agreed_by_ally = self.agreed_by_ally or _speaks_for(e.speaker, self.ally)
        anonymous = e.tier is Tier.ANONYMOUS
        reservation = not anonymous and e.signal == Signal.RESERVATION
        refusal = not anonymous and e.signal == Signal.REFUSAL
        self.contested.append(self.contested[-1] + reservation)
        self.declined.append(self.declined[-1] + refusal)
        if reservation:
            self.first_contested.append(n)
        if refusal:
            self.first_declined.append(n)
        if anonymous:
            end = self._ends[e.ref].toordinal()
            if e.signal in FLAG_SIGNALS:
                heapq.heappush(self.flagging, (-end, n, e))
            if e.stage is not None:
                heapq.heappush(self.claims, (-e.stage.rank, n, e))

    def at(self, day: date) -> PairScore:
        """The row as ``pair(..., explain=False)`` scores it on ``day``, flags one per kind."""
        upto = bisect.bisect_right(self.days, day)
        while self.n < upto:
            self._take(self.n, self.evidence[self.n])
            self.n += 1
        n = self.n
        after = (
            0 if self.since is None else bisect.bisect_right(self.orders, self.since.sort_key, 0, n)
        )
        today = day.toordinal()
        flags: list[FlagNote] = []
        while self.flagging and (-self.flagging[0][0] < today or self.flagging[0][1] < after):
            heapq.heappop(self.flagging)  # old, answered or before since: for good
        if self.flagging:
            e = self.flagging[0][2]
            flags.append(FlagNote(Flag.UNCONFIRMED_REPORT, f"anonymous report {e.id}", (e.id,)))
        for count, first, flag in (
            (self.contested, self.first_contested, Flag.CONTESTED),
            (self.declined, self.first_declined, Flag.DECLINED),
        ):
            if count[n] - count[after]:
                e = self.evidence[first[bisect.bisect_left(first, after)]]
                flags.append(FlagNote(flag, f"{e.signal} {e.id} ({e.date})", (e.id,)))
        kept: list[tuple[int, int, Evidence]] = []
        while self.claims and -self.claims[0][0] > self.stage.rank:
            claim = heapq.heappop(self.claims)
            e = claim[2]
            if self._ends[e.ref] < day:
                continue  # old or answered: for good
            kept.append(claim)
            if claim[1] < after or e.signal not in FLAG_SIGNALS:
                flags.append(
                    FlagNote(
                        Flag.UNCONFIRMED_REPORT,
                        f"anonymous report {e.id} claims {e.stage}",
                        (e.id,),
                        claimed=e.stage,
                    )
                )
                break
        for claim in kept:
            heapq.heappush(self.claims, claim)
        if self.stage is Stage.AGREED and not self.agreed_by_ally:
            flags.append(FlagNote(Flag.ONE_SIDED, "agreed on another's word", ()))
        evidence = self.evidence[n - 1 : n]
        stale = _stale(evidence, self.ally, day, self.stale_days)
        if stale:
            flags.append(stale)
        return PairScore(
            self.control,
            self.stage,
            self.since,
            self.decisive,
            evidence,
            flags,
            [self.best[i] for i in self.items],
            control_state(self.control, day),
        )


def _item_order(item: str, pairs: list[PairScore]) -> tuple[int, int]:
    for n, p in enumerate(pairs):
        if item in p.control.scope:
            return (n, p.control.scope.index(item))
    return (len(pairs), 0)


@dataclass(frozen=True)
class Transition:
    date: date
    """The day the change counts from (a partial date's last day)."""
    before: Stage
    after: Stage
    evidence: Evidence | None
    when: PartialDate | None = None
    """The date as the record gives it (``2022-11`` for a month-only date)."""

    @property
    def recorded(self) -> PartialDate:
        return self.when or PartialDate.parse(self.date)


@dataclass(frozen=True)
class VerdictChange:
    """A change of verdict, for the timeline and the feed."""

    date: date
    """The day the change counts from (a partial date's last day)."""
    before: Verdict
    after: Verdict
    in_force: int
    total: int
    """The coverage reached that day: items in force, of how many live items."""
    when: PartialDate | None = None
    """The date as the record gives it (``2022-11`` for a month-only date)."""

    @property
    def recorded(self) -> PartialDate:
        return self.when or PartialDate.parse(self.date)


@dataclass
class AllyHistory:
    """An ally's history up to a date (``Evaluator.history``), each change with its day."""

    ally: Actor
    transitions: list[Transition] = field(default_factory=list)
    """Stage changes (the furthest stage), as ``Evaluator.transitions`` gives them."""
    verdicts: list[VerdictChange] = field(default_factory=list)
    """Verdict changes, as ``Evaluator.verdict_changes`` gives them."""
    flag_sets: list[tuple[date, frozenset[str]]] = field(default_factory=list)
    """The headline's flag names from each day they change (the first entry: the first day
    any flag is raised)."""
    coverage: list[tuple[date, Coverage]] = field(default_factory=list)
    """The headline's coverage from each day it changes (the first entry: the first change
    day)."""


@dataclass(frozen=True)
class SweepPoint:
    """Stage, verdict and coverage from one day on (until the next point)."""

    day: date
    when: PartialDate
    """The day as the record gives it."""
    stage: Stage
    verdict: Verdict
    in_force: int
    total: int

    def same(self, other: SweepPoint) -> bool:
        return (self.stage, self.verdict, self.in_force, self.total) == (
            other.stage,
            other.verdict,
            other.in_force,
            other.total,
        )


@dataclass(frozen=True)
class Sweep:
    """An ally's stage, verdict and coverage over time (``Evaluator.sweep``): a point on each
    day one of them changes."""

    points: list[SweepPoint]

    def __post_init__(self) -> None:
        starts: list[int] = []
        for n, point in enumerate(self.points):
            same = n and self.points[n - 1].verdict is point.verdict
            starts.append(starts[-1] if same else n)
        object.__setattr__(self, "_days", [p.day for p in self.points])
        object.__setattr__(self, "_run_starts", starts)

    def at(self, day: date) -> SweepPoint | None:
        """The point in effect on ``day`` (None before the first: none, nothing live)."""
        n = bisect.bisect_right(self._days, day)  # type: ignore[attr-defined]
        return self.points[n - 1] if n else None

    def changes(self, until: date) -> list[tuple[SweepPoint, SweepPoint | None]]:
        """Each point up to ``until``, with the one before it (None for the first: before it,
        none throughout)."""
        out: list[tuple[SweepPoint, SweepPoint | None]] = []
        for n, point in enumerate(self.points):
            if point.day > until:
                break
            out.append((point, self.points[n - 1] if n else None))
        return out

    def verdict_since(self, day: date) -> PartialDate | None:
        """The first day of the run of the verdict in effect on ``day``, as the record gives
        it (None at none)."""
        n = bisect.bisect_right(self._days, day)  # type: ignore[attr-defined]
        if not n or self.points[n - 1].verdict is Verdict.NONE:
            return None
        return self.points[self._run_starts[n - 1]].when  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LifecycleChange:
    """An event in an initiator control's life, for the timeline."""

    control: Control
    event: LifecycleEvent


def lifecycle_changes(dataset: Dataset, until: date) -> list[LifecycleChange]:
    """Every lifecycle event of the initiator's controls up to ``until``, in date order."""
    out = [
        LifecycleChange(c, e)
        for c in dataset.initiator_controls()
        for e in c.lifecycle
        if e.date.latest <= until
    ]
    return sorted(out, key=lambda ch: (ch.event.date.sort_key, ch.control.id))


def report_ends(e: Evidence, stale_days: int) -> date:
    """The last day an anonymous report can flag ``unconfirmed_report``: its date (its last
    possible day) plus the staleness window."""
    return e.date.latest + timedelta(days=stale_days)


def _answer_days(evidence: list[Evidence], wanted: frozenset[str]) -> dict[tuple[str, str], date]:
    """For each anonymous report of ``evidence`` (a pair's, in key order): the day it is
    answered on record, if it ever is: the first day by which, on each of its items,
    official_text or on_record evidence dated on or after it reaches or passes the stage it
    claims, or, for a reported reservation or refusal, any such evidence is on the item.

    Key order is day order, so the answering evidence of an item is the first of its kind at or
    after the report's day: for each item and each stage threshold, the positions of the
    on-record evidence that qualifies are listed once, and each report looks its answer up by
    bisection (linear in the pair's evidence, where a scan from each report was quadratic)."""
    days = [e.day for e in evidence]
    qualifying: dict[tuple[str, int], list[int]] = {}
    thresholds = [-1, *sorted({e.stage.rank for e in evidence if e.stage is not None})]
    for n, o in enumerate(evidence):
        if o.tier is Tier.ANONYMOUS:
            continue
        rank = o.stage.rank if o.stage is not None else None
        for item in o.items & wanted:
            for t in thresholds:  # -1: a reported reservation or refusal, answered by any
                if t == -1 or (rank is not None and rank >= t):
                    qualifying.setdefault((item, t), []).append(n)
    out: dict[tuple[str, str], date] = {}
    for e in evidence:
        items = e.items & wanted
        if e.tier is not Tier.ANONYMOUS or not items:
            continue
        t = e.stage.rank if e.stage is not None else -1
        lo = bisect.bisect_left(days, e.day)  # evidence of the same day sorted before it too
        answered: list[date] = []
        for item in items:
            positions = qualifying.get((item, t), [])
            i = bisect.bisect_left(positions, lo)
            if i == len(positions):
                break
            answered.append(days[positions[i]])
        else:
            out[e.ref] = max(answered)
    return out


def _still_shown(e: Evidence, wanted: frozenset[str], stale_days: int) -> str:
    """Why an unconfirmed report is (still) shown, in words."""
    items = ", ".join(sorted(e.items & wanted))
    answer = (
        "no on-record evidence on " + items + " since"
        if e.stage is None
        else f"no on-record evidence on {items} has reached {e.stage} since"
    )
    return (
        f"{answer}; shown until {report_ends(e, stale_days).isoformat()} at the latest "
        f"({stale_days} days after the report)"
    )


def _stale(evidence: list[Evidence], ally: Actor, as_of: date, stale_days: int) -> FlagNote | None:
    if not evidence:
        return None
    basis = stale_basis(ally, evidence, as_of)
    assert basis is not None
    what, day, newest = basis
    age = (as_of - day.latest).days
    if age > stale_days:
        reason = f"newest evidence {newest.id} ({newest.date})"
        if what == "review":
            reason = f"last review ({day})"
        return FlagNote(
            Flag.STALE,
            f"{reason} is {age} days old (threshold {stale_days})",
            (newest.id,),
            items=(newest,),
        )
    return None


def score(
    dataset: Dataset,
    as_of: date,
    ally_ids: list[str] | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
    control: str | None = None,
    scope: str | None = None,
) -> Scores:
    """Every ally's stage as of a date (the allies named, or all)."""
    return Evaluator(dataset).score(as_of, ally_ids, stale_days, control, scope)


def timelines(
    dataset: Dataset,
    as_of: date,
    ally_ids: list[str] | None = None,
    control: str | None = None,
    scope: str | None = None,
) -> list[tuple[AllyScore, list[Transition], list[VerdictChange]]]:
    """Each ally's (the allies named, or all) score as of a date, its stage changes and its
    verdict changes up to it (both from the one sweep)."""
    evaluator = Evaluator(dataset)
    return [
        (
            evaluator.ally(a, as_of, control=control, scope=scope),
            evaluator.transitions(a, as_of, control, scope),
            evaluator.verdict_changes(a, as_of, control, scope),
        )
        for a in dataset.allies()
        if not ally_ids or a.id in ally_ids
    ]


def check_question(dataset: Dataset, control: str | None, scope: str | None) -> None:
    """A ``--control`` names an initiator control and a ``--scope`` an item one of them covers
    (both together: an item of that control); a usage error otherwise."""
    controls = dataset.initiator_controls()
    if control is not None and control not in {c.id for c in controls}:
        raise UsageError(
            f"--control: no initiator control {control!r}; controls: "
            + (", ".join(c.id for c in controls) or "none")
        )
    if scope is not None:
        pool = [c for c in controls if control is None or c.id == control]
        items = list(dict.fromkeys(i for c in pool for i in c.scope))
        if scope not in items:
            raise UsageError(
                f"--scope: {scope!r} is not an item of "
                + (f"control {control}" if control else "any initiator control")
                + "; items: "
                + (", ".join(items) or "none")
            )


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


def stale_basis(
    ally: Actor, evidence: list[Evidence], as_of: date
) -> tuple[str, PartialDate, Evidence] | None:
    """What an ally's staleness is measured from: ``("review", reviewed, newest)`` when the
    curator's review is later than the newest evidence (and not after ``as_of``), else
    ``("evidence", its date, newest)``; None without evidence. ``stale`` is raised when that
    day is more than the threshold before ``as_of``."""
    if not evidence:
        return None
    newest = max(evidence, key=lambda e: e.key)
    reviewed = ally.reviewed
    if reviewed is not None and newest.date.latest < reviewed.latest <= as_of:
        return ("review", reviewed, newest)
    return ("evidence", newest.date, newest)
