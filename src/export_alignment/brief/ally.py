"""Each ally's section of the full brief: verdict, evidence chain, caveats, what would move it.

The Mermaid diagrams are built from stage names and dates only, never from data strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from export_alignment.brief.markdown import markdown_text, mermaid_label
from export_alignment.brief.sources import Footnotes, source_key
from export_alignment.brief.wording import (
    TIER_WORDS,
    and_list,
    flag_evidence,
    human_day,
    on_day,
    reach_words,
    reader_next,
    role_text,
    support,
    who_said,
)
from export_alignment.models import Statement
from export_alignment.scoring import (
    FLAGS,
    LADDER,
    STAGES,
    VERDICTS,
    AllyScore,
    Evidence,
    Flag,
    PairScore,
    Scores,
    Stage,
    Transition,
    Verdict,
    next_step,
)
from export_alignment.views.values import staleness, verdict_words


def _evidence_groups(evidence: Iterable[Evidence]) -> list[list[Evidence]]:
    """Evidence in date order; statements that share an ``event`` id form one group, placed
    where the first of them falls."""
    groups: dict[tuple[str, ...], list[Evidence]] = {}
    for e in evidence:
        event = e.record.event if isinstance(e.record, Statement) else None
        key = ("event", event) if event else ("one", e.id, e.signal)
        groups.setdefault(key, []).append(e)
    return list(groups.values())


def _evidence_item(
    e: Evidence,
    ally: AllyScore,
    notes: Footnotes,
    indent: str,
    show_date: bool = True,
) -> list[str]:
    head = f"**{human_day(e.date)}** — " if show_date else ""
    note = ally.role_of(e)
    lines = [
        f"{indent}- {head}{who_said(e)}; {support(e, note)}; tier: {TIER_WORDS[e.tier]}"
        f"{notes.ref(e.record, e.tier)}",
        "",
    ]
    body = indent + "  "
    lines += [f"{body}Role: {role_text(note)}.", ""]
    reach = reach_words(e)
    if reach:
        lines += [f"{body}{reach}.", ""]
    lines += [f"{body}{markdown_text(e.summary)}", ""]
    quote = e.record.quote if isinstance(e.record, Statement) else None
    if quote:
        lines += [f"{body}Quote: “{markdown_text(quote)}”", ""]
    date_note = e.record.date_note
    if date_note:
        lines += [f"{body}Date note: {markdown_text(date_note)}", ""]
    return lines


def _evidence_chain(ally: AllyScore, notes: Footnotes) -> list[str]:
    if not ally.evidence:
        return ["No evidence on record.", ""]
    lines: list[str] = []
    for group in _evidence_groups(ally.evidence):
        if len(group) == 1:
            lines += _evidence_item(group[0], ally, notes, "")
            continue
        first = group[0]
        sources = len({source_key(e.record, e.tier, src) for e in group for src in e.sources})
        event = first.record.event if isinstance(first.record, Statement) else ""
        lines += [
            f"- **{human_day(first.date)}** — one event ({markdown_text(event)}) reported in "
            f"{len(group)} statements from {sources} source{'s' * (sources != 1)}:",
            "",
        ]
        for e in group:
            lines += _evidence_item(e, ally, notes, "  ", show_date=e.date != first.date)
    return lines


def _caveats(ally: AllyScore, scores: Scores, notes: Footnotes) -> list[str]:
    if not ally.flags:
        return ["None: no flag is raised.", ""]
    lines = []
    for f in ally.flags:
        e = flag_evidence(ally, f)
        ref = notes.ref(e.record, e.tier) if e is not None else ""
        what = markdown_text(FLAGS[f.flag])
        if f.flag in (Flag.CONTESTED, Flag.DECLINED) and e is not None:
            kind = "reservation" if f.flag is Flag.CONTESTED else "refusal"
            text = (
                f"a {kind} on {human_day(e.date)} by {who_said(e)} ({TIER_WORDS[e.tier]}){ref}: "
                f"{markdown_text(e.summary)}"
            )
        elif f.flag is Flag.UNCONFIRMED_REPORT and e is not None and f.claimed is None:
            text = (
                f"an anonymous report on {human_day(e.date)} of a {markdown_text(e.signal)}{ref}: "
                f"{markdown_text(e.summary)}; it flags contested or declined only once "
                "confirmed on record"
            )
        elif f.flag is Flag.UNCONFIRMED_REPORT and e is not None:
            claimed = markdown_text(f.claimed) if f.claimed else "a higher stage"
            text = (
                f"an anonymous report on {human_day(e.date)} claims **{claimed}**{ref}; it "
                "counts only once confirmed on record or in official text"
            )
        elif f.flag is Flag.ONE_SIDED:
            who = "; ".join(f"{who_said(x)}{notes.ref(x.record, x.tier)}" for x in f.items)
            text = f"the agreement rests on {who}; no official of the ally confirmed it"
        elif f.flag is Flag.STALE and (why := staleness(ally, scores.as_of, scores.stale_days)):
            if why.basis == "review":
                text = (
                    f"the last review of the record was {on_day(why.day)}, {why.age} days before "
                    f"the as-of date (threshold {why.threshold} days); the newest evidence is "
                    f"from {human_day(why.newest.date)}"
                    f"{notes.ref(why.newest.record, why.newest.tier)}"
                )
            else:
                text = (
                    f"the newest evidence is from {human_day(why.day)}{ref}, {why.age} days before "
                    f"the as-of date (threshold {why.threshold} days)"
                )
        elif f.flag is Flag.PARTIAL:
            lagging = [p for p in ally.controls if p.control.id in f.evidence]
            text = "lower on " + "; ".join(
                f"{markdown_text(p.control.title)} ({markdown_text(p.stage)})" for p in lagging
            )
            if f.scope:
                text += f"; items below the headline: {markdown_text(', '.join(f.scope))}"
        else:
            text = markdown_text(f.reason)
        end = "" if text.endswith((".", "\\.")) else "."
        lines.append(f"- **{markdown_text(f.flag)}** ({what}): {text}{end}")
    return lines + [""]


def _control_status(p: PairScore) -> str:
    if not p.state.events:
        return "live"
    return markdown_text(p.state.phrase) + ("" if p.state.live else " (not counted)")


def _controls_table(ally: AllyScore) -> list[str]:
    lines = [
        "| Control | Stage | Since | Flags | Coverage | Status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for p in ally.controls:
        cover = p.coverage
        missing = f" (not: {markdown_text(', '.join(cover.missing))})" if cover.missing else ""
        lines.append(
            "| "
            + " | ".join(
                [
                    markdown_text(p.control.title),
                    markdown_text(p.stage),
                    human_day(p.since) if p.since else "—",
                    markdown_text(", ".join(p.flag_names)) if p.flags else "—",
                    markdown_text(cover.phrase) + missing,
                    _control_status(p),
                ]
            )
            + " |"
        )
    return lines + [""]


def _mermaid(transitions: list[Transition], stage: Stage) -> list[str]:
    """The ally's stage transitions as a left-to-right flowchart; labels are stage names and
    ISO dates only."""
    lines = ["```mermaid", "flowchart LR"]
    if not transitions:
        lines.append(f"    s0[{mermaid_label(stage)}]")
        last = 0
    else:
        lines.append(f"    s0[{mermaid_label(transitions[0].before)}]")
        for i, t in enumerate(transitions, 1):
            lines.append(
                f"    s{i - 1} -->|{mermaid_label(str(t.recorded))}| s{i}[{mermaid_label(t.after)}]"
            )
        last = len(transitions)
    lines += ["    classDef current stroke-width:3px", f"    class s{last} current", "```", ""]
    return lines


def ally_section(
    ally: AllyScore,
    transitions: list[Transition],
    scores: Scores,
    notes: Footnotes,
    items: dict[str, str] | None = None,
) -> list[str]:
    items = items or {}
    stage = ally.stage
    since = f" since {human_day(ally.since)}" if ally.since else ""
    ladder = " → ".join(
        f"**{markdown_text(s)}**" if s is stage else markdown_text(s) for s in LADDER
    )
    cover = ally.coverage
    verdict_since = f", since {human_day(ally.verdict_since)}" if ally.verdict_since else ""
    lines = [
        f"## {markdown_text(ally.ally.name)}",
        "",
        f"Verdict: **{markdown_text(verdict_words(ally.verdict, cover.in_force, cover.total))}**"
        f"{verdict_since}: {markdown_text(VERDICTS[ally.verdict])}.",
        "",
        f"Furthest stage: **{markdown_text(stage)}**{since}: {markdown_text(STAGES[stage])}.",
        "",
        f"Ladder: {ladder}",
        "",
    ]
    if cover.total:
        missing = (
            f"; not in force: {markdown_text(', '.join(cover.missing))}" if cover.missing else ""
        )
        lines += [
            f"Coverage: {markdown_text(cover.phrase)}, measured over "
            f"{markdown_text(scores.question)}"
            f"{missing}.",
            "",
        ]
    reviewed = human_day(ally.reviewed) if ally.reviewed else "no review date recorded"
    lines += [f"Record last reviewed: {reviewed}.", ""]
    if ally.decisive is not None:
        d = ally.decisive
        lines += [
            f"Set {on_day(d.date)} by {who_said(d)} ({TIER_WORDS[d.tier]})"
            f"{notes.ref(d.record, d.tier)}.",
            "",
        ]
    if len(ally.controls) > 1 or any(p.state.events for p in ally.controls):
        lines += ["### Per control", ""] + _controls_table(ally)
    lines += ["### Evidence", ""] + _evidence_chain(ally, notes)
    lines += ["### Caveats", ""] + _caveats(ally, scores, notes)
    step = next_step(stage)
    move = []
    if ally.verdict is not Verdict.IN_FORCE and cover.missing:
        names = [markdown_text(items.get(i, i)) for i in cover.missing]
        move.append(f"Bringing into force the items not yet in force: {and_list(names)}.")
    if step:
        move.append(reader_next(stage))
    lines += [
        "### What would move it",
        "",
        " ".join(move) or "Nothing: every item in question is in force.",
        "",
    ]
    lines += ["### Stages over time", ""] + _mermaid(transitions, stage)
    return lines
