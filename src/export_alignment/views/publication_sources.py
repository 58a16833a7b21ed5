"""The record's controls and sources as published values: one source per identity with a stable
id (``SourceBook``), each control's information and later life (``control_info``)."""

from __future__ import annotations

import hashlib
from datetime import date

from export_alignment.models import Control, ControlSource, Dataset, Statement, StatementSource
from export_alignment.scoring import control_state, unbound_periods
from export_alignment.views.publication_model import ControlInfo, LifeEvent, Source, day_text
from export_alignment.views.values import STATUS_WORDS, control_label, source_identity


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


def control_info(
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
        announced=day_text(c.announced),
        published=day_text(c.published),
        effective=day_text(c.effective),
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
