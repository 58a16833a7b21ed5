"""The site's machine-readable files beside its pages: the static JSON API (one document per
ally and per control, and an index), the iCalendar file of scheduled dates, a preview image per
ally (for link previews), each chart's data as CSV, and the Frictionless Data Package that
describes the downloads.

Like the pages, these read only the ``Publication`` values (and their URLs, defined once on
them); record text is written as data (JSON strings, escaped iCalendar text, XML-escaped SVG).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from export_alignment.dates import PartialDate
from export_alignment.export import FORMAT_VERSION, TABLES
from export_alignment.jsontext import indented
from export_alignment.views.chart import Chart
from export_alignment.views.publication import Publication
from export_alignment.views.publication_model import LICENCE, Ally, Bar, ControlInfo
from export_alignment.views.table import csv_text
from export_alignment.views.values import COVERAGE_GROUPS, VERDICT_WORDS
from export_alignment.webtext import text

Document = dict[str, Any]
"""A JSON object as the API and the data package write it."""

API_FORMAT = "export-alignment-api/1"
API_SCHEMA = "api/schema.json"


def _dumps(doc: object) -> bytes:
    return (indented(doc) + "\n").encode("utf-8")


# --- the JSON API -------------------------------------------------------------------------------


def _bar(bars: tuple[Bar, ...]) -> dict[str, int]:
    return {b.group: b.count for b in bars}


def ally_document(pub: Publication, ally: Ally) -> Document:
    """One ally as the API gives it: the verdict first, then coverage, flags and each control."""
    return {
        "format": API_FORMAT,
        "as_of": pub.as_of.isoformat(),
        "id": ally.id,
        "name": ally.name,
        "verdict": ally.verdict,
        "verdict_words": ally.headline,
        "verdict_since": ally.verdict_since,
        "furthest": ally.furthest,
        "stage": ally.stage,
        "since": ally.since,
        "takeaway": text(ally.takeaway),
        "coverage": {
            "in_force": ally.coverage.in_force,
            "total": ally.coverage.total,
            "missing": list(ally.coverage.missing),
            "by_group": _bar(ally.bar),
        },
        "flags": sorted({f.name for f in ally.flags}),
        "reviewed": ally.reviewed,
        "controls": [
            {
                "control": c.control,
                "verdict": c.verdict,
                "verdict_words": c.headline,
                "furthest": c.furthest,
                "since": c.since,
                "status": c.status,
                "in_force": c.coverage.in_force if c.coverage else 0,
                "total": c.coverage.total if c.coverage else 0,
            }
            for c in ally.cells
        ],
        "links": {"page": ally.url, "feed": ally.feed_url, "api": ally.api_url},
    }


def control_document(pub: Publication, control: ControlInfo) -> Document:
    """One initiator control as the API gives it: what it is, its status, and each ally on it."""
    cells = [(a, c) for a in pub.allies for c in a.cells if c.control == control.id]
    return {
        "format": API_FORMAT,
        "as_of": pub.as_of.isoformat(),
        "id": control.id,
        "label": control.label,
        "title": control.title,
        "issuer": control.issuer_name,
        "target": control.target_name,
        "status": control.status,
        "status_words": control.status_words,
        "live": control.live,
        "scope": [{"id": i, "name": pub.item_name(i)} for i in control.scope],
        "allies": [
            {
                "ally": a.id,
                "name": a.name,
                "verdict": c.verdict,
                "verdict_words": c.headline,
                "furthest": c.furthest,
                "since": c.since,
            }
            for a, c in cells
        ],
        "links": {"page": control.url, "feed": control.feed_url, "api": control.api_url},
    }


def index_document(pub: Publication) -> Document:
    return {
        "format": API_FORMAT,
        "as_of": pub.as_of.isoformat(),
        "schema": API_SCHEMA,
        "licence": LICENCE[0],
        "verdicts": {str(k): v for k, v in VERDICT_WORDS.items()},
        "allies": [
            {
                "id": a.id,
                "name": a.name,
                "verdict": a.verdict,
                "verdict_words": a.headline,
                "api": a.api_url,
            }
            for a in pub.allies
        ],
        "controls": [
            {"id": c.id, "label": c.label, "status": c.status, "api": c.api_url} for c in pub.pages
        ],
    }


def api_schema() -> Document:
    """The JSON Schema of the API's three documents (``api/schema.json``)."""
    from pydantic import TypeAdapter

    from export_alignment.views.outputs import ApiJson

    schema = TypeAdapter(ApiJson).json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "export-alignment static JSON API"
    return schema


# --- the calendar -------------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    return text(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")


def _fold(line: str) -> str:
    """RFC 5545 section 3.1: lines of at most 75 octets, continued after CRLF and a space."""
    out: list[str] = []
    current = ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return "\r\n ".join(out)


def scheduled(pub: Publication) -> list[tuple[date, str, str, str]]:
    """The dates ahead of the as-of day: controls taking effect, suspensions ending, allies'
    reviews falling due (the day the record turns stale). (day, uid, summary, url)."""
    out = []
    for c in pub.pages:
        if c.effective and PartialDate.parse(c.effective).latest > pub.as_of:
            day = PartialDate.parse(c.effective).latest
            out.append((day, f"effective-{c.id}", f"{c.label} takes effect", c.url))
        for ev in c.lifecycle:
            if ev.until and PartialDate.parse(ev.until).latest > pub.as_of:
                day = PartialDate.parse(ev.until).latest
                out.append((day, f"until-{c.id}-{ev.date}", f"{c.label}: {ev.event} until", c.url))
    for a in pub.allies:
        if a.reviewed:
            due = PartialDate.parse(a.reviewed).latest + timedelta(days=pub.stale_days)
            if due > pub.as_of:
                out.append((due, f"review-{a.id}", f"{a.name}: record review due", a.url))
    return sorted(out)


def calendar(pub: Publication, base: str | None = None) -> str:
    """An iCalendar file (RFC 5545) of ``scheduled`` dates, one all-day event each."""
    stamp = pub.as_of.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//export-alignment//scheduled dates//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Alignment with US chip export controls: dates ahead",
    ]
    for day, uid, summary, url in scheduled(pub):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@export-alignment",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(summary)}",
        ]
        if base:
            lines.append(f"URL:{base}{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


# --- preview images and chart data --------------------------------------------------------------

BAR_COLOURS = {"in_force": "#1a7f37", "committed": "#0969da", "talks": "#bc4c00", "none": "#d0d7de"}
"""The coverage bar's colours, one per ``COVERAGE_GROUPS`` key (the stylesheet uses the same)."""


def preview(pub: Publication, ally: Ally) -> str:
    """A 1200 x 630 link-preview image of an ally: its name, its verdict and a coverage bar."""
    total = sum(b.count for b in ally.bar) or 1
    x, parts, legend = 80.0, [], []
    for n, b in enumerate(ally.bar):
        w = 1040 * b.count / total
        if b.count:
            parts.append(
                f'<rect x="{x:.1f}" y="330" width="{w:.1f}" height="80" '
                f'fill="{BAR_COLOURS[b.group]}"/>'
            )
        legend.append(
            f'<rect x="{80 + n * 260}" y="450" width="28" height="28" '
            f'fill="{BAR_COLOURS[b.group]}"/>'
            f'<text x="{120 + n * 260}" y="473" font-size="28">'
            f"{b.count} {xml_escape(b.words)}</text>"
        )
        x += w
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">'
        '<rect width="1200" height="630" fill="#ffffff"/>'
        '<g font-family="system-ui, sans-serif" fill="#1b1f23">'
        '<text x="80" y="150" font-size="72" font-weight="700">'
        f"{xml_escape(text(ally.name))}</text>"
        f'<text x="80" y="250" font-size="48">{xml_escape(text(ally.headline))}</text>'
        + "".join(parts)
        + "".join(legend)
        + f'<text x="80" y="570" font-size="26" fill="#57606a">Alignment with US chip export '
        f"controls, as of {pub.as_of.isoformat()}</text></g></svg>\n"
    )


def chart_csv(chart: Chart) -> str:
    """A chart's data: one row per stage change on each band."""
    rows = [
        {
            "band": b.key,
            "label": b.label,
            "date": s.date.isoformat(),
            "recorded": s.recorded,
            "from_stage": s.before,
            "to_stage": s.stage,
            "evidence": s.evidence,
        }
        for b in chart.bands
        for s in b.steps
    ]
    return csv_text(
        ["band", "label", "date", "recorded", "from_stage", "to_stage", "evidence"], rows
    )


# --- the data package ---------------------------------------------------------------------------

_FIELD_TYPES = {str: "string", int: "integer", bool: "boolean", list: "string"}

DESCRIPTIONS: dict[str, str] = {
    "actors": "Countries, blocs and officials in the record",
    "scope_items": "The vocabulary of what a control covers",
    "sources": "Every cited source, once",
    "controls": "Initiator controls and allies' own measures",
    "lifecycle": "Suspensions, rescissions, non-enforcement and relaxations of controls",
    "statements": "Dated, sourced statements by allies and others",
    "statement_sources": "Which statement cites which source",
    "stages": "Each ally's stage changes per control and scope item",
    "status": "Each ally on each initiator control as of the date: verdict, stage, coverage",
    "item_status": "Each ally's headline stage on each item of the live controls",
    "headlines": "Each ally's verdict, stage and coverage as of the date",
}
"""One line per table, for the data package and the Datasette metadata."""


def datapackage(pub: Publication) -> Document:
    """The Frictionless Data Package (``datapackage.json``) describing the CSV downloads."""
    resources: list[Document] = []
    for name, (columns, pk, fks) in TABLES.items():
        schema: Document = {
            "fields": [
                {"name": c, "type": _FIELD_TYPES[t]}
                | ({"description": "a list, items separated by '; '"} if t is list else {})
                for c, t in columns.items()
            ],
            "missingValues": [""],
            "primaryKey": list(pk),
        }
        if fks:
            schema["foreignKeys"] = [
                {
                    "fields": col,
                    "reference": {"resource": "" if other == name else other, "fields": ocol},
                }
                for col, other, ocol in fks
            ]
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": f"csv/{name}.csv",
                "title": name,
                "description": DESCRIPTIONS.get(name, name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": schema,
            }
        )
    for r in resources:
        for fk in r["schema"].get("foreignKeys", []):
            ref = fk["reference"]["resource"]
            fk["reference"]["resource"] = ref.replace("_", "-")
    return {
        "profile": "tabular-data-package",
        "name": "export-alignment",
        "title": "Alignment with US chip export controls",
        "description": (
            f"Each ally's verdict, stage and coverage on the US chip export controls on China, "
            f"derived from a sourced record as of {pub.as_of.isoformat()} ({FORMAT_VERSION})."
        ),
        "version": pub.as_of.isoformat(),
        "created": f"{pub.as_of.isoformat()}T00:00:00Z",
        "licenses": [{"name": LICENCE[0], "title": LICENCE[1], "path": LICENCE[2]}],
        "sources": [
            {"title": "export-alignment record (see the sources table)", "path": "csv/sources.csv"}
        ],
        "resources": resources,
    }


def datasette_metadata(pub: Publication) -> Document:
    """Datasette's ``metadata.json`` for the SQLite download: title, licence, source and a
    description of every table and column."""
    columns_words = {
        "verdict": "the verdict from item coverage: " + ", ".join(str(v) for v in VERDICT_WORDS),
        "furthest": "the furthest stage on any item (the same as stage)",
        "verdict_since": "the day the current verdict was first reached",
        "verdict_words": "the verdict as readers see it",
        "name": "the ally's name",
        "stage": "the furthest stage: none, raised, negotiating, agreed, announced, adopted, "
        "in_force",
        "since": "the day the stage was reached",
        "in_force_on": "items in force",
        "items": "items in question",
        "missing": "items not in force (JSON list)",
        "flags": "caveats raised (JSON list)",
    }
    return {
        "title": "Alignment with US chip export controls",
        "license": LICENCE[1],
        "license_url": LICENCE[2],
        "source": "export-alignment record",
        "source_url": "index.html",
        "databases": {
            "export-alignment": {
                "description": f"As of {pub.as_of.isoformat()}",
                "tables": {
                    name: {
                        "description": DESCRIPTIONS.get(name, name),
                        "columns": {c: columns_words[c] for c in cols if c in columns_words},
                    }
                    for name, (cols, _pk, _fks) in TABLES.items()
                },
            }
        },
    }


__all__ = [
    "API_FORMAT",
    "BAR_COLOURS",
    "COVERAGE_GROUPS",
    "ally_document",
    "api_schema",
    "calendar",
    "chart_csv",
    "control_document",
    "datapackage",
    "datasette_metadata",
    "index_document",
    "preview",
]
