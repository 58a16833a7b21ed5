"""The brief as one Markdown document, full (``render``) or one page (``render_summary``)."""

from __future__ import annotations

from datetime import date

from export_alignment.brief.ally import ally_section
from export_alignment.brief.facts import BriefInput, gather
from export_alignment.brief.markdown import markdown_text
from export_alignment.brief.overview import matrix, measured_against, reviewed_lines, what_changed
from export_alignment.brief.sources import Footnotes
from export_alignment.brief.summary import caveat_lines, summary_paragraph, summary_table
from export_alignment.brief.wording import TIER_WORDS, human_day
from export_alignment.models import TIERS, Dataset
from export_alignment.question import Question
from export_alignment.scoring import Evaluator


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
    out: list[str] = [f"# Export-control alignment summary as of {human_day(scores.as_of)}", ""]
    if scores.control or scores.scope:
        out += [f"Narrowed to {markdown_text(scores.question)}.", ""]
    if not scores.allies:
        return "\n".join(out + ["No allies in the record."]) + "\n"
    out += [summary_paragraph(scores, _item_names(data)), ""]
    out += summary_table(scores, notes)
    out += ["## Caveats", ""]
    out += caveat_lines(scores) or ["- Nothing on record calls for a caveat."]
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
    out: list[str] = [f"# Export-control alignment brief as of {human_day(scores.as_of)}", ""]
    if scores.control or scores.scope:
        out += [f"Narrowed to {markdown_text(scores.question)}.", ""]
    out += measured_against(scores, notes)
    if not scores.allies:
        out += ["No allies in the record.", ""]
    else:
        out += [summary_paragraph(scores, _item_names(data)), ""]
        out += summary_table(scores, notes)
        out += reviewed_lines(scores)
        out += matrix(scores)
    if data.since is not None and data.before is not None:
        out += what_changed(data, notes)
    parts = [_joined(out)]
    for ally in scores.allies:
        parts.append(
            _joined(
                ally_section(
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
