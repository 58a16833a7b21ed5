"""Dates in order and in the past, partial dates explained (``date-order``, ``future-date``,
``source-before-event``, ``partial-date-note``)."""

from __future__ import annotations

from collections.abc import Iterator

from export_alignment.dates import PartialDate
from export_alignment.models import Control, Statement
from export_alignment.problems import Level, Problem
from export_alignment.reader import KeyPath, keypath_text
from export_alignment.rules.context import Context, rule
from export_alignment.rules.sources import statement_sources
from export_alignment.shape import (
    MEASURE_DATES,
)


@rule("date-order")
def control_date_order(ctx: Context) -> Iterator[Problem]:
    """A measure is not published or in effect before it was announced. Effective may precede
    published (US interim final rules take effect on announcement and are printed later).

    Passes: ``controls[0].effective: 2022-10-07`` (announced 2022-10-07, published 2022-10-13)
    Fails: ``controls[0].effective: 2022-10-01``
    """
    for c in ctx.dataset.controls:
        if c.announced is None:
            continue
        for name in MEASURE_DATES[1:]:
            value: PartialDate | None = getattr(c, name)
            if value is not None and value.certainly_before(c.announced):
                yield ctx.problem(c, (name,), f"{name} {value} is before announced {c.announced}")


def _dated_fields(
    ctx: Context,
) -> Iterator[tuple[Control | Statement, KeyPath, PartialDate]]:
    for c in ctx.dataset.controls:
        for name in MEASURE_DATES:
            if (value := getattr(c, name)) is not None:
                yield c, (name,), value
        for i, event in enumerate(c.lifecycle):
            yield c, ("lifecycle", i, "date"), event.date
    for s in ctx.dataset.statements:
        yield s, ("date",), s.date
        for suffix, source in statement_sources(s):
            yield s, (*suffix, "published"), source.published


@rule("future-date")
def future_dates(ctx: Context) -> Iterator[Problem]:
    """No date lies after today (``--today``, default: the real today).

    Passes: ``statements[0].date: 2023-01-13``
    Fails: ``controls[0].effective: 2099-01-01``
    """
    for record, suffix, value in _dated_fields(ctx):
        if value.earliest > ctx.today:
            yield ctx.problem(
                record,
                suffix,
                f"{keypath_text(suffix)} {value} is after today ({ctx.today})",
            )


@rule("source-before-event")
def source_before_event(ctx: Context) -> Iterator[Problem]:
    """A source is not published before the event it reports.

    Passes: ``statements[0].source.published: 2023-01-17`` (the event: 2023-01-13)
    Fails: ``statements[0].source.published: 2023-01-02``
    """
    for s in ctx.dataset.statements:
        for suffix, source in statement_sources(s):
            if source.published.certainly_before(s.date):
                yield ctx.problem(
                    s,
                    (*suffix, "published"),
                    f"the source ({source.published}) is published before the "
                    f"event it reports ({s.date})",
                )


@rule("partial-date-note", level=Level.WARNING)
def partial_date_notes(ctx: Context) -> Iterator[Problem]:
    """A date known only to the month or year says how it was arrived at in ``date_note``.

    Passes: ``statements[0].date: 2022-11`` ``statements[0].date_note: the report gives no day``
    Fails: ``statements[0].date: 2022-11``
    """
    for s in ctx.dataset.statements:
        if s.date.is_partial and s.date_note is None:
            yield ctx.problem(
                s, ("date",), f"date {s.date} is partial; say how it was arrived at in date_note"
            )
    for c in ctx.dataset.controls:
        for name in MEASURE_DATES:
            value = getattr(c, name)
            if value is not None and value.is_partial and c.date_note is None:
                yield ctx.problem(
                    c, (name,), f"{name} {value} is partial; say how it was arrived at in date_note"
                )
