"""Each ally's alignment stage, derived from the evidence, with the evidence that set it.

Rules (each pinned by tests, and shown by ``explain``):

* A stage is derived per (ally, initiator control) pair as of a date. Evidence counts only when it
  certainly happened by then: a partial date counts from the last day it could mean.
* Statements map to stages by their signal (``SIGNAL_STAGE``). An ally's own control measure whose
  ``aligns_with`` names the initiator control is evidence at its own dates, tier official_text:
  announced -> announced, published -> adopted, effective -> in_force.
* The stage is the highest stage supported by official_text or on_record evidence; ``since`` is the
  date of the earliest such evidence that reached it (on a tie, the statement or measure with the
  smaller id is cited).
* Anonymous evidence never moves a stage. When it claims a higher stage, the pair is flagged
  ``unconfirmed_report``.
* A reservation dated after ``since`` flags the pair ``contested``, a refusal ``declined`` (before
  any stage is reached, any reservation or refusal counts). Neither lowers the stage.
* ``stale``: the newest evidence is older than the threshold (default 365 days) at the as-of date.
* An ally's headline is its highest stage over the initiator's controls that exist (announced,
  published or in effect) by the date:
  the US packages after October 2022 amend and extend the first one, so "has Japan aligned?" is
  answered by the furthest an ally has gone on any of them. The per-control rows show where a
  later package lags, and the headline is then flagged ``partial``. Contested and declined on any
  control carry to the headline, an unconfirmed report only when it claims more than the
  headline stage; stale is judged on all the ally's evidence.
* An ally with no evidence is at ``none`` with no since and no flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Control, Dataset, Signal, Statement, Tier


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
        return LADDER.index(self)


LADDER: list[Stage] = list(Stage)
"""The stages in order, lowest first."""

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
    STALE = "stale"
    PARTIAL = "partial"


FLAGS: dict[Flag, str] = {
    Flag.CONTESTED: "a reservation was voiced after the stage was reached (it does not lower it)",
    Flag.DECLINED: "a refusal was voiced after the stage was reached (it does not lower it)",
    Flag.UNCONFIRMED_REPORT: "an anonymous report claims a higher stage than the evidence on "
    "record supports",
    Flag.STALE: "the newest evidence is older than the staleness threshold",
    Flag.PARTIAL: "some initiator control is at a lower stage than the headline",
}

DEFAULT_STALE_DAYS = 365


@dataclass(frozen=True)
class Evidence:
    """One dated piece of evidence for a (ally, control) pair."""

    id: str
    """The statement's id, or the ally measure's id."""
    date: PartialDate
    tier: Tier
    stage: Stage | None
    """The stage it supports, or None (reservation, refusal)."""
    signal: str
    """The statement's signal, or ``measure-announced`` / ``measure-published`` /
    ``measure-effective``."""
    record: Statement | Control
    speaker: Actor | None = None

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
    def key(self) -> tuple:
        rank = self.stage.rank if self.stage is not None else -1
        return (self.date.sort_key, -rank, self.id, self.signal)


@dataclass(frozen=True)
class FlagNote:
    flag: Flag
    reason: str
    evidence: tuple[str, ...] = ()
    claimed: Stage | None = None
    items: tuple[Evidence, ...] = ()
    """The evidence behind the flag itself (a measure's id alone does not say which date)."""


@dataclass
class PairScore:
    """The stage of one ally on one initiator control."""

    control: Control
    stage: Stage
    since: PartialDate | None
    decisive: Evidence | None
    evidence: list[Evidence]
    flags: list[FlagNote] = field(default_factory=list)

    @property
    def flag_names(self) -> list[str]:
        return sorted({str(f.flag) for f in self.flags})


@dataclass
class AllyScore:
    """An ally's headline stage and its stage on each initiator control."""

    ally: Actor
    stage: Stage
    since: PartialDate | None
    decisive: Evidence | None
    controls: list[PairScore]
    flags: list[FlagNote] = field(default_factory=list)

    @property
    def flag_names(self) -> list[str]:
        return sorted({str(f.flag) for f in self.flags})

    @property
    def evidence(self) -> list[Evidence]:
        """Every piece of evidence on any control, in date order, each once."""
        seen: dict[tuple, Evidence] = {}
        for pair in self.controls:
            for e in pair.evidence:
                seen.setdefault((e.id, e.signal), e)
        return sorted(seen.values(), key=lambda e: e.key)


@dataclass
class Scores:
    as_of: date
    stale_days: int
    allies: list[AllyScore]


def _in_record_by(control: Control, as_of: date) -> bool:
    start = control.first_date
    return start is None or start.latest <= as_of


class Evaluator:
    """Indexes a dataset once; scores allies as of any date."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.initiator_controls = dataset.initiator_controls()
        self._by_pair: dict[tuple[str, str], list[Evidence]] = {}
        for s in dataset.statements:
            stage = SIGNAL_STAGE.get(s.signal)
            speaker = dataset.actor(s.speaker)
            for ally in dict.fromkeys(s.about):
                for control in dict.fromkeys(s.controls):
                    self._by_pair.setdefault((ally, control), []).append(
                        Evidence(s.id, s.date, s.source.tier, stage, str(s.signal), s, speaker)
                    )
        for c in dataset.controls:
            issuer = dataset.actor(c.issuer)
            for target in dict.fromkeys(c.aligns_with):
                for name, stage in MEASURE_STAGE.items():
                    value = getattr(c, name)
                    if value is not None:
                        self._by_pair.setdefault((c.issuer, target), []).append(
                            Evidence(
                                c.id, value, Tier.OFFICIAL_TEXT, stage, f"measure-{name}", c, issuer
                            )
                        )
        for items in self._by_pair.values():
            items.sort(key=lambda e: e.key)

    def evidence(self, ally_id: str, control_id: str, as_of: date) -> list[Evidence]:
        return [e for e in self._by_pair.get((ally_id, control_id), ()) if e.date.latest <= as_of]

    def pair(
        self, ally: Actor, control: Control, as_of: date, stale_days: int = DEFAULT_STALE_DAYS
    ) -> PairScore:
        evidence = self.evidence(ally.id, control.id, as_of)
        stage, since, decisive = Stage.NONE, None, None
        for e in evidence:  # date order: the first to reach the highest stage is decisive
            if e.counts and e.stage is not None and e.stage.rank > stage.rank:
                stage, since, decisive = e.stage, e.date, e
        flags: list[FlagNote] = []
        for e in evidence:
            after_since = since is None or e.date.sort_key > since.sort_key
            if e.signal == Signal.RESERVATION and after_since:
                flags.append(
                    FlagNote(Flag.CONTESTED, f"reservation {e.id} ({e.date})", (e.id,), items=(e,))
                )
            elif e.signal == Signal.REFUSAL and after_since:
                flags.append(
                    FlagNote(Flag.DECLINED, f"refusal {e.id} ({e.date})", (e.id,), items=(e,))
                )
            elif e.tier is Tier.ANONYMOUS and e.stage is not None and e.stage.rank > stage.rank:
                flags.append(
                    FlagNote(
                        Flag.UNCONFIRMED_REPORT,
                        f"anonymous report {e.id} ({e.date}) claims {e.stage}",
                        (e.id,),
                        claimed=e.stage,
                        items=(e,),
                    )
                )
        stale = _stale(evidence, as_of, stale_days)
        if stale:
            flags.append(stale)
        return PairScore(control, stage, since, decisive, evidence, flags)

    def ally(self, ally: Actor, as_of: date, stale_days: int = DEFAULT_STALE_DAYS) -> AllyScore:
        pairs = [
            self.pair(ally, c, as_of, stale_days)
            for c in self.initiator_controls
            if _in_record_by(c, as_of)
        ]
        best: PairScore | None = None
        for p in pairs:
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
        flags: list[FlagNote] = []
        for p in pairs:  # an unconfirmed report counts for the headline only above it
            flags.extend(
                f
                for f in p.flags
                if f.flag is not Flag.STALE
                and not (
                    f.flag is Flag.UNCONFIRMED_REPORT
                    and f.claimed is not None
                    and f.claimed.rank <= stage.rank
                )
            )
        lagging = [p.control.id for p in pairs if p.stage.rank < stage.rank]
        if lagging:
            flags.append(
                FlagNote(Flag.PARTIAL, "lower stage on " + ", ".join(lagging), tuple(lagging))
            )
        all_evidence = [e for p in pairs for e in p.evidence]
        stale = _stale(all_evidence, as_of, stale_days)
        if stale:
            flags.append(stale)
        return AllyScore(ally, stage, since, decisive, pairs, flags)

    def score(
        self, as_of: date, ally_ids: list[str] | None = None, stale_days: int = DEFAULT_STALE_DAYS
    ) -> Scores:
        allies = self.dataset.allies()
        if ally_ids:
            allies = [a for a in allies if a.id in ally_ids]
        return Scores(as_of, stale_days, [self.ally(a, as_of, stale_days) for a in allies])

    def transitions(self, ally: Actor, until: date) -> list[Transition]:
        """The ally's headline stage changes up to ``until``, in date order. Each carries the
        date as recorded (``when``, possibly partial) and the day it counts from (``date``)."""
        pairs = self.ally(ally, until).controls
        recorded = [e.date for p in pairs for e in p.evidence if e.counts]
        # A control entering the record can raise the headline on evidence dated before it.
        recorded += [start for p in pairs if (start := p.control.first_date) is not None]
        when: dict[date, PartialDate] = {}
        for value in sorted(recorded, key=lambda d: d.sort_key, reverse=True):
            when[value.latest] = value  # the most precise date recorded for that day wins
        out: list[Transition] = []
        current = Stage.NONE
        for day in sorted(when):
            score = self.ally(ally, day)
            if score.stage is not current:
                out.append(Transition(day, current, score.stage, score.decisive, when[day]))
                current = score.stage
        return out


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


def _stale(evidence: list[Evidence], as_of: date, stale_days: int) -> FlagNote | None:
    if not evidence:
        return None
    newest = max(evidence, key=lambda e: e.key)
    age = (as_of - newest.date.latest).days
    if age > stale_days:
        return FlagNote(
            Flag.STALE,
            f"newest evidence {newest.id} ({newest.date}) is {age} days "
            f"old (threshold {stale_days})",
            (newest.id,),
            items=(newest,),
        )
    return None


def score(
    dataset: Dataset,
    as_of: date,
    ally_ids: list[str] | None = None,
    stale_days: int = DEFAULT_STALE_DAYS,
) -> Scores:
    """Every ally's stage as of a date (the allies named, or all)."""
    return Evaluator(dataset).score(as_of, ally_ids, stale_days)


def timelines(
    dataset: Dataset,
    as_of: date,
    ally_ids: list[str] | None = None,
) -> list[tuple[AllyScore, list[Transition]]]:
    """Each ally's (the allies named, or all) score as of a date and its stage changes up to
    it."""
    evaluator = Evaluator(dataset)
    return [
        (evaluator.ally(a, as_of), evaluator.transitions(a, as_of))
        for a in dataset.allies()
        if not ally_ids or a.id in ally_ids
    ]


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
