"""The ``Evaluator``: a dataset's evidence indexed once, allies scored as of any date.

Each ally's rows and headline (``ally``, ``score``), its stage and verdict changes
(``transitions``, ``verdict_changes``, from one ``sweep``) and its whole ``history``.
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Control, Dataset, Signal, Tier
from export_alignment.question import Question, in_question, items_asked
from export_alignment.scoring.evidence import Evidence, evidence_by_pair, speaks_for
from export_alignment.scoring.flags import answer_days, report_ends, stale_flag, still_shown
from export_alignment.scoring.lifecycle import control_dates, control_state, in_record_by
from export_alignment.scoring.results import (
    AllyHistory,
    AllyScore,
    FlagNote,
    ItemScore,
    PairScore,
    RoleNote,
    Scores,
    Sweep,
    SweepPoint,
    Transition,
    VerdictChange,
    role_note,
)
from export_alignment.scoring.vocabulary import (
    DEFAULT_STALE_DAYS,
    FLAG_SIGNALS,
    LADDER,
    Flag,
    Role,
    Stage,
    Verdict,
    verdict_of,
)
from export_alignment.scoring.walk import RowWalk


class Evaluator:
    """Indexes a dataset once; scores allies as of any date."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.initiator_controls = dataset.initiator_controls()
        self._by_pair = evidence_by_pair(dataset, self.initiator_controls)
        self._days_by_pair = {  # in key order, so in order of the day each counts from
            pair: [e.day for e in evidence] for pair, evidence in self._by_pair.items()
        }
        self._sweeps: dict[tuple[str, str | None, str | None], Sweep] = {}
        self._live: dict[tuple[int, date], bool] = {}
        """Whether a control (by identity: the record's object, held as long as this is) binds
        on a day (``control_state``), asked by every ally's sweep."""
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
        items = items_asked(control, scope)
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
                        shown_because=still_shown(e, wanted, stale_days),
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
                        shown_because=still_shown(e, wanted, stale_days),
                        until=report_ends(e, stale_days),
                    )
                )
        if stage is Stage.AGREED:
            agreeing = [e for e in evidence if e.counts and e.stage is Stage.AGREED]
            if not any(speaks_for(e.speaker, ally) for e in agreeing):
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
        stale = stale_flag(evidence[-1:], ally, as_of, stale_days)  # the newest: key order
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
            return role_note(Role.NOT_COUNTED, f"anonymous: an unconfirmed report of {what}")
        if e.stage is None and not after_since:
            return role_note(Role.NOT_COUNTED, f"a {e.signal} before the stage was reached")
        if e.stage is None:
            return role_note(Role.FLAGS, f"{e.signal}")
        if decisive is not None and e.ref == decisive.ref:
            return role_note(Role.SETS, f"{stage}")
        return role_note(Role.SUPPORTS, f"{e.stage}")

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
            if in_record_by(c, as_of)
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
        stale = stale_flag(newest, ally, as_of, stale_days)
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

    def score(self, asked: Question) -> Scores:
        """Every ally's score (those a checked question ``asked`` about, or all) as of its
        day, over the control or scope item asked about."""
        day, stale, control, scope = asked.as_of, asked.stale_days, asked.control, asked.scope
        return Scores(
            day,
            stale,
            [self.ally(a, day, stale, control, scope) for a in asked.allies_in(self.dataset)],
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
        """``answer_days`` for a pair's evidence on the items asked about (kept: it does not
        depend on the as-of date)."""
        key = (ally_id, control_id, wanted)
        found = self._answers.get(key)
        if found is None:
            evidence = [e for e in self._by_pair.get((ally_id, control_id), ()) if e.items & wanted]
            found = self._answers[key] = answer_days(evidence, wanted)
        return found

    def _row_days(self, ally: Actor, control: Control, stale_days: int) -> set[date]:
        """The days a row's score can change: each evidence day (any tier: an anonymous report
        or a reservation flags, on-record evidence answers a report), the control's dates
        (``control_dates``), the day after each anonymous report's window ends
        (``report_ends``), and the day after each evidence day (and the review) turns stale
        (``stale_flag``)."""
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
        ``RowWalk`` that takes in each piece of evidence once (linear in the row's evidence,
        where a rescore with ``pair`` reads the whole row each time); the headline is assembled
        from the rows as ``ally`` does, so every point is what a rescore on that day gives
        (tests hold the two equal)."""
        candidates = self._candidates(control, scope)
        walks = {c.id: self._walk(ally, c, stale_days, scope) for c in candidates}
        row_days = {c.id: self._row_days(ally, c, stale_days) for c in candidates}
        sweep = self.sweep(ally, control, scope)
        rows: dict[str, PairScore] = {}
        out = AllyHistory(ally)
        last: AllyScore | None = None
        for day in self.change_days(ally, until, stale_days, control, scope):
            pairs = []
            for c in candidates:
                if not in_record_by(c, day):
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

    def _walk(self, ally: Actor, control: Control, stale_days: int, scope: str | None) -> RowWalk:
        """A ``RowWalk`` of the ally on the control, over the items asked about."""
        items = items_asked(control, scope)
        wanted = frozenset(items)
        evidence = [e for e in self._by_pair.get((ally.id, control.id), ()) if e.items & wanted]
        answered = self._answered(ally.id, control.id, wanted)
        return RowWalk(ally, control, stale_days, items, evidence, answered)

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
                if in_record_by(c, day) and (control is not None or self._binds(c, day))
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
            stage = LADDER[max(best.values(), default=Stage.NONE.rank)]
            verdict = verdict_of(in_force, len(best), stage)
            point = SweepPoint(day, when[day], stage, verdict, in_force, len(best))
            if not points or not points[-1].same(point):
                points.append(point)
        found = Sweep(points)
        self._sweeps[key] = found
        return found

    def _binds(self, control: Control, day: date) -> bool:
        key = (id(control), day)
        live = self._live.get(key)
        if live is None:
            live = self._live[key] = control_state(control, day).live
        return live

    def _candidates(self, control: str | None, scope: str | None) -> list[Control]:
        """The initiator controls an ally is scored over (before the day's record and live
        tests)."""
        return [c for c in self.initiator_controls if in_question(c, control, scope)]

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


def _item_order(item: str, pairs: list[PairScore]) -> tuple[int, int]:
    for n, p in enumerate(pairs):
        if item in p.control.scope:
            return (n, p.control.scope.index(item))
    return (len(pairs), 0)


def score(dataset: Dataset, asked: Question) -> Scores:
    """Every ally's score as of the day a checked question ``asked`` names (the allies it
    names, or all), over the control or scope item asked about."""
    return Evaluator(dataset).score(asked)


def timelines(
    dataset: Dataset, asked: Question
) -> list[tuple[AllyScore, list[Transition], list[VerdictChange]]]:
    """Each ally's (those a checked question ``asked`` about, or all) score as of its day, its
    stage changes and its verdict changes up to it (both from the one sweep), over the control
    or scope item asked about."""
    evaluator = Evaluator(dataset)
    day, control, scope = asked.as_of, asked.control, asked.scope
    return [
        (
            evaluator.ally(a, day, asked.stale_days, control, scope),
            evaluator.transitions(a, day, control, scope),
            evaluator.verdict_changes(a, day, control, scope),
        )
        for a in asked.allies_in(dataset)
    ]
