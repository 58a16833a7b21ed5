"""A question narrowed to one control (``--control``) or one scope item (``--scope``)."""

from __future__ import annotations

from export_alignment.errors import UsageError
from export_alignment.models import Control, Dataset


def in_question(control: Control, asked: str | None = None, scope: str | None = None) -> bool:
    """Whether an initiator control is in the question: the one asked about (``--control``), or
    every one when none is; with a ``--scope`` item, only one whose scope covers it."""
    return (asked is None or control.id == asked) and (scope is None or scope in control.scope)


def items_asked(control: Control, scope: str | None = None) -> list[str]:
    """The items of a control a question is about: the ``--scope`` item when the control covers
    it, else all its items, in the control's order."""
    return [scope] if scope is not None and scope in control.scope else list(control.scope)


def check_question(dataset: Dataset, control: str | None, scope: str | None) -> None:
    """A ``--control`` names an initiator control and a ``--scope`` an item one of them covers
    (both together: an item of that control); a usage error otherwise."""
    controls = dataset.initiator_controls()
    if control is not None and control not in {c.id for c in controls}:
        raise UsageError(
            f"--control: no initiator control {control!r}; controls: "
            + (", ".join(c.id for c in controls) or "none")
        )
    if scope is not None:
        pool = [c for c in controls if in_question(c, control)]
        items = list(dict.fromkeys(i for c in pool for i in c.scope))
        if scope not in items:
            raise UsageError(
                f"--scope: {scope!r} is not an item of "
                + (f"control {control}" if control else "any initiator control")
                + "; items: "
                + (", ".join(items) or "none")
            )
