"""A question narrowed to one control (``--control``) or one scope item (``--scope``)."""

from __future__ import annotations

from export_alignment.errors import UsageError
from export_alignment.models import Dataset


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
        pool = [c for c in controls if control is None or c.id == control]
        items = list(dict.fromkeys(i for c in pool for i in c.scope))
        if scope not in items:
            raise UsageError(
                f"--scope: {scope!r} is not an item of "
                + (f"control {control}" if control else "any initiator control")
                + "; items: "
                + (", ".join(items) or "none")
            )
