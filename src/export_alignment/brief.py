"""A Markdown brief an analyst can send: the scores as of a date, the evidence behind them, what
changed, and numbered sources.

This is a reporter: it takes the dataset and the scoring results and returns one Markdown string.
It writes no files and knows no terminal. The output is deterministic (stable ordering, no date
but the as-of and --since dates), so two briefs diff cleanly.

Every string that comes from the data goes through ``markdown_text`` (or ``link_target`` for a
URL) before it reaches the page: Markdown punctuation is backslash-escaped, ``<``, ``>``, ``&``
and ``|`` become HTML entities (so ``<script>`` is text and a pipe cannot split a table cell),
newlines become spaces, control characters become visible escapes. Links are made only for
http(s) URLs. The Mermaid diagrams are built from stage names and dates only, never from data
strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from export_alignment.dates import PartialDate
from export_alignment.escape import is_web_address, reader_text
from export_alignment.escape import markdown as _markdown
from export_alignment.guards import require_window
from export_alignment.models import (
    TIERS,
    Actor,
    Control,
    ControlSource,
    Dataset,
    Statement,
    StatementSource,
    Tier,
)
from export_alignment.question import Question
from export_alignment.scoring import (
    FLAGS,
    LADDER,
    MEASURE_STAGE,
    STAGE_GLYPH,
    STAGES,
    VERDICTS,
    AllyScore,
    Evaluator,
    Evidence,
    Flag,
    FlagNote,
    PairScore,
    RoleNote,
    Scores,
    Stage,
    Transition,
    Verdict,
    next_step,
)
from export_alignment.views.values import (
    VERDICT_WORDS,
    effect,
    source_identity,
    staleness,
    verdict_words,
)

# --------------------------------------------------------------------------------------------
# Escaping


def markdown_text(value: object) -> str:
    """Text from the data as inert inline Markdown, without the curator's scaffolding."""
    return _markdown(reader_text(value))


_URL_ENCODE = frozenset(' "<>()\\`{}|^')


def link_target(url: object) -> str | None:
    """An http(s) URL as a Markdown link destination, or None for anything else (``javascript:``,
    ``data:``, relative paths, control characters).

    Spaces, parentheses, angle brackets and other characters that could end or bend the
    destination are percent-encoded (non-ASCII as UTF-8); ``&`` becomes ``&amp;`` so no entity
    in the URL is decoded.
    """
    if not is_web_address(url):
        return None
    assert isinstance(url, str)
    out: list[str] = []
    for ch in url:
        if ch == "&":
            out.append("&amp;")
        elif ch in _URL_ENCODE or ord(ch) > 0x7E:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8")))
        else:
            out.append(ch)
    return "".join(out)


def markdown_link(label: object, url: object) -> str:
    """``[label](url)`` for an http(s) URL; otherwise the label and the address as inert text."""
    target = link_target(url)
    if target is None:
        return f"{markdown_text(label)} (address not linked: {markdown_text(url)})"
    return f"[{markdown_text(label)}]({target})"


_MERMAID_SAFE = re.compile(r"[^A-Za-z0-9 _:-]")


def mermaid_label(value: object) -> str:
    """A quoted Mermaid label holding only letters, digits, spaces, ``_``, ``:`` and ``-``."""
    return '"' + _MERMAID_SAFE.sub("", str(value)) + '"'


# --------------------------------------------------------------------------------------------
# Wording

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

_DEFINITE = frozenset(
    {
        "Netherlands",
        "United States",
        "United Kingdom",
        "Philippines",
        "Czech Republic",
        "European Union",
        "Republic of Korea",
    }
)
"""State names that read with "the" in running text."""


def _name(actor: Actor, start: bool = False) -> str:
    name = markdown_text(actor.name)
    if actor.name in _DEFINITE:
        return ("The " if start else "the ") + name
    return name


def _day(value: date | PartialDate) -> str:
    if isinstance(value, date):
        value = PartialDate.parse(value)
    return value.human()


def _on(value: PartialDate) -> str:
    """'on 13 January 2023', 'in November 2022'."""
    return f"{'in' if value.is_partial else 'on'} {_day(value)}"


def _stage_phrase(score: AllyScore) -> str:
    """'has been negotiating since 13 January 2023' and the like (without the subject)."""
    since = f" since {_day(score.since)}" if score.since else ""
    return {
        Stage.NONE: "shows no evidence on record of being pressed or of acting",
        Stage.RAISED: f"has been pressed to align{since}",
        Stage.NEGOTIATING: f"has been negotiating{since}",
        Stage.AGREED: f"has agreed in principle to align{since}",
        Stage.ANNOUNCED: f"has announced its own measures{since}",
        Stage.ADOPTED: f"has adopted its own measures{since} (not yet in effect)",
        Stage.IN_FORCE: f"has had its own measures in force{since}",
    }[score.stage]


def _who(e: Evidence) -> str:
    if e.speaker is None:
        return markdown_text(e.record.id)
    title = e.speaker.title
    name = markdown_text(e.speaker.name)
    return f"{name}, {markdown_text(title)}" if title else name


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _support(e: Evidence, note: RoleNote) -> str:
    """The signal, the stage it claims and what it does (its role's effect, ``views.values``)."""
    what = markdown_text(e.signal)
    if e.stage is not None:
        what += f" → {markdown_text(e.stage)}"
    return f"{what}: {effect(note)}"


def _role(note: RoleNote) -> str:
    """The role's one description and its reason."""
    return markdown_text(note.text)


def _reach(e: Evidence) -> str:
    """Via a bloc, ahead of the control: said in words, or nothing."""
    parts = []
    if e.via:
        parts.append(f"via {markdown_text(e.via)}")
    if e.recorded is not None:
        parts.append(
            f"ahead: dated {_day(e.recorded)}, before the control; counts from {_day(e.date)}"
        )
    return "; ".join(parts)


# --------------------------------------------------------------------------------------------
# Sources


def _source_key(
    record: Statement | Control, tier: Tier, s: StatementSource | ControlSource | None = None
) -> tuple[str, ...]:
    """One key per source (``views.values.source_identity``), so a page cited by several
    records, or by a control and a statement, is one note, as on the site's sources page."""
    cited = (s or record.best_source) if isinstance(record, Statement) else record.source
    return source_identity(cited)


def _control_date(c: Control) -> PartialDate | None:
    return c.published or c.announced or c.effective


class Footnotes:
    """Sources numbered in order of first reference; each defined once."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, ...], int] = {}
        self._texts: list[str] = []

    def ref(self, record: Statement | Control, tier: Tier) -> str:
        """A note for each source the record cites (a statement may cite several)."""
        sources = record.cited if isinstance(record, Statement) else (None,)
        out = []
        for source in sources:
            key = _source_key(record, tier, source)
            number = self._numbers.get(key)
            if number is None:
                self._texts.append(_source_text(record, tier, source))
                number = self._numbers[key] = len(self._texts)
            out.append(f"[^{number}]")
        return "".join(out)

    def definitions(self) -> list[str]:
        return [f"[^{i}]: {text}" for i, text in enumerate(self._texts, 1)]


def _where(url: str | None, document: str | None, title: str | None) -> str:
    if url is not None:
        return markdown_link(title or url, url)
    if document is not None:
        label = f"{markdown_text(title)}, " if title else ""
        return f"{label}archived document {markdown_text(document)}"
    return markdown_text(title) if title else ""


def _kind_words(s: StatementSource | ControlSource) -> str:
    if s.kind is None:
        return ""
    if s.copy_of:
        return f"kind: {markdown_text(s.kind)} of {markdown_text(s.copy_of)}"
    return f"kind: {markdown_text(s.kind)}"


def _source_text(
    record: Statement | Control, tier: Tier, source: StatementSource | None = None
) -> str:
    if isinstance(record, Statement):
        s = source or record.best_source
        parts = [
            markdown_text(s.publisher),
            _day(s.published),
            f"tier: {TIER_WORDS[s.tier]}",
            _kind_words(s),
            _where(s.url, s.document, s.title),
        ]
    else:
        when = _control_date(record)
        c = record.source
        parts = [
            markdown_text(c.publisher) if c.publisher else "publisher not recorded",
            _day(when) if when else "date not recorded",
            f"tier: {TIER_WORDS[tier]}",
            _kind_words(c),
        ]
        if c.citation:
            parts.append(markdown_text(c.citation))
        parts.append(_where(c.url, c.document, c.title))
    return "; ".join(p for p in parts if p) + "."


# --------------------------------------------------------------------------------------------
# The brief


@dataclass
class BriefInput:
    """What the brief shows: the scores as of the date, each ally's stage transitions, and (with
    ``--since``) the scores as of the earlier date."""

    dataset: Dataset
    scores: Scores
    transitions: dict[str, list[Transition]]
    since: date | None = None
    before: Scores | None = None


def gather(evaluator: Evaluator, asked: Question, since: date | None = None) -> BriefInput:
    """Score the allies for the checked question ``asked`` (the allies it names, as of its day,
    over the control or scope item asked about) and, with ``since``, as of the day before it:
    what changed is what counts from ``since`` on, the day included, as ``list --since``."""
    as_of, control, scope = asked.as_of, asked.control, asked.scope
    require_window(since, as_of)
    scores = evaluator.score(asked)
    transitions = {
        a.ally.id: evaluator.transitions(a.ally, as_of, control, scope) for a in scores.allies
    }
    before = (
        evaluator.score(replace(asked, as_of=since - timedelta(days=1)))
        if since is not None
        else None
    )
    return BriefInput(evaluator.dataset, scores, transitions, since, before)


def build_brief(
    dataset: Dataset, asked: Question, since: date | None = None, *, summary: bool = False
) -> str:
    """The brief for a dataset, for the checked question ``asked``, as Markdown (``since``: with
    what changed from that day; ``summary``: the one-page form)."""
    data = gather(Evaluator(dataset), asked, since)
    return render_summary(data) if summary else render(data)


def _item_names(data: BriefInput) -> dict[str, str]:
    """Each scope item's name by its id, for reader text."""
    return {i.id: i.name for i in data.dataset.scope_items}


def render_summary(data: BriefInput) -> str:
    """The one-page brief: the summary in plain words, the table with coverage, one line of
    caveats per ally, and the sources those cite."""
    notes = Footnotes()
    scores = data.scores
    out: list[str] = [f"# Export-control alignment summary as of {_day(scores.as_of)}", ""]
    if scores.control or scores.scope:
        out += [f"Narrowed to {markdown_text(scores.question)}.", ""]
    if not scores.allies:
        return "\n".join(out + ["No allies in the record."]) + "\n"
    out += [_summary_paragraph(scores, _item_names(data)), ""]
    out += _summary_table(scores, notes)
    out += ["## Caveats", ""]
    out += _caveat_lines(scores) or ["- Nothing on record calls for a caveat."]
    out += [
        "- Anonymous reports are shown but never move a verdict or a stage; the full brief "
        "gives each ally's evidence and what each caveat rests on.",
        "",
        "## Sources",
        "",
    ]
    out += notes.definitions()
    return "\n".join(out).rstrip("\n") + "\n"


def render(data: BriefInput) -> str:
    """The brief as Markdown text, ending in one newline.

    Each part (the head, each ally's section, the sources) is joined into one text as soon as
    it is written: a large record's brief is held as a few texts, not a million lines."""
    notes = Footnotes()
    scores = data.scores
    out: list[str] = [f"# Export-control alignment brief as of {_day(scores.as_of)}", ""]
    if scores.control or scores.scope:
        out += [f"Narrowed to {markdown_text(scores.question)}.", ""]
    out += _measured_against(scores, notes)
    if not scores.allies:
        out += ["No allies in the record.", ""]
    else:
        out += [_summary_paragraph(scores, _item_names(data)), ""]
        out += _summary_table(scores, notes)
        out += _reviewed(scores)
        out += _matrix(scores)
    if data.since is not None and data.before is not None:
        out += _what_changed(data, notes)
    parts = [_joined(out)]
    for ally in scores.allies:
        parts.append(
            _joined(
                _ally_section(
                    ally, data.transitions.get(ally.ally.id, []), scores, notes, _item_names(data)
                )
            )
        )
    sources = [
        "## Sources",
        "",
        "Numbered notes below; each gives the publisher, date, evidence tier and a link or "
        "the archived document. Tiers: "
        + "; ".join(f"{TIER_WORDS[t]}: {markdown_text(d)}" for t, d in TIERS.items())
        + ".",
        "",
    ]
    parts.append(_joined([*sources, *notes.definitions()]))
    del notes
    return _document(parts)


def _joined(lines: list[str]) -> str | None:
    """A part's lines as one text (None for a part with no lines, which adds none)."""
    return "\n".join(lines) if lines else None


def _document(parts: list[str | None]) -> str:
    """The parts as the document's text: ``"\\n".join`` of all their lines with the trailing line
    breaks dropped and one put back, without copying the whole text more than once."""
    texts = [p for p in parts if p is not None]
    parts.clear()
    while texts and not texts[-1].rstrip("\n"):
        texts.pop()
    if not texts:
        return "\n"
    texts[-1] = texts[-1].rstrip("\n")
    texts.append("")
    return "\n".join(texts)


def _measured_against(scores: Scores, notes: Footnotes) -> list[str]:
    controls: dict[str, Control] = {}
    for ally in scores.allies:
        for pair in ally.controls:
            controls.setdefault(pair.control.id, pair.control)
    if not controls:
        return []
    lines = ["Measured against:", ""]
    for c in controls.values():
        when = c.announced or _control_date(c)
        detail = [markdown_text(c.source.citation)] if c.source.citation else []
        if when:
            detail.append(f"announced {_day(when)}" if c.announced else _day(when))
        extra = f" ({', '.join(detail)})" if detail else ""
        state = next(p.state for a in scores.allies for p in a.controls if p.control is c)
        life = f"; {markdown_text(state.phrase)}" if state.events else ""
        binds = "" if state.live else " **It no longer binds: not counted in the headline.**"
        lines.append(
            f"- {markdown_text(c.title)}{extra}{notes.ref(c, Tier.OFFICIAL_TEXT)}{life}.{binds}"
        )
    return lines + [""]


MEASURE_WORDS = {"announced": "announced", "published": "adopted", "effective": "in effect"}


def _reader_next(stage: Stage) -> str:
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


def _reviewed(scores: Scores) -> list[str]:
    """When the record was last reviewed, for each ally."""
    parts = []
    for ally in scores.allies:
        when = _day(ally.reviewed) if ally.reviewed else "no review date recorded"
        parts.append(f"{markdown_text(ally.ally.name)}: {when}")
    return ["Record last reviewed: " + "; ".join(parts) + ".", ""]


def _matrix(scores: Scores) -> list[str]:
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


def _flag_evidence(ally: AllyScore, note: FlagNote) -> Evidence | None:
    return note.items[0] if note.items else None


def _stage_words(stage: Stage) -> str:
    return str(stage).replace("_", " ")


def _unconfirmed_phrase(note: FlagNote, on: str, tier: str) -> str:
    if note.claimed is not None:
        return (
            f"an anonymous report{on} says it went further ({_stage_words(note.claimed)}) than "
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
        return f"the record was last reviewed {_on(why.day)}"
    e = _flag_evidence(ally, note)
    on = f" {_on(e.date)}" if e else ""
    tier = f" {TIER_SOURCE[e.tier]}" if e else ""
    return _CAVEAT_PHRASES[note.flag](note, on, tier)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _ally_sentence(ally: AllyScore, items: dict[str, str]) -> str:
    """One short sentence: the ally, its verdict with coverage, since when, and the items by
    name (those in force, or those not yet, whichever list is shorter)."""
    cover = ally.coverage
    words = verdict_words(ally.verdict, cover.in_force, cover.total)
    text = f"{markdown_text(ally.ally.name)}: {words}"
    if ally.verdict_since:
        text += f", since {_day(ally.verdict_since)}"
    if cover.in_force and cover.missing:
        held = [i.item for i in ally.items if i.item not in cover.missing]
        if len(held) <= len(cover.missing):
            text += f"; in force: {_and([markdown_text(items.get(i, i)) for i in held])}"
        else:
            missing = [markdown_text(items.get(i, i)) for i in cover.missing]
            text += f"; not yet in force: {_and(missing)}"
    return text + "."


def _summary_paragraph(scores: Scores, items: dict[str, str]) -> str:
    """The answer in short sentences, one per ally, verdict first."""
    lines = [f"On the evidence on record as of {_day(scores.as_of)}:", ""]
    lines += [f"- {_ally_sentence(ally, items)}" for ally in scores.allies]
    lines += [
        "",
        "A verdict counts the items in question that each ally has in force; anonymous reports "
        "never move it.",
    ]
    return "\n".join(lines)


_SEVERAL = {Flag.CONTESTED: "reservations", Flag.DECLINED: "refusals"}
"""Flags said once for several pieces of evidence, with their dates."""


def _caveat_lines(scores: Scores) -> list[str]:
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
                    f"officials voiced {what} on record on {_and([_day(d) for d in days])}, "
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


def _summary_table(scores: Scores, notes: Footnotes) -> list[str]:
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
                f"{_day(latest.date)}: {markdown_text(speaker)}: "
                f"{markdown_text(_shorten(latest.summary, 100))} "
                f"({TIER_WORDS[latest.tier]}){notes.ref(latest.record, latest.tier)}"
            )
        cover = ally.coverage
        cells = [
            markdown_text(ally.ally.name),
            markdown_text(verdict_words(ally.verdict, cover.in_force, cover.total)),
            _day(ally.verdict_since) if ally.verdict_since else "—",
            markdown_text(", ".join(ally.flag_names)) if ally.flags else "—",
            evidence,
            markdown_text(ally.stage) + (f" since {_day(ally.since)}" if ally.since else ""),
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


def _new_evidence(ally: AllyScore, since: date) -> list[Evidence]:
    return [e for e in ally.evidence if e.date.latest >= since]


def _counts_from(d: PartialDate) -> str:
    if d.is_partial:
        return f"{_day(d)}, counted from {_day(d.latest)}"
    return _day(d)


def _what_changed(data: BriefInput, notes: Footnotes) -> list[str]:
    since = data.since
    assert since is not None and data.before is not None
    before = {a.ally.id: a for a in data.before.allies}
    lines = [
        f"## What changed since {_day(since)}",
        "",
        f"Stage changes and evidence that counts from {_day(since)} on and by "
        f"{_day(data.scores.as_of)}.",
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
                by = f", set by {_who(t.evidence)}{notes.ref(t.evidence.record, t.evidence.tier)}"
            items.append(
                f"- Stage {markdown_text(t.before)} → **{markdown_text(t.after)}** "
                f"{_on(t.recorded)}{by}"
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
                f"- New evidence, {_counts_from(e.date)}: {_who(e)}: "
                f"{markdown_text(_shorten(e.summary, 160))} "
                f"({TIER_WORDS[e.tier]}; {_support(e, ally.role_of(e))})"
                f"{notes.ref(e.record, e.tier)}"
            )
        lines += [f"### {name}", ""]
        if not items:
            stage = markdown_text(ally.stage)
            lines += [f"No stage change and no new evidence; still {stage}.", ""]
        else:
            lines += items + [""]
    return lines


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
    head = f"**{_day(e.date)}** — " if show_date else ""
    note = ally.role_of(e)
    lines = [
        f"{indent}- {head}{_who(e)}; {_support(e, note)}; tier: {TIER_WORDS[e.tier]}"
        f"{notes.ref(e.record, e.tier)}",
        "",
    ]
    body = indent + "  "
    lines += [f"{body}Role: {_role(note)}.", ""]
    reach = _reach(e)
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
        sources = len({_source_key(e.record, e.tier, src) for e in group for src in e.sources})
        event = first.record.event if isinstance(first.record, Statement) else ""
        lines += [
            f"- **{_day(first.date)}** — one event ({markdown_text(event)}) reported in "
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
        e = _flag_evidence(ally, f)
        ref = notes.ref(e.record, e.tier) if e is not None else ""
        what = markdown_text(FLAGS[f.flag])
        if f.flag in (Flag.CONTESTED, Flag.DECLINED) and e is not None:
            kind = "reservation" if f.flag is Flag.CONTESTED else "refusal"
            text = (
                f"a {kind} on {_day(e.date)} by {_who(e)} ({TIER_WORDS[e.tier]}){ref}: "
                f"{markdown_text(e.summary)}"
            )
        elif f.flag is Flag.UNCONFIRMED_REPORT and e is not None and f.claimed is None:
            text = (
                f"an anonymous report on {_day(e.date)} of a {markdown_text(e.signal)}{ref}: "
                f"{markdown_text(e.summary)}; it flags contested or declined only once "
                "confirmed on record"
            )
        elif f.flag is Flag.UNCONFIRMED_REPORT and e is not None:
            claimed = markdown_text(f.claimed) if f.claimed else "a higher stage"
            text = (
                f"an anonymous report on {_day(e.date)} claims **{claimed}**{ref}; it "
                "counts only once confirmed on record or in official text"
            )
        elif f.flag is Flag.ONE_SIDED:
            who = "; ".join(f"{_who(x)}{notes.ref(x.record, x.tier)}" for x in f.items)
            text = f"the agreement rests on {who}; no official of the ally confirmed it"
        elif f.flag is Flag.STALE and (why := staleness(ally, scores.as_of, scores.stale_days)):
            if why.basis == "review":
                text = (
                    f"the last review of the record was {_on(why.day)}, {why.age} days before "
                    f"the as-of date (threshold {why.threshold} days); the newest evidence is "
                    f"from {_day(why.newest.date)}{notes.ref(why.newest.record, why.newest.tier)}"
                )
            else:
                text = (
                    f"the newest evidence is from {_day(why.day)}{ref}, {why.age} days before "
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
                    _day(p.since) if p.since else "—",
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


def _ally_section(
    ally: AllyScore,
    transitions: list[Transition],
    scores: Scores,
    notes: Footnotes,
    items: dict[str, str] | None = None,
) -> list[str]:
    items = items or {}
    stage = ally.stage
    since = f" since {_day(ally.since)}" if ally.since else ""
    ladder = " → ".join(
        f"**{markdown_text(s)}**" if s is stage else markdown_text(s) for s in LADDER
    )
    cover = ally.coverage
    verdict_since = f", since {_day(ally.verdict_since)}" if ally.verdict_since else ""
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
    reviewed = _day(ally.reviewed) if ally.reviewed else "no review date recorded"
    lines += [f"Record last reviewed: {reviewed}.", ""]
    if ally.decisive is not None:
        d = ally.decisive
        lines += [
            f"Set {_on(d.date)} by {_who(d)} ({TIER_WORDS[d.tier]}){notes.ref(d.record, d.tier)}.",
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
        move.append(f"Bringing into force the items not yet in force: {_and(names)}.")
    if step:
        move.append(_reader_next(stage))
    lines += [
        "### What would move it",
        "",
        " ".join(move) or "Nothing: every item in question is in force.",
        "",
    ]
    lines += ["### Stages over time", ""] + _mermaid(transitions, stage)
    return lines
