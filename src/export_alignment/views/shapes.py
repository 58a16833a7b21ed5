"""The documented JSON shapes and CSV rows of ``status``, ``explain`` and ``timeline``: plain
values built once from scoring's results, rendered by the CLI as JSON or CSV. The JSON Schemas
of these shapes (``schemas/output/``) are generated from ``views.outputs`` by
``schema.output_schema``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from export_alignment.scoring import (
    AllyScore,
    Coverage,
    Evidence,
    ItemScore,
    LifecycleChange,
    PairScore,
    Scores,
    Transition,
    VerdictChange,
    next_step,
)
from export_alignment.views.values import effect, evidence_count, verdict_words

if TYPE_CHECKING:  # the output shapes are types for the checker (and the schema command)
    from export_alignment.views.outputs import (
        CoverageJson,
        EvidenceItemJson,
        ExplainEvidenceJson,
        ExplainJson,
        ItemJson,
        LifecycleJson,
        RoleJson,
        SourceJson,
        StatusJson,
        TimelineJson,
        VerdictChangeJson,
    )

Holder = AllyScore | PairScore
"""A row of the status: an ally, or an ally on one control."""

TimelineRow = tuple[AllyScore, list[Transition], list[VerdictChange]]
"""An ally's timeline: its score now, its stage changes and its verdict changes."""

CsvValue = str | int | list[str] | None
"""A status CSV cell before it is written (a list is joined by the CLI's row writer)."""


def _since(value: object) -> str | None:
    return None if value is None else str(value)


def _ids(evidence: Sequence[Evidence]) -> list[str]:
    return list(dict.fromkeys(e.id for e in evidence))


def _coverage(c: Coverage) -> CoverageJson:
    return {"in_force": c.in_force, "total": c.total, "missing": list(c.missing)}


def _items(items: Sequence[ItemScore]) -> list[ItemJson]:
    return [{"item": i.item, "stage": str(i.stage), "since": _since(i.since)} for i in items]


def _evidence_roles(holder: Holder, evidence: Sequence[Evidence]) -> list[RoleJson]:
    out: dict[str, RoleJson] = {}
    for e in evidence:
        note = holder.role_of(e)
        if note is None:
            continue
        entry = out.setdefault(
            e.id,
            {
                "id": e.id,
                "signal": e.signal,
                "role": str(note.role),
                "reason": note.reason,
                "via": e.via,
                "ahead": e.ahead,
                "items": sorted(e.items),
            },
        )
        if entry["role"] != "sets" and str(note.role) == "sets":
            entry["signal"], entry["role"], entry["reason"] = e.signal, "sets", note.reason
    return list(out.values())


def _evidence_items(holder: Holder) -> list[EvidenceItemJson]:
    """Every piece of evidence on a row with its role there: one entry per item (a measure's
    announced, published and in-force dates are three), not per record id."""
    out: list[EvidenceItemJson] = []
    for e in holder.evidence:
        note = holder.role_of(e)
        out.append(
            {
                "id": e.id,
                "signal": e.signal,
                "date": str(e.date),
                "role": None if note is None else str(note.role),
                "reason": None if note is None else note.reason,
                "effect": effect(note),
                "via": e.via,
                "ahead": e.ahead,
                "recorded": _since(e.recorded),
                "items": sorted(e.items),
            }
        )
    return out


class _Reach(TypedDict):
    via: list[str]
    ahead: bool


def _reach(evidence: Sequence[Evidence]) -> _Reach:
    """The blocs counting evidence reaches the row through, and whether a measure counting
    there came before its control."""
    counting = [e for e in evidence if e.counts]
    return {
        "via": sorted({e.via for e in counting if e.via}),
        "ahead": any(e.ahead for e in counting),
    }


class _Verdict(TypedDict):
    verdict: str
    verdict_since: str | None
    furthest: str


def _verdict(holder: Holder) -> _Verdict:
    """A row's verdict (from the coverage of its items), the day it was first reached, and the
    furthest stage on any of its items (which ``stage`` also gives, for older consumers)."""
    return {
        "verdict": str(holder.verdict),
        "verdict_since": _since(holder.verdict_since),
        "furthest": str(holder.furthest),
    }


def _lifecycle(pair: PairScore) -> list[LifecycleJson]:
    return [
        {"event": str(e.event), "date": str(e.date), "until": _since(e.until)}
        for e in pair.state.events
    ]


def status_dict(scores: Scores) -> StatusJson:
    """The documented ``status --json`` shape:
    ``{"as_of", "control", "scope", "allies": [{"id", "name", "stage", "since", "flags",
    "evidence", "coverage": {"in_force", "total", "missing"}, "items": [{"item", "stage",
    "since"}], "reviewed", "roles": [{"id", "signal", "role", "reason", "via", "ahead",
    "items"}], "controls": [{"id", "stage", "since", "flags", "evidence", "live", "status",
    "lifecycle": [{"event", "date", "until"}], "coverage", "items"}]}]}``. ``control`` and
    ``scope`` are the narrowing asked for (or null); ``items`` are the per-item stages (the
    headline's over the live controls). Added since: each ally and control row's
    ``evidence_count`` (records, as the text counts them), ``via`` and ``ahead``, and
    ``evidence_items``: every piece of evidence with its role on that row ``{"id", "signal",
    "date", "role", "reason", "effect", "via", "ahead", "recorded", "items"}``; and each ally
    and control row's ``verdict`` (scoring's ``Verdict``, from the coverage of its items),
    ``verdict_since`` (the day the current verdict was first reached) and ``furthest``, the
    furthest stage on any item, which ``stage`` has always been."""
    return {
        "as_of": scores.as_of.isoformat(),
        "control": scores.control,
        "scope": scores.scope,
        "allies": [
            {
                "id": a.ally.id,
                "name": a.ally.name,
                "stage": str(a.stage),
                "since": _since(a.since),
                **_verdict(a),
                "flags": a.flag_names,
                "evidence": _ids(a.evidence),
                "coverage": _coverage(a.coverage),
                "items": _items(a.items),
                "reviewed": _since(a.reviewed),
                "roles": _evidence_roles(a, a.evidence),
                "evidence_count": evidence_count(a.evidence),
                **_reach(a.evidence),
                "evidence_items": _evidence_items(a),
                "controls": [
                    {
                        "id": p.control.id,
                        "stage": str(p.stage),
                        "since": _since(p.since),
                        **_verdict(p),
                        "flags": p.flag_names,
                        "evidence": _ids(p.evidence),
                        "live": p.state.live,
                        "status": p.state.status,
                        "lifecycle": _lifecycle(p),
                        "coverage": _coverage(p.coverage),
                        "items": _items(p.items),
                        "evidence_count": evidence_count(p.evidence),
                        **_reach(p.evidence),
                        "evidence_items": _evidence_items(p),
                    }
                    for p in a.controls
                ],
            }
            for a in scores.allies
        ],
    }


def _speaker(e: Evidence | None) -> str | None:
    """Who the evidence is from, by name (None for a measure or no evidence)."""
    return None if e is None or e.speaker is None else e.speaker.name


def _verdict_change(v: VerdictChange) -> VerdictChangeJson:
    return {
        "date": str(v.recorded),
        "counts_from": v.date.isoformat(),
        "from": str(v.before),
        "to": str(v.after),
        "in_force": v.in_force,
        "total": v.total,
    }


def timeline_dict(
    as_of: date, rows: Sequence[TimelineRow], changes: Sequence[LifecycleChange] = ()
) -> TimelineJson:
    """``timeline --json``: ``{"as_of", "lifecycle": [{"control", "event", "date", "until",
    "summary"}], "allies": [{"id", "name", "stage", "coverage", "reviewed", "transitions": [{"date",
    "counts_from", "from", "to", "evidence"}]}]}``; ``date`` is as recorded (``2022-11`` when only
    the month is known), ``counts_from`` the day it counts from. Added since: each transition's
    ``speaker`` (by name) and ``summary``, which the text shows under it; each ally's
    ``verdict``, ``verdict_since`` and ``furthest`` (``stage`` is the furthest stage) and
    ``verdicts``: its verdict changes ``[{"date", "counts_from", "from", "to", "in_force",
    "total"}]`` (the coverage reached that day)."""
    return {
        "as_of": as_of.isoformat(),
        "lifecycle": [
            {
                "control": ch.control.id,
                "event": str(ch.event.event),
                "date": str(ch.event.date),
                "until": _since(ch.event.until),
                "summary": ch.event.summary,
            }
            for ch in changes
        ],
        "allies": [
            {
                "id": score.ally.id,
                "name": score.ally.name,
                "stage": str(score.stage),
                **_verdict(score),
                "coverage": _coverage(score.coverage),
                "reviewed": _since(score.reviewed),
                "transitions": [
                    {
                        "date": str(t.recorded),
                        "counts_from": t.date.isoformat(),
                        "from": str(t.before),
                        "to": str(t.after),
                        "evidence": t.evidence.id if t.evidence else None,
                        "speaker": _speaker(t.evidence),
                        "summary": t.evidence.summary if t.evidence else None,
                    }
                    for t in transitions
                ],
                "verdicts": [_verdict_change(v) for v in verdicts],
            }
            for score, transitions, verdicts in rows
        ],
    }


def status_rows(scores: Scores) -> list[dict[str, CsvValue]]:
    """``status --format csv``: one row per ally (control empty) and per ally and control."""
    rows: list[dict[str, CsvValue]] = []
    for a in scores.allies:
        pairs: list[tuple[str | None, Holder]] = [(p.control.id, p) for p in a.controls]
        for control, holder in [(None, a), *pairs]:
            rows.append(
                {
                    "ally": a.ally.id,
                    "control": control,
                    "stage": str(holder.stage),
                    "since": _since(holder.since),
                    "flags": holder.flag_names,
                    "evidence": evidence_count(holder.evidence),
                    "in_force": holder.coverage.in_force,
                    "items": holder.coverage.total,
                    "decisive": holder.decisive.id if holder.decisive else None,
                    "verdict": str(holder.verdict),
                    "verdict_since": _since(holder.verdict_since),
                }
            )
    return rows


def timeline_rows(rows: Sequence[TimelineRow]) -> list[dict[str, str | None]]:
    """``timeline --format csv``: one row per change, stage or verdict (``change`` says which),
    in date order."""
    out: list[dict[str, str | None]] = []
    for score, transitions, verdicts in rows:
        changes = [
            (
                t.date,
                0,
                {
                    "ally": score.ally.id,
                    "date": str(t.recorded),
                    "counts_from": t.date.isoformat(),
                    "from": str(t.before),
                    "to": str(t.after),
                    "evidence": t.evidence.id if t.evidence else None,
                    "change": "stage",
                },
            )
            for t in transitions
        ] + [
            (
                v.date,
                1,
                {
                    "ally": score.ally.id,
                    "date": str(v.recorded),
                    "counts_from": v.date.isoformat(),
                    "from": str(v.before),
                    "to": str(v.after),
                    "evidence": None,
                    "change": "verdict",
                },
            )
            for v in verdicts
        ]
        out += [row for _, _, row in sorted(changes, key=lambda c: (c[0], c[1]))]
    return out


def _source_dict(source: object) -> SourceJson:
    return {
        "publisher": getattr(source, "publisher", None),
        "title": getattr(source, "title", None),
        "published": _since(getattr(source, "published", None)),
        "tier": _since(getattr(source, "tier", None)),
        "url": getattr(source, "url", None),
        "document": getattr(source, "document", None),
        "citation": getattr(source, "citation", None),
    }


def _evidence_dict(holder: PairScore, e: Evidence) -> ExplainEvidenceJson:
    note = holder.role_of(e)
    return {
        "id": e.id,
        "date": str(e.date),
        "tier": str(e.tier),
        "signal": e.signal,
        "stage": _since(e.stage),
        "counts": e.counts,
        "role": None if note is None else str(note.role),
        "speaker": None if e.speaker is None else e.speaker.id,
        "summary": e.summary,
        "quote": getattr(e.record, "quote", None),
        "items": sorted(e.items),
        "sources": [_source_dict(s) for s in e.sources],
        "reason": None if note is None else note.reason,
        "effect": effect(note),
        "via": e.via,
        "ahead": e.ahead,
        "recorded": _since(e.recorded),
        "date_note": getattr(e.record, "date_note", None),
    }


def explain_dict(scores: Scores) -> ExplainJson:
    """``explain --format json``: ``{"as_of", "control", "scope", "ally": {"id", "name",
    "stage", "since", "flags": [{"flag", "reason"}], "coverage", "reviewed", "decisive", "next",
    "controls": [{"id", "stage", "since", "live", "status", "coverage", "evidence": [{"id",
    "date", "tier", "signal", "stage", "counts", "role", "speaker", "summary", "quote", "items",
    "sources": [{"publisher", "title", "published", "tier", "url", "document", "citation"}]}]}]}}``
    (``url`` the source's address, ``document`` its archived copy under seeds/). Added since:
    each evidence entry's ``reason`` and ``effect`` (its role on the control, in words), ``via``
    (the bloc it reaches the ally through), ``ahead`` and ``recorded`` (a measure dated before
    the control: its own date) and ``date_note``; each control's ``flags``, ``evidence_count``,
    ``via``, ``ahead``, ``lifecycle`` (``[{"event", "date", "until"}]``) and ``state`` (what
    happened to it by the date, in words); the ally's and each control's ``verdict``,
    ``verdict_since`` and ``furthest`` (``stage`` is the furthest stage), the ally's
    ``headline`` (the verdict with its coverage, in words) and each flag's ``shown_because``
    (why it is still shown, or null) and ``until`` (the last day it can be shown, or null)."""
    a = scores.allies[0]
    return {
        "as_of": scores.as_of.isoformat(),
        "control": scores.control,
        "scope": scores.scope,
        "ally": {
            "id": a.ally.id,
            "name": a.ally.name,
            "stage": str(a.stage),
            "since": _since(a.since),
            **_verdict(a),
            "headline": verdict_words(a.verdict, a.coverage.in_force, a.coverage.total),
            "flags": [
                {
                    "flag": str(f.flag),
                    "reason": f.reason,
                    "shown_because": f.shown_because or None,
                    "until": _since(f.until),
                }
                for f in a.flags
            ],
            "coverage": _coverage(a.coverage),
            "reviewed": _since(a.reviewed),
            "decisive": a.decisive.id if a.decisive else None,
            "next": next_step(a.stage),
            "controls": [
                {
                    "id": p.control.id,
                    "stage": str(p.stage),
                    "since": _since(p.since),
                    **_verdict(p),
                    "live": p.state.live,
                    "status": p.state.status,
                    "coverage": _coverage(p.coverage),
                    "evidence": [_evidence_dict(p, e) for e in p.evidence],
                    "flags": p.flag_names,
                    "evidence_count": evidence_count(p.evidence),
                    **_reach(p.evidence),
                    "lifecycle": _lifecycle(p),
                    "state": p.state.phrase,
                }
                for p in a.controls
            ],
        },
    }
