"""An ally's changes over time as feed entries: verdict, stage and coverage changes (public,
each with the source behind it), flags raised and cleared (for the curators), and each
control's own verdict and stage changes; newest first."""

from __future__ import annotations

from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.scoring import FLAGS, AllyHistory, AllyScore, Flag, VerdictChange
from export_alignment.views.publication_model import (
    PUBLIC_CHANGES,
    Ally,
    Change,
    ControlInfo,
    Source,
    Step,
    in_words,
)
from export_alignment.views.values import verdict_words


def flag_history(
    history: AllyHistory, score: AllyScore, as_of: date
) -> list[tuple[date, set[str]]]:
    """The headline's flag sets over time, from scoring's one sweep of the ally's history
    (``Evaluator.history``, over the days a flag can change)."""
    flag_sets = [(day, set(flags)) for day, flags in history.flag_sets]
    last = flag_sets[-1][1] if flag_sets else set()
    if set(score.flag_names) != last:  # the as-of day itself
        flag_sets.append((as_of, set(score.flag_names)))
    return flag_sets


def _source_of(
    ally: Ally, evidence: str | None, day: date, pub_controls: list[ControlInfo]
) -> Source | None:
    """The source behind a change: its evidence's first linked source, else a counting item of
    the ally's dated that day, else the record of a control dated that day (a control issued,
    rescinded or suspended moves coverage too)."""
    by_id = {i.id: i for i in ally.items}
    candidates = [by_id[evidence]] if evidence in by_id else []
    candidates += [i for i in ally.items if i.counts and i.counts_from == day]
    for item in candidates:
        for src in item.sources:
            if src.url:
                return src
    for c in pub_controls:
        dated: list[tuple[str | None, Source | None]] = [
            (c.announced, c.source),
            (c.published, c.source),
            (c.effective, c.source),
        ]
        dated += [(ev.date, ev.source) for ev in c.lifecycle]
        dated += [(ev.until, ev.source) for ev in c.lifecycle if ev.until]
        for when, cited in dated:
            if when and cited is not None and cited.url and PartialDate.parse(when).latest == day:
                return cited
    return candidates[0].sources[0] if candidates and candidates[0].sources else None


def _verdict_text(name: str, v: VerdictChange) -> str:
    return f"{name}: {verdict_words(v.after, v.in_force, v.total)}"


def changes_of(
    ally: Ally,
    history: AllyHistory,
    flag_sets: list[tuple[date, set[str]]],
    controls: list[ControlInfo],
    per_control: dict[str, tuple[list[Step], list[VerdictChange]]],
) -> list[Change]:
    """Every change of an ally, as feed entries: headline verdict, stage and coverage changes,
    flags raised and cleared (for the curators), and each control's verdict and stage changes."""
    out: list[Change] = []
    labels = {c.id: c.label for c in controls}

    def add(
        kind: str,
        day: date,
        recorded: str,
        before: str | None,
        after: str | None,
        flag: str | None,
        evidence: str | None,
        title: str,
        summary: str,
        control: str | None = None,
    ) -> None:
        src = _source_of(ally, evidence, day, controls) if kind in PUBLIC_CHANGES else None
        out.append(
            Change(
                ally.id,
                ally.name,
                kind,
                day,
                recorded,
                before,
                after,
                flag,
                evidence,
                title,
                control,
                summary,
                src,
            )
        )

    def when(recorded: str) -> str:
        return PartialDate.parse(recorded).human()

    verdict_days = {v.date for v in history.verdicts}
    for v in history.verdicts:
        add(
            "verdict",
            v.date,
            str(v.recorded),
            str(v.before),
            str(v.after),
            None,
            None,
            _verdict_text(ally.name, v),
            f"The verdict on the live US controls moved from {in_words(v.before)} to "
            f"{in_words(v.after)} on {when(str(v.recorded))}.",
        )
    for s in ally.steps:
        add(
            "stage",
            s.date,
            s.recorded,
            s.before,
            s.stage,
            None,
            s.evidence,
            f"{ally.name}: furthest stage {in_words(s.stage)}",
            f"The furthest stage on any live item moved from {in_words(s.before)} on "
            f"{when(s.recorded)}.",
        )
    previous = None
    for day, cov in history.coverage:
        if (
            previous is not None
            and day not in verdict_days
            and ((cov.in_force, cov.total) != (previous.in_force, previous.total))
        ):
            add(
                "coverage",
                day,
                day.isoformat(),
                None,
                None,
                None,
                None,
                f"{ally.name}: in force on {cov.in_force} of {cov.total} items",
                f"Coverage was {previous.in_force} of {previous.total} items in force before "
                f"{when(day.isoformat())}; the verdict is unchanged.",
            )
        previous = cov
    for control, (steps, verdicts) in per_control.items():
        label = labels.get(control, control)
        for v in verdicts:
            add(
                "verdict",
                v.date,
                str(v.recorded),
                str(v.before),
                str(v.after),
                None,
                None,
                f"{ally.name} on {label}: {verdict_words(v.after, v.in_force, v.total)}",
                f"On this control alone the verdict moved from {in_words(v.before)} on "
                f"{when(str(v.recorded))}.",
                control,
            )
        for s in steps:
            add(
                "stage",
                s.date,
                s.recorded,
                s.before,
                s.stage,
                None,
                s.evidence,
                f"{ally.name} on {label}: furthest stage {in_words(s.stage)}",
                f"Moved from {in_words(s.before)} on {when(s.recorded)}.",
                control,
            )
    before: set[str] = set()
    for day, flags in flag_sets:
        raised = [
            ("flag-raised", n, f"flagged {in_words(n)}", FLAGS[Flag(n)]) for n in flags - before
        ]
        cleared = [
            ("flag-cleared", n, f"no longer flagged {in_words(n)}", "") for n in before - flags
        ]
        for kind, name, what, meaning in sorted(raised) + sorted(cleared):
            add(
                kind,
                day,
                day.isoformat(),
                None,
                None,
                name,
                None,
                f"{ally.name}: {what}",
                (f"{meaning[0].upper()}{meaning[1:]}." if meaning else "The flag was cleared ")
                + ("" if meaning else f"on {when(day.isoformat())}."),
            )
        before = flags
    return out


_KIND_ORDER = {"flag-cleared": 0, "flag-raised": 1, "coverage": 2, "stage": 3, "verdict": 4}


def newest_first(c: Change) -> tuple[date, str, str, int, str]:
    """The sort key of changes, for ``reverse=True``: newest first, then by ally, control and
    kind."""
    return (c.date, c.ally, c.control or "", _KIND_ORDER.get(c.kind, 0), c.flag or "")
