"""The ids a user can ask about, as plain rows: allies, actors, controls, scope items and
statements (narrowed by ally, control and a date range). The reporters render the rows as text,
JSON or CSV."""

from __future__ import annotations

from datetime import date

from export_alignment.dates import PartialDate
from export_alignment.models import Control, Dataset
from export_alignment.question import in_question

KINDS = ("allies", "actors", "controls", "scope", "statements")
"""What ``list`` can list."""

TERMINAL_COLUMNS = {
    "allies": ("id", "name", "reviewed"),
    "actors": ("id", "name", "kind", "role"),
    "controls": ("id", "issuer", "kind", "date", "title"),
    "scope": ("id", "name"),
    "statements": ("id", "date", "speaker", "about", "signal", "summary"),
}
"""The columns ``list`` shows on a terminal, the id first (the JSON and CSV carry every field)."""

ListingRow = dict[str, str | None]
"""A listed record: field name to its value as a string (None when the record has none)."""


def _date(value: PartialDate | date | None) -> str | None:
    return None if value is None else str(value)


def _control_row(c: Control) -> ListingRow:
    return {
        "id": c.id,
        "issuer": c.issuer,
        "kind": str(c.kind),
        "date": _date(c.first_date),
        "title": c.title,
        "scope": ", ".join(c.scope),
    }


def rows(
    dataset: Dataset,
    kind: str,
    allies: list[str] | None = None,
    control: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[ListingRow]:
    """One dict per record of ``kind`` (allies, actors, controls, scope, statements), every
    value a string (or None), in the record's order. ``allies``, ``control`` and the dates narrow
    statements (a statement counts in the range when its period lies within it); ``control``
    narrows scope items to the control's, ``allies`` narrows controls to the allies' own."""
    if kind == "allies":
        return [
            {"id": a.id, "name": a.name, "kind": str(a.kind), "reviewed": _date(a.reviewed)}
            for a in dataset.allies()
            if allies is None or a.id in allies
        ]
    if kind == "actors":
        return [
            {
                "id": a.id,
                "name": a.name,
                "kind": str(a.kind),
                "role": None if a.role is None else str(a.role),
                "represents": a.represents,
            }
            for a in dataset.actors
        ]
    if kind == "controls":
        return [
            _control_row(c)
            for c in dataset.controls
            if (allies is None or c.issuer in allies) and in_question(c, control)
        ]
    if kind == "scope":
        wanted = None
        if control is not None:
            found = dataset.control(control)
            wanted = set(found.scope) if found is not None else set()
        return [
            {"id": i.id, "name": i.name, "description": i.description}
            for i in dataset.scope_items
            if wanted is None or i.id in wanted
        ]
    out: list[ListingRow] = []
    for s in dataset.statements:
        if allies is not None and not set(s.about) & set(allies):
            continue
        if control is not None and control not in s.controls:
            continue
        if since is not None and s.date.earliest < since:
            continue
        if until is not None and s.date.latest > until:
            continue
        out.append(
            {
                "id": s.id,
                "date": str(s.date),
                "speaker": s.speaker,
                "about": ", ".join(s.about),
                "controls": ", ".join(s.controls),
                "signal": str(s.signal),
                "tier": str(s.tier),
                "summary": s.summary,
            }
        )
    return out
