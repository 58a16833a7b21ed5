"""The values the site, the feeds and the data exports read, one dataclass per thing shown:
an ally (its cells, evidence items, flags, steps and changes), a control, a statement, a source;
and the page addresses, defined once on those values.

They carry the record's text as it is (each reporter makes it safe for its own output) and what
scoring decided, never derived again (``publication.publish`` builds them).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.models import SLUG_PATTERN
from export_alignment.scoring import Unbound

FEED_NAMESPACE = uuid.UUID("6f1c0a52-5a8e-4c2e-9d54-4e3b8f1d2a77")
"""Feed entry ids are UUIDv5 in this namespace over the change's identity, so a change keeps its
id from one build to the next."""


LICENCE = ("MIT", "MIT License", "https://opensource.org/licenses/MIT")
"""The licence of the record and everything built from it (the repository's ``LICENSE``): its
SPDX id, name and address, as the site, the feeds and the data package state it."""
LICENCE_WORDS = f"The record and its derived data are published under the {LICENCE[1]}."

Day = date
"""A calendar day (the dataclasses below have fields named ``date``)."""

_SLUG = re.compile(SLUG_PATTERN)


def slug(record_id: str) -> str:
    """A record id as a file name's stem (ids are lowercase slugs; anything else is refused)."""
    if not _SLUG.fullmatch(record_id):
        raise ValueError(f"not a slug: {record_id!r}")
    return record_id


# Page URLs, defined once (Pelican-style): every template, the feeds, the JSON API and the
# calendar read them off the values below, relative to the site's folder.
def ally_url(ally_id: str) -> str:
    return f"allies/{slug(ally_id)}.html"


def control_url(control_id: str) -> str:
    return f"controls/{slug(control_id)}.html"


@dataclass(frozen=True)
class Bar:
    """One part of a coverage bar: how many items are in one group of stages."""

    group: str
    """``in_force``, ``committed``, ``talks`` or ``none`` (``values.COVERAGE_GROUPS``)."""
    words: str
    count: int


@dataclass(frozen=True)
class Source:
    """One cited source (a page, an archived document or an official citation)."""

    id: str
    """``src-`` and a short hash of what identifies it: stable across builds."""
    publisher: str | None
    title: str | None
    url: str | None
    document: str | None
    citation: str | None
    published: str | None
    tier: str
    kind: str | None
    """What kind of page it is (``government``, ``news-agency``, ``copy``...), if recorded."""
    copy_of: str | None
    """For a ``copy``: the original outlet."""
    notes: str | None
    archive_url: str | None = None
    """An archived copy of the page (``sources check --write-archive``)."""


@dataclass(frozen=True)
class ScopeInfo:
    """One scope item of the vocabulary."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class CoverageView:
    """Scoring's coverage: how many items are in force, of how many, and which are not."""

    in_force: int
    total: int
    missing: tuple[str, ...]
    words: str
    """``in force on 3 of 11 items``."""


@dataclass(frozen=True)
class ItemCell:
    """The stage on one scope item (of a control, or of the headline)."""

    item: str
    name: str
    stage: str
    rank: int
    since: str | None


@dataclass(frozen=True)
class Item:
    """One piece of evidence on an ally: a statement, or a date of the ally's own measure."""

    id: str
    record: str
    """``statement`` or ``measure``."""
    date: str
    """As recorded (``2022-11`` when only the month is known); for a measure ahead of the
    control it answers, the control's date (``recorded`` keeps its own)."""
    counts_from: Day
    tier: str
    signal: str
    stage: str | None
    """The stage it supports, or None (a reservation or refusal)."""
    counts: bool
    """Whether it can move a stage (anonymous reports never do)."""
    summary: str
    speaker: str | None
    speaker_title: str | None
    quote: str | None
    date_note: str | None
    event: str | None
    controls: tuple[str, ...]
    """The ally's initiator controls it is evidence on."""
    sources: tuple[Source, ...]
    sets_stage: bool
    """Whether it set the ally's headline stage."""
    role: str
    """What it does for the headline (scoring's role): sets, supports, flags, not_counted."""
    role_reason: str
    role_text: str
    """The role's description and reason, in words."""
    items: tuple[str, ...] = ()
    """The scope items it counts for."""
    via: str | None = None
    """The bloc it reaches this ally through (a bloc's own measure)."""
    ahead: bool = False
    """A measure dated before the initiator control it answers."""
    recorded: str | None = None
    """For a measure ahead: its own date."""


@dataclass(frozen=True)
class FlagView:
    name: str
    meaning: str
    detail: str
    """What raised it, in words (dates, stages, control names; no markup)."""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One ally on one initiator control."""

    ally: str
    control: str
    stage: str
    rank: int
    since: str | None
    flags: tuple[FlagView, ...]
    evidence: int
    decisive: str | None
    live: bool = True
    status: str = "live"
    """``live``, ``rescinded``, ``suspended`` (scoring's control state)."""
    lifecycle: str = ""
    """What happened to the control by the date, in words."""
    coverage: CoverageView | None = None
    items: tuple[ItemCell, ...] = ()
    via: tuple[str, ...] = ()
    """Blocs through which counting evidence reaches the ally on this control."""
    ahead: bool = False
    """Whether a measure counting here came before the control."""
    flags_alone: tuple[FlagView, ...] = ()
    """The flags when the ally is measured against this control alone (``status --control``):
    what the control's page shows (``partial`` there is about this control's items)."""
    verdict: str = "none"
    """Scoring's verdict on this control (``Verdict``), from the coverage of its items."""
    furthest: str = "none"
    """The furthest stage on any of its items (``stage`` says the same)."""
    verdict_since: str | None = None
    headline: str = ""
    """The verdict as people quote it (``values.verdict_words``: ``partly in force: 4 of 11
    items``)."""
    bar: tuple[Bar, ...] = ()


@dataclass(frozen=True)
class Step:
    """From ``date`` on, the pair (or the headline) is at ``stage``."""

    date: Day
    recorded: str
    before: str
    stage: str
    evidence: str | None


PUBLIC_CHANGES = ("verdict", "stage", "coverage")
"""The kinds of change the public feeds carry; flag changes (staleness among them) go to the
curators' feed."""


@dataclass(frozen=True)
class Change:
    """A verdict, stage or coverage change, or a flag raised or cleared: one feed entry."""

    ally: str
    ally_name: str
    kind: str
    """``verdict``, ``stage``, ``coverage``, ``flag-raised`` or ``flag-cleared``."""
    date: Day
    recorded: str
    before: str | None
    after: str | None
    flag: str | None
    evidence: str | None
    text: str
    """The title: what changed, in words (``Japan: partly in force: 5 of 11 items``)."""
    control: str | None = None
    """The control it is about (None: the ally's headline over the live controls)."""
    summary: str = ""
    """What the title does not say: from what, since when, on what evidence."""
    source: Source | None = None
    """The source of the evidence (or control event) that made the change."""

    @property
    def id(self) -> str:
        key = "|".join(
            [self.ally, self.kind, self.date.isoformat(), str(self.before), str(self.after)]
            + ([str(self.flag)] if self.flag else [])
            + ([f"control={self.control}"] if self.control else [])
        )
        return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, key)}"

    @property
    def public(self) -> bool:
        return self.kind in PUBLIC_CHANGES

    @property
    def url(self) -> str:
        return ally_url(self.ally)


@dataclass
class Ally:
    id: str
    name: str
    stage: str
    rank: int
    since: str | None
    meaning: str
    flags: list[FlagView]
    cells: list[Cell]
    """One per initiator control in the record by the date (live or not), as ``status``."""
    items: list[Item]
    steps: list[Step]
    """Headline stage changes, oldest first (what ``timeline`` reports)."""
    bands: dict[str, list[Step]]
    """Per control id: its stage changes, oldest first."""
    next_step: str | None
    coverage: CoverageView
    reviewed: str | None
    reviewed_note: str | None
    newest_evidence: str | None
    decisive: Item | None
    scope: list[ItemCell] = field(default_factory=list)
    """The headline stage on each distinct item of the live controls."""
    scope_bands: dict[str, list[Step]] = field(default_factory=dict)
    """Per headline scope item: its stage changes over the live controls, oldest first."""
    item_bands: dict[tuple[str, str], list[Step]] = field(default_factory=dict)
    """Per (control, scope item): its stage changes, oldest first (the ``stages`` table)."""
    via: list[str] = field(default_factory=list)
    """Blocs through which counting evidence reaches it."""
    ahead: list[str] = field(default_factory=list)
    """Controls on which a measure of its came before the control."""
    verdict: str = "none"
    """Scoring's verdict (``Verdict``) from the coverage of the live items: shown first."""
    furthest: str = "none"
    """The furthest stage on any live item (``stage`` says the same)."""
    verdict_since: str | None = None
    headline: str = ""
    """The verdict as people quote it (``partly in force: 4 of 11 items``)."""
    bar: tuple[Bar, ...] = ()
    """The live items by group of stages: in force, committed, in talks, none."""
    not_in_force: tuple[str, ...] = ()
    """The names of the live items not yet in force: what would move the verdict."""
    changes: list[Change] = field(default_factory=list)
    """Its changes (headline and per control), newest first."""

    @property
    def url(self) -> str:
        return ally_url(self.id)

    @property
    def feed_url(self) -> str:
        return f"feeds/allies/{slug(self.id)}.xml"

    @property
    def api_url(self) -> str:
        return f"api/allies/{slug(self.id)}.json"

    @property
    def preview_url(self) -> str:
        return f"previews/{slug(self.id)}.svg"

    @property
    def outlook(self) -> str:
        """What lies beyond the items in force, in words: ``2 more items committed, 2 in talks,
        2 with no step yet.``"""
        counts = {b.group: b.count for b in self.bar}
        parts = [
            f"{counts.get(g, 0)} {w}"
            for g, w in (("committed", "committed"), ("talks", "in talks"))
            if counts.get(g, 0)
        ]
        if counts.get("none", 0):
            parts.append(f"{counts['none']} with no step yet")
        if not parts:
            return "Every item is in force." if self.coverage.total else "No item is in question."
        first, *rest = parts
        n = int(first.split()[0])
        lead = f"{first.split(' ', 1)[0]} {'item' if n == 1 else 'items'} {first.split(' ', 1)[1]}"
        if self.coverage.in_force:
            lead = "Of the rest, " + lead
        words = ", ".join([lead, *rest[:-1]]) + (f" and {rest[-1]}" if rest else "")
        return words[0].upper() + words[1:] + "."

    @property
    def takeaway(self) -> str:
        """The answer in one sentence (for link previews, the API and the page's description):
        the verdict with its coverage and since when, then ``outlook``."""
        since = (
            f" since {PartialDate.parse(self.verdict_since).human()}" if self.verdict_since else ""
        )
        return f"{self.name}: {self.headline}{since}. {self.outlook}"

    @property
    def live_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.live]

    def marks(self) -> list[str]:
        """Its flags and evidence marks in words, for the matrix."""
        words = [f.name.replace("_", " ") for f in self.flags]
        words = list(dict.fromkeys(words))
        words += [f"via {v}" for v in self.via]
        if self.ahead:
            words.append("ahead")
        return words


@dataclass
class LifeEvent:
    event: str
    date: str
    until: str | None
    summary: str | None
    source: Source | None


@dataclass
class ControlInfo:
    id: str
    label: str
    """A short name: issuer, kind, first date (``US rule 2022-10-07``)."""
    title: str
    issuer: str
    issuer_name: str
    kind: str
    target: str
    scope: list[str]
    announced: str | None
    published: str | None
    effective: str | None
    date_note: str | None
    notes: str | None
    aligns_with: list[str]
    source: Source
    initiator: bool
    live: bool
    """An initiator control that binds on the as-of date (scoring's control state)."""
    lifecycle: list[LifeEvent]
    status: str = ""
    """Scoring's control state on the as-of date: live, rescinded, suspended, not yet issued
    (empty for an ally's own measure)."""
    in_record: bool = False
    """An initiator control in the record by the as-of date (it has a page and rows)."""
    state_words: str = ""
    """What happened to it by the as-of date, in words."""
    unbound: list[Unbound] = field(default_factory=list)
    """The stretches by the as-of date on which it existed but did not bind (scoring's)."""
    target_name: str = ""
    """The name of the country it is aimed at (``China``, not ``cn``)."""
    status_words: str = ""
    """Its status in words (``unknown``: the record does not say whether it binds again...)."""

    @property
    def url(self) -> str:
        return control_url(self.id)

    @property
    def feed_url(self) -> str:
        return f"feeds/controls/{slug(self.id)}.xml"

    @property
    def api_url(self) -> str:
        return f"api/controls/{slug(self.id)}.json"


@dataclass
class StatementInfo:
    id: str
    date: str
    counts_from: Day
    date_note: str | None
    speaker: str
    speaker_name: str | None
    about: list[str]
    controls: list[str]
    signal: str
    stance: str
    summary: str
    quote: str | None
    event: str | None
    notes: str | None
    sources: list[Source]
    tier: str = ""
    """Its best source's tier (scoring's)."""
    scope: list[str] = field(default_factory=list)
    """The scope items it names (empty: every item of its controls)."""


# --- plain values -----------------------------------------------------------------------------


def day_text(value: PartialDate | None) -> str | None:
    """A record date as its text (``2023-01``), None for none."""
    return None if value is None else str(value)


def in_words(value: object) -> str:
    """A stage or other vocabulary value in words (``in_force`` as ``in force``); none as
    ``a higher stage``."""
    return "a higher stage" if value is None else str(value).replace("_", " ")
