"""The record's shape, declared once: its record kinds and their files, which fields name which
kind of record, and the dates of a measure. The loader, the checks, ``add`` and the reporters read
it from here; the models say what one record holds, this module how records hang together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from export_alignment.models import Actor, ActorKind, Control, Dataset, Role, Statement


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: its name on the command line, its data file (and that file's top-level
    key) and its model."""

    kind: str
    file: str
    model: type[Actor] | type[Control] | type[Statement]


RECORD_KINDS: tuple[RecordKind, ...] = (
    RecordKind("actor", "actors", Actor),
    RecordKind("control", "controls", Control),
    RecordKind("statement", "statements", Statement),
)
"""Every kind of record, in the order the files are read and reported."""

DATA_FILES: tuple[str, ...] = tuple(k.file for k in RECORD_KINDS)
"""The three files of a dataset, each ``data/<name>.yaml`` holding a mapping ``<name>: [...]``."""

KINDS: dict[str, str] = {k.kind: k.file for k in RECORD_KINDS}
"""Record kind on the command line -> the data file (and top-level key) that holds it."""

RECORD_MODELS: dict[str, type[Actor] | type[Control] | type[Statement]] = {
    k.file: k.model for k in RECORD_KINDS
}
"""Data file -> the model of its records."""

MEASURE_DATES: tuple[str, ...] = ("announced", "published", "effective")
"""A control's dates, in the order a measure passes them."""

Record = Actor | Control | Statement


def all_records(dataset: Dataset) -> Iterator[Record]:
    """Every typed record of the dataset, file by file."""
    for kind in RECORD_KINDS:
        yield from getattr(dataset, kind.file)


def kind_of(record: object) -> str:
    """``actor``, ``control`` or ``statement``."""
    for kind in RECORD_KINDS:
        if type(record) is kind.model:
            return kind.kind
    raise TypeError(f"not a record: {type(record).__name__}")


# --- references ---------------------------------------------------------------------------------


def _is_actor(record: object, _dataset: Dataset) -> bool:
    return isinstance(record, Actor)


def _is_ally(record: object, _dataset: Dataset) -> bool:
    return isinstance(record, Actor) and record.role is Role.ALLY


def _is_state_or_bloc(record: object, _dataset: Dataset) -> bool:
    return isinstance(record, Actor) and record.kind in (ActorKind.STATE, ActorKind.BLOC)


def _is_state(record: object, _dataset: Dataset) -> bool:
    return isinstance(record, Actor) and record.kind is ActorKind.STATE


def _is_initiator_control(record: object, dataset: Dataset) -> bool:
    if not isinstance(record, Control):
        return False
    issuer = dataset.actor(record.issuer)
    # an issuer that does not resolve (or failed its schema) is reported on the control itself;
    # every reference to its controls would only repeat that
    return issuer is None or issuer.role is Role.INITIATOR


@dataclass(frozen=True)
class Target:
    """What kind of record a reference field must name."""

    name: str
    """``actor``, ``ally``, ``initiator-control``, ``state`` or ``state-or-bloc``."""
    what: str
    """As a message says it: ``a state or bloc``."""
    accepts: Callable[[object, Dataset], bool]
    """Whether a record may be named (lenient where another rule already reports the cause)."""
    strict: Callable[[Dataset], list[str]] | None = None
    """The ids to offer when prompting, where they are fewer than ``accepts`` allows."""

    def choices(self, dataset: Dataset) -> list[str]:
        """The ids a reference field of this kind may name in ``dataset`` (prompts, completion)."""
        if self.strict is not None:
            return self.strict(dataset)
        return [r.id for r in all_records(dataset) if self.accepts(r, dataset)]


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("actor", "an actor", _is_actor),
        Target("ally", "an ally (an actor with role: ally)", _is_ally),
        Target(
            "initiator-control",
            "a control of the initiator",
            _is_initiator_control,
            lambda ds: [c.id for c in ds.initiator_controls()],
        ),
        Target("state", "a state", _is_state),
        Target("state-or-bloc", "a state or bloc", _is_state_or_bloc),
    )
}

REFERENCES: dict[tuple[str, str], Target] = {
    ("actors", "represents"): TARGETS["state-or-bloc"],
    ("actors", "members"): TARGETS["state"],
    ("controls", "issuer"): TARGETS["state-or-bloc"],
    ("controls", "target"): TARGETS["state-or-bloc"],
    ("controls", "aligns_with"): TARGETS["initiator-control"],
    ("statements", "speaker"): TARGETS["actor"],
    ("statements", "about"): TARGETS["ally"],
    ("statements", "controls"): TARGETS["initiator-control"],
}
"""Fields that name another record (by file and field), and what kind of record they must name."""


def references(
    dataset: Dataset, wrong: Callable[[str, Target], bool] | None = None
) -> Iterator[tuple[Record, tuple[str] | tuple[str, int], str, Target]]:
    """(record, key path inside it, the id it names, what it must name) for every reference, in
    the order of ``REFERENCES`` and of the records; with ``wrong``, only the references it holds
    wrong (asked once for each id a field names: the many references that name the same few
    ids are passed over without a key path made for each)."""
    for (file, field), target in REFERENCES.items():
        records = getattr(dataset, file)
        values = [getattr(record, field) for record in records]
        if wrong is not None:
            named: set[str] = set()
            for value in values:
                if isinstance(value, list):
                    named.update(value)
                elif value is not None:
                    named.add(value)
            held = {ref for ref in named if wrong(ref, target)}
            if not held:
                continue
        for record, value in zip(records, values, strict=True):
            if value is None:
                continue
            if isinstance(value, list):
                for i, ref in enumerate(value):
                    if wrong is None or ref in held:
                        yield record, (field, i), ref, target
            elif wrong is None or value in held:
                yield record, (field,), value, target
