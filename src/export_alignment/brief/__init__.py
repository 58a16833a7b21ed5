"""A Markdown brief to send: the scores as of a date, their evidence, what changed, the sources.

This is a reporter: it takes the dataset and the scoring results and returns one Markdown string.
It writes no files and knows no terminal. The output is deterministic (stable ordering, no date
but the as-of and --since dates), so two briefs diff cleanly. Every string from the data is
escaped for Markdown (``markdown``), links go to http(s) addresses only, and the Mermaid
diagrams are built from stage names and dates only.

The package, by job: ``facts`` (gathering what a brief shows: ``gather``, ``BriefInput``),
``markdown`` (Markdown text helpers), ``wording`` (how days, speakers, tiers and evidence are
said), ``sources`` (the numbered footnotes), ``summary`` (the answer in short: sentences, table,
caveats), ``overview`` (the full brief's opening sections), ``ally`` (each ally's section) and
``document`` (the whole text: ``build_brief``, ``render``, ``render_summary``). The names other
modules use are re-exported here.
"""

from export_alignment.brief.document import build_brief, render, render_summary
from export_alignment.brief.facts import BriefInput, gather
from export_alignment.brief.markdown import link_target, markdown_link, markdown_text, mermaid_label

__all__ = [
    "BriefInput",
    "build_brief",
    "gather",
    "link_target",
    "markdown_link",
    "markdown_text",
    "mermaid_label",
    "render",
    "render_summary",
]
