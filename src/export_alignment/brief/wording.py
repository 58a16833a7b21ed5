"""How the brief words days, speakers, tiers, evidence and the next step, for a reader."""

from __future__ import annotations

from datetime import date

from export_alignment.brief.markdown import markdown_text
from export_alignment.dates import PartialDate
from export_alignment.models import Tier
from export_alignment.scoring import (
    LADDER,
    MEASURE_STAGE,
    STAGES,
    AllyScore,
    Evidence,
    FlagNote,
    RoleNote,
    Stage,
)
from export_alignment.views.values import effect

TIER_WORDS = {
    Tier.OFFICIAL_TEXT: "official text",
    Tier.ON_RECORD: "on record",
    Tier.ANONYMOUS: "anonymous",
}
TIER_SOURCE = {
    Tier.OFFICIAL_TEXT: "in official text",
    Tier.ON_RECORD: "on record",
    Tier.ANONYMOUS: "from an anonymous source",
}


def human_day(value: date | PartialDate) -> str:
    if isinstance(value, date):
        value = PartialDate.parse(value)
    return value.human()


def on_day(value: PartialDate) -> str:
    """'on 13 January 2023', 'in November 2022'."""
    return f"{'in' if value.is_partial else 'on'} {human_day(value)}"


def who_said(e: Evidence) -> str:
    if e.speaker is None:
        return markdown_text(e.record.id)
    title = e.speaker.title
    name = markdown_text(e.speaker.name)
    return f"{name}, {markdown_text(title)}" if title else name


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def support(e: Evidence, note: RoleNote) -> str:
    """The signal, the stage it claims and what it does (its role's effect, ``views.values``)."""
    what = markdown_text(e.signal)
    if e.stage is not None:
        what += f" → {markdown_text(e.stage)}"
    return f"{what}: {effect(note)}"


def role_text(note: RoleNote) -> str:
    """The role's one description and its reason."""
    return markdown_text(note.text)


def reach_words(e: Evidence) -> str:
    """Via a bloc, ahead of the control: said in words, or nothing."""
    parts = []
    if e.via:
        parts.append(f"via {markdown_text(e.via)}")
    if e.recorded is not None:
        parts.append(
            f"ahead: dated {human_day(e.recorded)}, before the control; counts from "
            f"{human_day(e.date)}"
        )
    return "; ".join(parts)


MEASURE_WORDS = {"announced": "announced", "published": "adopted", "effective": "in effect"}


def reader_next(stage: Stage) -> str:
    """What would move the ally up, for a reader (the record's data-entry terms stay out)."""
    target = LADDER[stage.rank + 1]
    text = (
        f"Reaching {markdown_text(target)} ({markdown_text(STAGES[target])}) takes evidence in "
        "official text or on record"
    )
    measure = [MEASURE_WORDS[m] for m, st in MEASURE_STAGE.items() if st is target]
    if measure:
        text += f", such as the ally's own measure being {measure[0]}"
    return text + "; anonymous reports do not count."


def flag_evidence(ally: AllyScore, note: FlagNote) -> Evidence | None:
    return note.items[0] if note.items else None


def stage_words(stage: Stage) -> str:
    return str(stage).replace("_", " ")


def and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
