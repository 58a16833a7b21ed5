"""The answer in short: a sentence and a table row per ally, and its caveats in plain words.

The one-page summary is made of these; the full brief opens with the sentences and the table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from export_alignment.brief.markdown import markdown_text
from export_alignment.brief.sources import Footnotes
from export_alignment.brief.wording import (
    TIER_SOURCE,
    TIER_WORDS,
    and_list,
    flag_evidence,
    human_day,
    on_day,
    shorten,
    stage_words,
)
from export_alignment.scoring import FLAGS, STAGES, VERDICTS, AllyScore, Flag, FlagNote, Scores
from export_alignment.views.values import VERDICT_WORDS, staleness, verdict_words


def _unconfirmed_phrase(note: FlagNote, on: str, tier: str) -> str:
    if note.claimed is not None:
        return (
            f"an anonymous report{on} says it went further ({stage_words(note.claimed)}) than "
            "the evidence on record shows; it counts for nothing until confirmed"
        )
    e = note.items[0] if note.items else None
    what = markdown_text(e.signal) if e else "a reservation or refusal"
    return f"an anonymous report{on} tells of a {what}, not confirmed on record"


_CAVEAT_PHRASES: dict[Flag, Callable[[FlagNote, str, str], str]] = {
    Flag.CONTESTED: lambda note, on, tier: (
        f"an official voiced a reservation{tier}{on}, after the furthest step was reached"
    ),
    Flag.DECLINED: lambda note, on, tier: (
        f"an official voiced a refusal{tier}{on}, after the furthest step was reached"
    ),
    Flag.UNCONFIRMED_REPORT: _unconfirmed_phrase,
    Flag.ONE_SIDED: lambda note, on, tier: (
        "the agreement rests on the initiator's word alone; no official of the ally confirmed it"
    ),
    Flag.STALE: lambda note, on, tier: (
        f"the newest evidence came out{on}, so the record may be out of date"
    ),
    Flag.PARTIAL: lambda note, on, tier: "",
}
"""A few plain words per flag for the summary (explaining it rather than naming it); one entry
per flag (a test checks). ``partial`` says nothing here: the items not yet in force are named
beside the verdict."""


def _caveat_phrase(ally: AllyScore, note: FlagNote, as_of: date, stale_days: int) -> str:
    """A flag in a few plain words, for the summary."""
    why = staleness(ally, as_of, stale_days) if note.flag is Flag.STALE else None
    if why is not None and why.basis == "review":
        return f"the record was last reviewed {on_day(why.day)}"
    e = flag_evidence(ally, note)
    on = f" {on_day(e.date)}" if e else ""
    tier = f" {TIER_SOURCE[e.tier]}" if e else ""
    return _CAVEAT_PHRASES[note.flag](note, on, tier)


def _ally_sentence(ally: AllyScore, items: dict[str, str]) -> str:
    """One short sentence: the ally, its verdict with coverage, since when, and the items by
    name (those in force, or those not yet, whichever list is shorter)."""
    cover = ally.coverage
    words = verdict_words(ally.verdict, cover.in_force, cover.total)
    text = f"{markdown_text(ally.ally.name)}: {words}"
    if ally.verdict_since:
        text += f", since {human_day(ally.verdict_since)}"
    if cover.in_force and cover.missing:
        held = [i.item for i in ally.items if i.item not in cover.missing]
        if len(held) <= len(cover.missing):
            text += f"; in force: {and_list([markdown_text(items.get(i, i)) for i in held])}"
        else:
            missing = [markdown_text(items.get(i, i)) for i in cover.missing]
            text += f"; not yet in force: {and_list(missing)}"
    return text + "."


def summary_paragraph(scores: Scores, items: dict[str, str]) -> str:
    """The answer in short sentences, one per ally, verdict first."""
    lines = [f"On the evidence on record as of {human_day(scores.as_of)}:", ""]
    lines += [f"- {_ally_sentence(ally, items)}" for ally in scores.allies]
    lines += [
        "",
        "A verdict counts the items in question that each ally has in force; anonymous reports "
        "never move it.",
    ]
    return "\n".join(lines)


_SEVERAL = {Flag.CONTESTED: "reservations", Flag.DECLINED: "refusals"}
"""Flags said once for several pieces of evidence, with their dates."""


def caveat_lines(scores: Scores) -> list[str]:
    """Per ally, what the reader should weigh, in plain words (one line per ally with any);
    several reservations (or refusals) are said once, with their dates."""
    out = []
    for ally in scores.allies:
        said: list[str] = []
        grouped: set[Flag] = set()
        for flag, what in _SEVERAL.items():
            days = sorted(
                {f.items[0].date for f in ally.flags if f.flag is flag and f.items},
                key=lambda d: d.latest,
            )
            if len(days) > 1:
                grouped.add(flag)
                said.append(
                    f"officials voiced {what} on record on "
                    f"{and_list([human_day(d) for d in days])}, "
                    "after the furthest step was reached; none lowers the verdict"
                )
        said += [
            _caveat_phrase(ally, f, scores.as_of, scores.stale_days)
            for f in ally.flags
            if f.flag not in grouped
        ]
        said = [c for c in dict.fromkeys(said) if c]
        if said:
            text = "; ".join(said)
            out.append(f"- {markdown_text(ally.ally.name)}: {text[0].upper() + text[1:]}.")
    return out


def summary_table(scores: Scores, notes: Footnotes) -> list[str]:
    lines = [
        "| Ally | Verdict | Since | Flags | Latest evidence | Furthest stage |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for ally in scores.allies:
        latest = ally.evidence[-1] if ally.evidence else None
        if latest is None:
            evidence = "—"
        else:
            speaker = latest.speaker.name if latest.speaker else latest.record.id
            evidence = (
                f"{human_day(latest.date)}: {markdown_text(speaker)}: "
                f"{markdown_text(shorten(latest.summary, 100))} "
                f"({TIER_WORDS[latest.tier]}){notes.ref(latest.record, latest.tier)}"
            )
        cover = ally.coverage
        cells = [
            markdown_text(ally.ally.name),
            markdown_text(verdict_words(ally.verdict, cover.in_force, cover.total)),
            human_day(ally.verdict_since) if ally.verdict_since else "—",
            markdown_text(", ".join(ally.flag_names)) if ally.flags else "—",
            evidence,
            markdown_text(ally.stage) + (f" since {human_day(ally.since)}" if ally.since else ""),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    shown = {a.verdict for a in scores.allies}
    lines += [
        "Verdicts: "
        + "; ".join(
            f"{markdown_text(VERDICT_WORDS[v])}: {markdown_text(VERDICTS[v])}"
            for v in VERDICTS
            if v in shown
        )
        + ".",
        "",
    ]
    stages = sorted({a.stage for a in scores.allies}, key=lambda s: s.rank)
    lines += [
        "Furthest stage (the furthest step on any item): "
        + "; ".join(f"{markdown_text(s)}: {markdown_text(STAGES[s])}" for s in stages)
        + ".",
        "",
    ]
    used = sorted({f for a in scores.allies for f in a.flag_names})
    if used:
        lines += [
            "Flags: "
            + "; ".join(
                f"{markdown_text(name)}: {markdown_text(FLAGS[Flag(name)])}" for name in used
            )
            + ".",
            "",
        ]
    return lines
