"""Problems rendered as text, JSON or GitHub Actions workflow commands; one type, every format."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from export_alignment import escape
from export_alignment.escape import dumps
from export_alignment.problems import Level, Problem


def problems_json(problems: Sequence[Problem]) -> str:
    ok = not any(p.is_error for p in problems)
    return dumps({"ok": ok, "problems": [p.as_dict() for p in problems]})


def problems_github(problems: Sequence[Problem]) -> str:
    lines = []
    for p in problems:
        command = "error" if p.level is Level.ERROR else "warning"
        props = (
            f"file={escape.github_property(p.path)},line={p.line},col={p.column},"
            f"title={escape.github_property(p.rule)}"
        )
        lines.append(f"::{command} {props}::{escape.github_data(p.message)}")
    return "\n".join(lines)


def problem_line(p: Problem) -> Text:
    """``path:line:col: level rule-id message`` as text (never markup), coloured on a terminal."""
    text = Text()
    text.append(f"{escape.one_line(p.path)}:{p.line}:{p.column}:", style="bold")
    text.append(" ")
    text.append(str(p.level), style="red" if p.level is Level.ERROR else "yellow")
    text.append(" ")
    text.append(p.rule, style="cyan")
    text.append(" ")
    text.append(escape.one_line(p.message))
    return text


def print_problems(console: Console, problems: Sequence[Problem]) -> None:
    for p in problems:
        console.print(problem_line(p), soft_wrap=True, highlight=False)


def summary_line(problems: Sequence[Problem], records: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"ok: {records} records, no problems"
    return (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"in {records} valid records"
    )


def _since(value) -> str | None:
    return None if value is None else str(value)


def _ids(evidence) -> list[str]:
    return list(dict.fromkeys(e.id for e in evidence))


def _items(items) -> list[dict]:
    return [{"item": i.item, "stage": str(i.stage), "since": _since(i.since)} for i in items]


def _evidence_roles(holder, evidence) -> list[dict]:
    out: dict[str, dict] = {}
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
            entry.update(signal=e.signal, role="sets", reason=note.reason)
    return list(out.values())


def _lifecycle(pair) -> list[dict]:
    return [
        {"event": str(e.event), "date": str(e.date), "until": _since(e.until)}
        for e in pair.state.events
    ]


def status_dict(scores) -> dict:
    """The documented ``status --json`` shape:
    ``{"as_of", "control", "scope", "allies": [{"id", "name", "stage", "since", "flags",
    "evidence", "coverage": {"in_force", "total", "missing"}, "items": [{"item", "stage",
    "since"}], "reviewed", "roles": [{"id", "signal", "role", "reason", "via", "ahead",
    "items"}], "controls": [{"id", "stage", "since", "flags", "evidence", "live", "status",
    "lifecycle": [{"event", "date", "until"}], "coverage", "items"}]}]}``. ``control`` and
    ``scope`` are the narrowing asked for (or null); ``items`` are the per-item stages (the
    headline's over the live controls)."""
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
                "flags": a.flag_names,
                "evidence": _ids(a.evidence),
                "coverage": a.coverage.as_dict(),
                "items": _items(a.items),
                "reviewed": _since(a.reviewed),
                "roles": _evidence_roles(a, a.evidence),
                "controls": [
                    {
                        "id": p.control.id,
                        "stage": str(p.stage),
                        "since": _since(p.since),
                        "flags": p.flag_names,
                        "evidence": _ids(p.evidence),
                        "live": p.state.live,
                        "status": p.state.status,
                        "lifecycle": _lifecycle(p),
                        "coverage": p.coverage.as_dict(),
                        "items": _items(p.items),
                    }
                    for p in a.controls
                ],
            }
            for a in scores.allies
        ],
    }


def timeline_dict(as_of, rows, changes=()) -> dict:
    """``timeline --json``: ``{"as_of", "lifecycle": [{"control", "event", "date", "until",
    "summary"}], "allies": [{"id", "name", "stage", "coverage", "reviewed", "transitions": [{"date",
    "counts_from", "from", "to", "evidence"}]}]}``; ``date`` is as recorded (``2022-11`` when only
    the month is known), ``counts_from`` the day it counts from."""
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
                "coverage": score.coverage.as_dict(),
                "reviewed": _since(score.reviewed),
                "transitions": [
                    {
                        "date": str(t.recorded),
                        "counts_from": t.date.isoformat(),
                        "from": str(t.before),
                        "to": str(t.after),
                        "evidence": t.evidence.id if t.evidence else None,
                    }
                    for t in transitions
                ],
            }
            for score, transitions in rows
        ],
    }


def status_rows(scores) -> list[dict]:
    """``status --format csv``: one row per ally (control empty) and per ally and control."""
    rows = []
    for a in scores.allies:
        for control, holder in [(None, a), *((p.control.id, p) for p in a.controls)]:
            rows.append(
                {
                    "ally": a.ally.id,
                    "control": control,
                    "stage": str(holder.stage),
                    "since": _since(holder.since),
                    "flags": " ".join(holder.flag_names),
                    "evidence": len(_ids(holder.evidence)),
                    "in_force": holder.coverage.in_force,
                    "items": holder.coverage.total,
                    "decisive": holder.decisive.id if holder.decisive else None,
                }
            )
    return rows


def timeline_rows(rows) -> list[dict]:
    """``timeline --format csv``: one row per transition."""
    return [
        {
            "ally": score.ally.id,
            "date": str(t.recorded),
            "counts_from": t.date.isoformat(),
            "from": str(t.before),
            "to": str(t.after),
            "evidence": t.evidence.id if t.evidence else None,
        }
        for score, transitions in rows
        for t in transitions
    ]


def _source_dict(source) -> dict:
    return {
        "publisher": getattr(source, "publisher", None),
        "title": getattr(source, "title", None),
        "published": _since(getattr(source, "published", None)),
        "tier": _since(getattr(source, "tier", None)),
        "url": getattr(source, "url", None),
        "document": getattr(source, "document", None),
        "citation": getattr(source, "citation", None),
    }


def _evidence_dict(holder, e) -> dict:
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
    }


def explain_dict(scores) -> dict:
    """``explain --format json``: ``{"as_of", "control", "scope", "ally": {"id", "name",
    "stage", "since", "flags": [{"flag", "reason"}], "coverage", "reviewed", "decisive", "next",
    "controls": [{"id", "stage", "since", "live", "status", "coverage", "evidence": [{"id",
    "date", "tier", "signal", "stage", "counts", "role", "speaker", "summary", "quote", "items",
    "sources": [{"publisher", "title", "published", "tier", "url", "document", "citation"}]}]}]}}``
    (``url`` the source's address, ``document`` its archived copy under seeds/)."""
    from export_alignment.scoring import next_step

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
            "flags": [{"flag": str(f.flag), "reason": f.reason} for f in a.flags],
            "coverage": a.coverage.as_dict(),
            "reviewed": _since(a.reviewed),
            "decisive": a.decisive.id if a.decisive else None,
            "next": next_step(a.stage),
            "controls": [
                {
                    "id": p.control.id,
                    "stage": str(p.stage),
                    "since": _since(p.since),
                    "live": p.state.live,
                    "status": p.state.status,
                    "coverage": p.coverage.as_dict(),
                    "evidence": [_evidence_dict(p, e) for e in p.evidence],
                }
                for p in a.controls
            ],
        },
    }
