"""What the site, the feed and the data exports publish: the record and its scores as plain
values.

This module is the one place where those reporters read scoring results (an adapter): the site
templates, the Atom feed and the JSON, CSV and SQLite exports see only the frozen values built
here. It reads what scoring decided (stages per control and per scope item, coverage, the
controls' live state, flags, evidence roles, ``via`` and ``ahead``, stage histories from
``Evaluator.transitions``) and never derives any of it again.

Nothing here escapes or formats text: the values carry the record's text as it is, and each
reporter makes it safe for its own output. The values themselves are ``publication_model``'s,
the sources and controls ``publication_sources``', the changes ``publication_changes``'.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from typing import Protocol, TypeVar

from export_alignment.dates import PartialDate
from export_alignment.models import Actor, Dataset, Statement
from export_alignment.question import Question
from export_alignment.scoring import (
    FLAGS,
    LADDER,
    STAGES,
    AllyScore,
    Coverage,
    Evaluator,
    Evidence,
    Flag,
    FlagNote,
    ItemScore,
    PairScore,
    Transition,
    next_step,
)
from export_alignment.views.publication_changes import changes_of, flag_history, newest_first
from export_alignment.views.publication_model import (
    Ally,
    Bar,
    Cell,
    Change,
    ControlInfo,
    CoverageView,
    FlagView,
    Item,
    ItemCell,
    ScopeInfo,
    Source,
    StatementInfo,
    Step,
    day_text,
    in_words,
)
from export_alignment.views.publication_sources import SourceBook, control_info
from export_alignment.views.values import coverage_groups, evidence_count, verdict_words


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
        return sorted(found, key=newest_first, reverse=True)

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


# --- scores to plain values ---------------------------------------------------------------------


def _tier(e: Evidence) -> str:
    return in_words(e.tier)


def _coverage(c: Coverage) -> CoverageView:
    return CoverageView(c.in_force, c.total, tuple(c.missing), c.phrase)


def _item_cells(items: list[ItemScore], names: dict[str, str]) -> list[ItemCell]:
    return [
        ItemCell(i.item, names.get(i.item, i.item), str(i.stage), i.stage.rank, day_text(i.since))
        for i in items
    ]


def _flag_detail(
    note: FlagNote, pairs: list[PairScore], labels: dict[str, str], names: dict[str, str]
) -> str:
    e = note.items[0] if note.items else None
    if note.flag is Flag.CONTESTED and e is not None:
        return f"a reservation on {e.date.human()} ({_tier(e)}): {e.summary}"
    if note.flag is Flag.DECLINED and e is not None:
        return f"a refusal on {e.date.human()} ({_tier(e)}): {e.summary}"
    if note.flag is Flag.UNCONFIRMED_REPORT and e is not None:
        what = (
            f"claims {in_words(note.claimed)}"
            if note.claimed is not None
            else f"reports a {in_words(e.signal)}"
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
            f"{labels.get(p.control.id, p.control.id)} ({in_words(p.stage)})" for p in lagging
        )
        if note.scope:
            text += "; items below the headline on those controls: " + ", ".join(
                names.get(i, i) for i in note.scope
            )
        return text
    return note.reason


def _flags(
    notes: list[FlagNote], pairs: list[PairScore], labels: dict[str, str], names: dict[str, str]
) -> list[FlagView]:
    out: dict[tuple[str, str], FlagView] = {}
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
        recorded=day_text(e.recorded),
    )


def _cell(
    ally: Actor,
    p: PairScore,
    pairs: list[PairScore],
    labels: dict[str, str],
    names: dict[str, str],
    alone: AllyScore | None,
) -> Cell:
    counting = [e for e in p.evidence if e.counts]
    flags_alone = () if alone is None else tuple(_flags(alone.flags, alone.controls, labels, names))
    return Cell(
        ally=ally.id,
        control=p.control.id,
        stage=str(p.stage),
        rank=p.stage.rank,
        since=day_text(p.since),
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
        verdict_since=day_text(p.verdict_since),
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


def publish(dataset: Dataset, asked: Question) -> Publication:
    """Everything the site, the feed and the exports show, scored as of the day of the question
    ``asked`` with its staleness threshold; a publication is of every ally and control, so the
    question is not narrowed (its allies, control and scope are not read). The scores and stage
    histories are scoring's own (``Evaluator.score`` and ``Evaluator.transitions``, narrowed per
    control, per scope item and per pair of both); only the flags' history is asked of scoring
    day by day, on the days a flag can change."""
    whole = replace(asked, allies=None, control=None, scope=None)
    as_of, stale_days = whole.as_of, whole.stale_days
    ev = Evaluator(dataset)
    book = SourceBook(dataset)
    scores = ev.score(whole)
    names = {i.id: i.name for i in dataset.scope_items}
    initiator_ids = {c.id for c in ev.initiator_controls}
    controls = [
        control_info(dataset, c, as_of, c.id in initiator_ids, names, book)
        for c in dataset.controls
    ]
    by_id = {c.id: c for c in controls}
    pages = [by_id[c.id] for c in ev.initiator_controls if by_id[c.id].in_record]
    columns = [c for c in pages if c.live]
    labels = {c.id: c.label for c in controls}
    scope_columns = list(dict.fromkeys(i for c in columns for i in c.scope))

    alone = {  # each page's question: the allies measured against that control alone
        (a.ally.id, c.id): a for c in pages for a in ev.score(replace(whole, control=c.id)).allies
    }
    allies: list[Ally] = []
    changes: list[Change] = []
    for score in scores.allies:
        actor = score.ally
        on: dict[tuple[str, str], list[str]] = {}
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
            since=day_text(score.since),
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
            reviewed=day_text(score.reviewed),
            reviewed_note=actor.reviewed_note,
            newest_evidence=day_text(newest),
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
            verdict_since=day_text(score.verdict_since),
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
        ally.changes = changes_of(
            ally, history, flag_history(history, score, as_of), controls, per_control
        )
        ally.changes.sort(key=newest_first, reverse=True)
        changes += [c for c in ally.changes if c.control is None]
    changes.sort(key=newest_first, reverse=True)

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
