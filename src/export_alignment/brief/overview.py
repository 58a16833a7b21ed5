"""The full brief's opening: the controls measured against, reviews, coverage, what changed."""

from __future__ import annotations

from datetime import date

from export_alignment.brief.facts import BriefInput
from export_alignment.brief.markdown import markdown_text
from export_alignment.brief.sources import Footnotes, control_date
from export_alignment.brief.wording import TIER_WORDS, human_day, on_day, shorten, support, who_said
from export_alignment.dates import PartialDate
from export_alignment.models import Control, Tier
from export_alignment.scoring import LADDER, STAGE_GLYPH, AllyScore, Evidence, Scores


def measured_against(scores: Scores, notes: Footnotes) -> list[str]:
    controls: dict[str, Control] = {}
    for ally in scores.allies:
        for pair in ally.controls:
            controls.setdefault(pair.control.id, pair.control)
    if not controls:
        return []
    lines = ["Measured against:", ""]
    for c in controls.values():
        when = c.announced or control_date(c)
        detail = [markdown_text(c.source.citation)] if c.source.citation else []
        if when:
            detail.append(f"announced {human_day(when)}" if c.announced else human_day(when))
        extra = f" ({', '.join(detail)})" if detail else ""
        state = next(p.state for a in scores.allies for p in a.controls if p.control is c)
        life = f"; {markdown_text(state.phrase)}" if state.events else ""
        binds = "" if state.live else " **It no longer binds: not counted in the headline.**"
        lines.append(
            f"- {markdown_text(c.title)}{extra}{notes.ref(c, Tier.OFFICIAL_TEXT)}{life}.{binds}"
        )
    return lines + [""]


def reviewed_lines(scores: Scores) -> list[str]:
    """When the record was last reviewed, for each ally."""
    parts = []
    for ally in scores.allies:
        when = human_day(ally.reviewed) if ally.reviewed else "no review date recorded"
        parts.append(f"{markdown_text(ally.ally.name)}: {when}")
    return ["Record last reviewed: " + "; ".join(parts) + ".", ""]


def matrix(scores: Scores) -> list[str]:
    """Allies x scope items: a glyph and the stage name in each cell."""
    items: list[str] = []
    for ally in scores.allies:
        items += [i.item for i in ally.items if i.item not in items]
    if not items:
        return []
    lines = [
        "### Coverage by scope item",
        "",
        f"The stage on each item of {markdown_text(scores.question)}; "
        + "; ".join(f"{STAGE_GLYPH[s]} {markdown_text(s)}" for s in LADDER)
        + ".",
        "",
        "| Scope item | " + " | ".join(markdown_text(a.ally.name) for a in scores.allies) + " |",
        "| --- |" + " --- |" * len(scores.allies),
    ]
    held = [{i.item: i.stage for i in ally.items} for ally in scores.allies]
    for item in items:
        cells = [
            f"{STAGE_GLYPH[st]} {markdown_text(st)}" if (st := h.get(item)) else "n/a" for h in held
        ]
        lines.append(f"| {markdown_text(item)} | " + " | ".join(cells) + " |")
    return lines + [""]


def _new_evidence(ally: AllyScore, since: date) -> list[Evidence]:
    return [e for e in ally.evidence if e.date.latest >= since]


def _counts_from(d: PartialDate) -> str:
    if d.is_partial:
        return f"{human_day(d)}, counted from {human_day(d.latest)}"
    return human_day(d)


def what_changed(data: BriefInput, notes: Footnotes) -> list[str]:
    since = data.since
    assert since is not None and data.before is not None
    before = {a.ally.id: a for a in data.before.allies}
    lines = [
        f"## What changed since {human_day(since)}",
        "",
        f"Stage changes and evidence that counts from {human_day(since)} on and by "
        f"{human_day(data.scores.as_of)}.",
        "",
    ]
    for ally in data.scores.allies:
        old = before.get(ally.ally.id)
        name = markdown_text(ally.ally.name)
        changes = [t for t in data.transitions.get(ally.ally.id, []) if t.date >= since]
        new = _new_evidence(ally, since)
        items: list[str] = []
        for t in changes:
            by = ""
            if t.evidence is not None:
                cause = t.evidence
                by = f", set by {who_said(cause)}{notes.ref(cause.record, cause.tier)}"
            items.append(
                f"- Stage {markdown_text(t.before)} → **{markdown_text(t.after)}** "
                f"{on_day(t.recorded)}{by}"
            )
        if old is not None:
            gained = sorted(set(ally.flag_names) - set(old.flag_names))
            lost = sorted(set(old.flag_names) - set(ally.flag_names))
            if gained:
                items.append(f"- Newly flagged: {markdown_text(', '.join(gained))}")
            if lost:
                items.append(f"- No longer flagged: {markdown_text(', '.join(lost))}")
        for e in new:
            items.append(
                f"- New evidence, {_counts_from(e.date)}: {who_said(e)}: "
                f"{markdown_text(shorten(e.summary, 160))} "
                f"({TIER_WORDS[e.tier]}; {support(e, ally.role_of(e))})"
                f"{notes.ref(e.record, e.tier)}"
            )
        lines += [f"### {name}", ""]
        if not items:
            stage = markdown_text(ally.stage)
            lines += [f"No stage change and no new evidence; still {stage}.", ""]
        else:
            lines += items + [""]
    return lines
