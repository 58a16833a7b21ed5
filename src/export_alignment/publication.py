"""What the site, the feed and the data exports publish: the record and its scores as plain
values.

This module is the one place where those reporters read scoring results (an adapter): the site
templates, the Atom feed and the JSON, CSV and SQLite exports see only the frozen values built
here. When the scoring grows (coverage per scope item, the lifecycle of controls, several sources
per statement), only this module changes; fields the record does not have yet are read with a
default (``reviewed``, a source's ``kind``, a control's ``lifecycle``).

Nothing here escapes or formats text: the values carry the record's text as it is, and each
reporter makes it safe for its own output.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Control, Dataset, Statement
from export_alignment.scoring import (
    DEFAULT_STALE_DAYS,
    FLAGS,
    LADDER,
    STAGES,
    AllyScore,
    Evaluator,
    Evidence,
    Flag,
    FlagNote,
    PairScore,
    Stage,
    next_step,
)

FEED_NAMESPACE = uuid.UUID("6f1c0a52-5a8e-4c2e-9d54-4e3b8f1d2a77")
"""Feed entry ids are UUIDv5 in this namespace over the change's identity, so a change keeps its
id from one build to the next."""


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
    notes: str | None


@dataclass(frozen=True)
class Item:
    """One piece of evidence on an ally: a statement, or a date of the ally's own measure."""

    id: str
    record: str
    """``statement`` or ``measure``."""
    date: str
    """As recorded (``2022-11`` when only the month is known)."""
    counts_from: date
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


@dataclass(frozen=True)
class Step:
    """From ``date`` on, the pair (or the headline) is at ``stage``."""

    date: date
    recorded: str
    before: str
    stage: str
    evidence: str | None


@dataclass(frozen=True)
class Change:
    """A headline stage change or a flag raised or cleared: one feed entry."""

    ally: str
    ally_name: str
    kind: str
    """``stage``, ``flag-raised`` or ``flag-cleared``."""
    date: date
    recorded: str
    before: str | None
    after: str | None
    flag: str | None
    evidence: str | None
    text: str

    @property
    def id(self) -> str:
        key = "|".join(
            [self.ally, self.kind, self.date.isoformat(), str(self.before), str(self.after)]
            + ([str(self.flag)] if self.flag else [])
        )
        return f"urn:uuid:{uuid.uuid5(FEED_NAMESPACE, key)}"


@dataclass(frozen=True)
class Coverage:
    """How many of the live initiator controls the ally has in force (the second edition
    measures this per scope item)."""

    in_force: int
    live: int

    @property
    def words(self) -> str:
        return f"in force on {self.in_force} of {self.live} live control{'s' * (self.live != 1)}"


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
    items: list[Item]
    steps: list[Step]
    """Headline stage changes, oldest first (what ``timeline`` reports)."""
    bands: dict[str, list[Step]]
    """Per control id: its stage changes, oldest first."""
    next_step: str | None
    coverage: Coverage
    reviewed: str | None
    reviewed_note: str | None
    newest_evidence: str | None
    decisive: Item | None


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
    lifecycle: list[LifeEvent]


@dataclass
class StatementInfo:
    id: str
    date: str
    counts_from: date
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
    """Every ally's stage and flag changes, newest first."""
    cited_by: dict[str, list[str]] = field(default_factory=dict)
    """Source id -> the ids of the statements and controls that cite it."""

    @property
    def newest_evidence(self) -> str | None:
        dates = [a.newest_evidence for a in self.allies if a.newest_evidence]
        return max(dates, key=lambda d: PartialDate.parse(d).sort_key) if dates else None

    @property
    def reviewed(self) -> str | None:
        dates = [a.reviewed for a in self.allies if a.reviewed]
        return max(dates) if dates else None


# --- reading the record -------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _source(src, tier: str) -> Source:
    published = getattr(src, "published", None)
    parts = [
        getattr(src, "url", None),
        getattr(src, "document", None),
        getattr(src, "citation", None),
        getattr(src, "title", None),
        getattr(src, "publisher", None),
        published,
        tier,
    ]
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return Source(
        id=f"src-{digest[:12]}",
        publisher=_text(getattr(src, "publisher", None)),
        title=_text(getattr(src, "title", None)),
        url=_text(getattr(src, "url", None)),
        document=_text(getattr(src, "document", None)),
        citation=_text(getattr(src, "citation", None)),
        published=_text(published),
        tier=_text(getattr(src, "tier", None)) or tier,
        kind=_text(getattr(src, "kind", None)),
        notes=_text(getattr(src, "notes", None)),
    )


def statement_sources(s: Statement) -> list[Source]:
    """A statement's sources (the second edition allows several)."""
    many = getattr(s, "sources", None)
    listed = list(many) if many else [s.source]
    return [_source(src, str(getattr(src, "tier", ""))) for src in listed]


def control_source(c: Control) -> Source:
    return _source(c.source, "official_text")


def control_label(c: Control) -> str:
    start = c.first_date
    return f"{c.issuer.upper()} {c.kind}" + (f" {start}" if start else "")


def _lifecycle(c: Control) -> list[LifeEvent]:
    out = []
    for ev in getattr(c, "lifecycle", None) or ():
        src = getattr(ev, "source", None)
        out.append(
            LifeEvent(
                event=str(getattr(ev, "event", "")),
                date=str(getattr(ev, "date", "")),
                until=_text(getattr(ev, "until", None)),
                summary=_text(getattr(ev, "summary", None)),
                source=_source(src, "official_text") if src is not None else None,
            )
        )
    return out


# --- scores to plain values ---------------------------------------------------------------------


def _day(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _words(value: object) -> str:
    return "a higher stage" if value is None else str(value).replace("_", " ")


def _tier(e: Evidence) -> str:
    return _words(e.tier)


def _flag_detail(note: FlagNote, pairs: list[PairScore], as_of: date, labels: dict) -> str:
    e = note.items[0] if note.items else None
    if note.flag is Flag.CONTESTED and e is not None:
        return f"a reservation on {e.date.human()} ({_tier(e)}): {e.summary}"
    if note.flag is Flag.DECLINED and e is not None:
        return f"a refusal on {e.date.human()} ({_tier(e)}): {e.summary}"
    if note.flag is Flag.UNCONFIRMED_REPORT and e is not None:
        return (
            f"an anonymous report of {e.date.human()} claims {_words(note.claimed)}; it "
            "counts only once confirmed on record or in official text"
        )
    if note.flag is Flag.STALE and e is not None:
        age = (as_of - e.date.latest).days
        return f"the newest evidence is from {e.date.human()}, {age} days before the as-of date"
    if note.flag is Flag.PARTIAL:
        lagging = [p for p in pairs if p.control.id in note.evidence]
        return "lower on " + "; ".join(
            f"{labels.get(p.control.id, p.control.id)} ({_words(p.stage)})" for p in lagging
        )
    return note.reason


def _flags(notes: list[FlagNote], pairs, as_of, labels) -> list[FlagView]:
    out: dict[tuple, FlagView] = {}
    for n in notes:
        view = FlagView(
            str(n.flag), FLAGS[n.flag], _flag_detail(n, pairs, as_of, labels), n.evidence
        )
        out.setdefault((view.name, view.detail), view)
    return sorted(out.values(), key=lambda f: (f.name, f.detail))


def _item(e: Evidence, controls: tuple[str, ...], decisive: Evidence | None) -> Item:
    rec = e.record
    is_statement = isinstance(rec, Statement)
    speaker = e.speaker
    return Item(
        id=e.id,
        record="statement" if is_statement else "measure",
        date=str(e.date),
        counts_from=e.date.latest,
        tier=str(e.tier),
        signal=e.signal,
        stage=None if e.stage is None else str(e.stage),
        counts=e.counts,
        summary=e.summary,
        speaker=speaker.name if speaker is not None else None,
        speaker_title=speaker.title if speaker is not None else None,
        quote=rec.quote if is_statement else None,
        date_note=rec.date_note,
        event=rec.event if is_statement else None,
        controls=controls,
        sources=tuple(statement_sources(rec) if is_statement else [control_source(rec)]),
        sets_stage=decisive is not None and (e.id, e.signal) == (decisive.id, decisive.signal),
    )


def _cell(ally: Actor, p: PairScore, as_of, pairs, labels) -> Cell:
    return Cell(
        ally=ally.id,
        control=p.control.id,
        stage=str(p.stage),
        rank=p.stage.rank,
        since=_day(p.since),
        flags=tuple(_flags(p.flags, pairs, as_of, labels)),
        evidence=len({(e.id, e.signal) for e in p.evidence}),
        decisive=p.decisive.id if p.decisive else None,
    )


def _history(
    ev: Evaluator, ally: Actor, score: AllyScore, as_of: date, stale_days: int
) -> tuple[list[Step], dict[str, list[Step]], list[tuple[date, set[str]]]]:
    """The headline's stage changes (what ``Evaluator.transitions`` reports), each control's
    stage changes and the headline's flag sets over time, from one pass over the scores at every
    day something could change: evidence counting, a control entering the record, evidence
    turning stale. A headline change is dated as ``transitions`` dates it: the most precise
    recorded date of the evidence or control entry that falls on that day."""
    days: set[date] = set()
    when: dict[date, PartialDate] = {}

    def recorded(value: PartialDate) -> None:
        day = value.latest
        if day not in when or value.sort_key < when[day].sort_key:
            when[day] = value

    for p in score.controls:
        for e in p.evidence:
            day = e.date.latest
            days.add(day)
            if e.counts:
                recorded(e.date)
            stale = day + timedelta(days=stale_days + 1)
            if stale <= as_of:
                days.add(stale)
        start = p.control.first_date
        if start is not None and start.latest <= as_of:
            days.add(start.latest)
            recorded(start)
    steps: list[Step] = []
    headline = Stage.NONE
    bands: dict[str, list[Step]] = {p.control.id: [] for p in score.controls}
    current = {p.control.id: Stage.NONE for p in score.controls}
    flag_sets: list[tuple[date, set[str]]] = []
    last_flags: set[str] = set()
    for day in sorted(days):
        then = ev.ally(ally, day, stale_days)
        if then.stage is not headline:
            at = when.get(day) or PartialDate.parse(day)
            decisive = then.decisive.id if then.decisive else None
            steps.append(Step(day, str(at), str(headline), str(then.stage), decisive))
            headline = then.stage
        for p in then.controls:
            if p.stage is not current.get(p.control.id, Stage.NONE):
                bands.setdefault(p.control.id, []).append(
                    Step(
                        day,
                        _day(p.since) or day.isoformat(),
                        str(current.get(p.control.id, Stage.NONE)),
                        str(p.stage),
                        p.decisive.id if p.decisive else None,
                    )
                )
                current[p.control.id] = p.stage
        flags = set(then.flag_names)
        if flags != last_flags:
            flag_sets.append((day, flags))
            last_flags = flags
    return steps, bands, flag_sets


def _changes(ally: Ally, flag_sets: list[tuple[date, set[str]]]) -> list[Change]:
    out = [
        Change(
            ally.id,
            ally.name,
            "stage",
            s.date,
            s.recorded,
            s.before,
            s.stage,
            None,
            s.evidence,
            f"{ally.name}: stage {s.before} -> {s.stage} ({s.recorded})",
        )
        for s in ally.steps
    ]
    before: set[str] = set()
    for day, flags in flag_sets:
        for name in sorted(flags - before):
            out.append(
                Change(
                    ally.id,
                    ally.name,
                    "flag-raised",
                    day,
                    day.isoformat(),
                    None,
                    None,
                    name,
                    None,
                    f"{ally.name}: flagged {name.replace('_', ' ')}: {FLAGS[Flag(name)]}",
                )
            )
        for name in sorted(before - flags):
            out.append(
                Change(
                    ally.id,
                    ally.name,
                    "flag-cleared",
                    day,
                    day.isoformat(),
                    None,
                    None,
                    name,
                    None,
                    f"{ally.name}: no longer flagged {name.replace('_', ' ')}",
                )
            )
        before = flags
    return out


def publish(dataset: Dataset, as_of: date, stale_days: int = DEFAULT_STALE_DAYS) -> Publication:
    """Everything the site, the feed and the exports show, scored as of ``as_of``."""
    ev = Evaluator(dataset)
    scores = ev.score(as_of, None, stale_days)
    controls = []
    initiator_ids = {c.id for c in ev.initiator_controls}
    live_ids: dict[str, None] = {}
    for a in scores.allies:
        for p in a.controls:
            live_ids.setdefault(p.control.id, None)
    if not scores.allies:
        live_ids = {
            c.id: None
            for c in ev.initiator_controls
            if c.first_date is None or c.first_date.latest <= as_of
        }
    for c in dataset.controls:
        issuer = dataset.actor(c.issuer)
        controls.append(
            ControlInfo(
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
                source=control_source(c),
                initiator=c.id in initiator_ids,
                live=c.id in live_ids,
                lifecycle=_lifecycle(c),
            )
        )
    by_id = {c.id: c for c in controls}
    columns = [by_id[cid] for cid in live_ids if cid in by_id]
    labels = {c.id: c.label for c in controls}

    allies: list[Ally] = []
    changes: list[Change] = []
    for score in scores.allies:
        actor = score.ally
        on: dict[tuple, list[str]] = {}
        for p in score.controls:
            for e in p.evidence:
                on.setdefault((e.id, e.signal), []).append(p.control.id)
        items = [_item(e, tuple(on[(e.id, e.signal)]), score.decisive) for e in score.evidence]
        steps, bands, flag_sets = _history(ev, actor, score, as_of, stale_days)
        newest = max((e.date for e in score.evidence), key=lambda d: d.sort_key, default=None)
        ally = Ally(
            id=actor.id,
            name=actor.name,
            stage=str(score.stage),
            rank=score.stage.rank,
            since=_day(score.since),
            meaning=STAGES[score.stage],
            flags=_flags(score.flags, score.controls, as_of, labels),
            cells=[_cell(actor, p, as_of, score.controls, labels) for p in score.controls],
            items=items,
            steps=steps,
            bands=bands,
            next_step=next_step(score.stage),
            coverage=Coverage(
                sum(p.stage is Stage.IN_FORCE for p in score.controls), len(score.controls)
            ),
            reviewed=_text(getattr(actor, "reviewed", None)),
            reviewed_note=_text(getattr(actor, "reviewed_note", None)),
            newest_evidence=_day(newest),
            decisive=next((i for i in items if i.sets_stage), None),
        )
        allies.append(ally)
        changes += _changes(ally, flag_sets)
    changes.sort(key=lambda c: (c.date, c.ally, c.kind != "stage", c.flag or ""), reverse=True)

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
                sources=statement_sources(s),
            )
        )
    sources: dict[str, Source] = {}
    cited_by: dict[str, list[str]] = {}
    for c in controls:
        sources.setdefault(c.source.id, c.source)
        cited_by.setdefault(c.source.id, []).append(c.id)
        for life in c.lifecycle:
            if life.source is not None:
                sources.setdefault(life.source.id, life.source)
                cited_by.setdefault(life.source.id, []).append(c.id)
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
    )


__all__ = ["LADDER", "publish", "Publication"]
