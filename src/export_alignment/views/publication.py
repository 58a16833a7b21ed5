"""What the site, the feed and the data exports publish: the record and its scores as plain
values.

This module is the one place where those reporters read scoring results (an adapter): the site
templates, the Atom feed and the JSON, CSV and SQLite exports see only the frozen values built
here. It reads what scoring decided (stages per control and per scope item, coverage, the
controls' live state, flags, evidence roles, ``via`` and ``ahead``, stage histories from
``Evaluator.transitions``) and never derives any of it again.

Nothing here escapes or formats text: the values carry the record's text as it is, and each
reporter makes it safe for its own output.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Protocol, TypeVar

from export_alignment.dates import PartialDate
from export_alignment.models import (
    SLUG_PATTERN,
    Actor,
    Control,
    ControlSource,
    Dataset,
    Statement,
    StatementSource,
)
from export_alignment.scoring import (
    DEFAULT_STALE_DAYS,
    FLAGS,
    LADDER,
    STAGES,
    AllyHistory,
    AllyScore,
    Coverage,
    Evaluator,
    Evidence,
    Flag,
    FlagNote,
    ItemScore,
    PairScore,
    Transition,
    Unbound,
    VerdictChange,
    control_state,
    next_step,
    unbound_periods,
)
from export_alignment.views.values import (
    STATUS_WORDS,
    control_label,
    coverage_groups,
    evidence_count,
    source_identity,
    verdict_words,
)

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


@lru_cache(maxsize=8192)
def _human_date(value: str) -> str:
    """A record date in words, remembered (the sources page names thousands of statements)."""
    return PartialDate.parse(value).human()


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_R = TypeVar("_R", bound=_HasId)


def _first_by_id(records: list[_R]) -> dict[str, _R]:
    """The records by their ``id``, the first of any repeated id (as a scan in order finds it)."""
    index: dict[str, _R] = {}
    for r in records:
        index.setdefault(r.id, r)
    return index


@dataclass
class Publication:
    as_of: date
    stale_days: int
    allies: list[Ally]
    columns: list[ControlInfo]
    """The live initiator controls, the matrix's columns."""
    controls: list[ControlInfo]
    statements: list[StatementInfo]
    actors: list[Actor]
    sources: list[Source]
    changes: list[Change]
    """Every ally's headline changes, newest first: verdict, stage and coverage (``public``)
    and flags raised or cleared (the curators' feed)."""
    cited_by: dict[str, list[str]] = field(default_factory=dict)
    """Source id -> the ids of the statements and controls that cite it."""
    scope_items: list[ScopeInfo] = field(default_factory=list)
    """The vocabulary, in the record's order."""
    scope_columns: list[str] = field(default_factory=list)
    """The distinct items of the live controls, the item matrix's columns."""
    pages: list[ControlInfo] = field(default_factory=list)
    """The initiator controls in the record by the date (live or not): one page each."""

    @property
    def newest_evidence(self) -> str | None:
        dates = [a.newest_evidence for a in self.allies if a.newest_evidence]
        return max(dates, key=lambda d: PartialDate.parse(d).sort_key) if dates else None

    @property
    def reviewed_span(self) -> tuple[str, str, int] | None:
        """The earliest and latest of the allies' review dates, and how many allies have none
        (None when no ally has one)."""
        dates = sorted(
            (a.reviewed for a in self.allies if a.reviewed),
            key=lambda d: PartialDate.parse(d).sort_key,
        )
        if not dates:
            return None
        return dates[0], dates[-1], sum(1 for a in self.allies if not a.reviewed)

    @property
    def public_changes(self) -> list[Change]:
        """The headline changes a reader follows: verdict, stage and coverage."""
        return [c for c in self.changes if c.public]

    def control_changes(self, control_id: str) -> list[Change]:
        """Every ally's public changes on one control, newest first."""
        found = [c for a in self.allies for c in a.changes if c.control == control_id and c.public]
        return sorted(found, key=_newest_first, reverse=True)

    def record_name(self, record_id: str) -> str:
        """A statement or control as a reader knows it: who spoke and when (``Japan, 23 July
        2023``), or the control's label; the id only when it is neither."""
        st = self._statements_by_id.get(record_id)
        if st is not None:
            return f"{st.speaker_name or st.speaker}, {_human_date(st.date)}"
        c = self.control(record_id)
        return c.label if c is not None else record_id

    @cached_property
    def _statements_by_id(self) -> dict[str, StatementInfo]:
        """The statements by id, the first of any repeated id (as a scan in order finds it)."""
        return _first_by_id(self.statements)

    def actor_name(self, actor_id: str) -> str:
        return next((a.name for a in self.actors if a.id == actor_id), actor_id)

    def item_name(self, item: str) -> str:
        found = self._items_by_id.get(item)
        return found.name if found is not None else item

    def control(self, control_id: str) -> ControlInfo | None:
        return self._controls_by_id.get(control_id)

    @cached_property
    def _items_by_id(self) -> dict[str, ScopeInfo]:
        return _first_by_id(self.scope_items)

    @cached_property
    def _controls_by_id(self) -> dict[str, ControlInfo]:
        return _first_by_id(self.controls)


# --- reading the record -------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _citation_id(src: StatementSource | ControlSource, tier: str) -> str:
    """``src-`` and a short hash of one citation's fields (the ids sources have always had)."""
    published = getattr(src, "published", None)
    tier = _text(getattr(src, "tier", None)) or tier
    parts = [
        src.url,
        src.document,
        getattr(src, "citation", None),
        src.title,
        src.publisher,
        published,
        tier,
    ]
    if src.kind is not None:  # sources without a kind keep the ids they had
        parts += [src.kind, src.copy_of]
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"src-{digest[:12]}"


class SourceBook:
    """The record's sources, one per identity (``values.source_identity``: its address, else its
    archived document...): a page cited with and without a date, or by a control and a
    statement, is one source, with the id of its first citation in the record's order
    (controls, their lifecycle events, statements), so the ids stay what they were."""

    def __init__(self, dataset: Dataset) -> None:
        self._ids: dict[tuple[str, ...], str] = {}
        self._cited: dict[int, tuple[Statement, list[Source]]] = {}
        for c in dataset.controls:
            self._see(c.source, "official_text")
            for ev in sorted(c.lifecycle, key=lambda e: e.date.sort_key):
                self._see(ev.source, "official_text")
        for st in dataset.statements:
            for src in st.cited:
                self._see(src, str(src.tier))

    def _see(self, src: StatementSource | ControlSource, tier: str) -> str:
        """The id of ``src``'s source (the first citation's, hashed only when new)."""
        identity = source_identity(src)
        found = self._ids.get(identity)
        if found is None:
            found = self._ids[identity] = _citation_id(src, tier)
        return found

    def of(self, src: StatementSource | ControlSource, tier: str) -> Source:
        """One citation as a source."""
        tier = _text(getattr(src, "tier", None)) or tier
        return Source(
            id=self._see(src, tier),
            publisher=_text(src.publisher),
            title=_text(src.title),
            url=_text(src.url),
            document=_text(src.document),
            citation=_text(getattr(src, "citation", None)),
            published=_text(getattr(src, "published", None)),
            tier=tier,
            kind=_text(src.kind),
            copy_of=_text(src.copy_of),
            notes=_text(getattr(src, "notes", None)),
            archive_url=_text(src.archive_url),
        )

    def statement(self, s: Statement) -> list[Source]:
        """Every source a statement cites, in the order given (made once per statement: its
        evidence items and the sources page both ask)."""
        known = self._cited.get(id(s))
        if known is None or known[0] is not s:
            known = self._cited[id(s)] = (s, [self.of(src, str(src.tier)) for src in s.cited])
        return list(known[1])

    def control(self, c: Control) -> Source:
        return self.of(c.source, "official_text")


def _lifecycle(c: Control, book: SourceBook) -> list[LifeEvent]:
    return [
        LifeEvent(
            event=str(ev.event),
            date=str(ev.date),
            until=_text(ev.until),
            summary=_text(ev.summary),
            source=book.of(ev.source, "official_text"),
        )
        for ev in sorted(c.lifecycle, key=lambda e: e.date.sort_key)
    ]


# --- scores to plain values ---------------------------------------------------------------------


def _day(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _words(value: object) -> str:
    return "a higher stage" if value is None else str(value).replace("_", " ")


def _tier(e: Evidence) -> str:
    return _words(e.tier)


def _coverage(c: Coverage) -> CoverageView:
    return CoverageView(c.in_force, c.total, tuple(c.missing), c.phrase)


def _item_cells(items: list[ItemScore], names: dict[str, str]) -> list[ItemCell]:
    return [
        ItemCell(i.item, names.get(i.item, i.item), str(i.stage), i.stage.rank, _day(i.since))
        for i in items
    ]


def _flag_detail(note: FlagNote, pairs: list[PairScore], labels: dict, names: dict) -> str:
    e = note.items[0] if note.items else None
    if note.flag is Flag.CONTESTED and e is not None:
        return f"a reservation on {e.date.human()} ({_tier(e)}): {e.summary}"
    if note.flag is Flag.DECLINED and e is not None:
        return f"a refusal on {e.date.human()} ({_tier(e)}): {e.summary}"
    if note.flag is Flag.UNCONFIRMED_REPORT and e is not None:
        what = (
            f"claims {_words(note.claimed)}"
            if note.claimed is not None
            else f"reports a {_words(e.signal)}"
        )
        return (
            f"an anonymous report of {e.date.human()} {what}; it counts only once confirmed "
            "on record or in official text"
        )
    if note.flag is Flag.ONE_SIDED:
        return note.reason
    if note.flag is Flag.PARTIAL:
        lagging = [p for p in pairs if p.control.id in note.evidence]
        text = "lower on " + "; ".join(
            f"{labels.get(p.control.id, p.control.id)} ({_words(p.stage)})" for p in lagging
        )
        if note.scope:
            text += "; items below the headline on those controls: " + ", ".join(
                names.get(i, i) for i in note.scope
            )
        return text
    return note.reason


def _flags(notes: list[FlagNote], pairs, labels, names) -> list[FlagView]:
    out: dict[tuple, FlagView] = {}
    for n in notes:
        view = FlagView(
            str(n.flag), FLAGS[n.flag], _flag_detail(n, pairs, labels, names), n.evidence
        )
        out.setdefault((view.name, view.detail), view)
    return sorted(out.values(), key=lambda f: (f.name, f.detail))


def _item(e: Evidence, controls: tuple[str, ...], score: AllyScore, book: SourceBook) -> Item:
    rec = e.record
    speaker = e.speaker
    role = score.role_of(e)
    if isinstance(rec, Statement):
        quote, event, sources = rec.quote, rec.event, tuple(book.statement(rec))
    else:
        quote, event, sources = None, None, (book.control(rec),)
    decisive = score.decisive
    return Item(
        id=e.id,
        record="statement" if isinstance(rec, Statement) else "measure",
        date=str(e.date),
        counts_from=e.date.latest,
        tier=str(e.tier),
        signal=e.signal,
        stage=None if e.stage is None else str(e.stage),
        counts=e.counts,
        summary=e.summary,
        speaker=speaker.name if speaker is not None else None,
        speaker_title=speaker.title if speaker is not None else None,
        quote=quote,
        date_note=rec.date_note,
        event=event,
        controls=controls,
        sources=sources,
        sets_stage=decisive is not None and e.ref == decisive.ref,
        role=str(role.role),
        role_reason=role.reason,
        role_text=role.text,
        items=tuple(sorted(e.items)),
        via=e.via,
        ahead=e.ahead,
        recorded=_day(e.recorded),
    )


def _cell(ally: Actor, p: PairScore, pairs, labels, names, alone: AllyScore | None) -> Cell:
    counting = [e for e in p.evidence if e.counts]
    flags_alone = () if alone is None else tuple(_flags(alone.flags, alone.controls, labels, names))
    return Cell(
        ally=ally.id,
        control=p.control.id,
        stage=str(p.stage),
        rank=p.stage.rank,
        since=_day(p.since),
        flags=tuple(_flags(p.flags, pairs, labels, names)),
        evidence=evidence_count(p.evidence),
        decisive=p.decisive.id if p.decisive else None,
        live=p.state.live,
        status=p.state.status,
        lifecycle=p.state.phrase,
        coverage=_coverage(p.coverage),
        items=tuple(_item_cells(p.items, names)),
        via=tuple(sorted({e.via for e in counting if e.via})),
        ahead=any(e.ahead for e in counting),
        flags_alone=flags_alone,
        verdict=str(p.verdict),
        furthest=str(p.furthest),
        verdict_since=_day(p.verdict_since),
        headline=verdict_words(p.verdict, p.coverage.in_force, p.coverage.total),
        bar=_bar([str(i.stage) for i in p.items]),
    )


def _bar(stages: list[str]) -> tuple[Bar, ...]:
    return tuple(Bar(key, words, n) for key, words, n in coverage_groups(stages))


def _steps(transitions: list[Transition]) -> list[Step]:
    return [
        Step(
            t.date,
            str(t.recorded),
            str(t.before),
            str(t.after),
            t.evidence.id if t.evidence else None,
        )
        for t in transitions
    ]


def _flag_history(
    history: AllyHistory, score: AllyScore, as_of: date
) -> list[tuple[date, set[str]]]:
    """The headline's flag sets over time, from scoring's one sweep of the ally's history
    (``Evaluator.history``, over the days a flag can change)."""
    flag_sets = [(day, set(flags)) for day, flags in history.flag_sets]
    last = flag_sets[-1][1] if flag_sets else set()
    if set(score.flag_names) != last:  # the as-of day itself
        flag_sets.append((as_of, set(score.flag_names)))
    return flag_sets


def _source_of(ally: Ally, evidence: str | None, day: date, pub_controls) -> Source | None:
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
        dated = [(c.announced, c.source), (c.published, c.source), (c.effective, c.source)]
        dated += [(ev.date, ev.source) for ev in c.lifecycle]
        dated += [(ev.until, ev.source) for ev in c.lifecycle if ev.until]
        for when, src in dated:
            if when and src is not None and src.url and PartialDate.parse(when).latest == day:
                return src
    return candidates[0].sources[0] if candidates and candidates[0].sources else None


def _verdict_text(name: str, v: VerdictChange) -> str:
    return f"{name}: {verdict_words(v.after, v.in_force, v.total)}"


def _changes(
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

    def add(kind, day, recorded, before, after, flag, evidence, title, summary, control=None):
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
            f"The verdict on the live US controls moved from {_words(v.before)} to "
            f"{_words(v.after)} on {when(str(v.recorded))}.",
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
            f"{ally.name}: furthest stage {_words(s.stage)}",
            f"The furthest stage on any live item moved from {_words(s.before)} on "
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
                f"On this control alone the verdict moved from {_words(v.before)} on "
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
                f"{ally.name} on {label}: furthest stage {_words(s.stage)}",
                f"Moved from {_words(s.before)} on {when(s.recorded)}.",
                control,
            )
    before: set[str] = set()
    for day, flags in flag_sets:
        raised = [
            ("flag-raised", n, f"flagged {_words(n)}", FLAGS[Flag(n)]) for n in flags - before
        ]
        cleared = [
            ("flag-cleared", n, f"no longer flagged {_words(n)}", "") for n in before - flags
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


def _control_info(
    dataset: Dataset,
    c: Control,
    as_of: date,
    initiator: bool,
    names: dict[str, str],
    book: SourceBook,
) -> ControlInfo:
    issuer = dataset.actor(c.issuer)
    state = control_state(c, as_of) if initiator else None
    return ControlInfo(
        id=c.id,
        label=control_label(c),
        title=c.title,
        issuer=c.issuer,
        issuer_name=issuer.name if issuer else c.issuer,
        kind=str(c.kind),
        target=c.target,
        scope=list(c.scope),
        announced=_day(c.announced),
        published=_day(c.published),
        effective=_day(c.effective),
        date_note=c.date_note,
        notes=c.notes,
        aligns_with=list(c.aligns_with),
        source=book.control(c),
        initiator=initiator,
        live=state is not None and state.live,
        lifecycle=_lifecycle(c, book),
        status=state.status if state is not None else "",
        in_record=state is not None and state.exists,
        state_words=state.phrase if state is not None else "",
        unbound=unbound_periods(c, as_of) if initiator else [],
        target_name=(target.name if (target := dataset.actor(c.target)) else c.target),
        status_words=STATUS_WORDS.get(state.status, state.status) if state is not None else "",
    )


_KIND_ORDER = {"flag-cleared": 0, "flag-raised": 1, "coverage": 2, "stage": 3, "verdict": 4}


def _newest_first(c: Change) -> tuple:
    return (c.date, c.ally, c.control or "", _KIND_ORDER.get(c.kind, 0), c.flag or "")


def publish(dataset: Dataset, as_of: date, stale_days: int = DEFAULT_STALE_DAYS) -> Publication:
    """Everything the site, the feed and the exports show, scored as of ``as_of``: the scores
    and stage histories are scoring's own (``Evaluator.score`` and ``Evaluator.transitions``,
    narrowed per control, per scope item and per pair of both); only the flags' history is
    asked of scoring day by day, on the days a flag can change."""
    ev = Evaluator(dataset)
    book = SourceBook(dataset)
    scores = ev.score(as_of, None, stale_days)
    names = {i.id: i.name for i in dataset.scope_items}
    initiator_ids = {c.id for c in ev.initiator_controls}
    controls = [
        _control_info(dataset, c, as_of, c.id in initiator_ids, names, book)
        for c in dataset.controls
    ]
    by_id = {c.id: c for c in controls}
    pages = [by_id[c.id] for c in ev.initiator_controls if by_id[c.id].in_record]
    columns = [c for c in pages if c.live]
    labels = {c.id: c.label for c in controls}
    scope_columns = list(dict.fromkeys(i for c in columns for i in c.scope))

    alone = {  # each page's question: the allies measured against that control alone
        (a.ally.id, c.id): a for c in pages for a in ev.score(as_of, None, stale_days, c.id).allies
    }
    allies: list[Ally] = []
    changes: list[Change] = []
    for score in scores.allies:
        actor = score.ally
        on: dict[tuple, list[str]] = {}
        for p in score.controls:
            for e in p.evidence:
                on.setdefault(e.ref, []).append(p.control.id)
        items = [_item(e, tuple(on[e.ref]), score, book) for e in score.evidence]
        bands = {
            p.control.id: _steps(ev.transitions(actor, as_of, p.control.id)) for p in score.controls
        }
        item_bands = {
            (p.control.id, i): _steps(ev.transitions(actor, as_of, p.control.id, i))
            for p in score.controls
            for i in p.control.scope
        }
        scope_bands = {
            i.item: _steps(ev.transitions(actor, as_of, None, i.item)) for i in score.items
        }
        newest = max((e.date for e in score.evidence), key=lambda d: d.sort_key, default=None)
        counting = [e for e in score.evidence if e.counts]
        ally = Ally(
            id=actor.id,
            name=actor.name,
            stage=str(score.stage),
            rank=score.stage.rank,
            since=_day(score.since),
            meaning=STAGES[score.stage],
            flags=_flags(score.flags, score.controls, labels, names),
            cells=[
                _cell(actor, p, score.controls, labels, names, alone.get((actor.id, p.control.id)))
                for p in score.controls
            ],
            items=items,
            steps=_steps(ev.transitions(actor, as_of)),
            bands=bands,
            next_step=next_step(score.stage),
            coverage=_coverage(score.coverage),
            reviewed=_day(score.reviewed),
            reviewed_note=actor.reviewed_note,
            newest_evidence=_day(newest),
            decisive=next((i for i in items if i.sets_stage), None),
            scope=_item_cells(score.items, names),
            scope_bands=scope_bands,
            item_bands=item_bands,
            via=sorted({e.via for e in counting if e.via}),
            ahead=list(
                dict.fromkeys(
                    p.control.id for p in score.controls for e in p.evidence if e.counts and e.ahead
                )
            ),
            verdict=str(score.verdict),
            furthest=str(score.furthest),
            verdict_since=_day(score.verdict_since),
            headline=verdict_words(score.verdict, score.coverage.in_force, score.coverage.total),
            bar=_bar([str(i.stage) for i in score.items]),
            not_in_force=tuple(names.get(i, i) for i in score.coverage.missing),
        )
        allies.append(ally)
        history = ev.history(actor, as_of, stale_days)
        per_control = {
            p.control.id: (bands[p.control.id], ev.verdict_changes(actor, as_of, p.control.id))
            for p in score.controls
        }
        ally.changes = _changes(
            ally, history, _flag_history(history, score, as_of), controls, per_control
        )
        ally.changes.sort(key=_newest_first, reverse=True)
        changes += [c for c in ally.changes if c.control is None]
    changes.sort(key=_newest_first, reverse=True)

    statements = []
    for s in dataset.statements:
        speaker = dataset.actor(s.speaker)
        statements.append(
            StatementInfo(
                id=s.id,
                date=str(s.date),
                counts_from=s.date.latest,
                date_note=s.date_note,
                speaker=s.speaker,
                speaker_name=speaker.name if speaker else None,
                about=list(s.about),
                controls=list(s.controls),
                signal=str(s.signal),
                stance=str(s.stance),
                summary=s.summary,
                quote=s.quote,
                event=s.event,
                notes=s.notes,
                sources=book.statement(s),
                tier=str(s.tier),
                scope=list(s.scope or ()),
            )
        )
    sources: dict[str, Source] = {}
    cited_by: dict[str, list[str]] = {}
    for ci in controls:
        sources.setdefault(ci.source.id, ci.source)
        cited_by.setdefault(ci.source.id, []).append(ci.id)
        for life in ci.lifecycle:
            if life.source is not None:
                sources.setdefault(life.source.id, life.source)
                cited_by.setdefault(life.source.id, []).append(ci.id)
    for st in statements:
        for src in st.sources:
            sources.setdefault(src.id, src)
            cited_by.setdefault(src.id, []).append(st.id)
    ordered = sorted(
        sources.values(),
        key=lambda s: ((s.publisher or "").casefold(), s.published or "", s.title or "", s.id),
    )
    return Publication(
        as_of=as_of,
        stale_days=stale_days,
        allies=allies,
        columns=columns,
        controls=controls,
        statements=statements,
        actors=list(dataset.actors),
        sources=ordered,
        changes=changes,
        cited_by={k: list(dict.fromkeys(v)) for k, v in cited_by.items()},
        scope_items=[ScopeInfo(i.id, i.name, i.description) for i in dataset.scope_items],
        scope_columns=scope_columns,
        pages=pages,
    )


__all__ = ["LADDER", "publish", "Publication"]
