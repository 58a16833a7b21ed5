"""Flags read over many pieces of evidence: unconfirmed reports, when they end, staleness.

How long an anonymous report is shown (``report_ends``) and when on-record evidence answers it
(``answer_days``); what staleness is measured from (``stale_basis``).
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Tier
from export_alignment.scoring.evidence import Evidence
from export_alignment.scoring.results import FlagNote
from export_alignment.scoring.vocabulary import Flag


def report_ends(e: Evidence, stale_days: int) -> date:
    """The last day an anonymous report can flag ``unconfirmed_report``: its date (its last
    possible day) plus the staleness window."""
    return e.date.latest + timedelta(days=stale_days)


def answer_days(evidence: list[Evidence], wanted: frozenset[str]) -> dict[tuple[str, str], date]:
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


def still_shown(e: Evidence, wanted: frozenset[str], stale_days: int) -> str:
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


def stale_flag(
    evidence: list[Evidence], ally: Actor, as_of: date, stale_days: int
) -> FlagNote | None:
    """The ``stale`` flag over ``evidence`` (``stale_basis``), or None when it is fresh."""
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
