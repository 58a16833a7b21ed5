"""An initiator control's lifecycle: only initiators record one, no event predates the control,
no suspension runs out unexplained (``lifecycle-initiator``, ``suspension-end-unknown``)."""

from __future__ import annotations

from collections.abc import Iterator

from export_alignment.problems import Level, Problem
from export_alignment.rules.context import Context, rule


@rule("lifecycle-initiator", needs_all_files=True)
def lifecycle_initiator(ctx: Context) -> Iterator[Problem]:
    """Only an initiator control records a ``lifecycle`` (allies are measured against the
    initiator's rules as they change), and no event predates the control.

    Passes: ``controls[0].lifecycle: [{event: rescinded, date: 2024-05-13, summary: Withdrawn,
    source: {title: Notice, citation: 89 FR 1}}]``
    Fails: the same event dated before the rule: ``controls[0].lifecycle: [{event: rescinded,
    date: 2021-12-01, summary: Withdrawn, source: {title: Notice, citation: 89 FR 1}}]``
    """
    initiators = {c.id for c in ctx.dataset.initiator_controls()}
    for c in ctx.dataset.controls:
        if c.lifecycle and c.id not in initiators:
            yield ctx.problem(
                c,
                ("lifecycle",),
                "only an initiator control records a lifecycle",
                key=True,
            )
        start = c.first_date
        for i, event in enumerate(c.lifecycle):
            if start is not None and event.date.certainly_before(start):
                yield ctx.problem(
                    c,
                    ("lifecycle", i, "date"),
                    f"{event.event} on {event.date} is before the control's first date ({start})",
                )


@rule("suspension-end-unknown", level=Level.WARNING)
def suspension_end_unknown(ctx: Context) -> Iterator[Problem]:
    """(warning) A suspension whose ``until`` has passed (by today) with no lifecycle event
    recorded on or after it: the record does not say whether the control binds again, so
    scoring counts it as ``unknown`` (not live) from that day. Look for what happened and record
    it (``resumed``, ``relaxed``, ``rescinded``, ``non_enforcement``, a new ``suspended``).

    Passes: ``controls[0].lifecycle: [{event: suspended, date: 2024-06-01, until: 2025-06-01,
    summary: Paused for a year, source: {title: Notice, citation: 89 FR 1}}]``
    Fails: the year ended before today: ``controls[0].lifecycle: [{event: suspended,
    date: 2023-06-01, until: 2024-06-01, summary: Paused for a year, source: {title: Notice,
    citation: 89 FR 1}}]``
    """
    for c in ctx.dataset.initiator_controls():
        for e in c.open_suspensions:
            assert e.until is not None
            if e.until.latest <= ctx.today:
                yield ctx.problem(
                    c,
                    ("lifecycle", c.lifecycle.index(e), "until"),
                    f"the suspension ran until {e.until} and no later event is recorded: the "
                    f"record does not say whether {c.id} binds again (scored as unknown)",
                )
