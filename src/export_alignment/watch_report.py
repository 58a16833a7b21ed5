"""The watch inbox and the link check rendered as plain text, Markdown (an issue a curator can
paste or a workflow can post) or JSON. Every string from a feed, an API or the record is escaped
for where it goes: ``escape.one_line`` for text, ``escape.markdown`` for Markdown, links only to
http(s) addresses (``brief.markdown_link``), the draft commands in a code fence no backtick run
can close; JSON is JSON (``escape.dumps``)."""

from __future__ import annotations

import re

from typing_extensions import TypedDict

from export_alignment import escape
from export_alignment.brief import markdown_link
from export_alignment.sources_check import (
    VERDICTS,
    LinkReport,
    LinkResult,
    LinkResultJson,
    Verdict,
)
from export_alignment.watch import Inbox, InboxItem, InboxItemJson

md = escape.markdown
one = escape.one_line

JSON_VERSION = 1
"""The ``version`` key of both JSON outputs (documented in docs/watch.md)."""


# --- the inbox ---------------------------------------------------------------------------------


def _facts(item: InboxItem) -> list[str]:
    facts = [f"published {item.published}" if item.published else "undated"]
    if item.kind:
        facts.append(item.kind)
    if item.citation:
        facts.append(item.citation)
    if item.document_number:
        facts.append(f"FR doc {item.document_number}")
    if item.effective:
        facts.append(f"effective {item.effective}")
    return facts


def inbox_summary(inbox: Inbox) -> str:
    failed = len(inbox.failed)
    line = (
        f"{len(inbox.items)} new item{'s' if len(inbox.items) != 1 else ''} from "
        f"{len(inbox.sources)} source{'s' if len(inbox.sources) != 1 else ''}"
    )
    if failed:
        line += f"; {failed} source{'s' if failed != 1 else ''} failed"
    return line


def inbox_text(inbox: Inbox) -> str:
    lines = []
    for item in inbox.items:
        lines.append(f"{one(item.published or 'undated')}  {one(item.title)}")
        lines.append(
            f"    {one(item.source)} (concerns {one(item.concerns)}); "
            + one("; ".join(_facts(item)[1:]) or "-")
        )
        if item.url:
            lines.append(f"    {one(item.url)}")
        lines.append("    draft:")
        lines += [f"      {one(line)}" for line in item.add_command_lines()]
        lines.append("")
    for result in inbox.failed:
        lines.append(f"error: {one(result.name)} ({one(result.id)}): {one(result.error)}")
    return "\n".join(lines).rstrip("\n") + ("\n" if lines else "")


def _fence(text: str) -> str:
    """A fenced code block no run of backticks in ``text`` can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}sh\n{text}\n{ticks}"


def inbox_markdown(inbox: Inbox) -> str:
    out = [f"## Watch inbox: {md(inbox_summary(inbox))}", ""]
    if not inbox.items:
        out += ["Nothing new that the record does not cite.", ""]
    for item in inbox.items:
        out.append(f"### {md(item.published or 'undated')}: {md(item.title)}")
        out.append("")
        out.append(f"- Watched source: {md(item.source)} (concerns {md(item.concerns)})")
        out.append(f"- {md('; '.join(_facts(item)))}")
        if item.url:
            out.append(f"- {markdown_link(item.url, item.url)}")
        out.append("")
        out.append("Draft (complete the upper-case fields, then run it):")
        out.append("")
        out.append(_fence("\n".join(one(line) for line in item.add_command_lines())))
        out.append("")
    if inbox.failed:
        out.append("### Sources that failed")
        out.append("")
        for result in inbox.failed:
            out.append(f"- {md(result.name)} ({md(result.id)}): {md(result.error)}")
        out.append("")
    return "\n".join(out)


class InboxSourceJson(TypedDict):
    id: str
    name: str
    since: str | None
    seen: int
    new: int
    error: str | None


class InboxSummaryJson(TypedDict):
    items: int
    sources: int
    failed: int


class InboxJson(TypedDict):
    """``watch --json``."""

    version: int
    items: list[InboxItemJson]
    sources: list[InboxSourceJson]
    summary: InboxSummaryJson


def inbox_json(inbox: Inbox) -> InboxJson:
    return {
        "version": JSON_VERSION,
        "items": [item.as_dict() for item in inbox.items],
        "sources": [
            {
                "id": s.id,
                "name": s.name,
                "since": inbox.since.get(s.id),
                "seen": s.seen,
                "new": s.new,
                "error": s.error,
            }
            for s in inbox.sources
        ],
        "summary": {
            "items": len(inbox.items),
            "sources": len(inbox.sources),
            "failed": len(inbox.failed),
        },
    }


# --- the link check ----------------------------------------------------------------------------


def links_summary(report: LinkReport) -> str:
    counts = report.counts()
    parts = [f"{counts[str(v)]} {v}" for v in Verdict if counts[str(v)]]
    if counts["changed"]:
        parts.append(f"{counts['changed']} changed")
    archived = sum(1 for r in report.results if r.snapshot)
    return (
        f"{len(report.results)} addresses: "
        + ", ".join(parts or ["none"])
        + (f"; {archived} with an archived copy" if archived else "")
    )


def _archive_note(r: LinkResult) -> str:
    copy = r.recorded_archive or r.snapshot
    if copy:
        return f"archived copy: {copy}"
    if r.snapshot_error:
        return f"archive lookup failed: {r.snapshot_error}"
    return "no archived copy found"


def links_text(report: LinkReport, everything: bool = False) -> str:
    lines = []
    for r in report.results:
        if not (everything or r.to_act_on):
            continue
        status = f" {r.status}" if r.status else ""
        changed = " (changed)" if r.changed and r.verdict is not Verdict.OK else ""
        lines.append(f"{r.verdict}{status}{changed}  {one(r.url)}")
        if r.message:
            lines.append(f"    {one(r.message)}")
        lines.append(f"    {one(_archive_note(r))}")
        lines.append(f"    cited by {one(', '.join(sorted({p.record for p in r.places})))}")
    return "\n".join(lines) + ("\n" if lines else "")


def links_markdown(report: LinkReport, everything: bool = False) -> str:
    out = [f"## Source check: {md(links_summary(report))}", ""]
    rows = [r for r in report.results if everything or r.to_act_on]
    if not rows:
        out += ["Every cited address answered and none changed.", ""]
        return "\n".join(out)
    out += ["| Verdict | Address | Archived copy | Cited by |", "|---|---|---|---|"]
    for r in rows:
        verdict = f"{r.verdict} {r.status}" if r.status else str(r.verdict)
        if r.changed:
            verdict += ", changed"
        copy = r.recorded_archive or r.snapshot
        archived = markdown_link("archived copy", copy) if copy else md(_archive_note(r))
        cited = ", ".join(md(x) for x in sorted({p.record for p in r.places}))
        out.append(f"| {md(verdict)} | {markdown_link(r.url, r.url)} | {archived} | {cited} |")
    out.append("")
    out.append("Verdicts: " + "; ".join(f"{v}: {md(d)}" for v, d in VERDICTS.items()) + ".")
    out.append("")
    return "\n".join(out)


class LinksJson(TypedDict):
    """``sources check --json``."""

    version: int
    links: list[LinkResultJson]
    counts: dict[str, int]
    archive_urls_written: list[str]


def links_json(report: LinkReport, written: list[str] | None = None) -> LinksJson:
    return {
        "version": JSON_VERSION,
        "links": [r.as_dict() for r in report.results],
        "counts": report.counts(),
        "archive_urls_written": written or [],
    }
