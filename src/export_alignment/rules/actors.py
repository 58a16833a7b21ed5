"""The fields each kind of actor carries (``actor-fields``, ``actor-scope-fields``)."""

from __future__ import annotations

from collections.abc import Iterator

from export_alignment.models import (
    ActorKind,
    Role,
)
from export_alignment.problems import Problem
from export_alignment.rules.context import Context, rule


@rule("actor-fields")
def actor_fields(ctx: Context) -> Iterator[Problem]:
    """States and blocs carry a ``role``; agencies and persons name the state they speak for in
    ``represents``; persons carry their ``title``; only states and blocs have a role.

    Passes: ``actors[1].role: ally`` (Japan, a state)
    Fails: ``actors[1].role: absent``
    """
    for a in ctx.dataset.actors:
        if a.kind in (ActorKind.STATE, ActorKind.BLOC):
            if a.role is None:
                yield ctx.problem(
                    a,
                    (),
                    f"a {a.kind} needs a role (initiator, ally, target or other)",
                )
        elif a.role is not None:
            yield ctx.problem(
                a,
                ("role",),
                f"only states and blocs have a role, not a {a.kind}",
                key=True,
            )
        if a.kind in (ActorKind.AGENCY, ActorKind.PERSON) and a.represents is None:
            yield ctx.problem(a, (), f"a {a.kind} names the state it speaks for in 'represents'")
        if a.kind is ActorKind.PERSON and a.title is None:
            yield ctx.problem(a, (), "a person carries their 'title'")


@rule("actor-scope-fields")
def actor_scope_fields(ctx: Context) -> Iterator[Problem]:
    """Only a bloc lists ``members``; only an ally carries ``reviewed`` and ``reviewed_note``.

    Passes: an ally reviewed: ``actors[1].reviewed: 2024-12-01``
    Fails: a state listing members: ``actors[1].members: [nl]``
    """
    for a in ctx.dataset.actors:
        if a.members and a.kind is not ActorKind.BLOC:
            yield ctx.problem(
                a,
                ("members",),
                f"only a bloc lists members, not a {a.kind}",
                key=True,
            )
        for name in ("reviewed", "reviewed_note"):
            if getattr(a, name) is not None and a.role is not Role.ALLY:
                yield ctx.problem(
                    a,
                    (name,),
                    f"only an ally carries {name}",
                    key=True,
                )
