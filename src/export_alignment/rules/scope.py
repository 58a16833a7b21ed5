"""Scope items: a known vocabulary, covered by the controls a statement concerns, shared with the
controls a measure aligns with (``scope-item``, ``statement-scope``, ``measure-scope``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from export_alignment.models import (
    Control,
    Statement,
)
from export_alignment.problems import Problem
from export_alignment.rules.context import Context, rule


@rule("scope-item")
def scope_items(ctx: Context) -> Iterator[Problem]:
    """Every ``scope`` slug of a control or statement is an id in the ``scope_items``
    vocabulary of controls.yaml (checked when the file declares a vocabulary).

    Passes: ``controls.scope_items: [{id: advanced-computing-chips, name: Chips, description:
    Advanced chips}]``
    Fails: the same vocabulary and a misspelt slug: ``controls.scope_items: [{id:
    advanced-computing-chips, name: Chips, description: Advanced chips}]``
    ``controls[0].scope: [advanced-computing-chip]``
    """
    known = {i.id for i in ctx.dataset.scope_items}
    if not known:
        return
    records: list[Control | Statement] = [*ctx.dataset.controls, *ctx.dataset.statements]
    for record in records:
        for i, item in enumerate(record.scope or ()):
            if item not in known:
                yield ctx.problem(
                    record,
                    ("scope", i),
                    f"scope: {item!r} is not in scope_items (controls.yaml)",
                )


def _initiator_scope(ctx: Context, control_ids: Iterable[str]) -> set[str] | None:
    """The items of the named controls, or None when one of them does not resolve."""
    items: set[str] = set()
    for cid in control_ids:
        control = ctx.dataset.control(cid)
        if control is None:
            return None
        items.update(control.scope)
    return items


@rule("statement-scope", needs_all_files=True)
def statement_scope(ctx: Context) -> Iterator[Problem]:
    """A statement's ``scope`` names only items that the controls it concerns cover.

    Passes: ``statements[0].scope: [advanced-computing-chips]`` (the rule covers it)
    Fails: ``statements[0].scope: [equipment-servicing]`` (the rule does not cover it)
    """
    for s in ctx.dataset.statements:
        covered = _initiator_scope(ctx, s.controls)
        if covered is None or s.scope is None:
            continue
        for i, item in enumerate(s.scope):
            if item not in covered:
                yield ctx.problem(
                    s,
                    ("scope", i),
                    f"scope: {item!r} is not covered by the controls the statement concerns "
                    f"({', '.join(s.controls)})",
                )


@rule("measure-scope", needs_all_files=True)
def measure_scope(ctx: Context) -> Iterator[Problem]:
    """An ally's measure shares at least one scope item with each control in its
    ``aligns_with`` (it counts for the items in common only).

    Passes: ``controls[1]: {id: jp-rule, issuer: jp, title: Ordinance, kind: ordinance, target:
    cn, scope: [advanced-computing-chips], effective: 2023-07-23, aligns_with: [us-rule], source:
    {title: Ordinance, citation: METI ordinance 25}}``
    Fails: the same measure on quantum technology alone: ``controls[1]: {id: jp-rule, issuer: jp,
    title: Ordinance, kind: ordinance, target: cn, scope: [quantum-technology], effective:
    2023-07-23, aligns_with: [us-rule], source: {title: Ordinance, citation: METI ordinance 25}}``
    """
    initiators = {c.id: c for c in ctx.dataset.initiator_controls()}
    for c in ctx.dataset.controls:
        for i, ref in enumerate(c.aligns_with):
            target = initiators.get(ref)
            if target is not None and not set(c.scope) & set(target.scope):
                yield ctx.problem(
                    c,
                    ("aligns_with", i),
                    f"aligns_with: {ref!r} covers none of this measure's scope items "
                    f"({', '.join(c.scope)})",
                )
