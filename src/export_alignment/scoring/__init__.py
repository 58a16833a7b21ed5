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
  headline and coverage are computed over that control (live or not) or that item only
  (``in_question``, ``items_asked``).
* ``stale``: the later of the newest evidence and the ally's ``reviewed`` date (when not after the
  as-of date) is older than the threshold (default 365 days).
* An ally with no evidence is at ``none`` with no since and no flags.

The package, by job: ``vocabulary`` (stages, verdicts and their thresholds, flags, roles),
``evidence`` (what counts as evidence, and from when), ``lifecycle`` (whether a control binds),
``results`` (rows, headlines, changes, the sweep), ``flags`` (reports answered, staleness),
``evaluator`` (the ``Evaluator``) and ``walk`` (one row through time, for
``Evaluator.history``). The names other layers use are re-exported here, with the question's
``in_question`` and ``items_asked`` (``export_alignment.question``: which controls and items a
question is about, also what ``Question.checked`` lets a question name).
"""

from export_alignment.question import in_question, items_asked
from export_alignment.scoring.evaluator import Evaluator, score, timelines
from export_alignment.scoring.evidence import Evidence, counted_from
from export_alignment.scoring.flags import report_ends, stale_basis
from export_alignment.scoring.lifecycle import (
    CONTROL_STATUSES,
    ControlState,
    ControlStatus,
    LifecycleChange,
    Unbound,
    control_dates,
    control_state,
    lifecycle_changes,
    unbound_periods,
    unknown_words,
)
from export_alignment.scoring.results import (
    AllyHistory,
    AllyScore,
    Coverage,
    FlagNote,
    ItemScore,
    PairScore,
    RoleNote,
    Scores,
    Sweep,
    SweepPoint,
    Transition,
    VerdictChange,
    coverage_of,
    verdict_of_items,
)
from export_alignment.scoring.vocabulary import (
    DEFAULT_STALE_DAYS,
    FLAG_SIGNALS,
    FLAGS,
    LADDER,
    MEASURE_STAGE,
    ROLES,
    SIGNAL_STAGE,
    STAGE_GLYPH,
    STAGES,
    VERDICTS,
    Flag,
    Role,
    Stage,
    Verdict,
    next_step,
    verdict_of,
)

__all__ = [
    "CONTROL_STATUSES",
    "DEFAULT_STALE_DAYS",
    "FLAGS",
    "FLAG_SIGNALS",
    "LADDER",
    "MEASURE_STAGE",
    "ROLES",
    "SIGNAL_STAGE",
    "STAGES",
    "STAGE_GLYPH",
    "VERDICTS",
    "AllyHistory",
    "AllyScore",
    "ControlState",
    "ControlStatus",
    "Coverage",
    "Evaluator",
    "Evidence",
    "Flag",
    "FlagNote",
    "ItemScore",
    "LifecycleChange",
    "PairScore",
    "Role",
    "RoleNote",
    "Scores",
    "Stage",
    "Sweep",
    "SweepPoint",
    "Transition",
    "Unbound",
    "Verdict",
    "VerdictChange",
    "control_dates",
    "control_state",
    "counted_from",
    "coverage_of",
    "in_question",
    "items_asked",
    "lifecycle_changes",
    "next_step",
    "report_ends",
    "score",
    "stale_basis",
    "timelines",
    "unbound_periods",
    "unknown_words",
    "verdict_of",
    "verdict_of_items",
]
