"""Gathering the facts a brief shows: the scores for the question asked, and what changed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from export_alignment.errors import DayTooEarly
from export_alignment.guards import require_window
from export_alignment.models import Dataset
from export_alignment.question import Question
from export_alignment.scoring import Evaluator, Scores, Transition


@dataclass
class BriefInput:
    """What the brief shows: the scores as of the date, each ally's stage transitions, and (with
    ``--since``) the scores as of the earlier date."""

    dataset: Dataset
    scores: Scores
    transitions: dict[str, list[Transition]]
    since: date | None = None
    before: Scores | None = None


def gather(evaluator: Evaluator, asked: Question, since: date | None = None) -> BriefInput:
    """Score the allies for the checked question ``asked`` (the allies it names, as of its day,
    over the control or scope item asked about) and, with ``since``, as of the day before it:
    what changed is what counts from ``since`` on, the day included, as ``list --since``."""
    as_of, control, scope = asked.as_of, asked.control, asked.scope
    require_window(since, as_of)
    if since is not None and since == date.min:
        first = date.min + timedelta(days=1)
        raise DayTooEarly(since, first, "a brief compares with the day before it", since=True)
    scores = evaluator.score(asked)
    transitions = {
        a.ally.id: evaluator.transitions(a.ally, as_of, control, scope) for a in scores.allies
    }
    before = (
        evaluator.score(replace(asked, as_of=since - timedelta(days=1)))
        if since is not None
        else None
    )
    return BriefInput(evaluator.dataset, scores, transitions, since, before)
