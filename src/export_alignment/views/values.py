"""The decisions every output shares, each made once: what one source is, how much evidence a
row has, what a piece of evidence does, why an ally is stale, a control's short label, and
whether a control is the one a question asks about, and the words a verdict is said in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.models import Control, Tier
from export_alignment.scoring import (
    AllyScore,
    Evidence,
    Role,
    RoleNote,
    Verdict,
    stale_basis,
)

# --- sources ------------------------------------------------------------------------------------


def source_identity(source: object) -> tuple[str, ...]:
    """What makes two citations one source: its address, else its archived document, else its
    official citation, else its description. A page cited by several records, with or without a
    ``published`` date, is one source in the brief's notes, the site's sources page and the
    export's ``sources`` table alike."""
    url = getattr(source, "url", None)
    if url:
        return ("url", str(url))
    document = getattr(source, "document", None)
    if document:
        return ("document", str(document))
    citation = getattr(source, "citation", None)
    if citation:
        return ("citation", str(citation))
    return (
        "described",
        str(getattr(source, "publisher", None)),
        str(getattr(source, "title", None)),
        str(getattr(source, "published", None)),
    )


# --- evidence -----------------------------------------------------------------------------------


def evidence_count(evidence: list[Evidence]) -> int:
    """How many records are evidence on a row: a statement counts once, and so does a measure
    whose announced, published and in-force dates are three items of evidence."""
    return len({e.id for e in evidence})


def anonymous_count(evidence: list[Evidence]) -> int:
    """How many of those records are anonymous reports."""
    return len({e.id for e in evidence if e.tier is Tier.ANONYMOUS})


EFFECTS: dict[Role, str] = {
    Role.SETS: "sets the stage",
    Role.SUPPORTS: "supports the stage",
    Role.FLAGS: "raises a flag",
    Role.NOT_COUNTED: "does not count",
}
"""The few words every output uses for what a piece of evidence does: scoring's role, never a
label read off the evidence beside it (an anonymous reservation does not count; it does not
"flag only")."""


def effect(note: RoleNote | None) -> str | None:
    """The effect word of a role, or None where the evidence has no role on the row."""
    return None if note is None else EFFECTS[note.role]


# --- staleness ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staleness:
    """Why an ally is stale: what the age is measured from (the newest evidence, or the last
    review when that is later), that day, and the age against the threshold."""

    basis: str
    """``evidence`` or ``review``."""
    day: PartialDate
    age: int
    threshold: int
    newest: Evidence


def staleness(score: AllyScore, as_of: date, stale_days: int) -> Staleness | None:
    """Scoring's reason for ``stale`` as a value (None when the ally is not flagged stale)."""
    if "stale" not in score.flag_names:
        return None
    basis = stale_basis(score.ally, score.evidence, as_of)
    if basis is None:
        return None
    what, day, newest = basis
    return Staleness(what, day, (as_of - day.latest).days, stale_days, newest)


# --- verdicts ----------------------------------------------------------------------------------

VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.IN_FORCE: "in force",
    Verdict.LARGELY_IN_FORCE: "largely in force",
    Verdict.PARTLY_IN_FORCE: "partly in force",
    Verdict.COMMITTED: "committed",
    Verdict.NEGOTIATING: "negotiating",
    Verdict.RAISED: "raised",
    Verdict.NONE: "no evidence",
}
"""How a reader sees each verdict, in every output (scoring's ``VERDICTS`` says what each means)."""


def verdict_words(verdict: Verdict, in_force: int, total: int) -> str:
    """The headline as people quote it: the verdict with its coverage beside it (``partly in
    force: 4 of 11 items``, ``negotiating: none of 3 items in force``); coverage is left out when
    no item is in question."""
    words = VERDICT_WORDS[verdict]
    if total == 0:
        return words
    noun = "item" if total == 1 else "items"
    if in_force == 0:
        return f"{words}: none of {total} {noun} in force"
    return f"{words}: {in_force} of {total} {noun}"


COVERAGE_GROUPS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("in_force", "in force", frozenset({"in_force"})),
    ("committed", "committed", frozenset({"agreed", "announced", "adopted"})),
    ("talks", "in talks", frozenset({"raised", "negotiating"})),
    ("none", "none", frozenset({"none"})),
)
"""The parts of a coverage bar, highest first: (key, words, the stages it holds). The site's
bar, the preview image and the JSON API count items by these groups."""


def coverage_groups(stages: list[str]) -> list[tuple[str, str, int]]:
    """How many of ``stages`` (one per item) fall in each of ``COVERAGE_GROUPS``."""
    return [
        (key, words, sum(1 for s in stages if s in held)) for key, words, held in COVERAGE_GROUPS
    ]


STATUS_WORDS: dict[str, str] = {
    "live": "in effect: it binds and counts",
    "not yet issued": "not yet issued",
    "rescinded": "rescinded: withdrawn by the initiator; it no longer binds or counts",
    "suspended": "suspended: it does not bind or count meanwhile",
    "non_enforcement": "not enforced: the initiator said it will not enforce it, pending "
    "rescission; it does not bind or count (it has not been formally rescinded)",
    "unknown": "status unknown: a suspension has ended and the record does not say whether it "
    "binds again; not counted",
}
"""A control's status (``ControlStatus``) in words for readers: never a bare ``unknown`` or
``non_enforcement``."""

STATUS_SHORT: dict[str, str] = {
    "live": "in effect",
    "not yet issued": "not yet issued",
    "rescinded": "rescinded",
    "suspended": "suspended",
    "non_enforcement": "not enforced",
    "unknown": "status unknown",
}
"""The same in two words, where space is short (a chart's band label)."""


# --- controls -----------------------------------------------------------------------------------


def control_label(control: Control) -> str:
    """A control's short name: issuer, kind and first date (``US rule 2022-10-07``)."""
    start = control.first_date
    return f"{control.issuer.upper()} {control.kind}" + (f" {start}" if start else "")


__all__ = [
    "COVERAGE_GROUPS",
    "EFFECTS",
    "STATUS_SHORT",
    "STATUS_WORDS",
    "coverage_groups",
    "VERDICT_WORDS",
    "Staleness",
    "anonymous_count",
    "control_label",
    "effect",
    "evidence_count",
    "source_identity",
    "staleness",
    "verdict_words",
]
