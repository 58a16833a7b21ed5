"""One row (an ally on a control) walked forward through time, for ``Evaluator.history``."""

from __future__ import annotations

import bisect
import heapq
from datetime import date, timedelta

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Control, Signal, Tier
from export_alignment.scoring.evidence import Evidence, speaks_for
from export_alignment.scoring.flags import report_ends, stale_flag
from export_alignment.scoring.lifecycle import control_state
from export_alignment.scoring.results import FlagNote, ItemScore, PairScore
from export_alignment.scoring.vocabulary import FLAG_SIGNALS, Flag, Stage


class RowWalk:
    """One row (an ally on a control) walked forward through time for ``Evaluator.history``: each
    piece of evidence is taken in once, in key order, and the row's score on a later day is read
    off running state rather than rescored from all its evidence (``Evaluator.pair``, whose rules
    this follows and which the tests hold it equal to). It gives what ``Evaluator._assemble`` and
    the history read: stage, since, decisive, the items, the control's state, the newest
    evidence and ONE flag note for each kind of flag the row raises (``pair`` gives one per piece
    of evidence; the history keeps names only). Days must be asked in increasing order.

    The flags, as ``pair`` raises them: ``contested``/``declined`` for each on-record
    reservation/refusal after ``since`` (counted: ``since`` only moves forward, so those after
    it are a suffix of the evidence in; prefix counts and a bisection give them); an anonymous
    report flags while it is neither old nor answered (``report_ends``, ``answer_days``), as an
    unconfirmed reservation/refusal when after ``since``, else as an unconfirmed claim above
    the row's stage (two heaps, each entry dropped for good once it can no longer flag)."""

    def __init__(
        self,
        ally: Actor,
        control: Control,
        stale_days: int,
        items: list[str],
        evidence: list[Evidence],
        answered: dict[tuple[str, str], date],
    ):
        """The row of ``ally`` on ``control`` over ``items`` (those asked about): its
        ``evidence`` on them, in key order, and the day each anonymous report among it is
        answered on record (``answer_days``)."""
        self.ally, self.control, self.stale_days = ally, control, stale_days
        self.items = items
        self.evidence = evidence
        self.days = [e.day for e in self.evidence]
        self.orders = [e.order for e in self.evidence]
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
                self.agreed_by_ally = self.agreed_by_ally or speaks_for(e.speaker, self.ally)
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
        stale = stale_flag(evidence, self.ally, day, self.stale_days)
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
