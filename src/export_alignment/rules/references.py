"""References between records: ids are unique, every reference names a record, of the right kind
(``duplicate-id``, ``dangling-reference``, ``reference-kind``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from export_alignment.models import (
    Actor,
)
from export_alignment.problems import Problem
from export_alignment.rules.context import Context, rule
from export_alignment.rules.did_you_mean import hint
from export_alignment.shape import (
    REFERENCES,
    Record,
    Target,
    all_records,
    kind_of,
    references,
)


@rule("duplicate-id")
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """Ids are unique across all three files.

    Passes: ``statements[0].id: jp-talks``
    Fails: ``statements[0].id: jp`` (the id of the actor Japan)
    """
    seen: dict[str, Record] = {}
    for record in all_records(ctx.dataset):
        first = seen.setdefault(record.id, record)
        if first is not record and (o := first.origin) is not None:
            line, col = ctx.files[o.path].locate(o.keypath + ("id",))
            yield ctx.problem(
                record,
                ("id",),
                f"id {record.id!r} is already used by the {kind_of(first)} at "
                f"{o.path}:{line}:{col}",
            )


@rule("dangling-reference", needs_all_files=True)
def dangling_references(ctx: Context) -> Iterator[Problem]:
    """Every reference names a record that exists.

    Passes: ``statements[0].speaker: kurt-campbell``
    Fails: ``statements[0].speaker: kurt-cambell`` (no record has that id)
    """
    index = ctx.dataset._index()

    def dangling(ref: str, _target: Target) -> bool:
        return ref not in index and ref not in ctx.raw_ids

    for record, suffix, ref, target in references(ctx.dataset, dangling):
        yield ctx.problem(record, suffix, dangling_message(suffix[0], ref, target, ctx))
    yield from _unbuilt_references(ctx)


def dangling_message(field_name: str, ref: str, target: Target, ctx: Context) -> str:
    """``speaker: no record has the id 'kurt-cambell'; did you mean 'kurt-campbell'?``: the
    closest ids of the kind the field names (as difflib ranks them), when some are close."""
    return f"{field_name}: no record has the id {ref!r}{hint(ctx.close_ids(ref, target))}"


def _unbuilt_references(ctx: Context) -> Iterator[Problem]:
    """References of the records that failed their schema (a bad date, say): checked from the
    raw data, so one run reports the dangling reference beside the schema problem."""
    index = ctx.dataset._index()
    for loaded in ctx.files.values():
        name = Path(loaded.path).stem
        items = loaded.data.get(name) if isinstance(loaded.data, dict) else None
        if not isinstance(items, list):
            continue
        built = {
            r.origin.keypath[1]
            for r in getattr(ctx.dataset, name, [])
            if r.origin is not None and r.origin.path == loaded.path
        }
        for i, item in enumerate(items):
            if i in built or not isinstance(item, dict):
                continue
            for (file, field_name), target in REFERENCES.items():
                if file != name:
                    continue
                value = item.get(field_name)
                refs = (
                    [(j, v) for j, v in enumerate(value)]
                    if isinstance(value, list)
                    else [(None, value)]
                )
                for j, ref in refs:
                    if not isinstance(ref, str) or ref in index or ref in ctx.raw_ids:
                        continue
                    keypath = (name, i, field_name) + (() if j is None else (j,))
                    yield ctx.problem_in(
                        loaded, keypath, dangling_message(field_name, ref, target, ctx)
                    )


@rule("reference-kind", needs_all_files=True)
def reference_kinds(ctx: Context) -> Iterator[Problem]:
    """A reference points at the right kind of record: ``about`` at allies, ``controls`` and
    ``aligns_with`` at initiator controls, ``speaker`` at an actor, ``issuer``, ``target`` and
    ``represents`` at states or blocs.

    Passes: ``statements[0].about: [nl]`` (a state with ``role: ally``)
    Fails: ``statements[0].about: [us]`` (the initiator)
    """
    index = ctx.dataset._index()

    def wrong_kind(ref: str, target: Target) -> bool:
        named = index.get(ref)
        return named is not None and not target.accepts(named, ctx.dataset)

    for record, suffix, ref, target in references(ctx.dataset, wrong_kind):
        yield ctx.problem(
            record,
            suffix,
            f"{suffix[0]}: {ref!r} is a {_describe(index[ref])}, not {target.what}",
        )


def _describe(record: Record) -> str:
    if isinstance(record, Actor):
        return f"{record.kind} ({record.role})" if record.role else str(record.kind)
    return kind_of(record)
