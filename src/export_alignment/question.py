"""The question a command asks of the record: as of which day, about which allies, with which
staleness threshold, over which initiator control and scope item; built and checked once.

A ``Question`` is made from what the user asked (ally names or ids in any case, as typed) and
refuses what cannot be asked of any record (fewer than one stale day) at once; ``checked``
then holds it against one record: each ally named becomes its id, and an unknown ally, control
or scope item is refused with a typed error (``UnknownAlly``, ``UnknownControl``,
``UnknownScope``) that keeps the values, for the command line to word as its options.

What a question narrowed to one control (``--control``) or one scope item (``--scope``) is about
is said here once (``in_question``, ``items_asked``): ``checked`` refuses what it cannot name,
and scoring reads the same two functions to choose the controls and items it scores.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from export_alignment.errors import (
    TooFewDays,
    TooManyDays,
    UnknownAlly,
    UnknownControl,
    UnknownScope,
)

if TYPE_CHECKING:  # the question is asked of a record; it builds none
    from export_alignment.models import Actor, Control, Dataset

DEFAULT_STALE_DAYS = 365
"""The staleness threshold when none is asked for (here, where the command line reads it
without importing scoring; ``scoring`` re-exports it)."""

MOST_STALE_DAYS = 36_500
"""The longest staleness threshold a question may ask for (a century): longer ones are no
threshold at all, and a report's end date would fall off the calendar."""


@dataclass(frozen=True, kw_only=True)
class Question:
    """What to answer: the day, the allies (None: every ally), the staleness threshold in days,
    the initiator control (None: every live one) and the scope item (None: every item)."""

    as_of: date
    allies: tuple[str, ...] | None = None
    """As asked (each value may hold several, comma-separated; an id or a name, any case) until
    ``checked``; then the allies' ids, in the order asked, each once."""
    stale_days: int
    control: str | None = None
    scope: str | None = None

    def __post_init__(self) -> None:
        if self.stale_days < 1:
            raise TooFewDays(self.stale_days)
        if self.stale_days > MOST_STALE_DAYS:
            raise TooManyDays(self.stale_days, MOST_STALE_DAYS)

    def checked(self, dataset: Dataset) -> Question:
        """This question held against ``dataset``: the control and the scope item checked (in
        that order), then the allies resolved to their ids."""
        check_scope(dataset, self.control, self.scope)
        ids = ally_ids(dataset, self.allies)
        return replace(self, allies=tuple(ids) if ids else None)

    def allies_in(self, dataset: Dataset) -> list[Actor]:
        """The allies of ``dataset`` this (checked) question is about, in the record's order:
        every one when it names none."""
        return [a for a in dataset.allies() if not self.allies or a.id in self.allies]


def in_question(control: Control, asked: str | None = None, scope: str | None = None) -> bool:
    """Whether an initiator control is in the question: the one asked about (``--control``), or
    every one when none is; with a ``--scope`` item, only one whose scope covers it."""
    return (asked is None or control.id == asked) and (scope is None or scope in control.scope)


def items_asked(control: Control, scope: str | None = None) -> list[str]:
    """The items of a control a question is about: the ``--scope`` item when the control covers
    it, else all its items, in the control's order."""
    return [scope] if scope is not None and scope in control.scope else list(control.scope)


def check_scope(dataset: Dataset, control: str | None, scope: str | None) -> None:
    """``control`` names an initiator control and ``scope`` an item one of them covers (both
    together: an item of that control); ``UnknownControl`` or ``UnknownScope`` otherwise. The
    controls and items a question can name are those ``in_question`` and ``items_asked`` give."""
    controls = dataset.initiator_controls()
    if control is not None and not any(in_question(c, control) for c in controls):
        raise UnknownControl(control, [c.id for c in controls])
    if scope is not None:
        pool = [c for c in controls if in_question(c, control)]
        items = list(dict.fromkeys(i for c in pool for i in items_asked(c)))
        if scope not in items:
            raise UnknownScope(scope, control, items)


def ally_ids(dataset: Dataset, wanted: Iterable[str] | None) -> list[str] | None:
    """The ally ids ``wanted`` names (None: every ally). Each value may hold several, comma-
    separated; each matches an ally's id or name, ignoring case and runs of spaces. The first
    that matches none is an ``UnknownAlly`` with the closest allies and the allies there are."""
    if not wanted:
        return None
    allies = dataset.allies()
    by_key: dict[str, str] = {}
    for a in allies:
        by_key.setdefault(a.id.casefold(), a.id)
        by_key.setdefault(" ".join(a.name.split()).casefold(), a.id)
    chosen: list[str] = []
    for value in wanted:
        for part in value.split(","):
            key = " ".join(part.split()).casefold()
            if not key:
                continue
            if key not in by_key:
                close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
                named = list(dict.fromkeys(by_key[c] for c in close))
                raise UnknownAlly(part.strip(), named, [a.id for a in allies])
            if by_key[key] not in chosen:
                chosen.append(by_key[key])
    return chosen or None
