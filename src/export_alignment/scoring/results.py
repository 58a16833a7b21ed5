"""What scoring gives: rows, headlines, item stages, coverage, notes, changes, the sweep.

A row per (ally, control) (``PairScore``), the headline per ally (``AllyScore``), flag and
role notes, stage and verdict changes, an ally's history and the ``Sweep`` they are read off.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Control
from export_alignment.scoring.evidence import Evidence
from export_alignment.scoring.lifecycle import ControlState
from export_alignment.scoring.vocabulary import (
    ROLES,
    Flag,
    Role,
    Stage,
    Verdict,
    verdict_of,
)


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


def role_note(role: Role, reason: str) -> RoleNote:
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

    def as_dict(self) -> dict[str, int | list[str]]:
        return {"in_force": self.in_force, "total": self.total, "missing": list(self.missing)}


def coverage_of(items: list[ItemScore]) -> Coverage:
    missing = tuple(i.item for i in items if i.stage is not Stage.IN_FORCE)
    return Coverage(len(items) - len(missing), len(items), missing)


def verdict_of_items(items: list[ItemScore]) -> Verdict:
    """``verdict_of`` over item stages."""
    in_force = sum(1 for i in items if i.stage is Stage.IN_FORCE)
    furthest = max((i.stage for i in items), key=lambda st: st.rank, default=Stage.NONE)
    return verdict_of(in_force, len(items), furthest)


class _Rated:
    """What a row and a headline both read off their stage, items and flags, defined once:
    the furthest stage, the verdict from the items' coverage, the flag names, the coverage."""

    stage: Stage
    items: list[ItemScore]
    flags: list[FlagNote]

    @property
    def furthest(self) -> Stage:
        """The furthest stage on any of the items (``stage`` says the same)."""
        return self.stage

    @property
    def verdict(self) -> Verdict:
        """The verdict from the coverage of the items (``verdict_of``)."""
        return verdict_of_items(self.items)

    @property
    def flag_names(self) -> list[str]:
        return sorted({str(f.flag) for f in self.flags})

    @property
    def coverage(self) -> Coverage:
        return coverage_of(self.items)


@dataclass
class PairScore(_Rated):
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

    def role_of(self, e: Evidence) -> RoleNote | None:
        return self.roles.get(e.ref)


@dataclass
class AllyScore(_Rated):
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
    def live(self) -> list[PairScore]:
        return [p for p in self.controls if p.state.live]

    @property
    def evidence(self) -> list[Evidence]:
        """Every piece of evidence on any control, in date order, each once."""
        seen: dict[tuple[str, str], Evidence] = {}
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
    _days: list[date] = field(init=False, repr=False, compare=False)
    """Each point's day (kept, for the bisections)."""
    _run_starts: list[int] = field(init=False, repr=False, compare=False)
    """For each point, the index of the first point of its verdict's run."""

    def __post_init__(self) -> None:
        starts: list[int] = []
        for n, point in enumerate(self.points):
            same = n and self.points[n - 1].verdict is point.verdict
            starts.append(starts[-1] if same else n)
        object.__setattr__(self, "_days", [p.day for p in self.points])
        object.__setattr__(self, "_run_starts", starts)

    def at(self, day: date) -> SweepPoint | None:
        """The point in effect on ``day`` (None before the first: none, nothing live)."""
        n = bisect.bisect_right(self._days, day)
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
        n = bisect.bisect_right(self._days, day)
        if not n or self.points[n - 1].verdict is Verdict.NONE:
            return None
        return self.points[self._run_starts[n - 1]].when
